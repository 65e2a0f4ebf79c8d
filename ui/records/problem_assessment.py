"""The assessment part of the problem form: did the response work?

The weighted displacement difference test (``portrait.records.assess_problem``) needs the
date the response started, a target area (the card's own area when its location is one) and
a comparable control area; the areas are drawn on the map (``area_requested("target" or
"control")``, then ``set_area``). The test reads the incidents layer, so it runs in the
background; its arithmetic is shown as ``WddResult.explain`` writes it, and the result can be
pinned on the card as evidence.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

from portrait.records import Location, WddResult
from ui.records.strings import RecordText
from ui.records.widgets import OptionalDateWidget, error_label, set_error


class AssessmentWidget(QWidget):
    """Response start, target and control areas, displacement buffer; ``assess_requested``
    when the officer runs the test, ``pin_requested`` to pin the last result."""

    area_requested = Signal(str)
    assess_requested = Signal()
    pin_requested = Signal()
    changed = Signal()

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.target_area: BaseGeometry | None = None
        self.control_area: BaseGeometry | None = None
        self.location: Location | None = None
        self.result: WddResult | None = None
        intro = QLabel(text("wdd_intro"), self)
        intro.setWordWrap(True)
        self.start_date = OptionalDateWidget(text, self)
        self.start_date.setObjectName("response_start")
        self.buffer_spin = QSpinBox(self)
        self.buffer_spin.setObjectName("displacement_buffer")
        self.buffer_spin.setRange(0, 2_000)
        self.buffer_spin.setSingleStep(50)
        self.buffer_spin.setSuffix(" m")
        self.buffer_spin.setSpecialValueText(text("wdd_no_buffer"))
        self.target_label = QLabel(self)
        self.target_label.setObjectName("target_area_status")
        self.target_button = QPushButton(text("button_draw_target"), self)
        self.target_button.setObjectName("draw_target")
        self.control_label = QLabel(self)
        self.control_label.setObjectName("control_area_status")
        self.control_button = QPushButton(text("button_draw_control"), self)
        self.control_button.setObjectName("draw_control")
        self.assess_button = QPushButton(text("button_assess"), self)
        self.assess_button.setObjectName("assess_button")
        self.pin_button = QPushButton(text("button_pin_result"), self)
        self.pin_button.setObjectName("pin_result")
        self.pin_button.setEnabled(False)
        self.status = error_label(self, "assessment")
        self.result_edit = QPlainTextEdit(self)
        self.result_edit.setObjectName("wdd_result")
        self.result_edit.setReadOnly(True)
        self.result_edit.setPlaceholderText(text("wdd_result_placeholder"))

        def line(label: QLabel, button: QPushButton) -> QHBoxLayout:
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(button)
            return row

        form = QFormLayout()
        form.addRow(text("field_response_start"), self.start_date)
        form.addRow(text("field_target_area"), line(self.target_label, self.target_button))
        form.addRow(text("field_control_area"), line(self.control_label, self.control_button))
        form.addRow(text("field_buffer"), self.buffer_spin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.assess_button)
        buttons.addWidget(self.pin_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.result_edit, 1)
        self.target_button.clicked.connect(lambda: self.area_requested.emit("target"))
        self.control_button.clicked.connect(lambda: self.area_requested.emit("control"))
        self.assess_button.clicked.connect(self.assess_requested)
        self.pin_button.clicked.connect(self.pin_requested)
        self.start_date.changed.connect(self._update)
        self._update()

    # --- values -------------------------------------------------------------------------------
    def set_values(self, response_start: object, target: BaseGeometry | None,
                   control: BaseGeometry | None, buffer_m: float | None) -> None:
        self.start_date.set_date(response_start)  # type: ignore[arg-type]
        self.target_area, self.control_area = target, control
        self.buffer_spin.setValue(int(buffer_m or 0))
        self._update()

    def set_location(self, location: Location | None) -> None:
        """The card's location: an area location serves as target area when none is drawn."""
        self.location = location
        self._update()

    def set_area(self, which: str, geometry: BaseGeometry | None) -> None:
        if which == "target":
            self.target_area = geometry
        else:
            self.control_area = geometry
        self._update()

    def buffer_m(self) -> float | None:
        return float(self.buffer_spin.value()) or None

    def effective_target(self) -> BaseGeometry | None:
        if self.target_area is not None:
            return self.target_area
        if self.location is not None and self.location.kind != "point":
            return self.location.geometry
        return None

    def missing(self) -> str:
        """What the test still needs, in words ("" when it can run)."""
        if self.start_date.date() is None:
            return self.text("wdd_needs_start")
        if self.effective_target() is None:
            return self.text("wdd_needs_target")
        if self.control_area is None:
            return self.text("wdd_needs_control")
        return ""

    # --- running ------------------------------------------------------------------------------
    def set_running(self) -> None:
        self.assess_button.setEnabled(False)
        set_error(self.status, "")
        self.result_edit.setPlainText(self.text("wdd_running"))

    def show_result(self, result: WddResult) -> None:
        self.result = result
        self.result_edit.setPlainText(result.explain(self.text.language))
        self.pin_button.setEnabled(True)
        self._update()

    def show_failure(self, message: str) -> None:
        self.result_edit.clear()
        set_error(self.status, message)
        self._update()

    @Slot()
    def _update(self) -> None:
        t = self.text
        if self.target_area is not None:
            self.target_label.setText(t("area_drawn", area=t.hectares(self.target_area)))
        elif self.effective_target() is not None:
            self.target_label.setText(t("area_from_location"))
        else:
            self.target_label.setText(t("area_none"))
        self.control_label.setText(t("area_drawn", area=t.hectares(self.control_area))
                                   if self.control_area is not None else t("area_none"))
        missing = self.missing()
        self.assess_button.setEnabled(not missing)
        self.assess_button.setToolTip(missing or t("button_assess_tip"))
        self.changed.emit()
