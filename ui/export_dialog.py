"""File › Export: the station's documents written from the window, without freezing it.

The dialog starts from what the officer is looking at (the station and the period on
screen) and asks only what the window does not know: who the documents are for, their
formats, language and folder. Writing runs on a background thread (``ui.worker``) with a
progress bar and a Cancel button; a cancelled export keeps no file (``ui.export_job``). At
the end the folder or the PDF opens with one click.

The dialog does not block the window, and closing it while it writes only hides it. It
lives as long as its export: the window keeps it (``MainWindow.export_dialog``) and only
replaces it when no export is running, so the worker never reports to a deleted object.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.brief_model import AUDIENCES, LANGUAGES
from exports.map_choices import Choice
from portrait.errors import CancelledError, PortraitError
from portrait.portrait_model import Portrait
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, show_error
from ui.export_job import EXPORT_KINDS, ExportKind, ExportRequest, Period
from ui.strings import UiText
from ui.worker import QtJobRunner

log = logging.getLogger(__name__)

FOLDER_KEY = "export/folder"
ERROR_STYLE = "color: #b00020;"


class ExportDialog(QDialog):
    """Choices, then Export; ``exported(paths)`` once the files are written.

    ``stations`` are the workspace's (the current one selected), ``period`` the one on
    screen (None: all the data), ``portrait`` the portrait on screen (reused when it is the
    chosen station's). ``open_url`` opens the folder or the PDF (tests replace it).
    """

    exported = Signal(list)
    _progressed = Signal(int, int)

    def __init__(self, workspace: Workspace, stations: Sequence[Choice], station_id: str | None,
                 period: Period, text: UiText, settings: QSettings,
                 portrait: Portrait | None = None, records_of: Callable | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.workspace = workspace
        self.period = period
        self.portrait = portrait
        self.text = text
        self.settings = settings
        self.records_of = records_of
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.error_dialog: ErrorDialog | None = None
        self.written: list[Path] = []
        self._cancel = threading.Event()
        self._running = False
        self._jobs = QtJobRunner(self)

        self.kind_combo = self._combo("export_kind_combo",
                                      [(kind.id, text(kind.label_key)) for kind in EXPORT_KINDS])
        self.station_combo = self._combo("export_station_combo",
                                         [(choice.id, choice.label) for choice in stations])
        index = self.station_combo.findData(station_id)
        self.station_combo.setCurrentIndex(max(index, 0))
        self.period_label = QLabel(self._period_text(), self)
        self.period_label.setObjectName("export_period")
        self.period_label.setWordWrap(True)
        self.audience_combo = self._combo(
            "export_audience_combo",
            [(a, text(f"export_audience_{a}")) for a in sorted(AUDIENCES, reverse=True)])
        self.language_combo = self._combo(
            "export_language_combo", [(lang, text(f"export_language_{lang}"))
                                      for lang in LANGUAGES])
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(text.language), 0))
        self.format_boxes: dict[str, QCheckBox] = {}
        formats_row = QHBoxLayout()
        every_format = dict.fromkeys(ext for kind in EXPORT_KINDS for ext in kind.formats)
        for extension in every_format:  # each kind shows its own (``_kind_chosen``)
            box = QCheckBox(text(f"export_format_{extension}"), self)
            box.setObjectName(f"export_format_{extension}")
            box.setChecked(True)
            formats_row.addWidget(box)
            self.format_boxes[extension] = box
        formats_row.addStretch(1)
        self.folder_edit = QLineEdit(self._start_folder(), self)
        self.folder_edit.setObjectName("export_folder")
        self.browse_button = QPushButton(text("export_browse"), self)
        self.browse_button.setObjectName("export_browse")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        form = QFormLayout()
        form.addRow(text("export_kind"), self.kind_combo)
        form.setRowVisible(self.kind_combo, len(EXPORT_KINDS) > 1)  # one kind: nothing to ask
        form.addRow(text("export_station"), self.station_combo)
        form.addRow(text("export_period"), self.period_label)
        form.addRow(text("export_audience"), self.audience_combo)
        form.addRow(text("export_formats"), formats_row)
        form.addRow(text("export_language"), self.language_combo)
        form.addRow(text("export_folder"), folder_row)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("export_progress")
        self.progress_bar.setVisible(False)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("export_status")
        self.status_label.setWordWrap(True)
        self.open_folder_button = QPushButton(text("export_open_folder"), self)
        self.open_folder_button.setObjectName("export_open_folder")
        self.open_pdf_button = QPushButton(text("export_open_pdf"), self)
        self.open_pdf_button.setObjectName("export_open_pdf")
        self.export_button = QPushButton(text("export_start"), self)
        self.export_button.setObjectName("export_start")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton(text("export_cancel"), self)
        self.cancel_button.setObjectName("export_cancel")
        self.close_button = QPushButton(text("export_close"), self)
        self.close_button.setObjectName("export_close")
        buttons = QHBoxLayout()
        for button in (self.open_folder_button, self.open_pdf_button):
            button.setVisible(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        self.cancel_button.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.browse_button.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.open_pdf_button.clicked.connect(self._open_pdf)
        self._progressed.connect(self._show_progress)
        self.folder_edit.textChanged.connect(self._check)
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.station_combo.currentIndexChanged.connect(self._check)
        for box in self.format_boxes.values():
            box.toggled.connect(self._check)
        self.setWindowTitle(text("export_title"))
        self.setMinimumWidth(520)
        self._kind_chosen()

    # --- choices ------------------------------------------------------------------------------
    def kind(self) -> ExportKind:
        return next(k for k in EXPORT_KINDS if k.id == self.kind_combo.currentData())

    def formats(self) -> tuple[str, ...]:
        """The formats ticked among those the chosen kind is written in."""
        offered = self.kind().formats
        return tuple(ext for ext, box in self.format_boxes.items()
                     if ext in offered and box.isChecked())

    def request(self) -> ExportRequest:
        station_id = self.station_combo.currentData()
        records = self.records_of(station_id) if self.records_of is not None else None
        return ExportRequest(
            workspace=self.workspace, station_id=station_id, period=self.period,
            audience=self.audience_combo.currentData(),
            language=self.language_combo.currentData(), formats=self.formats(),
            folder=Path(self.folder_edit.text().strip()).expanduser(),
            portrait=self.portrait, records=records)

    def problem(self) -> str:
        """Why Export cannot start ("" when it can)."""
        if self.station_combo.currentData() is None:
            return self.text("export_no_station")
        if not self.formats():
            return self.text("export_no_format")
        if not self.folder_edit.text().strip():
            return self.text("export_no_folder")
        return ""

    def is_running(self) -> bool:
        return self._running

    # --- running ------------------------------------------------------------------------------
    @Slot()
    def start(self) -> bool:
        """Write the documents in the background; False when a choice is missing."""
        if self._running or self.problem():
            return False
        request = self.request()
        if not _writable(request.folder):
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(self.text("export_folder_unwritable",
                                                folder=request.folder))
            return False
        self.settings.setValue(FOLDER_KEY, str(request.folder))
        self._cancel.clear()
        self._set_running(True)
        self.written = []
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.text("export_running"))
        self.progress_bar.setRange(0, 0)  # busy until the first step is done
        write = self.kind().write
        self._jobs.start(lambda: write(request, self._progressed.emit, self._cancel.is_set),
                         self._finished, self._failed)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop at the next step; the files written so far are removed."""
        if self._running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.text("export_cancelling"))

    def reject(self) -> None:
        """Closing the dialog while it writes only hides it: the export goes on, and File ›
        Export brings the dialog back (Cancel stops it)."""
        super().reject()

    def shut_down(self) -> None:
        """Cancel and wait for the export (the window is closing)."""
        self._cancel.set()
        self._jobs.shut_down()

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        if self._running:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)

    @Slot(object)
    def _finished(self, paths: list[Path]) -> None:
        self._set_running(False)
        self.written = list(paths)
        folder = paths[0].parent if paths else Path(self.folder_edit.text())
        self.status_label.setText(self.text("export_done", count=len(paths), folder=folder))
        self.open_folder_button.setVisible(True)
        self.open_pdf_button.setVisible(self.pdf_path() is not None)
        self.exported.emit(self.written)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        if isinstance(error, CancelledError):
            self.status_label.setText(self.text("export_cancelled"))
            return
        self.status_label.setStyleSheet(ERROR_STYLE)
        cause = error.__cause__
        if isinstance(error, PortraitError) and isinstance(cause, OSError):
            # the writers' messages are English: say it in the officer's language
            self.status_label.setText(self.text("export_write_failed",
                                                path=cause.filename or self.folder_edit.text()))
        elif isinstance(error, PortraitError):
            self.status_label.setText(self.text("export_failed", message=error))
        else:
            self.status_label.setText(self.text("export_failed",
                                                message=self.text("unexpected_error",
                                                                  kind=type(error).__name__)))
            self.error_dialog = show_error(self, self.text("export_failed_title"), error,
                                           self.text)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.export_button.setEnabled(not running and not self.problem())
        for widget in (self.kind_combo, self.station_combo, self.audience_combo,
                       self.language_combo, self.folder_edit, self.browse_button,
                       *self.format_boxes.values()):
            widget.setEnabled(not running)
        if running:
            self.open_folder_button.setVisible(False)
            self.open_pdf_button.setVisible(False)

    # --- results ------------------------------------------------------------------------------
    def pdf_path(self) -> Path | None:
        return next((p for p in self.written if p.suffix.lower() == ".pdf"), None)

    @Slot()
    def _open_folder(self) -> None:
        if self.written:
            self.open_url(QUrl.fromLocalFile(str(self.written[0].parent)))

    @Slot()
    def _open_pdf(self) -> None:
        pdf = self.pdf_path()
        if pdf is not None:
            self.open_url(QUrl.fromLocalFile(str(pdf)))

    # --- helpers ------------------------------------------------------------------------------
    @Slot()
    def _kind_chosen(self) -> None:
        offered = self.kind().formats
        for extension, box in self.format_boxes.items():
            box.setVisible(extension in offered)
        self._check()

    @Slot()
    def _check(self) -> None:
        problem = self.problem()
        self.export_button.setEnabled(not self._running and not problem)
        self.export_button.setToolTip(problem)
        if not self._running and problem:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(problem)
        elif not self._running and self.status_label.text() in self._problems():
            self.status_label.setText("")

    def _problems(self) -> set[str]:
        return {self.text(key) for key in ("export_no_station", "export_no_format",
                                           "export_no_folder")}

    @Slot()
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.text("export_folder_title"),
                                                  self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _start_folder(self) -> str:
        remembered = self.settings.value(FOLDER_KEY)
        if remembered:
            return str(remembered)
        path = self.workspace.path
        return str(path.parent) if path is not None else str(Path.home())

    def _period_text(self) -> str:
        if self.period is None:
            return self.text("export_period_all")
        start, end = (self.text.date(day.isoformat()) for day in self.period)
        return self.text("export_period_dates", start=start, end=end)

    def _combo(self, name: str, items: list[tuple[object, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for value, label in items:
            combo.addItem(label, value)
        return combo


def _writable(folder: Path) -> bool:
    """Whether the documents can be written in ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def on_screen_period(period: tuple[str, str] | None) -> Period:
    """The window's period (ISO dates) as the dates the export is written for."""
    if period is None:
        return None
    return dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1])
