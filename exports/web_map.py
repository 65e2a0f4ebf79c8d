"""An interactive map of one station's area, as a self-sufficient HTML page (folium/Leaflet).

The page must work with no network: Leaflet comes from the installed ``js_lib_leaflet``
package (``exports.leaflet_assets``) and folium's CDN links (jQuery, Bootstrap, icon fonts)
are dropped, so only elements that need nothing but Leaflet are used (GeoJSON layers, circle
markers, a layer control). Background tiles are only added when the caller says the
computer is online.

Pages stay small because they are opened on modest office computers and sent by e-mail:
polygons are simplified (5 m) and coordinates rounded (6 decimals, about 10 cm), and when a
station has many incidents they are counted in square cells instead of drawn one by one.

The page exposes ``window.portraitMap`` (the Leaflet map) and ``window.portraitLayers``
(the layers by key: ``stations``, ``census``, ``incidents``, ``services``, and when there is
something to draw ``hot_spots``, ``survey_areas`` and (internal maps only) ``problems`` from
``exports.map_portrait_layers``),
``window.portraitCounts`` (incidents drawn) so the desktop view and the tests can reach them
from JavaScript. A click on a feature with a ``kind`` and an ``id`` calls
``window.portraitOnFeature(kind, id, lat, lng)`` when the page defines it (the desktop view
does, through its web channel); a click on the bare map calls it with the kind ``point``. A
page opened in a browser has no such function and ignores clicks. ``window.portraitState()``
gives the view (centre, zoom), whether the officer moved it, and the keys of the unticked
layers as JSON, so a map redrawn for a filter opens where the officer left it.
``window.portraitAddLayer(key, name, geojson, legend, show)`` adds a layer to the open page,
with its entry in the layer control and its legend section after the census one: the desktop
view draws the map before the portrait and adds the portrait's hot spots this way when they
come.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from exports import map_layer_parts as parts
from exports.atomic_file import write_atomically
from exports.leaflet_assets import leaflet_head_html
from exports.map_classes import (
    YLGNBU,
    YLORBR,
    quantile_classes,
)
from exports.map_layer_parts import SERVICE_MARGIN_M, MapOptions
from exports.map_portrait_layers import filter_incidents, filter_note, portrait_layers
from exports.map_streets import StreetBase, streets_near
from exports.map_text import format_count, format_value, map_text, station_label
from exports.service_palette import SERVICE_COLOURS, legend_order, service_type_id
from portrait.census import indicator_table
from portrait.crs import MAP_CRS
from portrait.errors import PortraitError
from portrait.indicators import workspace_catalogue
from portrait.portrait_model import Portrait
from portrait.services import service_type_label
from portrait.workspace import Workspace
from portrait.workspace_query import current_store

log = logging.getLogger(__name__)

#: How far around the station neighbouring stations are drawn, for orientation.
NEIGHBOUR_MARGIN_M = 1500.0
#: Legend note of partner maps (cells under the threshold are not drawn).
#: Neither how many squares nor how many incidents are left out: with the squares drawn,
#: either would give back the station's total or a small square's count.
CELLS_HIDDEN = {"fr": "carrés de moins de {k} incidents non affichés",
                "en": "squares with fewer than {k} incidents not shown"}
BACKGROUND_COLOUR = "#f2f1ec"
INCIDENT_FILL = "#d95f0e"
INCIDENT_STROKE = "#662506"
CENSUS_OPACITY = 0.75
#: Over a street base the shading lets the streets under it show through.
CENSUS_OPACITY_OVER_STREETS = 0.55
CELL_OPACITY = 0.9
CELL_MIN_RADIUS_PX = 2.5
CELL_RADIUS_RANGE_PX = 7.5
SELECTED_OUTLINE = {"color": "#111111", "weight": 3.5, "fill": False}
NEIGHBOUR_OUTLINE = {"color": "#6b6b6b", "weight": 1.2, "dashArray": "5 4", "fill": False}

_MAP_CSS = f"""<style>
.leaflet-container {{ background: {BACKGROUND_COLOUR};
  font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }}
.pq-legend {{ background: rgba(255, 255, 255, 0.94); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); color: #222; max-width: 280px; line-height: 1.35; }}
.pq-legend-title {{ font-weight: 600; margin: 6px 0 3px; }}
.pq-legend-row {{ display: flex; align-items: center; gap: 6px; margin: 1px 0; }}
.pq-swatch {{ flex: none; width: 18px; height: 12px; border: 1px solid #666; }}
.pq-line {{ flex: none; width: 18px; height: 0; }}
.pq-dot {{ flex: none; width: 10px; height: 10px; border-radius: 50%; border: 1px solid #222; }}
.pq-note {{ color: #555; font-size: 0.9em; }}
.pq-legend-head {{ display: flex; align-items: center; gap: 6px; cursor: pointer;
  font-weight: 600; border: none; background: none; padding: 0; font: inherit; }}
.pq-legend-head::before {{ content: "▾"; }}
.pq-folded .pq-legend-head::before {{ content: "▸"; }}
.pq-legend-body {{ overflow-y: auto; }}
.pq-folded .pq-legend-body {{ display: none; }}
</style>"""

def build_station_map(workspace: Workspace, options: MapOptions,
                      portrait: Portrait | None = None) -> folium.Map:
    """The folium map of ``options.station_id``: boundaries, census shading, incidents and
    services, each a layer of the layer control; with ``portrait`` (of the same station), its
    hot-spot cells too."""
    stations = workspace.layer("stations")
    station = _station_geometry(stations, options.station_id)
    bounds = _lat_lon_bounds(station, stations.crs)
    fmap = _blank_map(bounds, options)
    streets = streets_near(workspace.layer("streets"), station)
    if len(streets):
        StreetBase(streets).add_to(fmap)
    drawn = {
        "census": _census_layer(workspace, station, options,
                                CENSUS_OPACITY_OVER_STREETS if len(streets) else CENSUS_OPACITY),
        **portrait_layers(workspace, station, options, portrait),
        "incidents": _incidents_layer(workspace, station, options),
        "stations": _stations_layer(stations, station, options),
        "services": _services_layer(workspace.layer("services"), station, options),
    }
    for key, item in drawn.items():
        item.layer.show = key not in options.hidden_layers
        item.layer.add_to(fmap)
    control = folium.LayerControl(collapsed=False).add_to(fmap)
    _LegendControl("".join(parts.keyed_legend(key, item.legend) for key, item in drawn.items()),
                   options.language).add_to(fmap)
    _PortraitHooks({key: item.layer for key, item in drawn.items()}, options.station_id,
                   {key: item.count for key, item in drawn.items() if item.count is not None},
                   control, bounds, keep_view=options.view is not None).add_to(fmap)
    return fmap


def station_map_html(workspace: Workspace, options: MapOptions,
                     portrait: Portrait | None = None) -> str:
    """The complete HTML page of the station map."""
    return build_station_map(workspace, options, portrait).get_root().render()


def write_station_map(workspace: Workspace, options: MapOptions, path: str | os.PathLike[str],
                      portrait: Portrait | None = None) -> Path:
    """Write the station map page to ``path`` atomically (a reader never sees half a page)."""
    page = station_map_html(workspace, options, portrait)
    path = write_atomically(path, lambda temp: temp.write_text(page, encoding="utf-8"))
    log.info("Wrote station map %s (%d kB)", path, len(page.encode("utf-8")) // 1024)
    return path


def prepare_station_maps(workspace: Workspace) -> None:
    """Sort the workspace's incidents by station for the maps to come: a batch does it once
    before forking its workers, which then share it. Nothing to sort when the derived
    station file serves each map its station's rows."""
    if current_store(workspace) is None:
        _StationRows.of(workspace.layer("incidents"))


# --- the map itself ---------------------------------------------------------------------------
def _station_geometry(stations: gpd.GeoDataFrame, station_id: str) -> shapely.Geometry:
    rows = stations[stations["station_id"].eq(station_id).fillna(False)]
    geometry = rows.geometry.dropna()
    geometry = geometry[~geometry.is_empty]
    if geometry.empty:
        raise PortraitError(
            f"Station {station_id!r} has no boundary in this workspace; import the station "
            "boundaries (PDQ) first."
        )
    return shapely.union_all(geometry.values)


def _blank_map(bounds: list[list[float]], options: MapOptions) -> folium.Map:
    """A map with no CDN links: Leaflet from the package, tiles only when online."""
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    zoom = 13
    if options.view is not None:
        centre, zoom = [options.view[0], options.view[1]], options.view[2]
    fmap = folium.Map(location=centre, zoom_start=zoom, tiles=None, control_scale=False,
                      prefer_canvas=True, font_size="13px")
    fmap.default_js = []  # instance lists: folium's class lists point to CDNs
    fmap.default_css = []
    figure = fmap.get_root()
    figure.title = html.escape(
        map_text("title", options.language, station=station_label(options.station_id)))
    figure.header.add_child(_RawHtml(leaflet_head_html(options.assets)), name="leaflet")
    figure.header.add_child(_RawHtml(_MAP_CSS), name="portrait_css")
    if options.tile_url:
        folium.TileLayer(tiles=options.tile_url, attr=html.escape(options.tile_attribution or
                                                                  options.tile_url),
                         name=map_text("tiles_layer", options.language), max_zoom=19,
                         ).add_to(fmap)
    elif options.online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    fmap.add_child(_MetricScale())
    return fmap


def _lat_lon_bounds(geometry: shapely.Geometry, crs: object) -> list[list[float]]:
    west, south, east, north = gpd.GeoSeries([geometry], crs=crs).to_crs(
        MAP_CRS).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


# --- layers -----------------------------------------------------------------------------------
def _census_layer(workspace: Workspace, station: shapely.Geometry,
                  options: MapOptions, opacity: float = CENSUS_OPACITY) -> parts.DrawnLayer:
    language = options.language
    catalogue = workspace_catalogue(workspace.layer("indicator_catalogue"))
    item = catalogue.get(options.indicator_id)
    areas = parts.areas_over(workspace.layer("census_areas"), station)
    table = indicator_table(workspace.layer("census_values"), catalogue)
    by_area = table[item.id] if item.id in table.columns else pd.Series(dtype=float)
    values = areas["area_id"].astype(object).map(by_area).astype(float).to_numpy()
    if options.audience == "partner" and "population" in table.columns:
        limit = options.min_population_income if "income" in item.id else \
            options.min_population
        population = areas["area_id"].astype(object).map(table["population"]).astype(float)
        values = np.where(population.fillna(0.0).to_numpy() < limit, np.nan, values)
    classes = quantile_classes(values, YLGNBU)
    names = areas["name"].fillna(areas["area_id"]).astype(str)
    properties = [
        {
            "id": str(area_id), "kind": "census_area",
            "tip": f"{parts.escape(name)}<br>{parts.escape(format_value(value, item, language))}",
            "style": {"fillColor": colour, "fillOpacity": opacity, "color": "#ffffff",
                      "weight": 0.6},
        }
        for area_id, name, value, colour in zip(
            areas["area_id"], names, values, classes.colour_of(values), strict=True)
    ]
    layer = folium.GeoJson(
        parts.feature_collection(parts.simplified(areas.geometry), properties),
        name=map_text("census_layer", language, indicator=item.label(language)),
        on_each_feature=parts.BIND_TEXT,
    )
    legend = parts.classes_legend(item.label(language), classes,
                             lambda v: format_value(v, item, language),
                             has_missing=bool(np.isnan(values).any()), language=language,
                             opacity=opacity)
    return parts.DrawnLayer(layer, legend)


def _incidents_layer(workspace: Workspace, station: shapely.Geometry,
                     options: MapOptions) -> parts.DrawnLayer:
    # The unlocated incidents are counted over the same period and filters as the drawn
    # ones: the legend's two numbers add up to the period's count shown beside the map.
    located, unlocated = (filter_incidents(_in_period(frame, options.period), options)
                          for frame in _station_incidents(workspace, station,
                                                          options.station_id))
    unlocated = len(unlocated)
    partner = options.audience == "partner"
    note = None
    if unlocated:  # a partner map never gives a count the brief may hide (the total's part)
        note = map_text("unlocated_partner", options.language) if partner else \
            map_text("unlocated", options.language,
                     count=format_count(unlocated, options.language))
    chosen = filter_note(options)
    if chosen:
        note = f"{chosen} — {note}" if note else chosen
    if partner:
        drawn = _incident_cells_layer(located, options, note, min_count=options.min_cell_count)
        return drawn  # its count is what the squares drawn add up to, nothing more
    if len(located) > options.max_points:
        drawn = _incident_cells_layer(located, options, note)
    else:
        drawn = _incident_points_layer(located, options, note)
    return dataclasses.replace(drawn, count=len(located))


def _in_period(incidents: gpd.GeoDataFrame, period: tuple[str, str] | None
               ) -> gpd.GeoDataFrame:
    """The incidents from the first to the last day of ``period`` (None: all of them)."""
    if period is None or not len(incidents):
        return incidents
    dates = incidents["date"]
    return incidents[(dates >= pd.Timestamp(period[0]))
                     & (dates < pd.Timestamp(period[1]) + pd.Timedelta(days=1))]


def _station_incidents(workspace: Workspace, station: shapely.Geometry,
                       station_id: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The station's located incidents, and those of its incidents with no location.

    An incident belongs to the station its source assigned it to; one with no station but
    with a location belongs to the station it lies in. Rows come, in the layer's order, from
    the derived station file when it is current (the station's rows, not the city's: the
    first map at a million incidents no longer waits for the whole layer), else from the
    layer sorted by station once (``_StationRows``): a batch of 35 stations no longer scans
    a million rows for each.
    """
    store = current_store(workspace)
    if store is not None:
        own, unassigned = store.stored_incidents(station_id, station.bounds, workspace.crs)
        has_point = own.geometry.notna().to_numpy()
        inside = unassigned[unassigned.within(station).to_numpy()]
        located = pd.concat([own[has_point], inside]).sort_index(kind="stable")
        return located, own[~has_point]
    rows = _StationRows.of(workspace.layer("incidents"))
    every = np.arange(len(rows.frame))
    own = every[rows.slices.get(station_id, slice(0, 0))]
    unassigned = every[rows.unassigned]
    unassigned = unassigned[rows.has_point[unassigned]]
    inside = unassigned[rows.frame.geometry.iloc[unassigned].within(station).to_numpy()]
    located = np.concatenate([own[rows.has_point[own]], inside])
    located = located[np.argsort(rows.positions[located], kind="stable")]
    return rows.frame.iloc[located], rows.frame.iloc[own[~rows.has_point[own]]]


@dataclass(frozen=True)
class _StationRows:
    """The incidents layer's columns the map uses, sorted by station id (each station's rows
    one slice, in the layer's order). Built once per layer: the layer read from the workspace
    is kept and reused by every map, and sorting also joins the columns' pieces as read, which
    makes taking a station's rows several times cheaper."""

    frame: gpd.GeoDataFrame
    #: Each row's position in the layer.
    positions: np.ndarray
    has_point: np.ndarray
    slices: dict[str, slice]
    #: Rows with no station id: placed by the boundary they lie in.
    unassigned: slice

    #: The columns the map draws and filters incidents by (with the geometry).
    COLUMNS: ClassVar[tuple[str, ...]] = ("date", "category", "source_category", "tags")
    #: The last layer seen (a weak reference, its length, its rows): a layer replaced by an
    #: import is a new frame and gets new rows, and the rows go when their layer does.
    _last: ClassVar[tuple[weakref.ref, int, _StationRows] | None] = None

    @classmethod
    def of(cls, incidents: gpd.GeoDataFrame) -> _StationRows:
        last = cls._last
        if last is not None and last[0]() is incidents and last[1] == len(incidents):
            return last[2]
        codes, ids = pd.factorize(incidents["station_id"])
        order = np.argsort(codes, kind="stable")  # no station (-1) first, then each station
        columns = [c for c in cls.COLUMNS if c in incidents.columns]
        frame = incidents[[*columns, incidents.geometry.name]].take(order)
        bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1))
        geometry = frame.geometry
        rows = cls(frame, order, (geometry.notna() & ~geometry.is_empty).to_numpy(),
                   {station_id: slice(bounds[i], bounds[i + 1])
                    for i, station_id in enumerate(ids)}, slice(0, bounds[0]))
        def forget(layer: weakref.ref) -> None:  # the layer is gone: so are its rows
            if cls._last is not None and cls._last[0] is layer:
                cls._last = None

        cls._last = (weakref.ref(incidents, forget), len(incidents), rows)
        return rows


def _incident_points_layer(located: gpd.GeoDataFrame, options: MapOptions,
                           note: str | None) -> parts.DrawnLayer:
    language = options.language
    kinds = located["category"].fillna(located["source_category"]).fillna("").astype(str)
    dates = located["date"].dt.strftime("%Y-%m-%d").fillna("")
    properties = [{"tip": f"{parts.escape(kind)}<br>{date}"} for kind, date in zip(kinds, dates,
                                                                              strict=True)]
    marker = folium.CircleMarker(radius=3, weight=0.8, color=INCIDENT_STROKE, fill=True,
                                 fill_color=INCIDENT_FILL, fill_opacity=0.85)
    layer = folium.GeoJson(
        parts.feature_collection(located.geometry, properties),
        name=map_text("incidents_layer", language),
        marker=marker,
        on_each_feature=parts.BIND_TEXT,
    )
    label = map_text("incidents_legend", language, count=format_count(len(located), language))
    legend = parts.legend_section(None, [parts.legend_row(parts.dot(INCIDENT_FILL), label)], note)
    return parts.DrawnLayer(layer, legend)


def _incident_cells_layer(located: gpd.GeoDataFrame, options: MapOptions,
                          note: str | None, min_count: int = 1) -> parts.DrawnLayer:
    """Incidents counted in square cells, drawn as circles at the cells' centres.

    Thousands of dots say less and weigh megabytes; circles (area growing with the count)
    leave the census shading visible between them, where filled squares would hide it.
    Cells with fewer than ``min_count`` incidents are left out (partner maps).
    """
    language, size = options.language, options.cell_size_m
    cells = _count_in_cells(located.geometry, size)
    title = map_text("incident_cells_legend", language, size=size,
                     count=format_count(len(located), language))
    if min_count > 1:
        cells = cells[cells["count"] >= min_count]
        hidden = CELLS_HIDDEN.get(language, CELLS_HIDDEN["fr"]).format(k=min_count)
        note = f"{note} — {hidden}" if note else hidden
        title = map_text("incident_cells_legend_partner", language, size=size)
    counts = cells["count"].to_numpy(dtype=float)
    classes = quantile_classes(counts, YLORBR)
    radii = CELL_MIN_RADIUS_PX + CELL_RADIUS_RANGE_PX * np.sqrt(
        counts / max(counts.max(initial=0.0), 1.0))
    properties = [
        {
            "tip": parts.escape(map_text("cell_tooltip", language,
                                    count=format_count(count, language))),
            "radius": round(float(radius), 1),
            "style": {"fillColor": colour, "fillOpacity": CELL_OPACITY, "color": INCIDENT_STROKE,
                      "weight": 0.6},
        }
        for count, colour, radius in zip(counts, classes.colour_of(counts), radii, strict=True)
    ]
    layer = folium.GeoJson(
        parts.feature_collection(cells.geometry.centroid, properties),
        name=map_text("incident_cells_layer", language, size=size),
        marker=folium.CircleMarker(radius=CELL_MIN_RADIUS_PX, fill=True),
        on_each_feature=parts.BIND_TEXT,
    )
    legend = parts.classes_legend(title, classes, lambda v: format_count(v, language),
                             has_missing=False, language=language, whole_numbers=True,
                             note=note, opacity=CELL_OPACITY)
    return parts.DrawnLayer(layer, legend, count=int(counts.sum()))


def _count_in_cells(points: gpd.GeoSeries, size: float) -> gpd.GeoDataFrame:
    """Square cells of ``size`` metres (aligned on multiples of ``size``) with their counts."""
    column = np.floor(points.x.to_numpy() / size).astype(np.int64)
    row = np.floor(points.y.to_numpy() / size).astype(np.int64)
    counts = pd.DataFrame({"column": column, "row": row}).value_counts().reset_index()
    x0 = counts["column"].to_numpy() * size
    y0 = counts["row"].to_numpy() * size
    boxes = shapely.box(x0, y0, x0 + size, y0 + size)
    return gpd.GeoDataFrame({"count": counts["count"].to_numpy()}, geometry=boxes,
                            crs=points.crs)


def _stations_layer(stations: gpd.GeoDataFrame, station: shapely.Geometry,
                    options: MapOptions) -> parts.DrawnLayer:
    """The selected station outlined in black, its neighbours in faint dashes."""
    located = stations[stations.geometry.notna() & ~stations.geometry.is_empty]
    near = located[located.intersects(station.buffer(NEIGHBOUR_MARGIN_M))]
    selected = near["station_id"].eq(options.station_id).fillna(False).to_numpy()
    order = np.argsort(selected, kind="stable")  # the selected outline drawn last, on top
    near = near.iloc[order]
    selected = selected[order]
    properties = []
    for station_id, name, is_selected in zip(near["station_id"], near["name"], selected,
                                             strict=True):
        label = station_label(str(station_id))
        tip = label if pd.isna(name) or str(name) == label else f"{label} — {name}"
        style = SELECTED_OUTLINE if is_selected else NEIGHBOUR_OUTLINE
        properties.append({"id": str(station_id), "tip": parts.escape(tip), "style": style})
    layer = folium.GeoJson(
        parts.feature_collection(parts.simplified(near.geometry), properties),
        name=map_text("stations_layer", options.language),
        on_each_feature=parts.BIND_TEXT,
    )
    rows = [parts.legend_row(parts.line(SELECTED_OUTLINE["color"], dashed=False),
                        station_label(options.station_id))]
    if not selected.all():
        rows.append(parts.legend_row(parts.line(NEIGHBOUR_OUTLINE["color"], dashed=True),
                                map_text("neighbour_stations", options.language)))
    return parts.DrawnLayer(layer, parts.legend_section(None, rows))


def _services_layer(services: gpd.GeoDataFrame, station: shapely.Geometry,
                    options: MapOptions) -> parts.DrawnLayer:
    """Each service a dot in its type's colour, the same in every station and every export
    (``exports.service_palette``)."""
    language = options.language
    located = services[services.geometry.notna() & ~services.geometry.is_empty]
    near = located[located.within(station.buffer(SERVICE_MARGIN_M))]
    ids = [service_type_id(t) for t in near["service_type"]]
    # A plain list: mapping a column of only missing types gives an Arrow null column that
    # cannot be filled with text.
    types = pd.Series([service_type_label(t, language) if isinstance(t, str)
                       else map_text("no_type", language) for t in near["service_type"]],
                      index=near.index, dtype=object)
    properties = []
    for service_id, name, kind, type_id, address in zip(
            near["service_id"].astype(str), near["name"].fillna(""), types, ids,
            near["address"], strict=True):
        lines = [f"<strong>{parts.escape(name)}</strong>", parts.escape(kind)]
        if not pd.isna(address) and str(address).strip():
            lines.append(parts.escape(address))
        properties.append({"kind": "service", "id": service_id, "tip": parts.escape(name),
                           "popup": "<br>".join(lines),
                           "style": {"fillColor": SERVICE_COLOURS[type_id]}})
    marker = folium.CircleMarker(radius=6, weight=1.2, color="#222222", fill=True,
                                 fill_opacity=0.95)
    layer = folium.GeoJson(
        parts.feature_collection(near.geometry, properties),
        name=map_text("services_layer", language),
        marker=marker,
        on_each_feature=parts.BIND_TEXT,
    )
    rows = [parts.legend_row(parts.dot(SERVICE_COLOURS[type_id]),
                        map_text("other_types", language) if type_id == "other"
                        else service_type_label(type_id, language))
            for type_id in legend_order(ids)]
    legend = parts.legend_section(map_text("services_legend", language), rows) if rows else ""
    return parts.DrawnLayer(layer, legend)


# --- page elements ----------------------------------------------------------------------------
class _RawHtml(Element):
    """Markup inserted as is: Leaflet's code must not go through the template engine."""

    def __init__(self, markup: str):
        super().__init__()
        self._markup = markup

    def render(self, **kwargs: object) -> str:
        return self._markup


def _render_macros_as_markup(self: MacroElement, **kwargs: object) -> None:
    """branca's ``MacroElement.render``, except that what the macros write goes into the page
    as markup. branca wraps it in an ``Element``, which compiles it as a Jinja template: text
    from an imported file ("{{ 7*7 }}" in a service's name) was run as template code, and
    compiling every layer's GeoJSON took a fifth of a map's building time."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("A map element can only be rendered inside a Figure.")
    macros = self._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(_RawHtml(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


#: Every folium element renders through it (folium's own call ``super().render()``).
MacroElement.render = _render_macros_as_markup


class _MetricScale(MacroElement):
    """A scale bar in metres only: officers here do not measure in feet."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class _LegendControl(MacroElement):
    """The legend as a Leaflet control, so it stacks with the attribution and scale."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "bottomright"});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "pq-legend"),
                    head = L.DomUtil.create("button", "pq-legend-head", div),
                    body = L.DomUtil.create("div", "pq-legend-body", div);
                head.type = "button";
                head.textContent = {{ this.title|tojson }};
                head.title = {{ this.fold_tip|tojson }};
                body.innerHTML = {{ this.markup|tojson }};
                window.portraitLegend = body;
                window.portraitLegendBox = div;
                L.DomEvent.on(head, "click", function () {
                    var folded = !L.DomUtil.hasClass(div, "pq-folded");
                    (folded ? L.DomUtil.addClass : L.DomUtil.removeClass)(div, "pq-folded");
                    try { window.localStorage.setItem("pq-legend-folded", folded ? "1" : "0"); }
                    catch (error) { /* a page opened from a file may have no storage */ }
                });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, markup: str, language: str):
        super().__init__()
        self._name = "Legend"
        self.markup = markup
        self.title = map_text("legend", language)
        self.fold_tip = map_text("legend_fold_tip", language)


class _PortraitHooks(MacroElement):
    """Names the map and its layers for the desktop view and the tests."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            window.portraitMap = {{ this._parent.get_name() }};
            window.portraitStation = {{ this.station_id|tojson }};
            window.portraitBounds = {{ this.bounds|tojson }};
            // The station fills the map, beside the legend, whenever the map is drawn or
            // resized (the side panel opens, the window is resized), until the officer
            // moves or zooms it. The legend folds (remembered), starts folded on a narrow
            // map, and never runs under the layer control.
            (function () {
                var map = {{ this._parent.get_name() }}, fitting = false,
                    moved = {{ "true" if this.keep_view else "false" }};
                var box = window.portraitLegendBox, stored = null;
                try { stored = window.localStorage.getItem("pq-legend-folded"); }
                catch (error) { stored = null; }
                if (box && (stored === "1" || (stored === null && map.getSize().x < 640))) {
                    L.DomUtil.addClass(box, "pq-folded");
                }
                function fitLegend() {
                    var control = document.querySelector(".leaflet-control-layers");
                    if (!window.portraitLegend) { return; }
                    var room = map.getSize().y - 60 - (control ? control.offsetHeight : 0);
                    window.portraitLegend.style.maxHeight = Math.max(room, 80) + "px";
                }
                window.portraitFit = function () {
                    var control = document.querySelector(".leaflet-control-layers"),
                        top = 12 + (control ? control.offsetHeight : 0), right = 12,
                        bottom = 12;
                    if (box && map.getSize().x >= 640) {
                        right += box.offsetWidth;
                    } else if (box) {
                        bottom += box.offsetHeight;
                    }
                    fitting = true;
                    map.fitBounds(window.portraitBounds, {paddingTopLeft: [12, top],
                                  paddingBottomRight: [right, bottom], animate: false});
                    fitting = false;
                };
                window.portraitMoved = function () { return moved; };
                map.on("dragstart", function () { moved = true; });
                map.on("zoomstart", function () { if (!fitting) { moved = true; } });
                map.on("resize", function () {
                    fitLegend();
                    if (!moved) { window.portraitFit(); }
                });
                map.whenReady(function () {
                    fitLegend();
                    if (!moved) { window.portraitFit(); }
                });
                if (box) {
                    L.DomEvent.on(box.querySelector(".pq-legend-head"), "click", function () {
                        if (!moved) { window.portraitFit(); }
                    });
                }
            })();
            window.portraitCounts = {{ this.counts|tojson }};
            window.portraitLayers = {
            {%- for key, layer in this.layers.items() %}
                {{ key|tojson }}: {{ layer.get_name() }},
            {%- endfor %}
            };
            window.portraitState = function () {
                var map = window.portraitMap, centre = map.getCenter(), hidden = [];
                for (var key in window.portraitLayers) {
                    if (!map.hasLayer(window.portraitLayers[key])) { hidden.push(key); }
                }
                return JSON.stringify({view: [centre.lat, centre.lng, map.getZoom()],
                                       hidden: hidden, moved: window.portraitMoved()});
            };
            // A click that no identifiable feature took (it fell on a station outline, an
            // incident dot or the bare map) identifies the topmost feature under the
            // pointer: an outline drawn over the census must not hide the census figures.
            window.portraitFeatureAt = function (latlng) {
                var map = window.portraitMap, layers = window.portraitLayers,
                    point = map.latLngToLayerPoint(latlng), found = null;
                ["problems", "services", "hot_spots", "survey_areas", "census"].forEach(
                        function (key) {
                    var layer = layers[key];
                    if (found || !layer || !map.hasLayer(layer)) { return; }
                    layer.eachLayer(function (item) {
                        var p = item.feature && item.feature.properties;
                        if (!found && p && p.kind && p.id !== undefined && item._containsPoint
                                && item._pxBounds && item._containsPoint(point)) {
                            found = {kind: p.kind, id: String(p.id)};
                        }
                    });
                });
                return found;
            };
            window.portraitMap.on("click", function (e) {
                if (window.portraitOnFeature) {
                    var hit = window.portraitFeatureAt(e.latlng) || {kind: "point", id: ""};
                    window.portraitOnFeature(hit.kind, hit.id, e.latlng.lat, e.latlng.lng);
                }
            });
            window.portraitAddLayer = function (key, name, data, legend, show) {
                var map = window.portraitMap, layers = window.portraitLayers,
                    control = {{ this.control.get_name() }}, box = window.portraitLegend;
                if (layers[key]) {
                    map.removeLayer(layers[key]);
                    control.removeLayer(layers[key]);
                }
                var layer = L.geoJson(data, {
                    onEachFeature: {{ this.bind_text }},
                    style: function (feature) { return feature.properties.style; }
                });
                layers[key] = layer;
                control.addOverlay(layer, name);
                // listed after the census, as in a page drawn with it (Leaflet 1.9 keeps
                // the entries in control._layers and redraws them with _update)
                var entries = control._layers, added = entries.pop();
                var census = entries.findIndex(function (entry) {
                    return entry.layer === layers.census; });
                entries.splice(census + 1, 0, added);
                control._update();
                if (show) {
                    layer.addTo(map);
                    layer.bringToBack();  // under incidents and boundaries...
                    if (layers.census && map.hasLayer(layers.census)) {
                        layers.census.bringToBack();  // ...over the census shading
                    }
                }
                if (box && legend) {
                    var old = box.querySelector('section[data-layer="' + key + '"]');
                    if (old) { old.remove(); }
                    var census = box.querySelector('section[data-layer="census"]');
                    var holder = document.createElement("div");
                    holder.innerHTML = legend;
                    box.insertBefore(holder.firstChild,
                                     census ? census.nextSibling : box.firstChild);
                }
                return key;
            };
        {% endmacro %}
    """)

    def __init__(self, layers: dict[str, folium.GeoJson], station_id: str,
                 counts: dict[str, int] | None, control: folium.LayerControl,
                 bounds: list[list[float]], keep_view: bool = False):
        super().__init__()
        self._name = "PortraitHooks"
        self.bounds = bounds
        self.keep_view = keep_view
        self.layers = layers
        self.station_id = station_id
        self.counts = counts or {}
        self.control = control
        self.bind_text = parts.BIND_TEXT.js_code
