"""The ``portrait`` command as a user types it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

from cli.main import main
from portrait import __version__
from portrait.workspace import Workspace


def _portrait(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_version_and_help() -> None:
    assert _portrait("--version").stdout.strip() == f"portrait {__version__}"
    help_text = _portrait("--help").stdout
    for command in ("open", "demo", "import", "readers"):
        assert command in help_text


def test_the_command_collects_rarely_and_ends_with_mains_status(
        tmp_path: Path, monkeypatch, capsys) -> None:
    """``portrait`` (``run``) collects garbage less often, keeps OpenBLAS on one thread unless
    the user says otherwise, and exits with ``main``'s status after freezing what the command
    read so that the interpreter's last collections skip it; ``main`` itself, called in a
    process that goes on (these tests), changes none of it."""
    import gc

    from cli import main as cli_main

    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "set_threshold", lambda *values: calls.append(values))
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setattr(sys, "argv", ["portrait", "report", str(tmp_path / "none.gpkg"),
                                      "--station", "1", "--json", str(tmp_path / "o.json")])
    with pytest.raises(SystemExit) as exited:
        cli_main.run()
    assert exited.value.code == 1 and calls == [cli_main.GC_THRESHOLDS, "freeze"]
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"  # before the command loads numpy
    assert "none.gpkg" in capsys.readouterr().err
    monkeypatch.setattr(sys, "argv", ["portrait", "readers"])
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")  # the user's own setting is kept
    with pytest.raises(SystemExit) as exited:
        cli_main.run()
    assert exited.value.code == 0 and calls[2:] == [cli_main.GC_THRESHOLDS, "freeze"]
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
    assert main(["readers"]) == 0 and len(calls) == 4


def test_readers_lists_every_registered_reader(capsys) -> None:
    assert main(["readers"]) == 0
    listed = capsys.readouterr().out
    for reader_id in ("spvm-incidents", "statcan-profile", "station-boundaries"):
        assert reader_id in listed


def test_demo_writes_real_formats_and_a_workspace(tmp_path: Path) -> None:
    result = _portrait("demo", "--out", str(tmp_path), "--size", "small", "--seed", "7")
    assert result.returncode == 0, result.stderr
    header = (tmp_path / "actes-criminels.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "CATEGORIE,DATE,QUART,PDQ,X,Y,LONGITUDE,LATITUDE"
    layers = {name for name, _ in pyogrio.list_layers(tmp_path / "demo.gpkg")}
    assert {"stations", "incidents", "census_areas", "census_values", "services",
            "survey_answers", "import_reports"} <= layers
    workspace = Workspace.open(tmp_path / "demo.gpkg")
    assert workspace.has_data("incidents") and workspace.has_data("census_values")
    assert len(workspace.layer("import_reports")) == 8  # the calls and the streets included
    assert workspace.has_data("calls") and workspace.has_data("streets")


def test_import_creates_the_workspace_and_prints_a_json_report(tmp_path: Path, demo_files,
                                                               capsys) -> None:
    target = tmp_path / "new.gpkg"
    assert main(["import", str(target), str(demo_files.incidents), "--json"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert reports[0]["reader"] == "spvm-incidents"
    assert reports[0]["rows_kept"] == len(Workspace.open(target).layer("incidents"))
    assert reports[0]["rows_per_second"] > 0


def test_import_of_a_bad_file_exits_non_zero_with_a_message(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01binary")
    code = main(["import", str(tmp_path / "w.gpkg"), str(bad), "--reader", "spvm-incidents"])
    assert code == 1
    assert "bad.csv: this is a binary file" in capsys.readouterr().err


def test_open_of_a_file_that_is_not_a_workspace_fails_before_any_window(tmp_path: Path,
                                                                       capsys) -> None:
    text = tmp_path / "notes.gpkg"
    text.write_text("hello", encoding="utf-8")
    assert main(["open", str(text)]) == 1
    assert "notes.gpkg is not a Portrait de quartier workspace" in capsys.readouterr().err


def test_a_broken_mapping_file_is_reported_with_its_line(tmp_path: Path, demo_files,
                                                         capsys) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"category": "TYPE",\n "date": }', encoding="utf-8")
    code = main(["import", str(tmp_path / "w.gpkg"), str(demo_files.incidents),
                 "--mapping", str(mapping)])
    assert code == 1
    assert "mapping.json, line 2: not valid JSON" in capsys.readouterr().err
