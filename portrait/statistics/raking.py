"""Raking of survey weights to population margins (iterative proportional fitting).

Online surveys over-represent older residents and women; raking adjusts the weights until
the weighted sample matches known population margins (age groups, sex), one variable at a
time, repeated until all margins hold. Only margins are matched, not their crossing (the
census tables in a workspace give no age x sex cross-tabulation for small areas).

>>> import pandas as pd
>>> sample = pd.DataFrame({"sex": ["F", "F", "F", "M"]})
>>> result = rake(sample, [1, 1, 1, 1], {"sex": {"F": 0.5, "M": 0.5}})
>>> result.weights.tolist(), result.converged
([0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RakingParameters:
    """Stopping rule: largest relative margin error below ``tolerance``, at most
    ``max_iterations`` passes over the variables."""

    max_iterations: int = 100
    tolerance: float = 1e-6


@dataclass(frozen=True)
class RakingResult:
    """Raked weights (same total as the input weights) and how the fitting went.

    ``unmatched`` counts, per variable, respondents whose category is not in the margins
    (e.g. "prefer not to say"): their weight is left as it is by that variable.
    """

    weights: np.ndarray
    iterations: int
    converged: bool
    max_relative_error: float
    unmatched: dict[str, int] = field(default_factory=dict)
    parameters: RakingParameters = field(default_factory=RakingParameters)


def rake(sample: pd.DataFrame, weights, margins: Mapping[str, Mapping[str, float]],
         parameters: RakingParameters = RakingParameters()) -> RakingResult:
    """Adjust ``weights`` so that, for each variable in ``margins``, the weighted shares of
    its categories equal the target shares.

    Parameters
    ----------
    sample : DataFrame
        One row per respondent, one column per raking variable.
    weights : array_like
        Starting (design) weights, positive.
    margins : mapping
        ``{variable: {category: population count or share}}``; targets are normalised to
        shares, then applied to the total weight of respondents in listed categories.

    Examples
    --------
    A category without respondents cannot be matched; the result says so:

    >>> rake(pd.DataFrame({"b": ["u", "u"]}), [1, 1], {"b": {"u": 1, "v": 1}}).converged
    False
    """
    w = np.asarray(weights, dtype=float).copy()
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("Starting weights must be positive numbers.")
    total = w.sum()
    codes, targets, unmatched = {}, {}, {}
    for variable, margin in margins.items():
        categories = [c for c, v in margin.items() if v is not None]
        target = np.array([float(margin[c]) for c in categories])
        if target.sum() <= 0:
            raise ValueError(f"The margin of {variable!r} sums to zero.")
        code = pd.Index(categories).get_indexer(sample[variable])
        codes[variable] = code
        targets[variable] = target / target.sum()
        unmatched[variable] = int(np.sum(code < 0))
    error = _max_error(w, codes, targets)
    iterations = 0
    while error > parameters.tolerance and iterations < parameters.max_iterations:
        iterations += 1
        for variable, code in codes.items():
            matched = code >= 0
            current = np.bincount(code[matched], weights=w[matched],
                                  minlength=targets[variable].size)
            wanted = targets[variable] * current.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(current > 0, wanted / current, 1.0)
            w[matched] *= factor[code[matched]]
        error = _max_error(w, codes, targets)
    w *= total / w.sum()
    return RakingResult(w, iterations, bool(error <= parameters.tolerance), float(error),
                        unmatched, parameters)


def _max_error(w: np.ndarray, codes: dict, targets: dict) -> float:
    worst = 0.0
    for variable, code in codes.items():
        matched = code >= 0
        current = np.bincount(code[matched], weights=w[matched],
                              minlength=targets[variable].size)
        if current.sum() <= 0:
            continue
        share = current / current.sum()
        target = targets[variable]
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(target > 0, np.abs(share - target) / target, share)
        worst = max(worst, float(np.max(relative)))
    return worst
