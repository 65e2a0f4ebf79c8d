"""Municipal census profiles in the wide layout: one row per characteristic, one column per area.

Cities republish Statistics Canada counts for their own areas this way (Ville de Montréal's
borough profiles, City of Vancouver's local-area profiles). These files are small but
hand-made, so the reader is lenient where a person would be and loud about it:

* bytes are decoded line by line (UTF-8, else Windows-1252), because a mostly-UTF-8 file
  can carry a few Latin-1 bytes deep inside, where no sample-based guess would see them;
* numbers may be plain, quoted with thousands separators ("2,004,265", "2 004 265",
  narrow no-break spaces) or use a decimal comma;
* nesting is read from the leading spaces of the characteristic name, and rows are matched
  to indicators on the whole nesting path (``wide_profile_catalogues``);
* a line with extra fields keeps its values when the extras are empty or placeholders
  ("--"), and is reported with its line number either way;
* blank lines and section headings ("25% Data Below") are skipped.

Areas are identified by their normalised names (``area_names.area_key``), which is also what
the named-area boundary reader uses, so values and polygons join without a code.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_connectors.area_names import area_key, closest
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.catalogue_import import check_mapped, layout_entries
from data_connectors.column_mapping import Field
from data_connectors.text_files import csv_header, sniff
from data_connectors.wide_profile_catalogues import (
    ProfileSource,
    characteristic_key,
    detect_source,
    with_entries,
)
from portrait.census_levels import AGGREGATE_LEVEL, CITY_LEVEL
from portrait.errors import PortraitError
from portrait.layers import CENSUS_VALUES, conform

#: Texts that stand for a value that is not there (Statistics Canada flags and the like).
PLACEHOLDERS = frozenset({"x", "X", "..", "...", "F", "-", "--", "—", "n/a", "N/A", "na", "NA"})
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
#: Header names that mark someone else's file (SPVM incidents start with CATEGORIE too).
_FOREIGN_COLUMNS = frozenset({"date", "pdq", "quart", "x", "y"})


def parse_number(text: str) -> tuple[float, str | None]:
    """A value and its symbol: (nan, "x") for a placeholder, (nan, None) for a blank,
    (nan, text) for text that is no number.

    >>> parse_number('"2,004,265"'), parse_number("2 004 265"), parse_number("20,1")
    ((2004265.0, None), (2004265.0, None), (20.1, None))
    """
    raw = text.strip().strip('"').strip()
    if not raw:
        return math.nan, None
    if raw in PLACEHOLDERS:
        return math.nan, raw
    compact = raw.translate(_SPACES).rstrip("%").lstrip("$")
    if _THOUSANDS.fullmatch(compact):
        compact = compact.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(compact):
        compact = compact.replace(",", ".")
    try:
        return float(compact), None
    except ValueError:
        return math.nan, raw


@dataclass
class WideRow:
    """One characteristic row: its physical line, nesting path (folded names) and fields."""

    line: int
    name: str
    path: tuple[str, ...]
    fields: list[str]


@dataclass
class WideTable:
    """What a wide profile holds, before any mapping to indicators."""

    header: list[str]
    label_count: int
    rows: list[WideRow] = field(default_factory=list)
    latin1_lines: int = 0

    @property
    def area_names(self) -> list[str]:
        return [h.strip() for h in self.header[self.label_count:]]


def _areas_hold_numbers(path: Path, label_columns: int) -> bool:
    """Whether the first rows hold numbers under the area columns, as a profile does.

    A header alone can mislead (an incident export also starts with "Catégorie"); in a wide
    profile nearly every cell right of the labels is a count.
    """
    text_format = sniff(path)
    try:
        sample = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                             dtype=str, nrows=5, on_bad_lines="skip")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return False
    cells = sample.iloc[:, label_columns:].stack()
    if cells.empty:
        return False
    numbers = pd.to_numeric(cells.str.replace(r"[\s,\u202f\xa0]", "", regex=True),
                            errors="coerce")
    return bool(numbers.notna().mean() >= 0.8)


class WideProfileReader:
    id = "wide-census-profile"
    label = ("Profil du recensement par arrondissement ou secteur (format large : Montréal "
             "2021, Vancouver 2016)")
    kind = "census-values"
    patterns = ("*.csv", "*.CSV")
    priority = 55
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        header = csv_header(path)
        if header is None:
            return False
        folded = {characteristic_key(h) for h in header}
        source = detect_source(header)
        return (source is not None and not folded & _FOREIGN_COLUMNS
                and _areas_hold_numbers(path, len(source.label_columns)))

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_VALUES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_VALUES.name: frame}, report, ("source", _source(path)))

    def _read_frame(self, path: Path, context: ReadContext,
                    report: ImportReport) -> pd.DataFrame:
        context.report_progress(0.05, "reading the profile")
        header = _read_header(path)
        source = detect_source(header)
        if source is None:
            raise ReaderError(path, "this wide census profile is of no known layout.",
                              row=1, expected="a first column CATEGORIE (Ville de Montréal) "
                              "or ID, Variable (City of Vancouver)")
        source = _with_user_entries(source, path, context)
        table = read_wide_table(path, len(source.label_columns), report)
        context.report_progress(0.6, f"{len(table.rows):,} characteristics")
        year = int(context.options.get("census_year") or source.census_year)
        frame = _values(table, source, year, _source(path), path, report)
        _check_areas(table, source, context, report)
        if frame.empty:
            report.warnings.append(
                "none of this file's characteristics feeds an indicator of the portrait; "
                + " ".join(source.notes))
        context.report_progress(1.0, f"{frame['area_id'].nunique():,} areas")
        return frame


def _with_user_entries(source: ProfileSource, path: Path, context: ReadContext) -> ProfileSource:
    """The layout with the ``[[entry]]`` tables of the catalogue the import names."""
    extra, origin, known = layout_entries(path, context, "entry")
    try:
        source = with_entries(source, extra, origin)
    except PortraitError as error:
        raise ReaderError(path, f"its catalogue cannot be used: {error}") from error
    check_mapped(path, (str(e.get("indicator", "")).strip() for e in extra
                        if e.get("layout", source.id) == source.id), known)
    return source


def read_wide_table(path: Path, label_count: int, report: ImportReport) -> WideTable:
    """Every characteristic row of a wide profile with its nesting path; broken lines are
    repaired when their extra fields are empty or placeholders, else dropped, and reported."""
    lines, latin1 = decode_lines(path)
    reader = csv.reader(lines, delimiter=sniff(path).delimiter)
    header = _trim_header(next(reader, []))
    if len(header) <= label_count:
        raise ReaderError(path, "the header names no area column.", row=1,
                          expected="label column(s) followed by one column per area")
    table = WideTable(header, label_count)
    width = len(header)
    stack: list[str] = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields[label_count:]):
            continue  # blank line or section heading ("25% Data Below")
        report.rows_read += 1
        if len(fields) > width:
            extra = fields[width:]
            if all(not f.strip() or f.strip() in PLACEHOLDERS for f in extra):
                report.warnings.append(
                    f"line {line}: {len(fields)} fields where the header has {width}; the "
                    f"extra field(s) {extra!r} at the end were ignored.")
                report.flag("broken line repaired (extra empty or placeholder fields)")
                fields = fields[:width]
            else:
                report.warnings.append(
                    f"line {line}: {len(fields)} fields where the header has {width}; the "
                    "values cannot be assigned to areas, the line was skipped.")
                report.drop("broken line (extra fields)")
                report.example(line, None, ",".join(fields[:3]) + ",…",
                               f"{len(fields)} fields, expected {width}")
                continue
        elif len(fields) < width:
            report.flag("short line (missing values left empty)")
            report.example(line, None, ",".join(fields[:3]) + ",…",
                           f"{len(fields)} fields, expected {width}")
            fields = fields + [""] * (width - len(fields))
        name = fields[label_count - 1]
        depth = (len(name) - len(name.lstrip(" \u00a0"))) // 2
        stack = stack[:depth] + [""] * max(0, depth - len(stack))
        stack.append(characteristic_key(name))
        table.rows.append(WideRow(line, name.strip(), tuple(stack), fields[label_count:]))
    table.latin1_lines = latin1
    if table.latin1_lines:
        report.flag("line(s) in Windows-1252/Latin-1 rather than UTF-8", table.latin1_lines)
    return table


def decode_lines(path: Path) -> tuple[list[str], int]:
    """The file's lines (ends kept), each decoded as UTF-8 or else Windows-1252, and how many
    needed Windows-1252. The UTF-8 byte-order mark is dropped."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot be read ({error.strerror}).") from error
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines, latin1 = [], 0
    for raw in data.splitlines(keepends=True):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252", errors="replace"))
            latin1 += 1
    return lines, latin1


def _read_header(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        first = handle.readline()
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        text = first.decode("cp1252", errors="replace")
    delimiter = max((",", ";", "\t"), key=text.count)
    return _trim_header(next(csv.reader([text], delimiter=delimiter), []))


def _trim_header(header: list[str]) -> list[str]:
    while header and not header[-1].strip():
        header = header[:-1]
    return header


def _values(table: WideTable, source: ProfileSource, year: int, source_name: str,
            path: Path, report: ImportReport) -> pd.DataFrame:
    """census_values rows for the characteristics the catalogue maps, summed per indicator."""
    lookup = source.lookup()
    keys = [area_key(name) for name in table.area_names]
    seen: dict[tuple[str, ...], int] = {}
    records = []
    unmapped = 0
    report.rows_kept = 0
    for row in table.rows:
        indicators = lookup.get(row.path)
        if not indicators:
            unmapped += 1
            continue
        if row.path in seen:
            report.warnings.append(
                f"line {row.line}: {row.name!r} repeats line {seen[row.path]}; the first is used.")
            continue
        seen[row.path] = row.line
        report.rows_kept += 1
        for column, (key, text) in enumerate(zip(keys, row.fields, strict=True)):
            value, symbol = parse_number(text)
            if math.isnan(value) and symbol is not None and symbol not in PLACEHOLDERS:
                report.example(row.line, table.area_names[column], text, "not a number")
                report.flag("value that is not a number (left empty)")
            for indicator_id in indicators:
                records.append((key, indicator_id, value, symbol, row.line))
    report.drop("characteristic row not used by any indicator", unmapped)
    if not records:
        return conform(pd.DataFrame(columns=["area_id", "indicator_id"]), CENSUS_VALUES)
    frame = pd.DataFrame(records, columns=["area_id", "indicator_id", "value", "symbol", "line"])
    # Several rows can feed one indicator (15-19 + 20-24 years): sum them, keeping the
    # value missing when any part is missing.
    grouped = frame.groupby(["area_id", "indicator_id"], sort=False)
    complete = grouped["value"].count() == grouped["value"].size()
    summed = grouped["value"].sum(min_count=1).where(complete)
    symbols = grouped["symbol"].first()
    result = pd.DataFrame({"value": summed, "symbol": symbols}).reset_index()
    level = result["area_id"].map(lambda key: CITY_LEVEL if key == source.city else
                                  AGGREGATE_LEVEL if key in source.aggregates else None)
    result = result.assign(census_year=year, source=source_name, level=level)
    _flag_duplicate_areas(keys, table.area_names, path, report)
    return conform(result.drop_duplicates(["area_id", "indicator_id"]), CENSUS_VALUES)


def _flag_duplicate_areas(keys: list[str], names: list[str], path: Path,
                          report: ImportReport) -> None:
    first: dict[str, str] = {}
    for key, name in zip(keys, names, strict=True):
        if key in first:
            report.warnings.append(
                f"columns {first[key]!r} and {name!r} name the same area ({key}); the first "
                "column's values are kept.")
        else:
            first[key] = name


def _check_areas(table: WideTable, source: ProfileSource, context: ReadContext,
                 report: ImportReport) -> None:
    """Report city-level aggregates, and areas the workspace does not know (with a hint)."""
    keys = {area_key(name): name for name in table.area_names}
    aggregates = [name for key, name in keys.items() if key in source.aggregates]
    if aggregates:
        report.flag("whole-city aggregates kept apart from the areas (the city's own row gives "
                    "the city's figures): " + ", ".join(aggregates), len(aggregates))
    known = context.known_area_ids
    if not known:
        return
    local = {key: name for key, name in keys.items() if key not in source.aggregates}
    unmatched = {key: name for key, name in local.items() if key not in known}
    if local and len(unmatched) == len(local):
        report.warnings.append(
            f"none of the {len(local)} areas of this profile is among the workspace's census "
            "areas: import the matching boundary file (boroughs, local areas) to map them.")
        return
    for key, name in unmatched.items():
        hint = closest(key, known)
        report.warnings.append(
            f"area {name!r} ({key}) is not among the workspace's census areas"
            + (f"; closest: {hint!r}." if hint else "."))


def _source(path: Path) -> str:
    return f"wide-census-profile:{path.name}"
