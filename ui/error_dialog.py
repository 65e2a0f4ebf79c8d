"""Errors shown as sentences, with the technical details one click away and easy to copy.

A ``PortraitError`` already says what went wrong in words an officer can act on (the file,
the row, the column): that message is the dialog. Anything else is a bug: the dialog says
"Unexpected error", logs the traceback and puts it in the details, so the officer can copy it
into a message to whoever supports the application. Never a bare traceback window, and the
dialog opens without blocking (``open``), so a background job can keep reporting.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from data_connectors.base import ReaderError
from data_connectors.report_messages import reader_error_text
from portrait import __version__
from portrait.errors import PortraitError
from ui.strings import UiText

log = logging.getLogger(__name__)


def error_message(error: BaseException, text: UiText) -> str:
    """The sentence to show: the error's own message when it is a known problem (a reader's,
    in the window's language)."""
    if isinstance(error, ReaderError):
        return reader_error_text(error, text.language)
    if isinstance(error, PortraitError):
        return str(error)
    return text("unexpected_error", kind=type(error).__name__)


def error_details(error: BaseException) -> str:
    """What support needs: the error's type, its file/row/column if known, the traceback."""
    lines = [f"Portrait de quartier {__version__}", f"{type(error).__name__}: {error}"]
    for name in ("path", "row", "column", "expected"):
        value = getattr(error, name, None)
        if value is not None:
            lines.append(f"{name}: {value}")
    if not isinstance(error, PortraitError) or error.__cause__ is not None:
        lines.append("")
        lines.extend(traceback.format_exception(error))
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorDialog(QDialog):
    """A message, a "Details" section to unfold, a Copy button and a Close button."""

    def __init__(self, title: str, message: str, details: str, text: UiText,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error_dialog")
        self.setWindowTitle(title)
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        self.message_label = QLabel(message, self)
        self.message_label.setObjectName("error_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_edit = QPlainTextEdit(details, self)
        self.details_edit.setObjectName("error_details")
        self.details_edit.setReadOnly(True)
        self.details_edit.setVisible(False)
        self.details_edit.setMinimumHeight(180)
        self.details_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_button = QPushButton(text("button_details"), self)
        self.details_button.setCheckable(True)
        self.details_button.setObjectName("details_button")
        self.copy_button = QPushButton(text("button_copy"), self)
        self.copy_button.setObjectName("copy_button")
        close_button = QPushButton(text("button_close"), self)
        close_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.message_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_edit, 1)
        layout.addLayout(buttons)

        self.details_button.toggled.connect(self._show_details)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        close_button.clicked.connect(self.accept)
        self.setMinimumWidth(560)

    def message(self) -> str:
        return self.message_label.text()

    def details(self) -> str:
        return self.details_edit.toPlainText()

    @Slot()
    def copy_to_clipboard(self) -> None:
        """The message and the details together: what a support request needs."""
        QGuiApplication.clipboard().setText(f"{self.message()}\n\n{self.details()}")

    @Slot(bool)
    def _show_details(self, shown: bool) -> None:
        self.details_edit.setVisible(shown)
        self.adjustSize()


def show_error(parent: QWidget, title: str, error: BaseException, text: UiText) -> ErrorDialog:
    """Open (without blocking) the dialog for ``error``; unexpected errors are logged."""
    if not isinstance(error, PortraitError):
        log.error("Unexpected error shown to the user: %s", error, exc_info=error)
    dialog = ErrorDialog(title, error_message(error, text), error_details(error), text, parent)
    dialog.setModal(True)
    dialog.open()
    return dialog
