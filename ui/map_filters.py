"""Which incidents the map draws: common categories and issue tags, ticked in two short lists.

The lists hold what the workspace's incidents actually carry (a category no incident has
would only draw an empty map; ``exports.map_portrait_layers.incident_filter_choices``).
Every category is ticked at first (no filter); no tag is ticked (no filter). Ticking several
boxes in a row redraws the map once, a moment after the last one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from exports.map_portrait_layers import incident_filter_choices
from portrait.categories import BY_ID, ISSUE_TAGS
from portrait.workspace import Workspace
from ui.strings import UiText

#: Quiet time after the last tick before the map is redrawn.
SETTLE_MS = 350


class MapFilters(QWidget):
    """Two drop-down checklists; ``changed`` fires once the officer stops ticking."""

    changed = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.category_list = self._checklist("map_category_list")
        self.tag_list = self._checklist("map_tag_list")
        self.category_button = self._drop_down(self.category_list, "map_categories_button")
        self.tag_button = self._drop_down(self.tag_list, "map_tags_button")
        self.reset_button = QToolButton(self)
        self.reset_button.setObjectName("map_filters_reset")
        self.reset_button.clicked.connect(self.reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.category_button)
        layout.addWidget(self.tag_button)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self.retranslate(text)

    # --- what is chosen -------------------------------------------------------------------
    def categories(self) -> tuple[str, ...] | None:
        """The ticked categories, or None when all are (then unmapped incidents show too)."""
        ticked = _ticked(self.category_list)
        return None if len(ticked) == self.category_list.count() else ticked

    def tags(self) -> tuple[str, ...] | None:
        """The ticked issue tags, or None when none is (no filter)."""
        return _ticked(self.tag_list) or None

    def set_choice(self, categories: tuple[str, ...] | None,
                   tags: tuple[str, ...] | None) -> None:
        """Tick exactly these (None: every category, no tag) and redraw the map soon."""
        _tick(self.category_list, categories)
        _tick(self.tag_list, tags or ())
        self._refresh_captions()
        self._settle.start()

    @Slot()
    def reset(self) -> None:
        self.set_choice(None, None)

    # --- filling --------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        """List what the workspace's incidents carry, keeping the officer's ticks."""
        categories, tags = incident_filter_choices(workspace)
        unticked = set(_ids(self.category_list)) - set(_ticked(self.category_list))
        _fill(self.category_list, categories, self._category_label, unticked, default=True)
        _fill(self.tag_list, tags, self._tag_label, set(_ticked(self.tag_list)),
              default=False)
        self._refresh_captions()

    def retranslate(self, text: UiText) -> None:
        self.text = text
        for checklist, label in ((self.category_list, self._category_label),
                                 (self.tag_list, self._tag_label)):
            for row in range(checklist.count()):
                item = checklist.item(row)
                item.setText(label(item.data(Qt.ItemDataRole.UserRole)))
        self.category_button.setToolTip(text("map_filter_categories_tip"))
        self.tag_button.setToolTip(text("map_filter_tags_tip"))
        self.reset_button.setText(text("map_filter_reset"))
        self._refresh_captions()

    # --- inside ---------------------------------------------------------------------------
    def _checklist(self, name: str) -> QListWidget:
        checklist = QListWidget(self)
        checklist.setObjectName(name)
        checklist.itemChanged.connect(self._ticked_by_hand)
        return checklist

    def _drop_down(self, checklist: QListWidget, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(checklist)
        menu.addAction(holder)
        button.setMenu(menu)
        return button

    @Slot(QListWidgetItem)
    def _ticked_by_hand(self, _item: QListWidgetItem) -> None:
        self._refresh_captions()
        self._settle.start()

    def _refresh_captions(self) -> None:
        text = self.text
        ticked, total = len(_ticked(self.category_list)), self.category_list.count()
        shown = (text("map_filter_all") if ticked == total else
                 text("map_filter_none") if ticked == 0 else
                 text("map_filter_some", count=ticked, total=total))
        self.category_button.setText(text("map_filter_categories", shown=shown))
        tags = _ticked(self.tag_list)
        shown = ", ".join(self._tag_label(t) for t in tags) if tags else text("map_filter_any")
        self.tag_button.setText(text("map_filter_tags", shown=shown))
        fitted = max(self.category_list.sizeHintForColumn(0), 160) + 32
        for checklist in (self.category_list, self.tag_list):
            checklist.setMinimumWidth(fitted)
            checklist.setMinimumHeight(min(checklist.count(), 14) * 22 + 8)

    def _category_label(self, category_id: str) -> str:
        found = BY_ID.get(category_id)
        return found.label(self.text.language) if found else category_id

    def _tag_label(self, tag: str) -> str:
        labels = ISSUE_TAGS.get(tag)
        return labels[0 if self.text.language == "fr" else 1] if labels else tag


def _ids(checklist: QListWidget) -> list[str]:
    return [checklist.item(row).data(Qt.ItemDataRole.UserRole) for row in
            range(checklist.count())]


def _ticked(checklist: QListWidget) -> tuple[str, ...]:
    return tuple(checklist.item(row).data(Qt.ItemDataRole.UserRole)
                 for row in range(checklist.count())
                 if checklist.item(row).checkState() == Qt.CheckState.Checked)


def _tick(checklist: QListWidget, ids: tuple[str, ...] | None) -> None:
    checklist.blockSignals(True)
    for row in range(checklist.count()):
        item = checklist.item(row)
        chosen = ids is None or item.data(Qt.ItemDataRole.UserRole) in ids
        item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
    checklist.blockSignals(False)


def _fill(checklist: QListWidget, ids: list[str], label: Callable[[str], str],
          exceptions: set[str], default: bool) -> None:
    """``ids`` ticked by default, except ``exceptions`` (the officer's choices)."""
    checklist.blockSignals(True)
    checklist.clear()
    for item_id in ids:
        item = QListWidgetItem(label(item_id), checklist)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        ticked = default != (item_id in exceptions)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    checklist.blockSignals(False)
