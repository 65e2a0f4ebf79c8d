"""The map's legend counts add up for the period shown (no Qt needed)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from exports.web_map import MapOptions, build_station_map, station_map_html
from portrait.workspace import Workspace


def legend_counts(workspace: Workspace, options: MapOptions) -> tuple[int, int]:
    """(incidents drawn, incidents said to have no location) as the page shows them."""
    fmap = build_station_map(workspace, options)
    page = fmap.get_root().render()
    drawn = int(re.search(r'window\.portraitCounts = \{[^}]*"incidents": (\d+)', page)[1])
    unlocated = re.search(r"(\d+) sans localisation", page)
    return drawn, int(unlocated[1]) if unlocated else 0


@pytest.mark.parametrize("period", [("2024-01-01", "2024-06-30"), ("2024-10-01", "2024-12-31"),
                                    None])
def test_located_and_unlocated_add_up_to_the_periods_incidents(small_workspace: Workspace,
                                                                period) -> None:
    incidents = small_workspace.layer("incidents")
    mine = incidents[incidents["station_id"].eq("38")]
    if period is not None:
        mine = mine[mine["date"].between(pd.Timestamp(period[0]), pd.Timestamp(period[1]))]
    drawn, unlocated = legend_counts(small_workspace, MapOptions("38", period=period))
    assert unlocated == int(mine.geometry.isna().sum()) > 0
    assert drawn + unlocated == len(mine)


def test_unlocated_incidents_follow_the_category_filter(small_workspace: Workspace) -> None:
    incidents = small_workspace.layer("incidents")
    incidents["category"] = incidents["source_category"].map(
        {"Méfait": "mischief"}).fillna("other")
    small_workspace.set_layer("incidents", incidents)
    mine = incidents[incidents["station_id"].eq("38") & incidents["category"].eq("mischief")]
    drawn, unlocated = legend_counts(small_workspace,
                                     MapOptions("38", categories=("mischief",)))
    assert (drawn, unlocated) == (int(mine.geometry.notna().sum()),
                                  int(mine.geometry.isna().sum()))
    assert "sans localisation" in station_map_html(small_workspace, MapOptions("38"))
