"""The station map reads its station's incidents from the derived station file, and draws
exactly what it drew from the whole layer.

With the file current, the map and the filter lists never read the incidents layer; the pages
are the same bytes (folium's random ids aside) as drawn from the whole layer, for both
audiences, with and without a period and filters, including incidents the source gave no
station that are drawn in the station they lie in. Unsaved incidents are drawn from memory.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

import exports.map_portrait_layers
import exports.web_map
from exports.map_portrait_layers import incident_filter_choices
from exports.web_map import MapOptions, station_map_html
from portrait import workspace_query
from portrait.categories import ISSUE_TAGS
from portrait.workspace import Workspace
from tests.conftest import STATION_BOXES, build_small_workspace

CATEGORY_IDS = np.array(["break_and_enter", "mischief", "theft_from_vehicle", None],
                        dtype=object)
TAG_TEXTS = np.array(["property", "property,vehicles", None, "incivilities,property"],
                     dtype=object)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """The small workspace with categories, tags, and one incident in six without a station
    (drawn in the station it lies in); saved, its derived station file built."""
    workspace = build_small_workspace(tmp_path / "rows.gpkg", incidents_per_station=400)
    incidents = workspace.layer("incidents").copy()
    rows = np.arange(len(incidents))
    incidents["category"] = CATEGORY_IDS[rows % 4]
    incidents["tags"] = TAG_TEXTS[(rows // 2) % 4]
    incidents["station_id"] = incidents["station_id"].astype(object).where(rows % 6 != 0, None)
    workspace.set_layer("incidents", incidents)
    workspace.save()
    assert workspace_query.refresh(workspace)
    return workspace


def _without_ids(page: str) -> str:
    return re.sub(r"_[0-9a-f]{32}", "_ID", page)


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the derived file could not serve the map: the whole layer is read."""
    monkeypatch.setattr(exports.web_map, "current_store", lambda _workspace: None)
    monkeypatch.setattr(exports.map_portrait_layers, "current_store", lambda _workspace: None)


def _read_layers(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the layers read from the workspace from now on."""
    names: list[str] = []
    layer = workspace.layer

    def reading(name: str):
        names.append(name)
        return layer(name)

    monkeypatch.setattr(workspace, "layer", reading)
    return names


OPTIONS = [{}, {"period": ("2024-03-01", "2024-08-31")},
           {"categories": ("mischief", "break_and_enter"), "tags": ("vehicles",)},
           {"categories": ()}, {"tags": ("incivilities",), "period": ("2024-06-01", "2024-12-31")}]


@pytest.mark.parametrize("audience", ["internal", "partner"])
@pytest.mark.parametrize("station_id", list(STATION_BOXES))
def test_the_page_is_the_same_read_by_station_or_whole(workspace: Workspace, station_id: str,
                                                       audience: str, monkeypatch) -> None:
    read = _read_layers(workspace, monkeypatch)
    scoped = [station_map_html(workspace, MapOptions(station_id, audience=audience, **extra))
              for extra in OPTIONS]
    assert "incidents" not in read  # the station's rows only, from the derived file
    _whole(monkeypatch)
    whole = [station_map_html(workspace, MapOptions(station_id, audience=audience, **extra))
             for extra in OPTIONS]
    assert "incidents" in read
    assert [_without_ids(p) for p in scoped] == [_without_ids(p) for p in whole]
    assert len(set(scoped)) == len(OPTIONS)  # each period and filter drew something else


def _drawn(page: str) -> int:
    return json.loads(re.search(r"window\.portraitCounts = (\{.*?\});", page).group(1))[
        "incidents"]


def _located_in(incidents: gpd.GeoDataFrame, station_id: str) -> tuple[int, int]:
    """How many located incidents the layer gives the station, and how many are its own
    with those of no station that lie in its boundary."""
    located = incidents.geometry.notna().to_numpy()
    inside = incidents.geometry.within(shapely.box(*STATION_BOXES[station_id])).to_numpy()
    own = incidents["station_id"].eq(station_id).fillna(False).to_numpy()
    return int(np.sum(located & own)), int(np.sum(
        located & (own | (incidents["station_id"].isna().to_numpy() & inside))))


def test_incidents_without_a_station_are_drawn_in_the_station_they_lie_in(
        workspace: Workspace) -> None:
    for station_id in STATION_BOXES:
        own, expected = _located_in(workspace.layer("incidents"), station_id)
        assert 0 < own < expected
        assert _drawn(station_map_html(workspace, MapOptions(station_id))) == expected


def test_the_filter_lists_come_from_the_derived_file(workspace: Workspace, monkeypatch) -> None:
    read = _read_layers(workspace, monkeypatch)
    categories, tags = incident_filter_choices(workspace)
    assert "incidents" not in read
    assert categories == ["break_and_enter", "mischief", "theft_from_vehicle"]
    assert tags == [t for t in ISSUE_TAGS if t in {"property", "incivilities", "vehicles"}]
    _whole(monkeypatch)
    assert incident_filter_choices(workspace) == (categories, tags)
    assert "incidents" in read


def test_unsaved_incidents_are_drawn_and_listed_from_memory(workspace: Workspace) -> None:
    incidents = workspace.layer("incidents")
    kept = incidents[incidents["station_id"].eq("38").fillna(False).to_numpy()
                     & incidents.geometry.notna().to_numpy()].iloc[:40].copy()
    kept["category"] = "vehicle_theft"
    workspace.set_layer("incidents", kept)
    assert workspace_query.current_store(workspace) is None
    assert _drawn(station_map_html(workspace, MapOptions("38"))) == 40
    assert incident_filter_choices(workspace)[0] == ["vehicle_theft"]


def test_a_derived_file_left_stale_by_another_program_is_not_read(
        workspace: Workspace) -> None:
    with closing(sqlite3.connect(workspace.path)) as connection, connection:
        connection.execute("DELETE FROM incidents WHERE fid > 10")
    reopened = Workspace.open(workspace.path)
    assert workspace_query.current_store(reopened) is None
    incidents = reopened.layer("incidents")
    assert _drawn(station_map_html(reopened, MapOptions("38"))) == \
        _located_in(incidents, "38")[1]
    assert incident_filter_choices(reopened)[0] == sorted(
        set(incidents["category"].dropna()), key=list(CATEGORY_IDS).index)


def test_a_workspace_without_incidents_draws_none(workspace: Workspace) -> None:
    workspace.set_layer("incidents", workspace.layer("incidents").iloc[:0])
    workspace.save()
    assert workspace_query.refresh(workspace)
    assert workspace_query.current_store(workspace) is not None
    assert _drawn(station_map_html(workspace, MapOptions("38"))) == 0
    assert incident_filter_choices(workspace) == ([], [])
