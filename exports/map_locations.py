"""A place clicked on the station map, as the location of a new problem card.

The map speaks latitude and longitude (WGS84, what Leaflet draws in); problem cards are
measured in the workspace's metric CRS (incidents within 50 m of a point, areas in m²), so a
clicked point is projected here, once. A census area or hot-spot cell is copied with its
shape and id, so the card stays true if the census areas or the grid change later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import shapely

from exports.map_portrait_layers import hot_spot_cells
from portrait.crs import MAP_CRS
from portrait.errors import PortraitError
from portrait.portrait_model import Portrait
from portrait.workspace import Workspace

if TYPE_CHECKING:
    from portrait.records.problems import Location

#: Kinds of clicked map features a problem card can start from.
LOCATABLE_KINDS = ("point", "census_area", "survey_area", "hot_spot")


def metric_point(workspace: Workspace, latitude: float, longitude: float) -> shapely.Point:
    """The clicked point in the workspace's metric CRS."""
    clicked = gpd.GeoSeries([shapely.Point(longitude, latitude)], crs=MAP_CRS)
    return clicked.to_crs(workspace.crs).iloc[0]


def clicked_location(workspace: Workspace, portrait: Portrait | None, kind: str,
                     feature_id: str, latitude: float, longitude: float) -> Location:
    """The problem location for a click: the point itself, or a copy of the clicked census
    area (survey areas are census areas) or hot-spot cell."""
    from portrait.records.problems import Location  # SciPy behind it: not at start-up

    if kind == "point":
        return Location.point(metric_point(workspace, latitude, longitude))
    if kind in ("census_area", "survey_area"):
        areas = workspace.layer("census_areas")
        return Location.census_area(areas.assign(area_id=areas["area_id"].astype(str)),
                                    feature_id)
    if kind == "hot_spot":
        found = hot_spot_cells(portrait) if portrait is not None else None
        if found is not None:
            cells = found[0] if found[0].crs is None else found[0].to_crs(workspace.crs)
            match = cells[cells["cell"].astype(int).astype(str) == feature_id]
            if len(match):
                return Location.hot_spot_cell(feature_id, match.geometry.iloc[0])
        raise PortraitError(f"Hot-spot cell {feature_id!r} is not in the station's portrait; "
                            "wait for the portrait to finish, then click the cell again.")
    raise PortraitError(f"A problem card cannot start from a map feature of kind {kind!r}.")
