"""Every station side by side: the same indicators for all, computed in one vectorised pass.

The table answers "how does my station compare?" without building 35 portraits: census
values come from the one apportionment of all stations, incident counts from one tally of
the period, survey shares from one grouping of the latest wave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from portrait.indicators import MEDIAN, SCORE, census_definitions
from portrait.portrait_data import PortraitData, category_label
from portrait.portrait_model import Section, Table, clean
from portrait.portrait_options import PortraitOptions
from portrait.sections.common import DAYS_PER_YEAR, period_text
from portrait.sections.crime_trends import windows
from portrait.sections.socio_economic import city_basis
from portrait.statistics.rates import change_test, rates_per

#: Columns of whole numbers: counts of incidents and services, their differences, and the
#: apportioned population, rounded (a fraction of a resident is an artefact of apportioning).
INTEGER_COLUMNS = ("population", "incidents", "services", "change_12_months")
ID = "station_comparison"
TITLE_FR, TITLE_EN = "Comparaison des postes", "Station comparison"


@dataclass(frozen=True)
class StationComparison:
    """One record per station; ``columns`` describes each field (labels, unit, definition)."""

    period: tuple[str, str] | None
    columns: list[dict]
    records: list[dict]
    parameters: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return clean({"period": self.period, "columns": self.columns, "records": self.records,
                      "parameters": self.parameters})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.records).set_index("station_id")


def compare(data: PortraitData, start: pd.Timestamp | None, end: pd.Timestamp | None,
            options: PortraitOptions) -> StationComparison:
    """The comparison table for a period (cached on ``data`` for the period and options)."""
    key = ("comparison", start, end, options)
    if key not in data.cache:
        data.cache[key] = _compare(data, start, end, options)
    return data.cache[key]


def _compare(data: PortraitData, start, end, options: PortraitOptions) -> StationComparison:
    stations = pd.Index(data.station_ids, name="station_id")
    table = pd.DataFrame(index=stations)
    table["name"] = [data.station_name(s) for s in stations]
    columns = [_column("name", "Nom", "Name", "", "Station name.", "Nom du poste.")]
    values = data.census.stations.values.reindex(stations)
    city_population = _city_population(data)
    basis = city_basis(data.census, city_population)
    for item in data.census.catalogue:
        if item.id == "population" or item.is_ratio or item.kind in (MEDIAN, SCORE):
            table[item.id] = values[item.id] if item.id in values else np.nan
            definition_en, definition_fr = census_definitions(item, data.census.vintage)
            columns.append(_column(item.id, item.label_fr, item.label_en, item.display_unit,
                                   f"{definition_en} {basis[0]}",
                                   f"{definition_fr} {basis[1]}"))
    population = table["population"].to_numpy(dtype=float)
    if start is not None:
        years = ((end - start).days + 1) / DAYS_PER_YEAR
        counts = data.period_counts(start, end)
        by_category = counts.by_category.reindex(stations, fill_value=0)
        total = by_category.sum(axis=1).to_numpy(dtype=float)
        per = options.per_residents
        rate, low, high = rates_per(total, population * years, per, options.confidence_level)
        table["incidents"] = total
        table["incidents_rate"], table["incidents_rate_low"], table["incidents_rate_high"] = \
            rate, low, high
        columns += [_column("incidents", "Incidents", "Incidents", "incidents",
                            "Incidents in the period.", "Incidents de la période."),
                    _column("incidents_rate", "Incidents par 1 000 résidents par an",
                            "Incidents per 1,000 residents per year", "rate",
                            "With its exact Poisson interval (low and high bounds).",
                            "Avec son intervalle de Poisson exact (bornes inférieure et "
                            "supérieure)."),
                    _column("incidents_rate_vs_rest", "Taux c. reste de la ville",
                            "Rate vs rest of the city", "ratio",
                            "The station's incident rate over that of the rest of the city "
                            "(the city without the station): 2 = twice the rate.",
                            "Taux d'incidents du poste sur celui du reste de la ville (la "
                            "ville sans le poste) : 2 = deux fois le taux.")]
        table["incidents_rate_vs_rest"] = _rate_vs_rest(total, population, city_population)
        for category in by_category.columns:
            fr, en = category_label(category)
            table[f"rate_{category}"] = rates_per(by_category[category].to_numpy(dtype=float),
                                                  population * years, per)[0]
            columns.append(_column(f"rate_{category}", f"{fr} par 1 000 résidents par an",
                                   f"{en} per 1,000 residents per year", "rate",
                                   "Annual rate per 1,000 census residents.",
                                   "Taux annuel pour 1 000 résidents recensés."))
        _changes(data, table, stations, end, options, columns)
    services = data.services[data.services["located"]]
    in_station = services["station"].value_counts().reindex(stations, fill_value=0)
    table["services"] = in_station.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        table["services_per_1000"] = np.where(population > 0, in_station.to_numpy() /
                                              np.where(population > 0, population, 1) * 1_000,
                                              np.nan)
    columns += [_column("services", "Services", "Services", "services",
                        "Located services inside the boundary.",
                        "Services localisés à l'intérieur des limites."),
                _column("services_per_1000", "Services par 1 000 résidents",
                        "Services per 1,000 residents", "rate", "No interval: a count of places.",
                        "Sans intervalle : un dénombrement de lieux.")]
    _surveys(data, table, stations, end, options, columns)
    for column in INTEGER_COLUMNS:
        if column in table:
            table[column] = _whole_numbers(table[column])
    records = table.reset_index().to_dict(orient="records")
    return StationComparison(
        None if start is None else (start.date().isoformat(), end.date().isoformat()),
        columns, records, {"per_residents": options.per_residents,
                           "survey_min_n": options.survey_min_n})


def _city_population(data: PortraitData) -> float:
    city = data.census.city.values
    if city.empty or "population" not in city:
        return np.nan
    return float(city["population"].iloc[0])


def _rate_vs_rest(total: np.ndarray, population: np.ndarray, city_population: float
                  ) -> np.ndarray:
    """Each station's rate over the rest of the city's (the city's incidents and residents
    without the station's); the period's length cancels out."""
    rest_count = total.sum() - total
    rest_population = city_population - population
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (total / population) / (rest_count / rest_population)
    usable = (population > 0) & (rest_population > 0) & (rest_count > 0)
    return np.where(usable & np.isfinite(ratio), ratio, np.nan)


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Python ints (None where missing), so records and JSON show 8679, not 8678.988533."""
    numbers = values.to_numpy(dtype=float)
    return pd.Series([int(round(v)) if np.isfinite(v) else None for v in numbers],
                     index=values.index, dtype=object)


def _changes(data, table, stations, end, options, columns) -> None:
    """The change of each station's last 12 months, by the station pages' own test
    (``crime_trends``: same windows, ``change_test`` and small-count rule)."""
    current_start, current_end, previous_start, previous_end = windows(end)["last_12_months"]
    first = data.incidents.first_date
    if first is None or first > previous_start:
        return
    current = data.period_counts(current_start, current_end).totals.reindex(stations,
                                                                            fill_value=0)
    previous = data.period_counts(previous_start, previous_end).totals.reindex(stations,
                                                                               fill_value=0)
    exposure = ((current_end - current_start).days + 1) / \
        ((previous_end - previous_start).days + 1)
    tests = [change_test(int(c), int(p), exposure, options.small_count)
             for c, p in zip(current, previous, strict=True)]
    table["change_12_months"] = [t.difference for t in tests]
    table["change_12_months_p_value"] = [t.p_value for t in tests]
    recent, before = (period_text(current_start, current_end),
                      period_text(previous_start, previous_end))
    columns.append(_column("change_12_months", "Écart 12 derniers mois c. précédents",
                           "Change, last 12 months vs previous 12", "incidents",
                           f"{recent} vs {before}; p-value of the test in "
                           "change_12_months_p_value.",
                           f"{recent} c. {before} ; valeur p du test dans "
                           "change_12_months_p_value."))


def _surveys(data, table, stations, end, options, columns) -> None:
    from portrait.sections.survey_results import joined_answers, wave_order, waves_until

    answers = joined_answers(data)
    if answers.empty:
        return
    waves = waves_until(wave_order(answers), end)
    if waves.empty:
        return
    latest = answers[(answers["wave"] == waves.index[-1]) & answers["code"].notna()]
    latest = latest.assign(weight_favourable=latest["weight"] *
                           (latest["code"] >= latest["top"]))
    grouped = latest.groupby(["question_id", "station"]).agg(
        n=("weight", "size"), weight=("weight", "sum"),
        favourable=("weight_favourable", "sum"))
    for question_id in sorted(latest["question_id"].unique()):
        part = grouped.loc[question_id].reindex(stations)
        share = 100 * part["favourable"] / part["weight"]
        table[f"survey_{question_id}_favourable"] = share.where(part["n"] >=
                                                                options.survey_min_n)
        columns.append(_column(f"survey_{question_id}_favourable",
                               f"Sondage {question_id} : réponses favorables",
                               f"Survey {question_id}: favourable answers", "%",
                               f"Wave {waves.index[-1]}; suppressed under "
                               f"{options.survey_min_n} answers.",
                               f"Vague {waves.index[-1]} ; masqué sous "
                               f"{options.survey_min_n} réponses."))


def _column(id_: str, label_fr: str, label_en: str, unit: str, definition: str,
            definition_fr: str) -> dict:
    return {"id": id_, "label_fr": label_fr, "label_en": label_en, "unit": unit,
            "definition": definition, "definition_fr": definition_fr}


def build(data: PortraitData, station_id: str, start, end,
          options: PortraitOptions) -> Section:
    comparison = compare(data, start, end, options)
    records = [{**r, "is_station": r["station_id"] == station_id} for r in comparison.records]
    return Section(ID, TITLE_FR, TITLE_EN, tables=[
        Table("stations", TITLE_FR, TITLE_EN,
              ["station_id", *[c["id"] for c in comparison.columns], "is_station"], records,
              "Same definitions as the station's own sections; columns described in the "
              "'columns' table."),
        Table("columns", "Colonnes", "Columns", ["id", "label_fr", "label_en", "unit",
                                                 "definition", "definition_fr"],
              comparison.columns)])
