"""Proportions from surveys, with Wilson intervals and tests of difference.

Survey shares in a neighbourhood rest on a few dozen answers; the Wilson interval keeps its
coverage there (the textbook Wald interval does not, and can leave [0, 1]). With weights, the
information is that of a smaller simple random sample: the Kish effective sample size
``(sum w)^2 / sum w^2`` replaces ``n`` in the interval and the tests.

>>> p = wilson_interval(8, 10)
>>> round(p.low, 3), round(p.high, 3)
(0.49, 0.943)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from portrait.statistics.distributions import normal_quantile, normal_sf


@dataclass(frozen=True)
class Proportion:
    """A share with its Wilson interval; ``n`` is the number of answers, ``effective_n`` the
    Kish effective sample size used for the interval (equal to ``n`` without weights)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    effective_n: float
    level: float = 0.95
    method: str = "Wilson score interval"
    reason: str | None = None


@dataclass(frozen=True)
class DifferenceTest:
    """Test of equal proportions in two groups, with Newcombe's interval for the difference."""

    difference: float
    low: float
    high: float
    statistic: float | None
    p_value: float
    method: str = "two-sample z test (pooled), Newcombe hybrid Wilson interval"


def effective_sample_size(weights) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (0 for no or zero weights).

    Examples
    --------
    >>> effective_sample_size([1, 1, 1, 1])
    4.0
    >>> round(effective_sample_size([1, 1, 1, 3]), 3)
    3.0
    """
    w = np.asarray(weights, dtype=float)
    w = w[np.isfinite(w)]
    squares = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / squares if squares > 0 else 0.0


@functools.lru_cache(maxsize=16)
def critical_z(level: float) -> float:
    """The two-sided normal quantile of a confidence ``level``, remembered: SciPy takes a
    third of a millisecond per call and a portrait asks hundreds of times for the same two
    or three levels.

    >>> round(critical_z(0.95), 4)
    1.96
    """
    return float(normal_quantile(0.5 + level / 2))


def wilson_bounds(p: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score bounds for an observed share ``p`` out of ``n`` (``n`` may be effective,
    hence not whole).

    Examples
    --------
    >>> tuple(round(b, 4) for b in wilson_bounds(0.0, 10))
    (0.0, 0.2775)
    """
    if n <= 0:
        raise ValueError("n must be positive.")
    z = critical_z(level)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(max(p * (1 - p), 0.0) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_interval(successes: float, n: float, level: float = 0.95) -> Proportion:
    """Share ``successes / n`` with its Wilson interval; no share (with a reason) for n = 0.

    Examples
    --------
    >>> wilson_interval(0, 0).reason
    'no answers'
    """
    if n <= 0:
        return Proportion(None, None, None, 0, 0.0, level, reason="no answers")
    p = successes / n
    low, high = wilson_bounds(p, n, level)
    return Proportion(p, low, high, int(round(n)), float(n), level)


def weighted_proportion(outcomes, weights=None, level: float = 0.95) -> Proportion:
    """Weighted share of true ``outcomes`` with a Wilson interval on the effective sample size.

    Rows whose outcome is missing (NaN/None) are not answers and are left out of both the
    numerator and the denominator.

    Examples
    --------
    >>> p = weighted_proportion([True, True, False, False], [3, 1, 1, 1])
    >>> round(p.value, 3), p.n, round(p.effective_n, 3)
    (0.667, 4, 3.0)
    """
    y = np.asarray(outcomes, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(y) & np.isfinite(w) & (w > 0)
    y, w = y[keep], w[keep]
    if y.size == 0:
        return Proportion(None, None, None, 0, 0.0, level, reason="no answers")
    n_eff = effective_sample_size(w)
    p = float(np.sum(w * y) / np.sum(w))
    low, high = wilson_bounds(p, n_eff, level)
    method = "Wilson score interval" + ("" if weights is None else
                                        " on the Kish effective sample size")
    return Proportion(p, low, high, int(y.size), n_eff, level, method)


def two_proportion_test(p1: float, n1: float, p2: float, n2: float,
                        level: float = 0.95) -> DifferenceTest:
    """Test ``p1 == p2`` (pooled z test) and interval of ``p1 - p2`` (Newcombe's method 10).

    ``n1`` and ``n2`` are (effective) sample sizes. The z statistic is None, with p-value 1,
    when both groups are all-success or all-failure (no variance to test against).

    Examples
    --------
    >>> t = two_proportion_test(0.6, 100, 0.45, 100)
    >>> round(t.statistic, 3), round(t.p_value, 4)
    (2.124, 0.0337)
    """
    if n1 <= 0 or n2 <= 0:
        raise ValueError("Both groups need at least one answer.")
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance > 0:
        z = (p1 - p2) / math.sqrt(variance)
        p_value = float(2 * normal_sf(abs(z)))
    else:
        z, p_value = None, 1.0
    l1, u1 = wilson_bounds(p1, n1, level)
    l2, u2 = wilson_bounds(p2, n2, level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return DifferenceTest(d, low, high, z, p_value)
