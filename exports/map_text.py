"""Words and number formats printed on exported maps, in French and English.

Exports cannot use the UI's string table (exports never import ``ui``), so the few words a
map shows live here. Numbers follow each language's conventions ("23,4 %" / "23.4%")
because officers paste these maps into reports written in that language.
"""

from __future__ import annotations

import math

from portrait.indicators import MEDIAN, RATE, SCORE, SHARE, Indicator
from portrait.service_words import in_use

MAP_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "stations_layer": "Limites des {stations}",
        "neighbour_stations": "{stations} voisins",
        "census_layer": "Recensement : {indicator}",
        "incidents_layer": "Incidents",
        "incident_cells_layer": "Incidents (carrés de {size} m)",
        "services_layer": "Services",
        "incidents_legend": "Incidents localisés : {count}",
        "incident_cells_legend": "Incidents par carré de {size} m ({count} au total)",
        "incident_cells_legend_partner": "Incidents par carré de {size} m",
        "unlocated": "{count} sans localisation, non cartographiés",
        "unlocated_partner": "incidents sans localisation non cartographiés",
        "services_legend": "Services",
        "no_data": "Donnée non disponible",
        "no_type": "Type non précisé",
        "other_types": "Autres types",
        "cell_tooltip": "{count} incident(s)",
        "title": "Portrait de quartier — {station}",
        "legend": "Légende",
        "legend_fold_tip": "Replier ou déplier la légende",
        "tiles_layer": "Fond de carte",
    },
    "en": {
        "stations_layer": "Station boundaries",
        "neighbour_stations": "Neighbouring stations",
        "census_layer": "Census: {indicator}",
        "incidents_layer": "Incidents",
        "incident_cells_layer": "Incidents ({size} m squares)",
        "services_layer": "Services",
        "incidents_legend": "Located incidents: {count}",
        "incident_cells_legend": "Incidents per {size} m square ({count} in all)",
        "incident_cells_legend_partner": "Incidents per {size} m square",
        "unlocated": "{count} with no location, not mapped",
        "unlocated_partner": "incidents with no location not mapped",
        "services_legend": "Services",
        "no_data": "No data",
        "no_type": "Type not given",
        "other_types": "Other types",
        "cell_tooltip": "{count} incident(s)",
        "title": "Portrait de quartier — {station}",
        "legend": "Legend",
        "legend_fold_tip": "Fold or unfold the legend",
        "tiles_layer": "Base map",
    },
}


def map_text(key: str, language: str, **values: object) -> str:
    """The map wording ``key`` in ``language`` (French when the language is unknown)."""
    table = MAP_TEXT.get(language, MAP_TEXT["fr"])
    return table[key].format(**{"stations": in_use().stations_term, **values})


def station_label(station_id: str) -> str:
    """How officers name a station: "PDQ 38" (the service's own term, see
    ``portrait.service_words``) for a numeric id, the id itself otherwise."""
    return in_use().station_label(station_id)


def format_count(count: float, language: str) -> str:
    """A whole number with the language's thousands separator (narrow space in French)."""
    text = f"{round(count):,}"
    return text.replace(",", "\u202f") if language == "fr" else text


def format_value(value: float, item: Indicator, language: str) -> str:
    """An indicator value as officers read it: a percentage, dollars or a count."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return map_text("no_data", language)
    if item.kind == SHARE:
        number = f"{value:.1f}"
        return f"{number.replace('.', ',')}\u00a0%" if language == "fr" else f"{number}%"
    if item.kind == RATE:  # per 1,000 residents and the like
        number = f"{value:,.1f}"
        return number.replace(",", "\u202f").replace(".", ",") if language == "fr" else number
    if item.kind == SCORE:  # standardised deprivation scores, around 0
        number = f"{value:.2f}"
        return number.replace(".", ",") if language == "fr" else number
    if item.kind == MEDIAN and item.unit == "$":
        amount = format_count(value, language)
        return f"{amount}\u00a0$" if language == "fr" else f"${amount}"
    return format_count(value, language)
