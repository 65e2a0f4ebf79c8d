"""Which rows of a municipal wide census profile feed which of our indicators.

The layouts are data, in the catalogue format of ``docs/indicators.md``
(``portrait/indicator_catalogues/montreal-2021.toml``, ``vancouver-2016.toml``); this module
reads them.

A wide profile (one row per characteristic, one column per area) identifies a
characteristic only by its printed name, and names repeat: "0 to 14 years" is printed
under the total population, then again under males and under females. So each entry names
the characteristic by its **path**: its own name preceded by the names of the rows it is
nested under (nesting is shown by two leading spaces per level). Paths are compared after
:func:`characteristic_key` (accents, case, apostrophes and spacing folded), because the same
publisher's files lose apostrophes in one file and not in the next ("groupe dâges").

Only counts (and medians) are mapped. Percentages and rates published beside them
("Taux de chômage", "(%)" rows) are left out on purpose: ``portrait.indicators`` recomputes
shares from numerator and denominator counts, and a rate cannot be summed when areas are
combined. A file may feed no indicator at all (the Montréal income-bracket file): its rows
are then only counted in the import report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from data_connectors.area_names import fold
from portrait.errors import PortraitError
from portrait.indicators import builtin_tables


def characteristic_key(name: str) -> str:
    """A characteristic name folded for comparison: no accents, case, apostrophes or extra spaces.

    >>> characteristic_key("  Population totale selon le groupe dâges")
    'population totale selon le groupe dages'
    """
    return " ".join(fold(name).replace("'", "").split())


@dataclass(frozen=True)
class Entry:
    """One characteristic (by its path, outermost name first) and the indicator it feeds."""

    path: tuple[str, ...]
    indicator_id: str
    note: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(characteristic_key(name) for name in self.path)


@dataclass(frozen=True)
class ProfileSource:
    """A publisher's wide-profile layout: how to recognise it and what its rows mean."""

    id: str
    label: str
    census_year: int
    #: Header names of the columns before the area columns (folded), the name column last.
    label_columns: tuple[str, ...]
    #: Area keys of whole-city aggregates -> what they are (kept, marked as aggregates).
    aggregates: dict[str, str]
    entries: tuple[Entry, ...]
    #: The aggregate that is the city the stations serve: its row is the city's figure.
    city: str = ""
    notes: tuple[str, ...] = field(default=())

    def matches(self, header: Sequence[str]) -> bool:
        """Whether a file's header starts with this layout's label columns."""
        found = tuple(characteristic_key(h) for h in header[: len(self.label_columns)])
        return found == self.label_columns and len(header) > len(self.label_columns)

    def lookup(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Folded path -> indicator ids it feeds (one row may feed several indicators)."""
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for entry in self.entries:
            table[entry.key] = table.get(entry.key, ()) + (entry.indicator_id,)
        return table


def load_source(tables: dict) -> ProfileSource:
    """A layout from a catalogue file's ``[layout]`` and ``[[entry]]`` tables."""
    layout = tables["layout"]
    return ProfileSource(
        id=layout["id"], label=layout["label"], census_year=int(layout["census_year"]),
        label_columns=tuple(layout["label_columns"]), aggregates=dict(layout["aggregates"]),
        entries=tuple(Entry(tuple(entry["path"]), entry["indicator"], entry.get("note", ""))
                      for entry in tables["entry"]),
        city=layout.get("city", ""), notes=tuple(layout.get("notes", ())))


def with_entries(source: ProfileSource, extra: Sequence[Mapping[str, Any]],
                 origin: str) -> ProfileSource:
    """``source`` with the ``[[entry]]`` tables of a user's catalogue added (those naming
    another ``layout`` id left out), so a user can map more rows of a known profile."""
    added = []
    for number, entry in enumerate(extra, start=1):
        if entry.get("layout", source.id) != source.id:
            continue
        path, indicator = entry.get("path"), str(entry.get("indicator", "")).strip()
        if not isinstance(path, list) or not path or not indicator:
            raise PortraitError(f"{origin}, entry {number}: needs a 'path' (the row's name "
                                "after the names of the rows it is nested under) and the "
                                "'indicator' it feeds.")
        added.append(Entry(tuple(str(p) for p in path), indicator, str(entry.get("note", ""))))
    return replace(source, entries=source.entries + tuple(added))


#: Ville de Montréal, "Profils sociodémographiques 2021" (Statistics Canada 2021 counts),
#: one file per theme, French names, CATEGORIE / CATÉGORIE first. The SPVM serves the whole
#: island, so the city row is the agglomeration's, not the Ville's.
MONTREAL_2021 = load_source(builtin_tables("montreal-2021"))
#: City of Vancouver, "Census local area profiles 2016" (Statistics Canada 2016 custom
#: tabulation): ID, Variable, then the 22 local areas, Vancouver CSD and Vancouver CMA. The
#: VPD serves the City of Vancouver (the CSD), not the metropolitan area.
VANCOUVER_2016 = load_source(builtin_tables("vancouver-2016"))

SOURCES: tuple[ProfileSource, ...] = (MONTREAL_2021, VANCOUVER_2016)


def detect_source(header: Sequence[str]) -> ProfileSource | None:
    """The layout whose label columns open ``header``, or None."""
    return next((source for source in SOURCES if source.matches(header)), None)
