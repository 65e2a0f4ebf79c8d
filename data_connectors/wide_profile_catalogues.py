"""Which rows of a municipal wide census profile feed which of our indicators.

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

from collections.abc import Sequence
from dataclasses import dataclass, field

from data_connectors.area_names import fold


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


def _e(*path: str, to: str, note: str = "") -> Entry:
    return Entry(tuple(path), to, note)


_MTL_VISIBLE = ("Total - Minorités visibles pour la population dans les ménages privés - "
                "Données-échantillon (25 %)")

#: Ville de Montréal, "Profils sociodémographiques 2021" (Statistics Canada 2021 counts),
#: one file per theme, French names, CATEGORIE / CATÉGORIE first.
MONTREAL_2021 = ProfileSource(
    id="montreal-2021",
    label="Ville de Montréal — profils sociodémographiques 2021 (arrondissements et villes liées)",
    census_year=2021,
    label_columns=("categorie",),
    aggregates={"agglomeration-de-montreal": "Agglomération de Montréal",
                "montreal": "Ville de Montréal"},
    city="agglomeration-de-montreal",  # the SPVM serves the whole island, not only the Ville
    entries=(
        _e("Population totale en 2021", to="population"),
        _e("Population totale selon le groupe d'âges", to="age_total"),
        _e("0 à 14 ans", to="age_0_14"),
        _e("15 à 19 ans", to="age_15_24", note="15-19 + 20-24: the profile has no 15-24 row"),
        _e("20 à 24 ans", to="age_15_24"),
        _e("65 ans et plus", to="age_65_plus"),
        _e(_MTL_VISIBLE, to="visible_minority_base"),
        _e(_MTL_VISIBLE, "Total de la population des minorités visibles", to="visible_minority"),
        _e("Total des familles monoparentales(nb)", to="single_parent_families",
           note="density file; its census-family total is not published, only a %"),
        _e("Aucun certificat diplôme ou grade(nb)", to="no_diploma",
           note="density file; 25 to 64 years (102,815 = 9.4 % of the agglomeration's "
                "25-64 population, where the 15+ figure of the degree file is 247,460)"),
    ),
    notes=(
        "The degree file covers the population aged 15 and over; our no-diploma indicator is "
        "for ages 25 to 64, so none of its rows is mapped.",
        "The income file gives individual income brackets and a median among recipients; our "
        "income indicator is the median household income, so none of its rows is mapped.",
        "Rates (unemployment, % one-parent families) are not mapped: shares are recomputed "
        "from counts.",
    ),
)

_VAN_AGE = "Total - Age groups and average age of the population - 100% data"
_VAN_FAMILIES = "Total number of census families in private households - 100% data"
_VAN_LOW_INCOME = ("Total - Low-income status in 2015 for the population in private households "
                   "to whom low-income concepts are applicable - 25% sample data")
_VAN_LABOUR = "Total - Population aged 15 years and over by Labour force status - 25% sample data"
_VAN_MOBILITY = "Total - Mobility status 1 year ago - 25% sample data"
_VAN_EDUCATION = ("Total - Highest certificate, diploma or degree for the population aged 25 to "
                  "64 years in private households - 25% sample data")
_VAN_IMMIGRATION = ("Total - Immigrant status and period of immigration for the population in "
                    "private households - 25% sample data")
_VAN_VISIBLE = "Total - Visible minority for the population in private households - 25% sample data"
_VAN_TENURE = "Total - Private households by tenure - 25% sample data"
_VAN_INCOME = ("Total - Income statistics in 2015 for private households by household size - "
               "25% sample data")

#: City of Vancouver, "Census local area profiles 2016" (Statistics Canada 2016 custom
#: tabulation): ID, Variable, then the 22 local areas, Vancouver CSD and Vancouver CMA.
VANCOUVER_2016 = ProfileSource(
    id="vancouver-2016",
    label="City of Vancouver — census local area profiles 2016",
    census_year=2016,
    label_columns=("id", "variable"),
    aggregates={"vancouver-csd": "City of Vancouver (census subdivision)",
                "vancouver-cma": "Vancouver census metropolitan area"},
    city="vancouver-csd",  # the VPD serves the City of Vancouver, not the metropolitan area
    entries=(
        _e(_VAN_AGE, to="population",
           note="the file has no 'Population, 2016' row: the age-distribution total is used "
                "(randomly rounded: 631,485 for the CSD, published population 631,486)"),
        _e(_VAN_AGE, to="age_total"),
        _e(_VAN_AGE, "0 to 14 years", to="age_0_14"),
        _e(_VAN_AGE, "15 to 64 years", "15 to 19 years", to="age_15_24"),
        _e(_VAN_AGE, "15 to 64 years", "20 to 24 years", to="age_15_24"),
        _e(_VAN_AGE, "65 years and over", to="age_65_plus"),
        _e("Total - Private households by household size - 100% data", to="households"),
        _e(_VAN_FAMILIES, to="census_families"),
        _e(_VAN_FAMILIES, "Total lone-parent families by sex of parent",
           to="single_parent_families"),
        _e(_VAN_LOW_INCOME, to="low_income_base"),
        _e("In low income based on the Low-income measure, after-tax (LIM-AT)", to="low_income",
           note="ID 2454, the un-nested LIM-AT count (2079 and 2104 are males and females)"),
        _e(_VAN_LABOUR, "In the labour force", to="labour_force"),
        _e(_VAN_LABOUR, "In the labour force", "Unemployed", to="unemployed"),
        _e(_VAN_MOBILITY, to="mobility_base"),
        _e(_VAN_MOBILITY, "Movers", to="movers_1yr"),
        _e(_VAN_EDUCATION, to="education_base"),
        _e(_VAN_EDUCATION, "No certificate, diploma or degree", to="no_diploma"),
        _e(_VAN_IMMIGRATION, to="immigration_base"),
        _e(_VAN_IMMIGRATION, "Immigrants", to="immigrants"),
        _e(_VAN_VISIBLE, to="visible_minority_base"),
        _e(_VAN_VISIBLE, "Total visible minority population", to="visible_minority"),
        _e(_VAN_TENURE, to="tenure_base"),
        _e(_VAN_TENURE, "Renter", to="renter_households"),
        _e(_VAN_INCOME, "Median total income of households in 2015 ($)",
           to="median_household_income", note="2015 incomes (the 2016 census)"),
    ),
)

SOURCES: tuple[ProfileSource, ...] = (MONTREAL_2021, VANCOUVER_2016)


def detect_source(header: Sequence[str]) -> ProfileSource | None:
    """The layout whose label columns open ``header``, or None."""
    return next((source for source in SOURCES if source.matches(header)), None)
