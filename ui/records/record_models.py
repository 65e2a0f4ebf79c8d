"""Qt item models over the store's lists, and the filters the panels put in front of them.

The panels show records in sortable tables. ``RecordTableModel`` holds any list of items (a
record, a catalogue practice) and a list of ``Column``s that say how to write each cell;
``RecordFilterModel`` keeps the rows matching a text search (accents and case ignored) and
the chosen values of named filters (status, SARA stage, category...). The words come from the
panel's ``RecordText``, so a language switch only needs ``set_items`` again.
``ProgressTableModel`` shows the quarterly progress table of a priority
(``portrait.records.progress``) with a colour per status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from portrait.records import ProgressTable
from portrait.services import fold

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: Background of a progress cell by status (None: scheduled but not reported).
STATUS_COLOURS = {"not_started": "#eeeeee", "on_track": "#d9f2d9", "delayed": "#ffe3b3",
                  "done": "#c6e6ff", "abandoned": "#f4cccc", None: "#fafafa"}


@dataclass(frozen=True)
class Column:
    """A column: its header, how to write a cell, and (optionally) how to sort it."""

    header: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None


class RecordTableModel(QAbstractTableModel):
    """Rows of items (records or practices) under ``columns``; ``id_of`` gives each row's id
    (``record_id`` by default), kept in ``ID_ROLE`` for selection and navigation."""

    def __init__(self, columns: Sequence[Column], id_of: Callable[[Any], str] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._items: list[Any] = []
        self._id_of = id_of or (lambda item: item.record_id)

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def set_items(self, items: Iterable[Any]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[Any]:
        return list(self._items)

    def item(self, row: int) -> Any:
        return self._items[row]

    def id_of(self, item: Any) -> str:
        return self._id_of(item)

    def row_of(self, item_id: str) -> int:
        """The row of the item with id ``item_id``, or -1."""
        return next((row for row, item in enumerate(self._items)
                     if self._id_of(item) == item_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self._items[index.row()], self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(item)
        if role == ID_ROLE:
            return self._id_of(item)
        if role == SORT_ROLE:
            key = column.sort_key(item) if column.sort_key else column.text(item)
            return fold(key) if isinstance(key, str) else key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None


class RecordFilterModel(QSortFilterProxyModel):
    """Rows whose search text holds every word typed, and whose named values match the
    chosen filters.

    ``search`` gives an item's searchable text; ``filters`` maps a filter name to a function
    giving the item's value(s) for it (a value or a collection: the row matches when the
    chosen value is among them).
    """

    def __init__(self, search: Callable[[Any], str],
                 filters: dict[str, Callable[[Any], Any]] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._search = search
        self._getters = dict(filters or {})
        self._words: list[str] = []
        self._chosen: dict[str, Any] = {}
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self._words = fold(text).split()
        self._filter_changed()

    def set_filter(self, name: str, value: Any) -> None:
        """Keep rows whose ``name`` value is ``value`` (None: no filter on ``name``)."""
        if value is None:
            self._chosen.pop(name, None)
        else:
            self._chosen[name] = value
        self._filter_changed()

    def _filter_changed(self) -> None:
        """Filter the rows again (``invalidateFilter`` is deprecated from Qt 6.10, whose
        ``beginFilterChange`` / ``endFilterChange`` older versions lack)."""
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, RecordTableModel):
            return True
        item = model.item(source_row)
        if self._words:
            haystack = fold(self._search(item))
            if not all(word in haystack for word in self._words):
                return False
        for name, wanted in self._chosen.items():
            value = self._getters[name](item)
            values = value if isinstance(value, list | tuple | set | frozenset) else (value,)
            if wanted not in values:
                return False
        return True


class ProgressTableModel(QAbstractTableModel):
    """The quarterly progress table of one priority: the text of ``ProgressTable.to_frame``
    in the panel's language, a colour per status and the narrative as tooltip."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._table: ProgressTable | None = None
        self._frame: Any = None
        self._fixed = 0

    def set_table(self, table: ProgressTable | None, language: str) -> None:
        self.beginResetModel()
        self._table = table
        self._frame = table.to_frame(language) if table is not None else None
        self._fixed = 0 if self._frame is None else len(self._frame.columns) - len(
            table.quarters)
        self.endResetModel()

    def table(self) -> ProgressTable | None:
        return self._table

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._frame is None else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._frame is None else len(self._frame.columns)

    def cell(self, row: int, column: int) -> str:
        return str(self._frame.iat[row, column])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._frame is None or self._table is None:
            return None
        row, column = index.row(), index.column()
        quarter = self._quarter(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if quarter is None:
            return None
        cell = self._table.rows[row]["quarters"][quarter]
        if role == Qt.ItemDataRole.BackgroundRole and cell["scheduled"]:
            return QBrush(QColor(STATUS_COLOURS.get(cell["status"], "#ffffff")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell["narrative"] or self.cell(row, column)
        return None

    def _quarter(self, column: int) -> str | None:
        if self._table is None or column < self._fixed:
            return None
        return self._table.quarters[column - self._fixed]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self._frame is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self._frame.columns[section])
        return None
