"""Statistics Canada dissemination-area boundaries (``lda_000b21a_e``), in EPSG:3347.

The national file holds about 57,000 areas; only those that touch the workspace's stations
are kept, read through a bounding-box filter so the rest never reach memory.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import CRS, Transformer

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.station_boundaries import find_column, polygon_layer_info
from portrait.crs import METRIC_CRS
from portrait.layers import CENSUS_AREAS, conform

ID_COLUMNS = ("DAUID", "DGUID", "CTUID", "CSDUID")
LEVELS = {"DAUID": "DA", "DGUID": "DA", "CTUID": "CT", "CSDUID": "CSD"}


class StatCanBoundaryReader:
    id = "statcan-boundaries"
    label = "Statistique Canada — limites des aires de diffusion (lda_000b21a)"
    kind = "census-areas"
    patterns = ("*.shp", "*.gpkg", "*.geojson", "*.json")
    priority = 45

    def can_read(self, path: Path) -> bool:
        info = polygon_layer_info(path)
        return info is not None and find_column(list(info["fields"]), ID_COLUMNS) is not None

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
        id_column = find_column(list(info["fields"]), ID_COLUMNS)
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
        code = frame[id_column].astype("string").str.strip()
        if id_column == "DGUID":
            code = code.str.slice(-8)
        frame = frame.assign(area_id=code, name=code, level=LEVELS[id_column], census_year=2021)
        report.rows_kept = len(frame)
        context.report_progress(1.0, f"{len(frame):,} census areas")
        return conform(frame[["area_id", "name", "level", "census_year", "geometry"]],
                       CENSUS_AREAS)


def _bounds_in(bounds: tuple[float, float, float, float], crs: CRS) -> tuple[float, ...]:
    transformer = Transformer.from_crs(METRIC_CRS, crs, always_xy=True)
    return transformer.transform_bounds(*bounds, densify_pts=21)


def _level(frame) -> str:
    return str(frame["level"].iloc[0]) if len(frame) else "DA"
