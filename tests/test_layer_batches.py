"""Reading a point layer a batch at a time gives what reading it whole gives.

Each case writes a small layer, reads it back in batches of a few rows, and compares with the
whole read the workspace makes (``pyogrio`` then ``conform``): the columns asked for, and x
and y. Files the fast path does not recognise (another CRS, an empty or 3D point, dates with
a time zone) must be read the usual way, never misread.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from portrait.layer_batches import batches
from portrait.layers import INCIDENTS, conform
from portrait.workspace import Workspace

COLUMNS = ("source", "category", "date", "time_known", "station_id", "tags")
CRS = "EPSG:32188"


def _incidents(rows: int, seed: int = 5) -> gpd.GeoDataFrame:
    """Incidents as an import leaves them: some without a point, a date, a category."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(290_000, 300_000, rows)
    y = rng.uniform(5_040_000, 5_050_000, rows)
    geometry = [None if i % 5 == 3 else shapely.Point(a, b)
                for i, (a, b) in enumerate(zip(x, y, strict=True))]
    dates = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 10**8, rows), unit="s") + pd.to_timedelta(
        rng.integers(0, 1000, rows), unit="ms"))
    dates[::7] = pd.NaT
    frame = pd.DataFrame({
        "source": "spvm:actes.csv",
        "source_category": rng.choice(["Vol", "Méfait", "Introduction"], rows),
        "category": pd.Series(rng.choice(["theft", "mischief", None], rows), dtype="string"),
        "date": dates,
        "time_known": pd.Series(rng.choice([True, False, None], rows), dtype="boolean"),
        "station_id": rng.choice(["7", "12", "38"], rows),
        "tags": pd.Series(rng.choice(["property", "property,vehicles", None], rows),
                          dtype="string"),
    })
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def _whole(path: Path) -> gpd.GeoDataFrame:
    """The layer as ``Workspace.layer`` reads it."""
    return conform(pyogrio.read_dataframe(path, layer="incidents", use_arrow=True), INCIDENTS,
                   CRS)


def _read(path: Path, rows: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list[bool]]:
    """The batches joined, x and y (from the geometry when a batch kept it), and which
    batches were read without geometries."""
    frames, xs, ys, fast = [], [], [], []
    for batch in batches(path, INCIDENTS, COLUMNS, CRS, rows):
        frames.append(batch.frame[list(COLUMNS)])
        fast.append(batch.coordinates is not None)
        if batch.coordinates is not None:
            assert not isinstance(batch.frame, gpd.GeoDataFrame)
            x, y = batch.coordinates
        else:
            points = batch.frame.geometry.to_numpy()
            x, y = np.full(len(points), np.nan), np.full(len(points), np.nan)
            present = ~shapely.is_missing(points) & ~shapely.is_empty(points)
            x[present], y[present] = shapely.get_x(points[present]), shapely.get_y(
                points[present])
        xs.append(x)
        ys.append(y)
    return pd.concat(frames, ignore_index=True), np.concatenate(xs), np.concatenate(ys), fast


def _assert_as_whole(path: Path, rows: int = 7) -> list[bool]:
    whole = _whole(path)
    frame, x, y, fast = _read(path, rows)
    pd.testing.assert_frame_equal(frame, whole[list(COLUMNS)])
    points = whole.geometry.to_numpy()
    present = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    assert np.array_equal(np.isnan(x), ~present) and np.array_equal(np.isnan(y), ~present)
    assert np.array_equal(x[present], shapely.get_x(points[present]))
    assert np.array_equal(y[present], shapely.get_y(points[present]))
    assert len(fast) == -(-len(whole) // rows)
    return fast


def test_a_saved_workspace_is_read_without_geometries_as_it_reads_whole(tmp_path: Path):
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", _incidents(60))
    workspace.save()
    assert all(_assert_as_whole(path))


def test_a_layer_written_by_gdal_is_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "gdal.gpkg"
    pyogrio.write_dataframe(_incidents(40), path, layer="incidents")
    assert all(_assert_as_whole(path, rows=9))


def test_a_workspace_of_the_first_release_is_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "old.gpkg"  # columns added since (time_known) come back empty
    shutil.copyfile(Path(__file__).resolve().parent / "data" / "workspace_schema1.gpkg", path)
    assert all(_assert_as_whole(path, rows=15))


def test_a_layer_in_another_crs_is_reprojected_as_the_whole_read_does(tmp_path: Path) -> None:
    path = tmp_path / "wgs84.gpkg"
    pyogrio.write_dataframe(_incidents(30).to_crs("EPSG:4326"), path, layer="incidents")
    assert not any(_assert_as_whole(path))


@pytest.mark.parametrize("odd", [shapely.Point(), shapely.Point(295_000, 5_045_000, 12.0)],
                         ids=["empty point", "3D point"])
def test_a_batch_with_a_point_not_read_in_place_is_read_the_usual_way(tmp_path: Path,
                                                                        odd) -> None:
    path = tmp_path / "odd.gpkg"
    frame = _incidents(21)
    frame.loc[10, "geometry"] = odd
    pyogrio.write_dataframe(frame, path, layer="incidents")
    fast = _read(path, rows=7)[3]
    assert fast == [True, False, True]  # only the batch holding it
    if not shapely.is_empty(odd):
        _assert_as_whole(path)


def test_dates_with_a_time_zone_are_refused_as_the_whole_read_refuses_them(tmp_path: Path):
    path = tmp_path / "zoned.gpkg"
    frame = _incidents(14)
    frame["date"] = frame["date"].dt.tz_localize("UTC")
    pyogrio.write_dataframe(frame, path, layer="incidents")
    with pytest.raises(TypeError) as whole:
        _whole(path)
    with pytest.raises(TypeError) as batched:
        _read(path, rows=7)
    assert str(batched.value) == str(whole.value)


def test_a_file_without_the_layer_or_its_rows_gives_no_batch(tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.save()
    assert list(batches(path, INCIDENTS, COLUMNS, CRS, 7)) == []
    workspace.set_layer("incidents", _incidents(0))
    workspace.save()
    assert list(batches(path, INCIDENTS, COLUMNS, CRS, 7)) == []


def _batched(path: Path, held: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    found = list(batches(path, INCIDENTS, COLUMNS, CRS, 7, held=held))
    return (pd.concat([b.frame for b in found], ignore_index=True),
            *(np.concatenate([getattr(b, axis) for b in found]) for axis in ("x", "y")))


def _assert_same(got: tuple, expected: tuple) -> None:
    pd.testing.assert_frame_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])


def test_a_layer_held_as_saved_is_sliced_as_the_file_reads(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", _incidents(60))
    assert workspace.saved_frame("incidents") is None  # not in the file yet
    workspace.save()
    held = workspace.saved_frame("incidents")
    assert held is not None
    expected = _batched(path, None)
    monkeypatch.setattr(pyogrio, "read_arrow", None)  # the file's rows are not read again
    monkeypatch.setattr(pyogrio, "read_dataframe", None)
    _assert_same(_batched(path, held), expected)


def test_a_layer_changed_since_it_was_saved_is_not_held(tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", _incidents(20))
    workspace.save()
    other = Workspace.open(path)  # another program saves the file meanwhile
    other.set_layer("incidents", _incidents(20, seed=6))
    other.save()
    assert workspace.saved_frame("incidents") is None
    assert other.saved_frame("incidents") is not None
    other.set_layer("incidents", _incidents(5))
    assert other.saved_frame("incidents") is None


@pytest.mark.parametrize("case", ["finer than a millisecond", "feature ids with gaps"])
def test_a_held_layer_the_file_gives_otherwise_is_read_from_the_file(tmp_path: Path,
                                                                     case: str) -> None:
    path = tmp_path / "w.gpkg"
    frame = _incidents(30)
    if case == "finer than a millisecond":
        frame.loc[4, "date"] += pd.Timedelta(microseconds=3)  # the file keeps milliseconds
    workspace = Workspace.create(path)
    workspace.set_layer("incidents", frame)
    workspace.save()
    held = workspace.saved_frame("incidents")
    if case == "feature ids with gaps":
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("DELETE FROM incidents WHERE fid IN (3, 17)")
        held = held.drop(index=[2, 16]).reset_index(drop=True)  # as the file now holds
    _assert_same(_batched(path, held), _batched(path, None))
