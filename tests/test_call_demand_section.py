"""The "Demande d'appels / Call demand" section, from calls imported into a workspace."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from data_connectors.importer import import_files
from portrait.calls import PathwayTable
from portrait.engine import build_portrait
from portrait.workspace import Workspace

PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
IN_38, IN_4 = (296_500, 5_041_500), (299_500, 5_041_500)


def _call(number: int, code: str, where=IN_38, address: str = "", received: str =
          "2024-03-10 10:20:00", timed: bool = True) -> dict:
    lon, lat = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True).transform(
        *where) if where else ("", "")
    start = pd.Timestamp(received)
    return {"call_id": f"C{number}", "received": received, "call_type": code, "priority": "2",
            "disposition": "K", "address": address or f"{number} rue Sainte-Catherine",
            "latitude": lat, "longitude": lon,
            "dispatched": str(start + pd.Timedelta(minutes=5)) if timed else "",
            "cleared": str(start + pd.Timedelta(minutes=35)) if timed else "",
            "units": 2}


def _calls(timed: bool = True) -> list[dict]:
    rows = [_call(n, "CW", address="12 rue A", timed=timed) for n in range(6)]
    rows += [_call(10 + n, "415", timed=timed) for n in range(4)]
    rows += [_call(20 + n, "459R", timed=timed) for n in range(3)]
    rows += [_call(30 + n, "SELENF", timed=timed) for n in range(5)]
    rows += [_call(40 + n, "ZZZ", timed=timed) for n in range(2)]
    rows += [_call(50, "CW", where=IN_4, timed=timed), _call(51, "CW", where=None, timed=timed),
             _call(52, "CW", received="2023-06-01 10:00:00", timed=timed)]
    return rows


def _workspace_with_calls(workspace: Workspace, tmp_path: Path, timed: bool = True,
                          extra: tuple[dict, ...] = ()) -> Workspace:
    path = tmp_path / "appels_cad.csv"
    pd.DataFrame([*_calls(timed), *extra]).to_csv(path, index=False)
    import_files(workspace, [path])
    return Workspace.open(workspace.path)


def _section(portrait):
    return next(s for s in portrait.sections if s.id == "call_demand")


def test_the_section_counts_demand_by_pathway_with_its_range(small_workspace,
                                                             tmp_path: Path) -> None:
    workspace = _workspace_with_calls(small_workspace, tmp_path)
    portrait = build_portrait(workspace, "38", PERIOD)
    section = _section(portrait)
    values = {i.id: i for i in section.indicators}
    assert values["calls_total"].value == 20
    assert values["calls_total"].context["self_initiated"] == 5
    assert values["calls_demand"].value == 13
    assert values["calls_demand"].context["unmapped"] == 2
    assert values["calls_share_crisis"].value == pytest.approx(100 * 6 / 13)
    interval = values["calls_share_crisis"].interval
    assert interval.low < 100 * 6 / 13 < interval.high
    diverted = values["calls_diverted"]
    assert diverted.value == pytest.approx(100 * 9 / 13)
    # welfare checks all to police and disturbances kept as police; then both the other way
    assert diverted.context["range_low"] == pytest.approx(100 * 3 / 13)
    assert diverted.context["range_high"] == pytest.approx(100.0)
    assert values["calls_not_placed"].value == 1
    assert values["calls_diverted_hours"].value == pytest.approx(9.0)  # 9 calls, 30 min, 2 units
    tables = {t.id: t for t in section.tables}
    assert tables["calls_unmapped"].records == [{"call_type": "ZZZ", "description": "",
                                                 "calls": 2}]
    places = tables["calls_repeat_places"].records
    assert [(p["place"], p["calls"], p["main_pathway"]) for p in places] == [
        ("12 rue A", 6, "crisis")]
    assert places[0]["x"] == pytest.approx(IN_38[0], abs=0.5)
    grid = {(r["hour"], r["weekday"]): r["calls"] for r in tables["calls_hour_weekday"].records}
    assert grid[(10, 6)] == 13 and sum(grid.values()) == 13  # 2024-03-10 is a Sunday
    practices = {r["practice_id"]: r["calls"] for r in tables["calls_practices"].records}
    assert practices == {"call_back_unit": 3, "mental_health_co_response": 6}
    assert portrait.parameters["call_demand"]["pathway_table"] == \
        PathwayTable.default().version
    json.dumps(portrait.to_dict(), allow_nan=False)


def test_changes_use_the_incidents_windows_and_tests(small_workspace, tmp_path: Path) -> None:
    # an officer's own traffic stop on 2022-12-31 makes the data reach the previous window
    early = _call(60, "T", received="2022-12-31 23:00:00")
    workspace = _workspace_with_calls(small_workspace, tmp_path, extra=(early,))
    section = _section(build_portrait(workspace, "38", PERIOD))
    values = {i.id: i for i in section.indicators}
    demand = values["calls_change_last_12_months_demand"]
    assert demand.value == 13 - 1  # 2024 against 2023 (the welfare check of June 2023)
    assert demand.test.details["current"] == 13 and demand.test.details["previous"] == 1
    assert demand.test.method.startswith("exact")  # small counts
    crisis = values["calls_change_year_to_date_crisis"]
    assert crisis.test.details["current"] == 6 and crisis.test.details["previous"] == 1
    table = next(t for t in section.tables if t.id == "calls_changes_year_to_date")
    assert [r["group"] for r in table.records] == ["demand", "emergency", "deferrable",
                                                   "crisis", "other_service"]
    assert table.records[1]["p_adjusted"] is not None


def test_without_unit_times_the_section_counts_calls_only(small_workspace,
                                                          tmp_path: Path) -> None:
    workspace = _workspace_with_calls(small_workspace, tmp_path, timed=False)
    section = _section(build_portrait(workspace, "38", PERIOD))
    hours = next(i for i in section.indicators if i.id == "calls_diverted_hours")
    assert hours.value is None and "no dispatch or clear times" in hours.reason
    table = next(t for t in section.tables if t.id == "calls_time_spent")
    assert table.records == [] and "calls are counted, time is not" in table.note


def test_an_imported_pathway_table_is_used_and_recorded(small_workspace,
                                                        tmp_path: Path) -> None:
    table = tmp_path / "mes_reponses.csv"
    text = PathwayTable.default().to_csv().replace(
        "\nCW,,,crisis,emergency,no,", "\nCW,,,deferrable,,no,")
    table.write_text(text, encoding="utf-8")
    workspace = _workspace_with_calls(small_workspace, tmp_path)
    import_files(workspace, [table])
    portrait = build_portrait(Workspace.open(workspace.path), "38", PERIOD)
    values = {i.id: i for i in _section(portrait).indicators}
    assert values["calls_share_crisis"].value == 0
    assert values["calls_share_deferrable"].value == pytest.approx(100 * 9 / 13)
    recorded = portrait.parameters["call_demand"]
    assert recorded["pathway_table"].startswith("mes_reponses.csv (sha256 ")
    assert recorded["pathway_table_changes"][0]["call_types"] == "CW"
    assert recorded["pathway_table_changes"][0]["default_pathway"] == "crisis"


def test_a_workspace_without_calls_says_so(small_workspace) -> None:
    section = _section(build_portrait(small_workspace, "38", PERIOD))
    assert section.reason == "the workspace holds no calls for service"


def test_a_cell_of_repeat_calls_is_named_by_where_it_is(small_workspace,
                                                        tmp_path: Path) -> None:
    # calls without an address group in 100 m cells; the officer reads the cell's centre as
    # latitude, longitude (a grid index such as "2965_50415" meant nothing to anyone)
    spot = (296_730, 5_041_420)
    extra = tuple({**_call(70 + n, "CW", where=spot), "address": ""} for n in range(5))
    workspace = _workspace_with_calls(small_workspace, tmp_path, extra=extra)
    section = _section(build_portrait(workspace, "38", PERIOD))
    cell = next(r for r in next(t for t in section.tables
                                if t.id == "calls_repeat_places").records
                if r["kind"] == "cell")
    latitude, longitude = (float(part) for part in cell["place"].split(", "))
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32188", always_xy=True).transform(
        longitude, latitude)
    assert (x // 100, y // 100) == (spot[0] // 100, spot[1] // 100)
    assert (cell["x"], cell["y"]) == pytest.approx((296_750, 5_041_450))
    assert cell["calls"] == 5
