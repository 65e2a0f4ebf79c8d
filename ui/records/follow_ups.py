"""The follow-ups of a consultation as an editable table: what, who owns it, by when, status.

Due dates are typed as 2026-05-31 (or left empty); ``problem`` says, in the officer's
language, which row needs fixing before the consultation can be saved.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QTableWidgetItem,
    QWidget,
)

from portrait.records import FollowUp
from portrait.records.consultations import FOLLOW_UP_STATUSES
from ui.records.form_base import RowsTableWidget
from ui.records.strings import RecordText
from ui.records.widgets import choice_combo, set_combo

DESCRIPTION, OWNER, DUE, STATUS = range(4)


class FollowUpsWidget(RowsTableWidget):
    """Rows of follow-ups with Add / Remove buttons; ids of existing ones are kept."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(text, [text("col_follow_up"), text("col_owner"), text("col_due"),
                                text("col_status")], "follow_ups_table",
                         ("button_add_follow_up", "add_follow_up", "remove_follow_up"), 140,
                         parent)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(OWNER, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(DUE, 100)

    def add_row(self, follow_up: FollowUp | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        description = QTableWidgetItem(follow_up.description if follow_up else "")
        description.setData(Qt.ItemDataRole.UserRole,
                            follow_up.follow_up_id if follow_up else None)
        self.table.setItem(row, DESCRIPTION, description)
        self.table.setItem(row, OWNER, QTableWidgetItem(follow_up.owner if follow_up else ""))
        due = follow_up.due.isoformat() if follow_up and follow_up.due else ""
        due_item = QTableWidgetItem(due)
        due_item.setToolTip(self.text("due_tip"))
        self.table.setItem(row, DUE, due_item)
        combo = choice_combo(self.table, "", self.text, "follow_up", FOLLOW_UP_STATUSES)
        set_combo(combo, follow_up.status if follow_up else "open")
        self.table.setCellWidget(row, STATUS, combo)
        return row

    def _filled_rows(self) -> list[int]:
        return [row for row in range(self.table.rowCount())
                if any(self._cell(row, c) for c in (DESCRIPTION, OWNER, DUE))]

    def problem(self, consultation_date: dt.date) -> str:
        """What must be fixed, row by row (empty when every row can be saved)."""
        for row in self._filled_rows():
            number = row + 1
            if not self._cell(row, DESCRIPTION):
                return self.text("error_follow_up_description", row=number)
            due = self._cell(row, DUE)
            if due:
                try:
                    day = dt.date.fromisoformat(due)
                except ValueError:
                    return self.text("error_follow_up_due", row=number)
                if day < consultation_date:
                    return self.text("error_follow_up_before", row=number)
        return ""

    def follow_ups(self) -> tuple[FollowUp, ...]:
        """The rows as follow-ups (call ``problem`` first; empty rows are skipped)."""
        items = []
        for row in self._filled_rows():
            due = self._cell(row, DUE)
            combo = self.table.cellWidget(row, STATUS)
            values = {"description": self._cell(row, DESCRIPTION),
                      "owner": self._cell(row, OWNER),
                      "due": dt.date.fromisoformat(due) if due else None,
                      "status": combo.currentData() if isinstance(combo, QComboBox) else "open"}
            existing = self.table.item(row, DESCRIPTION).data(Qt.ItemDataRole.UserRole)
            if existing:
                values["follow_up_id"] = existing
            items.append(FollowUp(**values))
        return tuple(items)
