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
    # More French wordings of partner inventories.
    "sante": "health_clinic",
    "hopital": "health_clinic",
    "itinerance": "housing",
    "reduction des mefaits": "addiction",
    "violence familiale": "family_violence",
    "immigration": "newcomers",
    "francisation": "newcomers",
    "loisirs": "community_centre",
    # English wordings (inventories from other Canadian cities, HSDS taxonomies).
    "food bank": "food",
    "food": "food",
    "meals": "food",
    "soup kitchen": "food",
    "shelter": "housing",
    "emergency shelter": "housing",
    "housing": "housing",
    "homelessness": "housing",
    "mental health": "mental_health",
    "addiction": "addiction",
    "addictions": "addiction",
    "substance use": "addiction",
    "harm reduction": "addiction",
    "youth": "youth",
    "seniors": "seniors",
    "senior": "seniors",
    "older adults": "seniors",
    "family": "family_violence",
    "families": "family_violence",
    "domestic violence": "family_violence",
    "family violence": "family_violence",
    "newcomers": "newcomers",
    "immigrants": "newcomers",
    "refugees": "newcomers",
    "settlement": "newcomers",
    "community centre": "community_centre",
    "community center": "community_centre",
    "neighbourhood house": "community_centre",
    "health": "health_clinic",
    "clinic": "health_clinic",
    "health clinic": "health_clinic",
    "hospital": "health_clinic",
    "library": "education",
    "school": "education",
    "education": "education",
    "fire station": "police_fire",
    # Ville de Montréal "Lieux d'intérêt": the reader tries the type, then the category;
    # categories left out here (parks, transport, hotels, culture...) are not services.
    "csss": "health_clinic",
    "centre de readaptation": "health_clinic",
    "service de sante": "health_clinic",
    "service d'urgence": "police_fire",
    "bibliotheque publique": "education",
    "etablissement scolaire": "education",
    "equipement communautaire": "community_centre",
    "service communautaire": "community_centre",
    "centre de service gouvernemental": "other",
    "bureau acces montreal et bureaux municipaux": "other",
    "hotel de ville / mairie": "other",
    "palais de justice / cour": "other",
    "eco-quartier": "other",
    # OpenStreetMap tags, as key=value; the reader tries social_facility, then whom it is
    # for, then the amenity. Amenities left out here (bench, restaurant...) are not services.
    "amenity=community_centre": "community_centre",
    "amenity=social_centre": "community_centre",
    "amenity=family_centre": "family_violence",
    "amenity=social_facility": "other",
    "amenity=food_bank": "food",
    "amenity=youth_centre": "youth",
    "amenity=clinic": "health_clinic",
    "amenity=doctors": "health_clinic",
    "amenity=hospital": "health_clinic",
    "amenity=healthcare": "health_clinic",
    "amenity=library": "education",
    "amenity=school": "education",
    "amenity=college": "education",
    "amenity=university": "education",
    "amenity=kindergarten": "education",
    "amenity=childcare": "family_violence",
    "amenity=police": "police_fire",
    "amenity=fire_station": "police_fire",
    "amenity=place_of_worship": "other",
    "amenity=townhall": "other",
    "amenity=courthouse": "other",
    "social_facility=food_bank": "food",
    "social_facility=soup_kitchen": "food",
    "social_facility=shelter": "housing",
    "social_facility=nursing_home": "seniors",
    "social_facility=assisted_living": "seniors",
    "social_facility:for=senior": "seniors",
    "social_facility:for=youth": "youth",
    "social_facility:for=juvenile": "youth",
    "social_facility:for=child": "youth",
    "social_facility:for=mental_health": "mental_health",
    "social_facility:for=drug_addicted": "addiction",
    "social_facility:for=homeless": "housing",
    "social_facility:for=immigrant": "newcomers",
    "social_facility:for=migrant": "newcomers",
    "social_facility:for=refugee": "newcomers",
    "social_facility:for=abused": "family_violence",
    "social_facility:for=victim": "family_violence",
    "social_facility:for=family": "family_violence",
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
