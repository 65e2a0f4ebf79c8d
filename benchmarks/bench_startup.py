"""Cold start of the main window: from a new Python process to the station map loaded.

Each run is a fresh process, so imports, Qt and Chromium start-up are all counted, as when an
officer starts the app. The window is drawn offscreen.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import save


def run(workspace: Path, runs: int) -> None:
    if not workspace.exists():
        from demo_city.build import build_demo

        build_demo(workspace.parent, size="default")
    from benchmarks.bench_ui import cold_start

    save("startup", {"workspace": str(workspace),
                     "workspace_mb": round(workspace.stat().st_size / 1e6, 2),
                     **cold_start(workspace, runs)})
