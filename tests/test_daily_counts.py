"""Counts gathered a batch at a time add up to the counts of all the rows at once."""

from __future__ import annotations

import numpy as np

from portrait.daily_counts import DailyCounts


def _rows(count: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    day = np.int64(86_400 * 10**9)
    date = np.datetime64("2024-01-01", "ns").astype(np.int64) + rng.integers(0, 40, count) * day
    return date, rng.integers(0, 4, count), rng.integers(-2, 6, count)


def test_each_triple_is_counted_once_with_its_rows() -> None:
    date, station, code = _rows(5_000, 1)
    counts = DailyCounts.of(date, station, code)
    triples = list(zip(counts.date.tolist(), counts.station.tolist(), counts.code.tolist(),
                       strict=True))
    assert len(set(triples)) == len(triples)
    expected = {}
    for triple in zip(date.tolist(), station.tolist(), code.tolist(), strict=True):
        expected[triple] = expected.get(triple, 0) + 1
    assert dict(zip(triples, counts.count.tolist(), strict=True)) == expected


def test_batches_sum_up_to_each_date_as_the_whole() -> None:
    date, station, code = _rows(9_000, 2)
    code = code + 2  # codes of a matrix column: 0 to width - 1
    parts = [DailyCounts.of(date[i:i + 1_000], station[i:i + 1_000], code[i:i + 1_000])
             for i in range(0, len(date), 1_000)] + [DailyCounts.of(date[:0], station[:0],
                                                                    code[:0])]
    days = np.unique(date)
    got = DailyCounts.joined(parts).cumulative(days, 4, 8)
    for row, moment in enumerate(days.tolist()):
        upto = date <= moment
        expected = np.bincount(station[upto] * 8 + code[upto], minlength=32)
        assert np.array_equal(got[row], expected), row
