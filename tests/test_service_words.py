"""The service's own words: stored in the workspace, spoken by every brief.

An English brief of a Vancouver workspace must read like the VPD's, not the SPVM's: no "PDQ",
no "SPVM", no French shift names, no "Montréal"; and the default (Montréal) workspace's
French brief keeps the SPVM's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from quarterly_data import build_quarterly_workspace

from cli.main import main
from data_connectors.base import ImportReport
from data_connectors.incident_common import shifts_from
from exports.brief_build import build_brief
from exports.briefs import brief_options, write_quarterly_briefs, write_station_briefs
from portrait.engine import build_portrait, prepare
from portrait.errors import PortraitError
from portrait.quarters import Quarter
from portrait.service_words import (
    MONTREAL,
    ServiceWords,
    Shift,
    in_use,
    plural,
    using,
    words_for_city,
    words_of,
    write_words,
)
from portrait.workspace import Workspace
from tests.conftest import build_small_workspace
from tests.test_partner_brief import texts

VANCOUVER = ServiceWords("District", "Districts", "VPD", "Vancouver", (
    Shift("jour", "Jour", "Day", 7, 15), Shift("soir", "Soir", "Evening", 15, 23),
    Shift("nuit", "Nuit", "Night", 23, 7)))
#: Montréal's words, as whole words (``quartier`` holds "quart", "Portrait de quartier" is
#: the product's name).
MONTREAL_WORDS = re.compile(r"PDQ|SPVM|Montr[ée]al|\b(?:jour|soir|nuit|QUART)\b",
                            re.IGNORECASE)


def _with_shifts(workspace: Workspace) -> Workspace:
    """Incidents with a shift and no clock time: the brief's grid is by shift."""
    incidents = workspace.layer("incidents").copy()
    incidents["shift"] = [("jour", "soir", "nuit")[i % 3] for i in range(len(incidents))]
    workspace.set_layer("incidents", incidents)
    workspace.save()
    return workspace


@pytest.fixture(scope="module")
def vancouver(tmp_path_factory) -> Workspace:
    """The small workspace moved to Vancouver (UTM zone 10N), with the VPD's words."""
    folder = tmp_path_factory.mktemp("vancouver")
    montreal = build_small_workspace(folder / "montreal.gpkg")
    workspace = Workspace.create(folder / "vancouver.gpkg", crs="EPSG:26910")
    shift = (492_000 - 295_000, 5_455_000 - 5_040_000)
    for name in ("stations", "census_areas", "census_values", "incidents", "services"):
        frame = montreal.layer(name).copy()
        if "geometry" in frame:
            frame = frame.set_geometry(frame.geometry.translate(*shift)).set_crs(
                "EPSG:26910", allow_override=True)
        if name == "stations":
            frame["name"] = ["Kitsilano", "Fairview"]
        workspace.set_layer(name, frame)
    write_words(workspace, VANCOUVER)
    return _with_shifts(workspace)


@pytest.fixture(scope="module")
def montreal(tmp_path_factory) -> Workspace:
    return _with_shifts(build_small_workspace(tmp_path_factory.mktemp("mtl") / "w.gpkg"))


def _written(workspace: Workspace, language: str, folder: Path) -> dict[str, dict[str, Path]]:
    data = prepare(workspace)
    return {audience: write_station_briefs(
        workspace, data, "38", brief_options(workspace, audience, language),
        ["pdf", "xlsx", "html"], folder / audience).paths
        for audience in ("partner", "internal")}


def test_the_words_are_stored_with_the_workspace(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg", crs="EPSG:26910")
    assert words_of(workspace) == MONTREAL
    write_words(workspace, VANCOUVER)
    workspace.save()
    assert words_of(Workspace.open(tmp_path / "w.gpkg")) == VANCOUVER


def test_damaged_words_name_the_file_and_the_key(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    workspace.set_metadata("words.shifts", "[[\"jour\", \"Day\"]]")
    with pytest.raises(PortraitError, match=r"w\.gpkg: the portrait_metadata key "
                                            r"words\.shifts holds .*expected a list"):
        words_of(workspace)
    workspace.set_metadata("words.shifts", MONTREAL.as_metadata()["words.shifts"])
    workspace.set_metadata("words.station_term", " ")
    with pytest.raises(PortraitError, match=r"w\.gpkg: .*station_term is empty"):
        words_of(workspace)


@pytest.mark.parametrize(("hours", "problem"), [((8, 25), "hours"), ((8, 8), "hours")])
def test_impossible_shift_hours_are_refused(hours, problem) -> None:
    shifts = (Shift("jour", "Jour", "Day", *hours),) + VANCOUVER.shifts[1:]
    with pytest.raises(PortraitError, match=problem):
        ServiceWords(shifts=shifts)


def test_station_labels_and_plurals_follow_the_service() -> None:
    assert MONTREAL.station_label("38") == "PDQ 38"
    assert VANCOUVER.station_label("2") == "District 2"
    assert VANCOUVER.station_label("PDQ 02") == "District 2"
    assert VANCOUVER.station_label("Kitsilano") == "Kitsilano"
    assert [plural(t) for t in ("District", "PDQ", "Precinct", "Area Command", "Division")] \
        == ["Districts", "PDQ", "Precincts", "Area Commands", "Divisions"]
    assert words_for_city("Montréal") == MONTREAL
    chicago = words_for_city("Chicago", "District", "CPD")
    assert (chicago.station_term, chicago.city, chicago.shifts[0].name_en) == \
        ("District", "Chicago", "Day")


def test_an_import_reads_the_services_own_shift_names() -> None:
    words = replace(VANCOUVER, shifts=(Shift("jour", "Jour", "Day shift", 7, 15),
                                       Shift("soir", "Après-midi", "Afternoon", 15, 23),
                                       Shift("nuit", "Nuit", "Night", 23, 7)))
    values = pd.Series(["Afternoon", "après-midi", "DAY SHIFT", "evening", "Graveyard"])
    report = ImportReport("mapped-points", "incidents.csv", "incidents")
    with using(words):
        shifts = shifts_from(values, report, "Shift")
    assert shifts.tolist()[:4] == ["soir", "soir", "jour", "soir"]
    assert pd.isna(shifts.iloc[4])
    assert report.warnings == [
        "1 value(s) of column 'Shift' are not a shift (jour/day shift/day, après-midi/"
        "afternoon/soir/evening, nuit/night) and were left empty: 'Graveyard'."]


def test_words_in_use_are_scoped_to_the_writing() -> None:
    with using(VANCOUVER):
        assert in_use().station_label("2") == "District 2"
    assert in_use() == MONTREAL


def test_an_english_vancouver_brief_speaks_the_vpds_words(vancouver, tmp_path: Path) -> None:
    written = _written(vancouver, "en", tmp_path)
    found = []
    for audience, paths in written.items():
        shown = texts(paths, audience)
        everything = "\n".join(str(text) for _, text in shown)
        assert "District 38" in everything, audience
        assert "Shifts: Day 7 h-15 h, Evening 15 h-23 h, Night 23 h-7 h" in everything
        found += [(where, text) for where, text in shown if MONTREAL_WORDS.search(str(text))]
        assert {p.suffix for p in paths.values()} == {".pdf", ".xlsx", ".html"}
    assert found == []


def test_an_english_vancouver_quarterly_report_speaks_the_vpds_words(tmp_path: Path) -> None:
    workspace = build_quarterly_workspace(tmp_path / "plan.gpkg")
    stations = workspace.layer("stations").copy()
    stations["name"] = ["Kitsilano", "Fairview"]  # not the SPVM's "PDQ 38"
    workspace.set_layer("stations", stations)
    write_words(workspace, VANCOUVER)
    workspace.save()
    data = prepare(workspace)
    found = []
    for audience in ("partner", "internal"):
        paths = write_quarterly_briefs(workspace, data, "38", Quarter(2025, 3),
                                       brief_options(workspace, audience, "en"),
                                       ["pdf", "xlsx", "html"], tmp_path / audience).paths
        shown = texts(paths, audience)
        assert any("District 38" in str(text) for _, text in shown), audience
        found += [(where, text) for where, text in shown if MONTREAL_WORDS.search(str(text))]
    assert found == []


def test_the_shift_grid_is_drawn_with_the_services_shift_names(vancouver) -> None:
    data = prepare(vancouver)
    for language, names in (("en", ["Day", "Evening", "Night"]),
                            ("fr", ["Jour", "Soir", "Nuit"])):
        with using(words_of(vancouver)):
            brief = build_brief(build_portrait(data, "38"), data,
                                brief_options(vancouver, "internal", language))
        figure = next(f for s in brief.sections for f in s.figures
                      if f.id == "time_grid_chart")
        assert figure.data["rows"] == names
        table = next(t for s in brief.sections for t in s.tables if t.id == "time_grid")
        assert [row[0] for row in table.rows] == names


def test_the_json_report_names_the_shifts_beside_their_codes(vancouver) -> None:
    with using(words_of(vancouver)):
        portrait = build_portrait(prepare(vancouver), "38")
    grid = next(t for t in portrait.section("crime_trends").tables if t.id == "time_grid")
    first = grid.records[0]
    assert (first["shift"], first["shift_fr"], first["shift_en"]) == ("jour", "Jour", "Day")
    assert "Shifts: Day 7 h-15 h" in grid.note
    assert "SPVM" not in grid.title_en and "SPVM" not in grid.note


def test_the_report_command_writes_the_shifts_in_the_services_words(vancouver,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["report", str(vancouver.path), "--station", "38", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    trends = next(s for s in report["sections"] if s["id"] == "crime_trends")
    grid = next(t for t in trends["tables"] if t["id"] == "time_grid")
    assert grid["note"].startswith("Shifts: Day 7 h-15 h, Evening 15 h-23 h, Night 23 h-7 h")
    assert {r["shift_en"] for r in grid["records"]} == {"Day", "Evening", "Night"}
    assert grid["title_en"] == "Incidents by shift and weekday"


def test_the_french_brief_of_a_montreal_workspace_keeps_the_spvms_words(
        montreal, tmp_path: Path) -> None:
    written = _written(montreal, "fr", tmp_path)
    paths = written["internal"]
    everything = "\n".join(str(text) for _, text in texts(paths, "internal"))
    assert "Portrait de quartier — PDQ 38" in everything
    assert "Quarts du fichier du SPVM : jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h " \
        "(heure du signalement)." in everything
    assert "Incidents par quart de travail et jour de la semaine (QUART)" in everything
    data = prepare(montreal)
    brief = build_brief(build_portrait(data, "38"), data, brief_options(montreal, "internal"))
    figure = next(f for s in brief.sections for f in s.figures if f.id == "time_grid_chart")
    assert figure.data["rows"] == ["jour", "soir", "nuit"]
