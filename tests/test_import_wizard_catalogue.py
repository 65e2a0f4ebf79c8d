"""The import wizard takes an indicator catalogue for census and indicator tables, as
``portrait import --catalogue FILE --unknown-indicators index`` does (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from acs_data import TRACTS, acs_rows, build_tract_workspace, import_acs  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from portrait.workspace import Workspace  # noqa: E402
from ui.import_wizard import FILE, MAPPING, PREVIEW, REPORT, ImportWizard  # noqa: E402
from ui.strings import UiText  # noqa: E402

TIMEOUT_MS = 30_000


@pytest.fixture
def tract_workspace(tmp_path: Path) -> tuple[Workspace, Path]:
    return build_tract_workspace(tmp_path)


def test_the_wizard_imports_an_indicator_table_with_its_catalogue(
        qtbot, tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    workspace, catalogue = tract_workspace
    rows = pd.DataFrame(acs_rows())
    rows["ADI_NATRANK"] = [t[6] for t in TRACTS.values()]
    table = tmp_path / "acs_tracts.csv"
    rows.to_csv(table, index=False)
    wizard = ImportWizard(workspace, UiText("fr"), table)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: not wizard.file_page._detecting, timeout=TIMEOUT_MS)
    page = wizard.file_page
    assert wizard.current_step() == FILE
    page.choose_reader("spvm-incidents")
    assert not page.catalogue.isVisible()  # incidents take no catalogue
    page.choose_reader("indicator-table")
    assert page.catalogue.isVisible() and page.catalogue.unknown_box.isVisible()
    QTest.keyClicks(page.catalogue.path_edit, str(catalogue))
    qtbot.mouseClick(page.catalogue.unknown_box, Qt.MouseButton.LeftButton)
    assert page.catalogue.unknown_box.isChecked()

    with qtbot.waitSignal(wizard.stepFinished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current_step() == PREVIEW
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current_step() == MAPPING  # the table's columns, as the reader found them
    assert wizard.field_page.combos["area_id"].currentData() == "GEOID"
    with qtbot.waitSignal(wizard.imported, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.current_step() == REPORT
    assert done.args[0][0].rows_kept == 4
    stored = Workspace.open(workspace.path).layer("indicator_catalogue")
    assert {"poverty_share", "adi_natrank"} <= set(stored["id"])
    assert stored.set_index("id").at["adi_natrank", "direction"] == "unknown"


def test_the_window_maps_an_indicator_of_the_workspace_catalogue(
        qtbot, tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    from PySide6.QtCore import QEvent, QStandardPaths
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    workspace, catalogue = tract_workspace
    import_acs(workspace, catalogue, tmp_path)
    window = MainWindow(workspace, language="fr")
    try:
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=60_000):
            window.show()
        combo = window.indicator_combo
        labels = [combo.itemText(i) for i in range(combo.count())]
        assert "Part sous le seuil de pauvreté" in labels
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=60_000) as load:
            combo.setCurrentIndex(combo.findData("poverty_share"))
        assert load.args == [True]
        qtbot.waitUntil(lambda: window.current_portrait is not None, timeout=60_000)
        share = window.current_portrait.section("socio_economic").indicator("poverty_share")
        assert share.value is not None
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
