"""The "Demande d'appels" page of the window (pytest-qt, offscreen), driven with the mouse."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from test_call_demand_section import _workspace_with_calls  # noqa: E402

from ui.chart_widget import ChartWidget  # noqa: E402
from ui.figure_widgets import FigureTableWidget  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.section_page import SectionPageWidget  # noqa: E402

TIMEOUT_MS = 30_000


@pytest.fixture
def window(qtbot, small_workspace, tmp_path: Path):
    workspace = _workspace_with_calls(small_workspace, tmp_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = MainWindow(workspace, language="fr", settings=settings)
    made.resize(1300, 900)
    with qtbot.waitSignal(made.map_panel.loadFinished, timeout=TIMEOUT_MS):
        made.show()
    with qtbot.waitSignal(made.portrait_runner.portraitReady, timeout=TIMEOUT_MS):
        made.station_combo.setCurrentIndex(made.station_combo.findData("38"))
    yield made
    made._close_confirmed = True
    made.close()
    made.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_clicking_call_demand_shows_its_figures_chart_and_table(qtbot, window) -> None:
    navigator = window.sections_panel.navigator
    row = next(i for i in range(navigator.count())
               if navigator.item(i).text() == "Demande d'appels")
    rect = navigator.visualItemRect(navigator.item(row))
    QTest.mouseClick(navigator.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.sections_panel.current_section() == "calls"
    page = window.sections_panel.page("calls")
    assert isinstance(page, SectionPageWidget)
    page.finish()
    cards = {card.item.id: card.value_label.text() for card in page.cards()}
    assert cards["calls_demand"] == "13"
    assert cards["calls_diverted"].startswith("69,2")  # 9 of 13 calls, in French
    assert page.findChildren(ChartWidget)
    table = next(t.source_model for t in page.findChildren(FigureTableWidget)
                 if t.source_model.headerData(0, Qt.Orientation.Horizontal) == "Réponse")
    shown = {row[0].text: row[1].text for row in table.rows}
    assert shown["Équipe de crise ou de santé mentale"] == "6"
    assert shown["Type d'appel absent de la table"] == "2"
