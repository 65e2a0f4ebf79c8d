"""Named-area polygons (boroughs, linked cities, local areas, neighbourhoods) → census_areas.

Municipal census profiles give values per *named* area, and cities publish the matching
polygons with a name column and no census code: Montréal's LIMADMIN (``NOM``), Vancouver's
local areas (``name``), Montréal's sociological neighbourhoods (``Q_socio``) or reference
neighbourhoods (``nom_qr``). The area id is the normalised name (``area_names.area_key``),
the same key the wide-profile reader gives the profile's columns, so values and polygons
join although the two files spell the names differently.

Two quirks of real files are handled here rather than left to the user: a GeoJSON saved in
Latin-1 (not valid UTF-8, which GDAL refuses) is decoded and read from memory, and a
GeoJSON without a ``crs`` member is WGS84, as RFC 7946 says.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from data_connectors import statcan_boundaries, station_boundaries
from data_connectors.area_names import area_key, restore_apostrophes
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import (
    Field,
    guess_columns,
    header_key,
    resolve,
    user_mapping,
)
from data_connectors.polygons import polygonal
from data_connectors.station_boundaries import VECTOR_SUFFIXES
from portrait.layers import CENSUS_AREAS, conform

#: Name columns (folded), most specific first (a neighbourhood file also names its borough),
#: and the level of the areas they name.
NAME_COLUMNS: dict[str, str] = {
    "q socio": "sociological neighbourhood",
    "nom qr": "neighbourhood",
    "nom quartier": "neighbourhood",
    "nom arr": "borough",
    "nom arrond": "borough",
    "arrondissement": "borough",
    "nom": "borough",
    "local area": "local area",
    "neighbourhood": "local area",
    "neighborhood": "local area",
    "name": "local area",
}
FIELDS = (
    Field("name", "Nom du secteur (la jointure se fait sur le nom normalisé)",
          "Area name (joined on the normalised name)", required=True,
          guesses=tuple(NAME_COLUMNS)),
    Field("area_id", "Code du secteur, quand les valeurs s'y joignent par code plutôt que "
          "par nom", "Area code, when values join the areas by code rather than by name"),
    Field("level", "Niveau des secteurs (borough, local area, neighbourhood…)",
          "Level of the areas (borough, local area, neighbourhood…)", setting=True),
)
#: Readers whose fields mark a file they own (station numbers, census codes).
_FOREIGN = (station_boundaries.FIELDS[0], statcan_boundaries.FIELDS[0])
_GEOJSON = (".geojson", ".json")


class AreaBoundaryReader:
    id = "area-boundaries"
    label = "Limites de secteurs nommés : arrondissements, villes liées, local areas (polygones)"
    kind = "census-areas"
    patterns = tuple(f"*{suffix}" for suffix in VECTOR_SUFFIXES)
    priority = 35
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in VECTOR_SUFFIXES:
            return False
        try:
            info = pyogrio.read_info(path, layer=0)  # the first layer, as before, and no warning
        except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
            return False
        geometry = str(info.get("geometry_type"))
        polygonal = "Polygon" in geometry or (
            geometry == "Unknown" and path.suffix.lower() in _GEOJSON)  # mixed polygon types
        fields = list(info["fields"])
        return (polygonal and "name" in guess_columns(FIELDS, fields)
                and not guess_columns(_FOREIGN, fields))

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_AREAS.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_AREAS.name: frame}, report, ("level", _level(frame)))

    def _read_frame(self, path: Path, context: ReadContext,
                    report: ImportReport) -> gpd.GeoDataFrame:
        context.report_progress(0.1, "reading area boundaries")
        frame = read_polygons(path, report)
        columns = resolve(path, FIELDS, [str(c) for c in frame.columns if c != "geometry"],
                          user_mapping(context))
        columns.note(report)
        name_column = columns.columns["name"]
        level = columns.settings.get("level") or NAME_COLUMNS.get(header_key(name_column),
                                                                   "local area")
        report.rows_read = len(frame)
        names = frame[name_column].astype("string").str.strip()
        geometry = frame.geometry
        unusable = names.isna() | (names == "") | geometry.isna() | geometry.is_empty
        for row in frame.index[unusable][:5]:
            report.example(int(row) + 1, name_column, frame.at[row, name_column],
                           "no name or no geometry")
        report.drop("no name or no geometry", int(unusable.sum()))
        frame = frame.loc[~unusable]
        names = names[~unusable]
        keys = names if columns.get("area_id") is None else \
            frame[columns.columns["area_id"]].astype("string").str.strip().fillna(names)
        frame = gpd.GeoDataFrame({
            "area_id": keys.map(area_key), "name": names.map(restore_apostrophes),
            "level": level, "census_year": pd.array([pd.NA] * len(frame), dtype="Int64"),
        }, geometry=polygonal(frame.geometry).values, crs=frame.crs)
        merged = frame.dissolve(by="area_id", as_index=False, aggfunc="first", sort=False)
        if len(merged) < len(frame):
            report.warnings.append(
                f"{len(frame) - len(merged)} polygon(s) shared a name with another; they were "
                "merged into one area each.")
        report.rows_kept = len(merged)
        context.report_progress(1.0, f"{len(merged)} areas ({level})")
        return conform(merged[["area_id", "name", "level", "census_year", "geometry"]],
                       CENSUS_AREAS)


def read_polygons(path: Path, report: ImportReport) -> gpd.GeoDataFrame:
    """The file's features, with Latin-1 GeoJSON decoded and a missing GeoJSON CRS set to WGS84."""
    source: Path | io.BytesIO = path
    is_geojson = path.suffix.lower() in _GEOJSON
    if is_geojson:
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="strict") if _is_cp1252(data) \
                else data.decode("latin-1")
            source = io.BytesIO(text.encode("utf-8"))
            report.flag("file in Latin-1 rather than UTF-8 (decoded)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(source, engine="pyogrio")
    except Exception as error:  # noqa: BLE001 - GDAL's message is the useful part
        raise ReaderError(path, f"cannot be read as a polygon layer ({error}).",
                          expected="a GeoJSON, Shapefile or GeoPackage of polygons") from error
    if frame.crs is None:
        if not is_geojson:
            raise ReaderError(path, "the file declares no coordinate reference system.",
                              expected="a file with a CRS (a .prj, or a GeoJSON crs member)")
        frame = frame.set_crs("EPSG:4326")
        report.flag("no CRS declared: WGS84 assumed (GeoJSON default)")
    kinds = set(frame.geometry.dropna().geom_type)
    if kinds and not kinds <= {"Polygon", "MultiPolygon"}:
        raise ReaderError(path, f"holds {', '.join(sorted(kinds))} geometries, not areas.",
                          expected="polygons")
    return frame


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _level(frame: pd.DataFrame) -> str:
    return str(frame["level"].iloc[0]) if len(frame) else "borough"
