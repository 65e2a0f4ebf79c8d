"""Menu actions declared once, as data, and turned into QActions and menus.

Keeping id, title, shortcut, callback and enabling rules together means a command cannot get
a shortcut in one place and lose it in another, a language switch retitles every action
from the same table, and review mode disables exactly the actions that declare they change
data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.strings import UiText


@dataclass(frozen=True)
class ActionSpec:
    """A command: ``id`` names it and its title (``action_<id>`` in the string table).

    ``needs_workspace``: disabled while no workspace is open. ``changes_data``: disabled in
    review mode. ``submenu`` (a string-table key): a submenu placed before this action.
    """

    id: str
    menu: str
    shortcut: str | None
    callback: Callable[[], object]
    needs_workspace: bool = False
    changes_data: bool = False
    checkable: bool = False
    separator_before: bool = False
    submenu_before: str | None = None


class QtMenuActions:
    """The menus, submenus and actions built from the specs, retitled by ``retranslate``."""

    def __init__(self, window: QMainWindow, specs: Sequence[ActionSpec], text: UiText):
        self.specs = {spec.id: spec for spec in specs}
        self.menus: dict[str, QMenu] = {}
        self.submenus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        for spec in specs:
            if spec.menu not in self.menus:
                menu = window.menuBar().addMenu(text(spec.menu))
                menu.setObjectName(spec.menu)
                self.menus[spec.menu] = menu
            menu = self.menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            if spec.submenu_before:
                submenu = menu.addMenu(text(spec.submenu_before))
                submenu.setObjectName(spec.submenu_before)
                self.submenus[spec.submenu_before] = submenu
            action = QAction(text(f"action_{spec.id}"), window)
            action.setObjectName(f"action_{spec.id}")
            action.setCheckable(spec.checkable)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(_ignoring_checked(spec.callback))
            menu.addAction(action)
            self.actions[spec.id] = action

    def retranslate(self, text: UiText) -> None:
        for key, menu in {**self.menus, **self.submenus}.items():
            menu.setTitle(text(key))
        for action_id, action in self.actions.items():
            action.setText(text(f"action_{action_id}"))

    def update_enabled(self, has_workspace: bool, review_mode: bool) -> None:
        """Enable each action by its declared needs."""
        for action_id, spec in self.specs.items():
            enabled = (has_workspace or not spec.needs_workspace) and \
                not (review_mode and spec.changes_data)
            self.actions[action_id].setEnabled(enabled)


def install_menu_actions(window: QMainWindow, specs: Sequence[ActionSpec],
                         text: UiText) -> QtMenuActions:
    """Create the window's menus (in the order their first action appears) and actions."""
    return QtMenuActions(window, specs, text)


def _ignoring_checked(callback: Callable[[], object]) -> Callable[..., None]:
    """QAction.triggered passes ``checked``; the callbacks take no argument."""

    def trigger(*_: object) -> None:
        callback()

    return trigger
