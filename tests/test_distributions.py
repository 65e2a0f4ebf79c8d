"""portrait.statistics.distributions gives what scipy.stats gives, to the last bit: the
portrait's figures must not move when it stops importing scipy.stats (a third of a second of
every report's start-up)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from portrait.statistics import distributions

GRID_Q = np.concatenate([[1e-300, 1e-12, 1e-6, 0.001, 0.025, 0.05, 0.5, 0.95, 0.975, 0.999,
                          1 - 1e-9], np.linspace(0.01, 0.99, 99)])
GRID_X = np.concatenate([[0.0, -0.0, 1e-300, 1e-8, 1.959963984540054, 40.0, 1e6, np.inf,
                          -np.inf, np.nan], np.linspace(-9, 9, 181)])
DFS = [1e-300, 1e-3, 0.5, 1, 2, 3, 11, 2 * 7 + 2, 25.5, 200, 2 * 4_000 + 2, 1e6]


def test_normal_quantile_and_tail_equal_scipy() -> None:
    np.testing.assert_array_equal(distributions.normal_quantile(GRID_Q), stats.norm.ppf(GRID_Q))
    np.testing.assert_array_equal(distributions.normal_sf(GRID_X), stats.norm.sf(GRID_X))
    for x in (0.0, 1.5, 3.7, 12.0):  # one number, as the change and proportion tests ask
        assert float(distributions.normal_sf(x)) == float(stats.norm.sf(x))
        assert float(distributions.normal_quantile(x / 13)) == float(stats.norm.ppf(x / 13))


@pytest.mark.parametrize("df", DFS)
def test_chi2_quantile_and_tail_equal_scipy(df: float) -> None:
    np.testing.assert_array_equal(distributions.chi2_quantile(GRID_Q, df),
                                  stats.chi2.ppf(GRID_Q, df))
    positive = np.abs(GRID_X)
    np.testing.assert_array_equal(distributions.chi2_sf(positive, df), stats.chi2.sf(positive, df))


def test_chi2_quantile_over_an_array_of_counts_equals_scipy() -> None:
    """How poisson_interval asks: one level, an array of degrees of freedom."""
    counts = np.concatenate([[0, 1e-300], np.arange(0, 5_000, 7), [123_456.0, np.nan]])
    for q in (0.025, 0.975, 0.005, 0.995):
        np.testing.assert_array_equal(distributions.chi2_quantile(q, 2 * counts + 2),
                                      stats.chi2.ppf(q, 2 * counts + 2))


@pytest.mark.parametrize(("a", "b"), [(1, 1), (1, 40), (40, 1), (3, 9), (250, 251),
                                      (0.5, 0.5), (5_000, 12), (1, 100_000)])
def test_beta_quantile_equals_scipy(a: float, b: float) -> None:
    for q in [0.0, 1.0, *GRID_Q]:
        assert distributions.beta_quantile(q, a, b) == float(stats.beta.ppf(q, a, b))


def test_chisquare_equals_scipy() -> None:
    rng = np.random.default_rng(19)
    for size in (2, 3, 12, 12, 12, 40, 365):
        observed = rng.poisson(rng.uniform(0.5, 300), size).astype(float)
        observed[0] += 1
        weights = rng.uniform(0.5, 2, size)
        expected = observed.sum() * weights / weights.sum()
        statistic, p_value = stats.chisquare(observed, expected)
        assert distributions.chisquare(observed, expected) == (float(statistic), float(p_value))


def _tables() -> list[np.ndarray]:
    rng = np.random.default_rng(38)
    tables = [np.array([[10, 20], [20, 10]]), np.array([[1, 0], [0, 1]]),
              np.array([[5, 5], [5, 5]]), np.array([[3, 1, 4, 2]]), np.array([[400, 2], [1, 3]]),
              np.array([[10.5, 2.25], [0.75, 3.0]])]
    for shape in [(2, 2)] * 20 + [(3, 7)] * 10 + [(24, 7)] * 10 + [(2, 7), (7, 2), (3, 3)]:
        table = rng.poisson(rng.uniform(0.2, 40), shape)
        table[:, 0] += 1  # no empty row or column
        table[0, :] += 1
        tables.append(table)
    return tables


@pytest.mark.parametrize("table", _tables(), ids=lambda t: "x".join(map(str, t.shape)))
def test_chi2_contingency_equals_scipy_yates_included(table: np.ndarray) -> None:
    statistic, p_value, dof, _ = stats.chi2_contingency(table)
    assert distributions.chi2_contingency(table) == (float(statistic), float(p_value), dof)


def test_chi2_contingency_refuses_what_scipy_refuses() -> None:
    for table in ([[1, 0], [2, 0]], [[1, -1], [2, 3]]):
        with pytest.raises(ValueError):
            stats.chi2_contingency(table)
        with pytest.raises(ValueError):
            distributions.chi2_contingency(table)


def _binomial_cases() -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(7)
    cases = [(k, n, p) for n in (1, 2, 3, 5, 10, 11, 40)
             for k in range(n + 1) for p in (0.0, 0.5, 1.0, 1 / 3, 0.2, 0.75, 0.999, 1e-9)]
    cases += [(0, 1_000, 0.5), (1_000, 1_000, 0.5), (500, 1_000, 0.5), (10, 30, 1 / 3),
              (9, 11, 0.5), (2, 4, 0.5), (3, 9, 2 / 3), (19, 19, 365 / 730)]
    for _ in range(1_500):
        n = int(rng.integers(1, 3_000))
        ratio = float(rng.choice([1.0, rng.uniform(0.05, 20)]))
        p = ratio / (1 + ratio)  # how the change test asks: p = r / (1 + r)
        k = int(np.clip(rng.binomial(n, float(rng.choice([p, rng.uniform(0, 1)]))), 0, n))
        cases.append((k, n, p))
    return cases


def test_two_sided_binomial_test_equals_scipy() -> None:
    differences = [(k, n, p, distributions.binomial_test(k, n, p),
                    stats.binomtest(k, n, p).pvalue) for k, n, p in _binomial_cases()]
    assert [d for d in differences if d[3] != d[4]] == []


@pytest.mark.parametrize(("k", "n", "p"), [(-1, 3, 0.5), (4, 3, 0.5), (1, 0, 0.5), (1, 3, 1.5)])
def test_binomial_test_refuses_what_scipy_refuses(k: int, n: int, p: float) -> None:
    with pytest.raises(ValueError):
        stats.binomtest(k, n, p)
    with pytest.raises(ValueError, match="binomial test"):
        distributions.binomial_test(k, n, p)


def test_every_chi2_degree_of_freedom_of_a_week_grid() -> None:
    """The time grid's test has up to 23 x 6 degrees of freedom: each p-value as scipy's."""
    for rows, columns in itertools.product(range(2, 25), range(2, 8)):
        table = np.arange(rows * columns).reshape(rows, columns) % 11 + 1
        statistic, p_value, dof, _ = stats.chi2_contingency(table)
        assert distributions.chi2_contingency(table) == (statistic, p_value, dof)


def test_a_scipy_without_the_private_wrappers_gives_the_same_values(monkeypatch) -> None:
    """The Boost wrappers are private to SciPy: were they moved, the module falls back to
    ``scipy.stats`` and the figures stay."""
    import importlib
    import sys
    import types

    with monkeypatch.context() as moved:
        moved.setitem(sys.modules, "scipy.special._ufuncs",
                      types.ModuleType("scipy.special._ufuncs"))
        fallback = importlib.reload(distributions)
    try:
        assert "stats" in fallback._binom_sf.__code__.co_names
        for k, n, p in _binomial_cases()[:200]:
            assert fallback.binomial_test(k, n, p) == stats.binomtest(k, n, p).pvalue
        assert fallback.beta_quantile(0.025, 3, 8) == float(stats.beta.ppf(0.025, 3, 8))
    finally:
        importlib.reload(distributions)
