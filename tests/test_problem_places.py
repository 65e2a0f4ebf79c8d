"""A problem's location chosen with the mouse, the four ways: a point with its radius, a
census area, a hot spot cell, an area drawn corner by corner.

Real mouse clicks on the form's buttons, the bar above the map and the map itself (through
the page, hit-tested by Leaflet as in the app); the location comes back to the form in
words, is drawn on the map, counts the incidents inside it and is saved with the card.
Screenshots of the form with each kind go to ``artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from portrait.crs import MAP_CRS  # noqa: E402
from portrait.records import RecordStore  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from tests import test_map_click as map_click  # noqa: E402
from tests.test_map_click import map_widget, run_js  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.records.problem_form import ProblemDialog  # noqa: E402

LOAD_TIMEOUT_MS = 30_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
#: Where 120 extra incidents are packed (station 4): the portrait finds hot spots there.
CLUSTER = (299_500, 5_041_500)
#: The corners drawn, well inside station 4 (metres).
CORNERS = [(298_600, 5_040_600), (299_100, 5_040_600), (299_100, 5_041_000),
           (298_600, 5_041_000)]
NEIGHBOURHOOD = "Parc-Extension"
#: How far a click may land from the point aimed at: two pixels of the map at 1366 × 768.
PIXELS_M = 15


@pytest.fixture
def small_workspace(small_workspace: Workspace) -> Workspace:
    """The small workspace with 120 more incidents packed in station 4: hot spots there."""
    incidents = small_workspace.layer("incidents")
    extra = incidents.iloc[:120].copy()
    offsets = np.random.default_rng(1).uniform(0, 150, (120, 2))
    extra["geometry"] = [shapely.Point(CLUSTER[0] + dx, CLUSTER[1] + dy) for dx, dy in offsets]
    extra["station_id"] = "4"
    extra["source_id"] = [f"cluster-{i}" for i in range(120)]
    small_workspace.set_layer("incidents", pd.concat([incidents, extra], ignore_index=True))
    # as Statistics Canada's boundaries: dissemination areas named by their code, and a
    # neighbourhood over station 4's southern two thirds
    areas = small_workspace.layer("census_areas").assign(name=lambda f: f["area_id"])
    park = gpd.GeoDataFrame({"area_id": ["parc-extension"], "name": [NEIGHBOURHOOD],
                             "level": ["local area"]},
                            geometry=[shapely.box(298_000, 5_040_000, 301_000, 5_042_000)],
                            crs=areas.crs)
    small_workspace.set_layer("census_areas", pd.concat([areas, park], ignore_index=True))
    small_workspace.save()
    return small_workspace


@pytest.fixture
def workspace(small_workspace: Workspace) -> Workspace:
    return small_workspace


#: The window of ``test_map_click``: the small workspace (the one above) at 1366 × 768.
window = map_click.window


@pytest.fixture(autouse=True)
def on_station_4(qtbot, window: MainWindow) -> None:
    """The window on station 4, where the hot spots are, and on its problems."""
    panel, combo = window.map_panel, window.station_combo
    if combo.currentData() != "4":
        with qtbot.waitSignals([panel.loadFinished, panel.mapConnected],
                               timeout=LOAD_TIMEOUT_MS):
            combo.setCurrentIndex(combo.findData("4"))
    qtbot.waitUntil(lambda: window.current_portrait is not None
                    and window.current_portrait.station_id == "4"
                    and not panel.is_building(), timeout=LOAD_TIMEOUT_MS)
    # the map may be drawn before the portrait, which then adds its hot spots to the page
    qtbot.waitUntil(lambda: run_js(qtbot, window, "!!window.portraitLayers.hot_spots"),
                    timeout=LOAD_TIMEOUT_MS)
    window.sections_panel.select_section("problems")
    wait_until_still(qtbot, window)  # the fitting animation ends


def wait_until_still(qtbot, main_window: MainWindow) -> None:
    """Until the map shows the same place at the same size twice 300 ms apart: clicks then
    land where aimed, however slowly a loaded machine plays the fitting animation or lays out
    the window."""
    shown: list[object] = [None]

    def still() -> bool:
        now = run_js(qtbot, main_window, "JSON.stringify([window.portraitMap.getBounds()"
                                         ".toBBoxString(), window.portraitMap.getSize()])")
        settled, shown[0] = now == shown[0], now
        if not settled:
            qtbot.wait(300)
        return settled

    qtbot.waitUntil(still, timeout=LOAD_TIMEOUT_MS)


def degrees(workspace: Workspace, x: float, y: float) -> shapely.Point:
    return gpd.GeoSeries([shapely.Point(x, y)], crs=workspace.crs).to_crs(MAP_CRS).iloc[0]


def screen_point(qtbot, main_window: MainWindow, workspace: Workspace, x: float,
                 y: float) -> QPoint:
    """Where the map draws the metric point (x, y), in the web view's pixels."""
    return map_click.screen_point(qtbot, main_window, degrees(workspace, x, y))


def click_map(qtbot, main_window: MainWindow, workspace: Workspace, x: float, y: float) -> None:
    QTest.mouseClick(map_widget(main_window), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier,
                     screen_point(qtbot, main_window, workspace, x, y))
    qtbot.wait(350)  # apart from the next click: not a double click


def double_click_map(qtbot, main_window: MainWindow, workspace: Workspace, x: float,
                     y: float) -> None:
    """Two presses 40 ms apart, as a hand makes them (``QTest`` spaces its clicks so that
    they never make a double click, and Chromium counts clicks by their time)."""
    where = QPointF(screen_point(qtbot, main_window, workspace, x, y))
    target = map_widget(main_window)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for step, (kind, buttons) in enumerate([(QEvent.Type.MouseButtonPress, left),
                                            (QEvent.Type.MouseButtonRelease, none)] * 2):
        event = QMouseEvent(kind, where, target.mapToGlobal(where), left, buttons,
                            Qt.KeyboardModifier.NoModifier)
        event.setTimestamp(10**9 + 40 * step)
        QApplication.sendEvent(target, event)


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def new_form(qtbot, main_window: MainWindow) -> ProblemDialog:
    problems = main_window.record_pages.problems
    click(problems.new_button)
    dialog = problems.dialog
    assert isinstance(dialog, ProblemDialog) and dialog.isVisible()
    return dialog


def start_pick(qtbot, main_window: MainWindow, dialog: ProblemDialog, mode: str) -> None:
    click(dialog.place.pick_buttons[mode])
    bar = main_window.map_panel.pick_bar
    assert not dialog.isVisible() and bar.isVisible() and bar.mode == mode
    assert bar.instruction.text() == main_window.text(f"map_pick_{mode}")
    qtbot.waitUntil(lambda: run_js(qtbot, main_window, "window.portraitPick.mode()") == mode,
                    timeout=5_000)
    qtbot.wait(800)  # the bar narrows the map, which fits the station again


def wait_for_location(qtbot, main_window: MainWindow, dialog: ProblemDialog) -> None:
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.location is not None,
                    timeout=5_000)
    assert not main_window.map_panel.pick_bar.isVisible()
    assert run_js(qtbot, main_window, "window.portraitPick.mode()") == ""


def shown_on_map(qtbot, main_window: MainWindow, workspace: Workspace) -> shapely.Polygon:
    """The chosen location's outline on the map, back in metres (its bounding box)."""
    qtbot.waitUntil(lambda: run_js(qtbot, main_window, "window.portraitPick.shown()") != "",
                    timeout=5_000)
    south, west, north, east = json.loads(run_js(qtbot, main_window,
                                                 "window.portraitPick.shown()"))
    box = gpd.GeoSeries([shapely.box(west, south, east, north)], crs=MAP_CRS)
    return box.to_crs(workspace.crs).iloc[0]


def shown_width(qtbot, main_window: MainWindow, workspace: Workspace) -> float:
    west, _, east, _ = shown_on_map(qtbot, main_window, workspace).bounds
    return east - west


def screenshot(dialog: ProblemDialog, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / f"problem_place_{name}.png"))


def test_a_point_with_its_radius(qtbot, window, workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    assert not dialog.place.radius_spin.isVisible()  # no point yet
    start_pick(qtbot, window, dialog, "point")
    click_map(qtbot, window, workspace, 299_000, 5_042_600)
    wait_for_location(qtbot, window, dialog)
    location = dialog.location
    assert location.kind == "point" and location.radius_m == 100
    assert location.geometry.distance(shapely.Point(299_000, 5_042_600)) < PIXELS_M
    assert dialog.place.radius_spin.isVisible() and dialog.place.radius_spin.value() == 100
    assert window.map_side_dock.click is None  # a pick, not an identify click

    dialog.place.radius_spin.selectAll()  # a wider circle: the same point, counted wider
    QTest.keyClicks(dialog.place.radius_spin, "150")
    QTest.keyClick(dialog.place.radius_spin, Qt.Key.Key_Return)
    assert dialog.location.radius_m == 150 and dialog.location.geometry == location.geometry
    assert dialog.place.words.text().startswith(
        "Dans un rayon de 150\u00a0m autour d'un point dans le carré de 250 m")
    qtbot.waitUntil(lambda: abs(shown_width(qtbot, window, workspace) - 300) < 5,
                    timeout=5_000)  # the circle on the map follows
    screenshot(dialog, "point")


def test_a_census_area_even_under_an_incident_dot(qtbot, window, workspace: Workspace) -> None:
    areas = workspace.layer("census_areas")
    station = workspace.layer("stations").set_index("station_id").geometry["4"]
    area = areas[areas.geometry.intersects(station.buffer(-10))
                 & areas["level"].eq("DA")].iloc[1]
    inside = shapely.Point(area.geometry.centroid.x, 5_040_700)  # in the neighbourhood
    dialog = new_form(qtbot, window)
    start_pick(qtbot, window, dialog, "census_area")
    click_map(qtbot, window, workspace, inside.x, inside.y)
    wait_for_location(qtbot, window, dialog)
    assert (dialog.location.kind, dialog.location.reference_id) == (
        "census_area", str(area["area_id"]))
    assert dialog.place.words.text() == \
        f"Aire de recensement {area['area_id']} dans {NEIGHBOURHOOD}"
    assert shown_on_map(qtbot, window, workspace).buffer(5).contains(
        area.geometry.intersection(station).buffer(-5))
    assert not dialog.place.radius_spin.isVisible()  # an area counts what is inside it
    screenshot(dialog, "census_area")


def test_a_hot_spot_cell(qtbot, window, workspace: Workspace) -> None:
    from exports.map_portrait_layers import hot_spot_cells

    cells, size = hot_spot_cells(window.current_portrait)
    cell = cells.to_crs(workspace.crs).iloc[0] if cells.crs else cells.iloc[0]
    qtbot.waitUntil(lambda: run_js(qtbot, window, "!!window.portraitLayers.hot_spots"),
                    timeout=LOAD_TIMEOUT_MS)
    dialog = new_form(qtbot, window)
    start_pick(qtbot, window, dialog, "census_area")  # changed their mind: Cancel, then cell
    click(window.map_panel.pick_bar.cancel_button)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.location is None and not window.map_panel.pick_bar.isVisible()
    start_pick(qtbot, window, dialog, "hot_spot")
    centre = cell.geometry.centroid
    click_map(qtbot, window, workspace, centre.x, centre.y)
    wait_for_location(qtbot, window, dialog)
    assert (dialog.location.kind, dialog.location.reference_id) == (
        "hot_spot_cell", str(int(cell["cell"])))
    assert dialog.location.geometry.equals(cell.geometry)
    assert dialog.place.words.text().startswith(
        f"Cellule de point chaud de {size:.0f}\u00a0m dans {NEIGHBOURHOOD}")
    screenshot(dialog, "hot_spot_cell")


def test_a_click_outside_every_hot_spot_says_so_and_waits(qtbot, window,
                                                          workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    start_pick(qtbot, window, dialog, "hot_spot")
    click_map(qtbot, window, workspace, 298_300, 5_040_300)
    bar = window.map_panel.pick_bar
    qtbot.waitUntil(lambda: bar.error.text() != "", timeout=5_000)
    assert bar.error.text() == window.text("map_pick_failed_hot_spot")
    assert bar.isVisible() and not dialog.isVisible() and dialog.location is None
    QTest.keyClick(map_widget(window), Qt.Key.Key_Escape)  # Escape gives the form back
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.location is None and not bar.isVisible()


def test_an_area_drawn_corner_by_corner_counts_the_incidents_inside_and_is_saved(
        qtbot, window, workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    QTest.keyClicks(dialog.title_edit, "Loitering near the school")
    start_pick(qtbot, window, dialog, "polygon")
    bar = window.map_panel.pick_bar
    assert not bar.finish_button.isEnabled()
    for x, y in CORNERS[:3]:
        click_map(qtbot, window, workspace, x, y)
    click_map(qtbot, window, workspace, 299_400, 5_041_400)  # a wrong corner...
    qtbot.waitUntil(lambda: bar.count == 4, timeout=5_000)
    click(bar.undo_button)  # ...taken back
    qtbot.waitUntil(lambda: bar.count == 3, timeout=5_000)
    click_map(qtbot, window, workspace, *CORNERS[3])
    qtbot.waitUntil(lambda: bar.count == 4 and bar.finish_button.isEnabled(), timeout=5_000)
    assert bar.corners.text() == "4 sommet(s)"
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "problem_place_drawing.png"))
    click(bar.finish_button)
    wait_for_location(qtbot, window, dialog)

    drawn = dialog.location
    expected = shapely.Polygon(CORNERS)
    assert drawn.kind == "area"
    assert drawn.geometry.hausdorff_distance(expected) < PIXELS_M
    hectares = f"{drawn.geometry.area / 10_000:.1f}".replace(".", ",")
    assert dialog.place.words.text() == \
        f"Secteur tracé sur la carte, {hectares}\u00a0ha, dans {NEIGHBOURHOOD}"
    assert shown_on_map(qtbot, window, workspace).buffer(10).contains(drawn.geometry)
    screenshot(dialog, "area")

    dialog.start_date.set_date(dt.date(2024, 1, 1))
    dialog.end_date.set_date(dt.date(2024, 12, 31))
    dialog.tabs.setCurrentWidget(dialog.priority)
    click(dialog.priority.count_button)
    qtbot.waitUntil(lambda: dialog.priority.inputs().incident_count is not None,
                    timeout=10_000)
    incidents = workspace.layer("incidents")
    inside = incidents[incidents.geometry.notna()
                       & incidents.geometry.within(drawn.geometry)]
    assert 0 < len(inside) < len(incidents)
    assert dialog.priority.inputs().incident_count == len(inside)
    assert dialog.priority.inputs().radius_m is None

    words = dialog.place.words.text()
    with qtbot.waitSignal(window.record_pages.records_changed):
        click(dialog.ok_button)
    assert f"Lieu{words}" in window.record_pages.problems.detail_summary.text() \
        .replace("</td><td>", "")  # the detail pane's row: the same words
    qtbot.wait(300)
    window.grab().save(str(ARTIFACTS / "problem_place_saved.png"))
    workspace.save()
    [saved] = RecordStore.load(Workspace.open(workspace.path)).problems()
    assert saved.title == "Loitering near the school" and saved.location == drawn
    assert saved.priority_inputs.incident_count == len(inside)


def test_a_double_click_closes_the_area_and_escape_cancels_one(qtbot, window,
                                                              workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    start_pick(qtbot, window, dialog, "polygon")
    bar = window.map_panel.pick_bar
    for x, y in CORNERS[:2]:
        click_map(qtbot, window, workspace, x, y)
    qtbot.waitUntil(lambda: bar.count == 2, timeout=5_000)
    QTest.keyClick(map_widget(window), Qt.Key.Key_Escape)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.location is None and bar.mode is None
    assert run_js(qtbot, window, "window.portraitPick.mode()") == ""

    start_pick(qtbot, window, dialog, "polygon")
    assert bar.count == 0  # a new outline
    for x, y in CORNERS[:2]:
        click_map(qtbot, window, workspace, x, y)
    # the double click closes the area; it does not zoom in, as it does otherwise
    assert not run_js(qtbot, window, "window.portraitMap.doubleClickZoom.enabled()")
    double_click_map(qtbot, window, workspace, *CORNERS[2])
    wait_for_location(qtbot, window, dialog)
    expected = shapely.Polygon(CORNERS[:3])
    assert dialog.location.kind == "area"
    assert dialog.location.geometry.hausdorff_distance(expected) < PIXELS_M
    assert run_js(qtbot, window, "window.portraitMap.doubleClickZoom.enabled()")


def test_the_form_stops_drawing_its_location_once_closed(qtbot, window,
                                                         workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    start_pick(qtbot, window, dialog, "point")
    click_map(qtbot, window, workspace, 299_000, 5_042_600)
    wait_for_location(qtbot, window, dialog)
    shown_on_map(qtbot, window, workspace)
    click(dialog.cancel_button)
    qtbot.waitUntil(lambda: run_js(qtbot, window, "window.portraitPick.shown()") == "",
                    timeout=5_000)


def test_a_neighbourhood_around_the_click(qtbot, window, workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    assert dialog.place.pick_buttons["named_area"].isVisible()  # the workspace has one
    start_pick(qtbot, window, dialog, "named_area")
    click_map(qtbot, window, workspace, 298_300, 5_040_300)
    wait_for_location(qtbot, window, dialog)
    assert (dialog.location.kind, dialog.location.reference_id) == (
        "census_area", "parc-extension")
    assert dialog.place.words.text() == f"Quartier {NEIGHBOURHOOD}"
    assert shown_on_map(qtbot, window, workspace).equals_exact(
        shapely.box(298_000, 5_040_000, 301_000, 5_042_000), PIXELS_M)
    screenshot(dialog, "named_area")


def test_an_edited_card_shows_its_place_and_escape_works_outside_the_map(
        qtbot, window, workspace: Workspace) -> None:
    from portrait.records import Location, ProblemCard

    drawn = shapely.Polygon(CORNERS)
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        card = window.record_pages.session.add(ProblemCard(title="Graffitis",
                                                           location=Location.area(drawn)))
    dialog = window.record_pages.problems.edit_problem(card.record_id)
    assert shown_on_map(qtbot, window, workspace).buffer(PIXELS_M).contains(drawn)
    start_pick(qtbot, window, dialog, "polygon")
    window.station_combo.setFocus()  # the officer left the map
    QTest.keyClick(window.station_combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.location.geometry.equals(drawn)  # unchanged


def test_the_assessments_target_area_is_drawn_the_same_way(qtbot, window,
                                                           workspace: Workspace) -> None:
    dialog = new_form(qtbot, window)
    tabs = dialog.tabs
    QTest.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tabs.tabBar().tabRect(tabs.indexOf(dialog.assessment)).center())
    assert tabs.currentWidget() is dialog.assessment
    click(dialog.assessment.target_button)
    bar = window.map_panel.pick_bar
    assert not dialog.isVisible() and bar.mode == "polygon"
    qtbot.waitUntil(lambda: run_js(qtbot, window, "window.portraitPick.mode()") == "polygon",
                    timeout=5_000)
    qtbot.wait(800)  # the bar narrows the map, which fits the station again
    for x, y in CORNERS:
        click_map(qtbot, window, workspace, x, y)
    qtbot.waitUntil(lambda: bar.count == 4, timeout=5_000)
    click(bar.finish_button)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.assessment.target_area.hausdorff_distance(shapely.Polygon(CORNERS)) < PIXELS_M
    assert dialog.location is None  # the problem's own place is untouched
