"""Forms of the best-practices library: an officer's own practice, and a trial of a
practice (what happened when the station tried it).

A practice must say which side of the problem analysis triangle it acts on — that is what
suggestions match against the weakest side of a problem — and may be written in one language
only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from portrait.categories import CATEGORIES
from portrait.errors import PortraitError
from portrait.records import SIDES, CustomPractice, Practice, PracticeTrial, RecordStore
from portrait.records.best_practices import TRIAL_RESULTS
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    error_label,
    lines_edit,
    lines_of,
    make_read_only,
    set_combo,
    set_error,
    set_lines,
    with_error,
)


def _buttons(dialog: QDialog, text: RecordText, read_only: bool) -> QDialogButtonBox:
    buttons = QDialogButtonBox(dialog)
    ok = buttons.addButton(text("button_save_record"), QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName("ok_button")
    ok.setVisible(not read_only)
    buttons.addButton(text("button_close" if read_only else "button_cancel"),
                      QDialogButtonBox.ButtonRole.RejectRole)
    return buttons


class PracticeDialog(QDialog):
    """Create or edit an officer's own practice (``CustomPractice``)."""

    def __init__(self, text: RecordText, practice: CustomPractice | None = None,
                 read_only: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("practice_dialog")
        self.text, self.original, self.read_only = text, practice, read_only
        self._record: CustomPractice | None = None
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
        self.form_error = error_label(self, "form")
        self.buttons = _buttons(self, text, read_only)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        if read_only:
            make_read_only(self, keep=(self.buttons,))
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

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only:
            return False
        values, t = self.values(), self.text
        errors = {}
        if not (values["name_fr"].strip() or values["name_en"].strip()):
            errors["name"] = t("error_practice_name")
        if not values["sides"]:
            errors["sides"] = t("error_practice_sides")
        set_error(self.name_error, errors.get("name", ""))
        set_error(self.sides_error, errors.get("sides", ""))
        set_error(self.form_error, t("error_fix_fields") if errors else "")
        if errors:
            return False
        try:
            self._record = CustomPractice(**values) if self.original is None else \
                dataclasses.replace(self.original, **values)
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> CustomPractice | None:
        return self._record


class TrialDialog(QDialog):
    """Record (or edit) what happened when the station tried a practice."""

    def __init__(self, text: RecordText, store: RecordStore, practices: list[Practice],
                 trial: PracticeTrial | None = None, practice_id: str = "",
                 problem_id: str | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trial_dialog")
        self.text, self.original, self.read_only = text, trial, read_only
        self._record: PracticeTrial | None = None
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
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.result_combo = QComboBox(self)
        self.result_combo.setObjectName("result")
        for result in TRIAL_RESULTS:
            self.result_combo.addItem(text.choice("trial", result), result)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description")
        self.description_edit.setPlaceholderText(text("trial_description_placeholder"))
        form = QFormLayout()
        form.addRow(text("field_practice"), self.practice_combo)
        form.addRow(text("field_problem"), self.problem_combo)
        form.addRow(text("field_date"), self.date_edit)
        form.addRow(text("field_result"), self.result_combo)
        form.addRow(text("field_what_happened"), self.description_edit)
        day = trial.date if trial else dt.date.today()
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        set_combo(self.practice_combo, trial.practice_id if trial else practice_id)
        set_combo(self.problem_combo, trial.problem_id if trial else problem_id)
        if trial is not None:
            set_combo(self.result_combo, trial.result)
            self.description_edit.setPlainText(trial.description)
        self.form_error = error_label(self, "form")
        self.buttons = _buttons(self, text, read_only)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        if read_only:
            make_read_only(self, keep=(self.buttons,))
        self.resize(560, 400)

    def values(self) -> dict[str, Any]:
        return {"practice_id": self.practice_combo.currentData(),
                "problem_id": self.problem_combo.currentData(),
                "date": self.date_edit.date().toPython(),
                "result": self.result_combo.currentData(),
                "description": self.description_edit.toPlainText()}

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only:
            return False
        try:
            values = self.values()
            self._record = PracticeTrial(**values) if self.original is None else \
                dataclasses.replace(self.original, **values)
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> PracticeTrial | None:
        return self._record
