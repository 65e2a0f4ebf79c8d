"""The demo city's streets, in the layout of the OpenStreetMap GeoPackages officers use.

The grid is the one every address, incident and service of the demo already sits on: one
segment per block between two neighbouring intersections, named as the addresses name it,
so a hot spot on the map falls on the street its incidents are written on. The file has the
layer and columns OSMnx writes (``edges`` with ``osmid``, ``name``, ``highway``, WGS84), so
the demo exercises the same reader as the real Montréal files.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from demo_city.addresses import Addresses
from demo_city.geography import Streets

#: GeoPackages stamp the time they were written; a fixed one keeps the demo's files
#: byte-identical for a seed.
FIXED_GPKG_DATE = "2024-06-05T00:00:00.000Z"
#: The demo's streets are made up: the maps say so instead of crediting OpenStreetMap (the
#: reader takes a file's own attribution metadata first). A name, like the city's own.
ATTRIBUTION = "Ville démo (rues fictives)"


def street_segments(streets: Streets, addresses: Addresses) -> gpd.GeoDataFrame:
    """One row per block: ``name`` (capitalised, "Rue des Érables", as OpenStreetMap writes
    it) and OSM ``highway`` (arterials primary or secondary)."""
    names, kinds, lines = [], [], []
    for own, other, own_names, arterial, arterial_kind in (
            (streets.u_index, streets.v_index, addresses.u_names, streets.u_arterial,
             "secondary"),
            (streets.v_index, streets.u_index, addresses.v_names, streets.v_arterial,
             "primary")):
        order = np.lexsort((other, own))
        line, step = own[order], other[order]
        follows = (line[1:] == line[:-1]) & (step[1:] == step[:-1] + 1)
        start, end = order[:-1][follows], order[1:][follows]
        for a, b, index in zip(start, end, line[:-1][follows], strict=True):
            lines.append(shapely.LineString([(streets.x[a], streets.y[a]),
                                             (streets.x[b], streets.y[b])]))
            names.append(own_names[index][:1].upper() + own_names[index][1:])  # as in OSM
            kinds.append(arterial_kind if arterial[index] else "residential")
    return gpd.GeoDataFrame({"osmid": np.arange(1, len(lines) + 1, dtype=np.int64),
                             "name": names, "highway": kinds},
                            geometry=lines, crs="EPSG:32188")


def write_streets(path: Path, streets: Streets, addresses: Addresses) -> None:
    """Write the ``edges`` layer of ``path`` in WGS84, as OSMnx does."""
    edges = street_segments(streets, addresses).to_crs("EPSG:4326")
    path.unlink(missing_ok=True)
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GPKG_DATE})
    try:
        pyogrio.write_dataframe(edges, path, layer="edges", driver="GPKG",
                                layer_metadata={"attribution": ATTRIBUTION})
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
