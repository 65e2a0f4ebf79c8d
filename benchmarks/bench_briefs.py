"""Briefs on the large demo city (35 stations, 1,000,000 incidents).

Measures one station's PDF + Excel + interactive map (the busiest station, both audiences;
the partner brief three times, fastest and slowest kept), then every station's three files
for partners in one batch (prepared data shared by the worker processes), and the size of
the largest PDF. Other programs on the machine slow every figure down: the load average
before and after is saved with them, so runs are compared at the same load.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.common import peak_memory_mb, save, timed

TARGETS = {"one_station_partner_s": 4.0, "all_stations_s": 45.0, "largest_pdf_mb": 5.0}
PARTNER_RUNS = 3
FORMATS = ("pdf", "xlsx", "html")


def run(workspace_path: Path, jobs: int | None = None) -> None:
    from exports.brief_model import BriefOptions
    from exports.briefs import write_all_station_briefs, write_station_briefs
    from portrait.engine import prepare
    from portrait.workspace import Workspace

    if not workspace_path.exists():
        from demo_city.build import build_demo

        print(f"Building the large demo city in {workspace_path.parent} (about a minute)")
        build_demo(workspace_path.parent, size="large")
    results: dict = {"workspace": str(workspace_path), "formats": list(FORMATS),
                     "cores": os.cpu_count(), "load_before": _load()}
    with timed(results, "open_and_prepare_s"):
        workspace = Workspace.open(workspace_path)
        data = prepare(workspace)
    busiest = str(data.incidents.busiest())
    results["one_station_id"] = busiest
    with tempfile.TemporaryDirectory(prefix="portrait-briefs-") as folder:
        out = Path(folder)
        write_station_briefs(workspace, data, busiest, BriefOptions(), ["pdf"], out / "warm")
        for audience in ("partner", "internal"):
            runs = []
            for _ in range(PARTNER_RUNS if audience == "partner" else 1):
                started = time.perf_counter()
                written = write_station_briefs(workspace, data, busiest,
                                               BriefOptions(audience=audience), FORMATS,
                                               out / "one")
                runs.append(round(time.perf_counter() - started, 3))
            results[f"one_station_{audience}_s"] = min(runs)
            if len(runs) > 1:
                results[f"one_station_{audience}_range_s"] = [min(runs), max(runs)]
            results[f"one_station_{audience}_kb"] = {
                k: round(p.stat().st_size / 1024, 1) for k, p in written.paths.items()}
        started, cpu = time.perf_counter(), _cpu_s()
        batch = write_all_station_briefs(workspace, data, BriefOptions(audience="partner"),
                                         FORMATS, out / "all", jobs=jobs)
        results["all_stations_s"] = round(time.perf_counter() - started, 3)
        # The processor time of the batch and its workers: far steadier than the wall time
        # when other programs share the processors.
        results["all_stations_cpu_s"] = round(_cpu_s() - cpu, 3)
        results["jobs"] = jobs or os.cpu_count()
        results["stations"] = len(batch)
        sizes = [w.paths["pdf"].stat().st_size for w in batch]
        results["largest_pdf_mb"] = round(max(sizes) / 1e6, 2)
        results["mean_pdf_mb"] = round(sum(sizes) / len(sizes) / 1e6, 2)
        results["suppressions_per_station"] = round(
            sum(w.suppressions for w in batch) / len(batch), 1)
    results["peak_memory_mb"] = peak_memory_mb()
    results["load_after"] = _load()
    results["targets"] = {name: {"target": target, "measured": results[name],
                                 "met": results[name] <= target}
                          for name, target in TARGETS.items()}
    save("briefs_large", results)


def _cpu_s() -> float:
    """User and system time of this process and of its finished workers."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                       resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _load() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes."""
    return [round(v, 2) for v in os.getloadavg()]
