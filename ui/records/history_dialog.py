"""Who changed what, and when: a record's history as a table.

An officer taking over a file, or a commander reviewing it, reads how a problem card
evolved. The rows come from ``portrait.records.history_rows`` (newest first here); field
names are shown in words, times in the local format of the chosen language.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portrait.records import Record, history_rows
from ui.records.strings import RecordText


class HistoryDialog(QDialog):
    """The history of one record, with who created it and when."""

    def __init__(self, record: Record, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history_dialog")
        self.setWindowTitle(text("history_title", name=text.name_of(record)))
        self.rows = list(reversed(history_rows(record)))
        created = QLabel(text("history_created", by=record.created_by,
                              at=text.date_time(record.created_at)), self)
        created.setObjectName("history_created")
        self.table = QTableWidget(len(self.rows), 5, self)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels([text("history_at"), text("history_by"),
                                              text("history_field"), text("history_old"),
                                              text("history_new")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for row, change in enumerate(self.rows):
            values = (text.date_time(change["at"]), change["by"],
                      text.field_label(change["field"]), change["old"], change["new"])
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        empty = QLabel(text("history_empty"), self)
        empty.setVisible(not self.rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(text("button_close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(created)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)
