"""The consultation form: when and how the community was heard, who took part, what was
raised and decided, and who follows up on what by when.

Confidentiality is the first thing on the form and stays in view: an internal consultation
(the default) never leaves the station; a shareable one may, without the participants named
in free text, which carry the "confidentiel" badge.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from portrait import clock
from portrait.records import FORMS, Consultation, RecordStore
from ui.records.follow_ups import FollowUpsWidget
from ui.records.form_base import RecordDialog
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    badged,
    choice_combo,
    confidential_badge,
    date_edit,
    error_label,
    lines_edit,
    lines_of,
    set_combo,
    set_lines,
    top_form,
    with_error,
)

BANNER_STYLES = {
    "internal": "QFrame#confidentiality_banner { background: #fde8e8; border: 2px solid "
                "#b00020; border-radius: 4px; }",
    "shareable": "QFrame#confidentiality_banner { background: #e6f4ea; border: 2px solid "
                 "#2e7d32; border-radius: 4px; }",
}


class ConsultationDialog(RecordDialog):
    """Create or edit a consultation; ``record()`` is the checked consultation once accepted.
    ``problem_ids`` pre-ticks problems for a new consultation (logged from a problem)."""

    RECORD_TYPE = Consultation

    def __init__(self, text: RecordText, store: RecordStore,
                 consultation: Consultation | None = None, read_only: bool = False,
                 problem_ids: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("consultation_dialog")
        self.text, self.store, self.original = text, store, consultation
        self.read_only = read_only
        self.setWindowTitle(text("consultation_edit_title") if consultation
                            else text("consultation_new_title"))
        self.banner = self._banner()
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._main_tab(), text("tab_consultation"))
        self.tabs.addTab(self._outcome_tab(), text("tab_outcome"))
        self.field_errors = {"follow_ups": self.follow_ups_error}
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._fill(consultation, problem_ids)
        self.confidentiality.idToggled.connect(self._confidentiality_changed)
        self._finish(text, read_only, layout, ok_name="ok_button")
        self.resize(760, 620)

    # --- building -------------------------------------------------------------------------------
    def _banner(self) -> QFrame:
        t = self.text
        banner = QFrame(self)
        banner.setObjectName("confidentiality_banner")
        self.internal_radio = QRadioButton(t.choice("confidentiality", "internal"), banner)
        self.internal_radio.setObjectName("internal")
        self.shareable_radio = QRadioButton(t.choice("confidentiality", "shareable"), banner)
        self.shareable_radio.setObjectName("shareable")
        self.confidentiality = QButtonGroup(self)
        self.confidentiality.addButton(self.internal_radio, 0)
        self.confidentiality.addButton(self.shareable_radio, 1)
        self.banner_label = QLabel(banner)
        self.banner_label.setObjectName("confidentiality_explained")
        self.banner_label.setWordWrap(True)
        caption = QLabel(f"<b>{t('field_confidentiality')}</b>", banner)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.internal_radio)
        row.addWidget(self.shareable_radio)
        row.addStretch(1)
        layout = QVBoxLayout(banner)
        layout.addLayout(row)
        layout.addWidget(self.banner_label)
        return banner

    def _main_tab(self) -> QWidget:
        t = self.text
        tab = QWidget(self)
        self.date_edit = date_edit(tab, "date")
        self.form_combo = choice_combo(tab, "form", t, "form", FORMS)
        self.title_edit = QLineEdit(tab)
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText(t("consultation_title_placeholder"))
        self.partners_list = CheckListWidget(tab)
        self.partners_list.setObjectName("partners")
        self.others_edit = lines_edit(tab, t("participants_placeholder"))
        self.others_edit.setObjectName("participants_other")
        self.count_spin = QSpinBox(tab)
        self.count_spin.setObjectName("participant_count")
        self.count_spin.setRange(0, 100_000)
        self.count_spin.setSpecialValueText(t("count_unknown"))
        self.topics_edit = lines_edit(tab, t("topics_placeholder"))
        self.topics_edit.setObjectName("topics")
        self.problems_list = CheckListWidget(tab)
        self.problems_list.setObjectName("problems")
        form = top_form(tab)
        form.addRow(t("field_date_required"), self.date_edit)
        form.addRow(t("field_form"), self.form_combo)
        form.addRow(t("field_consultation_title"), self.title_edit)
        form.addRow(t("field_partners_present"), self.partners_list)
        form.addRow(t("field_participants_other"),
                    badged(self.others_edit, confidential_badge(t, tab)))
        form.addRow(t("field_participant_count"), self.count_spin)
        form.addRow(t("field_topics"), self.topics_edit)
        form.addRow(t("field_problems_raised"), self.problems_list)
        return tab

    def _outcome_tab(self) -> QWidget:
        t = self.text
        tab = QWidget(self)
        self.decisions_edit = lines_edit(tab, t("decisions_placeholder"), height=90)
        self.decisions_edit.setObjectName("decisions")
        self.summary_edit = QPlainTextEdit(tab)
        self.summary_edit.setObjectName("summary")
        self.summary_edit.setMaximumHeight(90)
        self.follow_ups = FollowUpsWidget(t, tab)
        self.follow_ups_error = error_label(tab, "follow_ups")
        form = top_form(tab)
        form.addRow(t("field_summary"), self.summary_edit)
        form.addRow(t("field_decisions"), self.decisions_edit)
        form.addRow(t("field_follow_ups"), with_error(self.follow_ups, self.follow_ups_error))
        return tab

    def _fill(self, item: Consultation | None, problem_ids: tuple[str, ...]) -> None:
        self.partners_list.set_choices([(p.record_id, p.name) for p in self.store.partners()],
                                       item.partner_ids if item else ())
        self.problems_list.set_choices([(p.record_id, p.title) for p in self.store.problems()],
                                       item.problem_ids if item else problem_ids)
        day = item.date if item else clock.today()
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        level = item.confidentiality if item else "internal"
        (self.shareable_radio if level == "shareable" else self.internal_radio).setChecked(True)
        self._confidentiality_changed(0, True)
        if item is None:
            return
        set_combo(self.form_combo, item.form)
        self.title_edit.setText(item.title)
        set_lines(self.others_edit, item.participants_other)
        self.count_spin.setValue(item.participant_count or 0)
        set_lines(self.topics_edit, item.topics)
        set_lines(self.decisions_edit, item.decisions)
        self.summary_edit.setPlainText(item.summary)
        self.follow_ups.set_rows(item.follow_ups)

    @Slot(int, bool)
    def _confidentiality_changed(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        level = self.level()
        self.banner.setStyleSheet(BANNER_STYLES[level])
        self.banner_label.setText(self.text(f"confidentiality_{level}_explained"))

    # --- values and checks --------------------------------------------------------------------
    def level(self) -> str:
        return "shareable" if self.shareable_radio.isChecked() else "internal"

    def values(self) -> dict[str, Any]:
        return {
            "date": self.date_edit.date().toPython(), "form": self.form_combo.currentData(),
            "title": self.title_edit.text(), "partner_ids": self.partners_list.checked_ids(),
            "participants_other": lines_of(self.others_edit),
            "participant_count": self.count_spin.value() or None,
            "topics": lines_of(self.topics_edit),
            "problem_ids": self.problems_list.checked_ids(),
            "decisions": lines_of(self.decisions_edit),
            "follow_ups": self.follow_ups.follow_ups(), "summary": self.summary_edit.toPlainText(),
            "confidentiality": self.level(),
        }

    def validate(self) -> dict[str, str]:
        errors = {}
        message = self.follow_ups.problem(self.date_edit.date().toPython())
        if message:
            errors["follow_ups"] = message
        if errors:
            self.tabs.setCurrentIndex(1)
        return self._show_errors(errors)
