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

import re
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
    SMALL_COUNT_HIGH,
    SMALL_COUNT_LOW,
    DisclosureLog,
    protect_table,
)
from portrait.categories import BY_ID as CATEGORIES
from portrait.categories import CATEGORIES as COMMON_CATEGORIES
from portrait.categories import ISSUE_TAGS
from portrait.portrait_model import Table
from portrait.service_words import in_use

Key = tuple


@dataclass
class Protection:
    """Reasons by key for everything hidden (an empty dict: nothing hidden)."""

    partner: bool
    categories: dict[str, str] = field(default_factory=dict)
    station_total: str | None = None
    comparison: dict[tuple[str, str], str] = field(default_factory=dict)
    city: dict[str, str] = field(default_factory=dict)
    #: Window -> group -> reason: the group's difference, p-values and method are hidden.
    changes: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Window -> (group, "current" | "previous") -> reason: the count itself is hidden.
    change_cells: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    months: dict[str, str] = field(default_factory=dict)
    seasons: dict[int, str] = field(default_factory=dict)
    grid: dict[tuple[str, int], str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    #: Tags whose 12-month change (and its p-value) is hidden.
    tag_changes: dict[str, str] = field(default_factory=dict)
    hot_cells: set[int] = field(default_factory=set)
    #: Place indicators (concentration, hot spots, share without a location) hidden.
    places: dict[str, str] = field(default_factory=dict)
    log: DisclosureLog = field(default_factory=DisclosureLog)
    #: The small-count range (``low`` to ``high``) the brief's options set.
    limits: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, portrait, options, log: DisclosureLog) -> Protection:
        found = cls(options.audience == "partner", log=log,
                    limits={"low": SMALL_COUNT_LOW,
                            "high": int(getattr(options, "small_count_high",
                                                SMALL_COUNT_HIGH))})
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
            found._protect_changes(trends, crime, language, log)
            found._protect_months(trends, portrait, language, log)
            found._protect_grid(trends, portrait, language, log)
        issues = sections.get("issues")
        if issues is not None and issues.tables:
            found._protect_tags(issues, language, log)
        places = sections.get("crime_places")
        if places is not None and places.tables:
            found._protect_hot_cells(places, options.min_cell_count, language, log)
        if places is not None:
            found._protect_places(places)
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
                                  grand_total=True, hidden=hidden, **self.limits)
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
                    f"{len(self.comparison)} ({in_use().station_term} × catégorie)"
                    if language == "fr" else
                    f"{len(self.comparison)} (station × category)", PRIMARY,
                    text("masked_comparison", language))

    # --- changes: categories x (current, previous), the "all" row as totals ---------------
    def _protect_changes(self, trends, crime, language, log) -> None:
        """Cell by cell: a hidden count hides its own cell and what is computed from it (the
        difference, the p-values, the method), never its whole family. When a window's
        recent counts are the category counts of the crime section (same period), the
        cells hidden there are hidden here too, and the other way round."""
        own = {r["category"]: r["count"] for r in crime.table("categories").records} \
            if crime is not None and crime.tables else {}
        for table in trends.tables:
            if not table.id.startswith("changes_"):
                continue
            groups = [r for r in change_rows(table, True) if r["group"] != "all"]
            if not groups or groups[0]["current"] is None:
                continue
            values = np.array([[r["current"], r["previous"]] for r in groups], dtype=float)
            current = {r["group"]: r["current"] for r in groups}
            linked = bool(own) and all(current.get(g, 0) == own.get(g, 0)
                                       for g in set(current) | set(own))
            forced = np.zeros((len(groups) + 1, 3), dtype=bool)
            if linked:  # the same pattern as the crime table, total included
                forced[:-1, 0] = [r["group"] in self.categories for r in groups]
                forced[-1, 0] = self.station_total is not None
            protected = protect_table(values, row_totals=False, column_totals=True,
                                      grand_total=False, forced=forced, **self.limits)
            window = table.id.removeprefix("changes_")
            masked: dict[str, str] = {}
            cells: dict[tuple[str, str], str] = {}
            title = label_of(table, language, "title")
            for i, row in enumerate(groups + [{"group": "all"}]):
                for j, column in enumerate(("current", "previous")):
                    reason = _reason(protected, i, j)
                    if reason:
                        cells[(row["group"], column)] = reason
                        masked.setdefault(row["group"], reason)
                if row["group"] in masked:
                    name = "Total" if row["group"] == "all" else label_of(row, language)
                    log.add(title, name, masked[row["group"]], text("masked_change", language))
            if linked:
                for row in groups:
                    reason = cells.get((row["group"], "current"))
                    if reason and row["group"] not in self.categories:
                        self.categories[row["group"]] = reason
                        log.add(label_of(crime.table("categories"), language, "title"),
                                label_of(row, language), reason)
            self.changes[window] = masked
            self.change_cells[window] = cells

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
                                  grand_total=True, structural=structural,
                                  forced=self._hidden_total(values, portrait), **self.limits)
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
                        text("masked_season", language))

    def _hidden_total(self, values: np.ndarray, portrait) -> np.ndarray:
        """The grand total of a table of the station's incidents, forced hidden when it is
        the station's total and the crime table hides that (its cells would add up to
        it)."""
        forced = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=bool)
        if self.station_total is None:
            return forced
        crime = next((s for s in portrait.sections if s.id == "crime"), None)
        try:
            total = crime.indicator("incidents_total").value if crime is not None else None
        except KeyError:
            total = None
        forced[-1, -1] = total is not None and float(np.nansum(values)) == float(total)
        return forced

    def _protect_grid(self, trends, portrait, language, log) -> None:
        grid = _table(trends, "time_grid")
        if grid is None or not grid.records:
            return
        slot_column = grid.columns[0]
        slots = list(dict.fromkeys(r[slot_column] for r in grid.records))
        values = np.zeros((len(slots), 7))
        for row in grid.records:
            values[slots.index(row[slot_column]), row["weekday"]] = row["count"]
        protected = protect_table(values, row_totals=False, column_totals=False,
                                  grand_total=True, forced=self._hidden_total(values, portrait),
                                  **self.limits)
        title = label_of(grid, language, "title")
        for row in grid.records:
            reason = _reason(protected, slots.index(row[slot_column]), row["weekday"])
            if reason:
                self.grid[(str(row[slot_column]), int(row["weekday"]))] = reason
        if self.grid:
            log.add(title, f"{len(self.grid)} cellule(s)" if language == "fr"
                    else f"{len(self.grid)} cell(s)", PRIMARY, text("masked_grid", language))

    # --- tags: a tag sums its categories, so it hides when one of them is hidden ----------
    def _protect_tags(self, issues, language, log) -> None:
        """A tag sums its categories: its count (and rate, LQ) hides when one of their
        counts is hidden, its 12-month change when one of their changes is; each part
        alone, so one small change does not blank the whole row."""
        table = issues.tables[0]
        changed = self.changes.get("last_12_months", {})
        for row in table.records:
            tag = row["tag"]

            def part_of(category: str, tag: str = tag) -> bool:
                return tag in getattr(CATEGORIES.get(category), "tags", ())

            if self.limits["low"] <= row["count"] <= self.limits["high"]:
                self.tags[tag] = PRIMARY
            elif any(part_of(c) for c in self.categories):
                self.tags[tag] = DERIVED
            if tag in self.tags or any(part_of(c) for c in changed if c != "all"):
                self.tag_changes[tag] = self.tags.get(tag, DERIVED)
            fr, en = ISSUE_TAGS.get(tag, (tag, tag))
            if tag in self.tags:
                log.add(label_of(table, language, "title"), fr if language == "fr" else en,
                        self.tags[tag], text("masked_tag", language))
            elif tag in self.tag_changes:
                log.add(label_of(table, language, "title"), fr if language == "fr" else en,
                        DERIVED, text("masked_tag_change", language))

    def _protect_places(self, places) -> None:
        """All place indicators when the station's total is hidden (shares and
        concentration of a handful of incidents give the handful back), else the share
        without a location when it makes a small count."""
        if self.station_total:
            self.places = {i.id: DERIVED for i in places.indicators}
            return
        for indicator in places.indicators:
            left_out = (indicator.context or {}).get("without_location")
            if indicator.id == "share_without_location" and left_out is not None and \
                    self.limits["low"] <= left_out <= self.limits["high"]:
                self.places[indicator.id] = PRIMARY

    def _protect_hot_cells(self, places, k: int, language, log) -> None:
        table = _table(places, "hot_spot_cells")
        if table is None:
            return
        self.hot_cells = {r["cell"] for r in table.records if r["count"] < k}
        if self.hot_cells:
            log.add(label_of(table, language, "title"), f"{len(self.hot_cells)}", AGGREGATED,
                    text("masked_hot_cells", language, k=k))


def change_rows(table: Table, partner: bool) -> list[dict]:
    """The rows of a ``changes_*`` table as the brief shows them.

    The portrait lists only the categories the station had; for partners every common
    category is listed (zeros included), so which rows appear tells nothing about counts
    the brief hides.
    """
    records = list(table.records)
    if not partner or not records:
        return records
    present = {r["group"]: r for r in records}
    zero = None if records[0]["current"] is None else 0  # no comparison: no count either
    rows = [present["all"]] if "all" in present else []
    for category in COMMON_CATEGORIES:
        rows.append(present.get(category.id) or {
            "group": category.id, "label_fr": category.label("fr"),
            "label_en": category.label("en"), "current": zero, "previous": zero,
            "difference": zero, "statistic": None, "p_value": None, "p_adjusted": None,
            "method": None})
    known = {c.id for c in COMMON_CATEGORIES}
    return rows + [r for r in records if r["group"] not in known and r["group"] != "all"]


def partner_note(note: str) -> str:
    """A portrait note without the count of incidents left out of a table: with the table's
    cells, that count gives back the station's total, which the brief may hide."""
    return re.sub(r" \d+ incident\(s\) without (shift|hour) left out\.",
                  lambda m: f" Incidents without {m.group(1)} left out.", note)


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
