"""Unknown times of day: readers mark them (the VPD's 00:00, SPVM shifts without a clock
time), the incidents layer keeps the mark, and the hour-of-day grid leaves those incidents out
and says how many; workspaces written before the mark still open, with their times as given."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data_connectors.base import ReadContext
from data_connectors.vpd_incidents import VpdIncidentReader
from portrait.engine import build_portrait
from portrait.wording import in_language
from portrait.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
VPD_2022 = SHARED / "vancouver" / "vpd_crimedata_2022.csv"
DOWNTOWN = "Central Business District"


def _vpd_file(path: Path, hours: list[int], minutes: list[int]) -> Path:
    count = len(hours)
    pd.DataFrame({"TYPE": "Theft from Vehicle", "YEAR": 2024, "MONTH": 3,
                  "DAY": np.arange(count) % 28 + 1, "HOUR": hours, "MINUTE": minutes,
                  "HUNDRED_BLOCK": "10XX GRANVILLE ST", "NEIGHBOURHOOD": DOWNTOWN,
                  "X": 491_000.0, "Y": 5_458_000.0}).to_csv(path, index=False)
    return path


def test_vpd_midnight_is_an_unknown_time(tmp_path: Path) -> None:
    path = _vpd_file(tmp_path / "crimedata.csv", [0, 0, 0, 14, 23, 0], [0, 0, 5, 30, 59, 0])
    result = VpdIncidentReader().read(path, ReadContext())
    incidents = result.layers["incidents"]
    assert incidents["time"].tolist() == ["00:00", "00:00", "00:05", "14:30", "23:59", "00:00"]
    assert incidents["time_known"].tolist() == [False, False, True, True, True, False]
    assert any("3 incident(s)" in w and "marked as an unknown time" in w
               for w in result.report.warnings)


def _small_copy(small_file: Path, folder: Path) -> Workspace:
    copy = folder / "times.gpkg"
    shutil.copyfile(small_file, copy)
    return Workspace.open(copy)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("times") / "small.gpkg").path


def _grid(workspace: Workspace, station: str = "38"):
    trends = build_portrait(workspace, station).section("crime_trends")
    grid = trends.table("time_grid")
    counts = pd.DataFrame(grid.records).groupby(grid.columns[0])["count"].sum()
    return grid, counts


def test_hour_grid_leaves_unknown_times_out_and_says_how_many(small_file: Path,
                                                               tmp_path: Path) -> None:
    workspace = _small_copy(small_file, tmp_path)
    incidents = workspace.layer("incidents")
    in_38 = (incidents["station_id"] == "38").to_numpy()
    hours = np.arange(len(incidents)) % 24
    incidents["time"] = [f"{h:02d}:15" for h in hours]
    incidents["time_known"] = True
    placeholder = in_38 & (np.arange(len(incidents)) % 5 == 0)  # a fifth of PDQ 38 at 00:00
    incidents.loc[placeholder, "time"] = "00:00"
    incidents.loc[placeholder, "time_known"] = False
    workspace.set_layer("incidents", incidents)
    grid, counts = _grid(workspace)
    assert grid.columns[0] == "hour"
    expected = pd.Series(hours[in_38 & ~placeholder]).value_counts()
    assert counts[0] == expected.get(0, 0)  # no midnight peak from placeholders
    assert counts.sum() == int(np.sum(in_38 & ~placeholder))
    left_out = int(placeholder.sum())
    assert grid.note.endswith(f"{left_out} incident(s) without a known time left out.")
    assert in_language(grid.note, "fr").endswith(
        f"{left_out} incident(s) sans heure connue exclu(s).")
    test = build_portrait(workspace, "38").section("crime_trends").indicator(
        "time_grid_independence")  # the figure's card says it too
    assert test.caveats == [f"{left_out} incident(s) without a known time left out"]
    assert in_language(test.caveats[0], "fr") == f"{left_out} incident(s) sans heure connue " \
        "exclu(s)"


def test_workspaces_without_the_mark_keep_their_times(small_file: Path, tmp_path: Path) -> None:
    """An older workspace has no time_known column: read back, it is missing, and every
    clock time counts as given."""
    workspace = _small_copy(small_file, tmp_path)
    incidents = workspace.layer("incidents")
    assert incidents["time_known"].isna().all()
    incidents["time"] = "00:00"
    workspace.set_layer("incidents", incidents)
    grid, counts = _grid(workspace)
    assert grid.columns[0] == "hour" and counts.sum() == counts[0] > 0


def test_shifts_without_clock_times_use_the_shift_grid(small_file: Path,
                                                        tmp_path: Path) -> None:
    workspace = _small_copy(small_file, tmp_path)
    incidents = workspace.layer("incidents")
    incidents["shift"] = np.array(["jour", "soir", "nuit", None], dtype=object)[
        np.arange(len(incidents)) % 4]
    incidents["time_known"] = False  # what the SPVM reader writes: a shift, no clock time
    workspace.set_layer("incidents", incidents)
    grid, counts = _grid(workspace)
    in_38 = int((incidents["station_id"] == "38").sum())
    assert grid.columns[0] == "shift" and counts.sum() == in_38 - in_38 // 4
    assert grid.note.endswith(f"{in_38 // 4} incident(s) without shift left out.")


@pytest.mark.shared_data
@pytest.mark.skipif(not VPD_2022.is_file(), reason="../shared/data is not present")
def test_real_downtown_vancouver_has_no_midnight_peak(tmp_path: Path) -> None:
    """PROVENANCE.md: the VPD writes 00:00 for unknown times; in 2022, 1,697 of Downtown's
    10,638 incidents (16 %) are at 00:00, which made midnight its peak hour."""
    raw = pd.read_csv(VPD_2022, usecols=["HOUR", "MINUTE", "NEIGHBOURHOOD"])
    downtown = raw[raw["NEIGHBOURHOOD"] == DOWNTOWN]
    placeholders = int(((downtown["HOUR"] == 0) & (downtown["MINUTE"] == 0)).sum())
    result = VpdIncidentReader().read(VPD_2022, ReadContext(
        options={"station_from": "NEIGHBOURHOOD"}))
    incidents = result.layers["incidents"]
    incidents = incidents[incidents["station_id"] == DOWNTOWN]
    assert len(incidents) == len(downtown)
    assert int((~incidents["time_known"]).sum()) == placeholders == 1_697
    workspace = Workspace.create(tmp_path / "vancouver.gpkg", title="Vancouver")
    workspace.set_layer("stations", gpd.GeoDataFrame(  # incidents carry their station's id
        {"station_id": [DOWNTOWN], "name": [DOWNTOWN]},
        geometry=[shapely.MultiPolygon([shapely.box(0, 0, 1, 1)])], crs=workspace.crs))
    workspace.set_layer("incidents", incidents)
    grid, counts = _grid(workspace, DOWNTOWN)
    assert grid.columns[0] == "hour"
    assert counts.idxmax() != 0 and counts[0] < counts.max() / 2
    assert grid.note.endswith(f"{placeholders} incident(s) without a known time left out.")


def test_spvm_shifts_carry_no_known_time(demo_files) -> None:
    """The SPVM file gives a shift (QUART), never a clock time (PROVENANCE.md)."""
    from data_connectors.registry import get_reader

    result = get_reader("spvm-incidents").read(demo_files.incidents, ReadContext())
    incidents = result.layers["incidents"]
    assert incidents["time"].isna().all() and not incidents["time_known"].any()
    assert incidents["shift"].isin(["jour", "soir", "nuit"]).mean() > 0.9
