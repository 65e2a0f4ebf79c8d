"""Statistics Canada 2021 Census Profile characteristics that feed our indicators.

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

from dataclasses import dataclass

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


def _c(id_: int, name: str, indicator_id: str | None = None, note: int | None = None,
       kind: str = COUNT, verified: bool = True) -> Characteristic:
    return Characteristic(id_, name, indicator_id, note, kind, verified)


#: In the real file's order (by id). Names are exactly as in the 2021 English CSV.
CHARACTERISTICS: tuple[Characteristic, ...] = (
    _c(1, "Population, 2021", "population", note=1),
    _c(2, "Population, 2016", note=1),
    _c(4, "Total private dwellings", note=2),
    _c(5, "Private dwellings occupied by usual residents", note=3),
    _c(6, "Population density per square kilometre", kind=AVERAGE),
    _c(7, "Land area in square kilometres", kind=AREA),
    _c(8, "Total - Age groups of the population - 100% data", "age_total"),
    _c(9, "  0 to 14 years", "age_0_14"),
    _c(10, "    0 to 4 years"),
    _c(11, "    5 to 9 years"),
    _c(12, "    10 to 14 years"),
    _c(13, "  15 to 64 years"),
    _c(14, "    15 to 19 years", "age_15_24"),
    _c(15, "    20 to 24 years", "age_15_24"),
    _c(24, "  65 years and over", "age_65_plus"),
    _c(39, "Average age of the population", kind=AVERAGE),
    _c(40, "Median age of the population", note=6, kind=MEDIAN),
    _c(50, "Total - Private households by household size - 100% data", "households"),
    _c(51, "  1 person"),
    _c(57, "Average household size", kind=AVERAGE),
    _c(78, "Total number of census families in private households - 100% data",
       "census_families"),
    _c(86, "  Total one-parent families", "single_parent_families"),
    _c(243, "  Median total income of household in 2020 ($)", "median_household_income",
       kind=MEDIAN),
    _c(335, "Total - LIM low-income status in 2020 for the population in private households "
            "- 100% data", "low_income_base", note=33),
    _c(340, "In low income based on the Low-income measure, after tax (LIM-AT)", "low_income"),
    _c(345, "Prevalence of low income based on the Low-income measure, after tax (LIM-AT) (%)",
       kind=PERCENT),
    _c(1414, "Total - Private households by tenure - 25% sample data", "tenure_base", note=50),
    _c(1415, "  Owner"),
    _c(1416, "  Renter", "renter_households"),
    _c(1527, "Total - Immigrant status and period of immigration for the population in private "
             "households - 25% sample data", "immigration_base", note=79),
    _c(1528, "  Non-immigrants"),
    _c(1529, "  Immigrants", "immigrants"),
    _c(1536, "    2016 to 2021"),
    _c(1537, "  Non-permanent residents"),
    _c(1683, "Total - Visible minority for the population in private households - 25% sample "
             "data", "visible_minority_base", note=117),
    _c(1684, "  Total visible minority population", "visible_minority", note=118),
    _c(1697, "  Not a visible minority"),
    _c(1974, "Total - Mobility status 1 year ago - 25% sample data", "mobility_base", note=163,
       verified=False),
    _c(1975, "  Non-movers", verified=False),
    _c(1976, "  Movers", "movers_1yr"),
    _c(2014, "Total - Highest certificate, diploma or degree for the population aged 25 to 64 "
             "years in private households - 25% sample data", "education_base", note=165),
    _c(2015, "  No certificate, diploma or degree", "no_diploma"),
    _c(2016, "  High (secondary) school diploma or equivalency certificate"),
    _c(2017, "  Postsecondary certificate, diploma or degree"),
    _c(2223, "Total - Population aged 15 years and over by labour force status - 25% sample data",
       note=184, verified=False),
    _c(2224, "  In the labour force", "labour_force", verified=False),
    _c(2225, "    Employed", verified=False),
    _c(2226, "    Unemployed", "unemployed"),
    _c(2227, "  Not in the labour force"),
    _c(2229, "Employment rate", kind=PERCENT),
    _c(2230, "Unemployment rate", kind=PERCENT),
)

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


def mapped_ids() -> frozenset[int]:
    """Ids a reader has to keep from the (very long) profile file."""
    return frozenset(c.id for c in CHARACTERISTICS if c.indicator_id is not None)
