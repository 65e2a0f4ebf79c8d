"""Coordinate reference systems used throughout the project.

Distances and areas are only meaningful in a metric projection, so every layer is stored in
the workspace's metric CRS (``METRIC_CRS``, Montréal's, by default); maps are drawn in
``MAP_CRS`` (WGS84) because that is what Leaflet expects. Elsewhere the local UTM zone is
proposed: NAD83's in North America, where police and city files use it, WGS 84's beyond.
"""

from __future__ import annotations

import math

from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from pyproj.exceptions import CRSError

from portrait.errors import PortraitError

#: NAD83 / MTM zone 8: the projection of SPVM and Ville de Montréal files, in metres.
METRIC_CRS = "EPSG:32188"
#: Longitude/latitude for web maps.
MAP_CRS = "EPSG:4326"
#: Datums whose UTM zones are proposed, in order of preference: NAD83 covers North America
#: (EPSG:26910 for Vancouver, EPSG:26915 for Kansas City), WGS 84 the rest of the world.
UTM_DATUMS = ("NAD83", "WGS 84")


def utm_crs(longitude: float, latitude: float) -> str:
    """The UTM zone's CRS at a point, as ``EPSG:NNNN``.

    >>> utm_crs(-123.12, 49.28), utm_crs(-94.58, 39.10), utm_crs(2.35, 48.86)
    ('EPSG:26910', 'EPSG:26915', 'EPSG:32631')
    """
    if not (math.isfinite(longitude) and math.isfinite(latitude)
            and -180 <= longitude <= 180 and -80 <= latitude <= 84):
        raise PortraitError(f"{longitude}, {latitude} is not a longitude and latitude covered "
                            "by UTM zones (longitude -180 to 180, latitude -80 to 84).")
    point = AreaOfInterest(longitude, latitude, longitude, latitude)
    for datum in UTM_DATUMS:
        found = query_utm_crs_info(datum_name=datum, area_of_interest=point)
        if found:
            return f"{found[0].auth_name}:{found[0].code}"
    zone = min(int((longitude + 180) // 6) + 1, 60)  # PROJ always knows WGS 84's zones
    return f"EPSG:{(32600 if latitude >= 0 else 32700) + zone}"


def crs_in_words(crs: object) -> str:
    """A CRS as officers read it: its name and code, "NAD83 / UTM zone 10N (EPSG:26910)"."""
    parsed = CRS.from_user_input(crs)
    code = parsed.to_authority()
    return f"{parsed.name} ({code[0]}:{code[1]})" if code else parsed.name


def _centre_lon_lat(crs: CRS, extent: object) -> tuple[float, float] | None:
    """The centre of ``extent`` (a layer with ``total_bounds``, or minx, miny, maxx, maxy in
    ``crs``) in degrees; without one, the centre of the area ``crs`` is meant for, when that
    area is not the whole world."""
    bounds = getattr(extent, "total_bounds", extent)
    if bounds is not None:
        try:
            minx, miny, maxx, maxy = (float(v) for v in bounds)
        except (TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
            return None
        x, y = (minx + maxx) / 2, (miny + maxy) / 2
        if crs.is_geographic:
            return (x, y)  # degrees of whatever datum: near enough to choose a zone
        return Transformer.from_crs(crs, MAP_CRS, always_xy=True).transform(x, y)
    area = crs.area_of_use
    if area is None or area.east - area.west > 60:
        return None
    return ((area.west + area.east) / 2, (area.south + area.north) / 2)


def local_metric_crs(crs: CRS, extent: object = None) -> str | None:
    """The UTM zone where ``extent`` (or the area ``crs`` is meant for) lies, if known."""
    centre = _centre_lon_lat(crs, extent)
    if centre is None:
        return None
    try:
        return utm_crs(*centre)
    except PortraitError:
        return None


def require_metric(crs: object, what: str = "this layer", extent: object = None) -> CRS:
    """Return ``crs`` as a pyproj CRS, refusing geographic (degree) systems.

    Distances computed in degrees are silently wrong by a factor that varies with latitude;
    refusing them is the only safe default. ``extent`` (the layer, or its bounds in ``crs``)
    lets the message name the UTM zone where the data lie rather than Montréal's.
    """
    if crs is None:
        raise PortraitError(f"{what} has no coordinate reference system; a metric CRS is needed.")
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        raise PortraitError(
            f"{what}: {crs!r} is not a coordinate reference system PROJ knows; give one as "
            f"EPSG:NNNN, e.g. {METRIC_CRS} (MTM zone 8, Montréal) or EPSG:26910 (UTM zone "
            "10N, Vancouver).") from None
    if parsed.is_geographic or not parsed.axis_info or parsed.axis_info[0].unit_name != "metre":
        local = local_metric_crs(parsed, extent)
        advice = f"the local UTM zone there is {crs_in_words(local)}" if local else \
            "use the UTM zone where the data lie (EPSG:269NN in North America, EPSG:326NN " \
            "elsewhere north of the equator)"
        raise PortraitError(
            f"{what} is in {parsed.name} ({parsed.to_string()}), whose units are not metres; "
            f"reproject it to a metric CRS before measuring distances: {advice}.")
    return parsed
