"""Class breaks for choropleth maps: quantiles and natural breaks (Fisher-Jenks).

Natural breaks are the optimal Fisher-Jenks classes (the partition of sorted values that
minimises the within-class sum of squared deviations), computed by dynamic programming with
numpy; they equal ``mapclassify.FisherJenks`` (checked in the tests) in a fraction of the
time, which matters when a portrait maps a dozen indicators.

>>> natural_breaks([1, 2, 3, 10, 11, 12, 30], k=3)
[3.0, 12.0, 30.0]
>>> quantile_breaks([1, 2, 3, 4], k=2)
[2.5, 4.0]
"""

from __future__ import annotations

import numpy as np


def natural_breaks(values, k: int) -> list[float]:
    """Upper bounds of the ``k`` Fisher-Jenks classes of ``values`` (NaN ignored).

    Returns fewer bounds when there are fewer distinct values than ``k``.
    """
    x = np.sort(np.asarray(values, dtype=float))
    x = x[np.isfinite(x)]
    distinct = np.unique(x)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    n = x.size
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    i = np.arange(n)[:, None]  # class starts at i
    j = np.arange(n)[None, :]  # class ends at j (inclusive)
    count = j - i + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (s2[j + 1] - s2[i]) - (s1[j + 1] - s1[i]) ** 2 / count
    cost = np.where(count > 0, np.maximum(cost, 0.0), np.inf)
    best = cost[0].copy()  # one class covering 0..j
    starts = []
    for _ in range(1, k):
        previous = np.concatenate([[np.inf], best[:-1]])  # best split ending at i - 1
        total = previous[:, None] + cost
        choice = np.argmin(total, axis=0)
        best = total[choice, np.arange(n)]
        starts.append(choice)
    bounds, end = [], n - 1
    for choice in reversed(starts):
        start = int(choice[end])
        bounds.append(float(x[end]))
        end = start - 1
    bounds.append(float(x[end]))
    return sorted(bounds)


def quantile_breaks(values, k: int) -> list[float]:
    """Upper bounds of ``k`` quantile classes (as mapclassify.Quantiles, duplicates merged)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return []
    bounds = np.quantile(x, np.linspace(0, 1, k + 1)[1:])
    return [float(b) for b in np.unique(bounds)]


def class_counts(values, breaks: list[float]) -> list[int]:
    """How many values fall in each class (upper bounds inclusive)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    index = np.searchsorted(np.asarray(breaks), x, side="left")
    return np.bincount(np.minimum(index, len(breaks) - 1), minlength=len(breaks)).tolist()
