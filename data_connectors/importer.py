"""Applying imports to a workspace, all or nothing.

Every file is read first, into copies of the layers; the workspace changes only when every
file was read, and is then saved atomically. A failure or a cancel leaves it as it was.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from data_connectors.base import Connector, ImportReport, Progress, ReadContext
from data_connectors.file_checks import ensure_complete, read_errors
from data_connectors.input_limits import InputLimits, check_input_limits
from data_connectors.registry import KIND_ORDER, find_reader, get_reader
from portrait import clock, services
from portrait.categories import CategoryMapping
from portrait.crs import METRIC_CRS
from portrait.layers import (
    CATEGORY_MAPPINGS,
    CENSUS_AREAS,
    COLUMN_MAPPINGS,
    IMPORT_REPORTS,
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
) -> list[ImportReport]:
    """Import ``paths`` into ``workspace`` and return one report per file.

    Raises the first reader's error (a ``PortraitError`` with a message for the user) or
    ``CancelledError``; in both cases the workspace is left unchanged. ``check_complete``
    refuses files still being written; a caller that has just written them itself skips it.
    """
    plan = _plan([Path(p) for p in paths], reader_id)
    staged: dict[str, pd.DataFrame] = {}
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
            category_mapping=CategoryMapping.from_frame(workspace.layer(CATEGORY_MAPPINGS.name)),
            service_type_mapping=_service_type_mapping(workspace),
            column_mappings=_column_mappings(_current(workspace, staged, COLUMN_MAPPINGS.name)),
        )
        log.info("Importing %s with %s", path, reader.id)
        if check_complete:
            ensure_complete(path)
        check_input_limits(path, InputLimits.from_options(options))
        with read_errors(path):
            result = reader.read(path, context)
        result.report.imported_at = _now()
        for name, frame in result.layers.items():
            staged[name] = _merged(_current(workspace, staged, name), frame, name,
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
            "report_id": uuid.uuid4().hex,
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


def _now() -> str:
    return clock.utc_timestamp()
