"""Statistics Canada 2021 Census Profile characteristics that feed our indicators.

The mapping itself is data: ``portrait/indicator_catalogues/statcan-2021.toml``, in the
catalogue format of ``docs/indicators.md``; this module reads it and says why it is so.

The 2021 Census Profile comprehensive download for dissemination areas (catalogue
98-401-X2021006) is a long table: one row per geography and characteristic, identified by
``CHARACTERISTIC_ID`` (1 to 2631). ``CHARACTERISTIC_NAME`` carries leading spaces that show the
nesting (``"  0 to 14 years"`` under ``"Total - Age groups of the population - 100% data"``), so
names are ambiguous once stripped ("  65 years and over" occurs in several tables): readers must
match on the id, and use the name only to check that the file is the expected vintage.

Choices made for our indicators (``portrait.indicators``):

* Every count indicator maps to count characteristics read from ``C1_COUNT_TOTAL``. When several
  characteristics map to the same indicator their values are **summed** per area: ``age_15_24``
  is "15 to 19 years" (14) + "20 to 24 years" (15), because the profile has no 15-24 group.
* Low income: the profile publishes the LIM-AT prevalence as a percentage (345). Percentages of
  areas of different sizes cannot be added when areas are combined or apportioned, so we read the
  **counts** instead: 340 "In low income based on the Low-income measure, after tax (LIM-AT)"
  (``low_income``) over 335 "Total - LIM low-income status in 2020 for the population in private
  households" (``low_income_base``). 345 is kept in the table, unmapped, so a reader can
  cross-check the recomputed rate against the published one.
* Likewise the unemployment rate (2230) is unmapped: ``unemployed`` (2226) over ``labour_force``
  (2224) is recomputed.
* ``median_household_income`` is 243 "Median total income of household in 2020 ($)", a median in
  dollars (``value_kind="median"``): it cannot be summed and is marked approximate when apportioned.
* ``households`` is 50 "Total - Private households by household size - 100% data" (100% data);
  ``tenure_base`` is 1414, the 25%-sample tenure total, so that the renter share uses a numerator
  and a denominator from the same sample.

Sources used to check ids and names (public notes and code that read the real 2021 files,
found with the project's code search): 1-8, 9, 13, 16-19, 24, 39-41, 46, 47, 50-57, 243, 335,
340, 345, 1414-1416, 1527, 1529, 1536, 1537, 1683, 1684, 1697, 1976, 1999, 2014-2017, 2226,
2227, 2229, 2230; 78 and 86 (families). Ids 1974, 1975, 2223, 2224 and 2225 are the neighbours
of verified ids in the same table, following the profile's order; ``verified`` is False for
them so that a reader can warn rather than fail if a real file disagrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portrait.errors import PortraitError
from portrait.indicators import builtin_tables

#: Kinds of value a characteristic holds in ``C1_COUNT_TOTAL``.
COUNT = "count"
MEDIAN = "median"
AVERAGE = "average"
PERCENT = "percent"
AREA = "area"


@dataclass(frozen=True)
class Characteristic:
    """One Census Profile characteristic and the indicator it feeds (None: not used directly)."""

    id: int
    name: str
    indicator_id: str | None
    note: int | None = None
    value_kind: str = COUNT
    verified: bool = True

    @property
    def label(self) -> str:
        """The name without its nesting spaces."""
        return self.name.strip()

    @property
    def depth(self) -> int:
        """Nesting level: two leading spaces per level in the real file."""
        return (len(self.name) - len(self.name.lstrip(" "))) // 2


def _characteristic(entry: dict) -> Characteristic:
    return Characteristic(int(entry["id"]), entry["name"], entry.get("indicator"),
                          entry.get("note"), entry.get("value_kind", COUNT),
                          bool(entry.get("verified", True)))


#: In the real file's order (by id), from the built-in catalogue
#: ``portrait/indicator_catalogues/statcan-2021.toml``; names exactly as in the English CSV.
CHARACTERISTICS: tuple[Characteristic, ...] = tuple(
    _characteristic(entry) for entry in builtin_tables("statcan-2021")["characteristic"])

BY_ID: dict[int, Characteristic] = {c.id: c for c in CHARACTERISTICS}

#: Indicator id -> characteristic ids whose values are summed to give it.
BY_INDICATOR: dict[str, tuple[int, ...]] = {}
for _item in CHARACTERISTICS:
    if _item.indicator_id is not None:
        BY_INDICATOR[_item.indicator_id] = BY_INDICATOR.get(_item.indicator_id, ()) + (_item.id,)
del _item


def for_indicator(indicator_id: str) -> tuple[Characteristic, ...]:
    """The characteristics summed to give ``indicator_id`` (empty when none feeds it)."""
    return tuple(BY_ID[i] for i in BY_INDICATOR.get(indicator_id, ()))


def indicator_of(extra: Iterable[Mapping[str, Any]] = (), origin: str = "") -> dict[int, str]:
    """Characteristic id -> the indicator it feeds: the built-in ones, and ``extra``
    ``[[characteristic]]`` entries of a user's catalogue (which win for the same id), so a
    user can take another characteristic of the profile (median age, id 40) without code."""
    found = {c.id: c.indicator_id for c in CHARACTERISTICS if c.indicator_id is not None}
    for number, entry in enumerate(extra, start=1):
        ident, indicator = entry.get("id"), str(entry.get("indicator", "")).strip()
        if not isinstance(ident, int) or not indicator:
            raise PortraitError(f"{origin}, characteristic {number}: needs an 'id' (a number of "
                                "the profile's CHARACTERISTIC_ID) and the 'indicator' it feeds.")
        found[ident] = indicator
    return found


def mapped_ids() -> frozenset[int]:
    """Ids a reader has to keep from the (very long) profile file."""
    return frozenset(c.id for c in CHARACTERISTICS if c.indicator_id is not None)
