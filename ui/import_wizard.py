"""The import wizard: file, format, preview, column mapping, background import, report.

Everything slow runs on the wizard's ``QtJobRunner`` (a Python thread: see ``ui.worker``):
recognising the file, reading the preview, importing, saving category mappings. The import
reports progress from that thread; ``QtImportSignals`` lives in the GUI thread, so emitting
its signal there queues the update to the GUI thread. Cancel sets a flag the readers check
between chunks; ``data_connectors.importer.import_files`` is all or nothing, so a cancelled
or failed import leaves the workspace file exactly as it was.

The wizard is a dialog with stacked pages rather than a ``QWizard``: the Back button must
stay disabled while an import runs, and every button text must come from ``ui.strings``.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from data_connectors.import_safety import ImportRefused
from data_connectors.importer import import_files
from data_connectors.recipes import earlier_mapping
from data_connectors.registry import candidates
from portrait.errors import CancelledError, PortraitError
from portrait.layers import CATEGORY_MAPPINGS, COLUMN_MAPPINGS
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, error_message, show_error
from ui.field_mapping_panel import FieldMappingPanel
from ui.import_confirmation import ImportConfirmationDialog
from ui.import_pages import (
    MAPPED_READER_ID,
    ColumnMappingPanel,
    ImportFilePanel,
    ImportPreviewPanel,
    ImportProgressPanel,
    ImportReportPanel,
    PreviewData,
    load_preview,
    mapping_available,
    with_category_choices,
)
from ui.strings import UiText
from ui.worker import QtJobRunner

log = logging.getLogger(__name__)

FILE, PREVIEW, MAPPING, PROGRESS, REPORT = range(5)


class QtImportSignals(QObject):
    """``progressed(fraction, message)``, emitted from the import thread."""

    progressed = Signal(float, str)


def _save_category_mappings(workspace: Workspace, choices: dict[str, str],
                            source: str) -> int:
    workspace.set_layer(CATEGORY_MAPPINGS.name, with_category_choices(
        workspace.layer(CATEGORY_MAPPINGS.name), choices, source))
    workspace.save()
    return len(choices)


class ImportWizard(QDialog):
    """Imports one file into ``workspace``; ``imported(reports)`` fires when it is in.

    ``path`` pre-fills the file (a file dropped on the main window).
    """

    imported = Signal(list)
    #: Emitted when a background step ends (tests and the window can wait on it).
    stepFinished = Signal(str)

    def __init__(self, workspace: Workspace, text: UiText, path: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self.workspace = workspace
        self.text = text
        self.reports: list = []
        self.last_error: BaseException | None = None
        self.error_dialog: ErrorDialog | None = None
        self.confirmation_dialog: ImportConfirmationDialog | None = None
        #: What the officer confirmed after a refusal (importer keyword -> True).
        self._confirmed: dict[str, bool] = {}
        self.preview: PreviewData | None = None
        self.import_signals = QtImportSignals(self)
        self._jobs = QtJobRunner(self)
        self._cancel = threading.Event()
        self._running = False
        self._close_when_done = False
        self._import_args: tuple[Path, str, dict[str, Any]] | None = None
        self.setWindowTitle(text("import_title"))

        self.file_page = ImportFilePanel(text, self)
        self.preview_page = ImportPreviewPanel(text, self)
        self.mapping_page = ColumnMappingPanel(text, self)
        self.field_page = FieldMappingPanel(text, self)
        #: The column step: the incident page, or the page drawn from the reader's fields.
        self.mapping_step = QStackedWidget(self)
        self.mapping_step.addWidget(self.mapping_page)
        self.mapping_step.addWidget(self.field_page)
        self.progress_page = ImportProgressPanel(text, self)
        self.report_page = ImportReportPanel(text, self)
        self.pages = QStackedWidget(self)
        for page in (self.file_page, self.preview_page, self.mapping_step, self.progress_page,
                     self.report_page):
            self.pages.addWidget(page)

        self.back_button = QPushButton(text("button_back"), self)
        self.back_button.setObjectName("back_button")
        self.next_button = QPushButton(text("button_next"), self)
        self.next_button.setObjectName("next_button")
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(text("button_cancel"), self)
        self.cancel_button.setObjectName("cancel_button")
        self.close_button = QPushButton(text("button_close"), self)
        self.close_button.setObjectName("close_button")
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.cancel_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(line)
        layout.addLayout(buttons)

        self.file_page.changed.connect(self._update_buttons)
        self.file_page.pathChosen.connect(self._recognise)
        self.mapping_page.changed.connect(self._update_buttons)
        self.field_page.changed.connect(self._update_buttons)
        self.progress_page.cancel_button.clicked.connect(self.cancel_import)
        self.report_page.mappingsChosen.connect(self._save_mappings)
        self.report_page.reimportRequested.connect(self._reimport)
        self.import_signals.progressed.connect(self.progress_page.set_progress)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.resize(860, 600)
        self._update_buttons()
        if path is not None:
            self.file_page.set_path(Path(path))

    # --- navigation -------------------------------------------------------------------------
    def current_step(self) -> int:
        return self.pages.currentIndex()

    def _uses_mapping(self) -> bool:
        reader = self.file_page.reader()
        return reader is not None and reader.id == MAPPED_READER_ID and mapping_available()

    def _uses_fields(self) -> bool:
        """Whether the reader declares fields and the preview showed the file's columns
        (a file without a preview is imported with the reader's own guesses)."""
        reader = self.file_page.reader()
        return (reader is not None and reader.id != MAPPED_READER_ID and bool(reader.fields)
                and self.preview is not None and len(self.preview.frame.columns) > 0)

    def _column_step(self) -> bool:
        return self._uses_mapping() or self._uses_fields()

    @Slot()
    def go_next(self) -> None:
        step = self.current_step()
        if step == FILE and self.file_page.is_complete():
            self._load_preview()
        elif step == PREVIEW and self._column_step():
            self._show(MAPPING)
        elif step in (PREVIEW, MAPPING):
            self.start_import()

    @Slot()
    def go_back(self) -> None:
        step = self.current_step()
        if step == PROGRESS and not self._running:
            self._show(MAPPING if self._column_step() else PREVIEW)
        elif step == MAPPING:
            self._show(PREVIEW)
        elif step == PREVIEW:
            self._show(FILE)

    def _show(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        step = self.current_step()
        mapping = self._column_step()
        self.back_button.setVisible(step in (PREVIEW, MAPPING, PROGRESS))
        self.back_button.setEnabled(step != PROGRESS or not self._running)
        self.next_button.setVisible(step in (FILE, PREVIEW, MAPPING))
        imports_next = (step == PREVIEW and not mapping) or step == MAPPING
        self.next_button.setText(self.text("button_import" if imports_next else "button_next"))
        if step == FILE:
            self.next_button.setEnabled(self.file_page.is_complete())
        elif step == PREVIEW:
            self.next_button.setEnabled(not self._running and (
                not mapping or (self.preview is not None and not self.preview.frame.empty)))
        elif step == MAPPING:
            self.next_button.setEnabled(self.mapping_step.currentWidget().is_complete())
        self.cancel_button.setVisible(step != REPORT)
        self.close_button.setVisible(step == REPORT)

    # --- recognising and previewing ---------------------------------------------------------
    @Slot(object)
    def _recognise(self, path: Path) -> None:
        self.file_page.detecting()
        self._jobs.start(functools.partial(_reader_ids, path), self._recognised,
                         self._recognise_failed)

    @Slot(object)
    def _recognised(self, reader_ids: list[str]) -> None:
        self.file_page.fill_readers(reader_ids)
        self.stepFinished.emit("recognised")

    @Slot(object)
    def _recognise_failed(self, error: BaseException) -> None:
        self.file_page.fill_readers([])
        self.stepFinished.emit("recognised")

    def _load_preview(self) -> None:
        path, reader = self.file_page.path(), self.file_page.reader()
        self.preview = None
        self.preview_page.loading(path)
        self._running = True
        self._show(PREVIEW)
        self._jobs.start(functools.partial(_preview, path, reader.id, self.workspace),
                         self._previewed, self._preview_failed)

    @Slot(object)
    def _previewed(self, preview: PreviewData) -> None:
        self._running = False
        self.preview = preview
        path = self.file_page.path()
        self.preview_page.show_preview(path, preview)
        if self._uses_mapping():
            self.mapping_page.set_columns(list(preview.frame.columns), preview.mapping,
                                          preview.has_geometry, preview.frame,
                                          saved=preview.mapping_saved)
            self.mapping_step.setCurrentWidget(self.mapping_page)
        elif self._uses_fields():
            reader = self.file_page.reader()
            self.field_page.set_fields(reader.fields, list(preview.frame.columns),
                                       preview.frame,
                                       earlier_mapping(self.workspace, reader.id, path))
            self.mapping_step.setCurrentWidget(self.field_page)
        self._update_buttons()
        self.stepFinished.emit("preview")

    @Slot(object)
    def _preview_failed(self, error: BaseException) -> None:
        self._running = False
        self.preview = None
        self.last_error = error
        if isinstance(error, PortraitError):
            log.info("No preview of %s: %s", self.file_page.path(), error)
        else:
            log.warning("Preview of %s failed", self.file_page.path(), exc_info=error)
        self.preview_page.failed(error_message(error, self.text))
        self._update_buttons()
        self.stepFinished.emit("preview")

    # --- importing --------------------------------------------------------------------------
    def import_options(self) -> dict[str, Any]:
        """What the reader is told beyond the file: the confirmed column mapping, and the
        indicator catalogue of census and indicator tables."""
        if self._uses_mapping():
            options = {"mapping": self.mapping_page.values()}
        else:
            options = {"mapping": self.field_page.values()} if self._uses_fields() else {}
        return {**options, **self.file_page.catalogue.options()}

    @Slot()
    def start_import(self) -> None:
        path, reader = self.file_page.path(), self.file_page.reader()
        self._import_args = (path, reader.id, self.import_options())
        self._confirmed = {}
        self._run_import()

    def _run_import(self) -> None:
        path, reader_id, options = self._import_args
        self._cancel.clear()
        self._running = True
        self.last_error = None
        self.progress_page.started(path)
        self._show(PROGRESS)
        log.info("Importing %s with %s (options %s)", path, reader_id, options)
        job = functools.partial(
            import_files, self.workspace, [path], reader_id=reader_id, options=options,
            progress=self.import_signals.progressed.emit, is_cancelled=self._cancel.is_set,
            **self._confirmed)
        self._jobs.start(job, self._import_finished, self._import_failed)

    @Slot()
    def cancel_import(self) -> None:
        """Ask the running import to stop; it stops at the reader's next progress step."""
        if self._running:
            self._cancel.set()
            self.progress_page.cancelling()

    def is_running(self) -> bool:
        return self._running

    @Slot(object)
    def _import_finished(self, reports: list) -> None:
        self._running = False
        self.reports = reports
        self.progress_page.ended(self.text("import_done"), error=False)
        self.imported.emit(reports)
        self.stepFinished.emit("import")
        if self._close_when_done:
            self._shut_down()
            super().accept()
            return
        self.report_page.show_reports(reports)
        self._show(REPORT)

    @Slot(object)
    def _import_failed(self, error: BaseException) -> None:
        self._running = False
        self.last_error = error
        if isinstance(error, CancelledError):
            self.progress_page.ended(self.text("import_cancelled"), error=False)
        else:
            self.progress_page.ended(self.text("import_failed_unchanged"), error=True)
        self._update_buttons()
        self.stepFinished.emit("import")
        if self._close_when_done:
            self._shut_down()
            super().reject()
        elif isinstance(error, ImportRefused):
            self._ask_confirmation(error)
        elif not isinstance(error, CancelledError):
            self.error_dialog = show_error(self, self.text("import_failed_title"), error,
                                           self.text)

    def _ask_confirmation(self, error: ImportRefused) -> None:
        """Say what the importer found; "Import anyway" imports again with its option."""
        dialog = ImportConfirmationDialog(error, self.text, self)
        dialog.accepted.connect(functools.partial(self._confirm, error.option))
        self.confirmation_dialog = dialog
        dialog.open()

    def _confirm(self, option: str) -> None:
        self._confirmed[option] = True
        self._run_import()

    # --- after the import -------------------------------------------------------------------
    @Slot(dict)
    def _save_mappings(self, choices: dict[str, str]) -> None:
        source = self.reports[0].reader if self.reports else ""
        self.report_page.save_mappings_button.setEnabled(False)
        self._jobs.start(functools.partial(_save_category_mappings, self.workspace, choices,
                                           source),
                         self._mappings_saved, self._mappings_failed)

    @Slot(object)
    def _mappings_saved(self, count: int) -> None:
        self.report_page.mappings_saved(count)
        self.report_page.save_mappings_button.setEnabled(True)
        self.stepFinished.emit("mappings")

    @Slot(object)
    def _mappings_failed(self, error: BaseException) -> None:
        self.report_page.save_mappings_button.setEnabled(True)
        self.report_page.mappings_failed(error_message(error, self.text))
        self.error_dialog = show_error(self, self.text("mappings_failed_title"), error,
                                       self.text)
        self.stepFinished.emit("mappings")

    @Slot()
    def _reimport(self) -> None:
        """Import the same file again, so the new category mappings apply to its rows."""
        if self._import_args is not None:
            self._run_import()

    # --- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Cancel: during an import, stop it first and close once the workspace is safe."""
        if self._running and self.current_step() == PROGRESS:
            self._close_when_done = True
            self.cancel_import()
            return
        self._shut_down()
        super().reject()

    def accept(self) -> None:
        self._shut_down()
        super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running and self.current_step() == PROGRESS:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def _shut_down(self) -> None:
        self._cancel.set()
        self._jobs.shut_down()


def _preview(path: Path, reader_id: str, workspace: Workspace) -> PreviewData:
    saved = {str(row.source_key): json.loads(row.mapping)
             for row in workspace.layer(COLUMN_MAPPINGS.name).itertuples(index=False)
             if isinstance(row.mapping, str)}
    return load_preview(path, reader_id, saved_mappings=saved)


def _reader_ids(path: Path) -> list[str]:
    return [reader.id for reader in candidates(path)]
