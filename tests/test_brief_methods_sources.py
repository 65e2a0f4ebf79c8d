"""The partner brief's methods name the sources its figures come from: a Vancouver workspace
(2016 census, no survey) or a Kansas City one (a survey only) read "Statistics Canada's 2021
Census, ... and the resident survey" before."""

from __future__ import annotations

import pytest

from exports.brief_appendix import methods
from exports.brief_model import Brief, BriefOptions, BriefSection, Definition, KeyFigure
from exports.disclosure import DisclosureLog

POPULATION = KeyFigure("Population", 43_045.0, "persons", "43,045", id="population")


def _brief(language: str, sections: list[BriefSection], vintage: str = "Census 2016"
           ) -> Brief:
    definitions = [Definition("Population", "Total population counted in 2016.",
                              "wide-census-profile:census_local_area_profiles_2016.csv",
                              vintage, vintage)]
    return Brief("Kitsilano", "Kitsilano", 5.5, ("2022-01-01", "2022-12-31"),
                 BriefOptions(audience="partner", language=language), "2026-01-01", [],
                 sections, definitions, [], DisclosureLog())


def _section(section_id: str, with_figures: bool = True) -> BriefSection:
    return BriefSection(section_id, section_id,
                        key_figures=[POPULATION] if with_figures else [],
                        paragraphs=[] if with_figures else ["no data"])


@pytest.mark.parametrize("language,expected", [
    ("en", "The figures come from the incidents reported to the station, the 2016 census and "
           "the inventory of community services."),
    ("fr", "Les chiffres viennent des incidents déclarés au poste, du recensement de 2016 et de "
           "l'inventaire des services communautaires."),
])
def test_the_census_is_named_by_its_own_year_and_absent_sources_are_not_named(
        language: str, expected: str) -> None:
    sections = [_section("socio_economic"), _section("crime"), _section("services"),
                _section("surveys", with_figures=False),
                _section("call_demand", with_figures=False)]
    assert methods(_brief(language, sections))[0].startswith(expected)


def test_a_survey_only_workspace_names_the_survey_only() -> None:
    sections = [_section("socio_economic", with_figures=False), _section("surveys")]
    first = methods(_brief("en", sections))[0]
    assert first.startswith("The figures come from the resident survey.")
    assert "census" not in first.lower()


def test_a_census_without_a_year_is_the_census() -> None:
    brief = _brief("en", [_section("socio_economic")], vintage="municipal profile")
    assert methods(brief)[0].startswith("The figures come from the census.")
