"""The consultation log: meetings, round tables, surveys, walks and calls, newest first.

Each entry shows its confidentiality as a coloured badge, who took part (named participants
with the "confidentiel" badge), the problems raised — both the ones the entry names and the
problem cards that cite it — its decisions and its follow-ups, late ones flagged.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
)

from portrait.records import FORMS, Consultation, ProblemCard
from portrait.records.consultations import CONFIDENTIALITY
from ui.records.base_panel import RecordsBasePanel
from ui.records.consultation_form import ConsultationDialog
from ui.records.list_widget import RecordListWidget
from ui.records.record_models import Column
from ui.records.widgets import (
    BADGE_STYLE,
    SHAREABLE_STYLE,
    LinksWidget,
    confidential_badge,
    rich_label,
    row_of,
    title_label,
)

__all__ = ["ConsultationDialog", "ConsultationsPanel"]


class ConsultationsPanel(RecordsBasePanel):
    """Consultations: list, details with links to partners and problems, and the form."""

    KINDS = ("consultation",)

    def _build(self) -> None:
        self.setObjectName("consultations_panel")
        self.list = RecordListWidget(
            self.text, self._columns(), self._search_text,
            {"form": lambda c: c.form, "confidentiality": lambda c: c.confidentiality,
             "problem": lambda c: self._problem_ids(c)},
            name="consultations", sort=(0, Qt.SortOrder.DescendingOrder), parent=self)
        self._record_buttons("consultation")
        self.detail_title = title_label(self, "consultation_detail_title")
        self.level_badge = QLabel(self)
        self.level_badge.setObjectName("confidentiality_badge")
        self.detail_summary = rich_label(self, "consultation_detail_summary")
        self.others_caption = QLabel(self)
        self.others_label = QLabel(self)
        self.others_label.setObjectName("participants_other")
        self.others_label.setWordWrap(True)
        self.others_badge = confidential_badge(self.text, self)
        self.links = LinksWidget(self)
        self.links.setObjectName("consultation_links")
        self.outcome = rich_label(self, "consultation_outcome")
        self._lay_out(self.list, (self.new_button, self.edit_button, self.delete_button,
                                  self.history_button),
                      self.detail_title, row_of(self.level_badge), self.detail_summary,
                      row_of(self.others_caption, self.others_badge), self.others_label,
                      self.links, self.outcome)

        self._connect_list(self.edit_consultation, self.new_consultation)

    def _columns(self) -> list[Column]:
        t = self.text
        return [
            Column(t("col_date"), lambda c: c.date.isoformat()),
            Column(t("col_form"), lambda c: t.choice("form", c.form)),
            Column(t("col_title"), lambda c: c.title or t.choice("form", c.form)),
            Column(t("col_confidentiality"), lambda c: t.choice("confidentiality",
                                                                c.confidentiality)),
            Column(t("col_problems"), lambda c: str(len(self._problem_ids(c))),
                   lambda c: len(self._problem_ids(c))),
            Column(t("col_open_follow_ups"), lambda c: str(len(c.open_follow_ups())),
                   lambda c: len(c.open_follow_ups())),
        ]

    def _search_text(self, item: Consultation) -> str:
        return " ".join((item.title, item.summary, *item.topics, *item.decisions,
                         *item.participants_other))

    def _problem_ids(self, item: Consultation) -> tuple[str, ...]:
        """Problems the consultation names, and problem cards that cite it."""
        if self.store is None:
            return item.problem_ids
        citing = tuple(link.source_id for link in self.store.links_to(item.record_id)
                       if link.source_kind == "problem")
        return tuple(dict.fromkeys(item.problem_ids + citing))

    def _retranslate_texts(self) -> None:
        t = self.text
        self._record_button_texts("button_new_consultation")
        self.others_caption.setText(f"<b>{t('field_participants_other')}</b>")
        self.others_badge.setText(t("badge_confidential"))
        self.others_badge.setToolTip(t("badge_confidential_tip"))
        self.list.retranslate(t, self._columns(), {"form": t("filter_form"),
                                                   "confidentiality": t("filter_confidentiality"),
                                                   "problem": t("filter_problem")})
        self.list.set_filter_choices("form", [(f, t.choice("form", f)) for f in FORMS])
        self.list.set_filter_choices("confidentiality", [
            (c, t.choice("confidentiality", c)) for c in CONFIDENTIALITY])

    # --- content --------------------------------------------------------------------------------
    def _refresh(self) -> None:
        store = self.store
        if store is not None:
            self.list.set_filter_choices("problem", [(p.record_id, p.title)
                                                     for p in store.problems()])
        self.list.set_items(store.consultations() if store is not None else [])
        self._show_detail()

    def _update_enabled(self) -> None:
        self._enable_record_buttons(self.current() is not None)

    def current(self) -> Consultation | None:
        return self.list.current_item()

    def select_record(self, record_id: str) -> bool:
        return self.list.select(record_id)

    def _show_detail(self) -> None:
        item, t, store = self.current(), self.text, self.store
        shown = item is not None and store is not None
        for widget in (self.level_badge, self.others_caption, self.others_badge,
                       self.others_label, self.outcome):
            widget.setVisible(shown)
        if item is None or store is None:
            self.detail_title.setText(t("consultation_none_selected"))
            self.detail_summary.setText("")
            self.links.set_sections([], "")
            return
        self.detail_title.setText(t.name_of(item))
        self.level_badge.setText(t.choice("confidentiality", item.confidentiality).upper())
        self.level_badge.setStyleSheet(SHAREABLE_STYLE if item.is_shareable else BADGE_STYLE)
        self.level_badge.setToolTip(t(f"confidentiality_{item.confidentiality}_explained"))
        rows = [(t("field_date"), t.date(item.date.isoformat())),
                (t("field_form"), t.choice("form", item.form)),
                (t("field_participant_count"), str(item.participant_count or "—")),
                (t("field_topics"), ", ".join(item.topics) or "—")]
        body = "".join(f"<tr><td style='color:#555; padding-right:8px'>{html.escape(k)}</td>"
                       f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        summary = f"<p>{html.escape(item.summary)}</p>" if item.summary else ""
        self.detail_summary.setText(f"<table>{body}</table>{summary}")
        self.others_label.setText(", ".join(item.participants_other) or "—")
        problems = [store.get(i) for i in self._problem_ids(item) if i in store]
        partners = [store.get(i) for i in item.partner_ids if i in store]
        self.links.set_sections([
            (t("links_problems_raised"), "problem",
             [(p.record_id, p.title) for p in problems if isinstance(p, ProblemCard)]),
            (t("links_partners_present"), "partner", [(p.record_id, p.name) for p in partners]),
        ], t.none_of)
        self.outcome.setText(self._outcome_html(item))

    def _outcome_html(self, item: Consultation) -> str:
        t = self.text
        decisions = "".join(f"<li>{html.escape(d)}</li>" for d in item.decisions)
        parts = [f"<b>{html.escape(t('field_decisions'))}</b>",
                 f"<ul>{decisions}</ul>" if decisions else "<p>—</p>",
                 f"<b>{html.escape(t('field_follow_ups'))}</b>"]
        rows = []
        for follow in item.follow_ups:
            details = [t.choice("follow_up", follow.status)]
            if follow.owner:
                details.append(follow.owner)
            if follow.due:
                details.append(t("follow_up_due", date=t.day(follow.due)))
            late = f" <b style='color:#b00020'>{html.escape(t('follow_up_late'))}</b>" \
                if follow.is_late() else ""
            rows.append(f"<li>{html.escape(follow.description)} "
                        f"({html.escape(', '.join(details))}){late}</li>")
        parts.append(f"<ul>{''.join(rows)}</ul>" if rows else "<p>—</p>")
        return "".join(parts)

    # --- editing --------------------------------------------------------------------------------
    def new_consultation(self, problem_ids: tuple[str, ...] = ()) -> ConsultationDialog | None:
        """Open an empty form (``problem_ids`` ticked as problems raised)."""
        if not self.can_edit or self.store is None:
            return None
        return self._open(None, problem_ids)

    def edit_consultation(self, record_id: str) -> ConsultationDialog | None:
        item = self.store.get(record_id) if self.store is not None else None
        return self._open(item, ()) if isinstance(item, Consultation) else None

    def _open(self, item: Consultation | None, problem_ids: tuple[str, ...]
              ) -> ConsultationDialog:
        return self._open_dialog(ConsultationDialog(
            self.text, self.store, item, read_only=not self.can_edit, problem_ids=problem_ids,
            parent=self))
