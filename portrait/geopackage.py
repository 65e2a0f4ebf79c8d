"""Writing a workspace's layers into its GeoPackage with SQLite itself, in one transaction.

GDAL writes a layer in transactions of its own, on its own connection: a save made of
several layers and the metadata could not be one commit, so saves used to write a whole new
copy of the file and rename it over the old one (seconds at ten million rows, for a one-line
edit). Here the rows are written on one ``sqlite3`` connection, so that a save is one SQLite
transaction whatever it changes: a killed process leaves SQLite's journal, and the next
opener rolls it back to the file as it was before the save.

What GDAL, QGIS and pyogrio need to read the tables is kept as GDAL itself writes it: the
GeoPackage system tables (``gpkg_spatial_ref_sys``, ``gpkg_contents`` with the layer's
extent, ``gpkg_geometry_columns``), GDAL's ``gpkg_ogr_contents`` row counts and the triggers
that keep them, the declared column types GDAL maps back to its field types (``TEXT``,
``INTEGER``, ``REAL``, ``BOOLEAN``, ``DATETIME``) and geometries as GeoPackage blobs (a
``GP`` header, the SRS id, the envelope except for points, then little-endian WKB). Tables
made here have an integer ``fid`` key without GDAL's ``AUTOINCREMENT`` (see
``_create_table_sql``).

A layer is replaced by building the new rows in a new table, then dropping the old one and
renaming the new one, inside the transaction: new pages are appended to the file and need
no journal copy, where deleting and reinserting a million rows in place would copy every
old page into the journal first. Indexes and triggers of the old table (another program's
spatial index, a reader's index) are created again on the new one, and an R-tree is filled
again. The new table's rows come from Python (``encode_columns``), or, for a large layer,
from a staging file GDAL wrote beforehand (``portrait.geopackage_staging``), copied by SQLite
itself. A layer with a row key (the records) is instead changed row by row: only the rows
that differ from the file are updated, deleted or inserted.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from portrait import clock
from portrait.layers import BOOL, DATETIME, FLOAT, INT, STRING, LayerSpec

log = logging.getLogger(__name__)

#: ``PRAGMA application_id`` of a GeoPackage ("GPKG") and the version GDAL writes (1.4).
APPLICATION_ID = 0x47504B47
USER_VERSION = 10400
#: Declared SQLite types GDAL reads back as the workspace's column types.
DECLARED_TYPES = {STRING: "TEXT", INT: "INTEGER", FLOAT: "REAL", BOOL: "BOOLEAN",
                  DATETIME: "DATETIME"}
#: Memory for the pages a save changes before SQLite must write them into the file, which
#: takes the lock that makes readers (another process's report) wait until the commit: an
#: import of a million incidents fits, so readers wait only for the commit itself.
CACHE_KIB = 262_144
#: Rows turned into SQLite values at a time when a layer is written whole (as Python objects,
#: ten million rows at once would take gigabytes).
ENCODE_ROWS = 100_000
#: Seconds a connection waits for another one's lock (a reader during a save's commit).
BUSY_SECONDS = 60.0

_SKELETON = (
    "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,srs_id INTEGER NOT NULL "
    "PRIMARY KEY,organization TEXT NOT NULL,organization_coordsys_id INTEGER NOT NULL,"
    "definition  TEXT NOT NULL,description TEXT)",
    "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,data_type TEXT NOT NULL,"
    "identifier TEXT UNIQUE,description TEXT DEFAULT '',last_change DATETIME NOT NULL "
    "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),min_x DOUBLE, min_y DOUBLE,max_x DOUBLE, "
    "max_y DOUBLE,srs_id INTEGER,CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES "
    "gpkg_spatial_ref_sys(srs_id))",
    "CREATE TABLE gpkg_ogr_contents(table_name TEXT NOT NULL PRIMARY KEY,feature_count "
    "INTEGER DEFAULT NULL)",
    "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL,column_name TEXT NOT NULL,"
    "geometry_type_name TEXT NOT NULL,srs_id INTEGER NOT NULL,z TINYINT NOT NULL,m TINYINT "
    "NOT NULL,CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),CONSTRAINT "
    "uk_gc_table_name UNIQUE (table_name),CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) "
    "REFERENCES gpkg_contents(table_name),CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) "
    "REFERENCES gpkg_spatial_ref_sys (srs_id))",
)
_UNDEFINED_SRS = (("Undefined Cartesian SRS", -1, "NONE", -1, "undefined",
                   "undefined Cartesian coordinate reference system"),
                  ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
                   "undefined geographic coordinate reference system"))
_COUNT_TRIGGERS = (
    'CREATE TRIGGER "trigger_insert_feature_count_{t}" AFTER INSERT ON "{t}" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = "
    "lower('{t}'); END",
    'CREATE TRIGGER "trigger_delete_feature_count_{t}" AFTER DELETE ON "{t}" BEGIN UPDATE '
    "gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = "
    "lower('{t}'); END",
)
_NEW_SUFFIX = "__being_saved"


@contextmanager
def transaction(path: Path, staging: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One write transaction on the GeoPackage at ``path``: committed when the block ends,
    rolled back when it raises. Takes SQLite's write lock at once (``BEGIN IMMEDIATE``), so
    what the block reads stays true until the commit. ``staging`` (``geopackage_staging``)
    is attached as ``staged`` for ``write_layer(..., staged=True)``."""
    connection = connect(path)
    try:
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        connection.execute("PRAGMA legacy_alter_table = ON")  # a rename rewrites no view
        if staging is not None:  # SQLite attaches only outside a transaction
            connection.execute("ATTACH DATABASE ? AS staged", (str(staging),))
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def connect(path: Path) -> sqlite3.Connection:
    """A connection in the rollback-journal mode the file is in, with the SQL functions of
    GeoPackage R-tree triggers (which another program may have added to a table)."""
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    for name, function in (("ST_IsEmpty", _is_empty), ("ST_MinX", _bound(0)),
                           ("ST_MaxX", _bound(1)), ("ST_MinY", _bound(2)),
                           ("ST_MaxY", _bound(3))):
        connection.create_function(name, 1, function, deterministic=True)
    return connection


def create_skeleton(connection: sqlite3.Connection) -> None:
    """The system tables of an empty GeoPackage, as GDAL creates them."""
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {USER_VERSION}")
    for statement in _SKELETON:
        connection.execute(statement)
    connection.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                           _UNDEFINED_SRS)
    srs_id(connection, "EPSG:4326")


def srs_id(connection: sqlite3.Connection, crs: object) -> int:
    """The ``gpkg_spatial_ref_sys`` id of ``crs``, registered if the file lacks it."""
    from pyproj import CRS

    parsed = CRS.from_user_input(crs)
    code = parsed.to_epsg()
    if code is not None and connection.execute(
            "SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (code,)).fetchone():
        return code
    definition = parsed.to_wkt("WKT1_GDAL")
    if code is None:
        found = connection.execute("SELECT srs_id FROM gpkg_spatial_ref_sys WHERE definition "
                                   "= ?", (definition,)).fetchone()
        if found:
            return int(found[0])
        code = max(100_000, 1 + connection.execute(
            "SELECT MAX(srs_id) FROM gpkg_spatial_ref_sys").fetchone()[0])
        organization = "NONE"
    else:
        organization = "EPSG"
    connection.execute("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                       (parsed.name, code, organization, code, definition, None))
    return code


def table_names(connection: sqlite3.Connection) -> set[str]:
    """The layers ``gpkg_contents`` lists."""
    return {row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")}


def write_layer(connection: sqlite3.Connection, spec: LayerSpec, frame: pd.DataFrame,
                srs: int, key: Sequence[str] = (), staged: bool = False) -> int:
    """Make table ``spec.name`` hold exactly ``frame``'s rows, in order; return how many
    rows were written. With a ``key`` (columns naming a row), only rows that differ from
    the file's are written when the file's rows are in the same order. ``staged``: the
    rows are copied from the attached staging file's layer of that name."""
    existing = _columns(connection, spec.name)
    geometry = _geometry_column(connection, spec.name) if existing else None
    if existing and (spec.is_spatial != (geometry is not None)):
        _drop_layer(connection, spec.name)  # a table by that name, of another kind
        existing, geometry = [], None
    if existing and key and not staged and set(spec.columns) <= set(existing):
        changed = _write_changed_rows(connection, spec, frame, srs, geometry, key)
        if changed is not None:
            _describe(connection, spec, frame, len(frame))
            return changed
    _replace_table(connection, spec, frame, srs, existing, geometry, staged)
    _describe(connection, spec, frame, len(frame))
    return len(frame)


def _write_changed_rows(connection: sqlite3.Connection, spec: LayerSpec, frame: pd.DataFrame,
                        srs: int, geometry: str | None, key: Sequence[str]) -> int | None:
    """Update, delete and insert the rows that differ from the file's; None when the new
    rows are not the file's rows in the same order followed by new ones (then the caller
    rewrites the table)."""
    names = _column_names(spec, geometry)
    quoted = ", ".join(f'"{n}"' for n in names)
    old = connection.execute(f'SELECT fid, {quoted} FROM "{spec.name}" ORDER BY fid').fetchall()
    new = list(zip(*encode_columns(spec, frame, srs), strict=True)) if len(frame) else []
    at = [names.index(k) for k in key]
    old_keys = [tuple(row[1 + i] for i in at) for row in old]
    new_keys = [tuple(row[i] for i in at) for row in new]
    if len(set(old_keys)) != len(old_keys) or len(set(new_keys)) != len(new_keys):
        return None
    new_set = set(new_keys)
    kept = [k for k in old_keys if k in new_set]
    if new_keys[:len(kept)] != kept:
        return None
    old_rows = {k: row for k, row in zip(old_keys, old, strict=True)}
    gone = [(row[0],) for k, row in old_rows.items() if k not in new_set]
    changed = [(*row, old_rows[k][0]) for k, row in zip(kept, new, strict=False)
               if tuple(old_rows[k][1:]) != row]
    added = new[len(kept):]
    connection.executemany(f'DELETE FROM "{spec.name}" WHERE fid = ?', gone)
    assignments = ", ".join(f'"{n}" = ?' for n in names)
    connection.executemany(f'UPDATE "{spec.name}" SET {assignments} WHERE fid = ?', changed)
    _insert(connection, spec.name, names, added)
    return len(gone) + len(changed) + len(added)


def _replace_table(connection: sqlite3.Connection, spec: LayerSpec, frame: pd.DataFrame,
                   srs: int, existing: list[str], geometry: str | None, staged: bool) -> None:
    geometry = geometry or ("geom" if spec.is_spatial else None)
    new = spec.name + _NEW_SUFFIX
    connection.execute(f'DROP TABLE IF EXISTS "{new}"')
    connection.execute(_create_table_sql(new, spec, geometry))
    names = _column_names(spec, geometry)
    if staged:
        _copy_staged(connection, spec, new, names)
    for start in range(0, 0 if staged else len(frame), ENCODE_ROWS):
        part = frame.iloc[start:start + ENCODE_ROWS]
        _insert(connection, new, names, zip(*encode_columns(spec, part, srs), strict=True))
    kept_sql = [row[0] for row in connection.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", (spec.name,))] if existing else []
    if existing:
        connection.execute(f'DROP TABLE "{spec.name}"')
    connection.execute(f'ALTER TABLE "{new}" RENAME TO "{spec.name}"')
    for statement in kept_sql or [sql.format(t=spec.name) for sql in _COUNT_TRIGGERS]:
        try:
            connection.execute(statement)
        except sqlite3.OperationalError as error:  # on a column the layer no longer has
            log.warning("Not kept on %s after its rewrite: %s (%s)", spec.name, statement,
                        error)
    _register(connection, spec, srs, geometry, registered=bool(existing))
    if geometry is not None:
        _refill_rtree(connection, spec.name, geometry)


def _drop_layer(connection: sqlite3.Connection, table: str) -> None:
    connection.execute(f'DROP TABLE "{table}"')
    for system in ("gpkg_geometry_columns", "gpkg_ogr_contents", "gpkg_contents"):
        connection.execute(f"DELETE FROM {system} WHERE table_name = ?", (table,))


def _copy_staged(connection: sqlite3.Connection, spec: LayerSpec, table: str,
                 names: Sequence[str]) -> None:
    """The staged layer's rows, in order, into ``table`` (GDAL wrote them as it writes any
    GeoPackage; only the geometry column may be named otherwise)."""
    found = connection.execute("SELECT column_name FROM staged.gpkg_geometry_columns WHERE "
                               "table_name = ?", (spec.name,)).fetchone()
    source = ([found[0]] if found else []) + list(spec.columns)
    staged = [row[1] for row in connection.execute(f'PRAGMA staged.table_info("{spec.name}")')]
    if staged == ["fid", *source] and source == list(names):  # same columns: SQLite copies
        connection.execute(f'INSERT INTO "{table}" SELECT * FROM staged."{spec.name}"')
        return  # records as they are (its "transfer optimisation"), fids and order kept
    quoted = ", ".join(f'"{n}"' for n in names)
    selected = ", ".join(f'"{n}"' for n in source)
    connection.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {selected} FROM '
                       f'staged."{spec.name}" ORDER BY fid')


def _create_table_sql(name: str, spec: LayerSpec, geometry: str | None) -> str:
    # GDAL adds AUTOINCREMENT, which costs SQLite a sequence update per row (a third of the
    # time of a million-row insert); the GeoPackage standard asks only for an integer key.
    columns = ['"fid" INTEGER PRIMARY KEY NOT NULL']
    if geometry is not None:
        columns.append(f'"{geometry}" {_geometry_type(spec).upper()}')
    columns += [f'"{c}" {DECLARED_TYPES[d]}' for c, d in spec.columns.items()]
    return f'CREATE TABLE "{name}" ( {", ".join(columns)})'


def _register(connection: sqlite3.Connection, spec: LayerSpec, srs: int, geometry: str | None,
              registered: bool) -> None:
    if registered:
        return
    connection.execute(
        "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, "
        "description, srs_id) VALUES (?, ?, ?, ?, ?)",
        (spec.name, "features" if geometry else "attributes", spec.name, spec.description,
         srs if geometry else 0))
    if geometry is not None:
        connection.execute("INSERT OR REPLACE INTO gpkg_geometry_columns VALUES "
                           "(?, ?, ?, ?, 0, 0)",
                           (spec.name, geometry, _geometry_type(spec).upper(), srs))
    connection.execute("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?, 0)", (spec.name,))


def _describe(connection: sqlite3.Connection, spec: LayerSpec, frame: pd.DataFrame,
              rows: int) -> None:
    """The layer's row count, extent and time of change, as GDAL leaves them."""
    bounds: tuple[Any, ...] = (None,) * 4
    if spec.is_spatial and len(frame):
        import shapely

        box = shapely.total_bounds(np.asarray(frame.geometry.values))  # NaN: none to bound
        if not np.isnan(box).all():
            bounds = tuple(float(b) for b in box)
    connection.execute(
        "UPDATE gpkg_contents SET last_change = ?, min_x = ?, min_y = ?, max_x = ?, "
        "max_y = ? WHERE table_name = ?", (_gpkg_now(), *bounds, spec.name))
    connection.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?",
                       (rows, spec.name))


def _refill_rtree(connection: sqlite3.Connection, table: str, geometry: str) -> None:
    rtree = f"rtree_{table}_{geometry}"
    if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                              (rtree,)).fetchone():
        return
    connection.execute(f'DELETE FROM "{rtree}"')
    connection.execute(
        f'INSERT INTO "{rtree}" SELECT fid, ST_MinX("{geometry}"), ST_MaxX("{geometry}"), '
        f'ST_MinY("{geometry}"), ST_MaxY("{geometry}") FROM "{table}" '
        f'WHERE "{geometry}" IS NOT NULL AND NOT ST_IsEmpty("{geometry}")')


def _insert(connection: sqlite3.Connection, table: str, names: Sequence[str], rows) -> None:
    quoted = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" * len(names))
    connection.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


def _geometry_column(connection: sqlite3.Connection, table: str) -> str | None:
    row = connection.execute("SELECT column_name FROM gpkg_geometry_columns WHERE "
                             "table_name = ?", (table,)).fetchone()
    return row[0] if row else None


def _column_names(spec: LayerSpec, geometry: str | None) -> list[str]:
    return ([geometry] if geometry is not None else []) + list(spec.columns)


def _geometry_type(spec: LayerSpec) -> str:
    return "Geometry" if spec.geometry_type in (None, "Unknown") else spec.geometry_type


# --- values as SQLite stores them -----------------------------------------------------------
def encode_columns(spec: LayerSpec, frame: pd.DataFrame, srs: int) -> list[list[Any]]:
    """The frame's columns as lists of SQLite values (geometry blobs first when spatial),
    as GDAL writes them: NULL for missing values, 0/1 booleans, ISO date-times."""
    columns = [geometry_blobs(frame.geometry.values, srs)] if spec.is_spatial else []
    for column, dtype in spec.columns.items():
        columns.append(_encode(frame[column], dtype))
    return columns


def _encode(values: pd.Series, dtype: str) -> list[Any]:
    if dtype == DATETIME:
        stamps = values.to_numpy(dtype="datetime64[ns]")
        missing = np.isnat(stamps)
        whole = (stamps[~missing].astype("int64") % 1_000_000_000 == 0).all()
        text = np.datetime_as_string(stamps, unit="s" if whole else "ms").astype(object)
        text[missing] = None
        return text.tolist()
    if dtype == BOOL:
        return [None if v is None else int(v) for v in values.to_numpy(object, na_value=None)]
    if dtype == FLOAT:
        numbers = values.to_numpy(dtype="float64").astype(object)
        numbers[np.isnan(values.to_numpy(dtype="float64"))] = None
        return numbers.tolist()
    return values.to_numpy(dtype=object, na_value=None).tolist()


def geometry_blobs(geometries: Any, srs: int) -> list[bytes | None]:
    """GeoPackage geometry blobs: header (``GP``, version 0, flags, SRS id, envelope
    [minx, maxx, miny, maxy] except for points) then little-endian 2D WKB; NULL for none."""
    import shapely

    values = np.asarray(geometries, dtype=object)
    wkb = shapely.to_wkb(values, byte_order=1, output_dimension=2)
    kinds = shapely.get_type_id(values)
    empty = shapely.is_empty(values)
    srs_bytes = struct.pack("<i", srs)
    point, empty_head = b"GP\x00\x01" + srs_bytes, b"GP\x00\x11" + srs_bytes
    if not empty.any() and np.isin(kinds, (-1, 0)).all():  # points (a layer of incidents)
        return [None if blob is None else point + blob for blob in wkb]
    bounds = shapely.bounds(values)
    blobs: list[bytes | None] = []
    for blob, kind, is_empty, box in zip(wkb, kinds, empty, bounds, strict=True):
        if blob is None:
            blobs.append(None)
        elif is_empty:
            blobs.append(empty_head + blob)
        elif kind == 0:
            blobs.append(point + blob)
        else:
            blobs.append(b"GP\x00\x03" + srs_bytes
                         + struct.pack("<4d", box[0], box[2], box[1], box[3]) + blob)
    return blobs


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """[minx, maxx, miny, maxy] of a GeoPackage blob, from its header when it has one."""
    if blob is None or len(blob) < 8 or blob[3] & 0x10:
        return None
    flags = blob[3]
    if (flags >> 1) & 0x07:
        order = "<" if flags & 0x01 else ">"
        return struct.unpack(order + "4d", blob[8:40])
    import shapely

    minx, miny, maxx, maxy = shapely.from_wkb(blob[8:]).bounds
    return minx, maxx, miny, maxy


def _is_empty(blob: bytes | None) -> int | None:
    return None if blob is None else int(_envelope(blob) is None)


def _bound(index: int):
    def bound(blob: bytes | None) -> float | None:
        envelope = _envelope(blob)
        return None if envelope is None else envelope[index]
    return bound


def _gpkg_now() -> str:
    """``gpkg_contents.last_change`` as the GeoPackage standard writes it (UTC, ``Z``)."""
    return clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
