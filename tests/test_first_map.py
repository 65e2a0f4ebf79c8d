"""The window draws the first station's map as soon as a workspace opens when the derived
station file knows the incidents' dates, instead of waiting for the first portrait.

At a million incidents the first portrait (its libraries, the city's data, the station's
sections) held the first map back by more than a second; the map only needs the period,
which the derived file gives from its dates.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QStandardPaths  # noqa: E402

from portrait import workspace_query  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.portrait_runner import PortraitRunner  # noqa: E402

LOAD_TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def qt_test_paths() -> None:
    QStandardPaths.setTestModeEnabled(True)


def _open(qtbot, workspace: Workspace) -> tuple[MainWindow, bool]:
    """The window with ``workspace`` opened, and whether its map was asked for before the
    open returned (before any portrait could be built)."""
    window = MainWindow(None, language="fr")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        window.open_workspace(workspace.path)
        asked_at_once = window.map_panel.options is not None
        assert window.current_portrait is None
        if asked_at_once:  # its dates are shown with it, not the empty fields' 2000-01-01
            start, end = window.map_panel.options.period
            shown = window.period_selector
            assert (shown.start_edit.date().toString("yyyy-MM-dd"),
                    shown.end_edit.date().toString("yyyy-MM-dd")) == (start, end)
    qtbot.waitUntil(lambda: window.current_portrait is not None, timeout=LOAD_TIMEOUT_MS)
    return window, asked_at_once


def test_the_first_map_is_drawn_without_waiting_for_the_portrait(qtbot,
                                                                 small_workspace: Workspace
                                                                 ) -> None:
    assert workspace_query.refresh(small_workspace)
    window, asked_at_once = _open(qtbot, small_workspace)
    assert asked_at_once
    portrait = window.current_portrait
    # the period the map was drawn for is the one the portrait resolved
    assert window.map_panel.options.period == tuple(portrait.period)
    assert window.map_panel.options.station_id == portrait.station_id
    window.close()


def test_without_the_derived_file_the_first_map_waits_for_the_portrait(
        qtbot, small_workspace: Workspace) -> None:
    workspace_query.cache_path(small_workspace.path).unlink(missing_ok=True)
    window, asked_at_once = _open(qtbot, small_workspace)  # its portrait builds the file
    assert not asked_at_once
    assert window.map_panel.options.period == tuple(window.current_portrait.period)
    window.close()


def test_the_span_comes_from_the_derived_file_until_layers_are_unsaved(
        small_workspace: Workspace) -> None:
    assert workspace_query.refresh(small_workspace)
    runner = PortraitRunner()
    dates = small_workspace.layer("incidents")["date"]
    assert runner.known_span(small_workspace) == (dates.min().date(), dates.max().date())
    small_workspace.set_layer("incidents", small_workspace.layer("incidents").iloc[:5])
    assert runner.known_span(small_workspace) is None
