"""A layer's rows regrouped by station, a batch at a time, without holding the city.

The station file keeps each station's rows as one block of arrays, in the layer's order. The
layer is read a batch at a time (ten million incidents do not fit in memory at once), so each
batch's rows are split by station and staged in a temporary table, then each station's parts
are joined into its block. Text is staged as codes into the part's own labels, in order of
first appearance: joined, the labels are in order of first appearance over the station's
rows, as a factorization of the whole block gives them, whatever the batch size; and no
Python object is made per value.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import numpy as np
import pandas as pd

_STAGED = ("CREATE TEMP TABLE IF NOT EXISTS staged (station, batch INTEGER, name TEXT, "
           "dtype TEXT, shape TEXT, data BLOB, labels TEXT)")


def is_text(values: np.ndarray | pd.Series) -> bool:
    """Whether a column is text (numpy strings or objects, pandas strings)."""
    return values.dtype.kind in "OU" or isinstance(values.dtype, pd.StringDtype)


def stage(connection: sqlite3.Connection, station: np.ndarray,
          columns: dict[str, np.ndarray | pd.Series]) -> None:
    """Stage one batch: ``station`` keys its rows (station codes or labels), ``columns``
    holds arrays (text with None or NA for missing) of as many rows."""
    connection.execute(_STAGED)
    (batch,), = connection.execute("SELECT COALESCE(MAX(batch) + 1, 0) FROM staged")
    keys, stations = pd.factorize(station)
    # 16-bit keys sort by radix, in a seventh of the time
    order = np.argsort(keys.astype(np.int16) if len(stations) < 2**15 else keys, kind="stable")
    keys = keys[order]
    bounds = np.searchsorted(keys, np.arange(len(stations) + 1)).tolist()
    parts = {name: _Sorted(values, order, keys, bounds) for name, values in columns.items()}
    for number, key in enumerate(stations.tolist()):
        for name, sorted_values in parts.items():
            part, labels = sorted_values.part(number)
            connection.execute("INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (key, batch, name, part.dtype.str, json.dumps(part.shape),
                                np.ascontiguousarray(part).tobytes(),
                                None if labels is None else json.dumps(labels)))


class _Sorted:
    """A batch's column in station order, cut into each station's part; text as each
    part's codes into its own labels, in order of first appearance in the part."""

    def __init__(self, values: np.ndarray | pd.Series, order: np.ndarray, keys: np.ndarray,
                 bounds: list[int]) -> None:
        self._bounds = bounds
        self._labels = None
        if not is_text(values):
            self._values = np.asarray(values)[order]
            return
        codes, uniques = pd.factorize(values)  # -1 for missing
        self._width = len(uniques) + 1
        self._labels = np.array([None, *(str(u) for u in uniques)], dtype=object)
        # The (station, code) pairs numbered in order of first appearance: as the stations
        # come in turn, a part's numbers are a run starting at its first row's.
        self._values, self._firsts = pd.factorize(keys * self._width + codes[order] + 1)

    def part(self, number: int) -> tuple[np.ndarray, list[str | None] | None]:
        start, stop = self._bounds[number], self._bounds[number + 1]
        if self._labels is None:
            return self._values[start:stop], None
        first = self._values[start]
        end = self._values[stop] if stop < len(self._values) else len(self._firsts)
        return ((self._values[start:stop] - first).astype(np.int32),
                self._labels[self._firsts[first:end] % self._width].tolist())


def staged_blocks(connection: sqlite3.Connection
                  ) -> Iterator[tuple[object, dict[str, np.ndarray], dict[str, list]]]:
    """The staged rows one station at a time, in station order then the layer's order, with
    the labels of its text columns (whose arrays are codes into them): memory holds the
    largest station, never the city. The staged table is dropped after."""
    connection.execute(_STAGED)  # a layer without rows stages nothing
    connection.execute("CREATE INDEX staged_station ON staged (station, batch)")
    stations = [row[0] for row in connection.execute(
        "SELECT DISTINCT station FROM staged ORDER BY station")]
    for station in stations:
        parts: dict[str, list[np.ndarray]] = {}
        texts: dict[str, _Labels] = {}
        for name, dtype, shape, data, labels in connection.execute(
                "SELECT name, dtype, shape, data, labels FROM staged WHERE station = ? "
                "ORDER BY batch, rowid", (station,)):
            values = np.frombuffer(data, dtype=np.dtype(dtype)).reshape(json.loads(shape))
            if labels is not None:
                values = texts.setdefault(name, _Labels()).codes(values, json.loads(labels))
            parts.setdefault(name, []).append(values)
        yield (station, {name: np.concatenate(found) for name, found in parts.items()},
               {name: found.labels for name, found in texts.items()})
    connection.execute("DROP TABLE staged")


class _Labels:
    """A block's labels in order of first appearance over its parts."""

    def __init__(self) -> None:
        self.labels: list[str | None] = []
        self._position: dict[str | None, int] = {}

    def codes(self, part: np.ndarray, labels: list[str | None]) -> np.ndarray:
        """A part's codes into its own ``labels`` as codes into the block's."""
        lookup = np.empty(len(labels), dtype=np.int32)
        for code, label in enumerate(labels):
            if label not in self._position:
                self._position[label] = len(self.labels)
                self.labels.append(label)
            lookup[code] = self._position[label]
        return lookup[part]
