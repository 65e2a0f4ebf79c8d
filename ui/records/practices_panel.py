"""The best-practices library: the bilingual catalogue, the station's own practices, and what
happened when the station tried them.

Filter by the problem category a practice fits (its own categories, its issue tags, or any
problem for general practices — ``Practice.category_match``) and by the side of the problem
analysis triangle it acts on. Each practice shows what the evidence says, its sources, and
the station's trials with their outcome and the problem they were tried on.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Slot

from portrait.categories import CATEGORIES
from portrait.records import (
    SIDES,
    CustomPractice,
    Practice,
    PracticeTrial,
    all_practices,
)
from ui.records.base_panel import RecordsBasePanel
from ui.records.list_widget import RecordListWidget
from ui.records.practice_forms import PracticeDialog, TrialDialog
from ui.records.record_models import Column
from ui.records.widgets import LinksWidget, push_button, rich_label, title_label

__all__ = ["BestPracticesPanel", "PracticeDialog", "TrialDialog"]


class BestPracticesPanel(RecordsBasePanel):
    """Catalogue and own practices, filtered by category and triangle side, with trials."""

    KINDS = ("practice", "practice_trial")

    def _build(self) -> None:
        self.setObjectName("practices_panel")
        self.list = RecordListWidget(
            self.text, self._columns(), self._search_text,
            {"category": self._fitting_categories, "side": lambda p: p.sides,
             "origin": lambda p: "built_in" if p.built_in else "custom"},
            id_of=lambda p: p.practice_id, name="practices", parent=self)
        self._record_buttons("practice")
        self.trial_button = push_button("", self, "new_trial")
        self.detail_title = title_label(self, "practice_detail_title")
        self.detail_body = rich_label(self, "practice_detail_body")
        self.detail_body.setOpenExternalLinks(True)
        self.trials = LinksWidget(self)
        self.trials.setObjectName("practice_trials")
        self._lay_out(self.list, (self.new_button, self.edit_button, self.delete_button,
                                  self.trial_button, self.history_button),
                      self.detail_title, self.detail_body, self.trials)

        self.list.current_changed.connect(self._selection_changed)
        self.list.activated.connect(lambda _id: self._edit_custom())
        self.trials.navigate.connect(self._trial_link)
        self.new_button.clicked.connect(lambda: self.new_practice())
        self.edit_button.clicked.connect(self._edit_custom)
        self.delete_button.clicked.connect(self._delete_selected)
        self.trial_button.clicked.connect(lambda: self.new_trial())
        self.history_button.clicked.connect(lambda: self.show_history(self._custom()))

    def _columns(self) -> list[Column]:
        t = self.text
        return [Column(t("col_practice"), lambda p: p.name(t.language)),
                Column(t("col_origin"), lambda p: t("origin_built_in" if p.built_in
                                                    else "origin_custom")),
                Column(t("col_sides"), lambda p: ", ".join(t.choice("side", s)
                                                           for s in p.sides)),
                Column(t("col_trials"), lambda p: str(len(self._trials_of(p))),
                       lambda p: len(self._trials_of(p)))]

    def _search_text(self, practice: Practice) -> str:
        language = self.text.language
        return " ".join((practice.name(language), practice.description(language),
                         practice.evidence(language)))

    @staticmethod
    def _fitting_categories(practice: Practice) -> tuple[str, ...]:
        return tuple(c.id for c in CATEGORIES if practice.category_match(c.id) > 0)

    def _trials_of(self, practice: Practice) -> list[PracticeTrial]:
        if self.store is None:
            return []
        return [t for t in self.store.trials() if t.practice_id == practice.practice_id]

    def _retranslate_texts(self) -> None:
        t = self.text
        self._record_button_texts("button_new_practice")
        self.trial_button.setText(t("button_new_trial"))
        self.list.retranslate(t, self._columns(), {"category": t("filter_category"),
                                                   "side": t("filter_side"),
                                                   "origin": t("filter_origin")})
        self.list.set_filter_choices("category", [(c.id, c.label(t.language))
                                                  for c in CATEGORIES])
        self.list.set_filter_choices("side", [(s, t.choice("side", s)) for s in SIDES])
        self.list.set_filter_choices("origin", [("built_in", t("origin_built_in")),
                                                ("custom", t("origin_custom"))])

    # --- content --------------------------------------------------------------------------------
    def _refresh(self) -> None:
        custom = self.store.custom_practices() if self.store is not None else []
        self.list.set_items(all_practices(custom))
        self._show_detail()

    def _update_enabled(self) -> None:
        practice = self.current()
        self._enable_record_buttons(practice is not None and not practice.built_in)
        self.trial_button.setEnabled(self.can_edit and practice is not None)

    def current(self) -> Practice | None:
        return self.list.current_item()

    def _custom(self) -> CustomPractice | None:
        practice = self.current()
        if practice is None or practice.built_in or self.store is None:
            return None
        record = self.store.get(practice.practice_id)
        return record if isinstance(record, CustomPractice) else None

    def select_record(self, record_id: str) -> bool:
        """A practice id, or a trial's record id (its practice is selected)."""
        store = self.store
        if store is not None and record_id in store:
            record = store.get(record_id)
            if isinstance(record, PracticeTrial):
                record_id = record.practice_id
        return self.list.select(record_id)

    def _show_detail(self) -> None:
        practice, t = self.current(), self.text
        if practice is None:
            self.detail_title.setText(t("practice_none_selected"))
            self.detail_body.setText("")
            self.trials.set_sections([], "")
            return
        language = t.language
        self.detail_title.setText(practice.name(language))
        categories = ", ".join(t.category_label(c) for c in practice.categories)
        if practice.general:
            categories = t("practice_fits_all")
        tags = ", ".join(t.choice("tag", tag) for tag in practice.tags)
        sources = "".join(f"<li>{html.escape(s)}</li>" for s in practice.sources)
        parts = [f"<p>{html.escape(practice.description(language))}</p>",
                 f"<p><b>{html.escape(t('practice_evidence'))}</b><br>"
                 f"{html.escape(practice.evidence(language))}</p>",
                 f"<p><b>{html.escape(t('field_sides'))}</b> "
                 f"{html.escape(', '.join(t.choice('side', s) for s in practice.sides))}<br>"
                 f"<b>{html.escape(t('field_fits_categories'))}</b> "
                 f"{html.escape(categories or '—')}"
                 + (f"<br><b>{html.escape(t('field_tags'))}</b> {html.escape(tags)}"
                    if tags else "") + "</p>"]
        if sources:
            parts.append(f"<b>{html.escape(t('field_sources'))}</b><ul>{sources}</ul>")
        self.detail_body.setText("".join(parts))
        trials = [(trial.record_id, self._trial_text(trial))
                  for trial in self._trials_of(practice)]
        self.trials.set_sections([(t("practice_trials"), "practice_trial", trials)],
                                 t("trials_none"))

    def _trial_text(self, trial: PracticeTrial) -> str:
        t, store = self.text, self.store
        problem = store.name_of(trial.problem_id) if trial.problem_id and store is not None \
            and trial.problem_id in store else t("trial_no_problem")
        line = t("trial_line", date=trial.date.isoformat(),
                 result=t.choice("trial", trial.result), problem=problem)
        return t("trial_line_described", line=line, description=trial.description) \
            if trial.description else line

    @Slot(str, str)
    def _trial_link(self, _kind: str, trial_id: str) -> None:
        """A trial opens its form (read-only in review mode)."""
        trial = self.store.get(trial_id) if self.store is not None else None
        if isinstance(trial, PracticeTrial):
            self.edit_trial(trial.record_id)

    # --- editing --------------------------------------------------------------------------------
    def new_practice(self) -> PracticeDialog | None:
        return self._open_dialog(PracticeDialog(self.text, None, parent=self)) if self.can_edit \
            else None

    def new_trial(self, problem_id: str | None = None) -> TrialDialog | None:
        practice = self.current()
        if not self.can_edit or self.store is None or practice is None:
            return None
        return self._open_dialog(TrialDialog(self.text, self.store, self.list.items(), None,
                                             practice.practice_id, problem_id, parent=self))

    def edit_trial(self, record_id: str) -> TrialDialog | None:
        trial = self.store.get(record_id) if self.store is not None else None
        if not isinstance(trial, PracticeTrial):
            return None
        return self._open_dialog(TrialDialog(self.text, self.store, self.list.items(), trial,
                                             read_only=not self.can_edit, parent=self))

    @Slot()
    def _edit_custom(self) -> None:
        custom = self._custom()
        if custom is not None:
            self._open_dialog(PracticeDialog(self.text, custom, read_only=not self.can_edit,
                                             parent=self))

    @Slot()
    def _delete_selected(self) -> None:
        custom = self._custom()
        if custom is not None:
            self.request_delete(custom)
