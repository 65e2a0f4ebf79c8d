"""Slivers where two files trace the same street differently go back to the area's other
pieces: Vancouver's local areas, used as both stations and census areas, gave Kitsilano
43,065 residents instead of the census's 43,045."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from portrait.statistics.apportion import SLIVER, apportion, area_shares

CRS = "EPSG:26910"


def _frame(column: str, ids: list[str], boxes: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({column: ids}, geometry=boxes, crs=CRS)


def _population(areas: gpd.GeoDataFrame, stations: gpd.GeoDataFrame,
                people: dict[str, float]) -> dict[str, float]:
    wide = pd.DataFrame({"population": people}).rename_axis("area_id")
    values = apportion(wide, area_shares(areas, stations)).values["population"]
    return values.to_dict()


def test_areas_traced_slightly_differently_keep_their_whole_population() -> None:
    # the west area's edge is 2 m east of the stations' shared edge: a 0.2% sliver
    stations = _frame("station_id", ["W", "E"], [shapely.box(0, 0, 1000, 1000),
                                                 shapely.box(1000, 0, 2000, 1000)])
    areas = _frame("area_id", ["west", "east"], [shapely.box(0, 0, 1002, 1000),
                                                 shapely.box(1002, 0, 2000, 1000)])
    assert 0 < 2 / 1002 < SLIVER
    found = _population(areas, stations, {"west": 43_045.0, "east": 10_000.0})
    assert found["W"] == pytest.approx(43_045.0)
    assert found["E"] == pytest.approx(10_000.0)


def test_an_area_really_cut_by_a_boundary_is_still_split() -> None:
    stations = _frame("station_id", ["W", "E"], [shapely.box(0, 0, 1000, 1000),
                                                 shapely.box(1000, 0, 2000, 1000)])
    areas = _frame("area_id", ["middle"], [shapely.box(500, 0, 1500, 1000)])
    found = _population(areas, stations, {"middle": 1_000.0})
    assert found == pytest.approx({"W": 500.0, "E": 500.0})


def test_an_area_beyond_the_stations_keeps_only_its_share_inside() -> None:
    # 40% inside W, a 0.3% sliver inside E, the rest outside every station: W keeps what is
    # inside plus the sliver, never the part outside the stations
    stations = _frame("station_id", ["W", "E"], [shapely.box(0, 0, 1000, 1000),
                                                 shapely.box(0, 1000, 1000, 2000)])
    areas = _frame("area_id", ["edge"], [shapely.box(600, 3, 1600, 1003)])
    found = _population(areas, stations, {"edge": 1_000.0})
    inside_w, sliver_e = 400 * 997, 400 * 3
    assert found["W"] == pytest.approx(1_000.0 * (inside_w + sliver_e) / 1_000_000)
    assert found.get("E", 0.0) == pytest.approx(0.0)


def test_an_area_present_only_as_a_sliver_keeps_it() -> None:
    stations = _frame("station_id", ["W"], [shapely.box(0, 0, 1000, 1000)])
    areas = _frame("area_id", ["beyond"], [shapely.box(998, 0, 1998, 1000)])
    found = _population(areas, stations, {"beyond": 1_000.0})
    assert found["W"] == pytest.approx(2.0)
