"""The parts of the problem form that are more than fields: the problem analysis triangle,
the community concern with the priority score and its arithmetic, the pinned evidence and the
best practices suggested for the card.

The score, its explanation and the suggestions all come from ``portrait.records``; these
widgets only gather the officer's choices and show the results, refreshed as they type.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from portrait.calls.repeat_evidence import is_repeat_calls, repeat_calls_text
from portrait.records import (
    SIDES,
    CommunityConcern,
    PinnedEvidence,
    PriorityInputs,
    ProblemTriangle,
    Suggestion,
    TriangleSide,
)
from portrait.records.priority import CONCERN_LEVELS, score_priority
from portrait.records.problems import CONTROLLER_LEVELS
from ui.records.strings import RecordText
from ui.records.widgets import choice_combo, discard, set_combo, top_form


class TriangleSideWidget(QGroupBox):
    """One side of the triangle: what is known, its controller, what the controller does or
    fails to do, and how well."""

    changed = Signal()

    def __init__(self, side: str, text: RecordText, parent: QWidget | None = None):
        super().__init__(text.choice("side", side), parent)
        self.setObjectName(f"side_{side}")
        self.known_edit = QPlainTextEdit(self)
        self.known_edit.setObjectName(f"{side}_known")
        self.known_edit.setPlaceholderText(text(f"side_known_{side}"))
        self.known_edit.setMaximumHeight(58)
        self.controller_edit = QLineEdit(self)
        self.controller_edit.setObjectName(f"{side}_controller")
        self.controller_edit.setPlaceholderText(text(f"side_controller_{side}"))
        self.action_edit = QPlainTextEdit(self)
        self.action_edit.setObjectName(f"{side}_action")
        self.action_edit.setPlaceholderText(text("side_action_placeholder"))
        self.action_edit.setMaximumHeight(58)
        self.level_combo = choice_combo(self, f"{side}_level", text, "level", CONTROLLER_LEVELS)
        set_combo(self.level_combo, TriangleSide().controller_level)  # not judged yet
        form = top_form(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # fields full width
        form.addRow(text("side_known"), self.known_edit)
        form.addRow(text("side_controller", role=text.choice("controller", side)),
                    self.controller_edit)
        form.addRow(text("side_action"), self.action_edit)
        form.addRow(text("side_level"), self.level_combo)
        self.level_combo.currentIndexChanged.connect(self.changed)

    def set_side(self, side: TriangleSide) -> None:
        self.known_edit.setPlainText(side.known)
        self.controller_edit.setText(side.controller)
        self.action_edit.setPlainText(side.controller_action)
        set_combo(self.level_combo, side.controller_level)

    def side(self) -> TriangleSide:
        return TriangleSide(known=self.known_edit.toPlainText(),
                            controller=self.controller_edit.text(),
                            controller_action=self.action_edit.toPlainText(),
                            controller_level=self.level_combo.currentData())


class TriangleWidget(QWidget):
    """Offender, target/victim and place, side by side, and the weakest side(s)."""

    changed = Signal()

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.sides = {side: TriangleSideWidget(side, text, self) for side in SIDES}
        intro = QLabel(text("triangle_intro"), self)
        intro.setWordWrap(True)
        self.weakest_label = QLabel(self)
        self.weakest_label.setObjectName("weakest_sides")
        row = QHBoxLayout()
        for widget in self.sides.values():
            row.addWidget(widget, 1)
            widget.changed.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.weakest_label)
        layout.addStretch(1)
        self._changed()

    def set_triangle(self, triangle: ProblemTriangle) -> None:
        for side, widget in self.sides.items():
            widget.set_side(triangle.side(side))
        self._changed()

    def triangle(self) -> ProblemTriangle:
        return ProblemTriangle(**{side: widget.side() for side, widget in self.sides.items()})

    def _changed(self) -> None:
        levels = {side: w.level_combo.currentData() for side, w in self.sides.items()}
        weakest = ProblemTriangle(**{s: TriangleSide(controller_level=v)
                                     for s, v in levels.items()}).weakest_sides()
        names = ", ".join(self.text.choice("side", s) for s in weakest)
        self.weakest_label.setText(self.text("triangle_weakest", sides=names) if weakest
                                   else self.text("triangle_not_assessed"))
        self.changed.emit()


class PriorityWidget(QWidget):
    """The community concern, the severity rating, the counted incidents and the priority
    score with its arithmetic (``PriorityScore.explain``)."""

    changed = Signal()
    count_requested = Signal()

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self._inputs = PriorityInputs()
        self._sources: tuple = ()
        self._category = ""
        self.concern_combo = choice_combo(self, "concern_level", text, "concern", CONCERN_LEVELS)
        self.sources_label = QLabel(self)
        self.sources_label.setObjectName("concern_sources")
        self.sources_label.setWordWrap(True)
        self.severity_combo = QComboBox(self)
        self.severity_combo.setObjectName("severity")
        self.severity_combo.addItem(text("severity_default"), None)
        for value in range(4):
            self.severity_combo.addItem(text(f"severity_{value}"), value)
        self.severity_note = QLineEdit(self)
        self.severity_note.setObjectName("severity_note")
        self.severity_note.setPlaceholderText(text("severity_note_placeholder"))
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("priority_counts")
        self.counts_label.setWordWrap(True)
        self.count_button = QPushButton(text("button_count_incidents"), self)
        self.count_button.setObjectName("count_incidents")
        self.count_button.setToolTip(text("count_incidents_tip"))
        self.score_label = QLabel(self)
        self.score_label.setObjectName("priority_score")
        self.score_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.explain_edit = QPlainTextEdit(self)
        self.explain_edit.setObjectName("priority_explain")
        self.explain_edit.setReadOnly(True)
        counts = QHBoxLayout()
        counts.addWidget(self.counts_label, 1)
        counts.addWidget(self.count_button)
        form = QFormLayout()
        form.addRow(text("field_concern"), self.concern_combo)
        form.addRow(text("field_concern_sources"), self.sources_label)
        form.addRow(text("field_severity"), self.severity_combo)
        form.addRow(text("field_severity_note"), self.severity_note)
        form.addRow(text("field_counts"), counts)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.score_label)
        layout.addWidget(QLabel(text("priority_explain_caption"), self))
        layout.addWidget(self.explain_edit, 1)
        self.concern_combo.currentIndexChanged.connect(self._changed)
        self.severity_combo.currentIndexChanged.connect(self._changed)
        self.severity_note.textChanged.connect(self._changed)
        self.count_button.clicked.connect(self.count_requested)

    def set_values(self, concern: CommunityConcern, inputs: PriorityInputs) -> None:
        self._sources = concern.sources
        self._inputs = inputs
        set_combo(self.concern_combo, concern.level)
        set_combo(self.severity_combo, inputs.severity)
        self.severity_note.setText(inputs.severity_note)
        kinds = [self.text.choice("concern_source", s.kind) + (f" — {s.summary}" if s.summary
                                                               else "") for s in concern.sources]
        self.sources_label.setText("\n".join(kinds) or self.text("concern_no_source"))
        self._changed()

    def set_counts(self, inputs: PriorityInputs) -> None:
        """Counts measured from the incidents (the officer's severity rating is kept)."""
        self._inputs = PriorityInputs(
            incident_count=inputs.incident_count, period_days=inputs.period_days,
            previous_count=inputs.previous_count, counted_at=inputs.counted_at,
            radius_m=inputs.radius_m)
        self._changed()

    def set_category(self, category: str) -> None:
        self._category = category
        self._changed()

    def concern(self) -> CommunityConcern:
        return CommunityConcern(level=self.concern_combo.currentData(), sources=self._sources)

    def inputs(self) -> PriorityInputs:
        i = self._inputs
        return PriorityInputs(incident_count=i.incident_count, period_days=i.period_days,
                              previous_count=i.previous_count,
                              severity=self.severity_combo.currentData(),
                              severity_note=self.severity_note.text(), counted_at=i.counted_at,
                              radius_m=i.radius_m)

    def _changed(self) -> None:
        inputs = self.inputs()
        if inputs.incident_count is None:
            self.counts_label.setText(self.text("counts_none"))
        else:
            self.counts_label.setText(self.text(
                "counts_text", count=inputs.incident_count, days=inputs.period_days,
                previous=inputs.previous_count if inputs.previous_count is not None else "?",
                at=self.text.date_time(inputs.counted_at) if inputs.counted_at else "—"))
        score = score_priority(inputs, self.concern_combo.currentData(), self._category)
        self.score_label.setText(self.text("priority_score", score=score.out_of_100,
                                           total=self.text.decimal(score.total)))
        self.explain_edit.setPlainText(score.explain(self.text.language))
        self.changed.emit()


class EvidenceWidget(QScrollArea):
    """Pinned evidence as read-only cards: the values as they were frozen, and when."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.setWidgetResizable(True)
        self.setObjectName("evidence_cards")
        self._inner = QWidget(self)
        self._layout = QVBoxLayout(self._inner)
        self.setWidget(self._inner)
        self.cards: list[QFrame] = []
        self._shown: list[QWidget] = []

    def set_evidence(self, items: Iterable[PinnedEvidence]) -> None:
        for widget in self._shown:
            discard(widget)
        self.cards, self._shown = [], []
        while self._layout.count():
            self._layout.takeAt(0)
        for item in items:
            card = QFrame(self._inner)
            card.setObjectName("evidence_card")
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card.setStyleSheet("QFrame#evidence_card { background: #f6f8fb; "
                               "border: 1px solid #c5d0de; border-radius: 4px; }")
            label = QLabel(self._card_html(item), card)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner = QVBoxLayout(card)
            inner.addWidget(label)
            self._layout.addWidget(card)
            self.cards.append(card)
        self._shown = list(self.cards)
        if not self.cards:
            empty = QLabel(self.text("evidence_empty"), self._inner)
            empty.setWordWrap(True)
            self._layout.addWidget(empty)
            self._shown.append(empty)
        self._layout.addStretch(1)

    def _card_html(self, item: PinnedEvidence) -> str:
        t = self.text
        lines = [f"<b>{html.escape(item.label(t.language))}</b> "
                 f"<span style='color:#555'>({html.escape(t.choice('evidence', item.kind))})"
                 "</span>"]
        if is_repeat_calls(item):
            lines.append(html.escape(repeat_calls_text(item, t.language)))
        elif item.value is not None:
            value = f"{t.decimal(item.value)} {html.escape(item.unit)}".strip()
            if item.interval and item.interval.get("low") is not None:
                value += " " + t("evidence_interval", low=t.decimal(item.interval["low"]),
                                 high=t.decimal(item.interval.get("high", 0) or 0))
            lines.append(t("evidence_value", value=value))
        if item.period and not is_repeat_calls(item):  # repeat calls say it in words
            lines.append(t("evidence_period", period=html.escape(item.period)))
        if item.source:
            lines.append(t("evidence_source", source=html.escape(item.source)))
        if item.note:
            lines.append(html.escape(item.note))
        pinned = t("evidence_pinned", by=item.pinned_by, at=t.date_time(item.pinned_at))
        lines.append(f"<span style='color:#555'>{html.escape(pinned)}</span>")
        return "<br>".join(lines)


class SuggestionsWidget(QListWidget):
    """Best practices fitting the card (``suggestions``), best first, with the reasons."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.setObjectName("suggestions")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def set_suggestions(self, found: Iterable[Suggestion]) -> None:
        self.clear()
        language = self.text.language
        for suggestion in found:
            practice = suggestion.practice
            item = QListWidgetItem(f"{practice.name(language)}\n    "
                                   f"{self.text.suggestion_reasons(suggestion)}", self)
            item.setData(Qt.ItemDataRole.UserRole, practice.practice_id)
            item.setToolTip(practice.evidence(language))
        if not self.count():
            QListWidgetItem(self.text("suggestions_none"), self)
