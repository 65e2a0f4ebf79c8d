"""A figure's definition, source, period and caveats, one click away from the number.

Officers quote these figures in meetings with partners; "where does this come from?" must have
an answer on the spot, not in a manual. The popup closes on the next click elsewhere (a Qt
popup), like a tooltip that can be read at leisure and copied from.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from portrait.portrait_model import IndicatorValue
from portrait.wording import in_language
from ui.figure_text import FigureText

POPUP_WIDTH = 420


class InfoPopupWidget(QFrame):
    """The facts behind one figure, or behind a table or chart (``title``/``lines``)."""

    def __init__(self, title: str, rows: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("info_popup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#info_popup { background: #fffef6; border: 1px solid #b9b08a; }")
        self.title_label = QLabel(f"<b>{html.escape(title)}</b>", self)
        self.title_label.setWordWrap(True)
        body = "".join(f"<p style='margin:4px 0'><b>{html.escape(name)}</b><br>"
                       f"{html.escape(value).replace(chr(10), '<br>')}</p>"
                       for name, value in rows if value)
        self.body_label = QLabel(body, self)
        self.body_label.setObjectName("info_body")
        self.body_label.setWordWrap(True)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label)
        self.setFixedWidth(POPUP_WIDTH)

    def text(self) -> str:
        """Everything the popup says, as plain text (for tests and copying)."""
        return f"{self.title_label.text()}\n{self.body_label.text()}"

    def show_below(self, anchor: QWidget) -> None:
        """Open under ``anchor``, kept on its screen, tall enough for its wrapped text
        (``adjustSize`` measures wrapped labels at another width and cut the last lines)."""
        self.resize(POPUP_WIDTH, self.layout().totalHeightForWidth(POPUP_WIDTH))
        point = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        if screen is not None:
            point.setX(max(screen.left(), min(point.x(), screen.right() - self.width())))
            if point.y() + self.height() > screen.bottom():
                point.setY(max(screen.top(), anchor.mapToGlobal(QPoint(0, 0)).y()
                               - self.height()))
        self.move(point)
        self.show()


def figure_rows(item: IndicatorValue, fmt: FigureText) -> list[tuple[str, str]]:
    """The popup's rows for a portrait figure: definition, source, period, method, caveats."""
    text = fmt.text
    vintage = item.vintage if item.vintage and item.vintage != item.period else ""
    return [
        (text("info_definition"), fmt.definition(item)),
        (text("info_source"), in_language(item.source, fmt.language)),
        (text("info_period"), fmt.period(item.period)),
        (text("info_vintage"), fmt.period(vintage)),
        (text("info_method"), "\n".join(fmt.method(item.test, item.interval))),
        (text("info_caveats"), "\n".join(f"• {fmt.reason(c)}" for c in item.caveats)),
        (text("info_reason"), fmt.reason(item.reason)),
    ]


def show_figure_info(item: IndicatorValue, fmt: FigureText, anchor: QWidget
                     ) -> InfoPopupWidget:
    popup = InfoPopupWidget(fmt.label(item), figure_rows(item, fmt), anchor)
    popup.show_below(anchor)
    return popup


def show_info(title: str, rows: list[tuple[str, str]], anchor: QWidget) -> InfoPopupWidget:
    popup = InfoPopupWidget(title, rows, anchor)
    popup.show_below(anchor)
    return popup
