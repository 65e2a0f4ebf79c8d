"""What the record forms share: Save / Cancel (Close in review mode) under the fields with the
form's error line, review mode (fields readable, nothing editable), checking the fields
before building the record, and the editable tables with Add / Remove under them (contacts,
follow-ups, indicators).

A record is built from ``values()`` only once the fields pass ``validate()``; the record's
own checks (``PortraitError``) then speak on the form's error line, never as a crash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from portrait.errors import PortraitError
from ui.records.strings import RecordText
from ui.records.widgets import error_label, make_read_only, set_error


class RecordDialog(QDialog):
    """Base of the record forms. Subclasses set ``text``, ``original`` (None for a new
    record), ``read_only``, ``field_errors`` and ``RECORD_TYPE``, build their fields, then
    call ``_finish``."""

    #: The record class ``values()`` makes (``dataclasses.replace`` of ``original`` when
    #: editing).
    RECORD_TYPE: ClassVar[type]
    text: RecordText
    original: Any
    read_only: bool
    #: The error label under each checked field, by field name.
    field_errors: dict[str, QLabel]

    def _finish(self, text: RecordText, read_only: bool, content: QFormLayout | QVBoxLayout,
                ok_name: str = "") -> None:
        """Put the error line and Save / Cancel under ``content`` (a form, kept at the top,
        or the dialog's own layout) and lock the fields in review mode."""
        self._record: Any = None
        self.form_error = error_label(self, "form")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(text("button_save_record"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        if ok_name:
            self.ok_button.setObjectName(ok_name)
        self.buttons.addButton(text("button_close" if read_only else "button_cancel"),
                               QDialogButtonBox.ButtonRole.RejectRole)
        if isinstance(content, QFormLayout):
            layout = QVBoxLayout(self)
            layout.addLayout(content)
            layout.addStretch(1)
        else:
            layout = content
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        if read_only:
            make_read_only(self, keep=(self.buttons,))
            self.ok_button.setVisible(False)

    def values(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def validate(self) -> dict[str, str]:
        """What must be fixed, by field (shown under the fields); empty when all is well."""
        return {}

    def _show_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Each field's error under it (``field_errors``) and "fix the fields" on the form's
        line."""
        for field, label in self.field_errors.items():
            set_error(label, errors.get(field, ""))
        set_error(self.form_error, self.text("error_fix_fields") if errors else "")
        return errors

    def error_text(self, field: str) -> str:
        """The error shown for ``field`` or "form" ("" when none is shown)."""
        label = self.form_error if field == "form" else self.field_errors[field]
        return label.text() if label.isVisibleTo(self) else ""

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only or self.validate():
            return False
        try:
            values = self.values()
            self._record = self.RECORD_TYPE(**values) if self.original is None else \
                dataclasses.replace(self.original, **values)
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> Any:
        """The checked record once the form is accepted (None before)."""
        return self._record


class RowsTableWidget(QWidget):
    """An editable table with Add / Remove buttons under it; subclasses fill a row from a
    record (``add_row``) and read the rows back."""

    def __init__(self, text: RecordText, headers: Sequence[str], name: str,
                 buttons: tuple[str, str, str], min_height: int,
                 parent: QWidget | None = None):
        """``buttons``: the Add button's text key and the object names of Add and Remove."""
        super().__init__(parent)
        self.text = text
        add_key, add_name, remove_name = buttons
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName(name)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(min_height)
        self.add_button = QPushButton(text(add_key), self)
        self.add_button.setObjectName(add_name)
        self.remove_button = QPushButton(text("button_remove_row"), self)
        self.remove_button.setObjectName(remove_name)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.rows_layout = QVBoxLayout(self)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addWidget(self.table, 1)
        self.rows_layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._remove_row)

    def add_row(self, item: Any = None) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_rows(self, items: Iterable[Any]) -> None:
        """One row per item, in place of the rows shown."""
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)

    def set_cell(self, row: int, column: int, value: str) -> None:
        self.table.item(row, column).setText(value)

    @Slot()
    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""
