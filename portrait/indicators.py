"""The catalogue of socio-economic indicators a portrait can show.

Census areas are stored as counts (``census_values``); shares are recomputed from summed
numerators and denominators whenever areas are combined, because averaging the shares of
areas of different sizes gives a wrong answer. Medians cannot be combined exactly: they are
marked approximate when an area is apportioned. Scores (the Canadian Index of Multiple
Deprivation) are standardised per area: a station's score is the population-weighted mean
of its areas' scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portrait.errors import PortraitError

COUNT = "count"
SHARE = "share"
MEDIAN = "median"
SCORE = "score"


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

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en

    def definition(self, language: str) -> str:
        return self.definition_fr if language == "fr" else self.definition_en


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


def _count(id_: str, fr: str, en: str, def_fr: str, def_en: str,
           unit: str = "persons") -> Indicator:
    return Indicator(id_, COUNT, fr, en, def_fr, def_en, unit)


def _score(id_: str, fr: str, en: str, def_fr: str, def_en: str) -> Indicator:
    return Indicator(id_, SCORE, fr, en, def_fr, def_en, "score")


#: The four dimensions keep the index's own short names (they also label the map's
#: indicator list, whose width follows its longest entry).
_CIMD_FR = (" Score normalisé de l'Indice canadien de défavorisation multiple 2021 (Statistique "
            "Canada) : 0 = moyenne, plus élevé = plus défavorisé.")
_CIMD_EN = (" Standardised score of the 2021 Canadian Index of Multiple Deprivation "
            "(Statistics Canada): 0 = average, higher = more deprived.")


def _share(id_: str, fr: str, en: str, numerator: str, denominator: str,
           def_fr: str, def_en: str) -> Indicator:
    return Indicator(id_, SHARE, fr, en, def_fr, def_en, "%", numerator, denominator)


CATALOGUE: tuple[Indicator, ...] = (
    _count("population", "Population", "Population",
           "Population totale recensée.", "Total population counted by the census."),
    _count("households", "Ménages privés", "Private households",
           "Nombre de ménages privés.", "Number of private households.", "households"),
    _count("age_0_14", "Enfants de 0 à 14 ans", "Children aged 0 to 14",
           "Personnes de 0 à 14 ans.", "Persons aged 0 to 14."),
    _count("age_15_24", "Jeunes de 15 à 24 ans", "Youth aged 15 to 24",
           "Personnes de 15 à 24 ans.", "Persons aged 15 to 24."),
    _count("age_65_plus", "Personnes de 65 ans et plus", "Persons aged 65 and over",
           "Personnes de 65 ans et plus.", "Persons aged 65 and over."),
    _count("age_total", "Population (répartition par âge)", "Population (age distribution)",
           "Total de la répartition par groupe d'âge.", "Total of the age-group distribution."),
    _count("low_income", "Personnes à faible revenu (MFR-ApI)",
           "Persons in low income (LIM-AT)",
           "Personnes sous la mesure de faible revenu après impôt.",
           "Persons below the low-income measure, after tax."),
    _count("low_income_base", "Population visée par le statut de faible revenu",
           "Population for which low-income status is determined",
           "Personnes dans les ménages privés pour qui le statut est déterminé.",
           "Persons in private households for whom low-income status is determined."),
    _count("immigrants", "Immigrants", "Immigrants",
           "Personnes immigrantes (statut d'immigrant).", "Immigrants (immigrant status)."),
    _count("immigration_base", "Population (statut d'immigrant)", "Population (immigrant status)",
           "Population dans les ménages privés selon le statut d'immigrant.",
           "Population in private households by immigrant status."),
    _count("visible_minority", "Minorités visibles", "Visible minorities",
           "Personnes appartenant à une minorité visible.", "Visible minority population."),
    _count("visible_minority_base", "Population (minorités visibles)",
           "Population (visible minority status)",
           "Population dans les ménages privés selon les minorités visibles.",
           "Population in private households by visible minority status."),
    _count("renter_households", "Ménages locataires", "Renter households",
           "Ménages privés locataires.", "Private households that rent.", "households"),
    _count("tenure_base", "Ménages (mode d'occupation)", "Households (tenure)",
           "Ménages privés selon le mode d'occupation.", "Private households by tenure.",
           "households"),
    _count("single_parent_families", "Familles monoparentales", "One-parent families",
           "Familles de recensement monoparentales.", "One-parent census families.", "families"),
    _count("census_families", "Familles de recensement", "Census families",
           "Familles de recensement dans les ménages privés.",
           "Census families in private households.", "families"),
    _count("unemployed", "Chômeurs", "Unemployed",
           "Personnes de 15 ans et plus en chômage.", "Unemployed persons aged 15 and over."),
    _count("labour_force", "Population active", "Labour force",
           "Population active de 15 ans et plus.", "Labour force aged 15 and over."),
    _count("no_diploma", "Sans diplôme (25 à 64 ans)", "No certificate (aged 25 to 64)",
           "Personnes de 25 à 64 ans sans certificat, diplôme ou grade.",
           "Persons aged 25 to 64 with no certificate, diploma or degree."),
    _count("education_base", "Population de 25 à 64 ans", "Population aged 25 to 64",
           "Population de 25 à 64 ans dans les ménages privés.",
           "Population aged 25 to 64 in private households."),
    _count("movers_1yr", "Personnes ayant déménagé (1 an)", "Movers (1 year)",
           "Personnes dont l'adresse était différente un an plus tôt.",
           "Persons whose address was different one year earlier."),
    _count("mobility_base", "Population (mobilité 1 an)", "Population (1-year mobility)",
           "Population de 1 an et plus selon la mobilité.",
           "Population aged 1 and over by mobility."),
    Indicator("median_household_income", MEDIAN, "Revenu médian des ménages",
              "Median household income",
              "Revenu total médian des ménages en 2020 ($).",
              "Median total income of households in 2020 ($).", "$"),
    _share("share_0_14", "Part des 0 à 14 ans", "Share aged 0 to 14", "age_0_14", "age_total",
           "Part de la population âgée de 0 à 14 ans.", "Share of the population aged 0 to 14."),
    _share("share_15_24", "Part des 15 à 24 ans", "Share aged 15 to 24", "age_15_24", "age_total",
           "Part de la population âgée de 15 à 24 ans.",
           "Share of the population aged 15 to 24."),
    _share("share_65_plus", "Part des 65 ans et plus", "Share aged 65 and over", "age_65_plus",
           "age_total", "Part de la population âgée de 65 ans et plus.",
           "Share of the population aged 65 and over."),
    _share("low_income_rate", "Taux de faible revenu (MFR-ApI)", "Low-income rate (LIM-AT)",
           "low_income", "low_income_base",
           "Part des personnes sous la mesure de faible revenu après impôt.",
           "Share of persons below the low-income measure after tax."),
    _share("immigrant_share", "Part des immigrants", "Share of immigrants", "immigrants",
           "immigration_base", "Part de la population qui est immigrante.",
           "Share of the population who are immigrants."),
    _share("visible_minority_share", "Part des minorités visibles", "Visible minority share",
           "visible_minority", "visible_minority_base",
           "Part de la population appartenant à une minorité visible.",
           "Share of the population belonging to a visible minority."),
    _share("renter_share", "Part des ménages locataires", "Share of renter households",
           "renter_households", "tenure_base", "Part des ménages privés qui sont locataires.",
           "Share of private households that rent."),
    _share("single_parent_share", "Part des familles monoparentales",
           "Share of one-parent families", "single_parent_families", "census_families",
           "Part des familles de recensement qui sont monoparentales.",
           "Share of census families that are one-parent families."),
    _share("unemployment_rate", "Taux de chômage", "Unemployment rate", "unemployed",
           "labour_force", "Chômeurs en proportion de la population active.",
           "Unemployed as a share of the labour force."),
    _share("no_diploma_share", "Part sans diplôme (25 à 64 ans)",
           "Share with no certificate (25 to 64)", "no_diploma", "education_base",
           "Part des 25 à 64 ans sans certificat, diplôme ou grade.",
           "Share of persons aged 25 to 64 with no certificate, diploma or degree."),
    _share("movers_share", "Part ayant déménagé (1 an)", "Share who moved (1 year)",
           "movers_1yr", "mobility_base",
           "Part des personnes ayant déménagé au cours de la dernière année.",
           "Share of persons who moved in the previous year."),
    _score("cimd_residential_instability", "Instabilité résidentielle",
           "Residential instability",
           "Logements loués, personnes seules, déménagements récents." + _CIMD_FR,
           "Rented dwellings, people living alone, recent moves." + _CIMD_EN),
    _score("cimd_economic_dependency", "Dépendance économique", "Economic dependency",
           "Personnes âgées, revenus de transferts, faible activité." + _CIMD_FR,
           "Seniors, government transfer income, low labour-force participation." + _CIMD_EN),
    _score("cimd_ethnocultural_composition", "Composition ethnoculturelle",
           "Ethno-cultural composition",
           "Immigrants récents, minorités visibles, langue non officielle." + _CIMD_FR,
           "Recent immigrants, visible minorities, no official language." + _CIMD_EN),
    _score("cimd_situational_vulnerability", "Vulnérabilité situationnelle",
           "Situational vulnerability",
           "Logement à réparer, sans diplôme, familles monoparentales." + _CIMD_FR,
           "Dwellings needing repairs, no diploma, one-parent families." + _CIMD_EN),
)
BY_ID: dict[str, Indicator] = {indicator.id: indicator for indicator in CATALOGUE}


def indicator(indicator_id: str) -> Indicator:
    """The catalogue entry for ``indicator_id``, with a clear error for an unknown id."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise PortraitError(f"Unknown indicator {indicator_id!r}.") from None


def mappable() -> tuple[Indicator, ...]:
    """Indicators that make sense on a choropleth: shares and medians, not raw counts."""
    return tuple(i for i in CATALOGUE if i.kind in (SHARE, MEDIAN, SCORE)) + (
        BY_ID["population"],)


#: Census counts from the long-form questionnaire (a 25 % sample in 2021; income from tax
#: records linked to that sample): estimates with sampling error. Age, households and
#: families come from the short form, answered by every household.
LONG_FORM_COUNTS = frozenset({
    "low_income", "low_income_base", "median_household_income", "immigrants",
    "immigration_base", "visible_minority", "visible_minority_base", "renter_households",
    "tenure_base", "unemployed", "labour_force", "no_diploma", "education_base", "movers_1yr",
    "mobility_base"})


def is_long_form(item: Indicator) -> bool:
    """Whether ``item`` is estimated from the long-form sample (itself or its numerator), so
    only those figures carry the sample caveat.

    >>> is_long_form(BY_ID["low_income_rate"]), is_long_form(BY_ID["share_65_plus"])
    (True, False)
    """
    return item.id in LONG_FORM_COUNTS or item.numerator in LONG_FORM_COUNTS
