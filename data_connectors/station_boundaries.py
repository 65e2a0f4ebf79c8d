"""Station (PDQ) boundaries from any polygon file GDAL reads, in whatever CRS it declares.

Both SPVM vintages load: the older WGS84 ``limitespdq.geojson`` (PDQ as int, NOM_PDQ
"PDQ-1") and the newer MTM8 one (PDQ as a float such as 1.0).

Every incident, service and respondent is placed in these boundaries, so a file that cannot
be the stations is refused rather than stored: points or lines, geometries all empty, and
coordinates that contradict the CRS the file declares (a GeoJSON without a ``crs`` member is
WGS84 degrees by definition, so metres there mean the member was lost on the way).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import CRS

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field, guess_columns, header_key, resolve, user_mapping
from data_connectors.polygons import multipolygons
from portrait.layers import STATIONS, conform
from portrait.stations import normalise_station_id, station_label

VECTOR_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg")
FIELDS = (
    Field("station_id", "Numéro ou nom du poste (clé des postes dans tout l'espace de travail)",
          "Station number or name (the station's key everywhere in the workspace)",
          required=True, guesses=("pdq", "no pdq", "num pdq", "station", "station id",
                                  "nom pdq", "desc lieu")),
    Field("name", "Nom affiché du poste", "Station name as displayed",
          guesses=("nom pdq", "nom", "name", "desc lieu")),
)


def polygon_layer_info(path: Path) -> dict | None:
    """pyogrio's description of the first layer when it holds polygons, else None."""
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        return None
    try:
        info = pyogrio.read_info(path, layer=0)  # the first layer, as before, and no warning
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None
    return info if "Polygon" in str(info.get("geometry_type")) else None


def find_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    """The first column whose folded name (``header_key``) is among ``candidates``."""
    keys = {header_key(c): c for c in reversed(columns)}
    return next((keys[c] for c in candidates if c in keys), None)


class StationBoundaryReader:
    id = "station-boundaries"
    label = "Limites des postes de quartier (GeoJSON, Shapefile, GeoPackage)"
    kind = "stations"
    patterns = tuple(f"*{suffix}" for suffix in VECTOR_SUFFIXES)
    priority = 40
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        info = polygon_layer_info(path)
        return info is not None and "station_id" in guess_columns(FIELDS, list(info["fields"]))

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
        columns = resolve(path, FIELDS, [str(c) for c in frame.columns if c != "geometry"],
                          user_mapping(context))
        columns.note(report)
        id_column = columns.columns["station_id"]
        report.rows_read = len(frame)
        _check_geometries(path, frame)
        ids = frame[id_column].map(normalise_station_id)
        unusable = ids.isna() | frame.geometry.isna() | frame.geometry.is_empty
        for row in frame.index[unusable][:5]:
            report.example(int(row) + 1, id_column, frame.at[row, id_column],
                           "no station number or no geometry")
        report.drop("no station number or no geometry", int(unusable.sum()))
        frame = frame.loc[~unusable].assign(station_id=ids[~unusable])
        name_column = columns.get("name")
        names = frame[name_column].astype("string").str.strip() if name_column else None
        names = frame["station_id"].map(station_label) if names is None \
            else names.fillna(frame["station_id"].map(station_label))
        frame = frame.assign(name=names.astype("string"))
        merged = frame.dissolve(by="station_id", as_index=False, aggfunc="first")
        if len(merged) < len(frame):
            report.warnings.append(
                f"{len(frame) - len(merged)} station(s) had several polygons; they were merged."
            )
        merged["geometry"] = multipolygons(merged.geometry)
        report.rows_kept = len(merged)
        context.report_progress(1.0, f"{len(merged)} stations")
        return conform(merged[["station_id", "name", "geometry"]], STATIONS)



def _check_geometries(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Refuse what cannot be station boundaries (see the module's docstring)."""
    present = frame.geometry.notna() & ~frame.geometry.is_empty
    if not present.any():
        raise ReaderError(path, f"all {len(frame):,} geometries are empty.",
                          expected="one polygon per station")
    kinds = set(frame.geometry[present].geom_type)
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise ReaderError(path, f"the file holds {', '.join(sorted(kinds))} geometries, not "
                          "station areas.", expected="polygons (one per station)")
    west, south, east, north = frame.geometry[present].total_bounds
    crs = CRS.from_user_input(frame.crs)
    declared = f"{crs.name} (EPSG:{crs.to_epsg()})" if crs.to_epsg() else crs.name
    if crs.is_geographic and not (-180 <= west and east <= 180 and -90 <= south
                                  and north <= 90):
        raise ReaderError(
            path, f"the coordinates ({west:,.0f} to {east:,.0f}, {south:,.0f} to {north:,.0f}) "
            f"are not degrees, but the file is read as {declared}"
            + (": a GeoJSON without a crs member is in degrees by definition."
               if path.suffix.lower() in (".geojson", ".json") else "."),
            expected="the file saved again with its CRS (e.g. EPSG:32188 for MTM zone 8)")
    area = crs.area_of_use
    if area is None:
        return
    lon_west, lat_south, lon_east, lat_north = frame.geometry[present].to_crs(
        "EPSG:4326").total_bounds
    margin = 1.0  # degrees: files drawn a little past the CRS's official area still fit
    if (lon_east < area.west - margin or lon_west > area.east + margin
            or lat_north < area.south - margin or lat_south > area.north + margin):
        raise ReaderError(
            path, f"the file declares {declared}, but its coordinates then fall at longitude "
            f"{lon_west:.2f} to {lon_east:.2f}, latitude {lat_south:.2f} to {lat_north:.2f}, "
            f"outside where that CRS is used ({area.name}).",
            expected="the file's real CRS declared in it")
