"""What every incident reader does the same way, whatever the police service's file looks like.

Reading text in chunks with progress, counting duplicated rows, turning dates and clock times
into the layer's types, placing points in the station that contains them, and finishing the
``incidents`` frame. Kept here so that SPVM, VPD and mapped files behave alike: the same
report wording, the same treatment of rows without a location.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data_connectors.base import ImportReport, ReadContext, ReaderError
from data_connectors.text_files import TextFormat, by_value, decimal_numbers, mean_line_bytes
from portrait.categories import CategoryMapping
from portrait.crs import METRIC_CRS
from portrait.layers import INCIDENTS, conform
from portrait.plausible_dates import implausible
from portrait.service_words import in_use

#: The values of ``incidents.location_precision``: how far the point may be from the event.
#: Analyses and maps read these; a reader must use one of them.
LOCATION_PRECISIONS: dict[str, str] = {
    "exact": "the point is where the source says the event happened",
    "intersection": "moved by the source to the nearest intersection (SPVM)",
    "block": "generalised by the source to the hundred block (Vancouver Police)",
    "offset": "moved away on purpose by the source to protect privacy: no point is kept",
    "none": "no usable location: counted in totals, not placed on maps",
}
#: Rows read at once from a text file: bounded memory, and a progress step every chunk.
CHUNK_ROWS = 250_000
#: The words officers use for the three SPVM shifts, folded (lower case, no accents).
SHIFT_WORDS = {"jour": "jour", "day": "jour", "soir": "soir", "evening": "soir",
               "nuit": "nuit", "night": "nuit"}
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})")
_COMPACT_CLOCK = re.compile(r"^\s*(\d{2})(\d{2})\s*$")


def read_csv_chunks(path: Path, text_format: TextFormat, context: ReadContext,
                    progress_share: float = 0.9, categories: Iterable[str] = (),
                    floats: Iterable[str] = ()) -> Iterator[pd.DataFrame]:
    """A delimited file as text, chunk by chunk; each chunk's index is the row's position
    among data rows (0 = the line after the header), so ``index + 2`` is its line number.

    Columns named in ``categories`` (any case) are read as categories: a column repeating a
    few values over a million rows is then converted once per value (``by_value``).
    Columns in ``floats`` are read as numbers, which is several times faster than text but
    raises ValueError on a cell that is not a number: the caller then reads again without.
    Empty cells are missing values; nothing else is (``NA`` is a valid text). Progress covers
    ``progress_share`` of the bar, measured in bytes, and a cancel is honoured between chunks.
    """
    total_bytes = max(path.stat().st_size, 1)
    row_bytes = mean_line_bytes(path)
    wanted = {c.upper(): "category" for c in categories} | {c.upper(): "float64" for c in floats}
    rows_seen = 0
    try:
        raw_names = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                                nrows=0).columns
        dtypes = defaultdict(lambda: "str", {
            name: wanted[str(name).strip().upper()] for name in raw_names
            if str(name).strip().upper() in wanted})
        reader = pd.read_csv(
            path, sep=text_format.delimiter, encoding=text_format.encoding, dtype=dtypes,
            chunksize=CHUNK_ROWS, keep_default_na=False, na_values=[""],
            decimal="," if text_format.delimiter == ";" else ".",
        )
        with reader:
            for chunk in reader:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                chunk.index = pd.RangeIndex(rows_seen, rows_seen + len(chunk))
                rows_seen += len(chunk)
                yield chunk
                context.report_progress(progress_share * rows_seen * row_bytes / total_bytes,
                                        f"{rows_seen:,} rows read")
    except UnicodeDecodeError as error:
        raise ReaderError(
            path, f"the text is not {text_format.encoding} throughout (byte "
            f"0x{error.object[error.start]:02x} after row {rows_seen + 1:,}).",
            expected="one encoding for the whole file: save it again as UTF-8") from error
    except pd.errors.ParserError as error:
        raise ReaderError(path, f"the rows do not form a regular table ({error}).",
                          expected=f"the same number of {text_format.delimiter!r}-separated "
                                   "fields on every line") from error


class DuplicateRows:
    """Counts rows identical to an earlier row of the same file, across chunks.

    Only counted, never dropped: two thefts from vehicles reported the same day at the same
    intersection are plausible, and the files carry no id that could tell them apart.
    Rows are compared through 64-bit hashes, so a million rows take a fraction of a second.
    """

    def __init__(self) -> None:
        self._hashes: list[np.ndarray] = []

    def add(self, rows: pd.DataFrame) -> None:
        self._hashes.append(pd.util.hash_pandas_object(rows, index=False).to_numpy())

    def count(self) -> int:
        if not self._hashes:
            return 0
        return int(pd.Series(np.concatenate(self._hashes)).duplicated().sum())

    def warn(self, report: ImportReport) -> None:
        count = self.count()
        if count:
            report.warnings.append(
                f"{count:,} row(s) repeat an earlier row exactly; they were kept, since two "
                "incidents of the same kind on the same day at the same place are plausible.")


def numbers(values: pd.Series) -> np.ndarray:
    """Floats from numbers, text (decimal commas accepted) or categories; NaN if unreadable."""
    if pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    if isinstance(values.dtype, pd.CategoricalDtype):
        distinct = decimal_numbers(pd.Series(values.cat.categories).astype("string"))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, distinct[np.maximum(codes, 0)], np.nan)
    return decimal_numbers(values)


def fold(text: str) -> str:
    """Lower case without accents, spaces and punctuation as ``_``: ``"Catégorie "`` ->
    ``"categorie"``. Column names and shift words are compared folded."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def categorise(source_category: pd.Series, mapping: CategoryMapping,
               report: ImportReport) -> tuple[pd.Series, pd.Series]:
    """Common category and issue tags of each row; rows without a category are flagged."""
    empty = int(source_category.isna().sum())
    report.flag("no category in the file (kept, unmapped)", empty)
    return (by_value(source_category, mapping.categories).astype("string"),
            by_value(source_category, mapping.tags).astype("string"))


def parse_dates_with(values: pd.Series, date_format: str) -> pd.Series:
    """Dates (midnight) from text in one ``strptime`` format, ``NaT`` where it does not fit.

    Parsed once per distinct value: a million rows hold a few thousand distinct dates.
    """
    codes, uniques = pd.factorize(values.astype("string").str.strip())
    parsed = pd.to_datetime(pd.Series(uniques, dtype="string"), format=date_format,
                            errors="coerce")
    return _take(parsed, codes, values.index).dt.normalize()


#: How the report names rows whose date cannot be an incident's (``portrait.plausible_dates``).
IMPLAUSIBLE_DATE = "date implausible (before 1900 or after tomorrow): left undated, out of " \
    "the portrait"


def without_implausible_dates(dates: pd.Series, shown: pd.Series, column: str,
                              report: ImportReport, first_row: int = 2) -> pd.Series:
    """``dates`` with those before 1900 or after tomorrow removed (missing), flagged in the
    report with examples of ``shown`` (the values as the file wrote them)."""
    odd = implausible(dates)
    if not odd.any():
        return dates
    report.flag(IMPLAUSIBLE_DATE, int(odd.sum()))
    examples(report, shown[odd], column, "a date before 1900 or after tomorrow", first_row)
    return dates.mask(odd)


def excel_serial_dates(values: pd.Series) -> pd.Series:
    """Dates from Excel serial day numbers (45292 = 2024-01-01), ``NaT`` for other values.

    Only numbers between 20000 (1954) and 80000 (2119) count: a bare year such as 2024
    would otherwise become a date in 1905.
    """
    serials = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
    plausible = serials.where((serials >= 20_000) & (serials < 80_000))
    days = np.floor(plausible.to_numpy(dtype=float, na_value=np.nan))
    dates = pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D")
    return pd.Series(dates, index=values.index).astype("datetime64[ns]")


def clock_times(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``HH:MM`` text from ``14:30``, ``14h30``, ``14:30:00``, ``1430`` or ``9:05``.

    Returns the times and a mask of the non-empty values that are not a valid clock time.
    Parsed once per distinct value (a day has 1,440 minutes).
    """
    times = by_value(values, _clock_text)
    text = values.astype("string")
    bad = (times.isna() & text.notna() & (text.str.strip() != "")).fillna(False).astype(bool)
    return times.astype("string"), bad


def _clock_text(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    parts = text.str.extract(_CLOCK)
    compact = text.str.extract(_COMPACT_CLOCK)
    hours = pd.to_numeric(parts[0].fillna(compact[0]), errors="coerce")
    minutes = pd.to_numeric(parts[1].fillna(compact[1]), errors="coerce")
    valid = hours.between(0, 23) & minutes.between(0, 59)
    return format_clock(hours.where(valid), minutes.where(valid))


def format_clock(hours: pd.Series, minutes: pd.Series) -> pd.Series:
    """``HH:MM`` from numeric hours and minutes; missing where either is missing."""
    h = hours.astype("Int64").astype("string").str.zfill(2)
    m = minutes.astype("Int64").astype("string").str.zfill(2)
    return (h + ":" + m).astype("string")


def warn_midnight(times: pd.Series, report: ImportReport, writer: str = "many sources write",
                  unknown: bool = False) -> None:
    """Count the times of exactly 00:00, which many sources write when the time is unknown
    (``unknown``: the reader marks them so, and hour-of-day analyses leave them out)."""
    midnight = int((times == "00:00").sum())
    if midnight:
        share = midnight / max(int(times.notna().sum()), 1)
        consequence = ("marked as an unknown time, left out of hour-of-day counts" if unknown
                       else "kept as 00:00, so read hour-of-day counts at midnight with care")
        report.warnings.append(
            f"{midnight:,} incident(s) ({share:.0%}) have the time 00:00, which {writer} "
            f"when the time is unknown; {consequence}.")


def shifts_from(values: pd.Series, report: ImportReport, column: str) -> pd.Series:
    """Shift codes (jour, soir, nuit) from French or English words, or from the names the
    workspace gives its shifts ("Afternoon", see ``portrait.service_words``); others
    missing."""
    named = {name: shift.code for shift in in_use().shifts
             for name in (shift.name_fr, shift.name_en)}
    words = {**SHIFT_WORDS, **{fold(name): code for name, code in named.items()}}
    shifts = by_value(values, lambda distinct: distinct.map(
        lambda v: words.get(fold(v)) if isinstance(v, str) else None)).astype("string")
    unknown = shifts.isna() & values.notna()
    if unknown.any():
        sample = ", ".join(repr(v) for v in values[unknown].astype(str).unique()[:5])
        spelled = {**{name.lower(): code for name, code in named.items()}, **SHIFT_WORDS}
        known = ", ".join("/".join(word for word, code in spelled.items() if code == shift)
                          for shift in dict.fromkeys(SHIFT_WORDS.values()))
        report.warnings.append(
            f"{int(unknown.sum()):,} value(s) of column {column!r} are not a shift "
            f"({known}) and were left empty: {sample}.")
    return shifts


def metric_points(x: np.ndarray, y: np.ndarray, crs: str) -> np.ndarray:
    """Points in the metric CRS from coordinates in ``crs`` (``None`` where x or y is NaN)."""
    geometry = np.full(len(x), None, dtype=object)
    usable = ~(np.isnan(x) | np.isnan(y))
    if usable.any():
        transformer = Transformer.from_crs(crs, METRIC_CRS, always_xy=True)
        mx, my = transformer.transform(x[usable], y[usable])
        geometry[usable] = shapely.points(mx, my)
    return geometry


def stations_containing(geometry: np.ndarray, stations: pd.DataFrame | None) -> pd.Series:
    """The station whose boundary contains each point (missing outside every station).

    A point on the line between two stations goes to the first of them; the lookup goes
    through an R-tree, so a million points take about a second.
    """
    result = np.full(len(geometry), None, dtype=object)
    if stations is None or not len(stations) or "station_id" not in stations:
        return pd.Series(result, dtype="string")
    polygons = gpd.GeoSeries(stations.geometry)
    if polygons.crs is not None and polygons.crs != METRIC_CRS:
        polygons = polygons.to_crs(METRIC_CRS)
    located = np.flatnonzero(pd.notna(geometry))
    # Sources put many incidents on the same intersection or block: look each place up once.
    xy = shapely.get_coordinates(geometry[located])
    place, places = pd.factorize(xy[:, 0] + 1j * xy[:, 1])
    tree = shapely.STRtree(polygons.to_numpy())
    place_index, station_index = tree.query(shapely.points(places.real, places.imag),
                                            predicate="intersects")
    first = np.unique(place_index, return_index=True)[1]
    ids = stations["station_id"].astype("string").to_numpy(dtype=object)
    station_of_place = np.full(len(places), None, dtype=object)
    station_of_place[place_index[first]] = ids[station_index[first]]
    result[located] = station_of_place[place]
    return pd.Series(result, dtype="string")


def line_numbers(index: pd.Index, first_row: int = 2) -> pd.Series:
    """Row numbers as a person sees them in the file (``first_row`` for the first data row)."""
    return pd.Series(np.asarray(index) + first_row, index=index).astype(str)


def examples(report: ImportReport, rows: pd.Series, column: str | None, problem: str,
             first_row: int = 2, limit: int = 5) -> None:
    """Add up to ``limit`` examples (row number, value) of rows with ``problem``."""
    for position, value in rows.head(limit).items():
        report.example(int(position) + first_row, column, value, problem)


def incident_layer(frame: pd.DataFrame, source: str, report: ImportReport,
                   context: ReadContext) -> gpd.GeoDataFrame:
    """The finished ``incidents`` frame: source, counts and unmapped categories filled in.

    ``frame`` holds the layer's columns and a ``geometry`` column of points in the metric CRS
    (``None`` where the row has no usable location).
    """
    if "time_known" not in frame:  # a reader that knows no placeholder time: any time counts
        frame = frame.assign(time_known=frame["time"].notna().to_numpy(dtype=bool)
                             if "time" in frame else False)
    unmapped = frame.loc[frame["category"].isna(), "source_category"].value_counts()
    report.unmapped_categories = {str(k): int(v) for k, v in unmapped.items()}
    report.rows_kept = len(frame)
    frame = frame.assign(source=source)
    geometry = frame.pop("geometry").to_numpy()
    result = gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS)
    context.report_progress(1.0, f"{report.rows_kept:,} incidents ready")
    return conform(result, INCIDENTS)


def concat_chunks(chunks: Sequence[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else \
        chunks[0].reset_index(drop=True)


def _take(parsed: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    values = parsed.to_numpy(dtype="datetime64[ns]")
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    out[known] = values[codes[known]]
    return pd.Series(out, index=index)
