"""Forms of the action plan: a priority (tied to problem cards) and an action (who leads,
with which partners, when, with what, measured by which indicators).

An indicator has a baseline and a target; its short id is made from its label and never
changes afterwards, since quarterly progress refers to it. An indicator that already has
values in the quarterly progress cannot be removed (the values would lose their meaning).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidgetItem,
    QWidget,
)

from portrait.records import Action, ActionIndicator, ActionPriority, RecordStore
from portrait.records.action_plan import DIRECTIONS
from portrait.services import fold
from ui.records.form_base import RecordDialog, RowsTableWidget
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    OptionalDateWidget,
    choice_combo,
    date_range,
    error_label,
    number_text,
    parse_number,
    set_combo,
    with_error,
)

LABEL, UNIT, BASELINE, TARGET, DIRECTION, SOURCE = range(6)


class PriorityDialog(RecordDialog):
    """Create or edit a priority of the plan."""

    RECORD_TYPE = ActionPriority

    def __init__(self, text: RecordText, store: RecordStore,
                 priority: ActionPriority | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("priority_dialog")
        self.text, self.original, self.read_only = text, priority, read_only
        self.setWindowTitle(text("priority_edit_title") if priority
                            else text("priority_new_title"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title")
        self.title_error = error_label(self, "title")
        self.field_errors = {"title": self.title_error}
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description")
        self.description_edit.setMaximumHeight(80)
        self.rank_spin = QSpinBox(self)
        self.rank_spin.setObjectName("rank")
        self.rank_spin.setRange(0, 99)
        self.rank_spin.setSpecialValueText(text("rank_none"))
        self.period_edit = QLineEdit(self)
        self.period_edit.setObjectName("plan_period")
        self.period_edit.setPlaceholderText(text("plan_period_placeholder"))
        self.problems_list = CheckListWidget(self)
        self.problems_list.setObjectName("problems")
        self.problems_list.set_choices([(p.record_id, p.title) for p in store.problems()],
                                       priority.problem_ids if priority else ())
        form = QFormLayout()
        form.addRow(text("field_title_required"), with_error(self.title_edit, self.title_error))
        form.addRow(text("field_description"), self.description_edit)
        form.addRow(text("field_rank"), self.rank_spin)
        form.addRow(text("field_plan_period"), self.period_edit)
        form.addRow(text("field_problems"), self.problems_list)
        if priority is not None:
            self.title_edit.setText(priority.title)
            self.description_edit.setPlainText(priority.description)
            self.rank_spin.setValue(priority.rank or 0)
            self.period_edit.setText(priority.plan_period)
        self._finish(text, read_only, form)
        self.resize(560, 440)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(),
                "description": self.description_edit.toPlainText(),
                "rank": self.rank_spin.value() or None, "plan_period": self.period_edit.text(),
                "problem_ids": self.problems_list.checked_ids()}

    def validate(self) -> dict[str, str]:
        missing = not self.title_edit.text().strip()
        return self._show_errors({"title": self.text("error_title_required")} if missing
                                 else {})


class IndicatorsWidget(RowsTableWidget):
    """The action's indicators as a table: label, unit, baseline, target, direction,
    source."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(text, [text("col_indicator"), text("col_unit"), text("col_baseline"),
                                text("col_target"), text("col_direction"), text("col_source")],
                         "indicators_table",
                         ("button_add_indicator", "add_indicator", "remove_indicator"), 110,
                         parent)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DIRECTION, QHeaderView.ResizeMode.ResizeToContents)
        for column in (UNIT, BASELINE, TARGET):
            header.resizeSection(column, 80)

    def add_row(self, indicator: ActionIndicator | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        i = indicator
        values = (i.label, i.unit, number_text(i.baseline), number_text(i.target), "",
                  i.source) if i else ("", "", "", "", "", "")
        for column, value in enumerate(values):
            if column != DIRECTION:
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.item(row, LABEL).setData(Qt.ItemDataRole.UserRole,
                                            i.indicator_id if i else None)
        combo = choice_combo(self.table, "", self.text, "direction", DIRECTIONS)
        set_combo(combo, i.direction if i else "decrease")
        self.table.setCellWidget(row, DIRECTION, combo)
        return row

    def indicators(self) -> tuple[tuple[ActionIndicator, ...], str]:
        """The indicators, and what must be fixed ("" when every row is valid)."""
        found: list[ActionIndicator] = []
        used: set[str] = set()
        rows = [r for r in range(self.table.rowCount())
                if any(self._cell(r, c) for c in (LABEL, UNIT, BASELINE, TARGET, SOURCE))]
        for row in rows:
            kept = self.table.item(row, LABEL).data(Qt.ItemDataRole.UserRole)
            if kept:
                used.add(kept)
        for row in rows:
            label = self._cell(row, LABEL)
            if not label:
                return (), self.text("error_indicator_label", row=row + 1)
            try:
                baseline = parse_number(self._cell(row, BASELINE))
                target = parse_number(self._cell(row, TARGET))
            except ValueError:
                return (), self.text("error_indicator_number", row=row + 1)
            identifier = self.table.item(row, LABEL).data(Qt.ItemDataRole.UserRole) or \
                _new_id(label, used)
            used.add(identifier)
            combo = self.table.cellWidget(row, DIRECTION)
            found.append(ActionIndicator(
                indicator_id=identifier, label=label, unit=self._cell(row, UNIT),
                baseline=baseline, target=target, source=self._cell(row, SOURCE),
                direction=combo.currentData() if isinstance(combo, QComboBox) else "decrease"))
        return tuple(found), ""


def _new_id(label: str, used: set[str]) -> str:
    """A short id from the label (``marches_realisees``), unique in the action."""
    base = re.sub(r"[^a-z0-9]+", "_", fold(label)).strip("_")[:40] or "indicateur"
    identifier, number = base, 2
    while identifier in used:
        identifier, number = f"{base}_{number}", number + 1
    return identifier


class ActionDialog(RecordDialog):
    """Create or edit an action; ``priority_id`` places a new one under a priority."""

    RECORD_TYPE = Action

    def __init__(self, text: RecordText, store: RecordStore, action: Action | None = None,
                 priority_id: str | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.text, self.original, self.read_only = text, action, read_only
        self.setWindowTitle(text("action_edit_title") if action else text("action_new_title"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title")
        self.title_error = error_label(self, "title")
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("priority")
        self.priority_combo.addItem(text("priority_none"), None)
        for priority in store.priorities():
            self.priority_combo.addItem(priority.title, priority.record_id)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("description")
        self.description_edit.setMaximumHeight(60)
        self.owner_edit = QLineEdit(self)
        self.owner_edit.setObjectName("owner")
        self.owner_edit.setPlaceholderText(text("owner_placeholder"))
        self.partners_list = CheckListWidget(self)
        self.partners_list.setObjectName("partners")
        self.partners_list.set_choices([(p.record_id, p.name) for p in store.partners()],
                                       action.partner_ids if action else ())
        self.start_date = OptionalDateWidget(text, self)
        self.start_date.setObjectName("start")
        self.end_date = OptionalDateWidget(text, self)
        self.end_date.setObjectName("end")
        self.end_error = error_label(self, "end")
        dates_box = date_range(self, text("label_start"), self.start_date, text("label_end"),
                               self.end_date)
        self.resources_edit = QPlainTextEdit(self)
        self.resources_edit.setObjectName("resources")
        self.resources_edit.setMaximumHeight(50)
        self.indicators = IndicatorsWidget(text, self)
        self.indicators_error = error_label(self, "indicators")
        self.field_errors = {"title": self.title_error, "end": self.end_error,
                             "indicators": self.indicators_error}
        form = QFormLayout()
        form.addRow(text("field_title_required"), with_error(self.title_edit, self.title_error))
        form.addRow(text("field_priority"), self.priority_combo)
        form.addRow(text("field_description"), self.description_edit)
        form.addRow(text("field_owner"), self.owner_edit)
        form.addRow(text("field_partners"), self.partners_list)
        form.addRow(text("field_dates"), with_error(dates_box, self.end_error))
        form.addRow(text("field_resources"), self.resources_edit)
        form.addRow(text("field_indicators"), with_error(self.indicators,
                                                         self.indicators_error))
        set_combo(self.priority_combo, action.priority_id if action else priority_id)
        if action is not None:
            self.title_edit.setText(action.title)
            self.description_edit.setPlainText(action.description)
            self.owner_edit.setText(action.owner)
            self.start_date.set_date(action.start)
            self.end_date.set_date(action.end)
            self.resources_edit.setPlainText(action.resources)
            self.indicators.set_rows(action.indicators)
        self._finish(text, read_only, form)
        self.resize(760, 680)

    def values(self) -> dict[str, Any]:
        indicators, _ = self.indicators.indicators()
        return {"title": self.title_edit.text(), "priority_id": self.priority_combo.currentData(),
                "description": self.description_edit.toPlainText(),
                "owner": self.owner_edit.text(), "partner_ids": self.partners_list.checked_ids(),
                "start": self.start_date.date(), "end": self.end_date.date(),
                "resources": self.resources_edit.toPlainText(), "indicators": indicators}

    def validate(self) -> dict[str, str]:
        t, errors = self.text, {}
        if not self.title_edit.text().strip():
            errors["title"] = t("error_title_required")
        start, end = self.start_date.date(), self.end_date.date()
        if start is not None and end is not None and end < start:
            errors["end"] = t("error_end_before_start")
        indicators, problem = self.indicators.indicators()
        if not problem and self.original is not None:
            kept = {i.indicator_id for i in indicators}
            for entry in self.original.progress:
                lost = sorted(set(entry.indicator_values) - kept)
                if lost:
                    name = self.original.indicator(lost[0]).label
                    problem = t("error_indicator_has_values", name=name)
                    break
        if problem:
            errors["indicators"] = problem
        return self._show_errors(errors)
