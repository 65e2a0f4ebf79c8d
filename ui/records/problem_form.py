"""The problem card form, and creating a card from a place chosen on the map.

The form follows the card's structure (``portrait.records.ProblemCard``) in tabs: what and
where, the problem analysis triangle, concern and priority, pinned evidence, suggested
practices, and the assessment of the response. Required fields and the order of dates are
checked here, with the message under the field, in the officer's language; the card's own
validation runs last and any remaining problem is shown at the bottom of the form.

The location is chosen on the map, a button for each way: a point with the radius its
incidents are counted in, a census area, the neighbourhood (named area) around a click, a hot
spot cell, or an area drawn corner by corner. The dialog is not modal: a button asks the
window for a pick (``location_requested(mode)``, a mode of ``ui.map_pick.PICK_MODES``) and
steps aside while the officer clicks the map; the window answers with ``set_location`` (or
``pick_cancelled``). The location reads as words (``portrait.records.location_words``) and
is drawn on the map while the form is open (``location_changed``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from portrait.categories import CATEGORIES
from portrait.errors import PortraitError
from portrait.records import (
    SARA_STAGES,
    CommunityConcern,
    Location,
    PinnedEvidence,
    PriorityInputs,
    ProblemCard,
    RecordStore,
    assess_problem,
    current_user,
    now_iso,
    pin_assessment,
    suggestions,
)
from portrait.records.problems import STATUSES
from portrait.workspace import Workspace
from ui.records.problem_assessment import AssessmentWidget
from ui.records.problem_location import LocationWidget
from ui.records.problem_tabs import (
    EvidenceWidget,
    PriorityWidget,
    SuggestionsWidget,
    TriangleWidget,
)
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    OptionalDateWidget,
    choice_combo,
    date_range,
    error_label,
    make_read_only,
    set_combo,
    set_error,
    top_form,
    with_error,
)
from ui.worker import QtJobRunner

log = logging.getLogger(__name__)


class ProblemDialog(QDialog):
    """Create or edit a problem card. ``record()`` is the checked card once accepted."""

    location_requested = Signal(str)
    location_changed = Signal(object)
    area_requested = Signal(str)

    def __init__(self, text: RecordText, store: RecordStore, workspace: Workspace | None,
                 card: ProblemCard | None = None, location: Location | None = None,
                 read_only: bool = False, parent: QWidget | None = None,
                 default_period: tuple[dt.date, dt.date] | None = None):
        super().__init__(parent)
        self.setObjectName("problem_dialog")
        self.text, self.store, self.workspace = text, store, workspace
        self.original = card
        self.read_only = read_only
        start = location or (card.location if card else None)
        self.evidence = tuple(card.evidence) if card else ()
        self._record: ProblemCard | None = None
        self._jobs = QtJobRunner(self)
        title = card.title if card else ""
        self.setWindowTitle(text("problem_edit_title", name=title) if card
                            else text("problem_new_title"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("problem_tabs")
        self.tabs.addTab(self._general_tab(), text("tab_general"))
        self.place.set_location(start, take_radius=False)
        self.triangle = TriangleWidget(text, self)
        self.tabs.addTab(self.triangle, text("tab_triangle"))
        self.priority = PriorityWidget(text, self)
        self.tabs.addTab(self.priority, text("tab_priority"))
        self.evidence_widget = EvidenceWidget(text, self)
        self.tabs.addTab(self.evidence_widget, text("tab_evidence"))
        self.suggestions = SuggestionsWidget(text, self)
        self.tabs.addTab(self.suggestions, text("tab_suggestions"))
        self.assessment = AssessmentWidget(text, self)
        self.tabs.addTab(self.assessment, text("tab_assessment"))
        self.form_error = error_label(self, "form")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(text("button_save_record"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok_button")
        self.cancel_button = self.buttons.addButton(
            text("button_close" if read_only else "button_cancel"),
            QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

        self._fill(card)
        if card is None and default_period is not None:  # a new card starts on the portrait's
            self.start_date.set_date(default_period[0])
            self.end_date.set_date(default_period[1])
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.place.pick_requested.connect(self._pick)
        self.place.changed.connect(lambda _location: self._show_location())
        self.category_combo.currentTextChanged.connect(self._category_changed)
        self.triangle.changed.connect(self._refresh_suggestions)
        self.priority.count_requested.connect(self._count_incidents)
        self.assessment.area_requested.connect(self._area_pick)
        self.assessment.assess_requested.connect(self._assess)
        self.assessment.pin_requested.connect(self._pin_result)
        if read_only:
            make_read_only(self, keep=(self.buttons,))
            self.ok_button.setVisible(False)
        self.resize(860, 640)

    # --- building -------------------------------------------------------------------------------
    def _general_tab(self) -> QWidget:
        t = self.text
        tab = QWidget(self)
        self.title_edit = QLineEdit(tab)
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText(t("problem_title_placeholder"))
        self.title_error = error_label(tab, "title")
        self.description_edit = QPlainTextEdit(tab)
        self.description_edit.setObjectName("description")
        self.description_edit.setMaximumHeight(80)
        # The only text about the problem that partner briefs print (portrait.records.audience)
        self.partner_summary_edit = QPlainTextEdit(tab)
        self.partner_summary_edit.setObjectName("partner_summary")
        self.partner_summary_edit.setMaximumHeight(60)
        self.partner_summary_edit.setPlaceholderText(t("partner_summary_placeholder"))
        self.category_combo = QComboBox(tab)
        self.category_combo.setObjectName("category")
        self.category_combo.setEditable(True)
        self.category_combo.addItem("", "")
        for category in CATEGORIES:
            self.category_combo.addItem(category.label(t.language), category.id)
        self.category_combo.lineEdit().setPlaceholderText(t("category_placeholder"))
        areas = self.workspace.layer("census_areas") if self.workspace is not None else None
        self.place = LocationWidget(t, areas, tab)
        self.place.read_only = self.read_only
        self.start_date = OptionalDateWidget(t, tab)
        self.start_date.setObjectName("period_start")
        self.end_date = OptionalDateWidget(t, tab)
        self.end_date.setObjectName("period_end")
        self.end_error = error_label(tab, "period_end")
        period_box = date_range(tab, t("period_from"), self.start_date, t("period_to"),
                                self.end_date)
        self.sara_combo = choice_combo(tab, "sara_stage", t, "sara", SARA_STAGES)
        self.status_combo = choice_combo(tab, "status", t, "status", STATUSES)
        self.partners_list = CheckListWidget(tab)
        self.partners_list.setObjectName("partners")
        form = top_form(tab)
        form.addRow(t("field_title_required"), with_error(self.title_edit, self.title_error))
        form.addRow(t("field_description"), self.description_edit)
        form.addRow(t("field_partner_summary"), self.partner_summary_edit)
        form.addRow(t("field_category"), self.category_combo)
        form.addRow(t("field_location"), self.place)
        form.addRow(t("field_period"), with_error(period_box, self.end_error))
        form.addRow(t("field_sara"), self.sara_combo)
        form.addRow(t("field_status"), self.status_combo)
        form.addRow(t("field_partners"), self.partners_list)
        return tab

    def _fill(self, card: ProblemCard | None) -> None:
        partners = [(p.record_id, p.name) for p in self.store.partners()]
        self.partners_list.set_choices(partners, card.partner_ids if card else ())
        if card is None:
            self.priority.set_values(CommunityConcern(), PriorityInputs())
            self._show_location()
            self._refresh_suggestions()
            self.evidence_widget.set_evidence(())
            return
        self.title_edit.setText(card.title)
        self.description_edit.setPlainText(card.description)
        self.partner_summary_edit.setPlainText(card.partner_summary)
        if card.category_is_common:
            set_combo(self.category_combo, card.category)
        else:
            self.category_combo.setEditText(card.category)
        self.start_date.set_date(card.period_start)
        self.end_date.set_date(card.period_end)
        set_combo(self.sara_combo, card.sara_stage)
        set_combo(self.status_combo, card.status)
        self.triangle.set_triangle(card.triangle)
        self.priority.set_values(card.concern, card.priority_inputs)
        self.priority.set_category(card.category)
        self.evidence_widget.set_evidence(card.evidence)
        self.assessment.set_values(card.response_start, card.target_area, card.control_area,
                                   card.displacement_buffer_m)
        self._show_location()
        self._refresh_suggestions()

    # --- location and areas -----------------------------------------------------------------
    @property
    def location(self) -> Location | None:
        """Where the problem is, as the form shows it."""
        return self.place.location

    def set_location(self, location: Location | None) -> None:
        """Where the problem is (picked or drawn on the map); a point takes the radius
        the form shows."""
        self.place.set_location(location)
        self._show_location()
        self._come_back()

    def pick_cancelled(self) -> None:
        """The officer cancelled the pick on the map: the form comes back as it was."""
        self._come_back()

    def _come_back(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def set_area(self, which: str, geometry: Any) -> None:
        """The target ("target") or control ("control") area drawn on the map."""
        self.assessment.set_area(which, geometry)
        self._come_back()

    def _show_location(self) -> None:
        self.assessment.set_location(self.location)
        self.location_changed.emit(self.location)

    def _pick(self, mode: str) -> None:
        """Ask the map for a location; the form steps aside so the map can be clicked."""
        self.form_error.setVisible(False)
        self.location_requested.emit(mode)
        self._step_aside()

    @Slot(str)
    def _area_pick(self, which: str) -> None:
        """Ask the map for the assessment's "target" or "control" area, drawn on it."""
        self.area_requested.emit(which)
        self._step_aside()

    def _step_aside(self) -> None:
        self.hide()
        if self.parentWidget() is not None:  # keys (Escape) go to the window with the map
            self.parentWidget().window().activateWindow()

    # --- values and checks --------------------------------------------------------------------
    def category(self) -> str:
        typed = self.category_combo.currentText().strip()
        index = self.category_combo.findText(typed)
        return str(self.category_combo.itemData(index)) if index > 0 else typed

    def values(self) -> dict[str, Any]:
        """The fields the form edits (links to consultations and actions are kept as is)."""
        return {
            "title": self.title_edit.text(), "description": self.description_edit.toPlainText(),
            "partner_summary": self.partner_summary_edit.toPlainText(),
            "category": self.category(), "location": self.location,
            "period_start": self.start_date.date(), "period_end": self.end_date.date(),
            "sara_stage": self.sara_combo.currentData(),
            "status": self.status_combo.currentData(),
            "partner_ids": self.partners_list.checked_ids(),
            "triangle": self.triangle.triangle(), "concern": self.priority.concern(),
            "priority_inputs": self.priority.inputs(), "evidence": self.evidence,
            "response_start": self.assessment.start_date.date(),
            "target_area": self.assessment.target_area,
            "control_area": self.assessment.control_area,
            "displacement_buffer_m": self.assessment.buffer_m(),
        }

    def validate(self) -> dict[str, str]:
        """Messages by field for what the officer must fix (empty when all is well)."""
        errors = {}
        if not self.title_edit.text().strip():
            errors["title"] = self.text("error_title_required")
        start, end = self.start_date.date(), self.end_date.date()
        if start is not None and end is not None and end < start:
            errors["period_end"] = self.text("error_end_before_start")
        set_error(self.title_error, errors.get("title", ""))
        set_error(self.end_error, errors.get("period_end", ""))
        set_error(self.form_error, self.text("error_fix_fields") if errors else "")
        if errors:
            self.tabs.setCurrentIndex(0)
        return errors

    def build(self) -> ProblemCard:
        """The card from the form (raises ``PortraitError`` when the card refuses a value)."""
        values = self.values()
        if self.original is None:
            return ProblemCard(**values)
        return dataclasses.replace(self.original, **values)

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only or self.validate():
            return False
        try:
            self._record = self.build()
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> ProblemCard | None:
        return self._record

    def error_text(self, field: str) -> str:
        label = {"title": self.title_error, "period_end": self.end_error,
                 "form": self.form_error}[field]
        return label.text() if label.isVisibleTo(self) else ""

    # --- live parts ---------------------------------------------------------------------------
    @Slot(str)
    def _category_changed(self, _text: str) -> None:
        self.priority.set_category(self.category())
        self._refresh_suggestions()

    @Slot()
    def _refresh_suggestions(self) -> None:
        card = ProblemCard(title=self.title_edit.text() or "-", category=self.category(),
                           triangle=self.triangle.triangle())
        self.suggestions.set_suggestions(suggestions(card, self.store.custom_practices(),
                                                     self.store.trials(), limit=8))

    @Slot()
    def _count_incidents(self) -> None:
        workspace = self.workspace
        start, end = self.start_date.date(), self.end_date.date()
        if workspace is None or self.location is None or start is None or end is None:
            set_error(self.form_error, self.text("error_count_needs"))
            return
        card = ProblemCard(title="-", category=self.category(), location=self.location,
                           period_start=start, period_end=end)
        self.priority.count_button.setEnabled(False)
        counted_at = now_iso()
        incidents = workspace.layer("incidents")  # read here: the job only counts
        self._jobs.start(lambda: card.measure_priority_inputs(
            incidents, workspace.crs, counted_at=counted_at),
            self._counted, self._count_failed)

    @Slot(object)
    def _counted(self, inputs: object) -> None:
        self.priority.count_button.setEnabled(not self.read_only)
        self.priority.set_counts(inputs)  # type: ignore[arg-type]

    @Slot(object)
    def _count_failed(self, error: object) -> None:
        self.priority.count_button.setEnabled(not self.read_only)
        set_error(self.form_error, str(error))

    @Slot()
    def _assess(self) -> None:
        workspace = self.workspace
        if workspace is None or self.assessment.missing():
            return
        card = ProblemCard(title=self.title_edit.text() or "-", category=self.category(),
                           location=self.location,
                           response_start=self.assessment.start_date.date(),
                           target_area=self.assessment.target_area,
                           control_area=self.assessment.control_area,
                           displacement_buffer_m=self.assessment.buffer_m())
        self.assessment.set_running()
        workspace.layer("incidents")  # read (and kept) here, not on the job's thread
        self._jobs.start(lambda: assess_problem(card, workspace), self._assessed,
                         self._assess_failed)

    @Slot(object)
    def _assessed(self, result: object) -> None:
        self.assessment.show_result(result)  # type: ignore[arg-type]

    @Slot(object)
    def _assess_failed(self, error: object) -> None:
        self.assessment.show_failure(str(error))

    @Slot()
    def _pin_result(self) -> None:
        result = self.assessment.result
        if result is None:
            return
        self.add_evidence(pin_assessment(
            result, label_fr=self.text.both("wdd_evidence_label")[0],
            label_en=self.text.both("wdd_evidence_label")[1], by=current_user()))
        self.assessment.pin_button.setEnabled(False)

    def add_evidence(self, item: PinnedEvidence) -> None:
        """Pin ``item`` on the card being edited (kept when the officer saves) and show it."""
        self.evidence = self.evidence + (item,)
        self.evidence_widget.set_evidence(self.evidence)
        self.tabs.setCurrentWidget(self.evidence_widget)

    def done(self, result: int) -> None:
        self._jobs.shut_down()
        self.location_changed.emit(None)  # the map stops drawing it
        super().done(result)

