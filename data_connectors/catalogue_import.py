"""The ``catalogue`` import option: a user's indicator catalogue stored with the values.

An indicator catalogue (``docs/indicators.md``) says what each indicator of a census or
indicator table means; it is kept in the workspace (layer ``indicator_catalogue``) with the
values it came with, so the portrait reads them the same way later, a re-import of the same
source replaces its entries and removing the import removes them. It is checked before the
file is read, so a wrong catalogue costs no reading time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from data_connectors.base import Connector, ImportResult, ReadContext, ReaderError
from portrait.errors import PortraitError
from portrait.indicators import (
    Catalogue,
    Indicator,
    catalogue_entries,
    load_catalogue,
    read_catalogue_file,
    to_frame,
    workspace_catalogue,
)
from portrait.layers import INDICATOR_CATALOGUE

OPTION = "catalogue"
#: The kind of reader whose rows a catalogue describes.
KIND = "census-values"


def given_entries(path: Path, reader: Connector, options: dict[str, Any],
                  stored: pd.DataFrame) -> tuple[Indicator, ...]:
    """The entries of the catalogue the options name (none without one), checked against
    the workspace's catalogue; an error naming the file when it cannot serve ``reader``."""
    given = options.get(OPTION)
    if not given:
        return ()
    if reader.kind != KIND:
        raise ReaderError(path, f"an indicator catalogue describes census or indicator values, "
                          f"and this file is read as {reader.kind} ({reader.label}).",
                          expected="a census or indicator table with --catalogue, or no "
                          "--catalogue")
    try:
        return catalogue_entries(Path(given), workspace_catalogue(stored))
    except PortraitError as error:
        raise ReaderError(path, f"its catalogue cannot be used: {error}") from error


def attach(result: ImportResult, entries: tuple[Indicator, ...]) -> None:
    """Add ``entries`` to the result's ``indicator_catalogue`` rows, before the reader's own
    (the indices it made for unknown columns)."""
    if not entries:
        return
    frames = [to_frame(entries)]
    if INDICATOR_CATALOGUE.name in result.layers:
        frames.append(result.layers[INDICATOR_CATALOGUE.name])
    frame = pd.concat(frames, ignore_index=True)
    if result.replace_key is not None and result.replace_key[0] == "source":
        frame["source"] = result.replace_key[1]
    result.layers[INDICATOR_CATALOGUE.name] = frame


def layout_entries(path: Path, context: ReadContext, section: str
                   ) -> tuple[list[dict[str, Any]], str, Catalogue]:
    """The ``[[section]]`` tables of the catalogue the import names (how more rows of a known
    source feed indicators: ``characteristic`` for Statistics Canada's profile, ``entry`` for
    a wide profile), the file's name, and the catalogue they may map to."""
    known = workspace_catalogue(context.indicator_catalogue)
    given = context.options.get(OPTION)
    if not given:
        return [], "", known
    try:
        tables = read_catalogue_file(Path(given))
        known = load_catalogue(Path(given), known)
    except PortraitError as error:
        raise ReaderError(path, f"its catalogue cannot be used: {error}") from error
    entries = tables.get(section, [])
    if not isinstance(entries, list):
        raise ReaderError(path, f"its catalogue's {section!r} must be a list of tables "
                          f"([[{section}]]).")
    return entries, Path(given).name, known


def check_mapped(path: Path, indicator_ids: Iterable[str], known: Catalogue) -> None:
    """Refuse a mapping to an indicator the catalogue does not define."""
    strays = sorted(set(indicator_ids) - set(known.by_id))
    if strays:
        raise ReaderError(path, f"its catalogue maps rows to {strays[0]!r}, which is no "
                          "indicator of the catalogue.",
                          expected="an [[indicator]] entry with that id in the same file")
