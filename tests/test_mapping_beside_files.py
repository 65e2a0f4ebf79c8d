"""Files a mapping names (an area -> station table, question labels, lookups) are found beside
the mapping file or the recipe, then beside the data file: an export's data folder is often
read-only, so the officer keeps the tables with the mapping (as docs/mapping.md's Kansas City
example does)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from data_connectors.column_mapping import read_mapping_file
from portrait.workspace import Workspace

CALLS = pd.DataFrame({
    "incident_num": ["E1", "E2", "E3", "E4"],
    "date_time": ["2023-01-01 00:10:00", "2023-01-01 01:20:00", "2023-01-02 13:00:00",
                  "2023-01-03 22:45:00"],
    "call_type": ["415", "459A", "CW", "415"],
    "beat": ["111", "121", "121", "999"],
})


def _layout(tmp_path: Path, table_beside: str) -> tuple[Path, Path]:
    """A calls export in its own folder, a mapping in the officer's folder, and the beat ->
    station table beside one of them."""
    data, mine = tmp_path / "export", tmp_path / "mine"
    data.mkdir()
    mine.mkdir()
    calls = data / "calls.csv"
    CALLS.to_csv(calls, index=False)
    (data if table_beside == "data" else mine).joinpath("beats.csv").write_text(
        "beat,station\n111,1\n121,2\n")
    mapping = mine / "calls.json"
    mapping.write_text(json.dumps({"id": "incident_num", "received": "date_time",
                                   "call_type": "call_type", "area": "beat",
                                   "area_stations": "beats.csv"}))
    return calls, mapping


def _stations(workspace: Path) -> list:
    calls = Workspace.open(workspace).layer("calls").sort_values("call_id")
    return calls["station_id"].tolist()


@pytest.mark.parametrize("table_beside", ["mapping", "data"])
def test_the_table_beside_the_mapping_or_the_data_places_the_calls(
        tmp_path: Path, table_beside: str) -> None:
    calls, mapping = _layout(tmp_path, table_beside=table_beside)
    workspace = tmp_path / "city.gpkg"
    assert main(["import", str(workspace), str(calls), "--reader", "cad-calls",
                 "--mapping", str(mapping)]) == 0
    stations = _stations(workspace)
    assert stations[:3] == ["1", "2", "2"]
    assert pd.isna(stations[3])  # beat 999 is not in the table


def test_only_file_settings_found_beside_the_mapping_are_anchored(tmp_path: Path) -> None:
    _, mapping = _layout(tmp_path, table_beside="mapping")
    mapping.write_text(json.dumps({"area": "beats.csv", "area_stations": "beats.csv",
                                   "question_labels": "labels.txt"}))
    read = read_mapping_file(mapping)
    assert read["area_stations"] == str(mapping.parent.resolve() / "beats.csv")
    assert read["area"] == "beats.csv"  # a column name, whatever it looks like
    assert read["question_labels"] == "labels.txt"  # not beside the mapping: left as written


def test_a_recipe_finds_the_table_beside_itself(tmp_path: Path) -> None:
    calls, mapping = _layout(tmp_path, table_beside="mapping")
    recipe = mapping.parent / "city.toml"
    recipe.write_text('[[source]]\nname = "calls"\nfiles = "calls.csv"\nreader = "cad-calls"\n'
                      'mapping = { received = "date_time", call_type = "call_type", '
                      'area = "beat", area_stations = "beats.csv" }\n')
    workspace = tmp_path / "city.gpkg"
    assert main(["import", str(workspace), "--recipe", str(recipe),
                 "--data-dir", str(calls.parent)]) == 0
    assert _stations(workspace)[:3] == ["1", "2", "2"]
