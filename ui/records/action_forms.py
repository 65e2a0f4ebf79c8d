"""Forms of the action plan: a priority (tied to problem cards) and an action (who leads,
with which partners, when, with what, measured by which indicators).

An indicator has a baseline and a target; its short id is made from its label and never
changes afterwards, since quarterly progress refers to it. An indicator that already has
values in the quarterly progress cannot be removed (the values would lose their meaning).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from portrait.errors import PortraitError
from portrait.records import Action, ActionIndicator, ActionPriority, RecordStore
from portrait.records.action_plan import DIRECTIONS
from portrait.services import fold
from ui.records.strings import RecordText
from ui.records.widgets import (
    CheckListWidget,
    OptionalDateWidget,
    error_label,
    make_read_only,
    number_text,
    parse_number,
    set_combo,
    set_error,
    with_error,
)

LABEL, UNIT, BASELINE, TARGET, DIRECTION, SOURCE = range(6)


class _RecordDialog(QDialog):
    """OK / Cancel, a form error line, read-only mode: what both forms share."""

    def _finish(self, text: RecordText, form: QFormLayout, read_only: bool) -> None:
        self.form_error = error_label(self, "form")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(text("button_save_record"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(text("button_close" if read_only else "button_cancel"),
                               QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        if read_only:
            make_read_only(self, keep=(self.buttons,))
            self.ok_button.setVisible(False)

    def try_accept(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class PriorityDialog(_RecordDialog):
    """Create or edit a priority of the plan."""

    def __init__(self, text: RecordText, store: RecordStore,
                 priority: ActionPriority | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("priority_dialog")
        self.text, self.original, self.read_only = text, priority, read_only
        self._record: ActionPriority | None = None
        self.setWindowTitle(text("priority_edit_title") if priority
                            else text("priority_new_title"))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title")
        self.title_error = error_label(self, "title")
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
        self._finish(text, form, read_only)
        self.resize(560, 440)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(),
                "description": self.description_edit.toPlainText(),
                "rank": self.rank_spin.value() or None, "plan_period": self.period_edit.text(),
                "problem_ids": self.problems_list.checked_ids()}

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only:
            return False
        missing = not self.title_edit.text().strip()
        set_error(self.title_error, self.text("error_title_required") if missing else "")
        set_error(self.form_error, self.text("error_fix_fields") if missing else "")
        if missing:
            return False
        try:
            values = self.values()
            self._record = ActionPriority(**values) if self.original is None else \
                dataclasses.replace(self.original, **values)
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> ActionPriority | None:
        return self._record


class IndicatorsWidget(QWidget):
    """The action's indicators as a table: label, unit, baseline, target, direction,
    source."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("indicators_table")
        self.table.setHorizontalHeaderLabels([
            text("col_indicator"), text("col_unit"), text("col_baseline"), text("col_target"),
            text("col_direction"), text("col_source")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DIRECTION, QHeaderView.ResizeMode.ResizeToContents)
        for column in (UNIT, BASELINE, TARGET):
            header.resizeSection(column, 80)
        self.table.setMinimumHeight(110)
        self.add_button = QPushButton(text("button_add_indicator"), self)
        self.add_button.setObjectName("add_indicator")
        self.remove_button = QPushButton(text("button_remove_row"), self)
        self.remove_button.setObjectName("remove_indicator")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._remove_row)

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
        combo = QComboBox(self.table)
        for direction in DIRECTIONS:
            combo.addItem(self.text.choice("direction", direction), direction)
        set_combo(combo, i.direction if i else "decrease")
        self.table.setCellWidget(row, DIRECTION, combo)
        return row

    def set_cell(self, row: int, column: int, value: str) -> None:
        self.table.item(row, column).setText(value)

    def set_indicators(self, indicators: tuple[ActionIndicator, ...]) -> None:
        self.table.setRowCount(0)
        for indicator in indicators:
            self.add_row(indicator)

    @Slot()
    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

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


class ActionDialog(_RecordDialog):
    """Create or edit an action; ``priority_id`` places a new one under a priority."""

    def __init__(self, text: RecordText, store: RecordStore, action: Action | None = None,
                 priority_id: str | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.text, self.original, self.read_only = text, action, read_only
        self._record: Action | None = None
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
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(QLabel(text("label_start"), self))
        dates.addWidget(self.start_date, 1)
        dates.addWidget(QLabel(text("label_end"), self))
        dates.addWidget(self.end_date, 1)
        dates_box = QWidget(self)
        dates_box.setLayout(dates)
        self.resources_edit = QPlainTextEdit(self)
        self.resources_edit.setObjectName("resources")
        self.resources_edit.setMaximumHeight(50)
        self.indicators = IndicatorsWidget(text, self)
        self.indicators_error = error_label(self, "indicators")
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
            self.indicators.set_indicators(action.indicators)
        self._finish(text, form, read_only)
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
        set_error(self.title_error, errors.get("title", ""))
        set_error(self.end_error, errors.get("end", ""))
        set_error(self.indicators_error, errors.get("indicators", ""))
        set_error(self.form_error, t("error_fix_fields") if errors else "")
        return errors

    @Slot()
    def try_accept(self) -> bool:
        if self.read_only or self.validate():
            return False
        try:
            values = self.values()
            self._record = Action(**values) if self.original is None else \
                dataclasses.replace(self.original, **values)
        except PortraitError as error:
            set_error(self.form_error, str(error))
            return False
        self.accept()
        return True

    def record(self) -> Action | None:
        return self._record

    def error_text(self, field: str) -> str:
        label = {"title": self.title_error, "end": self.end_error,
                 "indicators": self.indicators_error, "form": self.form_error}[field]
        return label.text() if label.isVisibleTo(self) else ""
