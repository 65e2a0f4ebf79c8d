"""The portrait engine on the large demo city (35 stations, 1,000,000 incidents).

Measures one station's full portrait, all 35, and peak memory; and, on the same data, esda's
Gi* against ours on the same grid and weights, and a plain geopandas ``sjoin`` + ``groupby``
count against our assignment of incidents to stations.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from benchmarks.common import peak_memory_mb, save, timed

TARGETS = {"one_station_s": 1.3, "all_stations_s": 13.0, "peak_memory_mb": 2_048.0}


def run(workspace_path: Path) -> None:
    from portrait.engine import build_all_portraits, build_portrait, prepare
    from portrait.workspace import Workspace

    if not workspace_path.exists():
        from demo_city.build import build_demo

        print(f"Building the large demo city in {workspace_path.parent} (about a minute)")
        build_demo(workspace_path.parent, size="large")
    results: dict = {"workspace": str(workspace_path)}
    with timed(results, "open_and_read_layers_s"):
        workspace = Workspace.open(workspace_path)
        for name in ("stations", "incidents", "census_areas", "census_values", "services",
                     "survey_respondents", "survey_answers", "survey_questions"):
            workspace.layer(name)
    results["incidents"] = len(workspace.layer("incidents"))
    with timed(results, "prepare_s"):
        data = prepare(workspace)
    results["stations"] = len(data.station_ids)
    busiest = data.incidents.frame["station"].value_counts().index[0]
    with timed(results, "one_station_s"):
        portrait = build_portrait(data, str(busiest))
    results["one_station_id"] = str(busiest)
    results["one_station_incidents"] = int(
        portrait.section("crime").indicator("incidents_total").value)
    results["one_station_json_kb"] = round(len(portrait.to_json()) / 1024, 1)
    with timed(results, "one_station_again_s"):
        build_portrait(data, str(busiest))
    with timed(results, "all_stations_s"):
        portraits = build_all_portraits(data)
    results["all_stations_plus_read_and_prepare_s"] = round(
        results["all_stations_s"] + results["open_and_read_layers_s"] + results["prepare_s"], 3)
    results["portraits"] = len(portraits)
    results["peak_memory_mb"] = peak_memory_mb()
    results["gi_star"] = _gi_star_against_esda(data, str(busiest), portrait)
    results["assignment"] = _assignment_against_sjoin(workspace, data)
    results["peak_memory_mb_with_comparisons"] = peak_memory_mb()
    results["targets"] = {name: {"target": target, "measured": results[name],
                                 "met": results[name] < target}
                          for name, target in TARGETS.items()}
    save("portrait_large", results)


def _gi_star_against_esda(data, station_id: str, portrait) -> dict:
    """Same grid counts and distance band: z-scores and time of ours and esda's."""
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    from portrait.statistics.grid import build_grid
    from portrait.statistics.hotspots import distance_band_weights, getis_ord_gi_star

    frame, _ = data.incidents.of(station_id)
    frame = frame[frame["located"]]
    used = portrait.parameters["hot_spots"]
    grid = build_grid(data.polygon(station_id), used["cell_size_m"], data.crs)
    counts, _ = grid.counts(frame["x"].to_numpy(), frame["y"].to_numpy())  # as recorded
    band = used["distance_band_m"]
    out: dict = {"station": station_id, "cells": grid.size, "cell_size_m": grid.cell_size,
                 "distance_band_m": band}
    start = time.perf_counter()
    ours = getis_ord_gi_star(counts, distance_band_weights(grid.centres, band))
    out["ours_weights_and_z_s"] = round(time.perf_counter() - start, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        weights = DistanceBand(grid.centres, threshold=band, binary=True,
                               silence_warnings=True)
        out["esda_weights_s"] = round(time.perf_counter() - start, 4)
        start = time.perf_counter()
        analytical = G_Local(counts, weights, star=True, transform="B", permutations=0)
        out["esda_z_analytical_s"] = round(time.perf_counter() - start, 4)
        start = time.perf_counter()
        G_Local(counts, weights, star=True, transform="B", permutations=999, seed=0,
                n_jobs=1)
        out["esda_999_permutations_s"] = round(time.perf_counter() - start, 4)
    out["max_abs_z_difference"] = float(np.nanmax(np.abs(ours - np.asarray(analytical.Zs))))
    return out


def _assignment_against_sjoin(workspace, data) -> dict:
    """Incidents per station by point in polygon: ours against geopandas sjoin + groupby."""
    import geopandas as gpd

    from portrait.portrait_data import polygon_index

    incidents = workspace.layer("incidents")
    stations = workspace.layer("stations")
    located = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    out: dict = {"located_incidents": len(located)}
    start = time.perf_counter()
    joined = gpd.sjoin(located[["geometry"]], stations[["station_id", "geometry"]],
                       how="inner", predicate="within")
    by_sjoin = joined.groupby("station_id").size()
    out["sjoin_groupby_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    x = located.geometry.x.to_numpy()
    y = located.geometry.y.to_numpy()
    index = polygon_index(x, y, stations.geometry.values)
    counts = np.bincount(index[index >= 0], minlength=len(stations))
    out["ours_assign_and_count_s"] = round(time.perf_counter() - start, 3)
    ids = stations["station_id"].astype(str).tolist()
    ours_counts = {ids[i]: int(c) for i, c in enumerate(counts) if c}
    out["same_counts"] = {str(k): int(v) for k, v in by_sjoin.items()} == ours_counts
    assigned = np.array(ids + [None], dtype=object)[index]
    source = located["station_id"].astype(object).to_numpy()
    out["point_in_recorded_station_share"] = round(float(np.mean(source == assigned)), 5)
    return out
