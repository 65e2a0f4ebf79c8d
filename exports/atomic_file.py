"""Files written whole or not at all.

A brief or a map is often opened by someone else while it is written (a partner's mail client,
the map view): each writer fills a temporary file beside the target and renames it over the
target, so a reader, or a crash, never meets half a file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write`` on a temporary path beside ``path``, then put the result at ``path``."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # umask permissions
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
