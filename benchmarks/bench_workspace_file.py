"""The workspace file under crashes, what checking it on open costs, and what saves cost.

``crash``: imports and saves into a copy of a workspace are killed (SIGKILL) at random moments;
after each kill the workspace must open (no damaged file) and hold either everything it held
before or everything a finished run gives (no half state: the import's rows without its
report, or some layers saved and not others). The next writer must get the lock (the killed
process's lock is stale). Trials alternate between an import of a file and a save that
rewrites the incidents layer and adds a problem card with a place (the records and their QGIS
layers), and are repeatable from ``--seed``. Saves are SQLite transactions in the file itself:
the opener after a kill rolls back the killed save's journal.

``integrity``: the time ``Workspace.open`` spends in the integrity check (SQLite's quick check
and the layer counts) on the large demo workspace; the target is at most one second.

``saves``: on a copy of the workspace, the time to save a record edit (the record store's
update and save, then ``Workspace.save``, whose own share is given too; target 100 ms),
to autosave it (the app's recovery copy; target one second) and to save the incidents layer
replaced whole, as an import does. With
``--incidents-times N`` the copy's incidents are first repeated N times in SQL (10 gives 10 M
rows from the large demo), to show that the first two do not grow with the file.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import save

ROOT = Path(__file__).resolve().parents[1]

_SAVE = """
import sys
import shapely
from portrait.records.problems import Location, ProblemCard
from portrait.records.store import RecordStore
from portrait.workspace import Workspace
from portrait.workspace_lock import WorkspaceLock
with WorkspaceLock(sys.argv[1]):
    workspace = Workspace.open(sys.argv[1])
    incidents = workspace.layer("incidents")
    workspace.set_layer("incidents", incidents.iloc[: len(incidents) * 9 // 10])
    store = RecordStore.load(workspace)
    store.add(ProblemCard(title="Crash", location=Location.point(
        incidents.geometry.dropna().iloc[0])))
    store.save(workspace)
    workspace.set_metadata("title", "after")
    workspace.save()
"""


def _command(kind: str, workspace: Path, source: Path) -> list[str]:
    if kind == "import":
        return [sys.executable, "-m", "cli.main", "import", str(workspace), str(source),
                "--json"]
    return [sys.executable, "-c", _SAVE, str(workspace)]


def _state(path: Path) -> dict[str, object]:
    """Row counts of every table and the title: what tells a whole save from half of one."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        tables = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
        state: dict[str, object] = {
            name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in tables}
        state["title"] = connection.execute(
            "SELECT value FROM portrait_metadata WHERE key = 'title'").fetchone()[0]
    connection.close()
    return state


def _finished_state(kind: str, original: Path, source: Path, folder: Path) -> tuple[dict, float]:
    path = folder / f"finished-{kind}.gpkg"
    shutil.copyfile(original, path)
    started = time.perf_counter()
    subprocess.run(_command(kind, path, source), cwd=ROOT, check=True, capture_output=True)
    return _state(path), time.perf_counter() - started


def crash(workspace: Path, source: Path, trials: int, seed: int) -> dict:
    """Kill ``trials`` imports and saves at random moments; count damaged and half states."""
    from portrait.errors import CorruptWorkspaceError
    from portrait.workspace import Workspace
    from portrait.workspace_lock import WorkspaceLock

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="portrait-crash-"))
    try:
        before = _state(workspace)
        finished = {kind: _finished_state(kind, workspace, source, folder)
                    for kind in ("import", "save")}
        counts = {"trials": trials, "corrupt": 0, "half_states": 0, "stale_locks_refused": 0,
                  "left_before": 0, "left_after": 0, "finished_before_kill": 0}
        for trial in range(trials):
            kind = ("import", "save")[trial % 2]
            after, duration = finished[kind]
            target = folder / "w.gpkg"
            shutil.copyfile(workspace, target)
            process = subprocess.Popen(_command(kind, target, source), cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, duration * 0.95))  # while it works, mostly
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            else:
                counts["finished_before_kill"] += 1
            process.wait()
            try:
                with WorkspaceLock(target):
                    Workspace.open(target)
            except CorruptWorkspaceError:
                counts["corrupt"] += 1
                continue
            except Exception:  # noqa: BLE001 (counted: a lock the next writer cannot take)
                counts["stale_locks_refused"] += 1
                continue
            state = _state(target)
            if state == before:
                counts["left_before"] += 1
            elif state == after:
                counts["left_after"] += 1
            else:
                counts["half_states"] += 1
            print(f"\r{trial + 1}/{trials}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        counts["clean_run_seconds"] = {k: round(v[1], 2) for k, v in finished.items()}
        return counts
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def integrity(workspace: Path, runs: int) -> dict:
    """Median seconds of the integrity check and of a whole ``Workspace.open``."""
    from portrait.workspace import Workspace
    from portrait.workspace_integrity import integrity_problem

    checks, opens = [], []
    for _ in range(runs):
        started = time.perf_counter()
        problem = integrity_problem(workspace)
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        Workspace.open(workspace)
        opens.append(time.perf_counter() - started)
    return {"workspace_mb": round(workspace.stat().st_size / 1e6, 1), "problem": problem,
            "check_seconds_median": round(statistics.median(checks), 3),
            "open_seconds_median": round(statistics.median(opens), 3), "runs": runs,
            "target_seconds": 1.0}


def saves(workspace: Path, runs: int, incidents_times: int = 1) -> dict:
    """Median seconds of a record edit's save and autosave, and of replacing the incidents."""
    import shapely

    from portrait.records.problems import Location, ProblemCard
    from portrait.records.store import RecordStore
    from portrait.workspace import Workspace
    from portrait.workspace_lock import WorkspaceLock
    from ui.autosave import write_autosave

    folder = Path(tempfile.mkdtemp(prefix="portrait-saves-"))
    copy = folder / "w.gpkg"
    try:
        shutil.copyfile(workspace, copy)
        if incidents_times > 1:
            _repeat_incidents(copy, incidents_times)
        with WorkspaceLock(copy):
            opened = Workspace.open(copy)
            store = RecordStore.load(opened)
            x0, y0, x1, y1 = opened.layer("stations").total_bounds
            ids = [store.add(ProblemCard(title=f"Problème {i}", location=Location.point(
                shapely.Point(x0 + (x1 - x0) * i / 100, (y0 + y1) / 2)))).record_id
                for i in range(100)]
            store.save(opened)
            opened.save()
            edits, file_saves, autosaves = [], [], []
            for run in range(runs):
                started = time.perf_counter()
                store.update(ids[run], status=("monitoring", "open")[run % 2])
                store.save(opened)
                saving = time.perf_counter()
                opened.save()
                edits.append(time.perf_counter() - started)
                file_saves.append(time.perf_counter() - saving)
                store.update(ids[run], title=f"Problème {run}, revu")
                store.save(opened)
                started = time.perf_counter()
                write_autosave(opened)
                autosaves.append(time.perf_counter() - started)
                opened.save()
            results = {"workspace_mb": round(copy.stat().st_size / 1e6),
                       "record_edit_save_seconds_median": round(statistics.median(edits), 3),
                       "record_edit_save_seconds_max": round(max(edits), 3),
                       "of_which_workspace_save_seconds_median": round(
                           statistics.median(file_saves), 3),
                       "autosave_seconds_median": round(statistics.median(autosaves), 3),
                       "runs": runs,
                       "targets_seconds": {"record_edit_save": 0.1, "autosave": 1.0}}
            if incidents_times == 1:  # ten million rows in pandas would take ~6 GB
                incidents = opened.layer("incidents")
                opened.set_layer("incidents", incidents.iloc[::-1].reset_index(drop=True))
                started = time.perf_counter()
                opened.save()
                results["incidents_replaced_save_seconds"] = round(
                    time.perf_counter() - started, 2)
        with sqlite3.connect(copy) as connection:
            results["incidents"] = connection.execute(
                "SELECT COUNT(*) FROM incidents").fetchone()[0]
        connection.close()
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _repeat_incidents(path: Path, times: int) -> None:
    """The incidents layer's rows repeated ``times`` times, copied in SQL (no pandas)."""
    with sqlite3.connect(path) as connection:
        columns = ", ".join(f'"{row[1]}"' for row in connection.execute(
            "PRAGMA table_info(incidents)") if row[1] != "fid")
        last = connection.execute("SELECT MAX(fid) FROM incidents").fetchone()[0]
        for _ in range(times - 1):
            connection.execute(f"INSERT INTO incidents ({columns}) SELECT {columns} FROM "
                               "incidents WHERE fid <= ?", (last,))
    connection.close()


def run(what: str, workspace: Path, source: Path, trials: int, seed: int, runs: int,
        incidents_times: int = 1) -> None:
    results: dict = {"workspace": str(workspace)}
    if what in ("saves", "all"):
        results["saves"] = saves(workspace, runs, incidents_times)
    if what in ("integrity", "all"):
        results["integrity"] = integrity(workspace, runs)
    if what in ("crash", "all"):
        results["crash"] = {"source": str(source), "seed": seed,
                            **crash(workspace, source, trials, seed)}
    save("workspace_file", results)
