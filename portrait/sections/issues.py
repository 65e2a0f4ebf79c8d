"""Issue tags (property crime, violence, vehicles...): the crime measures, per issue.

Tags come with the incident or, when the source gives none, from the category mapping (a
category can carry several tags: theft from a vehicle is both "property" and "vehicles").
Each issue gets its count, annual rate per 1,000 residents, location quotient against the
city and the change of the last 12 months, tested, with a Benjamini-Hochberg correction
across issues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portrait.categories import ISSUE_TAGS
from portrait.portrait_model import IndicatorValue, Interval, Section, Table, TestResult
from portrait.sections.common import StationContext, annual_rate, period_text
from portrait.sections.crime_trends import windows
from portrait.statistics.location_quotients import location_quotients
from portrait.statistics.multiple_testing import benjamini_hochberg
from portrait.statistics.rates import change_test, poisson_interval

ID = "issues"
TITLE_FR, TITLE_EN = "Enjeux", "Issues"


def build(context: StationContext) -> Section:
    if context.start is None:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no incidents")
    counts = context.data.period_counts(context.start, context.end)
    city = counts.by_tag.sum(axis=0)
    tag_ids = [t for t in context.data.incidents.tag_ids if city.get(t, 0) > 0]
    if not tag_ids:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no incident carries an issue tag (check the category mapping)")
    if len(context.incidents) == 0:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no incident recorded in the station during the period")
    columns = [context.data.incidents.tag_ids.index(t) for t in tag_ids]
    station = context.tags[:, columns].sum(axis=0).astype(float)
    city_counts = np.array([city[t] for t in tag_ids], dtype=float)
    # Tags overlap, so the LQ's totals are the incidents, not the sum of tag counts.
    lq = location_quotients(station, len(context.incidents), city_counts,
                            float(counts.totals.sum()), context.options.confidence_level)
    tests = _changes(context, columns)
    p_values = [np.nan if t is None else t.p_value for t in tests]
    adjusted = benjamini_hochberg(p_values, context.options.fdr_q).adjusted
    level, per = context.options.confidence_level, context.options.per_residents
    common = dict(source=context.incident_source, vintage=context.incident_vintage,
                  period=context.period_text)
    indicators, rows = [], []
    for i, tag in enumerate(tag_ids):
        fr, en = ISSUE_TAGS.get(tag, (tag, tag))
        rate = annual_rate(station[i], context.years, context.population, per, level)
        low, high = poisson_interval(station[i], level, decimals=None)
        test = tests[i]
        rows.append({"tag": tag, "label_fr": fr, "label_en": en, "count": int(station[i]),
                     "count_low": low, "count_high": high, "rate": rate.value,
                     "rate_low": rate.low, "rate_high": rate.high,
                     "lq": _num(lq.value[i]), "lq_low": _num(lq.low[i]),
                     "lq_high": _num(lq.high[i]), "lq_note": lq.notes[i],
                     "change_12_months": None if test is None else test.difference,
                     "change_p_value": None if test is None else test.p_value,
                     "change_p_adjusted": _num(adjusted[i])})
        indicators.append(IndicatorValue(
            f"tag_rate_{tag}", f"{fr} : incidents par 1 000 résidents par an",
            f"{en}: incidents per 1,000 residents per year", rate.value,
            f"per {per:,.0f} residents per year",
            None if rate.value is None else Interval(rate.low, rate.high, level, rate.method),
            definition=f"Incidents tagged '{tag}' per year per 1,000 census residents.",
            definition_fr=f"Incidents de l'enjeu « {fr} » par an pour 1 000 résidents.",
            context={"count": int(station[i]), "lq": _num(lq.value[i])}, reason=rate.reason,
            **common))
        indicators.append(IndicatorValue(
            f"tag_lq_{tag}", f"{fr} : quotient de localisation", f"{en}: location quotient",
            _num(lq.value[i]), "ratio",
            None if np.isnan(lq.low[i]) else Interval(float(lq.low[i]), float(lq.high[i]),
                                                      level, lq.method),
            definition="Share of the station's incidents with this tag over the share in the "
                       "rest of the city (the station left out).",
            definition_fr="Part des incidents du poste portant cet enjeu sur la part dans le "
                          "reste de la ville (poste exclu).",
            caveats=[lq.notes[i]] if lq.notes[i] else [], **common))
        if test is not None:
            indicators.append(IndicatorValue(
                f"tag_change_{tag}", f"{fr} : 12 derniers mois c. précédents",
                f"{en}: last 12 months vs previous 12", float(test.difference),
                "incidents (difference)",
                test=TestResult(test.statistic, test.p_value, test.method, _num(adjusted[i]),
                                {"current": test.current, "previous": test.previous}),
                definition="Difference in tagged incidents between the last 12 months and the "
                           "12 before, with a test of equal rates.",
                definition_fr="Différence entre les 12 derniers mois et les 12 précédents, "
                              "avec un test.", **common))
    table = Table("issues", "Enjeux", "Issues", list(rows[0].keys()), rows,
                  "An incident can carry several tags; location quotients use all incidents "
                  "as the total.")
    return Section(ID, TITLE_FR, TITLE_EN, indicators, [table])


def _changes(context: StationContext, columns: list[int]):
    frame, tags = context.data.incidents.of(context.station_id)
    current_start, current_end, previous_start, previous_end = \
        windows(context.end)["last_12_months"]
    first = context.data.incidents.first_date
    if first is None or first > previous_start:
        return [None] * len(columns)
    dates = frame["date"].to_numpy()
    current = (dates >= np.datetime64(current_start)) & (dates <= np.datetime64(current_end))
    previous = (dates >= np.datetime64(previous_start)) & \
        (dates <= np.datetime64(previous_end))
    context.parameters.setdefault("issues", {"change_windows": [
        period_text(current_start, current_end), period_text(previous_start, previous_end)]})
    exposure = ((current_end - current_start).days + 1) / \
        ((previous_end - previous_start).days + 1)
    return [change_test(int(tags[current, c].sum()), int(tags[previous, c].sum()), exposure,
                        context.options.small_count) for c in columns]


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
