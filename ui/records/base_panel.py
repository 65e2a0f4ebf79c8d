"""What every records panel does the same way: follow the workspace's records and a language,
store edits, refuse them in review mode, delete with a clear choice, show a record's history,
and lay out its list, New / Edit / Delete / History buttons and details alike.

Deleting a record that others link to is never silent: a prompt lists the linking records
and offers the two choices of ``RecordStore.delete`` — keep the record (refuse), or remove
the links and delete it. Prompts open without blocking (``QMessageBox.open``), as in the
main window, and are kept in ``prompt`` so tests and the window can answer them.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portrait.errors import PortraitError
from portrait.records import RECORD_TYPES, Link, Record, RecordStore
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, show_error
from ui.records.flow_layout import button_row
from ui.records.history_dialog import HistoryDialog
from ui.records.session import RecordsSession
from ui.records.strings import RecordText, record_text
from ui.records.widgets import list_and_detail, push_button, stacked

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

    def current(self) -> Any:
        """The record selected in the panel's list (None when none is)."""
        return None

    def _show_detail(self) -> None:
        """Show the selected record's details."""

    @Slot(str)
    def _selection_changed(self, _record_id: str) -> None:
        self._show_detail()
        self._update_enabled()

    # --- building blocks for subclasses --------------------------------------------------------
    def _record_buttons(self, kind: str) -> None:
        """New, Edit (View in review mode), Delete and History, named after ``kind``
        (``new_partner``, ``edit_partner``, ``delete_partner``, ``partner_history``)."""
        self.new_button: QPushButton = push_button("", self, f"new_{kind}")
        self.edit_button: QPushButton = push_button("", self, f"edit_{kind}")
        self.delete_button: QPushButton = push_button("", self, f"delete_{kind}")
        self.history_button: QPushButton = push_button("", self, f"{kind}_history")

    def _record_button_texts(self, new_key: str) -> None:
        self.new_button.setText(self.text(new_key))
        self.edit_button.setText(self.text("button_edit"))
        self.delete_button.setText(self.text("button_delete"))
        self.history_button.setText(self.text("button_history"))

    def _enable_record_buttons(self, selected: bool) -> None:
        """New while editable; Edit (or View) and History with a selection; Delete both."""
        self.new_button.setEnabled(self.can_edit)
        self.edit_button.setEnabled(selected)
        self.edit_button.setText(self.text("button_edit" if self.can_edit else "button_view"))
        self.delete_button.setEnabled(selected and self.can_edit)
        self.history_button.setEnabled(selected)

    def _lay_out(self, records: QWidget, buttons: tuple[QWidget, ...],
                 *detail: QWidget | QLayout) -> None:
        """The list with its button row on the left, ``detail`` on the right."""
        left = stacked(self, records, button_row(*buttons), margins=False, stretch=0)
        layout = QVBoxLayout(self)
        layout.addWidget(list_and_detail(self, left, stacked(self, *detail)))

    def _connect_list(self, edit: Callable[[str], object], new: Callable[[], object]) -> None:
        """Wire ``self.list``, ``self.links`` and the record buttons: a double-click or Edit
        opens the selected record with ``edit(record_id)``, New calls ``new()``."""
        self.list.current_changed.connect(self._selection_changed)
        self.list.activated.connect(lambda record_id: edit(record_id))
        self.links.navigate.connect(self.navigate)
        self.new_button.clicked.connect(lambda: new())
        self.edit_button.clicked.connect(lambda: self._edit_selected(edit))
        self.delete_button.clicked.connect(self._delete_selected)
        self.history_button.clicked.connect(lambda: self.show_history(self.current()))

    def _edit_selected(self, edit: Callable[[str], object]) -> None:
        record = self.current()
        if record is not None:
            edit(record.record_id)

    # --- forms ----------------------------------------------------------------------------------
    def _open_dialog(self, dialog: QDialog, accepted: Callable[[], None] | None = None
                     ) -> Any:
        """Open a form; once accepted, ``accepted`` runs (by default the form's record is
        stored and selected)."""
        dialog.accepted.connect(accepted or (lambda: self._dialog_accepted(dialog)))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: QDialog) -> None:
        """Drop the closed form before Qt deletes it: a later language switch or workspace
        change closes ``self.dialog``, which must not be a deleted C++ object by then."""
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _dialog_accepted(self, dialog: Any) -> None:
        record = dialog.record()
        if record is None:
            return
        stored = self.commit(record, dialog.original is None)
        if stored is not None:
            self.select_record(stored.record_id)

    @Slot()
    def _delete_selected(self) -> None:
        record = self.current()
        if record is not None:
            self.request_delete(record)

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
