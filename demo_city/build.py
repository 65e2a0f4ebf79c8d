"""A ready demo workspace, built from the demo city's raw files by the real readers.

Going through the readers (rather than writing the workspace directly) means every demo run
exercises the same import path a community officer uses with real files.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from data_connectors.base import Progress
from data_connectors.importer import import_files
from demo_city.generate import CitySize, DemoFiles, generate_city
from portrait.workspace import Workspace
from portrait.workspace_query import cache_path

log = logging.getLogger(__name__)
WORKSPACE_NAME = "demo.gpkg"


def build_demo(out_dir: Path, size: str | CitySize = "default", seed: int = 42,
               progress: Progress | None = None, *, today: date | None = None) -> Path:
    """Write the demo city's raw files into ``out_dir`` and ``out_dir/demo.gpkg`` from them.

    ``today`` ends the demo's reporting period (default: the clock's today).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def generating(fraction: float, message: str) -> None:
        if progress is not None:
            progress(0.5 * fraction, message)

    def importing(fraction: float, message: str) -> None:
        if progress is not None:
            progress(0.5 + 0.5 * fraction, message)

    files = generate_city(out_dir, size=size, seed=seed, progress=generating, today=today)
    target = out_dir / WORKSPACE_NAME
    temporary = out_dir / f".{WORKSPACE_NAME}.building.gpkg"
    temporary.unlink(missing_ok=True)
    workspace = Workspace.create(temporary, title=f"Ville démo (graine {seed})")
    import_files(workspace, demo_import_paths(files), progress=importing, check_complete=False)
    temporary.replace(target)
    built = cache_path(temporary)  # derived from the file's contents: still current
    if built.is_file():
        built.replace(cache_path(target))
    log.info("Demo workspace written to %s", target)
    return target


def demo_import_paths(files: DemoFiles) -> list[Path]:
    """The raw files a demo workspace is built from, in import order."""
    return [files.stations, files.da_boundaries, files.census_profile, files.incidents,
            files.services, files.survey, files.calls, files.streets]
