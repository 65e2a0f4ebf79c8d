"""The partner form: an organisation, the services it runs, and the people to contact.

The organisation is public knowledge; its people are not. Name, phone and email of a contact
carry the "confidentiel" badge here as in the directory, because exports drop them
(``ContactPerson.CONFIDENTIAL_FIELDS``) and the officer should know it while typing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QWidget,
)

from portrait.errors import PortraitError
from portrait.records import SECTORS, ContactPerson, PartnerOrganisation
from portrait.workspace import Workspace
from ui.records.form_base import RecordDialog, RowsTableWidget
from ui.records.strings import RecordText
from ui.records.widgets import (
    CONFIDENTIAL_COLOUR,
    CheckListWidget,
    choice_combo,
    confidential_badge,
    error_label,
    set_combo,
    with_error,
)

NAME, ROLE, PHONE, EMAIL = range(4)
CONFIDENTIAL_COLUMNS = {NAME: "name", PHONE: "phone", EMAIL: "email"}


class ContactsWidget(RowsTableWidget):
    """The contact people as a table; confidential columns are marked in their header and
    by the badge above the table."""

    def __init__(self, text: RecordText, parent: QWidget | None = None):
        lock = text("confidential_mark")
        super().__init__(text, [f"{text('col_contact_name')} {lock}", text("col_role"),
                                f"{text('col_phone')} {lock}", f"{text('col_email')} {lock}"],
                         "contacts_table", ("button_add_contact", "add_contact", "remove_contact"),
                         120, parent)
        self.badge = confidential_badge(text, self)
        note = QLabel(text("contacts_confidential_note"), self)
        note.setWordWrap(True)
        for column in CONFIDENTIAL_COLUMNS:
            header = self.table.horizontalHeaderItem(column)
            header.setToolTip(text("badge_confidential_tip"))
            header.setForeground(QColor(CONFIDENTIAL_COLOUR))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.badge)
        top.addWidget(note, 1)
        self.rows_layout.insertLayout(0, top)

    def add_row(self, contact: ContactPerson | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (contact.name, contact.role, contact.phone, contact.email) if contact else \
            ("", "", "", "")
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column in CONFIDENTIAL_COLUMNS:
                item.setToolTip(self.text("badge_confidential_tip"))
            self.table.setItem(row, column, item)
        self.table.item(row, NAME).setData(Qt.ItemDataRole.UserRole,
                                           contact.contact_id if contact else None)
        return row

    def contacts(self) -> tuple[tuple[ContactPerson, ...], str]:
        """The contacts, and what must be fixed ("" when all rows are valid)."""
        found = []
        for row in range(self.table.rowCount()):
            values = {"name": self._cell(row, NAME), "role": self._cell(row, ROLE),
                      "phone": self._cell(row, PHONE), "email": self._cell(row, EMAIL)}
            if not any(values.values()):
                continue
            existing = self.table.item(row, NAME).data(Qt.ItemDataRole.UserRole)
            if existing:
                values["contact_id"] = existing
            try:
                found.append(ContactPerson(**values))
            except PortraitError as error:
                return (), self._message(row + 1, str(error))
        return tuple(found), ""

    def _message(self, row: int, error: str) -> str:
        for field in ("email", "phone", "name"):
            if f"'{field}'" in error:
                return self.text(f"error_contact_{field}", row=row)
        return error


class PartnerDialog(RecordDialog):
    """Create or edit a partner organisation; ``record()`` once accepted."""

    RECORD_TYPE = PartnerOrganisation

    def __init__(self, text: RecordText, workspace: Workspace | None,
                 partner: PartnerOrganisation | None = None, read_only: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("partner_dialog")
        self.text, self.original, self.read_only = text, partner, read_only
        self.setWindowTitle(text("partner_edit_title") if partner else text("partner_new_title"))
        t = text
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("name")
        self.name_error = error_label(self, "name")
        self.sector_combo = choice_combo(self, "sector", t, "sector", SECTORS)
        self.address_edit = QLineEdit(self)
        self.address_edit.setObjectName("address")
        self.website_edit = QLineEdit(self)
        self.website_edit.setObjectName("website")
        self.services_list = CheckListWidget(self)
        self.services_list.setObjectName("services")
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setMaximumHeight(70)
        self.contacts = ContactsWidget(t, self)
        self.contacts_error = error_label(self, "contacts")
        self.field_errors = {"name": self.name_error, "contacts": self.contacts_error}
        form = QFormLayout()
        form.addRow(t("field_name_required"), with_error(self.name_edit, self.name_error))
        form.addRow(t("field_sector"), self.sector_combo)
        form.addRow(t("field_address"), self.address_edit)
        form.addRow(t("field_website"), self.website_edit)
        form.addRow(t("field_services"), self.services_list)
        form.addRow(t("field_notes"), self.notes_edit)
        form.addRow(t("field_contacts"), with_error(self.contacts, self.contacts_error))
        self._fill(workspace, partner)
        self._finish(t, read_only, form)
        self.resize(720, 640)

    def _fill(self, workspace: Workspace | None, partner: PartnerOrganisation | None) -> None:
        services = workspace.layer("services") if workspace is not None else None
        choices = [] if services is None or not len(services) else [
            (str(row.service_id), _service_label(row))
            for row in services.itertuples(index=False) if isinstance(row.service_id, str)]
        known = {service_id for service_id, _ in choices}
        choices += [(i, i) for i in (partner.service_ids if partner else ()) if i not in known]
        self.services_list.set_choices(choices, partner.service_ids if partner else ())
        if partner is None:
            return
        self.name_edit.setText(partner.name)
        set_combo(self.sector_combo, partner.sector)
        self.address_edit.setText(partner.address)
        self.website_edit.setText(partner.website)
        self.notes_edit.setPlainText(partner.notes)
        self.contacts.set_rows(partner.contacts)

    def values(self) -> dict[str, Any]:
        contacts, _ = self.contacts.contacts()
        return {"name": self.name_edit.text(), "sector": self.sector_combo.currentData(),
                "address": self.address_edit.text(), "website": self.website_edit.text(),
                "service_ids": self.services_list.checked_ids(),
                "notes": self.notes_edit.toPlainText(), "contacts": contacts}

    def validate(self) -> dict[str, str]:
        errors = {}
        if not self.name_edit.text().strip():
            errors["name"] = self.text("error_name_required")
        _, problem = self.contacts.contacts()
        if problem:
            errors["contacts"] = problem
        return self._show_errors(errors)


def _service_label(row: Any) -> str:
    """"Name (type)" of a row of the services inventory."""
    name = row.name if isinstance(row.name, str) and row.name else str(row.service_id)
    kind = row.service_type
    return f"{name} ({kind})" if isinstance(kind, str) and kind else name
