"""Incident categories common to every source, and the issue tags they carry.

Sources name offences their own way (SPVM ``Méfait``, VPD ``Mischief``); analyses compare
common categories. The mapping is a plain table the user can edit (stored in the workspace's
``category_mappings`` layer); a source category missing from it stays visible as unmapped,
it is never dropped.

>>> import pandas as pd
>>> mapping = CategoryMapping.default()
>>> mapping.categories(pd.Series(["Méfait", "Inconnu"])).tolist()
['mischief', <NA>]
>>> mapping.tags(pd.Series(["Offence Against a Person"])).tolist()
['violence']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from portrait.errors import PortraitError

#: Issue tags: the specific issues a portrait can be filtered by.
ISSUE_TAGS: dict[str, tuple[str, str]] = {
    "property": ("Crimes contre les biens", "Property crime"),
    "violence": ("Violence", "Violence"),
    "domestic_violence": ("Violence conjugale et familiale", "Domestic and family violence"),
    "youth": ("Jeunes", "Youth"),
    "mental_health": ("Santé mentale", "Mental health"),
    "drugs": ("Drogues", "Drugs"),
    "traffic": ("Sécurité routière", "Traffic safety"),
    "vehicles": ("Véhicules", "Vehicles"),
    "incivilities": ("Incivilités", "Incivilities"),
}


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
    Category("bicycle_theft", "Vol de vélo", "Theft of bicycle", ("property",)),
    Category("other_theft", "Autre vol", "Other theft", ("property",)),
    Category("robbery", "Vol qualifié", "Robbery", ("violence",)),
    Category("offence_against_person", "Crime contre la personne", "Offence against a person",
             ("violence",)),
    Category("homicide", "Infraction entraînant la mort", "Offence causing death", ("violence",)),
    Category("traffic_collision", "Collision avec blessés", "Traffic collision with injury",
             ("traffic",)),
    Category("drugs", "Drogues", "Drugs", ("drugs",)),
    Category("domestic_violence", "Violence conjugale", "Domestic violence",
             ("violence", "domestic_violence")),
    Category("mental_health_call", "Appel en santé mentale", "Mental health call",
             ("mental_health",)),
)
BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}

#: Source category, exactly as written in the source file -> common category id.
DEFAULT_MAPPING: dict[str, str] = {
    # SPVM "Actes criminels" (the six values of CATEGORIE)
    "Introduction": "break_and_enter",
    "Méfait": "mischief",
    "Vol dans / sur véhicule à moteur": "theft_from_vehicle",
    "Vol de véhicule à moteur": "vehicle_theft",
    "Vols qualifiés": "robbery",
    "Infractions entrainant la mort": "homicide",
    # Vancouver Police Department GeoDASH (TYPE)
    "Break and Enter Commercial": "break_and_enter",
    "Break and Enter Residential/Other": "break_and_enter",
    "Homicide": "homicide",
    "Mischief": "mischief",
    "Offence Against a Person": "offence_against_person",
    "Other Theft": "other_theft",
    "Theft from Vehicle": "theft_from_vehicle",
    "Theft of Bicycle": "bicycle_theft",
    "Theft of Vehicle": "vehicle_theft",
    "Vehicle Collision or Pedestrian Struck (with Fatality)": "traffic_collision",
    "Vehicle Collision or Pedestrian Struck (with Injury)": "traffic_collision",
}


@dataclass(frozen=True)
class CategoryMapping:
    """Source category -> (common category, issue tags); user rows override the defaults."""

    entries: Mapping[str, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def default(cls) -> CategoryMapping:
        return cls({source: (category, BY_ID[category].tags)
                    for source, category in DEFAULT_MAPPING.items()})

    @classmethod
    def from_frame(cls, edits: pd.DataFrame) -> CategoryMapping:
        """The defaults overridden by the rows of a ``category_mappings`` layer."""
        entries = dict(cls.default().entries)
        for row in edits.itertuples(index=False):
            category = None if pd.isna(row.category) else str(row.category)
            if category is not None and category not in BY_ID:
                raise PortraitError(f"Category mapping: {row.source_category!r} maps to unknown "
                                    f"category {category!r}; known: {', '.join(BY_ID)}.")
            tags = _split_tags(row.tags) if not pd.isna(row.tags) else \
                (BY_ID[category].tags if category else ())
            entries[str(row.source_category)] = (category, tags)
        return cls(entries)

    def categories(self, source_categories: pd.Series) -> pd.Series:
        """Common category ids (missing where the source category is unmapped)."""
        table = {source: category for source, (category, _) in self.entries.items()}
        return source_categories.map(table).astype("string")

    def tags(self, source_categories: pd.Series) -> pd.Series:
        """Comma-separated issue tags of each source category (missing where unmapped)."""
        table = {source: ",".join(tags) for source, (_, tags) in self.entries.items()}
        return source_categories.map(table).astype("string")

    def unmapped(self, source_categories: Iterable[str]) -> list[str]:
        return sorted({c for c in source_categories if c not in self.entries})


def _split_tags(text: str) -> tuple[str, ...]:
    tags = tuple(t.strip() for t in str(text).split(",") if t.strip())
    unknown = [t for t in tags if t not in ISSUE_TAGS]
    if unknown:
        raise PortraitError(f"Unknown issue tag(s) {unknown}; known: {', '.join(ISSUE_TAGS)}.")
    return tags
