"""Vancouver Police Department crime data from GeoDASH (``crimedata_csv_AllNeighbourhoods_*``).

Columns: TYPE, YEAR, MONTH, DAY, HOUR, MINUTE, HUNDRED_BLOCK, NEIGHBOURHOOD, X, Y, with X/Y
in UTM zone 10N metres (NAD83, EPSG:26910). The VPD generalises every point to its hundred
block; offences against a person and homicides are published with HUNDRED_BLOCK
"OFFSET TO PROTECT PRIVACY" and X = Y = 0. Those rows count in totals but get no point,
whatever their coordinates say: the published place is not where it happened.

HOUR = MINUTE = 0 is also what the VPD writes when the time is unknown: the time is kept as
given but marked unknown (``time_known`` false), so hour-of-day analyses leave those rows out
(18 % of Downtown's would otherwise make midnight the peak hour); the report says how many.

The station of a row is the workspace station containing its point. The VPD's own
NEIGHBOURHOOD becomes the station id only when asked for (option ``station_from`` =
``"NEIGHBOURHOOD"``), for a workspace whose stations are Vancouver's neighbourhoods: a
neighbourhood is then the station whose id or name has the same normalised name
(``area_names.area_key``: "Mount Pleasant" is the station "Mt. Pleasant").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data_connectors.area_names import area_key
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field
from data_connectors.import_safety import CoordinatesOutside
from data_connectors.incident_common import (
    DuplicateRows,
    categorise,
    concat_chunks,
    examples,
    format_clock,
    incident_layer,
    line_numbers,
    metric_points,
    numbers,
    read_csv_chunks,
    stations_containing,
    warn_midnight,
    without_implausible_dates,
)
from data_connectors.text_files import (
    TextFormat,
    by_value,
    header_has,
    require_columns,
    sniff,
)
from portrait.layers import INCIDENTS

#: The CRS of the X/Y columns.
VPD_CRS = "EPSG:26910"
#: A generous box around the City of Vancouver in UTM zone 10N metres (the data span about
#: 483,700-498,300 E and 5,449,800-5,462,300 N); anything outside is not a usable location.
VANCOUVER_EXTENT = (478_000.0, 5_444_000.0, 504_000.0, 5_468_000.0)
PRIVACY_MARK = "OFFSET TO PROTECT PRIVACY"
COLUMNS = ("TYPE", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "HUNDRED_BLOCK", "NEIGHBOURHOOD",
           "X", "Y")
PRIVACY_FLAG = "no location: offset to protect privacy (HUNDRED_BLOCK)"
NO_LOCATION_FLAG = "no location: coordinates missing, zero or outside Vancouver"
#: Columns that repeat a few values over many rows: read as categories, converted per value.
REPEATED_COLUMNS = ("TYPE", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "HUNDRED_BLOCK",
                    "NEIGHBOURHOOD")


class VpdIncidentReader:
    id = "vpd-incidents"
    label = "Vancouver Police — GeoDASH crime data (CSV)"
    kind = "incidents"
    patterns = ("*.csv",)
    priority = 50
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and \
            header_has(path, "TYPE", "HUNDRED_BLOCK", "NEIGHBOURHOOD")

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        text_format = sniff(path)
        require_columns(path, text_format.header, COLUMNS)
        with Timer() as timer:
            try:
                frame, report = self._read_frame(path, text_format, context, fast=True)
            except ValueError:  # X or Y is not a number somewhere: read as text, report it
                frame, report = self._read_frame(path, text_format, context, fast=False)
        report.seconds = timer.seconds
        return ImportResult({INCIDENTS.name: frame}, report, ("source", source_key(path)))

    def _read_frame(self, path: Path, text_format: TextFormat, context: ReadContext,
                    fast: bool) -> tuple[pd.DataFrame, ImportReport]:
        report = ImportReport(self.id, str(path), INCIDENTS.name)
        duplicates = DuplicateRows()
        outside = CoordinatesOutside("the Vancouver area")
        chunks = []
        for chunk in read_csv_chunks(path, text_format, context, categories=REPEATED_COLUMNS,
                                     floats=("X", "Y") if fast else ()):
            chunk.columns = [c.upper() for c in chunk.columns]
            duplicates.add(chunk[list(COLUMNS)])
            report.rows_read += len(chunk)
            chunks.append(_convert_chunk(chunk, context, report, outside))
        if report.rows_read == 0:
            raise ReaderError(path, "the file has a header but no rows.")
        outside.check(path, context.allow_outside)
        frame = concat_chunks(chunks)
        frame["station_id"] = _station_ids(frame, context, report)
        empty_neighbourhood = int(frame.pop("neighbourhood").isna().sum())
        report.flag("no NEIGHBOURHOOD in the file", empty_neighbourhood)
        warn_midnight(frame["time"], report, "the VPD writes", unknown=True)
        duplicates.warn(report)
        return incident_layer(frame, source_key(path), report, context), report


def source_key(path: Path) -> str:
    """Identifies the rows of one source file, so that importing it again replaces them."""
    return f"vpd:{path.name}"


def _convert_chunk(chunk: pd.DataFrame, context: ReadContext, report: ImportReport,
                   outside: CoordinatesOutside) -> pd.DataFrame:
    year, month, day = (numbers(chunk[c]) for c in ("YEAR", "MONTH", "DAY"))
    dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day},
                                        index=chunk.index), errors="coerce")
    bad_dates = dates.isna()
    if bad_dates.any():
        report.drop("unreadable date", int(bad_dates.sum()))
        shown = chunk.loc[bad_dates, ["YEAR", "MONTH", "DAY"]].astype(str).agg("-".join, axis=1)
        examples(report, shown, "YEAR/MONTH/DAY", "not a calendar date")
        chunk, dates = chunk.loc[~bad_dates], dates.loc[~bad_dates]
    dates = without_implausible_dates(
        dates, chunk[["YEAR", "MONTH", "DAY"]].astype(str).agg("-".join, axis=1),
        "YEAR/MONTH/DAY", report)
    hours = pd.Series(numbers(chunk["HOUR"]), index=chunk.index)
    minutes = pd.Series(numbers(chunk["MINUTE"]), index=chunk.index)
    valid_time = hours.between(0, 23) & minutes.between(0, 59)
    report.flag("no usable time (HOUR/MINUTE)", int((~valid_time).sum()))
    out = pd.DataFrame(index=chunk.index)
    out["source_id"] = line_numbers(chunk.index)  # the row's line number in the file
    out["source_category"] = by_value(chunk["TYPE"], lambda v: v.str.strip())
    out["category"], out["tags"] = categorise(out["source_category"],
                                              context.category_mapping, report)
    out["date"] = dates
    out["time"] = format_clock(hours.where(valid_time), minutes.where(valid_time))
    out["time_known"] = (valid_time & ~((hours == 0) & (minutes == 0))).to_numpy(dtype=bool)
    out["neighbourhood"] = by_value(chunk["NEIGHBOURHOOD"],
                                     lambda v: v.str.strip().replace("", pd.NA))
    geometry, precision = _locations(chunk, report, outside)
    out["location_precision"] = precision
    out["geometry"] = geometry
    return out


def _locations(chunk: pd.DataFrame, report: ImportReport,
               outside: CoordinatesOutside) -> tuple[np.ndarray, np.ndarray]:
    """Points in the metric CRS (None where unusable) and each row's location precision."""
    x = numbers(chunk["X"])
    y = numbers(chunk["Y"])
    with np.errstate(invalid="ignore"):
        inside = (x >= VANCOUVER_EXTENT[0]) & (x <= VANCOUVER_EXTENT[2]) & \
            (y >= VANCOUVER_EXTENT[1]) & (y <= VANCOUVER_EXTENT[3])
    privacy = by_value(chunk["HUNDRED_BLOCK"], lambda v: v.str.strip().str.upper() ==
                        PRIVACY_MARK).fillna(False).to_numpy(dtype=bool)
    usable = inside & ~privacy
    present = ~privacy & ~np.isnan(x) & ~np.isnan(y) & ~((x == 0) & (y == 0))
    outside.add(x, y, present, present & ~inside)
    geometry = metric_points(np.where(usable, x, np.nan), np.where(usable, y, np.nan), VPD_CRS)
    precision = np.where(usable, "block", np.where(privacy, "offset", "none"))
    report.flag(PRIVACY_FLAG, int(privacy.sum()))
    unusable = ~usable & ~privacy
    report.flag(NO_LOCATION_FLAG, int(unusable.sum()))
    shown = chunk.loc[unusable, "X"].astype("string").fillna("empty") + ", " + \
        chunk.loc[unusable, "Y"].astype("string").fillna("empty")
    examples(report, shown, "X/Y", "no usable location (kept, not on maps)", limit=3)
    return geometry, precision


def _station_ids(frame: pd.DataFrame, context: ReadContext, report: ImportReport) -> pd.Series:
    if str(context.options.get("station_from", "")).upper() == "NEIGHBOURHOOD":
        return _stations_named(frame["neighbourhood"], context.stations)
    stations = stations_containing(frame["geometry"].to_numpy(), context.stations)
    return _stations_of_unlocated(stations, frame["neighbourhood"], report)


def _stations_named(neighbourhoods: pd.Series, stations: pd.DataFrame | None) -> pd.Series:
    """The station whose id or name is the neighbourhood's normalised name; the
    neighbourhood itself where none is (or the workspace has no stations yet)."""
    if stations is None or not len(stations):
        return neighbourhoods
    keys: dict[str, str] = {}
    for column in ("station_id", "name"):
        if column in stations:
            for station, text in zip(stations["station_id"], stations[column], strict=True):
                if pd.notna(text):
                    keys.setdefault(area_key(text), station)
    names = neighbourhoods.dropna().unique()
    matched = neighbourhoods.map({n: keys.get(area_key(n)) for n in names})
    return matched.astype(object).where(matched.notna(), neighbourhoods)


def _stations_of_unlocated(stations: pd.Series, neighbourhoods: pd.Series,
                           report: ImportReport) -> pd.Series:
    """Give rows without a point the station where most of their neighbourhood's points are.

    The VPD removes the location of every offence against a person (about one row in ten);
    leaving them without a station would drop violence from every station's counts. The
    neighbourhood is the finest place the file still gives for them.
    """
    known = pd.DataFrame({"neighbourhood": neighbourhoods, "station": stations}).dropna()
    if known.empty:
        return stations
    usual = known.groupby("neighbourhood", observed=True)["station"].agg(
        lambda values: values.value_counts().index[0])
    missing = stations.isna() & neighbourhoods.notna()
    inferred = neighbourhoods[missing].map(usual)
    report.flag("station inferred from NEIGHBOURHOOD (no location)", int(inferred.notna().sum()))
    return stations.where(~missing, inferred).astype("string")
