"""The partners directory: organisations, the people to contact in them, and where each
partner is involved (problems, consultations, actions).

Contact names, phones and emails are personal information: each is shown with the
"confidentiel" badge, as a reminder that they stay in the station (exports drop them).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QWidget,
)

from portrait.records import SECTORS, PartnerOrganisation
from ui.records.base_panel import RecordsBasePanel
from ui.records.list_widget import RecordListWidget
from ui.records.partner_form import PartnerDialog
from ui.records.record_models import Column
from ui.records.widgets import (
    LinksWidget,
    confidential_badge,
    discard,
    rich_label,
    title_label,
)

__all__ = ["PartnerDialog", "PartnersPanel"]


class PartnersPanel(RecordsBasePanel):
    """Partner organisations: list by sector, details, contacts with their badge, links."""

    KINDS = ("partner",)

    def _build(self) -> None:
        self.setObjectName("partners_panel")
        self.list = RecordListWidget(
            self.text, self._columns(), self._search_text, {"sector": lambda p: p.sector},
            name="partners", parent=self)
        self._record_buttons("partner")
        self.detail_title = title_label(self, "partner_detail_title")
        self.detail_summary = rich_label(self, "partner_detail_summary")
        self.contacts_caption = QLabel(self)
        self.contacts_box = QWidget(self)
        self.contacts_box.setObjectName("partner_contacts")
        self.contacts_grid = QGridLayout(self.contacts_box)
        self.contacts_grid.setContentsMargins(0, 0, 0, 0)
        self.links = LinksWidget(self)
        self.links.setObjectName("partner_links")
        self._lay_out(self.list, (self.new_button, self.edit_button, self.delete_button,
                                  self.history_button),
                      self.detail_title, self.detail_summary, self.contacts_caption,
                      self.contacts_box, self.links)

        self._connect_list(self.edit_partner, self.new_partner)

    def _columns(self) -> list[Column]:
        t = self.text
        return [
            Column(t("col_name"), lambda p: p.name),
            Column(t("col_sector"), lambda p: t.choice("sector", p.sector)),
            Column(t("col_contacts"), lambda p: str(len(p.contacts)), lambda p: len(p.contacts)),
            Column(t("col_involved"), lambda p: str(self._link_count(p)), self._link_count),
        ]

    def _link_count(self, partner: PartnerOrganisation) -> int:
        return len(self.store.links_to(partner.record_id)) if self.store is not None else 0

    def _search_text(self, partner: PartnerOrganisation) -> str:
        return " ".join((partner.name, partner.address, partner.notes,
                         *(c.role for c in partner.contacts), *(c.name for c in partner.contacts)))

    def _retranslate_texts(self) -> None:
        t = self.text
        self._record_button_texts("button_new_partner")
        self.contacts_caption.setText(f"<b>{html.escape(t('field_contacts'))}</b>")
        self.list.retranslate(t, self._columns(), {"sector": t("filter_sector")})
        self.list.set_filter_choices("sector", [(s, t.choice("sector", s)) for s in SECTORS])

    # --- content --------------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.list.set_items(self.store.partners() if self.store is not None else [])
        self._show_detail()

    def _update_enabled(self) -> None:
        self._enable_record_buttons(self.current() is not None)

    def current(self) -> PartnerOrganisation | None:
        return self.list.current_item()

    def select_record(self, record_id: str) -> bool:
        return self.list.select(record_id)

    def _show_detail(self) -> None:
        partner, t, store = self.current(), self.text, self.store
        while self.contacts_grid.count():
            widget = self.contacts_grid.takeAt(0).widget()
            if widget is not None:
                discard(widget)
        self.contacts_caption.setVisible(partner is not None)
        if partner is None or store is None:
            self.detail_title.setText(t("partner_none_selected"))
            self.detail_summary.setText("")
            self.links.set_sections([], "")
            return
        self.detail_title.setText(partner.name)
        services = ", ".join(self._service_names(partner)) or "—"
        rows = [(t("field_sector"), t.choice("sector", partner.sector)),
                (t("field_address"), partner.address or "—"),
                (t("field_website"), partner.website or "—"),
                (t("field_services"), services), (t("field_notes"), partner.notes or "—")]
        body = "".join(f"<tr><td style='color:#555; padding-right:8px'>{html.escape(k)}</td>"
                       f"<td>{html.escape(v)}</td></tr>" for k, v in rows)
        self.detail_summary.setText(f"<table>{body}</table>")
        self._show_contacts(partner)
        by_kind: dict[str, list[tuple[str, str]]] = {"problem": [], "consultation": [],
                                                     "action": []}
        for link in store.links_to(partner.record_id):
            if link.source_kind in by_kind:
                by_kind[link.source_kind].append(
                    (link.source_id, t.name_of(store.get(link.source_id))))
        self.links.set_sections([
            (t("links_problems"), "problem", by_kind["problem"]),
            (t("links_consultations"), "consultation", by_kind["consultation"]),
            (t("links_actions"), "action", by_kind["action"]),
        ], t.none_of)

    def _show_contacts(self, partner: PartnerOrganisation) -> None:
        t = self.text
        if not partner.contacts:
            self.contacts_grid.addWidget(QLabel(t("contacts_none"), self.contacts_box), 0, 0)
            return
        row = 0
        for contact in partner.contacts:
            fields = ((t("col_contact_name"), contact.name, True),
                      (t("col_role"), contact.role, False),
                      (t("col_phone"), contact.phone, True),
                      (t("col_email"), contact.email, True))
            for caption, value, confidential in fields:
                if not value:
                    continue
                label = QLabel(caption, self.contacts_box)
                label.setStyleSheet("color: #555;")
                shown = QLabel(value, self.contacts_box)
                shown.setObjectName(f"contact_{'confidential' if confidential else 'public'}")
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.contacts_grid.addWidget(label, row, 0)
                self.contacts_grid.addWidget(shown, row, 1)
                if confidential:
                    self.contacts_grid.addWidget(confidential_badge(t, self.contacts_box), row, 2)
                row += 1
            spacer = QLabel("", self.contacts_box)
            spacer.setFixedHeight(6)
            self.contacts_grid.addWidget(spacer, row, 0)
            row += 1
        self.contacts_grid.setColumnStretch(3, 1)  # badges stay beside their values

    def _service_names(self, partner: PartnerOrganisation) -> list[str]:
        if not partner.service_ids or self.workspace is None:
            return []
        services = self.workspace.layer("services")
        names = dict(zip(services["service_id"].astype(str), services["name"].astype(str),
                         strict=True)) if len(services) else {}
        return [names.get(i, i) for i in partner.service_ids]

    # --- editing --------------------------------------------------------------------------------
    def new_partner(self) -> PartnerDialog | None:
        if not self.can_edit or self.store is None:
            return None
        return self._open(None)

    def edit_partner(self, record_id: str) -> PartnerDialog | None:
        partner = self.store.get(record_id) if self.store is not None else None
        return self._open(partner) if isinstance(partner, PartnerOrganisation) else None

    def _open(self, partner: PartnerOrganisation | None) -> PartnerDialog:
        return self._open_dialog(PartnerDialog(self.text, self.workspace, partner,
                                               read_only=not self.can_edit, parent=self))
