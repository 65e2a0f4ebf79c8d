"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import json
import os
import platform
import resource
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@contextmanager
def timed(results: dict, name: str):
    """Store the wall time of the block, in seconds, as ``results[name]``."""
    start = time.perf_counter()
    yield
    results[name] = round(time.perf_counter() - start, 3)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def folder_size_mb(folder: Path) -> dict[str, float]:
    return {p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(folder.iterdir())
            if p.is_file()}


def installed_environment(**extra: str) -> dict[str, str]:
    """The environment of a child process that runs as an installed app does: its modules
    compiled once and kept (a development shell may set ``PYTHONDONTWRITEBYTECODE``, which
    makes every cold start compile the project again, 0.05-0.1 s), in a folder of their own
    so that the benchmark writes nothing in the repository."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir())
                                             / "portrait-benchmark-bytecode")
    return {**environment, **extra}


def save(name: str, results: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    results = {"machine": f"{platform.node()} {platform.processor()} "
                          f"{platform.python_version()}", **results}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return path
