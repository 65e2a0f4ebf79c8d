"""Station-scoped reads: one station's portrait reads that station's rows, not the city's.

Reading every incident and call to build one station's portrait costs the whole city (5 s
and 1 GB at a million incidents). The GeoPackage stays the user's file and the only truth
(QGIS opens it; nothing here writes into it). Beside it, a derived SQLite file
(``.NAME.gpkg.portrait-cache.sqlite``) holds:

- the incidents and calls as the portrait reads them (station resolved, category mapped,
  calls classified by the pathway table), sorted by station, so one station is one range of
  row ids; an index on x answers "the points just beyond this boundary" for hot spots;
- the city's counts per station, date and category, and per station, date and tag, computed
  once: city rates, the station comparison and location quotients sum them over a period
  instead of scanning every row.

The file is derived by the same code as the full read (``portrait.portrait_data``,
``portrait.calls.prepared``), so results are identical. It is rebuilt whenever a layer it
derives from changes in the GeoPackage (each layer's last change and row count, from the
GeoPackage's own tables): by the import or removal that changed it, else by the first portrait
that finds it stale. Where it cannot be written (a read-only folder) or the workspace holds
unsaved changes to those layers, the portrait reads the layers whole, as before.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from portrait.calls.pathways import Classified, PathwayTable
from portrait.calls.prepared import PreparedCalls, prepare_calls
from portrait.categories import CategoryMapping
from portrait.errors import WorkspaceError
from portrait.portrait_data import (
    Incidents,
    PeriodCounts,
    PortraitData,
    prepare_incidents,
    prepare_stations,
)
from portrait.statistics.apportion import ApportionParameters
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

#: Raised when what the file holds or how it is derived changes: older files are rebuilt.
CACHE_VERSION = 1
#: The layers the file is derived from: a change to any of them makes it stale.
SOURCE_LAYERS = ("stations", "incidents", "category_mappings", "calls", "call_pathways")
#: The layers read whole for every portrait (small: areas, services, surveys).
WHOLE_LAYERS = ("stations", "census_areas", "census_values", "services",
                "survey_respondents", "survey_answers", "survey_questions", "call_pathways",
                "streets")
#: Rows turned into Python values at a time when the file is written.
INSERT_BATCH_ROWS = 100_000
_NAT = np.iinfo(np.int64).min  # how datetime64 stores NaT
_INCIDENT_COLUMNS = ("station", "date", "category", "shift", "hour", "x", "y", "located",
                     "tags")
_CALL_COLUMNS = ("station", "received", "call_type", "call_type_label", "priority", "address",
                 "x", "y", "unit_hours")
_CLASSIFIED = ("pathway", "alternative", "rule", "self_initiated")
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cache_path(workspace_path: Path) -> Path:
    """The derived file of a workspace, hidden beside it."""
    path = Path(workspace_path)
    return path.with_name(f".{path.name}.portrait-cache.sqlite")


def fingerprint(workspace_path: Path) -> str:
    """What the source layers look like in the GeoPackage: each one's last change and row
    count as GDAL records them, read in a millisecond whatever the size of the layers."""
    with closing(sqlite3.connect(f"file:{workspace_path}?mode=ro", uri=True)) as connection:
        changes = dict(connection.execute(
            "SELECT table_name, last_change FROM gpkg_contents"))
        try:
            counts = dict(connection.execute(
                "SELECT table_name, feature_count FROM gpkg_ogr_contents"))
        except sqlite3.OperationalError:  # written without GDAL's count table
            counts = {}
    return json.dumps({"version": CACHE_VERSION,
                       "layers": {name: [changes.get(name), counts.get(name)]
                                  for name in SOURCE_LAYERS}})


def prepared(workspace: Workspace | PortraitData, parameters: ApportionParameters
             ) -> PortraitData:
    """The workspace's data for portraits, incidents and calls read station by station when
    the derived file can serve them (else every layer read whole); cached per workspace
    until a layer changes."""
    if isinstance(workspace, PortraitData):
        return workspace
    store = _store(workspace)
    if store is None:
        return PortraitData.of(workspace, parameters)
    key = (store.fingerprint, tuple(id(workspace.layer(n)) for n in WHOLE_LAYERS), parameters)
    cached = _PREPARED.get(workspace)
    if cached is not None and cached[0] == key:
        return cached[1]
    data = PortraitData.from_workspace(workspace, parameters, incidents=store.incidents(),
                                       read_calls=False)
    data.cache["calls"] = store.calls(PathwayTable.of_workspace(data.call_pathways))
    _PREPARED[workspace] = (key, data)
    return data


def refresh(workspace: Workspace) -> bool:
    """Rebuild the derived file if the workspace's saved layers changed since it was built
    (after an import or a removal); whether it is now current. Never fails the caller: a
    folder that refuses the file only means portraits read the layers whole."""
    if workspace.path is None or any(workspace.unsaved(n) for n in SOURCE_LAYERS):
        return False
    try:
        current = fingerprint(workspace.path)
        if _stored_fingerprint(cache_path(workspace.path)) != current:
            _build(workspace, current)
    except (OSError, sqlite3.Error) as error:
        log.warning("Could not write the station cache beside %s: %s", workspace.path, error)
        return False
    return True


def _store(workspace: Workspace) -> Store | None:
    if not refresh(workspace):
        return None
    path = cache_path(workspace.path)
    meta = _meta(path)
    return Store(path, meta["fingerprint"], meta)


def _stored_fingerprint(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        return _meta(path)["fingerprint"]
    except (sqlite3.Error, KeyError, ValueError):
        return None  # damaged or from another version: rebuilt


def _meta(path: Path) -> dict:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        (text,), = connection.execute("SELECT value FROM meta WHERE key = 'meta'")
    return json.loads(text)


# --- building the file ---------------------------------------------------------------------
def _build(workspace: Workspace, current: str) -> None:
    """Write the file under a temporary name and rename it over the old one: a reader never
    sees half a file, and two processes building at once each write a whole one."""
    target = cache_path(workspace.path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    stations = prepare_stations(workspace.layer("stations"))
    mapping = CategoryMapping.from_frame(workspace.layer("category_mappings"))
    incidents = prepare_incidents(workspace.layer("incidents"), stations, mapping)
    calls_layer = workspace.layer("calls")
    calls = None if calls_layer.empty else prepare_calls(
        calls_layer, PathwayTable.of_workspace(workspace.layer("call_pathways")))
    try:
        with closing(sqlite3.connect(temporary)) as connection, connection:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            meta = {"fingerprint": current, **_write_incidents(connection, incidents)}
            if calls is not None:
                meta["calls"] = _write_calls(connection, calls)
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            connection.execute("INSERT INTO meta VALUES ('meta', ?)", (json.dumps(meta),))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    log.info("Station cache of %s rebuilt (%d incidents)", workspace.path,
             len(incidents.frame))


def _ns(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").view(np.int64)


def _timestamp(value) -> int | None:
    """A first or last date as nanoseconds; None for no date (NaT stays apart from None)."""
    return None if value is None or pd.isna(value) else int(pd.Timestamp(value).value)


def _write_incidents(connection: sqlite3.Connection, incidents: Incidents) -> dict:
    frame = incidents.frame
    station = frame["station"].cat.codes.to_numpy(dtype=np.int64)
    date = _ns(frame["date"])
    category = frame["category"].cat.codes.to_numpy(dtype=np.int64)
    tags = incidents.tags.astype(np.int64) @ (1 << np.arange(len(incidents.tag_ids),
                                                             dtype=np.int64))
    columns = [station, date, category, frame["shift"].cat.codes.to_numpy(dtype=np.int64),
               frame["hour"].to_numpy(dtype=np.int64), frame["x"].to_numpy(dtype=float),
               frame["y"].to_numpy(dtype=float), frame["located"].to_numpy(dtype=np.int64),
               tags]
    connection.execute(f"CREATE TABLE incidents (id INTEGER PRIMARY KEY, "
                       f"{', '.join(_INCIDENT_COLUMNS)})")
    _insert(connection, "incidents", [np.arange(len(frame)), *columns])
    connection.execute("CREATE INDEX incidents_x ON incidents (x) WHERE located")
    _write_cumulative(connection, incidents, station, date, category)
    dates = frame["date"]
    return {"incidents": {
        "stations": [str(s) for s in frame["station"].cat.categories],
        "categories": [str(c) for c in frame["category"].cat.categories],
        "shifts": [str(s) for s in frame["shift"].cat.categories],
        "tag_ids": list(incidents.tag_ids),
        "slices": {k: [v.start, v.stop] for k, v in incidents.slices.items()},
        "first_date": _timestamp(incidents.first_date),
        "last_date": _timestamp(incidents.last_date),
        "dated": bool(len(dates)),
        "placed_by_location": incidents.placed_by_location,
        "without_station": incidents.without_station,
        "sources": list(incidents.sources)}}


def _write_cumulative(connection: sqlite3.Connection, incidents: Incidents,
                      station: np.ndarray, date: np.ndarray, category: np.ndarray) -> None:
    """The city's counts per station and category, and per station and tag, of the incidents
    dated up to each date: any period's counts are two rows read and one subtraction,
    whatever the number of incidents, stations or days."""
    stations = len(incidents.frame["station"].cat.categories)
    categories = len(incidents.frame["category"].cat.categories)
    tags = len(incidents.tag_ids)
    counted = (station >= 0) & (date != _NAT)
    days, day = np.unique(date[counted], return_inverse=True)
    by_category = np.zeros((len(days), stations * categories), dtype=np.int64)
    np.add.at(by_category, (day, station[counted] * categories + category[counted]), 1)
    by_tag = np.zeros((len(days), stations * tags), dtype=np.int64)
    tag_rows, tag_columns = np.nonzero(incidents.tags[counted])
    np.add.at(by_tag, (day[tag_rows], station[counted][tag_rows] * tags + tag_columns), 1)
    connection.execute("CREATE TABLE cumulative (date INTEGER PRIMARY KEY, by_category BLOB, "
                       "by_tag BLOB)")
    connection.executemany("INSERT INTO cumulative VALUES (?, ?, ?)", zip(
        days.tolist(), (row.tobytes() for row in np.cumsum(by_category, axis=0)),
        (row.tobytes() for row in np.cumsum(by_tag, axis=0)), strict=True))


def _insert(connection: sqlite3.Connection, table: str, columns: list[np.ndarray]) -> None:
    """Rows turned into Python values a batch at a time: ten million rows at once would
    take gigabytes of Python objects."""
    marks = ", ".join("?" * len(columns))
    for start in range(0, len(columns[0]), INSERT_BATCH_ROWS):
        part = [c[start:start + INSERT_BATCH_ROWS].tolist() for c in columns]
        connection.executemany(f"INSERT INTO {table} VALUES ({marks})", zip(*part, strict=True))


def _write_calls(connection: sqlite3.Connection, calls: PreparedCalls) -> dict:
    frame = calls.frame
    columns = [frame[c].to_numpy(dtype=float) if c in ("x", "y", "unit_hours") else
               _ns(frame[c]) if c == "received" else
               frame[c].astype(object).where(frame[c].notna(), None).to_numpy(dtype=object)
               for c in _CALL_COLUMNS]
    connection.execute(f"CREATE TABLE calls (id INTEGER PRIMARY KEY, "
                       f"{', '.join(_CALL_COLUMNS + _CLASSIFIED)})")
    _insert(connection, "calls", [np.arange(len(frame)), *columns,
                                  *(getattr(calls.classified, n) for n in _CLASSIFIED)])
    return {"dtypes": {c: str(frame[c].dtype) for c in _CALL_COLUMNS},
            "slices": {k: [v.start, v.stop] for k, v in calls.slices.items()},
            "without_station": calls.without_station, "sources": list(calls.sources),
            "first": _timestamp(calls.first), "last": _timestamp(calls.last),
            "has_unit_times": calls.has_unit_times}


# --- reading it ----------------------------------------------------------------------------
@dataclass
class Store:
    """The derived file of one workspace as it was when its data was prepared."""

    path: Path
    fingerprint: str
    meta: dict

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection (one per read: the portrait runs in worker threads), to
        the file this data was prepared from: rebuilt since, it would mix two versions."""
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as connection:
            (text,), = connection.execute("SELECT value FROM meta WHERE key = 'meta'")
            if json.loads(text)["fingerprint"] != self.fingerprint:
                raise WorkspaceError("The workspace's incidents or calls changed while the "
                                     "portrait was read; build the portrait again.")
            yield connection

    def incidents(self) -> ScopedIncidents:
        meta = self.meta["incidents"]
        empty = pd.DataFrame({
            "station": pd.Categorical([], categories=meta["stations"]),
            "category": pd.Categorical([], categories=meta["categories"]),
            "date": np.zeros(0, dtype="datetime64[ns]"),
            "shift": pd.Categorical([], categories=meta["shifts"]),
            "hour": np.zeros(0, dtype=np.int64), "x": np.zeros(0), "y": np.zeros(0),
            "located": np.zeros(0, dtype=bool)})

        def day(value: int | None) -> pd.Timestamp | None:
            if value is None:
                return pd.NaT if meta["dated"] else None
            return pd.Timestamp(value)

        return ScopedIncidents(
            empty, np.zeros((0, len(meta["tag_ids"])), dtype=bool), tuple(meta["tag_ids"]),
            {k: slice(*v) for k, v in meta["slices"].items()}, day(meta["first_date"]),
            day(meta["last_date"]), meta["placed_by_location"], meta["without_station"],
            tuple(meta["sources"]), store=self)

    def calls(self, table: PathwayTable) -> ScopedCalls | None:
        meta = self.meta.get("calls")
        if meta is None:
            return None
        empty = pd.DataFrame({c: pd.Series([], dtype=meta["dtypes"][c])
                              for c in _CALL_COLUMNS})
        nothing = np.zeros(0)
        return ScopedCalls(empty, Classified(nothing.astype(str), nothing.astype(str),
                                             nothing.astype(np.int64), nothing.astype(bool)),
                           {k: slice(*v) for k, v in meta["slices"].items()}, table,
                           meta["without_station"], tuple(meta["sources"]), store=self)


@dataclass
class ScopedIncidents(Incidents):
    """Incidents read from the derived file one station at a time (the last one kept)."""

    store: Store | None = field(default=None, repr=False, compare=False)

    def of(self, station_id: str) -> tuple[pd.DataFrame, np.ndarray]:
        if self.memo.get("station") != station_id:
            self.memo["station"] = station_id
            self.memo["rows"] = self._read(self.slices.get(station_id, slice(0, 0)))
        return self.memo["rows"]

    def _read(self, part: slice) -> tuple[pd.DataFrame, np.ndarray]:
        with self.store.connect() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(_INCIDENT_COLUMNS)} FROM incidents "
                "WHERE id >= ? AND id < ? ORDER BY id", (part.start, part.stop)).fetchall()
        values = dict(zip(_INCIDENT_COLUMNS, zip(*rows, strict=True), strict=True)) if rows \
            else {c: () for c in _INCIDENT_COLUMNS}
        template = self.frame

        def codes(name: str) -> pd.Categorical:
            return pd.Categorical.from_codes(np.array(values[name], dtype=np.int64),
                                             dtype=template[name].dtype)

        frame = pd.DataFrame({
            "station": codes("station"), "category": codes("category"),
            "date": np.array(values["date"], dtype=np.int64).view("datetime64[ns]"),
            "shift": codes("shift"), "hour": np.array(values["hour"], dtype=np.int64),
            "x": np.array(values["x"], dtype=float), "y": np.array(values["y"], dtype=float),
            "located": np.array(values["located"], dtype=bool),
        }, index=pd.RangeIndex(part.start, part.start + len(rows)))
        bits = np.array(values["tags"], dtype=np.int64)
        tags = (bits[:, None] >> np.arange(len(self.tag_ids), dtype=np.int64)) & 1 == 1
        return frame, tags.reshape(len(rows), len(self.tag_ids))

    def period_counts(self, start: pd.Timestamp, end: pd.Timestamp) -> PeriodCounts:
        stations = [str(s) for s in self.frame["station"].cat.categories]
        categories = [str(c) for c in self.frame["category"].cat.categories]
        index = pd.Index(stations, name="station")
        shapes = ((len(stations), len(categories)), (len(stations), len(self.tag_ids)))
        with self.store.connect() as connection:
            def upto(moment: int) -> list[np.ndarray]:
                found = connection.execute(
                    "SELECT by_category, by_tag FROM cumulative WHERE date <= ? "
                    "ORDER BY date DESC LIMIT 1", (moment,)).fetchone()
                return [np.zeros(shape, dtype=np.int64) if found is None else
                        np.frombuffer(blob, dtype=np.int64).reshape(shape)
                        for blob, shape in zip(found or (None, None), shapes, strict=True)]

            last = upto(pd.Timestamp(end).value)
            before = upto(pd.Timestamp(start).value - 1)
        by_category, by_tag = (a - b for a, b in zip(last, before, strict=True))
        counts = pd.DataFrame(by_category, index=index, columns=categories)
        return PeriodCounts(counts, pd.DataFrame(by_tag, index=index,
                                                 columns=list(self.tag_ids)),
                            counts.sum(axis=1))

    def others_in_box(self, start: pd.Timestamp | None, end: pd.Timestamp | None,
                      box: tuple[float, float, float, float], station_id: str
                      ) -> tuple[np.ndarray, np.ndarray]:
        stations = [str(s) for s in self.frame["station"].cat.categories]
        own = stations.index(station_id) if station_id in stations else -2
        minx, miny, maxx, maxy = box
        query = ("SELECT x, y FROM incidents WHERE located AND x >= ? AND x < ? AND y >= ? "
                 "AND y < ? AND station != ?")
        values: list = [minx, maxx, miny, maxy, own]
        if start is not None and end is not None:
            query += " AND date >= ? AND date <= ?"
            values += [pd.Timestamp(start).value, pd.Timestamp(end).value]
        with self.store.connect() as connection:
            rows = connection.execute(query + " ORDER BY x, id", values).fetchall()
        points = np.array(rows, dtype=float).reshape(len(rows), 2)
        return points[:, 0], points[:, 1]


@dataclass
class ScopedCalls(PreparedCalls):
    """Classified calls read from the derived file one station at a time (the last kept)."""

    store: Store | None = field(default=None, repr=False, compare=False)
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def has_unit_times(self) -> bool:
        return bool(self.store.meta["calls"]["has_unit_times"])

    @property
    def first(self) -> pd.Timestamp | None:
        value = self.store.meta["calls"]["first"]
        return None if value is None else pd.Timestamp(value)

    @property
    def last(self) -> pd.Timestamp | None:
        value = self.store.meta["calls"]["last"]
        return None if value is None else pd.Timestamp(value)

    def unplaced(self, start: pd.Timestamp, end: pd.Timestamp) -> int:
        with self.store.connect() as connection:
            (count,), = connection.execute(
                "SELECT COUNT(*) FROM calls WHERE id < ? AND received >= ? AND received < ?",
                (self.without_station, pd.Timestamp(start).value,
                 (pd.Timestamp(end) + pd.Timedelta(days=1)).value))
        return int(count)

    def of(self, station_id: str) -> tuple[pd.DataFrame, Classified]:
        if self.memo.get("station") != station_id:
            self.memo["station"] = station_id
            self.memo["rows"] = self._read(self.slices.get(station_id, slice(0, 0)))
        return self.memo["rows"]

    def _read(self, part: slice) -> tuple[pd.DataFrame, Classified]:
        names = _CALL_COLUMNS + _CLASSIFIED
        with self.store.connect() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(names)} FROM calls WHERE id >= ? AND id < ? ORDER BY id",
                (part.start, part.stop)).fetchall()
        values = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows \
            else {c: () for c in names}
        columns = {name: np.array(values[name], dtype=object) for name in _CALL_COLUMNS}
        columns["received"] = np.array(values["received"], dtype=np.int64).view(
            "datetime64[ns]")
        frame = pd.DataFrame(columns, index=pd.RangeIndex(part.start, part.start + len(rows)))
        frame = frame.astype({c: self.frame[c].dtype for c in _CALL_COLUMNS})
        classified = Classified(np.array(values["pathway"], dtype=str),
                                np.array(values["alternative"], dtype=str),
                                np.array(values["rule"], dtype=np.int64),
                                np.array(values["self_initiated"], dtype=bool))
        return frame, classified
