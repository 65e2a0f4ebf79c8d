"""Checks made on a file before any reader opens it."""

from __future__ import annotations

import time
from pathlib import Path

from data_connectors.base import ReaderError

#: A file modified this recently (seconds) may still be being copied or exported.
RECENT_SECONDS = 2.0
#: How long to watch such a file for changes.
WATCH_SECONDS = 0.6


def ensure_complete(path: Path) -> None:
    """Refuse a file that is still being written: importing half a file loses rows silently.

    Only recently modified files are watched, so importing an old file costs nothing.
    """
    if not path.is_file():
        return
    before = path.stat()
    if time.time() - before.st_mtime > RECENT_SECONDS:
        return
    time.sleep(WATCH_SECONDS)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise ReaderError(
            path, "the file is still being written (it changed while it was being checked). "
            "Wait until the copy or export has finished, then import it again.")
