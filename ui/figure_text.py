"""A portrait's numbers written the way an officer reads them, in French or English.

A figure is never shown bare: a share gets its unit ("17,4 %"), an estimate its interval
("IC 95 % : 47,5 à 52,5"), a change its test in words ("Baisse non significative (p = 0,10)")
rather than a percent change that would look alarming on small counts. The words come from
``ui.strings``; this module only chooses them, so every widget (cards, tables, the map's side
panel) writes the same figure the same way.
"""

from __future__ import annotations

import math
import re
from typing import Any

from portrait.portrait_model import IndicatorValue, Interval, TestResult
from portrait.wording import in_language
from ui.strings import UiText

#: Portrait units: (string-table key of the unit's words, decimals shown).
UNITS: dict[str, tuple[str | None, int]] = {
    "persons": ("unit_persons", 0),
    "households": ("unit_households", 0),
    "families": ("unit_families", 0),
    "incidents": ("unit_incidents", 0),
    "incidents (difference)": ("unit_incidents", 0),
    "calls": ("unit_calls", 0),
    "calls (difference)": ("unit_calls", 0),
    "hours": ("unit_hours", 1),
    "per 1,000 residents per year": ("unit_per_1000_year", 1),
    "rate": ("unit_per_1000_year", 1),
    "cells": ("unit_cells", 0),
    "places": ("unit_places", 0),
    "services": ("unit_services", 0),
    "areas": ("unit_areas", 0),
    "index (0-1)": ("unit_index_0_1", 2),
    "index (1 = no seasonal effect)": ("unit_seasonal_index", 2),
    "ratio": (None, 2),
    "chi-square": ("unit_chi_square", 1),
    "score": (None, 1),
    "z": (None, 2),
}
#: Significance threshold used for words ("significative") when the portrait gives none.
DEFAULT_ALPHA = 0.05
_CENSUS = re.compile(r"\bCensus (\d{4})\b")
_DATA_SPAN = re.compile(r"data from (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})")
_ISO_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})")
_MONTHS = {"fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                  "septembre", "octobre", "novembre", "décembre"),
           "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")}


class FigureText:
    """Formats values, units, intervals, tests and periods in one language."""

    def __init__(self, text: UiText, alpha: float = DEFAULT_ALPHA):
        self.text = text
        self.alpha = alpha

    @property
    def language(self) -> str:
        return self.text.language

    # --- numbers ------------------------------------------------------------------------
    def number(self, value: float | None, decimals: int = 1) -> str:
        """``1234.5`` as "1 234,5" (fr) or "1,234.5" (en); "—" when there is no value."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "—"
        return self.text.locale().toString(float(value), "f", decimals)

    def count(self, value: float | None) -> str:
        return self.number(None if value is None else round(float(value)), 0)

    def percent(self, value: float | None, decimals: int = 1) -> str:
        """"12,3 %" in French (non-breaking space), "12.3%" in English."""
        if value is None or not math.isfinite(float(value)):
            return "—"
        number = self.number(value, decimals)
        return f"{number}\u00a0%" if self.language == "fr" else f"{number}%"

    def money(self, value: float | None) -> str:
        if value is None or not math.isfinite(float(value)):
            return "—"
        amount = self.number(value, 0)
        return f"{amount}\u00a0$" if self.language == "fr" else f"${amount}"

    def p_value(self, p: float | None) -> str:
        """"p = 0,42", "p = 0,003", "p < 0,001"."""
        if p is None or not math.isfinite(float(p)):
            return "p = —"
        if p < 0.001:
            return f"p < {self.number(0.001, 3)}"
        return f"p = {self.number(p, 2 if p >= 0.01 else 3)}"

    def decimals(self, unit: str) -> int:
        return UNITS.get(unit, (None, 1))[1]

    def unit(self, unit: str, value: float | None = None) -> str:
        """The unit's words in the language ("personnes"), singular for one of them ("1
        incident"; in French "0 incident" too); unknown units as written."""
        key = UNITS.get(unit, (unit, 1))[0]
        if key is None:
            return ""
        one = f"{key}_one"
        if value is not None and one in self.text.keys() and \
                (abs(value) == 1 or (self.language == "fr" and abs(value) < 1)):
            key = one
        return self.text(key) if key in self.text.keys() else unit

    def value(self, value: float | None, unit: str) -> str:
        """The number alone, with its unit only when it is a sign (%, $)."""
        if unit == "%":
            return self.percent(value)
        if unit == "$":
            return self.money(value)
        return self.number(value, self.decimals(unit))

    def value_with_unit(self, value: float | None, unit: str) -> str:
        """"17,4 %", "70 100 $", "10 439 personnes", "0,86"."""
        shown = self.value(value, unit)
        if value is None or unit in ("%", "$"):
            return shown
        words = self.unit(unit, value)
        return f"{shown} {words}" if words else shown

    def signed(self, value: float | None, unit: str) -> str:
        """A difference with its sign ("+24", "−53")."""
        if value is None:
            return "—"
        shown = self.number(abs(value), self.decimals(unit))
        return f"+{shown}" if value > 0 else (f"\u2212{shown}" if value < 0 else shown)

    # --- figures ------------------------------------------------------------------------
    def label(self, item: Any) -> str:
        """A portrait object's (or record's) label or title in the language."""
        get = item.get if isinstance(item, dict) else lambda key: getattr(item, key, None)
        for kind in ("label", "title"):
            shown = get(f"{kind}_{self.language}") or get(f"{kind}_fr")
            if shown:
                return str(shown)
        return str(item)

    def definition(self, item: IndicatorValue) -> str:
        if self.language == "fr" and item.definition_fr:
            return item.definition_fr
        return item.definition or item.definition_fr

    def reason(self, reason: str | None) -> str:
        """An explanation of the portrait (a reason, a caveat) in the language; the engine's
        catalogue (``portrait.wording``) holds the French wording."""
        return in_language(reason, self.language) if reason else ""

    def headline(self, item: IndicatorValue) -> str:
        """The big number of a card: "17,4 %", "−53", "1 564"."""
        if item.value is None:
            return self.text("figure_not_available")
        shown = (item.context or {}).get(f"text_{self.language}")
        if shown:
            return str(shown)
        if item.unit == "p":
            return self.p_value(item.value)
        if item.unit == "incidents (difference)":
            return self.signed(item.value, item.unit)
        return self.value(item.value, item.unit)

    def interval(self, interval: Interval | None, unit: str) -> str:
        """"IC 95 % : 47,5 à 52,5" (empty without bounds)."""
        if interval is None or interval.low is None or interval.high is None:
            return ""
        level = self.percent(100 * interval.level, 0)
        return self.text("figure_interval", level=level, low=self.value(interval.low, unit),
                         high=self.value(interval.high, unit))

    def test(self, item: IndicatorValue) -> str:
        """The test of ``item`` in words, with its p-value; empty without a test."""
        test = item.test
        if test is None or test.p_value is None:
            return ""
        adjusted = test.p_adjusted is not None
        p = test.p_adjusted if adjusted else test.p_value
        p_text = self.p_value(p)
        if adjusted:
            p_text = self.text("figure_p_adjusted", p=p_text)
        significant = p < self.alpha
        details = test.details or {}
        if item.unit == "incidents (difference)":
            if not item.value:
                key = "test_no_change"
            elif item.value > 0:
                key = "test_increase_sig" if significant else "test_increase_not_sig"
            else:
                key = "test_decrease_sig" if significant else "test_decrease_not_sig"
        elif "compared_with" in details:
            difference = details.get("difference") or 0.0
            if not significant:
                key = "test_city_not_sig"
            else:
                key = "test_city_higher" if difference > 0 else "test_city_lower"
        elif item.id == "seasonality":
            key = "test_seasonal_sig" if significant else "test_seasonal_not_sig"
            month = details.get("busiest_month")
            if significant and isinstance(month, int) and 1 <= month <= 12:
                return self.text("test_seasonal_month", p=p_text,
                                 month=_MONTHS[self.language][month - 1])
        elif item.id == "time_grid_independence":
            key = "test_grid_sig" if significant else "test_grid_not_sig"
        else:
            key = "test_sig" if significant else "test_not_sig"
        return self.text(key, p=p_text)

    def comparison(self, item: IndicatorValue) -> str:
        """Counts behind a change ("478 c. 531 incidents") or the city and rank."""
        details = item.test.details if item.test is not None else {}
        if item.unit == "incidents (difference)" and "current" in details:
            return self.text("figure_current_previous", current=self.count(details["current"]),
                             previous=self.count(details["previous"]))
        if "other" in details:
            return self.text("figure_rest_of_city", value=self.value(details["other"],
                                                                     item.unit))
        parts = []
        context = item.context or {}
        if isinstance(context.get("city"), int | float):
            parts.append(self.text("figure_city", value=self.value(context["city"], item.unit)))
        if context.get("rank") and context.get("of"):
            order = self.text("rank_highest" if context.get("rank_order") == "1 = highest"
                              else "rank_lowest")
            parts.append(self.text("figure_rank", rank=context["rank"], of=context["of"],
                                   order=order))
        if "n" in context:
            parts.append(f"n = {self.count(context['n'])}")
        return " · ".join(parts)

    def details(self, item: IndicatorValue) -> list[str]:
        """The lines under a card's number: interval or test, then comparison."""
        lines = [self.interval(item.interval, item.unit), self.test(item),
                 self.comparison(item)]
        if item.value is None and item.reason:
            lines.append(self.reason(item.reason))
        return [line for line in lines if line]

    def method(self, test: TestResult | None, interval: Interval | None) -> list[str]:
        """How the interval and the test were computed (as recorded by the portrait)."""
        lines = []
        if interval is not None and interval.method:
            lines.append(self.text("info_interval_method",
                                   method=in_language(interval.method, self.language)))
        if test is not None and test.method:
            lines.append(self.text("info_test_method",
                                   method=in_language(test.method, self.language)))
        return lines

    # --- dates --------------------------------------------------------------------------
    def date(self, iso: str) -> str:
        return self.text.date(iso)

    def period(self, period: str | tuple[str, str] | None) -> str:
        """"2023-11-01/2026-10-31" as "1er novembre 2023 au 31 octobre 2026"; other period
        texts ("Census 2021") as written."""
        if period is None:
            return ""
        if isinstance(period, tuple | list):
            period = f"{period[0]}/{period[1]}"

        def span(match: re.Match[str]) -> str:
            return self.text("period_span", start=self.date(match.group(1)),
                             end=self.date(match.group(2)))

        data_span = _DATA_SPAN.fullmatch(str(period))
        if data_span is not None:
            return self.text("period_data_span", start=self.date(data_span.group(1)),
                             end=self.date(data_span.group(2)))
        if period == "current inventory":
            return self.text("period_inventory")
        shown = _ISO_SPAN.sub(span, str(period))
        shown = _CENSUS.sub(lambda match: self.text("period_census", year=match.group(1)),
                            shown)
        if shown == period:  # none of the above ("inventory as imported")
            return in_language(shown, self.language)
        return shown.replace(" vs ", f" {self.text('period_versus')} ")
