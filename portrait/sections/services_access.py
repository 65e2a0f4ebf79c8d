"""Community services: how many, of which type, and who lives within reach of them.

Coverage places each census area's residents at one point of the part of the area inside
the station (its apportioned population), and measures the straight-line distance to the
nearest service of each type, wherever it is (a food bank across the boundary still serves).
Gaps are high-need areas (low-income rate above the city's) with no service of a type within
reach. Straight lines understate walking distances; the caveats say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from portrait.portrait_model import IndicatorValue, Section, Table
from portrait.sections.common import StationContext
from portrait.services import BY_ID as SERVICE_TYPES

ID = "services"
TITLE_FR, TITLE_EN = "Services à la communauté", "Community services"
STRAIGHT_LINE = "straight-line distances, shorter than walking distances"
NO_LOW_INCOME = "no low-income rate in the census data of the station's areas or the city"
PLACEMENT = ("residents placed at one point of each census area's part inside the station "
             "(apportioned population)")


def type_label(type_id: str) -> tuple[str, str]:
    found = SERVICE_TYPES.get(type_id)
    return (found.label_fr, found.label_en) if found else (type_id, type_id)


def build(context: StationContext) -> Section:
    services = context.data.services
    if services.empty:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no services")
    located = services[services["located"]]
    options = context.options
    polygon = context.data.polygon(context.station_id)
    shapely.prepare(polygon)
    inside = (located["station"] == context.station_id).to_numpy()
    near = shapely.dwithin(polygon, shapely.points(located["x"].to_numpy(),
                                                   located["y"].to_numpy()),
                           options.service_buffer_m)
    population = context.population
    source = dict(source="services layer", vintage="inventory as imported",
                  period="current inventory")
    types = sorted(set(located["service_type"]) | set(services["service_type"]))
    pieces = _residents(context)
    trees = _trees(context, located)
    distances = {t: tree.query(pieces[["x", "y"]].to_numpy())[0] if len(pieces) else
                 np.zeros(0) for t, tree in trees.items()}
    rows, indicators = [], []
    total_population = float(pieces["population"].sum()) if len(pieces) else 0.0
    for service_type in types:
        fr, en = type_label(service_type)
        of_type = (located["service_type"] == service_type).to_numpy()
        row = {"service_type": service_type, "label_fr": fr, "label_en": en,
               "in_station": int(np.sum(inside & of_type)),
               "within_buffer": int(np.sum(near & of_type)),
               "per_1000_residents": _per(np.sum(inside & of_type), population)}
        for d in options.coverage_distances_m:
            row[f"coverage_{int(d)}m"] = _coverage(distances.get(service_type), pieces, d,
                                                   total_population)
        rows.append(row)
    indicators.append(IndicatorValue(
        "services_in_station", "Services dans le poste", "Services in the station",
        float(inside.sum()), "services",
        definition="Located services whose point lies inside the station's boundary.",
        definition_fr="Services localisés à l'intérieur des limites du poste.",
        context={"within_buffer": int(near.sum()), "buffer_m": options.service_buffer_m,
                 "unlocated_in_workspace": int((~services["located"]).sum()),
                 "per_1000_residents": _per(inside.sum(), population)},
        caveats=["a count of places, not a sample estimate: no interval"], **source))
    for row in rows:
        for d in options.coverage_distances_m:
            value = row[f"coverage_{int(d)}m"]
            indicators.append(IndicatorValue(
                f"coverage_{row['service_type']}_{int(d)}m",
                f"{row['label_fr']} : résidents à moins de {int(d)} m",
                f"{row['label_en']}: residents within {int(d)} m", value, "%",
                definition=f"Share of the station's residents within {int(d)} m of a "
                           f"service of this type. {PLACEMENT}.",
                definition_fr=f"Part des résidents du poste à moins de {int(d)} m d'un "
                              "service de ce type.",
                caveats=[STRAIGHT_LINE], reason=None if value is not None else
                "no census population in the station", **source))
    gaps, gaps_reason = _gaps(context, pieces, distances, types)
    indicators.append(IndicatorValue(
        "high_need_areas_with_gaps", "Aires défavorisées sans service à proximité",
        "High-need areas lacking a service type", None if gaps_reason else float(len(gaps)),
        "areas", reason=gaps_reason,
        definition=f"Census areas of the station with a low-income rate above the city's and "
                   f"at least one service type farther than {int(options.gap_distance_m)} m.",
        definition_fr="Aires du poste au taux de faible revenu supérieur à celui de la ville "
                      "sans service d'un type à proximité.",
        caveats=[STRAIGHT_LINE], **source))
    tables = [
        Table("services_by_type", "Services par type", "Services by type",
              list(rows[0].keys()) if rows else [], rows,
              f"within_buffer: inside or within {int(options.service_buffer_m)} m of the "
              f"boundary; coverage in % of residents ({PLACEMENT})."),
        Table("gaps", "Aires défavorisées : types de services hors d'atteinte",
              "High-need areas: service types out of reach",
              ["area_id", "low_income_rate", "population_in_station", "missing_types"], gaps,
              f"Out of reach: nearest service of the type beyond "
              f"{int(options.gap_distance_m)} m."),
    ]
    context.parameters["services"] = {
        "buffer_m": options.service_buffer_m,
        "coverage_distances_m": list(options.coverage_distances_m),
        "gap_distance_m": options.gap_distance_m, "population_placement": PLACEMENT,
        "distance": "straight line"}
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables)


def _trees(context: StationContext, located: pd.DataFrame) -> dict[str, cKDTree]:
    """One KD-tree of located services per type, built once for all stations."""
    cache = context.data.cache
    if "service_trees" not in cache:
        cache["service_trees"] = {
            str(t): cKDTree(group[["x", "y"]].to_numpy())
            for t, group in located.groupby("service_type")}
    return cache["service_trees"]


def _residents(context: StationContext) -> pd.DataFrame:
    census = context.data.census
    pieces = census.shares[census.shares["target_id"] == context.station_id]
    values = census.areas.values
    if pieces.empty or "population" not in values:
        return pd.DataFrame({"area_id": [], "x": [], "y": [], "population": []})
    population = values["population"].reindex(pieces["area_id"]).to_numpy(dtype=float)
    return pd.DataFrame({"area_id": pieces["area_id"].to_numpy(), "x": pieces["x"].to_numpy(),
                         "y": pieces["y"].to_numpy(),
                         "population": np.nan_to_num(population) * pieces["share"].to_numpy()})


def _coverage(distances, pieces: pd.DataFrame, limit: float, total: float) -> float | None:
    if total <= 0:
        return None
    if distances is None:
        return 0.0
    return float(100.0 * pieces["population"].to_numpy()[distances <= limit].sum() / total)


def _per(count, population) -> float | None:
    return None if not population else float(count) / population * 1_000.0


def _gaps(context: StationContext, pieces: pd.DataFrame, distances: dict,
          types: list[str]) -> tuple[list[dict], str | None]:
    """High-need areas out of reach of a type, or no list and the reason when need is unknown
    (census areas imported without low-income values must not read as "no gap")."""
    census = context.data.census
    if pieces.empty:
        return [], "no census area overlaps the station's boundary"
    city = census.city.values
    if "low_income_rate" not in city or city.empty or pd.isna(city["low_income_rate"].iloc[0]):
        return [], NO_LOW_INCOME
    city_rate = city["low_income_rate"].iloc[0]
    rates = census.areas.values["low_income_rate"].reindex(pieces["area_id"]).to_numpy()
    if np.isnan(rates).all():
        return [], NO_LOW_INCOME
    limit = context.options.gap_distance_m
    rows = []
    for i in np.flatnonzero(np.nan_to_num(rates, nan=-1.0) > city_rate):
        missing = [t for t in types if t in distances and distances[t][i] > limit] + \
            [t for t in types if t not in distances]
        if missing:
            rows.append({"area_id": pieces["area_id"].iloc[i],
                         "low_income_rate": round(float(rates[i]), 2),
                         "population_in_station": round(float(pieces["population"].iloc[i]), 1),
                         "missing_types": ", ".join(sorted(missing))})
    return rows, None
