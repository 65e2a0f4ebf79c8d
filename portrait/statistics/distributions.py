"""The few distribution functions and tests the portrait uses, on ``scipy.special`` alone.

Importing ``scipy.stats`` takes a third of a second (it builds every distribution and parses
their docstrings), as long as a whole one-station report should take. Each function here
calls the same ``scipy.special`` function that ``scipy.stats`` calls for it, in the same order
of operations, so that results are equal to the last bit (tests/test_distributions.py checks
each against ``scipy.stats`` over a grid of values). The binomial and beta functions are
``scipy.special``'s private Boost wrappers, the ones ``scipy.stats.binom`` and
``scipy.stats.beta`` call: the public ``bdtr`` family is another implementation, whose last
digits differ; a SciPy release that moves them gets ``scipy.stats``'s own, slower to import.

>>> round(float(normal_quantile(0.975)), 4)
1.96
>>> round(binomial_test(9, 11, 0.5), 4)
0.0654
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

try:
    from scipy.special._ufuncs import _beta_ppf, _binom_cdf, _binom_pmf, _binom_sf
except ImportError:  # a SciPy that moved them: the same functions through scipy.stats, slower
    def _beta_ppf(q, a, b):  # to import but never another figure
        from scipy import stats

        return stats.beta.ppf(q, a, b)

    def _binom_pmf(k, n, p):
        from scipy import stats

        return stats.binom.pmf(k, n, p)

    def _binom_cdf(k, n, p):
        from scipy import stats

        return stats.binom.cdf(k, n, p)

    def _binom_sf(k, n, p):
        from scipy import stats

        return stats.binom.sf(k, n, p)


def normal_quantile(q):
    """``scipy.stats.norm.ppf(q)``.

    >>> float(normal_quantile(0.5))
    0.0
    """
    return special.ndtri(q)


def normal_sf(x):
    """``scipy.stats.norm.sf(x)``: the upper tail, ``1 - cdf`` without its cancellation.

    >>> round(float(normal_sf(1.96)), 4)
    0.025
    """
    return special.ndtr(-np.asarray(x, dtype=float))


def chi2_quantile(q, df):
    """``scipy.stats.chi2.ppf(q, df)`` for ``0 < q < 1`` (0 gives 0, 1 infinity).

    >>> round(float(chi2_quantile(0.95, 1)), 4)
    3.8415
    """
    return 2 * special.gammaincinv(np.asarray(df, dtype=float) / 2, q)


def chi2_sf(x, df):
    """``scipy.stats.chi2.sf(x, df)``.

    >>> round(float(chi2_sf(3.841458820694124, 1)), 4)
    0.05
    """
    return special.chdtrc(df, x)


def beta_quantile(q: float, a: float, b: float) -> float:
    """``scipy.stats.beta.ppf(q, a, b)`` (``q`` 0 gives 0 and 1 gives 1, as there).

    >>> round(beta_quantile(0.5, 1, 1), 6)
    0.5
    """
    if q == 0:
        return 0.0
    if q == 1:
        return 1.0
    return float(_beta_ppf(q, a, b))


def chisquare(observed, expected) -> tuple[float, float]:
    """``scipy.stats.chisquare(observed, expected)``: Pearson's statistic and its p-value
    (``len(observed) - 1`` degrees of freedom), for expected counts that add up to the
    observed total.

    >>> chisquare([10, 20], [15, 15])
    (3.3333333333333335, 0.06788915486182893)
    """
    observed = np.ravel(np.asarray(observed, dtype=np.float64))
    expected = np.ravel(np.asarray(expected, dtype=np.float64))
    statistic = np.sum((observed - expected) ** 2 / expected)
    return float(statistic), float(chi2_sf(statistic, float(observed.size - 1)))


def chi2_contingency(observed) -> tuple[float, float, int]:
    """``scipy.stats.chi2_contingency(observed)[:3]``: the chi-square test of independence of
    a table with no empty row or column (statistic, p-value, degrees of freedom), with Yates'
    continuity correction when there is one degree of freedom.

    >>> chi2_contingency([[10, 20], [20, 10]])
    (5.4, 0.02013675155034633, 1)
    """
    observed = np.asarray(observed)
    if np.any(observed < 0):
        raise ValueError("A contingency table cannot hold a negative count.")
    table = observed.astype(np.float64)
    axes = range(table.ndim)
    margins = [np.apply_over_axes(np.sum, table, [j for j in axes if j != k]) for k in axes]
    expected = margins[0]
    for margin in margins[1:]:
        expected = expected * margin
    expected = expected / table.sum() ** (table.ndim - 1)
    if np.any(expected == 0):
        raise ValueError("A contingency table needs no empty row or column.")
    dof = expected.size - sum(expected.shape) + expected.ndim - 1
    if dof == 0:
        return 0.0, 1.0, 0
    if dof == 1:
        difference = expected - observed
        observed = observed + np.minimum(0.5, np.abs(difference)) * np.sign(difference)
    statistic, _ = chisquare(observed, expected)
    return statistic, float(chi2_sf(statistic, float(dof))), int(dof)


def _binomial_pmf(k, n: int, p: float) -> float:
    if not 0 <= k <= n:
        return 0.0
    return min(max(float(_binom_pmf(k, n, p)), 0.0), 1.0)


def _binomial_tail(function, below: float, k, n: int, p: float) -> float:
    """``binom.cdf`` (``_binom_cdf``, 0 below the support) or ``binom.sf`` (``_binom_sf``, 1
    below it) at ``k``, as ``scipy.stats`` gives them: exact outside ``0 .. n - 1``."""
    if k < 0:
        return below
    if k >= n:
        return 1.0 - below
    return min(max(float(function(math.floor(k), n, p)), 0.0), 1.0)


def _search(pmf, target: float, low: float, high: float) -> float:
    """The ``i`` between ``low`` and ``high`` with ``pmf(i) <= target < pmf(i + 1)``, for a
    ``pmf`` increasing over that range (scipy's ``_binary_search_for_binom_tst``)."""
    while low < high:
        middle = low + (high - low) // 2
        value = pmf(middle)
        if value < target:
            low = middle + 1
        elif value > target:
            high = middle - 1
        else:
            return middle
    return low if pmf(low) <= target else low - 1


def binomial_test(k: int, n: int, p: float) -> float:
    """The two-sided p-value of ``scipy.stats.binomtest(k, n, p)``: the probability of every
    outcome no likelier than ``k`` (with scipy's relative tolerance of 1e-7).

    >>> binomial_test(5, 10, 0.5)
    1.0
    """
    if not 0 <= k <= n or n < 1 or not 0 <= p <= 1:
        raise ValueError(f"A binomial test needs 0 <= k <= n, n >= 1 and 0 <= p <= 1 "
                         f"(k={k}, n={n}, p={p}).")
    d = _binomial_pmf(k, n, p)
    tolerance = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _search(lambda x: -_binomial_pmf(x, n, p), -d * tolerance, np.ceil(p * n), n)
        y = n - ix + int(d * tolerance == _binomial_pmf(ix, n, p))
        p_value = (_binomial_tail(_binom_cdf, 0.0, k, n, p)
                   + _binomial_tail(_binom_sf, 1.0, n - y, n, p))
    else:
        ix = _search(lambda x: _binomial_pmf(x, n, p), d * tolerance, 0, np.floor(p * n))
        p_value = (_binomial_tail(_binom_cdf, 0.0, ix, n, p)
                   + _binomial_tail(_binom_sf, 1.0, k - 1, n, p))
    return min(1.0, float(p_value))
