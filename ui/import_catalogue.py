"""The import wizard's indicator-catalogue choice, shown for census and indicator tables.

The same two options as ``portrait import --catalogue FILE --unknown-indicators index``: a
catalogue file that says what the table's indicators mean (``docs/indicators.md``), and, for
the indicator-table reader, whether indicators the catalogue does not know are imported as
indices of unknown direction rather than refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from data_connectors.base import Connector
from data_connectors.catalogue_import import KIND, OPTION
from data_connectors.indicator_table import IndicatorTableReader
from ui.strings import UiText


class CatalogueChoiceWidget(QWidget):
    """A catalogue file (optional) and the unknown-indicator choice, for one reader."""

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("catalogue_edit")
        self.path_edit.setPlaceholderText(text("import_catalogue_placeholder"))
        browse = QPushButton(text("button_browse"), self)
        browse.setObjectName("catalogue_browse_button")
        self.unknown_box = QCheckBox(text("import_unknown_as_index"), self)
        self.unknown_box.setObjectName("unknown_as_index_box")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.unknown_box)
        browse.clicked.connect(self._browse)

    def show_for(self, reader: Connector | None) -> bool:
        """Show the choice when ``reader`` reads census values; whether it is shown."""
        shown = reader is not None and reader.kind == KIND
        self.setVisible(shown)
        self.unknown_box.setVisible(shown and reader.id == IndicatorTableReader.id)
        return shown

    def options(self) -> dict[str, Any]:
        """The importer options chosen (none when the choice is hidden or left empty)."""
        if self.isHidden():
            return {}
        chosen: dict[str, Any] = {}
        if self.path_edit.text().strip():
            chosen[OPTION] = self.path_edit.text().strip()
        if not self.unknown_box.isHidden() and self.unknown_box.isChecked():
            chosen["unknown_indicators"] = "index"
        return chosen

    def _browse(self) -> None:
        current = Path(self.path_edit.text().strip()) if self.path_edit.text().strip() else None
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.text("import_catalogue_title"),
            str(current.parent) if current else "", self.text("import_catalogue_filter"))
        if chosen:
            self.path_edit.setText(chosen)
