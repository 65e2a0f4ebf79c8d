"""The building blocks of a portrait page: key-figure cards, tables and charts.

Widgets only show what the portrait holds, written by ``ui.figure_text``; the numbers, their
intervals and tests all come computed. Charts are in ``ui.chart_widget``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from portrait.portrait_model import IndicatorValue
from portrait.services import fold
from ui.figure_text import FigureText
from ui.info_popup import InfoPopupWidget, show_figure_info, show_info

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CARD_WIDTH = 230
CARD_STYLE = ("#figure_card { background: #ffffff; border: 1px solid #d3d7de; "
              "border-radius: 6px; }")
TABLE_MAX_ROWS = 14


def info_button(tip: str, parent: QWidget) -> QToolButton:
    """The small (i) button that opens a figure's definition, source and period."""
    button = QToolButton(parent)
    button.setObjectName("info_button")
    button.setIcon(parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation))
    button.setIconSize(QSize(16, 16))
    button.setAutoRaise(True)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class KeyFigureCardWidget(QFrame):
    """One figure: its label, the number with its unit, its interval or test in words, the
    city comparison, and an info button."""

    def __init__(self, item: IndicatorValue, fmt: FigureText, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.fmt = fmt
        self.popup: InfoPopupWidget | None = None
        self.setObjectName("figure_card")
        self.setProperty("figure_id", item.id)
        self.setStyleSheet(CARD_STYLE)
        self.title_label = QLabel(fmt.label(item), self)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("color: #333; font-weight: 600;")
        self.value_label = QLabel(fmt.headline(item), self)
        self.value_label.setObjectName("figure_value")
        self.value_label.setStyleSheet("font-size: 20px; font-weight: 700; color: #14365d;")
        unit = "" if item.value is None or item.unit in ("%", "$", "p", "gi_bin") \
            else fmt.unit(item.unit, item.value)
        self.unit_label = QLabel(unit, self)
        self.unit_label.setWordWrap(True)
        self.unit_label.setStyleSheet("color: #555;")
        self.details_label = QLabel("\n".join(fmt.details(item)), self)
        self.details_label.setObjectName("figure_details")
        self.details_label.setWordWrap(True)
        self.details_label.setStyleSheet("color: #444; font-size: 11px;")
        self.info_button = info_button(fmt.text("info_tip"), self)
        self.info_button.clicked.connect(self.open_info)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.info_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 8, 8)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.value_label)
        layout.addWidget(self.unit_label)
        layout.addWidget(self.details_label)
        layout.addStretch(1)
        self.unit_label.setVisible(bool(unit))
        self.details_label.setVisible(bool(self.details_label.text()))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    @Slot()
    def open_info(self) -> InfoPopupWidget:
        self.popup = show_figure_info(self.item, self.fmt, self.info_button)
        return self.popup


class FigureGridWidget(QWidget):
    """Cards in as many columns as the width allows (re-laid out when resized)."""

    def __init__(self, cards: Sequence[QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self.cards = list(cards)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._columns = 0
        for card in self.cards:
            card.setParent(self)
        self._relayout(3)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._relayout(max(1, self.width() // CARD_WIDTH))
        self._fit_heights()

    def _fit_heights(self) -> None:
        """Give each card the height its wrapped text needs at the column's width: the page
        scrolls instead of cutting a card's lines."""
        spacing = self._grid.horizontalSpacing()
        width = (self.width() - spacing * (self._columns - 1)) // max(self._columns, 1)
        for card in self.cards:
            needed = card.heightForWidth(width)
            if needed > 0 and needed != card.minimumHeight():
                card.setMinimumHeight(needed)

    def _relayout(self, columns: int) -> None:
        if columns == self._columns:
            return
        for card in self.cards:
            self._grid.removeWidget(card)
        for number, card in enumerate(self.cards):
            self._grid.addWidget(card, number // columns, number % columns)
        for column in range(max(columns, self._columns)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns


# --- tables ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """A table cell: its text, how it sorts, its tooltip, whether it is a number, and
    whether it stands out (the officer's own station in a comparison)."""

    text: str
    sort: Any = None
    tip: str = ""
    number: bool = False
    strong: bool = False


class FigureTableModel(QStandardItemModel):
    """Rows of ``Cell``s under ``headers``; ``payloads`` (one per row) say what a row is
    about (an ``IndicatorValue`` opens its info popup on double-click).

    The cells are handed to Qt once, as items: a Python model answers each of Qt's size and
    paint questions (thousands per page) through the interpreter, and while a portrait or a
    map is built on another thread every answer waits for the interpreter lock, which froze
    the window for a third of a second at each station switch.
    """

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                 payloads: Sequence[Any] | None = None, parent: QWidget | None = None):
        super().__init__(len(rows), len(headers), parent)
        self.headers = list(headers)
        self.rows = [list(row) for row in rows]
        self.payloads = list(payloads) if payloads is not None else [None] * len(self.rows)
        self.setHorizontalHeaderLabels(self.headers)
        for number, row in enumerate(self.rows):
            for column, cell in enumerate(row):
                self.setItem(number, column, _item(cell))


def _item(cell: Cell) -> QStandardItem:
    """Numbers sort as numbers, text without regard to case and accents ("École" with the
    e's, not after "z"), a missing number last (Qt puts cells without a sort value last)."""
    item = QStandardItem(cell.text)
    item.setEditable(False)
    if cell.tip:
        item.setToolTip(cell.tip)
    sort = cell.sort if cell.sort is not None else (None if cell.number else fold(cell.text))
    if isinstance(sort, int | float) and not isinstance(sort, bool):
        sort = float(sort)  # Qt compares an int with a float as two ints
    if sort is not None:
        item.setData(sort, SORT_ROLE)
    if cell.number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if cell.strong:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


class FigureTableWidget(QTableView):
    """A sortable, read-only table as tall as its rows (up to ``TABLE_MAX_ROWS``), so a page
    scrolls as a whole instead of nesting scroll bars."""

    payloadActivated = Signal(object)

    def __init__(self, model: FigureTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figure_table")
        self.source_model = model
        model.setParent(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSortRole(SORT_ROLE)
        proxy.setSourceModel(model)
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        rows = min(model.rowCount(), TABLE_MAX_ROWS)
        height = header.sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        scroll_bar = self.horizontalScrollBar().sizeHint().height()  # wide tables on narrow
        self.setFixedHeight(height + scroll_bar + 2 * self.frameWidth() + 2)  # windows
        self.doubleClicked.connect(self._activated)

    def payload(self, row: int) -> Any:
        source = self.model().mapToSource(self.model().index(row, 0))
        return self.source_model.payloads[source.row()]

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        payload = self.payload(index.row())
        if payload is not None:
            self.payloadActivated.emit(payload)


# --- blocks and charts -----------------------------------------------------------------------
class TitledBlockWidget(QWidget):
    """A table or chart under its title, with an info button when there is something to say
    about where it comes from."""

    def __init__(self, title: str, content: QWidget, fmt: FigureText,
                 info: IndicatorValue | list[tuple[str, str]] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.fmt = fmt
        self.info = info
        self.content = content
        self.title_label = QLabel(title, self)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: 600; color: #222;")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label, 1)
        self.info_button = None
        if info:
            self.info_button = info_button(fmt.text("info_tip"), self)
            self.info_button.clicked.connect(self.open_info)
            top.addWidget(self.info_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addLayout(top)
        content.setParent(self)
        layout.addWidget(content)
        if isinstance(content, FigureTableWidget):
            content.payloadActivated.connect(self._open_row_info)

    @Slot()
    def open_info(self) -> InfoPopupWidget | None:
        if isinstance(self.info, IndicatorValue):
            return show_figure_info(self.info, self.fmt, self.info_button)
        if self.info:
            return show_info(self.title_label.text(), self.info, self.info_button)
        return None

    @Slot(object)
    def _open_row_info(self, payload: object) -> None:
        if isinstance(payload, IndicatorValue):
            show_figure_info(payload, self.fmt, self.content)
