"""Record lists driven with the mouse, as officers use them: a click on a row shows the
record and enables its buttons in every list; a form cancelled before a language switch
leaves nothing behind that the switch could trip on."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStackedWidget,
    QWidget,
)

from portrait.records import (
    Action,
    ActionPriority,
    Consultation,
    Location,
    PartnerOrganisation,
    ProblemCard,
)
from ui.records.list_widget import RecordListWidget
from ui.records.pages import RecordPages


@pytest.fixture
def host(qtbot) -> QStackedWidget:
    widget = QStackedWidget()
    widget.resize(1366, 768)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def pages(host, small_workspace) -> RecordPages:
    pages = RecordPages(host, "fr")
    for page in pages.pages().values():
        host.addWidget(page)
    host.show()
    pages.set_workspace(small_workspace, read_only=False)
    session = pages.session
    session.add(ProblemCard(title="Vols dans les véhicules", category="theft_from_vehicle",
                            location=Location.point(shapely.Point(296_500, 5_041_500))))
    session.add(PartnerOrganisation(name="CLSC des Faubourgs", sector="health_social"))
    session.add(Consultation(date=dt.date(2026, 5, 12), form="exploratory_walk",
                             title="Marche exploratoire"))
    priority = session.add(ActionPriority(title="Sécurité des stationnements"))
    session.add(Action(title="Patrouille à vélo", priority_id=priority.record_id))
    return pages


def show(pages: RecordPages, panel: QWidget) -> None:
    """Show the page holding ``panel``, as the window's section list does."""
    if panel in (pages.partners, pages.consultations):
        pages.partner_tabs.setCurrentWidget(panel)
        panel = pages.partner_tabs
    panel.parentWidget().setCurrentWidget(panel)


def click_first_row(listing: RecordListWidget) -> None:
    view = listing.view
    rect = view.visualRect(view.model().index(0, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize("panel_name, none_key", [
    ("problems", "problem_none_selected"), ("partners", "partner_none_selected"),
    ("consultations", "consultation_none_selected")])
def test_a_click_shows_the_record_and_enables_its_buttons(pages, panel_name,
                                                          none_key) -> None:
    panel = getattr(pages, panel_name)
    show(pages, panel)
    assert panel.detail_title.text() == panel.text(none_key)
    assert not panel.edit_button.isEnabled() and not panel.delete_button.isEnabled()
    click_first_row(panel.list)
    record = panel.current()
    assert record is not None
    assert panel.detail_title.text() == panel.text.name_of(record)
    assert panel.edit_button.isEnabled() and panel.delete_button.isEnabled()
    assert panel.history_button.isEnabled()


def test_a_click_selects_a_priority_and_an_action(pages) -> None:
    plan = pages.action_plan
    show(pages, plan)
    click_first_row(plan.priorities)
    assert plan.current_priority().title == "Sécurité des stationnements"
    assert plan.edit_priority_button.isEnabled() and plan.delete_priority_button.isEnabled()
    click_first_row(plan.actions)
    assert plan.current_action().title == "Patrouille à vélo"
    assert plan.edit_action_button.isEnabled() and plan.progress_button.isEnabled()


def test_a_click_shows_a_best_practice(pages) -> None:
    practices = pages.best_practices
    show(pages, practices)
    assert practices.detail_title.text() == practices.text("practice_none_selected")
    click_first_row(practices.list)
    practice = practices.current()
    assert practice is not None
    assert practices.detail_title.text() == practice.name("fr")
    assert practices.trial_button.isEnabled()


@pytest.mark.parametrize("panel_name, opener", [
    ("partners", "new_button"), ("consultations", "new_button"), ("problems", "new_button")])
def test_a_cancelled_form_does_not_break_a_language_switch(qtbot, pages, panel_name,
                                                           opener) -> None:
    panel = getattr(pages, panel_name)
    show(pages, panel)
    QTest.mouseClick(getattr(panel, opener), Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    buttons = dialog.findChild(QDialogButtonBox)
    cancel = next(button for button in buttons.buttons()
                  if buttons.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole)
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # Qt deletes the form
    assert panel.dialog is None
    pages.retranslate("en")  # closed the deleted form before: "Internal C++ object deleted"
    assert panel.new_button.text() != "" and panel.text.language == "en"
    click_first_row(panel.list)
    assert panel.edit_button.isEnabled()


def test_empty_link_lists_agree_with_what_is_missing(pages) -> None:
    panel = pages.problems
    show(pages, panel)
    click_first_row(panel.list)
    shown = {label.objectName(): label.text() for label in panel.links.findChildren(QLabel)}
    assert "aucune" in shown["links_consultation"] and "aucune" in shown["links_action"]
    assert "aucune" not in shown["links_partner"] and "aucun" in shown["links_partner"]
    pages.retranslate("en")
    shown = {label.objectName(): label.text() for label in panel.links.findChildren(QLabel)}
    assert "none" in shown["links_consultation"]


@pytest.mark.parametrize("opener", ["problems.new_problem", "partners.new_partner",
                                    "consultations.new_consultation",
                                    "action_plan.new_priority", "action_plan.new_action",
                                    "best_practices.new_practice"])
def test_every_form_fits_a_1366_by_768_screen(pages, opener) -> None:
    panel_name, method = opener.split(".")
    dialog = getattr(getattr(pages, panel_name), method)()
    assert dialog is not None and dialog.isVisible()
    needed = dialog.minimumSizeHint()
    assert needed.width() <= 1366 and needed.height() <= 740, needed
    assert dialog.width() <= 1366 and dialog.height() <= 740, dialog.size()
    dialog.reject()
