"""Incident categories common to every source, and the issue tags they carry.

Sources name offences their own way (SPVM ``Méfait``, VPD ``Mischief``); analyses compare
common categories. The mapping is a plain table the user can edit; a source category missing
from it stays visible as unmapped, it is never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    label_fr: str
    label_en: str
    tags: tuple[str, ...] = ()

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en


CATEGORIES: tuple[Category, ...] = (
    Category("break_and_enter", "Introduction par effraction", "Break and enter", ("property",)),
    Category("mischief", "Méfait", "Mischief", ("incivilities", "property")),
    Category("theft_from_vehicle", "Vol dans ou sur un véhicule", "Theft from vehicle",
             ("property", "vehicles")),
    Category("vehicle_theft", "Vol de véhicule", "Theft of vehicle", ("property", "vehicles")),
    Category("robbery", "Vol qualifié", "Robbery", ("violence",)),
    Category("homicide", "Infraction entraînant la mort", "Offence causing death", ("violence",)),
    Category("other_theft", "Autre vol", "Other theft", ("property",)),
    Category("offence_against_person", "Crime contre la personne", "Offence against a person",
             ("violence",)),
    Category("traffic_collision", "Collision", "Traffic collision", ("traffic",)),
)
BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}

#: Source category (as written in the source file) -> common category id.
DEFAULT_MAPPING: dict[str, str] = {
    "Introduction": "break_and_enter",
    "Méfait": "mischief",
    "Vol dans / sur véhicule à moteur": "theft_from_vehicle",
    "Vol de véhicule à moteur": "vehicle_theft",
    "Vols qualifiés": "robbery",
    "Infractions entrainant la mort": "homicide",
}


def map_categories(source_categories, mapping: dict[str, str] | None = None):
    """Common category ids for a pandas Series of source categories (missing when unmapped)."""
    table = DEFAULT_MAPPING if mapping is None else mapping
    return source_categories.map(table).astype("string")
