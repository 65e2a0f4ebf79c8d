"""Rows counted per date, station and code a batch at a time, then summed up to each date.

The station file keeps the city's counts of incidents per station and category (and per
station and tag) dated up to each date, so that any period's counts are two rows read. Those
counts are gathered while the incidents are read a batch at a time: each batch leaves only
its distinct (date, station, code) triples and their counts, and once they pile up the
triples of all batches are summed into distinct ones: memory holds at most about dates x
stations x codes triples, whatever the number of rows.
"""

from __future__ import annotations

import numpy as np

_Triples = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class DailyCounts:
    """Rows counted per (date as nanoseconds, station, code), added a batch at a time."""

    #: Triples held before those of every batch are summed into distinct ones (32 bytes each).
    FOLD = 1_000_000

    def __init__(self) -> None:
        self._parts: list[_Triples] = []
        self._held = 0

    def add(self, date: np.ndarray, station: np.ndarray, code: np.ndarray) -> None:
        """Count a batch's rows (station and code non-negative integers, except code -2)."""
        if not len(date):
            return
        self._parts.append(_distinct(date, station, code, None))
        self._held += len(self._parts[-1][0])
        if self._held > self.FOLD:
            self._parts = [_distinct(*self._joined())]
            self._held = len(self._parts[0][0])

    @property
    def dates(self) -> np.ndarray:
        """Every date counted (with repeats)."""
        return self._joined()[0]

    def cumulative(self, days: np.ndarray, stations: int, width: int,
                   unmapped: int | None = None) -> np.ndarray:
        """Days x (station x code) counts of the rows dated up to each of ``days`` (sorted,
        holding every date counted); code ``c`` of station ``s`` in column ``s * width + c``,
        code -2 in column ``unmapped`` of its station (known only once every row is read)."""
        date, station, code, count = self._joined()
        if unmapped is not None:
            code = np.where(code == -2, unmapped, code)
        out = np.zeros(len(days) * stations * width, dtype=np.int64)
        np.add.at(out, np.searchsorted(days, date) * (stations * width) + station * width
                  + code, count)
        return np.cumsum(out.reshape(len(days), stations * width), axis=0)

    def _joined(self) -> _Triples:
        empty = np.zeros(0, dtype=np.int64)
        return tuple(np.concatenate([empty, *(part[i] for part in self._parts)])
                     for i in range(4))


def _distinct(date: np.ndarray, station: np.ndarray, code: np.ndarray,
              count: np.ndarray | None) -> _Triples:
    """The distinct triples and how many rows each (``count`` rows per given triple, else
    one), from one sort of the triples packed into integers."""
    days, day = np.unique(date, return_inverse=True)
    low = int(code.min())
    width, stations = int(code.max()) - low + 1, int(station.max()) + 1
    packed = (day.reshape(-1) * stations + station) * width + (code - low)
    if count is None:
        keys, total = np.unique(packed, return_counts=True)
    else:
        keys, inverse = np.unique(packed, return_inverse=True)
        total = np.zeros(len(keys), dtype=np.int64)
        np.add.at(total, inverse.reshape(-1), count)
    column = keys % (stations * width)
    return (days[keys // (stations * width)].astype(np.int64), column // width,
            column % width + low, total.astype(np.int64))
