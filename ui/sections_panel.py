"""The section navigator: a list of the portrait's sections beside the page of the chosen one.

Four pages come from the portrait (population, crime and safety, services, surveys); the
other four are the station's records, whose panels are set by ``set_record_page`` and which
say they are not yet available until then. A page is built only when it is first shown for
a portrait, so a new portrait costs the GUI thread one page, not eight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from portrait.portrait_model import Portrait
from ui.figure_text import FigureText
from ui.section_page import PORTRAIT_PAGES, SectionPageWidget
from ui.strings import UiText

if TYPE_CHECKING:
    from ui.records.pages import RecordPages

RECORD_SECTIONS = ("problems", "partners", "action_plan", "best_practices")
SECTION_IDS = (*PORTRAIT_PAGES, *RECORD_SECTIONS)
NAVIGATOR_WIDTH = 210
#: Property of the pages this panel made (and deletes when replaced); record panels are not.
OWNED = "made_by_sections_panel"


class SectionsPanel(QWidget):
    """Navigator and pages; ``sectionChanged(section_id)`` when another section is chosen."""

    sectionChanged = Signal(str)

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.portrait: Portrait | None = None
        self.navigator = QListWidget(self)
        self.navigator.setObjectName("section_navigator")
        self.navigator.setFixedWidth(NAVIGATOR_WIDTH)
        self.navigator.setWordWrap(True)
        self.navigator.setStyleSheet("QListWidget::item { padding: 5px 4px; }")
        self.header = QLabel(self)
        self.header.setObjectName("sections_header")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 14px; font-weight: 700;")
        self.message = QLabel(self)
        self.message.setObjectName("sections_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #5c4700; padding: 4px;")
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.message.setVisible(False)
        self.stack = QStackedWidget(self)
        self._containers: dict[str, QWidget] = {}
        self._content: dict[str, QWidget] = {}
        self._record_pages: dict[str, QWidget] = {}
        #: The window's records, which the call demand page pins places to.
        self.records: RecordPages | None = None
        for section_id in SECTION_IDS:
            item = QListWidgetItem(self.navigator)
            item.setData(Qt.ItemDataRole.UserRole, section_id)
            container = QWidget(self.stack)
            QVBoxLayout(container).setContentsMargins(0, 0, 0, 0)
            self._containers[section_id] = container
            self.stack.addWidget(container)
        page_side = QVBoxLayout()
        page_side.addWidget(self.header)
        page_side.addWidget(self.message)
        page_side.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.navigator)
        row.addLayout(page_side, 1)
        layout.addLayout(row)
        self.navigator.currentRowChanged.connect(self._row_changed)
        self.navigator.setCurrentRow(0)
        self.retranslate(text)

    # --- what is shown ------------------------------------------------------------------
    def show_portrait(self, portrait: Portrait) -> None:
        """Show ``portrait``: its header, and the current page rebuilt (others on demand)."""
        self.portrait = portrait
        self.message.clear()
        self.message.setVisible(False)
        self._drop_portrait_pages()
        self._show_header()
        self._ensure_page(self.current_section())

    def show_message(self, message: str, keep_portrait: bool = False) -> None:
        """A sentence above the pages (building, failed, no workspace); unless
        ``keep_portrait``, the portrait's pages are emptied."""
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if not keep_portrait:
            self.portrait = None
            self.header.clear()
            self._drop_portrait_pages()

    def set_record_page(self, section_id: str, widget: QWidget | None) -> None:
        """Show ``widget`` as the page of a record section (None: "not yet available")."""
        if section_id not in RECORD_SECTIONS:
            raise KeyError(section_id)
        self._record_pages.pop(section_id, None)
        if widget is not None:
            self._record_pages[section_id] = widget
        self._set_content(section_id, _scrolling(widget) if widget is not None
                          else self._not_available())

    def select_section(self, section_id: str) -> None:
        self.navigator.setCurrentRow(SECTION_IDS.index(section_id))

    def current_section(self) -> str:
        return SECTION_IDS[max(self.navigator.currentRow(), 0)]

    def page(self, section_id: str) -> QWidget | None:
        """The page of ``section_id`` (built now if needed), or None when there is none."""
        self._ensure_page(section_id)
        return self._record_pages.get(section_id) or self._content.get(section_id)

    def retranslate(self, text: UiText) -> None:
        self.text = text
        for row, section_id in enumerate(SECTION_IDS):
            self.navigator.item(row).setText(text(f"section_{section_id}"))
        self.navigator.setToolTip(text("sections_title"))
        for section_id in RECORD_SECTIONS:
            if section_id not in self._record_pages:
                self._set_content(section_id, self._not_available())
        if self.portrait is not None:
            self.show_portrait(self.portrait)

    # --- pages --------------------------------------------------------------------------
    def _show_header(self) -> None:
        portrait = self.portrait
        fmt = FigureText(self.text)
        period = fmt.period(portrait.period) if portrait.period else \
            self.text("sections_all_data")
        self.header.setText(self.text("sections_header", station=portrait.station_name,
                                      period=period))

    def _ensure_page(self, section_id: str) -> None:
        if section_id not in PORTRAIT_PAGES or section_id in self._content or \
                self.portrait is None:
            return
        sections = [s for s in self.portrait.sections if s.id in PORTRAIT_PAGES[section_id]]
        sections.sort(key=lambda s: PORTRAIT_PAGES[section_id].index(s.id))
        page = SectionPageWidget(sections, FigureText(self.text), records=self.records,
                                 parameters=self.portrait.parameters)
        page.setProperty(OWNED, True)
        self._set_content(section_id, page)

    def _drop_portrait_pages(self) -> None:
        for section_id in PORTRAIT_PAGES:
            page = self._content.pop(section_id, None)
            if page is not None:
                page.setParent(None)
                page.deleteLater()  # always made here

    def _set_content(self, section_id: str, widget: QWidget) -> None:
        """Show ``widget`` as the section's page; the page it replaces is deleted if this
        panel made it, or only taken out if it is a record panel (its owner keeps it)."""
        old = self._content.get(section_id)
        if old is widget:
            return
        if old is not None:
            old.setParent(None)
            if isinstance(old, QScrollArea) and old.property(OWNED):
                old.takeWidget().setParent(None)  # a record panel: its owner keeps it
            if old.property(OWNED):
                old.deleteLater()
        self._content[section_id] = widget
        self._containers[section_id].layout().addWidget(widget)

    def _not_available(self) -> QLabel:
        label = QLabel(self.text("section_not_available"))
        label.setObjectName("section_not_available")
        label.setProperty(OWNED, True)
        label.setWordWrap(True)
        label.setMargin(16)
        label.setStyleSheet("color: #555;")
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    @Slot(int)
    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        section_id = SECTION_IDS[row]
        self._ensure_page(section_id)
        self.stack.setCurrentIndex(row)
        self.sectionChanged.emit(section_id)


def _scrolling(page: QWidget) -> QScrollArea:
    """A record panel in a scroll area: its forms and lists need more width than a narrow
    window leaves beside the map, and the window must still be able to shrink."""
    area = QScrollArea()
    area.setProperty(OWNED, True)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area
