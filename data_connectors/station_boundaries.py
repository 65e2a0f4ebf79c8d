"""Station (PDQ) boundaries from any polygon file GDAL reads, in whatever CRS it declares.

Both SPVM vintages load: the older WGS84 ``limitespdq.geojson`` (PDQ as int, NOM_PDQ
"PDQ-1") and the newer MTM8 one (PDQ as a float such as 1.0).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from portrait.layers import STATIONS, conform
from portrait.stations import normalise_station_id, station_label

VECTOR_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg")
#: Column names that hold the station number, in order of preference.
ID_COLUMNS = ("PDQ", "NO_PDQ", "NUM_PDQ", "STATION", "STATION_ID", "NOM_PDQ", "DESC_LIEU")
NAME_COLUMNS = ("NOM_PDQ", "NOM", "NAME", "DESC_LIEU")


def polygon_layer_info(path: Path) -> dict | None:
    """pyogrio's description of the first layer when it holds polygons, else None."""
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        return None
    try:
        info = pyogrio.read_info(path)
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None
    return info if "Polygon" in str(info.get("geometry_type")) else None


def find_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    upper = {c.upper(): c for c in columns}
    return next((upper[c] for c in candidates if c in upper), None)


class StationBoundaryReader:
    id = "station-boundaries"
    label = "Limites des postes de quartier (GeoJSON, Shapefile, GeoPackage)"
    kind = "stations"
    patterns = tuple(f"*{suffix}" for suffix in VECTOR_SUFFIXES)
    priority = 40

    def can_read(self, path: Path) -> bool:
        info = polygon_layer_info(path)
        return info is not None and find_column(list(info["fields"]), ID_COLUMNS) is not None

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), STATIONS.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({STATIONS.name: frame}, report, replace_key=None)

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        context.report_progress(0.1, "reading boundaries")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, engine="pyogrio")
        if frame.crs is None:
            raise ReaderError(path, "the file declares no coordinate reference system.",
                              expected="a file with a CRS (a .prj, or a GeoJSON crs member)")
        id_column = find_column(list(frame.columns), ID_COLUMNS)
        if id_column is None:
            raise ReaderError(path, "no column holds the station number.",
                              expected=f"one of {', '.join(ID_COLUMNS)}")
        report.rows_read = len(frame)
        ids = frame[id_column].map(normalise_station_id)
        unusable = ids.isna() | frame.geometry.isna() | frame.geometry.is_empty
        for row in frame.index[unusable][:5]:
            report.example(int(row) + 1, id_column, frame.at[row, id_column],
                           "no station number or no geometry")
        report.drop("no station number or no geometry", int(unusable.sum()))
        frame = frame.loc[~unusable].assign(station_id=ids[~unusable])
        name_column = find_column(list(frame.columns), NAME_COLUMNS)
        names = frame[name_column] if name_column else frame["station_id"].map(station_label)
        frame = frame.assign(name=names.astype("string"))
        merged = frame.dissolve(by="station_id", as_index=False, aggfunc="first")
        if len(merged) < len(frame):
            report.warnings.append(
                f"{len(frame) - len(merged)} station(s) had several polygons; they were merged."
            )
        merged["geometry"] = merged.geometry.make_valid()
        report.rows_kept = len(merged)
        context.report_progress(1.0, f"{len(merged)} stations")
        return conform(merged[["station_id", "name", "geometry"]], STATIONS)

