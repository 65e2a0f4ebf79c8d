"""Small widgets the record panels and forms share.

An optional date (many record dates may stay empty), a list of checkable records (partners
involved, problems raised), lines of free text, inline error labels, the "confidentiel"
badge put beside personal information, clickable links to other records, and the switch that
makes a form read-only in review mode (fields still readable, nothing editable).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, QSize, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.records.strings import RecordText

CONFIDENTIAL_COLOUR = "#b00020"
ERROR_STYLE = f"color: {CONFIDENTIAL_COLOUR};"
BADGE_STYLE = (f"background: {CONFIDENTIAL_COLOUR}; color: white; border-radius: 3px; "
               "padding: 1px 5px; font-size: 8pt; font-weight: bold;")
SHAREABLE_STYLE = ("background: #2e7d32; color: white; border-radius: 3px; padding: 1px 5px; "
                   "font-size: 8pt; font-weight: bold;")


def error_label(parent: QWidget, name: str = "") -> QLabel:
    """A red label under a field, hidden while it has nothing to say."""
    label = QLabel(parent)
    label.setObjectName(f"error_{name}" if name else "error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def discard(widget: QWidget) -> None:
    """Take ``widget`` out of the window now and delete it later (``deleteLater`` alone
    leaves it among its parent's children, with its old words, until the event loop runs)."""
    widget.hide()
    widget.setParent(None)  # type: ignore[call-overload]
    widget.deleteLater()


def set_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def top_form(parent: QWidget) -> QFormLayout:
    """A form layout at the top of ``parent``, its rows kept together (the space left over
    goes below the form, not between its rows)."""
    outer = QVBoxLayout(parent)
    form = QFormLayout()
    outer.addLayout(form)
    outer.addStretch(1)
    return form


def with_error(field: QWidget, error: QLabel) -> QWidget:
    """``field`` with its error label under it, as one widget for a form row."""
    box = QWidget(field.parentWidget())
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


def confidential_badge(text: RecordText, parent: QWidget) -> QLabel:
    """The red "CONFIDENTIEL" badge: personal information, never exported."""
    badge = QLabel(text("badge_confidential"), parent)
    badge.setObjectName("confidential_badge")
    badge.setStyleSheet(BADGE_STYLE)
    badge.setToolTip(text("badge_confidential_tip"))
    return badge


def badged(field: QWidget, badge: QLabel) -> QWidget:
    """``field`` followed by ``badge`` on one line."""
    box = QWidget(field.parentWidget())
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
    return box


class OptionalDateWidget(QWidget):
    """A date that may be left empty: a check box turns the date on."""

    changed = Signal()

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(self)
        self.check.setToolTip(text("date_optional_tip"))
        self.edit = date_edit(self, "")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def date(self) -> dt.date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_date(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class CheckListWidget(QListWidget):
    """Records to tick (partners involved, problems raised): ``checked_ids`` in list order."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setMaximumHeight(130)

    def set_choices(self, choices: Iterable[tuple[str, str]], checked: Iterable[str] = ()
                    ) -> None:
        wanted = set(checked)
        self.clear()
        for item_id, label in choices:
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if item_id in wanted
                               else Qt.CheckState.Unchecked)

    def checked_ids(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_checked(self, item_id: str, checked: bool = True) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == item_id:
                self.item(i).setCheckState(Qt.CheckState.Checked if checked
                                           else Qt.CheckState.Unchecked)


def lines_edit(parent: QWidget, placeholder: str, height: int = 70) -> QPlainTextEdit:
    """A box for a list of short texts, one per line (topics, decisions, participants)."""
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(height)
    return edit


def lines_of(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


def set_lines(edit: QPlainTextEdit, lines: Iterable[str]) -> None:
    edit.setPlainText("\n".join(lines))


def choice_combo(parent: QWidget, name: str, text: RecordText, group: str,
                 values: Iterable[str]) -> QComboBox:
    """A drop-down of ``values`` shown in the officer's language (``text.choice``)."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for value in values:
        combo.addItem(text.choice(group, value), value)
    return combo


def date_range(parent: QWidget, start_label: str, start: QWidget, end_label: str,
               end: QWidget) -> QWidget:
    """"From [date] to [date]" on one line, the two dates sharing the width."""
    box = QWidget(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(start_label, box))
    layout.addWidget(start, 1)
    layout.addWidget(QLabel(end_label, box))
    layout.addWidget(end, 1)
    return box


def date_edit(parent: QWidget, name: str) -> QDateEdit:
    """A date typed or picked in a calendar, shown as 2026-05-31."""
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def set_combo(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (left as is when there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class LinksWidget(QWidget):
    """Sections of clickable record names; a click emits ``navigate(kind, record_id)``."""

    navigate = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._labels: list[QLabel] = []

    def set_sections(self, sections: Iterable[tuple[str, str, list[tuple[str, str]]]],
                     empty: str | Callable[[str], str]) -> None:
        """``sections``: (caption, kind, [(record_id, name)]); ``empty`` (or ``empty(kind)``,
        for words that agree with the kind) shown under a caption with no link."""
        for label in self._labels:
            discard(label)
        self._labels = []
        for caption, kind, links in sections:
            items = "".join(f'<li><a href="{kind}:{html.escape(record_id)}">'
                            f"{html.escape(name)}</a></li>" for record_id, name in links)
            body = f"<ul style='margin:0'>{items}</ul>" if links else \
                f"<p style='margin:0 0 0 12px; color:#666'>" \
                f"{html.escape(empty(kind) if callable(empty) else empty)}</p>"
            label = QLabel(f"<b>{html.escape(caption)}</b>{body}", self)
            label.setObjectName(f"links_{kind}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.linkActivated.connect(self._clicked)
            self._layout.addWidget(label)
            self._labels.append(label)

    def link_count(self, kind: str) -> int:
        return sum(label.text().count(f'href="{kind}:') for label in self._labels)

    def click(self, kind: str, record_id: str) -> None:
        """Follow a link as a click would (for keyboard users and tests)."""
        self._clicked(f"{kind}:{record_id}")

    @Slot(str)
    def _clicked(self, link: str) -> None:
        kind, _, record_id = link.partition(":")
        self.navigate.emit(kind, record_id)


def make_read_only(root: QWidget, keep: Iterable[QWidget] = ()) -> None:
    """Fields of ``root`` readable but not editable (review mode); ``keep`` stays usable."""
    kept = set(keep)
    for widget in root.findChildren(QWidget):
        if widget in kept or any(k.isAncestorOf(widget) for k in kept):
            continue
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            widget.setReadOnly(True)
        elif isinstance(widget, QAbstractSpinBox):
            widget.setReadOnly(True)
        elif isinstance(widget, QComboBox | QCheckBox):
            widget.setEnabled(False)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            if isinstance(widget, CheckListWidget):
                widget.setEnabled(False)
        elif isinstance(widget, QAbstractButton) and not isinstance(
                widget.parentWidget(), QDialogButtonBox | QTabBar):
            widget.setEnabled(False)


class ResponsiveSplitter(QSplitter):
    """Side by side when there is room, one above the other when not: at 1366 × 768 a panel
    beside the map is too narrow for a list and a detail pane side by side, and the officer
    had to drag the splitter in every section to read the details."""

    #: Narrower than this, the detail pane goes under the list.
    SIDE_BY_SIDE_MIN_WIDTH = 760

    def minimumSizeHint(self) -> QSize:  # noqa: N802  (Qt's name)
        """What the panes need one above the other: a scroll area around the panel must
        not widen it to fit them side by side, or it would never get narrow enough to
        stack them."""
        hints = [self.widget(i).minimumSizeHint() for i in range(self.count())]
        return QSize(max((h.width() for h in hints), default=0),
                     sum(h.height() for h in hints) + self.handleWidth() * (len(hints) - 1))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt's name)
        wanted = (Qt.Orientation.Horizontal if event.size().width() >= self.SIDE_BY_SIDE_MIN_WIDTH
                  else Qt.Orientation.Vertical)
        if wanted != self.orientation():
            self.setOrientation(wanted)
        super().resizeEvent(event)


def list_and_detail(parent: QWidget, left: QWidget, detail: QWidget) -> QSplitter:
    """The list on the left, the selected record's details on the right (scrolling down,
    never sideways, so long names wrap), both kept readable when the window narrows: then
    the details go under the list."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(detail)
    scroll.setMinimumWidth(300)
    splitter = ResponsiveSplitter(parent)
    splitter.addWidget(left)
    splitter.addWidget(scroll)
    splitter.setChildrenCollapsible(False)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setSizes([600, 400])
    return splitter


def push_button(text: str, parent: QWidget, name: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    return button


def row_of(*buttons: QWidget) -> QHBoxLayout:
    """Widgets side by side from the left (the space left over on the right)."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def stacked(parent: QWidget, *parts: QWidget | QLayout, margins: bool = True,
            stretch: int | None = None) -> QWidget:
    """``parts`` one under the other in a new widget; ``stretch``: the index of the part that
    takes the height left over (None: the space left goes below the last part)."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    if not margins:
        layout.setContentsMargins(0, 0, 0, 0)
    for index, part in enumerate(parts):
        factor = 1 if index == stretch else 0
        if isinstance(part, QLayout):
            layout.addLayout(part, factor)
        else:
            layout.addWidget(part, factor)
    if stretch is None:
        layout.addStretch(1)
    return box


def title_label(parent: QWidget, name: str) -> QLabel:
    """The selected record's name, large and bold, above its details."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setStyleSheet("font-size: 13pt; font-weight: bold;")
    label.setWordWrap(True)
    return label


def rich_label(parent: QWidget, name: str) -> QLabel:
    """A wrapping label showing HTML (tables of fields, lists)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


def parse_number(value: str) -> float | None:
    """A number typed the French or English way ("12,5", "1 234.5"); None when empty.

    Raises ``ValueError`` when the text is not a number.
    """
    text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    number = float(text.replace(",", ""))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if float(value).is_integer() else str(value)
