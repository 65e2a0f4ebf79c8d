"""Census figures to stations from the finest areas present (dasymetric apportionment).

Splitting a borough between stations by the share of its surface in each assumes its
residents are spread evenly over it: parks, rail yards and industrial land make that wrong
by tens of percent. When finer areas with a population are known (dissemination areas), the
stations' populations are built from them, and a coarser area's figures are split by the
population of the fine areas inside each station instead of by surface (Mennis 2003,
"Generating surface models of population using dasymetric mapping"). Only the fine areas
cut by a station boundary are still split by surface; the share of the station's residents
who live in them says how much the even-spread assumption still matters.

>>> import geopandas as gpd, pandas as pd, shapely
>>> areas = gpd.GeoDataFrame({"area_id": ["b", "d1", "d2"], "level": ["borough", "DA", "DA"]},
...     geometry=[shapely.box(0, 0, 2, 1), shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
...     crs="EPSG:32188")
>>> stations = gpd.GeoDataFrame({"station_id": ["W", "E"]}, crs="EPSG:32188",
...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
>>> level = pd.Series({"b": "borough", "d1": "DA", "d2": "DA"})
>>> population = pd.Series({"d1": 90.0, "d2": 10.0})
>>> result = dasymetric_shares(areas, stations, population, level, ["DA", "borough"])
>>> result.weights.query("area_id == 'b'").set_index("target_id")["share"].round(2).to_dict()
{'W': 0.9, 'E': 0.1}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from portrait.census_levels import UNPLACED, first_point_in
from portrait.indicators import CATALOGUE, Indicator
from portrait.statistics.apportion import (
    ApportionParameters,
    ApportionResult,
    apportion,
    area_shares,
)

#: An area counts as cut by a station boundary when between these shares of its surface lie
#: inside: thinner slivers are where two files digitised the same street differently (on
#: the real PDQ and DA files, a third of the overlaps are under 1 % or over 99 %).
CUT = (0.02, 0.98)
_WEIGHT_COLUMNS = ["target_id", "area_id", "share"]


@dataclass(frozen=True)
class Dasymetric:
    """How each census area feeds each station.

    ``pieces``: the finest level's overlaps by share of surface (``area_shares`` columns),
    where the residents are placed. ``weights``: (``target_id``, ``area_id``, ``share``) for
    every level, the share of the area's figures that goes to the station. ``split_share``:
    per station, the share of its residents (finest level) living in areas cut by its
    boundary (``CUT``), NaN when the finest level has no population. ``weighted_levels``: the levels
    split by the finest level's population rather than by surface.
    """

    pieces: pd.DataFrame
    weights: pd.DataFrame
    split_share: pd.Series
    fine_level: str | None
    weighted_levels: tuple[str, ...]


def dasymetric_shares(areas: gpd.GeoDataFrame, stations: gpd.GeoDataFrame,
                      population: pd.Series, level: pd.Series, order: list[str]) -> Dasymetric:
    """Weights of every census area in every station, finest level first (see module doc).

    ``level`` maps area ids to their level, ``order`` lists the levels finest first and
    ``population`` is the areas' population (missing where unknown).
    """
    areas = areas[areas.geometry.notna() & ~areas.geometry.is_empty]
    areas = areas.assign(level=areas["area_id"].map(level).fillna(UNPLACED).to_numpy())
    placed = [name for name in order if name != UNPLACED]
    known = population.dropna()
    fine = next((name for name in placed  # (known's ids are unique: get_indexer, not isin)
                 if (known.index.get_indexer(areas.loc[areas["level"] == name, "area_id"])
                     >= 0).any()), None)
    by_level = {name: area_shares(areas[areas["level"] == name], stations) for name in placed}
    pieces = by_level[fine] if fine is not None else (
        by_level[placed[0]] if placed else area_shares(areas.iloc[0:0], stations))
    parts, weighted = [], []
    for name in placed:
        coarse = fine is not None and placed.index(name) > placed.index(fine)
        if coarse:
            parts.append(_weighted(areas[areas["level"] == name], areas[areas["level"] == fine],
                                   pieces, known, by_level[name]))
            weighted.append(name)
        else:
            parts.append(by_level[name][_WEIGHT_COLUMNS])
    weights = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: pd.Series(dtype=object if c != "share" else float) for c in _WEIGHT_COLUMNS})
    return Dasymetric(pieces, weights, _split_share(pieces, known, fine is not None), fine,
                      tuple(weighted))


def _weighted(coarse: gpd.GeoDataFrame, fine: gpd.GeoDataFrame, pieces: pd.DataFrame,
              population: pd.Series, by_surface: pd.DataFrame) -> pd.DataFrame:
    """A coarse level's weights: the population of the fine pieces inside the station and the
    coarse area, over the coarse area's fine population (by surface where it has none)."""
    coarse_ids = coarse["area_id"].to_numpy()
    polygons = np.asarray(coarse.geometry.values)
    piece_population = pieces["area_id"].map(population).fillna(0.0).to_numpy() * \
        pieces["share"].to_numpy()
    where = first_point_in(shapely.points(pieces["x"].to_numpy(), pieces["y"].to_numpy()),
                           polygons)
    inside = where >= 0
    inner = pd.DataFrame({"target_id": pieces["target_id"].to_numpy()[inside],
                          "area_id": coarse_ids[where[inside]],
                          "population": piece_population[inside]})
    inner = inner.groupby(["target_id", "area_id"], as_index=False, sort=False)["population"].sum()
    # Residents of fine areas outside every station still belong to the coarse area.
    in_stations = pieces.groupby("area_id")["share"].sum()
    fine_ids = fine["area_id"].to_numpy()
    outside = fine["area_id"].map(population).fillna(0.0).to_numpy() * \
        np.clip(1.0 - in_stations.reindex(fine_ids).fillna(0.0).to_numpy(), 0.0, 1.0)
    where_fine = first_point_in(shapely.point_on_surface(np.asarray(fine.geometry.values)),
                                polygons)
    held = where_fine >= 0
    outer = pd.Series(outside[held]).groupby(coarse_ids[where_fine[held]]).sum()
    total = inner.groupby("area_id")["population"].sum().add(outer, fill_value=0.0)
    inner["share"] = inner["population"] / inner["area_id"].map(total).to_numpy()
    has_fine = total.index[total > 0]
    inner = inner[inner["area_id"].isin(has_fine) & (inner["share"] > 0)]
    fallback = by_surface[~by_surface["area_id"].isin(has_fine)]
    return pd.concat([inner[_WEIGHT_COLUMNS], fallback[_WEIGHT_COLUMNS]], ignore_index=True)


def _split_share(pieces: pd.DataFrame, population: pd.Series, known: bool) -> pd.Series:
    if pieces.empty:
        return pd.Series(dtype=float)
    piece_population = pieces["area_id"].map(population).fillna(0.0) * pieces["share"]
    frame = pd.DataFrame({"target_id": pieces["target_id"].to_numpy(),
                          "all": piece_population.to_numpy(),
                          "split": piece_population.where(is_cut(pieces["share"]), 0.0)})
    sums = frame.groupby("target_id", sort=False)[["all", "split"]].sum()
    if not known:
        return pd.Series(np.nan, index=sums.index)
    return (sums["split"] / sums["all"].where(sums["all"] > 0)).rename("split_share")


def is_cut(share: pd.Series) -> pd.Series:
    """Whether each piece is part of an area cut by the boundary (slivers left aside)."""
    return (share > CUT[0]) & (share < CUT[1])


def apportion_by_level(wide: pd.DataFrame, weights: pd.DataFrame, level: pd.Series,
                       column_level: dict[str, str],
                       parameters: ApportionParameters,
                       catalogue: Iterable[Indicator] = CATALOGUE) -> ApportionResult:
    """``apportion`` with each indicator taken from one level only (``column_level``), so
    that areas of several levels covering the same ground are never added together.

    A share is computed at its numerator's level, with that level's denominator. Each
    level's own population drives its small-area rules and value coverage.
    """
    catalogue = tuple(catalogue)
    area_level = level.reindex(wide.index)
    results, owners = [], {}
    for name in dict.fromkeys(column_level.values()):
        own = [c for c, lv in column_level.items() if lv == name]
        extra = [item.denominator for item in catalogue
                 if item.is_ratio and item.numerator in own and item.denominator in wide]
        extra += [c for c in (parameters.population_indicator, parameters.median_weight)
                  if c in wide]
        columns = list(dict.fromkeys(own + extra))
        ids = area_level.index[area_level.to_numpy() == name]
        part = wide.loc[ids, columns]
        result = apportion(part, weights[ids.get_indexer(weights["area_id"]) >= 0],
                           parameters, catalogue)
        results.append(result)
        for column in own:
            owners[column] = result
        for item in catalogue:
            if item.is_ratio and item.numerator in own:
                owners[item.id] = result
    if not results:
        return apportion(wide, weights, parameters, catalogue)
    targets = pd.Index(pd.unique(np.concatenate([r.values.index.to_numpy() for r in results])),
                       name="target_id")
    columns = list(dict.fromkeys(c for r in results for c in r.values.columns))
    values = pd.DataFrame(np.nan, index=targets, columns=columns)
    coverage = pd.DataFrame(index=targets, dtype=float)
    for column, result in owners.items():
        values[column] = result.values[column].reindex(targets)
        if column in result.value_coverage:
            coverage[column] = result.value_coverage[column].reindex(targets)
    suppressed = pd.concat([r.suppressed for r in results], ignore_index=True)
    suppressed = suppressed.drop_duplicates(["area_id", "indicators"], ignore_index=True)
    approximate = tuple(dict.fromkeys(a for r in results for a in r.approximate
                                      if owners.get(a) is r))
    return ApportionResult(values, coverage, suppressed, approximate, parameters)
