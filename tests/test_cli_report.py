"""``portrait report``: portraits written as JSON from the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from cli.report_command import all_stations_text, json_text


@pytest.fixture(scope="module")
def workspace_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("report") / "small.gpkg").path


def test_report_of_one_station(workspace_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out" / "pdq38.json"
    assert main(["report", str(workspace_file), "--station", "PDQ 38", "--json", str(out)]) == 0
    portrait = json.loads(out.read_text(encoding="utf-8"))
    assert portrait["station_id"] == "38"
    assert portrait["period"] == ["2024-01-05", "2024-12-30"]
    assert "hot_spots" in portrait["parameters"]
    assert "written to" in capsys.readouterr().out


def test_report_over_a_period_to_standard_output(workspace_file: Path, capsys) -> None:
    code = main(["report", str(workspace_file), "--station", "4", "--from", "2024-03-01",
                 "--to", "2024-05-31", "--json", "-"])
    assert code == 0
    portrait = json.loads(capsys.readouterr().out)
    assert portrait["period"] == ["2024-03-01", "2024-05-31"]
    crime = {s["id"]: s for s in portrait["sections"]}["crime"]
    total = {i["id"]: i for i in crime["indicators"]}["incidents_total"]
    assert 0 < total["value"] < 100


def test_report_of_all_stations_to_a_folder_or_one_file(workspace_file: Path,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "all"
    assert main(["report", str(workspace_file), "--all-stations", "--json", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "comparison.json", "portrait-38.json", "portrait-4.json"]
    single = tmp_path / "all.json"
    assert main(["report", str(workspace_file), "--all-stations", "--json", str(single)]) == 0
    everything = json.loads(single.read_text(encoding="utf-8"))
    assert [p["station_id"] for p in everything["stations"]] == ["4", "38"]
    assert len(everything["comparison"]["records"]) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--station", "12"], "not in this workspace"),
    (["--station", "38", "--from", "2024-02-30"], "expected a date"),
    (["--station", "38", "--from", "2024-06-01", "--to", "2024-01-01"], "after it ends"),
])
def test_report_errors_exit_1_with_a_message(workspace_file: Path, tmp_path: Path, capsys,
                                             args: list[str], message: str) -> None:
    assert main(["report", str(workspace_file), *args, "--json", str(tmp_path / "x.json")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_report_on_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    bad = tmp_path / "notes.gpkg"
    bad.write_text("not a geopackage", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "cli.main", "report", str(bad), "--station",
                             "38", "--json", str(tmp_path / "x.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "not a Portrait de quartier workspace" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_needs_a_station_choice(workspace_file: Path) -> None:
    with pytest.raises(SystemExit) as error:
        main(["report", str(workspace_file), "--json", "x.json"])
    assert error.value.code == 2


@pytest.mark.parametrize("stations", [[], [{}], [{"a": [1, 2.5, None], "b": {"c": "l1\nl2 é"}},
                                              {"empty": [], "nested": [{"x": []}]}]])
@pytest.mark.parametrize("comparison", [{}, {"records": [{"station": "38", "n": 3}]}])
def test_the_all_stations_file_is_the_document_json_would_write(stations, comparison) -> None:
    """The file is put together from the stations' own texts (encoded in the workers): it
    must be byte for byte what encoding the whole document at once gives."""
    whole = json_text({"stations": stations, "comparison": comparison})
    parts = all_stations_text([json_text(s) for s in stations], json_text(comparison))
    assert parts == whole


def test_report_of_all_stations_is_the_same_on_one_or_two_processes(
        workspace_file: Path, tmp_path: Path) -> None:
    texts = []
    for jobs in ("1", "2"):
        out = tmp_path / f"all-{jobs}.json"
        assert main(["report", str(workspace_file), "--all-stations", "--jobs", jobs,
                     "--json", str(out)]) == 0
        texts.append(re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""',
                            out.read_text(encoding="utf-8")))
    assert texts[0] == texts[1]
    assert [p["station_id"] for p in json.loads(texts[1])["stations"]] == ["4", "38"]
