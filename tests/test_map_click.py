"""A mouse click on the map identifies whatever is under the pointer, through the page.

The click is a real mouse event on the web view, hit-tested by Leaflet as in the app: the
station outline, drawn over the census areas, must not swallow it.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QPoint, QSettings, QStandardPaths, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from portrait.crs import MAP_CRS  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

LOAD_TIMEOUT_MS = 30_000


@pytest.fixture
def window(qtbot, small_workspace: Workspace, tmp_path: Path):
    QStandardPaths.setTestModeEnabled(True)
    # settings of its own: a layout saved by another test (its side panel open, a narrower
    # map) would change the map's scale, and where a click lands
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(small_workspace, language="fr", settings=settings)
    main_window.resize(1366, 768)
    panel = main_window.map_panel
    with qtbot.waitSignals([panel.loadFinished, panel.mapConnected], timeout=LOAD_TIMEOUT_MS):
        main_window.show()
    qtbot.waitUntil(lambda: main_window.current_portrait is not None, timeout=LOAD_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not panel.is_building(), timeout=LOAD_TIMEOUT_MS)
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run_js(qtbot, main_window: MainWindow, script: str) -> object:
    results: list[object] = []
    main_window.map_panel.page().runJavaScript(script, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    return results[0]


def inside_point(workspace: Workspace, area_id: str, station_id: str) -> shapely.Point:
    """A point of ``area_id`` inside the station, in degrees (away from the edges)."""
    areas = workspace.layer("census_areas")
    stations = workspace.layer("stations")
    area = areas.loc[areas["area_id"].astype(str) == area_id].geometry.iloc[0]
    station = stations.loc[stations["station_id"] == station_id].geometry.iloc[0]
    point = area.intersection(station).buffer(-100).representative_point()
    return gpd.GeoSeries([point], crs=workspace.crs).to_crs(MAP_CRS).iloc[0]


def screen_point(qtbot, main_window: MainWindow, point: shapely.Point) -> QPoint:
    """Where the map draws ``point`` (degrees), in the web view's pixels (the map is first
    set still)."""
    where = json.loads(run_js(qtbot, main_window, f"""(function () {{
        var map = window.portraitMap;
        map.stop();
        var p = map.latLngToContainerPoint(L.latLng({point.y}, {point.x}));
        var box = map.getContainer().getBoundingClientRect();
        return JSON.stringify([p.x + box.left, p.y + box.top]); }})()"""))
    return QPoint(round(where[0]), round(where[1]))


def map_widget(main_window: MainWindow) -> QWidget:
    view = main_window.map_panel.view
    return view.focusProxy() or view  # Chromium's widget takes the input


def click_at(qtbot, main_window: MainWindow, point: shapely.Point) -> None:
    """A left click of the mouse where ``point`` (degrees) is drawn."""
    QTest.mouseClick(map_widget(main_window), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, screen_point(qtbot, main_window, point))


def test_a_click_inside_the_station_outline_shows_the_census_area(qtbot, window,
                                                                  small_workspace) -> None:
    station = window.map_panel.shown_station()
    layers = json.loads(run_js(qtbot, window, """JSON.stringify(
        window.portraitLayers.census.getLayers().map(function (l) {
            return l.feature.properties.id; }))"""))
    assert run_js(qtbot, window, "window.portraitMap.hasLayer(window.portraitLayers.stations)")
    dock = window.map_side_dock
    area_id = layers[0]
    qtbot.wait(500)  # the fitting animation ends
    click_at(qtbot, window, inside_point(small_workspace, area_id, station))
    qtbot.waitUntil(lambda: dock.click is not None, timeout=5_000)
    assert (dock.click.kind, dock.click.feature_id) == ("census_area", area_id)
    assert "Taux de faible revenu" in dock.shown_text()


def rect_of(qtbot, main_window: MainWindow, selector: str) -> dict:
    return json.loads(run_js(qtbot, main_window, f"""(function () {{
        var r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();
        return JSON.stringify({{left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                                height: r.height}}); }})()"""))


def station_in_view(qtbot, main_window: MainWindow) -> bool:
    return bool(run_js(qtbot, main_window, """(function () {
        var map = window.portraitMap, b = L.latLngBounds(window.portraitBounds),
            size = map.getSize(), nw = map.latLngToContainerPoint(b.getNorthWest()),
            se = map.latLngToContainerPoint(b.getSouthEast());
        return nw.x >= 0 && nw.y >= 0 && se.x <= size.x && se.y <= size.y; })()"""))


def test_the_legend_folds_and_unfolds_with_a_click(qtbot, window) -> None:
    def folded() -> bool:
        return bool(run_js(qtbot, window, "window.portraitLegendBox.classList.contains("
                                          "'pq-folded')"))

    def click_head() -> None:
        head = rect_of(qtbot, window, ".pq-legend-head")
        QTest.mouseClick(window.map_panel.view.focusProxy(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier,
                         QPoint(round(head["left"] + 8), round(head["top"] + head["height"] / 2)))

    before = folded()
    click_head()
    qtbot.waitUntil(lambda: folded() != before, timeout=5_000)
    assert window.map_side_dock.click is None  # the legend's click is not a map click
    body_shown = run_js(qtbot, window, "getComputedStyle(window.portraitLegend).display")
    assert (body_shown == "none") == (not before)
    click_head()  # and back: the page remembers the choice, for the next maps (and tests)
    qtbot.waitUntil(lambda: folded() == before, timeout=5_000)


def test_the_legend_never_runs_under_the_layer_control(qtbot, window) -> None:
    run_js(qtbot, window, "window.portraitLegendBox.classList.remove('pq-folded'); "
                          "window.portraitMap.invalidateSize(); 1")
    control = rect_of(qtbot, window, ".leaflet-control-layers")
    legend = rect_of(qtbot, window, ".pq-legend")
    assert legend["top"] >= control["bottom"]


def test_the_station_fits_the_map_after_a_resize(qtbot, window) -> None:
    qtbot.waitUntil(lambda: station_in_view(qtbot, window), timeout=5_000)
    window.map_side_dock.show()  # the side panel opens: the map narrows
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: station_in_view(qtbot, window), timeout=5_000)
    assert run_js(qtbot, window, "window.portraitMap.getSize().x") < 700


def to_degrees(workspace: Workspace, point: shapely.Point) -> shapely.Point:
    return gpd.GeoSeries([point], crs=workspace.crs).to_crs(MAP_CRS).iloc[0]


def test_a_click_on_a_service_shows_its_name_type_and_address(qtbot, window,
                                                              small_workspace) -> None:
    services = small_workspace.layer("services")
    services["service_type"] = "food"
    small_workspace.set_layer("services", services)
    panel = window.map_panel
    with qtbot.waitSignals([panel.loadFinished, panel.mapConnected], timeout=LOAD_TIMEOUT_MS):
        window.retranslate("fr")  # the map is drawn again with the new services
    mine = services[services.geometry.x > 298_200].iloc[0]
    qtbot.wait(500)
    click_at(qtbot, window, to_degrees(small_workspace, mine.geometry))
    dock = window.map_side_dock
    qtbot.waitUntil(lambda: dock.click is not None, timeout=5_000)
    assert (dock.click.kind, dock.click.feature_id) == ("service", mine["service_id"])
    shown = dock.shown_text()
    assert mine["name"] in shown and "Aide alimentaire" in shown and mine["address"] in shown
    assert not dock.problem_button.isVisible()


def test_a_click_on_a_problem_card_shows_its_stage_and_priority(qtbot, window,
                                                                small_workspace) -> None:
    from portrait.records import Location, ProblemCard

    spot = shapely.Point(299_500, 5_041_500)
    panel = window.map_panel
    with qtbot.waitSignals([panel.loadFinished, panel.mapConnected], timeout=LOAD_TIMEOUT_MS):
        card = window.record_pages.session.add(ProblemCard(
            title="Vols dans les véhicules, rue Ontario", category="theft_from_vehicle",
            location=Location.point(spot)))
    qtbot.wait(500)
    click_at(qtbot, window, to_degrees(small_workspace, spot))
    dock = window.map_side_dock
    qtbot.waitUntil(lambda: dock.click is not None, timeout=5_000)
    assert (dock.click.kind, dock.click.feature_id) == ("problem", card.record_id)
    shown = dock.shown_text()
    assert "Vols dans les véhicules, rue Ontario" in shown
    assert "Repérage" in shown and "Priorité (sur 100)" in shown


def test_only_a_view_the_officer_chose_is_kept_for_the_next_map(qtbot, window) -> None:
    bridge = window.map_panel.bridge
    qtbot.waitUntil(lambda: not run_js(qtbot, window, "window.portraitMoved()"), timeout=5_000)
    state = json.loads(run_js(qtbot, window, "window.portraitState()"))
    assert state["moved"] is False
    bridge.stateChanged(json.dumps(state))
    assert bridge.view is None  # fitted by the page: the next map fits the station again
    run_js(qtbot, window, "window.portraitMap.fire('dragstart'); 1")
    state = json.loads(run_js(qtbot, window, "window.portraitState()"))
    bridge.stateChanged(json.dumps(state))
    assert state["moved"] is True and bridge.view == tuple(state["view"])
