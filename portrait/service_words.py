"""The police service's own words, kept with the workspace: what it calls a station, its
shifts and their hours, the city's name.

The SPVM says "PDQ 38" and works jour 8 h–16 h, soir 16 h–24 h, nuit 0 h–8 h; the VPD says
"District 2" and names its own shifts. A brief for partners of another city must speak their
service's language, so these words are workspace settings (Montréal's by default), stored in
the ``portrait_metadata`` table like the disclosure thresholds (``words.*`` keys): the app's
New workspace dialog and Preferences write them, every writer reads them.

Incidents store a shift as one of three codes (``jour``, ``soir``, ``nuit``: the readers turn
"day", "evening", "night" and the SPVM's QUART into them); the workspace names each code and
gives its hours.

The words in use are looked up, not passed down every call: a brief or report is written
``with using(words_of(workspace))``, and the app sets its open workspace's words with
``use_for_process``; both fall back to Montréal's.

>>> words = ServiceWords(station_term="District", city="Vancouver")
>>> words.station_label("2"), ServiceWords().station_label("38")
('District 2', 'PDQ 38')
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TypeVar

from portrait.errors import PortraitError
from portrait.workspace import Workspace

T = TypeVar("T")
PREFIX = "words."
#: The shift codes incidents store, in the order of a day's shifts (see the module's note).
SHIFT_CODES = ("jour", "soir", "nuit")


@dataclass(frozen=True)
class Shift:
    """One shift: the code incidents store, its names, and its hours (``end`` after
    ``start``, or before it for a shift across midnight; 24 is midnight at the end)."""

    code: str
    name_fr: str
    name_en: str
    start: int
    end: int

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en

    def hours(self) -> str:
        """"8 h-16 h", as the SPVM writes its shifts."""
        return f"{self.start} h-{self.end} h"


#: The SPVM's shifts, as its files and officers name them.
SPVM_SHIFTS = (Shift("jour", "jour", "jour", 8, 16), Shift("soir", "soir", "soir", 16, 24),
               Shift("nuit", "nuit", "nuit", 0, 8))
#: A starting point for another service: the officer changes names and hours.
OTHER_SHIFTS = (Shift("jour", "Jour", "Day", 8, 16), Shift("soir", "Soir", "Evening", 16, 24),
                Shift("nuit", "Nuit", "Night", 0, 8))


@dataclass(frozen=True)
class ServiceWords:
    """What the service calls a station (before its number, and in the plural), its short
    name, its shifts and its city. The defaults are the SPVM's."""

    station_term: str = "PDQ"
    stations_term: str = "PDQ"
    service: str = "SPVM"
    city: str = "Montréal"
    shifts: tuple[Shift, ...] = field(default=SPVM_SHIFTS)

    def __post_init__(self) -> None:
        for name in ("station_term", "stations_term", "city"):
            if not str(getattr(self, name)).strip():
                raise PortraitError(f"The service's words: {PREFIX}{name} is empty; expected "
                                    "a word such as PDQ, District or Division.")
        codes = [shift.code for shift in self.shifts]
        if sorted(codes) != sorted(SHIFT_CODES):
            raise PortraitError(f"The service's words: the shifts are {codes}; expected one "
                                f"shift for each of {', '.join(SHIFT_CODES)}.")
        for shift in self.shifts:
            if not (0 <= shift.start <= 23 and 1 <= shift.end <= 24 and shift.start !=
                    shift.end % 24) or not shift.name_fr.strip() or not shift.name_en.strip():
                raise PortraitError(
                    f"The service's words: shift {shift.code} is {shift.name_en!r} from "
                    f"{shift.start} to {shift.end}; expected names and hours from 0 to 24.")

    def station_label(self, station_id: str) -> str:
        """How officers name a station: "PDQ 38" for a numeric id (any "PDQ" or the term
        already in it dropped), the id itself otherwise ("Kitsilano")."""
        terms = "|".join(re.escape(t) for t in {"PDQ", self.station_term})
        digits = re.fullmatch(rf"(?:{terms})?\s*0*(\d+)", str(station_id).strip(),
                              flags=re.IGNORECASE)
        return f"{self.station_term} {digits.group(1)}" if digits else str(station_id)

    def shift_name(self, code: object, language: str) -> str:
        """The name of the shift stored as ``code``; anything else (an hour) as written."""
        for shift in self.shifts:
            if shift.code == code:
                return shift.name(language)
        return str(code)

    def is_spvm(self) -> bool:
        """Whether these are the SPVM's words (its files' QUART column and shift names)."""
        return self.service == "SPVM" and self.shifts == SPVM_SHIFTS

    def as_metadata(self) -> dict[str, str]:
        return {PREFIX + "station_term": self.station_term,
                PREFIX + "stations_term": self.stations_term,
                PREFIX + "service": self.service, PREFIX + "city": self.city,
                PREFIX + "shifts": json.dumps(
                    [[s.code, s.name_fr, s.name_en, s.start, s.end] for s in self.shifts],
                    ensure_ascii=False)}


MONTREAL = ServiceWords()


def words_for_city(name: str, station_term: str = "", service: str = "",
                   language: str = "en") -> ServiceWords:
    """A starting point for another city's service: its station term when known (else
    "Poste"/"Station"), generic shift names with the SPVM's hours."""
    if name.strip() == MONTREAL.city:
        return MONTREAL
    term = station_term.strip() or ("Poste" if language == "fr" else "Station")
    return ServiceWords(station_term=term, stations_term=plural(term), service=service.strip(),
                        city=name.strip(), shifts=OTHER_SHIFTS)


def plural(term: str) -> str:
    """"District" -> "Districts"; acronyms ("PDQ") and words ending in s stay as they are."""
    if term.isupper() or term.endswith(("s", "x")):
        return term
    return f"{term[:-1]}ies" if term.endswith("y") and term[-2:-1] not in "aeiou" else f"{term}s"


def words_of(workspace: Workspace) -> ServiceWords:
    """The workspace's words (Montréal's for the keys it does not hold).

    A damaged value raises ``PortraitError`` naming the file, the key and what was expected.
    """
    where = workspace.path.name if getattr(workspace, "path", None) else "The workspace"
    found: dict[str, object] = {}
    for name in ("station_term", "stations_term", "service", "city"):
        raw = workspace.metadata.get(PREFIX + name)
        if raw is not None:
            found[name] = str(raw).strip()
    raw = workspace.metadata.get(PREFIX + "shifts")
    if raw:
        try:
            found["shifts"] = tuple(Shift(str(code), str(fr), str(en), int(start), int(end))
                                    for code, fr, en, start, end in json.loads(raw))
        except (ValueError, TypeError):
            raise PortraitError(
                f"{where}: the portrait_metadata key {PREFIX}shifts holds {raw!r}; expected a "
                'list of [code, French name, English name, start hour, end hour], e.g. '
                '[["jour", "jour", "day", 8, 16], ...].') from None
    try:
        return replace(MONTREAL, **found)
    except PortraitError as error:
        raise PortraitError(f"{where}: {error}") from None


def write_words(workspace: Workspace, words: ServiceWords) -> bool:
    """Store ``words`` in the workspace (saved with it, like any metadata change); whether
    any of them changed."""
    changed = False
    for key, value in words.as_metadata().items():
        if workspace.metadata.get(key) != value:
            workspace.set_metadata(key, value)
            changed = True
    return changed


_SCOPED: ContextVar[ServiceWords | None] = ContextVar("service_words", default=None)
_process_words = MONTREAL


def in_use() -> ServiceWords:
    """The words of the brief being written, else of the workspace the process works on."""
    return _SCOPED.get() or _process_words


@contextlib.contextmanager
def using(words: ServiceWords) -> Iterator[ServiceWords]:
    """Write with ``words`` inside the block (this thread only; others keep theirs)."""
    token = _SCOPED.set(words)
    try:
        yield words
    finally:
        _SCOPED.reset(token)


def use_for_process(words: ServiceWords) -> None:
    """The words of the one workspace the app (or a command) works on: its window, maps
    and background jobs (threads that write no brief of their own) speak them."""
    global _process_words
    _process_words = words


def in_workspace_words(write: Callable[..., T]) -> Callable[..., T]:
    """``write(workspace, ...)`` speaking ``workspace``'s words, on whatever thread or
    process it runs."""
    @functools.wraps(write)
    def speaking(workspace: Workspace, *args: object, **kwargs: object) -> T:
        with using(words_of(workspace)):
            return write(workspace, *args, **kwargs)

    return speaking
