"""The records pages the main window shows: one object that builds the panels, follows the
open workspace and the language, and routes links and map choices between them.

Section ids (``pages()``): "problems", "partners" (partners and consultations, two tabs),
"action_plan" and "best_practices". Following a link in one panel selects the record in the
panel that lists it and asks the window to show that page (``page_requested``). The map side
panel gives a place (a point, a hot-spot cell or a census area) to ``new_problem_at``; a
problem form waiting for a place ("Choisir sur la carte") gets it instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QTabWidget, QWidget
from shapely.geometry.base import BaseGeometry

from portrait.records import Location, PinnedEvidence
from portrait.workspace import Workspace
from ui.records.action_plan_panel import ActionPlanPanel
from ui.records.base_panel import RecordsBasePanel
from ui.records.consultations_panel import ConsultationsPanel
from ui.records.partners_panel import PartnersPanel
from ui.records.practices_panel import BestPracticesPanel
from ui.records.problem_form import ProblemDialog
from ui.records.problems_panel import ProblemsPanel
from ui.records.session import RecordsSession
from ui.records.strings import record_text

SECTIONS = ("problems", "partners", "action_plan", "best_practices")
#: Record kind -> section id of the page listing it.
PAGE_OF_KIND = {"problem": "problems", "partner": "partners", "consultation": "partners",
                "action_priority": "action_plan", "action": "action_plan",
                "practice": "best_practices", "practice_trial": "best_practices"}


class RecordPages(QObject):
    """The records panels of the window, and what they ask of it.

    Signals: ``records_changed()`` after any change to the records (the workspace is then
    modified: the window updates its title and redraws the problems layer);
    ``page_requested(section_id)`` when a page should be shown; ``location_requested(mode)``
    when the problem form asks for a place on the map (answer with ``set_location`` or
    ``location_pick_cancelled``, or with ``new_problem_at``); ``location_changed(location)``
    when the open form's place changes (None once closed); ``area_requested(which)`` for the
    assessment's "target" or "control" area (answer with ``set_area``).
    """

    records_changed = Signal()
    page_requested = Signal(str)
    location_requested = Signal(str)
    location_changed = Signal(object)
    area_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, language: str = "fr"):
        super().__init__(parent)
        self.session: RecordsSession | None = None
        self.text = record_text(language)
        self.problems = ProblemsPanel(None, parent, language=language)
        self.partners = PartnersPanel(None, parent, language=language)
        self.consultations = ConsultationsPanel(None, parent, language=language)
        self.action_plan = ActionPlanPanel(None, parent, language=language)
        self.best_practices = BestPracticesPanel(None, parent, language=language)
        self.partner_tabs = QTabWidget(parent)
        self.partner_tabs.setObjectName("partner_tabs")
        self.partner_tabs.addTab(self.partners, "")
        self.partner_tabs.addTab(self.consultations, "")
        for panel in self.panels():
            panel.navigate.connect(self.show_record)
        self.problems.location_requested.connect(self.location_requested)
        self.problems.location_changed.connect(self.location_changed)
        self.problems.area_requested.connect(self.area_requested)
        self.problems.consultation_requested.connect(self.log_consultation)
        self._retranslate_tabs()

    def panels(self) -> tuple[RecordsBasePanel, ...]:
        return (self.problems, self.partners, self.consultations, self.action_plan,
                self.best_practices)

    def pages(self) -> dict[str, QWidget]:
        """Section id -> the widget of that page."""
        return {"problems": self.problems, "partners": self.partner_tabs,
                "action_plan": self.action_plan, "best_practices": self.best_practices}

    # --- workspace and language -----------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None, read_only: bool) -> None:
        """Show the records of ``workspace`` (None: empty pages); ``read_only`` for review
        mode, where nothing can be changed."""
        if self.session is not None:
            self.session.records_changed.disconnect(self.records_changed)
            self.session.deleteLater()
        self.session = RecordsSession(workspace, read_only, self) if workspace is not None \
            else None
        if self.session is not None:
            self.session.records_changed.connect(self.records_changed)
        for panel in self.panels():
            panel.set_session(self.session)

    def retranslate(self, language: Any) -> None:
        """Every word in ``language`` ("fr", "en", or the window's ``UiText``)."""
        self.text = record_text(language)
        for panel in self.panels():
            panel.retranslate(language)
        self._retranslate_tabs()

    def _retranslate_tabs(self) -> None:
        self.partner_tabs.setTabText(0, self.text("page_partners"))
        self.partner_tabs.setTabText(1, self.text("page_consultations"))

    # --- what the window and the map ask ------------------------------------------------------
    def new_problem_at(self, location: Location) -> ProblemDialog | None:
        """Show the problems page with the problem form placed at ``location`` (None in
        review mode, where no form opens to create a card).

        An open problem form is never closed by a map click (its edits would be lost): it
        takes the place when it asked for one, or is a new card without a place yet, and is
        brought forward as it is otherwise. Without an open form, a new one opens.
        """
        self.page_requested.emit("problems")
        dialog = self.problems.dialog
        if not isinstance(dialog, ProblemDialog):
            return self.problems.new_problem(location)
        if self.problems.awaiting_location() or (dialog.original is None
                                                 and dialog.location is None):
            self.problems.set_location(location)
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def pin_to_problem(self, evidence: PinnedEvidence, location: Location,
                       card_id: str | None = None) -> ProblemDialog | None:
        """Show the problems page with ``evidence`` pinned on a new card placed at
        ``location`` (``card_id`` None) or on card ``card_id``'s form, for the officer to save.

        A form already open on another card, or on a new one, is only brought forward,
        untouched (its edits would otherwise be lost or mixed): the evidence goes to the
        card the officer chose or nowhere (None is returned then, as in review mode).
        """
        self.page_requested.emit("problems")
        open_form = self.problems.dialog
        if isinstance(open_form, ProblemDialog) and (
                card_id is None or open_form.original is None
                or open_form.original.record_id != card_id):
            open_form.raise_()  # the officer finishes (or cancels) it first
            open_form.activateWindow()
            return None
        dialog = self.problems.new_problem(location) if card_id is None else \
            self.problems.edit_problem(card_id)
        if dialog is None or dialog.read_only:
            return None
        dialog.add_evidence(evidence)
        return dialog

    def set_period(self, period: tuple[dt.date, dt.date] | None) -> None:
        """The portrait's period: a new problem card starts on it (its incidents are then
        counted over the period the officer is looking at)."""
        self.problems.default_period = period

    def set_location(self, location: Location | None) -> None:
        """The place chosen on the map for the open problem form."""
        self.problems.set_location(location)

    def location_pick_cancelled(self) -> None:
        """The pick on the map was cancelled: the open problem form comes back unchanged."""
        self.problems.location_pick_cancelled()

    def set_area(self, which: str, geometry: BaseGeometry | None) -> None:
        """The target ("target") or control ("control") area drawn on the map."""
        self.problems.set_area(which, geometry)

    @Slot(str, str)
    def show_record(self, kind: str, record_id: str) -> bool:
        """Show the page listing ``kind`` with ``record_id`` selected."""
        section = PAGE_OF_KIND.get(kind)
        if section is None:
            return False
        panel = {"partner": self.partners, "consultation": self.consultations}.get(kind) or \
            self.pages()[section]
        if kind in ("partner", "consultation"):
            self.partner_tabs.setCurrentWidget(panel)
        self.page_requested.emit(section)
        return panel.select_record(record_id)  # type: ignore[attr-defined]

    @Slot(str)
    def log_consultation(self, problem_id: str) -> Any:
        """The consultations tab with a new consultation raising ``problem_id``."""
        self.partner_tabs.setCurrentWidget(self.consultations)
        self.page_requested.emit("partners")
        return self.consultations.new_consultation((problem_id,))

