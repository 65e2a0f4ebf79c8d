"""The problems panel: the station's problem cards, filtered, with what each is tied to.

The list filters by words, status, SARA stage and category; the selected card shows its
summary, its priority and, both ways, the consultations, plan priorities, actions, partners
and practice trials tied to it — a click on one follows the link (``navigate``). The form
(``ProblemDialog``) opens beside the window, not modal, so the map stays clickable for
its location buttons: the panel relays ``location_requested(mode)`` / ``area_requested`` and
the form's ``location_changed`` (drawn on the map), and the window answers with
``set_location`` (or ``location_pick_cancelled``) / ``set_area``.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal, Slot
from shapely.geometry.base import BaseGeometry

from portrait.categories import CATEGORIES
from portrait.records import SARA_STAGES, Location, PinnedEvidence, ProblemCard
from portrait.records.problems import STATUSES
from ui.records.base_panel import RecordsBasePanel
from ui.records.list_widget import RecordListWidget
from ui.records.problem_form import ProblemDialog
from ui.records.record_models import Column
from ui.records.widgets import LinksWidget, push_button, rich_label, title_label

FREE_CATEGORY = "__free__"


class ProblemsPanel(RecordsBasePanel):
    """Problem cards: list, summary and links, new / edit / delete / history.

    Extra signals: ``location_requested(mode)`` when the open form asks for a place on the
    map, ``location_changed(location)`` when the open form's place changes (None: closed),
    ``area_requested(which)`` ("target" or "control") for the assessment areas,
    ``consultation_requested(problem_id)`` to log a consultation raising the selected problem.
    """

    KINDS = ("problem",)
    location_requested = Signal(str)
    location_changed = Signal(object)
    area_requested = Signal(str)
    consultation_requested = Signal(str)
    #: Practices suggested in the details of the selected card.
    SUGGESTIONS_SHOWN = 3

    def _build(self) -> None:
        self.setObjectName("problems_panel")
        self.list = RecordListWidget(
            self.text, self._columns(), self._search_text,
            {"status": lambda c: c.status, "sara": lambda c: c.sara_stage,
             "category": lambda c: c.category if c.category_is_common else FREE_CATEGORY},
            name="problems", sort=(4, Qt.SortOrder.DescendingOrder), parent=self)
        self._record_buttons("problem")
        self.consultation_button = push_button("", self, "log_consultation")
        self._awaiting_location = False
        #: The portrait's period, where a new card's period starts (None: no portrait yet).
        self.default_period: tuple[dt.date, dt.date] | None = None
        self.detail_title = title_label(self, "problem_detail_title")
        self.detail_summary = rich_label(self, "problem_detail_summary")
        self.links = LinksWidget(self)
        self.links.setObjectName("problem_links")
        self._lay_out(self.list, (self.new_button, self.edit_button, self.delete_button,
                                  self.history_button, self.consultation_button),
                      self.detail_title, self.detail_summary, self.links)

        self._connect_list(self.edit_problem, self.new_problem)
        self.consultation_button.clicked.connect(self._log_consultation)

    def _columns(self) -> list[Column]:
        t = self.text
        return [
            Column(t("col_title"), lambda c: c.title),
            Column(t("col_category"), lambda c: t.category_label(c.category)),
            Column(t("col_sara"), lambda c: t.choice("sara", c.sara_stage),
                   lambda c: SARA_STAGES.index(c.sara_stage)),
            Column(t("col_status"), lambda c: t.choice("status", c.status),
                   lambda c: STATUSES.index(c.status)),
            Column(t("col_priority"), lambda c: str(c.priority().out_of_100),
                   lambda c: c.priority().out_of_100),
            Column(t("col_updated"), lambda c: t.date(c.updated_at), lambda c: c.updated_at),
        ]

    def _search_text(self, card: ProblemCard) -> str:
        return " ".join((card.title, card.description, self.text.category_label(card.category),
                         card.location.label if card.location else ""))

    def _retranslate_texts(self) -> None:
        t = self.text
        self._record_button_texts("button_new_problem")
        self.consultation_button.setText(t("button_log_consultation"))
        self.list.retranslate(t, self._columns(), {"status": t("filter_status"),
                                                   "sara": t("filter_sara"),
                                                   "category": t("filter_category")})
        self.list.set_filter_choices("status", [(s, t.choice("status", s)) for s in STATUSES])
        self.list.set_filter_choices("sara", [(s, t.choice("sara", s)) for s in SARA_STAGES])
        self.list.set_filter_choices(
            "category", [(c.id, c.label(t.language)) for c in CATEGORIES]
            + [(FREE_CATEGORY, t("filter_free_category"))])

    # --- content --------------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.list.set_items(self.store.problems() if self.store is not None else [])
        self._show_detail()

    def _update_enabled(self) -> None:
        selected = self.current() is not None
        self._enable_record_buttons(selected)
        self.consultation_button.setEnabled(selected and self.can_edit)

    def current(self) -> ProblemCard | None:
        return self.list.current_item()

    def select_record(self, record_id: str) -> bool:
        return self.list.select(record_id)

    def _show_detail(self) -> None:
        card, t = self.current(), self.text
        if card is None or self.store is None:
            self.detail_title.setText(t("problem_none_selected"))
            self.detail_summary.setText("")
            self.links.set_sections([], "")
            return
        self.detail_title.setText(card.title)
        period = t.period(card.period_start, card.period_end)
        score = card.priority()
        areas = self.workspace.layer("census_areas") if self.workspace is not None else None
        rows = [(t("field_category"), t.category_label(card.category) or "—"),
                (t("field_location"), t.location_summary(card.location, areas)),
                (t("field_period"), period),
                (t("field_sara"), t.choice("sara", card.sara_stage)),
                (t("field_status"), t.choice("status", card.status)),
                (t("col_priority"), t("priority_value", score=score.out_of_100)),
                (t("field_evidence_count"), str(len(card.evidence)))]
        assessed = [e for e in card.evidence if e.kind == "assessment"]
        if assessed:
            rows.append((t("field_assessment"), self._assessment_text(assessed[-1])))
        body = "".join(f"<tr><td style='color:#555; padding-right:8px'>{html.escape(k)}</td>"
                       f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        description = f"<p>{html.escape(card.description)}</p>" if card.description else ""
        self.detail_summary.setText(f"{description}<table>{body}</table>")
        self.detail_summary.setToolTip(score.explain(t.language))
        related = self.store.related(card.record_id)
        self.links.set_sections([
            (t("links_consultations"), "consultation", self._named(related["consultations"])),
            (t("links_priorities"), "action_priority", self._named(related["priorities"])),
            (t("links_actions"), "action", self._named(related["actions"])),
            (t("links_partners"), "partner", self._named(related["partners"])),
            (t("links_trials"), "practice_trial", self._named(related["trials"])),
            (t("links_suggestions"), "practice",
             [(s.practice.practice_id, f"{s.practice.name(t.language)} — "
               f"{t.suggestion_reasons(s)}")
              for s in self.store.suggestions(card.record_id, self.SUGGESTIONS_SHOWN)]),
        ], t.none_of)

    def _assessment_text(self, evidence: PinnedEvidence) -> str:
        """The pinned WDD result in one line: WDD, z, p and when it was pinned."""
        values, t = evidence.values, self.text
        if values.get("p_value") is None:
            return t("assessment_no_test", at=t.date(evidence.pinned_at))
        return t("assessment_line", wdd=t.number(values["wdd"]),
                 z=t.decimal(values["z"], 2), p=t.decimal(values["p_value"], 3),
                 verdict=t(self._verdict(values["wdd"], values["p_value"])),
                 at=t.date(evidence.pinned_at))

    def _named(self, records: list) -> list[tuple[str, str]]:
        return [(r.record_id, self.text.name_of(r)) for r in records]

    @staticmethod
    def _verdict(wdd: float, p_value: float) -> str:
        if p_value >= 0.05:
            return "assessment_not_significant"
        return "assessment_drop" if wdd < 0 else "assessment_rise"

    # --- editing --------------------------------------------------------------------------------
    def new_problem(self, location: Location | None = None) -> ProblemDialog | None:
        """Open an empty form (placed at ``location`` when given)."""
        if not self.can_edit or self.workspace is None:
            return None
        return self._open(None, location)

    def edit_problem(self, record_id: str) -> ProblemDialog | None:
        card = self.store.get(record_id) if self.store is not None else None
        return self._open(card, None) if isinstance(card, ProblemCard) else None

    def _open(self, card: ProblemCard | None, location: Location | None) -> ProblemDialog:
        """The form of ``card`` (a new card when None). One form at a time, and an open form
        is never closed behind the officer's back (its edits would be lost): it is brought
        forward as it is, to be saved or cancelled first."""
        open_form = self.dialog
        if isinstance(open_form, ProblemDialog):
            same = (open_form.original.record_id if open_form.original else None) == \
                (card.record_id if card else None)
            if same and location is not None:
                open_form.set_location(location)
            open_form.raise_()
            open_form.activateWindow()
            return open_form
        dialog = ProblemDialog(self.text, self.store, self.workspace, card, location,
                               read_only=not self.can_edit, parent=self,
                               default_period=self.default_period)
        dialog.location_requested.connect(self._location_requested)
        dialog.location_changed.connect(self.location_changed)
        dialog.area_requested.connect(self.area_requested)
        dialog.accepted.connect(lambda: self._dialog_accepted(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.setModal(False)
        dialog.show()
        self.location_changed.emit(dialog.location)  # drawn from the start, not only once changed
        return dialog

    def _dialog_closed(self, dialog: ProblemDialog) -> None:
        if self.dialog is dialog:
            self._awaiting_location = False
        self._forget_dialog(dialog)

    @Slot(str)
    def _location_requested(self, mode: str) -> None:
        self._awaiting_location = True
        self.location_requested.emit(mode)

    def awaiting_location(self) -> bool:
        """Whether the open form asked for a place on the map ("Choisir sur la carte")."""
        return self._awaiting_location and isinstance(self.dialog, ProblemDialog)

    def set_location(self, location: Location | None) -> None:
        """The place chosen on the map, for the open form."""
        if isinstance(self.dialog, ProblemDialog):
            self.dialog.set_location(location)
            self._awaiting_location = False

    def location_pick_cancelled(self) -> None:
        """The officer cancelled the pick on the map: the open form comes back unchanged."""
        if isinstance(self.dialog, ProblemDialog):
            self.dialog.pick_cancelled()
            self._awaiting_location = False

    def set_area(self, which: str, geometry: BaseGeometry | None) -> None:
        if isinstance(self.dialog, ProblemDialog):
            self.dialog.set_area(which, geometry)

    @Slot()
    def _log_consultation(self) -> None:
        card = self.current()
        if card is not None and self.can_edit:
            self.consultation_requested.emit(card.record_id)
