"""The main window with its web map, driven through pytest-qt (offscreen, no network)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QStandardPaths, QTimer  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtWebEngineCore import (  # noqa: E402
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from portrait.workspace import Workspace  # noqa: E402
from ui import app as app_module  # noqa: E402
from ui import qt_environment  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

LOAD_TIMEOUT_MS = 30_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

MAP_STATE = """
(function () {
    var map = window.portraitMap;
    var layers = window.portraitLayers || {};
    var state = {
        leaflet: typeof L !== 'undefined',
        version: typeof L !== 'undefined' ? L.version : null,
        hasMap: typeof L !== 'undefined' && map instanceof L.Map,
        station: window.portraitStation || null,
        layers: {},
        controlNames: Array.from(document.querySelectorAll(
            '.leaflet-control-layers-overlays label span span')).map(function (s) {
                return s.textContent.trim(); }),
        legend: document.querySelectorAll('.pq-legend section').length,
        resources: performance.getEntriesByType('resource').map(function (e) {
            return e.name; })
    };
    for (var key in layers) {
        state.layers[key] = {onMap: map.hasLayer(layers[key]),
                             count: layers[key].getLayers().length};
    }
    return JSON.stringify(state);  // PySide6 turns JS objects into empty strings
})()
"""


class RecordingInterceptor(QWebEngineUrlRequestInterceptor):
    """Remembers every URL the web engine requests."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


@pytest.fixture(autouse=True)
def qt_test_paths() -> None:
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def requests_made():
    interceptor = RecordingInterceptor()
    profile = QWebEngineProfile.defaultProfile()
    profile.setUrlRequestInterceptor(interceptor)
    yield interceptor.urls
    profile.setUrlRequestInterceptor(None)


@pytest.fixture
def window(qtbot, small_workspace: Workspace, requests_made):
    main_window = MainWindow(small_workspace, language="fr")
    with qtbot.waitSignal(main_window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS) as load:
        main_window.show()
    assert load.args == [True]
    yield main_window
    close_and_delete(main_window)


def close_and_delete(main_window: MainWindow) -> None:
    """Delete the window now: a web page left for Qt's exit outlives its profile."""
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def map_state(qtbot, main_window: MainWindow) -> dict:
    results: list[object] = []
    main_window.map_panel.page().runJavaScript(MAP_STATE, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    return json.loads(results[0])


def remote(urls: list[str]) -> list[str]:
    return [url for url in urls if url.lower().startswith(("http:", "https:", "ws:", "wss:"))]


def test_map_shows_the_first_station_with_local_leaflet(qtbot, window: MainWindow,
                                                        requests_made: list[str]) -> None:
    state = map_state(qtbot, window)
    assert state["leaflet"] and state["version"] == "1.9.4" and state["hasMap"]
    assert state["station"] == "4"
    assert set(state["layers"]) == {"census", "incidents", "stations", "services"}
    assert all(layer["onMap"] for layer in state["layers"].values())
    assert state["layers"]["census"]["count"] == 3
    assert state["layers"]["incidents"]["count"] == 90
    assert state["controlNames"] == ["Recensement : Taux de faible revenu (MFR-ApI)",
                                     "Incidents", "Limites des PDQ", "Services"]
    assert state["legend"] >= 2
    assert remote(state["resources"]) == []  # (Chromium only times http(s) resources)
    assert remote(requests_made) == []
    assert any(url.startswith("file://") and url.endswith("/leaflet.js")
               for url in requests_made)  # the interceptor does see requests


def test_choosing_a_station_reloads_its_map(qtbot, window: MainWindow) -> None:
    assert [window.station_combo.itemText(i) for i in range(window.station_combo.count())] == [
        "PDQ 4", "PDQ 38"]
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    state = map_state(qtbot, window)
    assert state["station"] == "38"
    assert state["layers"]["census"]["count"] == 3
    assert "PDQ 38" in window.statusBar().currentMessage()


def test_choosing_an_indicator_redraws_the_census_layer(qtbot, window: MainWindow,
                                                        requests_made: list[str]) -> None:
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        window.indicator_combo.setCurrentIndex(
            window.indicator_combo.findData("immigrant_share"))
    state = map_state(qtbot, window)
    assert state["controlNames"][0] == "Recensement : Part des immigrants"
    assert remote(requests_made) == []


def test_screenshot_shows_the_map(qtbot, window: MainWindow) -> None:
    qtbot.wait(500)  # let the compositor paint the loaded page
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    assert image.save(str(ARTIFACTS / "main_window.png"))
    view = window.map_panel.view
    origin = view.mapTo(window, view.rect().topLeft())
    colours = {image.pixel(origin.x() + x, origin.y() + y)
               for x in range(5, view.width() - 5, 23) for y in range(5, view.height() - 5, 19)}
    assert len(colours) > 8  # shaded areas, dots, legend: not a blank page


def test_window_title_path_and_menus(window: MainWindow, small_workspace: Workspace) -> None:
    assert window.windowTitle() == "Portrait de quartier — Quartier d'essai"
    assert str(small_workspace.path) in window.path_label.text()
    shortcuts = {key: window.actions_by_id[key].shortcut() for key in ("open", "save", "quit")}
    assert shortcuts == {"open": QKeySequence("Ctrl+O"), "save": QKeySequence("Ctrl+S"),
                         "quit": QKeySequence("Ctrl+Q")}
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Fichier", "&Aide"]


def test_opening_an_invalid_file_shows_the_workspace_error(window: MainWindow, tmp_path: Path,
                                                           monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: shown.append((title, text)))
    not_a_workspace = tmp_path / "notes.gpkg"
    not_a_workspace.write_text("pas une base SQLite", encoding="utf-8")
    assert not window.open_workspace(not_a_workspace)
    assert shown == [("Impossible d'ouvrir l'espace de travail",
                      "notes.gpkg is not a Portrait de quartier workspace: it is not a "
                      "GeoPackage (SQLite) file. To bring data from this file in, use Import "
                      "instead.")]
    assert window.windowTitle() == "Portrait de quartier — Quartier d'essai"


def test_opening_another_workspace_shows_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    other = Workspace.create(tmp_path / "vide.gpkg", title="Sans données")
    assert window.open_workspace(other.path)
    assert window.windowTitle() == "Portrait de quartier — Sans données"
    assert window.station_combo.count() == 0 and not window.station_combo.isEnabled()


def test_without_a_workspace_the_window_says_how_to_open_one(qtbot) -> None:
    main_window = MainWindow(None, language="fr")
    try:
        assert main_window.windowTitle() == "Portrait de quartier"
        assert "Fichier › Ouvrir" in main_window.map_panel.message()
        assert not main_window.actions_by_id["save"].isEnabled()
    finally:
        close_and_delete(main_window)


def test_a_map_that_cannot_be_built_shows_why(qtbot, small_workspace: Workspace) -> None:
    stations = small_workspace.layer("stations").copy()
    stations.loc[stations["station_id"] == "4", "geometry"] = None
    small_workspace.set_layer("stations", stations)
    main_window = MainWindow(small_workspace, language="fr")
    try:
        with qtbot.waitSignal(main_window.map_panel.mapFailed, timeout=LOAD_TIMEOUT_MS):
            main_window.show()
        assert main_window.map_panel.message().startswith(
            "La carte n'a pas pu être préparée : Le poste 4 n'a pas de limites dans cet "
            "espace de travail : importez d'abord les limites des PDQ.")
        with qtbot.waitSignal(main_window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
            main_window.station_combo.setCurrentIndex(main_window.station_combo.findData("38"))
        assert main_window.map_panel.message() == ""
    finally:
        close_and_delete(main_window)


def test_save_writes_the_workspace(window: MainWindow, small_workspace: Workspace) -> None:
    small_workspace.set_metadata("title", "Quartier renommé")
    window.actions_by_id["save"].trigger()
    assert not small_workspace.is_modified
    assert Workspace.open(small_workspace.path).title == "Quartier renommé"
    assert window.statusBar().currentMessage().startswith("Enregistré")


def test_run_app_opens_the_workspace_and_shows_its_map(qtbot, small_workspace: Workspace
                                                       ) -> None:
    timings: dict[str, float] = {"start": time.monotonic()}

    def watch_for_the_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, watch_for_the_window)
            return

        def loaded(ok: bool) -> None:
            timings["loaded"] = time.monotonic()
            windows[0].close()

        windows[0].map_panel.loadFinished.connect(loaded)

    QTimer.singleShot(0, watch_for_the_window)
    assert app_module.run_app([sys.argv[0]], small_workspace.path) == 0
    assert QApplication.applicationName() == "Portrait de quartier"
    assert timings["loaded"] - timings["start"] < 30


def test_environment_for_root_without_display(monkeypatch) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "QTWEBENGINE_CHROMIUM_FLAGS",
                 "QTWEBENGINE_DISABLE_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(qt_environment.sys, "platform", "linux")
    monkeypatch.setattr(qt_environment.os, "geteuid", lambda: 0, raising=False)
    qt_environment.prepare_qt_environment()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert os.environ["QTWEBENGINE_DISABLE_SANDBOX"] == "1"
    assert os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] == "--no-sandbox"


def test_a_window_deleted_while_its_portrait_is_built_stops_the_build_first(
        qtbot, small_workspace: Workspace, monkeypatch) -> None:
    """The first map can come before the portrait: a window deleted then (its changes
    unsaved, so its close asked first and stopped nothing) must stop and wait for the build,
    which would otherwise signal a window that is gone (a crash, seen under load)."""
    import threading

    import portrait.engine
    from portrait.errors import CancelledError

    started, stopped = threading.Event(), threading.Event()

    def slow_build(data, station_id, period, options, progress, is_cancelled):
        started.set()
        give_up = time.monotonic() + 20  # never hangs the run when the window fails to stop it
        while not is_cancelled() and time.monotonic() < give_up:
            time.sleep(0.01)
        stopped.set()
        raise CancelledError("stopped")

    monkeypatch.setattr(portrait.engine, "build_portrait", slow_build)
    stations = small_workspace.layer("stations").copy()
    small_workspace.set_layer("stations", stations)  # a change left unsaved
    main_window = MainWindow(small_workspace, language="fr")
    main_window.show()
    qtbot.waitUntil(started.is_set, timeout=LOAD_TIMEOUT_MS)
    main_window.close()  # asks about the unsaved change: the window stays
    assert not stopped.is_set()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert stopped.is_set()  # before the window was gone
