"""Calls for service at scale: importing 1,000,000 calls, and the call-demand section.

The million calls are made here from the default demo city's own export (resampled, with new
ids and times spread over the same two years), so they carry realistic codes, addresses,
points and unit times. The import runs in a fresh process into a copy of the demo workspace,
so its peak memory is its own; CPU seconds are given beside wall seconds, since the machine
the benchmarks run on may be shared. The section is timed per station after the one-time
classification of every call (which is timed apart): the default demo has 10 stations, so a
station holds about 100,000 calls, three times what a station of the large demo (35
stations) holds.

Targets (issue 18): import <= 15 s and <= 2 GB; the section for one station <= 0.5 s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import save

CALLS = 1_000_000

_IMPORT = """
import json, resource, sys, time
from pathlib import Path
from data_connectors.importer import import_files
from portrait.workspace import Workspace
source, target = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
workspace = Workspace.open(target)
report = import_files(workspace, [source])[0]
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - started, "reader_seconds": report.seconds,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "rows": report.rows_read, "kept": report.rows_kept,
                  "peak_mb": usage.ru_maxrss / 1024}))
"""


def run(out: Path) -> None:
    from demo_city.build import build_demo

    out.mkdir(parents=True, exist_ok=True)
    demo = out / "demo.gpkg"
    if not demo.exists():
        build_demo(out, size="default")
    source = out / "appels-1M.csv"
    started = time.perf_counter()
    _million_calls(out / "appels-service.csv", source)
    generated = time.perf_counter() - started
    target = out / "bench_calls.gpkg"
    shutil.copyfile(demo, target)
    output = subprocess.run([sys.executable, "-c", _IMPORT, str(source), str(target)],
                            capture_output=True, text=True, check=True, timeout=600).stdout
    imported = json.loads(output.strip().splitlines()[-1])
    section = _section_times(target)
    save("calls", {
        "calls": imported["rows"], "generate_csv_s": round(generated, 2),
        "csv_mb": round(source.stat().st_size / 1e6, 1),
        "import_s": round(imported["seconds"], 2),
        "import_cpu_s": round(imported["cpu_seconds"], 2),
        "reader_s": round(imported["reader_seconds"], 2),
        "import_peak_mb": round(imported["peak_mb"]),
        **section,
    })
    target.unlink(missing_ok=True)
    source.unlink(missing_ok=True)


def _million_calls(demo_calls: Path, target: Path) -> None:
    """The demo's calls resampled to a million rows, in the same CAD layout (Arrow all the
    way: the benchmark measures the import, not this)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(18)
    calls = pacsv.read_csv(demo_calls, convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in ("priorite", "pdq", "nb_unites")}))
    rows = calls.take(pa.array(rng.integers(0, calls.num_rows, CALLS)))
    shift = pa.array(rng.integers(-3 * 86_400, 3 * 86_400, CALLS).astype("timedelta64[s]"))
    for column in ("date_heure_reception", "affectation", "arrivee", "fin_intervention"):
        stamps = pc.add(rows[column].cast(pa.timestamp("s")), shift)
        text = pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S")
        rows = rows.set_column(rows.schema.get_field_index(column), column, text)
    ids = pa.array(np.char.add("B", np.arange(CALLS).astype(str)))
    rows = rows.set_column(0, "no_appel", ids)
    pacsv.write_csv(rows, target)


def _section_times(workspace_path: Path) -> dict:
    from portrait.engine import DEFAULT_OPTIONS, prepare, resolve_period
    from portrait.sections import call_demand
    from portrait.sections.common import StationContext
    from portrait.workspace import Workspace

    data = prepare(Workspace.open(workspace_path))
    start, end = resolve_period(data, None)
    ids = data.station_ids
    first = time.perf_counter()
    call_demand.build(StationContext.build(data, ids[0], start, end, DEFAULT_OPTIONS))
    cold = time.perf_counter() - first
    times, cpu, sizes = [], [], []
    for station_id in ids:
        context = StationContext.build(data, station_id, start, end, DEFAULT_OPTIONS)
        begun, begun_cpu = time.perf_counter(), time.process_time()
        call_demand.build(context)
        times.append(time.perf_counter() - begun)
        cpu.append(time.process_time() - begun_cpu)
        sizes.append(len(data.cache["calls"].of(station_id)[0]))
    return {"stations": len(ids), "calls_per_station_max": int(max(sizes)),
            "section_first_station_s_with_classification": round(cold, 3),
            "section_per_station_median_s": round(float(np.median(times)), 3),
            "section_per_station_max_s": round(float(max(times)), 3),
            "section_per_station_median_cpu_s": round(float(np.median(cpu)), 3),
            "section_per_station_max_cpu_s": round(float(max(cpu)), 3)}
