"""The long-form sample caveat is given to long-form census figures only (income, immigration,
tenure, labour, education, mobility), never to short-form ones (age, population, families)."""

from __future__ import annotations

import pytest

from portrait.engine import build_portrait
from portrait.indicators import BY_ID, is_long_form
from portrait.workspace import Workspace

SAMPLE_CAVEAT = "census estimate (long-form sample"


@pytest.fixture(scope="module")
def socio_economic(tmp_path_factory: pytest.TempPathFactory):
    from conftest import build_small_workspace

    path = build_small_workspace(tmp_path_factory.mktemp("long-form") / "small.gpkg").path
    return build_portrait(Workspace.open(path), "38").section("socio_economic")


def _has_caveat(indicator) -> bool:
    return any(c.startswith(SAMPLE_CAVEAT) for c in indicator.caveats)


@pytest.mark.parametrize("indicator_id", ["low_income_rate", "immigrant_share",
                                          "median_household_income", "low_income"])
def test_long_form_figures_carry_the_sample_caveat(socio_economic, indicator_id: str) -> None:
    assert _has_caveat(socio_economic.indicator(indicator_id))


@pytest.mark.parametrize("indicator_id", ["population", "share_0_14", "share_65_plus",
                                          "age_0_14", "households"])
def test_short_form_figures_do_not(socio_economic, indicator_id: str) -> None:
    assert not _has_caveat(socio_economic.indicator(indicator_id))


def test_the_catalogue_split() -> None:
    long_form = {i for i, item in BY_ID.items() if is_long_form(item)}
    assert {"low_income_rate", "immigrant_share", "visible_minority_share", "renter_share",
            "unemployment_rate", "no_diploma_share", "movers_share",
            "median_household_income"} <= long_form
    assert not long_form & {"population", "households", "share_0_14", "share_15_24",
                            "share_65_plus", "single_parent_share", "census_families"}
