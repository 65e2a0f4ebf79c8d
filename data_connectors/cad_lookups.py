"""The small tables that come with a dispatch export: code -> description, area -> station.

Dispatch (CAD) systems write codes: call types (``459A``), dispositions (``K``), beats or
sectors (``523``). Their meaning comes in separate lookup tables, often with a byte-order mark
and trailing empty columns (San Diego's). An area -> station table places calls that carry no
coordinates in the station that serves their beat.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from data_connectors.base import ReaderError
from data_connectors.text_files import sniff
from portrait.stations import normalise_station_id


def read_code_table(path: Path) -> dict[str, str]:
    """Code -> description from a two-column table (the first two non-empty columns).

    Codes are compared trimmed and in upper case, as the pathway table writes them.
    """
    path = Path(path)
    if not path.is_file():
        raise ReaderError(path, "the lookup table does not exist.")
    frame = _table(path)
    frame = frame.loc[:, [c for c in frame.columns if frame[c].notna().any()]]
    if frame.shape[1] < 2:
        raise ReaderError(path, "a lookup table needs two columns.",
                          expected="a code column and a description column")
    codes = frame.iloc[:, 0].astype("string").str.strip().str.upper()
    labels = frame.iloc[:, 1].astype("string").str.strip()
    keep = codes.notna() & (codes != "")
    return dict(zip(codes[keep], labels[keep].fillna(""), strict=True))


def area_stations(spec: str | Mapping[str, object] | None, base: Path | None = None
                  ) -> dict[str, str]:
    """Area code -> station id, from a mapping's ``area_stations``: an object written in the
    mapping itself, or a CSV file (area code, station id), relative to ``base`` if not
    absolute."""
    if spec is None or spec == "":
        return {}
    if isinstance(spec, Mapping):
        pairs = {str(k).strip().upper(): normalise_station_id(v) for k, v in spec.items()}
        return {k: v for k, v in pairs.items() if k and v}
    path = Path(str(spec))
    if not path.is_absolute() and base is not None:
        path = base / path
    table = read_code_table(path)
    pairs = {code: normalise_station_id(station) for code, station in table.items()}
    missing = [code for code, station in pairs.items() if station is None]
    if missing:
        raise ReaderError(path, f"area code(s) {', '.join(missing[:5])} have no station.",
                          column=str(_table(path).columns[1]), expected="a station id per area")
    return {code: station for code, station in pairs.items() if station}


def _table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, dtype=str, engine="openpyxl")
    text_format = sniff(path)
    try:
        frame = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                            dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ReaderError(path, f"the lookup table cannot be read ({error}).",
                          expected="a CSV file with a code column and a description "
                          "column") from error
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    return frame
