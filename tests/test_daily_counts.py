"""Counts gathered a batch at a time add up to the counts of all the rows at once, whether or
not the batches' triples were summed on the way."""

from __future__ import annotations

import numpy as np
import pytest

from portrait.daily_counts import DailyCounts


def _rows(count: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    day = np.int64(86_400 * 10**9)
    date = np.datetime64("2024-01-01", "ns").astype(np.int64) + rng.integers(0, 40, count) * day
    return date, rng.integers(0, 4, count), rng.choice([-2, 0, 1, 2, 3, 4, 5], count)


@pytest.mark.parametrize("fold", [DailyCounts.FOLD, 1, 700])
def test_batches_sum_up_to_each_date_as_the_whole(fold: int, monkeypatch) -> None:
    monkeypatch.setattr(DailyCounts, "FOLD", fold)
    date, station, code = _rows(9_000, 2)
    counts = DailyCounts()
    for start in (*range(0, len(date), 1_000), len(date)):  # the last batch is empty
        part = slice(start, start + 1_000)
        counts.add(date[part], station[part], code[part])
    days = np.unique(date)
    assert np.array_equal(np.unique(counts.dates), days)
    got = counts.cumulative(days, 4, 8, unmapped=7)
    column = np.where(code == -2, 7, code)
    for row, moment in enumerate(days.tolist()):
        upto = date <= moment
        expected = np.bincount(station[upto] * 8 + column[upto], minlength=32)
        assert np.array_equal(got[row], expected), row


def test_summed_batches_hold_each_triple_once() -> None:
    date, station, code = _rows(5_000, 1)
    counts = DailyCounts()
    counts.FOLD = 0  # sum at every batch
    for start in range(0, len(date), 500):
        counts.add(date[start:start + 500], station[start:start + 500], code[start:start + 500])
    triples = list(zip(*(a.tolist() for a in counts._joined()[:3]), strict=True))
    assert len(set(triples)) == len(triples) < len(date)
