"""The catalogue of socio-economic indicators a portrait can show, and its one loader.

Every census source (Statistics Canada's profile, a municipal profile, the US ACS, a
deprivation index) feeds the same kind of catalogue entry: names in French and English, a
unit, a kind that fixes how areas combine into a station, a direction and small-number rules.
The built-in entries are data (``portrait/indicator_catalogues/indicators.toml``); a user's
catalogue file adds indicators or overrides built-in ones by id, and is stored in the
workspace (layer ``indicator_catalogue``) so the portrait keeps each indicator's meaning after
the import. The format is documented in ``docs/indicators.md``.

How areas combine, by kind (``Indicator.aggregation``):

* counts are summed;
* shares (percent) and rates (per ``per`` residents) are recomputed from the summed
  numerator and denominator counts, because averaging the shares of areas of different sizes
  gives a wrong answer;
* medians cannot be combined: the station gets the household-weighted median of its areas'
  medians, marked approximate, with the range of the areas' own medians;
* indices and scores (the Canadian Index of Multiple Deprivation) are standardised per area:
  a station's value is the population-weighted mean of its areas' values.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portrait.errors import PortraitError

if TYPE_CHECKING:  # pandas only for the workspace layer: the catalogue loads without it
    import pandas as pd

COUNT = "count"
SHARE = "share"
RATE = "rate"
MEDIAN = "median"
SCORE = "score"
#: Kind names a catalogue file may use ("index" and "score" are the same kind).
KINDS: dict[str, str] = {"count": COUNT, "share": SHARE, "rate": RATE, "median": MEDIAN,
                         "index": SCORE, "score": SCORE}
DIRECTIONS = ("higher-is-better", "higher-is-worse", "neutral", "unknown")
#: Which of the workspace's small-area rules hide an indicator's values: ``all`` the rule for
#: every characteristic (40 residents by default), ``income`` also the income rule (250),
#: ``none`` neither (the publisher already applied its own rules, e.g. an index).
SMALL_AREAS = ("all", "income", "none")
#: How a value was estimated: ``long-form`` Statistics Canada's 25 % sample, ``sample`` any
#: other survey sample (the US ACS), empty for a full count.
ESTIMATES = ("", "long-form", "sample")
CATALOGUE_FOLDER = Path(__file__).with_name("indicator_catalogues")
_AGGREGATION = {COUNT: "sum", SHARE: "ratio of sums", RATE: "ratio of sums",
                MEDIAN: "median of areas", SCORE: "population-weighted mean"}
_DEFAULT_UNIT = {COUNT: "persons", SHARE: "%", MEDIAN: "", SCORE: "score"}


@dataclass(frozen=True)
class Indicator:
    """One indicator: how it is computed, in which unit, and what it means (in both languages)."""

    id: str
    kind: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    unit: str = "persons"
    numerator: str | None = None
    denominator: str | None = None
    #: A share is per 100; a rate per ``per`` residents (1000, 100 000...).
    per: float = 100.0
    direction: str = "unknown"
    small_areas: str = "all"
    #: Area values under this are hidden before combining (a publisher's "fewer than 10").
    suppress_below: float | None = None
    #: The publisher's random rounding base (5 for Statistics Canada), said in a caveat.
    rounding: int | None = None
    estimate: str = ""
    #: Column names that hold this indicator in source tables (ACS codes, French headings).
    aliases: tuple[str, ...] = ()
    #: Where the entry comes from: "built-in" or the catalogue file's name.
    origin: str = "built-in"

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en

    def definition(self, language: str) -> str:
        return self.definition_fr if language == "fr" else self.definition_en

    @property
    def is_ratio(self) -> bool:
        """Whether the value is recomputed from a numerator and a denominator."""
        return self.kind in (SHARE, RATE)

    @property
    def aggregation(self) -> str:
        """How areas combine into a station, in the words of ``docs/indicators.md``."""
        return _AGGREGATION[self.kind]

    @property
    def display_unit(self) -> str:
        """The unit a value is printed with: "%" for every share."""
        return "%" if self.kind == SHARE else self.unit


class Catalogue:
    """Indicators by id, in order: the built-in ones, extended or overridden by a user's."""

    def __init__(self, indicators: Iterable[Indicator]):
        self.by_id: dict[str, Indicator] = {}
        for item in indicators:
            self.by_id[item.id] = item

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.by_id

    def get(self, indicator_id: str) -> Indicator:
        """The entry for ``indicator_id``, with an error listing the known ids."""
        try:
            return self.by_id[indicator_id]
        except KeyError:
            raise PortraitError(f"Unknown indicator {indicator_id!r}; known: "
                                f"{', '.join(self.by_id)}.") from None

    def extended(self, extra: Iterable[Indicator]) -> Catalogue:
        """This catalogue with ``extra`` added, an entry of the same id replaced in place.

        Raises a PortraitError when a share or rate names a numerator or denominator that
        is no count of the result.
        """
        merged = Catalogue([*self, *extra])
        merged.check()
        return merged

    def check(self) -> None:
        """Every ratio's numerator and denominator must be counts of this catalogue."""
        for item in self:
            if not item.is_ratio:
                continue
            for role in ("numerator", "denominator"):
                part = getattr(item, role)
                if part not in self.by_id or self.by_id[part].kind != COUNT:
                    raise PortraitError(
                        f"{item.origin}: indicator {item.id!r} is a {item.kind} whose {role} "
                        f"{part!r} is not a count of the catalogue. Expected: the id of a "
                        "count indicator, built in or defined in the same file.")

    def mappable(self) -> tuple[Indicator, ...]:
        """Indicators that make sense on a choropleth: ratios, medians and indices, and the
        population (raw counts depend on the areas' sizes)."""
        shown = tuple(i for i in self if i.is_ratio or i.kind in (MEDIAN, SCORE))
        return shown + ((self.by_id["population"],) if "population" in self else ())

    def estimate_of(self, item: Indicator) -> str:
        """How ``item`` (or the numerator it is computed from) was estimated."""
        if item.estimate:
            return item.estimate
        numerator = self.by_id.get(item.numerator or "")
        return numerator.estimate if numerator is not None else ""

    def income_ids(self) -> tuple[str, ...]:
        """Indicators the workspace's income rule hides in small areas."""
        return tuple(i.id for i in self if i.small_areas == "income")

    def column_ids(self) -> dict[str, str]:
        """Column name in a source table (folded) -> indicator id: ids, then aliases."""
        found: dict[str, str] = {}
        for item in self:
            for name in (item.id, *item.aliases):
                found.setdefault(fold_name(name), item.id)
        return found


#: Definitions that name the census that counted the value ("{years}": its year or years).
_COUNTED_IN = {"population": ("Total population counted in {years}.",
                              "Population totale recensée en {years}.")}


def census_definitions(item: Indicator, vintage: str) -> tuple[str, str]:
    """(English, French) definition of ``item`` for values of ``vintage`` ("Census 2016"):
    a population counted in 2016 must not be described as 2021's."""
    years = ", ".join(re.findall(r"\b(?:19|20)\d{2}\b", vintage))
    if item.id not in _COUNTED_IN or not years:
        return item.definition_en, item.definition_fr
    english, french = _COUNTED_IN[item.id]
    return english.format(years=years), french.format(years=years)


def fold_name(name: str) -> str:
    """A column or indicator name compared without case, spaces or punctuation.

    >>> fold_name(" Median household income ") == fold_name("median_household_income")
    True
    """
    return "".join(c for c in str(name).casefold() if c.isalnum())


# --- Reading catalogue files -----------------------------------------------------------------

_TEXT_FIELDS = ("id", "kind", "label_fr", "label_en", "definition_fr", "definition_en",
                "unit", "numerator", "denominator", "direction", "small_areas", "estimate")
_FIELDS = frozenset(f.name for f in fields(Indicator)) - {"origin"}
_ID = re.compile(r"[A-Za-z0-9_]+")


def read_catalogue_file(path: Path) -> dict[str, Any]:
    """A catalogue file's tables: TOML (``[[indicator]]``, and for built-in source layouts
    ``[[characteristic]]``, ``[layout]``, ``[[entry]]``) or CSV (one indicator per row, the
    ``[[indicator]]`` fields as columns)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PortraitError(f"{path.name}: the catalogue cannot be read "
                            f"({error.strerror}).") from error
    if path.suffix.lower() == ".csv":
        text = data.decode("utf-8-sig", errors="replace")
        rows = [{k.strip(): v for k, v in row.items() if k and v not in (None, "")}
                for row in csv.DictReader(io.StringIO(text))]
        return {"indicator": rows}
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PortraitError(f"{path.name}: not a valid catalogue file ({error}). Expected: "
                            "TOML as in docs/indicators.md, or a CSV with one indicator per "
                            "row.") from None


def parse_indicators(tables: Mapping[str, Any], origin: str) -> tuple[Indicator, ...]:
    """The ``[[indicator]]`` entries of a catalogue file, each checked, with errors that name
    the file, the entry and the field."""
    entries = tables.get("indicator", [])
    if not isinstance(entries, list):
        raise PortraitError(f"{origin}: 'indicator' must be a list of tables ([[indicator]]).")
    return tuple(_indicator(entry, origin, number)
                 for number, entry in enumerate(entries, start=1))


def _indicator(entry: Mapping[str, Any], origin: str, number: int) -> Indicator:
    ident = str(entry.get("id", "")).strip()
    where = f"{origin}, indicator {number}" + (f" ({ident!r})" if ident else "")

    def fail(name: str, problem: str, expected: str) -> PortraitError:
        return PortraitError(f"{where}, field {name!r}: {problem} Expected: {expected}.")

    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise fail(unknown[0], "is not a field of the catalogue.",
                   "one of " + ", ".join(sorted(_FIELDS)))
    for name in ("id", "kind", "label_fr", "label_en"):
        if not str(entry.get(name, "")).strip():
            raise fail(name, "is missing.", "a value (see docs/indicators.md)")
    if not _ID.fullmatch(ident):
        raise fail("id", f"{ident!r} has characters other than letters, digits and '_'.",
                   "an id such as poverty_share")
    values = {name: str(entry[name]).strip() for name in _TEXT_FIELDS
              if name in entry and str(entry[name]).strip()}
    kind = KINDS.get(values["kind"].lower())
    if kind is None:
        raise fail("kind", f"{values['kind']!r} is not a kind.", ", ".join(KINDS))
    for name, allowed in (("direction", DIRECTIONS), ("small_areas", SMALL_AREAS),
                          ("estimate", ESTIMATES)):
        if name in values and values[name] not in allowed:
            raise fail(name, f"{values[name]!r} is not allowed.", ", ".join(a or '""'
                                                                          for a in allowed))
    if kind in (SHARE, RATE):
        for name in ("numerator", "denominator"):
            if name not in values:
                raise fail(name, f"is missing for a {kind}.", "the id of a count indicator")
    if kind == RATE and "per" not in entry:
        raise fail("per", "is missing for a rate.", "the number of residents the rate is "
                   "per, e.g. 1000")
    numbers: dict[str, Any] = {}
    for name, cast in (("per", float), ("suppress_below", float), ("rounding", int)):
        if name in entry and str(entry[name]).strip():
            try:
                numbers[name] = cast(str(entry[name]).replace(" ", ""))
            except ValueError:
                raise fail(name, f"{entry[name]!r} is not a number.", "a number") from None
            if numbers[name] <= 0:
                raise fail(name, f"{entry[name]!r} is not positive.", "a positive number")
    aliases = entry.get("aliases", ())
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    kind_unit = f"per {numbers.get('per', 100):,g}" if kind == RATE else _DEFAULT_UNIT[kind]
    return Indicator(
        id=values["id"], kind=kind, label_fr=values["label_fr"], label_en=values["label_en"],
        definition_fr=values.get("definition_fr", values["label_fr"]),
        definition_en=values.get("definition_en", values["label_en"]),
        unit="%" if kind == SHARE else values.get("unit", kind_unit),
        numerator=values.get("numerator"), denominator=values.get("denominator"),
        per=100.0 if kind == SHARE else numbers.get("per", 100.0),
        direction=values.get("direction", "unknown"),
        small_areas=values.get("small_areas", "all"),
        suppress_below=numbers.get("suppress_below"), rounding=numbers.get("rounding"),
        estimate=values.get("estimate", ""),
        aliases=tuple(str(a).strip() for a in aliases if str(a).strip()), origin=origin)


@dataclass(frozen=True)
class CatalogueSource:
    """What a catalogue file's ``[source]`` table says of the values it describes: their year
    and the publisher's name, printed as the figures' source and naming the source whose
    newer file replaces them."""

    year: int | None = None
    label: str = ""


def catalogue_source(path: Path) -> CatalogueSource:
    """The ``[source]`` table of the catalogue file at ``path`` (empty when it has none)."""
    source = read_catalogue_file(path).get("source", {})
    if not isinstance(source, dict):
        raise PortraitError(f"{path.name}: 'source' must be a table ([source]).")
    year = source.get("year")
    if year is not None and not str(year).isdigit():
        raise PortraitError(f"{path.name}, [source], field 'year': {year!r} is not a year. "
                            "Expected: a year such as 2022.")
    return CatalogueSource(None if year is None else int(year),
                           str(source.get("label", "")).strip())


@cache
def builtin_tables(name: str) -> dict[str, Any]:
    """The tables of the built-in catalogue file ``name`` (``statcan-2021``...)."""
    return read_catalogue_file(CATALOGUE_FOLDER / f"{name}.toml")


def catalogue_entries(path: Path, base: Catalogue | None = None) -> tuple[Indicator, ...]:
    """The indicators of the catalogue file at ``path``, checked against ``base`` (the
    built-in catalogue by default): a ratio may name counts of either."""
    entries = parse_indicators(read_catalogue_file(path), path.name)
    (base or BUILTIN).extended(entries)
    return entries


def load_catalogue(path: Path, base: Catalogue | None = None) -> Catalogue:
    """``base`` (the built-in catalogue) extended by the indicators of the file at ``path``."""
    return (base or BUILTIN).extended(parse_indicators(read_catalogue_file(path), path.name))


# --- The catalogue stored in a workspace ---------------------------------------------------

#: Columns of the workspace layer ``indicator_catalogue`` (aliases joined by "|").
STORED_COLUMNS = ("id", "kind", "label_fr", "label_en", "definition_fr", "definition_en",
                  "unit", "numerator", "denominator", "per", "direction", "small_areas",
                  "suppress_below", "rounding", "estimate", "aliases", "origin")


def to_frame(indicators: Iterable[Indicator]) -> pd.DataFrame:
    """Indicators as rows of the workspace layer ``indicator_catalogue``."""
    import pandas as pd

    rows = []
    for item in indicators:
        row = {name: getattr(item, name) for name in STORED_COLUMNS}
        row["kind"] = "index" if item.kind == SCORE else item.kind
        row["aliases"] = "|".join(item.aliases) or None
        rows.append(row)
    return pd.DataFrame(rows, columns=list(STORED_COLUMNS))


def workspace_catalogue(stored: pd.DataFrame | None) -> Catalogue:
    """The built-in catalogue extended by the entries a workspace stores (later rows win)."""
    if stored is None or stored.empty:
        return BUILTIN
    items = []
    for number, row in enumerate(stored.to_dict(orient="records"), start=1):
        entry = {k: v for k, v in row.items() if k in _FIELDS and not _blank(v)}
        item = _indicator(entry, str(row.get("origin") or "the workspace"), number)
        items.append(item if _blank(row.get("origin")) else replace(item, origin=row["origin"]))
    return BUILTIN.extended(items)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value)) \
        or type(value).__name__ in ("NAType", "NaTType")


BUILTIN = Catalogue(parse_indicators(builtin_tables("indicators"), "built-in"))
CATALOGUE: tuple[Indicator, ...] = tuple(BUILTIN)
BY_ID: dict[str, Indicator] = BUILTIN.by_id


def indicator(indicator_id: str) -> Indicator:
    """The built-in entry for ``indicator_id``, with a clear error for an unknown id."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise PortraitError(f"Unknown indicator {indicator_id!r}.") from None


def mappable() -> tuple[Indicator, ...]:
    """The built-in indicators that make sense on a choropleth (see ``Catalogue.mappable``)."""
    return BUILTIN.mappable()


def is_long_form(item: Indicator, catalogue: Catalogue | None = None) -> bool:
    """Whether ``item`` is estimated from Statistics Canada's long-form sample (itself or its
    numerator), so only those figures carry the sample caveat.

    >>> is_long_form(BY_ID["low_income_rate"]), is_long_form(BY_ID["share_65_plus"])
    (True, False)
    """
    return (catalogue or BUILTIN).estimate_of(item) == "long-form"


#: Ids of the built-in counts estimated from the long-form sample.
LONG_FORM_COUNTS = frozenset(i.id for i in BUILTIN if i.estimate == "long-form")
