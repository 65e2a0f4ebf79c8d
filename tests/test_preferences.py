"""Preferences: the typed model, its QSettings storage (a test INI file, never the user's),
the dialog's CRS check, and the window applying a new language at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QLocale, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.main_window import MainWindow  # noqa: E402
from ui.preferences import (  # noqa: E402
    PREFERENCES_VERSION,
    Preferences,
    PreferencesDialog,
    PreferencesStore,
    metric_crs_problem,
    user_settings,
)
from ui.strings import UiText, default_language  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def empty_window(qtbot, settings: QSettings):
    window = MainWindow(None, settings=settings)
    yield window
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_defaults() -> None:
    preferences = Preferences.defaults()
    assert preferences.language == default_language()
    assert preferences.language == ("en" if QLocale.system().language() ==
                                    QLocale.Language.English else "fr")
    assert preferences.metric_crs == "EPSG:32188"
    assert preferences.coverage_distances == (500, 1_000)
    assert (preferences.incident_min_cell, preferences.survey_min_n) == (5, 30)
    assert preferences.version == PREFERENCES_VERSION
    assert preferences.problems() == []


def test_the_users_settings_are_redirected_during_tests() -> None:
    """conftest points XDG_CONFIG_HOME to a temporary folder; Qt's test mode (switched on by
    test_main_window) uses ~/.qttest instead. Either way, never the officer's ~/.config."""
    location = Path(user_settings().fileName())
    assert "portrait-tests-home-" in str(location) or ".qttest" in location.parts
    assert not location.is_relative_to(Path.home() / ".config")
    assert location.name == "Portrait de quartier.conf"


def test_store_round_trip_with_a_version_key(settings: QSettings) -> None:
    store = PreferencesStore(settings)
    assert store.load() == Preferences.defaults()  # nothing stored yet
    chosen = Preferences(language="en", metric_crs="EPSG:2950", coverage_distances=(400, 800),
                         incident_min_cell=10, survey_min_n=50, autosave_minutes=0)
    store.save(chosen)
    assert settings.value("preferences/version") in (PREFERENCES_VERSION,
                                                     str(PREFERENCES_VERSION))
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert PreferencesStore(reread).load() == chosen


def test_newer_or_damaged_values_fall_back_to_defaults(settings: QSettings) -> None:
    store = PreferencesStore(settings)
    store.save(Preferences(language="en", incident_min_cell=7))
    settings.setValue("preferences/metric_crs", "EPSG:4326")  # degrees: refused
    settings.setValue("preferences/survey_min_n", "beaucoup")
    loaded = store.load()
    assert loaded.metric_crs == "EPSG:32188" and loaded.survey_min_n == 30
    assert loaded.language == "en" and loaded.incident_min_cell == 7  # the rest is kept
    settings.setValue("preferences/version", PREFERENCES_VERSION + 1)
    assert store.load() == Preferences.defaults()


@pytest.mark.parametrize(("crs", "problem"), [
    ("EPSG:32188", None),
    (" EPSG:2950 ", None),
    ("EPSG:4326", "crs_not_metric"),
    ("EPSG:2263", "crs_not_metric"),  # New York State Plane: projected, but in US feet
    ("EPSG:999999", "crs_unknown"),
    ("MTM huit", "crs_unknown"),
    ("", "crs_empty"),
])
def test_the_metric_crs_must_be_projected_in_metres(crs: str, problem: str | None) -> None:
    found = metric_crs_problem(crs)
    assert (found[0] if found else None) == problem


def test_the_dialog_refuses_a_crs_in_degrees(qtbot) -> None:
    start = dataclasses.replace(Preferences.defaults(), language="fr")
    dialog = PreferencesDialog(start, UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled() and not dialog.crs_message.isVisible()
    dialog.crs_edit.setText("EPSG:4326")
    assert not dialog.ok_button.isEnabled()
    assert dialog.crs_message.isVisible()
    assert "WGS 84" in dialog.crs_message.text() and "mètres" in dialog.crs_message.text()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "preferences_dialog_invalid_crs.png"))
    dialog.crs_edit.setText("EPSG:2950")
    dialog.distance_spins[1].setValue(1_500)
    dialog.k_spin.setValue(10)
    assert dialog.ok_button.isEnabled()
    edited = dialog.preferences()
    assert edited.metric_crs == "EPSG:2950" and edited.coverage_distances == (500, 1_500)
    assert edited.incident_min_cell == 10
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.preferences() == start


def test_preferences_action_applies_the_language_at_once_and_stores_it(
        qtbot, empty_window: MainWindow, settings: QSettings) -> None:
    window = empty_window
    empty_window.retranslate("fr")
    action = window.actions_by_id["preferences"]
    assert action.shortcut() == QKeySequence("Ctrl+,")
    action.trigger()
    dialog = window.preferences_dialog
    assert isinstance(dialog, PreferencesDialog) and dialog.isVisible()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.k_spin.setValue(8)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Help"]
    assert window.windowTitle() == "Portrait de quartier"
    assert window.map_panel.message().startswith("No workspace is open")
    assert window.preferences.incident_min_cell == 8
    assert QLocale().toString(1234) == "1,234"
    stored = PreferencesStore(QSettings(settings.fileName(), QSettings.Format.IniFormat)).load()
    assert stored.language == "en" and stored.incident_min_cell == 8
    window.retranslate("fr")
    assert QLocale().toString(1234) == "1\u00a0234"


def test_a_new_window_starts_in_the_stored_language(qtbot, settings: QSettings) -> None:
    PreferencesStore(settings).save(dataclasses.replace(Preferences.defaults(), language="en",
                                                        autosave_minutes=3))
    window = MainWindow(None, settings=settings)
    try:
        assert window.text.language == "en"
        assert window.station_caption.text() == "Neighbourhood station:"
        assert window.autosave_timer.isActive()
        assert window.autosave_timer.interval() == 3 * 60_000
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
