"""Census areas to a station boundary, by share of area.

Station boundaries do not follow census areas. A census area's counts are split between the
stations it overlaps in proportion to the share of its surface in each (residents are assumed
spread evenly over the area: a stated approximation, the usual one without finer data).
Shares are then recomputed from the apportioned numerators and denominators, never averaged;
medians cannot be apportioned and are approximated by the household-weighted median of the
areas' medians, and marked approximate.

Statistics Canada publishes no characteristics for areas of fewer than 40 residents and no
income data below 250; the same rules are applied here to every source, and what they hid is
returned so the portrait can say it. The population count itself is kept for small areas:
they are residents, and rates need them.

>>> import geopandas as gpd, pandas as pd, shapely
>>> areas = gpd.GeoDataFrame({"area_id": ["A"]}, geometry=[shapely.box(0, 0, 2, 1)],
...                          crs="EPSG:32188")
>>> stations = gpd.GeoDataFrame({"station_id": ["W", "E"]}, crs="EPSG:32188",
...                             geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
>>> wide = pd.DataFrame({"population": [100.0]}, index=pd.Index(["A"], name="area_id"))
>>> apportion(wide, area_shares(areas, stations)).values["population"].tolist()
[50.0, 50.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from portrait.crs import require_metric
from portrait.indicators import CATALOGUE, COUNT, MEDIAN, SCORE, Indicator

INCOME_INDICATORS = ("median_household_income", "low_income", "low_income_base")
#: A piece holding less of its area's surface than this is a sliver where two files trace
#: the same street differently, not residents of the station.
SLIVER = 0.005
SMALL_AREA_RULE = "fewer than {n:g} residents: no characteristics (Statistics Canada rule)"
INCOME_RULE = "fewer than {n:g} residents: no income data (Statistics Canada rule)"
BELOW_RULE = "values under {n:g} suppressed (the indicator's small-number rule)"


@dataclass(frozen=True)
class ApportionParameters:
    """Suppression thresholds and which indicators count as income data."""

    min_population: float = 40
    min_population_income: float = 250
    income_indicators: tuple[str, ...] = INCOME_INDICATORS
    population_indicator: str = "population"
    #: The weight of each area's median in the approximate median of several areas.
    median_weight: str = "households"


@dataclass(frozen=True)
class ApportionResult:
    """Apportioned values per target (rows) and indicator (columns), and what was hidden.

    ``values`` holds counts, shares in percent (recomputed) and approximate medians.
    ``value_coverage`` is, per target and indicator, the share of the target's apportioned
    population living in areas that had a value (1.0 = nothing missing). ``suppressed`` lists
    each area and indicator hidden by a rule; ``approximate`` the indicators that are
    approximations beyond the even-spread assumption (medians).
    """

    values: pd.DataFrame
    value_coverage: pd.DataFrame
    suppressed: pd.DataFrame
    approximate: tuple[str, ...]
    parameters: ApportionParameters = field(default_factory=ApportionParameters)


def area_shares(areas: gpd.GeoDataFrame, targets: gpd.GeoDataFrame,
                target_column: str = "station_id", area_column: str = "area_id") -> pd.DataFrame:
    """Share of each census area's surface inside each target polygon.

    Returns one row per (target, area) overlap: ``target_id``, ``area_id``, ``share`` (0-1),
    ``piece_area_m2`` and a point on the overlap (``x``, ``y``) to place its residents.
    Both layers must be in the same metric CRS.
    """
    require_metric(areas.crs, "The census areas", areas)
    require_metric(targets.crs, "The station boundaries", targets)
    if areas.crs != targets.crs:
        raise ValueError("Census areas and stations must be in the same CRS.")
    columns = ["target_id", "area_id", "share", "piece_area_m2", "x", "y"]
    if len(areas) == 0 or len(targets) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
    area_geometry = _valid(areas.geometry.values)
    target_geometry = _valid(targets.geometry.values)
    area_index, target_index = targets.sindex.query(area_geometry, predicate="intersects")
    pieces = shapely.intersection(np.asarray(area_geometry)[area_index],
                                  np.asarray(target_geometry)[target_index])
    piece_area = shapely.area(pieces)
    full_area = shapely.area(np.asarray(area_geometry)[area_index])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(full_area > 0, piece_area / full_area, 0.0)
    share = _without_slivers(share, area_index)
    keep = share > 1e-9
    points = shapely.point_on_surface(pieces[keep])
    return pd.DataFrame({
        "target_id": targets[target_column].to_numpy()[target_index[keep]],
        "area_id": areas[area_column].to_numpy()[area_index[keep]],
        "share": np.minimum(share[keep], 1.0),
        "piece_area_m2": piece_area[keep],
        "x": shapely.get_x(points),
        "y": shapely.get_y(points),
    })


def _without_slivers(share: np.ndarray, area_index: np.ndarray) -> np.ndarray:
    """Shares with the slivers of each area given back to its other pieces.

    Two files rarely trace a shared street the same way: Vancouver's local areas used as
    both stations and census areas overlap their neighbours by a few hundred square metres,
    which gave Kitsilano 43,065 residents instead of its census 43,045. A piece under
    ``SLIVER`` of its area is dropped and the area's other pieces scaled up so the area
    keeps the same total share (an area only present as slivers keeps them).
    """
    sliver = (share > 0) & (share < SLIVER)
    if not sliver.any():
        return share
    total = np.bincount(area_index, weights=share)
    kept = np.bincount(area_index, weights=np.where(sliver, 0.0, share))
    fixable = kept[area_index] > 0
    scaled = np.where(sliver, 0.0, share * total[area_index] /
                      np.where(fixable, kept[area_index], 1.0))
    return np.where(fixable, scaled, share)


def _valid(geometry) -> gpd.array.GeometryArray:
    """Geometries repaired where invalid: real boundary files hold self-touching rings that
    make GEOS refuse the intersection ("side location conflict")."""
    values = np.asarray(geometry)
    invalid = ~shapely.is_valid(values)
    if not invalid.any():
        return geometry
    values = values.copy()
    values[invalid] = shapely.make_valid(values[invalid])
    return gpd.array.from_shapely(values, crs=geometry.crs)


def census_counts(census_values: pd.DataFrame) -> pd.DataFrame:
    """Long census values to one row per area, one column per indicator (missing stays NaN)."""
    grouped = census_values.groupby(["area_id", "indicator_id"], observed=True)["value"]
    wide = grouped.sum(min_count=1).unstack("indicator_id")
    wide.columns.name = None
    wide.index = wide.index.astype(str)
    wide.index.name = "area_id"
    return wide.astype(float)


def suppress_small_areas(wide: pd.DataFrame, parameters: ApportionParameters,
                         catalogue: Iterable[Indicator] = CATALOGUE
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the small-area rules and each indicator's own small-number rule; return the
    cleaned table and the list of what was hidden.

    An indicator whose catalogue entry says ``small_areas = "none"`` (a publisher's index,
    already protected) is left out of the small-area rules; one with ``small_areas =
    "income"`` follows the income rule too; ``suppress_below`` hides an area's value under it.
    """
    wide = wide.copy()
    records = []
    entries = {item.id: item for item in catalogue}
    for column in wide.columns:
        item = entries.get(column)
        if item is None or item.suppress_below is None:
            continue
        below = wide[column] < item.suppress_below
        for area_id in wide.index[below]:
            records.append((area_id, np.nan, column, BELOW_RULE.format(n=item.suppress_below)))
        wide.loc[below, column] = np.nan
    population_column = parameters.population_indicator
    if population_column not in wide:
        return wide, _suppressed_frame(records)
    population = wide[population_column]
    if records:
        found = population.reindex([r[0] for r in records]).to_numpy(dtype=float)
        records = [(r[0], p, *r[2:]) for r, p in zip(records, found, strict=True)]
    small = population < parameters.min_population
    others = [c for c in wide.columns if c != population_column
              and (c not in entries or entries[c].small_areas != "none")]
    for area_id in wide.index[small & wide[others].notna().any(axis=1)]:
        records.append((area_id, float(population[area_id]), "all characteristics",
                        SMALL_AREA_RULE.format(n=parameters.min_population)))
    wide.loc[small, others] = np.nan
    income_ids = dict.fromkeys((*parameters.income_indicators,
                                *(i.id for i in entries.values() if i.small_areas == "income")))
    income = [c for c in income_ids if c in wide]
    low = (population < parameters.min_population_income) & ~small
    for area_id in wide.index[low & wide[income].notna().any(axis=1)] if income else []:
        records.append((area_id, float(population[area_id]), ", ".join(income),
                        INCOME_RULE.format(n=parameters.min_population_income)))
    if income:
        wide.loc[low, income] = np.nan
    return wide, _suppressed_frame(records)


def apportion(wide: pd.DataFrame, shares: pd.DataFrame,
              parameters: ApportionParameters = ApportionParameters(),
              catalogue: Iterable[Indicator] = CATALOGUE) -> ApportionResult:
    """Apportion census counts (``census_counts`` output) to targets by area share.

    Counts: ``sum_a share(t, a) * value(a)`` over areas with a value. Shares and rates:
    ``per * sum num / sum den`` over areas where both are present (an area missing its numerator
    would otherwise pull the share down), no share when the denominator sums to zero.
    Medians: household-weighted median of the area medians (approximate). Scores:
    population-weighted mean of the area scores.
    """
    catalogue = tuple(catalogue)
    cleaned, suppressed = suppress_small_areas(wide, parameters, catalogue)
    targets = pd.Index(pd.unique(shares["target_id"]), name="target_id")
    # Each area is one row (census_counts): its position, -1 for an area without values.
    # (Series.isin on text took a tenth of a second of a report at 3,500 areas.)
    positions = cleaned.index.get_indexer(shares["area_id"])
    known = positions >= 0
    rows = targets.get_indexer(shares["target_id"][known])
    cols = positions[known]
    matrix = sparse.csr_matrix((shares["share"].to_numpy()[known], (rows, cols)),
                               shape=(len(targets), len(cleaned.index)))
    values = cleaned.to_numpy(dtype=float)
    present = ~np.isnan(values)
    counts = matrix @ np.nan_to_num(values)
    out = pd.DataFrame(counts, index=targets, columns=cleaned.columns)
    population = cleaned.get(parameters.population_indicator)
    coverage = pd.DataFrame(index=targets)
    if population is not None:
        pop = np.nan_to_num(population.to_numpy(dtype=float))
        total_pop = matrix @ pop
        with np.errstate(divide="ignore", invalid="ignore"):
            covered = (matrix @ (present * pop[:, None])) / total_pop[:, None]
        coverage = pd.DataFrame(covered, index=targets, columns=cleaned.columns)
    approximate: list[str] = []
    for item in catalogue:
        if item.kind == COUNT and item.id not in out:
            out[item.id] = np.nan
        elif item.is_ratio:
            out[item.id] = _apportioned_share(item, cleaned, matrix, targets)
        elif item.kind == MEDIAN:
            out[item.id] = _approximate_median(item.id, cleaned, matrix, parameters)
            approximate.append(item.id)
        elif item.kind == SCORE:
            out[item.id] = _weighted_mean(item.id, cleaned, matrix, parameters)
    for column in cleaned.columns:  # counts absent from every area stay missing, not zero
        if not present[:, cleaned.columns.get_loc(column)].any():
            out[column] = np.nan
    return ApportionResult(out, coverage, suppressed, tuple(approximate), parameters)


def _apportioned_share(item: Indicator, cleaned: pd.DataFrame, matrix: sparse.csr_matrix,
                       targets: pd.Index) -> np.ndarray:
    if item.numerator not in cleaned or item.denominator not in cleaned:
        return np.full(len(targets), np.nan)
    numerator = cleaned[item.numerator].to_numpy(dtype=float)
    denominator = cleaned[item.denominator].to_numpy(dtype=float)
    both = ~np.isnan(numerator) & ~np.isnan(denominator)
    top = matrix @ np.where(both, numerator, 0.0)
    bottom = matrix @ np.where(both, denominator, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, item.per * top / np.where(bottom > 0, bottom, 1.0),
                        np.nan)


def _approximate_median(column: str, cleaned: pd.DataFrame, matrix: sparse.csr_matrix,
                        parameters: ApportionParameters) -> np.ndarray:
    if column not in cleaned:
        return np.full(matrix.shape[0], np.nan)
    medians = cleaned[column].to_numpy(dtype=float)
    weight_column = parameters.median_weight if parameters.median_weight in cleaned \
        else parameters.population_indicator
    base = cleaned[weight_column].to_numpy(dtype=float) if weight_column in cleaned \
        else np.ones(len(cleaned))
    out = np.full(matrix.shape[0], np.nan)
    # A target of one area (each area's own figures) takes its median, without the loop.
    lengths = np.diff(matrix.indptr)
    single = np.flatnonzero(lengths == 1)
    first = matrix.indptr[single]
    values = medians[matrix.indices[first]]
    ok = ~np.isnan(values) & (matrix.data[first] * np.nan_to_num(base[matrix.indices[first]]) > 0)
    out[single[ok]] = values[ok]
    for row in np.flatnonzero(lengths > 1):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        cols, share = matrix.indices[start:end], matrix.data[start:end]
        values, weights = medians[cols], share * np.nan_to_num(base[cols])
        ok = ~np.isnan(values) & (weights > 0)
        if ok.any():
            out[row] = _weighted_median(values[ok], weights[ok])
    return out


def _weighted_mean(column: str, cleaned: pd.DataFrame, matrix: sparse.csr_matrix,
                   parameters: ApportionParameters) -> np.ndarray:
    """Each target's population-weighted mean of its areas' scores (areas without one left
    out); unweighted when no area has a population."""
    if column not in cleaned:
        return np.full(matrix.shape[0], np.nan)
    scores = cleaned[column].to_numpy(dtype=float)
    population = cleaned.get(parameters.population_indicator)
    base = np.nan_to_num(population.to_numpy(dtype=float)) if population is not None \
        else np.ones(len(cleaned))
    known = ~np.isnan(scores)
    weight = matrix @ np.where(known, base, 0.0)
    total = matrix @ np.where(known, base * np.nan_to_num(scores), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weight > 0, total / np.where(weight > 0, weight, 1.0), np.nan)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _suppressed_frame(records: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["area_id", "population", "indicators", "rule"])
