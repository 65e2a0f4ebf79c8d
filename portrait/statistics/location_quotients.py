"""Location quotients: is a category over-represented in a station compared with the city?

``LQ = (c_station / t_station) / (c_ref / t_ref)``: the category's share of the station's
incidents over its share of the reference's. 1.5 means the category weighs half as much
again in the station's incident mix. It compares mixes, not levels: a quiet station can have
a high LQ for a rare category. The reference is the rest of the city (the city without the
station) unless asked otherwise: a large station otherwise pulls the city's mix towards its
own and its LQs towards 1, and the interval of Moineddin, Beyene & Boyle (2003),
``Var(ln LQ) = 1/c_s - 1/t_s + 1/c_r - 1/t_r``, assumes the two mixes are independent,
which holds only when the station is not part of the reference.

>>> lq = location_quotients([30], [100], [1_030], [10_100])
>>> round(float(lq.value[0]), 2), np.round([lq.low[0], lq.high[0]], 2).tolist()
(3.0, [2.21, 4.07])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from portrait.statistics.proportions import critical_z

METHOD = "log-normal interval, Var(ln LQ) = 1/c_s - 1/t_s + 1/c_c - 1/t_c (Moineddin 2003)"
#: What the station's mix is compared with.
REST_OF_CITY = "rest of the city"
WHOLE_CITY = "whole city"


@dataclass(frozen=True)
class LocationQuotients:
    """Arrays of LQ, interval bounds and a note per category (None when all is well)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    notes: list[str | None]
    level: float = 0.95
    method: str = METHOD
    against: str = REST_OF_CITY


def location_quotients(station_counts, station_totals, city_counts, city_totals,
                       level: float = 0.95, against: str = REST_OF_CITY) -> LocationQuotients:
    """Vectorised location quotients with intervals; totals may be scalars.

    ``city_counts`` and ``city_totals`` are the whole city's, station included; with
    ``against=REST_OF_CITY`` the station's own counts are taken out of them. No LQ (NaN)
    when the station or the reference has no incidents or the reference has none of the
    category; LQ 0 without an interval when the station has none of it (the log interval is
    undefined there).

    Examples
    --------
    >>> notes = location_quotients([0, 5], 50, [10, 5], 1_000).notes
    >>> notes[0]
    'no incidents of this category in the station: no interval'
    >>> notes[1]
    'no incidents of this category in the rest of the city'
    """
    c_s = np.asarray(station_counts, dtype=float)
    t_s = np.broadcast_to(np.asarray(station_totals, dtype=float), c_s.shape)
    c_c = np.broadcast_to(np.asarray(city_counts, dtype=float), c_s.shape)
    t_c = np.broadcast_to(np.asarray(city_totals, dtype=float), c_s.shape)
    if against == REST_OF_CITY:
        c_c, t_c = c_c - c_s, t_c - t_s
    where = "the rest of the city" if against == REST_OF_CITY else "the city"
    defined = (t_s > 0) & (c_c > 0) & (t_c > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(defined, (c_s / t_s) / (c_c / t_c), np.nan)
        variance = 1 / c_s - 1 / t_s + 1 / c_c - 1 / t_c
        z = critical_z(level)
        has_interval = defined & (c_s > 0)
        spread = z * np.sqrt(np.maximum(variance, 0.0))
        low = np.where(has_interval, value * np.exp(-spread), np.nan)
        high = np.where(has_interval, value * np.exp(spread), np.nan)
    notes: list[str | None] = []
    for i in range(c_s.size):
        if t_s[i] <= 0:
            notes.append("no incidents in the station")
        elif c_c[i] <= 0 or t_c[i] <= 0:
            notes.append(f"no incidents of this category in {where}")
        elif c_s[i] == 0:
            notes.append("no incidents of this category in the station: no interval")
        else:
            notes.append(None)
    return LocationQuotients(value, low, high, notes, level, against=against)
