"""The population's definition names the census that counted it, not a fixed year."""

from __future__ import annotations

from pathlib import Path

import pytest

from portrait.engine import build_portrait, compare_stations
from portrait.workspace import Workspace
from tests.conftest import build_small_workspace


def _workspace_of_census(path: Path, year: int) -> Workspace:
    workspace = build_small_workspace(path)
    for layer in ("census_areas", "census_values"):
        frame = workspace.layer(layer).copy()
        frame["census_year"] = year
        workspace.set_layer(layer, frame)
    workspace.save()
    return workspace


@pytest.mark.parametrize("year", [2016, 2021])
def test_the_population_is_counted_in_the_profiles_year(tmp_path: Path, year: int) -> None:
    workspace = _workspace_of_census(tmp_path / "w.gpkg", year)
    population = build_portrait(workspace, "38").section("socio_economic").indicator(
        "population")
    assert population.definition.startswith(f"Total population counted in {year}.")
    assert population.definition_fr.startswith(f"Population totale recensée en {year}.")
    other = 2021 if year == 2016 else 2016
    assert str(other) not in population.definition + population.definition_fr


def test_the_station_comparison_says_the_same_year(tmp_path: Path) -> None:
    workspace = _workspace_of_census(tmp_path / "w.gpkg", 2016)
    comparison = compare_stations(workspace)
    column = next(c for c in comparison.columns if c["id"] == "population")
    assert "counted in 2016" in column["definition"]
    assert "2021" not in column["definition"]
