"""Large layers written by GDAL into a staging file, for a save to copy in its transaction.

Binding a million rows from Python into SQLite takes about twice as long as GDAL writing
them through its Arrow interface. A layer saved whole with many rows (an import's incidents)
is therefore first written by GDAL into a staging GeoPackage beside the workspace, outside
the save's transaction; the transaction then copies its rows table to table in SQLite
(``INSERT ... SELECT``, no Python per row). The staging file is named like the save's other
temporary files (``.NAME.gpkg.saving-PID...``), so one left by a killed save is removed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio

from portrait.layers import LayerSpec
from portrait.wkb_points import point_wkb

#: Layers saved whole with at least this many rows go through the staging file.
STAGE_ROWS = 50_000
#: Rows handed to GDAL at a time (see ``_batches``).
WRITE_BATCH_ROWS = 5_000
#: Rows turned into Arrow at a time (see ``_batches``).
CONVERT_ROWS = 100_000


def stage(path: Path, layers: Sequence[tuple[LayerSpec, pd.DataFrame]], crs: str) -> None:
    """Write ``layers`` (conformed frames) into a new GeoPackage at ``path``.

    No spatial index is built (GDAL would build it at close, lock held) and SQLite skips
    its syncs: the staging file is read once by the save, whose commit is what is synced.
    """
    with _unsynchronised_writes():
        for spec, frame in layers:
            geometry_type = None
            if spec.is_spatial:
                geometry_type = "Unknown" if spec.geometry_type == "Geometry" \
                    else spec.geometry_type
            schema = _arrow_table(frame.iloc[:0], spec.is_spatial).schema
            pyogrio.write_arrow(
                pa.RecordBatchReader.from_batches(schema, _batches(frame, spec.is_spatial)),
                path, layer=spec.name, driver="GPKG",
                geometry_name="geometry" if spec.is_spatial else None,
                geometry_type=geometry_type, crs=_crs_text(crs) if spec.is_spatial else None,
                layer_options={"SPATIAL_INDEX": "NO"})


def _batches(frame: pd.DataFrame, spatial: bool) -> Iterator[pa.RecordBatch]:
    """Record batches of ``WRITE_BATCH_ROWS`` rows, each made when GDAL asks for it.

    pyogrio holds the interpreter lock while GDAL writes: given a whole table, a million
    rows froze every other thread (the window's included) for seconds. Made by a Python
    generator, the batches give the lock to a waiting thread at each resumption. Rows are
    turned into Arrow ``CONVERT_ROWS`` at a time: converting each small batch on its own
    cost as much as GDAL's write.
    """
    for start in range(0, len(frame), CONVERT_ROWS):
        table = _arrow_table(frame.iloc[start:start + CONVERT_ROWS], spatial)
        for batch in table.to_batches(max_chunksize=WRITE_BATCH_ROWS):  # noqa: UP028
            yield batch  # (``yield from`` would not give the lock)


def _arrow_table(part: pd.DataFrame, spatial: bool) -> pa.Table:
    """Rows of a conformed layer as Arrow, geometries as WKB."""
    if not spatial:
        return pa.Table.from_pandas(part, preserve_index=False)
    import shapely

    geometries = np.asarray(part.geometry.values)
    wkb = point_wkb(geometries)
    if wkb is None:
        wkb = pa.array(shapely.to_wkb(geometries), type=pa.binary())
    table = pa.Table.from_pandas(pd.DataFrame(part.drop(columns=part.geometry.name),
                                              copy=False), preserve_index=False)
    return table.append_column("geometry", wkb)


def _crs_text(crs: object) -> str:
    """``EPSG:n`` when the CRS has a code (as geopandas writes it), else its WKT."""
    from pyproj import CRS

    parsed = CRS.from_user_input(crs)
    code = parsed.to_epsg()
    return f"EPSG:{code}" if code else parsed.to_wkt("WKT1_GDAL")


@contextmanager
def _unsynchronised_writes() -> Iterator[None]:
    options = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_CACHE": "512"}
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)
