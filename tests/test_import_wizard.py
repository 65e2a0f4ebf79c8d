"""The import wizard end to end (pytest-qt, offscreen): file, format, preview, mapping,
background import with progress and cancel, report and category mappings, errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from pyproj import Transformer  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from portrait.workspace import Workspace  # noqa: E402
from ui import import_wizard as wizard_module  # noqa: E402
from ui.error_dialog import ErrorDialog  # noqa: E402
from ui.import_pages import load_preview, mapping_available, with_category_choices  # noqa: E402
from ui.import_wizard import FILE, MAPPING, PREVIEW, PROGRESS, REPORT, ImportWizard  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.strings import UiText  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TIMEOUT_MS = 30_000
needs_mapping = pytest.mark.skipif(not mapping_available(),
                                   reason="data_connectors.mapped_points is not available yet")


@pytest.fixture
def make_wizard(qtbot):
    made: list[ImportWizard] = []

    def make(workspace: Workspace, path: Path | None = None, language: str = "fr"
             ) -> ImportWizard:
        wizard = ImportWizard(workspace, UiText(language), path)
        qtbot.addWidget(wizard)
        wizard.show()
        if path is not None:
            qtbot.waitUntil(lambda: not wizard.file_page._detecting, timeout=TIMEOUT_MS)
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        if wizard.is_running():
            wizard.cancel_import()
            qtbot.waitUntil(lambda w=wizard: not w.is_running(), timeout=TIMEOUT_MS)


def screenshot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(ARTIFACTS / name))


def go_next(qtbot, wizard: ImportWizard, step: str | None) -> None:
    """Click Next (or Import) and wait for the background step it starts, if any."""
    assert wizard.next_button.isEnabled(), wizard.next_button.text()
    if step is None:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        return
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS,
                          check_params_cb=lambda name: name == step):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)


def test_spvm_file_is_recognised_previewed_and_imported(qtbot, make_wizard, small_workspace,
                                                        demo_files) -> None:
    wizard = make_wizard(small_workspace, demo_files.incidents)
    assert wizard.current_step() == FILE
    assert wizard.file_page.reader().id == "spvm-incidents"
    assert wizard.file_page.reader_combo.currentText().endswith("(proposé)")
    other_ids = [wizard.file_page.reader_combo.itemData(i)
                 for i in range(wizard.file_page.reader_combo.count())]
    assert "mapped-points" in other_ids and len(other_ids) > 5  # any reader can be chosen
    screenshot(wizard, "import_wizard_1_file.png")

    go_next(qtbot, wizard, "preview")
    assert wizard.current_step() == PREVIEW
    model = wizard.preview_page.model
    assert model.rowCount() == 20
    assert "CATEGORIE" in [model.headerData(c, Qt.Orientation.Horizontal)
                           for c in range(model.columnCount())]
    assert wizard.next_button.text() == "Importer"  # no mapping page for the SPVM format
    screenshot(wizard, "import_wizard_2_preview.png")

    progress: list[float] = []
    wizard.import_signals.progressed.connect(lambda fraction, _: progress.append(fraction))
    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        assert wizard.current_step() == PROGRESS and not wizard.back_button.isEnabled()
    reports = done.args[0]
    assert reports[0].rows_kept == 3_000
    assert progress and progress[-1] == pytest.approx(1.0)
    assert wizard.current_step() == REPORT
    summary = wizard.report_page.summary.text()
    assert "actes-criminels.csv" in summary and "3\u00a0000" in summary  # French number format
    assert not wizard.report_page.unmapped_box.isVisibleTo(wizard)
    details = wizard.report_page.details
    assert details.rowCount() >= 1 and details.item(0, 0).text() == "Signalées"
    screenshot(wizard, "import_wizard_5_report_spvm.png")
    saved = Workspace.open(small_workspace.path)
    assert len(saved.layer("incidents")) == 200 + 3_000
    assert not small_workspace.is_modified


def test_the_main_window_refreshes_after_an_import(qtbot, small_workspace, demo_files,
                                                   tmp_path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(small_workspace, language="fr", settings=settings)
    try:
        assert window.vintage_label.text() == "Recensement 2021"
        wizard = window.open_import_wizard(demo_files.incidents)
        qtbot.waitUntil(lambda: wizard.file_page.is_complete(), timeout=TIMEOUT_MS)
        go_next(qtbot, wizard, "preview")
        with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS):
            qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        assert "1 couche(s) importée(s)" in window.vintage_label.text()
        assert "actes-criminels.csv" in window.vintage_label.toolTip()
        assert "actes-criminels.csv importé" in window.statusBar().currentMessage()
        assert window.station_combo.count() == 2
        qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.import_wizard is None, timeout=5_000)
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def write_mapped_csv(path: Path, rows: int = 40) -> None:
    """A French Excel export: semicolons, decimal commas, a category the tables do not know."""
    to_lonlat = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True)
    lines = ["Type d'incident;Date;Heure;Latitude;Longitude"]
    for i in range(rows):
        lon, lat = to_lonlat.transform(295_500 + 120 * i, 5_040_500 + 50 * i)
        category = "Graffiti" if i % 4 == 0 else "Méfait"
        lines.append(f"{category};2025-03-{1 + i % 28:02d};{i % 24:02d}:15;"
                     f"{lat:.6f}".replace(".", ",") + ";" + f"{lon:.6f}".replace(".", ","))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@needs_mapping
def test_a_csv_is_imported_through_a_confirmed_column_mapping(qtbot, make_wizard,
                                                              small_workspace, tmp_path) -> None:
    path = tmp_path / "extrait_incidents.csv"
    write_mapped_csv(path)
    wizard = make_wizard(small_workspace, path)
    assert wizard.file_page.reader().id == "mapped-points"
    go_next(qtbot, wizard, "preview")
    go_next(qtbot, wizard, None)
    assert wizard.current_step() == MAPPING
    page = wizard.mapping_page
    assert page.origin.text() == "Correspondance devinée d'après les noms des colonnes."
    chosen = {name: combo.currentData() for name, combo in page.combos.items()}
    assert chosen["category"] == "Type d'incident" and chosen["date"] == "Date"
    assert chosen["time"] == "Heure"
    assert (chosen["lat"], chosen["lon"]) == ("Latitude", "Longitude")
    assert wizard.next_button.text() == "Importer" and wizard.next_button.isEnabled()

    page.choose("date", None)  # the officer clears a required field: said inline, no import
    assert not wizard.next_button.isEnabled()
    assert "Date" in page.message.text() and "obligatoire" in page.message.text()
    page.choose("lon", None)
    assert "Longitude" in page.message.text()
    screenshot(wizard, "import_wizard_3_mapping_incomplete.png")
    page.choose("date", "Date")
    page.choose("lon", "Longitude")
    assert page.message.text() == "" and wizard.next_button.isEnabled()
    screenshot(wizard, "import_wizard_3_mapping.png")

    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    report = done.args[0][0]
    assert report.rows_kept == 40 and report.unmapped_categories == {"Graffiti": 10}
    incidents = small_workspace.layer("incidents")
    new = incidents.loc[incidents["source"].str.contains("extrait_incidents", na=False)]
    assert len(new) == 40 and new.geometry.notna().all()
    assert new["time"].iloc[1] == "01:15"
    assert wizard.report_page.unmapped_box.isVisibleTo(wizard)
    assert wizard.report_page.unmapped.item(0, 0).text() == "Graffiti"
    screenshot(wizard, "import_wizard_5_report_unmapped.png")

    wizard.report_page.choose_category("Graffiti", "mischief")
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS,
                          check_params_cb=lambda name: name == "mappings"):
        qtbot.mouseClick(wizard.report_page.save_mappings_button, Qt.MouseButton.LeftButton)
    mappings = Workspace.open(small_workspace.path).layer("category_mappings")
    assert mappings[["source_category", "category"]].values.tolist() == [["Graffiti",
                                                                          "mischief"]]
    assert mappings["tags"].iloc[0] == "incivilities,property"
    assert wizard.report_page.reimport_button.isEnabled()

    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS) as again:
        qtbot.mouseClick(wizard.report_page.reimport_button, Qt.MouseButton.LeftButton)
    assert again.args[0][0].unmapped_categories == {}
    incidents = Workspace.open(small_workspace.path).layer("incidents")
    graffiti = incidents.loc[incidents["source_category"] == "Graffiti"]
    assert len(graffiti) == 10 and set(graffiti["category"]) == {"mischief"}
    assert len(incidents) == 200 + 40  # the re-import replaced the file's rows
    assert not wizard.report_page.unmapped_box.isVisibleTo(wizard)

    next_year = tmp_path / "extrait_incidents_2026.csv"  # same kind of file: mapping reused
    write_mapped_csv(next_year, rows=8)
    second = make_wizard(small_workspace, next_year)
    go_next(qtbot, second, "preview")
    go_next(qtbot, second, None)
    assert second.mapping_page.origin.text().startswith("Correspondance reprise")
    assert second.mapping_page.values() == wizard.mapping_page.values()


def test_cancelling_midway_leaves_the_workspace_file_byte_identical(
        qtbot, make_wizard, small_workspace, demo_files) -> None:
    path = small_workspace.path
    before = path.read_bytes()
    wizard = make_wizard(small_workspace, demo_files.incidents)
    go_next(qtbot, wizard, "preview")
    reached, release = threading.Event(), threading.Event()

    def hold_the_import(fraction: float, message: str) -> None:
        # Runs on the import thread (direct connection): wait there until Cancel is clicked.
        if not reached.is_set():
            reached.set()
            release.wait(10)

    wizard.import_signals.progressed.connect(hold_the_import,
                                             Qt.ConnectionType.DirectConnection)
    imported: list[object] = []
    wizard.imported.connect(imported.append)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=TIMEOUT_MS)
    assert wizard.is_running() and wizard.current_step() == PROGRESS
    qtbot.mouseClick(wizard.progress_page.cancel_button, Qt.MouseButton.LeftButton)
    screenshot(wizard, "import_wizard_4_cancelling.png")
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS):
        release.set()
    assert not imported
    assert wizard.progress_page.outcome.text() == (
        "Importation annulée : l'espace de travail n'a pas été modifié.")
    assert wizard.back_button.isEnabled() and wizard.error_dialog is None
    assert path.read_bytes() == before
    assert len(small_workspace.layer("incidents")) == 200 and not small_workspace.is_modified


def test_the_wizard_cancel_button_stops_the_import_then_closes(qtbot, make_wizard,
                                                               small_workspace,
                                                               demo_files) -> None:
    before = small_workspace.path.read_bytes()
    wizard = make_wizard(small_workspace, demo_files.incidents)
    go_next(qtbot, wizard, "preview")
    reached, release = threading.Event(), threading.Event()
    wizard.import_signals.progressed.connect(
        lambda *_: (reached.set(), release.wait(10)), Qt.ConnectionType.DirectConnection)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(wizard.rejected, timeout=TIMEOUT_MS):
        qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
        assert wizard.isVisible()  # still open until the import has stopped
        release.set()
    assert small_workspace.path.read_bytes() == before


def test_a_binary_csv_shows_a_message_naming_the_file(qtbot, make_wizard, small_workspace,
                                                      tmp_path) -> None:
    bad = tmp_path / "export_abime.csv"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    before = small_workspace.path.read_bytes()
    wizard = make_wizard(small_workspace, bad)
    page = wizard.file_page
    assert page.reader() is None and not wizard.next_button.isEnabled()
    assert "export_abime.csv" in page.reader_message.text()
    page.choose_reader("spvm-incidents")
    assert "n'a pas reconnu" in page.reader_message.text()
    go_next(qtbot, wizard, "preview")
    assert "export_abime.csv" in wizard.preview_page.message.text()
    assert "fichier binaire" in wizard.preview_page.message.text()  # in the window's French
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    dialog = wizard.error_dialog
    assert isinstance(dialog, ErrorDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Importation impossible"
    assert dialog.message().startswith("export_abime.csv : ")
    assert "ReaderError" in dialog.details() and not dialog.details_edit.isVisible()
    screenshot(dialog, "import_error_dialog.png")
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details_edit.isVisible()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("export_abime.csv : ")
    assert "l'espace de travail n'a pas été modifié" in wizard.progress_page.outcome.text()
    dialog.accept()
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    assert wizard.current_step() == PREVIEW
    assert small_workspace.path.read_bytes() == before


def test_an_unexpected_error_shows_its_traceback_in_the_details(qtbot, make_wizard,
                                                                small_workspace, demo_files,
                                                                monkeypatch, caplog) -> None:
    def broken_import(*args, **kwargs):
        raise RuntimeError("disque plein simulé")

    monkeypatch.setattr(wizard_module, "import_files", broken_import)
    wizard = make_wizard(small_workspace, demo_files.incidents)
    go_next(qtbot, wizard, "preview")
    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    dialog = wizard.error_dialog
    assert dialog.message().startswith("Erreur inattendue (RuntimeError)")
    assert "Traceback" in dialog.details() and "disque plein simulé" in dialog.details()
    assert "broken_import" in dialog.details()
    assert any("disque plein simulé" in record.getMessage() for record in caplog.records)
    dialog.accept()


def test_category_choices_replace_earlier_rows() -> None:
    existing = pd.DataFrame({"source": ["spvm-incidents"], "source_category": ["Graffiti"],
                             "category": ["other_theft"], "tags": ["property"]})
    updated = with_category_choices(existing, {"Graffiti": "mischief", "Tags": "mischief"},
                                    "mapped-points")
    assert updated["source_category"].tolist() == ["Graffiti", "Tags"]
    assert set(updated["category"]) == {"mischief"}


def test_preview_of_a_plain_csv_without_the_mapping_reader(tmp_path, monkeypatch) -> None:
    from ui import import_pages

    path = tmp_path / "liste.csv"
    path.write_bytes("nom;quartier\nCafé;Centre-Sud\n".encode("cp1252"))
    monkeypatch.setattr(import_pages, "mapped_points", None)
    preview = load_preview(path, "service-inventory")
    assert preview.frame.columns.tolist() == ["nom", "quartier"]
    assert preview.frame.iloc[0].tolist() == ["Café", "Centre-Sud"]
