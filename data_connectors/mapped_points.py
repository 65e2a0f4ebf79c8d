"""Incidents from any table or point file, read through a column mapping.

Officers receive extracts in every shape: a CSV saved by Excel in French (semicolons, decimal
commas, Latin-1), a workbook, a GeoJSON or GeoPackage from a GIS colleague. A ``ColumnMapping``
says which column holds what; it comes from the import options (``--mapping MAPPING.json``, the
wizard), else from the workspace (a mapping confirmed once is reused for next year's file with
the same columns), else from ``propose_mapping``'s guess on the column names.

Coordinates are checked rather than trusted: swapped latitude/longitude, metres in degree
columns and the wrong CRS are the usual mistakes, and each is named in the report or, when most
points are affected, in an error that says what to change in the mapping.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import (
    LAT_LON_MEANINGS,
    Field,
    MappingError,
    check_mapping_keys,
    file_family,
    guess_columns,
)
from data_connectors.incident_common import (
    LOCATION_PRECISIONS,
    DuplicateRows,
    categorise,
    clock_times,
    concat_chunks,
    examples,
    excel_serial_dates,
    incident_layer,
    metric_points,
    numbers,
    parse_dates_with,
    read_csv_chunks,
    shifts_from,
    stations_containing,
    warn_midnight,
    without_implausible_dates,
)
from data_connectors.text_files import by_value, closest_column, sniff
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import INCIDENTS
from portrait.stations import normalise_station_id

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg")
#: Date forms recognised without being told, by the name a mapping may use for them.
DATE_FORMATS: dict[str, str] = {
    "YYYY-MM-DD": "%Y-%m-%d",
    "YYYY-MM-DD HH:MM:SS": "%Y-%m-%d %H:%M:%S",
    "YYYY-MM-DDTHH:MM:SS": "%Y-%m-%dT%H:%M:%S",
    "DD/MM/YYYY": "%d/%m/%Y",
    "DD/MM/YYYY HH:MM": "%d/%m/%Y %H:%M",
    "YYYY/MM/DD": "%Y/%m/%d",
    "DD-MM-YYYY": "%d-%m-%Y",
}
#: ``date_format`` for Excel serial day numbers (recognised by themselves in XLSX files only).
EXCEL_SERIAL = "excel"
#: How far outside the stations a point may fall and still be believed (metres).
STATION_MARGIN_M = 5_000.0
#: Longitude/latitude box around Canada: without stations, points outside it are not believed.
CANADA_LONLAT = (-141.5, 41.5, -52.0, 83.5)
_PREVIEW_ROWS_FOR_GUESS = 200

#: Column names (folded: lower case, no accents, ``_`` for spaces) that hold each field, in
#: order of preference: exact names first, then words found inside a longer name.
ALIASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "id": (("id", "no_incident", "numero_incident", "incident_id", "event_id", "no_evenement",
            "numero_evenement", "no_dossier", "numero_dossier", "case_number", "file_number"),
           ()),
    "category": (("categorie", "category", "type", "type_incident", "incident_type",
                  "type_evenement", "nature", "infraction", "offence", "offense", "crime_type",
                  "type_crime"),
                 ("categorie", "category", "infraction", "offence", "offense", "nature",
                  "type")),
    "date": (("date", "date_incident", "incident_date", "date_evenement", "date_heure",
              "datetime", "date_time", "timestamp", "occurrence_date", "report_date",
              "date_signalement"),
             ("date",)),
    "time": (("heure", "time", "heure_incident", "incident_time", "heure_evenement",
              "occurrence_time"),
             ("heure", "time")),
    "shift": (("quart", "shift", "quart_travail", "quart_de_travail"), ("quart", "shift")),
    "station": (("pdq", "poste", "station", "poste_de_quartier", "no_pdq", "num_pdq",
                 "station_id", "district"),
                ("pdq", "poste", "station")),
    "lat": (("lat", "latitude", "y_lat", "lat_wgs84"), ("latitude",)),
    "lon": (("lon", "long", "longitude", "lng", "x_long", "lon_wgs84"), ("longitude",)),
    "x": (("x", "coord_x", "x_coord", "xcoord", "easting", "x_mtm", "x_mtm8"), ()),
    "y": (("y", "coord_y", "y_coord", "ycoord", "northing", "y_mtm", "y_mtm8"), ()),
}


_MEANINGS: dict[str, tuple[str, str]] = {
    "id": ("Numéro unique de l'incident (les doublons sont retirés)",
           "Unique incident number (repeated ones are dropped)"),
    "category": ("Catégorie de l'incident, telle que la source l'écrit",
                 "Incident category as the source writes it"),
    "date": ("Date (ou date et heure) de l'incident", "Date (or date and time) of the incident"),
    "time": ("Heure de l'incident", "Time of the incident"),
    "shift": ("Quart de travail", "Shift"),
    "station": ("Poste de l'incident (sinon, le poste qui contient le point)",
                "Station of the incident (else the station containing the point)"),
    **LAT_LON_MEANINGS,
    "x": ("Coordonnée x, dans le SCR donné par « crs »", "x coordinate, in the CRS given by 'crs'"),
    "y": ("Coordonnée y, dans le SCR donné par « crs »", "y coordinate, in the CRS given by 'crs'"),
}
_SETTINGS: dict[str, tuple[str, str]] = {
    "date_format": ("Forme des dates (YYYY-MM-DD, DD/MM/YYYY, excel, ou %d.%m.%Y)",
                    "Form of the dates (YYYY-MM-DD, DD/MM/YYYY, excel, or %d.%m.%Y)"),
    "crs": ("Code EPSG des colonnes x/y (ex. EPSG:32188)",
            "EPSG code of the x/y columns (e.g. EPSG:32188)"),
    "use_file_geometry": ("true : la géométrie du fichier (GeoJSON, GeoPackage)",
                          "true: the file's own geometry (GeoJSON, GeoPackage)"),
    "layer": ("Feuille du classeur ou couche du GeoPackage", "Workbook sheet or GeoPackage layer"),
    "location_precision": ("Précision des points : " + ", ".join(LOCATION_PRECISIONS),
                           "Precision of the points: " + ", ".join(LOCATION_PRECISIONS)),
}
FIELDS = tuple(
    Field(name, *meaning, required=name in ("category", "date"),
          guesses=tuple(a.replace("_", " ") for a in ALIASES[name][0]),
          words=ALIASES[name][1])
    for name, meaning in _MEANINGS.items()
) + tuple(Field(name, *meaning, setting=True) for name, meaning in _SETTINGS.items())


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a file holds which incident field, and how to read dates and points.

    A location is x/y with their ``crs`` (an EPSG code such as ``"EPSG:32188"``), or lat/lon,
    or the file's own geometry (``use_file_geometry``, GeoJSON and GeoPackage). ``id`` names a
    column that is unique per incident: repeated ids are then dropped as duplicates. ``layer``
    is the sheet of a workbook or the layer of a GeoPackage (the first one when empty).
    """

    category: str | None = None
    date: str | None = None
    date_format: str | None = None
    time: str | None = None
    shift: str | None = None
    station: str | None = None
    x: str | None = None
    y: str | None = None
    crs: str | None = None
    lat: str | None = None
    lon: str | None = None
    use_file_geometry: bool = False
    id: str | None = None
    layer: str | None = None
    location_precision: str = "exact"

    #: The fields that name a column of the file.
    COLUMN_FIELDS = ("category", "date", "time", "shift", "station", "x", "y", "lat", "lon", "id")

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, as JSON-ready values (what the workspace stores)."""
        defaults = ColumnMapping()
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) != getattr(defaults, f.name)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """A mapping from JSON, refusing unknown keys (naming the closest known one)."""
        check_mapping_keys(data, [f.name for f in dataclasses.fields(cls)], "column mapping")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "use_file_geometry":
                values[key] = value is True or str(value).strip().lower() in ("true", "1", "yes")
            elif value is None or (isinstance(value, str) and not value.strip()):
                continue
            elif not isinstance(value, str | int):
                raise MappingError(f"Column mapping: {key!r} must be a text, not {value!r}.")
            else:
                values[key] = str(value).strip()
        if str(values.get("crs", "")).isdigit():
            values["crs"] = f"EPSG:{values['crs']}"
        mapping = cls(**values)
        mapping._check_values()
        return mapping

    def _check_values(self) -> None:
        if self.crs is not None:
            try:
                CRS.from_user_input(self.crs)
            except CRSError as error:
                raise MappingError(f"Column mapping: {self.crs!r} is not a known CRS; give an "
                                   "EPSG code such as EPSG:32188.") from error
        if self.date_format not in (None, "auto", EXCEL_SERIAL) and \
                self.date_format not in DATE_FORMATS and "%" not in self.date_format:
            raise MappingError(
                f"Column mapping: unknown date_format {self.date_format!r}; use one of "
                f"{', '.join(DATE_FORMATS)}, {EXCEL_SERIAL!r}, or a strftime form such as "
                "'%d.%m.%Y'.")
        if self.location_precision not in LOCATION_PRECISIONS:
            raise MappingError(f"Column mapping: location_precision must be one of "
                               f"{', '.join(LOCATION_PRECISIONS)}.")

    def columns(self) -> dict[str, str]:
        """Field -> column name, for the fields that name a column."""
        return {f: getattr(self, f) for f in self.COLUMN_FIELDS if getattr(self, f)}

    def location_kind(self) -> str | None:
        """How rows are located: ``"geometry"``, ``"xy"``, ``"lonlat"``, or None."""
        if self.use_file_geometry:
            return "geometry"
        if self.x and self.y:
            return "xy"
        if self.lat and self.lon:
            return "lonlat"
        return None

    def missing(self) -> list[str]:
        """What an import still needs, in words a person can act on (empty when complete)."""
        needs = []
        if not self.category:
            needs.append("category (the column with the kind of incident)")
        if not self.date:
            needs.append("date")
        for one, other in (("x", "y"), ("y", "x"), ("lat", "lon"), ("lon", "lat")):
            if getattr(self, one) and not getattr(self, other) and not self.use_file_geometry:
                needs.append(f"{other} ({one} is mapped to {getattr(self, one)!r})")
        if self.location_kind() == "xy" and not self.crs:
            needs.append("crs (the EPSG code of the x/y columns, e.g. EPSG:32188 for MTM zone 8 "
                         "in Montréal, EPSG:26910 for UTM zone 10N in Vancouver)")
        if self.location_kind() is None and not self.station:
            needs.append("a location (x/y with a CRS, lat/lon, or the file's own geometry) "
                         "or a station column")
        return needs

    def resolved(self, path: Path, found: tuple[str, ...]) -> ColumnMapping:
        """This mapping with each column spelled as in the file (case and spaces may differ);
        a ReaderError names the columns that are not in the file and the closest ones."""
        by_name = {c.strip().lower(): c for c in found}
        fixed: dict[str, str] = {}
        problems = []
        for field_name, column in self.columns().items():
            if column in found:
                continue
            if column.strip().lower() in by_name:
                fixed[field_name] = by_name[column.strip().lower()]
                continue
            close = closest_column(column, found)
            problems.append(f"{field_name} -> {column!r}"
                            + (f" (closest found: {close!r})" if close else ""))
        if problems:
            raise ReaderError(
                path, f"the column mapping names column(s) not in the file: "
                f"{'; '.join(problems)}.", expected=f"columns of the file: {', '.join(found)}")
        return dataclasses.replace(self, **fixed)


class MappedPointReader:
    id = "mapped-points"
    label = "Incidents — any table or point file, with a column mapping " \
            "(CSV, XLSX, GeoJSON, GeoPackage)"
    kind = "incidents"
    patterns = tuple(f"*{suffix}" for suffix in TABLE_SUFFIXES + VECTOR_SUFFIXES)
    #: The lowest: every specific reader that recognises a file wins over a mapping.
    priority = 0
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix in VECTOR_SUFFIXES:
            return _holds_points(path)
        if suffix in TABLE_SUFFIXES:
            try:
                return len(_header(path)) >= 2
            except (ReaderError, OSError, ValueError):
                return False
        return False

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), INCIDENTS.name)
        with Timer() as timer:
            frame, key, mapping = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({INCIDENTS.name: frame}, report, ("source", source_name(path)),
                            column_mapping=(key, mapping.to_dict()))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport
                    ) -> tuple[pd.DataFrame, str, ColumnMapping]:
        context.report_progress(0.01, "reading the header")
        header = _header(path)
        key = source_key(path, header)
        mapping, origin = _chosen_mapping(path, key, context)
        missing = mapping.missing()
        if missing:
            problem = ("read as incidents through a column mapping, but the columns could "
                       "not all be recognised and no mapping was given for this file."
                       if origin == "guessed" else
                       f"the column mapping ({origin}) is incomplete.")
            raise ReaderError(path, f"{problem} Missing: {'; '.join(missing)}.",
                              expected="a column mapping (import wizard, or --mapping "
                              f"MAPPING.json) naming columns of the file: {', '.join(header)}")
        coordinates = (mapping.x, mapping.y, mapping.lat, mapping.lon)
        table = load_table(path, mapping.layer, context,
                           floats=[c for c in coordinates if c])
        report.warnings.extend(table.notes)
        mapping = mapping.resolved(path, table.columns)
        report.columns = mapping.columns()
        rows = table.frame
        report.rows_read = len(rows)
        if not len(rows):
            raise ReaderError(path, "the file has a header but no rows.")
        keep = _without_duplicates(rows, mapping, report, table.first_row)
        rows = rows.loc[keep]
        geometry_in = table.geometry.loc[keep] if table.geometry is not None else None
        dates = _dates(path, rows, mapping, table, report)
        keep = dates.notna()
        rows, dates = rows.loc[keep], dates.loc[keep]
        if geometry_in is not None:
            geometry_in = geometry_in.loc[keep]
        context.report_progress(0.5, f"{len(rows):,} rows with a date")
        out = pd.DataFrame(index=rows.index)
        out["source_id"] = rows[mapping.id].str.strip().astype("string") if mapping.id else \
            pd.Series(rows.index + table.first_row, index=rows.index).astype("string")
        out["source_category"] = by_value(rows[mapping.category],
                                           lambda v: v.str.strip()).astype("string")
        out["category"], out["tags"] = categorise(out["source_category"],
                                                  context.category_mapping, report)
        out["date"] = without_implausible_dates(dates, rows[mapping.date], mapping.date, report,
                                                table.first_row)
        if mapping.time:
            out["time"] = _times(rows, mapping.time, report, table.first_row)
        if mapping.shift:
            out["shift"] = shifts_from(rows[mapping.shift], report, mapping.shift).to_numpy()
        geometry = _locate(path, rows, geometry_in, mapping, context, report, table.first_row)
        out["location_precision"] = np.where(pd.notna(geometry), mapping.location_precision,
                                             "none")
        out["geometry"] = geometry
        out["station_id"] = _stations(rows, mapping, geometry, context, report)
        context.report_progress(0.95, "finishing")
        frame = incident_layer(out.reset_index(drop=True), source_name(path), report, context)
        return frame, key, mapping


def propose_mapping(path: Path) -> ColumnMapping:
    """A guess from the column names (French or English), for the wizard to show and confirm.

    Fields it cannot place stay empty; ``ColumnMapping.missing()`` says which. The CRS of x/y
    columns is never guessed: a wrong guess would put every point in the wrong place.
    """
    path = Path(path)
    table = load_table(path, None, None, nrows=_PREVIEW_ROWS_FOR_GUESS)
    chosen = guess_columns(FIELDS, list(table.columns))
    if "id" in chosen:
        ids = table.frame[chosen["id"]]
        if ids.isna().any() or ids.duplicated().any():
            del chosen["id"]  # not unique: deduplicating on it would drop real incidents
    values: dict[str, Any] = dict(chosen)
    has_points = table.geometry is not None and table.geometry.notna().any()
    if has_points:
        values["use_file_geometry"] = True
        for name in ("x", "y", "lat", "lon"):
            values.pop(name, None)
    elif "lat" in values and "lon" in values:
        values.pop("x", None)
        values.pop("y", None)
    return ColumnMapping(**values)


def preview(path: Path, rows: int = 20, layer: str | None = None) -> pd.DataFrame:
    """The first ``rows`` rows as text, columns as in the file (geometry left out): what the
    mapping wizard shows next to its column choices."""
    return load_table(Path(path), layer, None, nrows=rows).frame.reset_index(drop=True)


def source_key(path: Path, header: tuple[str, ...]) -> str:
    """Identifies a kind of file, so that its confirmed mapping is reused: the file name
    without digits (``incidents_2024.csv`` and ``incidents_2025.csv`` are the same source)
    and a digest of its columns (a file whose columns changed needs a new mapping)."""
    digest = hashlib.sha1("\x1f".join(header).encode("utf-8")).hexdigest()[:12]
    return f"mapped:{file_family(path)}:{digest}"


def source_name(path: Path) -> str:
    """The ``source`` of the rows of one file, so that importing it again replaces them."""
    return f"mapped:{path.name}"


@dataclass
class SourceTable:
    """A file's rows as text (index = data-row position) and its point geometry, if any."""

    frame: pd.DataFrame
    geometry: gpd.GeoSeries | None
    #: Row number, as a person sees it, of the first data row (2 below a header, 1 for features).
    first_row: int
    is_excel: bool = False
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.frame.columns)


def load_table(path: Path, layer: str | None, context: ReadContext | None,
               nrows: int | None = None, floats: Sequence[str] = ()) -> SourceTable:
    """Any supported file as a SourceTable; errors name the file and what was expected.

    Cells are text, except the CSV columns named in ``floats`` (coordinates), read as numbers
    when every cell is one: several times faster on a million rows.
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        text_format = sniff(path)
        if nrows is not None:
            frame = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                                dtype=str, keep_default_na=False, na_values=[""], nrows=nrows,
                                encoding_errors="replace")
            frame.columns = [str(c).strip() for c in frame.columns]
            return SourceTable(frame, None, first_row=2)
        context = context or ReadContext()
        try:
            chunks = list(read_csv_chunks(path, text_format, context, 0.4, floats=floats))
        except ValueError:  # a coordinate that is not a number: read text, report each one
            chunks = list(read_csv_chunks(path, text_format, context, 0.4))
        frame = concat_chunks(chunks) if chunks else pd.DataFrame(
            columns=list(text_format.header))
        return SourceTable(frame, None, first_row=2)
    if suffix == ".xlsx":
        return _load_workbook(path, layer, nrows)
    if suffix in VECTOR_SUFFIXES:
        return _load_vector(path, layer, nrows)
    raise ReaderError(path, f"files ending in {path.suffix!r} cannot be read through a mapping.",
                      expected=", ".join(TABLE_SUFFIXES + VECTOR_SUFFIXES))


def _load_workbook(path: Path, sheet: str | None, nrows: int | None) -> SourceTable:
    try:
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl",
                              nrows=nrows, keep_default_na=False, na_values=[""])
    except ValueError as error:  # an unknown sheet name
        raise ReaderError(path, f"cannot read the workbook ({error}).",
                          expected="the name of a sheet of the workbook in the mapping's "
                                   "'layer'") from error
    except Exception as error:  # noqa: BLE001 - zip and XML failures of a broken workbook
        raise ReaderError(path, f"this is not a readable Excel workbook ({error}).",
                          expected="an .xlsx file saved by Excel or LibreOffice") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    text = pd.DataFrame({c: frame[c].map(_cell_text).astype("string") for c in frame.columns},
                        index=frame.index)
    return SourceTable(text, None, first_row=2, is_excel=True)


def _load_vector(path: Path, layer: str | None, nrows: int | None) -> SourceTable:
    notes = []
    try:
        layers = pyogrio.list_layers(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "more than one layer": noted below
            frame = pyogrio.read_dataframe(path, layer=layer, max_features=nrows)
    except Exception as error:  # noqa: BLE001 - GDAL's own message is the useful part
        raise ReaderError(path, f"cannot be read as a GeoJSON or GeoPackage file ({error}).",
                          expected="a point layer"
                          + (f" named {layer!r}" if layer else "")) from error
    if layer is None and len(layers) > 1:
        notes.append(f"The file has {len(layers)} layers; the first, {layers[0][0]!r}, was read "
                     "(set 'layer' in the column mapping to read another).")
    geometry = None
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        geometry = frame.geometry
        frame = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    text = pd.DataFrame({str(c).strip(): _text_column(frame[c]) for c in frame.columns},
                        index=frame.index)
    return SourceTable(text, geometry, first_row=1, notes=notes)


def _header(path: Path) -> tuple[str, ...]:
    """The column names of the file's first table, sheet or layer (cheap: no rows read)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return sniff(path).header
    if suffix == ".xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001
            raise ReaderError(path, f"this is not a readable Excel workbook ({error}).") from error
        try:
            first = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            workbook.close()
        return tuple("" if cell is None else str(cell).strip() for cell in first)
    info = _vector_info(path)
    if info is None:
        raise ReaderError(path, "cannot be read as a GeoJSON or GeoPackage file.")
    return tuple(str(f) for f in info["fields"])


def _vector_info(path: Path) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "more than one layer"
            return pyogrio.read_info(path)
    except Exception:  # noqa: BLE001 - any GDAL failure just means "not for this reader"
        return None


def _holds_points(path: Path) -> bool:
    """Whether the first layer holds points or no geometry (a GeoJSON of mixed or unknown
    type is judged on its first features): polygons are boundaries, not incidents."""
    info = _vector_info(path)
    if info is None:
        return False
    declared = info.get("geometry_type")
    if declared is None or declared in ("Point", "MultiPoint", "Point Z", "MultiPoint Z"):
        return True
    if declared != "Unknown":
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            sample = pyogrio.read_dataframe(path, max_features=50, columns=[])
    except Exception:  # noqa: BLE001 - unreadable: not for this reader
        return False
    kinds = set(sample.geometry.dropna().geom_type) if hasattr(sample, "geometry") else set()
    return kinds <= {"Point", "MultiPoint"}


def _cell_text(value: object) -> object:
    """One workbook cell as text: dates in ISO form, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _text_column(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d %H:%M:%S").astype("string")
    if values.dtype == object:
        return values.map(_cell_text).astype("string")
    return values.astype("string")


def _chosen_mapping(path: Path, key: str, context: ReadContext) -> tuple[ColumnMapping, str]:
    """The mapping to use and where it came from: the options, the workspace, or a guess."""
    try:
        if context.options.get("mapping"):
            return ColumnMapping.from_dict(context.options["mapping"]), "given"
        if key in context.column_mappings:
            return ColumnMapping.from_dict(context.column_mappings[key]), \
                "saved in the workspace"
    except MappingError as error:
        raise ReaderError(path, str(error)) from error
    return propose_mapping(path), "guessed"


def _without_duplicates(rows: pd.DataFrame, mapping: ColumnMapping, report: ImportReport,
                        first_row: int) -> pd.Series:
    """Rows to keep: a repeated id is the same incident twice, so it is dropped; without an
    id, identical rows are only counted (two alike incidents are plausible)."""
    if not mapping.id:
        duplicates = DuplicateRows()
        duplicates.add(rows)
        duplicates.warn(report)
        return pd.Series(True, index=rows.index)
    ids = rows[mapping.id].str.strip()
    repeated = ids.duplicated() & ids.notna()
    if repeated.any():
        report.drop(f"duplicate id (column {mapping.id!r})", int(repeated.sum()))
        examples(report, ids[repeated], mapping.id, "the same id as an earlier row",
                 first_row, limit=3)
    return ~repeated


def _dates(path: Path, rows: pd.DataFrame, mapping: ColumnMapping, table: SourceTable,
           report: ImportReport) -> pd.Series:
    """Each row's date (NaT where unreadable, those rows being dropped and reported)."""
    column = mapping.date
    text = rows[column].astype("string").str.strip()
    empty = text.isna() | (text == "")
    form = mapping.date_format if mapping.date_format not in (None, "auto") else None
    if form is None:
        dates, used = _auto_dates(text.where(~empty), table.is_excel)
        if len(used) > 1:
            report.warnings.append(
                f"Dates in column {column!r} come in {len(used)} forms: "
                + ", ".join(f"{name} ({count:,} rows)" for name, count in used.items())
                + "; check that day and month are not swapped.")
        expected = "a date in a known form (" + ", ".join(DATE_FORMATS) + \
            (", Excel serial day numbers)" if table.is_excel else ")")
    elif form == EXCEL_SERIAL:
        dates, expected = excel_serial_dates(text), "an Excel serial day number"
    else:
        dates = parse_dates_with(text, DATE_FORMATS.get(form, form))
        expected = f"a date in the form {form}"
    unreadable = dates.isna() & ~empty
    report.drop("no date", int(empty.sum()))
    report.drop("unreadable date", int(unreadable.sum()))
    examples(report, text[unreadable], column, f"not {expected}", table.first_row)
    if (unreadable | empty).sum() * 2 > len(rows):
        shown = ", ".join(f"row {int(i) + table.first_row}: {v!r}"
                          for i, v in text[unreadable | empty].fillna("").head(3).items())
        raise ReaderError(
            path, f"{int((unreadable | empty).sum()):,} of {len(rows):,} dates cannot be read "
            f"({shown}).", column=column,
            expected=f"{expected}; or set 'date_format' in the column mapping")
    return dates


def _auto_dates(text: pd.Series, is_excel: bool) -> tuple[pd.Series, dict[str, int]]:
    """Dates in whichever known forms the values use, the most common form first."""
    forms: dict[str, str | None] = dict(DATE_FORMATS)
    if is_excel:
        forms[EXCEL_SERIAL] = None
    sample = pd.Series(text.dropna().unique()[:2_000], dtype="string")

    def parse(values: pd.Series, name: str) -> pd.Series:
        pattern = forms[name]
        return excel_serial_dates(values) if pattern is None else parse_dates_with(values,
                                                                                   pattern)

    scores = {name: int(parse(sample, name).notna().sum()) for name in forms}
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    used: dict[str, int] = {}
    for name in sorted((n for n in forms if scores[n]), key=lambda n: -scores[n]):
        todo = dates.isna() & text.notna()
        if not todo.any():
            break
        parsed = parse(text[todo], name)
        found = parsed.notna()
        if found.any():
            dates.loc[parsed.index[found]] = parsed[found]
            used[name] = int(found.sum())
    return dates, used


def _times(rows: pd.DataFrame, column: str, report: ImportReport, first_row: int) -> np.ndarray:
    times, bad = clock_times(rows[column])
    report.flag(f"unreadable time in column {column!r} (kept without a time)", int(bad.sum()))
    examples(report, rows.loc[bad, column], column, "not a clock time HH:MM", first_row,
             limit=3)
    warn_midnight(times, report)
    return times.to_numpy()


def _stations(rows: pd.DataFrame, mapping: ColumnMapping, geometry: np.ndarray,
              context: ReadContext, report: ImportReport) -> np.ndarray:
    """The station of each row: the mapped column, else the station containing the point."""
    placed = stations_containing(geometry, context.stations).to_numpy(dtype=object)
    if not mapping.station:
        return placed
    given = by_value(rows[mapping.station], lambda v: v.map(normalise_station_id)) \
        .to_numpy(dtype=object)
    filled = pd.isna(given) & pd.notna(placed)
    if filled.any():
        report.warnings.append(f"{int(filled.sum()):,} row(s) had no station in column "
                               f"{mapping.station!r}; their point placed them in one.")
    return np.where(pd.isna(given), placed, given)


# --- coordinates -------------------------------------------------------------------------

@dataclass
class _Coordinates:
    first: np.ndarray  # x or longitude
    second: np.ndarray  # y or latitude
    crs: CRS
    names: tuple[str, str]  # the columns, for messages
    kind: str


def _locate(path: Path, rows: pd.DataFrame, geometry: gpd.GeoSeries | None,
            mapping: ColumnMapping, context: ReadContext, report: ImportReport,
            first_row: int) -> np.ndarray:
    """Points in the metric CRS, ``None`` for rows without a believable location."""
    kind = mapping.location_kind()
    if kind is None:
        report.flag("no location: the column mapping has no coordinates", len(rows))
        return np.full(len(rows), None, dtype=object)
    coordinates = _coordinates(path, rows, geometry, mapping, kind)
    return _checked_points(path, coordinates, rows.index, context, report, first_row)


def _coordinates(path: Path, rows: pd.DataFrame, geometry: gpd.GeoSeries | None,
                 mapping: ColumnMapping, kind: str) -> _Coordinates:
    if kind == "geometry":
        if geometry is None:
            raise ReaderError(path, "the column mapping uses the file's geometry, but the file "
                              "has none.", expected="x/y or lat/lon columns in the mapping")
        if geometry.crs is None:
            raise ReaderError(path, "the file declares no coordinate reference system.",
                              expected="a file with a CRS, or x/y columns and 'crs' in the "
                                       "mapping")
        values = geometry.to_numpy()
        points = np.where(shapely.get_type_id(values) == 0, values,
                          shapely.centroid(values))
        return _Coordinates(shapely.get_x(points), shapely.get_y(points),
                            CRS.from_user_input(geometry.crs), ("geometry", "geometry"), kind)
    if kind == "lonlat":
        return _Coordinates(numbers(rows[mapping.lon]), numbers(rows[mapping.lat]),
                            CRS.from_user_input(MAP_CRS), (mapping.lon, mapping.lat), kind)
    return _Coordinates(numbers(rows[mapping.x]), numbers(rows[mapping.y]),
                        CRS.from_user_input(mapping.crs), (mapping.x, mapping.y), kind)


def _checked_points(path: Path, c: _Coordinates, index: pd.Index, context: ReadContext,
                    report: ImportReport, first_row: int) -> np.ndarray:
    a, b = c.first, c.second
    geographic = c.crs.is_geographic
    with np.errstate(invalid="ignore"):
        present = np.isfinite(a) & np.isfinite(b)
        placeholder = present & np.isin(a, (0.0, 1.0)) & np.isin(b, (0.0, 1.0))
        if geographic:  # the SPVM's (1, 1) placeholder becomes latitude 0.00001 in degrees
            placeholder |= present & (np.abs(b) < 1.0)
    candidates = present & ~placeholder
    inside = candidates & _inside(a, b, c.crs, context)
    swapped = candidates & ~inside & _inside(b, a, c.crs, context)
    with np.errstate(invalid="ignore"):
        degree_like = (np.abs(a) <= 180) & (np.abs(b) <= 90)
    wrong_units = candidates & ~inside & ~swapped & (~degree_like if geographic else degree_like)
    outside = candidates & ~inside & ~swapped & ~wrong_units
    where = f"more than {STATION_MARGIN_M / 1000:g} km outside the stations" \
        if context.station_bounds else "outside the region where this CRS is used"
    problems = {
        "swapped": (swapped, f"no location: {_pair(c)} look swapped"),
        "units": (wrong_units, "no location: projected values (metres) in the latitude/"
                  "longitude columns" if geographic else
                  "no location: longitude/latitude degrees in the x/y columns"),
        "outside": (outside, f"no location: {where} (CRS {_crs_label(c.crs)})"),
    }
    report.flag("no location: coordinates missing or placeholder (0 or 1)",
                int((~present | placeholder).sum()))
    for mask, reason in problems.values():
        report.flag(reason, int(mask.sum()))
        for position in np.flatnonzero(mask)[:3]:
            report.example(int(index[position]) + first_row, "/".join(dict.fromkeys(c.names)),
                           f"{a[position]:.6g}, {b[position]:.6g}", reason)
    unusable = int((swapped | wrong_units | outside).sum())
    if unusable * 2 > int(candidates.sum()):
        dominant = max(problems, key=lambda name: int(problems[name][0].sum()))
        _raise_for(path, dominant, problems[dominant][0], c, unusable, int(candidates.sum()),
                   where)
    x = np.where(inside, a, np.nan)
    y = np.where(inside, b, np.nan)
    return metric_points(x, y, c.crs.to_string())


def _inside(a: np.ndarray, b: np.ndarray, crs: CRS, context: ReadContext) -> np.ndarray:
    """Whether each point (in ``crs``) falls where the workspace's incidents can be: near the
    stations when there are some, else in Canada and in the CRS's own area of use."""
    with np.errstate(invalid="ignore"):
        if context.station_bounds is not None:
            x, y = Transformer.from_crs(crs, METRIC_CRS, always_xy=True).transform(a, b)
            minx, miny, maxx, maxy = context.station_bounds
            m = STATION_MARGIN_M
            return (x >= minx - m) & (x <= maxx + m) & (y >= miny - m) & (y <= maxy + m)
        lon, lat = Transformer.from_crs(crs, MAP_CRS, always_xy=True).transform(a, b)
        west, south, east, north = CANADA_LONLAT
        area = crs.area_of_use
        if area is not None:
            west, south = max(west, area.west - 1), max(south, area.south - 1)
            east, north = min(east, area.east + 1), min(north, area.north + 1)
        return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _pair(c: _Coordinates) -> str:
    return "latitude and longitude" if c.kind == "lonlat" else "x and y"


def _crs_label(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}, {crs.name}" if code else crs.name


def _raise_for(path: Path, problem: str, mask: np.ndarray, c: _Coordinates, unusable: int,
               candidates: int, where: str) -> None:
    """The error for a file whose points are mostly unusable, saying what to change."""
    first = int(np.flatnonzero(mask)[0])
    a, b = f"{c.first[first]:.6g}", f"{c.second[first]:.6g}"
    share = f"{unusable:,} of {candidates:,} points with coordinates are unusable:"
    first_name, second_name = c.names
    if problem == "swapped" and c.kind == "lonlat":
        raise ReaderError(
            path, f"{share} latitude and longitude look swapped (column {second_name!r} holds "
            f"values like {b}, which is a longitude, and {first_name!r} values like {a}).",
            column=second_name, expected="swap 'lat' and 'lon' in the column mapping")
    if problem == "swapped":
        raise ReaderError(
            path, f"{share} x and y look swapped (column {first_name!r} holds values like {a}, "
            f"column {second_name!r} values like {b}).", column=first_name,
            expected="swap 'x' and 'y' in the column mapping")
    if problem == "units" and c.kind == "lonlat":
        raise ReaderError(
            path, f"{share} columns {second_name!r}/{first_name!r} hold values like {b}/{a}, "
            "which are not degrees: they look like projected coordinates in metres.",
            column=second_name, expected="these columns mapped as x/y with their CRS (an EPSG "
            "code such as EPSG:32188 for MTM zone 8) instead of lat/lon")
    if problem == "units":
        raise ReaderError(
            path, f"{share} columns {first_name!r}/{second_name!r} hold values like {a}/{b}, "
            f"which look like longitude/latitude degrees, not {_crs_label(c.crs)} coordinates.",
            column=first_name, expected="these columns mapped as lon/lat instead of x/y")
    raise ReaderError(
        path, f"{share} they fall {where} (CRS tried: {_crs_label(c.crs)}; first point "
        f"{a}, {b}). The CRS is probably wrong.",
        expected="the EPSG code of the coordinates in the mapping's 'crs' (e.g. EPSG:32188 "
        "for MTM zone 8 in Montréal, EPSG:26910 for UTM zone 10N in Vancouver, EPSG:4326 "
        "for degrees)")
