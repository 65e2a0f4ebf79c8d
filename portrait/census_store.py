"""The census apportioned once per change of its layers, kept beside the workspace.

Apportioning the census (every area cut by every station, the small-area rules, the
stations', the city's and each area's own figures) took 0.13-0.2 s of every one-station
report started in a new process, a sixth of it, for figures that change only when the census
areas, the census values, the stations or the indicator catalogue do. The result is kept
beside the workspace in a hidden file of its own (``.NAME.gpkg.census.portrait-cache.sqlite``,
apart from the incidents' file, which is rebuilt whole when they change): one table of Arrow
IPC streams, one per frame, and JSON for the rest; data only, nothing in it is run when read.
It may be deleted at any time.

It is read back only when it was computed from the same layers (each one's last change, row
count and highest feature id, as for the incidents), with the same thresholds and CRS, by the
same code (the modules that compute it, hashed) and libraries; anything else, a missing
table or an unreadable one, and the census is computed and stored again. A workspace whose
layers in memory are not the file's (changed and not saved, or the file saved by another
program since it was read) neither reads nor keeps it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from portrait import census_levels, indicators, portrait_data
from portrait.indicators import workspace_catalogue
from portrait.portrait_data import Census, census_of
from portrait.statistics import apportion, dasymetric
from portrait.statistics.apportion import ApportionParameters, ApportionResult
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

#: The layers the census is computed from.
CENSUS_LAYERS = ("census_areas", "census_values", "stations", "indicator_catalogue")
#: The code that computes it: a change to any of these files is a change of the figures.
_CODE = (portrait_data, census_levels, indicators, apportion, dasymetric)
#: Census fields kept as frames, as series, as JSON, as apportion results; and those made
#: again from the layers on reading (cheap: a filter, a CRS check, the catalogue's entries).
_FRAMES = ("shares", "weights")
_SERIES = ("area_level", "split_share")
_PLAIN = ("source", "vintage", "column_level", "weighted_levels", "fine_level",
          "city_from_row", "city_areas")
_RESULTS = ("stations", "city", "areas")
_RESULT_FRAMES = ("values", "value_coverage", "suppressed")
_AREAS = "areas_frame"  # geometry kept as WKB
RECOMPUTED = ("catalogue",)
STORED = (*_FRAMES, *_SERIES, *_PLAIN, *_RESULTS, _AREAS)


def census_path(workspace_path: Path) -> Path:
    """The file the census of a workspace is kept in, hidden beside it."""
    path = Path(workspace_path)
    return path.with_name(f".{path.name}.census.portrait-cache.sqlite")


def census(workspace: Workspace, stations: gpd.GeoDataFrame,
           parameters: ApportionParameters,
           layers_fingerprint: Callable[[tuple[str, ...]], str]) -> Census:
    """The workspace's census for ``stations`` (prepared): read from the file beside it
    when that holds the one these layers, thresholds and code give, else computed and kept
    there. ``layers_fingerprint`` says what the saved layers look like."""
    if _in_memory(workspace):
        return census_of(workspace, stations, parameters)
    derived = census_path(workspace.path)
    try:
        key = _key(layers_fingerprint(CENSUS_LAYERS), parameters, str(workspace.crs))
    except (OSError, sqlite3.Error) as error:
        log.warning("Could not read the census layers' state in %s: %s", workspace.path, error)
        return census_of(workspace, stations, parameters)
    stored = _read(derived, key)
    if stored is not None:
        return _census(stored, workspace, parameters)
    computed = census_of(workspace, stations, parameters)
    if not workspace.unchanged_on_disk():  # saved by another program meanwhile
        return computed
    try:
        _write(derived, key, computed)
    except (OSError, sqlite3.Error, TypeError, ValueError, pa.ArrowException) as error:
        # never the portrait's failure: the next one computes it again
        log.warning("Could not keep the census beside %s: %s", workspace.path, error)
    return computed


def layers_token(workspace: Workspace,
                 layers_fingerprint: Callable[[tuple[str, ...]], str]) -> object:
    """What the census is computed from, without reading its layers (a report needs them
    only to compute it): their fingerprint in the file, or the frames themselves when the
    layers in memory are not the file's."""
    if _in_memory(workspace):
        return tuple(id(workspace.layer(name)) for name in CENSUS_LAYERS)
    return layers_fingerprint(CENSUS_LAYERS)


def _in_memory(workspace: Workspace) -> bool:
    """Whether the census layers in memory may differ from the file's: changed and not
    saved, or the file saved by another program since it was read here."""
    return workspace.path is None or any(workspace.unsaved(n) for n in CENSUS_LAYERS) \
        or not workspace.unchanged_on_disk()


def _key(layers: str, parameters: ApportionParameters, crs: str) -> str:
    return json.dumps({"layers": layers, "parameters": dataclasses.asdict(parameters),
                       "crs": crs, "code": _code_digest()})


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for module in _CODE:
        digest.update(Path(module.__file__).read_bytes())
    digest.update((indicators.CATALOGUE_FOLDER / "indicators.toml").read_bytes())
    for library in (np, pd, pa, shapely):
        digest.update(library.__version__.encode())
    digest.update(shapely.geos_version_string.encode())
    return digest.hexdigest()


def _census(stored: dict, workspace: Workspace, parameters: ApportionParameters) -> Census:
    plain = stored["plain"]
    results = {name: ApportionResult(*(stored[f"{name}.{part}"] for part in _RESULT_FRAMES),
                                     tuple(plain["approximate"][name]), parameters)
               for name in _RESULTS}
    return Census(
        **results,
        **{name: stored[name] for name in (*_FRAMES, *_SERIES)},
        **{name: tuple(plain[name]) if name == "weighted_levels" else plain[name]
           for name in _PLAIN},
        areas_frame=_areas(stored[_AREAS], workspace.crs),
        catalogue=workspace_catalogue(workspace.layer("indicator_catalogue")))


def _areas(frame: pd.DataFrame, crs: str) -> gpd.GeoDataFrame:
    """The census areas as kept: their geometry from WKB, in the workspace's CRS (the areas
    were put in the stations' CRS, which is the workspace's)."""
    geometry = gpd.GeoSeries(shapely.from_wkb(frame["geometry"].to_numpy(dtype=object)),
                             index=frame.index, crs=crs)
    return gpd.GeoDataFrame(frame.assign(geometry=geometry), geometry="geometry", crs=crs)


# --- the file ------------------------------------------------------------------------------
def _write(path: Path, key: str, computed: Census) -> None:
    """A whole new file renamed over the old one: a reader sees the old census or the new
    one, whole, and a damaged file is replaced, not written into."""
    frames = {name: getattr(computed, name) for name in (*_FRAMES, *_SERIES)}
    areas = computed.areas_frame
    frames[_AREAS] = pd.DataFrame(areas).assign(
        geometry=shapely.to_wkb(np.asarray(areas.geometry.values)))
    for name in _RESULTS:
        for part in _RESULT_FRAMES:
            frames[f"{name}.{part}"] = getattr(getattr(computed, name), part)
    plain = {name: getattr(computed, name) for name in _PLAIN}
    plain["approximate"] = {name: list(getattr(computed, name).approximate)
                            for name in _RESULTS}
    rows = [("key", key.encode()), ("plain", json.dumps(plain).encode())]
    rows += [(f"frame:{name}", _frame_bytes(frame)) for name, frame in frames.items()]
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(temporary)) as connection, connection:
            connection.execute("CREATE TABLE census (name TEXT PRIMARY KEY, data BLOB)")
            connection.executemany("INSERT INTO census VALUES (?, ?)", rows)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path, key: str) -> dict | None:
    """What the file keeps for ``key``; None when there is no file, it keeps another census,
    or it cannot be read (the census is then computed and the file replaced)."""
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = dict(connection.execute("SELECT name, data FROM census"))
        if rows.get("key") != key.encode():
            return None
        stored = {name.removeprefix("frame:"): _frame(data) for name, data in rows.items()
                  if name.startswith("frame:")}
        stored["plain"] = json.loads(rows["plain"])
    except (OSError, sqlite3.Error, KeyError, ValueError, pa.ArrowException) as error:
        log.warning("The census kept in %s is unreadable (%s): computed again.", path, error)
        return None
    return stored


def _frame_bytes(frame: pd.DataFrame | pd.Series) -> bytes:
    """A frame (or series) as an Arrow stream, with what Arrow does not keep exactly: the
    columns' labels, their dtype or range, the series' name."""
    is_series = isinstance(frame, pd.Series)
    labels = {"series": is_series, "name": frame.name if is_series else None}
    if is_series:
        frame = frame.to_frame("value")
    labels |= {"columns": frame.columns.tolist(), "dtype": str(frame.columns.dtype),
               "range": isinstance(frame.columns, pd.RangeIndex)}
    table = pa.Table.from_pandas(frame.set_axis(range(frame.shape[1]), axis=1)
                                 .rename(columns=str))  # a RangeIndex kept as one
    table = table.replace_schema_metadata({**table.schema.metadata,
                                           b"portrait": json.dumps(labels).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _frame(data: bytes) -> pd.DataFrame | pd.Series:
    table = pa.ipc.open_stream(data).read_all()
    labels = json.loads(table.schema.metadata[b"portrait"])
    frame = table.to_pandas(use_threads=False)  # small frames: waking Arrow's threads cost more
    frame.columns = pd.RangeIndex(len(labels["columns"])) if labels["range"] else \
        pd.Index(labels["columns"], dtype=labels["dtype"])
    return frame["value"].rename(labels["name"]) if labels["series"] else frame
