"""Asking the officer before an import the importer refused (``ImportRefused``) is applied.

The importer refuses, without touching the workspace, an import that keeps no row, replaces
a source's rows by far fewer, or puts rows outside every station. Such a file is sometimes
what the officer means (a source that really shrank, a partner's data from next door), so the
wizard and the Data sources dialog say what was found, in the officer's language, and retry
with the confirming option when asked to.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from data_connectors.import_safety import (
    MARGIN_M,
    NO_ROWS,
    OUTSIDE_AREA,
    OUTSIDE_STATIONS,
    ImportRefused,
)
from data_connectors.report_messages import in_language
from ui.strings import UiText


def refusal_text(error: ImportRefused, text: UiText) -> str:
    """What the importer found, as sentences of the catalogue."""
    facts, name, number = error.facts, Path(error.path).name, text.number
    if error.reason == OUTSIDE_STATIONS:
        return text("import_refused_outside", outside=number(facts.outside),
                    located=number(facts.located), name=name, margin=number(MARGIN_M // 1000),
                    file_extent=_extent(facts.file_extent, text),
                    station_extent=_extent(facts.station_extent, text))
    if error.reason == OUTSIDE_AREA:
        west, south, east, north = (number(round(v, 3)) for v in facts.raw_extent or (0,) * 4)
        return text("import_refused_outside_area", outside=number(facts.outside),
                    located=number(facts.located), name=name, west=west, east=east,
                    south=south, north=north)
    if error.reason == NO_ROWS:
        parts = [text("import_refused_no_rows", read=number(facts.read), name=name)]
        if facts.replaced:
            parts.append(text("import_refused_would_delete", replaced=number(facts.replaced)))
    else:
        parts = [text("import_refused_fewer_rows", kept=number(facts.kept), name=name,
                      replaced=number(facts.replaced))]
    if facts.main_drop is not None:
        reason, count = facts.main_drop
        parts.append(text("import_refused_main_drop", reason=in_language(reason, text.language),
                          count=number(count)))
    if facts.example is not None:
        problem = in_language(str(facts.example.get("problem", "")), text.language)
        parts.append(text("import_refused_example", **{**facts.example, "problem": problem}))
    return " ".join(parts)


def _extent(extent: tuple[float, float, float, float] | None, text: UiText) -> str:
    if extent is None:
        return "—"
    west, south, east, north = (text.locale().toString(value, "f", 3) for value in extent)
    return text("import_refused_extent", west=west, east=east, south=south, north=north)


class ImportConfirmationDialog(QDialog):
    """The refusal, "The workspace was not changed. Import anyway?", and two buttons.

    Accepted means: import again with ``error.option`` set.
    """

    def __init__(self, error: ImportRefused, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_confirmation")
        self.setWindowTitle(text("import_refused_title"))
        self.error = error
        self.message_label = QLabel(
            f"{refusal_text(error, text)}\n\n{text('import_refused_question')}", self)
        self.message_label.setObjectName("confirmation_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_button = QPushButton(text("button_import_anyway"), self)
        self.confirm_button.setObjectName("confirm_button")
        self.cancel_button = QPushButton(text("button_cancel"), self)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setDefault(True)  # keeping the workspace as it is is the safe choice
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.confirm_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.setMinimumWidth(520)

    def message(self) -> str:
        return self.message_label.text()
