"""Community-service inventories kept as spreadsheets (CSV or XLSX) by partners.

Column names vary between inventories, French or English, so each field is found among a
few usual names. Entries without coordinates are kept and flagged as not located: there is
no geocoding offline, and an unlocated food bank still counts in the station's inventory.

The helpers at the end (service types from candidate source types, points from longitude and
latitude, the stations' extent) are shared by the other service readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data_connectors.base import ImportReport, ImportResult, ReadContext, Timer
from data_connectors.column_mapping import (
    LAT_LON_MEANINGS,
    Field,
    guess_columns,
    resolve,
    user_mapping,
)
from data_connectors.survey_formats import first_rows, read_cells
from data_connectors.text_files import decimal_numbers, sniff
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import SERVICES, conform
from portrait.services import fold

FIELDS = (
    Field("name", "Nom de l'organisme ou du service", "Name of the organisation or service",
          required=True,
          guesses=("nom", "name", "nom organisme", "organisme", "organisation",
                   "nom francais", "nom de l'organisme", "nom du service", "organization",
                   "organization name", "organisation name", "service name", "program name",
                   "agency", "agency name")),
    Field("source_type", "Type de service, tel que la source l'écrit (rattaché à un type "
          "commun)", "Service type as the source writes it (mapped to a common type)",
          guesses=("type", "type service", "type de service", "categorie", "category",
                   "service", "service type", "type of service", "service category",
                   "categories", "domaine", "domaine d'intervention")),
    Field("address", "Adresse civique", "Street address",
          guesses=("adresse", "address", "adresse civique", "street address", "address 1",
                   "address line 1", "civic address")),
    Field("city", "Ville", "City", guesses=("ville", "city", "municipalite", "municipality")),
    Field("postal_code", "Code postal", "Postal code",
          guesses=("code postal", "postal code", "postcode", "codepostal")),
    Field("lat", *LAT_LON_MEANINGS["lat"], guesses=("latitude", "lat", "y lat")),
    Field("lon", *LAT_LON_MEANINGS["lon"], guesses=("longitude", "lon", "long", "lng", "x long")),
)


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        cells = read_cells(path)
        table = cells.iloc[1:].reset_index(drop=True).astype("string")
        table.columns = [str(h).strip() if pd.notna(h) else f"column {i + 1}"
                         for i, h in enumerate(cells.iloc[0])]
        return table
    text_format = sniff(path)
    return pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding, dtype=str,
                       keep_default_na=False, na_values=[""])


class ServiceInventoryReader:
    id = "service-inventory"
    label = "Répertoire de services communautaires (CSV, XLSX)"
    kind = "services"
    patterns = ("*.csv", "*.xlsx")
    priority = 30
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".xlsx"):
            return False
        rows = first_rows(path, 1)
        if not rows:
            return False
        found = guess_columns(FIELDS, rows[0])
        return {"name", "source_type"} <= set(found) and ("lat" in found or "address" in found)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), SERVICES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({SERVICES.name: frame}, report, ("source", f"inventory:{path.name}"))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        context.report_progress(0.1, "reading inventory")
        table = _read_table(path)
        resolved = resolve(path, FIELDS, list(table.columns), user_mapping(context))
        resolved.note(report)
        columns = resolved.columns
        report.rows_read = len(table)
        names = table[columns["name"]].str.strip()
        unnamed = names.isna() | (names == "")
        report.drop("no name", int(unnamed.sum()))
        table, names = table.loc[~unnamed], names.loc[~unnamed]
        source_types = table[columns["source_type"]].str.strip() if "source_type" in columns \
            else pd.Series(pd.NA, index=table.index, dtype="string")
        source_types, types = service_types([source_types], context.service_type_mapping)
        unmapped = source_types[types.isna()].value_counts()
        report.unmapped_categories = {str(k): int(v) for k, v in unmapped.items()}
        address = join_parts(*(table[columns[f]] if f in columns else None
                               for f in ("address", "city", "postal_code")))
        geometry = self._points(table, columns, report)
        return services_layer({"service_id": (table.index + 2).astype(str), "name": names,
                               "service_type": types, "source_type": source_types,
                               "address": address, "source": f"inventory:{path.name}"},
                              geometry, report, context)

    @staticmethod
    def _points(table: pd.DataFrame, columns: dict[str, str], report: ImportReport) -> np.ndarray:
        if "lat" not in columns or "lon" not in columns:
            report.flag("not located: the inventory has no coordinates", len(table))
            return np.full(len(table), None, dtype=object)
        geometry = points_from_lonlat(decimal_numbers(table[columns["lon"]]),
                                      decimal_numbers(table[columns["lat"]]))
        report.flag("not located: no usable coordinates (kept, not on maps)",
                    int(pd.isna(geometry).sum()))
        return geometry


def services_layer(columns: dict[str, Any], geometry: np.ndarray, report: ImportReport,
                   context: ReadContext, keep: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """The services layer from what a reader found (``service_id``, ``name``,
    ``service_type``, ``source_type``, ``address`` as columns, ``source`` as one text), rows
    in ``keep`` only: every services reader ends here, so the layer is written alike."""
    frame = pd.DataFrame({name: value.to_numpy() if isinstance(value, pd.Series | pd.Index)
                          else value for name, value in columns.items()})
    frame["located"] = pd.notna(geometry)
    if keep is not None:
        frame, geometry = frame.loc[keep], geometry[keep]
    report.rows_kept = len(frame)
    context.report_progress(1.0, f"{len(frame)} services")
    return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS), SERVICES)


def service_types(candidates: list[pd.Series], mapping: dict[str, str]
                  ) -> tuple[pd.Series, pd.Series]:
    """(source type, service type) per row, from candidate source types.

    Candidates go from most to least specific (a Lieux d'intérêt type before its category,
    an OSM social_facility before its amenity). The service type comes from the first
    candidate the mapping knows; the source type is the most specific candidate given, so
    that a person editing the mapping sees, and can remap, the finest distinction the
    source makes ("École primaire" rather than its category).
    """
    index = candidates[0].index
    cleaned = [c.astype("string").str.strip().replace("", pd.NA) for c in candidates]
    service = pd.Series(pd.NA, index=index, dtype="string")
    for candidate in cleaned:
        lookup = {value: mapping.get(fold(value)) for value in candidate.dropna().unique()}
        service = service.fillna(candidate.map(lookup, na_action="ignore").astype("string"))
    source = cleaned[0]
    for candidate in cleaned[1:]:
        source = source.fillna(candidate)
    return source, service


def join_parts(*parts: pd.Series | None, sep: str = ", ") -> pd.Series:
    """Address parts joined, skipping empty ones ("12 rue X, H2X 1Y4")."""
    present = [p.astype("string").str.strip().replace("", pd.NA) for p in parts
               if p is not None]
    if not present:
        return pd.Series(dtype="string")
    joined = present[0]
    for part in present[1:]:
        both = joined.notna() & part.notna()
        joined = (joined + sep + part).where(both, joined.fillna(part))
    return joined


def points_from_lonlat(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points in the metric CRS, None where the coordinates are missing, out of range or 0/0."""
    geometry = np.full(len(lon), None, dtype=object)
    with np.errstate(invalid="ignore"):
        ok = (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ~((lat == 0) & (lon == 0))
    if ok.any():
        transformer = Transformer.from_crs(MAP_CRS, METRIC_CRS, always_xy=True)
        x, y = transformer.transform(lon[ok], lat[ok])
        geometry[ok] = shapely.points(x, y)
    return geometry


def outside_extent(geometry: np.ndarray, bounds: tuple[float, float, float, float] | None,
                   margin: float = 1_000.0) -> np.ndarray:
    """Which points lie beyond the stations' bounds grown by ``margin`` metres (unlocated
    points are never outside: nothing says where they are)."""
    outside = np.zeros(len(geometry), dtype=bool)
    if bounds is None:
        return outside
    located = pd.notna(geometry)
    if located.any():
        x = shapely.get_x(geometry[located].astype(object))
        y = shapely.get_y(geometry[located].astype(object))
        minx, miny, maxx, maxy = bounds
        outside[located] = ((x < minx - margin) | (x > maxx + margin)
                            | (y < miny - margin) | (y > maxy + margin))
    return outside
