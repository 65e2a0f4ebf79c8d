"""The recently opened workspaces (File › Recent), kept in QSettings.

At most eight, newest first. A file that was moved or deleted since is dropped from the list
when the list is read, so the menu never offers a file that cannot be opened.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8
_KEY = "recent/files"


class RecentFiles:
    """The list of recent workspace paths, stored in ``settings``."""

    def __init__(self, settings: QSettings, limit: int = MAX_RECENT):
        self.settings = settings
        self.limit = limit

    def paths(self) -> list[Path]:
        """The existing recent files, newest first (missing ones are pruned from storage)."""
        stored = self._stored()
        existing = [path for path in stored if path.is_file()]
        if existing != stored:
            self._store(existing)
        return existing

    def add(self, path: Path) -> None:
        """Put ``path`` first (once), keeping at most ``limit`` entries."""
        path = Path(path).resolve()
        paths = [path] + [p for p in self._stored() if p != path]
        self._store(paths[: self.limit])

    def clear(self) -> None:
        self._store([])

    def _stored(self) -> list[Path]:
        value = self.settings.value(_KEY, [])
        if isinstance(value, str):  # QSettings returns a lone entry as a plain string
            value = [value]
        return [Path(str(item)) for item in (value or []) if str(item)]

    def _store(self, paths: list[Path]) -> None:
        self.settings.setValue(_KEY, [str(p) for p in paths])
        self.settings.sync()
