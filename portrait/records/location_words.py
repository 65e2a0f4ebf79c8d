"""A problem's location in words, the same in the form, the detail pane and every brief.

Officers and partners read "within 100 m of a point in Ville-Marie", not coordinates or an
area's code. The station reads the kind of place, its size and the named area (a
neighbourhood, a local area) it lies in; partners read only the generalised place that
``portrait.records.audience`` allows for a ``GENERALISED`` field: the named area, or the
map-grid square when no named area holds it. A location always has words: a card without one
says so rather than printing an empty "Location:".

Named areas are the rows of the ``census_areas`` layer whose name is not their code
(dissemination areas are named by their code); the smallest one holding the place is used.

>>> import shapely
>>> from portrait.records.problems import Location
>>> location_words(Location.point(shapely.Point(300_010, 5_040_020)), "en")
'within 100\xa0m of a point in the 250 m square of the map grid (column 1200, row 20160)'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from portrait.errors import PortraitError
from portrait.records.codec import decode
from portrait.records.problems import Location

INTERNAL_AUDIENCE = "internal"

#: language -> key -> sentence (a number and its unit never part at the end of a line).
_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "point": "dans un rayon de {radius}\u00a0m autour d'un point {place}",
        "area": "secteur tracé sur la carte, {hectares}\u00a0ha, {place}",
        "hot_spot_cell": "cellule de point chaud de {size}\u00a0m {place}",
        "census_area": "aire de recensement {name} {place}",
        "named_area": "quartier {name} {place}",
        "in_named": "dans {name}",
        "in_cell": "dans le carré de {size} m de la grille de la carte (colonne {column}, "
                   "rangée {row})",
        "partner_named": "aire {name}",
        "partner_cell": "carré de {size} m de la grille de la carte (colonne {column}, "
                        "rangée {row})",
        "none": "lieu non précisé",
    },
    "en": {
        "point": "within {radius}\u00a0m of a point {place}",
        "area": "area drawn on the map, {hectares}\u00a0ha, {place}",
        "hot_spot_cell": "hot spot cell of {size}\u00a0m {place}",
        "census_area": "census area {name} {place}",
        "named_area": "neighbourhood {name} {place}",
        "in_named": "in {name}",
        "in_cell": "in the {size} m square of the map grid (column {column}, row {row})",
        "partner_named": "area {name}",
        "partner_cell": "{size} m square of the map grid (column {column}, row {row})",
        "none": "place not given",
    },
}


def location_words(location: Location | Mapping[str, Any] | None, language: str,
                   areas: pd.DataFrame | None = None, audience: str = INTERNAL_AUDIENCE,
                   cell_size_m: float = 250.0) -> str:
    """Where the problem is, in one phrase of ``language`` ("fr" or "en").

    ``location`` is a ``Location`` or its encoded form (a record's ``to_dict()``);
    ``areas`` the workspace's census areas (``area_id``, ``name``, geometry, in the
    location's metric CRS), which name the place; ``audience`` "partner" gives only the
    generalised place, ``cell_size_m`` the map-grid square used when no named area holds
    it. The station's words start with the officer's own name for the place, if any.

    Examples
    --------
    >>> import shapely
    >>> cell = Location.hot_spot_cell("12", shapely.box(300_000, 5_040_000, 300_250, 5_040_250))
    >>> location_words(cell, "fr", audience="partner")
    'carré de 250 m de la grille de la carte (colonne 1200, rangée 20160)'
    """
    words = _WORDS.get(language, _WORDS["fr"])
    location = _as_location(location)
    if location is None:
        return words["none"]
    centre = location.geometry.representative_point()
    own = location.reference_id if location.kind == "census_area" else ""
    named = named_area(areas, location.geometry, own)
    size = max(float(cell_size_m), 1.0)
    cell = {"size": _number(size, language), "column": math.floor(centre.x / size),
            "row": math.floor(centre.y / size)}
    if audience != INTERNAL_AUDIENCE:
        return words["partner_named"].format(name=named) if named else \
            words["partner_cell"].format(**cell)
    described = _described(location, language, words, named, cell)
    # the officer's own name for the place ("devant l'école") stays in the station
    labelled = location.label and location.kind != "census_area"
    return f"{location.label} — {described}" if labelled else described


def _described(location: Location, language: str, words: dict[str, str], named: str,
               cell: dict[str, Any]) -> str:
    """The kind of place, its size and where it lies, for the station."""
    place = words["in_named"].format(name=named) if named else words["in_cell"].format(**cell)
    if location.kind == "point":
        return words["point"].format(radius=_number(location.radius_m, language), place=place)
    if location.kind == "area":
        hectares = location.geometry.area / 10_000
        return words["area"].format(
            hectares=_number(hectares, language, 1 if hectares >= 1 else 2), place=place)
    if location.kind == "hot_spot_cell":
        side = math.sqrt(location.geometry.area)
        return words["hot_spot_cell"].format(size=_number(side, language), place=place)
    # a census area named by a name, not its code, is a neighbourhood (a local area)
    key = "named_area" if location.label not in ("", location.reference_id) else "census_area"
    name = location.label or location.reference_id
    return words[key].format(name=name, place=place if named else "").strip()


def named_area(areas: pd.DataFrame | None, geometry: BaseGeometry, own_id: str = "") -> str:
    """The name of the smallest named area holding ``geometry``'s centre ("" for none);
    ``own_id`` (a census area location's own area) is not its own neighbourhood."""
    named = named_areas(areas)
    named = named[named["area_id"].astype(str) != str(own_id)]
    if named.empty:
        return ""
    holding = named[named.geometry.contains(geometry.representative_point())]
    if holding.empty:
        return ""
    return str(holding.loc[holding.geometry.area.idxmin(), "name"])


def named_areas(areas: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of ``areas`` named by a name rather than their code (neighbourhoods, local
    areas, boroughs); empty when there are none."""
    if areas is None or not len(areas) or "name" not in areas or "area_id" not in areas:
        return pd.DataFrame({"area_id": [], "name": []})
    names = areas["name"].astype(object)
    ids = areas["area_id"].astype(str)
    return areas[names.notna() & (names.astype(str).str.strip() != "")
                 & (names.astype(str) != ids)]


def _as_location(value: Location | Mapping[str, Any] | None) -> Location | None:
    """A ``Location`` from itself or its encoded form; None when it cannot be read (a
    brief states "place not given" rather than stopping)."""
    if value is None or isinstance(value, Location):
        return value
    try:
        return decode(Location, dict(value))
    except (PortraitError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _number(value: float | None, language: str, decimals: int = 0) -> str:
    text = f"{float(value or 0):,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",") if language == "fr" else text
