"""Partner briefs tested as an attacker would: nothing suppressed can be worked back.

Two attacks on generated workspaces, both looking at the whole brief set (every station's
partner PDF, workbook and map, not one table at a time):

- **differencing**: two workspaces that differ only in values the briefs hide (a station's
  handful of incidents spread differently over its categories, margins kept) must give
  partner outputs that are identical once timestamps and random ids are removed;
- **bounding**: every figure a partner receives (counts, totals, rates times the published
  populations, city rates) is turned into linear equations over the true counts, and
  integer linear programming (``scipy.optimize.milp``) bounds each suppressed count; the
  interval must not pin the value nor tell it is a small count.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from pypdf import PdfReader
from scipy.optimize import Bounds, LinearConstraint, milp

from exports.brief_appendix import disclosure_text
from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from exports.briefs import write_station_briefs
from exports.disclosure import SMALL_COUNT_HIGH
from portrait.categories import CATEGORIES as COMMON_CATEGORIES
from portrait.crs import METRIC_CRS
from portrait.engine import build_portrait, prepare
from portrait.workspace import Workspace

STATIONS = ("38", "4")
CATEGORY_TAGS = {c.id: c.tags for c in COMMON_CATEGORIES}
CATEGORIES = ("Méfait", "Introduction", "Vol dans / sur véhicule à moteur")
#: Random ids folium gives its elements, and the brief's date.
_RANDOM = re.compile(r"[0-9a-f]{32}")


def tiny_station_workspace(path: Path, small: list[str], moved_in_38: str | None = None,
                           seed: int = 38, dates: list[str] | None = None) -> Workspace:
    """The two-station test workspace where station 4 has only the incidents ``small`` (one
    source category each, at fixed places and dates); ``moved_in_38`` gives the category of
    station 38's first incident instead of its own."""
    from conftest import build_small_workspace

    workspace = build_small_workspace(path, incidents_per_station=80)
    incidents = workspace.layer("incidents")
    incidents = incidents[incidents["station_id"] != "4"].reset_index(drop=True)
    if moved_in_38 is not None:
        incidents.loc[0, "source_category"] = moved_in_38
    rng = np.random.default_rng(seed)
    tiny = gpd.GeoDataFrame(
        {"source_id": [f"4-{i}" for i in range(len(small))], "source": "test",
         "source_category": small,
         "date": pd.to_datetime(dates) if dates else pd.Timestamp("2024-02-01") +
         pd.to_timedelta(rng.integers(0, 300, len(small)), unit="D"),
         "station_id": "4"},
        geometry=[shapely.Point(299_000 + 40 * i, 5_041_000 + 30 * i)
                  for i in range(len(small))], crs=METRIC_CRS)
    workspace.set_layer("incidents", pd.concat([incidents, tiny], ignore_index=True))
    workspace.save()
    return workspace


def partner_outputs(workspace: Workspace, out: Path) -> dict[str, object]:
    """Everything partners receive for every station, with random ids removed: the brief
    as built (tables, charts' and maps' data, appendices), the PDF's text, the workbook's
    cells and the map page."""
    data = prepare(workspace)
    found: dict[str, object] = {}
    for station in STATIONS:
        options = BriefOptions(audience="partner")
        portrait = build_portrait(data, station)
        brief = build_brief(portrait, data, options)
        # the log keeps the internal reasons; what partners read is the appendix's text
        found[f"{station}.brief"] = canonical(dataclasses.replace(brief, disclosure=None))
        found[f"{station}.appendix"] = canonical(disclosure_text(brief))
        paths = write_station_briefs(workspace, data, station, options, ["pdf", "xlsx", "html"],
                                     out / station, portrait=portrait).paths
        found[f"{station}.pdf"] = [p.extract_text() for p in PdfReader(paths["pdf"]).pages]
        book = openpyxl.load_workbook(paths["xlsx"])
        found[f"{station}.xlsx"] = {s.title: [[c.value for c in row] for row in s.iter_rows()]
                                    for s in book.worksheets}
        found[f"{station}.html"] = _RANDOM.sub("ID", paths["html"].read_text(encoding="utf-8"))
    return found


def canonical(value: object) -> object:
    """Plain, comparable data: dataclasses as dicts, arrays as lists, shapes as WKT."""
    if value is SUPPRESSED:
        return "x"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, shapely.Geometry):
        return value.wkt
    if isinstance(value, np.ndarray):
        return canonical(value.tolist())
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else round(float(value), 9)
    if isinstance(value, np.integer):
        return int(value)
    return value


def differences(first: object, second: object, where: str = "") -> list[str]:
    if isinstance(first, dict) and isinstance(second, dict):
        out = []
        for key in sorted(set(first) | set(second)):
            out += differences(first.get(key), second.get(key), f"{where}/{key}")
        return out
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        out = []
        for i, (a, b) in enumerate(zip(first, second, strict=True)):
            out += differences(a, b, f"{where}[{i}]")
        return out
    if isinstance(first, str) and isinstance(second, str) and first != second:
        at = next(i for i, (a, b) in enumerate(zip(first + "\0", second + "\0", strict=False))
                  if a != b)
        return [f"{where}: …{first[max(0, at - 60):at + 40]!r} vs "
                f"…{second[max(0, at - 60):at + 40]!r}"]
    return [] if first == second else [f"{where}: {first!r} vs {second!r}"]


# --- differencing ------------------------------------------------------------------------------
@pytest.mark.parametrize("small, swapped", [
    # station 4: 1 + 1 + 1 incidents, or 2 + 0 + 1 (one moved from the 2nd category to the
    # 1st; in station 38 one incident moves back, so every station and city total stays)
    ([CATEGORIES[0], CATEGORIES[1], CATEGORIES[2]],
     [CATEGORIES[0], CATEGORIES[0], CATEGORIES[2]]),
    # 2 + 2 incidents, or 4 + 0
    ([CATEGORIES[0], CATEGORIES[1], CATEGORIES[0], CATEGORIES[1]],
     [CATEGORIES[0], CATEGORIES[0], CATEGORIES[0], CATEGORIES[0]]),
])
def test_partner_outputs_do_not_depend_on_suppressed_values(tmp_path, small, swapped) -> None:
    moved = len([c for c in swapped if c == CATEGORIES[0]]) - \
        len([c for c in small if c == CATEGORIES[0]])
    first = tiny_station_workspace(tmp_path / "first.gpkg", small)
    incidents = first.layer("incidents")
    in_38 = incidents[(incidents["station_id"] == "38") &
                      (incidents["source_category"] == CATEGORIES[0])].index[:moved]
    second = tiny_station_workspace(tmp_path / "second.gpkg", swapped)
    frame = second.layer("incidents")
    frame.loc[in_38, "source_category"] = CATEGORIES[1]  # the same places and dates
    second.set_layer("incidents", frame)
    second.save()
    found = differences(partner_outputs(first, tmp_path / "a"),
                        partner_outputs(second, tmp_path / "b"))
    assert found == [], "\n".join(found[:10])


def test_a_station_with_a_handful_of_incidents_publishes_no_total(tmp_path) -> None:
    """The leak of issue 14: the map's legend and the appendix gave the total (4) that the
    tables hid, and the zeros beside it gave the three hidden categories (1, 1, 1)."""
    workspace = tiny_station_workspace(tmp_path / "tiny.gpkg", list(CATEGORIES) + [CATEGORIES[0]])
    outputs = partner_outputs(workspace, tmp_path / "out")
    html = outputs["4.html"]
    assert "au total" not in html and "in all" not in html
    assert re.search(r"portraitCounts\W+\{[^}]*\"incidents\": 0", html)
    for sheet, rows in outputs["4.xlsx"].items():
        for row in rows:
            text = " ".join(str(v) for v in row if v is not None)
            assert not re.search(r"\b4\s*incident", text), (sheet, text)
    appendix = "\n".join(outputs["4.pdf"])
    assert "non dessiné" in appendix and not re.search(r"\b4\s*incident", appendix)
    crime = next(s for s in outputs["4.brief"]["sections"] if s["id"] == "crime")
    rows = next(t["rows"] for t in crime["tables"] if t["id"] == "categories")
    shown = {row[0]: row[1] for row in rows}
    # the hidden counts, and the zeros beside them too (else zeros + total give them back)
    assert set(shown.values()) == {"x"}, shown


def test_a_station_day_with_two_or_four_incidents_looks_the_same(tmp_path) -> None:
    """Station 4's four incidents: two on 3 March and two on 20 August, or all four on
    3 March (same categories, same places): its day, month, weekday and shift counts are
    all under the threshold, and nothing a partner receives may tell the two apart."""
    small = [CATEGORIES[0], CATEGORIES[1], CATEGORIES[0], CATEGORIES[1]]
    first = tiny_station_workspace(tmp_path / "first.gpkg", small, dates=[
        "2024-03-03 10:00", "2024-03-03 21:00", "2024-08-20 10:00", "2024-08-20 21:00"])
    second = tiny_station_workspace(tmp_path / "second.gpkg", small, dates=[
        "2024-03-03 10:00", "2024-03-03 21:00", "2024-03-03 10:00", "2024-03-03 21:00"])
    found = differences(partner_outputs(first, tmp_path / "a"),
                        partner_outputs(second, tmp_path / "b"))
    assert found == [], "\n".join(found[:10])


# --- bounding --------------------------------------------------------------------------------
def published_system(briefs: dict[str, object], data, portraits: dict[str, object]):
    """The attacker's equations over the counts n[station, category] of the period, from the
    partner briefs of every station: each published count, total, comparison rate (times the
    published population and period) and city rate."""
    categories = [r["category"] for r in
                  portraits[STATIONS[0]].section("crime").table("categories").records]
    index = {(s, c): k for k, (s, c) in enumerate((s, c) for s in STATIONS
                                                  for c in categories)}
    rows, values = [], []

    def equation(cells: list[tuple[str, str]], value: float) -> None:
        row = np.zeros(len(index))
        for cell in cells:
            row[index[cell]] = 1.0
        rows.append(row)
        values.append(round(float(value)))

    for station, brief in briefs.items():
        portrait = portraits[station]
        table = next(t for t in brief.section("crime").tables if t.id == "categories")
        names = {r["category"]: r for r in portrait.section("crime").table("categories").records}
        for category, row in zip(categories, table.rows, strict=False):
            if row[1] is not SUPPRESSED:
                equation([(station, category)], row[1])
        total = table.rows[-1][1]
        if total is not SUPPRESSED:
            equation([(station, c) for c in categories], total)
        years = float(portrait.parameters["rates"]["period_years"])
        per = float(portrait.parameters.get("options", {}).get("per_residents", 1000.0))
        for category, row in zip(categories, table.rows, strict=False):
            if row[5] is not SUPPRESSED and row[5] is not None:  # city rate: the city count
                equation([(s, category) for s in STATIONS], names[category]["city_count"])
        issues = portrait.section("issues").tables[0].records
        shown_issues = next(t for t in brief.section("issues").tables if t.id == "issues")
        for record, row in zip(issues, shown_issues.rows, strict=True):
            parts = [c for c in categories if record["tag"] in CATEGORY_TAGS[c]]
            if row[1] is not SUPPRESSED and parts:  # a tag adds up its categories
                equation([(station, c) for c in parts], row[1])
        stations_table = next(t for t in brief.section("station_comparison").tables
                              if t.id == "stations")
        ids = [c.id for c in stations_table.columns]
        comparison = portrait.section("station_comparison").tables[0].records
        for published, source in zip(stations_table.rows, comparison, strict=True):
            other = str(source["station_id"])
            population = published[ids.index("population")] if "population" in ids else None
            for category in categories:
                column = f"rate_{category}"
                if column in ids and population not in (None, SUPPRESSED):
                    rate = published[ids.index(column)]
                    if rate is not SUPPRESSED and rate is not None:
                        equation([(other, category)], rate * population * years / per)
            if "incidents" in ids and published[ids.index("incidents")] not in (None,
                                                                                 SUPPRESSED):
                equation([(other, c) for c in categories], published[ids.index("incidents")])
            rate = published[ids.index("incidents_rate")] if "incidents_rate" in ids else None
            if rate not in (None, SUPPRESSED) and population not in (None, SUPPRESSED):
                equation([(other, c) for c in categories], rate * population * years / per)
    return index, np.array(rows), np.array(values, dtype=float)


def bounds_of(index, matrix, values, cells) -> tuple[float, float]:
    """The smallest and largest integer count (the sum of ``cells``) the published
    equations allow."""
    out = []
    for sign in (1.0, -1.0):
        objective = np.zeros(len(index))
        for cell in cells:
            objective[index[cell]] = sign
        found = milp(objective, constraints=LinearConstraint(matrix, values, values),
                     integrality=np.ones(len(index)), bounds=Bounds(0, 10_000))
        assert found.success, found.message
        out.append(sign * found.fun)
    return out[0], out[1]


@pytest.mark.parametrize("small", [
    [CATEGORIES[0], CATEGORIES[1], CATEGORIES[2]],
    [CATEGORIES[0]] * 3 + [CATEGORIES[1]] * 2,
    [CATEGORIES[0]] * 2 + [CATEGORIES[2]] * 6,
    [CATEGORIES[1]],
])
def test_each_suppressed_count_keeps_a_wide_interval(tmp_path, small) -> None:
    workspace = tiny_station_workspace(tmp_path / "w.gpkg", small, seed=len(small))
    data = prepare(workspace)
    portraits = {s: build_portrait(data, s) for s in STATIONS}
    briefs = {s: build_brief(portraits[s], data, BriefOptions(audience="partner"))
              for s in STATIONS}
    index, matrix, values = published_system(briefs, data, portraits)
    truth = {}
    for station in STATIONS:
        for record in portraits[station].section("crime").table("categories").records:
            truth[(station, record["category"])] = record["count"]
    checked = 0
    for station, brief in briefs.items():
        table = next(t for t in brief.section("crime").tables if t.id == "categories")
        records = portraits[station].section("crime").table("categories").records
        hidden = [([(station, r["category"])], row[1]) for r, row in
                  zip(records, table.rows, strict=False)]
        hidden.append(([(station, r["category"]) for r in records], table.rows[-1][1]))
        for cells, shown in hidden:
            if shown is not SUPPRESSED:
                continue
            low, high = bounds_of(index, matrix, values, cells)
            true = sum(truth[cell] for cell in cells)
            assert low <= true <= high
            assert high > low, f"{cells} pinned at {low}"
            # the reader cannot even tell it is a small count
            assert low == 0 or high > SMALL_COUNT_HIGH, (cells, true, low, high)
            checked += 1
    assert checked >= 3  # station 4's counts and total are hidden, and complements


def test_a_comparison_change_never_gives_back_a_hidden_12_month_total(tmp_path) -> None:
    """Station 4: 7 incidents over the last 12 months, 2 over the 12 before. Its own brief
    hides the 2 and shows the 7; station 38's comparison gave 4's change (+5), so 7 - 5 = 2.
    Every brief's 12-month totals and changes (own table and comparison) become equations
    over each station's two totals; each hidden total must stay unpinned."""
    small = [CATEGORIES[i % 3] for i in range(10)]
    dates = ["2022-12-01 10:00", "2023-02-10 10:00", "2023-06-11 10:00"] + \
        [f"2024-{month:02d}-15 10:00" for month in range(2, 9)]
    data = prepare(tiny_station_workspace(tmp_path / "w.gpkg", small, dates=dates))
    index = {(s, w): k for k, (s, w) in enumerate((s, w) for s in STATIONS
                                                  for w in ("current", "previous"))}
    rows, values, hidden, truth = [], [], [], {}

    def equation(cells: dict[tuple[str, str], float], value: float) -> None:
        row = np.zeros(len(index))
        for cell, sign in cells.items():
            row[index[cell]] = sign
        rows.append(row)
        values.append(round(float(value)))

    for station in STATIONS:
        portrait = build_portrait(data, station)
        brief = build_brief(portrait, data, BriefOptions(audience="partner"))
        source = next(t for t in portrait.section("crime_trends").tables
                      if t.id == "changes_last_12_months").records[0]
        truth[(station, "current")], truth[(station, "previous")] = \
            source["current"], source["previous"]
        shown = next(t for t in brief.section("crime_trends").tables
                     if t.id == "changes_last_12_months").rows[0]
        for column, window in ((1, "current"), (2, "previous")):
            if shown[column] is SUPPRESSED:
                hidden.append((station, window))
            else:
                equation({(station, window): 1.0}, shown[column])
        if shown[3] is not SUPPRESSED:
            equation({(station, "current"): 1.0, (station, "previous"): -1.0}, shown[3])
        table = next(t for t in brief.section("station_comparison").tables
                     if t.id == "stations")
        change = [c.id for c in table.columns].index("change_12_months")
        records = portrait.section("station_comparison").tables[0].records
        for row, record in zip(table.rows, records, strict=True):
            other = str(record["station_id"])
            if row[change] is not SUPPRESSED and row[change] is not None:
                equation({(other, "current"): 1.0, (other, "previous"): -1.0}, row[change])
    assert (("4", "previous")) in hidden, "the edge case: station 4's 2 is hidden"
    for cell in hidden:
        low, high = bounds_of(index, np.array(rows), np.array(values, dtype=float), [cell])
        assert low <= truth[cell] <= high
        assert high > low, f"{cell} pinned at {low}"
        assert low == 0 or high > SMALL_COUNT_HIGH, (cell, truth[cell], low, high)


# --- cells, not rows --------------------------------------------------------------------------
def _change(group: str, current: int, previous: int) -> dict:
    return {"group": group, "label_fr": group, "label_en": group, "current": current,
            "previous": previous, "difference": current - previous, "statistic": 0.0,
            "p_value": 0.5, "p_adjusted": 0.6, "method": "exact"}


def test_one_small_change_hides_cells_not_whole_rows() -> None:
    """Seen: homicides 1 vs 3 blanked the Violence, Property and Vehicles rows entirely."""
    from types import SimpleNamespace

    from exports.brief_model import BriefSection
    from exports.brief_protection import Protection
    from exports.brief_sections import crime_trends, issues
    from exports.disclosure import DisclosureLog
    from portrait.portrait_model import Section, Table

    rows = [_change("all", 452, 471), _change("homicide", 1, 3), _change("robbery", 60, 55),
            _change("mischief", 200, 211), _change("vehicle_theft", 191, 202)]
    trends = Section("crime_trends", "Évolution", "Trends", tables=[Table(
        "changes_last_12_months", "12 mois", "12 months", list(rows[0]), rows)])
    tags = [{"tag": tag, "label_fr": tag, "label_en": tag, "count": count, "rate": 1.0,
             "rate_low": 0.5, "rate_high": 1.5, "lq": 1.0, "change_12_months": change,
             "change_p_adjusted": 0.5}
            for tag, count, change in (("violence", 61, 3), ("property", 391, -22),
                                       ("vehicles", 191, -11))]
    concerns = Section("issues", "Enjeux", "Issues", tables=[Table(
        "issues", "Enjeux", "Issues", list(tags[0]), tags)])
    portrait = SimpleNamespace(sections=[trends, concerns], station_id="38", parameters={})
    options = BriefOptions(audience="partner")
    protection = Protection.build(portrait, options, DisclosureLog())
    assert set(protection.change_cells["last_12_months"]) == {
        ("homicide", "current"), ("homicide", "previous"),  # the small count
        ("robbery", "current"), ("robbery", "previous")}  # one complement per column
    written = BriefSection("crime_trends", "")
    crime_trends(written, trends, portrait, None, options, protection)
    shown = {row[0]: row[1:4] for row in written.tables[0].rows}
    assert shown["mischief"] == [200, 211, -11] and shown["vehicle_theft"] == [191, 202, -11]
    assert all(v is SUPPRESSED for v in shown["homicide"] + shown["robbery"])
    written = BriefSection("issues", "")
    issues(written, concerns, portrait, None, options, protection)
    shown = {row[0]: row for row in written.tables[0].rows}
    assert shown["violence"][1] == 61  # its count hides nothing: only its change goes
    assert shown["violence"][5] is SUPPRESSED and shown["violence"][6] is SUPPRESSED
    assert shown["property"][5] == -22 and shown["vehicles"][1:3] == [191, 1.0]


def test_the_recent_counts_hide_like_the_category_counts_they_repeat() -> None:
    """When the period is the last 12 months, the changes table's recent counts are the
    crime table's counts: both must hide the same cells, or one gives the other away."""
    from types import SimpleNamespace

    from exports.brief_protection import Protection
    from exports.disclosure import DisclosureLog
    from portrait.portrait_model import Section, Table

    counts = {"robbery": 3, "mischief": 40, "vehicle_theft": 25, "break_and_enter": 60}
    previous = {"robbery": 9, "mischief": 38, "vehicle_theft": 2, "break_and_enter": 46}
    categories = [{"category": c, "label_fr": c, "label_en": c, "count": n}
                  for c, n in counts.items()]
    crime = Section("crime", "Criminalité", "Crime", tables=[Table(
        "categories", "Catégories", "Categories", list(categories[0]), categories)])
    rows = [_change("all", sum(counts.values()), sum(previous.values()))] + \
        [_change(c, counts[c], previous[c]) for c in counts]
    trends = Section("crime_trends", "Évolution", "Trends", tables=[Table(
        "changes_last_12_months", "12 mois", "12 months", list(rows[0]), rows)])
    portrait = SimpleNamespace(sections=[crime, trends], station_id="38", parameters={})
    protection = Protection.build(portrait, BriefOptions(audience="partner"), DisclosureLog())
    hidden = set(protection.categories)
    assert "robbery" in hidden and len(hidden) >= 2
    cells = protection.change_cells["last_12_months"]
    recent = {group for group, column in cells if column == "current" and group != "all"}
    assert recent == hidden
    assert (("all", "current") in cells) == (protection.station_total is not None)
    assert ("vehicle_theft", "previous") in cells  # 2 in the previous period: its own rule


def test_partner_maps_leave_out_survey_areas_under_the_minimum(small_workspace) -> None:
    from exports.web_map import MapOptions, station_map_html

    areas = small_workspace.layer("census_areas")["area_id"].astype(str).tolist()[:3]
    small_workspace.set_layer("survey_scores", pd.DataFrame({
        "survey_id": "s1", "area_id": areas, "area_level": "DA", "period": "2025",
        "theme": "Sentiment de sécurité", "subgroup": "all", "score": [71.5, 64.25, 58.75],
        "n": [120, 12, 45], "source": "test"}))
    internal = station_map_html(small_workspace, MapOptions("38"))
    partner = station_map_html(small_workspace, MapOptions("38",
                                                           audience="partner"))
    assert "64,2" in internal or "64.2" in internal  # 12 answers: shown in the station
    assert not re.search(r"n = 12\b", partner) and "64,2" not in partner and \
        "64.2" not in partner
    assert "n = 120" in partner and "n = 45" in partner


def test_the_concentration_curve_stays_in_the_station(small_workspace) -> None:
    """Its shares of incidents, times the station's total, give each cell's count: the
    small cells the partner map leaves out included."""
    data = prepare(small_workspace)
    portrait = build_portrait(data, "38")
    tables = {audience: [t.id for t in build_brief(portrait, data, BriefOptions(
        audience=audience)).section("crime_places").tables]
        for audience in ("internal", "partner")}
    assert "lorenz_cells" in tables["internal"] and "lorenz_cells" not in tables["partner"]


def test_a_handful_of_incidents_shows_no_place_figure_anywhere(tmp_path) -> None:
    """With the station's total hidden, its hot spots (around each incident) and place
    figures are withheld, on the first page too."""
    workspace = tiny_station_workspace(tmp_path / "tiny.gpkg", list(CATEGORIES))
    data = prepare(workspace)
    brief = build_brief(build_portrait(data, "4"), data, BriefOptions(audience="partner"))
    places = brief.section("crime_places")
    assert {t.id for t in places.tables} == {"indicators"}
    assert all(row[1] is SUPPRESSED for row in places.tables[0].rows if row[1] is not None)
    assert "hot_spot_map" not in {f.id for f in places.figures}
    hot_spots = [k.value for k in brief.key_figures
                 if k.label.startswith("Cellules en point chaud")]
    assert hot_spots == [SUPPRESSED]


def test_months_and_weekdays_do_not_add_up_to_a_hidden_total() -> None:
    """A station total hidden as a complement (not small) must not come back as the sum of
    the months or of the shift-by-weekday cells."""
    from types import SimpleNamespace

    from exports.brief_protection import Protection
    from exports.disclosure import COMPLEMENTARY, DisclosureLog
    from portrait.portrait_model import IndicatorValue, Section, Table

    months = [{"month": f"2024-{m:02d}", "count": 30 + m} for m in range(1, 13)]
    grid = [{"shift": shift, "weekday": d, "weekday_fr": "", "weekday_en": "",
             "count": 6 + d + 3 * s} for s, shift in enumerate(("jour", "soir", "nuit"))
            for d in range(7)]
    total = sum(r["count"] for r in months)
    trends = Section("crime_trends", "Évolution", "Trends", tables=[
        Table("monthly", "Mois", "Months", ["month", "count"], months),
        Table("time_grid", "Quarts", "Shifts", ["shift", "weekday", "weekday_fr",
                                                "weekday_en", "count"], grid)])
    crime = Section("crime", "Criminalité", "Crime", indicators=[IndicatorValue(
        "incidents_total", "Incidents", "Incidents", float(total), "incidents")])
    portrait = SimpleNamespace(sections=[crime, trends])
    for station_total, hidden in ((None, False), (COMPLEMENTARY, True)):
        protection = Protection(True, station_total=station_total,
                                limits={"low": 1, "high": 4})
        protection._protect_months(trends, portrait, "fr", DisclosureLog())
        assert bool(protection.months) is hidden  # one month at least, when it matters
        grid[0]["count"] = total - sum(r["count"] for r in grid[1:])  # the same total
        assert grid[0]["count"] > 4
        protection._protect_grid(trends, portrait, "fr", DisclosureLog())
        assert bool(protection.grid) is hidden


def test_expected_monthly_counts_hide_with_the_station_total() -> None:
    """Expected count = the station's total times the month's share of the days: printed
    beside a hidden total, it gives the total back."""
    from types import SimpleNamespace

    from exports.brief_model import BriefSection
    from exports.brief_protection import Protection
    from exports.brief_sections import crime_trends
    from exports.disclosure import COMPLEMENTARY
    from portrait.portrait_model import Section, Table

    season = [{"month": m, "count": 30 + m, "expected": 36.5, "index": (30 + m) / 36.5}
              for m in range(1, 13)]
    trends = Section("crime_trends", "Évolution", "Trends", tables=[Table(
        "seasonality", "Saisonnalité", "Seasonality", list(season[0]), season)])
    portrait = SimpleNamespace(sections=[trends], station_id="38", parameters={})
    for station_total, shown in ((None, True), (COMPLEMENTARY, False)):
        written = BriefSection("crime_trends", "")
        crime_trends(written, trends, portrait, None, BriefOptions(audience="partner"),
                     Protection(True, station_total=station_total))
        rows = next(t.rows for t in written.tables if t.id == "seasonality")
        assert all(row[1] == 30 + m for m, row in enumerate(rows, start=1))
        assert all((row[2] is not SUPPRESSED and row[3] is not SUPPRESSED) is shown
                   for row in rows)
