"""One colour per service type, the same in every station, in the app and in every export.

Colours used to be handed out by frequency, station by station: food banks were orange in
one station and blue in the next, and the most frequent type took the incidents' orange.
Every drawing of services (the web map in the app and in briefs, the PDF's static map, the
app's coverage chart) asks this registry instead. The twelve colours were chosen to stay
apart from one another and far from the incidents' red-orange, the problems' purple and the
hot and cold spots' reds and blues (``tests/test_service_palette.py`` measures it).

>>> service_colour("food")
'#009E73'
>>> service_colour("Aide alimentaire") == service_colour("Food") == service_colour("food")
True
"""

from __future__ import annotations

from portrait.services import BY_ID, SERVICE_TYPES

#: Taxonomy id -> colour (``portrait.services.SERVICE_TYPES``; "other" and unknown: grey).
SERVICE_COLOURS: dict[str, str] = {
    "food": "#009E73",
    "housing": "#000080",
    "mental_health": "#BC80BD",
    "addiction": "#8DD3C7",
    "youth": "#F0E442",
    "seniors": "#FB9A99",
    "family_violence": "#E7298A",
    "newcomers": "#66A61E",
    "community_centre": "#FFFF99",
    "health_clinic": "#00441B",
    "education": "#FFFFFF",
    "police_fire": "#000000",
    "other": "#999999",
}
OTHER_SERVICE_COLOUR = SERVICE_COLOURS["other"]

_BY_LABEL: dict[str, str] = {
    label: kind.id for kind in SERVICE_TYPES for label in (kind.label_fr, kind.label_en)}


def service_type_id(value: object) -> str:
    """The taxonomy id of a type given by its id or its French or English label ("other"
    for anything else): drawings receive one or the other."""
    if not isinstance(value, str):
        return "other"
    if value in BY_ID:
        return value
    return _BY_LABEL.get(value, "other")


def service_colour(value: object) -> str:
    """The colour of a service type (id or label); grey for a type outside the taxonomy."""
    return SERVICE_COLOURS.get(service_type_id(value), OTHER_SERVICE_COLOUR)


def legend_order(values: list[object]) -> list[str]:
    """The taxonomy ids among ``values``, in the taxonomy's order ("other" last)."""
    present = {service_type_id(v) for v in values}
    return [kind.id for kind in SERVICE_TYPES if kind.id in present]
