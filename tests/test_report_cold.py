"""A one-station report in a cold process: it imports only what it needs, and its faster
JSON (one pass to plain data, plain values written by json's C encoder) is byte for byte
what ``dataclasses.asdict`` and ``json.dumps`` gave."""

from __future__ import annotations

import dataclasses
import enum
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli.report_command import INDENT, json_text
from portrait.portrait_model import Portrait, clean

ROOT = Path(__file__).resolve().parents[1]
#: Modules other commands need (statistics tests, briefs, maps, the app), not a JSON report.
NOT_FOR_A_REPORT = ("scipy.stats", "scipy.optimize", "scipy.interpolate", "scipy.integrate",
                    "matplotlib", "folium", "branca", "jinja2", "reportlab", "openpyxl",
                    "PIL", "PySide6", "ui", "exports")


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory, today) -> Path:
    from demo_city.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo-cold"), size="small", seed=7, today=today)


@pytest.fixture(scope="module")
def portraits(demo_workspace: Path) -> list[Portrait]:
    from portrait.engine import build_portrait, prepare
    from portrait.workspace import Workspace

    data = prepare(Workspace.open(demo_workspace))
    return [build_portrait(data, station_id, None) for station_id in data.station_ids]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=INDENT, allow_nan=False)


def test_a_portrait_as_data_is_its_fields_cleaned(portraits: list[Portrait]) -> None:
    for portrait in portraits:
        assert portrait.to_dict() == clean(dataclasses.asdict(portrait))
        assert json_text(portrait.to_dict()) == _dumps(clean(dataclasses.asdict(portrait)))
        assert portrait.sections[0].indicators[0].to_dict() == clean(
            dataclasses.asdict(portrait.sections[0].indicators[0]))


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize("value", [
    {}, [], (), "texte « é »\n\"cité\"", 0, -1.5e-300, 1e22, True, None,
    [1, 2.5, None, True, "a"], (1, (2, [3, {}])), {"a": [], "b": {}, "c": [[], [{}]]},
    {"rows": [{"x": 1, "y": "l1\nl2"}, {"x": 2, "y": None}], "n": 2, "t": ("u", [0.1])},
    {"deep": {"er": {"est": [1, [2, [3, {"k": "v"}]]]}}},
    {1: "one", 2.5: ["x"], None: {"nested": [1]}, False: 0},  # keys json turns into text
    {"numpy": [np.float64(0.1), np.float64(2)], "enum": [Level.HIGH, {"l": Level.HIGH}]},
], ids=repr)
def test_json_text_is_what_json_dumps_writes(value: object) -> None:
    assert json_text(value) == _dumps(value)
    assert json_text({"wrapped": [value, {"again": value}]}) == _dumps(
        {"wrapped": [value, {"again": value}]})


@pytest.mark.parametrize("value", [float("nan"), [1, float("inf")], {"a": {"b": [np.nan]}}])
def test_json_text_refuses_what_is_not_json(value: object) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        json_text(value)


def test_json_text_refuses_an_object_json_cannot_write() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text({"a": [1, {"b": object()}]})


def test_a_one_station_report_imports_only_what_it_needs(demo_workspace: Path, portraits,
                                                         tmp_path: Path) -> None:
    """scipy.stats alone took a third of a second of every report: it must not come back
    through a new import."""
    out, station = tmp_path / "one.json", portraits[-1].station_id
    script = ("import sys\nfrom cli.main import main\n"
              f"code = main(['report', {str(demo_workspace)!r}, '--station', {station!r}, "
              f"'--json', {str(out)!r}])\n"
              f"print(code, sorted(m for m in {NOT_FOR_A_REPORT!r} if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"
    assert json.loads(out.read_text(encoding="utf-8"))["station_id"] == station


def test_station_names_read_once_keep_their_rules(tmp_path: Path) -> None:
    """A station's name as the stations layer gives it, its label ("PDQ 4")
    when the layer gives none, and the label of an id the layer does not hold."""
    from conftest import build_small_workspace

    from portrait.portrait_data import PortraitData

    data = PortraitData.from_workspace(build_small_workspace(tmp_path / "names.gpkg", 5))
    data.stations = data.stations.assign(name=[None, "Centre-Sud"])
    first, second = data.station_ids
    assert [data.station_name(first), data.station_name(second)] == [f"PDQ {first}",
                                                                     "Centre-Sud"]
    assert data.station_name("77") == "PDQ 77"
