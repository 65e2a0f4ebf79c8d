"""Community-service inventories kept as spreadsheets (CSV or XLSX) by partners.

Column names vary between inventories, so each field is found among a few usual names.
Entries without coordinates are kept and flagged as not located: there is no geocoding
offline, and an unlocated food bank still counts in the station's inventory.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.text_files import decimal_numbers, sniff
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import SERVICES, conform
from portrait.services import service_type_for

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("NOM", "NAME", "NOM_ORGANISME", "ORGANISME", "ORGANISATION", "NOM FRANÇAIS"),
    "source_type": ("TYPE", "TYPE_SERVICE", "CATEGORIE", "CATÉGORIE", "CATEGORY", "SERVICE"),
    "address": ("ADRESSE", "ADDRESS", "ADRESSE_CIVIQUE"),
    "postal_code": ("CODE_POSTAL", "CODE POSTAL", "POSTAL_CODE"),
    "lat": ("LATITUDE", "LAT", "Y_LAT"),
    "lon": ("LONGITUDE", "LON", "LONG", "LNG", "X_LONG"),
}


def _resolve(columns: list[str]) -> dict[str, str]:
    upper = {c.strip().upper(): c for c in columns}
    found = {}
    for field, names in ALIASES.items():
        match = next((upper[n] for n in names if n in upper), None)
        if match is not None:
            found[field] = match
    return found


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, dtype=str, engine="openpyxl")
    text_format = sniff(path)
    return pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding, dtype=str,
                       keep_default_na=False, na_values=[""])


class ServiceInventoryReader:
    id = "service-inventory"
    label = "Répertoire de services communautaires (CSV, XLSX)"
    kind = "services"
    patterns = ("*.csv", "*.xlsx")
    priority = 30

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".xlsx"):
            return False
        try:
            header = list(_read_table(path).columns) if path.suffix.lower() == ".xlsx" \
                else list(sniff(path).header)
        except (ReaderError, ValueError, OSError):
            return False
        found = _resolve(header)
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
        columns = _resolve(list(table.columns))
        if "name" not in columns:
            raise ReaderError(path, "no column holds the service's name.",
                              expected=f"one of {', '.join(ALIASES['name'])}")
        report.rows_read = len(table)
        names = table[columns["name"]].str.strip()
        unnamed = names.isna() | (names == "")
        report.drop("no name", int(unnamed.sum()))
        table, names = table.loc[~unnamed], names.loc[~unnamed]
        source_types = table[columns["source_type"]].str.strip() if "source_type" in columns \
            else pd.Series(pd.NA, index=table.index, dtype="string")
        types = source_types.map(lambda t: service_type_for(t, context.service_type_mapping)
                                 if isinstance(t, str) else None)
        unmapped = source_types[types.isna()].value_counts()
        report.unmapped_categories = {str(k): int(v) for k, v in unmapped.items()}
        address = table[columns["address"]] if "address" in columns else pd.Series(
            pd.NA, index=table.index, dtype="string")
        if "postal_code" in columns:
            address = address.str.cat(table[columns["postal_code"]], sep=", ", na_rep="")
        geometry = self._points(table, columns, report)
        frame = pd.DataFrame({
            "service_id": (table.index + 2).astype(str),
            "name": names.to_numpy(),
            "service_type": types.to_numpy(),
            "source_type": source_types.to_numpy(),
            "address": address.str.strip(", ").to_numpy(),
            "source": f"inventory:{path.name}",
            "located": [g is not None for g in geometry],
        })
        report.rows_kept = len(frame)
        context.report_progress(1.0, f"{len(frame)} services")
        return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS), SERVICES)

    @staticmethod
    def _points(table: pd.DataFrame, columns: dict[str, str], report: ImportReport) -> np.ndarray:
        geometry = np.full(len(table), None, dtype=object)
        if "lat" not in columns or "lon" not in columns:
            report.flag("not located: the inventory has no coordinates", len(table))
            return geometry
        lat = decimal_numbers(table[columns["lat"]])
        lon = decimal_numbers(table[columns["lon"]])
        with np.errstate(invalid="ignore"):
            ok = (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ~((lat == 0) & (lon == 0))
        if ok.any():
            transformer = Transformer.from_crs(MAP_CRS, METRIC_CRS, always_xy=True)
            x, y = transformer.transform(lon[ok], lat[ok])
            geometry[ok] = shapely.points(x, y)
        report.flag("not located: no usable coordinates (kept, not on maps)", int((~ok).sum()))
        return geometry
