"""A filtered, sortable list of records: a search box, filter choices and a table.

Every panel lists records the same way, so an officer learns it once: type words to search
(accents and case ignored), narrow with the drop-down filters ("Tous" shows everything),
sort by clicking a column, open with a double-click or Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.records.flow_layout import button_row
from ui.records.record_models import ID_ROLE, Column, RecordFilterModel, RecordTableModel
from ui.records.strings import RecordText


class RecordListWidget(QWidget):
    """``current_changed(id)`` when the selection moves ("" for none), ``activated(id)`` on
    double-click or Enter. ``filters`` maps a filter name to the function giving an item's
    value for it; ``set_filter_choices`` fills the drop-down of each."""

    current_changed = Signal(str)
    activated = Signal(str)

    def __init__(self, text: RecordText, columns: Sequence[Column],
                 search: Callable[[Any], str],
                 filters: dict[str, Callable[[Any], Any]] | None = None,
                 id_of: Callable[[Any], str] | None = None, name: str = "records",
                 sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{name}_list")
        self.text = text
        self.model = RecordTableModel(columns, id_of, self)
        self.proxy = RecordFilterModel(search, filters, self)
        self.proxy.setSourceModel(self.model)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName(f"{name}_search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_caption = QLabel(self)
        self.search_caption.setBuddy(self.search_edit)
        self.combos: dict[str, QComboBox] = {}
        self.captions: dict[str, QLabel] = {}
        search_row = QHBoxLayout()
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.addWidget(self.search_caption)
        search_row.addWidget(self.search_edit, 1)
        pairs = []  # each caption with its drop-down, wrapping as a pair in a narrow panel
        for key in filters or {}:
            caption, combo = QLabel(self), QComboBox(self)
            combo.setObjectName(f"{name}_filter_{key}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            caption.setBuddy(combo)
            pair = QWidget(self)
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.addWidget(caption)
            pair_layout.addWidget(combo)
            pairs.append(pair)
            self.combos[key], self.captions[key] = combo, caption
            combo.currentIndexChanged.connect(self._filter_chosen)
        self.view = QTableView(self)
        self.view.setObjectName(f"{name}_table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(*sort)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{name}_count")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        if filters:
            layout.addWidget(button_row(*pairs))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._search_changed)
        # The selection, not the current row: a mouse press moves the current row first and
        # selects it afterwards, so the detail pane would look up a row not yet selected.
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.activated.connect(self._activated)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)

    # --- content ----------------------------------------------------------------------------
    def retranslate(self, text: RecordText, columns: Sequence[Column],
                    captions: dict[str, str]) -> None:
        self.text = text
        self.search_caption.setText(text("filter_search"))
        self.search_edit.setPlaceholderText(text("filter_search_placeholder"))
        for key, caption in captions.items():
            self.captions[key].setText(caption)
        current = self.current_id()
        self.model.set_columns(columns)
        self._resize()
        if current:
            self.select(current)
        self._count()

    def set_filter_choices(self, key: str, choices: Iterable[tuple[Any, str]]) -> None:
        """Choices of a filter: (value, label) after "Tous" (no filter); the choice made is
        kept when it is still offered."""
        combo = self.combos[key]
        previous = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.text("filter_all"), None)
        for value, label in choices:
            combo.addItem(label, value)
        index = combo.findData(previous) if previous is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self.proxy.set_filter(key, combo.currentData())

    def set_items(self, items: Iterable[Any]) -> None:
        """Show ``items``, keeping the selected one selected when it is still there."""
        current = self.current_id()
        self.model.set_items(items)
        self._resize()
        if current and not self.select(current, clear_filters=False):
            self.current_changed.emit("")
        self._count()

    def items(self) -> list[Any]:
        return self.model.items()

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]

    # --- selection ---------------------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        return index.data(ID_ROLE)

    def current_item(self) -> Any:
        item_id = self.current_id()
        row = self.model.row_of(item_id) if item_id else -1
        return self.model.item(row) if row >= 0 else None

    def select(self, item_id: str, clear_filters: bool = True) -> bool:
        """Select the item ``item_id``; filters hiding it are cleared first."""
        source_row = self.model.row_of(item_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            if not clear_filters:
                return False
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def clear_filters(self) -> None:
        self.search_edit.clear()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)

    # --- slots -------------------------------------------------------------------------------
    @Slot(str)
    def _search_changed(self, value: str) -> None:
        self.proxy.set_text(value)

    @Slot(int)
    def _filter_chosen(self, _index: int) -> None:
        for key, combo in self.combos.items():
            self.proxy.set_filter(key, combo.currentData())

    @Slot()
    def _selection_changed(self) -> None:
        self.current_changed.emit(self.current_id() or "")

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(index.data(ID_ROLE))

    @Slot()
    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self.text("list_count", shown=shown, total=total))

    def _resize(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column) + 12, 320))
