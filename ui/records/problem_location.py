"""The problem form's place: its words, a point's radius, and a button for each way of
choosing it on the map.

The place is picked on the map by the window (``pick_requested(mode)``, a mode of
``ui.map_pick.PICK_MODES``); this widget holds what came back. A point's radius is the one
shown here: a point picked on the map takes it, and changing it widens or narrows the point
already chosen (``changed``). The radius shows only for a point: an area counts what is
inside it. The neighbourhood button shows only when the workspace has named areas.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from portrait.records import Location
from portrait.records.location_words import named_areas
from portrait.records.problems import MAX_POINT_RADIUS_M, POINT_RADIUS_M
from ui.map_pick import PICK_MODES
from ui.records.flow_layout import button_row
from ui.records.strings import RecordText


class LocationWidget(QWidget):
    """The place of a problem card; ``location`` is what the form saves."""

    pick_requested = Signal(str)
    #: The location after a change made here (a radius, Clear), or None.
    changed = Signal(object)

    def __init__(self, text: RecordText, areas: pd.DataFrame | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.text, self.areas = text, areas
        self.location: Location | None = None
        self.read_only = False
        self.words = QLabel(self)
        self.words.setObjectName("location_summary")
        self.words.setWordWrap(True)
        self.pick_buttons: dict[str, QPushButton] = {}
        for mode in PICK_MODES:
            button = QPushButton(text(f"button_pick_{mode}"), self)
            button.setObjectName(f"pick_{mode}")
            button.setToolTip(text(f"pick_{mode}_tip"))
            button.clicked.connect(lambda _checked=False, m=mode: self.pick_requested.emit(m))
            self.pick_buttons[mode] = button
        self.pick_buttons["named_area"].setVisible(not named_areas(areas).empty)
        self.radius_spin = QSpinBox(self)
        self.radius_spin.setObjectName("radius")
        self.radius_spin.setRange(10, int(MAX_POINT_RADIUS_M))
        self.radius_spin.setSingleStep(10)
        self.radius_spin.setValue(int(POINT_RADIUS_M))
        self.radius_spin.setSuffix(" m")
        self.radius_spin.setToolTip(text("radius_tip"))
        self.radius_spin.setKeyboardTracking(False)  # "150" is not 1, then 15, then 150 m
        self.radius_label = QLabel(text("field_radius"), self)
        self.clear_button = QPushButton(text("button_clear_location"), self)
        self.clear_button.setObjectName("clear_location")
        words_row = QHBoxLayout()
        words_row.addWidget(self.words, 1)
        words_row.addWidget(self.radius_label)
        words_row.addWidget(self.radius_spin)
        words_row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(words_row)
        layout.addWidget(button_row(QLabel(text("pick_on_map"), self),
                                    *self.pick_buttons.values()))
        self.radius_spin.valueChanged.connect(self._radius_changed)
        self.clear_button.clicked.connect(self._clear)

    def set_location(self, location: Location | None, take_radius: bool = True) -> None:
        """Show ``location``; a point picked on the map takes the radius shown here
        (``take_radius``), a saved one keeps its own."""
        if take_radius and location is not None and location.kind == "point" and \
                location.radius_m != self.radius_spin.value():
            location = dataclasses.replace(location, radius_m=float(self.radius_spin.value()))
        self.location = location
        point = location is not None and location.kind == "point"
        if point:
            self.radius_spin.blockSignals(True)
            self.radius_spin.setValue(round(location.radius_m))
            self.radius_spin.blockSignals(False)
        self.radius_label.setVisible(point)
        self.radius_spin.setVisible(point)
        self.words.setText(self.text.location_summary(location, self.areas))
        self.clear_button.setEnabled(location is not None and not self.read_only)

    @Slot(int)
    def _radius_changed(self, radius: int) -> None:
        if self.location is not None and self.location.kind == "point":
            self.set_location(dataclasses.replace(self.location, radius_m=float(radius)))
            self.changed.emit(self.location)

    @Slot()
    def _clear(self) -> None:
        self.set_location(None)
        self.changed.emit(None)
