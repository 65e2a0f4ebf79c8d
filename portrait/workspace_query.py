"""Station-scoped reads: one station's portrait reads that station's rows, not the city's.

Reading every incident and call to build one station's portrait costs the whole city (5 s
and 1 GB at a million incidents). The GeoPackage stays the user's file and the only truth
(QGIS opens it; nothing here writes into it). Beside it, a derived SQLite file
(``.NAME.gpkg.portrait-cache.sqlite``) holds:

- the incidents and calls as the portrait reads them (station resolved, category mapped,
  calls classified by the pathway table), one block per station holding one array per
  column (text as codes into the block's own labels): a station is one query and no Python
  object per value; each block's box of located points says which stations can have points
  "just beyond this boundary" for hot spots; beside them, the few columns a station map
  draws as the layer holds them (``STORED_TEXT``, its date, its place in the layer), so the
  first map reads its station's rows, not the layer;
- the city's counts per station and category, and per station and tag, of the incidents
  dated up to each date, computed once: city rates, the station comparison and location
  quotients of any period are two rows read and a subtraction, not a scan of every row.

The file is derived by the same code as the full read (``portrait.portrait_data``,
``portrait.calls.prepared``), so results are identical. It is rebuilt whenever a layer it
derives from changes in the GeoPackage (each layer's last change and row count, from the
GeoPackage's own tables): by the import or removal that changed it, else by the first portrait
that finds it stale. Where it cannot be written (a read-only folder) or the workspace holds
unsaved changes to those layers, the portrait reads the layers whole, as before.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from portrait import census_store
from portrait.block_staging import stage, staged_blocks
from portrait.calls.pathways import Classified, PathwayTable
from portrait.calls.prepared import (
    CALL_ROW_COLUMNS,
    CLASSIFIED,
    PreparedCalls,
    call_rows,
    call_sources,
)
from portrait.categories import ISSUE_TAGS, CategoryMapping
from portrait.daily_counts import DailyCounts
from portrait.errors import WorkspaceError
from portrait.kept_blocks import CALL_LAYERS, copy_blocks, kept_meta
from portrait.layer_batches import Batch, batches
from portrait.layers import spec_for
from portrait.portrait_data import (
    INCIDENT_ROW_COLUMNS,
    UNMAPPED,
    Incidents,
    PeriodCounts,
    PortraitData,
    forget_whole,
    incident_rows,
    incident_sources,
    prepare_stations,
)
from portrait.statistics.apportion import ApportionParameters
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

#: Raised when what the file holds or how it is derived changes: older files are rebuilt.
CACHE_VERSION = 2
#: The layers the file is derived from: a change to any of them makes it stale.
SOURCE_LAYERS = ("stations", "incidents", "category_mappings", "calls", "call_pathways")
#: The layers read whole for every portrait (small: services, surveys); the census layers
#: only when the census kept beside the workspace is not current (``portrait.census_store``).
WHOLE_LAYERS = ("stations", "services", "survey_respondents", "survey_answers",
                "survey_questions", "call_pathways", "streets")
#: Rows of a layer read from the GeoPackage at a time when the file is built.
BUILD_BATCH_ROWS = 500_000
_NAT = np.iinfo(np.int64).min  # how datetime64 stores NaT
#: The columns of a station's block of incidents.
_INCIDENT_COLUMNS = ("date", "category", "shift", "hour", "x", "y", "located", "tags")
#: The incidents layer's text columns the maps draw and filter by, held as the layer holds
#: them (the portrait's own columns are mapped), by their name in the block.
STORED_TEXT = {"stored_category": "category", "source_category": "source_category",
               "stored_tags": "tags"}
#: Each incident's position in the layer, whether the layer gave it a station, and its date
#: as the layer holds it: with ``STORED_TEXT``, x and y, all a station map reads.
_STORED_COLUMNS = ("position", "own", "stored_date", *STORED_TEXT)
_CALL_COLUMNS = ("station", "received", "call_type", "call_type_label", "priority", "address",
                 "x", "y", "unit_hours")
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cache_path(workspace_path: Path) -> Path:
    """The derived file of a workspace, hidden beside it."""
    path = Path(workspace_path)
    return path.with_name(f".{path.name}.portrait-cache.sqlite")


def fingerprint(workspace_path: Path, layers: tuple[str, ...] = SOURCE_LAYERS) -> str:
    """What the source layers (or ``layers``) look like in the GeoPackage: each one's last
    change and row count as GDAL records them, and its highest feature id (rows deleted and
    as many added move it, even by a writer that leaves the last change as it was); read in a
    millisecond whatever the size of the layers."""
    with closing(sqlite3.connect(f"file:{workspace_path}?mode=ro", uri=True)) as connection:
        changes = dict(connection.execute(
            "SELECT table_name, last_change FROM gpkg_contents"))
        try:
            counts = dict(connection.execute(
                "SELECT table_name, feature_count FROM gpkg_ogr_contents"))
        except sqlite3.OperationalError:  # written without GDAL's count table
            counts = {}
        highest = {name: _highest_fid(connection, name) for name in layers
                   if name in changes}
    return json.dumps({"version": CACHE_VERSION,
                       "layers": {name: [changes.get(name), counts.get(name),
                                         highest.get(name)] for name in layers}})


def _highest_fid(connection: sqlite3.Connection, name: str) -> int | None:
    try:
        return connection.execute(f'SELECT MAX(fid) FROM "{name}"').fetchone()[0]
    except sqlite3.OperationalError:  # listed but without a fid column: the count says enough
        return None


def prepared(workspace: Workspace | PortraitData, parameters: ApportionParameters
             ) -> PortraitData:
    """The workspace's data for portraits, incidents and calls read station by station when
    the derived file can serve them (else every layer read whole); cached per workspace
    until a layer changes."""
    if isinstance(workspace, PortraitData):
        return workspace
    store = _store(workspace)
    if store is None:  # layers read whole: the station-by-station data is stale
        _PREPARED.pop(workspace, None)
        return PortraitData.of(workspace, parameters)
    forget_whole(workspace)  # and the other way round, so that replaced data is freed
    layers = functools.partial(fingerprint, workspace.path)
    key = (store.fingerprint, census_store.layers_token(workspace, layers),
           tuple(id(workspace.layer(n)) for n in WHOLE_LAYERS), parameters)
    cached = _PREPARED.get(workspace)
    if cached is not None and cached[0] == key:
        return cached[1]
    census = census_store.census(workspace, prepare_stations(workspace.layer("stations")),
                                 parameters, layers)
    data = PortraitData.from_workspace(workspace, parameters, incidents=store.incidents(),
                                       read_calls=False, census=census)
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


def current_store(workspace: Workspace) -> Store | None:
    """The derived file when it is current, never building it (None otherwise): a map drawn
    while a portrait builds the file would build it a second time, at once."""
    if workspace.path is None or any(workspace.unsaved(n) for n in SOURCE_LAYERS):
        return None
    path = cache_path(workspace.path)
    try:
        meta = _meta(path)
        if meta["fingerprint"] != fingerprint(workspace.path):
            return None
    except (OSError, sqlite3.Error, KeyError, ValueError):
        return None  # none yet, damaged or from another version
    return Store(path, meta["fingerprint"], meta)


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
    sees half a file, and two processes or threads building at once each write a whole one.
    The layers are read from the GeoPackage ``BUILD_BATCH_ROWS`` rows at a time (ten million
    incidents would not fit in memory at once); each batch's rows are staged by station,
    then each station's parts joined into its block."""
    target = cache_path(workspace.path)
    temporary = target.with_name(  # one per thread: a portrait and an export may both build
        f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)
    stations = prepare_stations(workspace.layer("stations"))
    mapping = CategoryMapping.from_frame(workspace.layer("category_mappings"))
    table = PathwayTable.of_workspace(workspace.layer("call_pathways"))
    try:
        with closing(sqlite3.connect(temporary)) as connection, connection:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA cache_size = -65536")  # 64 MiB for the sorts
            _create_block_tables(connection)  # a workspace without incidents has none
            kept = kept_meta(connection, target, current, CALL_LAYERS)
            meta = {"fingerprint": current,
                    "incidents": _write_incidents(connection, _batches(workspace, "incidents",
                                                                           INCIDENT_ROW_COLUMNS),
                                                  stations, mapping)}
            if kept is not None:  # the calls did not change: their blocks are copied
                copy_blocks(connection, "calls")
                calls = kept.get("calls")
            else:
                calls = _write_calls(connection, _batches(workspace, "calls",
                                                          CALL_ROW_COLUMNS), table)
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


def _batches(workspace: Workspace, name: str, columns: tuple[str, ...]) -> Iterator[Batch]:
    """Layer ``name`` as stored (only ``columns`` and the points), a range of feature ids at
    a time, in the order a whole read gives (the feature ids'); sliced from memory when the
    workspace holds the layer as saved (an import's build does not read back what it wrote)."""
    return batches(workspace.path, spec_for(name), columns, workspace.crs, BUILD_BATCH_ROWS,
                   held=workspace.saved_frame(name))


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


def _write_incidents(connection: sqlite3.Connection, batches: Iterator[Batch],
                     stations: pd.DataFrame, mapping: CategoryMapping) -> dict:
    station_names = _Names(stations["station_id"].tolist())
    category_names, shift_names = _Names(), _Names()
    stored_names = {name: _Names() for name in STORED_TEXT}
    placed = without = rows = 0
    unmapped = False
    sources: set[str] = set()
    first = last = None
    tag_count = len(ISSUE_TAGS)
    counts, tag_counts = DailyCounts(), DailyCounts()
    for batch in batches:
        slim, tags, batch_placed, batch_without = incident_rows(batch.frame, stations, mapping,
                                                                batch.coordinates)
        placed, without = placed + batch_placed, without + batch_without
        sources.update(incident_sources(batch.frame))
        station = station_names.codes(slim["station"])
        category = category_names.codes(slim["category"], skip=UNMAPPED)
        unmapped = unmapped or bool((category == -2).any())
        date = _ns(slim["date"])
        dated = date != _NAT
        if dated.any():
            low, high = int(date[dated].min()), int(date[dated].max())
            first = low if first is None else min(first, low)
            last = high if last is None else max(last, high)
        stage(connection, station, {
            "date": date, "category": category, "shift": shift_names.codes(slim["shift"]),
            "hour": slim["hour"].to_numpy(dtype=np.int64), "x": slim["x"].to_numpy(dtype=float),
            "y": slim["y"].to_numpy(dtype=float),
            "located": slim["located"].to_numpy(dtype=bool), "tags": tags,
            "position": np.arange(rows, rows + len(slim), dtype=np.int64),
            "own": batch.frame["station_id"].notna().to_numpy(dtype=bool),
            "stored_date": _ns(batch.frame["date"]),
            **{name: names.codes(batch.frame[STORED_TEXT[name]].astype("category")
                                 ).astype(np.int32)
               for name, names in stored_names.items()}})
        rows += len(slim)
        counted = (station >= 0) & dated
        counts.add(date[counted], station[counted], category[counted])
        tag_rows, tag_columns = np.nonzero(tags[counted])
        tag_counts.add(date[counted][tag_rows], station[counted][tag_rows], tag_columns)
    categories = category_names.names + ([UNMAPPED] if unmapped else [])
    sizes = {}
    for station, block, labels in staged_blocks(connection):
        block["category"] = np.where(block["category"] == -2, len(categories) - 1,
                                     block["category"])
        _write_block(connection, "incidents", str(station), block, labels,
                     ("x", "y", "located"))
        sizes[station] = len(block["x"])
    slices, start = {}, sizes.get(-1, 0)
    for code, name in enumerate(station_names.names):
        slices[name] = [start, start + sizes.get(code, 0)]
        start += sizes.get(code, 0)
    _write_cumulative(connection, counts, tag_counts, len(station_names.names),
                      len(categories), tag_count)
    return {"stations": station_names.names, "categories": categories,
            "shifts": shift_names.names, "tag_ids": list(ISSUE_TAGS), "slices": slices,
            "first_date": _timestamp(first), "last_date": _timestamp(last),
            "dated": bool(rows), "placed_by_location": placed, "without_station": without,
            "sources": sorted(sources),
            "stored_text": {name: names.names for name, names in stored_names.items()}}


def _create_block_tables(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE blocks (layer TEXT, station TEXT, first INTEGER, "
                       "rows INTEGER, minx REAL, miny REAL, maxx REAL, maxy REAL, "
                       "PRIMARY KEY (layer, station))")
    connection.execute("CREATE TABLE columns (layer TEXT, station TEXT, name TEXT, "
                       "dtype TEXT, shape TEXT, data BLOB, labels TEXT, "
                       "PRIMARY KEY (layer, station, name))")


def _write_block(connection: sqlite3.Connection, layer: str, key: str,
                 block: dict[str, np.ndarray], labels: dict[str, list],
                 located: tuple[str, str, str] | None) -> int:
    """One station's rows as one array per column (text as codes into its own ``labels``);
    the position of its first row in the station order, as ``slices`` give it."""
    (first,), = connection.execute("SELECT COALESCE(SUM(rows), 0) FROM blocks WHERE layer = ?",
                                   (layer,))
    box = [None] * 4
    if located is not None:
        x, y, inside = (block[name] for name in located)
        if inside.any():
            box = [float(x[inside].min()), float(y[inside].min()), float(x[inside].max()),
                   float(y[inside].max())]
    rows = len(next(iter(block.values())))
    connection.execute("INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (layer, key, first, rows, *box))
    for name, values in block.items():
        text = json.dumps(labels[name]) if name in labels else None
        connection.execute("INSERT INTO columns VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (layer, key, name, values.dtype.str, json.dumps(values.shape),
                            np.ascontiguousarray(values).tobytes(), text))
    return int(first)


def _block_rows(connection: sqlite3.Connection, key: str) -> int:
    found = connection.execute("SELECT rows FROM blocks WHERE layer = 'incidents' AND "
                               "station = ?", (key,)).fetchone()
    return 0 if found is None else int(found[0])


def _read_block(connection: sqlite3.Connection, layer: str, key: str,
                names: tuple[str, ...], coded: bool = False
                ) -> dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]] | None:
    """A station's columns (text as object arrays, or when ``coded`` as its codes and the
    labels they index), or None when it has no rows."""
    out = {}
    for name, dtype, shape, data, labels in connection.execute(
            f"SELECT name, dtype, shape, data, labels FROM columns WHERE layer = ? AND "
            f"station = ? AND name IN ({', '.join('?' * len(names))})", (layer, key, *names)):
        values = np.frombuffer(data, dtype=np.dtype(dtype)).reshape(json.loads(shape))
        if labels is not None:
            labels = np.array(json.loads(labels), dtype=object)
            out[name] = (values.copy(), labels) if coded else labels[values]
        else:
            out[name] = values.copy()
    return out or None


def _text(codes: np.ndarray, labels: np.ndarray, dtype: object) -> pd.api.extensions.ExtensionArray:
    """Text of ``dtype`` from codes into labels: one value made per label, not per row (a
    station's calls were 60,000 Python strings converted twice)."""
    return pd.array(labels, dtype=dtype).take(codes)


def _numpy_text(codes: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Numpy text from codes into labels, as wide as its longest value (``astype(str)`` of
    the values)."""
    used = labels[np.bincount(codes, minlength=len(labels)) > 0].astype(str)
    return labels.astype(str)[codes].astype(used.dtype)


def _write_cumulative(connection: sqlite3.Connection, counts: DailyCounts,
                      tag_counts: DailyCounts, stations: int, categories: int,
                      tags: int) -> None:
    """The city's counts per station and category, and per station and tag, of the incidents
    dated up to each date: any period's counts are two rows read and one subtraction,
    whatever the number of incidents, stations or days."""
    days = np.unique(np.concatenate([counts.dates, tag_counts.dates]))
    by_category = counts.cumulative(days, stations, categories, unmapped=categories - 1)
    by_tag = tag_counts.cumulative(days, stations, tags)
    connection.execute("CREATE TABLE cumulative (date INTEGER PRIMARY KEY, by_category BLOB, "
                       "by_tag BLOB)")
    connection.executemany("INSERT INTO cumulative VALUES (?, ?, ?)", zip(
        days.tolist(), (row.tobytes() for row in by_category),
        (row.tobytes() for row in by_tag), strict=True))


def _write_calls(connection: sqlite3.Connection, batches: Iterator[Batch],
                 table: PathwayTable) -> dict | None:
    dtypes, sources = None, set()
    first = last = None
    unit_times = False
    for batch in batches:
        frame, classified = call_rows(batch.frame, table, batch.coordinates)
        dtypes = dtypes or {c: str(frame[c].dtype) for c in _CALL_COLUMNS}
        sources.update(call_sources(batch.frame))
        received = frame["received"].dropna()
        if len(received):
            first = received.min() if first is None else min(first, received.min())
            last = received.max() if last is None else max(last, received.max())
        unit_times = unit_times or bool(np.isfinite(frame["unit_hours"].to_numpy()).any())
        columns = {c: frame[c].to_numpy(dtype=float) if c in ("x", "y", "unit_hours") else
                   _ns(frame[c]) if c == "received" else frame[c] for c in _CALL_COLUMNS}
        for name in CLASSIFIED:
            columns[name] = getattr(classified, name)
        stage(connection, frame["station"].to_numpy(dtype=object), columns)
    if dtypes is None:
        return None
    slices, without = {}, 0
    for label, block, labels in staged_blocks(connection):
        start = _write_block(connection, "calls", label, block, labels, None)
        if label:
            slices[label] = [start, start + len(block["x"])]
        else:
            without = len(block["x"])
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

    def stored_incidents(self, station_id: str, box: tuple[float, float, float, float],
                         crs: object) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        """The incidents the layer gives to ``station_id``, and those it gives no station
        that lie in ``box``, each in the layer's order and indexed by position in it, with
        the layer's date, ``STORED_TEXT`` columns and geometry (rebuilt from x and y): what
        a whole read of the layer would give for these rows, without reading the others."""
        meta = self.meta["incidents"]
        stations = [str(s) for s in meta["stations"]]
        names = ("x", "y", "located", *_STORED_COLUMNS)
        minx, miny, maxx, maxy = box
        own_key = str(stations.index(station_id)) if station_id in stations else None
        with self.connect() as connection:
            own = None if own_key is None else _read_block(connection, "incidents", own_key,
                                                           names)
            near = [row[0] for row in connection.execute(
                "SELECT station FROM blocks WHERE layer = 'incidents' AND minx <= ? AND "
                "maxx >= ? AND miny <= ? AND maxy >= ?", (maxx, minx, maxy, miny))]
            unassigned = []
            for key in near:  # the other columns read only where such rows are
                block = own if key == own_key else _read_block(
                    connection, "incidents", key, ("own", "located", "x", "y"))
                x, y = block["x"], block["y"]
                keep = ~block["own"] & block["located"] & (x >= minx) & (x <= maxx) & \
                    (y >= miny) & (y <= maxy)
                if keep.any():
                    if key != own_key:
                        block = _read_block(connection, "incidents", key, names)
                    unassigned.append({name: values[keep] for name, values in block.items()})
        own_rows = [] if own is None else [{name: values[own["own"]]
                                            for name, values in own.items()}]
        return (_as_stored(own_rows, meta["stored_text"], crs),
                _as_stored(unassigned, meta["stored_text"], crs))

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


def _as_stored(parts: list[dict[str, np.ndarray]], labels: dict[str, list[str]],
               crs: object) -> gpd.GeoDataFrame:
    """Rows of blocks as the incidents layer holds them, in the layer's order."""
    def column(name: str, dtype: type) -> np.ndarray:
        return np.concatenate([np.zeros(0, dtype=dtype), *(part[name] for part in parts)])

    position = column("position", np.int64)
    order = np.argsort(position, kind="stable")
    frame = pd.DataFrame({"date": column("stored_date", np.int64)[order].view("datetime64[ns]")},
                         index=pd.Index(position[order]))
    for name, layer_column in STORED_TEXT.items():  # code -1: missing
        frame[layer_column] = pd.array(labels[name], dtype="string").take(
            column(name, np.int32)[order].astype(np.intp), allow_fill=True)
    located = column("located", bool)[order]
    points = np.full(len(order), None, dtype=object)
    points[located] = np.asarray(gpd.points_from_xy(column("x", float)[order][located],
                                                    column("y", float)[order][located]))
    return gpd.GeoDataFrame(frame, geometry=points, crs=crs)


def _last_read(memo: dict, station_id: str, read):
    """The station's rows, read again unless they were the last read: one assignment of the
    pair, so a portrait and an export reading two stations in two threads never get each
    other's rows."""
    last = memo.get("last")
    if last is None or last[0] != station_id:
        last = (station_id, read(station_id))
        memo["last"] = last
    return last[1]


@dataclass
class ScopedIncidents(Incidents):
    """Incidents read from the derived file one station at a time (the last one kept)."""

    store: Store | None = field(default=None, repr=False, compare=False)

    def of(self, station_id: str) -> tuple[pd.DataFrame, np.ndarray]:
        return _last_read(self.memo, station_id, self._read)

    def _read(self, station_id: str) -> tuple[pd.DataFrame, np.ndarray]:
        stations = [str(s) for s in self.frame["station"].cat.categories]
        part = self.slices.get(station_id, slice(0, 0))
        block = None
        if station_id in stations:
            with self.store.connect() as connection:
                block = _read_block(connection, "incidents", str(stations.index(station_id)),
                                    _INCIDENT_COLUMNS)
        if block is None:
            return self.frame.iloc[0:0].set_axis(pd.RangeIndex(part.start, part.start)), \
                np.zeros((0, len(self.tag_ids)), dtype=bool)
        template = self.frame
        rows = len(block["x"])

        def codes(name: str) -> pd.Categorical:
            return pd.Categorical.from_codes(block[name], dtype=template[name].dtype)

        frame = pd.DataFrame({
            "station": pd.Categorical.from_codes(np.full(rows, stations.index(station_id)),
                                                 dtype=template["station"].dtype),
            "category": codes("category"), "date": block["date"].view("datetime64[ns]"),
            "shift": codes("shift"), "hour": block["hour"], "x": block["x"], "y": block["y"],
            "located": block["located"],
        }, index=pd.RangeIndex(part.start, part.start + rows))
        return frame, block["tags"]

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
        own = str(stations.index(station_id)) if station_id in stations else None
        minx, miny, maxx, maxy = box
        xs, ys = [np.zeros(0)], [np.zeros(0)]
        with self.store.connect() as connection:
            near = [row[0] for row in connection.execute(
                "SELECT station FROM blocks WHERE layer = 'incidents' AND station IS NOT ? "
                "AND minx < ? AND maxx >= ? AND miny < ? AND maxy >= ? ORDER BY first",
                (own, maxx, minx, maxy, miny))]
            for key in near:  # in station order, as the rows of a whole read
                block = _read_block(connection, "incidents", key, ("x", "y", "date", "located"))
                x, y = block["x"], block["y"]
                keep = block["located"] & (x >= minx) & (x < maxx) & (y >= miny) & (y < maxy)
                if start is not None and end is not None:
                    keep &= (block["date"] >= pd.Timestamp(start).value) & \
                        (block["date"] <= pd.Timestamp(end).value)
                xs.append(x[keep])
                ys.append(y[keep])
        x, y = np.concatenate(xs), np.concatenate(ys)
        order = np.argsort(x, kind="stable")
        return x[order], y[order]


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
            block = _read_block(connection, "calls", "", ("received",))
        if block is None:
            return 0
        received = block["received"]
        return int(np.sum((received >= pd.Timestamp(start).value)
                          & (received < (pd.Timestamp(end) + pd.Timedelta(days=1)).value)))

    def of(self, station_id: str) -> tuple[pd.DataFrame, Classified]:
        return _last_read(self.memo, station_id, self._read)

    def _read(self, station_id: str) -> tuple[pd.DataFrame, Classified]:
        part = self.slices.get(station_id, slice(0, 0))
        block = None
        if station_id in self.slices:
            with self.store.connect() as connection:
                block = _read_block(connection, "calls", station_id,
                                    _CALL_COLUMNS + CLASSIFIED, coded=True)
        if block is None:
            return self.frame.copy(), self.classified
        block["received"] = block["received"].view("datetime64[ns]")
        frame = pd.DataFrame({c: _text(*block[c], self.frame[c].dtype)
                              if isinstance(block[c], tuple) else block[c]
                              for c in _CALL_COLUMNS},
                             index=pd.RangeIndex(part.start, part.stop))
        frame = frame.astype({c: self.frame[c].dtype for c in _CALL_COLUMNS})
        return frame, Classified(_numpy_text(*block["pathway"]),
                                 _numpy_text(*block["alternative"]), block["rule"],
                                 block["self_initiated"])
