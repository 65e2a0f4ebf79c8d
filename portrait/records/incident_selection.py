"""Which incidents fall in an area and a period: the counting both the priority score and
the assessment of a response rely on.

Incidents are points in the workspace's metric CRS; an incident without a location cannot be
placed in an area and is left out (the count of those left out is returned, so a result can
say how many were not placeable). An incident on an area's boundary counts as inside.

>>> import geopandas as gpd, pandas as pd, shapely
>>> incidents = gpd.GeoDataFrame({"date": pd.to_datetime(["2025-01-02", "2025-03-01"]),
...     "category": ["mischief", "mischief"]}, geometry=[shapely.Point(300_010, 5_040_010),
...     shapely.Point(300_500, 5_040_500)], crs="EPSG:32188")
>>> area = shapely.box(300_000, 5_040_000, 300_100, 5_040_100)
>>> count_incidents(incidents, area, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"))
1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from portrait.crs import require_metric
from portrait.errors import PortraitError


def metric_points(incidents: pd.DataFrame, crs: object | None = None) -> np.ndarray:
    """The incidents' geometries (shapely array, None where missing), refusing degrees.

    ``crs`` is the CRS the caller's areas are in; the incidents are reprojected to it when
    theirs differs.
    """
    layer_crs = getattr(incidents, "crs", None)
    target = crs if crs is not None else layer_crs
    require_metric(target, "The incidents layer")
    if "geometry" not in incidents.columns:
        raise PortraitError("The incidents have no geometry column; they cannot be placed in "
                            "an area.")
    geometry = incidents.geometry if hasattr(incidents, "geometry") else incidents["geometry"]
    if layer_crs is not None and crs is not None and geometry.crs != crs:
        geometry = geometry.to_crs(crs)
    return np.asarray(geometry.values, dtype=object)


def period_mask(incidents: pd.DataFrame, start: dt.date | pd.Timestamp,
                end: dt.date | pd.Timestamp) -> np.ndarray:
    """Incidents dated from ``start`` to ``end``, both days included."""
    dates = pd.to_datetime(incidents["date"])
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    return ((dates >= first) & (dates < last + pd.Timedelta(days=1))).fillna(False).to_numpy()


def category_mask(incidents: pd.DataFrame, categories: Iterable[str] | None) -> np.ndarray:
    """Incidents of the given common categories (all incidents when None or empty)."""
    categories = tuple(categories or ())
    if not categories:
        return np.ones(len(incidents), dtype=bool)
    return incidents["category"].isin(categories).fillna(False).to_numpy(dtype=bool)


def area_mask(points: np.ndarray, area: BaseGeometry) -> np.ndarray:
    """Points covered by ``area`` (boundary included); missing points are outside."""
    if len(points) == 0:
        return np.zeros(0, dtype=bool)
    located = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    inside = np.zeros(len(points), dtype=bool)
    if located.any():
        shapely.prepare(area)
        inside[located] = shapely.covers(area, points[located])
    return inside


def count_incidents(incidents: pd.DataFrame, area: BaseGeometry, start: dt.date | pd.Timestamp,
                    end: dt.date | pd.Timestamp, categories: Iterable[str] | None = None,
                    crs: object | None = None) -> int:
    """Number of located incidents in ``area`` from ``start`` to ``end`` (days included)."""
    points = metric_points(incidents, crs)
    mask = area_mask(points, area) & period_mask(incidents, start, end) & \
        category_mask(incidents, categories)
    return int(mask.sum())


def unlocated_count(incidents: pd.DataFrame) -> int:
    """How many incidents have no usable location."""
    if "geometry" not in incidents.columns or not len(incidents):
        return len(incidents)
    values = np.asarray(incidents["geometry"].values, dtype=object)
    return int((shapely.is_missing(values) | shapely.is_empty(values)).sum())
