"""How long the demo city takes to generate, to import, and how large its files are."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.common import folder_size_mb, peak_memory_mb, save, timed


def run(size: str, out: Path) -> None:
    from data_connectors.importer import import_files
    from demo_city.build import demo_import_paths
    from demo_city.generate import generate_city
    from portrait.workspace import Workspace

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    results: dict = {"size": size}
    with timed(results, "generate_raw_files_s"):
        files = generate_city(out, size=size)
    workspace_path = out / "demo.gpkg"
    reports = []
    with timed(results, "build_workspace_s"):
        workspace = Workspace.create(workspace_path)
        reports = import_files(workspace, demo_import_paths(files))
    results["readers"] = {
        r.reader: {"rows_read": r.rows_read, "seconds": round(r.seconds, 2),
                   "rows_per_second": round(r.rows_per_second)} for r in reports
    }
    with timed(results, "open_workspace_and_read_incidents_s"):
        len(Workspace.open(workspace_path).layer("incidents"))
    results["files_mb"] = folder_size_mb(out)
    results["peak_memory_mb"] = peak_memory_mb()
    save(f"demo_{size}", results)
