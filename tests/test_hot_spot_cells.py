"""Hot-spot cells on real shapes: points binned as recorded (no rounding), edge cells that
count the incidents beyond the boundary or are left out, bins named by their FDR q, and the
80/20 reading of concentration."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from exports.map_portrait_layers import words
from exports.static_maps import BIN_LABELS
from portrait.crs import METRIC_CRS
from portrait.engine import build_portrait
from portrait.statistics.concentration import concentration
from portrait.statistics.grid import build_grid, covered_fraction
from portrait.statistics.hotspots import MIN_COVERED, HotSpotParameters, hot_spots
from portrait.wording import in_language, is_known
from portrait.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PDQ = SHARED / "montreal" / "limites_pdq_mtm8_epsg32188.geojson"
POINTS = SHARED / "montreal" / "actes_criminels_coords_only_sample.csv"


def _raw_cell_counts(grid, x, y) -> np.ndarray:
    """Points per kept cell, by flooring the coordinates as recorded."""
    col = np.floor((np.asarray(x) - grid.x0) / grid.cell_size).astype(int)
    row = np.floor((np.asarray(y) - grid.y0) / grid.cell_size).astype(int)
    index = {(c, r): i for i, (c, r) in enumerate(zip(grid.col, grid.row, strict=True))}
    counts = np.zeros(grid.size)
    for c, r in zip(col, row, strict=True):
        if (c, r) in index:
            counts[index[(c, r)]] += 1
    return counts


def test_points_just_below_a_cell_edge_stay_in_their_cell() -> None:
    """Rounding to the metre first moved 499.6 into the next cell."""
    rng = np.random.default_rng(3)
    x = np.r_[np.full(40, 499.6), rng.uniform(0, 1000, 200)]
    y = np.r_[np.full(40, 250.0), rng.uniform(0, 1000, 200)]
    spots = hot_spots(x, y, shapely.box(0, 0, 1000, 1000), HotSpotParameters(cell_size=100))
    assert spots.counts.tolist() == _raw_cell_counts(spots.grid, x, y).tolist()
    assert spots.counts[spots.grid.cell_of([450.0], [250.0])[0]] >= 40


def _uniform(rng: np.random.Generator, box: tuple[float, float, float, float], n: int):
    return rng.uniform(box[0], box[2], n), rng.uniform(box[1], box[3], n)


def test_edge_cells_count_incidents_beyond_the_boundary() -> None:
    """Incidents spread evenly over two stations: the last column of the west station's grid
    is 30 % inside. Counted as full cells with the station's incidents only, those cells read
    as cold spots; with the neighbour's incidents they are ordinary cells."""
    rng = np.random.default_rng(11)
    west, east = shapely.box(0, 0, 1030, 1000), shapely.box(1030, 0, 2000, 1000)
    x, y = _uniform(rng, (0, 0, 2000, 1000), 12_000)
    mine = shapely.contains_xy(west, x, y)
    grid = build_grid(west, 100.0)
    edge = grid.col == 10
    assert np.allclose(grid.inside_fraction[edge], 0.3)
    naive = hot_spots(x[mine], y[mine], west, HotSpotParameters(cell_size=100), grid=grid,
                      covered=np.ones(grid.size))
    assert (naive.bins[edge] < 0).sum() >= 5  # the bias being fixed
    covered = covered_fraction(grid, [east])
    assert np.allclose(covered, 1.0)
    fair = hot_spots(x[mine], y[mine], west, HotSpotParameters(cell_size=100), grid=grid,
                     beyond=(x[~mine], y[~mine]), covered=covered)
    assert (fair.bins[edge] < 0).sum() == 0
    assert fair.counts.tolist() == _raw_cell_counts(grid, x, y).tolist()
    assert fair.own_counts.tolist() == _raw_cell_counts(grid, x[mine], y[mine]).tolist()


def test_cells_mostly_outside_every_station_are_not_tested() -> None:
    rng = np.random.default_rng(5)
    station = shapely.box(0, 0, 1030, 1000)  # nothing beyond: the river
    x, y = _uniform(rng, (0, 0, 1030, 1000), 3_000)
    spots = hot_spots(x, y, station, HotSpotParameters(cell_size=100))
    edge = spots.grid.col == 10
    assert spots.untested_cells == int(edge.sum()) == 10
    assert np.isnan(spots.z_scores[edge]).all() and (spots.bins[edge] == 0).all()
    assert np.isfinite(spots.z_scores[~edge]).all()


def test_80_20_is_the_smallest_share_of_places_holding_80_percent() -> None:
    counts = np.r_[np.zeros(80), np.ones(10), np.full(10, 9.0)]  # 10 places hold 90 of 100
    result = concentration(counts)
    assert result.places_for_80pct == pytest.approx(0.09)  # 9 x 9 = 81 >= 80
    assert concentration([5, 5, 5, 5, 5]).places_for_80pct == 0.8  # 4 of 5 hold 80 %
    assert concentration([5, 5, 5, 5]).places_for_80pct == 1.0  # 3 of 4 hold only 75 %
    assert concentration([0, 0]).places_for_80pct is None


def test_bins_are_named_by_their_false_discovery_rate() -> None:
    for bin_ in (3, 2, 1, -1, -2, -3):
        for language in ("fr", "en"):
            label = words(f"bin_{bin_}", language)
            assert "q" in label and "confi" not in label
            assert "q" in BIN_LABELS[language][bin_]
    assert words("bin_2", "fr") == "Point chaud, q FDR ≤ 0,05"


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("cells") / "small.gpkg",
                                 incidents_per_station=600).path


def test_station_portrait_states_what_it_did_with_edge_cells(small_file: Path) -> None:
    portrait = build_portrait(Workspace.open(small_file), "38")
    places = portrait.section("crime_places")
    used = portrait.parameters["hot_spots"]
    assert used["incidents_beyond_boundary"] > 0  # PDQ 4's incidents next to the boundary
    assert is_known(used["edge_cells"]) and is_known(used["fdr"]) and is_known(used["bins"])
    hot = places.indicator("hot_spot_cells")
    assert "FDR q" in hot.label_en and "q FDR" in hot.label_fr
    assert hot.context["edge_cells_not_tested"] == used["edge_cells_not_tested"]
    note = places.table("hot_spot_cells").note
    assert note.endswith(f"{used['edge_cells_not_tested']} edge cell(s) less than 50% covered "
                         "not tested.")
    assert in_language(note, "fr") != note and is_known(note)
    eighty = places.indicator("places_for_80pct_cells")
    counts = np.sort(_own_counts(small_file, "38", used))[::-1]
    needed = int(np.searchsorted(np.cumsum(counts), 0.8 * counts.sum() * (1 - 1e-12))) + 1
    assert eighty.value == pytest.approx(100.0 * needed / counts.size, abs=1e-3)


def _own_counts(path: Path, station: str, used: dict) -> np.ndarray:
    workspace = Workspace.open(path)
    stations = workspace.layer("stations")
    polygon = stations.loc[stations["station_id"] == station].geometry.iloc[0]
    incidents = workspace.layer("incidents")
    mine = incidents[(incidents["station_id"] == station) & incidents.geometry.notna()]
    grid = build_grid(polygon, used["cell_size_m"])
    return _raw_cell_counts(grid, mine.geometry.x.to_numpy(), mine.geometry.y.to_numpy())


@pytest.mark.shared_data
@pytest.mark.skipif(not (PDQ.is_file() and POINTS.is_file()),
                    reason="../shared/data is not present")
def test_real_stations_and_incident_points(tmp_path: Path) -> None:
    """Real SPVM station boundaries and 16,992 real incident points (PROVENANCE.md): every
    significant cell's count is the points lying in it, and no cell less than half covered by
    the stations is called hot or cold."""
    boundaries = gpd.read_file(PDQ)
    stations = gpd.GeoDataFrame(
        {"station_id": boundaries["PDQ"].astype(int).astype(str),
         "name": "PDQ " + boundaries["PDQ"].astype(int).astype(str)},
        geometry=boundaries.geometry.values, crs=METRIC_CRS)
    points = pd.read_csv(POINTS)
    located = gpd.points_from_xy(points["LONGITUDE"], points["LATITUDE"], crs="EPSG:4326")
    located = gpd.GeoSeries(located).to_crs(METRIC_CRS)
    workspace = Workspace.create(tmp_path / "montreal.gpkg", title="Montréal")
    workspace.set_layer("stations", stations)
    workspace.set_layer("incidents", gpd.GeoDataFrame(
        {"source_category": "Vol de véhicule à moteur", "date": pd.Timestamp("2019-01-01"),
         "source": "sample"}, index=range(len(points)), geometry=located.values,
        crs=METRIC_CRS))
    x, y = located.x.to_numpy(), located.y.to_numpy()
    union = stations.geometry.union_all()
    for station in ("20", "38", "15"):
        portrait = build_portrait(workspace, station)
        used = portrait.parameters["hot_spots"]
        polygon = stations.loc[stations["station_id"] == station].geometry.iloc[0]
        grid = build_grid(polygon, used["cell_size_m"])
        boxes = grid.boxes()
        covered = shapely.area(shapely.intersection(boxes, union)) / grid.cell_size ** 2
        assert used["edge_cells_not_tested"] == int(np.sum(covered < MIN_COVERED - 1e-6))
        raw = _raw_cell_counts(grid, x, y)
        rows = portrait.section("crime_places").table("hot_spot_cells").records
        assert rows, f"PDQ {station} has no significant cell"
        for row in rows:
            assert row["count"] == raw[row["cell"]]
            assert row["covered"] >= MIN_COVERED - 1e-6
            assert math.isclose(row["covered"], covered[row["cell"]], abs_tol=2e-3)
