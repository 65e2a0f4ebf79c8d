"""The dialog that writes a station's community quarterly report from the window.

The officer picks the station, the quarter (among those the incidents reach), the audience,
the language, the formats and a folder; ``exports.briefs.write_quarterly_briefs`` writes
the files on the dialog's background runner, and the files written, or why nothing could be
(no action plan, no data for the quarter), are shown in the dialog's message area. In
review mode the commander approves the chosen quarter's report here too, signed with the
name and role of the preferences.
"""

from __future__ import annotations

import datetime as dt
import functools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.brief_model import BriefOptions
from exports.brief_signoff import approve_quarterly
from exports.briefs import FORMATS, WrittenBrief, brief_options, write_quarterly_briefs
from exports.map_choices import station_choices
from portrait.engine import prepare
from portrait.errors import PortraitError
from portrait.quarters import Quarter, quarter_of
from portrait.review import ReviewSession
from portrait.signoff import Approval
from portrait.workspace import Workspace
from ui.error_dialog import error_message
from ui.strings import LANGUAGES, UiText
from ui.worker import QtJobRunner


def quarters_in(first: dt.date, last: dt.date) -> list[Quarter]:
    """The quarters from ``first`` to ``last``, newest first (what the combo offers)."""
    quarter, oldest, found = quarter_of(last), quarter_of(first), []
    while quarter >= oldest:
        found.append(quarter)
        quarter = Quarter(quarter.year - (quarter.number == 1), (quarter.number - 2) % 4 + 1)
    return found


def incident_span(workspace: Workspace) -> tuple[dt.date, dt.date] | None:
    """The first and last incident dates (None without incidents)."""
    dates = pd.to_datetime(workspace.layer("incidents")["date"]).dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else None


def write_quarterly(workspace: Workspace, station_id: str, quarter: Quarter,
                    options: BriefOptions, formats: list[str], folder: Path) -> WrittenBrief:
    """The background job: prepare the workspace (cached) and write the report."""
    return write_quarterly_briefs(workspace, prepare(workspace), station_id, quarter, options,
                                  formats, folder)


def approve_quarter(session: ReviewSession, station_id: str, quarter: Quarter,
                    approver: str, role: str) -> Approval:
    """The background job of "Approve this report"."""
    return approve_quarterly(session, prepare(session.workspace), station_id, quarter,
                             approver, role)


class QuarterlyExportDialog(QDialog):
    """Chooses and writes a quarterly report; ``written(result)`` once the files exist."""

    written = Signal(object)
    approved = Signal(object)
    failed = Signal(object)

    def __init__(self, workspace: Workspace, text: UiText, station_id: str | None,
                 span: tuple[dt.date | None, dt.date | None] | None, folder: Path,
                 parent: QWidget | None = None, executor: ThreadPoolExecutor | None = None,
                 session: ReviewSession | None = None, approver: tuple[str, str] = ("", "")):
        """``span``: the incident dates when the window knows them already (read from the
        workspace otherwise). ``executor``: the window's thread for work on this workspace
        (its layers load lazily, so one thread reads them); the window shuts it down.
        ``session`` (review mode) and ``approver`` (name, role) allow approving."""
        super().__init__(parent)
        self.setObjectName("quarterly_export_dialog")
        self.workspace = workspace
        self.text = text
        self.session = session
        self.approver = approver
        self._jobs = QtJobRunner(self, executor)
        self._owns_jobs = executor is None
        self.setWindowTitle(text("quarterly_title"))

        self.station_combo = QComboBox(self)
        self.station_combo.setObjectName("quarterly_station")
        for choice in station_choices(workspace):
            self.station_combo.addItem(choice.label, choice.id)
        self.station_combo.setCurrentIndex(max(self.station_combo.findData(station_id), 0))
        self.quarter_combo = QComboBox(self)
        self.quarter_combo.setObjectName("quarterly_quarter")
        if span is None or None in span:
            span = incident_span(workspace)
        for quarter in quarters_in(*span) if span else []:
            self.quarter_combo.addItem(quarter.label_in(text.language), quarter)
        self.audience_combo = QComboBox(self)
        self.audience_combo.setObjectName("quarterly_audience")
        for audience in ("partner", "internal"):
            self.audience_combo.addItem(text(f"quarterly_audience_{audience}"), audience)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("quarterly_language")
        for language in LANGUAGES:
            self.language_combo.addItem(text(f"language_{language}"), language)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(text.language),
                                                0))
        self.format_boxes = {extension: QCheckBox(extension.upper(), self)
                             for extension in FORMATS}
        for extension, box in self.format_boxes.items():
            box.setObjectName(f"quarterly_format_{extension}")
            box.setChecked(extension in ("pdf", "xlsx"))
        self.folder_edit = QLineEdit(str(folder), self)
        self.folder_edit.setObjectName("quarterly_folder")
        browse = QPushButton(text("quarterly_browse"), self)
        self.message = QLabel(self)
        self.message.setObjectName("quarterly_message")
        self.message.setWordWrap(True)
        self.export_button = QPushButton(text("quarterly_export"), self)
        self.export_button.setObjectName("quarterly_export_button")
        self.export_button.setDefault(True)
        self.approve_button = QPushButton(text("quarterly_approve"), self)
        self.approve_button.setObjectName("quarterly_approve_button")
        self.approve_button.setVisible(session is not None)
        close = QPushButton(text("button_close"), self)

        formats = QHBoxLayout()
        for box in self.format_boxes.values():
            formats.addWidget(box)
        formats.addStretch(1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(text("quarterly_station"), self.station_combo)
        form.addRow(text("quarterly_quarter"), self.quarter_combo)
        form.addRow(text("quarterly_audience"), self.audience_combo)
        form.addRow(text("pref_language"), self.language_combo)
        form.addRow(text("quarterly_formats"), formats)
        form.addRow(text("quarterly_folder"), folder_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        browse.clicked.connect(self._browse)
        close.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        self.approve_button.clicked.connect(self.approve)
        for box in self.format_boxes.values():
            box.toggled.connect(self._update_controls)
        self.setMinimumWidth(520)
        if not self.quarter_combo.count():
            self.message.setText(text("quarterly_no_quarter"))
        elif session is not None and not approver[0]:
            self.message.setText(text("review_approve_needs_name"))
        self._update_controls()

    def formats(self) -> list[str]:
        return [extension for extension, box in self.format_boxes.items() if box.isChecked()]

    @Slot()
    def _update_controls(self) -> None:
        has_quarter = self.quarter_combo.count() > 0
        self.export_button.setEnabled(bool(self.formats()) and has_quarter)
        self.approve_button.setEnabled(self.session is not None and has_quarter
                                       and bool(self.approver[0]))

    @Slot()
    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.text("quarterly_folder"),
                                                  self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    @Slot()
    def export(self) -> None:
        quarter = self.quarter_combo.currentData()
        if quarter is None or not self.formats():
            return
        options = brief_options(self.workspace, self.audience_combo.currentData(),
                                self.language_combo.currentData())  # its own thresholds
        self.export_button.setEnabled(False)
        self.message.setText(self.text("quarterly_writing"))
        self._jobs.start(functools.partial(
            write_quarterly, self.workspace, self.station_combo.currentData(), quarter,
            options, self.formats(), Path(self.folder_edit.text().strip())),
            self._written, self._failed)

    @Slot()
    def approve(self) -> None:
        quarter = self.quarter_combo.currentData()
        if self.session is None or quarter is None or not self.approver[0]:
            return
        self.approve_button.setEnabled(False)
        self.message.setText(self.text("review_saving"))
        self._jobs.start(functools.partial(
            approve_quarter, self.session, self.station_combo.currentData(), quarter,
            *self.approver), self._approved, self._failed)

    @Slot(object)
    def _approved(self, approval: Approval) -> None:
        self._update_controls()
        name = approval.approver + (f" ({approval.role})" if approval.role else "")
        self.message.setText(self.text("quarterly_approved", name=name,
                                       time=self.text.date_time(approval.approved_at)))
        self.approved.emit(approval)

    @Slot(object)
    def _written(self, result: WrittenBrief) -> None:
        self._update_controls()
        self.message.setText(self.text("quarterly_written", files="\n".join(
            str(path) for path in result.paths.values())))
        self.written.emit(result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        """A known problem (no plan, no data for the quarter) is said in the dialog; an
        unexpected one goes to the error dialog through ``failed``."""
        self._update_controls()
        self.message.setText(self.text("quarterly_failed", message=error_message(
            error, self.text)))
        if not isinstance(error, PortraitError):
            self.failed.emit(error)

    def done(self, result: int) -> None:
        if self._owns_jobs:
            self._jobs.shut_down()
        super().done(result)
