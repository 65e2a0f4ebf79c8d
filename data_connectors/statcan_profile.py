"""Statistics Canada Census Profile, 2021, long format (catalogue 98-401-X2021006).

One row per geography and characteristic, in Windows-1252, CRLF line ends; text fields are
quoted, numbers may not be. The regional files weigh several gigabytes (about 2.3 GB for the
Atlantic one), so only two things are ever kept: the rows of the geographies already in the
workspace (or whose code starts with a given prefix), and the characteristics our indicators
use. Values Statistics Canada suppressed (``x``, ``..``, ``...``, ``F``) stay missing with
their symbol; ``E`` (use with caution) values are kept.

Two ways through the file, the same result:

* **with the geography index** (``98-401-X2021006_Geo_starting_row_<Region>.CSV``, shipped
  beside the data): the index gives the line where each geography starts, so the file is
  scanned in large binary blocks only counting line ends, and only the wanted geographies'
  lines are parsed; the scan stops after the last one. The index is checked against what is
  read, and a mismatch falls back to the full read with a warning.
* **without it**, the file is parsed in chunks and filtered chunk by chunk.

Both the English and the French files are read: the French columns (``CODE_GÉO_ALT``,
``ID_CARACTÉRISTIQUE``, ``C1_CHIFFRE_TOTAL``, ``SYMBOLE``) are aliases of the English ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from data_connectors.area_names import fold
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.catalogue_import import check_mapped, layout_entries
from data_connectors.column_mapping import Field, guess_columns, resolve, user_mapping
from data_connectors.statcan_characteristics import indicator_of
from data_connectors.text_files import (
    closest_column,
    csv_header,
    detect_encoding,
    mean_line_bytes,
    sniff,
)
from portrait.errors import PortraitError
from portrait.layers import CENSUS_VALUES, conform

#: The columns read, with their names in the English and French files (folded as
#: ``column_mapping.header_key`` folds them). The French names of the geography code,
#: characteristic id, C1 and SYMBOLE columns were checked against public code that reads the
#: French files; the year column's is a guess. Positions are kept by the field name in upper
#: case (``ALT_GEO_CODE``...).
FIELDS = (
    Field("alt_geo_code", "Code de la géographie (aire de diffusion)",
          "Geography code (dissemination area)", required=True,
          guesses=("alt geo code", "code geo alt")),
    Field("characteristic_id", "Numéro de la caractéristique du profil",
          "Profile characteristic number", required=True,
          guesses=("characteristic id", "id caracteristique")),
    Field("c1_count_total", "Chiffre total (C1)", "Total count (C1)", required=True,
          guesses=("c1 count total", "c1 chiffre total")),
    Field("census_year", "Année du recensement", "Census year",
          guesses=("census year", "annee recensement", "recensement annee",
                   "annee du recensement")),
    Field("geo_level", "Niveau géographique", "Geographic level",
          guesses=("geo level", "niveau geo")),
)
#: The product's census year, when the file has no year column (the French file's first
#: column name is not confirmed: see FIELDS).
CENSUS_YEAR = 2021
SYMBOL_NAMES = ("SYMBOL", "SYMBOLE")
SUPPRESSION_SYMBOLS = {"x": "suppressed (confidentiality)", "..": "not available",
                       "...": "not applicable", "F": "too unreliable to be published"}
#: Bytes read at a time when scanning for line ends, and parsed at a time. Small parse
#: blocks keep pyarrow's read-ahead (several blocks) well under the 500 MB budget.
_BLOCK_BYTES = 8 * 1024 * 1024
_PARSE_BYTES = 4 * 1024 * 1024
_ARROW_BLOCK_BYTES = 1024 * 1024
_ARROW_ENCODINGS = {"utf-8-sig": "utf8", "utf-8": "utf8"}
_PRODUCT = re.compile(r"\d{2}-\d{3}-X\d+", re.IGNORECASE)


def header_key(name: str) -> str:
    """A column name without accents, in upper case: 'CODE_GÉO_ALT' -> 'CODE_GEO_ALT'."""
    return fold(name).upper().strip()


@dataclass(frozen=True)
class ProfileLayout:
    """How a profile file is written: encoding, delimiter, header and wanted positions."""

    encoding: str
    delimiter: str
    header: tuple[str, ...]
    positions: dict[str, int]


@dataclass(frozen=True)
class GeoIndex:
    """The ``Geo_starting_row`` index: each geography's area code and first line, in order.

    Held as arrays: an index can list a few hundred thousand geographies.
    """

    codes: pa.Array
    lines: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)


class _IndexMismatch(Exception):
    """The index does not describe this file (another vintage, an edited file)."""


class StatCanProfileReader:
    id = "statcan-profile"
    label = "Statistique Canada — Profil du recensement 2021 (98-401-X2021006, CSV)"
    kind = "census-values"
    patterns = ("*.csv", "*.CSV")
    priority = 60
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        header = csv_header(path)
        return header is not None and not _missing_columns(header)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_VALUES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_VALUES.name: frame}, report, ("source", _source(path)))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        layout = read_layout(path, user_mapping(context))
        report.columns = {name.lower(): layout.header[position]
                          for name, position in layout.positions.items() if name != "SYMBOL"}
        wanted = context.known_area_ids
        prefix = context.options.get("area_prefix")
        if not wanted and not prefix:
            raise ReaderError(
                path, "no census areas to keep: import the dissemination-area boundaries first, "
                "or give an area code prefix (for example 2466 for Montréal).")
        areas = AreaFilter(wanted, prefix)
        feeds = _characteristics(path, context)
        kept: list[pd.DataFrame] | None = None
        index_path = find_geo_index(path) if context.options.get("use_index", True) else None
        if index_path is not None:
            try:
                kept = _read_indexed(path, index_path, layout, areas, feeds, context, report)
            except _IndexMismatch as problem:
                report.warnings.append(
                    f"the geography index {index_path.name} does not match this file "
                    f"({problem}); the whole file was read instead.")
                report.rows_read, report.dropped, report.examples = 0, {}, []
        if kept is None:
            kept = _read_streamed(path, layout, areas, feeds, context, report)
        if not kept:
            raise ReaderError(path, "no row of this profile matches the workspace's census areas.",
                              expected="dissemination areas whose codes are in the workspace")
        frame = self._values(pd.concat(kept, ignore_index=True), path, report, feeds)
        report.rows_kept = len(frame)
        context.report_progress(1.0, f"{frame['area_id'].nunique():,} areas")
        return frame

    @staticmethod
    def _values(rows: pd.DataFrame, path: Path, report: ImportReport,
                feeds: dict[int, str]) -> pd.DataFrame:
        values = pd.to_numeric(rows["C1_COUNT_TOTAL"].str.replace(",", ""), errors="coerce")
        symbols = rows["SYMBOL"].str.strip() if "SYMBOL" in rows else pd.Series(pd.NA,
                                                                                index=rows.index)
        for symbol, meaning in SUPPRESSION_SYMBOLS.items():
            report.flag(f"value {meaning} (symbol {symbol!r})", int((symbols == symbol).sum()))
        unreadable = values.isna() & rows["C1_COUNT_TOTAL"].notna()
        for row in rows.index[unreadable][:5]:
            report.example(int(row), "C1_COUNT_TOTAL", rows.at[row, "C1_COUNT_TOTAL"],
                           "not a number")
        frame = pd.DataFrame({
            "area_id": rows["ALT_GEO_CODE"],
            "indicator_id": rows["CHARACTERISTIC_ID"].map(lambda i: feeds[int(i)]),
            "value": values,
            "symbol": symbols,
            "census_year": (pd.to_numeric(rows["CENSUS_YEAR"], errors="coerce")
                            if "CENSUS_YEAR" in rows else CENSUS_YEAR),
            "source": _source(path),
        })
        # Several characteristics can feed one indicator (15-19 + 20-24 years): sum them,
        # keeping a value missing when any part is suppressed.
        grouped = frame.groupby(["area_id", "indicator_id"], sort=False)
        complete = grouped["value"].count() == grouped["value"].size()
        summed = grouped["value"].sum(min_count=1).where(complete)
        first = grouped[["symbol", "census_year", "source"]].first()
        result = first.assign(value=summed).reset_index()
        return conform(result, CENSUS_VALUES)


def read_layout(path: Path, mapping: Mapping[str, Any] | None = None) -> ProfileLayout:
    """The file's encoding, delimiter and header, with the positions of the columns we use
    (found by their names, or given by a column mapping).

    Raises a ReaderError naming the missing columns and the closest ones found.
    """
    text_format = sniff(path)
    header = text_format.header
    missing = [] if mapping else _missing_columns(header)
    if missing:
        hints = []
        for name in missing:
            close = closest_column(name, header)
            hints.append(f"{name!r}" + (f" (closest found: {close!r})" if close else ""))
        raise ReaderError(
            path, f"missing required column(s): {', '.join(hints)}.", row=1,
            expected="the 98-401-X2021006 columns ALT_GEO_CODE, CHARACTERISTIC_ID, "
                     "C1_COUNT_TOTAL (French: CODE_GÉO_ALT, ID_CARACTÉRISTIQUE, C1_CHIFFRE_TOTAL)")
    columns = resolve(path, FIELDS, header, mapping).columns
    return ProfileLayout(text_format.encoding, text_format.delimiter, header,
                         _positions(header, columns))


def _missing_columns(header: Iterable[str]) -> list[str]:
    found = guess_columns(FIELDS, list(header))
    return [f.name.upper() for f in FIELDS if f.required and f.name not in found]


def _positions(header: tuple[str, ...], columns: dict[str, str]) -> dict[str, int]:
    """Column positions; the file repeats the name SYMBOL, the one we want follows C1."""
    positions = {name.upper(): header.index(column) for name, column in columns.items()}
    symbol = positions["C1_COUNT_TOTAL"] + 1
    if symbol < len(header) and header_key(header[symbol]) in SYMBOL_NAMES:
        positions["SYMBOL"] = symbol
    return positions


class AreaFilter:
    """The geographies to keep: the workspace's area codes, or the codes with a prefix."""

    def __init__(self, codes: frozenset[str], prefix: str | None):
        self.codes, self.prefix = codes, None if codes else str(prefix)
        self._value_set = pa.array(sorted(codes), type=pa.string())

    def mask(self, codes: pa.Array | pa.ChunkedArray) -> pa.Array:
        """A boolean per code (never null)."""
        if self.codes:
            found = pc.is_in(codes, value_set=self._value_set)
        else:
            found = pc.starts_with(codes, self.prefix)
        return pc.fill_null(found, False)


def _characteristics(path: Path, context: ReadContext) -> dict[int, str]:
    """Characteristic id -> indicator: the built-in catalogue's, with the ``[[characteristic]]``
    entries of the catalogue the import names."""
    extra, origin, known = layout_entries(path, context, "characteristic")
    try:
        feeds = indicator_of(extra, origin)
    except PortraitError as error:
        raise ReaderError(path, f"its catalogue cannot be used: {error}") from error
    check_mapped(path, (feeds[e["id"]] for e in extra), known)
    return feeds


def _arrow_options(layout: ProfileLayout, skip_header: bool, report: ImportReport,
                   first_line: int = 1) -> dict:
    """pyarrow CSV options that keep only the columns we use, all as text; a line with the
    wrong number of fields is skipped and reported with its line number in the file
    (``first_line`` is the file line of the text's first line)."""
    names = [f"c{i}" for i in range(len(layout.header))]

    def malformed(row) -> str:
        report.drop("malformed line (wrong number of fields)")
        if row.number is not None:
            report.example(first_line + row.number - 1, None, row.text[:80],
                           f"{row.actual_columns} fields, expected {row.expected_columns}")
        return "skip"

    return dict(
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1 if skip_header else 0, block_size=_ARROW_BLOCK_BYTES,
            encoding=_ARROW_ENCODINGS.get(layout.encoding, layout.encoding), use_threads=False),
        parse_options=pacsv.ParseOptions(delimiter=layout.delimiter,
                                         invalid_row_handler=malformed),
        convert_options=pacsv.ConvertOptions(
            include_columns=[f"c{i}" for i in sorted(layout.positions.values())],
            column_types={name: pa.string() for name in names}, strings_can_be_null=False),
    )


def _filtered(table: pa.Table | pa.RecordBatch, layout: ProfileLayout, areas: AreaFilter,
              feeds: dict[int, str], report: ImportReport) -> pd.DataFrame | None:
    """The rows of wanted areas and mapped characteristics, with clean codes, or None."""
    column = {name: f"c{i}" for name, i in layout.positions.items()}
    codes = pc.utf8_trim_whitespace(table[column["ALT_GEO_CODE"]])
    ids = pc.utf8_trim_whitespace(table[column["CHARACTERISTIC_ID"]])
    in_area = areas.mask(codes)
    wanted = pa.array(sorted(str(i) for i in feeds), type=pa.string())
    mapped = pc.fill_null(pc.is_in(ids, value_set=wanted), False)
    selected = pc.and_(in_area, mapped)
    other = len(codes) - pc.sum(in_area).as_py()
    report.drop("other geography", other)
    report.drop("characteristic not used by any indicator",
                len(codes) - other - pc.sum(selected).as_py())
    if not pc.any(selected).as_py():
        return None
    frame = pd.DataFrame({
        name: table[source].filter(selected).to_pandas() for name, source in column.items()
    })
    frame["ALT_GEO_CODE"] = codes.filter(selected).to_pandas()
    frame["CHARACTERISTIC_ID"] = ids.filter(selected).to_pandas().astype(int)
    for name in frame.columns.difference(["CHARACTERISTIC_ID"]):
        frame[name] = frame[name].replace("", None)
    return frame


def _read_streamed(path: Path, layout: ProfileLayout, areas: AreaFilter, feeds: dict[int, str],
                   context: ReadContext, report: ImportReport) -> list[pd.DataFrame]:
    """Every row parsed, block by block; only wanted rows are kept."""
    total_bytes = max(path.stat().st_size, 1)
    line_bytes = mean_line_bytes(path)
    kept: list[pd.DataFrame] = []
    reader = pacsv.open_csv(path, **_arrow_options(layout, True, report))
    for batch in reader:
        report.rows_read += batch.num_rows
        rows = _filtered(batch, layout, areas, feeds, report)
        if rows is not None:
            kept.append(rows)
        context.report_progress(0.95 * min(report.rows_read * line_bytes / total_bytes, 1.0),
                                f"{report.rows_read:,} rows scanned")
    return kept


# --- The geography index -------------------------------------------------------------------


def find_geo_index(path: Path) -> Path | None:
    """The ``*Geo_starting_row*.CSV`` beside ``path`` that belongs to it, if any.

    With several (one per region in one folder), the one whose region suffix matches the
    data file's (``..._CSV_data_Quebec.csv`` ↔ ``..._Geo_starting_row_Quebec.CSV``).
    """
    try:
        found = [p for p in path.parent.iterdir()
                 if "geo_starting_row" in p.name.lower() and p.suffix.lower() == ".csv"]
    except OSError:
        return None
    product = _PRODUCT.match(path.name)
    if product:
        found = [p for p in found if not _PRODUCT.match(p.name)
                 or _PRODUCT.match(p.name).group(0).upper() == product.group(0).upper()]
    if len(found) == 1:
        return found[0]
    region = path.stem.lower().split("csv_data")[-1].strip("_")
    matching = [p for p in found if region and p.stem.lower().endswith(region)]
    return matching[0] if len(matching) == 1 else None


def read_geo_index(path: Path) -> GeoIndex:
    """The index's geographies in file order, each with its area code and first line.

    The area code is the DGUID without its 9-character vintage, type and schema prefix
    (``2021S0512`` + ``24660001``), as in the profile's ALT_GEO_CODE; the name otherwise.
    """
    with open(path, "rb") as handle:
        sample = handle.read(65536)
    encoding = _ARROW_ENCODINGS.get(detect_encoding(sample), "cp1252")
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding),
                               convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    except (pa.ArrowInvalid, OSError) as error:
        raise _IndexMismatch(f"it cannot be read ({error})") from error
    keys = [fold(name) for name in table.column_names]
    code, name, line = (_column_with(keys, words) for words in
                        (("code",), ("name", "nom"), ("line", "ligne")))
    if code is None or line is None or not len(table):
        raise _IndexMismatch(f"unexpected index columns {table.column_names}")
    dguid = pc.utf8_trim_whitespace(table.column(code).cast(pa.string()))
    names = (pc.utf8_trim_whitespace(table.column(name).cast(pa.string()))
             if name is not None else dguid)
    is_dguid = pc.match_substring_regex(dguid, r"^\d{4}[AS]\d{4}\w+$")
    codes = pc.if_else(is_dguid, pc.utf8_slice_codeunits(dguid, 9), names).combine_chunks()
    try:
        lines = table.column(line).cast(pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise _IndexMismatch("its line numbers are not all numbers") from error
    if np.any(np.diff(lines) <= 0) or lines[0] < 2:
        raise _IndexMismatch("its line numbers are not increasing from line 2")
    return GeoIndex(codes, lines)


def _column_with(keys: list[str], words: tuple[str, ...]) -> int | None:
    return next((i for i, k in enumerate(keys) if any(w in k for w in words)), None)


def wanted_ranges(index: GeoIndex, selected: np.ndarray) -> list[tuple[int, int | None]]:
    """Line ranges [start, end) of the selected geographies, adjacent ones merged;
    an end of None runs to the end of the file."""
    ranges: list[tuple[int, int | None]] = []
    for i in np.flatnonzero(selected):
        start = int(index.lines[i])
        end = int(index.lines[i + 1]) if i + 1 < len(index) else None
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def range_bytes(path: Path, ranges: list[tuple[int, int | None]],
                progress=None) -> Iterator[tuple[int, bytes]]:
    """The bytes of the given line ranges, in order, as (range number, piece) pairs.

    The file is read in large blocks; lines are counted with ``bytes.count`` (C speed) and
    newline positions are only computed in the blocks where a range starts or ends. The file
    is never held in memory, and reading stops once the last range is complete.
    """
    if not ranges:
        return
    last_line = ranges[-1][1]
    size = max(path.stat().st_size, 1)
    r, inside = 0, False
    line = 1  # the line that contains the block's first byte
    with open(path, "rb", buffering=0) as handle:
        while True:
            block = handle.read(_BLOCK_BYTES)
            if not block:
                return
            count = block.count(b"\n")
            newlines = None
            cursor = 0
            while r < len(ranges):
                boundary = ranges[r][1] if inside else ranges[r][0]
                if boundary is None or not line < boundary <= line + count:
                    break
                if newlines is None:
                    newlines = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
                offset = int(newlines[boundary - line - 1]) + 1
                if inside:
                    yield r, block[cursor:offset]
                    r += 1
                else:
                    cursor = offset
                inside = not inside
            if r == len(ranges):
                return
            if inside:
                yield r, block[cursor:]
            line += count
            if progress is not None:
                progress(line / last_line if last_line else handle.tell() / size)


def _range_chunks(pieces: Iterable[tuple[int, bytes]],
                  ranges: list[tuple[int, int | None]]) -> Iterator[tuple[int, bytes]]:
    """Pieces regrouped into (first line, chunk) of about ``_PARSE_BYTES``, each ending at a
    line end and within one range, so that a chunk's line numbers are known."""
    buffer = bytearray()
    current, line = -1, 0
    for number, piece in pieces:
        if number != current:
            if buffer:
                yield line, bytes(buffer)
                buffer.clear()
            current, line = number, ranges[number][0]
        buffer += piece
        if len(buffer) >= _PARSE_BYTES:
            cut = buffer.rfind(b"\n") + 1
            if cut:
                with memoryview(buffer) as view:
                    chunk = bytes(view[:cut])
                yield line, chunk
                line += chunk.count(b"\n")
                del buffer[:cut]
    if buffer:
        yield line, bytes(buffer)


def _read_indexed(path: Path, index_path: Path, layout: ProfileLayout, areas: AreaFilter,
                  feeds: dict[int, str], context: ReadContext,
                  report: ImportReport) -> list[pd.DataFrame]:
    """Only the wanted geographies' lines, located through the index and checked against it:
    each wanted geography must come with exactly the number of lines the index gives it."""
    index = read_geo_index(index_path)
    selected = areas.mask(index.codes).to_numpy(zero_copy_only=False)
    ranges = wanted_ranges(index, selected)
    expected = _expected_rows(index, selected)
    _count_skipped(index, ranges, report)
    code_column = f"c{layout.positions['ALT_GEO_CODE']}"

    def progress(fraction: float) -> None:
        context.report_progress(0.95 * min(fraction, 1.0), "reading the wanted geographies")

    kept: list[pd.DataFrame] = []
    found: dict[str, int] = {}
    for first_line, chunk in _range_chunks(range_bytes(path, ranges, progress), ranges):
        options = _arrow_options(layout, False, report, first_line)
        table = pacsv.read_csv(pa.py_buffer(chunk), **options)
        report.rows_read += table.num_rows
        counts = pc.value_counts(pc.utf8_trim_whitespace(table[code_column])).to_pylist()
        for item in counts:
            found[item["values"]] = found.get(item["values"], 0) + item["counts"]
        rows = _filtered(table, layout, areas, feeds, report)
        if rows is not None:
            kept.append(rows)
    malformed = report.dropped.get("malformed line (wrong number of fields)", 0)
    _check_against_index(found, expected, check_counts=not malformed)
    return kept


def _expected_rows(index: GeoIndex, selected: np.ndarray) -> dict[str, int | None]:
    """Wanted area code -> its number of lines per the index (None for the file's last)."""
    sizes = np.append(np.diff(index.lines), -1)
    codes = index.codes.filter(pa.array(selected)).to_pylist()
    return {code: (int(size) if size >= 0 else None)
            for code, size in zip(codes, sizes[selected], strict=True)}


def _check_against_index(found: dict[str, int], expected: dict[str, int | None],
                         check_counts: bool = True) -> None:
    """Raise _IndexMismatch unless the lines read hold exactly the wanted geographies, each
    with the number of lines the index gives it (unless malformed lines were skipped)."""
    strays = sorted(set(found) - set(expected))
    if strays:
        raise _IndexMismatch(f"its line ranges hold other geographies, e.g. {strays[0]}")
    missing = sorted(set(expected) - set(found))
    if missing:
        raise _IndexMismatch(f"{len(missing)} indexed geographies not found, e.g. {missing[0]}")
    wrong = sorted(code for code, rows in expected.items()
                   if check_counts and rows is not None and found[code] != rows)
    if wrong:
        raise _IndexMismatch(f"geography {wrong[0]} has {found[wrong[0]]} lines, the index "
                             f"says {expected[wrong[0]]}")


def _count_skipped(index: GeoIndex, ranges: list[tuple[int, int | None]],
                   report: ImportReport) -> None:
    """Rows of the geographies the index let us skip (the last one's count is estimated)."""
    if len(index) < 2:
        return
    sizes = np.diff(index.lines)
    sizes = np.append(sizes, sizes[-1])
    read = sum((end if end is not None else int(index.lines[-1] + sizes[-1])) - start
               for start, end in ranges)
    report.drop("other geography (skipped with the geography index)", int(sizes.sum()) - read)


def _source(path: Path) -> str:
    return f"statcan-profile:{path.name}"
