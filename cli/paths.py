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
