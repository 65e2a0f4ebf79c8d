"""The census kept beside a workspace is the census computed, and is only read back for the
layers, thresholds and code it was computed from."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from portrait import census_store
from portrait.engine import build_portrait, prepare
from portrait.portrait_data import Census, census_of, prepare_stations
from portrait.statistics.apportion import ApportionParameters, ApportionResult
from portrait.workspace import Workspace
from portrait.workspace_query import fingerprint


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, today) -> Path:
    from demo_city.build import build_demo

    return build_demo(tmp_path_factory.mktemp("census-store"), size="small", seed=7,
                      today=today)


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.gpkg"
    path.write_bytes(demo.read_bytes())
    return path


DEFAULT = ApportionParameters()


def _census(path: Path, parameters: ApportionParameters = DEFAULT,
            workspace: Workspace | None = None) -> Census:
    workspace = workspace or Workspace.open(path)
    return census_store.census(workspace, prepare_stations(workspace.layer("stations")),
                               parameters, lambda layers: fingerprint(path, layers))


def _computing(monkeypatch) -> list[int]:
    """Counts the census computed (not read back) from now on."""
    computed = []

    def counted(*args):
        computed.append(1)
        return census_of(*args)

    monkeypatch.setattr(census_store, "census_of", counted)
    return computed


def _assert_same(kept: Census, computed: Census) -> None:
    for item in dataclasses.fields(Census):
        left, right = getattr(kept, item.name), getattr(computed, item.name)
        if isinstance(left, ApportionResult):
            for part in ("values", "value_coverage", "suppressed"):
                pd.testing.assert_frame_equal(getattr(left, part), getattr(right, part),
                                              check_exact=True, check_index_type=True,
                                              check_column_type=True)
            assert (left.approximate, left.parameters) == (right.approximate, right.parameters)
        elif isinstance(left, pd.DataFrame):
            pd.testing.assert_frame_equal(left, right, check_exact=True,
                                          check_index_type=True, check_column_type=True)
            if isinstance(right, gpd.GeoDataFrame):
                assert isinstance(left, gpd.GeoDataFrame) and left.crs == right.crs
                assert left.geometry.name == right.geometry.name
                assert shapely.to_wkb(left.geometry.values).tolist() == \
                    shapely.to_wkb(right.geometry.values).tolist()
        elif isinstance(left, pd.Series):
            pd.testing.assert_series_equal(left, right, check_exact=True,
                                           check_index_type=True)
        else:
            assert left == right, item.name


def test_every_field_of_the_census_is_kept_or_made_again() -> None:
    assert sorted((*census_store.STORED, *census_store.RECOMPUTED)) == sorted(
        f.name for f in dataclasses.fields(Census))


def test_the_census_read_back_is_the_census_computed(copy: Path, monkeypatch) -> None:
    computed = _computing(monkeypatch)
    first = _census(copy)
    assert census_store.census_path(copy).is_file() and len(computed) == 1
    again = _census(copy)  # another process, as a report started later
    assert len(computed) == 1
    _assert_same(again, first)
    workspace = Workspace.open(copy)
    _assert_same(again, census_of(workspace, prepare_stations(workspace.layer("stations")),
                                  ApportionParameters()))


def test_a_portrait_from_the_census_read_back_is_the_same(copy: Path, monkeypatch) -> None:
    def portraits() -> list[dict]:
        data = prepare(Workspace.open(copy))
        out = [json.loads(build_portrait(data, s).to_json()) for s in data.station_ids]
        for portrait in out:
            portrait.pop("generated_at")
        return out

    computed = _computing(monkeypatch)
    first = portraits()
    assert len(computed) == 1
    read = []
    original = Workspace._read_layer
    monkeypatch.setattr(Workspace, "_read_layer",
                        lambda self, spec: read.append(spec.name) or original(self, spec))
    assert portraits() == first and len(computed) == 1
    assert "stations" in read and not {"census_areas", "census_values"} & set(read)


def test_a_workspace_changing_its_census_in_memory_prepares_it_again(copy: Path) -> None:
    workspace = Workspace.open(copy)

    def population() -> float:
        return prepare(workspace).census.city.values["population"].iloc[0]

    before = population()
    assert prepare(workspace) is prepare(workspace)
    for factor, times in ((2, 2), (3, 6), (1 / 3, 2)):  # each change seen, unsaved
        values = workspace.layer("census_values")
        workspace.set_layer("census_values", values.assign(value=values["value"].where(
            values["indicator_id"] != "population", values["value"] * factor)))
        assert population() == pytest.approx(times * before)
    workspace.save()
    assert population() == pytest.approx(2 * before)
    assert _census(copy).city.values["population"].iloc[0] == pytest.approx(2 * before)


def test_a_saved_change_to_a_census_layer_computes_it_again(copy: Path, monkeypatch) -> None:
    before = _census(copy)
    computed = _computing(monkeypatch)
    workspace = Workspace.open(copy)
    values = workspace.layer("census_values")
    workspace.set_layer("census_values", values.assign(value=values["value"].where(
        values["indicator_id"] != "population", values["value"] * 2)))
    unsaved = _census(copy, workspace=workspace)  # from memory, never from the file
    assert len(computed) == 1
    workspace.save()
    saved = _census(copy)
    assert len(computed) == 2
    _assert_same(saved, unsaved)
    assert saved.city.values["population"].iloc[0] == pytest.approx(
        2 * before.city.values["population"].iloc[0])


def test_other_thresholds_or_code_compute_it_again(copy: Path, monkeypatch) -> None:
    _census(copy)
    computed = _computing(monkeypatch)
    stricter = _census(copy, ApportionParameters(min_population=400))
    assert len(computed) == 1 and stricter.stations.parameters.min_population == 400
    monkeypatch.setattr(census_store, "_code_digest", lambda: "another release")
    _census(copy, ApportionParameters(min_population=400))
    assert len(computed) == 2
    _census(copy, ApportionParameters(min_population=400))
    assert len(computed) == 2


@pytest.mark.parametrize("damage", ["frame", "file"])
def test_an_unreadable_census_is_computed_again(copy: Path, monkeypatch, damage: str) -> None:
    first = _census(copy)
    path = census_store.census_path(copy)
    if damage == "frame":
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("UPDATE census SET data = x'00' WHERE name = 'frame:shares'")
    else:
        path.write_bytes(b"not a database" * 100)
    computed = _computing(monkeypatch)
    _assert_same(_census(copy), first)
    assert len(computed) == 1
    _assert_same(_census(copy), first)  # kept again, whole
    assert len(computed) == 1 and not list(copy.parent.glob("*.tmp"))


def test_a_folder_that_refuses_the_file_still_gives_the_census(copy: Path, monkeypatch,
                                                               caplog) -> None:
    first = _census(copy)
    census_store.census_path(copy).unlink()

    def refuse(*_args) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(census_store, "_write", refuse)
    _assert_same(_census(copy), first)
    assert not census_store.census_path(copy).exists()
    assert "Could not keep the census beside" in caplog.text


def test_a_workspace_without_census_or_hand_made_keeps_it_as_computed(tmp_path: Path,
                                                                      monkeypatch) -> None:
    from conftest import _stations, build_small_workspace

    bare = Workspace.create(tmp_path / "bare.gpkg")
    bare.set_layer("stations", _stations())
    bare.save()
    for path in (bare.path, build_small_workspace(tmp_path / "small.gpkg").path):
        first = _census(path)
        computed = _computing(monkeypatch)
        _assert_same(_census(path), first)
        assert not computed
        monkeypatch.undo()


def test_a_file_saved_by_another_program_is_neither_read_nor_kept(copy: Path,
                                                                  monkeypatch) -> None:
    first = _census(copy)
    here = Workspace.open(copy)
    here.layer("census_values")  # read before the other program saves
    other = Workspace.open(copy)
    values = other.layer("census_values")
    other.set_layer("census_values", values.assign(value=values["value"].where(
        values["indicator_id"] != "population", values["value"] * 2)))
    other.save()
    computed = _computing(monkeypatch)
    _assert_same(_census(copy, workspace=here), first)  # what this workspace holds
    assert len(computed) == 1
    assert _census(copy).city.values["population"].iloc[0] == pytest.approx(
        2 * first.city.values["population"].iloc[0])  # the file's, kept
    assert len(computed) == 2
    _census(copy)
    assert len(computed) == 2
