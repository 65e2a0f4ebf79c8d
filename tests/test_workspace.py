"""The workspace file: round trips, atomic saves, and clear refusals."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from portrait import geopackage
from portrait.errors import NewerSchemaError, NotAWorkspaceError, WorkspaceError
from portrait.layers import ALL_LAYERS
from portrait.workspace import METADATA_TABLE, SCHEMA_VERSION, Workspace


def _stations() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"station_id": ["38", "4"], "name": ["PDQ 38", "PDQ 4"]},
        geometry=[shapely.box(290_000, 5_040_000, 291_000, 5_041_000),
                  shapely.box(291_000, 5_040_000, 292_000, 5_041_000)],
        crs="EPSG:32188",
    )


def _incidents(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    geometry = shapely.points(rng.uniform(290_000, 292_000, n),
                              rng.uniform(5_040_000, 5_041_000, n))
    geometry[::50] = None  # incidents without a location are kept
    return gpd.GeoDataFrame(
        {
            "source_category": rng.choice(["Méfait", "Introduction"], n),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), "D"),
            "shift": rng.choice(["jour", "soir", "nuit"], n),
            "station_id": rng.choice(["38", "4"], n),
        },
        geometry=geometry, crs="EPSG:32188",
    )


def test_new_workspace_is_a_geopackage_listing_every_layer(tmp_path: Path) -> None:
    path = tmp_path / "portrait.gpkg"
    Workspace.create(path, title="Essai")
    with sqlite3.connect(path) as connection:
        contents = {row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")}
        version = connection.execute(
            f"SELECT value FROM {METADATA_TABLE} WHERE key = 'schema_version'").fetchone()[0]
    assert {spec.name for spec in ALL_LAYERS} <= contents
    assert int(version) == SCHEMA_VERSION
    assert {spec.name for spec in ALL_LAYERS} <= {name for name, _ in pyogrio.list_layers(path)}
    assert Workspace.open(path).title == "Essai"


def test_layers_round_trip_with_types_and_missing_geometries(tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("stations", _stations())
    workspace.set_layer("incidents", _incidents(200))
    workspace.save()

    reopened = Workspace.open(path)
    incidents = reopened.layer("incidents")
    assert len(incidents) == 200
    assert incidents.crs == "EPSG:32188"
    assert incidents.geometry.isna().sum() == 4
    assert str(incidents["date"].dtype) == "datetime64[ns]"
    assert incidents["source_category"].iloc[0] == _incidents(200)["source_category"].iloc[0]
    assert sorted(reopened.layer("stations")["station_id"]) == ["38", "4"]
    assert reopened.layer("stations").geom_type.eq("MultiPolygon").all()


def test_layers_replaced_in_place_read_back_whole_and_in_order(tmp_path: Path,
                                                               monkeypatch) -> None:
    """A layer saved in place over a larger one (a new table swapped in) keeps no old row;
    rows are encoded a slice at a time."""
    monkeypatch.setattr(geopackage, "ENCODE_ROWS", 7)
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", _incidents(300))
    workspace.save()
    written = _incidents(100)
    workspace.set_layer("incidents", written)
    workspace.set_layer("stations", _stations())
    workspace.save()

    incidents = Workspace.open(path).layer("incidents")
    assert list(incidents["source_category"]) == list(written["source_category"])
    assert list(incidents["date"]) == list(written["date"])
    assert incidents.geometry.isna().sum() == written.geometry.isna().sum() == 2
    located = written.geometry.notna().to_numpy()
    assert incidents.geometry[located].geom_equals(written.geometry[located]).all()
    assert Workspace.open(path).layer("records").empty  # an empty spatial layer too


def test_an_empty_layer_is_read_as_gdal_reads_it_without_opening_it(tmp_path: Path,
                                                                     monkeypatch) -> None:
    """Opening the file through GDAL cost a report 4-6 ms for each empty layer: an empty
    layer is known from SQLite, and is the frame GDAL's read gives; one with rows is read."""
    from portrait.layers import conform, spec_for

    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("stations", _stations())
    workspace.save()
    names = ["stations", "records", "call_pathways", "survey_scores"]
    by_gdal = {name: conform(pyogrio.read_dataframe(
        path, layer=name, read_geometry=spec_for(name).is_spatial, use_arrow=True),
        spec_for(name)) for name in names}
    opened = []
    original = pyogrio.read_dataframe
    monkeypatch.setattr(pyogrio, "read_dataframe",
                        lambda *args, **kwargs: opened.append(kwargs["layer"]) or
                        original(*args, **kwargs))
    reopened = Workspace.open(path)
    for name in names:
        pd.testing.assert_frame_equal(reopened.layer(name), by_gdal[name], check_exact=True,
                                      check_index_type=True, check_column_type=True,
                                      check_frame_type=True)
    assert opened == ["stations"]


def test_save_as_copies_every_layer(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "a.gpkg")
    workspace.set_layer("stations", _stations())
    workspace.save()
    reopened = Workspace.open(tmp_path / "a.gpkg")
    reopened.save(tmp_path / "b.gpkg")
    assert len(Workspace.open(tmp_path / "b.gpkg").layer("stations")) == 2


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    Workspace.create(tmp_path / "w.gpkg")
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(tmp_path / "w.gpkg")


def test_opening_a_text_file_says_it_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "incidents.gpkg"
    path.write_text("CATEGORIE,DATE\n", encoding="utf-8")
    with pytest.raises(NotAWorkspaceError, match="not a GeoPackage"):
        Workspace.open(path)


def test_opening_a_plain_geopackage_says_it_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "layers.gpkg"
    pyogrio.write_dataframe(_stations(), path, layer="pdq")
    with pytest.raises(NotAWorkspaceError, match="not a Portrait de quartier workspace"):
        Workspace.open(path)


def test_opening_a_newer_schema_asks_for_an_update(tmp_path: Path) -> None:
    path = tmp_path / "future.gpkg"
    Workspace.create(path)
    with sqlite3.connect(path) as connection:
        connection.execute(f"UPDATE {METADATA_TABLE} SET value = ? WHERE key = 'schema_version'",
                           (str(SCHEMA_VERSION + 1),))
    with pytest.raises(NewerSchemaError, match="newer version"):
        Workspace.open(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.open(tmp_path / "nothing.gpkg")


_SAVER = textwrap.dedent(
    """
    import sys
    import numpy as np, shapely, geopandas as gpd, pandas as pd
    from portrait import geopackage
    from portrait.workspace import Workspace
    geopackage.CACHE_KIB = 512  # SQLite writes into the file long before the commit
    workspace = Workspace.open(sys.argv[1])
    n = 400_000
    rng = np.random.default_rng(1)
    frame = gpd.GeoDataFrame(
        {"source_category": ["Méfait"] * n, "date": [pd.Timestamp("2025-01-01")] * n},
        geometry=shapely.points(rng.uniform(0, 1e4, n), rng.uniform(0, 1e4, n)), crs=32188)
    workspace.set_layer("incidents", frame)
    print("saving", flush=True)
    workspace.save()
    """
)


def test_killing_a_save_midway_keeps_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", _incidents(300))
    workspace.save()
    before = path.read_bytes()

    process = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "saving"
    journal = path.with_name("w.gpkg-journal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and path.stat().st_size <= len(before):
        time.sleep(0.01)
    assert path.stat().st_size > len(before), "the save never wrote into the file"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert journal.exists() and path.read_bytes() != before  # pages of the killed save
    assert len(Workspace.open(path).layer("incidents")) == 300  # rolled back on opening
    assert not journal.exists() and path.read_bytes() == before

    survivor = Workspace.open(path)
    survivor.set_metadata("title", "after the crash")
    survivor.save()
    assert Workspace.open(path).title == "after the crash"


def test_failed_save_leaves_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    before = path.read_bytes()
    workspace.set_layer("stations", _stations())

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("portrait.workspace._write_metadata", broken)
    with pytest.raises(WorkspaceError, match="disk full.*left as it was"):
        workspace.save()
    assert path.read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".w.gpkg")]
    assert workspace.is_modified


def test_a_workspace_keeps_its_own_metric_crs(tmp_path: Path) -> None:
    path = tmp_path / "utm.gpkg"
    workspace = Workspace.create(path, crs="EPSG:32618")  # UTM zone 18N also covers Montréal
    workspace.set_layer("stations", _stations())  # arrives in EPSG:32188
    workspace.save()
    reopened = Workspace.open(path)
    assert reopened.crs == "EPSG:32618"
    stations = reopened.layer("stations")
    assert stations.crs == "EPSG:32618"
    assert stations.area.sum() == pytest.approx(_stations().area.sum(), rel=0.002)
    assert stations.total_bounds[0] < 700_000  # UTM eastings, not MTM ones (about 290,000)
    assert stations.total_bounds[0] > 500_000
    assert reopened.layer("incidents").crs == "EPSG:32618"  # empty layers too


def test_a_workspace_in_degrees_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="units are not metres"):
        Workspace.create(tmp_path / "w.gpkg", crs="EPSG:4326")
    assert not (tmp_path / "w.gpkg").exists()
