"""The map as an officer uses it: layers ticked off, incidents filtered, features clicked.

Driven through pytest-qt offscreen; the map's state is read back with JavaScript, clicks go
through the page's web channel to the side panel, as in the app.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QStandardPaths, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from exports.map_locations import clicked_location, metric_point  # noqa: E402
from exports.map_portrait_layers import hot_spot_cells  # noqa: E402
from exports.web_map import MapOptions, station_map_html  # noqa: E402
from portrait.categories import CategoryMapping  # noqa: E402
from portrait.crs import MAP_CRS  # noqa: E402
from portrait.engine import build_portrait  # noqa: E402
from portrait.errors import PortraitError  # noqa: E402
from portrait.records.problems import Location, ProblemCard  # noqa: E402
from portrait.records.store import RecordStore  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.map_side_panel import MapSideDock  # noqa: E402
from ui.strings import UiText  # noqa: E402

LOAD_TIMEOUT_MS = 30_000
SETTLE_MS = 1_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PROBLEM_TITLE = "Vols dans les véhicules, rue Ontario"
#: A point well inside station 4 (MTM zone 8), where the problem card is.
PROBLEM_POINT = shapely.Point(299_500, 5_041_500)


@pytest.fixture(autouse=True)
def qt_test_paths() -> None:
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def workspace(small_workspace: Workspace) -> Workspace:
    """The small workspace with common categories and issue tags, and one problem card."""
    incidents = small_workspace.layer("incidents")
    mapping = CategoryMapping.default()
    incidents["category"] = mapping.categories(incidents["source_category"]).to_numpy()
    incidents["tags"] = mapping.tags(incidents["source_category"]).to_numpy()
    small_workspace.set_layer("incidents", incidents)
    store = RecordStore.load(small_workspace)
    store.add(ProblemCard(title=PROBLEM_TITLE, category="theft_from_vehicle",
                          location=Location.point(PROBLEM_POINT)))
    store.save(small_workspace)
    small_workspace.save()
    return small_workspace


@pytest.fixture
def window(qtbot, workspace: Workspace):
    main_window = MainWindow(workspace, language="fr")
    main_window.resize(1300, 800)
    panel = main_window.map_panel
    with qtbot.waitSignals([panel.loadFinished, panel.mapConnected], timeout=LOAD_TIMEOUT_MS):
        main_window.show()
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run_js(qtbot, main_window: MainWindow, script: str) -> object:
    results: list[object] = []
    main_window.map_panel.page().runJavaScript(script, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5_000)
    return results[0]


def page_state(qtbot, main_window: MainWindow) -> dict:
    script = """JSON.stringify({state: JSON.parse(window.portraitState()),
        counts: window.portraitCounts, layers: Object.keys(window.portraitLayers),
        on: Object.keys(window.portraitLayers).filter(function (k) {
            return window.portraitMap.hasLayer(window.portraitLayers[k]); })})"""
    return json.loads(run_js(qtbot, main_window, script))


def reload_and_wait(qtbot, main_window: MainWindow, start) -> None:
    panel = main_window.map_panel
    with qtbot.waitSignals([panel.loadFinished, panel.mapConnected], timeout=LOAD_TIMEOUT_MS):
        start()


def located_incidents(workspace: Workspace, station_id: str, category: str | None = None
                      ) -> int:
    incidents = workspace.layer("incidents")
    mine = incidents[incidents["station_id"].eq(station_id) & incidents.geometry.notna()]
    return int(len(mine) if category is None else mine["category"].eq(category).sum())


def test_unticking_a_layer_in_the_layer_control_takes_it_off_the_map(qtbot, window) -> None:
    toggle = """(function (name) {
        var labels = document.querySelectorAll('.leaflet-control-layers-overlays label');
        for (var i = 0; i < labels.length; i++) {
            if (labels[i].textContent.trim() === name) {
                labels[i].querySelector('input').click(); return true; }
        }
        return false; })(%s)"""
    assert "services" in page_state(qtbot, window)["on"]
    assert run_js(qtbot, window, toggle % json.dumps("Services")) is True
    assert "services" not in page_state(qtbot, window)["on"]
    qtbot.waitUntil(lambda: window.map_panel.bridge.hidden_layers == ("services",))
    assert run_js(qtbot, window, toggle % json.dumps("Services")) is True
    assert "services" in page_state(qtbot, window)["on"]
    qtbot.waitUntil(lambda: window.map_panel.bridge.hidden_layers == ())


def report_view(qtbot, main_window: MainWindow, view: list[float]) -> None:
    """The officer moved the map: the page reports it through the channel, as on a move.

    The map is not moved with Leaflet here: offscreen, its zoom animations end late or never
    (a move would be ignored, or undone by the fitting animation reporting late), so the
    test lets that first animation report, then reports a move as the page would.
    """
    qtbot.wait(SETTLE_MS)
    run_js(qtbot, main_window, f"""
        window.portraitMap.removeLayer(window.portraitLayers.services);
        window.portraitBridge.stateChanged(JSON.stringify({{view: {json.dumps(view)},
            hidden: JSON.parse(window.portraitState()).hidden}})); 1""")
    qtbot.waitUntil(lambda: main_window.map_panel.bridge.view == tuple(view))


def test_filtering_by_category_redraws_where_the_officer_left_the_map(
        qtbot, window, workspace: Workspace) -> None:
    before = page_state(qtbot, window)
    assert before["counts"]["incidents"] == located_incidents(workspace, "4")
    report_view(qtbot, window, [45.5105, -73.5543, 15])
    assert window.map_panel.bridge.hidden_layers == ("services",)
    filters = window.map_panel.filters
    assert "mischief" in [filters.category_list.item(i).data(Qt.ItemDataRole.UserRole)
                          for i in range(filters.category_list.count())]
    reload_and_wait(qtbot, window, lambda: filters.set_choice(("mischief",), None))
    after = page_state(qtbot, window)
    assert after["counts"]["incidents"] == located_incidents(workspace, "4", "mischief")
    assert 0 < after["counts"]["incidents"] < before["counts"]["incidents"]
    lat, lng, zoom = after["state"]["view"]
    assert (round(lat, 4), round(lng, 4), zoom) == (45.5105, -73.5543, 15)
    assert "services" not in after["on"] and "incidents" in after["on"]
    assert window.map_options().categories == ("mischief",)
    assert filters.category_button.text() == "Catégories : 1 sur 3"
    ARTIFACTS.mkdir(exist_ok=True)
    qtbot.wait(300)  # offscreen, the web view paints a moment after loading
    window.grab().save(str(ARTIFACTS / "map_filtered.png"))
    filters.category_list.resize(filters.category_list.minimumSize())
    filters.category_list.grab().save(str(ARTIFACTS / "map_category_list.png"))


def test_filtering_by_issue_tag(qtbot, window, workspace: Workspace) -> None:
    filters = window.map_panel.filters
    reload_and_wait(qtbot, window, lambda: filters.set_choice(None, ("vehicles",)))
    counts = page_state(qtbot, window)["counts"]
    assert counts["incidents"] == located_incidents(workspace, "4", "theft_from_vehicle")
    assert filters.tag_button.text() == "Enjeux : Véhicules"


def test_another_station_opens_fitted_to_its_boundary(qtbot, window) -> None:
    report_view(qtbot, window, [45.5, -73.5, 17])
    assert window.map_options().view == (45.5, -73.5, 17)
    other = window.station_combo.findData("38")
    reload_and_wait(qtbot, window, lambda: window.station_combo.setCurrentIndex(other))
    assert window.map_options().station_id == "38"
    assert page_state(qtbot, window)["state"]["view"][2] != 17


def click_first_census_area(qtbot, main_window: MainWindow) -> str:
    return run_js(qtbot, main_window, """(function () {
        var layer = window.portraitLayers.census.getLayers()[0];
        layer.fire('click', {latlng: layer.getBounds().getCenter()});
        return layer.feature.properties.id; })()""")


def test_clicking_a_census_area_shows_its_figures_beside_the_map(
        qtbot, window, workspace: Workspace) -> None:
    dock = window.map_side_dock
    dock.hide()
    window.current_portrait = None  # still being computed
    area_id = click_first_census_area(qtbot, window)
    qtbot.waitUntil(dock.isVisible)
    assert dock.click.kind == "census_area" and dock.click.feature_id == area_id
    assert "portrait du poste sera prêt" in dock.shown_text()

    window.current_portrait = build_portrait(workspace, "4")
    click_first_census_area(qtbot, window)
    qtbot.waitUntil(lambda: "Taux de faible revenu" in dock.shown_text())
    shown = dock.shown_text()
    assert f"Aire AD {area_id}" in shown
    assert "Définition" in shown and "Source" in shown and "Recensement 2021 (test)" in shown
    ARTIFACTS.mkdir(exist_ok=True)
    qtbot.wait(500)  # the map narrows as the dock opens; let it redraw
    window.grab().save(str(ARTIFACTS / "map_side_panel.png"))
    window.retranslate("en")
    assert "Low-income rate" in dock.shown_text() and dock.windowTitle() == "Map details"


def test_a_problem_card_can_start_from_a_clicked_point_in_metric_coordinates(
        qtbot, window, workspace: Workspace) -> None:
    target = shapely.Point(299_000, 5_042_000)
    clicked = gpd.GeoSeries([target], crs=workspace.crs).to_crs(MAP_CRS).iloc[0]
    run_js(qtbot, window, f"window.portraitMap.fire('click', {{latlng: L.latLng("
                          f"{clicked.y!r}, {clicked.x!r})}}); 1")
    dock = window.map_side_dock
    # the click identifies the census area under it; the card may start at the exact point
    qtbot.waitUntil(lambda: dock.click is not None and dock.click.kind == "census_area")
    assert dock.point_button.isVisible()
    with qtbot.waitSignal(dock.problemRequested) as request:
        qtbot.mouseClick(dock.point_button, Qt.MouseButton.LeftButton)
    location = request.args[0]
    assert isinstance(location, Location) and location.kind == "point"
    assert location.geometry.distance(target) < 0.01


def test_a_problem_card_can_start_from_a_census_area(qtbot, window,
                                                     workspace: Workspace) -> None:
    area_id = click_first_census_area(qtbot, window)
    dock = window.map_side_dock
    qtbot.waitUntil(lambda: dock.click is not None and dock.click.feature_id == area_id)
    with qtbot.waitSignal(dock.problemRequested) as request:
        dock.problem_button.click()
    location = request.args[0]
    areas = workspace.layer("census_areas")
    shape = areas.loc[areas["area_id"].astype(str) == area_id].geometry.iloc[0]
    assert (location.kind, location.reference_id) == ("census_area", area_id)
    assert location.geometry.equals(shape)


def test_a_hot_spot_cell_without_its_portrait_is_a_readable_message(
        workspace: Workspace) -> None:
    with pytest.raises(PortraitError, match="not in the station's portrait"):
        clicked_location(workspace, None, "hot_spot", "12", 45.5, -73.5)
    point = metric_point(workspace, 45.5, -73.6)
    assert 280_000 < point.x < 310_000 and 5_030_000 < point.y < 5_050_000


def test_problem_locations_are_on_internal_maps_only(workspace: Workspace) -> None:
    internal = station_map_html(workspace, MapOptions("4"))
    partner = station_map_html(workspace, MapOptions("4", audience="partner"))
    title = json.dumps(PROBLEM_TITLE)[1:-1]  # as the page's GeoJSON writes it
    assert '"problems":' in internal and title in internal
    assert '"problems":' not in partner and title not in partner
    elsewhere = station_map_html(workspace, MapOptions("38"))
    assert title not in elsewhere  # 1.5 km from station 38's boundary


def test_the_problems_layer_is_drawn_in_the_window(qtbot, window) -> None:
    state = page_state(qtbot, window)
    assert "problems" in state["layers"] and "problems" in state["on"]
    tip = run_js(qtbot, window, "window.portraitLayers.problems.getLayers()[0]"
                                ".getTooltip().getContent()")
    assert PROBLEM_TITLE in tip and "Repérage" in tip


@pytest.fixture
def hot_spot_workspace(workspace: Workspace) -> Workspace:
    """Station 4 with 120 more incidents packed in a 150 m square: Gi* finds hot spots."""
    incidents = workspace.layer("incidents")
    extra = incidents.iloc[:120].copy()
    offsets = np.random.default_rng(1).uniform(0, 150, (120, 2))
    extra["geometry"] = [shapely.Point(299_500 + dx, 5_041_500 + dy) for dx, dy in offsets]
    extra["station_id"] = "4"
    extra["source_id"] = [f"cluster-{i}" for i in range(120)]
    workspace.set_layer("incidents", pd.concat([incidents, extra], ignore_index=True))
    return workspace


def test_a_hot_spot_cell_shows_its_figures_and_starts_a_card_on_its_square(
        qtbot, hot_spot_workspace: Workspace) -> None:
    portrait = build_portrait(hot_spot_workspace, "4")
    cells, size = hot_spot_cells(portrait)
    cell = cells.iloc[0]
    dock = MapSideDock(UiText("fr"))
    qtbot.addWidget(dock)
    dock.show_click(hot_spot_workspace, portrait, "4", "hot_spot", str(int(cell["cell"])),
                    45.5, -73.5)
    shown = dock.shown_text()
    assert f"Cellule {int(cell['cell'])}" in shown and "Score z (Gi*)" in shown
    assert "Point chaud, q FDR" in shown and "Benjamini-Hochberg" in shown
    assert "Source : test" in shown.replace("\u00a0", " ") and "Période" in shown
    dock.resize(340, 560)
    ARTIFACTS.mkdir(exist_ok=True)
    dock.grab().save(str(ARTIFACTS / "map_side_hot_spot.png"))
    with qtbot.waitSignal(dock.problemRequested) as request:
        dock.problem_button.click()
    location = request.args[0]
    assert (location.kind, location.reference_id) == ("hot_spot_cell", str(int(cell["cell"])))
    assert location.geometry.area == pytest.approx(size * size)
    assert location.geometry.equals(cell.geometry)

    dock.show_click(hot_spot_workspace, portrait, "38", "hot_spot", str(int(cell["cell"])),
                    45.5, -73.5)  # the map of another station: not this portrait's cell
    assert "portrait du poste sera prêt" in dock.shown_text()


def test_a_card_started_on_the_map_opens_on_the_problems_page_and_is_drawn(
        qtbot, window, workspace: Workspace) -> None:
    area_id = click_first_census_area(qtbot, window)
    dock = window.map_side_dock
    qtbot.waitUntil(lambda: dock.click is not None and dock.click.feature_id == area_id)
    dock.problem_button.click()
    assert window.sections_panel.current_section() == "problems"
    dialog = window.record_pages.problems.dialog
    assert dialog is not None and area_id in dialog.place.words.text()
    dialog.title_edit.setText("Attroupements au parc")
    panel = window.map_panel
    with qtbot.waitSignals([window.record_pages.records_changed, panel.loadFinished],
                           timeout=LOAD_TIMEOUT_MS):
        dialog.ok_button.click()
    assert workspace.is_modified  # saved with the workspace, like any other change
    qtbot.waitUntil(lambda: "Attroupements au parc" in str(run_js(
        qtbot, window, "JSON.stringify(window.portraitLayers.problems.toGeoJSON())")),
        timeout=LOAD_TIMEOUT_MS)


def test_review_mode_starts_no_card_from_the_map(qtbot, window, workspace: Workspace) -> None:
    reload_and_wait(qtbot, window, lambda: window.open_for_review(workspace.path))
    assert window.in_review_mode()
    area_id = click_first_census_area(qtbot, window)
    dock = window.map_side_dock
    qtbot.waitUntil(lambda: dock.click is not None and dock.click.feature_id == area_id)
    dock.problem_button.click()
    assert window.record_pages.problems.dialog is None
    assert window.statusBar().currentMessage() == window.text("review_read_only")


def test_the_map_is_drawn_before_the_portrait_and_gets_its_hot_spots_after(
        qtbot, hot_spot_workspace: Workspace) -> None:
    """A station switch asks for the map at once (its period known from the data); the
    portrait's hot-spot cells are added to that page when the portrait comes, with their
    entry in the layer control and their legend."""
    main_window = MainWindow(hot_spot_workspace, language="fr")
    main_window.resize(1300, 800)
    panel = main_window.map_panel
    combo = main_window.station_combo
    try:
        main_window.show()
        qtbot.waitUntil(lambda: main_window.current_portrait is not None
                        and not panel.is_building(), timeout=LOAD_TIMEOUT_MS)
        if combo.currentData() == "4":
            combo.setCurrentIndex(combo.findData("38"))
            qtbot.waitUntil(lambda: main_window.current_portrait.station_id == "38"
                            and not panel.is_building(), timeout=LOAD_TIMEOUT_MS)
        with qtbot.waitSignal(panel.layersAdded, timeout=LOAD_TIMEOUT_MS):
            combo.setCurrentIndex(combo.findData("4"))
            assert panel.options.station_id == "4"  # asked for before the portrait
            assert main_window.current_portrait.station_id != "4"
        portrait = main_window.current_portrait
        assert portrait.station_id == "4" and not panel.is_building()
        assert panel.options.period == tuple(portrait.period)
        cells, _size = hot_spot_cells(portrait)
        state = page_state(qtbot, main_window)
        assert "hot_spots" in state["on"]
        assert run_js(qtbot, main_window,
                      "window.portraitLayers.hot_spots.getLayers().length") == len(cells)
        overlays = json.loads(run_js(qtbot, main_window, """JSON.stringify(
            Array.prototype.map.call(
                document.querySelectorAll('.leaflet-control-layers-overlays label'),
                function (label) { return label.textContent.trim(); }))"""))
        assert overlays[1] == "Points chauds (Gi*)"  # after the census, as in a whole page
        assert overlays.count("Points chauds (Gi*)") == 1
        legend = run_js(qtbot, main_window, "window.portraitLegend.textContent")
        assert "Points chauds et froids (Gi*" in legend
        main_window.grab().save(str(ARTIFACTS / "map_hot_spots_added.png"))
    finally:
        main_window.close()
        main_window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
