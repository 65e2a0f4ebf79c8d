"""The disclosure thresholds are the workspace's own settings: the Preferences write them
there, the command line reads them, and each brief prints the values it applied.

Seen in issue 14: the thresholds set in Preferences were never used by briefs.
"""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from portrait.crs import METRIC_CRS
from portrait.disclosure_settings import DisclosureSettings, read_settings, write_settings
from portrait.errors import PortraitError
from portrait.workspace import Workspace


def test_settings_are_kept_in_the_workspace_file(small_workspace) -> None:
    assert read_settings(small_workspace) == DisclosureSettings()  # none stored: defaults
    write_settings(small_workspace, DisclosureSettings(small_count_high=9, min_cell_count=10,
                                                       survey_min_n=50))
    assert small_workspace.is_modified
    small_workspace.save()
    reopened = Workspace.open(small_workspace.path)
    assert read_settings(reopened) == DisclosureSettings(9, 10, 50)


@pytest.mark.parametrize("key, value, expected", [
    ("disclosure.small_count_high", "quatre", "holds 'quatre'; expected a whole number"),
    ("disclosure.min_cell_count", "0", "expected a whole number from 1 to 999"),
])
def test_a_damaged_threshold_is_refused_with_its_file_and_key(small_workspace, key, value,
                                                               expected) -> None:
    small_workspace.set_metadata(key, value)
    with pytest.raises(PortraitError, match=expected) as error:
        read_settings(small_workspace)
    assert small_workspace.path.name in str(error.value) and key in str(error.value)


def _with_seven_robberies(workspace: Workspace) -> None:
    """Station 38 gets 7 robberies: shown under the default threshold, hidden under 9."""
    robberies = gpd.GeoDataFrame(
        {"source_id": [f"r{i}" for i in range(7)], "source": "test",
         "source_category": "Vols qualifiés",
         "date": pd.to_datetime([f"2024-{m:02d}-10" for m in range(2, 9)]),
         "station_id": "38"},
        geometry=[shapely.Point(295_600 + 300 * i, 5_040_600 + 250 * i) for i in range(7)],
        crs=METRIC_CRS)
    workspace.set_layer("incidents", pd.concat([workspace.layer("incidents"), robberies],
                                               ignore_index=True))


def _robbery_and_parameters(path) -> tuple[object, dict[str, object], str]:
    book = openpyxl.load_workbook(path)
    cells = [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    robbery = next(row[1] for row in cells if row[0] == "Vol qualifié")
    parameters = {row[0]: row[1] for row in cells
                  if isinstance(row[0], str) and row[0].startswith("disclosure.")}
    text = "\n".join(str(v) for row in cells for v in row if v is not None)
    return robbery, parameters, text


def test_the_command_line_uses_and_prints_the_workspace_thresholds(small_workspace,
                                                                    tmp_path) -> None:
    from cli.main import main

    _with_seven_robberies(small_workspace)
    small_workspace.save()
    def briefs(out: str) -> tuple[object, dict[str, object], str]:
        """The partner workbook's robbery count and words; the internal one's parameters."""
        for audience in ("partner", "internal"):
            assert main(["brief", str(small_workspace.path), "--station", "38", "--audience",
                         audience, "--format", "xlsx", "--out", str(tmp_path / out)]) == 0
        robbery, _, text = _robbery_and_parameters(
            tmp_path / out / "portrait-pdq-38-partner-fr.xlsx")
        _, parameters, _ = _robbery_and_parameters(
            tmp_path / out / "portrait-pdq-38-internal-fr.xlsx")
        return robbery, parameters, text

    robbery, parameters, text = briefs("default")
    assert robbery == 7 and parameters["disclosure.small_count_high"] == "4"
    assert "effectifs de 1 à 4 masqués" in text

    write_settings(small_workspace, DisclosureSettings(small_count_high=9, min_cell_count=8))
    small_workspace.save()
    robbery, parameters, text = briefs("nine")
    assert robbery == "x"
    assert parameters["disclosure.small_count_high"] == "9"
    assert parameters["disclosure.min_cell_count"] == "8"
    assert "effectifs de 1 à 9 masqués" in text and "au moins 8 incidents" in text


def test_the_command_line_refuses_a_damaged_threshold(small_workspace, tmp_path,
                                                      capsys) -> None:
    from cli.main import main

    small_workspace.set_metadata("disclosure.survey_min_n", "trente")
    small_workspace.save()
    out = tmp_path / "briefs"
    assert main(["brief", str(small_workspace.path), "--station", "38", "--out",
                 str(out)]) == 1
    error = capsys.readouterr().err
    assert "disclosure.survey_min_n" in error and "Traceback" not in error
    assert not out.exists() or not any(out.iterdir())


def test_preferences_write_the_thresholds_into_the_open_workspace(qtbot, small_workspace,
                                                                  tmp_path) -> None:
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    from PySide6.QtCore import QEvent, QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    write_settings(small_workspace, DisclosureSettings(small_count_high=6))
    window = MainWindow(small_workspace, settings=settings)
    window.actions_by_id["preferences"].trigger()
    dialog = window.preferences_dialog
    assert dialog.small_spin.value() == 6  # the workspace's own, not the officer's default
    for spin, typed in ((dialog.small_spin, "9"), (dialog.k_spin, "12")):
        spin.setFocus()
        QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(spin, typed)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert read_settings(small_workspace) == DisclosureSettings(small_count_high=9,
                                                                min_cell_count=12)
    assert small_workspace.is_modified  # written with the workspace's next save
    window.actions_by_id["preferences"].trigger()
    assert window.preferences_dialog.small_spin.value() == 9
    window.preferences_dialog.reject()
    window._close_confirmed = True  # the unsaved thresholds: no question, the workers stop
    assert window.close()  # deleted now: a web page left for Qt's exit outlives its profile
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("name, value", [("small_count_high", 0), ("min_cell_count", 2.5),
                                         ("survey_min_n", True)])
def test_brief_options_refuse_a_threshold_that_would_hide_nothing(name, value) -> None:
    from exports.brief_model import BriefOptions

    with pytest.raises(ValueError, match=f"{name} is {value!r}; expected a whole number"):
        BriefOptions(audience="partner", **{name: value})
