"""SPVM "Actes criminels" incidents (``actes-criminels.csv`` and the older Latin-1 file).

Columns: CATEGORIE, DATE, QUART, PDQ, X, Y (MTM zone 8), LONGITUDE, LATITUDE; the old
``interventionscitoyendo.csv`` has LAT/LONG and dates as ``YYYY-MM-DD 00:00:00``. The SPVM moves
each point to the nearest intersection, and rows without a location carry X = Y = 1 (or 0):
those rows count in totals but are not placed on maps. QUART is the shift in which the event
was reported (jour 8h-16h, soir 16h-24h, nuit 0h-8h); no clock time is invented.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field
from data_connectors.import_safety import CoordinatesOutside
from data_connectors.incident_common import (
    DuplicateRows,
    line_numbers,
    without_implausible_dates,
)
from data_connectors.text_files import (
    TextFormat,
    by_value,
    decimal_numbers,
    header_has,
    mean_line_bytes,
    require_columns,
    sniff,
)
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import INCIDENTS, conform
from portrait.stations import normalise_station_id

#: A generous box around the island of Montréal, in MTM zone 8 metres and in degrees.
MTM8_EXTENT = (260_000.0, 5_020_000.0, 320_000.0, 5_080_000.0)
LONLAT_EXTENT = (-74.1, 45.3, -73.4, 45.8)
SHIFTS = {"jour": "jour", "soir": "soir", "nuit": "nuit"}
REPEATED_COLUMNS = frozenset({"CATEGORIE", "DATE", "QUART", "PDQ"})
COORDINATE_COLUMNS = frozenset({"X", "Y", "LONGITUDE", "LATITUDE", "LONG", "LAT"})
_CHUNK_ROWS = 100_000
#: ``location_precision`` of a row without and with a location.
_PRECISIONS = pd.array(["none", "intersection"], dtype="string")


class SpvmIncidentReader:
    id = "spvm-incidents"
    label = "SPVM — actes criminels (CSV)"
    kind = "incidents"
    patterns = ("*.csv",)
    priority = 50
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        # CATEGORIE and PDQ mark an SPVM file; read() then says which other column is missing.
        return path.suffix.lower() == ".csv" and header_has(path, "CATEGORIE", "PDQ")

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        text_format = sniff(path)
        require_columns(path, text_format.header, ("CATEGORIE", "DATE", "PDQ"))
        with Timer() as timer:
            try:
                frame, report = self._read_frame(path, text_format, context, fast=True)
            except ValueError:  # a coordinate is not a number: read as text, report each one
                frame, report = self._read_frame(path, text_format, context, fast=False)
        report.seconds = timer.seconds
        return ImportResult({INCIDENTS.name: frame}, report, ("source", source_key(path)))

    def _read_frame(self, path: Path, text_format: TextFormat, context: ReadContext,
                    fast: bool) -> tuple[pd.DataFrame, ImportReport]:
        report = ImportReport(self.id, str(path), INCIDENTS.name)
        columns = _coordinate_columns(path, text_format.header)
        total_bytes = max(path.stat().st_size, 1)
        row_bytes = mean_line_bytes(path)
        chunks = []
        duplicates = DuplicateRows()
        outside = CoordinatesOutside("the Montréal area")
        rows_seen = 0
        with _chunked_reader(path, text_format, fast) as reader:
            for chunk in reader:
                chunk.columns = [c.strip().upper() for c in chunk.columns]
                chunk.index = pd.RangeIndex(rows_seen, rows_seen + len(chunk))
                rows_seen += len(chunk)
                duplicates.add(chunk)
                chunks.append(_convert_chunk(chunk, columns, context, report, outside))
                context.report_progress(0.9 * rows_seen * row_bytes / total_bytes,
                                        f"{rows_seen:,} rows read")
        if rows_seen == 0:
            raise ReaderError(path, "the file has a header but no rows.")
        outside.check(path, context.allow_outside)
        frame = pd.concat(chunks, ignore_index=True)
        report.rows_read = rows_seen
        report.rows_kept = len(frame)
        unmapped = frame.loc[frame["category"].isna(), "source_category"].value_counts()
        report.unmapped_categories = {str(k): int(v) for k, v in unmapped.items()}
        duplicates.warn(report)
        frame["source"] = source_key(path)
        geometry = frame.pop("geometry").to_numpy()
        result = gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS)
        context.report_progress(1.0, f"{report.rows_kept:,} incidents ready")
        return conform(result, INCIDENTS), report


def _chunked_reader(path: Path, text_format: TextFormat, fast: bool):
    """A chunked CSV reader; the fast one parses repeated columns once per distinct value.

    SPVM files repeat six categories, three shifts, a few dozen stations and about 3,000
    dates a million times: reading them as categories, and coordinates directly as floats,
    is several times faster than strings. The slow one reads text, so that a coordinate that
    is not a number is found and reported rather than failing the whole file.
    """
    dtypes: dict[str, str] = {}
    for name in text_format.header:
        key = name.strip().upper()
        if key in REPEATED_COLUMNS:
            dtypes[name] = "category"
        elif key in COORDINATE_COLUMNS and fast:
            dtypes[name] = "float64"
    return pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                       decimal="," if text_format.delimiter == ";" else ".",
                       dtype=dtypes if fast else {**dict.fromkeys(text_format.header, str),
                                                  **dtypes},
                       chunksize=_CHUNK_ROWS, keep_default_na=False, na_values=[""])


def source_key(path: Path) -> str:
    """Identifies the rows of one source file, so that importing it again replaces them."""
    return f"spvm:{path.name}"


def _coordinate_columns(path: Path, header: tuple[str, ...]) -> dict[str, str]:
    upper = {h.upper() for h in header}
    found: dict[str, str] = {}
    if {"X", "Y"} <= upper:
        found.update(x="X", y="Y")
    for lon, lat in (("LONGITUDE", "LATITUDE"), ("LONG", "LAT")):
        if {lon, lat} <= upper:
            found.update(lon=lon, lat=lat)
            break
    if not found:
        require_columns(path, header, ("X", "Y"))  # raises, naming the closest columns
    return found


def _convert_chunk(chunk: pd.DataFrame, columns: dict[str, str], context: ReadContext,
                   report: ImportReport, outside: CoordinatesOutside) -> pd.DataFrame:
    dates = by_value(chunk["DATE"], lambda v: pd.to_datetime(
        v.astype("string").str.strip().str.slice(0, 10), format="%Y-%m-%d", errors="coerce"))
    bad_dates = dates.isna()
    if bad_dates.any():
        report.drop("unreadable date", int(bad_dates.sum()))
        for row, value in chunk.loc[bad_dates, "DATE"].head(5).items():
            report.example(int(row) + 2, "DATE", value, "not a date in the form YYYY-MM-DD")
        chunk = chunk.loc[~bad_dates]
        dates = dates.loc[~bad_dates]
    dates = without_implausible_dates(dates, chunk["DATE"], "DATE", report)
    out = pd.DataFrame(index=chunk.index)
    out["source_id"] = line_numbers(chunk.index)  # the row's line number in the file
    mapping = context.category_mapping  # each one per distinct value read, not per row
    out["source_category"] = by_value(chunk["CATEGORIE"], _stripped)
    out["category"] = by_value(chunk["CATEGORIE"], lambda v: mapping.categories(_stripped(v)))
    out["tags"] = by_value(chunk["CATEGORIE"], lambda v: mapping.tags(_stripped(v)))
    out["date"] = dates
    if "QUART" in chunk:
        out["shift"] = by_value(chunk["QUART"], _shifts)
    out["station_id"] = by_value(chunk["PDQ"], lambda v: v.map(
        lambda s: normalise_station_id(_maybe_number(s))).astype("string"))
    geometry, precision = _locations(chunk, columns, report, outside)
    out["location_precision"] = precision
    out["geometry"] = geometry
    return out


def _stripped(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _shifts(values: pd.Series) -> pd.Series:
    shifts = values.astype("string").str.strip().str.lower()
    return shifts.where(shifts.isin(list(SHIFTS)))


def _maybe_number(value: str) -> object:
    try:
        return float(value)
    except ValueError:
        return value


def _locations(chunk: pd.DataFrame, columns: dict[str, str], report: ImportReport,
               outside: CoordinatesOutside
               ) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
    """Point geometries in the metric CRS (None where unusable) and each row's precision."""
    n = len(chunk)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    placeholder = np.zeros(n, dtype=bool)
    if "x" in columns:
        raw_x = decimal_numbers(chunk[columns["x"]])
        raw_y = decimal_numbers(chunk[columns["y"]])
        placeholder |= np.isin(raw_x, (0.0, 1.0)) & np.isin(raw_y, (0.0, 1.0))
        inside = _within(raw_x, raw_y, MTM8_EXTENT)
        x[inside], y[inside] = raw_x[inside], raw_y[inside]
    if "lon" in columns:
        missing = np.isnan(x)
        lon = decimal_numbers(chunk[columns["lon"]])
        lat = decimal_numbers(chunk[columns["lat"]])
        usable = missing & _within(lon, lat, LONLAT_EXTENT)
        if usable.any():
            transformer = Transformer.from_crs(MAP_CRS, METRIC_CRS, always_xy=True)
            x[usable], y[usable] = transformer.transform(lon[usable], lat[usable])
        placeholder |= missing & (np.abs(lat) < 1.0)
    located = ~np.isnan(x)
    raw = (raw_x, raw_y) if "x" in columns else (lon, lat)
    present = ~placeholder & ~np.isnan(raw[0]) & ~np.isnan(raw[1])
    outside.add(*raw, present | located, present & ~located)
    geometry = np.full(n, None, dtype=object)
    geometry[located] = shapely.points(x[located], y[located])
    precision = _PRECISIONS.take(located.astype(np.intp))
    report.flag("no location: placeholder coordinates (X = Y = 1 or 0)",
                int((placeholder & ~located).sum()))
    report.flag("no location: coordinates missing or outside the Montréal area",
                int((~placeholder & ~located).sum()))
    return geometry, precision


def _within(x: np.ndarray, y: np.ndarray, extent: tuple[float, float, float, float]) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (x >= extent[0]) & (x <= extent[2]) & (y >= extent[1]) & (y <= extent[3])

