"""Census Profile values of the demo city's dissemination areas, with Statistics Canada's flags.

Values follow the socio-economic surfaces (a deprived DA has lower incomes, more renters,
more low-income residents...). They then go through what Statistics Canada does to real
values, because that is what the readers have to cope with:

* counts are randomly rounded to a multiple of 5 (population and dwelling counts are not),
  so parts do not add up exactly to their total;
* a DA under 40 residents has every characteristic but its population and dwelling counts
  suppressed (blank value, symbol ``x``);
* income characteristics of DAs under 100 residents are suppressed (``x``);
* a few DAs with a high long-form non-response rate have their 25%-sample data flagged ``F``;
* a handful of values are ``..`` (not available for a specific reference period).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.random import Generator

from data_connectors.statcan_characteristics import CHARACTERISTICS, COUNT, PERCENT

#: Characteristic -> the table total its rate (C10..C12, in %) is computed against.
RATE_PARENT: dict[int, int] = {
    **{i: 8 for i in (9, 10, 11, 12, 13, 14, 15, 24)}, 51: 50, 86: 78, 340: 335,
    1415: 1414, 1416: 1414, **{i: 1527 for i in (1528, 1529, 1536, 1537)},
    1684: 1683, 1697: 1683, 1975: 1974, 1976: 1974, 2015: 2014, 2016: 2014, 2017: 2014,
    **{i: 2223 for i in (2224, 2225, 2226, 2227)},
}
TABLE_TOTALS = frozenset(RATE_PARENT.values())
#: Released even for the smallest DAs.
ALWAYS_RELEASED = frozenset({1, 2, 4, 5, 6, 7})
NOT_ROUNDED = frozenset({1, 2, 4, 5})
INCOME = frozenset({243, 335, 340, 345})
SAMPLE_25 = frozenset(c.id for c in CHARACTERISTICS if c.id >= 1414)
#: Characteristics about persons, published by gender (men+ and women+).
BY_GENDER = frozenset({8, 9, 10, 11, 12, 13, 14, 15, 24, 39, 40, 335, 340, 345}
                      | {c.id for c in CHARACTERISTICS if c.id >= 1527})
IDS = tuple(c.id for c in CHARACTERISTICS)
COLUMN = {cid: i for i, cid in enumerate(IDS)}


@dataclass
class ProfileValues:
    """Values and symbols per geography (rows) and characteristic (columns, in IDS order).

    ``values[k]`` for k in 0..5 are the six value columns of the real file (count total, men+,
    women+, rate total, men+, women+); NaN is a blank. ``symbols[k]`` are their flags.
    """

    values: list[np.ndarray]
    symbols: list[np.ndarray]
    tnr_sf: np.ndarray
    tnr_lf: np.ndarray


@dataclass(frozen=True)
class AreaInputs:
    """What the census model needs to know of each DA."""

    population: np.ndarray
    land_km2: np.ndarray
    deprivation: np.ndarray
    centrality: np.ndarray


def _true_values(rng: Generator, a: AreaInputs, scale: float = 1.0) -> dict[int, np.ndarray]:
    """Unrounded values per characteristic (counts, medians, averages, percentages)."""
    n = len(a.population)
    pop = a.population.astype(float) * scale
    dep = np.clip(a.deprivation + rng.normal(0, 0.06, n), 0, 1)
    cen = a.centrality

    def share(base, sd, lo, hi):
        return np.clip(base + rng.normal(0, sd, n), lo, hi)

    s014 = share(0.17 - 0.07 * cen + 0.04 * dep, 0.025, 0.03, 0.32)
    s1524 = share(0.10 + 0.07 * cen, 0.02, 0.03, 0.35)
    s65 = share(0.18 - 0.05 * cen, 0.04, 0.03, 0.45)
    seniors_home = rng.random(n) < 0.03
    s65[seniors_home] = rng.uniform(0.45, 0.7, seniors_home.sum())
    s1524 = np.minimum(s1524, 0.9 - s014 - s65)
    hh_size = np.clip(2.55 - 0.75 * cen + 0.15 * dep + rng.normal(0, 0.12, n), 1.3, 3.4)
    households = pop / hh_size
    families = households * share(0.62 - 0.28 * cen, 0.05, 0.2, 0.85)
    lim_rate = share(0.05 + 0.38 * dep, 0.03, 0.01, 0.65)
    renter = share(0.30 + 0.35 * cen + 0.3 * dep, 0.06, 0.03, 0.98)
    immigrant = share(0.14 + 0.38 * dep + 0.08 * cen, 0.05, 0.02, 0.72)
    vis_min = np.clip(immigrant * 1.15 + rng.normal(0.03, 0.05, n), 0.01, 0.9)
    movers = share(0.09 + 0.10 * cen + 0.04 * dep, 0.025, 0.02, 0.4)
    no_dip = share(0.04 + 0.22 * dep, 0.025, 0.0, 0.45)
    in_lf = share(0.66 + 0.05 * cen - 0.09 * dep, 0.04, 0.35, 0.85)
    unemp = share(0.045 + 0.11 * dep, 0.02, 0.0, 0.3)
    priv = pop * 0.985
    pop15 = pop * (1 - s014)
    lf = pop15 * in_lf
    unemployed = lf * unemp
    imm = priv * immigrant
    mobility = pop * 0.99
    return {
        1: pop, 2: pop / (1 + rng.normal(0.03, 0.04, n)), 4: households * 1.05,
        5: households, 6: pop / np.maximum(a.land_km2, 1e-6), 7: a.land_km2, 8: pop,
        9: pop * s014, 10: pop * s014 * 0.32, 11: pop * s014 * 0.34, 12: pop * s014 * 0.34,
        13: pop * (1 - s014 - s65), 14: pop * s1524 * 0.45, 15: pop * s1524 * 0.55,
        24: pop * s65, 39: 41.5 + 45 * (s65 - 0.18) - 35 * (s014 - 0.16),
        40: 41.5 + 55 * (s65 - 0.18) - 45 * (s014 - 0.16),
        50: households, 51: households * share(0.22 + 0.3 * cen + 0.1 * dep, 0.05, 0.05, 0.8),
        57: hh_size, 78: families, 86: families * share(0.11 + 0.22 * dep, 0.03, 0.02, 0.5),
        243: 98_000 * np.exp(-1.0 * dep) * (1 - 0.12 * cen) * rng.lognormal(0, 0.1, n),
        335: priv, 340: priv * lim_rate, 345: 100 * lim_rate,
        1414: households, 1415: households * (1 - renter), 1416: households * renter,
        1527: priv, 1528: priv * (0.97 - immigrant), 1529: imm, 1536: imm * 0.17,
        1537: priv * 0.03, 1683: priv, 1684: priv * vis_min, 1697: priv * (1 - vis_min),
        1974: mobility, 1975: mobility * (1 - movers), 1976: mobility * movers,
        2014: pop * (1 - s014 - s65) * 0.82, 2015: pop * (1 - s014 - s65) * 0.82 * no_dip,
        2016: pop * (1 - s014 - s65) * 0.82 * 0.2,
        2017: pop * (1 - s014 - s65) * 0.82 * (0.8 - no_dip),
        2223: pop15, 2224: lf, 2225: lf - unemployed, 2226: unemployed, 2227: pop15 - lf,
        2229: 100 * (lf - unemployed) / np.maximum(pop15, 1e-9),
        2230: 100 * unemp,
    }


def random_round(rng: Generator, values: np.ndarray) -> np.ndarray:
    """Statistics Canada's random rounding to a multiple of 5 (unbiased on average)."""
    whole = np.round(np.nan_to_num(values)).astype(np.int64)
    base, rest = np.divmod(whole, 5)
    up = rng.random(whole.shape) < rest / 5.0
    return np.where(np.isnan(values), np.nan, (5 * (base + up)).astype(float))


def _finish(rng: Generator, true: dict[int, np.ndarray]) -> list[np.ndarray]:
    """Round and format the three count columns and derive the three rate columns."""
    n = len(true[1])
    women_share = np.clip(rng.normal(0.515, 0.02, n), 0.4, 0.6)
    counts = [np.full((n, len(IDS)), np.nan) for _ in range(3)]
    for cid, values in true.items():
        col = COLUMN[cid]
        kind = next(c.value_kind for c in CHARACTERISTICS if c.id == cid)
        gender = cid in BY_GENDER
        w = women_share + (0.07 if cid == 24 else 0.0)
        if kind == COUNT:
            parts = [values, values * (1 - w), values * w] if gender else [values]
            for k, part in enumerate(parts):
                counts[k][:, col] = (np.round(part) if cid in NOT_ROUNDED
                                     else random_round(rng, part))
        else:
            decimals = {243: -2, 7: 4}.get(cid, 1)
            counts[0][:, col] = np.round(values, decimals)
            if gender:
                shift = rng.normal(0, 0.03, n) * (values if kind == PERCENT else 10)
                counts[1][:, col] = np.round(values + shift, decimals)
                counts[2][:, col] = np.round(values - shift, decimals)
    rates = [np.full((n, len(IDS)), np.nan) for _ in range(3)]
    for k in range(3):
        for cid, parent in RATE_PARENT.items():
            den = counts[k][:, COLUMN[parent]]
            with np.errstate(invalid="ignore", divide="ignore"):
                rates[k][:, COLUMN[cid]] = np.round(
                    np.where(den > 0, 100 * counts[k][:, COLUMN[cid]] / den, np.nan), 1)
        for cid in TABLE_TOTALS:
            rates[k][:, COLUMN[cid]] = np.where(np.isnan(counts[k][:, COLUMN[cid]]),
                                                np.nan, 100.0)
    return counts + rates


def _suppress(rng: Generator, values: list[np.ndarray], population: np.ndarray
              ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Blank suppressed values in place; return them, their symbols, and the DAs whose
    25%-sample data were flagged unreliable."""
    n = len(population)
    symbols = np.full((n, len(IDS)), "", dtype=object)
    released = np.isin(np.array(IDS), list(ALWAYS_RELEASED))
    income = np.isin(np.array(IDS), list(INCOME))
    sample = np.isin(np.array(IDS), list(SAMPLE_25))
    mask = np.zeros((n, len(IDS)), dtype=bool)
    mask |= (population < 40)[:, None] & ~released[None, :]
    mask |= (population < 100)[:, None] & income[None, :]
    symbols[mask] = "x"
    unreliable = rng.random(n) < 0.012
    f_mask = unreliable[:, None] & sample[None, :] & ~mask
    symbols[f_mask] = "F"
    open_cells = ~(mask | f_mask) & ~released[None, :]
    dots = open_cells & (rng.random(open_cells.shape) < 0.001)
    if not dots.any() and open_cells.any():
        rows, columns = np.nonzero(open_cells)
        pick = rng.integers(len(rows))
        dots[rows[pick], columns[pick]] = True
    symbols[dots] = ".."
    blank = mask | f_mask | dots
    for array in values:
        array[blank] = np.nan
    return values, symbols, unreliable


def profile_values(rng: Generator, areas: AreaInputs, aggregates: dict[str, float]
                   ) -> ProfileValues:
    """Values for ``aggregates`` (name -> scale factor of the city totals; e.g. the province
    row) followed by one row per DA, in that order."""
    true = _true_values(rng, areas)
    agg_rows = []
    for scale in aggregates.values():
        row = {}
        weight_hh = true[50] / max(true[50].sum(), 1e-9)
        weight_pop = true[1] / max(true[1].sum(), 1e-9)
        for cid, values in true.items():
            kind = next(c.value_kind for c in CHARACTERISTICS if c.id == cid)
            if kind == COUNT or cid == 7:
                row[cid] = np.array([values.sum() * scale])
            elif cid == 243:
                row[cid] = np.array([(values * weight_hh).sum()])
            else:
                row[cid] = np.array([(values * weight_pop).sum()])
        row[6] = row[1] / row[7]
        row[345] = 100 * row[340] / row[335]
        row[2229] = 100 * row[2225] / row[2223]
        row[2230] = 100 * row[2226] / row[2224]
        agg_rows.append(row)
    merged = {cid: np.concatenate([r[cid] for r in agg_rows] + [true[cid]]) for cid in true}
    values = _finish(rng, merged)
    population = np.concatenate([np.full(len(agg_rows), 10**9), areas.population])
    values, symbols, unreliable = _suppress(rng, values, population)
    tnr_sf = np.round(np.clip(rng.gamma(2.0, 1.6, len(population)), 0.1, 30), 1)
    tnr_lf = np.round(np.clip(tnr_sf * 1.5 + rng.gamma(2.0, 1.0, len(population)), 0.5, 40), 1)
    tnr_lf[unreliable] = np.round(rng.uniform(45, 60, unreliable.sum()), 1)
    tnr_sf[: len(agg_rows)] = [3.9, 3.7, 3.5][: len(agg_rows)]
    tnr_lf[: len(agg_rows)] = [4.9, 5.4, 5.6][: len(agg_rows)]
    return ProfileValues(values, [symbols] * 6, tnr_sf, tnr_lf)
