"""What the Call demand page adds to its figures: the repeat-call places, which the officer
pins to a problem card, and the best practices and action-plan items that answer the
demand, one click from their own pages.

These parts need the station's records (``RecordPages``): a page built without them (a
portrait shown outside the window) shows the figures only. The card list and the plan
links are read again whenever the records change, so a card created from here is offered
at once for the next place.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from portrait.calls.plan_links import call_demand_plan
from portrait.calls.repeat_evidence import CELL_M, pin_repeat_calls, place_location, word
from portrait.portrait_model import Section
from portrait.records.best_practices import catalogue
from ui.figure_text import FigureText
from ui.figure_widgets import Cell, FigureTableModel, FigureTableWidget, TitledBlockWidget

if TYPE_CHECKING:
    from ui.records.pages import RecordPages

PLACES_TABLE = "calls_repeat_places"
PRACTICES_TABLE = "calls_practices"


def call_demand_parts(section: Section, fmt: FigureText, records: RecordPages,
                      parameters: dict, parent: QWidget) -> list[QWidget]:
    """The page's record-linked parts, below the section's own tables; ``parameters`` are
    the portrait's (the repeat-call threshold the places were found with)."""
    tables = {table.id: table for table in section.tables}
    parts: list[QWidget] = []
    if PLACES_TABLE in tables:
        threshold = int(parameters.get(section.id, {}).get("repeat_call_threshold", 0))
        parts.append(RepeatPlacesWidget(section, fmt, records, threshold, parent))
    if PRACTICES_TABLE in tables:
        parts.append(CallPracticesWidget(section, fmt, records, parent))
    return parts


class RepeatPlacesWidget(QWidget):
    """The repeat-call places, and "Pin to a problem card": a new card at the selected place
    or the place's calls added as evidence to the card chosen in the list."""

    def __init__(self, section: Section, fmt: FigureText, records: RecordPages,
                 threshold: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("repeat_call_places")
        self.fmt, self.records = fmt, records
        self.places = list(section.table(PLACES_TABLE).records)
        demand = next((i for i in section.indicators if i.id == "calls_demand"), None)
        self.period = demand.period if demand is not None else ""
        self.source = demand.source if demand is not None else ""
        self.threshold = threshold
        language = fmt.language
        rows = [[Cell(_place_name(p, language)), Cell(fmt.count(p["calls"]), p["calls"],
                                                       number=True),
                 Cell(word(p["main_pathway"], language))] for p in self.places]
        model = FigureTableModel([fmt.text("col_place"), fmt.text("col_calls"),
                                  fmt.text("col_main_pathway")], rows, list(self.places))
        self.table = FigureTableWidget(model)
        self.table.setObjectName("repeat_places_table")
        self.card_choice = QComboBox(self)
        self.card_choice.setObjectName("pin_card_choice")
        self.pin_button = QPushButton(fmt.text("pin_to_problem"), self)
        self.pin_button.setObjectName("pin_to_problem")
        self.pin_button.setToolTip(fmt.text("pin_to_problem_tip"))
        self.hint = QLabel(fmt.text("repeat_places_none", threshold=self.threshold)
                           if not self.places else fmt.text("repeat_places_hint"), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.card_choice, 1)
        row.addWidget(self.pin_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(TitledBlockWidget(fmt.text("table_repeat_places"), self.table, fmt,
                                           parent=self))
        layout.addWidget(self.hint)
        layout.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(self._update_enabled)
        self.pin_button.clicked.connect(self.pin)
        records.records_changed.connect(self._fill_cards)
        self._fill_cards()

    def selected_place(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.payload(rows[0].row()) if rows else None

    @Slot()
    def _fill_cards(self) -> None:
        session = self.records.session
        chosen = self.card_choice.currentData()
        self.card_choice.clear()
        self.card_choice.addItem(self.fmt.text("pin_new_card"), None)
        for card in session.store.problems() if session is not None else ():
            self.card_choice.addItem(self.fmt.text("pin_add_to_card", title=card.title),
                                     card.record_id)
        found = self.card_choice.findData(chosen)
        self.card_choice.setCurrentIndex(max(found, 0))
        self._update_enabled()

    @Slot()
    def _update_enabled(self) -> None:
        session = self.records.session
        place = self.selected_place()
        self.pin_button.setEnabled(
            session is not None and not session.read_only and place is not None
            and place.get("x") is not None)

    @Slot()
    def pin(self) -> None:
        """Open the chosen card's form (or a new card's, at the place) with the place's
        calls pinned on it; the officer saves the form."""
        place = self.selected_place()
        if place is None:
            return
        evidence = pin_repeat_calls(place, period=self.period, threshold=self.threshold,
                                    source=self.source)
        self.records.pin_to_problem(evidence, place_location(place, self.fmt.language),
                                    self.card_choice.currentData())


class CallPracticesWidget(QWidget):
    """The best practices that take divertible calls, and the plan's priorities and actions
    about them or about call demand; each button opens its entry."""

    def __init__(self, section: Section, fmt: FigureText, records: RecordPages,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("call_practices")
        self.fmt, self.records = fmt, records
        self.practice_rows = list(section.table(PRACTICES_TABLE).records)
        title = QLabel(fmt.text("table_call_practices"), self)
        title.setStyleSheet("font-weight: 600; color: #222;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(title)
        self.practice_buttons: dict[str, QPushButton] = {}
        for row in self.practice_rows:
            button = QPushButton(fmt.text("call_practice", name=row[f"name_{fmt.language}"],
                                          calls=fmt.value_with_unit(row["calls"], "calls")),
                                 self)
            button.setObjectName(f"practice_{row['practice_id']}")
            button.setToolTip(fmt.text("call_practice_tip"))
            button.clicked.connect(partial(records.show_record, "practice",
                                           row["practice_id"]))
            layout.addWidget(button)
            self.practice_buttons[row["practice_id"]] = button
        self.plan_title = QLabel(fmt.text("call_plan_title"), self)
        self.plan_title.setStyleSheet("font-weight: 600; color: #222;")
        layout.addWidget(self.plan_title)
        self._plan_box = QVBoxLayout()
        layout.addLayout(self._plan_box)
        self.plan_buttons: list[QPushButton] = []
        self.plan_empty = QLabel(fmt.text("call_plan_none"), self)
        self.plan_empty.setWordWrap(True)
        self.plan_empty.setStyleSheet("color: #555;")
        layout.addWidget(self.plan_empty)
        records.records_changed.connect(self._fill_plan)
        self._fill_plan()

    @Slot()
    def _fill_plan(self) -> None:
        for button in self.plan_buttons:
            button.setParent(None)
            button.deleteLater()
        self.plan_buttons = []
        session = self.records.session
        links = call_demand_plan(session.store, [r["practice_id"] for r in
                                                 self.practice_rows]) if session else []
        names = {p.practice_id: p.name(self.fmt.language) for p in catalogue()}
        for link in links:
            key = "call_plan_priority" if link.kind == "action_priority" else "call_plan_action"
            why = names.get(link.practice_id) or self.fmt.text("call_plan_why_calls")
            button = QPushButton(self.fmt.text(key, title=link.title, why=why), self)
            button.setObjectName("call_plan_link")
            button.clicked.connect(partial(self.records.show_record, link.kind,
                                           link.record_id))
            self._plan_box.addWidget(button)
            self.plan_buttons.append(button)
        self.plan_empty.setVisible(not links)


def _place_name(place: dict, language: str) -> str:
    if place.get("kind") == "cell":
        return f"{word('cell', language, size=f'{CELL_M:g}')} {place['place']}"
    return str(place["place"])

