"""Import recipes, ``--categories`` files and ``portrait readers --json``, as a user runs them.

The shipped recipes are run on the real Montréal and Vancouver files (skipped without
../shared/data); another city's files (``tests.other_city``) go through a recipe written
here, and malformed recipes and category files are refused with one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from cli.main import main
from data_connectors.importer import import_files
from data_connectors.recipes import category_table, load_recipe, recipe_of
from portrait.engine import build_portrait, prepare
from portrait.workspace import Workspace
from tests.other_city import (
    MAPPINGS,
    categories,
    community_areas,
    crimes,
    districts,
    schools,
    sentiment,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PORTRAIT_SHARED_DATA")
              or Path(__file__).resolve().parents[2] / "shared" / "data")


def _other_city(folder: Path) -> Path:
    folder.mkdir()
    for write in (districts, community_areas, sentiment, schools, crimes, categories):
        write(folder)
    return folder


def _toml_table(mapping: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in mapping.items()) + " }"


def _recipe(folder: Path, text: str) -> Path:
    path = folder / "recipe.toml"
    path.write_text(text, encoding="utf-8")
    return path


OTHER_CITY_RECIPE = f"""
[workspace]
crs = "EPSG:32188"

# listed out of order on purpose: the kinds' order decides
[[source]]
name = "crimes"
files = "crimes*.csv"
reader = "mapped-points"
mapping = {_toml_table(MAPPINGS["crimes.csv"])}
categories = "categories.csv"

[[source]]
name = "sentiment"
files = "sentiment.csv"
reader = "survey-scores"
mapping = {_toml_table(MAPPINGS["sentiment.csv"])}

[[source]]
name = "districts"
files = "police_districts.geojson"
reader = "station-boundaries"
mapping = {_toml_table(MAPPINGS["police_districts.geojson"])}

[[source]]
name = "community areas"
files = "community_areas.geojson"
reader = "area-boundaries"
mapping_file = "areas.json"

[[source]]
name = "schools"
files = ["schools.csv"]
reader = "service-inventory"
mapping = {_toml_table(MAPPINGS["schools.csv"])}

[[source]]
name = "calls"
files = "calls*.csv"
reader = "cad-calls"
optional = true
"""


def _run_other_city(tmp_path: Path) -> Path:
    data = _other_city(tmp_path / "data")
    recipe = _recipe(tmp_path, OTHER_CITY_RECIPE)
    (tmp_path / "areas.json").write_text(json.dumps(MAPPINGS["community_areas.geojson"]),
                                         encoding="utf-8")
    (tmp_path / "categories.csv").write_bytes((data / "categories.csv").read_bytes())
    workspace = tmp_path / "city.gpkg"
    assert main(["import", str(workspace), "--recipe", str(recipe), "--data-dir", str(data),
                 "--json"]) == 0
    return workspace


def test_a_recipe_imports_every_source_in_the_kinds_order(tmp_path: Path, capsys) -> None:
    workspace = Workspace.open(_run_other_city(tmp_path))
    reports = json.loads(capsys.readouterr().out)
    assert [r["reader"] for r in reports] == ["station-boundaries", "area-boundaries",
                                              "mapped-points", "service-inventory",
                                              "survey-scores"]
    assert sorted(workspace.layer("stations")["station_id"]) == ["20", "24"]
    incidents = workspace.layer("incidents")
    assert len(incidents) == 40
    by_source = dict(zip(incidents["source_category"], incidents["category"], strict=False))
    assert by_source == {"BATTERY": "offence_against_person", "CRIMINAL DAMAGE": "mischief"}
    tags = dict(zip(incidents["source_category"], incidents["tags"], strict=False))
    assert tags["CRIMINAL DAMAGE"] == "incivilities,property"
    assert set(workspace.layer("survey_scores")["area_id"]) == \
        set(workspace.layer("census_areas")["area_id"]) == {"rogers-park", "west-ridge"}
    stored = workspace.layer("category_mappings")
    assert set(stored["source_category"]) == {"BATTERY", "CRIMINAL DAMAGE"}
    assert reports[2]["options"]["mapping"] == MAPPINGS["crimes.csv"]


def test_the_recipe_of_imports_done_by_hand_repeats_them(tmp_path: Path) -> None:
    data = _other_city(tmp_path / "data")
    workspace = Workspace.create(tmp_path / "by_hand.gpkg")
    import_files(workspace, [data / "police_districts.geojson"], "station-boundaries",
                 {"mapping": MAPPINGS["police_districts.geojson"]})
    import_files(workspace, [data / "crimes.csv"], "mapped-points",
                 {"mapping": MAPPINGS["crimes.csv"]})
    saved = tmp_path / "saved.toml"
    saved.write_text(recipe_of(workspace), encoding="utf-8")
    recipe = load_recipe(saved)
    assert [(s.reader, s.files, s.mapping) for s in recipe.sources] == [
        ("station-boundaries", ("police_districts.geojson",),
         MAPPINGS["police_districts.geojson"]),
        ("mapped-points", ("crimes.csv",), MAPPINGS["crimes.csv"])]
    again = tmp_path / "again.gpkg"
    assert main(["import", str(again), "--recipe", str(saved), "--data-dir", str(data)]) == 0
    assert len(Workspace.open(again).layer("incidents")) == len(workspace.layer("incidents"))
    assert category_table(workspace).columns.tolist() == ["source_category", "category",
                                                          "tags"]


MALFORMED_RECIPES = [
    ("not toml", "[[source]\nname = 1", "not a valid TOML file"),
    ("unknown key", '[[source]]\nfiles = "a.csv"\nreader = "survey-scores"\nmaping = {}',
     "'maping' (did you mean 'mapping'?)"),
    ("no source", '[workspace]\ncrs = "EPSG:32188"', "the recipe names no source"),
    ("no files", '[[source]]\nreader = "survey-scores"', "'files' is missing"),
    ("optional not a boolean", '[[source]]\nname = "scores"\nfiles = "a.csv"\n'
     'reader = "survey-scores"\noptional = "yes"',
     "source 'scores': 'optional' must be true or false"),
    ("unknown reader", '[[source]]\nfiles = "a.csv"\nreader = "chicago"',
     "no reader is registered under this id"),
    ("mapping for a fixed layout", '[[source]]\nfiles = "a.csv"\nreader = "vpd-incidents"\n'
     'mapping = { category = "TYPE" }', "takes no column mapping"),
    ("unknown mapping key", '[[source]]\nname = "scores"\nfiles = "a.csv"\n'
     'reader = "survey-scores"\nmapping = { areas = "Zone" }',
     "source 'scores': Unknown key(s) in the mapping of source 'scores': 'areas' "
     "(did you mean 'area'?)"),
    ("bad mapping file", '[[source]]\nfiles = "a.csv"\nreader = "survey-scores"\n'
     'mapping_file = "broken.json"', "broken.json, line 1: not valid JSON"),
    ("no matching file", '[[source]]\nname = "scores"\nfiles = "nothing*.csv"\n'
     'reader = "survey-scores"', "source 'scores': no file matches nothing*.csv"),
    ("column not in the file", '[[source]]\nname = "districts"\n'
     'files = "police_districts.geojson"\nreader = "station-boundaries"\n'
     'mapping = { station_id = "district" }',
     "source 'districts': police_districts.geojson: the column mapping names column(s) not "
     "in the file: station_id -> 'district'"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in MALFORMED_RECIPES],
                         ids=[c[0] for c in MALFORMED_RECIPES])
def test_a_malformed_recipe_is_refused_in_one_line_naming_it(tmp_path: Path, capsys,
                                                            text: str, message: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    districts(data)
    (tmp_path / "broken.json").write_text("{name: ", encoding="utf-8")
    recipe = _recipe(tmp_path, text)
    workspace = tmp_path / "ws.gpkg"
    assert main(["import", str(workspace), "--recipe", str(recipe), "--data-dir",
                 str(data)]) == 1
    output = capsys.readouterr().err
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in output, output
    assert errors[0].startswith("Error: recipe.toml") and message in errors[0], output
    assert not workspace.exists()


def test_a_recipe_goes_alone_not_with_files_or_a_mapping(tmp_path: Path, capsys) -> None:
    recipe = _recipe(tmp_path, OTHER_CITY_RECIPE)
    assert main(["import", str(tmp_path / "ws.gpkg"), str(recipe), "--recipe", str(recipe),
                 "--mapping", str(recipe)]) == 1
    assert "FILE, --mapping cannot be given with --recipe" in capsys.readouterr().err


MALFORMED_CATEGORIES = [
    ("unknown category", "source_category,category\nBATTERY,assault\n",
     "categories.csv, row 2, column 'category': 'assault' is not a common category. "
     "Expected: one of break_and_enter"),
    ("unknown tag", "source_category,category,tags\nBATTERY,robbery,violence;gangs\n",
     "categories.csv, row 2, column 'tags': 'gangs' is not an issue tag."),
    ("repeated source", "source_category,category\nBATTERY,robbery\nTHEFT,other_theft\n"
     "BATTERY,mischief\n", "categories.csv, row 4, column 'source_category': 'BATTERY' is "
     "already mapped on row 2."),
    ("no category column", "source,common\nBATTERY,robbery\n",
     "categories.csv: no column was found for category"),
    ("empty category", "source_category,category\nBATTERY,\n",
     "row 2, column 'category': the common category is empty."),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in MALFORMED_CATEGORIES],
                         ids=[c[0] for c in MALFORMED_CATEGORIES])
def test_a_malformed_category_file_is_refused_naming_row_and_column(
        tmp_path: Path, capsys, text: str, message: str) -> None:
    workspace = Workspace.create(tmp_path / "ws.gpkg")
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": MAPPINGS["police_districts.geojson"]})
    before = hashlib.sha256(workspace.path.read_bytes()).hexdigest()
    (tmp_path / "categories.csv").write_text(text, encoding="utf-8")
    mapping = tmp_path / "crimes.json"
    mapping.write_text(json.dumps(MAPPINGS["crimes.csv"]), encoding="utf-8")
    assert main(["import", str(workspace.path), str(crimes(tmp_path)), "--reader",
                 "mapped-points", "--mapping", str(mapping), "--categories",
                 str(tmp_path / "categories.csv")]) == 1
    error = capsys.readouterr().err
    assert message in error, error
    assert hashlib.sha256(workspace.path.read_bytes()).hexdigest() == before


def test_categories_from_a_file_are_used_and_stored_like_the_apps_edits(
        tmp_path: Path, capsys) -> None:
    workspace = Workspace.create(tmp_path / "ws.gpkg")
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": MAPPINGS["police_districts.geojson"]})
    mapping = tmp_path / "crimes.json"
    mapping.write_text(json.dumps(MAPPINGS["crimes.csv"]), encoding="utf-8")
    assert main(["import", str(workspace.path), str(crimes(tmp_path)), "--reader",
                 "mapped-points", "--mapping", str(mapping), "--categories",
                 str(categories(tmp_path)), "--json"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert report["unmapped_categories"] == {}
    stored = Workspace.open(workspace.path).layer("category_mappings")
    assert sorted(zip(stored["source_category"], stored["category"], stored["tags"],
                      strict=True)) == [("BATTERY", "offence_against_person", "violence"),
                                        ("CRIMINAL DAMAGE", "mischief",
                                         "incivilities,property")]


def test_readers_json_lists_each_readers_fields_with_their_meaning(capsys) -> None:
    assert main(["readers", "--json"]) == 0
    readers = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    stations = readers["station-boundaries"]
    assert stations["kind"] == "stations" and "*.geojson" in stations["patterns"]
    station_id = next(f for f in stations["fields"] if f["name"] == "station_id")
    assert station_id["required"] is True and station_id["kind"] == "column"
    assert station_id["meaning"]["fr"].startswith("Numéro ou nom du poste")
    assert station_id["meaning"]["en"].startswith("Station number or name")
    assert readers["vpd-incidents"]["takes_mapping"] is False
    crs = next(f for f in readers["mapped-points"]["fields"] if f["name"] == "crs")
    assert crs["kind"] == "setting" and crs["required"] is False


def _station_figures(workspace: Path, station: str) -> dict[str, dict]:
    data = prepare(Workspace.open(workspace))
    portrait = build_portrait(data, station)
    return {section.id: {i.id: i.value for i in section.indicators}
            for section in portrait.sections}


@pytest.mark.shared_data
@pytest.mark.skipif(not (SHARED / "montreal").is_dir(), reason="../shared/data is not present")
def test_the_montreal_recipe_gives_a_station_population_and_services(tmp_path: Path) -> None:
    workspace = tmp_path / "montreal.gpkg"
    assert main(["import", str(workspace), "--recipe", str(ROOT / "recipes/montreal.toml"),
                 "--data-dir", str(SHARED / "montreal"), "--json"]) == 0
    figures = _station_figures(workspace, "38")
    assert figures["socio_economic"]["population"] > 10_000
    assert figures["services"]["services_in_station"] > 0
    assert Workspace.open(workspace).crs == "EPSG:32188"


@pytest.mark.shared_data
@pytest.mark.skipif(not (SHARED / "vancouver").is_dir(), reason="../shared/data is not present")
def test_the_vancouver_recipe_makes_local_areas_stations_with_everything(
        tmp_path: Path) -> None:
    workspace = tmp_path / "vancouver.gpkg"
    assert main(["import", str(workspace), "--recipe", str(ROOT / "recipes/vancouver.toml"),
                 "--data-dir", str(SHARED / "vancouver"), "--json"]) == 0
    figures = _station_figures(workspace, "Kitsilano")
    assert 40_000 < figures["socio_economic"]["population"] < 46_000  # 43,045 in 2016
    assert figures["crime"]["incidents_total"] > 1_000
    assert figures["services"]["services_in_station"] > 0
    assert Workspace.open(workspace).crs == "EPSG:26910"
