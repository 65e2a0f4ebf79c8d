"""Sniffing delimited text files before reading them: encoding, delimiter, header.

Officers get CSV files saved by many tools; guessing wrong silently corrupts accents or
splits every row into one column, so each guess is checked and explained.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data_connectors.base import ReaderError

_SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class TextFormat:
    encoding: str
    delimiter: str
    header: tuple[str, ...]


def sniff(path: Path) -> TextFormat:
    """Encoding, delimiter and header of a delimited text file, or a clear ReaderError."""
    try:
        with open(path, "rb") as handle:
            sample = handle.read(_SAMPLE_BYTES)
    except OSError as error:
        raise ReaderError(path, f"cannot be read ({error.strerror}).") from error
    if not sample.strip():
        raise ReaderError(path, "the file is empty.")
    if b"\x00" in sample or sample.startswith(b"PK\x03\x04"):
        raise ReaderError(
            path, "this is a binary file, not a text (CSV) file.",
            expected="a CSV file; for an Excel workbook use the .xlsx extension",
        )
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max((",", ";", "\t", "|"), key=first_line.count)
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    return TextFormat(encoding, delimiter, tuple(h.strip() for h in header))


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes decode as such, else Windows-1252.

    Windows-1252 is what Statistics Canada and older City of Montréal files use; it is a
    superset of Latin-1 for printable characters, so Latin-1 files read correctly too.
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a multi-byte character cut by the sample
            return "cp1252"
    return "utf-8"


def csv_header(path: Path) -> tuple[str, ...] | None:
    """The header of a ``.csv`` file; None when the file is not one or cannot be read, which
    is all a reader's ``can_read`` needs to know."""
    if path.suffix.lower() != ".csv":
        return None
    try:
        return sniff(path).header
    except ReaderError:
        return None


def header_has(path: Path, *columns: str) -> bool:
    """Whether a text file's header holds all ``columns`` (any case); False if unreadable."""
    try:
        header = {h.upper() for h in sniff(path).header}
    except ReaderError:
        return False
    return all(c.upper() in header for c in columns)


def closest_column(wanted: str, found: tuple[str, ...]) -> str | None:
    """The found column a person most likely meant: one containing the name, or a near one."""
    import difflib

    upper = {f.upper(): f for f in found}
    containing = [f for u, f in upper.items() if wanted.upper() in u]
    if containing:
        return min(containing, key=len)
    matches = difflib.get_close_matches(wanted.upper(), list(upper), n=1, cutoff=0.5)
    return upper[matches[0]] if matches else None


def require_columns(path: Path, found: tuple[str, ...], required: tuple[str, ...]) -> None:
    """Raise a ReaderError naming the missing columns, what was found and the closest match."""
    upper = {f.upper() for f in found}
    missing = [c for c in required if c.upper() not in upper]
    if not missing:
        return
    hints = []
    for column in missing:
        close = closest_column(column, found)
        hints.append(f"{column!r}" + (f" (closest found: {close!r})" if close else ""))
    raise ReaderError(
        path, f"missing required column(s): {', '.join(hints)}.",
        expected=f"columns {', '.join(required)}; found {', '.join(found) or 'none'}",
    )


def mean_line_bytes(path: Path) -> float:
    """Bytes per line at the start of the file: enough to drive a progress bar."""
    with open(path, "rb") as handle:
        sample = handle.read(256 * 1024)
    return len(sample) / max(sample.count(b"\n"), 1)


def decimal_numbers(values: pd.Series) -> np.ndarray:
    """Floats from text that may use a decimal comma (French spreadsheets); NaN if unreadable."""
    if pd.api.types.is_float_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def by_value(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``convert`` applied once per distinct value, then spread back to every row.

    Source files repeat a handful of categories, stations and dates over millions of rows;
    converting the distinct values only is what keeps a large import fast.
    """
    categorical = values if isinstance(values.dtype, pd.CategoricalDtype) \
        else values.astype("category")
    distinct = pd.Series(categorical.cat.categories)
    converted = pd.array(convert(distinct))
    codes = categorical.cat.codes.to_numpy()
    return pd.Series(converted.take(codes, allow_fill=True), index=values.index)
