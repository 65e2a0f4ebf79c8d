"""The partners directory: organisations and the people to contact in them.

Organisations (name, sector, address, services of the inventory they run) are public
knowledge; the people in them are not. A contact person's name, phone and email are personal
information: they are declared in ``ContactPerson.CONFIDENTIAL_FIELDS`` and
``shareable_view()`` drops them, together with any trace of them in the history, so that a
directory exported for partners or printed in a plan never carries them.

>>> partner = PartnerOrganisation(name="CLSC des Faubourgs", sector="health_social",
...     contacts=(ContactPerson(name="Jeanne Roy", role="Travailleuse sociale",
...                             phone="514 555-0101", email="jeanne.roy@example.org"),))
>>> partner.shareable_view()["contacts"]
[{'contact_id': ..., 'role': 'Travailleuse sociale'}]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from portrait.records.base import (
    Record,
    as_tuple_of,
    clean_text,
    new_id,
    require_choice,
    require_text,
    unique_ids,
)

SECTORS = ("community", "municipal", "health_social", "education", "housing", "business",
           "police", "justice", "transit", "faith", "other")
SECTOR_LABELS = {
    "community": ("Organisme communautaire", "Community organisation"),
    "municipal": ("Municipal", "Municipal"),
    "health_social": ("Santé et services sociaux", "Health and social services"),
    "education": ("Éducation", "Education"),
    "housing": ("Habitation", "Housing"),
    "business": ("Commerce", "Business"),
    "police": ("Police", "Police"),
    "justice": ("Justice", "Justice"),
    "transit": ("Transport", "Transit"),
    "faith": ("Organisme religieux", "Faith organisation"),
    "other": ("Autre", "Other"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+().\-\s]*(?:(?:ext|poste|p)\.?\s*[0-9]+)?$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class ContactPerson:
    """A person to contact in an organisation. Name, phone and email are confidential."""

    LABEL_FR: ClassVar[str] = "Personne-ressource"
    LABEL_EN: ClassVar[str] = "Contact person"
    CONFIDENTIAL_FIELDS: ClassVar[frozenset[str]] = frozenset({"name", "phone", "email"})

    contact_id: str = field(default_factory=new_id)
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        cls = type(self)
        for name in ("contact_id", "name", "role", "phone", "email"):
            object.__setattr__(self, name, clean_text(cls, name, getattr(self, name)))
        if not (self.name or self.role):
            require_text(cls, "name", self.name, "give a name or at least a role")
        if self.email and not _EMAIL.match(self.email):
            raise _contact_error("email", f"({self.email!r}) is not an email address")
        digits = sum(ch.isdigit() for ch in self.phone)
        if self.phone and (not _PHONE.match(self.phone) or digits < 7):
            raise _contact_error("phone", f"({self.phone!r}) is not a phone number")


@dataclass(frozen=True, kw_only=True)
class PartnerOrganisation(Record):
    """An organisation the station works with; ``service_ids`` are ids of the workspace's
    ``services`` layer (the services inventory) that the organisation runs."""

    KIND = "partner"
    LABEL_FR = "Partenaire"
    LABEL_EN = "Partner"

    name: str
    sector: str = "other"
    address: str = ""
    service_ids: tuple[str, ...] = ()
    contacts: tuple[ContactPerson, ...] = ()
    website: str = ""
    notes: str = ""

    def _validate(self) -> None:
        cls = type(self)
        self._set("name", require_text(cls, "name", self.name, "give the organisation's name"))
        require_choice(cls, "sector", self.sector, SECTORS)
        for name in ("address", "website", "notes"):
            self._set(name, clean_text(cls, name, getattr(self, name)))
        self._set("service_ids", unique_ids(cls, "service_ids", self.service_ids))
        self._set("contacts", as_tuple_of(cls, "contacts", self.contacts, ContactPerson))
        ids = [c.contact_id for c in self.contacts]
        if len(set(ids)) != len(ids):
            raise self.error("contacts", "holds the same contact twice")

    @property
    def display_name(self) -> str:
        return self.name

    def sector_label(self, language: str = "fr") -> str:
        return SECTOR_LABELS[self.sector][0 if language == "fr" else 1]


def unknown_service_ids(partner: PartnerOrganisation, services: pd.DataFrame) -> tuple[str, ...]:
    """The partner's service ids that the workspace's ``services`` layer no longer holds
    (after a re-import of the inventory), to show and fix in the directory."""
    known = set(services["service_id"].dropna().astype(str)) if len(services) else set()
    return tuple(i for i in partner.service_ids if i not in known)


def _contact_error(name: str, problem: str) -> Exception:
    from portrait.errors import PortraitError

    return PortraitError(f"Contact person / Personne-ressource: field {name!r} {problem}.")
