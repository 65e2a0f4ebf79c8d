"""Crime over time: recent changes with tests, monthly trend, seasonality, shifts and days.

Changes compare the last 12 months of the period with the 12 before, and the year to date
with the same days a year earlier. Both windows end on the period's last day and may reach
back before its first day (they need two years of data; without it the change is not given,
with the reason). Each change is a difference in counts with a test, never a bare percent
change; the category tests are read together with a Benjamini-Hochberg correction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portrait.portrait_data import category_label
from portrait.portrait_model import IndicatorValue, Section, Table, TestResult
from portrait.sections.common import StationContext, change_indicator, period_text
from portrait.service_words import ServiceWords, in_use
from portrait.statistics.distributions import chi2_contingency, chisquare
from portrait.statistics.multiple_testing import benjamini_hochberg
from portrait.statistics.rates import change_test

ID = "crime_trends"
TITLE_FR, TITLE_EN = "Évolution dans le temps", "Change over time"
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Hours are used for the time grid when at least this share of incidents has a clock time.
HOURS_NEEDED = 0.5


def windows(end: pd.Timestamp) -> dict[str, tuple[pd.Timestamp, pd.Timestamp,
                                                 pd.Timestamp, pd.Timestamp]]:
    """(current start, current end, previous start, previous end) of each comparison.

    >>> w = windows(pd.Timestamp("2024-10-31"))
    >>> [d.date().isoformat() for d in w["year_to_date"]]
    ['2024-01-01', '2024-10-31', '2023-01-01', '2023-10-31']
    """
    last_12 = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    previous_12 = end - pd.DateOffset(months=24) + pd.Timedelta(days=1)
    ytd = pd.Timestamp(year=end.year, month=1, day=1)
    return {
        "last_12_months": (last_12, end, previous_12, last_12 - pd.Timedelta(days=1)),
        "year_to_date": (ytd, end, ytd - pd.DateOffset(years=1), end - pd.DateOffset(years=1)),
    }


LABELS = {
    "last_12_months": ("12 derniers mois c. 12 mois précédents",
                       "Last 12 months vs previous 12 months"),
    "year_to_date": ("Depuis le début de l'année c. même période l'an dernier",
                     "Year to date vs same period last year"),
}


def build(context: StationContext) -> Section:
    if context.start is None:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no incidents")
    station_all, _ = context.data.incidents.of(context.station_id)
    if len(context.incidents) == 0 and len(station_all) == 0:
        return Section(ID, TITLE_FR, TITLE_EN, reason="no incident recorded in the station")
    indicators: list[IndicatorValue] = []
    tables: list[Table] = []
    for key, bounds in windows(context.end).items():
        found, table = _changes(key, bounds, station_all, context)
        indicators.extend(found)
        tables.append(table)
    tables.append(_monthly(context))
    seasonal, seasonal_table = _seasonality(context)
    indicators.append(seasonal)
    tables.append(seasonal_table)
    grid, grid_test = _time_grid(context)
    tables.append(grid)
    if grid_test is not None:
        indicators.append(grid_test)
    context.parameters["changes"] = {
        key: {"current": period_text(b[0], b[1]), "previous": period_text(b[2], b[3])}
        for key, b in windows(context.end).items()}
    context.parameters["changes"]["small_count_exact_test_below"] = context.options.small_count
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables)


def _changes(key: str, bounds, frame: pd.DataFrame, context: StationContext):
    current_start, current_end, previous_start, previous_end = bounds
    label_fr, label_en = LABELS[key]
    first = context.data.incidents.first_date
    source = dict(source=context.incident_source, vintage=context.incident_vintage,
                  period=f"{period_text(current_start, current_end)} vs "
                         f"{period_text(previous_start, previous_end)}")
    definition = (f"{label_en}: difference in incidents, with a test of equal rates "
                  "(square-root Z test, exact conditional test for small counts or unequal "
                  "lengths).")
    definition_fr = (f"{label_fr} : différence du nombre d'incidents, avec un test d'égalité "
                     "des taux.")
    reason = None
    if first is None or first > previous_start:
        reason = (f"the data start on {first.date() if first is not None else '?'}: no full "
                  "previous period to compare with")
    dates = frame["date"].to_numpy()
    current = (dates >= np.datetime64(current_start)) & (dates <= np.datetime64(current_end))
    previous = (dates >= np.datetime64(previous_start)) & (dates <= np.datetime64(previous_end))
    exposure = ((current_end - current_start).days + 1) / ((previous_end - previous_start).days
                                                           + 1)
    rows, indicators, p_values = [], [], []
    groups = [("all", "Tous les incidents", "All incidents", int(current.sum()),
               int(previous.sum()))]
    for category, in_current, in_previous in _counts_by_category(frame["category"], current,
                                                                 previous):
        fr, en = category_label(category)
        groups.append((category, fr, en, in_current, in_previous))
    for group_id, fr, en, in_current, in_previous in groups:
        test = None if reason else change_test(in_current, in_previous, exposure,
                                               context.options.small_count)
        p_values.append(np.nan if test is None or group_id == "all" else test.p_value)
        indicators.append(change_indicator(
            f"change_{key}_{group_id}", f"{fr} : {label_fr.lower()}", f"{en}: {label_en}",
            test, definition=definition, definition_fr=definition_fr, reason=reason, **source))
        rows.append({"group": group_id, "label_fr": fr, "label_en": en,
                     "current": None if test is None else test.current,
                     "previous": None if test is None else test.previous,
                     "difference": None if test is None else test.difference,
                     "statistic": None if test is None else test.statistic,
                     "p_value": None if test is None else test.p_value,
                     "method": None if test is None else test.method})
    adjusted = benjamini_hochberg(p_values, context.options.fdr_q).adjusted
    for i, row in enumerate(rows):
        row["p_adjusted"] = None if np.isnan(adjusted[i]) else float(adjusted[i])
        if indicators[i].test is not None and row["p_adjusted"] is not None:
            test = indicators[i].test
            indicators[i] = _with_adjusted(indicators[i], TestResult(
                test.statistic, test.p_value, test.method, row["p_adjusted"], test.details))
    table = Table(f"changes_{key}", label_fr, label_en,
                  ["group", "label_fr", "label_en", "current", "previous", "difference",
                   "statistic", "p_value", "p_adjusted", "method"], rows,
                  "p_adjusted: Benjamini-Hochberg over the categories (q = "
                  f"{context.options.fdr_q:g})." + (f" Not computed: {reason}." if reason else ""))
    return indicators, table


def _with_adjusted(indicator: IndicatorValue, test: TestResult) -> IndicatorValue:
    from dataclasses import replace

    return replace(indicator, test=test)


def _monthly(context: StationContext) -> Table:
    months = pd.period_range(context.start, context.end, freq="M")
    counts = context.incidents["date"].dt.to_period("M").value_counts()
    rows = [{"month": str(m), "count": int(counts.get(m, 0))} for m in months]
    return Table("monthly", "Incidents par mois", "Incidents by month", ["month", "count"], rows,
                 "Every month of the period, zeros included; first and last months may be "
                 "partial.")


def _seasonality(context: StationContext) -> tuple[IndicatorValue, Table]:
    days = pd.date_range(context.start, context.end, freq="D")
    exposure = np.bincount(days.month - 1, minlength=12).astype(float)
    observed = np.bincount(context.incidents["date"].dt.month.to_numpy() - 1,
                           minlength=12).astype(float) if len(context.incidents) \
        else np.zeros(12)
    total = observed.sum()
    expected = total * exposure / exposure.sum() if exposure.sum() else np.zeros(12)
    rows = [{"month": m + 1, "count": int(observed[m]), "expected": round(float(expected[m]), 2),
             "index": round(float(observed[m] / expected[m]), 3) if expected[m] > 0 else None}
            for m in range(12)]
    table = Table("seasonality", "Saisonnalité", "Seasonality",
                  ["month", "count", "expected", "index"], rows,
                  "expected: count if incidents were spread evenly over the days of the "
                  "period; index = count / expected (1 = no seasonal effect).")
    full_year = len(days) >= 365
    definition = ("Chi-square test that incidents are spread over calendar months in "
                  "proportion to the days each month has in the period.")
    base = dict(definition=definition,
                definition_fr="Test du khi-deux de répartition des incidents entre les mois "
                              "au prorata de leurs jours dans la période.",
                source=context.incident_source, vintage=context.incident_vintage,
                period=context.period_text)
    if not full_year or total < 12:
        return IndicatorValue("seasonality", "Saisonnalité", "Seasonality", None, "index",
                              reason="needs a period of at least a year and 12 incidents",
                              **base), table
    statistic, p_value = chisquare(observed, expected)
    peak = int(np.argmax(observed / np.where(expected > 0, expected, np.inf)))
    return IndicatorValue(
        "seasonality", "Saisonnalité (mois le plus chargé)", "Seasonality (busiest month)",
        float(rows[peak]["index"]), "index (1 = no seasonal effect)",
        test=TestResult(float(statistic), float(p_value), "chi-square goodness of fit, 11 df",
                        details={"busiest_month": peak + 1}), **base), table


def shift_note(words: ServiceWords) -> str:
    """The shifts' names and hours, in English (``portrait.wording`` gives the French).

    >>> shift_note(ServiceWords())
    'Shifts of the SPVM file: jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h (time of the report).'
    """
    shifts = ", ".join(f"{s.name_en} {s.hours()}" for s in words.shifts)
    if words.is_spvm():
        return f"Shifts of the SPVM file: {shifts} (time of the report)."
    return f"Shifts: {shifts} (time of the report)."


def _counts_by_category(categories: pd.Series, current: np.ndarray, previous: np.ndarray
                        ) -> list[tuple[str, int, int]]:
    """Each category's rows in the current and the previous period, by the name's text (a
    missing category reads "nan"), counted on the codes: comparing half a million names
    category by category took a quarter of a second."""
    categorical = categories.astype("category")
    codes = categorical.cat.codes.to_numpy().astype(np.int64) + 1  # 0: missing
    width = len(categorical.cat.categories) + 1
    names = ["nan", *(str(c) for c in categorical.cat.categories)]
    present = np.bincount(codes, minlength=width)
    in_current = np.bincount(codes[current], minlength=width)
    in_previous = np.bincount(codes[previous], minlength=width)
    by_name: dict[str, list[int]] = {}
    for code in np.flatnonzero(present):
        counted = by_name.setdefault(names[code], [0, 0])
        counted[0] += int(in_current[code])
        counted[1] += int(in_previous[code])
    return [(name, *by_name[name]) for name in sorted(by_name)]


def _time_grid(context: StationContext) -> tuple[Table, IndicatorValue | None]:
    frame = context.incidents
    weekday = frame["date"].dt.day_of_week.to_numpy()
    hours = frame["hour"].to_numpy()
    use_hours = len(frame) > 0 and np.mean(hours >= 0) >= HOURS_NEEDED
    if use_hours:
        keep = hours >= 0
        slots, labels, column = hours[keep], list(range(24)), "hour"
        weekday = weekday[keep]
        title = ("Incidents par heure et jour de la semaine", "Incidents by hour and weekday")
    else:
        words = in_use()
        codes = [shift.code for shift in words.shifts]
        shifts = frame["shift"].astype("category")
        position = np.array([codes.index(str(s)) if str(s) in codes else -1
                             for s in shifts.cat.categories] + [-1], dtype=int)
        slot = position[shifts.cat.codes.to_numpy()]  # a missing shift (-1) takes the last
        keep = slot >= 0
        slots = slot[keep]
        labels, column = codes, "shift"
        weekday = weekday[keep]
        title = ("Incidents par quart de travail et jour de la semaine (QUART)",
                 "Incidents by shift and weekday (SPVM QUART)") if words.is_spvm() else \
            ("Incidents par quart de travail et jour de la semaine",
             "Incidents by shift and weekday")
    grid = np.zeros((len(labels), 7), dtype=np.int64)
    np.add.at(grid, (slots.astype(int), weekday.astype(int)), 1)
    rows = [{column: labels[s], "weekday": d, "weekday_fr": WEEKDAYS_FR[d],
             "weekday_en": WEEKDAYS_EN[d], "count": int(grid[s, d])}
            for s in range(len(labels)) for d in range(7)]
    names: list[str] = []
    if column == "shift":  # the service's names beside the stored code, like the weekdays'
        names = ["shift_fr", "shift_en"]
        for row in rows:
            row.update(zip(names, (in_use().shift_name(row["shift"], language)
                                   for language in ("fr", "en")), strict=True))
    left_out = int(np.sum(~keep))
    if column == "shift":
        note = f"{shift_note(in_use())} {left_out} incident(s) without shift left out."
    else:  # unknown times (none given, or a placeholder such as the VPD's 00:00) are left out
        note = f"Hour of the clock time recorded. {left_out} incident(s) without a known " \
               "time left out."
    table = Table("time_grid", *title,
                  [column, *names, "weekday", "weekday_fr", "weekday_en", "count"], rows, note)
    nonzero_rows = grid[grid.sum(axis=1) > 0]
    nonzero = nonzero_rows[:, nonzero_rows.sum(axis=0) > 0]
    if nonzero.shape[0] < 2 or nonzero.shape[1] < 2 or nonzero.sum() < 30:
        return table, None
    chi2, p_value, dof = chi2_contingency(nonzero)
    return table, IndicatorValue(
        "time_grid_independence", f"Le profil de la semaine varie selon le {column}",
        f"Weekday profile differs by {column}", float(chi2), "chi-square",
        test=TestResult(float(chi2), float(p_value), f"chi-square test of independence, "
                        f"{dof} df"),
        definition=f"Whether the weekday distribution of incidents depends on the {column}.",
        definition_fr="Si la répartition des incidents entre les jours dépend du moment.",
        source=context.incident_source, vintage=context.incident_vintage,
        period=context.period_text, context={"left_out": left_out},
        caveats=[f"{left_out} incident(s) without a known "
                 f"{'shift' if column == 'shift' else 'time'} left out"] if left_out else [])
