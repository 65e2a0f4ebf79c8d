"""Menu actions declared once, as data, and turned into QActions and menus.

Keeping id, title, shortcut and callback together means a command cannot get a shortcut in
one place and lose it in another, and a later toolbar can reuse the same QActions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.strings import UiText


@dataclass(frozen=True)
class ActionSpec:
    """A command: ``id`` names it and its title (``action_<id>`` in the string table)."""

    id: str
    menu: str
    shortcut: str | None
    callback: Callable[[], object]


def install_menu_actions(window: QMainWindow, specs: Sequence[ActionSpec],
                         text: UiText) -> dict[str, QAction]:
    """Create the window's menus (in the order their first action appears) and actions."""
    menus = {}
    actions = {}
    for spec in specs:
        if spec.menu not in menus:
            menus[spec.menu] = window.menuBar().addMenu(text(spec.menu))
        action = QAction(text(f"action_{spec.id}"), window)
        action.setObjectName(f"action_{spec.id}")
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(_ignoring_checked(spec.callback))
        menus[spec.menu].addAction(action)
        actions[spec.id] = action
    return actions


def _ignoring_checked(callback: Callable[[], object]) -> Callable[..., None]:
    """QAction.triggered passes ``checked``; the callbacks take no argument."""

    def trigger(*_: object) -> None:
        callback()

    return trigger
