"""Which column of a dispatch (CAD) export holds which call field: the mapping, its guess
from the column names, and the known layouts.

One mapping mechanism for calls, like ``mapped_points.ColumnMapping`` for incidents: it comes
from the import options, the workspace (confirmed once, reused), a known layout, or a guess.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data_connectors.column_mapping import (
    LAT_LON_MEANINGS,
    Field,
    MappingError,
    check_mapping_keys,
    guess_columns,
)

#: Folded column names that hold each field (exact names only: a wrong guess costs more
#: than a question in the wizard).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("call_id", "incident_num", "no_appel", "numero_appel", "event_id", "cad_id",
           "call_number", "event_number", "no_evenement"),
    "received": ("received", "date_time", "call_received", "time_received", "received_time",
                 "date_heure", "date_heure_reception", "heure_reception", "call_datetime",
                 "reception"),
    "call_type": ("call_type", "type_appel", "code_appel", "call_code", "nature_code",
                  "type_code", "code_type"),
    "call_type_label": ("call_type_description", "description_appel", "type_description",
                        "libelle_appel", "call_description", "nature"),
    "priority": ("priority", "priorite", "call_priority"),
    "disposition": ("disposition", "code_disposition", "disposition_code", "dispo",
                    "issue_appel", "code_issue"),
    "area": ("beat", "secteur", "sector", "patrol_area", "zone_patrouille", "area_code"),
    "station": ("pdq", "poste", "station", "station_id", "no_pdq"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "long", "longitude"),
    "dispatched": ("dispatched", "time_dispatched", "dispatch_time", "heure_affectation",
                   "affectation"),
    "arrived": ("arrived", "on_scene", "time_arrived", "arrival_time", "heure_arrivee",
                "arrivee"),
    "cleared": ("cleared", "time_cleared", "clear_time", "heure_fin", "fin_intervention"),
    "units": ("units", "unit_count", "nb_unites", "unites"),
    "self_initiated": ("self_initiated", "officer_initiated", "initiative_policiere",
                       "auto_initie"),
    "address": ("address", "adresse", "lieu"),
}


_MEANINGS: dict[str, tuple[str, str]] = {
    "id": ("Numéro unique de l'appel", "Unique call number"),
    "received": ("Date et heure de réception de l'appel", "Date and time the call came in"),
    "call_type": ("Code ou nom du type d'appel", "Call type code or name"),
    "call_type_label": ("Libellé du type d'appel", "Call type description"),
    "priority": ("Priorité de l'appel", "Call priority"),
    "disposition": ("Issue de l'appel (code)", "Call disposition (code)"),
    "area": ("Secteur de patrouille (placé par « area_stations »)",
             "Patrol area or beat (placed by 'area_stations')"),
    "station": ("Poste de l'appel", "Station of the call"),
    **LAT_LON_MEANINGS,
    "x": ("Coordonnée x, dans le SCR « crs »", "x coordinate, in the CRS 'crs'"),
    "y": ("Coordonnée y, dans le SCR « crs »", "y coordinate, in the CRS 'crs'"),
    "dispatched": ("Heure d'affectation", "Time dispatched"),
    "arrived": ("Heure d'arrivée sur les lieux", "Time arrived on scene"),
    "cleared": ("Heure de fin d'intervention", "Time cleared"),
    "units": ("Nombre d'unités", "Number of units"),
    "self_initiated": ("Initiative policière (oui/non)", "Self-initiated (yes/no)"),
    "address": ("Adresse (une ou plusieurs colonnes, jointes)",
                "Address (one or more columns, joined)"),
}
_SETTINGS: dict[str, tuple[str, str]] = {
    "received_format": ("Forme des dates (ex. YYYY-MM-DD HH:MM:SS)",
                        "Form of the dates (e.g. YYYY-MM-DD HH:MM:SS)"),
    "area_none": ("Valeur qui veut dire « aucun secteur » (ex. -1)",
                  "Value meaning 'no area' (e.g. -1)"),
    "crs": ("Code EPSG des colonnes x/y", "EPSG code of the x/y columns"),
    "call_type_lookup": ("Table CSV code -> libellé des types d'appel",
                         "CSV table call type code -> description"),
    "disposition_lookup": ("Table CSV code -> libellé des issues",
                           "CSV table disposition code -> description"),
    "area_stations": ("Secteur -> poste : objet JSON ou table CSV",
                      "Area -> station: JSON object or CSV table"),
}
FIELDS = tuple(
    Field(name, *meaning, required=name in ("received", "call_type"),
          guesses=tuple(a.replace("_", " ") for a in ALIASES.get(name, ())))
    for name, meaning in _MEANINGS.items()
) + tuple(Field(name, *meaning, setting=True) for name, meaning in _SETTINGS.items())


@dataclass(frozen=True)
class CallMapping:
    """Which column of a dispatch export holds which call field.

    ``address`` may list several columns (number, street, suffix...), joined with spaces.
    ``area_none`` is the value the source writes for "no area" (San Diego: ``-1``).
    ``call_type_lookup`` and ``disposition_lookup`` are code tables (CSV, relative to the
    calls file); ``area_stations`` is an area code -> station table, inline or a CSV file.
    """

    received: str | None = None
    received_format: str | None = None
    call_type: str | None = None
    call_type_label: str | None = None
    priority: str | None = None
    disposition: str | None = None
    area: str | None = None
    area_none: str | None = None
    station: str | None = None
    address: tuple[str, ...] = ()
    lat: str | None = None
    lon: str | None = None
    x: str | None = None
    y: str | None = None
    crs: str | None = None
    dispatched: str | None = None
    arrived: str | None = None
    cleared: str | None = None
    units: str | None = None
    self_initiated: str | None = None
    id: str | None = None
    call_type_lookup: str | None = None
    disposition_lookup: str | None = None
    area_stations: Any = None

    COLUMN_FIELDS = ("received", "call_type", "call_type_label", "priority", "disposition",
                     "area", "station", "lat", "lon", "x", "y", "dispatched", "arrived",
                     "cleared", "units", "self_initiated", "id")

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, JSON-ready (what the workspace remembers)."""
        defaults = CallMapping()
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
               if getattr(self, f.name) != getattr(defaults, f.name)}
        if "address" in out:
            out["address"] = list(self.address)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CallMapping:
        """A mapping from JSON, refusing unknown keys (naming the closest known one)."""
        check_mapping_keys(data, [f.name for f in dataclasses.fields(cls)],
                           "calls column mapping")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if key == "address":
                values[key] = tuple(str(v).strip() for v in (
                    value if isinstance(value, list | tuple) else [value]) if str(v).strip())
            elif key == "area_stations":
                if not isinstance(value, str | Mapping):
                    raise MappingError("Column mapping: 'area_stations' must be a CSV file name "
                                       "or an object (area code -> station id).")
                values[key] = value
            elif not isinstance(value, str | int):
                raise MappingError(f"Column mapping: {key!r} must be a text, not {value!r}.")
            else:
                values[key] = str(value).strip()
        if str(values.get("crs", "")).isdigit():
            values["crs"] = f"EPSG:{values['crs']}"
        return cls(**values)

    def columns(self) -> dict[str, str]:
        """Field -> column name, for the fields that name one column."""
        return {f: getattr(self, f) for f in self.COLUMN_FIELDS if getattr(self, f)}

    def missing(self) -> list[str]:
        """What an import still needs, in words a person can act on."""
        needs = []
        if not self.received:
            needs.append("received (the date and time the call came in)")
        if not self.call_type:
            needs.append("call_type (the call type code or name)")
        if (self.x or self.y) and not (self.x and self.y and self.crs):
            needs.append("x, y and crs together (e.g. EPSG:32188 for MTM zone 8)")
        if bool(self.lat) != bool(self.lon):
            needs.append("lat and lon together")
        return needs


#: The San Diego Police Department's open-data layout (see its PROVENANCE.md).
SAN_DIEGO = CallMapping(
    id="incident_num", received="date_time", received_format="YYYY-MM-DD HH:MM:SS",
    call_type="call_type", priority="priority", disposition="disposition", area="beat",
    area_none="-1",
    address=("address_number_primary", "address_dir_primary", "address_road_primary",
             "address_sfx_primary", "address_dir_intersecting", "address_road_intersecting",
             "address_sfx_intersecting"))
LAYOUTS: dict[str, CallMapping] = {"San Diego Police calls for service": SAN_DIEGO}


def propose_call_mapping(header: tuple[str, ...]) -> CallMapping:
    """A known layout when the header is one, else a guess from the column names."""
    columns = set(header)
    for layout in LAYOUTS.values():
        wanted = set(layout.columns().values()) | set(layout.address)
        if wanted <= columns:
            return layout
    chosen: dict[str, Any] = guess_columns(FIELDS, list(header))
    if "address" in chosen:
        chosen["address"] = (chosen["address"],)
    return CallMapping(**chosen)
