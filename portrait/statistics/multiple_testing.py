"""Control of false discoveries when many tests are read together.

A hot-spot map tests every grid cell, a change table every category: at 5% each, one cell in
twenty lights up by chance. The Benjamini-Hochberg procedure keeps the expected share of false
discoveries among the flagged results at ``q``.

>>> result = benjamini_hochberg([0.01, 0.04, 0.03, 0.20], q=0.05)
>>> np.round(result.adjusted, 3).tolist()
[0.04, 0.053, 0.053, 0.2]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FdrResult:
    """BH-adjusted p-values (NaN where the input was NaN) and which tests are rejected at q."""

    adjusted: np.ndarray
    rejected: np.ndarray
    q: float
    tests: int


def benjamini_hochberg(p_values, q: float = 0.05) -> FdrResult:
    """Benjamini-Hochberg step-up procedure.

    The adjusted p-value of the test ranked ``i`` (of ``m``) is
    ``min over j >= i of p_(j) * m / j``, capped at 1; a test is rejected at ``q`` when its
    adjusted p-value is at most ``q``. Missing p-values (NaN) are left out: they are neither
    counted in ``m`` nor rejected.

    Parameters
    ----------
    p_values : array_like
        Unadjusted p-values.
    q : float
        Target false discovery rate.

    Examples
    --------
    >>> benjamini_hochberg([0.001, 0.2, float("nan")]).rejected.tolist()
    [True, False, False]
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    m = int(finite.sum())
    if m:
        values = p[finite]
        order = np.argsort(values, kind="mergesort")
        ranked = values[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        out = np.empty(m)
        out[order] = np.minimum(ranked, 1.0)
        adjusted[finite] = out
    rejected = np.where(finite, adjusted <= q, False)
    return FdrResult(adjusted, rejected, q, m)
