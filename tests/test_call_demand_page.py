"""The "Demande d'appels" page of the window (pytest-qt, offscreen), driven with the mouse:
its figures, its repeat-call places pinned to problem cards, and its links to the best
practices and the action plan."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from test_call_demand_section import IN_38, _workspace_with_calls  # noqa: E402

from portrait.records import ActionPriority, Location  # noqa: E402
from ui.call_demand_page import CallPracticesWidget, RepeatPlacesWidget  # noqa: E402
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


# --- repeat-call places pinned to problem cards, practices and the action plan --------
LEFT = Qt.MouseButton.LeftButton


def _show_calls(window) -> None:
    navigator = window.sections_panel.navigator
    row = next(i for i in range(navigator.count())
               if navigator.item(i).text() == "Demande d'appels")
    rect = navigator.visualItemRect(navigator.item(row))
    QTest.mouseClick(navigator.viewport(), LEFT, pos=rect.center())
    window.sections_panel.page("calls").finish()


def _click_row(table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    QTest.mouseClick(table.viewport(), LEFT, pos=rect.center())


def test_a_place_starts_a_new_card_then_is_added_to_that_card(qtbot, window) -> None:
    _show_calls(window)
    places = window.sections_panel.page("calls").findChild(RepeatPlacesWidget)
    assert places.table.source_model.rows[0][0].text == "12 rue A"
    assert places.table.source_model.rows[0][2].text == "équipe de crise"
    assert not places.pin_button.isEnabled()  # no place chosen yet
    assert places.pin_button.text() == "Épingler à une fiche problème"
    _click_row(places.table, 0)
    assert places.pin_button.isEnabled()
    assert places.card_choice.currentText() == "Nouvelle fiche problème à ce lieu"
    QTest.mouseClick(places.pin_button, LEFT)

    dialog = window.record_pages.problems.dialog
    assert window.sections_panel.current_section() == "problems"
    place = places.places[0]
    assert (dialog.location.kind, dialog.location.label) == ("point", "12 rue A")
    assert dialog.location.geometry.x == pytest.approx(place["x"])
    [pinned] = dialog.evidence
    assert pinned.value == 6 and pinned.values["mix"]["crisis"] == 6
    assert dialog.tabs.currentWidget() is dialog.evidence_widget
    shown = dialog.evidence_widget.cards[0].findChild(type(places.hint)).text()
    assert "12 rue A : 6 appels du public (" in shown and "équipe de crise 6" in shown
    dialog.title_edit.setFocus()
    QTest.keyClicks(dialog.title_edit, "Appels au 12 rue A")  # ASCII: QTest types no accent
    with qtbot.waitSignal(window.record_pages.records_changed):
        QTest.mouseClick(dialog.ok_button, LEFT)
    [card] = window.record_pages.session.store.problems()
    assert [e.value for e in card.evidence] == [6.0]

    _show_calls(window)  # the new card is offered for the next pin
    assert places.card_choice.itemText(1) == "Ajouter à la fiche « Appels au 12 rue A »"
    _click_row(places.table, 0)
    places.card_choice.setFocus()
    QTest.keyClick(places.card_choice, Qt.Key.Key_Down)
    assert places.card_choice.currentData() == card.record_id
    QTest.mouseClick(places.pin_button, LEFT)
    dialog = window.record_pages.problems.dialog
    assert dialog.original.record_id == card.record_id
    assert [e.value for e in dialog.evidence] == [6.0, 6.0]
    with qtbot.waitSignal(window.record_pages.records_changed):
        QTest.mouseClick(dialog.ok_button, LEFT)
    [card] = window.record_pages.session.store.problems()
    assert len(card.evidence) == 2


def test_practices_and_plan_items_open_their_pages(qtbot, window) -> None:
    _show_calls(window)
    practices = window.sections_panel.page("calls").findChild(CallPracticesWidget)
    assert practices.plan_empty.isVisibleTo(practices) and not practices.plan_buttons
    button = practices.practice_buttons["call_back_unit"]
    assert button.text().startswith("Unité de rappel") and "appels" in button.text()
    QTest.mouseClick(button, LEFT)
    assert window.sections_panel.current_section() == "best_practices"
    assert window.record_pages.best_practices.current().practice_id == "call_back_unit"

    priority = window.record_pages.session.add(
        ActionPriority(title="Mettre sur pied une unité de rappel"))
    [link] = practices.plan_buttons
    assert link.text() == ("Priorité : Mettre sur pied une unité de rappel (Unité de rappel "
                           "pour les appels non urgents (réponse différenciée))")
    assert not practices.plan_empty.isVisibleTo(practices)
    _show_calls(window)
    QTest.mouseClick(link, LEFT)
    assert window.sections_panel.current_section() == "action_plan"
    assert window.record_pages.action_plan.current_priority().record_id == priority.record_id


def test_pinning_never_touches_a_form_open_on_another_card(qtbot, window) -> None:
    open_form = window.record_pages.new_problem_at(Location.point(shapely.Point(*IN_38)))
    open_form.title_edit.setText("Bruit la nuit")
    _show_calls(window)
    places = window.sections_panel.page("calls").findChild(RepeatPlacesWidget)
    _click_row(places.table, 0)
    QTest.mouseClick(places.pin_button, LEFT)
    assert window.record_pages.problems.dialog is open_form  # brought forward, unchanged
    assert open_form.evidence == () and open_form.title_edit.text() == "Bruit la nuit"
    assert open_form.location.label == ""
