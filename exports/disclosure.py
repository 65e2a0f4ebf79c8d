"""Disclosure control for briefs shared outside the station: pure functions, no formats.

A brief handed to a partner must not let anyone single out a person or an address:

- **small counts** (1 to 4 by default) are suppressed, and because a table usually shows
  its totals, **complementary** cells are suppressed too, so no suppressed value can be
  worked out from a total and the cells shown (``protect_table``). The check is exact for
  linear recovery: a hidden value is recoverable when the published totals fix it, that
  is when it is zero in every solution of the table's homogeneous system (its row of the
  null space is zero). A row or column with exactly one suppressed cell is the simplest
  case; a suppressed cell bridging two otherwise protected groups is another one that a
  "two per line" rule misses, and this check catches. Under a total that is itself a
  hidden small count, every cell is hidden, zeros included: shown zeros would say how many
  cells share the handful (a total of 3 over three hidden cells is 1, 1 and 1), and the
  suppression pattern would depend on the values it hides. Partners read one reason for a
  small count and its complements (``public_reason``), for the same cause;
- **incident points** are never published: they are counted in grid cells, and only cells
  with at least ``k`` incidents (default 5) are shown (``cells_with_at_least``);
- **census small areas** keep Statistics Canada's rules: no characteristics for an area
  under 40 residents, no income under 250 (``small_area_mask``);
- **survey results** on fewer than the minimum number of answers are suppressed
  (``survey_suppressed``).

Each suppression is recorded with its reason (``DisclosureLog``) so the brief's disclosure
appendix can say what was hidden and why; numbers that were hidden are never written to any
output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

SMALL_COUNT_LOW = 1
SMALL_COUNT_HIGH = 4
#: Partner maps show only grid cells with at least this many incidents.
MIN_CELL_COUNT = 5
_NULL_TOLERANCE = 1e-9
_MAX_ROUNDS = 10_000

#: Reasons, as codes the brief's strings table translates.
PRIMARY = "small_count"
COMPLEMENTARY = "complementary"
SMALL_AREA = "small_area"
SURVEY_MIN_N = "survey_min_n"
AGGREGATED = "aggregated"
WITHHELD = "withheld"
CONFIDENTIAL = "confidential"
DERIVED = "derived"
#: What a partner reads for both ``PRIMARY`` and ``COMPLEMENTARY``: telling them apart would
#: tell the reader which hidden counts lie between the thresholds.
SUPPRESSED_COUNT = "suppressed"


def public_reason(reason: str) -> str:
    """The reason code a partner may read: small counts and their complements look alike."""
    return SUPPRESSED_COUNT if reason in (PRIMARY, COMPLEMENTARY) else reason


@dataclass(frozen=True)
class Suppression:
    """One thing hidden or generalised: where (table, item), why (reason code), detail."""

    table: str
    item: str
    reason: str
    detail: str = ""


@dataclass
class DisclosureLog:
    """Every suppression made while building one brief, in order."""

    entries: list[Suppression] = field(default_factory=list)

    def add(self, table: str, item: str, reason: str, detail: str = "") -> None:
        self.entries.append(Suppression(table, item, reason, detail))

    def count(self, reason: str | None = None) -> int:
        return sum(1 for e in self.entries if reason is None or e.reason == reason)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class ProtectedTable:
    """A count table with its margins and what must not be shown.

    ``values`` is (rows + 1) x (columns + 1): the last column holds row totals, the last
    row column totals, the corner the grand total; margins that the table does not publish
    are NaN. ``primary`` marks small counts, ``complementary`` the cells hidden to protect
    them; ``published`` the positions the table shows (hidden or not).
    """

    values: np.ndarray
    primary: np.ndarray
    complementary: np.ndarray
    published: np.ndarray

    @property
    def suppressed(self) -> np.ndarray:
        return self.primary | self.complementary

    @property
    def interior(self) -> np.ndarray:
        """Suppression mask of the inner cells (rows x columns)."""
        return self.suppressed[:-1, :-1]

    @property
    def row_totals(self) -> np.ndarray:
        return self.suppressed[:-1, -1]

    @property
    def column_totals(self) -> np.ndarray:
        return self.suppressed[-1, :-1]

    @property
    def grand_total(self) -> bool:
        return bool(self.suppressed[-1, -1])


def is_small(values: np.ndarray, low: int = SMALL_COUNT_LOW,
             high: int = SMALL_COUNT_HIGH) -> np.ndarray:
    """Counts from ``low`` to ``high`` (zeros and missing values are not small counts)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (values >= low) & (values <= high)


def protect_table(values: np.ndarray, *, row_totals: bool = True, column_totals: bool = True,
                  grand_total: bool = True, low: int = SMALL_COUNT_LOW,
                  high: int = SMALL_COUNT_HIGH, structural: np.ndarray | None = None,
                  hidden: np.ndarray | None = None,
                  forced: np.ndarray | None = None) -> ProtectedTable:
    """Primary and complementary suppression of a table of counts.

    ``values`` holds the inner cells (a 1-D array is one row). The flags say which totals
    the published table shows (the brief prints them, or another part of it gives them).
    ``structural`` cells are known zeros (months outside the period): never chosen to
    protect another cell. ``hidden`` cells are not published at all (no census population:
    no rate): unknown to a reader, but not suppressions. ``forced`` positions (inner cells
    and margins, the full shape) are hidden from the start as complements: another table of
    the brief hides the same count, and showing it here would undo that. Totals are
    computed here.

    Complementary cells are chosen one at a time for a cell that is still recoverable:
    the smallest non-zero cell shown in its row or column, else a zero, else that line's
    total is withheld; repeated until no suppressed value can be recovered.
    """
    inner = np.atleast_2d(np.asarray(values, dtype=float))
    rows, columns = inner.shape
    structural = _mask(structural, inner.shape)
    hidden = _mask(hidden, inner.shape)
    full = np.full((rows + 1, columns + 1), np.nan)
    full[:-1, :-1] = inner
    published = np.zeros(full.shape, dtype=bool)
    published[:-1, :-1] = ~hidden
    if row_totals:
        full[:-1, -1] = np.nansum(inner, axis=1)
        published[:-1, -1] = True
    if column_totals:
        full[-1, :-1] = np.nansum(inner, axis=0)
        published[-1, :-1] = True
    if grand_total:
        full[-1, -1] = np.nansum(inner)
        published[-1, -1] = True
    primary = published & is_small(full, low, high) & ~_pad(structural)
    complementary = _inside_small_totals(primary, published & ~_pad(structural))
    if forced is not None:
        complementary |= np.asarray(forced, dtype=bool).reshape(full.shape) & published & \
            ~primary
    equations = _equations(rows, columns, row_totals, column_totals, grand_total)
    candidates = published & ~_pad(structural)
    for _ in range(_MAX_ROUNDS):
        unknown = primary | complementary | (_pad(hidden))
        recoverable = _recoverable(equations, unknown) & (primary | complementary)
        if not recoverable.any():  # linear recovery ruled out: now bound them as integers
            recoverable = _too_narrow(equations, full, unknown, primary, low, high)
        if not recoverable.any():
            break
        target = tuple(int(v) for v in np.argwhere(recoverable)[0])
        chosen = _complement_for(target, equations, full, candidates & ~unknown, unknown,
                                 primary | complementary)
        if chosen is None:  # nothing left to hide around it: hide the whole table
            complementary |= published & ~primary
            break
        complementary[chosen] = True
    return ProtectedTable(full, primary, complementary & ~primary, published)


def _inside_small_totals(primary: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Every cell of a line whose total is a hidden small count, zeros included.

    Which cells of a handful are zero is the handful's distribution: shown zeros beside
    hidden cells would tell the reader how many cells share the small total (three hidden
    cells under a total of 3 are 1, 1 and 1), and the suppression pattern would change
    with values it must hide.
    """
    out = np.zeros(primary.shape, dtype=bool)
    for i in np.flatnonzero(primary[:-1, -1]):
        out[i, :-1] = True
    for j in np.flatnonzero(primary[-1, :-1]):
        out[:-1, j] = True
    if primary[-1, -1]:
        out[:] = True
    return out & candidates & ~primary


def protect_counts(values: Iterable[float], total: bool = True, **options) -> ProtectedTable:
    """A list of counts with (or without) its total shown: a one-row ``protect_table``."""
    return protect_table(np.asarray(list(values), dtype=float)[None, :], row_totals=total,
                         column_totals=False, grand_total=False, **options)


def recoverable_cells(table: ProtectedTable, row_totals: bool = True,
                      column_totals: bool = True, grand_total: bool = True) -> np.ndarray:
    """Suppressed positions whose value the published totals fix (should be none)."""
    rows, columns = table.values.shape[0] - 1, table.values.shape[1] - 1
    equations = _equations(rows, columns, row_totals, column_totals, grand_total)
    unknown = table.suppressed | ~table.published
    return _recoverable(equations, unknown) & table.suppressed


def _equations(rows: int, columns: int, row_totals: bool, column_totals: bool,
               grand_total: bool) -> list[list[tuple[int, int, float]]]:
    """The linear relations the published totals give: lists of (row, col, coefficient)."""
    out: list[list[tuple[int, int, float]]] = []
    if row_totals:
        out += [[(i, j, 1.0) for j in range(columns)] + [(i, columns, -1.0)]
                for i in range(rows)]
    if column_totals:
        out += [[(i, j, 1.0) for i in range(rows)] + [(rows, j, -1.0)]
                for j in range(columns)]
    if grand_total:
        if row_totals:
            out.append([(i, columns, 1.0) for i in range(rows)] + [(rows, columns, -1.0)])
        if column_totals:
            out.append([(rows, j, 1.0) for j in range(columns)] + [(rows, columns, -1.0)])
        if not row_totals and not column_totals:
            out.append([(i, j, 1.0) for i in range(rows) for j in range(columns)] +
                       [(rows, columns, -1.0)])
    return out


def _recoverable(equations: list[list[tuple[int, int, float]]],
                 unknown: np.ndarray) -> np.ndarray:
    """Unknown positions fixed by the equations: zero in every null-space vector."""
    positions = [tuple(p) for p in np.argwhere(unknown)]
    out = np.zeros(unknown.shape, dtype=bool)
    if not positions or not equations:
        return out
    column_of = {p: k for k, p in enumerate(positions)}
    matrix = np.zeros((len(equations), len(positions)))
    for e, terms in enumerate(equations):
        for i, j, coefficient in terms:
            k = column_of.get((i, j))
            if k is not None:
                matrix[e, k] = coefficient
    used = np.flatnonzero(np.any(matrix != 0, axis=1))
    matrix = matrix[used]
    if matrix.size == 0:
        return out
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int(np.sum(singular > _NULL_TOLERANCE * max(1.0, singular.max(initial=0.0))))
    null = vt[rank:]
    fixed = np.all(np.abs(null) < 1e-7, axis=0) if null.size else np.ones(len(positions), bool)
    for k in np.flatnonzero(fixed):
        out[positions[k]] = True
    return out


def _too_narrow(equations: list[list[tuple[int, int, float]]], values: np.ndarray,
                unknown: np.ndarray, primary: np.ndarray, low: int, high: int) -> np.ndarray:
    """Small counts whose bounds, from everything shown, say too much: a reader who also
    uses that counts are whole and never negative can tell the value lies between ``low``
    and ``high`` (it cannot be 0, nor above ``high``).

    Seen: two rows (2, 1 | 3) and (12, 1 | 13) under column totals 14 and 2 hide four
    cells, none recoverable linearly, yet the 2 must lie between 1 and 3. The bounds are
    those of a linear programme: a table's equations with its margins form a totally
    unimodular system, so its bounds are whole numbers and equal the integer ones.
    """
    from scipy.optimize import linprog

    out = np.zeros(unknown.shape, dtype=bool)
    positions = [tuple(int(v) for v in p) for p in np.argwhere(unknown)]
    targets = [p for p in positions if primary[p]]
    if not targets or not equations:
        return out
    column_of = {p: k for k, p in enumerate(positions)}
    rows, rhs = [], []
    for terms in equations:
        row = np.zeros(len(positions))
        constant = 0.0
        for i, j, coefficient in terms:
            k = column_of.get((i, j))
            if k is None:
                constant += coefficient * (values[i, j] if np.isfinite(values[i, j]) else 0.0)
            else:
                row[k] += coefficient
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    if not rows:
        return out
    matrix, rhs_array = np.array(rows), np.array(rhs)
    for target in targets:
        objective = np.zeros(len(positions))
        objective[column_of[target]] = 1.0
        lowest = linprog(objective, A_eq=matrix, b_eq=rhs_array, bounds=(0, None),
                         method="highs")
        if not lowest.success or round(lowest.fun) < low:
            continue  # can be 0 (or no bound found): the reader cannot tell it is small
        highest = linprog(-objective, A_eq=matrix, b_eq=rhs_array, bounds=(0, None),
                          method="highs")
        if highest.status == 3:  # unbounded above
            continue
        if highest.success and round(-highest.fun) <= high:
            out[target] = True
    return out


def _complement_for(target: tuple[int, int], equations, values: np.ndarray,
                    free: np.ndarray, unknown: np.ndarray,
                    suppressed: np.ndarray) -> tuple[int, int] | None:
    """The cell to hide next: in a line that shows all but one hidden value (else in a
    line of the recoverable ``target``), the smallest non-zero cell shown, else a zero
    cell, else the line's total."""
    alone = []
    for terms in equations:
        hidden = [(i, j) for i, j, _ in terms if unknown[i, j]]
        if len(hidden) == 1 and suppressed[hidden[0]]:
            alone.append(terms)
    lines = alone or [terms for terms in equations
                      if any((i, j) == target for i, j, _ in terms)]
    for terms in lines:
        options = {(i, j) for i, j, _ in terms if free[i, j]}
        if not options:
            continue
        margins = {(i, j) for (i, j) in options
                   if i == values.shape[0] - 1 or j == values.shape[1] - 1}
        def order(p: tuple[int, int]) -> tuple:
            return (values[p] <= 0, values[p], p)

        inner = sorted(options - margins, key=order)
        return inner[0] if inner else sorted(margins, key=order)[0]
    return None


def _mask(mask: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    if mask is None:
        return np.zeros(shape, dtype=bool)
    return np.atleast_2d(np.asarray(mask, dtype=bool)).reshape(shape)


def _pad(mask: np.ndarray) -> np.ndarray:
    """An inner-cell mask grown to the shape with margins (margins False)."""
    out = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=bool)
    out[:-1, :-1] = mask
    return out


# --- points, areas, surveys --------------------------------------------------------------------
@dataclass(frozen=True)
class CellCounts:
    """Incidents counted in square cells: the cells shown (``count >= k``) and what was not."""

    cell_size: float
    columns: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    k: int
    cells_dropped: int
    incidents_dropped: int

    def boxes(self) -> np.ndarray:
        """(x0, y0, x1, y1) of each cell shown."""
        x0, y0 = self.columns * self.cell_size, self.rows * self.cell_size
        return np.column_stack([x0, y0, x0 + self.cell_size, y0 + self.cell_size])


def cells_with_at_least(x: np.ndarray, y: np.ndarray, cell_size: float,
                        k: int = MIN_CELL_COUNT) -> CellCounts:
    """Counts of points in square cells aligned on multiples of ``cell_size``; only cells
    with at least ``k`` points are kept (no point is ever published)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    column = np.floor(x[ok] / cell_size).astype(np.int64)
    row = np.floor(y[ok] / cell_size).astype(np.int64)
    if column.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return CellCounts(cell_size, empty, empty, empty, k, 0, 0)
    keys, counts = np.unique(np.column_stack([column, row]), axis=0, return_counts=True)
    keep = counts >= k
    return CellCounts(cell_size, keys[keep, 0], keys[keep, 1], counts[keep], k,
                      int((~keep).sum()), int(counts[~keep].sum()))


def small_area_mask(populations: np.ndarray, min_population: float) -> np.ndarray:
    """Areas whose values must not be shown: population unknown or under the threshold."""
    populations = np.asarray(populations, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(populations) | (populations < min_population)


def survey_suppressed(n: float | None, min_n: int) -> bool:
    """A survey result on fewer than ``min_n`` answers is not shown."""
    return n is None or not np.isfinite(n) or n < min_n
