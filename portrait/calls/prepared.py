"""The calls layer prepared once for every station's portrait: classified, sorted by station.

Classifying a million calls takes a fraction of a second, but doing it again for each of 35
stations would not; ``PreparedCalls`` classifies once under the workspace's pathway table and
keeps each station's calls as one contiguous slice, like the incidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from portrait.calls.demand import classify_calls
from portrait.calls.pathways import Classified, PathwayTable
from portrait.stations import normalise_station_id

#: Unit time above this is a call left open in the dispatch system, not work: left out.
MAX_UNIT_HOURS = 24.0


@dataclass
class PreparedCalls:
    """Calls sorted by station (those without one first), with their classification and
    unit time (hours, NaN when the export has no clear time). ``frame`` columns: station,
    received, call_type, call_type_label, priority, address, x, y, unit_hours."""

    frame: pd.DataFrame
    classified: Classified
    slices: dict[str, slice]
    table: PathwayTable
    without_station: int
    sources: tuple[str, ...]

    @property
    def has_unit_times(self) -> bool:
        return bool(np.isfinite(self.frame["unit_hours"].to_numpy()).any())

    @property
    def first(self) -> pd.Timestamp | None:
        return None if self.frame.empty else self.frame["received"].min()

    @property
    def last(self) -> pd.Timestamp | None:
        return None if self.frame.empty else self.frame["received"].max()

    def unplaced(self, start: pd.Timestamp, end: pd.Timestamp) -> int:
        """Calls of the whole city received from ``start`` to the end of day ``end`` that no
        station holds (they sort first)."""
        received = self.frame["received"].iloc[:self.without_station].to_numpy()
        return int(np.sum((received >= np.datetime64(start))
                          & (received < np.datetime64(end + pd.Timedelta(days=1)))))

    def of(self, station_id: str) -> tuple[pd.DataFrame, Classified]:
        """A station's calls and their classification (empty when it has none)."""
        part = self.slices.get(station_id, slice(0, 0))
        c = self.classified
        return self.frame.iloc[part], Classified(c.pathway[part], c.alternative[part],
                                                 c.rule[part], c.self_initiated[part])


def prepare_calls(layer: pd.DataFrame, table: PathwayTable) -> PreparedCalls:
    """Classify the workspace's calls under ``table`` and sort them by station."""
    frame, classified = call_rows(layer, table)
    labels = sorted(set(frame["station"]))
    rank = np.searchsorted(np.array(labels, dtype=object), frame["station"].to_numpy(
        dtype=object))
    order = np.argsort(rank, kind="stable")  # integers: a million calls sort in milliseconds
    bounds = np.searchsorted(rank[order], np.arange(len(labels) + 1))
    frame = frame.iloc[order].reset_index(drop=True)
    classified = Classified(*(getattr(classified, name)[order] for name in CLASSIFIED))
    slices = {label: slice(int(bounds[i]), int(bounds[i + 1]))
              for i, label in enumerate(labels) if label and bounds[i + 1] > bounds[i]}
    without = int(bounds[1] - bounds[0]) if labels and labels[0] == "" else 0
    return PreparedCalls(frame, classified, slices, table, without, call_sources(layer))


#: The arrays of a ``Classified``, in its order.
CLASSIFIED = ("pathway", "alternative", "rule", "self_initiated")


def call_sources(layer: pd.DataFrame) -> tuple[str, ...]:
    """The sources a calls layer's rows come from, sorted."""
    return tuple(sorted(layer["source"].dropna().astype(str).unique()))


#: The calls layer's columns ``call_rows`` and ``call_sources`` read (besides the points): a
#: build reading the layer a part at a time reads only these.
CALL_ROW_COLUMNS = ("source", "received", "call_type", "call_type_label", "priority",
                    "disposition", "address", "station_id", "self_initiated", "dispatched",
                    "cleared", "units")


def call_rows(layer: pd.DataFrame, table: PathwayTable,
              coordinates: tuple[np.ndarray, np.ndarray] | None = None,
              ) -> tuple[pd.DataFrame, Classified]:
    """Each call as the portrait reads it, in the layer's order (station "" when it has
    none), with its classification. Row by row, so a layer may be prepared a part at a time;
    ``coordinates`` are the points' x and y (NaN for none) when the caller read them without
    making geometries.
    """
    layer = layer.reset_index(drop=True)
    codes, distinct = pd.factorize(layer["station_id"])
    names = np.array([normalise_station_id(v) or "" for v in distinct] + [""], dtype=object)
    x, y = coordinates if coordinates is not None else _coordinates(layer)
    frame = pd.DataFrame({
        "station": names[np.where(codes < 0, len(distinct), codes)], "received":
        layer["received"], "call_type": layer["call_type"],
        "call_type_label": layer["call_type_label"], "priority": layer["priority"],
        "address": layer["address"], "x": x, "y": y, "unit_hours": _unit_hours(layer),
    })
    return frame, classify_calls(layer, table)


def _coordinates(layer: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    geometry = layer.geometry.to_numpy() if hasattr(layer, "geometry") else \
        np.full(len(layer), None)
    located = pd.notna(geometry)
    x = np.full(len(layer), np.nan)
    y = np.full(len(layer), np.nan)
    if located.any():
        x[located] = shapely.get_x(geometry[located])
        y[located] = shapely.get_y(geometry[located])
    return x, y


def _unit_hours(layer: pd.DataFrame) -> np.ndarray:
    """Hours of unit time per call: from dispatch (else receipt) to clear, times the units
    sent (one when not given). NaN without a clear time or with an implausible one."""
    start = layer["dispatched"].fillna(layer["received"])
    hours = (layer["cleared"] - start).dt.total_seconds().to_numpy(dtype=float,
                                                                   na_value=np.nan) / 3600
    units = layer["units"].astype("Float64").fillna(1.0).clip(lower=1.0).to_numpy(dtype=float)
    hours = np.where((hours >= 0) & (hours <= MAX_UNIT_HOURS), hours, np.nan)
    return hours * units
