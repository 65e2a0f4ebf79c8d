"""Reported incidents with the structure of the SPVM's "Actes criminels" open data.

Incidents are not uniform noise, because the application's analyses (hot spots, seasonality,
shift profiles, trends, rates per resident) need something to find:

* every incident sits on a street intersection, as the SPVM moves each point to the nearest
  intersection; arterials, commercial strips, metro stations and bar districts attract more;
* each category has its own geography (vehicle thefts in the outskirts, robberies near metro
  stations and strips, break-ins where people live) and all rise with deprivation;
* a summer peak, stronger for vehicle crime and mischief, and busier Friday and Saturday;
* a shift profile per category (break-ins reported by day, mischief in the evening and night);
* a trend per station, some rising and some falling over the period;
* about 0.5% of rows have no location: X = Y = 1 in MTM8, as in the real file.

All of it is vectorised: a million incidents take a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.random import Generator

from demo_city.geography import CityFrame, Streets
from demo_city.population import Surfaces

#: The six values of CATEGORIE and their share of the real file (2015-2024 totals).
CATEGORIES = ("Introduction", "Méfait", "Vol dans / sur véhicule à moteur",
              "Vol de véhicule à moteur", "Vols qualifiés", "Infractions entrainant la mort")
SHARES = np.array([0.24, 0.21, 0.2994, 0.17, 0.08, 0.0006])
SHIFTS = ("jour", "soir", "nuit")
#: Shift profile per category (jour 8h-16h, soir 16h-24h, nuit 0h-8h, time of the report).
SHIFT_PROFILE = np.array([
    [0.50, 0.30, 0.20],  # break-ins are discovered and reported during the day
    [0.28, 0.40, 0.32],  # mischief: evening and night
    [0.42, 0.28, 0.30],  # thefts from vehicles, found in the morning
    [0.40, 0.33, 0.27],
    [0.27, 0.48, 0.25],  # robberies: evening
    [0.25, 0.35, 0.40],
])
#: Amplitude of the summer peak per category (1 +/- amplitude over the year).
SEASONAL_AMPLITUDE = np.array([0.10, 0.22, 0.25, 0.08, 0.12, 0.15])
WEEKEND_BOOST = np.array([1.0, 1.18, 1.05, 1.0, 1.15, 1.2])
PLACEHOLDER_SHARE = 0.005


def reporting_period(years: int, today: date) -> tuple[date, date]:
    """``years`` x 12 whole months ending with the last full month before ``today``.

    E.g. 4 years on 2026-11-23: 2022-11-01 to 2026-10-31. Whole months keep every month of
    the year equally represented, so seasonality is not biased by a partial month.
    """
    end = today.replace(day=1) - timedelta(days=1)
    first_month = end.year * 12 + end.month - 1 - (12 * years - 1)
    return date(first_month // 12, first_month % 12 + 1, 1), end


@dataclass(frozen=True)
class HotPlaces:
    """Intersection indices of metro stations, commercial strips and bar districts."""

    metro: np.ndarray
    strips: np.ndarray
    bars_centres: np.ndarray  # (k, 2) world coordinates


def make_hot_places(rng: Generator, streets: Streets, frame: CityFrame,
                    surfaces: Surfaces) -> HotPlaces:
    """Two metro lines crossing downtown, strips along busy arterials, bars downtown and
    in one secondary centre."""
    u, v = frame.to_local(streets.x, streets.y)
    points = np.column_stack([u, v])
    du, dv = surfaces.downtown
    length = frame.half_length
    targets = [(du + s, dv + 0.25 * frame.half_width) for s in np.arange(-0.35, 0.7, 0.09) * length]
    targets += [(du + 0.08 * length, dv + s) for s in np.arange(0.3, 2.2, 0.3) * frame.half_width]
    metro = np.unique([np.argmin(((points - t) ** 2).sum(axis=1)) for t in targets])
    arterial_v = np.nonzero(streets.v_arterial)[0]
    strips = []
    for _ in range(max(2, int(length / 3000))):
        line = rng.choice(arterial_v)
        centre = rng.uniform(-0.7, 0.7) * length
        half = rng.uniform(500, 1500)
        on = (streets.v_index == line) & (np.abs(u - centre) < half)
        strips.append(np.nonzero(on)[0])
    strips = np.unique(np.concatenate(strips)) if strips else np.array([], dtype=int)
    bx, by = frame.to_world(np.array([du, du + rng.uniform(0.3, 0.6) * length]),
                            np.array([dv + 0.1 * frame.half_width, rng.uniform(-0.4, 0.4)
                                      * frame.half_width]))
    return HotPlaces(metro, strips, np.column_stack([bx, by]))


def _kernel(x: np.ndarray, y: np.ndarray, cx: np.ndarray, cy: np.ndarray,
            sigma: float) -> np.ndarray:
    out = np.zeros(len(x))
    for px, py in zip(cx, cy, strict=True):
        out += np.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * sigma**2))
    return out


def category_weights(streets: Streets, surfaces: Surfaces, hot: HotPlaces) -> np.ndarray:
    """(intersections, 6) relative propensity of each category at each intersection."""
    x, y = streets.x, streets.y
    d = surfaces.density(x, y)
    p = surfaces.deprivation(x, y)
    c = surfaces.centrality(x, y)
    a = streets.arterial_count
    metro = _kernel(x, y, x[hot.metro], y[hot.metro], 160.0)
    strip = np.zeros(len(x))
    strip[hot.strips] = 1.0
    bars = _kernel(x, y, hot.bars_centres[:, 0], hot.bars_centres[:, 1], 450.0)
    weights = np.column_stack([
        d * (1 + 1.3 * p) * (1 + 0.15 * a) + 0.3 * bars,
        d * (0.6 + 1.1 * p) + 1.2 * bars + 0.8 * strip + 0.6 * metro,
        (0.4 + 0.5 * d) * (1 + 0.6 * a) * (1 + 0.6 * p) + 1.0 * strip + 0.6 * bars + 0.4 * metro,
        (0.4 + 0.8 * (1 - c)) * (0.4 + d) * (1 + 0.5 * a) * (1 + 0.4 * p),
        d * (0.3 + 1.6 * p) + 1.6 * metro + 1.2 * strip + 1.0 * bars,
        d * (0.2 + 1.8 * p) + 0.3 * bars,
    ])
    return weights / weights.sum(axis=0, keepdims=True)


@dataclass(frozen=True)
class Incidents:
    """Integer codes; ``intersection`` is -1 for placeholder rows (no usable location)."""

    category: np.ndarray
    day: np.ndarray  # days since ``start``
    shift: np.ndarray
    station: np.ndarray
    intersection: np.ndarray
    start: date

    def __len__(self) -> int:
        return len(self.category)


def _day_weights(start: date, n_days: int, category: int, trend: float) -> np.ndarray:
    days = np.arange(n_days)
    dates = np.datetime64(start.isoformat()) + days
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(int)
    season = 1 + SEASONAL_AMPLITUDE[category] * np.cos(2 * np.pi * (day_of_year - 200) / 365.25)
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    week = np.where(weekday >= 4, WEEKEND_BOOST[category], 1.0)
    years = (days - n_days / 2) / 365.25
    weights = season * week * np.exp(trend * years)
    return weights / weights.sum()


def make_incidents(rng: Generator, count: int, streets: Streets, station_of: np.ndarray,
                   n_stations: int, weights: np.ndarray, start: date, end: date) -> Incidents:
    """``count`` incidents placed, dated and shifted as described in the module docstring."""
    per_category = rng.multinomial(count, SHARES)
    category = np.repeat(np.arange(len(CATEGORIES)), per_category)
    intersection = np.empty(count, dtype=np.int64)
    offset = 0
    for c, n in enumerate(per_category):
        cdf = np.cumsum(weights[:, c])
        intersection[offset:offset + n] = np.minimum(
            np.searchsorted(cdf, rng.random(n) * cdf[-1]), len(cdf) - 1)
        offset += n
    station = station_of[intersection]
    trends = np.clip(rng.normal(0.0, 0.08, n_stations), -0.18, 0.18)
    n_days = (end - start).days + 1
    day = np.empty(count, dtype=np.int64)
    group = category * n_stations + station
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(CATEGORIES) * n_stations + 1))
    for g in range(len(CATEGORIES) * n_stations):
        members = order[bounds[g]:bounds[g + 1]]
        if len(members):
            cdf = np.cumsum(_day_weights(start, n_days, g // n_stations, trends[g % n_stations]))
            day[members] = np.minimum(np.searchsorted(cdf, rng.random(len(members))), n_days - 1)
    shift_cdf = np.cumsum(SHIFT_PROFILE, axis=1)[category]
    shift = (rng.random(count)[:, None] > shift_cdf[:, :2]).sum(axis=1)
    intersection[rng.random(count) < PLACEHOLDER_SHARE] = -1
    by_date = _shuffled_by_day(rng, day)
    return Incidents(category[by_date], day[by_date], shift[by_date], station[by_date],
                     intersection[by_date], start)


def _shuffled_by_day(rng: Generator, day: np.ndarray) -> np.ndarray:
    """Row order sorted by date, in random order within a day (as the real file reads)."""
    shuffle = rng.permutation(len(day))
    return shuffle[np.argsort(day[shuffle], kind="stable")]
