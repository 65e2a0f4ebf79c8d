"""What a partner brief must hide, worked out once from the portrait's count tables.

The portrait's tables are linked: a category's rate times the population and the period
gives its count back, the categories add up to the station's total and, across stations,
to the city's count, the months add up to the seasonal counts, a tag is the sum of its
categories. Suppressing a small count in one table and showing it through another would
protect nothing, so each family of linked counts is protected as one table
(``exports.disclosure.protect_table``) and every place that shows one of its values (count,
rate, interval, location quotient, difference, test) reads the same mask.

For the internal audience nothing is hidden and every mask is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from exports.brief_text import label as label_of
from exports.brief_text import text
from exports.disclosure import (
    AGGREGATED,
    COMPLEMENTARY,
    DERIVED,
    PRIMARY,
    DisclosureLog,
    protect_table,
)
from portrait.categories import BY_ID as CATEGORIES
from portrait.categories import ISSUE_TAGS

Key = tuple


@dataclass
class Protection:
    """Reasons by key for everything hidden (an empty dict: nothing hidden)."""

    partner: bool
    categories: dict[str, str] = field(default_factory=dict)
    station_total: str | None = None
    comparison: dict[tuple[str, str], str] = field(default_factory=dict)
    city: dict[str, str] = field(default_factory=dict)
    changes: dict[str, dict[str, str]] = field(default_factory=dict)
    months: dict[str, str] = field(default_factory=dict)
    seasons: dict[int, str] = field(default_factory=dict)
    grid: dict[tuple[str, int], str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    hot_cells: set[int] = field(default_factory=set)
    log: DisclosureLog = field(default_factory=DisclosureLog)

    @classmethod
    def build(cls, portrait, options, log: DisclosureLog) -> Protection:
        found = cls(options.audience == "partner", log=log)
        if not found.partner:
            return found
        language = options.language
        sections = {s.id: s for s in portrait.sections}
        crime = sections.get("crime")
        if crime is not None and crime.tables:
            found._protect_categories(crime, sections.get("station_comparison"), portrait,
                                      language, log)
        trends = sections.get("crime_trends")
        if trends is not None and trends.tables:
            found._protect_changes(trends, language, log)
            found._protect_months(trends, portrait, language, log)
            found._protect_grid(trends, language, log)
        issues = sections.get("issues")
        if issues is not None and issues.tables:
            found._protect_tags(issues, language, log)
        places = sections.get("crime_places")
        if places is not None and places.tables:
            found._protect_hot_cells(places, options.min_cell_count, language, log)
        return found

    # --- categories, station by station --------------------------------------------------
    def _protect_categories(self, crime, comparison, portrait, language, log) -> None:
        table = crime.table("categories")
        rows = table.records
        categories = [r["category"] for r in rows]
        own = np.array([r["count"] for r in rows], dtype=float)
        matrix, hidden, stations = own[None, :], np.zeros((1, len(rows)), bool), \
            [portrait.station_id]
        if comparison is not None and comparison.tables:
            matrix, hidden, stations = _station_counts(comparison, portrait, categories, own)
        # A station's counts add up to its total, each category's to the city's count.
        protected = protect_table(matrix, row_totals=True, column_totals=True,
                                  grand_total=True, hidden=hidden)
        me = stations.index(portrait.station_id)
        title = label_of(table, language, "title")
        for j, row in enumerate(rows):
            reason = _reason(protected, me, j)
            if reason:
                self.categories[row["category"]] = reason
                log.add(title, label_of(row, language), reason)
        if protected.row_totals[me]:
            self.station_total = _reason(protected, me, len(rows))
            log.add(title, "Total", self.station_total)
        for j, category in enumerate(categories):
            reason = _reason(protected, len(stations), j)
            if reason:
                self.city[category] = reason
                log.add(title, f"{label_of(rows[j], language)} (ville)" if language == "fr"
                        else f"{label_of(rows[j], language)} (city)", reason)
        for i, station_id in enumerate(stations):
            if station_id == portrait.station_id:
                continue
            reason = _reason(protected, i, len(categories))
            if reason:
                self.comparison[(station_id, "incidents")] = reason
            for j, category in enumerate(categories):
                reason = _reason(protected, i, j)
                if reason:
                    self.comparison[(station_id, category)] = reason
        if self.comparison:
            log.add(label_of(comparison.tables[0], language, "title"),
                    f"{len(self.comparison)} (PDQ × catégorie)" if language == "fr" else
                    f"{len(self.comparison)} (station × category)", PRIMARY,
                    text("masked_comparison", language))

    # --- changes: categories x (current, previous), the "all" row as totals ---------------
    def _protect_changes(self, trends, language, log) -> None:
        for table in trends.tables:
            if not table.id.startswith("changes_"):
                continue
            groups = [r for r in table.records if r["group"] != "all"]
            if not groups or groups[0]["current"] is None:
                continue
            values = np.array([[r["current"], r["previous"]] for r in groups], dtype=float)
            protected = protect_table(values, row_totals=False, column_totals=True,
                                      grand_total=False)
            masked: dict[str, str] = {}
            for i, row in enumerate(groups):
                reasons = [_reason(protected, i, j) for j in (0, 1)]
                reason = next((r for r in reasons if r), None)
                if reason:
                    masked[row["group"]] = reason
                    log.add(label_of(table, language, "title"), label_of(row, language),
                            reason, text("masked_change", language))
            if protected.column_totals.any():
                masked["all"] = PRIMARY
                log.add(label_of(table, language, "title"), "Total", PRIMARY)
            self.changes[table.id.removeprefix("changes_")] = masked

    # --- months: year x calendar month, the seasonal counts as column totals -------------
    def _protect_months(self, trends, portrait, language, log) -> None:
        monthly = _table(trends, "monthly")
        if monthly is None or not monthly.records:
            return
        periods = [pd.Period(r["month"], freq="M") for r in monthly.records]
        years = sorted({p.year for p in periods})
        values = np.zeros((len(years), 12))
        structural = np.ones((len(years), 12), dtype=bool)
        for period, row in zip(periods, monthly.records, strict=True):
            values[years.index(period.year), period.month - 1] = row["count"]
            structural[years.index(period.year), period.month - 1] = False
        protected = protect_table(values, row_totals=False, column_totals=True,
                                  grand_total=True, structural=structural)
        title = label_of(monthly, language, "title")
        for period in periods:
            reason = _reason(protected, years.index(period.year), period.month - 1)
            if reason:
                self.months[str(period)] = reason
                log.add(title, str(period), reason)
        for month in range(12):
            if protected.column_totals[month]:
                self.seasons[month + 1] = _reason(protected, len(years), month)
                log.add(label_of(_table(trends, "seasonality") or monthly, language, "title"),
                        f"{month + 1:02d}", self.seasons[month + 1],
                        "count, expected count and index")

    def _protect_grid(self, trends, language, log) -> None:
        grid = _table(trends, "time_grid")
        if grid is None or not grid.records:
            return
        slot_column = grid.columns[0]
        slots = list(dict.fromkeys(r[slot_column] for r in grid.records))
        values = np.zeros((len(slots), 7))
        for row in grid.records:
            values[slots.index(row[slot_column]), row["weekday"]] = row["count"]
        protected = protect_table(values, row_totals=False, column_totals=False,
                                  grand_total=True)
        title = label_of(grid, language, "title")
        for row in grid.records:
            reason = _reason(protected, slots.index(row[slot_column]), row["weekday"])
            if reason:
                self.grid[(str(row[slot_column]), int(row["weekday"]))] = reason
        if self.grid:
            log.add(title, f"{len(self.grid)} cellule(s)" if language == "fr"
                    else f"{len(self.grid)} cell(s)", PRIMARY, "with complements")

    # --- tags: a tag sums its categories, so it hides when one of them is hidden ----------
    def _protect_tags(self, issues, language, log) -> None:
        table = issues.tables[0]
        changed = self.changes.get("last_12_months", {})
        for row in table.records:
            tag = row["tag"]
            hidden_parts = [c for c in list(self.categories) + list(changed)
                            if tag in getattr(CATEGORIES.get(c), "tags", ())]
            if 1 <= row["count"] <= 4:
                self.tags[tag] = PRIMARY
            elif hidden_parts:
                self.tags[tag] = DERIVED
            if tag in self.tags:
                fr, en = ISSUE_TAGS.get(tag, (tag, tag))
                log.add(label_of(table, language, "title"), fr if language == "fr" else en,
                        self.tags[tag], text("masked_tag", language))

    def _protect_hot_cells(self, places, k: int, language, log) -> None:
        table = _table(places, "hot_spot_cells")
        if table is None:
            return
        self.hot_cells = {r["cell"] for r in table.records if r["count"] < k}
        if self.hot_cells:
            log.add(label_of(table, language, "title"), f"{len(self.hot_cells)}", AGGREGATED,
                    text("masked_hot_cells", language, k=k))


def _station_counts(comparison, portrait, categories: list[str], own: np.ndarray):
    """Every station's category counts: the rates shown times the person-years (a reader
    can do that multiplication, so the rates are protected as counts)."""
    table = comparison.tables[0]
    years = float(portrait.parameters.get("rates", {}).get("period_years") or 0.0)
    per = float(portrait.parameters.get("options", {}).get("per_residents", 1000.0))
    stations = [str(r["station_id"]) for r in table.records]
    matrix = np.zeros((len(stations), len(categories)))
    hidden = np.zeros(matrix.shape, dtype=bool)
    for i, record in enumerate(table.records):
        if str(record["station_id"]) == portrait.station_id:
            matrix[i] = own
            continue
        population = record.get("population")
        for j, category in enumerate(categories):
            rate = record.get(f"rate_{category}")
            if rate is None or population is None or not np.isfinite(rate) or years <= 0:
                hidden[i, j] = True
                continue
            matrix[i, j] = round(rate * population * years / per)
    if portrait.station_id not in stations:
        stations.append(portrait.station_id)
        matrix = np.vstack([matrix, own])
        hidden = np.vstack([hidden, np.zeros(len(categories), bool)])
    return matrix, hidden, stations


def _reason(protected, i: int, j: int) -> str | None:
    if protected.primary[i, j]:
        return PRIMARY
    if protected.complementary[i, j]:
        return COMPLEMENTARY
    return None


def _table(section, table_id: str):
    for table in section.tables:
        if table.id == table_id:
            return table
    return None
