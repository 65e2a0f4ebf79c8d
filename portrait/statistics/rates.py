"""Counts and rates of events, with exact intervals, and tests of change between two periods.

Incident counts are small in a neighbourhood: a plain percent change between two years of 4
and 7 robberies says nothing. Every rate here comes with an exact Poisson interval, and every
change with a test, so that a reader can tell noise from a real movement.

>>> poisson_interval(10)
(4.795, 18.39)
>>> rate_per(10, 5_000).value
2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from portrait.statistics.distributions import (
    beta_quantile,
    binomial_test,
    chi2_quantile,
    normal_sf,
)

#: Below this many events in either period, the exact conditional test is used by default.
SMALL_COUNT = 20


@dataclass(frozen=True)
class Rate:
    """A count divided by a denominator, scaled ``per`` units, with its exact interval.

    ``value``, ``low`` and ``high`` are None, with ``reason`` saying why, when the denominator
    is zero or unknown: a rate is never computed by dividing by zero.
    """

    count: float
    denominator: float | None
    per: float
    value: float | None
    low: float | None
    high: float | None
    level: float = 0.95
    method: str = "exact Poisson (Garwood) interval on the count, divided by the denominator"
    reason: str | None = None


@dataclass(frozen=True)
class ChangeTest:
    """A test of whether the event rate changed between a previous and a current period.

    ``rate_ratio`` is current / previous after adjusting for the periods' lengths, with an
    interval when the exact method gives one.
    """

    current: int
    previous: int
    difference: int
    statistic: float | None
    p_value: float
    method: str
    exposure_ratio: float = 1.0
    rate_ratio: float | None = None
    rate_ratio_low: float | None = None
    rate_ratio_high: float | None = None


def poisson_interval(count, level: float = 0.95, decimals: int | None = 3):
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    The bounds come from the chi-square distribution: ``chi2(a/2, 2k)/2`` and
    ``chi2(1 - a/2, 2k + 2)/2``; the lower bound is 0 when the count is 0. Exact intervals keep
    their coverage for the small counts a neighbourhood produces, where the normal
    approximation gives negative lower bounds.

    Parameters
    ----------
    count : int or array_like
        Observed number of events (non-negative).
    level : float
        Confidence level.
    decimals : int or None
        Round the scalar result (None keeps full precision). Arrays are never rounded.

    Returns
    -------
    (low, high) as floats for a scalar count, or as two arrays.

    Examples
    --------
    >>> poisson_interval(0)
    (0.0, 3.689)
    """
    k = np.asarray(count, dtype=float)
    if np.any(k < 0):
        raise ValueError("A count cannot be negative.")
    alpha = 1.0 - level
    low = np.where(k > 0, chi2_quantile(alpha / 2, 2 * np.maximum(k, 1e-300)) / 2, 0.0)
    high = chi2_quantile(1 - alpha / 2, 2 * k + 2) / 2
    if k.ndim == 0:
        low_f, high_f = float(low), float(high)
        if decimals is not None:
            return round(low_f, decimals), round(high_f, decimals)
        return low_f, high_f
    return low, high


def rate_per(count: float, denominator: float | None, per: float = 1_000.0,
             level: float = 0.95) -> Rate:
    """``count / denominator * per`` with the exact Poisson interval of the count.

    The denominator (residents, households) is taken as known: census counts are far larger
    than incident counts, so the count's randomness dominates.

    Examples
    --------
    >>> r = rate_per(0, 2_000)
    >>> (r.value, r.low, round(r.high, 3))
    (0.0, 0.0, 1.844)
    >>> rate_per(3, 0).reason
    'denominator is zero or unknown'
    """
    if denominator is None or not np.isfinite(denominator) or denominator <= 0:
        return Rate(count, denominator, per, None, None, None, level,
                    reason="denominator is zero or unknown")
    low, high = poisson_interval(count, level, decimals=None)
    scale = per / denominator
    return Rate(count, float(denominator), per, count * scale, low * scale, high * scale, level)


def rates_per(counts, denominators, per: float = 1_000.0, level: float = 0.95):
    """Vectorised :func:`rate_per`: arrays of value, low and high (NaN where no rate).

    Examples
    --------
    >>> value, low, high = rates_per([1, 2], [1_000, 0])
    >>> value.tolist()[0], bool(np.isnan(value[1]))
    (1.0, True)
    """
    counts = np.asarray(counts, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    valid = np.isfinite(denominators) & (denominators > 0)
    scale = np.where(valid, per / np.where(valid, denominators, 1.0), np.nan)
    low, high = poisson_interval(counts, level, decimals=None)
    return counts * scale, np.asarray(low) * scale, np.asarray(high) * scale


def poisson_change_test(current: int, previous: float, previous_periods: int = 1,
                        exposure_ratio: float = 1.0) -> ChangeTest:
    """Square-root (variance-stabilised) test of a change in a Poisson count.

    ``2 * sqrt(X)`` has variance close to 1 whatever the Poisson mean (Anscombe), so
    ``2 * (sqrt(current) - sqrt(previous))`` is close to standard normal *when ``previous`` is
    a long-run average known with little error* (the form popularised for crime analysis).
    When ``previous`` is itself one observed count, the difference has variance 2, and the
    statistic must be divided by ``sqrt(2)`` or it flags about three times too many changes.
    In general, with ``previous`` the mean of ``m`` comparable periods and ``r`` the current
    period's length over a previous period's::

        Z = 2 * (sqrt(current) - sqrt(r * previous)) / sqrt(1 + r / m)

    The p-value is two-sided.

    Examples
    --------
    >>> test = poisson_change_test(25, 16)
    >>> round(test.statistic, 3), round(test.p_value, 3)
    (1.414, 0.157)
    """
    if current < 0 or previous < 0:
        raise ValueError("Counts cannot be negative.")
    if exposure_ratio <= 0:
        raise ValueError("The exposure ratio must be positive.")
    scale = math.sqrt(1.0 + exposure_ratio / previous_periods)
    z = 2.0 * (math.sqrt(current) - math.sqrt(exposure_ratio * previous)) / scale
    p_value = float(2.0 * normal_sf(abs(z)))
    ratio = current / previous / exposure_ratio if previous > 0 else None
    return ChangeTest(int(current), int(round(previous)), int(round(current - previous)), z,
                      p_value, f"Poisson square-root Z test (previous = mean of "
                      f"{previous_periods} period(s))", exposure_ratio, ratio)


def conditional_binomial_test(current: int, previous: int, exposure_ratio: float = 1.0,
                              level: float = 0.95) -> ChangeTest:
    """Exact conditional test of equal Poisson rates (the "C-test").

    Given ``n = current + previous`` events, ``current`` follows a binomial with probability
    ``r / (1 + r)`` under no change, where ``r`` is the current period's length over the
    previous one's. Exact for any count, including zeros, and valid for periods of unequal
    length. The rate ratio's interval comes from the Clopper-Pearson interval of that
    probability.

    Examples
    --------
    >>> test = conditional_binomial_test(9, 2)
    >>> round(test.p_value, 4), test.rate_ratio
    (0.0654, 4.5)
    """
    if current < 0 or previous < 0:
        raise ValueError("Counts cannot be negative.")
    if exposure_ratio <= 0:
        raise ValueError("The exposure ratio must be positive.")
    n = int(current + previous)
    method = "exact conditional binomial test of equal Poisson rates"
    if n == 0:
        return ChangeTest(0, 0, 0, None, 1.0, method, exposure_ratio)
    p0 = exposure_ratio / (1.0 + exposure_ratio)
    ratio, low, high = rate_ratio_interval(current, previous, exposure_ratio, level)
    return ChangeTest(int(current), int(previous), int(current - previous), None,
                      binomial_test(int(current), n, p0), method, exposure_ratio, ratio, low, high)


def rate_ratio_interval(current: int, previous: int, exposure_ratio: float = 1.0,
                        level: float = 0.95) -> tuple[float | None, float | None, float | None]:
    """Rate ratio (current / previous, per unit of time) and its exact interval, from the
    Clopper-Pearson bounds of ``current / (current + previous)``.

    Examples
    --------
    >>> [round(v, 3) for v in rate_ratio_interval(9, 2)]
    [4.5, 0.931, 42.8]
    """
    n = int(current + previous)
    if n == 0:
        return None, None, None
    alpha = 1.0 - level
    low = 0.0 if current == 0 else beta_quantile(alpha / 2, current, n - current + 1)
    high = 1.0 if current == n else beta_quantile(1 - alpha / 2, current + 1, n - current)

    def to_ratio(p: float) -> float | None:
        return None if p >= 1.0 else (p / (1.0 - p)) / exposure_ratio

    ratio = current / previous / exposure_ratio if previous > 0 else None
    return ratio, to_ratio(low), to_ratio(high)


def change_test(current: int, previous: int, exposure_ratio: float = 1.0,
                small_count: int = SMALL_COUNT) -> ChangeTest:
    """The change test the portrait reports: the square-root Z test when both counts reach
    ``small_count``, the exact conditional test otherwise.

    The Z test is kept for larger counts because analysts know it; the exact test takes over
    where the normal approximation is poor (few events). The rate ratio and its exact
    interval are given either way.

    Examples
    --------
    >>> change_test(3, 9).method.startswith("exact")
    True
    """
    if min(current, previous) < small_count:
        return conditional_binomial_test(current, previous, exposure_ratio)
    z_test = poisson_change_test(current, previous, exposure_ratio=exposure_ratio)
    ratio, low, high = rate_ratio_interval(current, previous, exposure_ratio)
    return ChangeTest(z_test.current, z_test.previous, z_test.difference, z_test.statistic,
                      z_test.p_value, z_test.method, exposure_ratio, ratio, low, high)
