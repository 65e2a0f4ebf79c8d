"""A problem placed at a point counts the incidents within a stated radius (100 m by default)
over its period, or the portrait's period when it has none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from portrait.crs import METRIC_CRS
from portrait.errors import PortraitError
from portrait.records.codec import decode, encode
from portrait.records.incident_selection import count_incidents
from portrait.records.priority import PriorityInputs
from portrait.records.problems import POINT_RADIUS_M, Location, ProblemCard

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
POINTS = SHARED / "montreal" / "actes_criminels_coords_only_sample.csv"
CENTRE = (300_000.0, 5_040_000.0)
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def _incidents(offsets_m: list[float], day: str = "2025-02-01") -> gpd.GeoDataFrame:
    """Incidents due east of the centre at the given distances."""
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime([day] * len(offsets_m)), "category": "mischief"},
        geometry=[shapely.Point(CENTRE[0] + d, CENTRE[1]) for d in offsets_m], crs=METRIC_CRS)


def _card(location: Location, period=PERIOD) -> ProblemCard:
    return ProblemCard(title="Méfaits au parc", category="mischief", location=location,
                       period_start=period[0], period_end=period[1])


def test_a_point_counts_the_incidents_within_100_m_and_says_so() -> None:
    card = _card(Location.point(shapely.Point(*CENTRE)))
    inputs = card.measure_priority_inputs(_incidents([0.0, 30.0, 80.0, 99.0, 120.0, 400.0]))
    assert POINT_RADIUS_M == 100.0
    assert inputs.incident_count == 4 and inputs.radius_m == 100.0
    frequency = next(c for c in ProblemCard(
        title="x", category="mischief", priority_inputs=inputs).priority().components
        if c.factor == "frequency")
    assert frequency.detail_en.startswith("4 incident(s) within 100 m of the point in 90 days")
    assert frequency.detail_fr.startswith("4 incident(s) à moins de 100 m du point en 90 jours")
    narrower = _card(Location.point(shapely.Point(*CENTRE), radius_m=50.0))
    inputs = narrower.measure_priority_inputs(_incidents([0.0, 30.0, 80.0]))
    assert (inputs.incident_count, inputs.radius_m) == (2, 50.0)


def test_an_area_states_no_radius() -> None:
    card = _card(Location.area(shapely.box(CENTRE[0] - 10, CENTRE[1] - 10, CENTRE[0] + 90,
                                           CENTRE[1] + 10)))
    inputs = card.measure_priority_inputs(_incidents([0.0, 80.0, 95.0]))
    assert inputs.incident_count == 2 and inputs.radius_m is None


def test_the_period_defaults_to_the_portraits() -> None:
    undated = ProblemCard(title="Méfaits", category="mischief",
                          location=Location.point(shapely.Point(*CENTRE)))
    incidents = _incidents([10.0], day="2024-06-01")
    with pytest.raises(PortraitError, match="give a location and a period"):
        undated.measure_priority_inputs(incidents)
    portrait_period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    inputs = undated.measure_priority_inputs(incidents, default_period=portrait_period)
    assert (inputs.incident_count, inputs.period_days) == (1, 366)
    own = _card(Location.point(shapely.Point(*CENTRE)))  # the card's own period wins
    assert own.measure_priority_inputs(incidents, default_period=portrait_period
                                       ).incident_count == 0


def test_the_radius_is_stored_and_older_inputs_still_read() -> None:
    stored = encode(PriorityInputs(incident_count=3, period_days=30, radius_m=100.0))
    assert decode(PriorityInputs, stored).radius_m == 100.0
    older = {k: v for k, v in stored.items() if k != "radius_m"}
    assert decode(PriorityInputs, older).radius_m is None
    with pytest.raises(PortraitError, match="radius_m"):
        PriorityInputs(radius_m=-5)


@pytest.mark.shared_data
@pytest.mark.skipif(not POINTS.is_file(), reason="../shared/data is not present")
def test_real_points_snapped_to_intersections_are_found_beside_them() -> None:
    """SPVM points sit on intersections (PROVENANCE.md): an officer's click 30 m from the
    busiest one must still count its incidents."""
    points = pd.read_csv(POINTS)
    located = gpd.GeoSeries(gpd.points_from_xy(points["LONGITUDE"], points["LATITUDE"]),
                            crs="EPSG:4326").to_crs(METRIC_CRS)
    xy = pd.Series(list(zip(located.x.round(3), located.y.round(3), strict=True)))
    busiest, at_busiest = xy.value_counts().index[0], int(xy.value_counts().iloc[0])
    incidents = gpd.GeoDataFrame({"date": pd.Timestamp("2025-02-01"), "category": "mischief"},
                                 index=range(len(located)), geometry=located.values,
                                 crs=METRIC_CRS)
    click = shapely.Point(busiest[0] + 30.0, busiest[1])
    counted = _card(Location.point(click)).measure_priority_inputs(incidents).incident_count
    assert counted >= at_busiest >= 2
    assert count_incidents(incidents, click, *PERIOD) == 0  # what a bare point covers


def test_the_app_starts_a_new_card_on_the_portraits_period_and_states_the_radius(
        qtbot, small_workspace) -> None:
    """In the window: a card placed at a point starts on the portrait's period; "Count
    incidents", clicked, counts within 100 m and the explanation says so."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    from ui.records.pages import RecordPages

    host = QWidget()
    qtbot.addWidget(host)
    pages = RecordPages(host, "en")
    pages.set_workspace(small_workspace, read_only=False)
    pages.set_period((dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    incidents = small_workspace.layer("incidents")
    first = incidents.geometry.dropna().iloc[0]
    dialog = pages.new_problem_at(Location.point(shapely.Point(first.x + 20, first.y)))
    assert (dialog.start_date.date(), dialog.end_date.date()) == (dt.date(2024, 1, 1),
                                                                  dt.date(2024, 12, 31))
    dialog.tabs.setCurrentWidget(dialog.priority)
    QTest.mouseClick(dialog.priority.count_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.priority.inputs().incident_count is not None,
                    timeout=10_000)
    near = incidents.geometry.dropna().distance(shapely.Point(first.x + 20, first.y)) <= 100
    assert dialog.priority.inputs().incident_count == int(near.sum()) >= 1
    assert dialog.priority.inputs().radius_m == 100.0
    assert "within 100 m of the point" in dialog.priority.explain_edit.toPlainText()
