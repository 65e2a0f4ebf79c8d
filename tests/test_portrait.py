"""The portrait engine on the hand-made workspace (known answers) and on the small demo city."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from portrait.crs import METRIC_CRS
from portrait.engine import build_all_portraits, build_portrait, compare_stations, prepare
from portrait.errors import CancelledError, PortraitError
from portrait.portrait_model import Portrait
from portrait.portrait_options import PortraitOptions
from portrait.workspace import Workspace

SECTIONS = ["socio_economic", "crime", "crime_trends", "issues", "crime_places", "services",
            "surveys", "call_demand", "station_comparison"]


@pytest.fixture(scope="module")
def small_workspace_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made workspace of conftest, written once for this module."""
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("small") / "small.gpkg").path


@pytest.fixture
def small_workspace(small_workspace_file: Path, tmp_path: Path) -> Workspace:
    """A fresh copy of the hand-made workspace (tests may change its layers)."""
    copy = tmp_path / "small.gpkg"
    shutil.copyfile(small_workspace_file, copy)
    return Workspace.open(copy)


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory, today) -> Path:
    """The small demo city's workspace, built once by the real generator and readers."""
    from demo_city.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo-portrait"), size="small", seed=7,
                      today=today)


@pytest.fixture(scope="module")
def demo(demo_workspace: Path) -> Workspace:
    """The demo workspace opened once: its prepared data is cached across these tests."""
    return Workspace.open(demo_workspace)


def _all_indicators(portrait: Portrait):
    return [i for s in portrait.sections for i in s.indicators]


# --- the hand-made workspace: values known by construction ---------------------------------------
def test_portrait_of_the_hand_made_station(small_workspace: Workspace) -> None:
    portrait = build_portrait(small_workspace, "PDQ 38")
    assert portrait.station_id == "38" and portrait.station_name == "PDQ 38"
    assert [s.id for s in portrait.sections] == SECTIONS
    values = small_workspace.layer("census_values")
    wide = values.pivot(index="area_id", columns="indicator_id", values="value")
    strips = sorted(wide.index)[:3]  # the three census strips inside station 38
    socio = portrait.section("socio_economic")
    assert socio.indicator("population").value == pytest.approx(wide.loc[strips,
                                                                          "population"].sum())
    expected_rate = 100 * wide.loc[strips, "low_income"].sum() / \
        wide.loc[strips, "low_income_base"].sum()
    assert socio.indicator("low_income_rate").value == pytest.approx(expected_rate)
    assert socio.indicator("low_income_rate").context["rank"] in (1, 2)
    assert any(c.startswith("approximate")
               for c in socio.indicator("median_household_income").caveats)
    crime = portrait.section("crime")
    total = crime.indicator("incidents_total")
    assert total.value == 100 and total.context["city"] == 200
    assert total.interval.low < 100 < total.interval.high
    rate = crime.indicator("incidents_rate")
    years = portrait.parameters["rates"]["period_years"]
    assert rate.value == pytest.approx(100 / years / socio.indicator("population").value * 1000,
                                       rel=1e-5)
    assert rate.interval.low < rate.value < rate.interval.high
    # categories come from the mapping when the rows have none
    assert {i.id for i in crime.indicators} >= {"count_mischief", "lq_break_and_enter"}


def test_incidents_without_location_are_excluded_from_spatial_statistics(
        small_workspace: Workspace) -> None:
    portrait = build_portrait(small_workspace, "38")
    places = portrait.section("crime_places")
    share = places.indicator("share_without_location")
    assert share.value == pytest.approx(10.0)  # one incident in ten has no location
    assert share.context == {"without_location": 10, "incidents": 100}
    assert portrait.parameters["hot_spots"]["points_used"] == 90
    assert portrait.section("crime").indicator("incidents_total").value == 100


def test_parameters_actually_used_are_recorded(small_workspace: Workspace) -> None:
    options = PortraitOptions(cell_size_m=250.0, kde_bandwidth_m=400.0, seed=7)
    parameters = build_portrait(small_workspace, "38", options=options).parameters
    assert parameters["hot_spots"]["cell_size_m"] == 250.0
    assert parameters["hot_spots"]["cell_size_rule"] == "given"
    assert parameters["hot_spots"]["distance_band_m"] == pytest.approx(375.0)
    assert parameters["kernel_density"]["bandwidth_m"] == 400.0
    assert parameters["crs"] == METRIC_CRS and parameters["seed"] == 7
    assert parameters["permutations"] == 0
    assert {"numpy", "pandas", "geopandas", "shapely", "scipy"} <= set(parameters["versions"])
    assert parameters["options"]["cell_size_m"] == 250.0
    chosen = build_portrait(small_workspace, "38").parameters
    assert chosen["hot_spots"]["cell_size_rule"].startswith("cell side = sqrt")
    assert 50 <= chosen["hot_spots"]["cell_size_m"] <= 500
    assert chosen["kernel_density"]["bandwidth_rule"].startswith("spatial Silverman")


def test_json_round_trip(small_workspace: Workspace) -> None:
    portrait = build_portrait(small_workspace, "4")
    text = portrait.to_json()
    json.loads(text)  # strict JSON: no NaN
    again = Portrait.from_json(text)
    assert again.to_dict() == portrait.to_dict()
    assert again.section("crime").indicator("incidents_total").interval.level == 0.95


def test_every_value_has_its_definition_source_and_period(small_workspace: Workspace) -> None:
    portrait = build_portrait(small_workspace, "38")
    for item in _all_indicators(portrait):
        assert item.label_fr and item.label_en and item.unit, item.id
        assert item.definition and item.source and item.period, item.id
        assert (item.value is None) == (item.reason is not None) or item.value is not None
        if item.value is None:
            assert item.reason, item.id
        if item.id.startswith(("rate_", "incidents_rate", "count_")) and item.value is not None:
            assert item.interval is not None, item.id


def test_an_empty_station_gets_sections_with_reasons(small_workspace: Workspace) -> None:
    stations = small_workspace.layer("stations")
    far = gpd.GeoDataFrame({"station_id": ["99"], "name": ["PDQ 99"]}, crs=METRIC_CRS,
                           geometry=[shapely.MultiPolygon([shapely.box(320_000, 5_060_000,
                                                                       321_000, 5_061_000)])])
    small_workspace.set_layer("stations", pd.concat([stations, far], ignore_index=True))
    portrait = build_portrait(small_workspace, "99")
    reasons = {s.id: s.reason for s in portrait.sections}
    for section in ("socio_economic", "crime", "crime_trends", "issues", "crime_places",
                    "surveys"):
        assert reasons[section], section
    assert "census area" in reasons["socio_economic"]
    services = portrait.section("services")
    assert services.indicator("services_in_station").value == 0
    assert services.indicator("coverage_Banque alimentaire_500m").reason
    assert any("no census population" in w for w in portrait.warnings)
    comparison = portrait.section("station_comparison").table("stations").records
    assert [r["station_id"] for r in comparison] == ["4", "38", "99"]
    assert json.loads(portrait.to_json())


def test_an_empty_workspace_gives_reasons_not_errors(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "empty.gpkg")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": ["5"]}, crs=METRIC_CRS,
        geometry=[shapely.MultiPolygon([shapely.box(0, 0, 1_000, 1_000)])]))
    portrait = build_portrait(workspace, "5")
    assert portrait.period is None and portrait.station_name == "PDQ 5"
    assert all(s.reason for s in portrait.sections if s.id != "station_comparison")
    json.loads(portrait.to_json())
    assert compare_stations(workspace).records[0]["services"] == 0


def test_a_category_absent_from_the_station_gets_a_zero_lq_with_a_note(
        small_workspace: Workspace) -> None:
    incidents = small_workspace.layer("incidents").copy()
    robbery = (incidents["station_id"] == "4") & (incidents.index % 7 == 0)
    incidents.loc[robbery, "source_category"] = "Vols qualifiés"
    small_workspace.set_layer("incidents", incidents)
    crime = build_portrait(small_workspace, "38").section("crime")
    lq = crime.indicator("lq_robbery")
    assert lq.value == 0.0 and lq.interval is None and "no interval" in lq.caveats[0]
    assert crime.indicator("count_robbery").interval.high == pytest.approx(3.689, abs=1e-3)


def test_clock_times_give_an_hour_by_weekday_grid(small_workspace: Workspace) -> None:
    trends = build_portrait(small_workspace, "38").section("crime_trends")
    assert trends.table("time_grid").columns[0] == "shift"  # no times: SPVM shifts
    incidents = small_workspace.layer("incidents").copy()
    incidents["time"] = [f"{h:02d}:15" for h in np.arange(len(incidents)) % 24]
    small_workspace.set_layer("incidents", incidents)
    grid = build_portrait(small_workspace, "38").section("crime_trends").table("time_grid")
    assert grid.columns[0] == "hour" and len(grid.records) == 24 * 7
    assert sum(r["count"] for r in grid.records) == 100


def test_unknown_station_and_inverted_period_are_clear_errors(
        small_workspace: Workspace) -> None:
    with pytest.raises(PortraitError, match="not in this workspace"):
        build_portrait(small_workspace, "12")
    with pytest.raises(PortraitError, match="after it ends"):
        build_portrait(small_workspace, "38", (pd.Timestamp("2024-06-01").date(),
                                               pd.Timestamp("2024-01-01").date()))


def test_progress_and_cancellation(small_workspace: Workspace) -> None:
    seen: list[float] = []
    build_portrait(small_workspace, "38", progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 8
    calls = iter(range(100))
    with pytest.raises(CancelledError):
        build_portrait(small_workspace, "38", is_cancelled=lambda: next(calls) >= 3)


def test_the_workspace_is_read_once_and_reread_when_a_layer_changes(
        small_workspace: Workspace) -> None:
    first = prepare(small_workspace)
    assert prepare(small_workspace) is first
    small_workspace.set_layer("services", small_workspace.layer("services").iloc[:2])
    assert prepare(small_workspace) is not first


# --- the small demo city ------------------------------------------------------------------------
def test_demo_city_portraits_are_consistent(demo: Workspace) -> None:
    workspace = demo
    incidents = workspace.layer("incidents")
    portraits = build_all_portraits(workspace)
    assert [p.station_id for p in portraits] == ["1", "23", "49"]
    totals = {p.station_id: p.section("crime").indicator("incidents_total").value
              for p in portraits}
    assert totals == incidents["station_id"].value_counts().to_dict()
    for portrait in portraits:
        for item in _all_indicators(portrait):
            if item.interval is not None and item.value is not None:
                assert item.interval.low <= item.value <= item.interval.high, item.id
            if item.test is not None and item.test.p_value is not None:
                assert 0.0 <= item.test.p_value <= 1.0, item.id
        trends = portrait.section("crime_trends")
        change = trends.indicator("change_last_12_months_all")
        assert change.test is not None and change.value == \
            change.test.details["current"] - change.test.details["previous"]
        places = portrait.section("crime_places")
        assert places.table("hot_spot_cells").columns[-1] == "bin"
        layers = {m.id: m for m in places.map_layers}
        assert layers["kernel_density"].parameters["bandwidth_m"] == \
            portrait.parameters["kernel_density"]["bandwidth_m"]
        socio = portrait.section("socio_economic")
        choropleth = {m.id: m for m in socio.map_layers}["census_low_income_rate"]
        breaks = choropleth.parameters["natural_breaks"]["breaks"]
        assert breaks == sorted(breaks) and len(breaks) <= 5
        for row in choropleth.records:  # an area's class: how many breaks lie below it
            if row["value"] is None:
                assert "class_natural_breaks" not in row
            else:
                assert row["class_natural_breaks"] == sum(b < row["value"] for b in breaks)


def test_demo_city_change_windows_match_a_direct_count(demo: Workspace, today) -> None:
    from conftest import reporting_months

    workspace = demo
    portrait = build_portrait(workspace, "23")
    incidents = workspace.layer("incidents")
    mine = incidents[incidents["station_id"] == "23"]
    current_start, end = reporting_months(today, 1)
    previous_start, previous_end = reporting_months(current_start, 1)
    current = mine["date"].between(str(current_start), str(end)).sum()
    previous = mine["date"].between(str(previous_start), str(previous_end)).sum()
    test = portrait.section("crime_trends").indicator("change_last_12_months_all").test
    assert (test.details["current"], test.details["previous"]) == (current, previous)


def test_demo_city_surveys_suppress_small_groups_and_can_be_raked(demo: Workspace) -> None:
    workspace = demo
    surveys = build_portrait(workspace, "23").section("surveys")
    favourable = [i for i in surveys.indicators if i.id.endswith("_favourable")]
    assert favourable and all(i.context["effective_n"] <= i.context["n"] for i in favourable)
    assert all(i.interval is not None and i.test is not None for i in favourable)
    strict = build_portrait(workspace, "23", options=PortraitOptions(survey_min_n=10_000))
    suppressed = strict.section("surveys")
    assert all(i.value is None and "suppressed" in i.reason for i in suppressed.indicators)
    assert suppressed.table("answers").records == []
    raked = build_portrait(workspace, "23", options=PortraitOptions(rake_surveys=True))
    raking = raked.parameters["surveys"]["raking"]
    assert raking["converged"] and set(raking["margins"]) == {"age_band"}


def test_compare_stations_side_by_side(demo: Workspace) -> None:
    workspace = demo
    comparison = compare_stations(workspace)
    frame = comparison.frame()
    assert list(frame.index) == ["1", "23", "49"]
    assert frame["incidents"].sum() == len(workspace.layer("incidents"))
    assert (frame["incidents_rate_low"] <= frame["incidents_rate"]).all()
    assert {"low_income_rate", "services_per_1000", "change_12_months"} <= set(frame.columns)
    portrait_rate = build_portrait(workspace, "49").section("crime").indicator("incidents_rate")
    assert frame.loc["49", "incidents_rate"] == pytest.approx(portrait_rate.value)
    assert np.isfinite(frame["population"]).all()
    surveys = build_portrait(workspace, "23").section("surveys")
    assert frame.loc["23", "survey_Q01_favourable"] == pytest.approx(
        surveys.indicator("survey_Q01_favourable").value)
    json.dumps(comparison.to_dict(), allow_nan=False)


def test_a_period_restricts_the_counts(demo: Workspace) -> None:
    workspace = demo
    start, end = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31")
    portrait = build_portrait(workspace, "1", (start.date(), end.date()))
    incidents = workspace.layer("incidents")
    expected = ((incidents["station_id"] == "1") & incidents["date"].between(start, end)).sum()
    assert portrait.section("crime").indicator("incidents_total").value == expected
    assert portrait.period == ("2025-03-01", "2025-03-31")
    assert portrait.section("crime_trends").indicator("seasonality").reason


# --- the engine's explanations in French ------------------------------------------------------
def _parameter_texts(value: object, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() if k != "wave" for t in _parameter_texts(v, k)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _parameter_texts(v, key)]
    return [value] if isinstance(value, str) and " " in value else []


def _explanations(portrait: Portrait) -> set[str]:
    """Every sentence the engine wrote for people: reasons, caveats, notes, warnings, the
    methods of intervals and tests, the rules of suppressed census areas and the rules
    recorded in the parameters (a survey wave keeps its name)."""
    texts: set[str] = set(portrait.warnings) | set(_parameter_texts(portrait.parameters))
    for section in portrait.sections:
        texts.update(filter(None, [section.reason, *section.notes]))
        texts.update(t.note for t in section.tables if t.note)
        for table in section.tables:
            texts.update(r[key] for r in table.records for key in ("method", "rule")
                         if isinstance(r.get(key), str) and r[key])
        for item in section.indicators:
            texts.update(filter(None, [item.reason, *item.caveats]))
            texts.update(part.method for part in (item.interval, item.test)
                         if part is not None and part.method)
    return texts


def test_every_explanation_the_engine_writes_has_its_french_wording(
        small_workspace: Workspace, demo: Workspace, tmp_path: Path) -> None:
    from portrait.wording import is_known

    empty = Workspace.create(tmp_path / "empty.gpkg")
    empty.set_layer("stations", small_workspace.layer("stations"))
    portraits = [build_portrait(empty, "38"),
                 build_portrait(small_workspace, "38", ("2030-01-01", "2030-12-31"))]
    for station in ("38", "4"):
        portraits.append(build_portrait(small_workspace, station))
    station = demo.layer("stations")["station_id"].iloc[0]
    portraits += [build_portrait(demo, station),
                  build_portrait(demo, station, (pd.Timestamp(demo.layer("incidents")["date"]
                                                               .min()).date().isoformat(),
                                                 "2099-12-31"))]
    texts = set().union(*map(_explanations, portraits))
    assert len(texts) > 30
    assert sorted(t for t in texts if not is_known(t)) == []


@pytest.mark.parametrize(("english", "french"), [
    ("no location quotient: no incidents of this category in the city",
     "pas de quotient de localisation : aucun incident de cette catégorie dans la ville"),
    ("4.5% of the station's residents live in areas without this value (suppressed or not "
     "published); it is computed from the other areas",
     "4,5 % des résidents du poste habitent des aires sans cette valeur (supprimée ou non "
     "publiée) ; elle est calculée à partir des autres aires"),
    ("Shifts of the SPVM file: jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h (time of the "
     "report). 3 incident(s) without shift left out.",
     "Quarts du fichier du SPVM : jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h (heure du "
     "signalement). 3 incident(s) sans quart exclu(s)."),
])
def test_explanations_with_numbers_and_nested_reasons(english: str, french: str) -> None:
    from portrait.wording import in_language

    assert in_language(english, "fr") == french
    assert in_language(english, "en") == english


def test_an_unknown_explanation_is_shown_as_written() -> None:
    from portrait.wording import in_language, is_known

    assert not is_known("no location quotient: something new")
    assert in_language("no location quotient: something new", "fr") == \
        "no location quotient: something new"
