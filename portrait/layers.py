"""The layers a workspace holds, and the columns each one must have.

This is the contract between the readers (``data_connectors``), the workspace file and the
analyses: a reader produces frames that ``conform`` to these specs, the workspace stores them
as they are, the analyses read them by these column names. Spatial layers are stored in the
metric CRS; a geometry may be missing (an incident with no usable location still counts).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from portrait.crs import METRIC_CRS
from portrait.errors import PortraitError

#: Column dtypes. "date" columns hold ``datetime64[ns]`` at midnight: the day is what sources give.
STRING = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "boolean"
DATETIME = "datetime64[ns]"

#: The column by which every row of an imported layer names the import that wrote it, so an
#: import can be listed and removed exactly. Rows of workspaces older than the column have none.
IMPORT_ID = "import_id"


@dataclass(frozen=True)
class LayerSpec:
    """A workspace layer: its name, geometry type (None for a plain table) and typed columns."""

    name: str
    geometry_type: str | None
    columns: dict[str, str]
    description: str
    required: tuple[str, ...] = field(default=())

    @property
    def is_spatial(self) -> bool:
        return self.geometry_type is not None


STATIONS = LayerSpec(
    "stations",
    "MultiPolygon",
    {"station_id": STRING, "name": STRING, IMPORT_ID: STRING},
    "Neighbourhood-station (PDQ) boundaries.",
    required=("station_id",),
)

INCIDENTS = LayerSpec(
    "incidents",
    "Point",
    {
        "source_id": STRING,
        "source": STRING,
        "source_category": STRING,
        "category": STRING,
        "date": DATETIME,
        "time": STRING,
        "time_known": BOOL,
        "shift": STRING,
        "station_id": STRING,
        "location_precision": STRING,
        "tags": STRING,
        IMPORT_ID: STRING,
    },
    "Reported incidents. Geometry is empty when the source gave no usable location; tags are "
    "the issue tags of the category (comma-separated); time_known is false when the source "
    "gave no clock time or one it writes for an unknown time (VPD 00:00).",
    required=("source_category", "date"),
)

CENSUS_AREAS = LayerSpec(
    "census_areas",
    "MultiPolygon",
    {"area_id": STRING, "name": STRING, "level": STRING, "census_year": INT, IMPORT_ID: STRING},
    "Census geographies (dissemination areas, local areas, boroughs).",
    required=("area_id",),
)

CENSUS_VALUES = LayerSpec(
    "census_values",
    None,
    {
        "area_id": STRING,
        "indicator_id": STRING,
        "value": FLOAT,
        "symbol": STRING,
        "census_year": INT,
        "source": STRING,
        IMPORT_ID: STRING,
        "level": STRING,
    },
    "One value per census area and indicator; symbol keeps Statistics Canada flags (x, .., F); "
    "level is 'city' for the source's own whole-city row, 'aggregate' for its other "
    "aggregates (they are neither the city nor one of its areas), empty otherwise.",
    required=("area_id", "indicator_id"),
)

INDICATOR_CATALOGUE = LayerSpec(
    "indicator_catalogue",
    None,
    {"id": STRING, "kind": STRING, "label_fr": STRING, "label_en": STRING,
     "definition_fr": STRING, "definition_en": STRING, "unit": STRING, "numerator": STRING,
     "denominator": STRING, "per": FLOAT, "direction": STRING, "small_areas": STRING,
     "suppress_below": FLOAT, "rounding": INT, "estimate": STRING, "aliases": STRING,
     "origin": STRING, "source": STRING, IMPORT_ID: STRING},
    "Indicators of imported catalogue files (docs/indicators.md), added to the built-in ones "
    "or replacing them by id (a later row wins); aliases are separated by '|'; origin is the "
    "catalogue file, source the census values imported with it.",
    required=("id", "kind", "label_fr", "label_en"),
)

SERVICES = LayerSpec(
    "services",
    "Point",
    {
        "service_id": STRING,
        "name": STRING,
        "service_type": STRING,
        "source_type": STRING,
        "address": STRING,
        "source": STRING,
        "located": BOOL,
        IMPORT_ID: STRING,
    },
    "Community services inventory; entries without coordinates are kept, not located.",
    required=("name",),
)

SURVEY_RESPONDENTS = LayerSpec(
    "survey_respondents",
    "Point",
    {
        "respondent_id": STRING,
        "survey_id": STRING,
        "date": DATETIME,
        "station_id": STRING,
        "area_code": STRING,
        "age_group": STRING,
        "sex": STRING,
        "weight": FLOAT,
        IMPORT_ID: STRING,
    },
    "One row per survey respondent; the point is only set when the export had coordinates.",
    required=("respondent_id",),
)

SURVEY_ANSWERS = LayerSpec(
    "survey_answers",
    None,
    {
        "respondent_id": STRING,
        "survey_id": STRING,
        "question_id": STRING,
        "answer": STRING,
        "answer_code": INT,
        IMPORT_ID: STRING,
    },
    "Answers in long form; answer_code is the Likert position (1 = most negative), "
    "empty for don't know / prefer not to answer, which stay in answer.",
    required=("respondent_id", "question_id"),
)

SURVEY_QUESTIONS = LayerSpec(
    "survey_questions",
    None,
    {"survey_id": STRING, "question_id": STRING, "text": STRING, "theme": STRING, "scale": STRING,
     IMPORT_ID: STRING},
    "Question wording, theme and answer scale.",
    required=("question_id",),
)

SURVEY_SCORES = LayerSpec(
    "survey_scores",
    None,
    {
        "survey_id": STRING,
        "area_id": STRING,
        "area_level": STRING,
        "period": STRING,
        "theme": STRING,
        "subgroup": STRING,
        "score": FLOAT,
        "n": INT,
        "source": STRING,
        #: The area as the source wrote it ("Rogers Park"; ``area_id`` is its joining key).
        "area_name": STRING,
        #: The station an area -> station table placed the area in, at import.
        "station_id": STRING,
        IMPORT_ID: STRING,
    },
    "Area-level survey results as published (one score per area, period, theme and subgroup).",
    required=("area_id", "theme"),
)

IMPORT_REPORTS = LayerSpec(
    "import_reports",
    None,
    {
        "report_id": STRING,
        "imported_at": STRING,
        "reader": STRING,
        "source_path": STRING,
        "layer": STRING,
        "rows_read": INT,
        "rows_kept": INT,
        "details": STRING,
    },
    "What each import read, kept and dropped, and why (details is JSON); report_id is the "
    "import's id, carried by its rows in import_id.",
    required=("report_id",),
)

RECORDS = LayerSpec(
    "records",
    "Geometry",
    {"record_id": STRING, "kind": STRING, "payload": STRING, "updated_at": STRING},
    "Problems, consultations, action-plan items and other records (payload is JSON).",
    required=("record_id", "kind"),
)

CATEGORY_MAPPINGS = LayerSpec(
    "category_mappings",
    None,
    {"source": STRING, "source_category": STRING, "category": STRING, "tags": STRING},
    "User edits of the incident category mapping: source category -> common category and "
    "issue tags (comma-separated). Rows here override the built-in table.",
    required=("source_category",),
)

SERVICE_TYPE_MAPPINGS = LayerSpec(
    "service_type_mappings",
    None,
    {"source_type": STRING, "service_type": STRING},
    "User edits of the service taxonomy mapping (source type -> common service type).",
    required=("source_type",),
)

COLUMN_MAPPINGS = LayerSpec(
    "column_mappings",
    None,
    {"source_key": STRING, "reader": STRING, "mapping": STRING, "updated_at": STRING},
    "Column mappings confirmed for a source (JSON), so the next import needs no questions.",
    required=("source_key", "mapping"),
)

CALLS = LayerSpec(
    "calls",
    "Point",
    {
        "call_id": STRING,
        "source": STRING,
        "received": DATETIME,
        "call_type": STRING,
        "call_type_label": STRING,
        "priority": STRING,
        "disposition": STRING,
        "area_code": STRING,
        "address": STRING,
        "station_id": STRING,
        "self_initiated": BOOL,
        "dispatched": DATETIME,
        "arrived": DATETIME,
        "cleared": DATETIME,
        "units": INT,
    },
    "Calls for service from a dispatch (CAD) export: received date and time, call type, "
    "priority, disposition, area code (beat, sector) and address as the source gives them. "
    "The point is set only when the export had coordinates; the address is for the station's "
    "own use and is never drawn in a partner output.",
    required=("call_type", "received"),
)

CALL_PATHWAYS = LayerSpec(
    "call_pathways",
    None,
    {"position": INT, "call_types": STRING, "dispositions": STRING, "priorities": STRING,
     "pathway": STRING, "alternative": STRING, "self_initiated": STRING,
     "reasoning_en": STRING, "reasoning_fr": STRING, "sources": STRING, "version": STRING},
    "The officer's response-pathway table for calls, replacing the built-in one (rules in "
    "order; version names the file it came from). Empty: the built-in table is used.",
    required=("call_types", "pathway"),
)

STREETS = LayerSpec(
    "streets",
    "MultiLineString",
    {"name": STRING, "class": STRING, "source": STRING, "attribution": STRING,
     IMPORT_ID: STRING},
    "The street base drawn under every map: one row per named street (its segments merged) "
    "and class (motorway, primary, secondary, tertiary, residential, service), clipped to the "
    "stations' extent and simplified; attribution is the credit every map drawing it prints "
    "(e.g. OpenStreetMap's ODbL notice).",
    required=("class",),
)

#: Records with a place, as plain columns QGIS can read (portrait.records.gis_layers); the
#: ``records`` layer's JSON payload stays the source, these follow it in the same save.
PROBLEM_PLACES = LayerSpec(
    "problem_places",
    "Geometry",
    {"record_id": STRING, "title": STRING, "status": STRING, "sara_stage": STRING,
     "category": STRING, "priority": INT, "place_kind": STRING, "place_label": STRING,
     "period_start": DATETIME, "period_end": DATETIME, "response_start": DATETIME,
     "created_at": STRING, "updated_at": STRING},
    "Problem cards with a place (copied from the records layer at each save): status, SARA "
    "stage, priority out of 100, kind of place (point, area, hot_spot_cell, census_area).",
    required=("record_id",),
)

ACTION_PLACES = LayerSpec(
    "action_places",
    "Geometry",
    {"record_id": STRING, "title": STRING, "status": STRING, "owner": STRING,
     "start": DATETIME, "end": DATETIME, "plan_priority": STRING, "problem_id": STRING,
     "problem_title": STRING, "place_kind": STRING, "updated_at": STRING},
    "Action-plan actions at the place of each problem they answer (one row per action and "
    "problem; copied from the records layer at each save).",
    required=("record_id", "problem_id"),
)

CONSULTATION_PLACES = LayerSpec(
    "consultation_places",
    "Geometry",
    {"record_id": STRING, "title": STRING, "date": DATETIME, "form": STRING,
     "confidentiality": STRING, "participant_count": INT, "problem_id": STRING,
     "problem_title": STRING, "place_kind": STRING, "updated_at": STRING},
    "Consultations at the place of each problem they concern (one row per consultation and "
    "problem; copied from the records layer at each save).",
    required=("record_id", "problem_id"),
)

ALL_LAYERS: tuple[LayerSpec, ...] = (
    STATIONS,
    INCIDENTS,
    CENSUS_AREAS,
    CENSUS_VALUES,
    INDICATOR_CATALOGUE,
    SERVICES,
    SURVEY_RESPONDENTS,
    SURVEY_ANSWERS,
    SURVEY_QUESTIONS,
    SURVEY_SCORES,
    IMPORT_REPORTS,
    RECORDS,
    CATEGORY_MAPPINGS,
    SERVICE_TYPE_MAPPINGS,
    COLUMN_MAPPINGS,
    CALLS,
    CALL_PATHWAYS,
    STREETS,
    PROBLEM_PLACES,
    ACTION_PLACES,
    CONSULTATION_PLACES,
)
#: The layers readers write, whose rows carry ``IMPORT_ID``.
IMPORTED_LAYERS: tuple[LayerSpec, ...] = tuple(
    spec for spec in ALL_LAYERS if IMPORT_ID in spec.columns)
LAYERS_BY_NAME: dict[str, LayerSpec] = {spec.name: spec for spec in ALL_LAYERS}


def spec_for(name: str) -> LayerSpec:
    """Return the spec of layer ``name``, with a clear error for an unknown name."""
    try:
        return LAYERS_BY_NAME[name]
    except KeyError:
        known = ", ".join(LAYERS_BY_NAME)
        raise PortraitError(f"Unknown workspace layer {name!r}; known layers: {known}.") from None


def empty_frame(spec: LayerSpec, crs: object = METRIC_CRS) -> pd.DataFrame:
    """An empty frame with the spec's columns and dtypes (a GeoDataFrame for spatial layers)."""
    data = {column: pd.Series(dtype=dtype) for column, dtype in spec.columns.items()}
    if spec.is_spatial:
        return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs))
    return pd.DataFrame(data)


def conform(frame: pd.DataFrame, spec: LayerSpec, crs: object = METRIC_CRS) -> pd.DataFrame:
    """Return ``frame`` with exactly the spec's columns, in order and with their dtypes.

    Missing optional columns are added empty; missing required columns are an error, since a
    reader that lost them has a bug. Spatial layers come back as GeoDataFrames in ``crs``
    (reprojected when they arrive in another CRS): readers hand over ``METRIC_CRS``, the
    workspace stores its own metric CRS.
    """
    if _already_conforms(frame, spec, crs):
        return frame
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise PortraitError(f"Layer {spec.name!r} is missing required column(s): {missing}.")
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column, dtype in spec.columns.items():
        if column in frame.columns:
            values = frame[column].reset_index(drop=True)
            out[column] = _as_dtype(values, dtype)
        else:
            out[column] = pd.Series(index=out.index, dtype=dtype)  # all missing
    if not spec.is_spatial:
        return out
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        geometry = frame.geometry.reset_index(drop=True)
        if geometry.crs is None:
            raise PortraitError(f"Layer {spec.name!r} has geometries but no CRS.")
        if geometry.crs != crs:
            geometry = geometry.to_crs(crs)
    else:
        geometry = gpd.GeoSeries([None] * len(out), crs=crs)
    return gpd.GeoDataFrame(out, geometry=geometry.values, crs=crs)


def _already_conforms(frame: pd.DataFrame, spec: LayerSpec, crs: object) -> bool:
    """Whether ``frame`` is already what ``conform`` would return: large layers pass through
    the importer and the workspace several times, and copying a million rows each time shows."""
    expected = list(spec.columns) + (["geometry"] if spec.is_spatial else [])
    if list(frame.columns) != expected or not isinstance(frame.index, pd.RangeIndex) \
            or frame.index.start != 0 or frame.index.step != 1:
        return False
    if any(str(frame[c].dtype) != _dtype_name(d) for c, d in spec.columns.items()):
        return False
    if not spec.is_spatial:
        return not isinstance(frame, gpd.GeoDataFrame)
    return (isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name == "geometry"
            and frame.crs == crs)


@functools.cache
def _dtype_name(dtype: str) -> str:
    """What pandas calls ``dtype`` (made once: a Series per column per check shows up in every
    record save)."""
    return str(pd.Series(dtype=dtype).dtype)


def _as_dtype(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == DATETIME:
        return pd.to_datetime(values).astype(DATETIME)
    if dtype == STRING:
        return values.astype("string")
    return values.astype(dtype)
