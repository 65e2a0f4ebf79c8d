"""The package boundaries of DEVELOPERS.md, checked rather than remembered."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ("portrait", "data_connectors", "exports", "demo_city")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", QT_FREE)
def test_only_ui_imports_qt(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if _imported_modules(path) & {"PySide6", "shiboken6", "ui"}
    ]
    assert offenders == []


def test_portrait_does_not_import_outer_layers() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portrait").rglob("*.py")
        if _imported_modules(path) & {"data_connectors", "exports", "demo_city", "cli"}
    ]
    assert offenders == []


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


WALL_CLOCK = re.compile(r"\b(date\.today|datetime\.now|datetime\.today|datetime\.utcnow|"
                        r"time\.localtime|time\.strftime)\(")


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    """Tests pin ``portrait.clock``; a direct read elsewhere would bring the real date back."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("portrait", "data_connectors", "exports", "demo_city", "ui", "cli")
        for path in (ROOT / package).rglob("*.py") if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert offenders == []


def test_the_pinned_clock_is_the_suite_s_today(today) -> None:
    from portrait import clock

    assert clock.today() == today
    first, second = clock.now(), clock.now()
    assert first.date() == today and first <= second
