"""The side panel of the map: the figures of what the officer clicked, and where a new
problem card can start.

Each figure comes with its definition, source and period (``ui.info_popup.figure_rows``), the
same words the portrait's cards use, so a number read beside the map can be checked on the
spot. The panel only asks for a problem card (``problemRequested`` with a
``portrait.records.problems.Location`` in the workspace's metric CRS); opening the card is
the window's business.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from exports.map_locations import LOCATABLE_KINDS, clicked_location
from exports.map_portrait_layers import FeatureFigures, feature_figures
from portrait.errors import PortraitError
from portrait.portrait_model import IndicatorValue, Portrait
from portrait.workspace import Workspace
from ui.figure_text import FigureText
from ui.info_popup import figure_rows
from ui.strings import UiText

#: Kinds whose figures come from the station's portrait (not there while it is computed).
PORTRAIT_KINDS = ("census_area", "hot_spot")


@dataclass(frozen=True)
class Click:
    """One click on the map, kept to redraw the panel in another language."""

    workspace: Workspace
    portrait: Portrait | None
    kind: str
    feature_id: str
    latitude: float
    longitude: float


class MapSideDock(QDockWidget):
    """A dock beside the map; ``show_click`` fills it, its button asks for a problem card."""

    problemRequested = Signal(object)

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("map_side_dock")
        self.text = text
        self.click: Click | None = None
        self.figures: FeatureFigures | None = None
        self.title = QLabel(self)
        self.title.setObjectName("map_side_heading")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.body = QTextBrowser(self)
        self.body.setObjectName("map_side_body")
        self.body.setOpenLinks(False)
        self.problem_button = QPushButton(self)
        self.problem_button.setObjectName("map_side_new_problem")
        self.problem_button.clicked.connect(self._ask_problem)
        # A click identifies the area under the pointer; a card may still start at the
        # exact spot (a corner, a doorway) rather than on the whole area.
        self.point_button = QPushButton(self)
        self.point_button.setObjectName("map_side_new_problem_point")
        self.point_button.clicked.connect(self._ask_point_problem)
        self.error = QLabel(self)
        self.error.setObjectName("map_side_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a50f15;")
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.problem_button)
        layout.addWidget(self.point_button)
        layout.addWidget(self.error)
        self.setWidget(content)
        self.retranslate(text)

    def show_click(self, workspace: Workspace, portrait: Portrait | None,
                   station_id: str | None, kind: str, feature_id: str, latitude: float,
                   longitude: float) -> None:
        """Show the figures of the clicked feature (or the clicked point) of the map of
        ``station_id``; a portrait of another station (the new one is being computed) is
        not used: its figures would be the wrong station's."""
        if portrait is not None and portrait.station_id != station_id:
            portrait = None
        self.click = Click(workspace, portrait, kind, feature_id, latitude, longitude)
        self.figures = None if kind == "point" else feature_figures(portrait, workspace, kind,
                                                                     feature_id)
        self.error.clear()
        self._render()
        self.show()
        self.raise_()

    def retranslate(self, text: UiText) -> None:
        self.text = text
        self.setWindowTitle(text("map_side_title"))
        self.problem_button.setText(text("map_side_new_problem"))
        self.point_button.setText(text("map_side_new_problem_point"))
        self._render()

    def shown_text(self) -> str:
        """What the panel says, as plain text (for tests and screen readers)."""
        return f"{self.title.text()}\n{self.body.toPlainText()}"

    # --- inside ---------------------------------------------------------------------------
    def _render(self) -> None:
        text, click = self.text, self.click
        self.problem_button.setVisible(click is not None and click.kind in LOCATABLE_KINDS)
        self.point_button.setVisible(click is not None and click.kind != "point"
                                     and click.kind in LOCATABLE_KINDS)
        if click is None:
            self.title.setText("")
            self.body.setPlainText(text("map_side_hint"))
        elif click.kind == "point":
            fmt = FigureText(text)
            self.title.setText(text("map_side_point"))
            self.body.setPlainText(text("map_side_point_text",
                                        lat=fmt.number(click.latitude, 5),
                                        lon=fmt.number(click.longitude, 5)))
        elif self.figures is None:
            waiting = click.portrait is None and click.kind in PORTRAIT_KINDS
            self.title.setText(click.feature_id)
            self.body.setPlainText(text("map_side_loading" if waiting else "map_side_unknown"))
        else:
            self.title.setText(self.figures.title_fr if text.language == "fr"
                               else self.figures.title_en)
            self.body.setHtml(_figures_html(self.figures.figures, FigureText(text)))

    @Slot()
    def _ask_problem(self) -> None:
        self._request(self.click)

    @Slot()
    def _ask_point_problem(self) -> None:
        click = self.click
        self._request(replace(click, kind="point", feature_id="")
                      if click is not None else None)

    def _request(self, click: Click | None) -> None:
        if click is None:
            return
        try:
            location = clicked_location(click.workspace, click.portrait, click.kind,
                                        click.feature_id, click.latitude, click.longitude)
        except PortraitError as error:
            failed = self.text("map_side_problem_failed")
            self.error.setText(f"{failed}{_colon(self.text.language)}{error}")
            return
        self.error.clear()
        self.problemRequested.emit(location)


def _figures_html(figures: list[IndicatorValue], fmt: FigureText) -> str:
    """Each figure's label and value, then its definition, source and period in small type."""
    parts = []
    for item in figures:
        shown = item.context.get(f"text_{fmt.language}") or (
            fmt.p_value(item.value) if item.unit == "p" else
            fmt.value_with_unit(item.value, item.unit))
        colon = _colon(fmt.language)
        rows = "".join(f"<div style='color:#555;font-size:small'>{html.escape(name)}{colon}"
                       f"{html.escape(value)}</div>"
                       for name, value in figure_rows(item, fmt) if value)
        parts.append(f"<p><b>{html.escape(fmt.label(item))}</b><br>"
                     f"<span style='font-size:large'>{html.escape(shown)}</span>{rows}</p>")
    return "".join(parts)


def _colon(language: str) -> str:
    """French puts a (non-breaking) space before a colon."""
    return "\u00a0: " if language == "fr" else ": "
