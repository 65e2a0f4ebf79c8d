"""What the station map draws from a portrait, and the figures of a feature clicked on it.

The map draws the hot-spot cells the portrait found (``crime_places``: Gi* bins, computed once
by ``portrait.statistics.hotspots``, never again here), the survey results published by area
when the workspace has any, and on internal maps only the locations of the officers' problem
cards (they name places and people's worries: never on a map shared with partners); it
narrows incidents to the categories and issue tags the officer chose. A click on a census
area or a hot-spot cell asks ``feature_figures`` for the numbers behind it, read from the same
portrait, so the side panel and the map always agree.

Kept apart from ``exports.web_map`` so that module stays about drawing the base layers; the
helpers for GeoJSON and legends come from ``exports.map_layer_parts``, which both use, and
``exports.web_map`` imports this module, never the other way round.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from exports.map_classes import YLGNBU, quantile_classes
from exports.map_layer_parts import (
    BIND_TEXT,
    SERVICE_MARGIN_M,
    DrawnLayer,
    MapOptions,
    areas_over,
    classes_legend,
    dot,
    escape,
    feature_collection,
    keyed_legend,
    legend_row,
    legend_section,
    simplified,
    swatch,
)
from exports.map_text import format_count
from portrait.categories import BY_ID, CATEGORIES, ISSUE_TAGS
from portrait.portrait_model import IndicatorValue, Portrait, Section
from portrait.records.problems import SARA_LABELS, ProblemCard
from portrait.records.store import RecordStore
from portrait.services import service_type_label
from portrait.surveys import ALL_RESPONDENTS
from portrait.workspace import Workspace
from portrait.workspace_query import current_store

log = logging.getLogger(__name__)

HOT_SPOT_OPACITY = 0.55
#: Gi* bins (hot at FDR q 0.01/0.05/0.10, then cold), from red to blue (ColorBrewer RdBu).
HOT_SPOT_COLOURS = {3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7",
                    -1: "#d1e5f0", -2: "#67a9cf", -3: "#2166ac"}
SURVEY_OPACITY = 0.7
#: Subgroup values meaning "every respondent" in published survey scores.
PROBLEM_COLOUR = "#6a3d9a"
PROBLEM_OPACITY = 0.25

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "hot_spots_layer": "Points chauds (Gi*)",
        "hot_spots_legend": "Points chauds et froids (Gi*, carrés de {size} m)",
        "bin_3": "Point chaud, q FDR ≤ 0,01", "bin_2": "Point chaud, q FDR ≤ 0,05",
        "bin_1": "Point chaud, q FDR ≤ 0,10", "bin_-1": "Point froid, q FDR ≤ 0,10",
        "bin_-2": "Point froid, q FDR ≤ 0,05", "bin_-3": "Point froid, q FDR ≤ 0,01",
        "cell_tip": "{bin} — {count} incident(s)",
        "survey_layer": "Sondage par secteur : {theme}",
        "survey_tip": "{theme} : {score} (n = {n})",
        "survey_tip_no_n": "{theme} : {score} (nombre de répondants non publié)",
        "filter": "Filtre : {labels}",
        "census_area_title": "Aire {name}",
        "hot_spot_title": "Cellule {cell} ({size} m de côté)",
        "survey_area_title": "Sondage — aire {name}",
        "cell_count": "Incidents dans la cellule", "cell_z": "Score z (Gi*)",
        "cell_p": "Valeur p ajustée (FDR)", "cell_bin": "Classement",
        "share_in_station": "Part de l'aire dans le poste",
        "population_in_station": "Population de l'aire comptée dans le poste",
        "problems_layer": "Fiches problèmes",
        "problems_legend": "Lieux des fiches problèmes ({count})",
        "problem_stage": "Étape SARA : {stage}",
        "service_type": "Type de service", "service_address": "Adresse",
        "problem_sara": "Étape SARA", "problem_category": "Catégorie",
        "problem_priority": "Priorité (sur 100)",
    },
    "en": {
        "hot_spots_layer": "Hot spots (Gi*)",
        "hot_spots_legend": "Hot and cold spots (Gi*, {size} m squares)",
        "bin_3": "Hot spot, FDR q ≤ 0.01", "bin_2": "Hot spot, FDR q ≤ 0.05",
        "bin_1": "Hot spot, FDR q ≤ 0.10", "bin_-1": "Cold spot, FDR q ≤ 0.10",
        "bin_-2": "Cold spot, FDR q ≤ 0.05", "bin_-3": "Cold spot, FDR q ≤ 0.01",
        "cell_tip": "{bin} — {count} incident(s)",
        "survey_layer": "Survey by area: {theme}",
        "survey_tip": "{theme}: {score} (n = {n})",
        "survey_tip_no_n": "{theme}: {score} (number of respondents not published)",
        "filter": "Filter: {labels}",
        "census_area_title": "Area {name}",
        "hot_spot_title": "Cell {cell} ({size} m across)",
        "survey_area_title": "Survey — area {name}",
        "cell_count": "Incidents in the cell", "cell_z": "z-score (Gi*)",
        "cell_p": "Adjusted p-value (FDR)", "cell_bin": "Class",
        "share_in_station": "Share of the area in the station",
        "population_in_station": "Population of the area counted in the station",
        "problems_layer": "Problem cards",
        "problems_legend": "Problem card locations ({count})",
        "problem_stage": "SARA stage: {stage}",
        "service_type": "Service type", "service_address": "Address",
        "problem_sara": "SARA stage", "problem_category": "Category",
        "problem_priority": "Priority (out of 100)",
    },
}


#: Definitions of the figures made here for a clicked feature (French, English).
DEFINITIONS: dict[str, tuple[str, str]] = {
    "share_in_station": ("Part de la superficie de l'aire de recensement située dans le poste.",
                         "Share of the census area's surface lying in the station."),
    "population_in_station": (
        "Population de l'aire multipliée par la part de sa superficie dans le poste.",
        "The area's population times the share of its surface in the station."),
    "cell_bin": ("Classement Gi* de Getis-Ord : la cellule et ses voisines (bande de distance) "
                 "comptent plus (point chaud) ou moins (point froid) d'incidents que "
                 "l'ensemble du poste ; q est le taux de fausses découvertes admis "
                 "(Benjamini-Hochberg sur toutes les cellules testées).",
                 "Getis-Ord Gi* class: the cell and its neighbours (distance band) have more "
                 "(hot spot) or fewer (cold spot) incidents than the station as a whole; q is "
                 "the false discovery rate allowed (Benjamini-Hochberg over all tested "
                 "cells)."),
    "cell_count": ("Incidents localisés dans la cellule pendant la période du portrait, y "
                   "compris ceux juste au-delà de la limite du poste.",
                   "Located incidents in the cell during the portrait's period, those just "
                   "beyond the station's boundary included."),
    "cell_z": ("Écart entre le compte local (cellule et voisines) et le compte attendu, en "
               "écarts-types.", "Gap between the local count (cell and neighbours) and the "
               "expected count, in standard deviations."),
    "cell_p": ("Probabilité d'un tel écart par hasard, corrigée pour les tests multiples "
               "(taux de fausses découvertes, Benjamini-Hochberg).",
               "Chance of such a gap at random, corrected for multiple testing (false "
               "discovery rate, Benjamini-Hochberg)."),
}


def words(key: str, language: str, **values: object) -> str:
    return WORDS.get(language, WORDS["fr"])[key].format(**values)


@dataclass(frozen=True)
class FeatureFigures:
    """The numbers of one clicked map feature, as portrait figures (labels in both
    languages, units, definitions), ready for the same formatting as the portrait's cards."""

    kind: str
    id: str
    title_fr: str
    title_en: str
    figures: list[IndicatorValue] = field(default_factory=list)


# --- incident filters ------------------------------------------------------------------------
def filter_incidents(located: gpd.GeoDataFrame, options: MapOptions) -> gpd.GeoDataFrame:
    """Only the incidents of the chosen categories and carrying one of the chosen tags."""
    if options.categories is not None:  # an empty choice shows no incident
        located = located[located["category"].isin(options.categories).fillna(False)]
    if options.tags and len(located):
        tags = located["tags"].fillna("").astype(str).str.split(",")
        wanted = set(options.tags)
        located = located[tags.map(lambda found: bool(wanted.intersection(found))).to_numpy()]
    return located


def incident_filter_choices(workspace: Workspace | None) -> tuple[list[str], list[str]]:
    """The categories and issue tags the workspace's incidents carry, in
    ``portrait.categories``' order (unknown ones after, sorted). Read from the derived
    station file's list of the values found when it is current (the window asks on every
    map, and reading ten million incidents to list twenty categories would hold the first
    one back), else as distinct values of the layer: a million rows take milliseconds."""
    store = current_store(workspace) if workspace is not None else None
    if store is not None:
        found = store.meta["incidents"]["stored_text"]
        present = set(found["stored_category"])
        texts = found["stored_tags"]
    else:
        incidents = workspace.layer("incidents") if workspace is not None else pd.DataFrame()
        present = set(incidents["category"].dropna().astype(str).unique()) \
            if "category" in incidents.columns else set()
        texts = incidents["tags"].dropna().astype(str).unique() \
            if "tags" in incidents.columns else []
    known = [c.id for c in CATEGORIES if c.id in present]
    tags_found: set[str] = set()
    for text in texts:
        tags_found.update(t.strip() for t in text.split(",") if t.strip())
    return (known + sorted(present - set(known)),
            [t for t in ISSUE_TAGS if t in tags_found] + sorted(tags_found - set(ISSUE_TAGS)))


def filter_note(options: MapOptions) -> str | None:
    """"Filtre : Méfait · Violence" under the incidents' legend, or None without a filter."""
    language = options.language
    labels = [BY_ID[c].label(language) if c in BY_ID else c for c in options.categories or ()]
    labels += [ISSUE_TAGS[t][0 if language == "fr" else 1] if t in ISSUE_TAGS else t
               for t in options.tags or ()]
    return words("filter", language, labels=" · ".join(labels)) if labels else None


# --- layers ----------------------------------------------------------------------------------
def portrait_layers(workspace: Workspace, station: shapely.Geometry, options: MapOptions,
                    portrait: Portrait | None) -> dict[str, DrawnLayer]:
    """The extra layers by key (``hot_spots``, ``survey_areas``, ``problems``), only those
    with something to draw, so an empty layer never clutters the layer control."""
    layers: dict[str, DrawnLayer] = {}
    if portrait is not None and portrait.station_id == options.station_id:
        hot = _hot_spot_layer(portrait, options)
        if hot is not None:
            layers["hot_spots"] = hot
    survey = _survey_layer(workspace, station, options)
    if survey is not None:
        layers["survey_areas"] = survey
    if options.audience == "internal":
        problems = _problems_layer(workspace, station, options)
        if problems is not None:
            layers["problems"] = problems
    return layers


def hot_spot_cells(portrait: Portrait) -> tuple[gpd.GeoDataFrame, float] | None:
    """The significant Gi* cells of the portrait (squares in the workspace CRS) and their
    side in metres; None when the portrait found none."""
    section = _section(portrait, "crime_places")
    if section is None:
        return None
    try:
        table = section.table("hot_spot_cells")
        layer = next(m for m in section.map_layers if m.id == "hot_spots")
    except (KeyError, StopIteration):
        return None
    if not table.records:
        return None
    frame = pd.DataFrame.from_records(table.records)
    size = float(layer.parameters["cell_size_m"])
    half = size / 2
    boxes = shapely.box(frame["x"] - half, frame["y"] - half, frame["x"] + half,
                        frame["y"] + half)
    return gpd.GeoDataFrame(frame, geometry=boxes, crs=layer.parameters.get("crs")), size


def _hot_spot_layer(portrait: Portrait, options: MapOptions) -> DrawnLayer | None:
    parts = _hot_spot_parts(portrait, options)
    if parts is None:
        return None
    name, collection, legend = parts
    return DrawnLayer(folium.GeoJson(collection, name=name, on_each_feature=BIND_TEXT),
                       legend)


def hot_spot_script(portrait: Portrait, options: MapOptions) -> str | None:
    """JavaScript adding the portrait's hot-spot cells to a station map page already open
    (built without the portrait), in the place and style they would have had in it: the
    window draws the map while the portrait is still being built. None without cells."""
    if portrait.station_id != options.station_id:
        return None
    parts = _hot_spot_parts(portrait, options)
    if parts is None:
        return None
    name, collection, legend = parts
    arguments = ", ".join(json.dumps(value) for value in (
        "hot_spots", name, collection, keyed_legend("hot_spots", legend),
        "hot_spots" not in options.hidden_layers))
    return f"window.portraitAddLayer({arguments});"


def _hot_spot_parts(portrait: Portrait, options: MapOptions) -> tuple[str, dict, str] | None:
    """The layer's name, its cells as GeoJSON and its legend section."""
    found = hot_spot_cells(portrait)
    if found is None:
        return None
    cells, size = found
    language = options.language
    properties = []
    for cell, count, spot in zip(cells["cell"], cells["count"], cells["bin"], strict=True):
        label = words(f"bin_{int(spot)}", language)
        properties.append({
            "id": str(int(cell)), "kind": "hot_spot",
            # a partner's map gives no cell's count: a cell under the map's minimum would
            # be a small count (the PDF's hot-spot map has no counts either)
            "tip": escape(label if options.audience == "partner" else
                           words("cell_tip", language, bin=label,
                                 count=format_count(count, language))),
            "style": {"fillColor": HOT_SPOT_COLOURS[int(spot)],
                      "fillOpacity": HOT_SPOT_OPACITY, "color": "#7f0000" if spot > 0
                      else "#08306b", "weight": 0.8},
        })
    present = sorted({int(b) for b in cells["bin"]}, reverse=True)
    rows = [legend_row(swatch(HOT_SPOT_COLOURS[b], HOT_SPOT_OPACITY),
                        words(f"bin_{b}", language)) for b in present]
    title = words("hot_spots_legend", language, size=format_count(size, language))
    return (words("hot_spots_layer", language), feature_collection(cells.geometry, properties),
            legend_section(title, rows))


def _survey_layer(workspace: Workspace, station: shapely.Geometry,
                  options: MapOptions) -> DrawnLayer | None:
    scores = _station_scores(workspace, station)
    if scores is None:
        return None
    rows, areas = scores
    if options.audience == "partner":  # the brief's survey rule, on the map too
        enough = pd.to_numeric(rows["n"], errors="coerce") >= options.survey_min_n
        rows = rows[enough.to_numpy()]
        areas = areas[areas["area_id"].astype(str).isin(set(rows["area_id"]))]
        if rows.empty:
            return None
    language = options.language
    theme = rows["theme"].value_counts().index[0]
    by_area = rows[rows["theme"] == theme].groupby("area_id")["score"].mean()
    values = areas["area_id"].astype(str).map(by_area).astype(float).to_numpy()
    classes = quantile_classes(values, YLGNBU)
    tips = {area: "<br>".join(escape(_survey_tip(r, language)) for r in group.itertuples())
            for area, group in rows.groupby("area_id")}
    names = areas["name"].fillna(areas["area_id"]).astype(str)
    properties = [
        {"id": str(area), "kind": "survey_area",
         "tip": f"{escape(name)}<br>{tips.get(str(area), '')}",
         "style": {"fillColor": colour, "fillOpacity": SURVEY_OPACITY, "color": "#35577a",
                   "weight": 1.0}}
        for area, name, colour in zip(areas["area_id"], names, classes.colour_of(values),
                                      strict=True)]
    layer = folium.GeoJson(feature_collection(simplified(areas.geometry), properties),
                           name=words("survey_layer", language, theme=theme),
                           on_each_feature=BIND_TEXT)
    legend = classes_legend(words("survey_layer", language, theme=theme), classes,
                             lambda v: _number(v, language),
                             has_missing=bool(np.isnan(values).any()), language=language,
                             opacity=SURVEY_OPACITY)
    return DrawnLayer(layer, legend)


def _survey_tip(row, language: str) -> str:
    """A score's tooltip; score tables may publish no respondent count (``n``)."""
    if pd.isna(row.n):
        return words("survey_tip_no_n", language, theme=row.theme,
                     score=_number(row.score, language))
    return words("survey_tip", language, theme=row.theme, score=_number(row.score, language),
                 n=format_count(row.n, language))


def _problems_layer(workspace: Workspace, station: shapely.Geometry,
                    options: MapOptions) -> DrawnLayer | None:
    """The located problem cards in or near the station: points as dots, areas outlined."""
    cards = _station_problems(workspace, station)
    if not cards:
        return None
    language = options.language
    index = 0 if language == "fr" else 1
    properties = [
        {"kind": "problem", "id": card.record_id,
         "tip": f"{escape(card.title)}<br>" + escape(
            words("problem_stage", language, stage=SARA_LABELS[card.sara_stage][index])),
         "style": {"color": PROBLEM_COLOUR, "weight": 2.5, "fillColor": PROBLEM_COLOUR,
                   "fillOpacity": PROBLEM_OPACITY}}
        for card in cards]
    geometry = gpd.GeoSeries([card.location.geometry for card in cards], crs=workspace.crs)
    marker = folium.CircleMarker(radius=8, weight=2.5, color=PROBLEM_COLOUR, fill=True,
                                 fill_color=PROBLEM_COLOUR, fill_opacity=0.5)
    layer = folium.GeoJson(feature_collection(geometry, properties),
                           name=words("problems_layer", language), marker=marker,
                           on_each_feature=BIND_TEXT)
    count = format_count(len(cards), language)
    rows = [legend_row(dot(PROBLEM_COLOUR), words("problems_legend", language, count=count))]
    return DrawnLayer(layer, legend_section(None, rows))


def _station_problems(workspace: Workspace, station: shapely.Geometry) -> list[ProblemCard]:
    """The workspace's problem cards with a location in or near the station; unreadable
    records are left to the records view, which reports them."""
    near = station.buffer(SERVICE_MARGIN_M)
    return [card for card in RecordStore.load(workspace).problems()
            if card.location is not None and card.location.geometry.intersects(near)]


def _station_scores(workspace: Workspace, station: shapely.Geometry
                    ) -> tuple[pd.DataFrame, gpd.GeoDataFrame] | None:
    """The latest published scores of all respondents for the station's census areas."""
    scores = workspace.layer("survey_scores")
    if scores.empty:
        return None
    areas = areas_over(workspace.layer("census_areas"), station)
    rows = scores[scores["area_id"].astype(str).isin(set(areas["area_id"].astype(str)))]
    rows = rows[rows["score"].notna()]
    subgroup = rows["subgroup"].fillna("").astype(str).str.strip().str.lower()
    if subgroup.isin(ALL_RESPONDENTS).any():
        rows = rows[subgroup.isin(ALL_RESPONDENTS).to_numpy()]
    if rows.empty:
        return None
    periods = rows["period"].dropna().astype(str)
    if len(periods):
        rows = rows[rows["period"].astype(str) == periods.max()]
    rows = rows.assign(area_id=rows["area_id"].astype(str))
    return rows, areas[areas["area_id"].astype(str).isin(set(rows["area_id"]))]


# --- a clicked feature -----------------------------------------------------------------------
def feature_figures(portrait: Portrait | None, workspace: Workspace | None, kind: str,
                    feature_id: str) -> FeatureFigures | None:
    """The figures of the census area, hot-spot cell or survey area ``feature_id``; None
    when the portrait (or workspace) knows nothing about it."""
    if kind == "census_area" and portrait is not None:
        return _area_figures(portrait, workspace, feature_id)
    if kind == "hot_spot" and portrait is not None:
        return _cell_figures(portrait, feature_id)
    if kind == "survey_area" and workspace is not None:
        return _survey_figures(workspace, feature_id)
    if kind == "service" and workspace is not None:
        return _service_figures(workspace, feature_id)
    if kind == "problem" and workspace is not None:
        return _problem_figures(workspace, feature_id)
    return None


def _area_figures(portrait: Portrait, workspace: Workspace | None,
                  area_id: str) -> FeatureFigures | None:
    section = _section(portrait, "socio_economic")
    if section is None:
        return None
    by_id = {item.id: item for item in section.indicators}
    figures = []
    for layer in section.map_layers:
        record = next((r for r in layer.records if str(r.get("area_id")) == area_id), None)
        if record is None:
            continue
        source = by_id.get(str(layer.parameters.get("indicator")))
        figures.append(IndicatorValue(
            layer.id.removeprefix("census_"), layer.title_fr, layer.title_en,
            record.get("value"), str(layer.parameters.get("unit", "")),
            definition=source.definition if source else "",
            definition_fr=source.definition_fr if source else "",
            source=source.source if source else "", vintage=source.vintage if source else "",
            period=source.period if source else "",
            reason=None if record.get("value") is not None else "suppressed or not published"))
    if not figures:
        return None
    try:
        areas = {str(r["area_id"]): r for r in section.table("census_areas").records}
    except KeyError:
        areas = {}
    row = areas.get(area_id)
    if row is not None:
        census = figures[0]
        figures.insert(0, _figure("share_in_station", 100 * float(row["share_in_station"]), "%",
                                  origin=census))
        figures.insert(1, _figure("population_in_station", row.get("population_in_station"),
                                  "persons", origin=census))
    name = _area_name(workspace, area_id)
    return FeatureFigures("census_area", area_id, words("census_area_title", "fr", name=name),
                          words("census_area_title", "en", name=name), figures)


def _cell_figures(portrait: Portrait, cell_id: str) -> FeatureFigures | None:
    found = hot_spot_cells(portrait)
    if found is None:
        return None
    cells, size = found
    match = cells[cells["cell"].astype(int).astype(str) == cell_id]
    if match.empty:
        return None
    row = match.iloc[0]
    spot = int(row["bin"])
    section = _section(portrait, "crime_places")
    incidents = section.indicators[0] if section is not None and section.indicators else None
    figures = [
        _figure("cell_bin", float(spot), "gi_bin", origin=incidents,
                context={"text_fr": words(f"bin_{spot}", "fr"),
                         "text_en": words(f"bin_{spot}", "en")}),
        _figure("cell_count", float(row["count"]), "incidents", origin=incidents),
        _figure("cell_z", float(row["z"]), "z", origin=incidents),
        _figure("cell_p", float(row["p_adjusted"]), "p", origin=incidents),
    ]
    size_text = {lang: format_count(size, lang) for lang in ("fr", "en")}
    return FeatureFigures("hot_spot", cell_id,
                          words("hot_spot_title", "fr", cell=cell_id, size=size_text["fr"]),
                          words("hot_spot_title", "en", cell=cell_id, size=size_text["en"]),
                          figures)


def _survey_figures(workspace: Workspace, area_id: str) -> FeatureFigures | None:
    scores = workspace.layer("survey_scores")
    rows = scores[scores["area_id"].astype(str) == area_id]
    if rows.empty:
        return None
    figures = [IndicatorValue(f"survey_{r.theme}", str(r.theme), str(r.theme),
                              None if pd.isna(r.score) else float(r.score), "score",
                              source="" if pd.isna(r.source) else str(r.source),
                              period="" if pd.isna(r.period) else str(r.period),
                              context={} if pd.isna(r.n) else {"n": int(r.n)})
               for r in rows.itertuples()]
    name = _area_name(workspace, area_id)
    return FeatureFigures("survey_area", area_id, words("survey_area_title", "fr", name=name),
                          words("survey_area_title", "en", name=name), figures)


def _service_figures(workspace: Workspace, service_id: str) -> FeatureFigures | None:
    services = workspace.layer("services")
    rows = services[services["service_id"].astype(str) == service_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    source = "" if pd.isna(row.get("source")) else str(row.get("source"))
    kind = row.get("service_type")
    kind = kind if isinstance(kind, str) else "other"
    figures = [_text_figure("service_type", service_type_label(kind, "fr"),
                            service_type_label(kind, "en"), source)]
    address = row.get("address")
    if isinstance(address, str) and address.strip():
        figures.append(_text_figure("service_address", address.strip(), address.strip(),
                                    source))
    name = str(row["name"]) if isinstance(row.get("name"), str) and row["name"].strip() \
        else service_id
    return FeatureFigures("service", service_id, name, name, figures)


def _problem_figures(workspace: Workspace, record_id: str) -> FeatureFigures | None:
    store = RecordStore.load(workspace)
    card = store.get(record_id) if record_id in store else None
    if not isinstance(card, ProblemCard):
        return None
    category = BY_ID.get(card.category)
    figures = [_text_figure("problem_sara", *SARA_LABELS[card.sara_stage])]
    if category is not None:
        figures.append(_text_figure("problem_category", category.label_fr, category.label_en))
    score = card.priority().out_of_100
    figures.append(IndicatorValue("problem_priority", words("problem_priority", "fr"),
                                  words("problem_priority", "en"), float(score), ""))
    return FeatureFigures("problem", record_id, card.title, card.title, figures)


def _text_figure(key: str, text_fr: str, text_en: str, source: str = "") -> IndicatorValue:
    """A figure that is words (a type, an address), shown as written in each language."""
    return IndicatorValue(key, words(key, "fr"), words(key, "en"), None, "", source=source,
                          context={"text_fr": text_fr, "text_en": text_en})


# --- helpers ---------------------------------------------------------------------------------
def _section(portrait: Portrait, section_id: str) -> Section | None:
    try:
        return portrait.section(section_id)
    except KeyError:
        return None


def _figure(key: str, value: float | None, unit: str, context: dict | None = None,
            origin: IndicatorValue | None = None) -> IndicatorValue:
    """A figure computed here, with its definition, and the source and period of the
    portrait figure ``origin`` it comes from (the census, or the station's incidents)."""
    definition_fr, definition_en = DEFINITIONS[key]
    return IndicatorValue(key, words(key, "fr"), words(key, "en"),
                          None if value is None else float(value), unit,
                          definition=definition_en, definition_fr=definition_fr,
                          source=origin.source if origin else "",
                          vintage=origin.vintage if origin else "",
                          period=origin.period if origin else "", context=context or {})


def _area_name(workspace: Workspace | None, area_id: str) -> str:
    if workspace is None:
        return area_id
    areas = workspace.layer("census_areas")
    names = areas.loc[areas["area_id"].astype(str) == area_id, "name"].dropna()
    return str(names.iloc[0]) if len(names) else area_id


def _number(value: float, language: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    text = f"{float(value):,.1f}"
    if language == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text

