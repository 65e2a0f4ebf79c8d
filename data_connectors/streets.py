"""Street networks (OpenStreetMap extracts such as OSMnx's ``edges`` layer, or a municipal
road network) as the workspace's street base.

Without streets nobody can tell where a hot spot is, but a city's network is tens of
thousands of segments and the maps are pages sent by e-mail: only what the maps need is kept.
Segments more than ``EXTENT_MARGIN_M`` beyond the stations are dropped, the segments of a
street (same name and class) are merged into one line, simplified to
``SIMPLIFY_TOLERANCE_M``, and only the name and class columns survive.

OSMnx writes list-valued tags as text (``"['Rue A', 'Rue B']"``): the first value is used.
OpenStreetMap data are under the ODbL, whose notice every map drawing them must print; it is
stored with each row (``attribution``) so that the maps need not know where streets came from.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field, guess_columns, resolve, user_mapping
from portrait.crs import METRIC_CRS
from portrait.layers import STREETS, conform

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp")
#: Streets this far beyond the stations' extent still frame the map of a border station.
EXTENT_MARGIN_M = 1_000.0
SIMPLIFY_TOLERANCE_M = 2.0
OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL"
FIELDS = (
    Field("class", "Classe de la rue (autoroute, artère, collectrice, locale…)",
          "Street class (motorway, primary, secondary, residential…)", required=True,
          guesses=("highway", "fclass", "class", "classe", "cls route", "type voie")),
    Field("name", "Nom de la rue", "Street name",
          guesses=("name", "nom voie", "nom rue", "nom", "odonyme", "street", "name fr")),
)
#: Source class -> the street class the maps style (widest first).
CLASSES: dict[str, str] = {
    "motorway": "motorway", "trunk": "motorway", "autoroute": "motorway",
    "primary": "primary", "artere": "primary", "artère": "primary",
    "secondary": "secondary", "collectrice": "secondary",
    "tertiary": "tertiary",
    "residential": "residential", "living_street": "residential",
    "unclassified": "residential", "locale": "residential", "road": "residential",
    "service": "service", "ruelle": "service",
}
OTHER_CLASS = "residential"


def line_layer(path: Path) -> tuple[str | None, dict] | None:
    """(layer name, pyogrio info) of the file's street lines: OSMnx's ``edges`` layer, else
    the first layer when it holds lines; None when the file has no line layer."""
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        return None
    try:
        names = [str(name) for name, _ in pyogrio.list_layers(path)]
        layer = "edges" if "edges" in names else (names[0] if names else None)
        info = pyogrio.read_info(path, layer=layer)
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None
    if "LineString" not in str(info.get("geometry_type")):
        return None
    return layer, info


class StreetNetworkReader:
    id = "streets"
    label = "Rues (OpenStreetMap ou réseau routier municipal : GeoPackage, GeoJSON, Shapefile)"
    kind = "streets"
    patterns = tuple(f"*{suffix}" for suffix in VECTOR_SUFFIXES)
    priority = 35
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        found = line_layer(path)
        return found is not None and "class" in guess_columns(FIELDS[:1],
                                                              list(found[1]["fields"]))

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), STREETS.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({STREETS.name: frame}, report, ("source", path.name))

    def _read_frame(self, path: Path, context: ReadContext,
                    report: ImportReport) -> gpd.GeoDataFrame:
        found = line_layer(path)
        if found is None:
            raise ReaderError(path, "holds no line layer.",
                              expected="street lines (an OSMnx 'edges' layer or a road network)")
        layer, info = found
        resolved = resolve(path, FIELDS, [str(f) for f in info["fields"]],
                           user_mapping(context))
        resolved.note(report)
        class_column, name_column = resolved.columns["class"], resolved.get("name")
        context.report_progress(0.1, "reading streets")
        columns = [c for c in (class_column, name_column) if c]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, layer=layer, columns=columns, engine="pyogrio")
        if frame.crs is None:
            raise ReaderError(path, "the file declares no coordinate reference system.",
                              expected="a file with a CRS (a .prj, or a GeoPackage's own)")
        report.rows_read = len(frame)
        frame = frame.to_crs(METRIC_CRS)
        unusable = frame.geometry.isna() | frame.geometry.is_empty
        report.drop("no geometry", int(unusable.sum()))
        frame = frame.loc[~unusable]
        if context.station_bounds is not None:
            west, south, east, north = context.station_bounds
            extent = shapely.box(west - EXTENT_MARGIN_M, south - EXTENT_MARGIN_M,
                                 east + EXTENT_MARGIN_M, north + EXTENT_MARGIN_M)
            inside = frame.intersects(extent)
            report.drop("outside the stations' extent (more than 1 km beyond)",
                        int((~inside).sum()))
            frame = frame.loc[inside]
        context.report_progress(0.5, f"{len(frame)} segments")
        names = frame[name_column].map(first_value) if name_column \
            else pd.Series(None, index=frame.index, dtype=object)
        classes = frame[class_column].map(first_value).map(street_class)
        report.flag("no street name (drawn, not labelled)", int(names.isna().sum()))
        merged = merge_streets(frame.geometry, names, classes)
        merged["source"] = path.name
        merged["attribution"] = _attribution(path, info, class_column, context, report)
        report.rows_kept = len(frame)
        report.warnings.append(f"{len(frame):,} segments merged into {len(merged):,} streets "
                               "(one line per street name and class).")
        context.report_progress(1.0, f"{len(merged)} streets")
        return conform(merged, STREETS)


def _attribution(path: Path, info: dict, class_column: str, context: ReadContext,
                 report: ImportReport) -> str:
    """The credit the maps print: the option ``attribution``, else the file's own
    ``attribution`` metadata (as MBTiles files carry it), else OpenStreetMap's for an OSM
    file (a ``highway`` column), else the file's name, with a warning."""
    metadata = {**(info.get("dataset_metadata") or {}), **(info.get("layer_metadata") or {})}
    given = context.options.get("attribution") or metadata.get("attribution")
    if given:
        return str(given)
    if class_column.lower() == "highway":
        return OSM_ATTRIBUTION
    report.warnings.append("not an OpenStreetMap file: the maps credit the file's name; give "
                           "the network's licence credit with the option 'attribution'.")
    return path.stem


def first_value(value: object) -> str | None:
    """The first of OSMnx's list-as-text values (``"['Rue A', 'Rue B']"``), else the value."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, list | tuple):
        return first_value(value[0]) if value else None
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        return first_value(list(parsed)) if isinstance(parsed, list | tuple) else text
    return text or None


def street_class(value: str | None) -> str:
    """The map class of a source class (OSM ``motorway_link`` is drawn as a motorway)."""
    if value is None:
        return OTHER_CLASS
    key = value.strip().lower().removesuffix("_link")
    return CLASSES.get(key, OTHER_CLASS)


def merge_streets(geometry: gpd.GeoSeries, names: pd.Series,
                  classes: pd.Series) -> gpd.GeoDataFrame:
    """One simplified multi-line per street name and class: a page draws (and labels) a
    street once instead of once per block."""
    groups = pd.DataFrame({"name": names.astype(object).where(names.notna(), ""),
                           "class": classes.to_numpy()}, index=geometry.index)
    rows, shapes = [], []
    for (name, kind), index in groups.groupby(["name", "class"], sort=True).groups.items():
        lines = shapely.line_merge(shapely.union_all(geometry.loc[index].to_numpy()))
        lines = shapely.simplify(lines, SIMPLIFY_TOLERANCE_M, preserve_topology=False)
        parts = [g for g in shapely.get_parts(lines) if g.geom_type == "LineString"
                 and not g.is_empty]
        if not parts:
            continue
        rows.append({"name": name or None, "class": kind})
        shapes.append(shapely.multilinestrings(parts))
    return gpd.GeoDataFrame(rows, columns=["name", "class"], geometry=shapes, crs=METRIC_CRS)
