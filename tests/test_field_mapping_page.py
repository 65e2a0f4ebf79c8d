"""The app's side of mappings: the wizard's column page for readers that declare their
fields, driven as an officer does (another service's district layer, ids in ``dist_num``,
imported as the stations), and File › Save import recipe."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QStandardPaths, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from data_connectors.category_files import read_category_file  # noqa: E402
from data_connectors.importer import import_files  # noqa: E402
from data_connectors.recipes import load_recipe  # noqa: E402
from portrait.imports import list_imports  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from tests.other_city import MAPPINGS, categories, crimes, districts, schools  # noqa: E402
from tests.test_import_wizard import go_next  # noqa: E402
from ui.data_sources_panel import DataSourcesDialog  # noqa: E402
from ui.import_wizard import MAPPING, REPORT, ImportWizard  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.strings import UiText  # noqa: E402

TIMEOUT_MS = 30_000


def _wizard(qtbot, workspace: Workspace, path: Path, language: str) -> ImportWizard:
    wizard = ImportWizard(workspace, UiText(language), path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: not wizard.file_page._detecting, timeout=TIMEOUT_MS)
    return wizard


def test_stations_keyed_by_any_column_through_the_column_page(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "city.gpkg")
    wizard = _wizard(qtbot, workspace, districts(tmp_path), "fr")
    wizard.file_page.choose_reader("station-boundaries")
    go_next(qtbot, wizard, "preview")
    go_next(qtbot, wizard, None)
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
    assert "Colonnes lues : Numéro ou nom du poste (clé des postes dans tout l'espace de " \
           "travail) ← « dist_num » ; Nom affiché du poste ← « dist_label »." in \
        wizard.report_page.summary.text()
    stations = Workspace.open(workspace.path).layer("stations")
    assert sorted(stations["station_id"]) == ["20", "24"]

    (tmp_path / "2027").mkdir()  # next year's file of the same name: its mapping is proposed
    newer = districts(tmp_path / "2027").rename(tmp_path / "2027" / "police_districts_2027.geojson")
    again = _wizard(qtbot, workspace, newer, "fr")
    again.file_page.choose_reader("station-boundaries")
    go_next(qtbot, again, "preview")
    go_next(qtbot, again, None)
    assert again.field_page.values() == {"station_id": "dist_num", "name": "dist_label"}
    assert again.field_page.origin.text().startswith("Correspondance reprise de la dernière")
    assert again.next_button.isEnabled()


def test_the_column_page_proposes_the_readers_own_guesses_in_english(
        qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "city.gpkg")
    path = schools(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("School_Nm", "Name"),
                    encoding="utf-8")
    wizard = _wizard(qtbot, workspace, path, "en")
    wizard.file_page.choose_reader("service-inventory")
    go_next(qtbot, wizard, "preview")
    go_next(qtbot, wizard, None)
    page = wizard.field_page
    assert page.combos["name"].currentData() == "Name"  # recognised by its usual name
    assert page.combos["source_type"].currentData() is None
    labels = [page.form.itemAt(row, page.form.ItemRole.LabelRole).widget().text()
              for row in range(page.form.rowCount())]
    assert labels[0] == "Name of the organisation or service *:"
    page.choose("source_type", "Sch_Type")
    assert page.values() == {"name": "Name", "source_type": "Sch_Type"}


def test_file_save_import_recipe_writes_the_recipe_of_hand_imports(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    QStandardPaths.setTestModeEnabled(True)
    workspace = Workspace.create(tmp_path / "city.gpkg", title="Ville")
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": MAPPINGS["police_districts.geojson"]})
    import_files(workspace, [crimes(tmp_path)], "mapped-points",
                 {"mapping": MAPPINGS["crimes.csv"]},
                 categories=read_category_file(categories(tmp_path)))
    target = tmp_path / "recettes" / "ville"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    window = MainWindow(Workspace.open(workspace.path), language="fr")
    try:
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=TIMEOUT_MS):
            window.show()
        action = window.actions_by_id["save_recipe"]
        assert action.text() == "Enregistrer la &recette d'importation…"
        action.trigger()
        assert "ville.toml, ville_categories.csv" in window.statusBar().currentMessage()
        recipe = load_recipe(target.with_suffix(".toml"))
        assert [(s.reader, s.mapping) for s in recipe.sources] == [
            ("station-boundaries", MAPPINGS["police_districts.geojson"]),
            ("mapped-points", MAPPINGS["crimes.csv"])]
        assert recipe.sources[1].categories == target.parent / "ville_categories.csv"
        assert "BATTERY,offence_against_person,violence" in \
            (target.parent / "ville_categories.csv").read_text(encoding="utf-8")
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_newer_file_of_a_mapped_source_replaces_it_through_the_same_mapping(
        qtbot, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "city.gpkg")
    import_files(workspace, [districts(tmp_path)], "station-boundaries",
                 {"mapping": MAPPINGS["police_districts.geojson"]})
    (tmp_path / "2027").mkdir()
    newer = districts(tmp_path / "2027")
    dialog = DataSourcesDialog(Workspace.open(workspace.path), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.workFinished, timeout=TIMEOUT_MS):
        dialog.replace_with(dialog.entries[0], newer)
    assert "remplacé par « police_districts.geojson »" in dialog.message.text()
    [entry] = list_imports(Workspace.open(workspace.path))
    assert entry.details["columns"] == {"station_id": "dist_num", "name": "dist_label"}
    dialog.done(0)
