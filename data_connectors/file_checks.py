"""Checks made on a file before any reader opens it."""

from __future__ import annotations

import csv
import glob
import json
import re
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from data_connectors.base import ReaderError

#: A file modified this recently (seconds) may still be being copied or exported.
RECENT_SECONDS = 2.0
#: How long to watch such a file for changes.
WATCH_SECONDS = 0.6


def ensure_complete(path: Path) -> None:
    """Refuse a file that is still being written: importing half a file loses rows silently.

    Only recently modified files are watched, so importing an old file costs nothing.
    """
    if not path.is_file():
        return
    before = path.stat()
    if time.time() - before.st_mtime > RECENT_SECONDS:
        return
    time.sleep(WATCH_SECONDS)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise ReaderError(
            path, "the file is still being written (it changed while it was being checked). "
            "Wait until the copy or export has finished, then import it again.")


@contextmanager
def read_errors(path: Path) -> Iterator[None]:
    """Turn what the file libraries raise on a bad file into a ReaderError naming the file
    (and the row, when the library says it), so no traceback reaches the user.

    GDAL, pandas and the codecs say what went wrong in their own words (a truncated GeoJSON,
    a shapefile without its ``.shx``, a Latin-1 byte after the part the encoding was guessed
    from, a row with too many fields); the message keeps their words and adds what to do.
    """
    import pyogrio.errors
    from pyproj.exceptions import CRSError

    _require_shapefile_parts(path)
    try:
        yield
    except ReaderError:
        raise
    except UnicodeDecodeError as error:
        row = _first_undecodable_line(path, error.encoding)
        raise ReaderError(
            path, f"byte 0x{error.object[error.start]:02X} is not valid {error.encoding} "
                  "text: the file mixes two encodings.", row=row,
            expected="a file saved in one encoding (UTF-8 preferably): open it in a "
                     "spreadsheet and save it again as CSV UTF-8") from error
    except (pd.errors.ParserError, csv.Error) as error:
        raise ReaderError(
            path, f"the table's rows do not line up ({_first_line(error)}).",
            row=_line_number(str(error)),
            expected="the same number of fields on every row, with quotes around values "
                     "that contain the delimiter") from error
    except pd.errors.EmptyDataError as error:
        raise ReaderError(path, "the file holds no table.",
                          expected="a header row and data rows") from error
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.GeometryError, pyogrio.errors.FieldError) as error:
        raise ReaderError(
            path, f"GDAL cannot read it as a geographic file ({_first_line(error)}).",
            expected="a complete GeoJSON, GeoPackage or shapefile (a .shp needs its .shx "
                     "and .dbf beside it, with the same name)") from error
    except (zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise ReaderError(path, f"the file is damaged or truncated ({_first_line(error)}).",
                          expected="a complete file; copy or download it again") from error
    except CRSError as error:
        raise ReaderError(path, f"its coordinate reference system is not one PROJ knows "
                                f"({_first_line(error)}).",
                          expected="a file with a valid .prj or CRS") from error
    except OSError as error:
        raise ReaderError(path, f"cannot be read ({error.strerror or error}).") from error


def _require_shapefile_parts(path: Path) -> None:
    """A shapefile is several files; GDAL opens a ``.shp`` without its ``.dbf`` as features
    without attributes, which readers then find without any of their columns."""
    if path.suffix.lower() != ".shp":
        return
    present = {p.suffix.lower() for p in path.parent.glob(f"{glob.escape(path.stem)}.*")}
    missing = [part for part in (".shx", ".dbf") if part not in present]
    if missing:
        raise ReaderError(
            path, f"the shapefile's {' and '.join(missing)} file is missing beside it.",
            expected=f"{path.stem}.shp, {path.stem}.shx and {path.stem}.dbf (and .prj) in the "
                     "same folder: copy all of the shapefile's files together")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _line_number(text: str) -> int | None:
    found = re.search(r"line (\d+)", text)
    return int(found.group(1)) if found else None


def _first_undecodable_line(path: Path, encoding: str) -> int | None:
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode(encoding)
                except UnicodeDecodeError:
                    return number
    except (OSError, LookupError):
        return None
    return None
