"""The records pages as an officer uses them: a problem created from a place on the map, a
consultation logged about it, quarterly progress entered for an action, deletions that ask
what to do with links, confidential contact details flagged, review mode, history, and both
languages."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from portrait.records import (
    Action,
    ActionPriority,
    Consultation,
    ContactPerson,
    Location,
    PartnerOrganisation,
    ProblemCard,
    RecordStore,
    WddCounts,
    current_user,
    pin,
    pin_assessment,
    wdd_test,
)
from portrait.review import ReadOnlyError, ReadOnlyWorkspace
from portrait.workspace import Workspace
from ui.records.pages import RecordPages
from ui.records.problem_form import ProblemDialog
from ui.records.string_table import CHOICE_LABELS, FIELD_LABELS, RECORD_STRINGS
from ui.records.strings import CHOICES

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
POINT = shapely.Point(296_500, 5_041_500)


@pytest.fixture
def host(qtbot) -> QWidget:
    widget = QWidget()
    widget.resize(1200, 760)
    qtbot.addWidget(widget)
    return widget


def open_pages(host: QWidget, workspace: Workspace, language: str = "en",
               read_only: bool = False) -> RecordPages:
    pages = RecordPages(host, language)
    pages.set_workspace(workspace, read_only)
    return pages


def add_problem(pages: RecordPages, title: str = "Thefts from vehicles") -> ProblemCard:
    return pages.session.add(ProblemCard(title=title, category="theft_from_vehicle",
                                         location=Location.point(POINT)))


def grab(widget: QWidget, name: str, size: tuple[int, int] = (1200, 720)) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    widget.resize(*size)
    widget.grab().save(str(ARTIFACTS / f"{name}.png"))


# --- problems ---------------------------------------------------------------------------------
def test_problem_created_from_a_census_area_is_stored_and_saved(qtbot, host,
                                                                 small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    areas = small_workspace.layer("census_areas")
    area_id = str(areas["area_id"].iloc[0])
    with qtbot.waitSignal(pages.page_requested) as shown:
        dialog = pages.new_problem_at(Location.census_area(areas, area_id))
    assert shown.args == ["problems"] and isinstance(dialog, ProblemDialog)
    assert area_id in dialog.place.words.text()
    dialog.title_edit.setText("Thefts from vehicles, Ontario Street")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("theft_from_vehicle"))
    dialog.start_date.set_date(dt.date(2026, 1, 1))
    dialog.end_date.set_date(dt.date(2026, 3, 31))
    dialog.triangle.sides["place"].level_combo.setCurrentIndex(
        dialog.triangle.sides["place"].level_combo.findData("failing"))
    assert dialog.suggestions.count() > 0  # practices fitting the category and weak side
    grab(dialog, "problem_form_general", (900, 660))
    dialog.tabs.setCurrentWidget(dialog.triangle)
    grab(dialog, "problem_form_triangle", (900, 660))
    dialog.tabs.setCurrentWidget(dialog.priority)
    grab(dialog, "problem_form_priority", (900, 660))
    dialog.tabs.setCurrentWidget(dialog.assessment)
    grab(dialog, "problem_form_assessment", (900, 660))
    with qtbot.waitSignal(pages.records_changed):
        dialog.ok_button.click()
    assert not dialog.isVisible()

    [card] = pages.session.store.problems()
    assert card.title == "Thefts from vehicles, Ontario Street"
    assert (card.location.kind, card.location.reference_id) == ("census_area", area_id)
    assert card.created_by == current_user()
    assert pages.problems.current().record_id == card.record_id
    assert pages.problems.detail_title.text() == card.title
    assert small_workspace.is_modified  # the window's Save writes it
    small_workspace.save()
    [saved] = RecordStore.load(Workspace.open(small_workspace.path)).problems()
    assert saved.record_id == card.record_id and saved.location.reference_id == area_id
    assert saved.period_end == dt.date(2026, 3, 31)
    assert saved.triangle.weakest_sides() == ("place",)
    grab(pages.problems, "problems_panel")


def test_an_invalid_problem_form_shows_what_to_fix_and_stays_open(qtbot, host,
                                                                  small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    dialog = pages.new_problem_at(Location.point(POINT))
    dialog.start_date.set_date(dt.date(2026, 5, 1))
    dialog.end_date.set_date(dt.date(2026, 4, 1))
    assert not dialog.try_accept()
    assert dialog.isVisible()
    assert dialog.error_text("title") == "Give a title."
    assert dialog.error_text("period_end") == "The end is before the start."
    assert dialog.error_text("form") == "Fix the fields marked in red."
    grab(dialog, "problem_form_errors", (900, 660))
    dialog.title_edit.setText("Noise at night")
    dialog.end_date.set_date(dt.date(2026, 6, 1))
    assert dialog.try_accept()
    assert [p.title for p in pages.session.store.problems()] == ["Noise at night"]


def test_a_form_waiting_for_a_place_receives_the_map_choice(qtbot, host,
                                                            small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    dialog = pages.problems.new_problem()
    with qtbot.waitSignal(pages.location_requested) as asked:
        qtbot.mouseClick(dialog.place.pick_buttons["hot_spot"], Qt.MouseButton.LeftButton)
    assert asked.args == ["hot_spot"]
    assert not dialog.isVisible()  # out of the map's way while the officer clicks it
    cell = Location.hot_spot_cell("c-12", shapely.box(296_000, 5_041_000, 296_250, 5_041_250))
    assert pages.new_problem_at(cell) is dialog
    assert dialog.location is cell and dialog.isVisible()
    assert dialog.place.words.text() == "Hot spot cell of 250\u00a0m in AD 24660001"
    assert pages.problems.dialog is dialog

    dialog.title_edit.setText("Drug sales near the school")  # not waiting for a place now:
    other = Location.point(POINT)  # a second map click neither moves nor closes the form
    assert pages.new_problem_at(other) is dialog and dialog.location is cell
    assert dialog.isVisible() and dialog.title_edit.text() == "Drug sales near the school"


def test_an_open_form_is_never_closed_by_asking_for_another_card(qtbot, host,
                                                                  small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    other = add_problem(pages, "Bruit la nuit")
    dialog = pages.problems.new_problem()
    dialog.title_edit.setText("Vente de drogue près de l'école")
    assert pages.problems.edit_problem(other.record_id) is dialog
    assert pages.problems.new_problem() is dialog
    assert dialog.isVisible() and dialog.title_edit.text() == "Vente de drogue près de l'école"


def test_the_problem_list_searches_and_filters(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    thefts = add_problem(pages, "Thefts from vehicles, Ontario Street")
    noise = pages.session.add(ProblemCard(title="Bruit la nuit, parc Médéric", status="resolved",
                                          sara_stage="assessment"))
    listing = pages.problems.list
    listing.search_edit.setText("mederic")  # accents and case ignored
    assert listing.visible_ids() == [noise.record_id]
    assert listing.count_label.text() == "1 of 2 record(s) shown"
    listing.search_edit.clear()
    status = listing.combos["status"]
    status.setCurrentIndex(status.findData("open"))
    assert listing.visible_ids() == [thefts.record_id]
    category = listing.combos["category"]
    category.setCurrentIndex(category.findData("__free__"))  # free-text categories
    assert listing.visible_ids() == []
    assert pages.problems.select_record(noise.record_id)  # selecting clears what hides it
    assert status.currentData() is None and listing.visible_ids() != []


# --- consultations and links ------------------------------------------------------------------
def test_a_consultation_logged_from_a_problem_is_linked_both_ways(qtbot, host,
                                                                  small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    pages.session.add(PartnerOrganisation(name="CLSC des Faubourgs", sector="health_social"))
    assert pages.problems.select_record(card.record_id)
    with qtbot.waitSignal(pages.page_requested) as shown:
        pages.problems.consultation_button.click()
    assert shown.args == ["partners"]
    assert pages.partner_tabs.currentWidget() is pages.consultations
    dialog = pages.consultations.dialog
    assert dialog.problems_list.checked_ids() == (card.record_id,)
    dialog.title_edit.setText("Round table, May")
    dialog.form_combo.setCurrentIndex(dialog.form_combo.findData("round_table"))
    dialog.topics_edit.setPlainText("lighting\nlanes")
    dialog.others_edit.setPlainText("Mrs. Tremblay (resident)")
    dialog.follow_ups.add_row()
    dialog.follow_ups.set_cell(0, 0, "Ask the city for lighting")
    grab(dialog, "consultation_form", (780, 640))
    dialog.ok_button.click()
    [consultation] = pages.session.store.consultations()
    assert consultation.problem_ids == (card.record_id,)
    assert consultation.participants_other == ("Mrs. Tremblay (resident)",)

    assert pages.consultations.current().record_id == consultation.record_id
    assert pages.consultations.links.link_count("problem") == 1  # consultation -> problem
    assert pages.consultations.others_badge.text() == "CONFIDENTIAL"
    grab(pages.partner_tabs, "consultations_panel")
    with qtbot.waitSignal(pages.page_requested) as shown:
        pages.consultations.links.click("problem", card.record_id)
    assert shown.args == ["problems"]
    assert pages.problems.current().record_id == card.record_id
    assert pages.problems.links.link_count("consultation") == 1  # problem -> consultation
    with qtbot.waitSignal(pages.page_requested):
        pages.problems.links.click("consultation", consultation.record_id)
    assert pages.consultations.current().record_id == consultation.record_id


def test_deleting_a_linked_problem_asks_what_to_do_with_the_links(qtbot, host,
                                                                  small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    walk = pages.session.add(Consultation(date=dt.date(2026, 5, 12), form="exploratory_walk",
                                          title="Walk", problem_ids=(card.record_id,)))
    pages.problems.select_record(card.record_id)
    pages.problems.delete_button.click()
    prompt = pages.problems.prompt
    assert "Walk" in prompt.text() and "1 other record" in prompt.text()
    keep = next(b for b in prompt.buttons() if b.text() == "Keep the record")
    keep.click()
    assert card.record_id in pages.session.store

    pages.problems.delete_button.click()
    prompt = pages.problems.prompt
    unlink = next(b for b in prompt.buttons() if b.text() == "Remove the links and delete")
    unlink.click()
    store = pages.session.store
    assert card.record_id not in store
    assert store.get(walk.record_id).problem_ids == ()
    assert store.get(walk.record_id).history[-1].field == "problem_ids"
    assert pages.problems.list.items() == []


def test_links_follow_a_renamed_problem(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    walk = pages.session.add(Consultation(date=dt.date(2026, 5, 12), form="exploratory_walk",
                                          problem_ids=(card.record_id,)))
    dialog = pages.problems.edit_problem(card.record_id)
    dialog.title_edit.setText("Thefts from vehicles, Ontario and Frontenac")
    assert dialog.try_accept()
    pages.consultations.select_record(walk.record_id)
    links = pages.consultations.links.findChild(QLabel, "links_problem").text()
    assert "Ontario and Frontenac" in links
    assert pages.session.store.get(walk.record_id).problem_ids == (card.record_id,)


# --- partners ---------------------------------------------------------------------------------
def test_confidential_contact_fields_are_flagged(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    partner = pages.session.add(PartnerOrganisation(
        name="Maison des jeunes", sector="community",
        contacts=(ContactPerson(name="Jeanne Roy", role="Coordinator", phone="514 555-0101",
                                email="jeanne.roy@example.org"),)))
    pages.partners.select_record(partner.record_id)
    box = pages.partners.contacts_box
    confidential = {label.text() for label in box.findChildren(QLabel, "contact_confidential")}
    public = {label.text() for label in box.findChildren(QLabel, "contact_public")}
    assert confidential == {"Jeanne Roy", "514 555-0101", "jeanne.roy@example.org"}
    assert public == {"Coordinator"}
    badges = box.findChildren(QLabel, "confidential_badge")
    assert len(badges) == 3 and all(b.text() == "CONFIDENTIAL" for b in badges)
    grab(pages.partner_tabs, "partners_panel")

    dialog = pages.partners.edit_partner(partner.record_id)
    headers = [dialog.contacts.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert [h.endswith("(conf.)") for h in headers] == [True, False, True, True]
    dialog.contacts.set_cell(0, 3, "not an email")
    assert not dialog.try_accept()
    assert dialog.error_text("contacts") == "Person 1: this is not an email address."
    grab(dialog, "partner_form", (720, 640))


# --- action plan --------------------------------------------------------------------------------
def test_quarterly_progress_shows_in_the_generated_table(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    panel = pages.action_plan
    priority_form = panel.new_priority()
    priority_form.title_edit.setText("Safer lanes")
    priority_form.problems_list.set_checked(card.record_id)
    assert priority_form.try_accept()
    [priority] = pages.session.store.priorities()
    assert panel.current_priority().record_id == priority.record_id
    action_form = panel.new_action()  # under the selected priority
    action_form.title_edit.setText("Lane lighting")
    action_form.owner_edit.setText("Borough")
    action_form.start_date.set_date(dt.date(2026, 1, 1))
    action_form.end_date.set_date(dt.date(2026, 6, 30))
    row = action_form.indicators.add_row()
    for column, value in ((0, "Thefts"), (2, "12"), (3, "8")):
        action_form.indicators.set_cell(row, column, value)
    grab(action_form, "action_form", (720, 640))
    assert action_form.try_accept()
    [action] = pages.session.store.actions(priority.record_id)
    assert [(i.indicator_id, i.baseline, i.target) for i in action.indicators] == [
        ("thefts", 12.0, 8.0)]
    assert panel.current_action().record_id == action.record_id
    dialog = panel.add_progress("2026-Q1")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("on_track"))
    dialog.narrative_edit.setPlainText("Six lamps installed.")
    dialog.set_value("thefts", "nine")
    assert not dialog.try_accept()
    assert dialog.error_text("values") == "“Thefts”: write a number (or leave it empty)."
    dialog.set_value("thefts", "9")
    grab(dialog, "progress_form", (560, 420))
    assert dialog.try_accept()

    stored = pages.session.store.get(action.record_id)
    assert stored.entry("2026-Q1").indicator_values == {"thefts": 9.0}
    model = panel.progress_model
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert headers[-2:] == ["2026-Q1", "2026-Q2"]
    assert model.cell(0, len(headers) - 2) == "On track — Thefts: 9 (target 8, not met)"
    assert model.cell(0, len(headers) - 1) == "No report"
    assert panel.priority_links.link_count("problem") == 1
    grab(panel, "action_plan_panel")
    pages.problems.select_record(card.record_id)  # the problem shows its plan, both ways
    assert pages.problems.links.link_count("action_priority") == 1
    assert pages.problems.links.link_count("action") == 1


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


# --- best practices and assessment -------------------------------------------------------------
def test_an_officer_adds_a_practice_and_records_a_trial(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    panel = pages.best_practices
    dialog = panel.new_practice()
    assert not dialog.try_accept()  # no name, no side
    dialog.name_fr.setText("Burinage des catalytiques")
    dialog.name_en.setText("Catalytic converter etching")
    dialog.categories.set_checked("theft_from_vehicle")
    dialog.side_checks["target"].setChecked(True)
    grab(dialog, "practice_form", (640, 700))
    assert dialog.try_accept()
    [practice] = pages.session.store.custom_practices()
    assert panel.current().practice_id == practice.record_id

    trial_dialog = panel.new_trial(card.record_id)
    trial_dialog.result_combo.setCurrentIndex(trial_dialog.result_combo.findData("worked"))
    trial_dialog.description_edit.setPlainText("40 cars etched at the fair.")
    assert trial_dialog.try_accept()
    [trial] = pages.session.store.trials()
    assert (trial.practice_id, trial.problem_id) == (practice.record_id, card.record_id)
    assert "Worked" in panel.trials.findChild(QLabel, "links_practice_trial").text()
    pages.problems.select_record(card.record_id)
    assert pages.problems.links.link_count("practice_trial") == 1
    suggested = pages.problems.links.findChild(QLabel, "links_practice").text()
    assert "Catalytic converter etching" in suggested  # its own practice fits the category


def test_a_pinned_assessment_shows_on_the_problem(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    result = wdd_test(WddCounts(target_before=40, target_after=12, control_before=30,
                                control_after=31))
    pages.session.put(pin(card, pin_assessment(result)))
    pages.problems.select_record(card.record_id)
    summary = pages.problems.detail_summary.text()
    assert "Assessment (WDD)" in summary
    assert "WDD -29, z = -2.73, p = 0.006: significant drop beyond the control area" in summary


def test_the_form_assesses_the_response_and_pins_the_result(qtbot, host,
                                                            small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    dialog = pages.new_problem_at(Location.area(shapely.box(295_000, 5_040_000, 296_500,
                                                            5_043_000)))
    dialog.title_edit.setText("Break-ins, west")
    assessment = dialog.assessment
    assert not assessment.assess_button.isEnabled()  # no start date nor control area yet
    assessment.start_date.set_date(dt.date(2024, 7, 1))
    with qtbot.waitSignal(pages.area_requested) as asked:
        assessment.control_button.click()
    assert asked.args == ["control"]
    pages.set_area("control", shapely.box(298_000, 5_040_000, 299_500, 5_043_000))
    assert assessment.assess_button.isEnabled()
    assessment.assess_button.click()
    qtbot.waitUntil(assessment.pin_button.isEnabled, timeout=10_000)
    assert "WDD" in assessment.result_edit.toPlainText()
    dialog.tabs.setCurrentWidget(assessment)
    grab(dialog, "problem_form_assessment_result", (900, 660))
    assessment.pin_button.click()
    assert len(dialog.evidence_widget.cards) == 1
    assert dialog.try_accept()
    [card] = pages.session.store.problems()
    assert [e.kind for e in card.evidence] == ["assessment"]
    assert card.response_start == dt.date(2024, 7, 1) and card.control_area is not None
    assert "Assessment (WDD)" in pages.problems.detail_summary.text()


# --- history and review mode ------------------------------------------------------------------
def test_history_lists_who_changed_what(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    partner = pages.session.add(PartnerOrganisation(name="CLSC"))
    pages.partners.select_record(partner.record_id)
    dialog = pages.partners.edit_partner(partner.record_id)
    dialog.name_edit.setText("CLSC des Faubourgs")
    assert dialog.try_accept()
    pages.partners.history_button.click()
    history = pages.partners.history_dialog
    table = history.table
    assert table.rowCount() == 1
    row = [table.item(0, c).text() for c in range(5)]
    assert row[1:] == [current_user(), "Name", "CLSC", "CLSC des Faubourgs"]
    grab(history, "history_dialog", (820, 360))


def test_review_mode_panels_cannot_change_records(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace)
    card = add_problem(pages)
    small_workspace.save()
    review = ReadOnlyWorkspace.open(small_workspace.path)
    pages.set_workspace(review, read_only=True)
    assert pages.new_problem_at(Location.point(POINT)) is None
    panels = pages.panels()
    assert not any(p.new_button.isEnabled() for p in panels if hasattr(p, "new_button"))
    assert not pages.action_plan.new_priority_button.isEnabled()
    pages.problems.select_record(card.record_id)
    assert not pages.problems.delete_button.isEnabled()
    assert pages.problems.edit_button.text() == "View…"
    dialog = pages.problems.edit_problem(card.record_id)
    assert dialog.title_edit.isReadOnly() and not dialog.ok_button.isVisible()
    assert not dialog.try_accept()
    with pytest.raises(ReadOnlyError):
        pages.session.add(ProblemCard(title="Not allowed"))
    assert [p.record_id for p in pages.session.store.problems()] == [card.record_id]

    pages.set_workspace(None, read_only=False)  # workspace closed: empty, nothing to edit
    assert pages.session is None and pages.problems.list.items() == []
    assert pages.new_problem_at(Location.point(POINT)) is None
    assert not pages.problems.new_button.isEnabled()


# --- languages --------------------------------------------------------------------------------
def english_patterns() -> list[re.Pattern[str]]:
    """Every English word table entry and label that differs from its French one."""
    pairs = [(RECORD_STRINGS["fr"][k], en) for k, en in RECORD_STRINGS["en"].items()]
    for group in (*CHOICES.values(), *CHOICE_LABELS.values(), FIELD_LABELS):
        pairs += list(group.values())
    patterns = []
    for fr, en in pairs:
        parts = re.split(r"\{[^}]*\}", en)
        if en == fr or sum(ch.isalpha() for part in parts for ch in part) < 4:
            continue
        patterns.append(re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL))
    return patterns


def shown_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        texts += [widget.toolTip(), widget.windowTitle()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        model = getattr(widget, "model", None)
        if callable(model) and model() is not None and hasattr(widget, "horizontalHeader"):
            m = model()
            texts += [str(m.headerData(c, _horizontal()) or "") for c in range(m.columnCount())]
            texts += [str(m.index(r, c).data() or "") for r in range(m.rowCount())
                      for c in range(m.columnCount())]
    return [t for t in texts if t]


def test_french_pages_show_no_english_word(qtbot, host, small_workspace) -> None:
    pages = open_pages(host, small_workspace, language="en")
    card = add_problem(pages, "Vols dans les véhicules")
    pages.session.add(Consultation(date=dt.date(2026, 5, 12), form="round_table",
                                   problem_ids=(card.record_id,), follow_ups=(
                                       {"description": "Éclairage", "due": "2026-06-01"},)))
    pages.session.add(PartnerOrganisation(name="CLSC", contacts=(
        ContactPerson(name="Jeanne Roy", role="Intervenante"),)))
    priority = pages.session.add(ActionPriority(title="Ruelles sûres",
                                                problem_ids=(card.record_id,)))
    action = pages.session.add(Action(title="Éclairage", priority_id=priority.record_id,
                                      start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)))
    for panel in (pages.problems, pages.partners, pages.consultations, pages.best_practices):
        assert panel.list.select(panel.list.visible_ids()[0])
    assert pages.action_plan.select_record(action.record_id)
    english = shown_texts(host)
    assert "New problem…" in english and "Quarterly progress…" in english  # the walk sees them

    pages.retranslate("fr")
    dialogs = [pages.problems.edit_problem(card.record_id),
               pages.consultations.edit_consultation(pages.consultations.current().record_id),
               pages.partners.edit_partner(pages.partners.current().record_id),
               pages.action_plan.add_progress("2026-Q1")]
    pages.action_plan.new_action()
    pages.action_plan.new_priority()
    pages.best_practices.new_practice()
    pages.best_practices.new_trial()
    assert all(isinstance(d, QDialog) for d in dialogs), dialogs
    french = shown_texts(host)
    assert "Nouveau problème…" in french and "Suivi trimestriel…" in french
    patterns = english_patterns()
    leftovers = sorted({t for t in french if any(p.fullmatch(t) for p in patterns)})
    assert leftovers == [], leftovers
    planted = QLabel(RECORD_STRINGS["en"]["button_new_problem"], pages.problems)
    assert [t for t in shown_texts(host) if any(p.fullmatch(t) for p in patterns)] == [
        "New problem…"]  # the check does catch English
    planted.deleteLater()
    grab(pages.best_practices, "best_practices_panel")
    grab(pages.problems, "problems_panel_fr")
    grab(pages.action_plan, "action_plan_panel_fr")
    dialogs[0].tabs.setCurrentWidget(dialogs[0].triangle)
    grab(dialogs[0], "problem_form_triangle_fr", (900, 660))
    grab(dialogs[1], "consultation_form_fr", (780, 640))
    QApplication.processEvents()


def test_every_word_key_the_panels_use_exists_in_both_languages() -> None:
    """Keys passed as literals to the word tables (``text("...")``, ``t("...")``), so a form
    no test opens cannot fail on a missing word."""
    from ui.strings import UI_STRINGS

    assert RECORD_STRINGS["fr"].keys() == RECORD_STRINGS["en"].keys()
    used = set()
    for path in (Path(__file__).resolve().parent.parent / "ui" / "records").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and _is_text_call(node.func):
                used |= _literal_keys(node.args[0])
    assert len(used) > 250
    for language in ("fr", "en"):
        known = RECORD_STRINGS[language].keys() | UI_STRINGS[language].keys()
        assert sorted(used - known) == [], language


def _is_text_call(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id in ("t", "text")) or \
        (isinstance(func, ast.Attribute) and func.attr == "text")


def _literal_keys(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) | _literal_keys(node.orelse)
    return set()
