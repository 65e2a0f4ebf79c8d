"""A scripted tour of the window: every language, station, period, section and dialog.

pytest-qt turns any exception raised in a slot or a Qt virtual during the tour into a failed
test (no ``qt_no_exception_capture`` here): nothing may go wrong quietly. After the tour,
what the window shows must still follow the last choices (language, station, period),
which a swallowed exception used to leave half updated.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, QStandardPaths, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QScrollArea  # noqa: E402

from ui.main_window import MainWindow  # noqa: E402
from ui.period import LAST_12_MONTHS, LAST_FULL_YEAR  # noqa: E402
from ui.sections_panel import SECTION_IDS  # noqa: E402

READY_MS = 60_000


@pytest.fixture
def window(qtbot, small_workspace, tmp_path):
    QStandardPaths.setTestModeEnabled(True)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(small_workspace, language="fr", settings=settings)
    main_window.resize(1366, 768)
    main_window.show()
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def settle(qtbot, window: MainWindow) -> None:
    """Wait until the station on screen has its portrait and its map."""
    def ready() -> bool:
        station = window.station_combo.currentData()
        portrait, panel = window.current_portrait, window.map_panel
        return (portrait is not None and portrait.station_id == station
                and panel.options is not None and panel.options.station_id == station
                and panel.options.language == window.text.language
                and not panel.is_building())

    qtbot.waitUntil(ready, timeout=READY_MS)


def open_and_cancel(qtbot, dialog: QDialog | None) -> None:
    assert dialog is not None and dialog.isVisible()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def record_forms(window: MainWindow) -> list:
    pages = window.record_pages
    practices = pages.best_practices
    practices.list.select(practices.list.visible_ids()[0])  # a trial is of a practice
    return [pages.problems.new_problem, pages.partners.new_partner,
            pages.consultations.new_consultation, pages.action_plan.new_priority,
            pages.action_plan.new_action, pages.best_practices.new_practice,
            pages.best_practices.new_trial]


def test_a_tour_of_every_choice_and_dialog_raises_nothing(qtbot, window: MainWindow) -> None:
    settle(qtbot, window)
    stations = [window.station_combo.itemData(i) for i in range(window.station_combo.count())]
    for language in ("en", "fr"):
        for station in stations:
            window.station_combo.setCurrentIndex(window.station_combo.findData(station))
            for preset in (LAST_FULL_YEAR, LAST_12_MONTHS):
                window.period_selector.set_preset(preset)
                settle(qtbot, window)
            for section in SECTION_IDS:
                window.sections_panel.select_section(section)
                assert window.sections_panel.current_section() == section
                QApplication.processEvents()
        for open_form in record_forms(window):
            open_and_cancel(qtbot, open_form())
        open_and_cancel(qtbot, window.open_preferences())
        open_and_cancel(qtbot, window.open_import_wizard())
        open_and_cancel(qtbot, window.open_export_dialog())
        window.retranslate(language)  # after forms were cancelled: the switch must go through
        settle(qtbot, window)
    assert window.text.language == "fr"
    assert window.map_panel.options.language == "fr"
    assert window.map_panel.options.station_id == stations[-1]
    assert window.map_panel.options.period == (tuple(window.current_portrait.period)
                                               if window.current_portrait.period else None)


def test_export_starts_from_the_station_and_period_on_screen(qtbot, window: MainWindow
                                                             ) -> None:
    settle(qtbot, window)
    window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    window.period_selector.set_preset(LAST_FULL_YEAR)
    settle(qtbot, window)
    assert window.actions_by_id["export"].shortcut().toString() == "Ctrl+E"
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    start, end = window.current_portrait.period
    assert dialog.station_combo.currentData() == "38"
    assert dialog.period == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert dialog.portrait is window.current_portrait  # reused: no second build
    assert dialog.folder_edit.text() == str(window.workspace.path.parent)


def test_record_pages_fit_1366_by_768_without_sideways_scrolling(qtbot, window: MainWindow
                                                                 ) -> None:
    settle(qtbot, window)
    assert window.size().width() == 1366
    for section in ("problems", "partners", "action_plan", "best_practices"):
        window.sections_panel.select_section(section)
        page = window.sections_panel.page(section)
        qtbot.waitUntil(page.isVisible, timeout=5_000)
        QApplication.processEvents()
        area = page.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        assert area is not None
        assert not area.horizontalScrollBar().isVisible(), section
        for button in page.findChildren(QPushButton):
            if button.isVisible():  # every button whole, inside the page's visible width
                right = button.mapTo(area.viewport(), button.rect().topRight()).x()
                assert right <= area.viewport().width(), (section, button.text())


def test_a_bug_in_the_portrait_worker_reaches_the_error_dialog(qtbot, small_workspace,
                                                               tmp_path, monkeypatch) -> None:
    import portrait.engine

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in a section")

    monkeypatch.setattr(portrait.engine, "build_portrait", broken)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(small_workspace, language="fr", settings=settings)
    try:
        with qtbot.waitSignal(main_window.portrait_runner.portraitFailed, timeout=READY_MS):
            main_window.show()
        dialog = main_window.error_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.windowTitle() == "Erreur inattendue"
        assert "ZeroDivisionError" in dialog.details() and "broken" in dialog.details()
        assert "division" not in dialog.message()  # details for support, not the sentence
    finally:
        main_window.close()
        main_window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
