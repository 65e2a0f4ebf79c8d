"""The review panel: comments and "reviewed" marks on the map section being shown.

In review mode (a commander reading an officer's workspace) the panel lets the reviewer write
a comment on the current section and mark it reviewed; ``portrait.review.ReviewSession``
writes each item to the file at once, on the panel's background runner, so the window never
waits on a large file. Outside review mode the panel only lists the comments received.

The commander also approves the station's brief here: the approval is bound to the portrait
being read (``exports.brief_signoff``) and signed with the name and role of the preferences.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.brief_signoff import approve_portrait, is_approved, portrait_digest
from portrait.portrait_model import Portrait
from portrait.review import ReviewItem, ReviewSession, review_items, reviewed_mark
from portrait.signoff import Approval
from portrait.workspace import Workspace
from ui.error_dialog import ErrorDialog, show_error
from ui.strings import UiText
from ui.worker import QtJobRunner

log = logging.getLogger(__name__)


class ReviewPanel(QWidget):
    """Lists review items (newest first) and, in review mode, adds new ones.

    ``saved(item)`` fires once an item is in the file, ``failed(error)`` when it could not be
    written (the file is then unchanged and the text stays in the box to try again).
    """

    saved = Signal(object)
    failed = Signal(object)

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("review_panel")
        self.text = text
        self.session: ReviewSession | None = None
        self.workspace: Workspace | None = None
        self.target: tuple[str, str, str] | None = None
        self.portrait: Portrait | None = None
        self._digest: str | None = None
        self.approver: tuple[str, str] = ("", "")
        self.error_dialog: ErrorDialog | None = None
        self._jobs = QtJobRunner(self)
        self._busy = False
        self._failure = "review_save_failed"

        self.section_label = QLabel(self)
        self.section_label.setObjectName("review_section")
        self.section_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("review_status")
        self.status_label.setWordWrap(True)
        self.list_caption = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("review_list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setStyleSheet(
            "QListWidget::item { padding: 6px 4px; border-bottom: 1px solid #d0d0d0; }")
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setObjectName("review_comment_edit")
        self.comment_edit.setMaximumHeight(110)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("review_add_button")
        self.mark_button = QPushButton(self)
        self.mark_button.setObjectName("review_mark_button")
        self.message = QLabel(self)
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        self.approval_label = QLabel(self)
        self.approval_label.setObjectName("review_approval")
        self.approval_label.setWordWrap(True)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("review_approve_button")

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.mark_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.section_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.comment_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addSpacing(6)
        layout.addWidget(self.approval_label)
        layout.addWidget(self.approve_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(6)
        layout.addWidget(self.list_caption)
        layout.addWidget(self.list, 1)

        self.add_button.clicked.connect(self.add_comment)
        self.mark_button.clicked.connect(self.mark_reviewed)
        self.approve_button.clicked.connect(self.approve)
        self.comment_edit.textChanged.connect(self._update_controls)
        self.retranslate(text)

    # --- state ------------------------------------------------------------------------------
    def set_source(self, workspace: Workspace | None, session: ReviewSession | None) -> None:
        """Show the items of ``workspace``; ``session`` (review mode) allows adding some."""
        self.workspace = workspace
        self.session = session
        self.portrait, self._digest = None, None  # a portrait of this workspace comes next
        for widget in (self.comment_edit, self.add_button, self.mark_button,
                       self.approve_button):
            widget.setVisible(session is not None)
        self.message.setText("")
        self.refresh()

    def set_target(self, target_kind: str, target_id: str, label: str) -> None:
        """The section the comments and marks are about (the map being shown)."""
        self.target = (target_kind, target_id, label)
        self.refresh()

    def set_brief(self, portrait: Portrait | None) -> None:
        """The portrait being read: what "Approve this station's brief" approves. In review
        mode its digest (the whole portrait and records as JSON: a moment on a large
        workspace) is worked out on the panel's runner, then the approval status shown."""
        self.portrait = portrait
        self._digest = None
        if portrait is not None and self.session is not None:
            self._jobs.start(functools.partial(_digest_of, self.session.workspace, portrait),
                             self._digest_ready, self._digest_failed)
        self.refresh()

    @Slot(object)
    def _digest_ready(self, result: tuple[Portrait, str]) -> None:
        portrait, digest = result
        if portrait is self.portrait:  # not a portrait replaced meanwhile
            self._digest = digest
            self.refresh()

    @Slot(object)
    def _digest_failed(self, error: BaseException) -> None:
        self.error_dialog = show_error(self, self.text("review_approve_failed"), error,
                                       self.text)

    def set_approver(self, name: str, role: str) -> None:
        """Who approves (the preferences' name and role, never the system login)."""
        self.approver = (name.strip(), role.strip())
        self.refresh()

    def items(self) -> list[ReviewItem]:
        if self.session is not None:
            return self.session.items()
        if self.workspace is not None:
            return review_items(self.workspace.layer("records"))
        return []

    def retranslate(self, text: UiText) -> None:
        self.text = text
        self.comment_edit.setPlaceholderText(text("review_placeholder"))
        self.add_button.setText(text("review_add"))
        self.mark_button.setText(text("review_mark"))
        self.list_caption.setText(text("review_list_caption"))
        self.approve_button.setText(text("review_approve"))
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        items = self.items()
        if self.target is None:
            self.section_label.setText(self.text("review_no_section"))
            self.status_label.setText("")
        else:
            kind, target_id, label = self.target
            self.section_label.setText(self.text("review_section", section=label))
            mark = reviewed_mark(items, kind, target_id)
            self.status_label.setText(
                self.text("review_marked", author=mark.author,
                          time=self.text.date_time(mark.created_at))
                if mark else self.text("review_not_marked"))
        self.list.clear()
        for item in reversed(items):
            self.list.addItem(self._list_item(item))
        if not items:
            self.list.addItem(QListWidgetItem(self.text("review_none")))
        self._show_approval()
        self._update_controls()

    def _show_approval(self) -> None:
        if self.portrait is None or self._digest is None or self.workspace is None:
            self.approval_label.setText("")
            return
        approval = is_approved(self.workspace, self.portrait.station_id, "portrait",
                               self._digest)
        if approval is not None:
            name = approval.approver + (f" ({approval.role})" if approval.role else "")
            shown = self.text("review_approved", name=name,
                              time=self.text.date_time(approval.approved_at))
        else:
            shown = self.text("review_not_approved")
            if self.session is not None and not self.approver[0]:
                shown += "\n" + self.text("review_approve_needs_name")
        self.approval_label.setText(shown)

    def _list_item(self, item: ReviewItem) -> QListWidgetItem:
        when = self.text.date_time(item.created_at)
        section = item.target_label or item.target_id
        if item.is_mark:
            body = self.text("review_item_mark", author=item.author, time=when,
                             section=section)
        else:
            body = self.text("review_item_comment", author=item.author, time=when,
                             section=section, comment=item.text)
        entry = QListWidgetItem(body)
        entry.setData(Qt.ItemDataRole.UserRole, item.record_id)
        entry.setToolTip(item.created_at)
        return entry

    @Slot()
    def _update_controls(self) -> None:
        ready = self.session is not None and self.target is not None and not self._busy
        self.add_button.setEnabled(ready and bool(self.comment_edit.toPlainText().strip()))
        self.mark_button.setEnabled(ready)
        self.approve_button.setEnabled(self.session is not None and not self._busy
                                       and self.portrait is not None
                                       and bool(self.approver[0]))
        self.comment_edit.setReadOnly(self._busy)

    # --- adding -----------------------------------------------------------------------------
    @Slot()
    def add_comment(self) -> None:
        if self.session is None or self.target is None:
            return
        kind, target_id, label = self.target
        self._start(functools.partial(self.session.add_comment, kind, target_id,
                                      self.comment_edit.toPlainText(), label))

    @Slot()
    def mark_reviewed(self) -> None:
        if self.session is None or self.target is None:
            return
        kind, target_id, label = self.target
        self._start(functools.partial(self.session.mark_reviewed, kind, target_id, label))

    @Slot()
    def approve(self) -> None:
        if self.session is None or self.portrait is None or not self.approver[0]:
            return
        self._start(functools.partial(approve_portrait, self.session, self.portrait,
                                      *self.approver), "review_approve_failed")

    def _start(self, job: functools.partial, failure: str = "review_save_failed") -> None:
        self._busy = True
        self._failure = failure
        self.message.setText(self.text("review_saving"))
        self._update_controls()
        self._jobs.start(job, self._saved, self._failed)

    @Slot(object)
    def _saved(self, item: ReviewItem | Approval) -> None:
        self._busy = False
        if isinstance(item, ReviewItem) and not item.is_mark:
            self.comment_edit.clear()
        self.message.setText(self.text("review_saved"))
        self.refresh()
        self.saved.emit(item)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.message.setText("")
        self._update_controls()
        self.error_dialog = show_error(self, self.text(self._failure), error, self.text)
        self.failed.emit(error)

    def shut_down(self) -> None:
        self._jobs.shut_down()


def _digest_of(workspace: Workspace, portrait: Portrait) -> tuple[Portrait, str]:
    return portrait, portrait_digest(workspace, portrait)
