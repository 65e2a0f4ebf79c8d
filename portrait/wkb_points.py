"""2D points as little-endian WKB bytes, made from their coordinates in one pass.

An import of a million incidents hands a million points to GDAL as WKB. ``shapely.to_wkb``
asks GEOS to write each point in turn (a third of a second per million); a 2D point's WKB is
a fixed 21-byte record (byte order 1, geometry type 1, x, y), so the bytes of a whole layer
are laid out by numpy from its coordinates instead. ``portrait.layer_batches`` reads the
same records back.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import shapely

#: A 2D point in little-endian WKB: byte order 1, geometry type 1, then x and y as doubles.
POINT_HEAD = np.array([1, 1, 0, 0, 0], dtype=np.uint8)
POINT_BYTES = 21
_RECORD = np.dtype([("order", "u1"), ("kind", "<u4"), ("x", "<f8"), ("y", "<f8")])


def point_wkb(geometries: np.ndarray) -> pa.BinaryArray | None:
    """The WKB of each geometry as ``shapely.to_wkb`` writes it (null for a missing one), or
    None when one is not a 2D point with coordinates (the caller then asks shapely)."""
    kinds = shapely.get_type_id(geometries)
    present = kinds == 0
    if not np.isin(kinds, (-1, 0)).all() or len(geometries) * POINT_BYTES >= 2**31:
        return None  # another kind of geometry, or more bytes than 32-bit offsets reach
    points = geometries[present]
    if shapely.has_z(points).any() or shapely.is_empty(points).any():
        return None
    records = np.empty(len(points), dtype=_RECORD)
    records["order"], records["kind"] = 1, 1
    records["x"], records["y"] = shapely.get_x(points), shapely.get_y(points)
    offsets = np.zeros(len(geometries) + 1, dtype=np.int32)
    np.cumsum(np.where(present, POINT_BYTES, 0), out=offsets[1:])
    validity = None if present.all() else pa.array(present).buffers()[1]
    return pa.Array.from_buffers(pa.binary(), len(geometries), [
        validity, pa.py_buffer(offsets), pa.py_buffer(records.tobytes())])
