"""Never lose a row, never read a broken workspace: the writer's lock, the check on open,
schema versions, stale temporaries, and saves over a file another program changed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cli.main import main
from portrait import workspace_integrity
from portrait.errors import (
    CorruptWorkspaceError,
    NotAWorkspaceError,
    WorkspaceError,
    WorkspaceLockedError,
)
from portrait.review import ReviewSession
from portrait.workspace import METADATA_TABLE, Workspace
from portrait.workspace_lock import WorkspaceLock, current_holder, lock_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path / "quartier.gpkg", incidents_per_station=200).path


def _overwrite_middle(path: Path, size: int = 8192) -> None:
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 // 4096 * 4096)
        handle.write(os.urandom(size))


# --- one writer at a time ---------------------------------------------------------------------
def _portrait(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_imports_at_once_keep_both_imports_rows(tmp_path: Path, demo_files) -> None:
    target = tmp_path / "w.gpkg"
    assert main(["import", str(target), str(demo_files.stations)]) == 0
    with WorkspaceLock(target):  # both imports start while the workspace is busy
        runs = [_portrait("import", str(target), str(path), "--json", "--wait", "120")
                for path in (demo_files.incidents, demo_files.services)]
        time.sleep(1.0)
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    reports = [json.loads(out)[0] for out, _ in results]
    workspace = Workspace.open(target)
    assert len(workspace.layer("incidents")) == reports[0]["rows_kept"] > 0
    assert len(workspace.layer("services")) == reports[1]["rows_kept"] > 0
    assert len(workspace.layer("import_reports")) == 3
    assert not lock_path(target).exists()  # released on normal exit


def test_a_second_writer_is_told_who_holds_the_workspace(workspace_file: Path,
                                                         demo_files, capsys) -> None:
    before = workspace_file.read_bytes()
    with WorkspaceLock(workspace_file):
        holder = current_holder(workspace_file)
        code = _portrait("import", str(workspace_file), str(demo_files.services))
        _, err = code.communicate(timeout=120)
        assert code.returncode == 1
        assert f"is in use by {holder.user} on {holder.host} (process {os.getpid()}) " \
               f"since {holder.since}" in err
        assert "--wait" in err and "Traceback" not in err and len(err.splitlines()) == 1
        # readers never need the lock; they say whose changes they do not see yet
        capsys.readouterr()
        assert main(["report", str(workspace_file), "--station", "38", "--json", "-"]) == 0
        assert capsys.readouterr().err == (
            f"Note: quartier.gpkg is being changed by {holder.describe()}; this reads the "
            "version it last saved.\n")
    assert workspace_file.read_bytes() == before


def test_a_lock_left_by_a_killed_process_is_stale(workspace_file: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from portrait.workspace_lock import WorkspaceLock
        lock = WorkspaceLock({str(workspace_file)!r})
        print("held", flush=True)
        time.sleep(120)
        """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert current_holder(workspace_file).pid == holder.pid
    with pytest.raises(WorkspaceLockedError, match=f"process {holder.pid}"):
        WorkspaceLock(workspace_file)
    # a commander's review only reads: it opens while another program holds the lock
    assert len(ReviewSession(workspace_file).workspace.layer("incidents")) == 400
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert lock_path(workspace_file).exists()  # left behind, naming the dead process
    assert current_holder(workspace_file) is None
    with WorkspaceLock(workspace_file):
        workspace = Workspace.open(workspace_file)
        workspace.set_metadata("title", "repris")
        workspace.save()
    assert Workspace.open(workspace_file).title == "repris"


def test_a_lock_from_another_computer_is_refused_unless_forced(workspace_file: Path) -> None:
    lock_path(workspace_file).write_text(json.dumps(
        {"user": "agent", "host": "poste-autre", "pid": 4242, "since": "2024-05-01 09:00"}))
    with pytest.raises(WorkspaceLockedError) as refused:
        WorkspaceLock(workspace_file)
    message = str(refused.value)
    assert "agent on poste-autre (process 4242) since 2024-05-01 09:00" in message
    assert "cannot be checked from here" in message and "--force-unlock" in message
    with WorkspaceLock(workspace_file, force=True):
        assert current_holder(workspace_file).pid == os.getpid()


def test_a_save_over_a_file_changed_by_another_program_is_refused(
        workspace_file: Path) -> None:
    first = Workspace.open(workspace_file)
    second = Workspace.open(workspace_file)
    second.set_metadata("title", "saved first")
    second.save()
    saved = workspace_file.read_bytes()
    first.set_metadata("title", "saved second")
    with pytest.raises(WorkspaceError, match="changed by another program"):
        first.save()
    assert workspace_file.read_bytes() == saved


# --- integrity on open ------------------------------------------------------------------------
def test_a_damaged_workspace_is_refused_and_the_recovery_copy_named(
        workspace_file: Path, capsys) -> None:
    good_copy = workspace_file.with_name(".quartier.autosave.gpkg")
    shutil.copyfile(workspace_file, good_copy)
    _overwrite_middle(workspace_file)
    with pytest.raises(CorruptWorkspaceError) as refused:
        Workspace.open(workspace_file)
    assert refused.value.recovery == good_copy
    assert "quartier.gpkg is damaged" in str(refused.value)
    assert main(["report", str(workspace_file), "--station", "38", "--json", "-"]) == 1
    err = capsys.readouterr().err
    assert str(good_copy) in err and len(err.splitlines()) == 1
    assert len(Workspace.open(good_copy).layer("incidents")) == 400


def test_a_damaged_workspace_without_copies_says_so(workspace_file: Path) -> None:
    _overwrite_middle(workspace_file)
    with pytest.raises(CorruptWorkspaceError, match="No good copy") as refused:
        Workspace.open(workspace_file)
    assert refused.value.recovery is None


def test_a_layer_with_fewer_rows_than_were_written_is_refused(workspace_file: Path) -> None:
    with sqlite3.connect(workspace_file) as connection:  # rows lost, the count left as is
        connection.execute("UPDATE gpkg_ogr_contents SET feature_count = feature_count + 7 "
                           "WHERE table_name = 'incidents'")
    connection.close()
    with pytest.raises(CorruptWorkspaceError, match="incidents holds 400 rows where 407"):
        Workspace.open(workspace_file)


def _settled(path: Path, monkeypatch) -> None:
    """The file left alone long enough for a passed check to be remembered (shortened)."""
    monkeypatch.setattr(workspace_integrity, "SETTLED_SECONDS", 0.05)
    time.sleep(0.1)


def _counting_checks(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = workspace_integrity.integrity_problem

    def counted(path: Path) -> str | None:
        checked.append(path)
        return real(path)

    monkeypatch.setattr(workspace_integrity, "integrity_problem", counted)
    return checked


def test_an_unchanged_file_that_passed_is_not_read_again(workspace_file: Path,
                                                         monkeypatch) -> None:
    checked = _counting_checks(monkeypatch)
    _settled(workspace_file, monkeypatch)
    Workspace.open(workspace_file)
    Workspace.open(workspace_file)
    assert checked == [workspace_file]
    workspace = Workspace.open(workspace_file)  # its own commit keeps the file sound
    workspace.metadata["title"] = "Quartier"
    workspace.save()
    Workspace.open(workspace_file)
    assert checked == [workspace_file]
    with sqlite3.connect(workspace_file) as connection:  # another program's commit
        connection.execute(f"UPDATE {METADATA_TABLE} SET value = 'Autre' WHERE key = 'title'")
    connection.close()
    Workspace.open(workspace_file)
    assert checked == [workspace_file, workspace_file]


def test_a_file_damaged_after_it_passed_is_refused_even_with_its_times_put_back(
        workspace_file: Path, monkeypatch) -> None:
    _settled(workspace_file, monkeypatch)
    Workspace.open(workspace_file)
    assert workspace_integrity.checked_path(workspace_file).is_file()
    times = workspace_file.stat()
    _overwrite_middle(workspace_file)
    os.utime(workspace_file, ns=(times.st_atime_ns, times.st_mtime_ns))
    with pytest.raises(CorruptWorkspaceError):
        Workspace.open(workspace_file)


def test_a_pass_on_a_file_written_a_moment_ago_is_not_remembered(workspace_file: Path,
                                                                 monkeypatch) -> None:
    monkeypatch.setattr(workspace_integrity, "SETTLED_SECONDS", 3600.0)
    checked = _counting_checks(monkeypatch)
    Workspace.open(workspace_file)
    Workspace.open(workspace_file)
    assert checked == [workspace_file, workspace_file]
    assert not workspace_integrity.checked_path(workspace_file).exists()


@pytest.mark.parametrize("version", ["0", "-1"])
def test_a_schema_version_no_release_wrote_is_refused(workspace_file: Path,
                                                      version: str) -> None:
    with sqlite3.connect(workspace_file) as connection:
        connection.execute(f"UPDATE {METADATA_TABLE} SET value = ? "
                           "WHERE key = 'schema_version'", (version,))
    connection.close()
    with pytest.raises(NotAWorkspaceError, match=f"schema version {version}, which no"):
        Workspace.open(workspace_file)


def test_temporaries_of_a_killed_save_are_removed_on_open(workspace_file: Path) -> None:
    dead_pid = _dead_pid()
    stale = [workspace_file.with_name(f".quartier.gpkg.saving-{dead_pid}.gpkg"),
             workspace_file.with_name(f".quartier.gpkg.saving-{dead_pid}.gpkg-journal")]
    for path in stale:
        path.write_bytes(b"half a save")
    Workspace.open(workspace_file)
    assert not any(path.exists() for path in stale)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- where files go ---------------------------------------------------------------------------
def test_station_ids_never_write_outside_the_chosen_folder(workspace_file: Path,
                                                           tmp_path: Path) -> None:
    workspace = Workspace.open(workspace_file)
    stations = workspace.layer("stations").copy()
    stations["station_id"] = ["../../X", "C:\\autre\\Y"]
    workspace.set_layer("stations", stations)
    incidents = workspace.layer("incidents").copy()
    incidents["station_id"] = incidents["station_id"].map({"38": "../../X",
                                                           "4": "C:\\autre\\Y"})
    workspace.set_layer("incidents", incidents)
    workspace.save()
    out = tmp_path / "a" / "b" / "out"
    assert main(["report", str(workspace_file), "--all-stations", "--json", str(out)]) == 0
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    assert [str(p) for p in written] == [
        "a/b/out/comparison.json", "a/b/out/portrait-C__autre_Y.json",
        "a/b/out/portrait-______X.json"]
    assert json.loads((out / "portrait-______X.json").read_text())["station_id"] == "../../X"


def test_a_layer_that_lost_a_required_column_is_refused(workspace_file: Path) -> None:
    with sqlite3.connect(workspace_file) as connection:  # as a careless edit in a GIS does
        connection.execute("ALTER TABLE incidents DROP COLUMN date")
    connection.close()
    with pytest.raises(CorruptWorkspaceError, match="layer incidents has lost its column"
                                                    "\\(s\\) date"):
        Workspace.open(workspace_file)
