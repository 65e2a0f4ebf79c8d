"""Rows counted per date, station and code a batch at a time, then summed up to each date.

The station file keeps the city's counts of incidents per station and category (and per
station and tag) dated up to each date, so that any period's counts are two rows read. Those
counts are gathered while the incidents are read a batch at a time: each batch leaves only
its distinct (date, station, code) triples and their counts (at most dates x stations x
codes, whatever the number of rows), and the triples are summed into one matrix at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class DailyCounts:
    """Distinct (date, station, code) triples (dates as nanoseconds) and their counts."""

    date: np.ndarray
    station: np.ndarray
    code: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, date: np.ndarray, station: np.ndarray, code: np.ndarray) -> DailyCounts:
        """How many rows hold each triple; one row per triple."""
        if not len(date):
            return cls.joined([])
        days, day = np.unique(date, return_inverse=True)
        low = int(code.min())
        width, stations = int(code.max()) - low + 1, int(station.max()) + 1
        keys, count = np.unique((day.reshape(-1) * stations + station) * width + (code - low),
                                return_counts=True)
        column = keys % (stations * width)
        return cls(days[keys // (stations * width)], column // width, column % width + low,
                   count)

    @classmethod
    def joined(cls, parts: list[DailyCounts]) -> DailyCounts:
        """The parts together (a triple may be in several: counts add up when summed)."""
        return cls(*(np.concatenate([np.zeros(0, dtype=np.int64)]
                                    + [getattr(p, name) for p in parts]).astype(np.int64)
                     for name in ("date", "station", "code", "count")))

    def cumulative(self, days: np.ndarray, stations: int, width: int) -> np.ndarray:
        """Days x (station x code) counts of the rows dated up to each of ``days`` (sorted,
        holding every date counted); code ``c`` of station ``s`` in column ``s * width + c``.
        """
        out = np.zeros(len(days) * stations * width, dtype=np.int64)
        np.add.at(out, np.searchsorted(days, self.date) * (stations * width)
                  + self.station * width + self.code, self.count)
        return np.cumsum(out.reshape(len(days), stations * width), axis=0)
