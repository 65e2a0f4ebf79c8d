"""Readers on the demo city's files, on hand-broken variants of them, and on real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data_connectors.base import ReadContext, ReaderError
from data_connectors.importer import import_files
from data_connectors.registry import READERS, find_reader, get_reader
from demo_city.build import demo_import_paths
from portrait.errors import CancelledError
from portrait.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")


def test_every_reader_declares_itself() -> None:
    ids = [reader.id for reader in READERS]
    assert len(ids) == len(set(ids))
    for reader in READERS:
        assert reader.label and reader.kind and reader.patterns
        assert isinstance(reader.priority, int)


def test_each_demo_file_finds_its_reader(demo_files) -> None:
    expected = ["station-boundaries", "statcan-boundaries", "statcan-profile", "spvm-incidents",
                "service-inventory", "survey-export", "cad-calls", "streets"]
    assert [find_reader(p).id for p in demo_import_paths(demo_files)] == expected


def test_spvm_reader_keeps_placeholder_rows_without_location(demo_files) -> None:
    result = get_reader("spvm-incidents").read(demo_files.incidents, ReadContext())
    incidents = result.layers["incidents"]
    raw = pd.read_csv(demo_files.incidents)
    placeholders = int(((raw["X"] == 1) & (raw["Y"] == 1)).sum())
    assert placeholders > 0
    assert len(incidents) == len(raw) == result.report.rows_read
    assert int(incidents.geometry.isna().sum()) == placeholders
    assert (incidents.loc[incidents.geometry.isna(), "location_precision"] == "none").all()
    assert result.report.flagged["no location: placeholder coordinates (X = Y = 1 or 0)"] \
        == placeholders
    assert set(incidents["shift"].dropna()) <= {"jour", "soir", "nuit"}
    assert incidents["category"].notna().all()  # the six SPVM categories are all mapped
    assert incidents["station_id"].str.fullmatch(r"\d+").all()  # "38.0" became "38"


def test_old_latin1_spvm_file_with_lat_long_reads(demo_files, tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.incidents).head(500)
    old = raw.rename(columns={"LATITUDE": "LAT", "LONGITUDE": "LONG"}).drop(columns=["X", "Y"])
    old["DATE"] = old["DATE"] + " 00:00:00"
    path = tmp_path / "interventionscitoyendo.csv"
    old.to_csv(path, index=False, encoding="latin-1")
    incidents = get_reader("spvm-incidents").read(path, ReadContext()).layers["incidents"]
    assert len(incidents) == 500
    assert "Méfait" in set(incidents["source_category"])  # Latin-1 accents decoded
    assert incidents["source_category"].isin(raw["CATEGORIE"].unique()).all()
    located = incidents.geometry.notna()
    assert located.sum() == ((raw["X"] != 1) | (raw["Y"] != 1)).sum()
    expected = raw.loc[located.to_numpy(), ["X", "Y"]].to_numpy()
    got = incidents.loc[located, "geometry"].get_coordinates().to_numpy()
    assert abs(got - expected).max() < 0.5  # metres, after a lon/lat round trip


def test_semicolon_file_with_decimal_commas_reads(demo_files, tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.incidents).head(100)
    path = tmp_path / "export_excel.csv"
    raw.to_csv(path, index=False, sep=";", decimal=",")
    incidents = get_reader("spvm-incidents").read(path, ReadContext()).layers["incidents"]
    assert len(incidents) == 100
    assert incidents.geometry.notna().sum() == ((raw["X"] != 1) | (raw["Y"] != 1)).sum()


def test_unreadable_dates_are_dropped_and_reported_with_rows(demo_files, tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.incidents).head(50)
    raw.loc[[3, 7], "DATE"] = ["31/02/2024", "hier"]
    path = tmp_path / "dates.csv"
    raw.to_csv(path, index=False)
    result = get_reader("spvm-incidents").read(path, ReadContext())
    assert len(result.layers["incidents"]) == 48
    assert result.report.dropped == {"unreadable date": 2}
    assert [e["row"] for e in result.report.examples] == [5, 9]  # line numbers in the file
    assert all(e["column"] == "DATE" for e in result.report.examples)


def test_missing_column_names_the_closest_match(demo_files, tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.incidents).head(10).rename(columns={"DATE": "DATE_INCIDENT"})
    path = tmp_path / "renamed.csv"
    raw.to_csv(path, index=False)
    expected = r"renamed\.csv.*'DATE' \(closest found: 'DATE_INCIDENT'\)"
    with pytest.raises(ReaderError, match=expected):
        get_reader("spvm-incidents").read(path, ReadContext())


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"PK\x03\x04\x14\x00binary", "binary file"), (b"\x00\x01\x02", "binary")],
)
def test_bad_files_get_a_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "actes-criminels.csv"
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        get_reader("spvm-incidents").read(path, ReadContext())


def test_no_reader_for_an_unknown_file_says_what_is_known(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("bonjour", encoding="utf-8")
    with pytest.raises(ReaderError, match="no reader recognises this file"):
        find_reader(path)


def test_census_profile_keeps_only_workspace_areas_and_honours_suppression(demo_files) -> None:
    areas = get_reader("statcan-boundaries").read(demo_files.da_boundaries, ReadContext())
    area_ids = frozenset(areas.layers["census_areas"]["area_id"])
    keep = frozenset(sorted(area_ids)[:10])
    result = get_reader("statcan-profile").read(
        demo_files.census_profile, ReadContext(known_area_ids=keep))
    values = result.layers["census_values"]
    assert set(values["area_id"]) == keep
    assert {"population", "low_income", "low_income_base", "median_household_income"} \
        <= set(values["indicator_id"])
    suppressed = values["symbol"] == "x"
    assert values.loc[suppressed, "value"].isna().all()


def test_survey_export_keeps_dont_know_apart(demo_files) -> None:
    result = get_reader("survey-export").read(demo_files.survey, ReadContext())
    answers = result.layers["survey_answers"]
    respondents = result.layers["survey_respondents"]
    raw = pd.read_csv(demo_files.survey, encoding="utf-8-sig")
    assert len(respondents) == len(raw)
    dont_know = answers["answer"].str.contains("sais pas", na=False)
    assert dont_know.any()
    assert answers.loc[dont_know, "answer_code"].isna().all()
    assert answers["answer_code"].dropna().between(1, 4).all()
    questions = result.layers["survey_questions"]
    assert questions["theme"].notna().any()  # from the companion questions file


def test_import_is_all_or_nothing(demo_files, tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    Workspace.create(path)
    before = path.read_bytes()
    broken = tmp_path / "broken.csv"
    broken.write_text("CATEGORIE,PDQ,X,Y\nMéfait,38,1,1\n", encoding="utf-8")
    workspace = Workspace.open(path)
    with pytest.raises(ReaderError, match="DATE"):
        import_files(workspace, [demo_files.stations, broken], reader_id=None)
    assert path.read_bytes() == before
    assert not workspace.has_data("stations")


def test_cancelled_import_leaves_workspace_unchanged(demo_files, tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    Workspace.create(path)
    before = path.read_bytes()
    workspace = Workspace.open(path)
    with pytest.raises(CancelledError):
        import_files(workspace, [demo_files.stations, demo_files.incidents],
                     is_cancelled=lambda: True)
    assert path.read_bytes() == before
    assert not workspace.is_modified


def test_reimporting_a_source_replaces_its_rows(demo_files, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    import_files(workspace, [demo_files.incidents])
    first = len(workspace.layer("incidents"))
    import_files(workspace, [demo_files.incidents])
    assert len(Workspace.open(tmp_path / "w.gpkg").layer("incidents")) == first
    reports = Workspace.open(tmp_path / "w.gpkg").layer("import_reports")
    assert len(reports) == 2 and (reports["rows_kept"] == first).all()


@needs_shared
@pytest.mark.parametrize(("name", "count"), [("limites_pdq_wgs84.geojson", 29),
                                             ("limites_pdq_mtm8_epsg32188.geojson", 28)])
def test_both_real_pdq_vintages_load(name: str, count: int) -> None:
    path = SHARED / "montreal" / name
    assert find_reader(path).id == "station-boundaries"
    stations = get_reader("station-boundaries").read(path, ReadContext()).layers["stations"]
    assert len(stations) == count
    assert stations.crs == "EPSG:32188"
    assert "38" in set(stations["station_id"])
    assert stations.geometry.area.sum() > 400e6  # the island is about 500 km²


def test_a_coordinate_that_is_not_a_number_is_reported_not_fatal(demo_files,
                                                                 tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.incidents, dtype=str).head(30)
    raw.loc[4, "X"] = "abc"
    raw.loc[4, "LONGITUDE"] = ""
    path = tmp_path / "bad_x.csv"
    raw.to_csv(path, index=False)
    result = get_reader("spvm-incidents").read(path, ReadContext())
    incidents = result.layers["incidents"]
    assert len(incidents) == 30
    assert incidents.geometry.isna().iloc[4]
    assert result.report.flagged.get(
        "no location: coordinates missing or outside the Montréal area") == 1


def test_a_file_still_being_written_is_refused(demo_files, tmp_path: Path) -> None:
    import threading
    import time

    path = tmp_path / "actes-criminels.csv"
    lines = demo_files.incidents.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:50]), encoding="utf-8")
    stop = threading.Event()

    def keep_writing() -> None:
        with open(path, "a", encoding="utf-8") as handle:
            for line in lines[50:]:
                if stop.is_set():
                    return
                handle.write(line)
                handle.flush()
                time.sleep(0.01)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    workspace = Workspace.create(tmp_path / "w.gpkg")
    try:
        with pytest.raises(ReaderError, match="still being written"):
            import_files(workspace, [path])
    finally:
        stop.set()
        writer.join()
    assert not workspace.has_data("incidents")


def test_a_french_incident_export_is_not_taken_for_a_census_profile(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Catégorie;Date de l'événement;Heure;Poste;Latitude;Longitude\n"
                    "Méfait;2024-01-02;13:00;38;45,52;-73,58\n"
                    "Vol;2024-01-03;14:00;38;45,53;-73,57\n", encoding="utf-8")
    assert find_reader(path).id == "mapped-points"
