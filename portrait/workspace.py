"""The workspace: one GeoPackage file per portrait project.

A GeoPackage is a SQLite file that QGIS opens directly, so officers can check any layer in a
GIS. Besides the layers of ``portrait.layers`` it holds a ``portrait_metadata`` table with the
schema version; that table is what makes a GeoPackage a workspace.

Saving is atomic: the new version is written to a temporary file beside the target, flushed
to disk, then renamed over the target in one step. A process killed mid-save leaves the
previous file untouched (and at worst a stale temporary file, removed on the next open or
save).

Opening checks the file (``portrait.workspace_integrity``) and refuses a damaged one rather
than read part of it. Saving takes the writer's lock (``portrait.workspace_lock``) for the
time of the save, unless this process holds it already, and refuses to write over a file that
another program changed since it was opened: its rows would be lost.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyogrio

from portrait import __version__, clock
from portrait.crs import METRIC_CRS, require_metric
from portrait.errors import NewerSchemaError, NotAWorkspaceError, WorkspaceError
from portrait.layers import ALL_LAYERS, LayerSpec, conform, empty_frame, spec_for
from portrait.workspace_integrity import check_integrity
from portrait.workspace_lock import WorkspaceLock, holds_lock

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
METADATA_TABLE = "portrait_metadata"
_TEMP_MARK = ".saving-"

#: Upgrades from version N to N + 1, applied to the frames of an older file on open.
Migration = Callable[[dict[str, pd.DataFrame], dict[str, str]], None]
MIGRATIONS: dict[int, Migration] = {}


class Workspace:
    """A portrait project: its layers (loaded on first use), metadata and file path.

    Layers are kept in memory once read; ``set_layer`` replaces one and marks it modified;
    ``save`` writes the modified layers atomically.
    """

    def __init__(self, path: Path | None, metadata: dict[str, str], file_layers: Iterable[str]):
        self.path = Path(path) if path is not None else None
        self.metadata = metadata
        self._file_layers = set(file_layers)
        self._frames: dict[str, pd.DataFrame] = {}
        self._modified: set[str] = set()
        self._metadata_modified = False
        #: The file and what it looked like when read or last saved here (see ``save``).
        self._stamp = (self.path, _stamp(self.path)) if self.path is not None else None

    # --- creating and opening -------------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike[str], title: str = "",
               crs: str = METRIC_CRS) -> Workspace:
        """Create a new, empty workspace file at ``path`` (refusing to overwrite one).

        ``crs`` is the metric CRS every layer is stored and measured in: EPSG:32188 (MTM zone
        8) for Montréal, the local UTM zone elsewhere (EPSG:26910 for Vancouver).
        """
        path = Path(path)
        if path.exists():
            raise WorkspaceError(f"{path} already exists; open it or choose another name.")
        if not path.parent.is_dir():
            raise WorkspaceError(f"Cannot create {path.name}: the folder {path.parent} does not "
                                 "exist. Create the folder first, or choose another one.")
        parsed = require_metric(crs, "The workspace's coordinate reference system")
        now = _now()
        metadata = {
            "schema_version": str(SCHEMA_VERSION),
            "title": title or path.stem,
            "metric_crs": parsed.to_string(),
            "created_at": now,
            "created_with": f"Portrait de quartier {__version__}",
        }
        workspace = cls(path, metadata, file_layers=())
        for spec in ALL_LAYERS:
            workspace._frames[spec.name] = empty_frame(spec, workspace.crs)
            workspace._modified.add(spec.name)
        workspace._metadata_modified = True
        workspace.save()
        return workspace

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Workspace:
        """Open the workspace at ``path``; say clearly when the file is not one, is damaged
        (``CorruptWorkspaceError``, naming the newest good copy) or has an unknown schema."""
        path = Path(path)
        if not path.is_file():
            raise WorkspaceError(f"{path} does not exist or is not a file.")
        _require_sqlite(path)
        check_integrity(path)
        metadata = read_metadata(path)
        version = _schema_version(path, metadata)
        if version < 1 or (version < SCHEMA_VERSION
                           and any(step not in MIGRATIONS
                                   for step in range(version, SCHEMA_VERSION))):
            raise NotAWorkspaceError(
                f"{path.name} has workspace schema version {version}, which no version of "
                f"Portrait de quartier wrote or can convert (this version reads schemas 1 to "
                f"{SCHEMA_VERSION}). Open the file it was copied from, or import its layers "
                "into a new workspace."
            )
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{path.name} was saved by a newer version of Portrait de quartier (workspace "
                f"schema {version}; this version reads up to {SCHEMA_VERSION}). Update the "
                "application to open it."
            )
        layers = [name for name, _ in pyogrio.list_layers(path) if name != METADATA_TABLE]
        try:
            _remove_stale_temporaries(path)
        except OSError as error:  # a read-only folder: the next save will say so
            log.info("Could not remove stale temporary files beside %s: %s", path, error)
        workspace = cls(path, metadata, layers)
        if version < SCHEMA_VERSION:
            workspace._migrate(version)
        return workspace

    def _migrate(self, version: int) -> None:
        frames = {spec.name: self.layer(spec.name) for spec in ALL_LAYERS}
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](frames, self.metadata)
        for name, frame in frames.items():
            self.set_layer(name, frame)
        self.metadata["schema_version"] = str(SCHEMA_VERSION)
        self._metadata_modified = True

    # --- layers ---------------------------------------------------------------------------
    def layer(self, name: str) -> pd.DataFrame:
        """The layer ``name`` as a (Geo)DataFrame; an empty one if the file has none yet."""
        spec = spec_for(name)
        if name not in self._frames:
            self._frames[name] = self._read_layer(spec)
        return self._frames[name]

    def set_layer(self, name: str, frame: pd.DataFrame) -> None:
        """Replace layer ``name`` with ``frame`` (conformed to its spec); saved on ``save``."""
        spec = spec_for(name)
        self._frames[name] = conform(frame, spec, self.crs)
        self._modified.add(name)

    def unsaved(self, name: str) -> bool:
        """Whether layer ``name`` was changed here since the last save: the file does not
        hold it yet, so nothing derived from the file may stand for it."""
        return name in self._modified

    def has_data(self, name: str) -> bool:
        """Whether layer ``name`` holds at least one row."""
        return len(self.layer(name)) > 0

    def set_metadata(self, key: str, value: str) -> None:
        self.metadata[key] = value
        self._metadata_modified = True

    @property
    def is_modified(self) -> bool:
        return bool(self._modified) or self._metadata_modified

    @property
    def crs(self) -> str:
        """The metric CRS of every layer (files from before the setting are in EPSG:32188)."""
        return self.metadata.get("metric_crs") or METRIC_CRS

    @property
    def title(self) -> str:
        return self.metadata.get("title") or (self.path.stem if self.path else "")

    def _read_layer(self, spec: LayerSpec) -> pd.DataFrame:
        if self.path is None or spec.name not in self._file_layers:
            return empty_frame(spec, self.crs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "layer has no geometry" for tables
            frame = pyogrio.read_dataframe(
                self.path, layer=spec.name, use_arrow=True, read_geometry=spec.is_spatial
            )
        return conform(frame, spec, self.crs)

    # --- saving ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the workspace to ``path`` (default: where it came from), atomically.

        Raises ``WorkspaceError`` with the file left as it was when another program holds the
        writer's lock, saved the file since it was read here, or the disk or folder refuses
        the write.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise WorkspaceError("This workspace has no file yet; choose where to save it.")
        target = target.resolve()
        if not target.parent.is_dir():
            raise WorkspaceError(f"Cannot save {target.name}: the folder {target.parent} does "
                                 "not exist.")
        lock = None if holds_lock(target) else WorkspaceLock(target)
        try:
            self._check_unchanged(target)
            return self._save_locked(target)
        except OSError as error:
            raise WorkspaceError(_write_failure(target, error)) from error
        except (pyogrio.errors.DataSourceError, sqlite3.Error) as error:
            raise WorkspaceError(_write_failure(target, error)) from error
        finally:
            if lock is not None:
                lock.release()

    def _check_unchanged(self, target: Path) -> None:
        """Refuse to save over a file another program saved since we read it: its changes
        (another import's rows) would be lost without a word."""
        if self._stamp is None or target != self._stamp[0].resolve():
            return  # a new file, or a copy read elsewhere (a recovery copy) saved here
        if _stamp(target) != self._stamp[1]:
            raise WorkspaceError(
                f"{target.name} was changed by another program since it was opened here; "
                "saving would lose that program's changes. Nothing was written: open the "
                "workspace again and redo the change (or save it under another name).")

    def _save_locked(self, target: Path) -> Path:
        if self.path is not None and target != self.path.resolve():
            for spec in ALL_LAYERS:  # a copy elsewhere must carry every layer
                self.layer(spec.name)
            to_write = set(self._frames)
        else:
            to_write = set(self._modified)
        temp = target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}.gpkg")
        _remove_stale_temporaries(target)
        try:
            if target.exists() and to_write != {s.name for s in ALL_LAYERS}:
                shutil.copyfile(target, temp)
            with _unsynchronised_writes():
                for name in sorted(to_write):
                    _write_layer(temp, spec_for(name), self._frames[name], self.crs)
            self.metadata["saved_at"] = _now()
            self.metadata["saved_with"] = f"Portrait de quartier {__version__}"
            _write_metadata(temp, self.metadata)
            _fsync(temp)
            os.replace(temp, target)
            _fsync_directory(target.parent)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self.path = target
        self._stamp = (target, _stamp(target))
        self._file_layers = {name for name, _ in pyogrio.list_layers(target)}
        self._modified.clear()
        self._metadata_modified = False
        log.info("Saved workspace %s (%d layer(s) written)", target, len(to_write))
        return target


def _require_sqlite(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as error:
        raise WorkspaceError(f"Cannot read {path}: {error.strerror}.") from error
    if header != b"SQLite format 3\x00":
        raise NotAWorkspaceError(
            f"{path.name} is not a Portrait de quartier workspace: it is not a GeoPackage "
            "(SQLite) file. To bring data from this file in, use Import instead."
        )


def read_metadata(path: Path) -> dict[str, str]:
    """The metadata table of a workspace file, or a clear error if it is not a workspace."""
    _require_sqlite(path)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "gpkg_contents" not in tables or METADATA_TABLE not in tables:
                raise NotAWorkspaceError(
                    f"{path.name} is a SQLite/GeoPackage file but not a Portrait de quartier "
                    "workspace (it has no portrait_metadata table). Import its layers into a "
                    "workspace instead."
                )
            rows = connection.execute(f"SELECT key, value FROM {METADATA_TABLE}").fetchall()
    except sqlite3.DatabaseError as error:
        raise NotAWorkspaceError(f"{path.name} is damaged or not a workspace: {error}.") from error
    return {str(key): str(value) for key, value in rows}


def _schema_version(path: Path, metadata: dict[str, str]) -> int:
    try:
        return int(metadata["schema_version"])
    except (KeyError, ValueError):
        raise NotAWorkspaceError(
            f"{path.name} has no valid schema version in its portrait_metadata table."
        ) from None


#: Rows handed to GDAL at a time when a layer is written (see ``_write_layer``).
WRITE_BATCH_ROWS = 5_000


def _write_layer(path: Path, spec: LayerSpec, frame: pd.DataFrame, crs: str) -> None:
    """Write one layer through GDAL's Arrow interface, a batch of rows at a time.

    pyogrio holds the interpreter lock while GDAL writes: given a whole table, a 40,000-row
    layer froze every other thread (the window's included) for ~200 ms, a million rows for
    seconds. The batches are made by a Python generator, and between two batches the lock
    goes to any thread waiting for it; the dataset is still opened once.

    No spatial index is built: the app always reads a layer whole, and GDAL builds the index
    of a million points when it closes the file, lock held, for two seconds. Other GIS tools
    open the file without it (one can be added there if wanted).
    """
    frame = conform(frame, spec, crs)
    geometry_type = None
    if spec.is_spatial:
        geometry_type = "Unknown" if spec.geometry_type == "Geometry" else spec.geometry_type
        frame = _promote_polygons(frame) if geometry_type == "MultiPolygon" else frame
    schema = _arrow_table(frame.iloc[:0], spec.is_spatial).schema
    pyogrio.write_arrow(
        pa.RecordBatchReader.from_batches(schema, _batches(frame, spec.is_spatial)),
        path, layer=spec.name, driver="GPKG",
        geometry_name="geometry" if spec.is_spatial else None, geometry_type=geometry_type,
        crs=_crs_text(crs) if spec.is_spatial else None,
        layer_options={"DESCRIPTION": spec.description, "SPATIAL_INDEX": "NO"},
    )


def _batches(frame: pd.DataFrame, spatial: bool) -> Iterator[pa.RecordBatch]:
    """Record batches of ``WRITE_BATCH_ROWS`` rows, each made when GDAL asks for it, in
    Python code: a thread waiting for the interpreter lock takes it at each resumption after
    ``yield``."""
    for start in range(0, len(frame), WRITE_BATCH_ROWS):
        table = _arrow_table(frame.iloc[start:start + WRITE_BATCH_ROWS], spatial)
        for batch in table.combine_chunks().to_batches():  # noqa: UP028 (``yield from``
            yield batch                                     # would not give the lock)


def _arrow_table(part: pd.DataFrame, spatial: bool) -> pa.Table:
    """Rows of a conformed layer as Arrow, geometries as WKB."""
    if not spatial:
        return pa.Table.from_pandas(part, preserve_index=False)
    import shapely

    table = pa.Table.from_pandas(pd.DataFrame(part.drop(columns=part.geometry.name),
                                              copy=False), preserve_index=False)
    return table.append_column(
        "geometry", pa.array(shapely.to_wkb(part.geometry.values), type=pa.binary()))


def _crs_text(crs: object) -> str:
    """``EPSG:n`` when the CRS has a code (as geopandas writes it), else its WKT."""
    from pyproj import CRS

    parsed = CRS.from_user_input(crs)
    code = parsed.to_epsg()
    return f"EPSG:{code}" if code else parsed.to_wkt("WKT1_GDAL")


@contextmanager
def _unsynchronised_writes() -> Iterator[None]:
    """Let SQLite skip its per-transaction syncs while we write the temporary copy.

    Safe here because the copy is not the user's file: it is synced once, as a whole, before
    it replaces the workspace; a crash before that leaves the workspace untouched anyway.
    """
    options = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_CACHE": "512"}
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def _promote_polygons(frame: pd.DataFrame) -> pd.DataFrame:
    import shapely

    geometry = frame.geometry.values
    single = shapely.get_type_id(geometry) == 3
    if not single.any():
        return frame
    frame = frame.copy()
    promoted = geometry.copy()
    promoted[single] = [shapely.MultiPolygon([g]) for g in geometry[single]]
    frame[frame.geometry.name] = promoted
    return frame


def _write_metadata(path: Path, metadata: dict[str, str]) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {METADATA_TABLE} (key TEXT PRIMARY KEY, value TEXT)"
        )
        connection.execute(f"DELETE FROM {METADATA_TABLE}")
        connection.executemany(
            f"INSERT INTO {METADATA_TABLE} (key, value) VALUES (?, ?)", sorted(metadata.items())
        )
    connection.close()


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary copies left by a save that died, with SQLite's files beside them (a
    ``-journal`` stays when a process is killed inside a transaction)."""
    for stale in target.parent.glob(f".{target.name}{_TEMP_MARK}*"):
        pid = stale.name.rsplit(_TEMP_MARK, 1)[-1].split(".", 1)[0]
        if pid.isdigit() and _process_alive(int(pid)) and int(pid) != os.getpid():
            continue  # another process is saving right now
        stale.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _write_failure(target: Path, error: Exception) -> str:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return (f"Cannot save {target.name} in {target.parent}: {reason}. The file was left as it "
            "was; free some disk space or choose a folder you can write to, then save again.")


def _now() -> str:
    return clock.utc_timestamp()
