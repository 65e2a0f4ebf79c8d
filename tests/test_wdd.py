"""The weighted displacement difference test (Wheeler & Ratcliffe 2018) and its counts."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from scipy import stats

from portrait.crs import METRIC_CRS
from portrait.errors import PortraitError
from portrait.records import (
    Location,
    ProblemCard,
    RecordStore,
    WddCounts,
    assess_problem,
    pin,
    pin_assessment,
    wdd_from_incidents,
    wdd_test,
)
from portrait.workspace import Workspace

X0, Y0 = 296_000.0, 5_041_000.0
TARGET = shapely.box(X0, Y0, X0 + 200, Y0 + 200)
CONTROL = shapely.box(X0 + 1_000, Y0, X0 + 1_200, Y0 + 200)
START = dt.date(2025, 6, 1)


def test_golden_values_without_buffers() -> None:
    result = wdd_test(WddCounts(target_before=20, target_after=10, control_before=20,
                                control_after=20))
    assert result.wdd == -10
    assert result.variance == 70
    assert result.standard_error == pytest.approx(math.sqrt(70)) == pytest.approx(8.367, abs=1e-3)
    assert result.z == pytest.approx(-10 / math.sqrt(70))
    assert result.z == pytest.approx(-1.195, abs=1e-3)
    assert result.p_value == pytest.approx(0.232, abs=1e-3)
    assert not result.significant()
    assert (result.delta_target, result.delta_control) == (-10, 0)


def test_hand_made_case_with_buffers() -> None:
    # ΔT = 15 − 30 = −15, ΔC = 0, ΔD = 14 − 12 = +2 (displacement), ΔD_C = 0
    result = wdd_test(WddCounts(30, 15, 25, 25, buffer_before=12, buffer_after=14,
                                control_buffer_before=10, control_buffer_after=10))
    assert result.wdd == -15 - 0 + 2 - 0 == -13
    assert result.variance == 30 + 15 + 25 + 25 + 12 + 14 + 10 + 10 == 141
    assert result.z == pytest.approx(-13 / math.sqrt(141))
    assert result.p_value == pytest.approx(2 * stats.norm.sf(13 / math.sqrt(141)))
    # A big drop with diffusion of benefits to the buffer is significant.
    strong = wdd_test(WddCounts(60, 20, 50, 48, 30, 20, 25, 26))
    assert strong.wdd == (20 - 60) - (48 - 50) + (20 - 30) - (26 - 25) == -49
    assert strong.significant()
    explained = strong.explain("fr")
    assert "WDD = -40 − (-2) + (-10) − (1) = -49" in explained
    assert "Baisse significative" in explained
    assert "Significant drop" in strong.explain("en")


def test_no_test_when_every_count_is_zero() -> None:
    result = wdd_test(WddCounts(0, 0, 0, 0))
    assert (result.wdd, result.z, result.p_value, result.reason) == \
        (0, None, None, "every count is zero")
    assert "Test impossible" in result.explain("fr")
    with pytest.raises(PortraitError, match="target_before"):
        WddCounts(-1, 0, 0, 0)


def _incidents(rows: list[tuple[str, shapely.Point | None, str]],
               crs: str = METRIC_CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), "category": [r[2] for r in rows]},
        geometry=gpd.GeoSeries([r[1] for r in rows], crs=crs), crs=crs)


def _hand_made_layer() -> gpd.GeoDataFrame:
    """Points in the target, its 100 m ring, the control, its ring and elsewhere, before
    (May 2025) and after (June 2025) the response start."""
    target, ring = shapely.Point(X0 + 100, Y0 + 100), shapely.Point(X0 + 250, Y0 + 100)
    control, control_ring = shapely.Point(X0 + 1_100, Y0 + 100), shapely.Point(X0 + 1_100,
                                                                              Y0 + 260)
    far = shapely.Point(X0 + 5_000, Y0 + 5_000)
    rows = []
    rows += [("2025-05-10", target, "mischief")] * 6 + [("2025-06-10", target, "mischief")] * 2
    rows += [("2025-05-11", ring, "mischief")] * 1 + [("2025-06-11", ring, "mischief")] * 3
    rows += [("2025-05-12", control, "mischief")] * 4 + [("2025-06-12", control, "mischief")] * 5
    rows += [("2025-05-13", control_ring, "mischief")] * 2 + \
        [("2025-06-13", control_ring, "mischief")] * 2
    rows += [("2025-05-14", far, "mischief")] * 7                   # outside every area
    rows += [("2025-06-14", target, "robbery")] * 4                 # another category
    rows += [("2025-03-01", target, "mischief")] * 5                # before the window
    rows += [("2025-05-31", None, "mischief")] * 2                  # no location
    rows += [("2025-05-01", shapely.Point(X0, Y0 + 50), "mischief")]  # on the target edge
    rows += [("2025-06-30", target, "mischief")]                    # last day of the window
    return _incidents(rows)


def test_counts_from_a_hand_made_incidents_layer() -> None:
    result = wdd_from_incidents(_hand_made_layer(), TARGET, CONTROL, START, window_days=31,
                                buffer_m=100, categories=["mischief"])
    c = result.counts
    assert (c.target_before, c.target_after) == (6 + 1, 2 + 1)
    assert (c.buffer_before, c.buffer_after) == (1, 3)
    assert (c.control_before, c.control_after) == (4, 5)
    assert (c.control_buffer_before, c.control_buffer_after) == (2, 2)
    assert result.wdd == (3 - 7) - (5 - 4) + (3 - 1) - (2 - 2) == -3
    assert result.variance == 7 + 3 + 1 + 3 + 4 + 5 + 2 + 2
    p = result.parameters
    assert p["before"] == ["2025-05-01", "2025-05-31"]
    assert p["after"] == ["2025-06-01", "2025-07-01"]
    assert (p["window_days"], p["buffer_m"], p["control_buffer_m"]) == (31, 100, 100)
    assert p["categories"] == ["mischief"] and p["unlocated_incidents_left_out"] == 2
    assert p["crs"] == "EPSG:32188"

    every_category = wdd_from_incidents(_hand_made_layer(), TARGET, CONTROL, START, 31)
    assert every_category.counts.target_after == 3 + 4
    assert every_category.counts.buffer_before == 0  # no buffers asked for
    assert every_category.parameters["buffer_m"] is None


def test_default_windows_are_the_longest_equal_ones_the_data_cover() -> None:
    rows = [("2025-05-20", shapely.Point(X0 + 10, Y0 + 10), "mischief"),
            ("2025-06-10", shapely.Point(X0 + 10, Y0 + 10), "mischief"),
            ("2025-07-15", shapely.Point(X0 + 1_010, Y0 + 10), "mischief")]
    result = wdd_from_incidents(_incidents(rows), TARGET, CONTROL, START)
    assert result.parameters["window_days"] == 12  # from 20 May to the start: 12 days
    assert (result.counts.target_before, result.counts.target_after) == (1, 1)
    assert result.counts.control_after == 0  # 15 July is past the 12-day after window
    late = wdd_from_incidents(_incidents(rows), TARGET, CONTROL, START, window_days=90)
    assert any("before window" in w for w in late.warnings)
    assert any("after window" in w for w in late.warnings)
    with pytest.raises(PortraitError, match="both sides"):
        wdd_from_incidents(_incidents(rows), TARGET, CONTROL, dt.date(2026, 1, 1))


def test_degree_crs_and_overlapping_areas_are_refused() -> None:
    rows = [("2025-05-20", shapely.Point(-73.56, 45.50), "mischief")]
    with pytest.raises(PortraitError, match="not metres"):
        wdd_from_incidents(_incidents(rows, "EPSG:4326"), shapely.box(-73.57, 45.49, -73.55,
                                                                      45.51),
                           shapely.box(-73.5, 45.49, -73.49, 45.51), START, 30)
    layer = _hand_made_layer()
    with pytest.raises(PortraitError, match="target area and control area"):
        wdd_from_incidents(layer, TARGET, shapely.box(X0 + 100, Y0, X0 + 300, Y0 + 200),
                           START, 30)
    with pytest.raises(PortraitError, match="displacement buffer and control area"):
        wdd_from_incidents(layer, TARGET, CONTROL, START, 30, buffer_m=900)
    with pytest.raises(PortraitError, match="positive"):
        wdd_from_incidents(layer, TARGET, CONTROL, START, 30, buffer_m=-5)


def test_assessing_a_problem_card_from_the_workspace(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    workspace.set_layer("incidents", _hand_made_layer().assign(
        source_category="Méfait", tags=None))
    card = ProblemCard(title="Méfaits dans la ruelle", category="mischief",
                       location=Location.area(TARGET), response_start=START,
                       control_area=CONTROL, displacement_buffer_m=100)
    result = assess_problem(card, workspace, window_days=31)
    direct = wdd_from_incidents(_hand_made_layer(), TARGET, CONTROL, START, 31, 100,
                                categories=["mischief"])
    assert result.counts == direct.counts and result.wdd == -3

    card = pin(card, pin_assessment(result, by="ana"), by="ana")
    store = RecordStore()
    store.add(card)
    store.save(workspace)
    workspace.save()
    pinned = RecordStore.load(Workspace.open(workspace.path)).get(card.record_id).evidence[0]
    assert (pinned.kind, pinned.value) == ("assessment", -3.0)
    assert pinned.values["counts"]["target_before"] == 7
    assert pinned.period == "2025-05-01 → 2025-07-01"

    with pytest.raises(PortraitError, match="response start"):
        assess_problem(ProblemCard(title="x"), workspace)
    with pytest.raises(PortraitError, match="control area"):
        assess_problem(ProblemCard(title="x", response_start=START, target_area=TARGET),
                       workspace)
