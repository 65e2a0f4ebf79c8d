"""Coordinate reference systems used throughout the project.

Distances and areas are only meaningful in a metric projection, so every layer is stored in
``METRIC_CRS``; maps are drawn in ``MAP_CRS`` (WGS84) because that is what Leaflet expects.
"""

from __future__ import annotations

from pyproj import CRS
from pyproj.exceptions import CRSError

from portrait.errors import PortraitError

#: NAD83 / MTM zone 8: the projection of SPVM and Ville de Montréal files, in metres.
METRIC_CRS = "EPSG:32188"
#: Longitude/latitude for web maps.
MAP_CRS = "EPSG:4326"


def require_metric(crs: object, what: str = "this layer") -> CRS:
    """Return ``crs`` as a pyproj CRS, refusing geographic (degree) systems.

    Distances computed in degrees are silently wrong by a factor that varies with latitude;
    refusing them is the only safe default.
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
        raise PortraitError(
            f"{what} is in {parsed.name} ({parsed.to_string()}), whose units are not metres; "
            f"reproject it to a metric CRS such as {METRIC_CRS} before measuring distances."
        )
    return parsed
