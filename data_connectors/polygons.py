"""Polygons as boundary layers need them, whatever a repair of the source left behind."""

from __future__ import annotations

import geopandas as gpd
import shapely


def polygonal(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Valid (multi)polygons: repaired, without the lines and points a repair can leave.

    ``make_valid`` turns a self-touching ring into a GeometryCollection of a polygon and a
    line; stored as is, GDAL warns that it is not a MultiPolygon and QGIS cannot draw it.
    """
    repaired = geometry.make_valid()
    return gpd.GeoSeries([_polygon_parts(g) for g in repaired], index=geometry.index,
                         crs=geometry.crs)


def _polygon_parts(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry is None or geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = shapely.get_parts(shapely.get_parts(geometry))  # collection -> multi -> single
    return shapely.MultiPolygon([p for p in parts if p.geom_type == "Polygon"])


def multipolygons(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """``polygonal(geometry)`` with every polygon a MultiPolygon, as the layers declare."""
    repaired = polygonal(geometry)
    return gpd.GeoSeries(
        [shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
         for g in repaired], index=geometry.index, crs=geometry.crs)
