"""The sources of figures in words: "Statistics Canada, Census Profile (file.csv)".

Imports record where rows came from as a key, the reader's kind and the file
(``statcan-profile:98-401-X2021006_English_CSV_data.csv``), since a newer file of the same
source replaces them by that key. Such a key is an internal code: wherever a source is shown
(the window, the briefs' definitions and notes), it reads as the kind of source in the
reader's language, with the file's name, which the officer knows.
"""

from __future__ import annotations

import re

#: Kind of source (the key's prefix) -> its name in French and English.
KINDS: dict[str, tuple[str, str]] = {
    "statcan-profile": ("Statistique Canada, Profil du recensement",
                        "Statistics Canada, Census Profile"),
    "statcan-da-table": ("Statistique Canada, tableau par aire de diffusion",
                         "Statistics Canada, table by dissemination area"),
    "wide-census-profile": ("profil de recensement municipal", "municipal census profile"),
    "indicator-table": ("tableau d'indicateurs", "indicator table"),
    "spvm": ("SPVM, actes criminels", "SPVM, criminal acts"),
    "vpd": ("Service de police de Vancouver", "Vancouver Police Department"),
    "mapped": ("fichier d'incidents", "incident file"),
    "calls": ("appels de service", "calls for service"),
    "inventory": ("répertoire des services", "service inventory"),
    "osm": ("OpenStreetMap", "OpenStreetMap"),
    "lieux-interet": ("Ville de Montréal, lieux d'intérêt", "City of Montréal, places of "
                      "interest"),
    "scores": ("résultats de sondage par secteur", "survey results by area"),
    "categories": ("correspondance des catégories", "category mapping"),
}
_KEY = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(KINDS, key=len, reverse=True))
                  + r"):([^,;:()\s][^,;:()]*?\.(?:csv|CSV|xlsx|gpkg|geojson|json|jsonl|zip|shp|"
                    r"txt|gz))")


def in_words(text: str, language: str) -> str:
    """``text`` with every source key in it written as words (other text unchanged)."""
    if not text or ":" not in text:
        return text
    french = language == "fr"
    return _KEY.sub(lambda m: f"{KINDS[m[1]][0 if french else 1]} ({m[2]})", text)
