"""What every section builder shares: the station context and indicator constructors.

The constructors turn a statistical result (a rate, a change test, a proportion) into an
``IndicatorValue`` carrying its interval or test, so no section can forget them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from portrait.portrait_data import PortraitData
from portrait.portrait_model import IndicatorValue, Interval, TestResult
from portrait.portrait_options import PortraitOptions
from portrait.statistics.proportions import Proportion
from portrait.statistics.rates import ChangeTest, Rate, poisson_interval, rate_per

DAYS_PER_YEAR = 365.25


@dataclass
class StationContext:
    """One station over one period, with its incidents already cut out.

    ``parameters`` collects what the builders actually used (cell size, bandwidth...), to
    be recorded in the portrait.
    """

    data: PortraitData
    station_id: str
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    options: PortraitOptions
    incidents: pd.DataFrame
    tags: np.ndarray
    parameters: dict = field(default_factory=dict)

    @classmethod
    def build(cls, data: PortraitData, station_id: str, start: pd.Timestamp | None,
              end: pd.Timestamp | None, options: PortraitOptions) -> StationContext:
        frame, tags = data.incidents.of(station_id)
        if start is not None and end is not None and len(frame):
            dates = frame["date"].to_numpy()
            inside = (dates >= np.datetime64(start)) & (dates <= np.datetime64(end))
            frame, tags = frame[inside], tags[inside]
        return cls(data, station_id, start, end, options, frame, tags)

    @property
    def population(self) -> float | None:
        return self.data.population(self.station_id)

    @property
    def years(self) -> float:
        """Length of the period in years (days / 365.25)."""
        if self.start is None or self.end is None:
            return 0.0
        return ((self.end - self.start).days + 1) / DAYS_PER_YEAR

    @property
    def period_text(self) -> str:
        return period_text(self.start, self.end)

    @property
    def incident_source(self) -> str:
        return ", ".join(self.data.incidents.sources) or "incidents layer"

    @property
    def incident_vintage(self) -> str:
        first, last = self.data.incidents.first_date, self.data.incidents.last_date
        if first is None:
            return ""
        return f"data from {first.date().isoformat()} to {last.date().isoformat()}"


def annual_rate(count: float, years: float, population: float | None, per: float,
                level: float = 0.95) -> Rate:
    """Events per ``per`` residents per year, with the exact interval of the count.

    >>> round(annual_rate(30, 2.0, 5_000, 1_000).value, 2)
    3.0
    """
    if years <= 0:
        return Rate(count, population, per, None, None, None, level, reason="empty period")
    person_years = population * years if population else None
    rate = rate_per(count, person_years, per, level)
    if rate.reason:
        return replace(rate, reason="the station has no census population")
    return replace(rate, method=rate.method + " (person-years)")


def period_text(start, end) -> str:
    """ISO interval ``start/end`` (empty when unknown)."""
    if start is None or end is None:
        return ""
    return f"{pd.Timestamp(start).date().isoformat()}/{pd.Timestamp(end).date().isoformat()}"


def count_indicator(id_: str, label_fr: str, label_en: str, count: float, *, definition: str,
                    definition_fr: str, source: str, vintage: str, period: str,
                    level: float = 0.95, caveats: list[str] | None = None,
                    context: dict | None = None) -> IndicatorValue:
    """A count of events with its exact Poisson interval."""
    low, high = poisson_interval(count, level, decimals=None)
    return IndicatorValue(
        id_, label_fr, label_en, float(count), "incidents",
        Interval(low, high, level, "exact Poisson (Garwood)"), None, definition, definition_fr,
        source, vintage, period, list(caveats or []), dict(context or {}))


def rate_indicator(id_: str, label_fr: str, label_en: str, rate: Rate, unit: str, *,
                   definition: str, definition_fr: str, source: str, vintage: str,
                   period: str, caveats: list[str] | None = None,
                   context: dict | None = None) -> IndicatorValue:
    """A rate with its interval, or no value with the reason (zero or unknown denominator)."""
    interval = None if rate.value is None else Interval(rate.low, rate.high, rate.level,
                                                        rate.method)
    return IndicatorValue(
        id_, label_fr, label_en, rate.value, unit, interval, None, definition, definition_fr,
        source, vintage, period, list(caveats or []),
        {"count": rate.count, "denominator": rate.denominator, **(context or {})},
        reason=rate.reason)


def change_indicator(id_: str, label_fr: str, label_en: str, test: ChangeTest | None, *,
                     definition: str, definition_fr: str, source: str, vintage: str,
                     period: str, reason: str | None = None, context: dict | None = None,
                     caveats: list[str] | None = None) -> IndicatorValue:
    """A change between two periods: the difference in counts, with its test (never a bare
    percent change)."""
    if test is None:
        return IndicatorValue(id_, label_fr, label_en, None, "incidents", definition=definition,
                              definition_fr=definition_fr, source=source, vintage=vintage,
                              period=period, context=dict(context or {}),
                              caveats=list(caveats or []), reason=reason)
    details = {"current": test.current, "previous": test.previous,
               "exposure_ratio": test.exposure_ratio, "rate_ratio": test.rate_ratio,
               "rate_ratio_low": test.rate_ratio_low, "rate_ratio_high": test.rate_ratio_high}
    return IndicatorValue(
        id_, label_fr, label_en, float(test.difference), "incidents (difference)", None,
        TestResult(test.statistic, test.p_value, test.method, None, details), definition,
        definition_fr, source, vintage, period, list(caveats or []), dict(context or {}))


def proportion_indicator(id_: str, label_fr: str, label_en: str, proportion: Proportion, *,
                         definition: str, definition_fr: str, source: str, vintage: str,
                         period: str, caveats: list[str] | None = None,
                         context: dict | None = None,
                         reason: str | None = None) -> IndicatorValue:
    """A share in percent with its Wilson interval, n and effective n in the context."""
    value = None if proportion.value is None or reason else 100.0 * proportion.value
    interval = None if value is None else Interval(100.0 * proportion.low,
                                                   100.0 * proportion.high, proportion.level,
                                                   proportion.method)
    return IndicatorValue(
        id_, label_fr, label_en, value, "%", interval, None, definition, definition_fr, source,
        vintage, period, list(caveats or []),
        {"n": proportion.n, "effective_n": round(proportion.effective_n, 2),
         **(context or {})}, reason=reason or proportion.reason)


def rank_of(values: pd.Series, key: str, descending: bool = True) -> dict:
    """Rank of ``key`` among ``values`` (1 = highest by default), ignoring missing values."""
    valid = values.dropna()
    if key not in valid.index:
        return {}
    ranks = valid.rank(ascending=not descending, method="min")
    return {"rank": int(ranks[key]), "of": int(valid.size),
            "rank_order": "1 = highest" if descending else "1 = lowest"}


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame as JSON-ready records (index dropped)."""
    return frame.to_dict(orient="records")
