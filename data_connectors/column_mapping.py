"""One column-mapping mechanism for every reader: declared fields, a user's mapping, guesses.

Files from other police services and cities name their columns their own way (``dist_num``
for a district, ``community`` for an area, ``Nom de l'organisme`` for a service). Each reader
declares once which fields it reads (:class:`Field`: name, required or not, its meaning in
French and English, the header names it accepts without being told); :func:`resolve` then
finds each field's column — the user's mapping first (``--mapping MAPPING.json``, the import
wizard, a recipe), then the accepted names — refuses a mapping it cannot use (a key no field
has, a column not in the file, a required field without a column) with a message naming the
file, the field and the columns available, and records in the import report which column
served each field.

A mapping is a JSON object ``{field: column}``; a reader may declare *settings* too (a
value, not a column: the CRS of x/y columns, the level of the areas), given the same way.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_connectors.base import ImportReport, ReadContext, ReaderError
from portrait.errors import PortraitError
from portrait.services import fold

#: What separates the words of a folded header ("date/heure" holds the word "date").
_WORD = re.compile(r"[^0-9a-z']+")
#: The import option that carries a user's mapping (``--mapping``, the wizard, a recipe).
OPTION = "mapping"


class MappingError(PortraitError):
    """A column mapping that cannot be used as written (unknown key, bad value)."""


#: What latitude and longitude columns hold, as every reader that takes them says it.
LAT_LON_MEANINGS: dict[str, tuple[str, str]] = {
    "lat": ("Latitude (degrés WGS84)", "Latitude (WGS84 degrees)"),
    "lon": ("Longitude (degrés WGS84)", "Longitude (WGS84 degrees)"),
}


@dataclass(frozen=True)
class Field:
    """One thing a reader reads from a file, found in a column (or given, for a setting).

    ``guesses`` are header names as :func:`header_key` folds them, tried in order; ``words``
    are words that reveal the field inside a longer header ("date" in "date_of_event").
    """

    name: str
    meaning_fr: str
    meaning_en: str
    required: bool = False
    guesses: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    #: A value given in the mapping (a CRS, an area level), not a column of the file.
    setting: bool = False

    def meaning(self, language: str) -> str:
        return self.meaning_fr if language == "fr" else self.meaning_en

    def to_dict(self) -> dict[str, Any]:
        """The declaration as ``portrait readers --json`` lists it."""
        return {"name": self.name, "required": self.required,
                "kind": "setting" if self.setting else "column",
                "meaning": {"fr": self.meaning_fr, "en": self.meaning_en},
                "accepted_columns": list(self.guesses)}


def header_key(header: object) -> str:
    """A header folded for comparison: lower case, no accents, one apostrophe, underscores
    and runs of spaces as one space ("Nom_de_l’Organisme" -> "nom de l'organisme")."""
    return re.sub(r"[\s_]+", " ", fold(str(header)).replace("’", "'")).strip()


def check_mapping_keys(data: object, known: Sequence[str], what: str) -> None:
    """Refuse a mapping that is not a JSON object or has keys no reader field has, naming
    the closest known key: a misspelt key would otherwise be silently ignored."""
    if not isinstance(data, Mapping):
        raise MappingError(f"A {what} must be a JSON object (field -> column).")
    unknown = [k for k in data if k not in known]
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise MappingError(f"Unknown key(s) in the {what}: {', '.join(hints)}. "
                           f"Known keys: {', '.join(known)}.")


@dataclass
class Resolved:
    """Which column holds each field, the settings given, and which fields the user named."""

    columns: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    given: frozenset[str] = frozenset()

    def get(self, name: str) -> str | None:
        return self.columns.get(name)

    def note(self, report: ImportReport) -> None:
        """Record in the import report which column served each field."""
        report.columns = dict(self.columns)


def read_mapping_file(path: Path) -> dict[str, Any]:
    """A mapping file's JSON object; a MappingError names the file and the line."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError(f"Cannot read the mapping file {path}: {error.strerror}.") from error
    except json.JSONDecodeError as error:
        raise MappingError(f"{Path(path).name}, line {error.lineno}: not valid JSON "
                           f"({error.msg}).") from error
    if not isinstance(data, dict):
        raise MappingError(f"{Path(path).name}: a column mapping must be a JSON object.")
    return anchor_files(data, Path(path).parent)


#: Settings whose value names a file (a lookup table, question labels).
FILE_SETTINGS = ("area_stations", "question_labels", "call_type_lookup", "disposition_lookup")


def anchor_files(mapping: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The mapping with the files it names found beside it (the mapping file, the recipe).

    The officer writes the lookup tables next to the mapping, as the data folder of an
    export is often read-only; a name with no such file there stays as written, to be found
    beside the data file."""
    anchored = dict(mapping)
    for key in FILE_SETTINGS:
        value = anchored.get(key)
        if isinstance(value, str) and value.strip() and not Path(value).is_absolute() \
                and (folder / value).is_file():
            anchored[key] = str((folder / value).resolve())
    return anchored


def file_family(path: Path) -> str:
    """A file's name without its digits (``districts_2025.geojson`` and
    ``districts_2026.geojson`` are one family): next year's file of a source is known by it,
    so its confirmed mapping is proposed again."""
    path = Path(path)
    stem = re.sub(r"[\W_]+", "_", re.sub(r"\d+", "", path.stem.lower())).strip("_")
    return f"{stem or 'file'}{path.suffix.lower()}"


def user_mapping(context: ReadContext) -> Mapping[str, Any] | None:
    """The mapping the user gave for this file, if any."""
    return context.options.get(OPTION) or None


def resolve(path: Path, fields: Sequence[Field], header: Sequence[str],
            mapping: Mapping[str, Any] | None) -> Resolved:
    """Each field's column: the mapping's first, then the accepted names; errors name the
    file, the field and the columns of the file."""
    header = [str(h) for h in header]
    given = given_columns(path, fields, header, mapping)
    columns = dict(given.columns)
    columns.update(guess_columns(fields, header, exclude=given.given, taken=columns))
    missing = [f for f in fields if f.required and not f.setting and f.name not in columns]
    if missing:
        named = "; ".join(f"{f.name} ({f.meaning_en})" for f in missing)
        usual = f"a column named like {', '.join(map(repr, missing[0].guesses[:6]))}, or " \
            if missing[0].guesses else ""
        raise ReaderError(
            path, f"no column was found for {named}.",
            expected=f"{usual}a column mapping naming it (e.g. {{\"{missing[0].name}\": "
                     f"\"COLUMN\"}} in --mapping MAPPING.json); columns of the file: "
                     f"{', '.join(header)}")
    return Resolved(columns, given.settings, given.given)


def given_columns(path: Path, fields: Sequence[Field], header: Sequence[str],
                  mapping: Mapping[str, Any] | None) -> Resolved:
    """The user's mapping checked against the fields and the file: each named column spelled
    as in the file (case, accents and spaces may differ), settings as text."""
    if not mapping:
        return Resolved()
    try:
        check_mapping_keys(mapping, [f.name for f in fields], "column mapping")
    except MappingError as error:
        raise ReaderError(path, str(error)) from error
    by_name = {f.name: f for f in fields}
    header = [str(h) for h in header]
    keys = {header_key(h): h for h in reversed(header)}
    columns: dict[str, str] = {}
    settings: dict[str, str] = {}
    problems = []
    named: set[str] = set()
    for name, value in mapping.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            named.add(name)  # "not in this file": no guess either
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ReaderError(path, f"the column mapping gives {name!r} the value {value!r}.",
                              expected="a column name (text)")
        text = str(value).strip()
        named.add(name)
        if by_name[name].setting:
            settings[name] = text
        elif text in header:
            columns[name] = text
        elif header_key(text) in keys:
            columns[name] = keys[header_key(text)]
        else:
            close = difflib.get_close_matches(text, header, n=1, cutoff=0.6)
            problems.append(f"{name} -> {text!r}" + (f" (closest: {close[0]!r})" if close
                                                      else ""))
    if problems:
        raise ReaderError(path, "the column mapping names column(s) not in the file: "
                          f"{'; '.join(problems)}.",
                          expected=f"columns of the file: {', '.join(header)}")
    return Resolved(columns, settings, frozenset(named))


def guess_columns(fields: Sequence[Field], header: Sequence[str], *,
                  exclude: frozenset[str] = frozenset(),
                  taken: Mapping[str, str] | None = None) -> dict[str, str]:
    """Columns for the fields from their accepted names (exact names first, then words),
    never one column for two fields; the first column of the file wins among equals."""
    keys = {h: header_key(h) for h in header}
    used = set((taken or {}).values())
    found: dict[str, str] = {}
    for item in fields:
        if item.setting or item.name in exclude or item.name in (taken or {}):
            continue
        column = next((h for guess in item.guesses for h in header
                       if h not in used and keys[h] == guess), None)
        if column is None:
            column = next((h for word in item.words for h in header
                           if h not in used and word in _WORD.split(keys[h])), None)
        if column is not None:
            found[item.name] = column
            used.add(column)
    return found


def refuse_mapping(path: Path, reader_id: str, label: str) -> ReaderError:
    """The error for a mapping given to a reader that reads a fixed layout."""
    return ReaderError(path, f"the reader {reader_id!r} ({label}) reads a fixed layout and "
                       "takes no column mapping.",
                       expected="the import without --mapping, or a reader that takes one "
                                "(`portrait readers` lists each reader's fields), e.g. "
                                "--reader mapped-points for incidents")
