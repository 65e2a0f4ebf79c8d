"""Calls for service from a dispatch (CAD) export, read through a column mapping.

Every dispatch system exports its own columns. A ``CallMapping`` says which column holds what;
it comes from the import options (``--mapping MAPPING.json``), else from the workspace (a
mapping confirmed once is reused), else from a known layout (the San Diego Police open data)
or a guess on the column names. Calls are placed in a station by its column, else by their
point, else by an area code (beat, sector) -> station table given in the mapping; the others
are kept at city level and counted. Addresses are kept as text for the station's own use:
they are never geocoded here.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.cad_lookups import area_stations, read_code_table
from data_connectors.cad_mapping import FIELDS, LAYOUTS, CallMapping, propose_call_mapping
from data_connectors.column_mapping import MappingError
from data_connectors.incident_common import (
    examples,
    metric_points,
    numbers,
    stations_containing,
)
from data_connectors.mapped_points import load_table, source_key
from data_connectors.text_files import by_value, sniff
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import CALLS, conform
from portrait.stations import normalise_station_id

#: Date-and-time forms recognised without being told (a mapping may name one or give its own).
DATETIME_FORMATS: dict[str, str] = {
    "YYYY-MM-DD HH:MM:SS": "%Y-%m-%d %H:%M:%S",
    "YYYY-MM-DDTHH:MM:SS": "%Y-%m-%dT%H:%M:%S",
    "YYYY-MM-DD HH:MM": "%Y-%m-%d %H:%M",
    "YYYY/MM/DD HH:MM:SS": "%Y/%m/%d %H:%M:%S",
    "DD/MM/YYYY HH:MM:SS": "%d/%m/%Y %H:%M:%S",
    "DD/MM/YYYY HH:MM": "%d/%m/%Y %H:%M",
    "MM/DD/YYYY HH:MM:SS": "%m/%d/%Y %H:%M:%S",
    "MM/DD/YYYY HH:MM": "%m/%d/%Y %H:%M",
    "MM/DD/YYYY hh:MM:SS AM": "%m/%d/%Y %I:%M:%S %p",
}
_YES = frozenset(("y", "yes", "o", "oui", "true", "vrai", "1", "t"))
_NO = frozenset(("n", "no", "non", "false", "faux", "0", "f"))
_SAMPLE = 2_000

class CadCallReader:
    id = "cad-calls"
    label = "Calls for service — dispatch (CAD) export through a column mapping (CSV, XLSX)"
    kind = "calls"
    patterns = ("*.csv", "*.tsv", "*.xlsx")
    #: Above the generic readers (incident mapping, survey score tables, which accept most
    #: tables): a table with call types, times received and priorities is a CAD export.
    priority = 38
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".tsv", ".xlsx"):
            return False
        try:
            header = _header(path)
        except (ReaderError, OSError, ValueError):
            return False
        guess = propose_call_mapping(header)
        return bool(guess.call_type and guess.received and (guess.priority or
                                                            guess.disposition))

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CALLS.name)
        with Timer() as timer:
            frame, key, mapping = read_calls(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CALLS.name: frame}, report, ("source", source_name(path)),
                            column_mapping=(key, mapping.to_dict()))


def source_name(path: Path) -> str:
    """The ``source`` of one file's calls, so that importing it again replaces them."""
    return f"calls:{path.name}"


def read_calls(path: Path, context: ReadContext, report: ImportReport
               ) -> tuple[gpd.GeoDataFrame, str, CallMapping]:
    """The calls of ``path`` as a frame of the ``calls`` layer, its source key and mapping."""
    path = Path(path)
    context.report_progress(0.01, "reading the header")
    header = _header(path)
    key = "calls:" + source_key(path, header).split(":", 1)[1]
    mapping, origin = _chosen_mapping(path, key, header, context)
    missing = mapping.missing()
    if missing:
        raise ReaderError(path, f"the calls column mapping ({origin}) is incomplete. Missing: "
                          f"{'; '.join(missing)}.",
                          expected="a column mapping (--mapping MAPPING.json) naming columns "
                          f"of the file: {', '.join(header)}")
    _check_columns(path, mapping, header)
    report.columns = mapping.columns() | (
        {"address": " + ".join(mapping.address)} if mapping.address else {})
    rows, first_row = _load(path, mapping, header, context)
    report.rows_read = len(rows)
    if not len(rows):
        raise ReaderError(path, "the file has a header but no rows.")
    rows = _without_duplicates(rows, mapping, report, first_row)
    received = _datetimes(path, rows, mapping.received, mapping.received_format, report,
                          first_row, required=True)
    keep = received.notna().to_numpy()
    rows, received = rows.loc[keep], received.loc[keep]
    context.report_progress(0.55, f"{len(rows):,} calls with a time received")
    out = pd.DataFrame(index=rows.index)
    out["call_id"] = _text(rows, mapping.id) if mapping.id else \
        pd.Series(rows.index + first_row, index=rows.index).astype("string")
    out["received"] = received
    out["call_type"] = _codes(rows[mapping.call_type])
    empty_type = out["call_type"].isna()
    report.flag("no call type (kept, unmapped)", int(empty_type.sum()))
    out["call_type_label"] = _labels(path, rows, mapping, out["call_type"])
    out["priority"] = _codes(rows[mapping.priority]) if mapping.priority else None
    out["disposition"] = _codes(rows[mapping.disposition]) if mapping.disposition else None
    out["area_code"] = _area_codes(rows, mapping)
    out["address"] = _address(rows, mapping.address)
    for name in ("dispatched", "arrived", "cleared"):
        column = getattr(mapping, name)
        out[name] = _datetimes(path, rows, column, mapping.received_format, report,
                               first_row) if column else pd.NaT
    out["units"] = pd.array(np.round(numbers(rows[mapping.units])), dtype="Int64") \
        if mapping.units else pd.NA
    out["self_initiated"] = _flags(rows, mapping.self_initiated, report) \
        if mapping.self_initiated else pd.NA
    context.report_progress(0.75, "placing calls in stations")
    geometry = _points(rows, mapping, report)
    out["station_id"] = _stations(path, rows, mapping, geometry, out["area_code"], context,
                                  report)
    out["source"] = source_name(path)
    report.rows_kept = len(out)
    frame = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geometry, crs=METRIC_CRS)
    context.report_progress(1.0, f"{report.rows_kept:,} calls ready")
    return conform(frame, CALLS), key, mapping


def _load(path: Path, mapping: CallMapping, header: tuple[str, ...], context: ReadContext
          ) -> tuple[pd.DataFrame, int]:
    """The mapped columns as text, and the row number of the first data row.

    Delimited text goes through Arrow's multi-threaded CSV reader, reading only the mapped
    columns: a million calls in a second or two, where the chunked pandas reader takes
    several. Workbooks go through the mapping readers' loader.
    """
    if path.suffix.lower() == ".xlsx":
        return load_table(path, None, context).frame, 2
    wanted = list(dict.fromkeys([*mapping.columns().values(), *mapping.address]))
    numeric = [c for c in (mapping.lat, mapping.lon, mapping.x, mapping.y, mapping.units) if c]
    text_format = sniff(path)
    context.report_progress(0.05, "reading the calls")
    try:
        table = _arrow_csv(path, header, text_format, wanted, numeric)
    except pa.ArrowInvalid:  # a number column holds text: read it as text, report each cell
        table = _arrow_csv(path, header, text_format, wanted, [])
    context.report_progress(0.3, f"{table.num_rows:,} rows read")
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get), 2


def _arrow_csv(path: Path, header: tuple[str, ...], text_format, wanted: list[str],
               numeric: list[str]) -> pa.Table:
    """Numbers in ``numeric`` read as floats (several times faster than text); the rest as
    text, empty cells missing."""
    types = {c: pa.float64() if c in numeric else pa.string() for c in wanted}
    try:
        return pacsv.read_csv(
            path, read_options=pacsv.ReadOptions(column_names=list(header), skip_rows=1,
                                                 encoding=text_format.encoding),
            parse_options=pacsv.ParseOptions(delimiter=text_format.delimiter),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, column_types=types, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True,
                decimal_point="," if text_format.delimiter == ";" else "."))
    except pa.ArrowInvalid as error:
        if numeric and "conversion error" in str(error).lower():
            raise
        raise ReaderError(path, f"the rows do not form a regular table ({error}).",
                          expected=f"the same number of {text_format.delimiter!r}-separated "
                                   "fields on every line") from error
    except UnicodeDecodeError as error:
        raise ReaderError(path, f"the text is not {text_format.encoding} throughout.",
                          expected="one encoding for the whole file: save it again as "
                                   "UTF-8") from error


def _header(path: Path) -> tuple[str, ...]:
    if path.suffix.lower() == ".xlsx":
        return tuple(load_table(path, None, None, nrows=1).columns)
    return tuple(c.strip().lstrip("\ufeff") for c in sniff(path).header)


def _chosen_mapping(path: Path, key: str, header: tuple[str, ...], context: ReadContext
                    ) -> tuple[CallMapping, str]:
    try:
        if context.options.get("mapping"):
            return CallMapping.from_dict(context.options["mapping"]), "given"
        if key in context.column_mappings:
            return CallMapping.from_dict(context.column_mappings[key]), "saved in the workspace"
    except MappingError as error:
        raise ReaderError(path, str(error)) from error
    guess = propose_call_mapping(header)
    for name, layout in LAYOUTS.items():
        if guess is layout:
            return layout, f"recognised as the {name} layout"
    return guess, "guessed from the column names"


def _check_columns(path: Path, mapping: CallMapping, header: tuple[str, ...]) -> None:
    named = list(mapping.columns().items()) + [("address", c) for c in mapping.address]
    absent = [f"{field_name} -> {column!r}" for field_name, column in named
              if column not in header]
    if absent:
        raise ReaderError(path, "the calls column mapping names column(s) not in the file: "
                          f"{'; '.join(absent)}.",
                          expected=f"columns of the file: {', '.join(header)}")


def _without_duplicates(rows: pd.DataFrame, mapping: CallMapping, report: ImportReport,
                        first_row: int) -> pd.DataFrame:
    """A repeated call id is the same call exported twice: dropped and reported."""
    if not mapping.id:
        return rows
    ids = rows[mapping.id].astype("string").str.strip()
    repeated = (ids.duplicated() & ids.notna()).to_numpy()
    if repeated.any():
        report.drop(f"duplicate call id (column {mapping.id!r})", int(repeated.sum()))
        examples(report, ids[repeated], mapping.id, "the same id as an earlier row", first_row,
                 limit=3)
    return rows.loc[~repeated]


def _datetimes(path: Path, rows: pd.DataFrame, column: str, form: str | None,
               report: ImportReport, first_row: int, required: bool = False) -> pd.Series:
    """Date and time of each row (NaT where empty or unreadable, reported)."""
    text = rows[column].astype("string").str.strip()
    text = text.where(text != "")
    pattern = DATETIME_FORMATS.get(form, form) if form and form != "auto" else \
        _guess_format(path, text, column)
    result = pd.Series(_parse(text, pattern), index=rows.index)
    unreadable = result.isna() & text.notna()
    expected = f"a date and time in the form {form or _form_name(pattern)}"
    if required:
        report.drop(f"no time received (column {column!r})", int(text.isna().sum()))
        report.drop(f"unreadable time received (column {column!r})", int(unreadable.sum()))
        if int((unreadable | text.isna()).sum()) * 2 > len(rows):
            raise ReaderError(path, f"{int((unreadable | text.isna()).sum()):,} of {len(rows):,}"
                              " times received cannot be read.", column=column,
                              expected=f"{expected}; or set 'received_format' in the mapping")
    else:
        report.flag(f"unreadable time in column {column!r} (left empty)",
                    int(unreadable.sum()))
    examples(report, text[unreadable], column, f"not {expected}", first_row, limit=3)
    return result


def _guess_format(path: Path, text: pd.Series, column: str) -> str:
    sample = pd.Series(text.dropna().head(20 * _SAMPLE).unique()[:_SAMPLE], dtype="string")
    if sample.empty:
        return DATETIME_FORMATS["YYYY-MM-DD HH:MM:SS"]
    scores = {name: int((~np.isnat(_parse(sample, form))).sum())
              for name, form in DATETIME_FORMATS.items()}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    if best == 0:
        raise ReaderError(path, f"the dates and times (e.g. {sample.iloc[0]!r}) are in no known"
                          " form.", column=column, expected="one of " +
                          ", ".join(DATETIME_FORMATS) + ", or 'received_format' in the mapping")
    if len(winners) > 1 and any(w.startswith("DD/") for w in winners) and \
            any(w.startswith("MM/") for w in winners):
        raise ReaderError(path, "day and month cannot be told apart in the dates (no day "
                          "after the 12th in the first values).", column=column,
                          expected="'received_format' in the mapping: DD/MM/YYYY HH:MM:SS or "
                          "MM/DD/YYYY HH:MM:SS")
    return DATETIME_FORMATS[winners[0]]


def _parse(text: pd.Series, pattern: str) -> np.ndarray:
    """Text in one ``strptime`` form as datetime64[ns] (NaT where it does not fit), parsed by
    Arrow: a million distinct time stamps in well under a second."""
    values = pa.array(text.astype("string").array, type=pa.string()) \
        if len(text) else pa.array([], type=pa.string())
    try:
        parsed = pc.strptime(values, format=pattern, unit="s", error_is_null=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a form Arrow does not know
        return pd.to_datetime(text, format=pattern, errors="coerce").to_numpy(
            dtype="datetime64[ns]")
    return parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")


def _form_name(pattern: str) -> str:
    return next((name for name, form in DATETIME_FORMATS.items() if form == pattern), pattern)


def _text(rows: pd.DataFrame, column: str) -> pd.Series:
    return rows[column].astype("string").str.strip()


def _codes(values: pd.Series) -> pd.Series:
    """Codes trimmed and in upper case (empty -> missing), converted once per value."""
    return by_value(values, lambda v: v.astype("string").str.strip().str.upper()
                    .replace("", pd.NA)).astype("string")


def _labels(path: Path, rows: pd.DataFrame, mapping: CallMapping, codes: pd.Series
            ) -> pd.Series:
    if mapping.call_type_label:
        return by_value(rows[mapping.call_type_label],
                        lambda v: v.astype("string").str.strip()).astype("string")
    if mapping.call_type_lookup:
        lookup = read_code_table(_beside(path, mapping.call_type_lookup))
        return by_value(codes, lambda v: v.map(lookup)).astype("string")
    return pd.Series(pd.NA, index=rows.index, dtype="string")


def _area_codes(rows: pd.DataFrame, mapping: CallMapping) -> pd.Series:
    if not mapping.area:
        return pd.Series(pd.NA, index=rows.index, dtype="string")
    codes = _codes(rows[mapping.area])
    if mapping.area_none is not None:
        codes = codes.mask(codes == mapping.area_none.strip().upper())
    return codes


def _address(rows: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    if not columns:
        return pd.Series(pd.NA, index=rows.index, dtype="string")
    parts = [rows[c].astype("string").fillna("") for c in columns]
    joined = parts[0].str.cat(parts[1:], sep=" ") if len(parts) > 1 else parts[0]
    # an address repeats over many calls: clean each distinct one once
    joined = by_value(joined, lambda v: v.str.replace(r"\s+", " ", regex=True).str.strip())
    return joined.astype("string").mask(joined == "")


def _flags(rows: pd.DataFrame, column: str, report: ImportReport) -> pd.Series:
    def convert(values: pd.Series) -> pd.Series:
        folded = values.astype("string").str.strip().str.lower()
        return pd.Series(np.where(folded.isin(_YES), True,
                                  np.where(folded.isin(_NO), False, None)),
                         dtype="boolean")

    flags = by_value(rows[column], convert).astype("boolean")
    unknown = flags.isna() & rows[column].notna()
    report.flag(f"self-initiated flag not yes/no in column {column!r} (left empty)",
                int(unknown.sum()))
    return flags


def _points(rows: pd.DataFrame, mapping: CallMapping, report: ImportReport) -> np.ndarray:
    if mapping.lat and mapping.lon:
        x, y, crs = numbers(rows[mapping.lon]), numbers(rows[mapping.lat]), MAP_CRS
    elif mapping.x and mapping.y:
        x, y, crs = numbers(rows[mapping.x]), numbers(rows[mapping.y]), mapping.crs
    else:
        return np.full(len(rows), None, dtype=object)
    with np.errstate(invalid="ignore"):
        placeholder = np.isin(x, (0.0, 1.0)) & np.isin(y, (0.0, 1.0))
    x, y = np.where(placeholder, np.nan, x), np.where(placeholder, np.nan, y)
    report.flag("no coordinates (kept, placed by area code or at city level)",
                int((np.isnan(x) | np.isnan(y)).sum()))
    # calls come again and again from the same places: project each place once
    codes, places = pd.factorize(x + 1j * y)
    geometry = metric_points(places.real.astype(float), places.imag.astype(float), str(crs))
    out = np.full(len(x), None, dtype=object)
    out[codes >= 0] = geometry[codes[codes >= 0]]
    return out


def _stations(path: Path, rows: pd.DataFrame, mapping: CallMapping, geometry: np.ndarray,
              area: pd.Series, context: ReadContext, report: ImportReport) -> np.ndarray:
    """Each call's station: its column, else the station holding its point, else its area
    code's station; calls left without one stay at city level and are counted."""
    station = np.full(len(rows), None, dtype=object)
    if mapping.station:
        station = by_value(rows[mapping.station], lambda v: v.map(normalise_station_id)) \
            .to_numpy(dtype=object)
    todo = np.flatnonzero(pd.isna(station) & pd.notna(geometry))
    if len(todo):  # only calls the station column left without a station
        station[todo] = stations_containing(geometry[todo], context.stations).to_numpy(
            dtype=object)
    lookup = area_stations(mapping.area_stations, path.parent)
    if lookup:
        by_area = area.map(lookup).to_numpy(dtype=object)
        station = np.where(pd.isna(station), by_area, station)
        unknown = area[pd.isna(by_area) & area.notna().to_numpy()].value_counts()
        if len(unknown):
            report.warnings.append(
                f"{int(unknown.sum()):,} call(s) have an area code missing from the area -> "
                "station table: " + ", ".join(f"{code} ({n:,})" for code, n in
                                              unknown.head(8).items()) + ".")
    report.flag("no station (kept at city level)", int(pd.isna(station).sum()))
    return station


def _beside(path: Path, name: str) -> Path:
    candidate = Path(name)
    return candidate if candidate.is_absolute() else path.parent / candidate
