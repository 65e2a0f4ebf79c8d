"""Ville de Montréal "Lieux d'intérêt" (points of interest, GeoJSON) as a services inventory.

The file lists 3,231 places of every kind: community organisations, police and fire stations,
CLSC and hospitals, libraries and schools, but also 955 parks and community gardens, hotels,
taxi stands, public art... Each place's type, then its category, then its family is looked up
in the service-type mapping; places none of them maps are not community services and are
dropped, counted by category ("not a community service (park)" for the parks). Parks are
dropped rather than kept as "other" because the services layer feeds coverage and gap
analyses of help and services; a park is a place, already drawn on the base map. Mapping a
category in the workspace (say "parc et autre espace vert") brings it back at the next import.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import (
    LAT_LON_MEANINGS,
    Field,
    guess_columns,
    resolve,
    user_mapping,
)
from data_connectors.service_inventory import (
    join_parts,
    points_from_lonlat,
    service_types,
    services_layer,
)
from data_connectors.text_files import decimal_numbers
from portrait.crs import METRIC_CRS
from portrait.layers import SERVICES
from portrait.services import fold

SUFFIXES = (".geojson", ".json")
#: The city's properties (folded names, as ``column_mapping.header_key`` folds them).
FIELDS = (
    Field("id", "Identifiant du lieu", "Place id", guesses=("id",)),
    Field("family", "Famille (grand groupe de lieux)", "Family (broad group of places)",
          guesses=("famille",)),
    Field("category", "Catégorie du lieu", "Category of the place", required=True,
          guesses=("categorie",)),
    Field("type", "Type du lieu", "Type of the place", required=True, guesses=("type",)),
    Field("name", "Nom du lieu", "Name of the place", required=True,
          guesses=("nom francais", "nom", "nom court")),
    Field("number", "Numéro civique", "Civic number", guesses=("numero", "no civique")),
    Field("street", "Rue", "Street", guesses=("rue",)),
    Field("suite", "Bureau", "Suite", guesses=("bureau",)),
    Field("postal_code", "Code postal", "Postal code", guesses=("code postal",)),
    Field("lon", *LAT_LON_MEANINGS["lon"], guesses=("longitude",)),
    Field("lat", *LAT_LON_MEANINGS["lat"], guesses=("latitude",)),
)
#: Short words for the drop reasons of the categories most of the file is made of.
REASONS = {"parc et autre espace vert": "park"}


class LieuxInteretReader:
    id = "lieux-interet"
    label = "Lieux d'intérêt de la Ville de Montréal (GeoJSON)"
    kind = "services"
    patterns = ("*.geojson", "*.json")
    priority = 42
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in SUFFIXES:
            return False
        try:
            info = pyogrio.read_info(path)
        except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
            return False
        found = guess_columns(FIELDS, list(info.get("fields", [])))
        return {"family", "category", "type", "name"} <= set(found)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), SERVICES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({SERVICES.name: frame}, report,
                            ("source", f"lieux-interet:{path.name}"))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        context.report_progress(0.1, "reading points of interest")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                places = gpd.read_file(path, engine="pyogrio")
        except Exception as error:  # noqa: BLE001 - GDAL's errors name no field
            raise ReaderError(path, f"is not a readable GeoJSON file ({error}).") from error
        resolved = resolve(path, FIELDS, [str(c) for c in places.columns if c != "geometry"],
                           user_mapping(context))
        resolved.note(report)
        fields = resolved.columns
        report.rows_read = len(places)

        def text(field: str) -> pd.Series:
            if field not in fields:
                return pd.Series(pd.NA, index=places.index, dtype="string")
            values = places[fields[field]].astype("string").str.strip()
            return values.mask(values == "")

        context.report_progress(0.5, "mapping place types")
        candidates = [text("type"), text("category"), text("family")]
        source_types, types = service_types(candidates, context.service_type_mapping)
        not_service = types.isna()
        for category, count in text("category")[not_service].fillna("(no category)") \
                .value_counts().items():
            reason = REASONS.get(fold(category), category)
            report.drop(f"not a community service ({reason})", int(count))
        names = text("name")
        unnamed = names.isna() & ~not_service
        report.drop("no name", int(unnamed.sum()))
        keep = (~not_service & ~unnamed).to_numpy()

        suite = text("suite")
        street = join_parts(text("number"), text("street"), sep=" ")
        address = join_parts(street, ("bureau " + suite).where(suite.notna()),
                             text("postal_code"))
        geometry = self._points(places, fields)
        ids = text("id").fillna(pd.Series((places.index + 1).astype(str), index=places.index))
        report.flag("not located: no usable coordinates (kept, not on maps)",
                    int(pd.isna(geometry[keep]).sum()))
        return services_layer({"service_id": ids, "name": names, "service_type": types,
                               "source_type": source_types, "address": address,
                               "source": f"lieux-interet:{path.name}"},
                              geometry, report, context, keep)

    @staticmethod
    def _points(places: gpd.GeoDataFrame, fields: dict[str, str]) -> np.ndarray:
        """The feature's point, or the Longitude/Latitude properties when it has none."""
        geometry = np.full(len(places), None, dtype=object)
        if places.crs is not None:
            projected = places.geometry.to_crs(METRIC_CRS)
            usable = (projected.notna() & ~projected.is_empty).to_numpy()
            if usable.any():
                points = projected[usable].representative_point()
                geometry[usable] = points.to_numpy()
        if "lon" in fields and "lat" in fields:
            fallback = points_from_lonlat(decimal_numbers(places[fields["lon"]].astype("string")),
                                          decimal_numbers(places[fields["lat"]].astype("string")))
            missing = pd.isna(geometry)
            geometry[missing] = fallback[missing]
        return geometry
