"""A place clicked or drawn on the station map, as the location of a problem card.

The map speaks latitude and longitude (WGS84, what Leaflet draws in); problem cards are
measured in the workspace's metric CRS (incidents within 100 m of a point, areas in m²), so a
clicked point or a drawn outline is projected here, once. A census area or hot-spot cell is
copied with its shape and id, so the card stays true if the census areas or the grid change
later. When the officer picks "a census area" or "a hot spot cell" and the click falls on
something drawn above it (an incident dot, a service), the area or cell under the pointer is
found here by its shape.
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


#: What the officer may pick on the map for a problem's location, and the clicked kinds
#: that are that thing itself.
PICK_MODES = {"point": ("point",), "census_area": ("census_area", "survey_area"),
              "named_area": (), "hot_spot": ("hot_spot",), "polygon": ()}


def picked_location(workspace: Workspace, portrait: Portrait | None, mode: str, kind: str,
                    feature_id: str, latitude: float, longitude: float) -> Location:
    """The location the officer picked in ``mode`` ("point", "census_area", "named_area",
    "hot_spot") with a click on ``kind``/``feature_id`` at ``latitude``, ``longitude``."""
    if mode == "point" or kind in PICK_MODES.get(mode, ()):
        return clicked_location(workspace, portrait, mode if mode == "point" else kind,
                                feature_id, latitude, longitude)
    from portrait.records.location_words import named_areas  # SciPy behind it

    point = metric_point(workspace, latitude, longitude)
    if mode in ("census_area", "named_area"):
        areas = workspace.layer("census_areas")
        if mode == "named_area":  # the neighbourhood, not the census area drawn on the map
            areas = named_areas(areas)
        holding = areas[areas.geometry.contains(point)] if len(areas) else areas
        if len(holding):  # the finest area: a dissemination area rather than its borough
            area_id = str(holding.loc[holding.geometry.area.idxmin(), "area_id"])
            return clicked_location(workspace, portrait, "census_area", area_id, latitude,
                                    longitude)
        raise PortraitError(f"No {mode.replace('_', ' ')} here; click inside one.")
    if mode == "hot_spot":
        found = hot_spot_cells(portrait) if portrait is not None else None
        if found is not None:
            cells = found[0] if found[0].crs is None else found[0].to_crs(workspace.crs)
            holding = cells[cells.geometry.contains(point)]
            if len(holding):
                return clicked_location(workspace, portrait, "hot_spot",
                                        str(int(holding["cell"].iloc[0])), latitude,
                                        longitude)
        raise PortraitError("No hot spot cell here; click one of the red squares of the "
                            "hot spot layer.")
    raise PortraitError(f"A problem location cannot be picked as {mode!r}.")


def drawn_location(workspace: Workspace, outline: list[tuple[float, float]]) -> Location:
    """The area drawn on the map by its vertices (latitude, longitude), in the workspace's
    metric CRS; an outline that crosses itself keeps the areas it encloses."""
    from portrait.records.problems import Location

    if len(outline) < 3:
        raise PortraitError("An area needs at least 3 corners; click them on the map.")
    ring = gpd.GeoSeries([shapely.Polygon([(lng, lat) for lat, lng in outline])],
                         crs=MAP_CRS).to_crs(workspace.crs).iloc[0]
    if not ring.is_valid:
        parts = shapely.get_parts(shapely.make_valid(ring))
        ring = shapely.union_all([p for p in parts if p.geom_type in ("Polygon",
                                                                       "MultiPolygon")])
    if ring.is_empty or ring.area < 1:
        raise PortraitError("The drawn area is empty; click at least 3 distinct corners.")
    return Location.area(ring)


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
