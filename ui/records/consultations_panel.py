"""The consultation log: meetings, round tables, surveys, walks and calls, newest first.

Each entry shows its confidentiality as a coloured badge, who took part (named participants
with the "confidentiel" badge), the problems raised — both the ones the entry names and the
problem cards that cite it — its decisions and its follow-ups, late ones flagged.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
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
    list_and_detail,
    push_button,
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
        self.new_button = push_button("", self, "new_consultation")
        self.edit_button = push_button("", self, "edit_consultation")
        self.delete_button = push_button("", self, "delete_consultation")
        self.history_button = push_button("", self, "consultation_history")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button,
                       self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(buttons)

        self.detail_title = QLabel(self)
        self.detail_title.setObjectName("consultation_detail_title")
        self.detail_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.detail_title.setWordWrap(True)
        self.level_badge = QLabel(self)
        self.level_badge.setObjectName("confidentiality_badge")
        self.detail_summary = QLabel(self)
        self.detail_summary.setObjectName("consultation_detail_summary")
        self.detail_summary.setTextFormat(Qt.TextFormat.RichText)
        self.detail_summary.setWordWrap(True)
        self.others_caption = QLabel(self)
        self.others_label = QLabel(self)
        self.others_label.setObjectName("participants_other")
        self.others_label.setWordWrap(True)
        self.others_badge = confidential_badge(self.text, self)
        others = QHBoxLayout()
        others.addWidget(self.others_caption)
        others.addWidget(self.others_badge)
        others.addStretch(1)
        self.links = LinksWidget(self)
        self.links.setObjectName("consultation_links")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("consultation_outcome")
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setWordWrap(True)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.level_badge)
        badge_row.addStretch(1)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addLayout(badge_row)
        detail_layout.addWidget(self.detail_summary)
        detail_layout.addLayout(others)
        detail_layout.addWidget(self.others_label)
        detail_layout.addWidget(self.links)
        detail_layout.addWidget(self.outcome)
        detail_layout.addStretch(1)
        splitter = list_and_detail(self, left, detail)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.list.current_changed.connect(self._selection_changed)
        self.list.activated.connect(lambda record_id: self.edit_consultation(record_id))
        self.links.navigate.connect(self.navigate)
        self.new_button.clicked.connect(lambda: self.new_consultation())
        self.edit_button.clicked.connect(self._edit_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self.history_button.clicked.connect(lambda: self.show_history(self.current()))

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
        self.new_button.setText(t("button_new_consultation"))
        self.edit_button.setText(t("button_edit"))
        self.delete_button.setText(t("button_delete"))
        self.history_button.setText(t("button_history"))
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
        selected = self.current() is not None
        self.new_button.setEnabled(self.can_edit)
        self.edit_button.setEnabled(selected)
        self.edit_button.setText(self.text("button_edit" if self.can_edit else "button_view"))
        self.delete_button.setEnabled(selected and self.can_edit)
        self.history_button.setEnabled(selected)

    def current(self) -> Consultation | None:
        return self.list.current_item()

    def select_record(self, record_id: str) -> bool:
        return self.list.select(record_id)

    @Slot(str)
    def _selection_changed(self, _record_id: str) -> None:
        self._show_detail()
        self._update_enabled()

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
        ], t("links_none"))
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
        dialog = ConsultationDialog(self.text, self.store, item, read_only=not self.can_edit,
                                    problem_ids=problem_ids, parent=self)
        dialog.accepted.connect(lambda: self._accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _accepted(self, dialog: ConsultationDialog) -> None:
        record = dialog.record()
        if record is not None:
            stored = self.commit(record, dialog.original is None)
            if stored is not None:
                self.list.select(stored.record_id)

    @Slot()
    def _edit_selected(self) -> None:
        item = self.current()
        if item is not None:
            self.edit_consultation(item.record_id)

    @Slot()
    def _delete_selected(self) -> None:
        item = self.current()
        if item is not None:
            self.request_delete(item)
