"""The records of the open workspace, shared by every records panel, changed in memory.

The problems, partners, consultations, action-plan and practices panels all edit the same
``RecordStore``: if each loaded its own, one panel's change would be undone by another's
stale copy. ``ui.records.pages.RecordPages`` makes one ``RecordsSession`` per workspace and
hands it to every panel.

A confirmed edit changes the store, then ``store.save(workspace)`` puts the records into the
workspace's ``records`` layer — in memory, on the GUI thread, which marks the workspace
modified. The file is written by the window's Save (and the recovery copy by its autosave),
like every other change: one writer, no background write racing the window's own save or
clearing the "modified" mark of a change made meanwhile, and the unsaved-changes prompt
covers records as it covers everything else.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from portrait.records import Link, Record, RecordStore, current_user
from portrait.review import ReadOnlyError, ReadOnlyWorkspace
from portrait.workspace import Workspace

log = logging.getLogger(__name__)


class RecordsSession(QObject):
    """The records of one workspace and the only way the panels change them.

    ``records_changed()`` is emitted after every change, once the workspace's ``records``
    layer holds it (the window then shows the workspace as modified and redraws the map).
    """

    records_changed = Signal()

    def __init__(self, workspace: Workspace, read_only: bool = False,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.read_only = read_only or isinstance(workspace, ReadOnlyWorkspace)
        self.store = RecordStore.load(workspace)
        log.info("Loaded %d record(s) from %s (%d unreadable)", len(self.store),
                 workspace.path, len(self.store.unreadable))

    def add(self, record: Record) -> Record:
        """Store a new record."""
        self._check_writable()
        stored = self.store.add(record)
        self._changed()
        return stored

    def put(self, record: Record) -> Record:
        """Store a new version of a record (the difference goes into its history)."""
        self._check_writable()
        stored = self.store.put(record, by=current_user())
        self._changed()
        return stored

    def save_record(self, record: Record, is_new: bool) -> Record:
        """``add`` a new record or ``put`` an edited one."""
        return self.add(record) if is_new else self.put(record)

    def update(self, record_id: str, **changes: Any) -> Record:
        self._check_writable()
        stored = self.store.update(record_id, by=current_user(), **changes)
        self._changed()
        return stored

    def delete(self, record_id: str, on_links: str) -> list[Link]:
        """Delete a record (``on_links`` "refuse" or "unlink", see ``RecordStore.delete``)."""
        self._check_writable()
        removed = self.store.delete(record_id, on_links=on_links, by=current_user())
        self._changed()
        return removed

    def _check_writable(self) -> None:
        if self.read_only:
            name = self.workspace.path.name if self.workspace.path else "This workspace"
            raise ReadOnlyError(f"{name} is open for review (read-only): records cannot be "
                                "changed.")

    def _changed(self) -> None:
        self.store.save(self.workspace)
        self.records_changed.emit()
