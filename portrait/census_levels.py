"""Which census areas tile the city, which row is the city itself, and which level is finest.

A workspace can hold several census geographies at once: dissemination areas, boroughs or
local areas, and the whole-city rows that municipal profiles publish beside their areas
(Ville de Montréal's agglomeration, Vancouver's CSD and CMA). Summing every area gives the
city several times over, and taking a borough's figures when the dissemination areas inside
it are known throws information away. So every area gets a level; levels are ordered from
the finest (smallest typical area) to the coarsest, and each indicator is taken from the
finest level that publishes it.

>>> import pandas as pd
>>> values = pd.DataFrame({"area_id": ["agglo", "a", "b"], "indicator_id": "population",
...                        "value": [30.0, 10.0, 20.0], "level": ["city", None, None]})
>>> areas, city = split_city_rows(values)
>>> sorted(areas["area_id"]), city["area_id"].tolist()
(['a', 'b'], ['agglo'])
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: ``census_values.level`` of the source's own row for the whole city the stations serve.
CITY_LEVEL = "city"
#: ``census_values.level`` of a source's other aggregates (a metropolitan area, a city inside
#: an agglomeration): neither the city nor one of its areas, so they feed nothing.
AGGREGATE_LEVEL = "aggregate"
#: Level of areas that have values but no polygon: they cannot be placed in a station.
UNPLACED = "unplaced"


def split_city_rows(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The values of the areas, and those of the whole-city rows (aggregates dropped)."""
    if "level" not in values or values.empty:
        return values, values.iloc[0:0]
    level = values["level"].astype(object)
    city = level.eq(CITY_LEVEL).fillna(False).to_numpy(dtype=bool)
    aggregate = level.eq(AGGREGATE_LEVEL).fillna(False).to_numpy(dtype=bool)
    return values.loc[~city & ~aggregate], values.loc[city]


def area_levels(areas: gpd.GeoDataFrame, area_ids: pd.Index) -> tuple[pd.Series, list[str]]:
    """Each area's level (``UNPLACED`` for ``area_ids`` without a polygon) and the levels
    finest first.

    Levels are ordered by the median surface of their areas: a level's name says nothing
    reliable about its size (a "local area" of Vancouver is a borough-sized area).
    """
    placed = areas[areas.geometry.notna() & ~areas.geometry.is_empty]
    names = placed["level"].astype(object).where(placed["level"].notna(), UNPLACED)
    names = pd.Series(names.to_numpy(), index=placed["area_id"].to_numpy())
    names = names[~names.index.duplicated()]
    surface = pd.Series(shapely.area(placed.geometry.values), index=names.index)
    order = surface.groupby(names).median().sort_values().index.tolist()
    level = names.reindex(names.index.union(pd.Index(area_ids))).fillna(UNPLACED)
    if (level == UNPLACED).any():
        order = [name for name in order if name != UNPLACED] + [UNPLACED]
    return level, [name for name in order if (level == name).any()]


def column_levels(wide: pd.DataFrame, level: pd.Series, order: list[str]) -> dict[str, str]:
    """For each indicator column, the finest level at which some area has a value."""
    present = wide.notna().groupby(level.reindex(wide.index).to_numpy()).any()
    out: dict[str, str] = {}
    for column in wide.columns:
        found = [name for name in order if name in present.index and present.at[name, column]]
        if found:
            out[column] = found[0]
    return out


def first_point_in(points: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the first polygon holding each point (-1 when none does)."""
    out = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(polygons) == 0:
        return out
    tree = shapely.STRtree(polygons)
    point_index, polygon_index = tree.query(points, predicate="intersects")
    order = np.lexsort((polygon_index, point_index))
    point_index, polygon_index = point_index[order], polygon_index[order]
    first = np.unique(point_index, return_index=True)[1]
    out[point_index[first]] = polygon_index[first]
    return out
