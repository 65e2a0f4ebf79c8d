"""Socio-economic profile: census indicators apportioned to the station, against the city.

Each value is the station's apportioned count, recomputed share, approximate median or
population-weighted score (see ``portrait.statistics.apportion``), taken from the finest
census areas that publish it (``portrait.statistics.dasymetric``), with the whole city's
value and the station's rank among stations beside it, and a choropleth of the census areas
it is made of. The definition says where the city's value comes from and that it includes
the station, because that is printed wherever the figure is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portrait.indicators import MEDIAN, SCORE, Indicator, census_definitions
from portrait.portrait_data import Census
from portrait.portrait_model import IndicatorValue, MapLayer, Section, Table
from portrait.sections.common import StationContext, rank_of
from portrait.statistics.classification import class_counts, natural_breaks, quantile_breaks
from portrait.statistics.dasymetric import is_cut

ID = "socio_economic"
TITLE_FR, TITLE_EN = "Profil socio-économique", "Socio-economic profile"
COVERAGE_NOTE = 0.995
WHOLE = 0.999  # a piece with less of its area's surface is an area cut by the boundary


def build(context: StationContext) -> Section:
    census = context.data.census
    station_id = context.station_id
    if not census.available:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no census data")
    values = census.stations.values
    if station_id not in values.index:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no census area overlaps the station's boundary")
    pieces = census.shares[census.shares["target_id"] == station_id]
    partial = int((pieces["share"] < WHOLE).sum())
    weights = census.weights[census.weights["target_id"] == station_id] \
        if len(census.weights) else census.weights
    weights_level = census.area_level.reindex(weights["area_id"]).to_numpy() \
        if len(weights) else np.array([])
    city = census.city.values.iloc[0] if len(census.city.values) else pd.Series(dtype=float)
    published = census.areas.values.notna().any()
    catalogue = census.catalogue
    present = [item for item in catalogue if item.id in values.columns
               and bool(published.get(item.id, False))]
    # A built-in id is named in a note (briefs replace it by its label); an indicator of the
    # user's catalogue is listed with its own labels, as a figure that has no value. When
    # only the user's indicators have values (another country's census), the built-in ones
    # were never expected and are not listed.
    own_only = bool(present) and all(item.origin != "built-in" for item in present)
    absent = [] if own_only else [item.id for item in catalogue
                                  if item not in present and item.origin == "built-in"]
    unpublished = [item for item in catalogue
                   if item not in present and item.origin != "built-in"]
    basis = city_basis(census, city.get("population", np.nan))
    indicators = []
    area_ids_of: dict[str, list[str]] = {}
    for item in present:
        level = census.column_level.get(_source_column(item))
        area_ids = weights["area_id"][weights_level == level].tolist() if level else \
            pieces["area_id"].tolist()
        area_ids_of[item.id] = area_ids
        caveat = apportion_caveat(census, station_id, level,
                                  weights[weights_level == level] if level else pieces)
        indicators.append(_indicator(item, context, values, city, [caveat], basis, area_ids))
    indicators += [_unpublished(item, census) for item in unpublished]
    suppressed = census.stations.suppressed
    in_station = set(pieces["area_id"]).union(*area_ids_of.values())
    suppressed = suppressed[suppressed["area_id"].isin(in_station)]
    tables = [_areas_table(pieces, census.areas.values),
              Table("suppressed_areas", "Aires dont des valeurs sont masquées",
                    "Areas with suppressed values", ["area_id", "population", "indicators",
                                                     "rule"],
                    suppressed.to_dict(orient="records"),
                    "Statistics Canada rules applied to every source.")]
    layers = []
    for item in catalogue.mappable():
        if item in present:
            layers.append(_choropleth(item, census.areas.values, area_ids_of[item.id],
                                      context.options.map_classes))
    split = census.split_share.get(station_id, np.nan)
    context.parameters["census"] = {
        "apportionment": "dasymetric (population of the finest areas)"
        if census.weighted_levels else "share of area",
        "areas_in_station": len(pieces), "areas_partly_inside": partial,
        "residents_in_split_areas_percent": None if pd.isna(split) else
        round(100 * float(split), 1),
        "city_population": None if pd.isna(city.get("population", np.nan)) else
        float(city["population"]),
        "city_population_from": "the source's city row" if census.city_from_row else
        f"the sum of {census.city_areas} census areas",
        "city_includes_station": True,
        "min_population": context.data.apportion_parameters.min_population,
        "min_population_income": context.data.apportion_parameters.min_population_income,
        "suppressed_areas": int(len(suppressed)),
    }
    notes = [f"Source: {census.source} ({census.vintage})." if census.vintage else
             f"Source: {census.source}."]
    if absent:
        notes.append("Not in the workspace's census data: " + ", ".join(absent) + ".")
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables, layers, notes=notes)


def _source_column(item: Indicator) -> str:
    """The column whose level an indicator comes from (a share: its numerator's)."""
    return item.numerator if item.is_ratio and item.numerator else item.id


def apportion_caveat(census: Census, station_id: str, level: str | None,
                     weights: pd.DataFrame) -> str:
    """How the station's value was built from census areas, and what that assumes."""
    n = len(weights)
    if level is not None and level in census.weighted_levels:
        return (f"apportioned from {n} larger census areas, each split by the population of "
                "its smaller areas inside the station (dasymetric), assuming the figure is "
                "spread evenly over each larger area's residents")
    split = census.split_share.get(station_id, np.nan)
    if level is None or level != census.fine_level or pd.isna(split):
        partial = int((weights["share"] < WHOLE).sum()) if n else 0
        return (f"apportioned by share of area from {n} census areas ({partial} partly "
                "inside the station), assuming residents are spread evenly within each area")
    cut = int(is_cut(weights["share"]).sum()) if n else 0
    if cut == 0:
        return f"apportioned from {n} census areas, none cut by the station's boundary"
    return (f"apportioned from {n} census areas; {100 * float(split):.1f}% of the station's "
            f"residents live in the {cut} areas cut by its boundary, split by share of "
            "surface assuming residents are spread evenly within each")


def city_basis(census: Census, population: float) -> tuple[str, str]:
    """Where the city's value comes from, in English and French, for the definition."""
    count_en = "" if pd.isna(population) else f" ({population:,.0f} residents)"
    count_fr = "" if pd.isna(population) else f" ({_french_count(population)} résidents)"
    if census.city_from_row:
        return (f"City value: the source's own row for the whole city{count_en}; the city "
                "includes the station.",
                f"Valeur de la ville : la ligne de la source pour toute la ville{count_fr} ; "
                "la ville comprend le poste.")
    if not census.city_areas:  # no area publishes the figure: there is no city value
        return ("City value: none (no census area publishes it).",
                "Valeur de la ville : aucune (aucune aire de recensement ne la publie).")
    return (f"City value: the sum of the {census.city_areas:,} census areas that cover the "
            f"city once{count_en}; the city includes the station.",
            f"Valeur de la ville : somme des {_french_count(census.city_areas)} aires de "
            f"recensement qui couvrent la ville une seule fois{count_fr} ; la ville comprend "
            "le poste.")


def _french_count(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _indicator(item: Indicator, context: StationContext, values: pd.DataFrame,
               city: pd.Series, common: list[str],
               basis: tuple[str, str], area_ids: list[str]) -> IndicatorValue:
    census = context.data.census
    value = values.at[context.station_id, item.id]
    caveats = list(common)
    coverage = _coverage(item, census.stations.value_coverage, context.station_id)
    if coverage is not None and coverage < COVERAGE_NOTE:
        caveats.append(f"{100 * (1 - coverage):.1f}% of the station's residents live in areas "
                       "without this value (suppressed or not published); it is computed "
                       "from the other areas")
    caveats += _kind_caveats(item, census.catalogue.estimate_of(item))
    city_value = city.get(item.id, np.nan)
    context_values = {"city": None if pd.isna(city_value) else float(city_value),
                      "city_includes_station": True,
                      **rank_of(values[item.id], context.station_id),
                      "direction": item.direction, "aggregation": item.aggregation}
    if item.is_ratio:
        context_values["numerator"] = item.numerator
        context_values["denominator"] = item.denominator
    if item.kind == MEDIAN:
        spread = _median_range(census.areas.values[item.id].reindex(area_ids))
        if spread is not None:
            context_values["areas_median_range"] = list(spread)
            caveats.append(f"the medians of the station's census areas range from "
                           f"{spread[0]:,.0f} to {spread[1]:,.0f}")
    missing = pd.isna(value)
    definition_en, definition_fr = census_definitions(item, census.vintage)
    return IndicatorValue(
        item.id, item.label_fr, item.label_en, None if missing else float(value),
        item.display_unit,
        definition=f"{definition_en} {basis[0]}",
        definition_fr=f"{definition_fr} {basis[1]}",
        source=census.source, vintage=census.vintage, period=census.vintage,
        caveats=caveats, context=context_values,
        reason="not available: suppressed or not published for the station's areas"
        if missing else None)


def _kind_caveats(item: Indicator, estimate: str) -> list[str]:
    """What the indicator's kind and estimation make approximate, said beside its value."""
    caveats = []
    if item.kind == MEDIAN:
        caveats.append("approximate: household-weighted median of the census areas' medians")
    if item.kind == SCORE:
        caveats.append("population-weighted mean of the census areas' scores")
    if estimate == "long-form":
        caveats.append("census estimate (long-form sample, randomly rounded counts): "
                       "Statistics Canada publishes no interval for it")
    elif estimate == "sample":
        caveats.append("survey estimate from a sample: the interval is not computed here")
    if item.rounding:
        caveats.append(f"counts randomly rounded to a multiple of {item.rounding} by the source")
    return caveats


def _median_range(medians: pd.Series) -> tuple[float, float] | None:
    """The lowest and highest of the areas' own medians (None without two areas): a median
    of areas hides how different they are."""
    known = medians.dropna()
    return (float(known.min()), float(known.max())) if len(known) >= 2 else None


def _unpublished(item: Indicator, census: Census) -> IndicatorValue:
    """An indicator of the user's catalogue that no area of the workspace has a value for."""
    return IndicatorValue(
        item.id, item.label_fr, item.label_en, None, item.display_unit,
        definition=item.definition_en, definition_fr=item.definition_fr,
        source=census.source, vintage=census.vintage, period=census.vintage,
        context={"direction": item.direction, "aggregation": item.aggregation},
        reason="no census area of the workspace has a value for it")


def _coverage(item: Indicator, coverage: pd.DataFrame, station_id: str) -> float | None:
    columns = [item.numerator, item.denominator] if item.is_ratio else [item.id]
    found = [coverage.at[station_id, c] for c in columns
             if c in coverage.columns and station_id in coverage.index]
    found = [f for f in found if not pd.isna(f)]
    return min(found) if found else None


def _areas_table(pieces: pd.DataFrame, area_values: pd.DataFrame) -> Table:
    population = area_values["population"] if "population" in area_values else None
    rows = []
    for piece in pieces.itertuples(index=False):
        full = population.get(piece.area_id, np.nan) if population is not None else np.nan
        rows.append({"area_id": piece.area_id, "share_in_station": round(piece.share, 4),
                     "population": None if pd.isna(full) else float(full),
                     "population_in_station": None if pd.isna(full) else
                     round(float(full) * piece.share, 1)})
    return Table("census_areas", "Aires de diffusion du poste", "Census areas of the station",
                 ["area_id", "share_in_station", "population", "population_in_station"], rows,
                 "share_in_station: share of the area's surface inside the station.")


def classify(values: np.ndarray, k: int) -> dict:
    """Quantile and natural-breaks (Fisher-Jenks) classes of ``values``, breaks included
    (the same breaks as mapclassify's ``Quantiles`` and ``FisherJenks``).

    With fewer distinct values than ``k``, as many classes as distinct values; none (and a
    reason) with fewer than two.
    """
    finite = values[np.isfinite(values)]
    distinct = np.unique(finite).size
    if distinct < 2:
        return {"reason": "fewer than two distinct values: nothing to classify"}
    k = min(k, distinct)
    out: dict = {"k": k}
    for name, method in (("quantiles", quantile_breaks), ("natural_breaks", natural_breaks)):
        breaks = method(finite, k)
        out[name] = {"breaks": breaks, "counts": class_counts(finite, breaks)}
    return out


def _choropleth(item: Indicator, area_values: pd.DataFrame, area_ids: list[str],
                k: int) -> MapLayer:
    values = area_values[item.id].reindex(area_ids).to_numpy(dtype=float)
    classes = classify(values, k)
    found = {name: np.searchsorted(classes[name]["breaks"], values).tolist()  # every area at once
             for name in ("quantiles", "natural_breaks") if name in classes}
    rows = []
    for number, (area_id, value) in enumerate(zip(area_ids, values.tolist(), strict=True)):
        row = {"area_id": area_id, "value": None if np.isnan(value) else value}
        for name, positions in found.items():
            if not np.isnan(value):
                row[f"class_{name}"] = positions[number]
        rows.append(row)
    return MapLayer(f"census_{item.id}", item.label_fr, item.label_en, "choropleth",
                    "census_areas", {"indicator": item.id, "unit": item.display_unit, **classes},
                    rows)
