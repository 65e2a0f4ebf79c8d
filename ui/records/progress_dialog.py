"""Adding the quarterly progress of an action: the quarter, where the action stands, what
happened, and the value of each indicator (with its baseline and target beside it).

Choosing a quarter already reported shows what was entered then: saving replaces it, as
``record_progress`` does, and the history keeps the previous version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from portrait import clock
from portrait.errors import PortraitError
from portrait.records import PROGRESS_STATUSES, Action, quarter_of, quarters_between
from portrait.records.action_plan import check_quarter
from ui.records.form_base import RecordDialog
from ui.records.strings import RecordText
from ui.records.widgets import choice_combo, error_label, number_text, parse_number, set_combo


def offered_quarters(action: Action, today: dt.date | None = None) -> tuple[str, ...]:
    """The action's quarters (start to end), widened to the current quarter and to those
    already reported; the current year when the action has no dates."""
    today = today or clock.today()
    marks = [quarter_of(today)] + [e.quarter for e in action.progress]
    marks += [quarter_of(d) for d in (action.start, action.end) if d is not None]
    if action.start is None and action.end is None:
        marks += [f"{today.year}-Q1", f"{today.year}-Q4"]
    return quarters_between(min(marks), max(marks))


class ProgressDialog(RecordDialog):
    """Quarter, status, narrative and indicator values of one action."""

    def __init__(self, text: RecordText, action: Action, quarter: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progress_dialog")
        self.text, self.action = text, action
        self._entry: dict[str, Any] | None = None
        self.setWindowTitle(text("progress_title", name=action.title))
        self.quarter_combo = QComboBox(self)
        self.quarter_combo.setObjectName("quarter")
        self.quarter_combo.setEditable(True)
        self.quarter_combo.addItems(list(offered_quarters(action)))
        self.quarter_error = error_label(self, "quarter")
        self.status_combo = choice_combo(self, "status", text, "progress", PROGRESS_STATUSES)
        self.narrative_edit = QPlainTextEdit(self)
        self.narrative_edit.setObjectName("narrative")
        self.narrative_edit.setPlaceholderText(text("narrative_placeholder"))
        self.value_edits: dict[str, QLineEdit] = {}
        self.values_error = error_label(self, "values")
        self.field_errors = {"quarter": self.quarter_error, "values": self.values_error}
        form = QFormLayout()
        form.addRow(text("field_quarter"), self.quarter_combo)
        form.addRow("", self.quarter_error)
        form.addRow(text("field_progress_status"), self.status_combo)
        form.addRow(text("field_narrative"), self.narrative_edit)
        if action.indicators:
            form.addRow(QLabel(f"<b>{text('field_indicator_values')}</b>", self))
        for indicator in action.indicators:
            edit = QLineEdit(self)
            edit.setObjectName(f"value_{indicator.indicator_id}")
            edit.setPlaceholderText(text(
                "indicator_hint", baseline=number_text(indicator.baseline) or "?",
                target=number_text(indicator.target) or "?",
                direction=text.choice("direction", indicator.direction)))
            unit = f" ({indicator.unit})" if indicator.unit else ""
            form.addRow(f"{indicator.label}{unit}", edit)
            self.value_edits[indicator.indicator_id] = edit
        form.addRow("", self.values_error)
        self._finish(text, False, form)
        self.quarter_combo.currentTextChanged.connect(self._quarter_chosen)
        chosen = quarter or quarter_of(clock.today())
        self.quarter_combo.setCurrentText(chosen)
        self._quarter_chosen(chosen)
        self.resize(560, 420)

    @Slot(str)
    def _quarter_chosen(self, quarter: str) -> None:
        """Show what was reported for ``quarter``, if anything."""
        try:
            entry = self.action.entry(quarter)
        except PortraitError:
            return
        if entry is None:
            return
        set_combo(self.status_combo, entry.status)
        self.narrative_edit.setPlainText(entry.narrative)
        for indicator_id, edit in self.value_edits.items():
            edit.setText(number_text(entry.indicator_values.get(indicator_id)))

    def set_value(self, indicator_id: str, value: str) -> None:
        self.value_edits[indicator_id].setText(value)

    @Slot()
    def try_accept(self) -> bool:
        t = self.text
        errors = {}
        try:
            quarter = check_quarter(self.quarter_combo.currentText())
        except PortraitError:
            errors["quarter"] = t("error_quarter")
            quarter = ""
        values: dict[str, float | None] = {}
        for indicator_id, edit in self.value_edits.items():
            try:
                number = parse_number(edit.text())
            except ValueError:
                label = self.action.indicator(indicator_id).label
                errors["values"] = t("error_value_number", name=label)
                break
            if number is not None:
                values[indicator_id] = number
        if self._show_errors(errors):
            return False
        self._entry = {"quarter": quarter, "status": self.status_combo.currentData(),
                       "narrative": self.narrative_edit.toPlainText(),
                       "indicator_values": values}
        self.accept()
        return True

    def entry(self) -> dict[str, Any] | None:
        """Arguments for ``record_progress`` (quarter, status, narrative, indicator_values)."""
        return self._entry
