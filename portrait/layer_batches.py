"""A large point layer of a workspace file read a range of feature ids at a time: only the
columns asked for, and each point as its x and y.

The station file (``portrait.workspace_query``) is built from every incident and call after
each import. Read as a data frame, a batch of 500,000 calls costs three times GDAL's own read:
every point becomes a shapely object only to give back its x and y, every date is parsed
from text by pandas, and columns the build never uses are converted. Here GDAL's Arrow
stream is kept: x and y are read in place from the points' WKB bytes and dates are cast by
Arrow. A batch this path does not recognise (a layer in another CRS, a geometry that is not
a 2D little-endian point, a date with a time zone or finer than a millisecond) is read the
usual way, so the columns are always those ``Workspace.layer`` gives for these rows.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import pyproj
import shapely

from portrait.layers import DATETIME, LayerSpec, conform
from portrait.wkb_points import POINT_BYTES, POINT_HEAD


@dataclass
class Batch:
    """Rows of a layer: the asked columns as ``conform`` types them, and the points' x and y
    (NaN where a row has no point). ``x`` and ``y`` are None when the batch was read the
    usual way: ``frame`` then also holds the geometry."""

    frame: pd.DataFrame
    x: np.ndarray | None
    y: np.ndarray | None

    @property
    def coordinates(self) -> tuple[np.ndarray, np.ndarray] | None:
        return None if self.x is None else (self.x, self.y)


def batches(path: Path, spec: LayerSpec, columns: tuple[str, ...], crs: str,
            rows: int, held: pd.DataFrame | None = None) -> Iterator[Batch]:
    """Layer ``spec`` of ``path`` ``rows`` feature ids at a time, in feature id order (the
    order a whole read gives); nothing when the file has no such layer or no rows.

    ``held`` is the layer as the file holds it, already in memory (``Workspace.saved_frame``:
    an import has just saved it): its rows are sliced instead of read back (a third of the
    station file's build at a million incidents), when that gives the same batches.
    """
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        try:
            low, high = connection.execute(  # one aggregate each: read from the index
                f'SELECT (SELECT MIN(fid) FROM "{spec.name}"), '
                f'(SELECT MAX(fid) FROM "{spec.name}")').fetchone()
        except sqlite3.OperationalError:  # no such layer yet
            return
    if low is None:
        return
    part = replace(spec, columns={c: spec.columns[c] for c in columns},
                   required=tuple(c for c in spec.required if c in columns))
    if held is not None and not _reads_back_as_held(held, part, high - low + 1):
        held = None
    for start in range(low, high + 1, rows):
        if held is not None:
            yield _from_held(held.iloc[start - low:start - low + rows], part, crs)
            continue
        where = f"fid >= {start} AND fid < {start + rows}"
        yield _from_arrow(path, part, crs, where) or _as_usual(path, part, crs, where)


def _reads_back_as_held(held: pd.DataFrame, spec: LayerSpec, span: int) -> bool:
    """Whether reading the file gives ``held``'s rows in the same batches: one row per
    feature id from the lowest to the highest, and no date finer than the millisecond the
    file keeps."""
    if len(held) != span:
        return False  # ids with gaps: a range of ids is not a range of rows
    for name, dtype in spec.columns.items():
        if dtype == DATETIME:
            stamps = held[name].to_numpy(dtype="datetime64[ns]")
            stamps = stamps[~np.isnat(stamps)].view(np.int64)
            if (stamps % 1_000_000).any():
                return False
    return True


def _from_held(rows: pd.DataFrame, spec: LayerSpec, crs: str) -> Batch:
    values = np.asarray(rows.geometry.values)
    frame = pd.DataFrame(rows[list(spec.columns)]).reset_index(drop=True)
    return Batch(conform(frame, replace(spec, geometry_type=None), crs),
                 shapely.get_x(values), shapely.get_y(values))


def _from_arrow(path: Path, spec: LayerSpec, crs: str, where: str) -> Batch | None:
    meta, table = pyogrio.read_arrow(path, layer=spec.name, columns=list(spec.columns),
                                     where=where, datetime_as_string=True)
    geometry = meta["geometry_name"]
    if meta["crs"] is None or geometry not in table.column_names \
            or pyproj.CRS.from_user_input(meta["crs"]) != crs:
        return None
    points = _points(table.column(geometry))
    if points is None:
        return None
    table = table.drop_columns([geometry])
    for name, dtype, subtype in zip(meta["fields"], meta["dtypes"], meta["ogr_subtypes"],
                                    strict=True):
        is_date = dtype is not None and dtype.startswith("datetime") and \
            dtype != "datetime64[D]"
        if subtype == "OFSTJSON" or is_date != (spec.columns[name] == DATETIME):
            return None  # typed otherwise in the file than in the layer's spec
        if is_date:
            dates = _dates(table.column(name))
            if dates is None:
                return None
            table = table.set_column(table.column_names.index(name), name, dates)
    return Batch(conform(table.to_pandas(), replace(spec, geometry_type=None), crs), *points)


def _as_usual(path: Path, spec: LayerSpec, crs: str, where: str) -> Batch:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        frame = pyogrio.read_dataframe(path, layer=spec.name, use_arrow=True,
                                       columns=list(spec.columns), where=where)
    return Batch(conform(frame, spec, crs), None, None)


def _points(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """x and y of WKB points, read from the bytes (NaN for a missing point); None when a
    value is not a 2D little-endian point with coordinates."""
    xs, ys = [np.zeros(0)], [np.zeros(0)]
    for chunk in column.chunks:
        if isinstance(chunk, pa.ExtensionArray):
            chunk = chunk.storage
        if chunk.type not in (pa.binary(), pa.large_binary()):
            return None
        _, offsets, data = chunk.buffers()
        offset_type = np.int32 if chunk.type == pa.binary() else np.int64
        offsets = np.frombuffer(offsets, dtype=offset_type)[
            chunk.offset:chunk.offset + len(chunk) + 1].astype(np.int64)
        present = chunk.is_valid().to_numpy(zero_copy_only=False)
        if not np.array_equal(np.diff(offsets), np.where(present, POINT_BYTES, 0)):
            return None  # another geometry, or bytes behind missing values
        records = np.frombuffer(data if data is not None else b"", dtype=np.uint8)[
            offsets[0]:offsets[-1]].reshape(-1, POINT_BYTES)
        if not (records[:, :len(POINT_HEAD)] == POINT_HEAD).all():
            return None
        x, y = np.full(len(chunk), np.nan), np.full(len(chunk), np.nan)
        x[present] = records[:, 5:13].copy().view("<f8").ravel()
        y[present] = records[:, 13:21].copy().view("<f8").ravel()
        if np.isnan(x[present]).any() or np.isnan(y[present]).any():
            return None  # an empty point, which shapely refuses to give coordinates of
        xs.append(x)
        ys.append(y)
    return np.concatenate(xs), np.concatenate(ys)


def _dates(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Date-times as GDAL writes them, to the millisecond as pyogrio reads them; None when
    Arrow does not read every one without a zone (pandas then parses them as pyogrio does)."""
    if column.type not in (pa.string(), pa.large_string()):
        return None
    try:
        return column.cast(pa.timestamp("ms"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
