"""File › New workspace, driven with the mouse: pick a city, see its proposed CRS and words,
create, reopen; and Preferences writing the words into the open workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QListWidget  # noqa: E402

from portrait.service_words import (  # noqa: E402
    MONTREAL,
    in_use,
    words_for_city,
    words_of,
    write_words,
)
from portrait.workspace import Workspace  # noqa: E402
from tests.conftest import build_small_workspace  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.new_workspace_dialog import OTHER, NewWorkspaceDialog  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SCREEN = (1366, 768)


@pytest.fixture
def window(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(None, language="en", settings=settings)
    main_window.resize(*SCREEN)
    main_window.show()
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _click(widget, point=None) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point if point is not None else widget.rect().center())


def _click_item(cities: QListWidget, label: str) -> None:
    item = next(cities.item(row) for row in range(cities.count())
                if cities.item(row).text() == label)
    cities.scrollToItem(item)
    _click(cities.viewport(), cities.visualItemRect(item).center())


def _new_workspace(qtbot, window: MainWindow) -> NewWorkspaceDialog:
    window.actions_by_id["new"].trigger()
    dialog = window.new_workspace_prompt
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _type(qtbot, edit, text: str) -> None:
    _click(edit)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_picking_vancouver_proposes_its_utm_zone_and_words_which_are_stored(
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = _new_workspace(qtbot, window)
    assert not dialog.create_button.isEnabled()
    assert dialog.message.text() == "Choose where to save the workspace."
    _type(qtbot, dialog.path_edit, str(tmp_path / "vancouver"))
    assert dialog.message.text() == "Choose the city or region, or \u201cOther place\u201d."
    _type(qtbot, dialog.search_edit, "vanc")
    shown = [dialog.city_list.item(r).text() for r in range(dialog.city_list.count())
             if not dialog.city_list.item(r).isHidden()]
    assert shown == ["Vancouver (BC)", "Other place (longitude and latitude, or an EPSG code)"]
    _click_item(dialog.city_list, "Vancouver (BC)")
    assert dialog.crs_edit.text() == "EPSG:26910"
    assert dialog.crs_words.text().startswith(
        "Proposed for Vancouver (BC): NAD83 / UTM zone 10N (EPSG:26910).")
    words = dialog.words_widget
    assert (words.station_edit.text(), words.stations_edit.text(), words.service_edit.text(),
            words.city_edit.text()) == ("District", "Districts", "VPD", "Vancouver")
    assert words.example.text().startswith("Example: District 38, neighbouring Districts")
    _type(qtbot, words.shift_rows[0][1], "Day shift")  # the officer's own shift name
    words.shift_rows[0][2].setValue(7)
    _type(qtbot, dialog.title_edit, "VPD District 2")
    qtbot.wait(50)
    if not ARTIFACTS.exists():
        ARTIFACTS.mkdir()
    assert dialog.grab().save(str(ARTIFACTS / "new_workspace_dialog.png"))
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    assert dialog.create_button.isEnabled()
    _click(dialog.create_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5_000)
    assert window.workspace.crs == "EPSG:26910"
    assert in_use().station_label("2") == "District 2"  # the window speaks them at once

    reopened = Workspace.open(tmp_path / "vancouver.gpkg")
    assert reopened.crs == "EPSG:26910"
    assert reopened.title == "VPD District 2"
    stored = words_of(reopened)
    assert (stored.station_term, stored.city, stored.service) == ("District", "Vancouver", "VPD")
    assert (stored.shifts[0].name_en, stored.shifts[0].start) == ("Day shift", 7)


def test_montreal_keeps_mtm_zone_8_and_the_spvms_words(qtbot, window, tmp_path) -> None:
    dialog = _new_workspace(qtbot, window)
    _type(qtbot, dialog.path_edit, str(tmp_path / "mtl.gpkg"))
    _type(qtbot, dialog.search_edit, "montreal")
    _click_item(dialog.city_list, "Montréal (QC)")
    assert dialog.crs_edit.text() == "EPSG:32188"
    assert "NAD83 / MTM zone 8 (EPSG:32188)" in dialog.crs_words.text()
    assert dialog.words_widget.words() == MONTREAL
    _click(dialog.create_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5_000)
    assert words_of(Workspace.open(tmp_path / "mtl.gpkg")) == MONTREAL


def test_another_place_by_longitude_or_by_epsg_code(qtbot, window, tmp_path) -> None:
    dialog = _new_workspace(qtbot, window)
    _type(qtbot, dialog.path_edit, str(tmp_path / "elsewhere.gpkg"))
    _click_item(dialog.city_list, "Other place (longitude and latitude, or an EPSG code)")
    assert dialog.chosen_city() == OTHER and dialog.other_row.isVisible()
    _type(qtbot, dialog.longitude_spin.lineEdit(), "2.35")
    _type(qtbot, dialog.latitude_spin.lineEdit(), "48.86")
    qtbot.keyClick(dialog.latitude_spin, Qt.Key.Key_Tab)
    assert dialog.crs_edit.text() == "EPSG:32631"  # Paris: WGS 84 / UTM zone 31N
    assert not dialog.create_button.isEnabled()  # the city's name is still to be given
    assert dialog.words_widget.message.text() == \
        "Enter what a station is called, its plural and the city."
    _type(qtbot, dialog.words_widget.city_edit, "Paris")
    assert dialog.create_button.isEnabled()
    _type(qtbot, dialog.crs_edit, "EPSG:4326")
    assert not dialog.create_button.isEnabled()
    assert "not a projection in metres" in dialog.crs_words.text()
    _type(qtbot, dialog.crs_edit, "EPSG:2154")
    assert dialog.crs_words.text().startswith("RGF93 v1 / Lambert-93 (EPSG:2154).")
    _click(dialog.create_button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5_000)
    assert Workspace.open(tmp_path / "elsewhere.gpkg").crs == "EPSG:2154"
    assert words_of(window.workspace).city == "Paris"


def test_preferences_write_the_words_into_the_open_workspace(qtbot, window, tmp_path) -> None:
    assert window.create_workspace(tmp_path / "w.gpkg", "EPSG:26915")
    window.open_preferences()
    dialog = window.preferences_dialog
    qtbot.waitExposed(dialog)
    assert dialog.findChild(type(dialog.crs_message), "workspace_crs").text() == \
        "NAD83 / UTM zone 15N (EPSG:26915)"
    words = dialog.words_widget
    assert words.words() == MONTREAL
    _type(qtbot, words.station_edit, "Division")
    assert words.stations_edit.text() == "Divisions"
    _type(qtbot, words.city_edit, "Kansas City")
    _type(qtbot, words.shift_rows[2][1], "Night")
    qtbot.wait(50)
    assert dialog.grab().save(str(ARTIFACTS / "preferences_dialog.png"))
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    _type(qtbot, words.city_edit, "")
    assert not dialog.ok_button.isEnabled()
    _type(qtbot, words.city_edit, "Kansas City")
    _click(dialog.ok_button)
    stored = words_of(window.workspace)
    assert (stored.station_term, stored.stations_term, stored.city) == \
        ("Division", "Divisions", "Kansas City")
    assert stored.shifts[2].name_en == "Night"
    assert in_use().station_label("3") == "Division 3"
    assert window.save_workspace()
    assert words_of(Workspace.open(tmp_path / "w.gpkg")) == stored


def test_the_window_names_stations_in_the_workspaces_words(qtbot, tmp_path: Path) -> None:
    workspace = build_small_workspace(tmp_path / "w.gpkg")
    write_words(workspace, words_for_city("Vancouver", "District", "VPD"))
    workspace.save()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(Workspace.open(tmp_path / "w.gpkg"), language="en",
                             settings=settings)
    try:
        with qtbot.waitSignal(main_window.map_panel.loadFinished, timeout=60_000):
            main_window.show()
        combo = main_window.station_combo
        assert [combo.itemText(i) for i in range(combo.count())] == ["District 4",
                                                                     "District 38"]
        main_window.open_preferences()
        dialog = main_window.preferences_dialog
        qtbot.waitExposed(dialog)
        _type(qtbot, dialog.words_widget.station_edit, "Division")
        _click(dialog.ok_button)
        assert [combo.itemText(i) for i in range(combo.count())] == ["Division 4",
                                                                     "Division 38"]
        qtbot.waitUntil(lambda: main_window.current_portrait is not None, timeout=60_000)
    finally:
        main_window.close()
        main_window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
