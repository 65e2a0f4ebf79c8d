"""A layer handed over without its optional columns gets them, empty and typed."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from portrait.crs import METRIC_CRS
from portrait.layers import INCIDENTS, conform, empty_frame


def test_missing_optional_columns_come_back_empty_with_the_spec_types() -> None:
    given = gpd.GeoDataFrame(
        {"source_category": ["Introduction", "Méfait", None],
         "date": pd.to_datetime(["2024-01-02", "2024-03-04", "2024-05-06"])},
        geometry=[shapely.Point(297_000, 5_043_000), None, shapely.Point(298_000, 5_044_000)],
        crs=METRIC_CRS)
    frame = conform(given, INCIDENTS)
    assert list(frame.columns) == [*INCIDENTS.columns, "geometry"]
    empty = empty_frame(INCIDENTS)
    for column in set(INCIDENTS.columns) - {"source_category", "date"}:
        assert frame[column].dtype == empty[column].dtype, column
        assert frame[column].isna().all(), column
    assert frame["source_category"].tolist()[:2] == ["Introduction", "Méfait"]
    assert conform(frame, INCIDENTS) is frame  # already conformed: not copied again
