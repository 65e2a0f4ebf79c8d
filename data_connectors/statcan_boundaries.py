"""Statistics Canada dissemination-area boundaries (``lda_000b21a_e``), in EPSG:3347.

The national file holds about 57,000 areas; only those that touch the workspace's stations
are kept, read through a bounding-box filter so the rest never reach memory.

Extracts republished as GeoJSON often carry the DAUID as the feature's own ``id`` member
rather than as a property, mix Polygon and MultiPolygon features (GDAL then reports the
layer's geometry type as "Unknown") and omit the ``crs`` member (WGS84, RFC 7946): such a
file is recognised when its ids are eight-digit DA codes.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import CRS, Transformer

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field, resolve, user_mapping
from data_connectors.station_boundaries import find_column, polygon_layer_info
from portrait.crs import METRIC_CRS
from portrait.layers import CENSUS_AREAS, conform

#: Folded names of the columns of area codes, and the level of the areas they code.
LEVELS = {"dauid": "DA", "dguid": "DA", "ctuid": "CT", "csduid": "CSD"}
ID_COLUMNS = tuple(LEVELS)
FIELDS = (
    Field("code", "Code de l'aire de Statistique Canada (AD, SR, SDR)",
          "Statistics Canada area code (DA, CT, CSD)", required=True, guesses=ID_COLUMNS),
    Field("level", "Niveau des aires (DA, CT, CSD) quand la colonne ne le dit pas",
          "Level of the areas (DA, CT, CSD) when the column does not tell", setting=True),
)
#: A dissemination-area code: province (2 digits), census division (2) and area (4).
DAUID = re.compile(r"\d{8}")
_GEOJSON = (".geojson", ".json")


class StatCanBoundaryReader:
    id = "statcan-boundaries"
    label = "Statistique Canada — limites des aires de diffusion (lda_000b21a)"
    kind = "census-areas"
    patterns = ("*.shp", "*.gpkg", "*.geojson", "*.json")
    priority = 45
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        return id_column(path) is not None

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_AREAS.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_AREAS.name: frame}, report, ("level", _level(frame)))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        info = pyogrio.read_info(path)
        if not info.get("crs"):
            raise ReaderError(path, "the file declares no coordinate reference system.")
        mapping = dict(user_mapping(context) or {})
        found = id_column(path)
        if found is not None:
            mapping.setdefault("code", found)  # also the GeoJSON's feature ids
        columns = resolve(path, FIELDS, [str(f) for f in info["fields"]], mapping)
        columns.note(report)
        column = columns.columns["code"]
        level = columns.settings.get("level") or LEVELS.get(column.lower(), "DA")
        bbox = None
        if context.station_bounds is not None:
            bbox = _bounds_in(context.station_bounds, CRS.from_user_input(info["crs"]))
        context.report_progress(0.1, "reading census areas")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, engine="pyogrio", bbox=bbox)
        report.rows_read = int(info.get("features") or len(frame))
        if bbox is not None:
            report.drop("outside the stations' extent", report.rows_read - len(frame))
        code = frame[column].astype("string").str.strip()
        if column.lower() == "dguid":
            code = code.str.slice(-8)
        frame = frame.assign(area_id=code, name=code, level=level,
                             census_year=2021)
        report.rows_kept = len(frame)
        context.report_progress(1.0, f"{len(frame):,} census areas")
        return conform(frame[["area_id", "name", "level", "census_year", "geometry"]],
                       CENSUS_AREAS)


def id_column(path: Path) -> str | None:
    """The column of area codes: a StatCan code column, or a GeoJSON's ``id`` member when
    it holds DA codes; None when the file is not a polygon layer of StatCan areas."""
    info = polygon_layer_info(path)
    geojson = path.suffix.lower() in _GEOJSON
    if info is None and geojson:
        info = _mixed_polygons_info(path)
    if info is None:
        return None
    fields = [str(f) for f in info["fields"]]
    found = find_column(fields, ID_COLUMNS)
    if found is not None or not geojson:
        return found
    member = find_column(fields, ("id",))
    if member is None:
        return None
    try:
        with warnings.catch_warnings():  # GDAL's note that ids are no JSON: no matter here
            warnings.simplefilter("ignore", UserWarning)
            sample = pyogrio.read_dataframe(path, columns=[member], read_geometry=False,
                                            max_features=50)
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None
    codes = sample[member].dropna().astype(str).str.strip()
    return member if len(codes) and bool(codes.str.fullmatch(DAUID.pattern).all()) else None


def _mixed_polygons_info(path: Path) -> dict | None:
    """A GeoJSON layer of mixed Polygon and MultiPolygon features (type "Unknown")."""
    try:
        info = pyogrio.read_info(path)
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None
    return info if str(info.get("geometry_type")) == "Unknown" else None


def _bounds_in(bounds: tuple[float, float, float, float], crs: CRS) -> tuple[float, ...]:
    transformer = Transformer.from_crs(METRIC_CRS, crs, always_xy=True)
    return transformer.transform_bounds(*bounds, densify_pts=21)


def _level(frame) -> str:
    return str(frame["level"].iloc[0]) if len(frame) else "DA"
