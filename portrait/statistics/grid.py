"""A regular square grid in metres over a station, and the rule that sizes its cells.

Hot spots and density surfaces are computed on the same grid so that they can be read
together. The grid's origin is snapped to a multiple of the cell size, so the same station
and cell size always give the same cells. Cells are kept when they touch the station polygon;
``inside_fraction`` says how much of each lies inside.

>>> import shapely
>>> grid = build_grid(shapely.box(0, 0, 300, 200), 100.0)
>>> grid.size, grid.cell_of([150.0, 900.0], [50.0, 50.0]).tolist()
(6, [1, -1])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from portrait.crs import METRIC_CRS, require_metric

#: Cell-size rule: aim for this many incidents per cell on average ...
TARGET_MEAN_PER_CELL = 5.0
#: ... and this many distinct incident locations per cell (points snapped to intersections:
#: finer cells would mostly say whether a cell holds an intersection) ...
TARGET_LOCATIONS_PER_CELL = 3.0
#: ... with between this many cells ...
MIN_CELLS, MAX_CELLS = 100, 2_500
#: ... and cells between these sizes, in metres, rounded up to a multiple of ``ROUND_TO``.
MIN_CELL_SIZE, MAX_CELL_SIZE, ROUND_TO = 50.0, 500.0, 10.0
CELL_SIZE_RULE = (
    f"cell side = sqrt(station area / k), k = the smaller of located incidents / "
    f"{TARGET_MEAN_PER_CELL:g} and distinct incident locations / "
    f"{TARGET_LOCATIONS_PER_CELL:g}, bounded to [{MIN_CELLS}, {MAX_CELLS}] cells; rounded up "
    f"to {ROUND_TO:g} m and bounded to [{MIN_CELL_SIZE:g}, {MAX_CELL_SIZE:g}] m"
)


@dataclass(frozen=True)
class Grid:
    """Square cells of side ``cell_size`` metres; cell ``i`` is at column ``col[i]``, row
    ``row[i]`` counted from the snapped origin ``(x0, y0)`` (its lower-left corner)."""

    cell_size: float
    x0: float
    y0: float
    ncols: int
    nrows: int
    col: np.ndarray
    row: np.ndarray
    inside_fraction: np.ndarray
    crs: str = METRIC_CRS

    @property
    def size(self) -> int:
        return int(self.col.size)

    @property
    def centres(self) -> np.ndarray:
        """(n, 2) array of cell centres."""
        return np.column_stack([self.x0 + (self.col + 0.5) * self.cell_size,
                                self.y0 + (self.row + 0.5) * self.cell_size])

    def cell_of(self, x, y) -> np.ndarray:
        """Index of the kept cell holding each point, -1 for points outside the grid."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        c = np.floor((x - self.x0) / self.cell_size).astype(np.int64)
        r = np.floor((y - self.y0) / self.cell_size).astype(np.int64)
        ok = (c >= 0) & (c < self.ncols) & (r >= 0) & (r < self.nrows)
        lookup = np.full(self.ncols * self.nrows, -1, dtype=np.int64)
        lookup[self.row * self.ncols + self.col] = np.arange(self.size)
        out = np.full(x.shape, -1, dtype=np.int64)
        out[ok] = lookup[r[ok] * self.ncols + c[ok]]
        return out

    def counts(self, x, y, weights=None) -> tuple[np.ndarray, int]:
        """Points (or their weights) per cell, and how many points fell outside the grid."""
        cells = self.cell_of(x, y)
        inside = cells >= 0
        w = None if weights is None else np.asarray(weights, dtype=float)[inside]
        counts = np.bincount(cells[inside], weights=w, minlength=self.size)
        outside = int(np.sum(~inside)) if weights is None else \
            int(np.sum(np.asarray(weights)[~inside]))
        return counts, outside

    def boxes(self) -> np.ndarray:
        """The cells as shapely polygons (for maps)."""
        x = self.x0 + self.col * self.cell_size
        y = self.y0 + self.row * self.cell_size
        return shapely.box(x, y, x + self.cell_size, y + self.cell_size)

    def describe(self) -> dict:
        """What a map needs to redraw the grid: origin, cell size, extent, CRS."""
        return {"cell_size_m": self.cell_size, "origin_x": self.x0, "origin_y": self.y0,
                "ncols": self.ncols, "nrows": self.nrows, "cells": self.size, "crs": self.crs}


def covered_fraction(grid: Grid, others) -> np.ndarray:
    """Share of each cell inside the station or one of the ``others`` polygons (the
    neighbouring stations, which have incidents of their own), at most 1.

    An edge cell half in the river stays half covered; one half in the next station is whole.

    >>> import shapely
    >>> grid = build_grid(shapely.box(0, 0, 150, 100), 100.0)
    >>> covered_fraction(grid, [shapely.box(150, 0, 300, 100)]).tolist()
    [1.0, 1.0]
    """
    covered = grid.inside_fraction.astype(float).copy()
    edge = np.flatnonzero(covered < 1.0 - 1e-9)
    if edge.size == 0:
        return covered
    x = grid.x0 + grid.col[edge] * grid.cell_size
    y = grid.y0 + grid.row[edge] * grid.cell_size
    boxes = shapely.box(x, y, x + grid.cell_size, y + grid.cell_size)
    extent = (float(x.min()), float(y.min()), float(x.max() + grid.cell_size),
              float(y.max() + grid.cell_size))
    for polygon in others:
        if polygon is None or shapely.is_empty(polygon):
            continue
        minx, miny, maxx, maxy = shapely.bounds(polygon)
        if minx > extent[2] or maxx < extent[0] or miny > extent[3] or maxy < extent[1]:
            continue
        shapely.prepare(polygon)
        hit = np.flatnonzero(shapely.intersects(polygon, boxes))
        covered[edge[hit]] += shapely.area(shapely.intersection(boxes[hit], polygon)) / \
            grid.cell_size ** 2
    return np.minimum(covered, 1.0)


def choose_cell_size(area_m2: float, located_points: int,
                     distinct_locations: int | None = None) -> float:
    """Cell side in metres from the station's area, its located incidents and the number of
    distinct places they occur at.

    Too small a cell leaves most cells at zero (Gi* then tests whether a cell happens to hold
    an intersection); too large a cell hides the corner where things happen. The rule
    (``CELL_SIZE_RULE``) aims at about five incidents and three distinct locations per cell on
    average, within 100 to 2,500 cells and 50 to 500 m.

    Examples
    --------
    >>> choose_cell_size(15e6, 28_000), choose_cell_size(9e6, 300)
    (80.0, 300.0)
    >>> choose_cell_size(15e6, 28_000, distinct_locations=600)
    280.0
    """
    if area_m2 <= 0:
        raise ValueError("The area must be positive.")
    wanted = located_points / TARGET_MEAN_PER_CELL
    if distinct_locations is not None:
        wanted = min(wanted, distinct_locations / TARGET_LOCATIONS_PER_CELL)
    cells = min(max(wanted, MIN_CELLS), MAX_CELLS)
    side = math.ceil(math.sqrt(area_m2 / cells) / ROUND_TO) * ROUND_TO
    return float(min(max(side, MIN_CELL_SIZE), MAX_CELL_SIZE))


def build_grid(polygon, cell_size: float, crs: object = METRIC_CRS) -> Grid:
    """Cells of side ``cell_size`` covering ``polygon``; only cells that touch it are kept.

    ``crs`` is the polygon's CRS; degree systems are refused, since a "100 m" cell in degrees
    is meaningless.
    """
    require_metric(crs, "The station boundary")
    if cell_size <= 0:
        raise ValueError("The cell size must be positive.")
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    x0 = math.floor(minx / cell_size) * cell_size
    y0 = math.floor(miny / cell_size) * cell_size
    ncols = max(1, math.ceil((maxx - x0) / cell_size))
    nrows = max(1, math.ceil((maxy - y0) / cell_size))
    rows, cols = np.divmod(np.arange(ncols * nrows), ncols)
    boxes = shapely.box(x0 + cols * cell_size, y0 + rows * cell_size,
                        x0 + (cols + 1) * cell_size, y0 + (rows + 1) * cell_size)
    shapely.prepare(polygon)
    touching = shapely.intersects(polygon, boxes)
    inside = shapely.area(shapely.intersection(boxes[touching], polygon)) / cell_size ** 2
    keep = inside > 1e-9
    crs_text = str(crs) if isinstance(crs, str) else require_metric(crs).to_string()
    return Grid(float(cell_size), float(x0), float(y0), int(ncols), int(nrows),
                cols[touching][keep], rows[touching][keep], inside[keep], crs_text)
