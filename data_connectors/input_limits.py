"""Bounds on what one input file may cost to read, checked before any reader opens it.

A 5 MB gzip file expanded until the process reached its 4 GB memory cap; a single value of
hundreds of megabytes, or a header of a million columns, does the same to pandas. Each bound
has a default far above real open data (the full Census Profile has 23 columns, SPVM rows
are under 200 characters), says which file, row and column went over it, and can be raised
for one import (``portrait import --max-…``, or ``options["input_limits"]``).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from data_connectors.base import ReaderError

#: Options key holding a dict of ``InputLimits`` field -> value.
OPTION = "input_limits"
_CHUNK = 16 * 1024 * 1024
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_ZIP_SUFFIXES = {".zip", ".xlsx", ".xlsm"}
_STREAMS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
#: How each limit is raised, as the message says it (the app's wizard has no such option:
#: the officer is pointed to the command line).
_OPTION_NAMES = {
    "max_expansion": "portrait import --max-expansion RATIO",
    "max_expanded_mb": "portrait import --max-expanded-mb MB",
    "max_field_chars": "portrait import --max-field-chars N",
    "max_columns": "portrait import --max-columns N",
}


@dataclass(frozen=True)
class InputLimits:
    """The bounds; ``portrait import --help`` lists the options that raise them."""

    #: Decompressed size over compressed size, for .gz, .bz2, .xz, .zip and .xlsx files.
    max_expansion: float = 100.0
    #: Decompressed size of a compressed file, in megabytes.
    max_expanded_mb: float = 2048.0
    #: Characters in one value of a delimited text file.
    max_field_chars: int = 100_000
    #: Columns in the header of a delimited text file.
    max_columns: int = 2_000

    @classmethod
    def from_options(cls, options: dict[str, Any] | None) -> InputLimits:
        given = (options or {}).get(OPTION) or {}
        known = {f.name for f in fields(cls)}
        return replace(cls(), **{k: v for k, v in given.items() if k in known and v})


def check_input_limits(path: Path, limits: InputLimits) -> None:
    """Raise a ReaderError when ``path`` goes over one of ``limits``."""
    path = Path(path)
    if not path.is_file():
        return
    suffix = path.suffix.lower()
    if suffix in _ZIP_SUFFIXES and zipfile.is_zipfile(path):
        _check_zip(path, limits)
    elif suffix in _STREAMS:
        _check_stream(path, limits)
    elif suffix in _TEXT_SUFFIXES:
        _check_text(path, limits)


def _too_big(path: Path, expanded: int, limits: InputLimits) -> tuple[str, str] | None:
    """Why a compressed file of ``expanded`` bytes so far is refused, and the limit's name."""
    compressed = max(path.stat().st_size, 1)
    if expanded > limits.max_expanded_mb * 1024 * 1024:
        return f"it expands to more than {limits.max_expanded_mb:,.0f} MB", "max_expanded_mb"
    if expanded / compressed > limits.max_expansion:
        return (f"it expands more than {limits.max_expansion:,.0f} times its size, as "
                "compression bombs do", "max_expansion")
    return None


def _refuse_compressed(path: Path, why: tuple[str, str]) -> None:
    raise ReaderError(
        path, f"this compressed file was not read: {why[0]}.",
        expected="a compressed file that expands to a reasonable size; if this one is "
                 f"genuine, raise the limit with {_OPTION_NAMES[why[1]]}")


def _check_zip(path: Path, limits: InputLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ReaderError(path, f"this ZIP archive (or .xlsx workbook) is damaged ({error}).",
                          expected="an archive that opens in a file manager") from error
    why = _too_big(path, expanded, limits)
    if why:
        _refuse_compressed(path, why)


def _check_stream(path: Path, limits: InputLimits) -> None:
    """Decompress without keeping anything, stopping as soon as a limit is passed (the
    size a gzip file declares is modulo 4 GB, so it cannot be trusted)."""
    expanded = 0
    try:
        with _STREAMS[path.suffix.lower()](path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                expanded += len(chunk)
                why = _too_big(path, expanded, limits)
                if why:
                    _refuse_compressed(path, why)
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise ReaderError(path, f"this compressed file is damaged or truncated ({error}).",
                          expected="a complete compressed file; download it again") from error


def _check_text(path: Path, limits: InputLimits) -> None:
    with open(path, "rb") as handle:
        first = handle.readline(limits.max_field_chars * 4 + 1)
    delimiter = max((b",", b";", b"\t", b"|"), key=first.count)
    columns = first.count(delimiter) + 1
    if columns > limits.max_columns:
        raise ReaderError(
            path, f"the header has {columns:,} columns, more than the limit of "
                  f"{limits.max_columns:,}.", row=1,
            expected="a table with one column per variable; if this one is genuine, raise "
                     f"the limit with {_OPTION_NAMES['max_columns']}")
    row, length = _longest_line(path)
    if length > limits.max_field_chars:
        raise ReaderError(
            path, f"a value is longer than {limits.max_field_chars:,} characters (the line "
                  f"has {length:,}), more than any real table holds.", row=row,
            expected="short values; a very long one usually means a missing line break or "
                     f"quote; if it is genuine, raise the limit with "
                     f"{_OPTION_NAMES['max_field_chars']}")


def _longest_line(path: Path) -> tuple[int, int]:
    """(1-based line number, bytes) of the longest line, scanned a chunk at a time."""
    best_row, best_length, line, line_start = 1, 0, 1, 0
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + offset
            starts = np.concatenate(([line_start], ends[:-1] + 1)) if len(ends) else []
            if len(ends):
                lengths = ends - starts
                longest = int(np.argmax(lengths))
                if lengths[longest] > best_length:
                    best_row, best_length = line + longest, int(lengths[longest])
                line += len(ends)
                line_start = int(ends[-1]) + 1
            offset += len(chunk)
    if offset - line_start > best_length:
        best_row, best_length = line, offset - line_start
    return best_row, best_length
