"""Getis-Ord Gi* hot spots of incidents on a station's grid.

Gi* compares the incidents in and around each cell (the cell itself and the cells within a
distance band) with what the station-wide average would put there. High z-scores mark
clusters of high counts, not single busy cells. Every cell is tested, so p-values are
corrected with Benjamini-Hochberg before cells are called hot or cold.

Cell size and distance band come from the data unless given (rules in ``CELL_SIZE_RULE`` and
``DISTANCE_BAND_RULE``) and are returned with the result, to be recorded in the portrait.

Cells along the boundary lie partly outside the station. Counted as full cells with only the
station's incidents, they look quiet (a cell half outside holds about half the incidents) and
come out as cold spots. Given the incidents beyond the boundary (``beyond``) and the share of
each cell where incidents are recorded at all (``covered``), an edge cell counts every
incident in it; a cell with less than ``MIN_COVERED`` of its area covered is not tested, and
the others are scaled to a full cell (``EDGE_RULE``).

>>> import numpy as np, shapely
>>> rng = np.random.default_rng(0)
>>> x = np.r_[rng.uniform(0, 1000, 200), rng.normal(250, 30, 300)]
>>> y = np.r_[rng.uniform(0, 1000, 200), rng.normal(250, 30, 300)]
>>> result = hot_spots(x, y, shapely.box(0, 0, 1000, 1000), HotSpotParameters(cell_size=100))
>>> int(result.bins[result.grid.cell_of([250], [250])[0]])
3
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from portrait.crs import METRIC_CRS
from portrait.statistics.distributions import normal_sf
from portrait.statistics.grid import CELL_SIZE_RULE, Grid, build_grid, choose_cell_size
from portrait.statistics.multiple_testing import benjamini_hochberg

#: The distance band is this many cell sides (1.5 takes in the 8 surrounding cells) ...
BAND_FACTOR = 1.5
DISTANCE_BAND_RULE = (
    f"distance band = {BAND_FACTOR:g} x cell side (the cell and its 8 neighbours), widened "
    "if needed to the smallest band giving every cell at least one neighbour; binary weights, "
    "the cell itself included (Gi*)"
)
#: Thresholds of the hot/cold bins (+-3, +-2, +-1): Benjamini-Hochberg q (FDR-adjusted
#: p-values), or plain p-values when FDR is off. Not confidence levels: with FDR, bin 2 means
#: "at most 5 % of the cells called this are expected to be false discoveries".
BIN_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
#: Cells with less of their area covered by recorded incidents than this are not tested.
MIN_COVERED = 0.5
EDGE_RULE = (f"edge cells count incidents beyond the station's boundary where the workspace "
             f"has them; cells less than {MIN_COVERED:.0%} covered are not tested, the others "
             "are scaled to a full cell (count / covered share)")

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class HotSpotParameters:
    """Choices of a hot-spot analysis; None means "chosen from the data" (and recorded)."""

    cell_size: float | None = None
    distance_band: float | None = None
    band_factor: float = BAND_FACTOR
    fdr: bool = True


@dataclass(frozen=True)
class HotSpotResult:
    """Counts, Gi* z-scores, p-values and bins per grid cell, with the choices that made them.

    ``bins`` is +3/+2/+1 for hot spots at q (FDR-adjusted p) at most 0.01/0.05/0.10, -3/-2/-1
    for cold spots, 0 for neither (on ``p_values`` when FDR is off). ``counts`` holds every
    incident in each cell, beyond the boundary included; ``own_counts`` only the points given
    as the station's; ``covered`` the share of each cell with recorded incidents and
    ``tested`` the cells that entered Gi* (the others have NaN z and bin 0). ``reason``
    explains an analysis that could not run (too few cells, no variation); z is then NaN.
    """

    grid: Grid
    counts: np.ndarray
    z_scores: np.ndarray
    p_values: np.ndarray
    p_adjusted: np.ndarray
    bins: np.ndarray
    cell_size: float
    distance_band: float
    points_used: int
    points_outside_grid: int
    neighbours_min: int
    neighbours_max: int
    fdr: bool
    cell_size_rule: str
    distance_band_rule: str
    reason: str | None = None
    own_counts: np.ndarray | None = None
    covered: np.ndarray | None = None
    tested: np.ndarray | None = None

    @property
    def untested_cells(self) -> int:
        """Edge cells left out of the test (less than ``MIN_COVERED`` covered)."""
        return 0 if self.tested is None else int(np.sum(~self.tested))

    def summary(self) -> dict:
        """Number of cells in each bin, keyed "-3" .. "3"."""
        values, counts = np.unique(self.bins, return_counts=True)
        found = dict(zip(values.tolist(), counts.tolist(), strict=True))
        return {str(b): int(found.get(b, 0)) for b in range(-3, 4)}


def distance_band_weights(centres: np.ndarray, band: float) -> sparse.csr_matrix:
    """Binary weights: 1 between cells whose centres are at most ``band`` apart, and 1 on the
    diagonal (each cell is its own neighbour, the "star" of Gi*).

    Examples
    --------
    >>> distance_band_weights(np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0]]), 1.5).toarray()
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    n = len(centres)
    pairs = cKDTree(centres).query_pairs(band, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    data = np.ones(rows.size)
    return sparse.csr_matrix((data, (rows, cols)), shape=(n, n))


def choose_distance_band(centres: np.ndarray, cell_size: float,
                         factor: float = BAND_FACTOR) -> float:
    """``factor`` cell sides, or the smallest band giving every cell a neighbour if larger.

    On a full grid 1.5 sides take in the 8 touching cells; a cell cut off from the rest
    (a station in two pieces) widens the band just enough to reach its nearest cell.

    Examples
    --------
    >>> centres = np.array([[50.0, 50.0], [150.0, 50.0], [650.0, 50.0]])
    >>> choose_distance_band(centres, 100.0)
    500.000001
    """
    band = factor * cell_size
    if len(centres) < 2:
        return band
    distances, _ = cKDTree(centres).query(centres, k=2)
    return float(max(band, float(distances[:, 1].max()) + 1e-6))


def getis_ord_gi_star(values, weights: sparse.spmatrix) -> np.ndarray:
    """Gi* z-scores (Getis & Ord 1995), vectorised over all cells.

    ``z_i = (sum_j w_ij x_j - mean * W_i) / (S * sqrt((n * S1_i - W_i^2) / (n - 1)))``, with
    ``W_i = sum_j w_ij``, ``S1_i = sum_j w_ij^2``, mean and S the mean and (population)
    standard deviation of all values. ``weights`` must include the diagonal. NaN where it is
    undefined: no variation in the values, or a cell whose band covers every cell.

    Examples
    --------
    >>> w = distance_band_weights(np.array([[0.0, 0], [1, 0], [2, 0], [3, 0]]), 1.0)
    >>> np.round(getis_ord_gi_star([10, 8, 1, 0], w), 3).tolist()
    [1.703, 1.099, -1.214, -1.703]
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    w = sparse.csr_matrix(weights)
    mean = x.mean() if n else np.nan
    s = np.sqrt(max(float(np.mean(x * x) - mean * mean), 0.0)) if n else np.nan
    lag = w @ x
    w_sum = np.asarray(w.sum(axis=1)).ravel()
    s1 = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    spread = (n * s1 - w_sum ** 2) / max(n - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (lag - mean * w_sum) / (s * np.sqrt(spread))
    z[~np.isfinite(z)] = np.nan
    if not (s > 0):
        z[:] = np.nan
    return z


def significance_bins(z_scores: np.ndarray, p_values: np.ndarray) -> np.ndarray:
    """+-3/2/1 for p at most 0.01/0.05/0.10, signed as the z-score; 0 otherwise.

    Examples
    --------
    >>> significance_bins(np.array([3.1, -2.1, 1.7, 0.5]),
    ...                   np.array([0.002, 0.036, 0.09, 0.6])).tolist()
    [3, -2, 1, 0]
    """
    bins = np.zeros(z_scores.shape, dtype=np.int64)
    p = np.where(np.isfinite(p_values), p_values, 1.0)
    for level, threshold in sorted(BIN_LEVELS, key=lambda item: item[0]):
        bins = np.where(p <= threshold, level, bins)
    return np.where(np.nan_to_num(z_scores) < 0, -bins, bins)


def hot_spots(x, y, polygon, parameters: HotSpotParameters = HotSpotParameters(),
              weights=None, crs: object = METRIC_CRS, grid: Grid | None = None,
              progress: Progress | None = None, beyond: tuple | None = None,
              covered: np.ndarray | None = None) -> HotSpotResult:
    """Gi* hot and cold spots of the points ``(x, y)`` within ``polygon``.

    Parameters
    ----------
    x, y : array_like
        Coordinates in metres (``crs``); a degree CRS is refused.
    polygon : shapely geometry
        The station boundary; the grid covers it.
    parameters : HotSpotParameters
        Cell size and band (None: from the data), FDR correction.
    weights : array_like, optional
        Incidents at each point (for points already grouped by location).
    grid : Grid, optional
        A grid to reuse (its cell size wins over ``parameters.cell_size``).
    beyond : (x, y), optional
        Incidents outside ``polygon`` (from neighbouring stations): counted in edge cells.
    covered : array_like, optional
        Share of each cell's area where incidents are recorded (default: the share inside
        ``polygon``, all that is known without ``beyond``).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    total = float(np.sum(weights)) if weights is not None else float(x.size)
    if grid is None:
        cell_size = parameters.cell_size or choose_cell_size(
            float(polygon.area), int(total),
            int(x.size) if weights is not None else None)
        grid = build_grid(polygon, cell_size, crs)
    if progress:
        progress(0.3, "Grille et voisinages")
    own, outside = grid.counts(x, y, weights)
    counts = own + (grid.counts(*beyond)[0] if beyond is not None else 0.0)
    covered = np.clip(grid.inside_fraction if covered is None else
                      np.asarray(covered, dtype=float), 0.0, 1.0)
    tested = covered >= MIN_COVERED
    centres = grid.centres[tested]
    band = parameters.distance_band or choose_distance_band(centres, grid.cell_size,
                                                            parameters.band_factor)
    w = distance_band_weights(centres, band)
    neighbours = np.diff(w.indptr) - 1
    reason = None
    if tested.sum() < 3:
        reason = "fewer than 3 grid cells: the station is too small for this cell size"
    elif own.sum() == 0:
        reason = "no located incidents in the station"
    z = np.full(grid.size, np.nan)
    z[tested] = getis_ord_gi_star(counts[tested] / covered[tested], w)
    if reason is None and np.all(np.isnan(z)):
        reason = "every cell has the same count: there is no pattern to test"
    if reason is not None:
        z = np.full(grid.size, np.nan)
    if progress:
        progress(0.8, "Valeurs z de Gi*")
    p = np.where(np.isfinite(z), 2.0 * normal_sf(np.abs(np.nan_to_num(z))), np.nan)
    adjusted = np.full(grid.size, np.nan)
    adjusted[tested] = benjamini_hochberg(p[tested]).adjusted if parameters.fdr else p[tested]
    bins = significance_bins(z, adjusted)
    return HotSpotResult(
        grid, counts, z, p, adjusted, bins, grid.cell_size, float(band),
        int(total - outside), outside, int(neighbours.min()) if neighbours.size else 0,
        int(neighbours.max()) if neighbours.size else 0, parameters.fdr,
        "given" if parameters.cell_size else CELL_SIZE_RULE,
        "given" if parameters.distance_band else DISTANCE_BAND_RULE, reason,
        own, covered, tested)
