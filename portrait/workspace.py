"""The workspace: one GeoPackage file per portrait project.

A GeoPackage is a SQLite file that QGIS opens directly, so officers can check any layer in a
GIS. Besides the layers of ``portrait.layers`` it holds a ``portrait_metadata`` table with the
schema version; that table is what makes a GeoPackage a workspace.

Saving is one SQLite transaction on the file itself (``portrait.geopackage``): the layers
changed since the last save (only the changed rows of the records) and the metadata commit
together or not at all. SQLite's atomic commit is the guarantee: a process killed mid-save
leaves a ``-journal`` file holding the pages as they were, and the next opener rolls the file
back to the previous save before reading it. A record edit costs milliseconds whatever the
size of the incidents layer; an import rewrites only its layers (large ones written first by
GDAL into a staging file, ``portrait.geopackage_staging``). A new file (a new
workspace, "save as", the app's recovery copy) is written beside the target and renamed over
it, as a whole.

The file stays in SQLite's rollback-journal mode (``DELETE``, as GDAL leaves it), not WAL:
WAL would keep committed saves in ``-wal`` and ``-shm`` files beside the workspace until a
checkpoint, so copying the ``.gpkg`` alone (to a USB key, by e-mail, into a backup) could
lose the last saves; it needs shared memory, which network drives and read-only folders
deny to QGIS and GDAL; and the mode is written into the file, so every program opening it
afterwards would work in WAL too. The rollback journal exists only while a save runs. Its
cost: a reader waits (``BUSY_SECONDS``) while a large save commits, where WAL would let it
read the previous version.

Opening checks the file (``portrait.workspace_integrity``) and refuses a damaged one rather
than read part of it. Saving takes the writer's lock (``portrait.workspace_lock``) for the
time of the save, unless this process holds it already, and refuses to write over a file that
another program changed since it was opened: its rows would be lost.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pandas as pd
import pyogrio

from portrait import __version__, clock, geopackage, geopackage_staging
from portrait.crs import METRIC_CRS, require_metric
from portrait.errors import NewerSchemaError, NotAWorkspaceError, WorkspaceError
from portrait.layers import (
    ACTION_PLACES,
    ALL_LAYERS,
    CONSULTATION_PLACES,
    PROBLEM_PLACES,
    RECORDS,
    LayerSpec,
    conform,
    empty_frame,
    spec_for,
)
from portrait.workspace_integrity import (
    check_integrity,
    passed_unchanged,
    remember_own_commit,
)
from portrait.workspace_lock import WorkspaceLock, holds_lock

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
METADATA_TABLE = "portrait_metadata"
_TEMP_MARK = ".saving-"

#: One use of a workspace file at a time in this process, by GDAL or by a save. GDAL (pyogrio)
#: carries its own copy of SQLite, whose POSIX locks this process's ``sqlite3`` cannot see
#: (they belong to the same process); it would take a save's journal for a crashed one, and
#: closing its descriptor would drop the save's locks. Other processes see them as usual.
FILE_ACCESS = threading.RLock()

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
        _finish_interrupted_save(path)
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
        with FILE_ACCESS:
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

    def unchanged_on_disk(self) -> bool:
        """Whether the file is as it was when read or last saved here (no other program
        committed to it since): what its saved layers give may be kept for the file."""
        return self._stamp is not None and _stamp(self._stamp[0]) == self._stamp[1]

    def saved_frame(self, name: str) -> pd.DataFrame | None:
        """Layer ``name`` when it is in memory as the file holds it: unchanged here since the
        file was read or saved, and the file unchanged by any program since (a build just
        after an import slices it instead of reading a million rows back); else None."""
        if self.path is None or name in self._modified or name not in self._frames \
                or not self.unchanged_on_disk():
            return None
        return self._frames[name]

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
    def modified_layers(self) -> frozenset[str]:
        """The layers set since the last save: what the next save (or autosave) writes."""
        return frozenset(self._modified)

    @property
    def crs(self) -> str:
        """The metric CRS of every layer (files from before the setting are in EPSG:32188)."""
        return self.metadata.get("metric_crs") or METRIC_CRS

    @property
    def title(self) -> str:
        return self.metadata.get("title") or (self.path.stem if self.path else "")

    def _read_layer(self, spec: LayerSpec) -> pd.DataFrame:
        if self.path is None or spec.name not in self._file_layers \
                or not _has_rows(self.path, spec.name):
            return empty_frame(spec, self.crs)
        with FILE_ACCESS, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "layer has no geometry" for tables
            frame = pyogrio.read_dataframe(
                self.path, layer=spec.name, use_arrow=True, read_geometry=spec.is_spatial
            )
        return conform(frame, spec, self.crs)

    # --- saving ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the workspace to ``path`` (default: where it came from), atomically: in
        place, only what changed since the last save; elsewhere, a whole new file.

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
            with FILE_ACCESS:
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
        if not self.unchanged_on_disk():
            raise WorkspaceError(
                f"{target.name} was changed by another program since it was opened here; "
                "saving would lose that program's changes. Nothing was written: open the "
                "workspace again and redo the change (or save it under another name).")

    def _save_locked(self, target: Path) -> Path:
        if self._stamp is not None and target == self._stamp[0].resolve() and target.exists():
            return self._save_in_place(target)  # the file read or last saved here
        if self.path is not None:  # a copy elsewhere, or a recovered copy, carries every layer
            for spec in ALL_LAYERS:
                self.layer(spec.name)
            to_write = set(self._frames)
        else:  # a workspace made in memory (the app's recovery copy): what it was given
            to_write = set(self._modified)
        self._check_unchanged(target)
        temp = target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}.gpkg")
        _remove_stale_temporaries(target)
        try:
            with self._staging(target, to_write) as (staging, staged), \
                    geopackage.transaction(temp, staging) as connection:
                geopackage.create_skeleton(connection)
                layers = self._write(connection, to_write, staged)
            _fsync(temp)
            os.replace(temp, target)
            _fsync_directory(target.parent)
        except BaseException:
            temp.unlink(missing_ok=True)
            Path(f"{temp}-journal").unlink(missing_ok=True)
            raise
        return self._saved(target, to_write, layers)

    def _save_in_place(self, target: Path) -> Path:
        """One SQLite transaction on the file: the layers changed since the last save, then
        the metadata. The stamp is checked under SQLite's write lock, which no other program
        can take before the commit."""
        to_write = set(self._modified)
        _remove_stale_temporaries(target)
        with self._staging(target, to_write) as (staging, staged), \
                geopackage.transaction(target, staging) as connection:
            self._check_unchanged(target)
            sound = passed_unchanged(target)
            layers = self._write(connection, to_write, staged)
        if sound:
            remember_own_commit(target)
        return self._saved(target, to_write, layers)

    @contextmanager
    def _staging(self, target: Path, names: set[str]
                 ) -> Iterator[tuple[Path | None, set[str]]]:
        """The staging file of the large layers saved whole (``geopackage_staging``), removed
        when the save is over, and their names."""
        staged = {name for name in names if name not in ROW_KEYS
                  and len(self._frames[name]) >= geopackage_staging.STAGE_ROWS}
        if not staged:
            yield None, staged
            return
        path = target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}.staging.gpkg")
        try:
            geopackage_staging.stage(path, [(spec_for(name), _prepared(
                spec_for(name), self._frames[name])) for name in sorted(staged)], self.crs)
            yield path, staged
        finally:
            path.unlink(missing_ok=True)
            Path(f"{path}-journal").unlink(missing_ok=True)

    def _write(self, connection: sqlite3.Connection, names: set[str],
               staged: set[str]) -> set[str]:
        """The layers ``names`` (``staged`` ones from the staging file) and the metadata, in
        the transaction of ``connection``; returns the layers the file then holds."""
        srs = geopackage.srs_id(connection, self.crs)
        for name in sorted(names):
            _write_layer(connection, spec_for(name), self._frames[name], srs,
                         staged=name in staged)
        self.metadata["saved_at"] = _now()
        self.metadata["saved_with"] = f"Portrait de quartier {__version__}"
        _write_metadata(connection, self.metadata)
        return geopackage.table_names(connection)

    def _saved(self, target: Path, written: set[str], layers: set[str]) -> Path:
        self.path = target
        self._file_layers = layers
        self._stamp = (target, _stamp(target))
        self._modified.clear()
        self._metadata_modified = False
        log.info("Saved workspace %s (%d layer(s) written)", target, len(written))
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


#: Layers whose rows are named by these columns: a save writes only their changed rows (a
#: record edit writes that record's rows), where other layers are written whole.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    RECORDS.name: ("record_id",), PROBLEM_PLACES.name: ("record_id",),
    ACTION_PLACES.name: ("record_id", "problem_id"),
    CONSULTATION_PLACES.name: ("record_id", "problem_id")}


def _write_layer(connection: sqlite3.Connection, spec: LayerSpec, frame: pd.DataFrame,
                 srs: int, staged: bool = False) -> None:
    """Write one layer (conformed when set or read) in the save's transaction."""
    geopackage.write_layer(connection, spec, _prepared(spec, frame), srs,
                           ROW_KEYS.get(spec.name, ()), staged)


def _prepared(spec: LayerSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Polygons of a multipolygon layer as multipolygons, as its table declares."""
    return _promote_polygons(frame) if spec.geometry_type == "MultiPolygon" else frame


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


def _write_metadata(connection: sqlite3.Connection, metadata: dict[str, str]) -> None:
    """Only the keys that changed (a record edit changes ``saved_at`` and nothing else)."""
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {METADATA_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
    stored = dict(connection.execute(f"SELECT key, value FROM {METADATA_TABLE}").fetchall())
    connection.executemany(f"DELETE FROM {METADATA_TABLE} WHERE key = ?",
                           [(key,) for key in stored if key not in metadata])
    connection.executemany(
        f"INSERT OR REPLACE INTO {METADATA_TABLE} (key, value) VALUES (?, ?)",
        [(key, value) for key, value in sorted(metadata.items()) if stored.get(key) != value])


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


def _has_rows(path: Path, name: str) -> bool:
    """Whether the file's layer ``name`` holds a row. An empty layer read through GDAL cost
    as much as a small one (4-6 ms of opening the file), and a report reads several."""
    try:
        with FILE_ACCESS, closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return bool(db.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0])
    except sqlite3.Error:  # GDAL's read says what is wrong
        return True


def _stamp(path: Path) -> tuple[int, int, int, bytes] | None:
    """What changes when any program commits to the file: its time, size and inode, and
    SQLite's file change counter (bytes 24-27 of the header, counted up at every commit)."""
    try:
        status = path.stat()
        with open(path, "rb") as handle:
            handle.seek(24)
            counter = handle.read(4)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino, counter)


def _finish_interrupted_save(path: Path) -> None:
    """Roll back a save that was killed mid-transaction, before anything reads the file.

    SQLite leaves ``NAME-journal`` (the pages as they were before the save) and rolls it
    back when a connection that may write reads the file; a read-only connection (the
    integrity check, GDAL's readers) would refuse the file instead. A save killed before it
    wrote into the file leaves a journal that needs no rollback: it is removed under SQLite's
    exclusive lock, which no save in progress in another program lets us take.
    """
    journal = Path(f"{path}-journal")
    if not journal.exists():
        return
    try:
        connection = geopackage.connect(path)
        try:
            connection.execute("BEGIN EXCLUSIVE")  # rolls back a hot journal first
            journal.unlink(missing_ok=True)
            connection.execute("COMMIT")
        finally:
            connection.close()
    except (sqlite3.Error, OSError) as error:  # a read-only folder: the check says so
        log.warning("Could not roll back the interrupted save of %s: %s", path, error)
    else:
        log.info("Checked %s for an interrupted save (rolled back if there was one)", path)


def _write_failure(target: Path, error: Exception) -> str:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return (f"Cannot save {target.name} in {target.parent}: {reason}. The file was left as it "
            "was; free some disk space or choose a folder you can write to, then save again.")


def _now() -> str:
    return clock.utc_timestamp()
