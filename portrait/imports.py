"""The imports a workspace holds, and removing one exactly.

Every import since import ids exist wrote its id into each of its rows (``IMPORT_ID``) and as
its report's ``report_id``, so removing it takes exactly those rows and that report. Rows of
older workspaces carry no id: the reports of one layer written before ids existed, with that
layer's rows that carry none, form one *legacy* import, listed under each of those reports
and removed as a whole (the rows cannot be told apart).

Removal is atomic: the layers change in memory and the workspace is saved once (an atomic
save), or nothing changes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
import shapely

from portrait import workspace_query
from portrait.errors import PortraitError
from portrait.layers import (
    CENSUS_AREAS,
    CENSUS_VALUES,
    IMPORT_ID,
    IMPORT_REPORTS,
    IMPORTED_LAYERS,
    INCIDENTS,
    RECORDS,
    STATIONS,
    SURVEY_ANSWERS,
    SURVEY_RESPONDENTS,
    SURVEY_SCORES,
)
from portrait.workspace import Workspace

#: Rows of other layers that refer to rows of a layer by a key: (layer, key, referring layers).
REFERENCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (STATIONS.name, "station_id", (INCIDENTS.name, SURVEY_RESPONDENTS.name)),
    (CENSUS_AREAS.name, "area_id", (CENSUS_VALUES.name, SURVEY_SCORES.name)),
    (SURVEY_RESPONDENTS.name, "respondent_id", (SURVEY_ANSWERS.name,)),
)


@dataclass(frozen=True)
class ImportEntry:
    """One import as listed: where it came from, when, and what it kept."""

    import_id: str
    source_path: str
    reader: str
    layer: str
    imported_at: str
    rows_read: int
    rows_kept: int
    flagged: int
    dropped: int
    #: Rows of this import still in the workspace (0 once a re-import replaced them).
    rows_present: int
    #: Written before import ids: removed together with the layer's other legacy imports.
    legacy: bool
    #: The report's details (``ImportReport.to_dict()``).
    details: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("details")
        return data


@dataclass(frozen=True)
class Removal:
    """What removing an import took away, and what referred to it."""

    removed: tuple[ImportEntry, ...]
    #: Rows removed, by layer.
    rows: dict[str, int]
    #: Rows left in other layers that referred to removed rows (by station, area or
    #: respondent id), by layer: they stay, but no longer match anything. Under ``records``:
    #: records (problems, priorities) placed in removed stations and in no remaining one.
    dependents: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"removed": [entry.to_dict() for entry in self.removed], "rows": self.rows,
                "dependents": self.dependents}


def list_imports(workspace: Workspace) -> list[ImportEntry]:
    """Every import of the workspace, oldest first."""
    present = _rows_by_import(workspace)
    entries = []
    for row in workspace.layer(IMPORT_REPORTS.name).itertuples(index=False):
        details = _details(row.details)
        legacy = not details.get("import_id")
        import_id = str(row.report_id)
        entries.append(ImportEntry(
            import_id=import_id, source_path=str(row.source_path or ""),
            reader=str(row.reader or ""), layer=str(row.layer or ""),
            imported_at=str(row.imported_at or ""), rows_read=_int(row.rows_read),
            rows_kept=_int(row.rows_kept),
            flagged=sum(int(v) for v in details.get("flagged", {}).values()),
            dropped=sum(int(v) for v in details.get("dropped", {}).values()),
            rows_present=present.get((str(row.layer), None) if legacy else import_id, 0),
            legacy=legacy, details=details))
    return sorted(entries, key=lambda entry: entry.imported_at)


def find_import(workspace: Workspace, import_id: str) -> ImportEntry:
    """The import whose id is ``import_id`` or starts with it (when only one does)."""
    entries = list_imports(workspace)
    exact = [e for e in entries if e.import_id == import_id]
    matches = exact or [e for e in entries if import_id and e.import_id.startswith(import_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise PortraitError(f"No import has the id {import_id!r} in {workspace.title}; the "
                            "list of imports gives their ids.")
    raise PortraitError(f"Several imports have an id starting with {import_id!r}: "
                        f"{', '.join(e.import_id for e in matches)}. Give more of the id.")


def remove_import(workspace: Workspace, import_id: str, save: bool = True) -> Removal:
    """Remove import ``import_id``'s rows and report, and save once (or change nothing).

    A legacy import (see the module's docstring) is removed with the other legacy reports
    of its layer and that layer's rows without an id.
    """
    entry = find_import(workspace, import_id)
    if entry.legacy:
        group = [e for e in list_imports(workspace) if e.legacy and e.layer == entry.layer]
        layers = [entry.layer] if entry.layer in {s.name for s in IMPORTED_LAYERS} else []
        masks = {name: workspace.layer(name)[IMPORT_ID].isna().to_numpy(dtype=bool)
                 for name in layers}
    else:
        group = [entry]
        masks = {spec.name: (workspace.layer(spec.name)[IMPORT_ID] == entry.import_id)
                 .fillna(False).to_numpy(dtype=bool) for spec in IMPORTED_LAYERS}
    masks = {name: mask for name, mask in masks.items() if mask.any()}
    removed_frames = {name: workspace.layer(name).loc[mask] for name, mask in masks.items()}
    kept_frames = {name: workspace.layer(name).loc[~mask].reset_index(drop=True)
                   for name, mask in masks.items()}
    reports = workspace.layer(IMPORT_REPORTS.name)
    ids = {e.import_id for e in group}
    kept_reports = reports.loc[~reports["report_id"].isin(ids).to_numpy(dtype=bool)]
    dependents = _dependents(workspace, removed_frames, kept_frames)
    for name, frame in kept_frames.items():
        workspace.set_layer(name, frame)
    workspace.set_layer(IMPORT_REPORTS.name, kept_reports.reset_index(drop=True))
    if save:
        workspace.save()
        workspace_query.refresh(workspace)  # the city's counts without the removed rows
    return Removal(tuple(group), {name: int(mask.sum()) for name, mask in masks.items()},
                   dependents)


def _dependents(workspace: Workspace, removed: dict[str, pd.DataFrame],
                kept: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Rows outside the removal that refer to a key only removed rows had."""
    counts: dict[str, int] = {}
    for layer, key, referring in REFERENCES:
        if layer not in removed:
            continue
        gone = set(removed[layer][key].dropna().astype(str)) - set(
            kept[layer][key].dropna().astype(str))
        for other in referring:
            frame = kept.get(other, workspace.layer(other))
            count = int(frame[key].astype("string").isin(gone).fillna(False).sum())
            if count:
                counts[other] = counts.get(other, 0) + count
    if STATIONS.name in removed:
        stranded = _records_outside(workspace.layer(RECORDS.name), removed[STATIONS.name],
                                    kept[STATIONS.name])
        if stranded:
            counts[RECORDS.name] = stranded
    return counts


def _records_outside(records: pd.DataFrame, removed: pd.DataFrame, kept: pd.DataFrame) -> int:
    """Records placed in the removed stations and in none of those kept: a station's brief
    picks its records by place (``portrait.records.station_scope``), so these would be in
    no brief."""
    if not len(records):
        return 0
    places = records.geometry[records.geometry.notna() & ~records.geometry.is_empty]
    in_removed = places.intersects(shapely.union_all(removed.geometry.to_numpy()))
    if len(kept):
        in_removed &= ~places.intersects(shapely.union_all(kept.geometry.to_numpy()))
    return int(in_removed.sum())


def _rows_by_import(workspace: Workspace) -> dict[object, int]:
    """Rows per import id, and per (layer, None) for rows without one."""
    counts: dict[object, int] = {}
    for spec in IMPORTED_LAYERS:
        ids = workspace.layer(spec.name)[IMPORT_ID]
        for import_id, count in ids.value_counts().items():
            counts[str(import_id)] = counts.get(str(import_id), 0) + int(count)
        missing = int(ids.isna().sum())
        if missing:
            counts[(spec.name, None)] = missing
    return counts


def _details(text: object) -> dict[str, Any]:
    try:
        data = json.loads(text) if isinstance(text, str) else {}
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: object) -> int:
    return 0 if pd.isna(value) else int(value)
