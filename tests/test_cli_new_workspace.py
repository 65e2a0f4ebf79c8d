"""`portrait new` and `portrait import --city`: a workspace in the city's metric CRS and with
its police's words; the command line's messages speak them."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely

from cli.main import main
from portrait.service_words import MONTREAL, words_of
from portrait.workspace import Workspace


def test_new_for_a_city_stores_its_utm_zone_and_words(tmp_path: Path, capsys) -> None:
    target = tmp_path / "vancouver.gpkg"
    assert main(["new", str(target), "--city", "vancouver", "--title", "VPD"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Created {target}: distances in NAD83 / UTM zone 10N (EPSG:26910); stations named "
        "like \"District 1\", city Vancouver.")
    workspace = Workspace.open(target)
    assert (workspace.crs, workspace.title) == ("EPSG:26910", "VPD")
    words = words_of(workspace)
    assert (words.station_term, words.service, words.city) == ("District", "VPD", "Vancouver")


def test_new_with_a_crs_keeps_montreals_words(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path / "w.gpkg"), "--crs", "EPSG:2950"]) == 0
    workspace = Workspace.open(tmp_path / "w.gpkg")
    assert workspace.crs == "EPSG:2950" and words_of(workspace) == MONTREAL


def test_an_unknown_city_or_a_crs_in_degrees_is_one_clear_line(tmp_path: Path,
                                                                capsys) -> None:
    assert main(["new", str(tmp_path / "a.gpkg"), "--city", "Atlantis"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Error: 'Atlantis' is not in the list of cities; give the workspace's metric CRS "
        "instead (--crs EPSG:NNNN), e.g. the UTM zone of the city's longitude.")
    assert main(["new", str(tmp_path / "b.gpkg"), "--crs", "EPSG:4326"]) == 1
    error = capsys.readouterr().err
    assert "units are not metres" in error and "32188" not in error
    assert not (tmp_path / "a.gpkg").exists() and not (tmp_path / "b.gpkg").exists()


def test_import_creates_the_workspace_of_the_city(tmp_path: Path, demo_files,
                                                  capsys) -> None:
    target = tmp_path / "kc.gpkg"
    assert main(["import", str(target), str(demo_files.stations), "--city", "Kansas City",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rows_kept"] > 0
    workspace = Workspace.open(target)
    assert workspace.crs == "EPSG:26915"
    assert words_of(workspace).station_term == "Division"
    assert main(["approve", str(target), "--station", "1", "--by", "A. Officer"]) == 0
    assert "(portrait, Division 1, " in capsys.readouterr().out


def test_stations_without_names_are_named_in_the_workspaces_words(tmp_path: Path,
                                                                  capsys) -> None:
    stations = gpd.GeoDataFrame(
        {"STATION": ["1", "2"]},
        geometry=[shapely.box(-94.60, 39.08, -94.58, 39.10),
                  shapely.box(-94.58, 39.08, -94.56, 39.10)], crs="EPSG:4326")
    boundaries = tmp_path / "divisions.geojson"
    stations.to_file(boundaries, driver="GeoJSON")
    target = tmp_path / "kc.gpkg"
    assert main(["import", str(target), str(boundaries), "--city", "Kansas City", "--json"]) \
        == 0, capsys.readouterr().err
    stored = Workspace.open(target).layer("stations")
    assert sorted(stored["name"]) == ["Division 1", "Division 2"]
