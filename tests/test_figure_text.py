"""Figures written in words, in French and English (units, intervals, tests, periods)."""

from __future__ import annotations

import pytest

from portrait import portrait_model
from portrait.portrait_model import IndicatorValue, Interval
from ui.figure_text import FigureText
from ui.strings import UiText


@pytest.fixture
def fr() -> FigureText:
    return FigureText(UiText("fr"))


@pytest.fixture
def en() -> FigureText:
    return FigureText(UiText("en"))


def change(value: float, p: float) -> IndicatorValue:
    return IndicatorValue(
        "change_last_12_months_all", "Tous : 12 derniers mois", "All: last 12 months", value,
        "incidents (difference)",
        test=portrait_model.TestResult(1.6, p, "Poisson",
                                       details={"current": 478, "previous": 531}))


def test_values_carry_their_unit_in_each_language(fr, en) -> None:
    assert fr.value_with_unit(17.44, "%") == "17,4\u00a0%"
    assert en.value_with_unit(17.44, "%") == "17.4%"
    assert fr.value_with_unit(70100, "$") == "70\u00a0100\u00a0$"
    assert en.value_with_unit(70100, "$") == "$70,100"
    assert fr.value_with_unit(10439.4, "persons") == "10\u00a0439 personnes"
    assert en.value_with_unit(25.46, "per 1,000 residents per year") == \
        "25.5 per 1,000 residents per year"
    assert fr.value_with_unit(None, "%") == "—"


def test_intervals_and_tests_are_written_in_words(fr, en) -> None:
    assert fr.interval(Interval(47.5, 52.5, 0.95, "Wilson"), "%") == \
        "IC 95\u00a0% : 47,5\u00a0% à 52,5\u00a0%"
    assert en.interval(Interval(81, 122, 0.95), "incidents") == "95% CI: 81 to 122"
    assert fr.test(change(-53, 0.10)) == "Baisse non significative (p = 0,10)"
    assert en.test(change(24, 0.0004)) == "Significant increase (p < 0.001)"
    assert fr.headline(change(-53, 0.10)) == "\u221253"
    assert fr.comparison(change(-53, 0.10)) == "478 c. 531 incidents"


def test_portrait_reasons_and_periods_are_translated(fr, en) -> None:
    assert fr.reason("the workspace holds no survey answers") == \
        "l'espace de travail ne contient aucune réponse de sondage"
    assert fr.reason("a reason the window does not know") == \
        "a reason the window does not know"
    assert fr.period("Census 2021") == "Recensement 2021"
    assert en.period("2024-01-01/2024-12-31") == "January 1, 2024 to December 31, 2024"
    assert fr.period(("2024-01-01", "2024-03-31")) == "1er janvier 2024 au 31 mars 2024"
    assert fr.period("inventory as imported") == "inventaire tel qu'importé"
    assert en.period("inventory as imported") == "inventory as imported"


def test_one_of_a_unit_is_singular_and_data_spans_are_dates(fr, en) -> None:
    assert fr.value_with_unit(1, "incidents") == "1 incident"
    assert fr.value_with_unit(0, "incidents") == "0 incident"
    assert en.value_with_unit(0, "incidents") == "0 incidents"
    assert en.value_with_unit(1, "persons") == "1 person"
    assert fr.value_with_unit(2, "incidents") == "2 incidents"
    assert fr.period("data from 2024-01-05 to 2024-12-30") == \
        "données du 5 janvier 2024 au 30 décembre 2024"
