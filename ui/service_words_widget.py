"""The service's words, edited: what a station is called, the service, the city, the shifts.

Used by the New workspace dialog and by Preferences (which writes them into the open
workspace). ``words()`` is None while a value is missing or a shift impossible, with the
reason shown under the fields, so a dialog keeps its OK button off until they are usable.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from portrait.errors import PortraitError
from portrait.service_words import ServiceWords, Shift, plural
from ui.strings import UiText

ERROR_STYLE = "color: #a61b1b;"


class ServiceWordsWidget(QGroupBox):
    """Edits a ``ServiceWords``; ``changed`` whenever a field does."""

    changed = Signal()

    def __init__(self, words: ServiceWords, text: UiText, parent: QWidget | None = None):
        super().__init__(text("words_group"), parent)
        self.setObjectName("service_words")
        self.text = text
        self._codes = [shift.code for shift in words.shifts]
        self.station_edit = self._edit("station_term_edit")
        self.stations_edit = self._edit("stations_term_edit")
        self.service_edit = self._edit("service_edit")
        self.city_edit = self._edit("city_edit")
        self.station_edit.textEdited.connect(self._follow_plural)

        shifts = QGridLayout()
        for column, key in enumerate(("words_shift_fr", "words_shift_en", "words_shift_start",
                                      "words_shift_end")):
            shifts.addWidget(QLabel(text(key), self), 0, column)
        self.shift_rows: list[tuple[QLineEdit, QLineEdit, QSpinBox, QSpinBox]] = []
        for row, code in enumerate(self._codes, start=1):
            cells = (self._edit(f"shift_{code}_fr"), self._edit(f"shift_{code}_en"),
                     self._hour(0, 23, f"shift_{code}_start"),
                     self._hour(1, 24, f"shift_{code}_end"))
            for column, cell in enumerate(cells):
                shifts.addWidget(cell, row, column)
            self.shift_rows.append(cells)
        shifts.setColumnStretch(0, 1)
        shifts.setColumnStretch(1, 1)

        self.example = QLabel(self)
        self.example.setObjectName("words_example")
        self.example.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("words_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow(text("words_station_term"), self.station_edit)
        form.addRow(text("words_stations_term"), self.stations_edit)
        form.addRow(text("words_service"), self.service_edit)
        form.addRow(text("words_city"), self.city_edit)
        form.addRow(text("words_shifts"), shifts)
        form.addRow(self.example)
        form.addRow(self.message)
        self.set_words(words)

    def _edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.textChanged.connect(self._check)
        return edit

    def _hour(self, low: int, high: int, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(" h")
        spin.valueChanged.connect(self._check)
        return spin

    def set_words(self, words: ServiceWords) -> None:
        self.station_edit.setText(words.station_term)
        self.stations_edit.setText(words.stations_term)
        self.service_edit.setText(words.service)
        self.city_edit.setText(words.city)
        by_code = {shift.code: shift for shift in words.shifts}
        for code, (french, english, start, end) in zip(self._codes, self.shift_rows,
                                                       strict=True):
            shift = by_code[code]
            french.setText(shift.name_fr)
            english.setText(shift.name_en)
            start.setValue(shift.start)
            end.setValue(shift.end)
        self._check()

    def words(self) -> ServiceWords | None:
        """The words as edited, or None while they cannot be used (the reason is shown)."""
        try:
            return ServiceWords(
                station_term=self.station_edit.text().strip(),
                stations_term=self.stations_edit.text().strip(),
                service=self.service_edit.text().strip(),
                city=self.city_edit.text().strip(),
                shifts=tuple(Shift(code, french.text().strip(), english.text().strip(),
                                   start.value(), end.value())
                             for code, (french, english, start, end) in
                             zip(self._codes, self.shift_rows, strict=True)))
        except PortraitError:
            return None

    def set_city(self, city: str, station_term: str = "", service: str = "") -> None:
        """A city picked elsewhere (New workspace): its name, and its police's words when
        known."""
        self.city_edit.setText(city)
        if station_term:
            self.station_edit.setText(station_term)
            self.stations_edit.setText(plural(station_term))
        self.service_edit.setText(service)

    @Slot(str)
    def _follow_plural(self, term: str) -> None:
        """Typing the station term proposes its plural (which stays editable)."""
        self.stations_edit.setText(plural(term.strip()) if term.strip() else "")

    @Slot()
    def _check(self) -> None:
        if len(self.shift_rows) < len(self._codes):
            return  # still being built
        words = self.words()
        if words is None:
            filled = all(edit.text().strip() for edit in
                         (self.station_edit, self.stations_edit, self.city_edit))
            self.message.setText(self.text("words_bad_shift" if filled else "words_missing"))
            self.example.setText("")
        else:
            self.message.setText("")
            self.example.setText(self.text(
                "words_example", label=words.station_label("38"),
                stations=words.stations_term,
                shift=words.shifts[0].name(self.text.language)))
        self.message.setVisible(words is None)
        self.changed.emit()
