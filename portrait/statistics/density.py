"""Kernel density of incidents: a smooth surface of incidents per km², on the hot-spot grid.

The quartic (biweight) kernel is the one crime-mapping tools use: it reaches exactly zero at
the bandwidth, so an incident never weighs on a place farther away than that. The bandwidth
drives the picture more than anything else, so its rule and value are always reported.

>>> import numpy as np, shapely
>>> from portrait.statistics.grid import build_grid
>>> grid = build_grid(shapely.box(-2000, -2000, 2000, 2000), 50.0)
>>> result = kernel_density([0.0], [0.0], grid, KdeParameters(bandwidth=300.0))
>>> round(float(result.density.sum() * 0.05 ** 2), 2)  # integrates to one incident
1.0
>>> bool(result.density.max() == result.density[grid.cell_of([25.0], [25.0])[0]])
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from portrait.statistics.grid import Grid

DEFAULT_BANDWIDTH = 300.0
MIN_BANDWIDTH, MAX_BANDWIDTH = 100.0, 1_000.0
BANDWIDTH_RULE = (
    "spatial Silverman rule: h = 0.9 x min(SD, sqrt(1/ln 2) x Dm) x n^-0.2, SD the standard "
    "distance and Dm the median distance of incidents to their mean centre, bounded to "
    f"[{MIN_BANDWIDTH:g}, {MAX_BANDWIDTH:g}] m; {DEFAULT_BANDWIDTH:g} m when there are fewer "
    "than 2 located incidents"
)


@dataclass(frozen=True)
class KdeParameters:
    """``bandwidth`` in metres; None chooses it from the data with ``BANDWIDTH_RULE``."""

    bandwidth: float | None = None


@dataclass(frozen=True)
class KdeResult:
    """Density in incidents per km² at each grid cell centre, and how it was made."""

    grid: Grid
    density: np.ndarray
    bandwidth: float
    bandwidth_rule: str
    points: int
    kernel: str = "quartic (biweight)"


def choose_bandwidth(x, y, weights=None) -> float:
    """Bandwidth in metres by the spatial variant of Silverman's rule (``BANDWIDTH_RULE``).

    It shrinks as incidents grow more numerous (``n^-0.2``) and uses the more robust of the
    standard distance and the median distance, so one far-off incident does not blur the map.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> round(choose_bandwidth(rng.normal(0, 1000, 5000), rng.normal(0, 1000, 5000)))
    231
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    n = float(w.sum())
    if x.size < 2 or n < 2:
        return DEFAULT_BANDWIDTH
    cx, cy = np.average(x, weights=w), np.average(y, weights=w)
    squared = (x - cx) ** 2 + (y - cy) ** 2
    standard_distance = math.sqrt(float(np.average(squared, weights=w)))
    median_distance = _weighted_median(np.sqrt(squared), w)
    h = 0.9 * min(standard_distance, math.sqrt(1 / math.log(2)) * median_distance) * n ** -0.2
    if not h > 0:
        return DEFAULT_BANDWIDTH
    return float(min(max(h, MIN_BANDWIDTH), MAX_BANDWIDTH))


def kernel_density(x, y, grid: Grid, parameters: KdeParameters = KdeParameters(),
                   weights=None) -> KdeResult:
    """Quartic kernel density of the points at the centres of ``grid``'s cells.

    ``density(c) = sum_i w_i * 3 / (pi h^2) * (1 - d_ic^2 / h^2)^2`` for ``d_ic < h``,
    expressed per km². Points sharing a location (incidents snapped to an intersection) can be
    passed once with their count as weight, which is much faster and gives the same surface.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    h = parameters.bandwidth or choose_bandwidth(x, y, w)
    rule = "given" if parameters.bandwidth else BANDWIDTH_RULE
    density = np.zeros(grid.size)
    if x.size and grid.size:
        points = cKDTree(np.column_stack([x, y]))
        cells = cKDTree(grid.centres)
        pairs = cells.sparse_distance_matrix(points, h, output_type="coo_matrix")
        u2 = (pairs.data / h) ** 2  # pairs at distance 0 are kept by the COO output
        kernel = 3.0 / (math.pi * h * h) * (1.0 - u2) ** 2 * w[pairs.col]
        density = np.bincount(pairs.row, weights=kernel, minlength=grid.size)
    return KdeResult(grid, density * 1e6, float(h), rule, int(round(w.sum())))


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
