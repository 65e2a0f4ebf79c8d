"""Where the application keeps its own files on the user's machine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "portrait-de-quartier"


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, AppData on Windows, Application Support on macOS)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def demo_workspace_path() -> Path:
    return user_data_dir() / "demo" / "demo.gpkg"


#: Longest stem kept from data: file systems allow 255 bytes, and a suffix must still fit.
_MAX_STEM = 120


def safe_file_stem(text: str) -> str:
    """A file name stem made from data (a station id or name), safe on every file system.

    A station id is whatever the imported file said: ``../../X`` once made ``report
    --all-stations --json DIR`` write outside DIR. Only letters, digits, ``-`` and ``_``
    are kept (others become ``_``), so no separator, dot-dot or drive letter survives.
    """
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(text).strip())
    return stem[:_MAX_STEM] or "_"


def file_in(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/<safe stem><suffix>``: directly inside ``folder`` whatever ``stem`` holds."""
    return Path(folder) / f"{safe_file_stem(stem)}{suffix}"
