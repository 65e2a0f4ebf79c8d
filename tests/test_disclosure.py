"""Disclosure control: small counts, complementary suppression, cells, areas and surveys."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from exports.disclosure import (
    DisclosureLog,
    cells_with_at_least,
    is_small,
    protect_counts,
    protect_table,
    recoverable_cells,
    small_area_mask,
    survey_suppressed,
)


def lines_with_one_suppressed(table, row_totals=True, column_totals=True,
                              grand_total=True) -> list[str]:
    """Rows/columns whose total is shown and that hide exactly one value: recoverable."""
    unknown = table.suppressed | ~table.published
    rows, columns = unknown.shape[0] - 1, unknown.shape[1] - 1
    out = []
    for i in range(rows + 1):
        shown = row_totals if i < rows else column_totals and grand_total
        if shown and unknown[i, :].sum() == 1:
            out.append(f"row {i}")
    for j in range(columns + 1):
        shown = column_totals if j < columns else row_totals and grand_total
        if shown and unknown[:, j].sum() == 1:
            out.append(f"column {j}")
    return out


def test_small_counts_are_one_to_four() -> None:
    assert is_small(np.array([0, 1, 4, 5, np.nan])).tolist() == [False, True, True, False,
                                                                False]


def test_a_small_cell_gets_complements_in_its_row_and_column() -> None:
    table = protect_table(np.array([[3, 10, 20], [12, 15, 30], [8, 9, 40]]))
    assert table.primary[0, 0]
    assert table.complementary.sum() >= 3  # a rectangle: one in its row, column, and corner
    assert not recoverable_cells(table).any()
    assert lines_with_one_suppressed(table) == []
    # the complements are the smallest cells next to it, not the big ones
    assert not table.suppressed[2, 2] and not table.suppressed[1, 2]


def test_a_list_with_its_total_hides_a_second_count() -> None:
    table = protect_counts([3, 50, 60, 7])
    assert table.interior.tolist() == [[True, False, False, True]]  # 3, then the next smallest
    assert not table.row_totals[0]


def test_a_small_total_is_itself_suppressed() -> None:
    table = protect_counts([3, 0, 0])
    assert table.row_totals[0] and table.interior[0, 0]


def test_structural_zeros_are_never_complements() -> None:
    values = np.array([[0, 3, 40], [20, 30, 50]])
    structural = np.array([[True, False, False], [False, False, False]])
    table = protect_table(values, structural=structural)
    assert not table.suppressed[0, 0]
    assert not recoverable_cells(table).any()


def test_a_bridge_between_two_protected_blocks_is_caught() -> None:
    """Two 2x2 blocks of suppressed cells joined by one suppressed cell: every line hides
    two values or more, yet the joining cell is the difference of two sums of totals."""
    values = np.full((4, 4), 50.0)
    table = protect_table(values, low=0, high=0)  # nothing primary: check the checker
    assert not table.suppressed.any()
    from exports.disclosure import ProtectedTable

    mask = np.zeros((5, 5), dtype=bool)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        mask[i, j] = True
    probe = ProtectedTable(table.values, mask, np.zeros_like(mask), table.published)
    assert lines_with_one_suppressed(probe) == []
    assert recoverable_cells(probe)[0, 2]


def test_hidden_cells_protect_but_are_not_suppressions() -> None:
    values = np.array([[3.0, 8.0, 40.0]])
    hidden = np.array([[False, True, False]])
    table = protect_table(values, column_totals=False, grand_total=False, hidden=hidden)
    assert table.primary[0, 0] and not table.complementary.any()


@settings(max_examples=150, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.integers(0, 12)),
       st.booleans(), st.booleans(), st.booleans())
def test_no_suppressed_cell_can_be_recovered(values, row_totals, column_totals,
                                             grand_total) -> None:
    table = protect_table(values, row_totals=row_totals, column_totals=column_totals,
                          grand_total=grand_total)
    assert not recoverable_cells(table, row_totals, column_totals, grand_total).any()
    assert lines_with_one_suppressed(table, row_totals, column_totals, grand_total) == []
    small = table.published & is_small(table.values)
    assert (table.suppressed | ~small).all()  # every small count shown is hidden
    # the hidden values cannot be pinned down by brute force on a single line either
    for i in range(values.shape[0]):
        if row_totals and table.published[i, -1] and not table.suppressed[i, -1]:
            assert table.interior[i].sum() != 1


def test_cells_keep_only_those_with_k_incidents() -> None:
    x = np.array([10, 20, 30, 40, 50, 250, 260, np.nan])
    y = np.array([10, 10, 10, 10, 10, 10, 10, 5])
    cells = cells_with_at_least(x, y, 100, k=5)
    assert cells.counts.tolist() == [5]
    assert (cells.cells_dropped, cells.incidents_dropped) == (1, 2)
    assert cells.boxes().tolist() == [[0, 0, 100, 100]]


def test_small_areas_and_surveys() -> None:
    assert small_area_mask(np.array([39, 40, np.nan]), 40).tolist() == [True, False, True]
    assert survey_suppressed(29, 30) and not survey_suppressed(30, 30)
    assert survey_suppressed(None, 30)


def test_log_counts_reasons() -> None:
    log = DisclosureLog()
    log.add("categories", "Vol qualifié", "small_count")
    log.add("categories", "Méfait", "complementary")
    assert len(log) == 2 and log.count("small_count") == 1


def test_zeros_under_a_hidden_small_total_are_hidden_too() -> None:
    """A total of 3 over three hidden cells and shown zeros says 1, 1 and 1."""
    table = protect_table(np.array([[1, 0, 1, 1, 0], [40, 30, 20, 25, 35]]))
    assert table.row_totals[0]
    assert table.interior[0].all()  # zeros included: the pattern does not depend on them
    again = protect_table(np.array([[3, 0, 0, 0, 0], [40, 30, 20, 25, 35]]))
    assert (again.suppressed == table.suppressed).all()
    assert not recoverable_cells(table).any()


def test_forced_cells_start_hidden_and_stay_protected() -> None:
    values = np.array([[10.0, 20.0, 30.0, 40.0]])
    forced = np.zeros((2, 5), dtype=bool)
    forced[0, 1] = True  # another table of the brief hides this count
    table = protect_counts(values[0], forced=forced)
    assert table.complementary[0, 1] and table.interior.sum() == 2
    assert not recoverable_cells(table, column_totals=False, grand_total=False).any()


def test_partners_read_one_reason_for_small_counts_and_complements() -> None:
    from exports.disclosure import COMPLEMENTARY, PRIMARY, SMALL_AREA, public_reason

    assert public_reason(PRIMARY) == public_reason(COMPLEMENTARY)
    assert public_reason(SMALL_AREA) == SMALL_AREA


def _integer_bounds(table, cell, row_totals=True, column_totals=True, grand_total=True):
    """What a reader knowing that counts are whole and non-negative can tell of ``cell``:
    its smallest and largest value given every figure the table shows (``milp``)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows, columns = table.values.shape[0] - 1, table.values.shape[1] - 1
    shape = table.values.shape
    size = shape[0] * shape[1]

    def index(i, j):
        return i * shape[1] + j

    equations = []
    if row_totals:
        equations += [[(i, j, 1) for j in range(columns)] + [(i, columns, -1)]
                      for i in range(rows)]
    if column_totals:
        equations += [[(i, j, 1) for i in range(rows)] + [(rows, j, -1)]
                      for j in range(columns)]
    if grand_total:
        equations.append([(i, j, 1) for i in range(rows) for j in range(columns)] +
                         [(rows, columns, -1)])
    matrix = np.zeros((max(len(equations), 1), size))
    for e, terms in enumerate(equations):
        for i, j, c in terms:
            matrix[e, index(i, j)] += c
    lower, upper = np.zeros(size), np.full(size, 1e4)
    for i, j in np.argwhere(table.published & ~table.suppressed):
        lower[index(i, j)] = upper[index(i, j)] = table.values[i, j]
    found = []
    for sign in (1, -1):
        objective = np.zeros(size)
        objective[index(*cell)] = sign
        result = milp(objective, constraints=LinearConstraint(matrix, 0, 0),
                      integrality=np.ones(size), bounds=Bounds(lower, upper))
        found.append(sign * result.fun)
    return found


def test_a_small_count_bounded_between_one_and_four_gets_another_complement() -> None:
    """No line hides a single value, so no linear recovery; yet, counts being whole and
    never negative, the 2 could only be 1, 2 or 3: a reader learns it is a small count."""
    values = np.array([[2, 1, 7], [10, 10, 0], [12, 9, 11], [12, 1, 0]])
    table = protect_table(values)
    low, high = _integer_bounds(table, (0, 0))
    assert low == 0 or high > 4, (low, high)


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.integers(0, 12)))
def test_no_small_count_can_be_bounded_as_small(values) -> None:
    table = protect_table(values)
    for cell in map(tuple, np.argwhere(table.primary)):
        low, high = _integer_bounds(table, cell)
        assert low < high and (low == 0 or high > 4), (cell, low, high)
