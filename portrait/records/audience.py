"""Who may read each field of a record: the one declaration every writer follows.

A record holds the officer's working notes beside what can be told to partners. Rather than
listing what to remove (and forgetting the next field someone adds), each field of each kind
of record declares its audience here, with its label in French and English:

- ``INTERNAL``: stays in the station (free text that may name people, contact details,
  links to other records, who wrote what, exact shapes);
- ``SHAREABLE``: may be printed in a partner brief as it is;
- ``GENERALISED``: shareable once generalised by the writer: a place becomes a named area
  or a map cell, a pinned count under the suppression threshold is hidden.

A field that is not declared is internal. ``tests/test_record_audience.py`` checks that every
field of every record type is declared, so a new field cannot reach partners by default.

>>> audience_of("problem", "partner_summary"), audience_of("problem", "description")
('shareable', 'internal')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INTERNAL = "internal"
SHAREABLE = "shareable"
GENERALISED = "generalised"

#: Identity, authorship and history: every record has them, partners never see them.
_META = {name: (INTERNAL, fr, en) for name, fr, en in (
    ("record_id", "Identifiant", "Id"), ("created_at", "Créée le", "Created"),
    ("created_by", "Créée par", "Created by"), ("updated_at", "Modifiée le", "Updated"),
    ("updated_by", "Modifiée par", "Updated by"), ("history", "Historique", "History"))}

#: Kind -> field -> (audience, label in French, label in English).
FIELDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "problem": {
        "title": (SHAREABLE, "Titre", "Title"),
        "partner_summary": (SHAREABLE, "Résumé pour les partenaires", "Summary for partners"),
        "description": (INTERNAL, "Description", "Description"),
        "category": (SHAREABLE, "Catégorie", "Category"),
        "location": (GENERALISED, "Lieu", "Place"),
        "period_start": (SHAREABLE, "Début", "From"),
        "period_end": (SHAREABLE, "Fin", "To"),
        "sara_stage": (SHAREABLE, "Étape SARA", "SARA stage"),
        "triangle": (INTERNAL, "Triangle du problème", "Problem triangle"),
        "evidence": (GENERALISED, "Éléments de preuve", "Evidence"),
        "concern": (INTERNAL, "Préoccupation de la communauté", "Community concern"),
        "priority_inputs": (INTERNAL, "Priorité", "Priority"),
        "status": (SHAREABLE, "État", "Status"),
        "partner_ids": (INTERNAL, "Partenaires", "Partners"),
        "consultation_ids": (INTERNAL, "Consultations", "Consultations"),
        "action_ids": (INTERNAL, "Actions", "Actions"),
        "response_start": (SHAREABLE, "Début de la réponse", "Response started"),
        "target_area": (INTERNAL, "Zone ciblée", "Target area"),
        "control_area": (INTERNAL, "Zone témoin", "Control area"),
        "displacement_buffer_m": (INTERNAL, "Zone de déplacement (m)",
                                  "Displacement buffer (m)"),
    },
    "partner": {
        "name": (SHAREABLE, "Nom", "Name"),
        "sector": (SHAREABLE, "Secteur", "Sector"),
        "address": (INTERNAL, "Adresse", "Address"),
        "service_ids": (INTERNAL, "Services", "Services"),
        "contacts": (INTERNAL, "Personnes-ressources", "Contacts"),
        "website": (SHAREABLE, "Site web", "Website"),
        "notes": (INTERNAL, "Notes", "Notes"),
    },
    "consultation": {
        "date": (SHAREABLE, "Date", "Date"),
        "form": (SHAREABLE, "Forme", "Form"),
        "title": (SHAREABLE, "Titre", "Title"),
        "partner_ids": (INTERNAL, "Partenaires", "Partners"),
        "participants_other": (INTERNAL, "Autres participants", "Other participants"),
        "participant_count": (GENERALISED, "Participants", "Participants"),
        "topics": (SHAREABLE, "Sujets", "Topics"),
        "problem_ids": (INTERNAL, "Problèmes", "Problems"),
        "decisions": (SHAREABLE, "Décisions", "Decisions"),
        "follow_ups": (INTERNAL, "Suivis", "Follow-ups"),
        "summary": (INTERNAL, "Résumé", "Summary"),
        "confidentiality": (INTERNAL, "Diffusion", "Sharing"),
    },
    "action_priority": {
        "title": (SHAREABLE, "Titre", "Title"),
        "description": (SHAREABLE, "Description", "Description"),
        "problem_ids": (INTERNAL, "Problèmes", "Problems"),
        "rank": (SHAREABLE, "Rang", "Rank"),
        "plan_period": (SHAREABLE, "Période du plan", "Plan period"),
    },
    "action": {
        "title": (SHAREABLE, "Titre", "Title"),
        "priority_id": (INTERNAL, "Priorité", "Priority"),
        "description": (SHAREABLE, "Description", "Description"),
        "owner": (SHAREABLE, "Responsable", "Lead"),
        "partner_ids": (INTERNAL, "Partenaires", "Partners"),
        "start": (SHAREABLE, "Début", "Start"),
        "end": (SHAREABLE, "Fin", "End"),
        "resources": (INTERNAL, "Ressources", "Resources"),
        "indicators": (INTERNAL, "Indicateurs", "Indicators"),
        "progress": (SHAREABLE, "Avancement", "Progress"),
    },
}
for _fields in FIELDS.values():
    _fields.update(_META)

#: Internal fields partners read only in a form that names no one and gives no small count,
#: derived by the brief's writer: kind -> field -> what of it is told.
SHAREABLE_FORMS: dict[str, dict[str, str]] = {
    "problem": {
        "triangle": "which sides are documented, never what is written there",
        "priority_inputs": "the priority score out of 100",
        "action_ids": "the actions by title, with their status, due quarter and lead",
        "partner_ids": "the partner organisations by name",
    },
}

#: Fields of records nested in a shareable field that partners may read.
NESTED_SHAREABLE: dict[str, tuple[str, ...]] = {
    "progress": ("quarter", "status", "narrative"),
}


def kind_of(record: Any) -> str:
    """The record's kind (``KIND`` of a record object, ``kind`` of a plain dict)."""
    if isinstance(record, Mapping):
        return str(record.get("kind", "")).lower()
    return str(getattr(record, "KIND", "")).lower()


def audience_of(kind: str, field_name: str) -> str:
    """The audience of ``kind``'s field ``field_name`` (undeclared fields are internal)."""
    return FIELDS.get(kind, {}).get(field_name, (INTERNAL, "", ""))[0]


def field_label(kind: str, field_name: str, language: str) -> str:
    """The field's label in ``language``; an undeclared field has none to show."""
    found = FIELDS.get(kind, {}).get(field_name)
    if found is None:
        return ""
    return found[1] if language == "fr" else found[2]


def shareable_fields(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``data`` (a record as encoded data) partners may receive, in order;
    ``GENERALISED`` ones are kept for the writer to generalise."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if audience_of(kind, name) == INTERNAL:
            continue
        nested = NESTED_SHAREABLE.get(name)
        if nested is not None and isinstance(value, (list, tuple)):
            value = [{k: v for k, v in item.items() if k in nested}
                     if isinstance(item, Mapping) else item for item in value]
        out[name] = value
    return out
