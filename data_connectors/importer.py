"""Applying imports to a workspace, all or nothing.

Every file is read first, into copies of the layers; the workspace changes only when every
file was read, and is then saved atomically. A failure or a cancel leaves it as it was, and so
does a refusal (``data_connectors.import_safety``): an import that would keep no row, replace a
source's rows by far fewer, or put rows outside every station waits for the user's confirmation.

Each file read is one import with its own id, carried by every row it writes (``IMPORT_ID``)
and by its report (``report_id``), so that ``portrait.imports`` can list and remove it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from data_connectors import catalogue_import
from data_connectors.base import Connector, ImportReport, Progress, ReadContext
from data_connectors.category_files import merged_category_rows
from data_connectors.column_mapping import OPTION as MAPPING_OPTION
from data_connectors.column_mapping import refuse_mapping
from data_connectors.file_checks import ensure_complete, read_errors
from data_connectors.import_safety import check_inside_stations, check_rows_kept
from data_connectors.input_limits import OPTION as LIMITS_OPTION
from data_connectors.input_limits import InputLimits, check_input_limits
from data_connectors.registry import KIND_ORDER, find_reader, get_reader
from portrait import clock, services, workspace_query
from portrait.categories import CategoryMapping
from portrait.crs import METRIC_CRS
from portrait.layers import (
    CATEGORY_MAPPINGS,
    CENSUS_AREAS,
    COLUMN_MAPPINGS,
    IMPORT_ID,
    IMPORT_REPORTS,
    IMPORTED_LAYERS,
    INDICATOR_CATALOGUE,
    SERVICE_TYPE_MAPPINGS,
    STATIONS,
    conform,
    spec_for,
)
from portrait.workspace import Workspace

log = logging.getLogger(__name__)


def import_files(
    workspace: Workspace,
    paths: Sequence[Path],
    reader_id: str | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] = lambda: False,
    save: bool = True,
    check_complete: bool = True,
    *,
    replace_anyway: bool = False,
    allow_outside: bool = False,
    replaces: str | None = None,
    categories: pd.DataFrame | None = None,
) -> list[ImportReport]:
    """Import ``paths`` into ``workspace`` and return one report per file.

    Raises the first reader's error (a ``PortraitError`` with a message for the user),
    ``ImportRefused`` or ``CancelledError``; in every case the workspace is left unchanged.
    ``replace_anyway`` and ``allow_outside`` confirm what ``ImportRefused`` asked about.
    ``replaces`` is the id of an earlier import the new file supersedes (a newer file of the
    same source): its rows and report go, as part of the same change. ``categories`` are
    ``category_mappings`` rows (``category_files``) that apply to these files and are stored
    with them, as the app stores its edits. ``check_complete``
    refuses files still being written; a caller that has just written them itself skips it.
    """
    plan = _plan([Path(p) for p in paths], reader_id)
    staged: dict[str, pd.DataFrame] = {}
    if replaces is not None:
        _stage_without(workspace, staged, replaces)
    if categories is not None:
        staged[CATEGORY_MAPPINGS.name] = merged_category_rows(
            workspace.layer(CATEGORY_MAPPINGS.name), categories)
    reports: list[ImportReport] = []
    for index, (path, reader) in enumerate(plan):
        # Readers work in METRIC_CRS; the workspace may store another metric CRS.
        stations = _current(workspace, staged, STATIONS.name).to_crs(METRIC_CRS)
        context = ReadContext(
            progress=_scaled(progress, index, len(plan), path),
            is_cancelled=is_cancelled,
            options=dict(options or {}),
            known_area_ids=_area_ids(_current(workspace, staged, CENSUS_AREAS.name)),
            station_bounds=_bounds(stations),
            stations=stations,
            category_mapping=CategoryMapping.from_frame(
                _current(workspace, staged, CATEGORY_MAPPINGS.name)),
            service_type_mapping=_service_type_mapping(workspace),
            column_mappings=_column_mappings(_current(workspace, staged, COLUMN_MAPPINGS.name)),
            allow_outside=allow_outside,
            indicator_catalogue=_current(workspace, staged, INDICATOR_CATALOGUE.name),
        )
        entries = catalogue_import.given_entries(path, reader, context.options,
                                                 context.indicator_catalogue)
        log.info("Importing %s with %s", path, reader.id)
        if context.options.get(MAPPING_OPTION) and not reader.fields:
            raise refuse_mapping(path, reader.id, reader.label)
        if check_complete:
            ensure_complete(path)
        check_input_limits(path, InputLimits.from_options(options))
        with read_errors(path):
            result = reader.read(path, context)
        catalogue_import.attach(result, entries)
        result.report.imported_at = _now()
        result.report.options = _recorded(context.options)
        result.report.import_id = _new_id()
        if not allow_outside:
            for name, frame in result.layers.items():
                check_inside_stations(path, name, frame, stations)
        if not replace_anyway:
            layer = result.report.layer if result.report.layer in result.layers \
                else next(iter(result.layers))
            check_rows_kept(path, result.report, len(result.layers[layer]),
                            _replaced(_current(workspace, staged, layer), result.replace_key)
                            + _replaced_earlier(workspace, layer, replaces))
        for name, frame in result.layers.items():
            staged[name] = _merged(_current(workspace, staged, name),
                                   _with_id(frame, result.report.import_id), name,
                                   result.replace_key, workspace.crs)
        if result.column_mapping is not None:
            staged[COLUMN_MAPPINGS.name] = _remember_mapping(
                _current(workspace, staged, COLUMN_MAPPINGS.name), reader.id,
                *result.column_mapping)
        reports.append(result.report)
    staged[IMPORT_REPORTS.name] = pd.concat(
        [_current(workspace, staged, IMPORT_REPORTS.name), _report_rows(reports)],
        ignore_index=True,
    )
    for name, frame in staged.items():
        workspace.set_layer(name, frame)
    if save:
        workspace.save()
        workspace_query.refresh(workspace)  # one station's portrait then reads its own rows
    return reports


def _plan(paths: list[Path], reader_id: str | None) -> list[tuple[Path, Connector]]:
    chosen = [(p, get_reader(reader_id) if reader_id else find_reader(p)) for p in paths]
    return sorted(chosen, key=lambda item: KIND_ORDER.index(item[1].kind))


def _current(workspace: Workspace, staged: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return staged[name] if name in staged else workspace.layer(name)


def _merged(existing: pd.DataFrame, new: pd.DataFrame, name: str,
            replace_key: tuple[str, str] | None, crs: str) -> pd.DataFrame:
    """``new`` in place of the rows it supersedes (same source), or of the whole layer."""
    spec = spec_for(name)
    new = conform(new, spec, crs)
    if replace_key is None or len(existing) == 0:
        return new
    column, value = replace_key
    kept = existing.loc[existing[column].fillna("") != value]
    return conform(pd.concat([kept, new], ignore_index=True), spec, crs)


def _replaced(existing: pd.DataFrame, replace_key: tuple[str, str] | None) -> int:
    """How many rows of ``existing`` the new ones supersede (see ``_merged``)."""
    if replace_key is None:
        return len(existing)
    column, value = replace_key
    return int((existing[column].fillna("") == value).sum())


def _replaced_earlier(workspace: Workspace, layer: str, replaces: str | None) -> int:
    """Rows of ``layer`` the superseded import ``replaces`` held (already staged out)."""
    if replaces is None or IMPORT_ID not in spec_for(layer).columns:
        return 0
    return int((workspace.layer(layer)[IMPORT_ID] == replaces).sum())


def _stage_without(workspace: Workspace, staged: dict[str, pd.DataFrame], import_id: str) -> None:
    """Stage every layer and the reports without the rows of import ``import_id``."""
    for spec in IMPORTED_LAYERS:
        frame = workspace.layer(spec.name)
        mine = (frame[IMPORT_ID] == import_id).fillna(False).to_numpy(dtype=bool)
        if mine.any():
            staged[spec.name] = frame.loc[~mine].reset_index(drop=True)
    reports = workspace.layer(IMPORT_REPORTS.name)
    staged[IMPORT_REPORTS.name] = reports.loc[
        (reports["report_id"] != import_id).fillna(True).to_numpy(dtype=bool)
    ].reset_index(drop=True)


def _with_id(frame: pd.DataFrame, import_id: str) -> pd.DataFrame:
    """``frame`` with every row naming its import (the column is replaced in place, so a
    conformed frame stays conformed)."""
    return frame.assign(**{IMPORT_ID: pd.Series(import_id, index=frame.index, dtype="string")})


def _service_type_mapping(workspace: Workspace) -> dict[str, str]:
    edits = workspace.layer(SERVICE_TYPE_MAPPINGS.name)
    mapping = dict(services.DEFAULT_MAPPING)
    mapping.update({services.fold(str(row.source_type)): str(row.service_type)
                    for row in edits.itertuples(index=False) if not pd.isna(row.service_type)})
    return mapping


def _column_mappings(saved: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(row.source_key): json.loads(row.mapping) for row in saved.itertuples(index=False)}


def _remember_mapping(saved: pd.DataFrame, reader_id: str, source_key: str,
                      mapping: dict[str, Any]) -> pd.DataFrame:
    kept = saved.loc[saved["source_key"] != source_key]
    row = pd.DataFrame([{"source_key": source_key, "reader": reader_id,
                         "mapping": json.dumps(mapping, ensure_ascii=False, sort_keys=True),
                         "updated_at": _now()}])
    return pd.concat([kept, row], ignore_index=True)


def _recorded(options: dict[str, Any]) -> dict[str, Any]:
    """The options a recipe needs to repeat the import: the input limits are the machine's
    business, not the source's."""
    return {key: value for key, value in options.items()
            if key != LIMITS_OPTION and value is not None}


def _area_ids(areas: pd.DataFrame) -> frozenset[str]:
    return frozenset(areas["area_id"].dropna().astype(str)) if len(areas) else frozenset()


def _bounds(stations: pd.DataFrame) -> tuple[float, float, float, float] | None:
    if not len(stations):
        return None
    minx, miny, maxx, maxy = stations.total_bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def _report_rows(reports: list[ImportReport]) -> pd.DataFrame:
    return pd.DataFrame([
        {
            "report_id": report.import_id,
            "imported_at": report.imported_at,
            "reader": report.reader,
            "source_path": report.source_path,
            "layer": report.layer,
            "rows_read": report.rows_read,
            "rows_kept": report.rows_kept,
            "details": json.dumps(report.to_dict(), ensure_ascii=False),
        }
        for report in reports
    ])


def _scaled(progress: Progress | None, index: int, count: int, path: Path) -> Progress | None:
    if progress is None:
        return None

    def report(fraction: float, message: str) -> None:
        progress((index + fraction) / count, f"{path.name}: {message}")

    return report


def _new_id() -> str:
    """Twelve hex digits: unique enough for a workspace's imports, short enough to type."""
    return uuid.uuid4().hex[:12]


def _now() -> str:
    return clock.utc_timestamp()
