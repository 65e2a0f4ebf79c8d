"""The period selector: the presets officers think in, and a custom range.

Presets are resolved against the data, not the calendar: "the last 12 months" end with the
month of the last incident in the workspace (files arrive weeks after the facts, so ending
today would count empty weeks as a drop). ``resolve_period`` is plain date arithmetic, called
on the worker thread once the workspace's span is known; the widget only shows its result.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from portrait.errors import PortraitError
from ui.strings import UiText

LAST_12_MONTHS = "last_12_months"
LAST_FULL_YEAR = "last_full_year"
CUSTOM = "custom"
PRESETS = (LAST_12_MONTHS, LAST_FULL_YEAR, CUSTOM)
#: A custom date being typed is applied once the officer pauses (one rebuild, not one per key).
EDIT_DELAY_MS = 600

Period = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class PeriodChoice:
    """A preset, or a custom range (``start`` and ``end`` inclusive)."""

    preset: str = LAST_12_MONTHS
    start: dt.date | None = None
    end: dt.date | None = None


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class InvertedPeriodError(PortraitError):
    """A custom period that ends before it starts; the window says so in its language."""

    def __init__(self, start: dt.date, end: dt.date):
        super().__init__(f"The period starts ({start}) after it ends ({end}).")
        self.start = start
        self.end = end


def resolve_period(choice: PeriodChoice, first: dt.date | None,
                   last: dt.date | None) -> Period | None:
    """The dates of ``choice`` for data from ``first`` to ``last`` (None: every date, when the
    workspace holds no incidents and the choice is a preset).

    A preset never starts before the first incident's month: a rate over months without data
    would read as a drop. When the data hold no full calendar year, "last full year" is the
    whole span of the data. A custom range that ends before it starts raises
    ``InvertedPeriodError``.

    >>> resolve_period(PeriodChoice(), dt.date(2023, 11, 1), dt.date(2026, 10, 14))
    (datetime.date(2025, 11, 1), datetime.date(2026, 10, 31))
    >>> resolve_period(PeriodChoice(LAST_FULL_YEAR), dt.date(2023, 11, 1), dt.date(2026, 10, 14))
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    """
    if choice.preset == CUSTOM and choice.start is not None and choice.end is not None:
        if choice.start > choice.end:
            raise InvertedPeriodError(choice.start, choice.end)
        return (choice.start, choice.end)
    if last is None:
        return None
    end = month_end(last)
    data_start = (first or last).replace(day=1)
    if choice.preset == LAST_FULL_YEAR:
        year = end.year if end.month == 12 else end.year - 1
        if dt.date(year, 1, 1) < data_start:
            return (data_start, end)
        return (dt.date(year, 1, 1), dt.date(year, 12, 31))
    months = end.year * 12 + end.month - 1 - 11  # the 11 months before, and this one
    return (max(dt.date(months // 12, months % 12 + 1, 1), data_start), end)


class PeriodSelectorWidget(QWidget):
    """A preset list and two dates; ``periodChanged`` when the officer picks another period.

    The dates always show the period actually used (``show_period``); they can be edited only
    with "Personnalisée"/"Custom".
    """

    periodChanged = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.caption = QLabel(self)
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("period_preset")
        self.start_edit = QDateEdit(self)
        self.start_edit.setObjectName("period_start")
        self.end_edit = QDateEdit(self)
        self.end_edit.setObjectName("period_end")
        self.to_label = QLabel(self)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._date_edited)
        self.caption.setBuddy(self.preset_combo)
        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.setInterval(EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._apply_custom)
        self._shown: Period | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.preset_combo)
        layout.addWidget(self.start_edit)
        layout.addWidget(self.to_label)
        layout.addWidget(self.end_edit)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.retranslate(text)

    def retranslate(self, text: UiText) -> None:
        self.text = text
        preset = self.preset_combo.currentData() or LAST_12_MONTHS
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        for key in PRESETS:
            self.preset_combo.addItem(text(f"period_{key}"), key)
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(preset), 0))
        self.preset_combo.blockSignals(False)
        self.caption.setText(text("period"))
        self.to_label.setText(text("period_to"))
        self.start_edit.setToolTip(text("period_start_tip"))
        self.end_edit.setToolTip(text("period_end_tip"))
        self._enable_dates()

    def choice(self) -> PeriodChoice:
        preset = self.preset_combo.currentData() or LAST_12_MONTHS
        if preset != CUSTOM:
            return PeriodChoice(preset)
        return PeriodChoice(CUSTOM, self.start_edit.date().toPython(),
                            self.end_edit.date().toPython())

    def set_preset(self, preset: str) -> None:
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(preset))

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        """Choose a custom range (as the officer would), applied at once."""
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(CUSTOM))
        self.preset_combo.blockSignals(False)
        self._enable_dates()
        self._set_dates(start, end)
        self._edit_timer.stop()
        self._shown = (start, end)
        self.periodChanged.emit()

    def show_period(self, period: Period | None, span: tuple[dt.date | None, dt.date | None]
                    ) -> None:
        """Show the period a portrait was built for, and limit the dates to the data's span."""
        first, last = span
        if first is not None and last is not None:
            low, high = QDate(first.replace(day=1)), QDate(month_end(last))
            for edit in (self.start_edit, self.end_edit):
                edit.blockSignals(True)
                edit.setDateRange(low, high)
                edit.blockSignals(False)
        if period is not None:
            self._set_dates(*period)
        self._shown = period

    def shown_period(self) -> Period | None:
        return self._shown

    def _set_dates(self, start: dt.date, end: dt.date) -> None:
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day))
            edit.blockSignals(False)

    def _enable_dates(self) -> None:
        custom = self.preset_combo.currentData() == CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)

    @Slot()
    def _preset_changed(self) -> None:
        self._enable_dates()
        if self.preset_combo.currentData() == CUSTOM:
            return  # the dates shown are the period in use: nothing changes until edited
        self.periodChanged.emit()

    @Slot()
    def _date_edited(self) -> None:
        if self.start_edit.date() > self.end_edit.date():
            sender = self.sender()
            other = self.end_edit if sender is self.start_edit else self.start_edit
            other.blockSignals(True)
            other.setDate(sender.date())
            other.blockSignals(False)
        self._edit_timer.start()

    @Slot()
    def _apply_custom(self) -> None:
        choice = self.choice()
        if choice.preset == CUSTOM and (choice.start, choice.end) != self._shown:
            self._shown = (choice.start, choice.end)
            self.periodChanged.emit()
