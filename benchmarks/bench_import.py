"""Importing SPVM incidents into a workspace, against the bare cost of reading and writing.

The bare cost is ``pandas.read_csv`` of the same file plus ``pyogrio.write_dataframe`` of the
same points to a GeoPackage: what any import must at least pay. The ratio says how much our
validation, mapping and atomic save add. The import ends by building the station file
(``portrait.workspace_query``) from the saved layers, so that one station's portrait reads its
own rows: that build is part of the import's time, and shown as its own figure. Each measure
runs in a fresh process, so that peak memory is the import's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import save

_IMPORT = """
import json, resource, sys, time
from pathlib import Path
from data_connectors.importer import import_files
from portrait import workspace_query
from portrait.workspace import Workspace
source, target = Path(sys.argv[1]), Path(sys.argv[2])
target.unlink(missing_ok=True)
workspace_query.cache_path(target).unlink(missing_ok=True)
refresh, built = workspace_query.refresh, []
def timed_refresh(workspace):
    began = time.perf_counter()
    current = refresh(workspace)
    built.append(time.perf_counter() - began)
    return current
workspace_query.refresh = timed_refresh
started = time.perf_counter()
workspace = Workspace.create(target)
report = import_files(workspace, [source])[0]
total = time.perf_counter() - started
print(json.dumps({"seconds": total, "reader_seconds": report.seconds,
                  "station_file_seconds": sum(built),
                  "rows": report.rows_read, "kept": report.rows_kept,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BARE = """
import json, resource, sys, time
from pathlib import Path
import geopandas as gpd, pandas as pd, pyogrio
source, target = Path(sys.argv[1]), Path(sys.argv[2])
target.unlink(missing_ok=True)
started = time.perf_counter()
frame = pd.read_csv(source)
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["X"], frame["Y"]),
                          crs="EPSG:32188")
pyogrio.write_dataframe(points, target, layer="incidents", use_arrow=True)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _measure(script: str, source: Path, target: Path) -> dict:
    output = subprocess.run([sys.executable, "-c", script, str(source), str(target)],
                            capture_output=True, text=True, check=True, timeout=600).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(source: Path) -> None:
    from portrait.workspace_query import cache_path

    if not source.exists():
        from demo_city.generate import generate_city

        generate_city(source.parent, size="large")
    ours = _measure(_IMPORT, source, source.with_name("bench_import.gpkg"))
    bare = _measure(_BARE, source, source.with_name("bench_bare.gpkg"))
    save("import", {
        "source": str(source),
        "rows": ours["rows"],
        "import_s": round(ours["seconds"], 2),
        "reader_s": round(ours["reader_seconds"], 2),
        "station_file_build_s": round(ours["station_file_seconds"], 2),
        "rows_per_s": round(ours["rows"] / ours["seconds"]),
        "import_peak_mb": round(ours["peak_mb"]),
        "bare_read_csv_plus_pyogrio_s": round(bare["seconds"], 2),
        "bare_peak_mb": round(bare["peak_mb"]),
        "ratio_import_to_bare": round(ours["seconds"] / bare["seconds"], 2),
        "ratio_import_without_station_file_to_bare": round(
            (ours["seconds"] - ours["station_file_seconds"]) / bare["seconds"], 2),
    })
    for name in ("bench_import.gpkg", "bench_bare.gpkg"):
        source.with_name(name).unlink(missing_ok=True)
    cache_path(source.with_name("bench_import.gpkg")).unlink(missing_ok=True)
