"""Area names as keys: one spelling per place, whichever file the name came from.

Named areas (boroughs, linked cities, local areas) have no code shared between the files
that describe them: the City of Montréal's census profiles say "Arrondissement du
Plateau-Mont-Royal", "Plateau-Mont-Royal" or "Le Plateau-Mont-Royal" depending on the file,
some files lost their apostrophes ("LÎle-Bizard", "Baie-DUrfé"), and the City of Vancouver's
boundary file says "Mt. Pleasant" where its census profile says "Mount Pleasant". The join
key is therefore the *normalised* name, computed by :func:`area_key`:

* accents and case folded (``Côte`` → ``cote``, ``œ`` → ``oe``), dashes of every kind and
  spaces become one hyphen (``Mercier–Hochelaga`` = ``Mercier-Hochelaga``);
* apostrophes dropped, so that a lost apostrophe gives the same key (``L'Île`` = ``LÎle``);
* administrative prefixes dropped ("Arrondissement de/d'/du", "Ville de", "Village de",
  "City of"), and a leading article ("Le Sud-Ouest" = "Sud-Ouest");
* abbreviations spelt out: ``Mt`` → ``mount``, ``St`` → ``saint``, ``Ste`` → ``sainte``;
* then :data:`ALIASES`, for names that no rule can reconcile (each documented).

The key is idempotent (``area_key(area_key(x)) == area_key(x)``): it can be stored as the
``area_id`` and normalised again safely.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

#: Variant key -> canonical key, for names that differ between files beyond spelling.
#: Canonical keys are the City of Vancouver's 22 official local-area names, as its 2016
#: census profile spells them. The variants come from its ``local_area_boundary.geojson``,
#: whose ``mapid`` confirms each pairing, and from the Vancouver Police crime files.
ALIASES: dict[str, str] = {
    # Boundary polygon mapid "CBD": the profile's "Downtown" local area.
    "downtown-vancouver": "downtown",
    # VPD crime files call the same local area "Central Business District".
    "central-business-district": "downtown",
    # Polygon mapid "AR" is named after Quilchena, a neighbourhood inside Arbutus Ridge; no
    # other polygon covers Arbutus Ridge, and the profile has no Quilchena column.
    "quilchena": "arbutus-ridge",
    # Polygon mapid "DS": Dunbar-Southlands, shortened to "Dunbar" in the boundary file.
    "dunbar": "dunbar-southlands",
    # Polygon mapid "SC": South Cambie, shortened to "Cambie".
    "cambie": "south-cambie",
    # Polygon mapid "RP": the profile's "Riley Park" with its sub-area in the name.
    "riley-park-little-mountain": "riley-park",
}

#: Whole-word abbreviations, spelt out after folding.
ABBREVIATIONS: dict[str, str] = {"mt": "mount", "st": "saint", "ste": "sainte"}

_APOSTROPHES = "'’‘ʼ`´′"
_DASHES = "‐‑‒–—―−"
#: A capital L or D glued to a capitalised word is a lost apostrophe: "LÎle", "DUrfé".
_LOST_APOSTROPHE = re.compile(r"\b([LDld])(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])")
_PREFIX = re.compile(
    r"^(?:arrondissement|ville|village|municipalite|cite|city|town|district|borough)\s+"
    r"(?:de\s+la\s+|de\s+|du\s+|des\s+|d'|of\s+(?:the\s+)?)"
)
_ARTICLE = re.compile(r"^(?:le|la|les)\s+")
_SEPARATORS = re.compile(r"[^\w]+|_+")


def restore_apostrophes(name: str) -> str:
    """The name with lost apostrophes put back ("LÎle-Bizard" → "L'Île-Bizard"), for display."""
    return _LOST_APOSTROPHE.sub(r"\1'", unicodedata.normalize("NFC", name))


def fold(text: str) -> str:
    """Lower case without accents, one kind of apostrophe and dash, single spaces.

    Used for area names and for characteristic names alike (the same files lose the same
    accents and apostrophes in both).
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate({ord(c): "'" for c in _APOSTROPHES})
    text = text.translate({ord(c): "-" for c in _DASHES})
    return " ".join(text.split())


def _key_once(name: str) -> str:
    text = fold(restore_apostrophes(name))
    while True:
        stripped = _ARTICLE.sub("", _PREFIX.sub("", text))
        if stripped == text or not any(c.isalnum() for c in stripped):
            break
        text = stripped
    text = text.replace("'", "")
    words = [ABBREVIATIONS.get(w, w) for w in _SEPARATORS.split(text) if w]
    key = "-".join(words)
    return ALIASES.get(key, key)


def area_key(name: object) -> str:
    """The normalised key of an area name (its ``area_id``), e.g. "L'Île-Bizard" → "lile-bizard".

    >>> area_key("Arrondissement de L'Île-Bizard-Sainte-Geneviève")
    'lile-bizard-sainte-genevieve'
    >>> area_key("LÎle-Bizard-Sainte-Geneviève")
    'lile-bizard-sainte-genevieve'
    >>> area_key("Mt. Pleasant")
    'mount-pleasant'
    """
    key = str(name)
    for _ in range(5):  # a fixed point, so that the key is idempotent; two rounds suffice
        again = _key_once(key)
        if again == key:
            break
        key = again
    return key


def closest(key: str, candidates: Iterable[str]) -> str | None:
    """The candidate key most like ``key`` (for "did you mean" warnings), or None."""
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(key, pool, n=1, cutoff=0.5)
    if found:
        return found[0]
    containing = [c for c in pool if key in c or c in key]
    return min(containing, key=len) if containing else None


def match_names(names: Iterable[str], known_keys: Iterable[str]) -> dict[str, str | None]:
    """Each name -> the known key it matches, or None when no known area has its key."""
    known = set(known_keys)
    return {name: (key if (key := area_key(name)) in known else None) for name in names}


def _check_aliases() -> None:
    for variant, canonical in ALIASES.items():
        if canonical in ALIASES or _key_once(canonical) != canonical:
            raise AssertionError(f"alias target {canonical!r} of {variant!r} is not canonical")


_check_aliases()
