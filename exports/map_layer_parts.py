"""What every layer of the station map is made of: the map's options, a layer drawn with its
legend section, GeoJSON in longitude/latitude, and the legend's markup.

``exports.web_map`` (the base layers and the page) and ``exports.map_portrait_layers`` (the
layers drawn from a portrait) both build on it, so neither imports the other's helpers: the
map module imports the portrait layers, never the other way round.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.utilities import JsCode

from exports.leaflet_assets import AssetMode
from exports.map_classes import NO_DATA_COLOUR, Classes
from exports.map_text import map_text
from portrait.crs import MAP_CRS

SIMPLIFY_TOLERANCE_M = 5.0
COORDINATE_DECIMALS = 6
#: Services just across a boundary street still serve the station's residents.
SERVICE_MARGIN_M = 250.0
#: A census area is drawn when at least this share of it lies in the station.
MIN_AREA_OVERLAP = 0.05

#: Binds the pre-escaped ``tip`` and ``popup`` properties of each feature.
BIND_TEXT = JsCode("""function (feature, layer) {
    var p = feature.properties || {};
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
    if (p.popup) { layer.bindPopup(p.popup); }
    if (p.radius && layer.setRadius) { layer.setRadius(p.radius); }
    if (p.kind && p.id !== undefined) {
        layer.on("click", function (e) {
            if (window.portraitOnFeature) {
                L.DomEvent.stopPropagation(e);  // not also a click on the bare map
                window.portraitOnFeature(p.kind, String(p.id), e.latlng.lat, e.latlng.lng);
            }
        });
    }
}""")


@dataclass(frozen=True)
class MapOptions:
    """What to draw: the station, the census indicator, and how the page gets Leaflet."""

    station_id: str
    indicator_id: str = "low_income_rate"
    assets: AssetMode = "file"
    max_points: int = 3000
    online_tiles: bool = False
    language: str = "fr"
    cell_size_m: int = 200
    #: "internal": incident points (cells past ``max_points``); "partner": never a point,
    #: only cells with at least ``min_cell_count`` incidents, and census values of small
    #: areas hidden (Statistics Canada's rules).
    audience: str = "internal"
    min_cell_count: int = 5
    #: Inclusive ISO dates of the incidents drawn (None: all of them).
    period: tuple[str, str] | None = None
    min_population: float = 40
    min_population_income: float = 250
    #: Partner maps: survey scores of areas with fewer answers than this are not drawn.
    survey_min_n: int = 30
    #: Incidents drawn: only these common categories, only those carrying one of these issue
    #: tags (None: no filter).
    categories: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    #: Open at this centre (latitude, longitude) and zoom instead of fitting the station: a
    #: map redrawn for a filter keeps the officer's view.
    view: tuple[float, float, float] | None = None
    #: Keys of layers drawn but switched off (the officer unticked them).
    hidden_layers: tuple[str, ...] = ()
    #: A tile source drawn under the streets (Preferences): an XYZ URL template of the
    #: service's own tile server, or the app's ``pqtiles://`` address of a local MBTiles file,
    #: with the credit its licence asks for. None: no tiles (fully offline).
    tile_url: str | None = None
    tile_attribution: str = ""


@dataclass(frozen=True)
class DrawnLayer:
    layer: folium.GeoJson
    legend: str
    count: int | None = None


def areas_over(areas: gpd.GeoDataFrame, station: shapely.Geometry) -> gpd.GeoDataFrame:
    """Census areas mostly or partly in the station, at the finest level present there."""
    located = areas[areas.geometry.notna() & ~areas.geometry.is_empty]
    hits = located.iloc[located.sindex.query(station, predicate="intersects")]
    area = hits.geometry.area
    overlap = hits.geometry.intersection(station).area / area.where(area > 0)
    hits = hits[overlap.fillna(0.0) >= MIN_AREA_OVERLAP]
    levels = hits["level"].dropna()
    if levels.nunique() > 1:  # several geographies: the one with most areas is the finest
        hits = hits[hits["level"].eq(levels.value_counts().index[0]).fillna(False)]
    return hits


def simplified(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Polygons simplified in metres, where the tolerance means something."""
    return geometry.simplify(SIMPLIFY_TOLERANCE_M, preserve_topology=True)


def feature_collection(geometry: gpd.GeoSeries, properties: list[dict]) -> dict:
    """GeoJSON in longitude/latitude rounded to about 10 cm, with the given properties."""
    drawn = geometry.to_crs(MAP_CRS).to_numpy()
    rounded = shapely.transform(drawn, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    features = [
        {"type": "Feature", "geometry": shapely.geometry.mapping(shape), "properties": props}
        for shape, props in zip(rounded, properties, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


# --- legend -----------------------------------------------------------------------------------
def classes_legend(title: str, classes: Classes, formatter: Callable[[float], str], *,
                    has_missing: bool, language: str, whole_numbers: bool = False,
                    note: str | None = None, opacity: float) -> str:
    rows = []
    edges = classes.edges
    for i, colour in enumerate(classes.colours):
        low, high = edges[i], edges[i + 1]
        if whole_numbers and i > 0:
            low = np.floor(low) + 1  # classes are upper-inclusive: (4, 8] holds 5 to 8
        single = classes.single_values or low == high
        text = formatter(high) if single else f"{formatter(low)} – {formatter(high)}"
        rows.append(legend_row(swatch(colour, opacity), text))
    if has_missing or not rows:
        rows.append(legend_row(swatch(NO_DATA_COLOUR, opacity), map_text("no_data", language)))
    return legend_section(title, rows, note)


def legend_section(title: str | None, rows: list[str], note: str | None = None) -> str:
    heading = f'<div class="pq-legend-title">{escape(title)}</div>' if title else ""
    footer = f'<div class="pq-note">{escape(note)}</div>' if note else ""
    return f"<section>{heading}{''.join(rows)}{footer}</section>"


def keyed_legend(key: str, legend: str) -> str:
    """The layer's legend section marked with its key, so a layer added later to the page
    (``window.portraitAddLayer``) can take its place among them."""
    return legend.replace("<section>", f'<section data-layer="{escape(key)}">', 1)


def legend_row(symbol: str, text: str) -> str:
    return f'<div class="pq-legend-row">{symbol}<span>{escape(text)}</span></div>'


def swatch(colour: str, opacity: float) -> str:
    """A legend square that looks like the map's fill (same colour, same transparency)."""
    return f'<span class="pq-swatch" style="background:{colour};opacity:{opacity}"></span>'


def line(colour: str, dashed: bool) -> str:
    style = "dashed" if dashed else "solid"
    width = 1 if dashed else 3
    return f'<span class="pq-line" style="border-top:{width}px {style} {colour}"></span>'


def dot(colour: str) -> str:
    return f'<span class="pq-dot" style="background:{colour}"></span>'


def escape(text: object) -> str:
    """User and imported text, safe to put in the page's HTML."""
    return html.escape(str(text), quote=True)


