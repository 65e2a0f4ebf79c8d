"""Forms of the best-practices library: an officer's own practice, and a trial of a
practice (what happened when the station tried it).

A practice must say which side of the problem analysis triangle it acts on — that is what
suggestions match against the weakest side of a problem — and may be written in one language
only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from portrait import clock
from portrait.categories import CATEGORIES
from portrait.records import SIDES, CustomPractice, Practice, PracticeTrial, RecordStore
from portrait.records.best_practices import TRIAL_RESULTS
from ui.records.form_base import RecordDialog
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    choice_combo,
    date_edit,
    error_label,
    lines_edit,
    lines_of,
    set_combo,
    set_lines,
    with_error,
)


class PracticeDialog(RecordDialog):
    """Create or edit an officer's own practice (``CustomPractice``)."""

    RECORD_TYPE = CustomPractice

    def __init__(self, text: RecordText, practice: CustomPractice | None = None,
                 read_only: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("practice_dialog")
        self.text, self.original, self.read_only = text, practice, read_only
        self.setWindowTitle(text("practice_edit_title") if practice
                            else text("practice_new_title"))
        self.name_fr = QLineEdit(self)
        self.name_fr.setObjectName("name_fr")
        self.name_en = QLineEdit(self)
        self.name_en.setObjectName("name_en")
        self.name_error = error_label(self, "name")
        self.description_fr = QPlainTextEdit(self)
        self.description_en = QPlainTextEdit(self)
        self.evidence_fr = QPlainTextEdit(self)
        self.evidence_en = QPlainTextEdit(self)
        for edit in (self.description_fr, self.description_en, self.evidence_fr,
                     self.evidence_en):
            edit.setMaximumHeight(56)
        self.categories = CheckListWidget(self)
        self.categories.setObjectName("categories")
        self.categories.set_choices([(c.id, c.label(text.language)) for c in CATEGORIES],
                                    practice.categories if practice else ())
        self.general_check = QCheckBox(text("practice_general"), self)
        self.general_check.setObjectName("general")
        self.side_checks = {side: QCheckBox(text.choice("side", side), self) for side in SIDES}
        sides_row = QHBoxLayout()
        for side, check in self.side_checks.items():
            check.setObjectName(f"side_{side}")
            sides_row.addWidget(check)
        sides_row.addStretch(1)
        sides_box = QWidget(self)
        sides_box.setLayout(sides_row)
        sides_row.setContentsMargins(0, 0, 0, 0)
        self.sides_error = error_label(self, "sides")
        self.field_errors = {"name": self.name_error, "sides": self.sides_error}
        self.sources_edit = lines_edit(self, text("sources_placeholder"))
        self.sources_edit.setObjectName("sources")
        form = QFormLayout()
        form.addRow(text("field_name_fr"), self.name_fr)
        form.addRow(text("field_name_en"), with_error(self.name_en, self.name_error))
        form.addRow(text("field_description_fr"), self.description_fr)
        form.addRow(text("field_description_en"), self.description_en)
        form.addRow(text("field_fits_categories"), self.categories)
        form.addRow("", self.general_check)
        form.addRow(text("field_sides"), with_error(sides_box, self.sides_error))
        form.addRow(text("field_evidence_fr"), self.evidence_fr)
        form.addRow(text("field_evidence_en"), self.evidence_en)
        form.addRow(text("field_sources"), self.sources_edit)
        if practice is not None:
            self.name_fr.setText(practice.name_fr)
            self.name_en.setText(practice.name_en)
            self.description_fr.setPlainText(practice.description_fr)
            self.description_en.setPlainText(practice.description_en)
            self.evidence_fr.setPlainText(practice.evidence_fr)
            self.evidence_en.setPlainText(practice.evidence_en)
            self.general_check.setChecked(practice.general)
            for side in practice.sides:
                self.side_checks[side].setChecked(True)
            set_lines(self.sources_edit, practice.sources)
        self._finish(text, read_only, form, ok_name="ok_button")
        self.resize(640, 700)

    def values(self) -> dict[str, Any]:
        return {"name_fr": self.name_fr.text(), "name_en": self.name_en.text(),
                "description_fr": self.description_fr.toPlainText(),
                "description_en": self.description_en.toPlainText(),
                "categories": self.categories.checked_ids(),
                "general": self.general_check.isChecked(),
                "sides": tuple(s for s, check in self.side_checks.items() if check.isChecked()),
                "evidence_fr": self.evidence_fr.toPlainText(),
                "evidence_en": self.evidence_en.toPlainText(),
                "sources": lines_of(self.sources_edit)}

    def validate(self) -> dict[str, str]:
        values, t = self.values(), self.text
        errors = {}
        if not (values["name_fr"].strip() or values["name_en"].strip()):
            errors["name"] = t("error_practice_name")
        if not values["sides"]:
            errors["sides"] = t("error_practice_sides")
        return self._show_errors(errors)


class TrialDialog(RecordDialog):
    """Record (or edit) what happened when the station tried a practice."""

    RECORD_TYPE = PracticeTrial

    def __init__(self, text: RecordText, store: RecordStore, practices: list[Practice],
                 trial: PracticeTrial | None = None, practice_id: str = "",
                 problem_id: str | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trial_dialog")
        self.text, self.original, self.read_only = text, trial, read_only
        self.setWindowTitle(text("trial_title"))
        self.practice_combo = QComboBox(self)
        self.practice_combo.setObjectName("practice")
        for practice in practices:
            self.practice_combo.addItem(practice.name(text.language), practice.practice_id)
        self.problem_combo = QComboBox(self)
        self.problem_combo.setObjectName("problem")
        self.problem_combo.addItem(text("trial_no_problem"), None)
        for problem in store.problems():
            self.problem_combo.addItem(problem.title, problem.record_id)
        self.date_edit = date_edit(self, "date")
        self.result_combo = choice_combo(self, "result", text, "trial", TRIAL_RESULTS)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description")
        self.description_edit.setPlaceholderText(text("trial_description_placeholder"))
        self.field_errors = {}
        form = QFormLayout()
        form.addRow(text("field_practice"), self.practice_combo)
        form.addRow(text("field_problem"), self.problem_combo)
        form.addRow(text("field_date"), self.date_edit)
        form.addRow(text("field_result"), self.result_combo)
        form.addRow(text("field_what_happened"), self.description_edit)
        day = trial.date if trial else clock.today()
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        set_combo(self.practice_combo, trial.practice_id if trial else practice_id)
        set_combo(self.problem_combo, trial.problem_id if trial else problem_id)
        if trial is not None:
            set_combo(self.result_combo, trial.result)
            self.description_edit.setPlainText(trial.description)
        self._finish(text, read_only, form, ok_name="ok_button")
        self.resize(560, 400)

    def values(self) -> dict[str, Any]:
        return {"practice_id": self.practice_combo.currentData(),
                "problem_id": self.problem_combo.currentData(),
                "date": self.date_edit.date().toPython(),
                "result": self.result_combo.currentData(),
                "description": self.description_edit.toPlainText()}
