"""One column-mapping mechanism: declared fields, a user's mapping first, then guesses.

Files are written here as another police service would receive them (a district layer keyed
by ``dist_num``, community areas named ``community``, a score table by community area); the
mapping is the documented route for each, and what it cannot use is refused with a message
naming the file, the field and the columns of the file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from data_connectors.base import ReadContext, ReaderError
from data_connectors.column_mapping import (
    Field,
    MappingError,
    check_mapping_keys,
    guess_columns,
    header_key,
)
from data_connectors.importer import import_files
from data_connectors.registry import READERS, get_reader
from data_connectors.vpd_incidents import VpdIncidentReader
from portrait.workspace import Workspace
from tests.other_city import community_areas, districts, schools, sentiment


def _workspace(tmp_path: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws.gpkg")


def test_station_ids_come_from_any_column_named_in_the_mapping(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    [report] = import_files(workspace, [districts(tmp_path)], "station-boundaries",
                            {"mapping": {"station_id": "dist_num", "name": "dist_label"}})
    stations = workspace.layer("stations")
    assert sorted(zip(stations["station_id"], stations["name"], strict=True)) == [
        ("20", "20TH"), ("24", "24TH")]
    assert report.columns == {"station_id": "dist_num", "name": "dist_label"}
    assert "station_id ← 'dist_num'" in report.summary()


def test_survey_scores_join_areas_named_differently_through_one_normalisation(
        tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": {"station_id": "dist_num"}})
    import_files(workspace, [community_areas(tmp_path)], "area-boundaries",
                 {"mapping": {"name": "community", "level": "community area"}})
    [report] = import_files(workspace, [sentiment(tmp_path)], "survey-scores",
                            {"mapping": {"area": "Community Area",
                                         "area_level": "community area"}})
    areas = workspace.layer("census_areas")
    stored = workspace.layer("survey_scores")
    assert set(areas["area_id"]) == {"rogers-park", "west-ridge"}
    assert set(stored["area_id"]) == set(areas["area_id"])
    assert set(stored["area_level"]) == {"community area"}
    assert report.columns["area"] == "Community Area"


def test_areas_join_by_a_code_column_when_the_mapping_names_one(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": {"station_id": "dist_num"}})
    import_files(workspace, [community_areas(tmp_path)], "area-boundaries",
                 {"mapping": {"name": "community", "area_id": "area_numbe"}})
    areas = workspace.layer("census_areas")
    assert sorted(zip(areas["area_id"], areas["name"], strict=True)) == [
        ("1", "ROGERS PARK"), ("2", "WEST RIDGE")]


def test_services_with_unusual_headers_import_through_a_mapping(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": {"station_id": "dist_num"}})
    [report] = import_files(workspace, [schools(tmp_path)], "service-inventory",
                            {"mapping": {"name": "School_Nm", "source_type": "Sch_Type",
                                         "address": "Addr"}})
    services = workspace.layer("services")
    assert sorted(services["name"]) == ["Field Elementary", "Gale Academy"]
    assert report.columns == {"name": "School_Nm", "source_type": "Sch_Type",
                              "address": "Addr"}


@pytest.mark.parametrize(("mapping", "words"), [
    ({"station": "dist_num"}, ["Unknown key", "'station' (did you mean 'station_id'?)",
                               "Known keys: station_id, name"]),
    ({"station_id": "district"}, ["station_id -> 'district'", "not in the file",
                                  "dist_num", "dist_label"]),
    ({"station_id": ["dist_num"]}, ["station_id", "a column name"]),
])
def test_a_mapping_that_cannot_be_used_is_refused_naming_file_field_and_columns(
        tmp_path: Path, mapping: dict, words: list[str]) -> None:
    workspace = _workspace(tmp_path)
    with pytest.raises(ReaderError) as raised:
        import_files(workspace, [districts(tmp_path)], "station-boundaries",
                     {"mapping": mapping})
    message = str(raised.value)
    assert message.startswith("police_districts.geojson")
    for word in words:
        assert word in message
    assert len(workspace.layer("stations")) == 0


def test_a_required_field_with_no_column_names_the_field_and_the_columns(
        tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    with pytest.raises(ReaderError, match=r"police_districts.geojson: no column was found "
                       r"for station_id .*columns of the file: dist_num, dist_label"):
        import_files(workspace, [districts(tmp_path)], "station-boundaries")


def test_a_fixed_layout_reader_refuses_a_mapping_instead_of_ignoring_it(
        tmp_path: Path) -> None:
    path = tmp_path / "actes.csv"
    path.write_text("CATEGORIE,DATE,QUART,PDQ,X,Y,LONGITUDE,LATITUDE\n"
                    "Vol de véhicule à moteur,2024-01-02,jour,1,0,0,0,0\n", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"actes.csv: the reader 'spvm-incidents'.*"
                       r"takes no column mapping.*--reader mapped-points"):
        import_files(_workspace(tmp_path), [path], "spvm-incidents",
                     {"mapping": {"category": "CATEGORIE"}})


def test_every_reader_declares_its_fields_once_with_both_meanings() -> None:
    for reader in READERS:
        names = [f.name for f in reader.fields]
        assert len(names) == len(set(names)), reader.id
        for item in reader.fields:
            assert isinstance(item, Field)
            assert item.meaning_fr and item.meaning_en and item.meaning_fr != item.meaning_en, \
                (reader.id, item.name)
            assert all(g == header_key(g) for g in item.guesses), (reader.id, item.name)
        if reader.fields and reader.id != "indicator-table":  # it needs a code or a name
            assert any(f.required for f in reader.fields), reader.id
    with_fields = {r.id for r in READERS if r.fields}
    assert {"station-boundaries", "area-boundaries", "statcan-boundaries", "statcan-da-table",
            "service-inventory", "lieux-interet", "survey-export", "survey-scores",
            "mapped-points", "cad-calls"} <= with_fields


def test_guesses_never_give_one_column_to_two_fields() -> None:
    fields = (Field("id", "Numéro", "Number", guesses=("nom pdq",)),
              Field("name", "Nom", "Name", guesses=("nom pdq", "nom")))
    assert guess_columns(fields, ["NOM_PDQ", "NOM"]) == {"id": "NOM_PDQ", "name": "NOM"}


def test_incident_and_call_mappings_share_the_key_check() -> None:
    from data_connectors.cad_mapping import CallMapping
    from data_connectors.mapped_points import ColumnMapping

    with pytest.raises(MappingError, match=r"'categry' \(did you mean 'category'\?\)"):
        ColumnMapping.from_dict({"categry": "Type"})
    with pytest.raises(MappingError, match=r"'recieved' \(did you mean 'received'\?\)"):
        CallMapping.from_dict({"recieved": "when"})


def test_every_example_of_the_mapping_guide_uses_its_readers_fields() -> None:
    import re
    import tomllib

    from data_connectors.registry import get_reader

    guide = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text("utf-8")
    checked = 0
    for section in re.split(r"\n### ", guide)[1:]:
        reader = get_reader(re.search(r"\(`([a-z-]+)`\)", section.splitlines()[0]).group(1))
        for block in re.findall(r"```json\n(.*?)```", section, re.DOTALL):
            check_mapping_keys(json.loads(block), [f.name for f in reader.fields], "example")
            checked += 1
    for block in re.findall(r"```toml\n(.*?)```", guide, re.DOTALL):
        for source in tomllib.loads(block)["source"]:
            fields = [f.name for f in get_reader(source["reader"]).fields]
            check_mapping_keys(source.get("mapping", {}), fields, "example")
            checked += 1
    assert checked >= 12


MALFORMED_MAPPINGS = [
    ("not-json", "stations.json", '{"station_id": "dist_num",', "stations.json, line 1: not "
     "valid JSON"),
    ("not-an-object", "stations.json", '["dist_num"]', "stations.json: a column mapping must "
     "be a JSON object"),
    ("unknown-key", "districts", '{"station_no": "dist_num"}', "police_districts.geojson: "
     "Unknown key(s) in the column mapping: 'station_no' (did you mean 'station_id'?)"),
    ("list-value", "districts", '{"station_id": ["dist_num", "dist_label"]}',
     "police_districts.geojson: the column mapping gives 'station_id' the value"),
    ("absent-column", "districts", '{"station_id": "DISTRICT_NO"}',
     "police_districts.geojson: the column mapping names column(s) not in the file: "
     "station_id -> 'DISTRICT_NO'. Expected: columns of the file: dist_num, dist_label"),
    ("empty-required", "districts", '{"station_id": ""}',
     "police_districts.geojson: no column was found for station_id"),
    ("scores-absent-area", "scores", '{"area": "Community"}',
     "sentiment.csv: the column mapping names column(s) not in the file: area -> 'Community' "
     "(closest: 'Community Area')"),
    ("fixed-layout", "vpd", '{"category": "TYPE"}',
     "crimedata.csv: the reader 'vpd-incidents'"),
]


@pytest.mark.parametrize(("kind", "text", "message"), [c[1:] for c in MALFORMED_MAPPINGS],
                         ids=[c[0] for c in MALFORMED_MAPPINGS])
def test_a_malformed_mapping_file_gets_one_line_and_leaves_the_workspace(
        tmp_path: Path, capsys, kind: str, text: str, message: str) -> None:
    workspace = Workspace.create(tmp_path / "ws.gpkg")
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": {"station_id": "dist_num"}})
    before = hashlib.sha256(workspace.path.read_bytes()).hexdigest()
    if kind == "vpd":
        data, reader = tmp_path / "crimedata.csv", "vpd-incidents"
        data.write_text("TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,HUNDRED_BLOCK,NEIGHBOURHOOD,X,Y\n"
                        "Mischief,2024,1,2,3,4,1XX MAIN ST,Strathcona,0,0\n", encoding="utf-8")
    elif kind == "scores":
        data, reader = sentiment(tmp_path), "survey-scores"
    else:
        data, reader = districts(tmp_path), "station-boundaries"
    mapping = tmp_path / "stations.json"
    mapping.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(workspace.path), str(data), "--reader", reader,
                 "--mapping", str(mapping)]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], err
    assert "Traceback" not in err
    assert hashlib.sha256(workspace.path.read_bytes()).hexdigest() == before


def test_neighbourhood_names_find_stations_keyed_by_another_spelling(tmp_path: Path) -> None:
    path = tmp_path / "crimedata.csv"
    path.write_text("TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,HUNDRED_BLOCK,NEIGHBOURHOOD,X,Y\n"
                    "Mischief,2024,1,2,3,4,1XX MAIN ST,Mount Pleasant,0,0\n"
                    "Mischief,2024,1,3,3,4,1XX MAIN ST,Central Business District,0,0\n"
                    "Mischief,2024,1,4,3,4,1XX MAIN ST,Musqueam,0,0\n", encoding="utf-8")
    stations = pd.DataFrame({"station_id": ["Mt. Pleasant", "Downtown Vancouver"],
                             "name": ["Mt. Pleasant", "Downtown Vancouver"]})
    result = VpdIncidentReader().read(path, ReadContext(
        options={"station_from": "NEIGHBOURHOOD"}, stations=stations))
    assert result.layers["incidents"]["station_id"].tolist() == [
        "Mt. Pleasant", "Downtown Vancouver", "Musqueam"]


def test_respondent_columns_named_by_a_mapping_in_a_survey_export(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": {"station_id": "dist_num"}})
    path = tmp_path / "resident_survey.csv"
    pd.DataFrame({"RespNo": ["r1", "r2", "r3"], "Police District": ["24", "20", "24"],
                  "Q1": ["Strongly agree", "Disagree", "Agree"]}).to_csv(path, index=False)
    [report] = import_files(workspace, [path], "survey-export",
                            {"mapping": {"respondent_id": "RespNo",
                                         "station_id": "Police District"}})
    respondents = workspace.layer("survey_respondents")
    assert sorted(zip(respondents["respondent_id"], respondents["station_id"],
                      strict=True)) == [("r1", "24"), ("r2", "20"), ("r3", "24")]
    assert report.columns == {"respondent_id": "RespNo", "station_id": "Police District"}
    with pytest.raises(ReaderError, match=r"resident_survey.csv: Unknown key\(s\) in the column "
                       r"mapping: 'district'. Known keys: respondent_id, date, station_id"):
        import_files(workspace, [path], "survey-export",
                     {"mapping": {"respondent_id": "RespNo", "district": "Police District"}})


def test_a_census_profile_with_renamed_columns_reads_through_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "profile_extract.csv"
    path.write_text("DA,CHAR_NO,TOTAL,SYMBOL\n24660001,1,651,\n24660001,4,300,\n"
                    "24660002,1,x,x\n", encoding="utf-8")
    context = ReadContext(known_area_ids=frozenset({"24660001", "24660002"}),
                          options={"mapping": {"alt_geo_code": "DA",
                                               "characteristic_id": "CHAR_NO",
                                               "c1_count_total": "TOTAL"}})
    result = get_reader("statcan-profile").read(path, context)
    values = result.layers["census_values"]
    assert sorted(zip(values["area_id"], values["value"].fillna(-1), strict=True)) == [
        ("24660001", 651.0), ("24660002", -1)]
    assert result.report.columns == {"alt_geo_code": "DA", "characteristic_id": "CHAR_NO",
                                     "c1_count_total": "TOTAL"}
    with pytest.raises(ReaderError, match=r"profile_extract.csv, row 1: missing required "
                       r"column\(s\): 'ALT_GEO_CODE'"):
        get_reader("statcan-profile").read(path, ReadContext(known_area_ids=frozenset({"1"})))
