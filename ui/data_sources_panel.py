"""File › Data sources: every import of the workspace, with Report, Remove and Replace.

The list comes from ``portrait.imports``; removing and replacing run on a ``QtJobRunner``
(a background thread, as imports do in the wizard), and each is one atomic save, so the
workspace holds either the old data or the new. A replacement the importer refuses (far
fewer rows, rows outside the stations) asks the officer first, as the wizard does.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from data_connectors.base import ImportReport
from data_connectors.import_safety import ImportRefused
from data_connectors.importer import import_files
from portrait.imports import ImportEntry, Removal, list_imports, remove_import
from portrait.layers import RECORDS
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, show_error
from ui.import_confirmation import ImportConfirmationDialog
from ui.import_pages import ImportReportPanel
from ui.strings import UiText
from ui.worker import QtJobRunner

log = logging.getLogger(__name__)

COLUMNS = ("file", "data", "when", "kept", "flagged", "dropped", "state")


class DataSourcesDialog(QDialog):
    """The workspace's imports; ``changed`` fires after a removal or a replacement."""

    changed = Signal(list)
    #: Emitted when a background removal or replacement ends (tests can wait on it).
    workFinished = Signal()

    def __init__(self, workspace: Workspace, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("data_sources")
        self.setWindowTitle(text("sources_title"))
        self.workspace = workspace
        self.text = text
        self.entries: list[ImportEntry] = []
        self.error_dialog: ErrorDialog | None = None
        self.confirmation_dialog: ImportConfirmationDialog | None = None
        self.question: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.report_dialog: QDialog | None = None
        self._jobs = QtJobRunner(self)
        self._running = False
        #: The import being removed or replaced, and the replacement file and confirmations.
        self._entry: ImportEntry | None = None
        self._path: Path | None = None
        self._confirmed: dict[str, bool] = {}

        intro = QLabel(text("sources_intro"), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("sources_table")
        self.table.setHorizontalHeaderLabels([text(f"sources_col_{c}") for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel("", self)
        self.message.setObjectName("sources_message")
        self.message.setWordWrap(True)
        self.report_button = QPushButton(text("button_report"), self)
        self.report_button.setObjectName("report_button")
        self.remove_button = QPushButton(text("button_remove"), self)
        self.remove_button.setObjectName("remove_button")
        self.replace_button = QPushButton(text("button_replace"), self)
        self.replace_button.setObjectName("replace_button")
        close_button = QPushButton(text("button_close"), self)
        close_button.setObjectName("close_button")
        buttons = QHBoxLayout()
        for button in (self.report_button, self.remove_button, self.replace_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.report_button.clicked.connect(self.show_report)
        self.remove_button.clicked.connect(self.ask_remove)
        self.replace_button.clicked.connect(self.choose_replacement)
        close_button.clicked.connect(self.accept)
        self.resize(900, 420)
        self.refresh()

    # --- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the imports again (after a change, or when the dialog opens)."""
        self.entries = list_imports(self.workspace)
        number = self.text.number
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (Path(entry.source_path).name, self.text.layer_name(entry.layer),
                      self.text.date_time(entry.imported_at), number(entry.rows_kept),
                      number(entry.flagged), number(entry.dropped), self._state(entry))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if 3 <= column <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if not self.entries:
            self.message.setText(self.text("sources_empty"))
        self._update_buttons()

    def _state(self, entry: ImportEntry) -> str:
        if entry.legacy:
            return self.text("sources_state_legacy")
        if entry.rows_present == 0 and entry.rows_kept:
            return self.text("sources_state_replaced")
        return self.text("sources_state_present", rows=self.text.number(entry.rows_present))

    def selected(self) -> ImportEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        entry = self.selected()
        self.report_button.setEnabled(entry is not None)
        self.remove_button.setEnabled(entry is not None and not self._running)
        self.replace_button.setEnabled(entry is not None and not self._running
                                       and not entry.legacy)

    # --- report -----------------------------------------------------------------------------
    @Slot()
    def show_report(self) -> None:
        """The import's report, as the wizard showed it at the end of the import."""
        entry = self.selected()
        if entry is None:
            return
        dialog = QDialog(self)
        dialog.setObjectName("source_report")
        dialog.setWindowTitle(self.text("sources_report_title",
                                        name=Path(entry.source_path).name))
        panel = ImportReportPanel(self.text, dialog)
        panel.show_reports([_report(entry)])
        panel.unmapped_box.setVisible(False)  # mappings are chosen in the import wizard
        close = QPushButton(self.text("button_close"), dialog)
        close.clicked.connect(dialog.accept)
        layout = QVBoxLayout(dialog)
        layout.addWidget(panel, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        dialog.resize(760, 480)
        self.report_dialog = dialog
        dialog.open()

    # --- remove -----------------------------------------------------------------------------
    @Slot()
    def ask_remove(self) -> None:
        """Ask first: removal deletes rows (the atomic save cannot be undone)."""
        entry = self.selected()
        if entry is None:
            return
        question = self.text("sources_remove_question", name=Path(entry.source_path).name,
                             rows=self.text.number(entry.rows_present))
        if entry.legacy:
            question += " " + self.text("sources_remove_legacy",
                                        layer=self.text.layer_name(entry.layer))
        box = QMessageBox(QMessageBox.Icon.Question, self.text("sources_remove_title"),
                          question, QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("remove_question")
        yes = box.addButton(self.text("button_remove"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("confirm_remove")
        box.addButton(self.text("button_cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        yes.clicked.connect(functools.partial(self._remove, entry))
        self.question = box
        box.open()

    def _remove(self, entry: ImportEntry) -> None:
        self._entry = entry
        self._start(functools.partial(remove_import, self.workspace, entry.import_id),
                    self._removed, self._failed)

    @Slot(object)
    def _removed(self, removal: Removal) -> None:
        text = self.text("sources_removed", name=Path(self._entry.source_path).name,
                         rows=self.text.number(sum(removal.rows.values())))
        if removal.dependents:
            items = ", ".join(
                self.text("sources_dependent_records", count=self.text.number(count))
                if layer == RECORDS.name else
                self.text("sources_dependent_item", count=self.text.number(count),
                          layer=self.text.layer_name(layer))
                for layer, count in removal.dependents.items())
            text += " " + self.text("sources_dependents", items=items)
        self._done(text, [])

    # --- replace ----------------------------------------------------------------------------
    @Slot()
    def choose_replacement(self) -> None:
        """Ask for the newer file (the dialog opens without blocking; see ``replace_with``)."""
        entry = self.selected()
        if entry is None:
            return
        source = Path(entry.source_path)
        dialog = QFileDialog(self, self.text("sources_replace_title", name=source.name),
                             str(source.parent if source.parent.is_dir() else Path.home()),
                             self.text("import_filter"))
        dialog.setObjectName("replace_file_dialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(functools.partial(self.replace_with, entry))
        self.file_dialog = dialog
        dialog.open()

    def replace_with(self, entry: ImportEntry, path: str | Path,
                     confirmed: dict[str, bool] | None = None) -> None:
        """Import ``path`` with the reader and options (its column mapping…) of ``entry``
        in place of ``entry``'s rows."""
        self._entry, self._path, self._confirmed = entry, Path(path), confirmed or {}
        job = functools.partial(import_files, self.workspace, [self._path],
                                reader_id=entry.reader, replaces=entry.import_id,
                                options=entry.details.get("options"), **self._confirmed)
        self._start(job, self._replaced, self._replace_failed)

    @Slot(object)
    def _replaced(self, reports: list[ImportReport]) -> None:
        report = reports[0]
        self._done(self.text("sources_replaced", old=Path(self._entry.source_path).name,
                             new=Path(report.source_path).name,
                             rows=self.text.number(report.rows_kept)), reports)

    @Slot(object)
    def _replace_failed(self, error: BaseException) -> None:
        if not isinstance(error, ImportRefused):
            self._failed(error)
            return
        self._end_work()
        dialog = ImportConfirmationDialog(error, self.text, self)
        dialog.accepted.connect(functools.partial(
            self.replace_with, self._entry, self._path, {**self._confirmed, error.option: True}))
        self.confirmation_dialog = dialog
        dialog.open()

    # --- background work --------------------------------------------------------------------
    def _start(self, job: Callable[[], object], on_finished: Callable[[object], None],
               on_failed: Callable[[object], None]) -> None:
        """Run ``job`` off the GUI thread; the callbacks are this dialog's slots, so Qt
        queues them back to the GUI thread."""
        self._running = True
        self.message.setText(self.text("sources_working"))
        self._update_buttons()
        self._jobs.start(job, on_finished, on_failed)

    def _done(self, message: str, reports: list) -> None:
        self._running = False
        self.refresh()
        self.message.setText(message)
        self.changed.emit(reports)
        self.workFinished.emit()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._end_work()
        self.error_dialog = show_error(self, self.text("sources_failed_title"), error,
                                       self.text)

    def _end_work(self) -> None:
        self._running = False
        self.refresh()
        self.message.setText("")
        self.workFinished.emit()

    def done(self, result: int) -> None:
        """Closing waits for a running removal or replacement: it saves the workspace."""
        self._jobs.shut_down()
        super().done(result)


def _report(entry: ImportEntry) -> ImportReport:
    """The import's report as it was written (``ImportReport.to_dict``)."""
    fields = set(ImportReport.__dataclass_fields__)
    details = {key: value for key, value in entry.details.items() if key in fields}
    return ImportReport(**{"reader": entry.reader, "source_path": entry.source_path,
                           "layer": entry.layer, **details})
