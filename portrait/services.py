"""The common taxonomy of community services, and how source types map onto it.

Inventories name the same kind of service many ways ("Banque alimentaire", "food bank",
OSM ``amenity=social_facility``); coverage and gap analyses need one list of types.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceType:
    id: str
    label_fr: str
    label_en: str

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en


SERVICE_TYPES: tuple[ServiceType, ...] = (
    ServiceType("food", "Aide alimentaire", "Food"),
    ServiceType("housing", "Hébergement et logement", "Housing and shelter"),
    ServiceType("mental_health", "Santé mentale", "Mental health"),
    ServiceType("addiction", "Dépendances", "Addiction"),
    ServiceType("youth", "Jeunesse", "Youth"),
    ServiceType("seniors", "Aînés", "Seniors"),
    ServiceType("family_violence", "Famille et violence conjugale", "Family and domestic violence"),
    ServiceType("newcomers", "Nouveaux arrivants", "Newcomers"),
    ServiceType("community_centre", "Centre communautaire", "Community centre"),
    ServiceType("health_clinic", "Santé (CLSC, clinique)", "Health clinic"),
    ServiceType("education", "Éducation et bibliothèques", "Education and libraries"),
    ServiceType("police_fire", "Police et pompiers", "Police and fire"),
    ServiceType("other", "Autre", "Other"),
)
BY_ID: dict[str, ServiceType] = {t.id: t for t in SERVICE_TYPES}

#: Source type, accent- and case-folded -> taxonomy id. Editable per workspace later.
DEFAULT_MAPPING: dict[str, str] = {
    "banque alimentaire": "food",
    "aide alimentaire": "food",
    "hebergement d'urgence": "housing",
    "refuge": "housing",
    "logement": "housing",
    "sante mentale": "mental_health",
    "dependances": "addiction",
    "toxicomanie": "addiction",
    "maison des jeunes": "youth",
    "jeunesse": "youth",
    "aines": "seniors",
    "famille": "family_violence",
    "violence conjugale": "family_violence",
    "accueil des nouveaux arrivants": "newcomers",
    "nouveaux arrivants": "newcomers",
    "centre communautaire": "community_centre",
    "organisme communautaire et centre de loisirs": "community_centre",
    "clsc": "health_clinic",
    "clinique": "health_clinic",
    "bibliotheque": "education",
    "ecole": "education",
    "police": "police_fire",
    "police de quartier": "police_fire",
    "caserne de pompiers": "police_fire",
}


def service_type_label(service_type: str, language: str) -> str:
    """The label of a taxonomy id in ``language``; an id outside the taxonomy as it is."""
    known = BY_ID.get(service_type)
    return known.label(language) if known else service_type


def fold(text: str) -> str:
    """Lower case without accents, so that "Aînés" and "aines" match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def service_type_for(source_type: str | None, mapping: dict[str, str] | None = None) -> str | None:
    """The taxonomy id for a source type, or None when the mapping does not know it."""
    if source_type is None:
        return None
    return (DEFAULT_MAPPING if mapping is None else mapping).get(fold(source_type))
