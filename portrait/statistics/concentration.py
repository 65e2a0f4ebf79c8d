"""How concentrated incidents are among places: top shares, Lorenz curve, Gini, repeats.

A few places often account for much of a station's incidents (the "law of crime
concentration"); knowing that 5% of places hold 40% of incidents tells an officer where
problem-solving pays. What a "place" is matters and is always stated:

* grid cells of the station (``PLACES_CELLS``) include the cells with no incident, so shares
  compare with the whole territory;
* distinct incident locations (``PLACES_LOCATIONS``: SPVM points are snapped to the nearest
  intersection) only include places with at least one incident, since places with none are
  unknown; their top shares are therefore lower bounds of the concentration among all places.

>>> c = concentration([0, 0, 0, 10])
>>> c.gini, c.top_shares[0.25]
(0.75, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

PLACES_CELLS = "grid cells of the station, empty cells included"
PLACES_LOCATIONS = "distinct incident locations (intersections), places with incidents only"
DEFAULT_TOP = (0.05, 0.10)
#: The "80/20" reading: the share of places that hold this share of the incidents.
EIGHTY = 0.8


@dataclass(frozen=True)
class Concentration:
    """Share of incidents in the top fractions of places, Lorenz curve and Gini coefficient.

    ``top_shares[f]`` is the share of incidents at the ``ceil(f * places)`` places with the
    most incidents (ties broken arbitrarily). ``places_for_80pct`` is the smallest share of
    places (the most affected first) holding at least 80 % of the incidents: the figure behind
    "20 % of places, 80 % of incidents", which a Gini coefficient does not say. ``lorenz``
    holds (share of places, share of incidents) from the least to the most affected places,
    thinned to at most 101 points.
    """

    places: int
    incidents: float
    top_shares: dict[float, float | None]
    gini: float | None
    lorenz: list[tuple[float, float]] = field(default_factory=list)
    reason: str | None = None
    places_for_80pct: float | None = None


@dataclass(frozen=True)
class RepeatLocations:
    """Places with at least ``threshold`` incidents and the share of incidents they hold."""

    threshold: int
    places: int
    repeat_places: int
    incidents: float
    incidents_at_repeats: float
    share_at_repeats: float | None
    max_at_one_place: float


def concentration(counts, top: tuple[float, ...] = DEFAULT_TOP + (0.25,)) -> Concentration:
    """Concentration of incident ``counts`` (one per place, zeros allowed).

    Gini = ``2 * sum_i i x_(i) / (n * sum x) - (n + 1) / n`` with counts sorted ascending:
    0 when every place has as many incidents, ``(n - 1) / n`` when one place has them all.

    Examples
    --------
    >>> concentration([5, 5, 5, 5]).gini
    0.0
    >>> concentration([]).reason
    'no places'
    >>> concentration([0, 0, 0, 1, 1, 2, 6]).places_for_80pct  # 2 of 7 places hold 8 of 10
    0.285714
    """
    x = np.sort(np.asarray(counts, dtype=float))
    n = x.size
    total = float(x.sum())
    if n == 0:
        return Concentration(0, 0.0, dict.fromkeys(top), None, [], "no places")
    if total <= 0:
        return Concentration(n, 0.0, dict.fromkeys(top), None, [], "no incidents")
    descending = x[::-1]
    cumulative_desc = np.cumsum(descending)
    shares = {f: float(cumulative_desc[max(1, math.ceil(f * n)) - 1] / total) for f in top}
    # the tolerance keeps 8 of 10 at "80 %" despite floating-point sums
    holding = int(np.searchsorted(cumulative_desc, EIGHTY * total * (1 - 1e-12))) + 1
    ranks = np.arange(1, n + 1)
    gini = float(2.0 * np.sum(ranks * x) / (n * total) - (n + 1) / n)
    cumulative = np.concatenate([[0.0], np.cumsum(x) / total])
    place_share = np.arange(n + 1) / n
    keep = np.unique(np.linspace(0, n, min(n + 1, 101)).round().astype(int))
    lorenz = [(round(float(place_share[i]), 4), round(float(cumulative[i]), 4)) for i in keep]
    return Concentration(n, total, shares, round(gini, 6), lorenz,
                         places_for_80pct=round(holding / n, 6))


def repeat_locations(counts, threshold: int = 2) -> RepeatLocations:
    """Places with ``threshold`` or more incidents, and the share of all incidents there.

    Examples
    --------
    >>> r = repeat_locations([1, 1, 2, 6])
    >>> r.repeat_places, r.share_at_repeats
    (2, 0.8)
    """
    x = np.asarray(counts, dtype=float)
    total = float(x.sum())
    repeats = x >= threshold
    at_repeats = float(x[repeats].sum())
    return RepeatLocations(threshold, int(x.size), int(repeats.sum()), total, at_repeats,
                           at_repeats / total if total > 0 else None,
                           float(x.max()) if x.size else 0.0)


def location_counts(x, y, precision: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct locations (coordinates rounded to ``precision`` metres) and their counts.

    Returns
    -------
    (xs, ys, counts) of the distinct locations.

    Examples
    --------
    >>> xs, ys, n = location_counts([0.2, 0.4, 10.0], [0.0, 0.1, 5.0])
    >>> n.tolist()
    [2, 1]
    """
    kx = np.round(np.asarray(x, dtype=float) / precision)
    ky = np.round(np.asarray(y, dtype=float) / precision)
    if kx.size == 0:
        empty = np.zeros(0)
        return empty, empty, empty.astype(np.int64)
    # sorted by x then y as np.unique(axis=0) does, four times faster on 500 k points
    order = np.lexsort((ky, kx))
    kx, ky = kx[order], ky[order]
    first = np.flatnonzero(np.concatenate([[True], (kx[1:] != kx[:-1]) | (ky[1:] != ky[:-1])]))
    return kx[first] * precision, ky[first] * precision, np.diff(np.append(first, kx.size))
