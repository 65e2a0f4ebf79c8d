"""The portrait engine on the large demo city (35 stations, 1,000,000 incidents) and on
copies grown to several million incidents.

Measures one station's report in a cold process (``portrait report --station``: start-up,
opening, reading the station's rows, JSON), its peak memory, the build of the derived station
file it reads (the figures are of a workspace opened before, whose check on open passed and is
remembered; the first open after a change, which reads the whole file to check it, is its own
figure), then in one process all 35 portraits; and, on the same data, esda's Gi*
against ours on the same grid and weights, and a plain geopandas ``sjoin`` + ``groupby``
count against our assignment of incidents to stations.

The workspace is copied first (to ``work``): the station file is written beside the
workspace, and the shared benchmark folder must stay as it is. ``millions`` > 1 grows the
copy's incidents to that many millions by copying its rows in SQL (dates and places repeat:
what is measured is the cost of the size), nothing stored in the repository.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from benchmarks.common import installed_environment, peak_memory_mb, save, timed
from portrait.workspace_integrity import checked_path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"one_station_s": 1.3, "all_stations_s": 13.0, "peak_memory_mb": 2_048.0}
#: One-station report in a cold process: at 1 M incidents, and at 10 M (with its memory).
COLD_TARGETS = {1: (1.0, None), 10: (3.0, 1_024.0)}
#: Through ``cli.main.run``, as the installed ``portrait`` command starts.
_COLD_REPORT = """
import resource, sys
sys.argv = ["portrait", "report", sys.argv[1], "--station", sys.argv[2], "--json", sys.argv[3]]
from cli.main import run
try:
    run()
except SystemExit as ended:
    print(ended.code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
_BUILD = """
import resource, sys
from portrait import workspace_query
from portrait.workspace import Workspace
print(workspace_query.refresh(Workspace.open(sys.argv[1])),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run(workspace_path: Path, work: Path, millions: int = 1, runs: int = 3) -> None:
    if not workspace_path.exists():
        from demo_city.build import build_demo

        print(f"Building the large demo city in {workspace_path.parent} (about a minute)")
        build_demo(workspace_path.parent, size="large")
    copy = _copy(workspace_path, work, millions)
    results: dict = {"workspace": str(copy), "incidents": _rows(copy, "incidents"),
                     "calls": _rows(copy, "calls")}
    _station_file(copy).unlink(missing_ok=True)  # the build is measured every run
    build_s, build_mb = _child(_BUILD, str(copy))
    results["station_file"] = {"build_s": build_s, "build_peak_memory_mb": build_mb[1],
                               "mb": round(_station_file(copy).stat().st_size / 1e6, 1)}
    busiest = _busiest(copy)
    results["one_station_id"] = busiest
    _child(_COLD_REPORT, str(copy), busiest, str(work / "one.json"))  # its check remembered
    cold = [_child(_COLD_REPORT, str(copy), busiest, str(work / "one.json")) for _ in range(runs)]
    results["one_station_cold_process_s"] = sorted(t for t, _ in cold)[len(cold) // 2]
    results["one_station_cold_process_runs_s"] = [t for t, _ in cold]
    results["one_station_cold_peak_memory_mb"] = max(m[1] for _, m in cold)
    checked_path(copy).unlink(missing_ok=True)
    first = _child(_COLD_REPORT, str(copy), busiest, str(work / "one.json"))
    results["one_station_cold_first_open_after_a_change"] = {"s": first[0],
                                                             "peak_memory_mb": first[1][1]}
    target = COLD_TARGETS.get(millions)
    if target is not None:
        results["cold_targets"] = {
            "seconds": {"target": target[0], "measured": results["one_station_cold_process_s"],
                        "met": results["one_station_cold_process_s"] <= target[0]}}
        if target[1] is not None:
            results["cold_targets"]["peak_memory_mb"] = {
                "target": target[1], "measured": results["one_station_cold_peak_memory_mb"],
                "met": results["one_station_cold_peak_memory_mb"] <= target[1]}
    if millions == 1:
        _in_process(copy, results)
    save("portrait_large" if millions == 1 else f"portrait_{millions}m", results)


def _in_process(path: Path, results: dict) -> None:
    """Every portrait in one process, and the comparisons with esda and geopandas."""
    from portrait.engine import build_all_portraits, build_portrait, prepare
    from portrait.workspace import Workspace

    with timed(results, "open_and_prepare_s"):
        workspace = Workspace.open(path)
        data = prepare(workspace)
    results["stations"] = len(data.station_ids)
    busiest = results["one_station_id"]
    with timed(results, "one_station_s"):
        portrait = build_portrait(data, busiest)
    results["one_station_incidents"] = int(
        portrait.section("crime").indicator("incidents_total").value)
    results["one_station_json_kb"] = round(len(portrait.to_json()) / 1024, 1)
    with timed(results, "one_station_again_s"):
        build_portrait(data, busiest)
    with timed(results, "all_stations_s"):
        portraits = build_all_portraits(data)
    results["portraits"] = len(portraits)
    results["peak_memory_mb"] = peak_memory_mb()
    results["gi_star"] = _gi_star_against_esda(data, busiest, portrait)
    results["assignment"] = _assignment_against_sjoin(workspace, data)
    results["peak_memory_mb_with_comparisons"] = peak_memory_mb()
    results["targets"] = {name: {"target": target, "measured": results[name],
                                 "met": results[name] < target}
                          for name, target in TARGETS.items()}


def _copy(source: Path, work: Path, millions: int) -> Path:
    """The workspace copied into ``work`` (kept between runs: copying 400 MB takes time),
    its incidents grown to ``millions`` million."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / (source.name if millions == 1 else f"{source.stem}-{millions}m.gpkg")
    if not copy.exists() or copy.stat().st_mtime < source.stat().st_mtime:
        partial = copy.with_name(f".{copy.name}.copying")
        shutil.copyfile(source, partial)
        if millions > 1:
            _grow(partial, millions)
        partial.replace(copy)
    return copy


def _grow(path: Path, millions: int) -> None:
    """Copy the incidents until there are ``millions`` million (GDAL's triggers keep the
    feature count the open check compares)."""
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute('PRAGMA table_info("incidents")')
                   if row[1] != "fid"]
        names = ", ".join(f'"{c}"' for c in columns)
        (have,), = connection.execute("SELECT COUNT(*) FROM incidents")
        target = millions * 1_000_000
        while have < target:
            connection.execute(f"INSERT INTO incidents ({names}) SELECT {names} FROM incidents "
                               f"ORDER BY fid LIMIT {min(have, target - have)}")
            (have,), = connection.execute("SELECT COUNT(*) FROM incidents")
        connection.execute("UPDATE gpkg_contents SET last_change = "
                           "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = 'incidents'")
    connection.close()


def _child(code: str, *args: str) -> tuple[float, list]:
    """Wall time of a fresh Python process running ``code``, and what it printed last
    (its own peak memory among it)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True,
                          env=installed_environment(),
                          capture_output=True, text=True)
    seconds = round(time.perf_counter() - start, 3)
    last = done.stdout.strip().splitlines()[-1].split()
    return seconds, [last[0], round(float(last[1]), 1)]


def _rows(path: Path, layer: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        (count,), = connection.execute(f'SELECT COUNT(*) FROM "{layer}"')
    connection.close()
    return int(count)


def _busiest(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        (station,), = connection.execute(
            "SELECT station_id FROM incidents WHERE station_id IS NOT NULL GROUP BY station_id "
            "ORDER BY COUNT(*) DESC LIMIT 1")
    connection.close()
    return str(station)


def _station_file(path: Path) -> Path:
    from portrait.workspace_query import cache_path

    return cache_path(path)


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
