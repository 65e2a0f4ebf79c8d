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
import warnings
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from portrait.calls.pathways import Classified, PathwayTable
from portrait.calls.prepared import (
    CLASSIFIED,
    PreparedCalls,
    call_rows,
    call_sources,
)
from portrait.categories import ISSUE_TAGS, CategoryMapping
from portrait.errors import WorkspaceError
from portrait.layers import conform, spec_for
from portrait.portrait_data import (
    UNMAPPED,
    Incidents,
    PeriodCounts,
    PortraitData,
    incident_rows,
    incident_sources,
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
#: Rows of a layer read from the GeoPackage at a time when the file is built.
BUILD_BATCH_ROWS = 500_000
_NAT = np.iinfo(np.int64).min  # how datetime64 stores NaT
_INCIDENT_COLUMNS = ("station", "date", "category", "shift", "hour", "x", "y", "located",
                     "tags")
_CALL_COLUMNS = ("station", "received", "call_type", "call_type_label", "priority", "address",
                 "x", "y", "unit_hours")
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
    sees half a file, and two processes building at once each write a whole one. The layers
    are read from the GeoPackage ``BUILD_BATCH_ROWS`` rows at a time (ten million incidents
    would not fit in memory at once); rows are staged in the layer's order, then copied
    sorted by station."""
    target = cache_path(workspace.path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    stations = prepare_stations(workspace.layer("stations"))
    mapping = CategoryMapping.from_frame(workspace.layer("category_mappings"))
    table = PathwayTable.of_workspace(workspace.layer("call_pathways"))
    try:
        with closing(sqlite3.connect(temporary)) as connection, connection:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA cache_size = -65536")  # 64 MiB for the sorts
            meta = {"fingerprint": current,
                    "incidents": _write_incidents(connection, _batches(workspace, "incidents"),
                                                  stations, mapping)}
            calls = _write_calls(connection, _batches(workspace, "calls"), table)
            if calls is not None:
                meta["calls"] = calls
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            connection.execute("INSERT INTO meta VALUES ('meta', ?)", (json.dumps(meta),))
        if fingerprint(workspace.path) != current:  # saved over while read: rows may mix
            raise sqlite3.OperationalError("the workspace changed while it was read")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    log.info("Station cache of %s rebuilt", workspace.path)


def _batches(workspace: Workspace, name: str) -> Iterator[pd.DataFrame]:
    """Layer ``name`` as stored, a range of feature ids at a time, in the order a whole read
    gives (the feature ids')."""
    spec = spec_for(name)
    with closing(sqlite3.connect(f"file:{workspace.path}?mode=ro", uri=True)) as connection:
        try:
            low, high = connection.execute(f'SELECT MIN(fid), MAX(fid) FROM "{name}"').fetchone()
        except sqlite3.OperationalError:  # no such layer yet
            return
    if low is None:
        return
    for start in range(low, high + 1, BUILD_BATCH_ROWS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            frame = pyogrio.read_dataframe(
                workspace.path, layer=name, use_arrow=True, read_geometry=spec.is_spatial,
                where=f"fid >= {start} AND fid < {start + BUILD_BATCH_ROWS}")
        yield conform(frame, spec, workspace.crs)


def _ns(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").view(np.int64)


def _timestamp(value) -> int | None:
    """A first or last date as nanoseconds; None for no date (NaT stays apart from None)."""
    return None if value is None or pd.isna(value) else int(pd.Timestamp(value).value)


class _Names:
    """Category names in order of first appearance over every batch, as one whole read
    would find them; codes of a batch translated to theirs."""

    def __init__(self, first: list[str] | None = None) -> None:
        self.names: list[str] = list(first or [])
        self._position = {name: i for i, name in enumerate(self.names)}

    def codes(self, categorical: pd.Series, skip: str | None = None) -> np.ndarray:
        """Global codes of a categorical's rows (-1 missing, -2 the ``skip`` category)."""
        lookup = []
        for name in (str(n) for n in categorical.cat.categories):
            if name == skip:
                lookup.append(-2)
                continue
            if name not in self._position:
                self._position[name] = len(self.names)
                self.names.append(name)
            lookup.append(self._position[name])
        return np.append(np.array(lookup, dtype=np.int64), -1)[categorical.cat.codes]


def _write_incidents(connection: sqlite3.Connection, batches: Iterator[pd.DataFrame],
                     stations: pd.DataFrame, mapping: CategoryMapping) -> dict:
    station_names = _Names(stations["station_id"].tolist())
    category_names, shift_names = _Names(), _Names()
    placed = without = rows = 0
    unmapped = False
    sources: set[str] = set()
    first = last = None
    tag_count = len(ISSUE_TAGS)
    counts: list[pd.Series] = []
    tag_counts: list[pd.Series] = []
    connection.execute(f"CREATE TEMP TABLE staged (seq INTEGER PRIMARY KEY, "
                       f"{', '.join(_INCIDENT_COLUMNS)})")
    for layer in batches:
        slim, tags, batch_placed, batch_without = incident_rows(layer, stations, mapping)
        placed, without = placed + batch_placed, without + batch_without
        sources.update(incident_sources(layer))
        station = station_names.codes(slim["station"])
        category = category_names.codes(slim["category"], skip=UNMAPPED)
        unmapped = unmapped or bool((category == -2).any())
        date = _ns(slim["date"])
        dated = slim["date"].dropna()
        if len(dated):
            first = dated.min() if first is None else min(first, dated.min())
            last = dated.max() if last is None else max(last, dated.max())
        bits = tags.astype(np.int64) @ (1 << np.arange(tag_count, dtype=np.int64))
        _insert(connection, "staged", [
            np.arange(rows, rows + len(slim)), station, date, category,
            shift_names.codes(slim["shift"]), slim["hour"].to_numpy(dtype=np.int64),
            slim["x"].to_numpy(dtype=float), slim["y"].to_numpy(dtype=float),
            slim["located"].to_numpy(dtype=np.int64), bits])
        rows += len(slim)
        counted = (station >= 0) & (date != _NAT)
        counts.append(pd.DataFrame({"date": date[counted], "station": station[counted],
                                    "code": category[counted]}).value_counts())
        tag_rows, tag_columns = np.nonzero(tags[counted])
        tag_counts.append(pd.DataFrame({"date": date[counted][tag_rows],
                                        "station": station[counted][tag_rows],
                                        "code": tag_columns}).value_counts())
    categories = category_names.names + ([UNMAPPED] if unmapped else [])
    connection.execute(f"CREATE TABLE incidents (id INTEGER PRIMARY KEY, "
                       f"{', '.join(_INCIDENT_COLUMNS)})")
    columns = ", ".join(_INCIDENT_COLUMNS).replace(
        "category", f"CASE WHEN category = -2 THEN {len(categories) - 1} ELSE category END")
    connection.execute(f"INSERT INTO incidents SELECT ROW_NUMBER() OVER (ORDER BY station, seq)"
                       f" - 1, {columns} FROM staged ORDER BY station, seq")
    connection.execute("DROP TABLE staged")
    connection.execute("CREATE INDEX incidents_x ON incidents (x) WHERE located")
    per_station = dict(connection.execute(
        "SELECT station, COUNT(*) FROM incidents GROUP BY station"))
    slices, start = {}, per_station.get(-1, 0)
    for code, name in enumerate(station_names.names):
        slices[name] = [start, start + per_station.get(code, 0)]
        start += per_station.get(code, 0)
    _write_cumulative(connection, _summed(counts), _summed(tag_counts),
                      (len(station_names.names), len(categories), tag_count), len(categories))
    return {"stations": station_names.names, "categories": categories,
            "shifts": shift_names.names, "tag_ids": list(ISSUE_TAGS), "slices": slices,
            "first_date": _timestamp(first), "last_date": _timestamp(last),
            "dated": bool(rows), "placed_by_location": placed, "without_station": without,
            "sources": sorted(sources)}


def _summed(parts: list[pd.Series]) -> pd.Series:
    """Counts per (date, station, code) added up over the batches."""
    if not parts:
        return pd.Series([], dtype=np.int64)
    return pd.concat(parts).groupby(level=[0, 1, 2]).sum()


def _write_cumulative(connection: sqlite3.Connection, counts: pd.Series, tag_counts: pd.Series,
                      shape: tuple[int, int, int], categories: int) -> None:
    """The city's counts per station and category, and per station and tag, of the incidents
    dated up to each date: any period's counts are two rows read and one subtraction,
    whatever the number of incidents, stations or days."""
    stations, _, tags = shape
    unmapped_code = categories - 1

    def matrix(found: pd.Series, width: int, days: np.ndarray, unmapped: bool) -> np.ndarray:
        out = np.zeros((len(days), stations * width), dtype=np.int64)
        if len(found):
            date, station, code = (found.index.get_level_values(i).to_numpy(dtype=np.int64)
                                   for i in range(3))
            if unmapped:
                code = np.where(code == -2, unmapped_code, code)
            np.add.at(out, (np.searchsorted(days, date), station * width + code),
                      found.to_numpy(dtype=np.int64))
        return np.cumsum(out, axis=0)

    days = np.unique(np.concatenate([
        counts.index.get_level_values(0).to_numpy(dtype=np.int64) if len(counts) else
        np.zeros(0, dtype=np.int64),
        tag_counts.index.get_level_values(0).to_numpy(dtype=np.int64) if len(tag_counts)
        else np.zeros(0, dtype=np.int64)]))
    by_category = matrix(counts, categories, days, True)
    by_tag = matrix(tag_counts, tags, days, False)
    connection.execute("CREATE TABLE cumulative (date INTEGER PRIMARY KEY, by_category BLOB, "
                       "by_tag BLOB)")
    connection.executemany("INSERT INTO cumulative VALUES (?, ?, ?)", zip(
        days.tolist(), (row.tobytes() for row in by_category),
        (row.tobytes() for row in by_tag), strict=True))


def _insert(connection: sqlite3.Connection, table: str, columns: list[np.ndarray]) -> None:
    """Rows turned into Python values a batch at a time: ten million rows at once would
    take gigabytes of Python objects."""
    marks = ", ".join("?" * len(columns))
    for start in range(0, len(columns[0]), INSERT_BATCH_ROWS):
        part = [c[start:start + INSERT_BATCH_ROWS].tolist() for c in columns]
        connection.executemany(f"INSERT INTO {table} VALUES ({marks})", zip(*part, strict=True))


def _write_calls(connection: sqlite3.Connection, batches: Iterator[pd.DataFrame],
                 table: PathwayTable) -> dict | None:
    rows, dtypes, sources = 0, None, set()
    first = last = None
    unit_times = False
    connection.execute(f"CREATE TEMP TABLE staged (seq INTEGER PRIMARY KEY, "
                       f"{', '.join(_CALL_COLUMNS + CLASSIFIED)})")
    for layer in batches:
        frame, classified = call_rows(layer, table)
        dtypes = dtypes or {c: str(frame[c].dtype) for c in _CALL_COLUMNS}
        sources.update(call_sources(layer))
        received = frame["received"].dropna()
        if len(received):
            first = received.min() if first is None else min(first, received.min())
            last = received.max() if last is None else max(last, received.max())
        unit_times = unit_times or bool(np.isfinite(frame["unit_hours"].to_numpy()).any())
        columns = [frame[c].to_numpy(dtype=float) if c in ("x", "y", "unit_hours") else
                   _ns(frame[c]) if c == "received" else
                   frame[c].astype(object).where(frame[c].notna(), None).to_numpy(dtype=object)
                   for c in _CALL_COLUMNS]
        _insert(connection, "staged", [np.arange(rows, rows + len(frame)), *columns,
                                       *(getattr(classified, n) for n in CLASSIFIED)])
        rows += len(frame)
    if dtypes is None:
        connection.execute("DROP TABLE staged")
        return None
    names = ", ".join(_CALL_COLUMNS + CLASSIFIED)
    connection.execute(f"CREATE TABLE calls (id INTEGER PRIMARY KEY, {names})")
    connection.execute(f"INSERT INTO calls SELECT ROW_NUMBER() OVER (ORDER BY station, seq) - 1,"
                       f" {names} FROM staged ORDER BY station, seq")
    connection.execute("DROP TABLE staged")
    slices, start, without = {}, 0, 0
    for label, count in connection.execute(
            "SELECT station, COUNT(*) FROM calls GROUP BY station ORDER BY station"):
        if label:
            slices[label] = [start, start + count]
        else:
            without = count
        start += count
    return {"dtypes": dtypes, "slices": slices, "without_station": without,
            "sources": sorted(sources), "first": _timestamp(first), "last": _timestamp(last),
            "has_unit_times": unit_times}


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
        names = _CALL_COLUMNS + CLASSIFIED
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
