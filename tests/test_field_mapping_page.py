"""The wizard's column page for readers that declare their fields, driven as an officer does:
another service's district layer (ids in ``dist_num``) is imported as the stations."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import Qt  # noqa: E402

from portrait.workspace import Workspace  # noqa: E402
from tests.other_city import districts, schools  # noqa: E402
from ui.import_wizard import MAPPING, REPORT, ImportWizard  # noqa: E402
from ui.strings import UiText  # noqa: E402

TIMEOUT_MS = 30_000


def _wizard(qtbot, workspace: Workspace, path: Path, language: str) -> ImportWizard:
    wizard = ImportWizard(workspace, UiText(language), path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: not wizard.file_page._detecting, timeout=TIMEOUT_MS)
    return wizard


def _next(qtbot, wizard: ImportWizard, step: str | None = None) -> None:
    if step is None:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        return
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS,
                          check_params_cb=lambda name: name == step):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)


def test_stations_keyed_by_any_column_through_the_column_page(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "city.gpkg")
    wizard = _wizard(qtbot, workspace, districts(tmp_path), "fr")
    wizard.file_page.choose_reader("station-boundaries")
    _next(qtbot, wizard, "preview")
    _next(qtbot, wizard)
    assert wizard.current_step() == MAPPING
    page = wizard.field_page
    assert wizard.mapping_step.currentWidget() is page
    assert set(page.combos) == {"station_id", "name"}
    assert page.combos["station_id"].currentData() is None  # no usual name: not guessed
    assert not wizard.next_button.isEnabled()
    assert "Numéro ou nom du poste" in page.message.text() and \
        "obligatoire" in page.message.text()

    page.choose("station_id", "dist_num")
    page.choose("name", "dist_label")
    assert page.message.text() == "" and wizard.next_button.isEnabled()
    assert wizard.next_button.text() == "Importer"
    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    [report] = done.args[0]
    assert report.columns == {"station_id": "dist_num", "name": "dist_label"}
    assert wizard.current_step() == REPORT
    stations = Workspace.open(workspace.path).layer("stations")
    assert sorted(stations["station_id"]) == ["20", "24"]


def test_the_column_page_proposes_the_readers_own_guesses_in_english(
        qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "city.gpkg")
    path = schools(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("School_Nm", "Name"),
                    encoding="utf-8")
    wizard = _wizard(qtbot, workspace, path, "en")
    wizard.file_page.choose_reader("service-inventory")
    _next(qtbot, wizard, "preview")
    _next(qtbot, wizard)
    page = wizard.field_page
    assert page.combos["name"].currentData() == "Name"  # recognised by its usual name
    assert page.combos["source_type"].currentData() is None
    labels = [page.form.itemAt(row, page.form.ItemRole.LabelRole).widget().text()
              for row in range(page.form.rowCount())]
    assert labels[0] == "Name of the organisation or service *:"
    page.choose("source_type", "Sch_Type")
    assert page.values() == {"name": "Name", "source_type": "Sch_Type"}
