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
    arrays, labels = {}, {}
    for name, values in columns.items():
        if is_text(values):
            codes, uniques = pd.factorize(values)  # -1 for missing
            arrays[name] = codes
            labels[name] = np.array([str(u) for u in uniques] + [None], dtype=object)
        else:
            arrays[name] = np.asarray(values)
    keys, stations = pd.factorize(station)
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(len(stations) + 1)).tolist()
    for number, key in enumerate(stations.tolist()):
        rows = order[bounds[number]:bounds[number + 1]]
        for name, values in arrays.items():
            part, text = values[rows], None
            if name in labels:
                part, firsts = pd.factorize(part)  # codes in order of first appearance
                part = part.astype(np.int32)
                text = json.dumps(labels[name][firsts].tolist())
            connection.execute("INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (key, batch, name, part.dtype.str, json.dumps(part.shape),
                                np.ascontiguousarray(part).tobytes(), text))


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
