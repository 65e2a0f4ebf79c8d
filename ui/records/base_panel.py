"""What every records panel does the same way: follow the workspace's records and a language,
store edits, refuse them in review mode, delete with a clear choice, show a record's history.

Deleting a record that others link to is never silent: a prompt lists the linking records
and offers the two choices of ``RecordStore.delete`` — keep the record (refuse), or remove
the links and delete it. Prompts open without blocking (``QMessageBox.open``), as in the
main window, and are kept in ``prompt`` so tests and the window can answer them.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox, QWidget

from portrait.errors import PortraitError
from portrait.records import RECORD_TYPES, Link, Record, RecordStore
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, show_error
from ui.records.history_dialog import HistoryDialog
from ui.records.session import RecordsSession
from ui.records.strings import RecordText, record_text

log = logging.getLogger(__name__)


class RecordsBasePanel(QWidget):
    """Base of the records panels (subclasses build their widgets and lists).

    ``navigate(kind, record_id)`` is emitted when the officer follows a link to another
    record (``RecordPages`` shows the panel listing ``kind`` and selects the record). In
    review mode (a read-only session) every edit control is disabled and forms open for
    reading only.
    """

    navigate = Signal(str, str)
    #: The record kinds this panel lists (``select_record`` finds them).
    KINDS: tuple[str, ...] = ()

    def __init__(self, session: RecordsSession | None = None, parent: QWidget | None = None,
                 *, language: str | None = None):
        super().__init__(parent)
        self.text: RecordText = record_text(language)
        self.session: RecordsSession | None = None
        self.prompt: QMessageBox | None = None
        self.error_dialog: ErrorDialog | None = None
        self.dialog: QDialog | None = None
        self.history_dialog: HistoryDialog | None = None
        self._build()
        self._retranslate_texts()
        self.set_session(session)

    # --- for subclasses ----------------------------------------------------------------------
    def _build(self) -> None:
        """Make the widgets."""

    def _retranslate_texts(self) -> None:
        """Put every word in ``self.text``'s language."""

    def _refresh(self) -> None:
        """Show the store's records again (after any change, or a new workspace)."""

    def _update_enabled(self) -> None:
        """Enable or disable the edit controls (``self.can_edit``, the selection)."""

    def select_record(self, record_id: str) -> bool:
        """Select ``record_id`` in this panel's list; False when it is not listed here."""
        return False

    # --- records, language, review mode --------------------------------------------------------
    def set_session(self, session: RecordsSession | None) -> None:
        """Show the records of ``session`` (None: an empty, disabled panel)."""
        if self.session is not None:
            self.session.records_changed.disconnect(self._records_changed)
        if self.dialog is not None:
            self.dialog.close()
        self.session = session
        if session is not None:
            session.records_changed.connect(self._records_changed)
        self._refresh()
        self._update_enabled()

    def retranslate(self, language: Any) -> None:
        """Every word in ``language`` ("fr", "en", or the window's ``UiText``)."""
        self.text = record_text(language)
        self._retranslate_texts()
        self._refresh()
        self._update_enabled()

    @property
    def workspace(self) -> Workspace | None:
        return self.session.workspace if self.session is not None else None

    @property
    def store(self) -> RecordStore | None:
        return self.session.store if self.session is not None else None

    @property
    def read_only(self) -> bool:
        return self.session is None or self.session.read_only

    @property
    def can_edit(self) -> bool:
        return not self.read_only

    @Slot()
    def _records_changed(self) -> None:
        self._refresh()
        self._update_enabled()

    # --- saving, errors -------------------------------------------------------------------------
    def commit(self, record: Record, is_new: bool) -> Record | None:
        """Store ``record`` (new or edited); errors are shown."""
        if self.session is None or not self.can_edit:
            return None
        try:
            return self.session.save_record(record, is_new)
        except PortraitError as error:
            self.show_error("error_store", error)
            return None

    def show_error(self, title_key: str, error: BaseException) -> None:
        self.error_dialog = show_error(self, self.text(title_key), error, self.text)

    # --- deleting -------------------------------------------------------------------------------
    def request_delete(self, record: Record) -> QMessageBox | None:
        """Ask before deleting ``record``; when others link to it, list them and offer to
        keep it or to remove the links and delete it."""
        if self.session is None or not self.can_edit:
            return None
        store = self.session.store
        links = store.links_to(record.record_id) + [
            link for link in store.review_links if link.target_id == record.record_id]
        name = record.display_name
        box = QMessageBox(QMessageBox.Icon.Warning, self.text("delete_title"), "",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("delete_prompt")
        if links:
            items = "".join(f"<li>{html.escape(self._link_text(link))}</li>" for link in links)
            box.setText(self.text("delete_linked", name=html.escape(name), count=len(links))
                        + f"<ul>{items}</ul>" + self.text("delete_linked_choice"))
            delete = box.addButton(self.text("button_unlink_delete"),
                                   QMessageBox.ButtonRole.DestructiveRole)
            keep = box.addButton(self.text("button_keep"), QMessageBox.ButtonRole.RejectRole)
        else:
            box.setText(self.text("delete_confirm", name=html.escape(name)))
            delete = box.addButton(self.text("button_confirm_delete"),
                                   QMessageBox.ButtonRole.DestructiveRole)
            keep = box.addButton(self.text("button_cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        on_links = "unlink" if links else "refuse"

        def answered(button: QAbstractButton) -> None:
            if button is delete:
                self._delete(record.record_id, on_links)

        box.buttonClicked.connect(answered)
        self.prompt = box
        box.open()
        return box

    def _delete(self, record_id: str, on_links: str) -> None:
        if self.session is None:
            return
        try:
            removed = self.session.delete(record_id, on_links)
        except PortraitError as error:
            self.show_error("error_delete", error)
            return
        log.info("Deleted record %s (%d link(s) removed)", record_id, len(removed))

    def _link_text(self, link: Link) -> str:
        store = self.store
        if link.source_kind in RECORD_TYPES and store is not None \
                and link.source_id in store:
            return self.text("link_item", kind=self.text.kind_label(link.source_kind),
                             name=self.text.name_of(store.get(link.source_id)))
        return self.text("link_review_mark" if link.source_kind == "review_mark"
                         else "link_review_comment")

    # --- history --------------------------------------------------------------------------------
    def show_history(self, record: Record | None) -> HistoryDialog | None:
        if record is None:
            return None
        dialog = HistoryDialog(record, self.text, self)
        self.history_dialog = dialog
        dialog.open()
        return dialog
