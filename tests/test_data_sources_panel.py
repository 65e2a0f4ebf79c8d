"""File › Data sources and the wizard's confirmation of a refused import, driven by mouse."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableWidget  # noqa: E402

from data_connectors.importer import import_files  # noqa: E402
from portrait.imports import list_imports  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.data_sources_panel import DataSourcesDialog  # noqa: E402
from ui.import_wizard import PREVIEW, REPORT, ImportWizard  # noqa: E402
from ui.strings import UiText  # noqa: E402

TIMEOUT_MS = 30_000


@pytest.fixture
def workspace_path(demo_files, tmp_path: Path) -> Path:
    path = tmp_path / "w.gpkg"
    import_files(Workspace.create(path), [demo_files.stations, demo_files.incidents,
                                          demo_files.services])
    return path


@pytest.fixture
def sources(qtbot, workspace_path: Path) -> DataSourcesDialog:
    dialog = DataSourcesDialog(Workspace.open(workspace_path), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.done(0)


def click_row(qtbot, table: QTableWidget, row: int) -> None:
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def rewritten(source: Path, target: Path, rows: slice) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.read_csv(source, dtype=str, keep_default_na=False).iloc[rows].to_csv(target, index=False)
    return target


def test_lists_every_import_and_shows_its_report(qtbot, sources: DataSourcesDialog) -> None:
    table = sources.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "limitespdq.geojson", "actes-criminels.csv", "repertoire_services.csv"]
    assert table.item(1, 1).text() == "incidents"
    assert not sources.report_button.isEnabled()
    click_row(qtbot, table, 1)
    assert sources.selected().reader == "spvm-incidents"
    click(qtbot, sources.report_button)
    report = sources.report_dialog
    assert report.isVisible() and "actes-criminels.csv" in report.windowTitle()
    details = report.findChild(QTableWidget, "report_details")
    reasons = [details.item(r, 1).text() for r in range(details.rowCount())]
    # the reader wrote "no location: placeholder coordinates (X = Y = 1 or 0)"
    assert "sans lieu : coordonnées de remplacement (X = Y = 1 ou 0)" in reasons
    assert not any("no location" in reason for reason in reasons)
    report.accept()


def test_remove_asks_then_removes_exactly_that_import(qtbot, sources: DataSourcesDialog,
                                                      workspace_path: Path) -> None:
    incidents = len(Workspace.open(workspace_path).layer("incidents"))
    before = workspace_path.read_bytes()
    click_row(qtbot, sources.table, 2)
    click(qtbot, sources.remove_button)
    assert sources.question.isVisible() and "repertoire_services.csv" in sources.question.text()
    click(qtbot, sources.question.buttons()[1])  # Annuler
    assert workspace_path.read_bytes() == before
    click_row(qtbot, sources.table, 2)
    click(qtbot, sources.remove_button)
    with qtbot.waitSignal(sources.workFinished, timeout=TIMEOUT_MS), \
            qtbot.waitSignal(sources.changed, timeout=TIMEOUT_MS):
        click(qtbot, sources.question.findChild(type(sources.remove_button), "confirm_remove"))
    after = Workspace.open(workspace_path)
    assert len(after.layer("services")) == 0 and len(after.layer("incidents")) == incidents
    assert sources.table.rowCount() == 2
    assert sources.message.text().startswith("Importation de « repertoire_services.csv » "
                                             "retirée : 60 lignes")


def test_removing_stations_tells_what_depended_on_them(qtbot, workspace_path: Path) -> None:
    workspace = Workspace.open(workspace_path)
    place = workspace.layer("stations").geometry.iloc[0].representative_point()
    workspace.set_layer("records", gpd.GeoDataFrame(
        {"record_id": ["p-1"], "kind": ["problem"], "payload": ["{}"],
         "updated_at": ["2026-01-01"]}, geometry=[place], crs=workspace.crs))
    workspace.save()
    dialog = DataSourcesDialog(Workspace.open(workspace_path), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click_row(qtbot, dialog.table, 0)
    click(qtbot, dialog.remove_button)
    with qtbot.waitSignal(dialog.workFinished, timeout=TIMEOUT_MS):
        click(qtbot, dialog.question.findChild(type(dialog.remove_button), "confirm_remove"))
    message = dialog.message.text()
    assert message.startswith("Importation de « limitespdq.geojson » retirée : 3 lignes.")
    assert "lignes de « incidents »" in message
    assert "1 fiches situées dans des postes retirés" in message
    dialog.done(0)


def test_replace_with_a_newer_file_of_the_same_source(qtbot, sources: DataSourcesDialog,
                                                      demo_files, workspace_path: Path,
                                                      tmp_path: Path) -> None:
    total = len(Workspace.open(workspace_path).layer("incidents"))
    newer = rewritten(demo_files.incidents, tmp_path / "new" / "actes-criminels-2026.csv",
                      slice(0, total * 8 // 10))
    old_id = sources.entries[1].import_id
    click_row(qtbot, sources.table, 1)
    click(qtbot, sources.replace_button)
    assert sources.file_dialog.isVisible()
    with qtbot.waitSignal(sources.workFinished, timeout=TIMEOUT_MS):
        sources.file_dialog.selectFile(str(newer))
        sources.file_dialog.accept()
    workspace = Workspace.open(workspace_path)
    assert len(workspace.layer("incidents")) == total * 8 // 10
    assert old_id not in {e.import_id for e in list_imports(workspace)}
    assert "actes-criminels-2026.csv" in [sources.table.item(r, 0).text()
                                          for r in range(sources.table.rowCount())]
    assert "remplacé par « actes-criminels-2026.csv »" in sources.message.text()


def test_refused_replacement_asks_and_applies_when_confirmed(
        qtbot, sources: DataSourcesDialog, demo_files, workspace_path: Path,
        tmp_path: Path) -> None:
    newer = rewritten(demo_files.incidents, tmp_path / "new" / "extrait.csv", slice(0, 30))
    before = workspace_path.read_bytes()
    click_row(qtbot, sources.table, 1)
    with qtbot.waitSignal(sources.workFinished, timeout=TIMEOUT_MS):
        sources.replace_with(sources.selected(), newer)
    dialog = sources.confirmation_dialog
    assert dialog.isVisible() and dialog.message().startswith("Seules 30 lignes de "
                                                              "« extrait.csv »")
    assert workspace_path.read_bytes() == before
    with qtbot.waitSignal(sources.workFinished, timeout=TIMEOUT_MS):
        click(qtbot, dialog.confirm_button)
    assert len(Workspace.open(workspace_path).layer("incidents")) == 30


def test_wizard_asks_before_applying_a_refused_import(qtbot, demo_files, workspace_path: Path,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "dd"
    folder.mkdir()
    frame = pd.read_csv(demo_files.incidents, dtype=str, keep_default_na=False)
    frame["DATE"] = pd.to_datetime(frame["DATE"]).dt.strftime("%d/%m/%Y")
    path = folder / "actes-criminels.csv"
    frame.to_csv(path, index=False)
    before = workspace_path.read_bytes()
    wizard = ImportWizard(Workspace.open(workspace_path), UiText("fr"), path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: not wizard.file_page._detecting, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS):
        click(qtbot, wizard.next_button)
    assert wizard.current_step() == PREVIEW
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS,
                          check_params_cb=lambda step: step == "import"):
        click(qtbot, wizard.next_button)
    dialog = wizard.confirmation_dialog
    assert dialog.isVisible() and wizard.error_dialog is None
    message = dialog.message()
    assert "« actes-criminels.csv » n'a pu être conservée" in message
    assert "date illisible" in message and "unreadable" not in message
    assert "ligne 2, colonne « DATE »" in message
    assert message.endswith("Importer quand même ?")
    assert workspace_path.read_bytes() == before
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS,
                          check_params_cb=lambda step: step == "import"):
        click(qtbot, dialog.confirm_button)
    assert wizard.current_step() == REPORT
    assert len(Workspace.open(workspace_path).layer("incidents")) == 0
    wizard.accept()


def test_file_menu_opens_data_sources(qtbot, workspace_path: Path) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(Workspace.open(workspace_path), language="fr")
    # Shown and drawn first, as the officer sees it: a window closed while its first map and
    # portrait are still being built on their threads is another test's subject.
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=60_000):
        window.show()
    try:
        action = window.actions_by_id["data_sources"]
        assert action.text() == "&Sources de données…" and action.isEnabled()
        assert action.shortcut().toString() == "Ctrl+Shift+I"
        action.trigger()
        dialog = window.findChild(DataSourcesDialog)
        assert dialog is not None and dialog.isVisible() and dialog.table.rowCount() == 3
        dialog.done(0)
    finally:
        assert window.close()  # not held open by an unsaved-changes question
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

