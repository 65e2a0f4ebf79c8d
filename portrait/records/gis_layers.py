"""Problems, actions and consultations with a place, as layers QGIS reads.

The ``records`` layer keeps each record as JSON, which a GIS cannot style or filter. These
three layers repeat what an analyst wants on a map in plain columns (title, status,
priority, dates, kind of place) with the place as geometry: a problem's own location (or
its target area), and for actions and consultations the place of each problem they are tied
to, one row per record and problem. They are rebuilt from the records every time the
records are saved (``RecordStore.save``), so they are written in the same transaction as
the payloads they come from; the payload stays the source and nothing reads these back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import pandas as pd

from portrait.layers import (
    ACTION_PLACES,
    CONSULTATION_PLACES,
    DATETIME,
    PROBLEM_PLACES,
    LayerSpec,
    conform,
)
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.consultations import Consultation
from portrait.records.problems import ProblemCard

#: Rows (and layers) already built, by key, with the objects they were built from.
RowCache = dict[tuple[str, ...], tuple[tuple[object, ...], Any]]


def place_layers(problems: list[ProblemCard], actions: list[Action],
                 priorities: list[ActionPriority], consultations: list[Consultation],
                 crs: object, cache: RowCache | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The three layers, by name, for records given oldest first.

    ``cache`` (kept by the caller between saves) holds the rows and layers built last time:
    records are immutable, so a row whose records are the same objects is reused, and a
    layer whose rows are all reused is the same frame as last time.
    """
    cache = {} if cache is None else cache
    placed = [p for p in problems if p.map_geometry() is not None]
    plan = {p.record_id: p for p in priorities}
    action_rows, consultation_rows = [], []
    for problem in placed:
        tied = {p.record_id for p in priorities if problem.record_id in p.problem_ids}
        for action in actions:
            if action.record_id in problem.action_ids or action.priority_id in tied:
                action_rows.append(_cached(cache, _action_row, action, problem,
                                           plan.get(action.priority_id)))
        cited = {s.reference for s in problem.concern.sources if s.kind == "consultation"}
        for consultation in consultations:
            if (consultation.record_id in problem.consultation_ids
                    or consultation.record_id in cited
                    or problem.record_id in consultation.problem_ids):
                consultation_rows.append(_cached(cache, _consultation_row, consultation,
                                                 problem))
    problem_rows = [_cached(cache, _problem_row, p) for p in placed]
    return {spec.name: _cached_frame(cache, spec, rows, crs) for spec, rows in (
        (PROBLEM_PLACES, problem_rows), (ACTION_PLACES, action_rows),
        (CONSULTATION_PLACES, consultation_rows))}


def _cached(cache: RowCache, build, *sources) -> dict:
    key = (build.__name__, *(getattr(s, "record_id", "") for s in sources))
    found = cache.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], sources, strict=True)):
        found = cache[key] = (sources, build(*sources))
    return found[1]


def _cached_frame(cache: RowCache, spec: LayerSpec, rows: list[dict],
                  crs: object) -> gpd.GeoDataFrame:
    key = ("layer", spec.name)
    found = cache.get(key)
    if found is None or len(found[0]) != len(rows) or any(
            a is not b for a, b in zip(found[0], rows, strict=True)):
        found = cache[key] = (tuple(rows), _frame(spec, rows, crs))
    return found[1]


def _problem_row(problem: ProblemCard) -> dict:
    location = problem.location
    return {"record_id": problem.record_id, "title": problem.title, "status": problem.status,
            "sara_stage": problem.sara_stage, "category": problem.category,
            "priority": problem.priority().out_of_100, "place_kind": _place_kind(problem),
            "place_label": location.label if location is not None else "",
            "period_start": _day(problem.period_start), "period_end": _day(problem.period_end),
            "response_start": _day(problem.response_start),
            "created_at": problem.created_at, "updated_at": problem.updated_at,
            "geometry": problem.map_geometry()}


def _action_row(action: Action, problem: ProblemCard, priority: ActionPriority | None) -> dict:
    return {"record_id": action.record_id, "title": action.title,
            "status": action.latest_status, "owner": action.owner,
            "start": _day(action.start), "end": _day(action.end),
            "plan_priority": priority.title if priority is not None else "",
            **_at_problem(problem), "updated_at": action.updated_at}


def _consultation_row(consultation: Consultation, problem: ProblemCard) -> dict:
    return {"record_id": consultation.record_id, "title": consultation.display_name,
            "date": _day(consultation.date), "form": consultation.form,
            "confidentiality": consultation.confidentiality,
            "participant_count": consultation.participant_count, **_at_problem(problem),
            "updated_at": consultation.updated_at}


def _at_problem(problem: ProblemCard) -> dict:
    return {"problem_id": problem.record_id, "problem_title": problem.title,
            "place_kind": _place_kind(problem), "geometry": problem.map_geometry()}


def _place_kind(problem: ProblemCard) -> str:
    return problem.location.kind if problem.location is not None else "target_area"


def _day(value: dt.date | None) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value is not None else None


def _frame(spec: LayerSpec, rows: list[dict], crs: object) -> gpd.GeoDataFrame:
    """Columns made with the spec's dtypes, so ``conform`` has nothing left to do."""
    columns = {c: pd.Series([row[c] for row in rows], dtype=d if d != DATETIME else object)
               for c, d in spec.columns.items()}
    data = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    geometry = gpd.GeoSeries([row["geometry"] for row in rows], crs=crs)
    return conform(gpd.GeoDataFrame(data, geometry=geometry.values, crs=crs), spec, crs)
