"""The station comparison: whole numbers for counts and populations, and for every station
the same incidents and the same change test as its own pages."""

from __future__ import annotations

import datetime as dt

import pytest

from exports.brief_build import build_brief
from exports.brief_cells import cell_text
from exports.brief_model import BriefOptions
from portrait.engine import build_portrait, compare_stations, prepare
from portrait.sections.comparison import INTEGER_COLUMNS
from portrait.workspace import Workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, today) -> Workspace:
    from demo_city.build import build_demo

    return Workspace.open(build_demo(tmp_path_factory.mktemp("comparison"), size="small",
                                     seed=7, today=today))


def test_counts_and_populations_are_whole_numbers(demo: Workspace) -> None:
    data = prepare(demo)
    comparison = compare_stations(demo)
    assert set(INTEGER_COLUMNS) <= {c["id"] for c in comparison.columns}
    for record in comparison.records:
        for column in INTEGER_COLUMNS:
            assert type(record[column]) is int, (record["station_id"], column)
        assert record["population"] == round(data.population(record["station_id"]))


def test_every_station_has_its_own_pages_figures_and_change_test(demo: Workspace) -> None:
    for period in (None, (dt.date(2025, 1, 1), dt.date(2025, 12, 31))):
        comparison = compare_stations(demo, period).frame()
        for station_id, record in comparison.iterrows():
            portrait = build_portrait(demo, station_id, period)
            total = portrait.section("crime").indicator("incidents_total")
            assert record["incidents"] == total.value
            change = portrait.section("crime_trends").indicator("change_last_12_months_all")
            if "change_12_months" not in comparison:
                assert change.value is None and change.reason
                continue
            assert record["change_12_months"] == change.value
            assert record["change_12_months_p_value"] == pytest.approx(change.test.p_value,
                                                                      rel=1e-12)


def test_brief_prints_the_comparison_counts_without_decimals(demo: Workspace) -> None:
    data = prepare(demo)
    station = data.station_ids[0]
    brief = build_brief(build_portrait(data, station), data,
                        BriefOptions(audience="internal", language="fr"))
    table = next(t for t in brief.section("station_comparison").tables if t.id == "stations")
    ids = [c.id for c in table.columns]
    for column in ("population", "incidents", "services"):
        position = ids.index(column)
        assert table.columns[position].kind == "int"
        printed = [cell_text(row[position], table.columns[position], "", "fr")
                   for row in table.rows]
        assert all("," not in text and text.replace("\u202f", "").isdigit()
                   for text in printed), printed
