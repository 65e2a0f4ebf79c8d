"""Refusing a damaged workspace on open, and finding the newest good copy to offer instead.

A workspace with 8 KiB overwritten in the middle used to open without a word: GDAL read the
rows it still could (351 of 3,000 incidents) and ``report`` exited 0 on a third of the data.
SQLite's ``quick_check`` finds damaged pages; the rows GDAL counted when it wrote each layer
(``gpkg_ogr_contents``) find tables that lost rows; every layer the GeoPackage lists must
exist, with the columns it cannot do without. A damaged file is refused with a message that
names the newest copy that passes the same checks (the app's recovery copy, a ``.bak`` file).
A save's leftover temporary copy is never offered: it may hold some of the save's layers and
not the others.

The check reads the whole file (2.2 s for 10 million incidents), so a file that passed is not
checked again while it stays exactly as it was: its device, inode, size, modification and
change times are written beside it (``.NAME.gpkg.portrait-checked``) when a check passes.
Any write by any program moves the change time, which no program can set back. A pass is only
remembered for a file last changed over ``SETTLED_SECONDS`` before the check: file times tick
in steps of a few milliseconds, and a write in the same step as the check would leave them as
they were. The app's own saves to a file that had passed keep the pass (``remember_own_commit``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from portrait.errors import CorruptWorkspaceError
from portrait.geopackage import BUSY_SECONDS
from portrait.layers import ALL_LAYERS

#: Names of the copies a workspace may have beside it, newest first once sorted by time.
#: ``.<stem>.autosave.gpkg`` is the app's recovery copy (ui/autosave.py).
_COPY_PATTERNS = (".{stem}.autosave.gpkg", "{stem}*.bak", "{stem}*.bak.gpkg",
                  "{stem}.backup*.gpkg")

#: The metadata key of a copy holding only some layers (the app's recovery copy holds the
#: layers changed since the last save, by name): never offered in place of a damaged file.
PARTIAL_COPY_KEY = "autosave_layers"

#: How long a file must have been left unchanged for a check that passed to be remembered.
SETTLED_SECONDS = 2.0


def check_integrity(path: Path) -> None:
    """Raise ``CorruptWorkspaceError`` when ``path`` fails SQLite's or the layers' checks
    (not run again on a file unchanged since it last passed)."""
    before = _file_stamp(path)
    if before is not None and before == _remembered_stamp(path):
        return
    problem = integrity_problem(path)
    if problem is None:
        if before is not None and before == _file_stamp(path) \
                and time.time() - before[-1] / 1e9 > SETTLED_SECONDS:
            _remember(path, before)
        return
    recovery = newest_good_copy(path)
    offer = (f" The newest good copy is {recovery}: open it (or copy it over the damaged "
             "file) to go on from there." if recovery is not None else
             " No good copy (recovery copy or backup) was found beside it; restore it from "
             "your backups.")
    raise CorruptWorkspaceError(
        f"{path.name} is damaged ({problem}) and was not opened, so that no partial data is "
        f"read.{offer}", recovery=recovery)


def integrity_problem(path: Path) -> str | None:
    """What is wrong with the workspace file at ``path``, in a few words, or None."""
    try:
        # waits for a save being committed by another program rather than call it damage
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error as error:
        return f"SQLite cannot open it: {error}"
    try:  # read, not mapped: a map of the file would count 1 GB more in the process's memory
        result = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
        if result != ["ok"]:
            return f"SQLite's check says: {'; '.join(map(str, result))}"
        return _layer_problem(connection)
    except sqlite3.Error as error:
        return f"SQLite cannot read it: {error}"
    finally:
        connection.close()


def _layer_problem(connection: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "gpkg_contents" not in tables:
        return None  # not a GeoPackage: read_metadata says so in its own words
    listed = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
    missing = [name for name in listed if name not in tables]
    if missing:
        return f"layer(s) {', '.join(missing)} listed but absent"
    for spec in ALL_LAYERS:
        if spec.name in tables:
            columns = {row[1] for row in connection.execute(
                f'PRAGMA table_info("{spec.name}")')}
            lost = [column for column in spec.required if column not in columns]
            if lost:
                return f"layer {spec.name} has lost its column(s) {', '.join(lost)}"
    if "gpkg_ogr_contents" not in tables:
        return None
    for name, expected in connection.execute(
            "SELECT table_name, feature_count FROM gpkg_ogr_contents"):
        if expected is None or name not in tables:
            continue
        found = connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        if found != expected:
            return f"layer {name} holds {found:,} rows where {expected:,} were written"
    return None


def checked_path(path: Path) -> Path:
    """Where the stamp of the file's last passed check is kept, hidden beside it."""
    return path.with_name(f".{path.name}.portrait-checked")


def passed_unchanged(path: Path) -> bool:
    """Whether the file is exactly as it was when its check last passed."""
    stamp = _file_stamp(path)
    return stamp is not None and stamp == _remembered_stamp(path)


def remember_own_commit(path: Path) -> None:
    """After this program's own commit to a file that had passed and was unchanged since:
    SQLite's atomic commit leaves it as sound as it was, so a workspace the app saves all day
    is not read whole again at every start."""
    stamp = _file_stamp(path)
    if stamp is not None:
        _remember(path, stamp)


def _file_stamp(path: Path) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def _remembered_stamp(path: Path) -> list[int] | None:
    try:
        return json.loads(checked_path(path).read_text(encoding="utf-8"))["stamp"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(path: Path, stamp: list[int]) -> None:
    """Written whole or not at all; a folder that refuses it only means the next open checks
    the file again."""
    target = checked_path(path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"stamp": stamp}), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


def newest_good_copy(path: Path) -> Path | None:
    """The most recently modified copy of the workspace beside it that passes the checks."""
    path = Path(path)
    candidates: set[Path] = set()
    for pattern in _COPY_PATTERNS:
        candidates.update(path.parent.glob(pattern.format(stem=path.stem)))
    candidates.discard(path)
    for candidate in sorted(candidates, key=_mtime, reverse=True):
        if candidate.is_file() and _is_workspace(candidate) \
                and integrity_problem(candidate) is None:
            return candidate
    return None


def _is_workspace(path: Path) -> bool:
    """Whether ``path`` is a whole workspace (not a copy of some of its layers)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            if connection.execute("SELECT 1 FROM sqlite_master WHERE name = "
                                  "'portrait_metadata'").fetchone() is None:
                return False
            return connection.execute("SELECT 1 FROM portrait_metadata WHERE key = ?",
                                      (PARTIAL_COPY_KEY,)).fetchone() is None
    except sqlite3.Error:
        return False


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
