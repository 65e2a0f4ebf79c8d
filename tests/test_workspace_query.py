"""Station-scoped reads give exactly what reading every layer whole gives.

The portrait of each station of the default demo, read station by station from the derived
file, is the same JSON as read from whole layers; the rows, counts and points each scoped read
returns are those of the full read filtered the same way; an import or a removal refreshes
the city's counts.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_connectors.importer import import_files
from portrait import workspace_query
from portrait.calls.pathways import PathwayTable
from portrait.calls.prepared import prepare_calls
from portrait.engine import build_portrait, prepare
from portrait.errors import WorkspaceError
from portrait.imports import list_imports, remove_import
from portrait.portrait_data import PortraitData
from portrait.statistics.apportion import ApportionParameters
from portrait.workspace import Workspace
from portrait.workspace_query import ScopedCalls, ScopedIncidents, cache_path


@pytest.fixture(scope="module")
def default_demo(tmp_path_factory: pytest.TempPathFactory, today) -> Path:
    """The default demo city (10 stations, 40,000 incidents, 50,000 calls)."""
    from demo_city.build import build_demo

    return build_demo(tmp_path_factory.mktemp("default-demo"), size="default", seed=42,
                      today=today)


@pytest.fixture(scope="module")
def both(default_demo: Path) -> tuple[PortraitData, PortraitData]:
    """The default demo read whole, and read station by station from a file rebuilt a few
    thousand rows at a time from the GeoPackage (the batches must not show, nor that the
    import built it from the frames it had just saved: the same bytes as built then)."""
    full = PortraitData.from_workspace(Workspace.open(default_demo), ApportionParameters())
    built = cache_path(default_demo).read_bytes()
    cache_path(default_demo).unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workspace_query, "BUILD_BATCH_ROWS", 7_001)
        scoped = prepare(Workspace.open(default_demo))
    assert cache_path(default_demo).read_bytes() == built  # rebuilt, to the same bytes
    return full, scoped


def _json(portrait) -> dict:
    out = json.loads(portrait.to_json())
    out.pop("generated_at")
    return out


def test_the_demo_build_leaves_the_derived_file_current(default_demo: Path) -> None:
    assert cache_path(default_demo).is_file()
    assert not list(default_demo.parent.glob(".*.building*"))
    built = cache_path(default_demo).stat().st_mtime_ns
    scoped = prepare(Workspace.open(default_demo))
    assert cache_path(default_demo).stat().st_mtime_ns == built  # current: not rebuilt
    assert isinstance(scoped.incidents, ScopedIncidents)
    assert isinstance(scoped.cache["calls"], ScopedCalls)
    assert scoped.incidents.frame.empty  # nothing city-wide was read


@pytest.mark.parametrize("period", [None, ("2025-03-15", "2026-02-10")])
def test_every_station_portrait_is_identical_read_whole_or_by_station(both, period) -> None:
    full, scoped = both
    assert full.station_ids == scoped.station_ids and len(full.station_ids) == 10
    for station_id in full.station_ids:
        assert _json(build_portrait(scoped, station_id, period)) == \
            _json(build_portrait(full, station_id, period)), station_id


def test_scoped_reads_return_the_rows_of_the_full_read_filtered(both) -> None:
    full, scoped = both
    rng = np.random.default_rng(3)
    first, last = full.incidents.first_date, full.incidents.last_date
    span = (last - first).days
    table = PathwayTable.of_workspace(full.call_pathways)
    calls = prepare_calls(full.calls, table)
    assert scoped.incidents.busiest() == full.incidents.busiest() == \
        full.incidents.frame["station"].value_counts().index[0]
    stations = list(rng.choice(full.station_ids, size=4, replace=False)) + ["absent"]
    for station_id in stations:
        rows, tags = full.incidents.of(station_id)
        got_rows, got_tags = scoped.incidents.of(station_id)
        pd.testing.assert_frame_equal(got_rows, rows)
        assert np.array_equal(got_tags, tags)
        call_rows, classified = calls.of(station_id)
        got_calls, got_classified = scoped.cache["calls"].of(station_id)
        pd.testing.assert_frame_equal(got_calls, call_rows)
        for name in ("pathway", "alternative", "rule", "self_initiated"):
            assert np.array_equal(getattr(got_classified, name), getattr(classified, name))
    for _ in range(6):
        start = first + pd.Timedelta(days=int(rng.integers(0, span)))
        end = start + pd.Timedelta(days=int(rng.integers(0, 400)))
        expected = full.incidents.period_counts(start, end)
        got = scoped.incidents.period_counts(start, end)
        pd.testing.assert_frame_equal(got.by_category, expected.by_category)
        pd.testing.assert_frame_equal(got.by_tag, expected.by_tag)
        pd.testing.assert_series_equal(got.totals, expected.totals)
        assert scoped.cache["calls"].unplaced(start, end) == calls.unplaced(start, end)
        station_id = str(rng.choice(full.station_ids))
        margin = rng.uniform(10, 500, size=4)  # the station's box, a bit beyond it
        minx, miny, maxx, maxy = full.polygon(station_id).bounds
        box = (minx - margin[0], miny - margin[1], maxx + margin[2], maxy + margin[3])
        for period in ((start, end), (None, None)):
            x, y = full.incidents.others_in_box(*period, box, station_id)
            got_x, got_y = scoped.incidents.others_in_box(*period, box, station_id)
            assert len(x) > 0 or period[0] is not None
            assert np.array_equal(got_x, x) and np.array_equal(got_y, y)


def test_unsaved_incidents_are_read_from_memory_not_from_the_file(default_demo: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)
    workspace = Workspace.open(path)
    workspace.set_layer("incidents", workspace.layer("incidents").iloc[:100])
    data = prepare(workspace)
    assert not isinstance(data.incidents, ScopedIncidents)
    assert len(data.incidents.frame) == 100


def test_an_import_and_its_removal_refresh_the_city_counts(demo_files, tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    import_files(Workspace.create(path), [demo_files.stations, demo_files.da_boundaries,
                                          demo_files.census_profile, demo_files.incidents])
    more = tmp_path / "more" / "actes-criminels-2.csv"
    more.parent.mkdir()
    frame = pd.read_csv(demo_files.incidents, dtype=str, keep_default_na=False)
    frame.iloc[: len(frame) // 3].to_csv(more, index=False)

    def city_total() -> int:
        data = prepare(Workspace.open(path))
        assert isinstance(data.incidents, ScopedIncidents)
        counts = data.period_counts(data.incidents.first_date, data.incidents.last_date)
        full = PortraitData.from_workspace(Workspace.open(path), ApportionParameters())
        expected = full.period_counts(full.incidents.first_date, full.incidents.last_date)
        pd.testing.assert_frame_equal(counts.by_category, expected.by_category)
        return int(counts.totals.sum())

    before = city_total()
    workspace = Workspace.open(path)
    import_files(workspace, [more])
    stamp = cache_path(path).stat().st_mtime_ns
    after_import = city_total()
    assert cache_path(path).stat().st_mtime_ns == stamp  # refreshed by the import itself
    assert after_import > before
    added = next(e for e in list_imports(workspace) if e.source_path.endswith(more.name))
    remove_import(workspace, added.import_id)
    assert city_total() == before


def test_a_folder_that_refuses_the_file_means_reading_layers_whole(default_demo: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(workspace_query.os, "replace", refuse)
    data = prepare(Workspace.open(path))
    assert not isinstance(data.incidents, ScopedIncidents)
    assert not cache_path(path).exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_a_workspace_saved_over_while_the_file_is_built_is_read_whole(
        default_demo: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)
    write_calls = workspace_query._write_calls

    def saved_meanwhile(*args, **kwargs):  # another program saves between two layers
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("UPDATE gpkg_contents SET last_change = '2099-01-01T00:00:00Z' "
                               "WHERE table_name = 'incidents'")
        return write_calls(*args, **kwargs)

    monkeypatch.setattr(workspace_query, "_write_calls", saved_meanwhile)
    data = prepare(Workspace.open(path))
    assert not isinstance(data.incidents, ScopedIncidents)
    assert not cache_path(path).exists() and not list(tmp_path.glob("*.tmp"))


def test_rows_replaced_by_as_many_are_seen_even_without_a_new_last_change(
        default_demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)
    shutil.copyfile(cache_path(default_demo), cache_path(path))  # current for the copy
    before = prepare(Workspace.open(path))
    assert isinstance(before.incidents, ScopedIncidents)
    span = (before.incidents.first_date, before.incidents.last_date)
    homicides = int(before.period_counts(*span).by_category["homicide"].sum())
    with closing(sqlite3.connect(path)) as connection, connection:  # a bare SQLite writer
        connection.execute("DELETE FROM incidents WHERE fid IN (SELECT fid FROM incidents "
                           "WHERE category != 'homicide' LIMIT 300)")
        connection.execute("INSERT INTO incidents (geom, source, category, date, station_id) "
                           "SELECT geom, source, 'homicide', date, station_id FROM incidents "
                           "ORDER BY fid LIMIT 300")
    data = prepare(Workspace.open(path))
    full = PortraitData.from_workspace(Workspace.open(path), ApportionParameters())
    got, expected = data.period_counts(*span), full.period_counts(*span)
    pd.testing.assert_frame_equal(got.by_category, expected.by_category)
    assert int(got.by_category["homicide"].sum()) > homicides
    with pytest.raises(WorkspaceError, match="changed while the portrait was read"):
        before.incidents.of(before.station_ids[0])  # its file was rebuilt meanwhile


def test_two_stations_read_at_once_never_get_each_others_rows(both, monkeypatch) -> None:
    _, scoped = both
    incidents = scoped.incidents
    first, second = scoped.station_ids[:2]
    read = incidents._read

    def interleaved(station_id: str):  # another thread reads the second station meanwhile
        if station_id == first:
            incidents.of(second)
        return read(station_id)

    incidents.memo.clear()
    monkeypatch.setattr(incidents, "_read", interleaved)
    assert set(incidents.of(first)[0]["station"]) == {first}
    assert set(incidents.of(second)[0]["station"]) == {second}


@pytest.mark.parametrize("dtype", ["string", "str"])
def test_text_made_per_label_is_the_text_made_per_row(dtype: str) -> None:
    """A station's call columns are made from codes into labels, one value per label: the
    same values, dtype and numpy width as converting every row."""
    labels = np.array([None, "divert", "police-response-unit", "é"], dtype=object)
    codes = np.array([1, 1, 0, 3, 1], dtype=np.int32)  # the long label unused
    by_row = labels[codes]
    pd.testing.assert_extension_array_equal(workspace_query._text(codes, labels, dtype),
                                            pd.Series(by_row).astype(dtype).array)
    got, expected = workspace_query._numpy_text(codes, labels), by_row.astype(str)
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()


def _rebuilt_bytes(path: Path) -> bytes:
    """The derived file built from nothing but the GeoPackage (no earlier file to keep
    blocks from, no layer in memory)."""
    kept = cache_path(path).read_bytes()
    cache_path(path).unlink()
    assert workspace_query.refresh(Workspace.open(path))
    rebuilt = cache_path(path).read_bytes()
    cache_path(path).write_bytes(kept)
    return rebuilt


def test_an_incidents_import_keeps_the_calls_blocks_to_the_same_bytes(
        default_demo: Path, demo_files, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)
    shutil.copyfile(cache_path(default_demo), cache_path(path))
    more = tmp_path / "more" / "actes-criminels-2.csv"
    more.parent.mkdir()
    pd.read_csv(demo_files.incidents, dtype=str, keep_default_na=False).iloc[:500].to_csv(
        more, index=False)
    with monkeypatch.context() as patch:  # the calls did not change: not derived again
        patch.setattr(workspace_query, "_write_calls", None)
        import_files(Workspace.open(path), [more])
    assert cache_path(path).read_bytes() == _rebuilt_bytes(path)
    data = prepare(Workspace.open(path))
    assert isinstance(data.cache["calls"], ScopedCalls)


def test_changed_calls_are_derived_again(default_demo: Path, tmp_path: Path,
                                         monkeypatch) -> None:
    path = tmp_path / "copy.gpkg"
    shutil.copyfile(default_demo, path)
    shutil.copyfile(cache_path(default_demo), cache_path(path))
    workspace = Workspace.open(path)
    calls = workspace.layer("calls")
    workspace.set_layer("calls", calls.iloc[: len(calls) // 2])
    workspace.save()
    derived, write_calls = [], workspace_query._write_calls
    monkeypatch.setattr(workspace_query, "_write_calls",
                        lambda *args: derived.append(True) or write_calls(*args))
    assert workspace_query.refresh(Workspace.open(path))
    assert derived == [True]
    monkeypatch.undo()
    assert cache_path(path).read_bytes() == _rebuilt_bytes(path)
