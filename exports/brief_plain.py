"""Engine notes in plain words: the column and indicator ids they name, replaced by the
names the reader sees.

The analyses write their notes next to the code that knows the columns ("p_adjusted:
Benjamini-Hochberg …", "Not in the census data: cimd_…"), with the ids of their own
tables; a brief shows its columns under headings and its indicators under labels, so a
partner reading "within_buffer" would not know what it refers to. Every note of a brief
goes through ``plain`` once, when the brief is built, so no writer has to remember it.
"""

from __future__ import annotations

import re

from portrait.indicators import BY_ID as INDICATORS
from portrait.services import BY_ID as SERVICE_TYPES
from portrait.wording import in_language

#: Column ids the engine's notes refer to, with the heading the brief gives the column.
COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "p_adjusted": ("p ajusté (BH)", "adjusted p (BH)"),
    "within_buffer": ("À proximité", "Nearby"),
    "weighted_share": ("Part pondérée", "Weighted share"),
    "share_in_station": ("Part dans le poste", "Share in station"),
    "partial_year": ("Année partielle", "Partial year"),
    "other_assumption_adds": ("Ajout selon l'autre hypothèse", "Added under the alternative"),
    "change_12_months_p_value": ("p de l'écart sur 12 mois", "12-month change p"),
}

_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: Ids of one word ("unemployed") are also words of the notes' text: they are replaced only
#: as an item of a list ("…: households, unemployed.").
_LISTED_WORD = re.compile(
    r"(?<=[:,][ \u00a0])(" + "|".join(k for k in INDICATORS if "_" not in k) + r")(?=[,.]|$)")


def plain(note: str, language: str) -> str:
    """``note`` in ``language`` with every known id replaced by its reader-facing name.

    >>> plain("p_adjusted: Benjamini-Hochberg over the categories (q = 0.05).", "en")
    '“adjusted p (BH)”: Benjamini-Hochberg over the categories (q = 0.05).'
    >>> plain("Not in the workspace's census data: unemployed, labour_force.", "en")
    "Not in the workspace's census data: Unemployed, Labour force."
    """
    named = _ID.sub(lambda match: _name(match.group(0), language), in_language(note, language))
    return _LISTED_WORD.sub(lambda match: _name(match.group(0), language), named)


def id_name(identifier: str, language: str) -> str | None:
    """The reader-facing name of a column, indicator or service-type id; None if unknown."""
    if identifier in COLUMN_NAMES:
        fr, en = COLUMN_NAMES[identifier]
        return fr if language == "fr" else en
    if identifier in INDICATORS:
        return INDICATORS[identifier].label(language)
    if identifier in SERVICE_TYPES:
        return SERVICE_TYPES[identifier].label(language)
    return None


def _name(identifier: str, language: str) -> str:
    name = id_name(identifier, language)
    if name is None:
        return identifier
    if identifier in COLUMN_NAMES:  # a column heading is quoted, as in the table
        return f"«\u00a0{name}\u00a0»" if language == "fr" else f"“{name}”"
    return name


def type_list(types: str, language: str) -> str:
    """A comma-separated list of service-type ids as their names."""
    return ", ".join(id_name(t.strip(), language) or t.strip() for t in types.split(",")
                     if t.strip())
