"""Crime and safety: incidents by category and year, rates per resident, location quotients.

Rates are per 1,000 residents per year (the period's count divided by its length in years):
comparable between periods of different lengths. Residents are the census population
apportioned to the station; incidents also involve workers and visitors, so rates run high
where few people live (downtown), which the caveats say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portrait.portrait_data import category_label
from portrait.portrait_model import IndicatorValue, Interval, Section, Table
from portrait.sections.common import (
    StationContext,
    annual_rate,
    count_indicator,
    rank_of,
    rate_indicator,
)
from portrait.statistics.location_quotients import location_quotients
from portrait.statistics.rates import poisson_interval, rates_per

ID = "crime"
TITLE_FR, TITLE_EN = "Criminalité et sécurité", "Crime and safety"
RESIDENTS_CAVEAT = ("residents counted by the census; incidents also involve workers and "
                    "visitors, so rates run high where few people live")


def build(context: StationContext) -> Section:
    if context.start is None:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no incidents")
    frame = context.incidents
    if len(frame) == 0:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no incident recorded in the station during the period")
    data, options = context.data, context.options
    counts = data.period_counts(context.start, context.end)
    populations = data.census.stations.values.get("population", pd.Series(dtype=float))
    city_population = _city_population(context)
    years = context.years
    per = options.per_residents
    common = dict(source=context.incident_source, vintage=context.incident_vintage,
                  period=context.period_text)
    total = len(frame)
    city_total = int(counts.totals.sum())
    rate = annual_rate(total, years, context.population, per, options.confidence_level)
    station_rates = counts.totals / years / populations.reindex(counts.totals.index) * per
    city_rate = city_total / years / city_population * per if city_population else None
    indicators = [
        count_indicator("incidents_total", "Incidents déclarés", "Reported incidents", total,
                        definition="Incidents recorded in the station during the period.",
                        definition_fr="Incidents enregistrés dans le poste pendant la période.",
                        level=options.confidence_level,
                        context={"city": city_total,
                                 "share_of_city": total / city_total if city_total else None},
                        **common),
        rate_indicator("incidents_rate", "Incidents par 1 000 résidents par an",
                       "Incidents per 1,000 residents per year", rate,
                       f"per {per:,.0f} residents per year",
                       definition="Incidents in the period divided by its length in years and "
                                  "by the station's census population. City value: all the "
                                  "city's incidents over the city's population, the station "
                                  "included.",
                       definition_fr="Incidents de la période, divisés par sa durée en années "
                                     "et par la population recensée du poste. Valeur de la "
                                     "ville : tous les incidents de la ville sur sa population, "
                                     "poste compris.",
                       caveats=[RESIDENTS_CAVEAT], context={
                           "city": city_rate, **rank_of(station_rates, context.station_id)},
                       **common),
    ]
    table = _category_table(context, counts, city_population)
    for row in table:
        indicators.extend(_category_indicators(row, context, common))
    tables = [
        Table("categories", "Incidents par catégorie", "Incidents by category",
              list(table[0].keys()) if table else [], table,
              "Rates per 1,000 residents per year with exact Poisson intervals; location "
              "quotient against the rest of the city with a log-normal interval."),
        _by_year_table(frame, context),
    ]
    context.parameters["rates"] = {"per_residents": per, "period_years": round(years, 6),
                                   "population": context.population,
                                   "population_source": data.census.vintage}
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables)


def _city_population(context: StationContext) -> float | None:
    city = context.data.census.city.values
    if city.empty or "population" not in city:
        return None
    value = city["population"].iloc[0]
    return None if pd.isna(value) or value <= 0 else float(value)


def _category_table(context: StationContext, counts, city_population) -> list[dict]:
    frame = context.incidents
    station_counts = frame["category"].value_counts()
    city_counts = counts.by_category.sum(axis=0)
    categories = [c for c in city_counts.index if city_counts[c] > 0 or station_counts.get(c, 0)]
    station = np.array([station_counts.get(c, 0) for c in categories], dtype=float)
    city = np.array([city_counts.get(c, 0) for c in categories], dtype=float)
    per, years = context.options.per_residents, context.years
    person_years = (context.population or np.nan) * years
    value, low, high = rates_per(station, np.full(station.size, person_years), per,
                                 context.options.confidence_level)
    count_low, count_high = poisson_interval(station, context.options.confidence_level,
                                             decimals=None)
    lq = location_quotients(station, station.sum(), city, city.sum(),
                            context.options.confidence_level)
    rows = []
    for i, category in enumerate(categories):
        label_fr, label_en = category_label(category)
        rows.append({
            "category": category, "label_fr": label_fr, "label_en": label_en,
            "count": int(station[i]), "count_low": float(count_low[i]),
            "count_high": float(count_high[i]),
            "rate": _num(value[i]), "rate_low": _num(low[i]), "rate_high": _num(high[i]),
            "city_count": int(city[i]),
            "city_rate": _num(city[i] / years / city_population * per)
            if city_population else None,
            "lq": _num(lq.value[i]), "lq_low": _num(lq.low[i]), "lq_high": _num(lq.high[i]),
            "lq_note": lq.notes[i],
        })
    return rows


def _category_indicators(row: dict, context: StationContext, common: dict
                         ) -> list[IndicatorValue]:
    category, label_fr, label_en = row["category"], row["label_fr"], row["label_en"]
    level = context.options.confidence_level
    rate_reason = None if row["rate"] is not None else "the station has no census population"
    per = context.options.per_residents
    return [
        IndicatorValue(
            f"count_{category}", f"{label_fr} : incidents", f"{label_en}: incidents",
            float(row["count"]), "incidents",
            Interval(row["count_low"], row["count_high"], level, "exact Poisson (Garwood)"),
            definition=f"Incidents of category {label_en} in the station during the period.",
            definition_fr=f"Incidents de la catégorie {label_fr} dans le poste pendant la "
                          "période.", context={"city": row["city_count"]}, **common),
        IndicatorValue(
            f"rate_{category}", f"{label_fr} : par 1 000 résidents par an",
            f"{label_en}: per 1,000 residents per year", row["rate"],
            f"per {per:,.0f} residents per year",
            None if row["rate"] is None else Interval(row["rate_low"], row["rate_high"], level,
                                                      "exact Poisson (Garwood), per year"),
            definition="Incidents of the category per year per 1,000 census residents.",
            definition_fr="Incidents de la catégorie par an pour 1 000 résidents recensés.",
            caveats=[RESIDENTS_CAVEAT], context={"city": row["city_rate"]},
            reason=rate_reason, **common),
        IndicatorValue(
            f"lq_{category}", f"{label_fr} : quotient de localisation",
            f"{label_en}: location quotient", row["lq"], "ratio",
            None if row["lq_low"] is None else Interval(row["lq_low"], row["lq_high"], level,
                                                        "log-normal (Moineddin 2003)"),
            definition="Category's share of the station's incidents over its share of the "
                       "rest of the city's, the station left out (1 = same weight as in the "
                       "rest of the city).",
            definition_fr="Part de la catégorie dans les incidents du poste sur sa part dans "
                          "ceux du reste de la ville, poste exclu (1 = même poids que dans le "
                          "reste de la ville).",
            caveats=[row["lq_note"]] if row["lq_note"] else [],
            reason="no location quotient: " + row["lq_note"] if row["lq"] is None and
            row["lq_note"] else None, **common),
    ]


def _by_year_table(frame: pd.DataFrame, context: StationContext) -> Table:
    years = frame["date"].dt.year
    grouped = frame.groupby([frame["category"].astype(str), years], observed=True).size()
    rows = []
    for (category, year), count in grouped.items():
        label_fr, label_en = category_label(category)
        year_start, year_end = pd.Timestamp(year=year, month=1, day=1), \
            pd.Timestamp(year=year, month=12, day=31)
        partial = year_start < context.start or year_end > context.end
        rows.append({"category": category, "label_fr": label_fr, "label_en": label_en,
                     "year": int(year), "count": int(count), "partial_year": bool(partial)})
    return Table("by_category_year", "Incidents par catégorie et par année",
                 "Incidents by category and year",
                 ["category", "label_fr", "label_en", "year", "count", "partial_year"], rows,
                 "partial_year: the period covers only part of that year.")


def _num(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
