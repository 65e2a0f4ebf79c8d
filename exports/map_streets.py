"""The street base of the maps: the workspace's streets around a station, under everything.

A hot spot means nothing to a partner until it is on a street they know, so every map that
has streets draws them first, with their names at close zoom and the source's credit (the
ODbL notice for OpenStreetMap) in the map's attribution. Only the streets within
``MARGIN_M`` of the station go into a page, clipped to that box: a city's network would make
every page megabytes.

In the interactive map the streets have their own canvas pane below the census shading (the
shading is translucent, so the streets show through it), are not clickable, and their names
are Leaflet tooltips (permanent, centred on a point of the street) shown from
``LABEL_MIN_ZOOM`` on: nothing but Leaflet, so the page stays offline.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from portrait.crs import MAP_CRS

#: Streets this far around the station frame it (as far as the neighbouring stations drawn).
MARGIN_M = 1500.0
#: A part shorter than this gets no name: it would not fit along it.
MIN_LABEL_LENGTH_M = 120.0
LABEL_MIN_ZOOM = 15
#: Local streets only from this zoom; wider ones always.
LOCAL_MIN_ZOOM = 14
COORDINATE_DECIMALS = 5
#: Class -> (colour, weight in pixels), widest first; local streets thin and pale.
STYLES: dict[str, tuple[str, float]] = {
    "motorway": ("#e8a35c", 4.0),
    "primary": ("#f0c36d", 3.5),
    "secondary": ("#f5d88f", 3.0),
    "tertiary": ("#ffffff", 2.6),
    "residential": ("#ffffff", 1.8),
    "service": ("#ffffff", 1.0),
}
LOCAL_CLASSES = ("residential", "service")
CASING = "#8f8a80"  # dark enough to read through the census shading


def streets_near(streets: gpd.GeoDataFrame | None, station: shapely.Geometry,
                 margin: float = MARGIN_M) -> gpd.GeoDataFrame:
    """The streets within ``margin`` metres of ``station``'s extent, clipped to that box."""
    if streets is None or not len(streets):
        return gpd.GeoDataFrame({"name": [], "class": [], "attribution": []},
                                geometry=gpd.GeoSeries([], crs=getattr(streets, "crs", None)))
    west, south, east, north = shapely.bounds(station)
    box = shapely.box(west - margin, south - margin, east + margin, north + margin)
    located = streets[streets.geometry.notna()]
    near = located.iloc[located.sindex.query(box, predicate="intersects")]
    clipped = near.geometry.intersection(box)
    return gpd.GeoDataFrame(near.drop(columns=near.geometry.name).assign(
        geometry=clipped.to_numpy()), geometry="geometry", crs=streets.crs)


def attributions(credits: Iterable[object]) -> list[str]:
    """The distinct credits of the streets drawn, to print on the map."""
    return sorted({str(c) for c in credits if isinstance(c, str) and c.strip()})


def street_records(streets: gpd.GeoDataFrame) -> list[dict]:
    """The streets as plain records (name, class, geometry, attribution): a brief's figure
    holds plain values, which its writers and checks compare and copy as they are."""
    return [{"name": name if isinstance(name, str) else None, "class": str(kind),
             "geometry": geometry, "attribution": credit}
            for name, kind, geometry, credit in zip(
                streets["name"], streets["class"], streets.geometry, streets["attribution"],
                strict=True) if geometry is not None and not geometry.is_empty]


def style_of(kind: object) -> tuple[str, float]:
    return STYLES.get(str(kind), STYLES["residential"])


def label_points(named: Iterable[tuple[object, shapely.Geometry]]
                 ) -> list[tuple[float, float, float, str]]:
    """(x, y, angle, name) at the middle of each part of the (name, geometry) pairs long
    enough to carry its name; the angle (degrees, kept upright) follows the street there."""
    points = []
    for name, geometry in named:
        if not isinstance(name, str) or not name.strip() or geometry is None:
            continue
        for part in shapely.get_parts(geometry):
            if part.geom_type == "LineString" and part.length >= MIN_LABEL_LENGTH_M:
                before = part.interpolate(0.45, normalized=True)
                middle = part.interpolate(0.5, normalized=True)
                after = part.interpolate(0.55, normalized=True)
                angle = np.degrees(np.arctan2(after.y - before.y, after.x - before.x))
                angle = (angle + 90.0) % 180.0 - 90.0
                points.append((middle.x, middle.y, float(angle), name))
    return points


class StreetBase(MacroElement):
    """The street lines, their names and their credit, added to a folium map."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .pq-street-name { background: none; border: none; box-shadow: none; padding: 0;
          color: #444; font-size: 11px; font-style: italic; white-space: nowrap;
          text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
        .pq-street-name::before { display: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.createPane("streets").style.zIndex = 350;
            var renderer = L.canvas({pane: "streets"});
            function draw(data, casing) {
                return L.geoJSON(data, {renderer: renderer, interactive: false,
                    style: function (f) {
                        var s = f.properties.style;
                        return casing ? {color: {{ this.casing|tojson }},
                                         weight: s.weight + 1.5, opacity: 1}
                                      : {color: s.color, weight: s.weight, opacity: 1};
                    }});
            }
            var data = {{ this.data|tojson }}, local = {{ this.local|tojson }};
            var casing = draw(data, true), lines = draw(data, false);
            var localCasing = draw(local, true), localLines = draw(local, false);
            // Names in order (widest and longest streets first), each shown only where it
            // overlaps no name already placed: names over names are read as neither.
            var labels = {{ this.labels|tojson }}, names = L.layerGroup().addTo(map);
            function placeNames() {
                names.clearLayers();
                if (map.getZoom() < {{ this.label_zoom }}) { return; }
                var view = map.getBounds().pad(0.2), boxes = [];
                labels.forEach(function (l) {
                    var at = L.latLng(l[0], l[1]);
                    if (!view.contains(at)) { return; }
                    var p = map.latLngToLayerPoint(at), w = 3.2 * l[3] + 6, h = 9;
                    var clash = boxes.some(function (b) {
                        return Math.abs(b[0] - p.x) < b[2] + w && Math.abs(b[1] - p.y) < 2 * h;
                    });
                    if (clash) { return; }
                    boxes.push([p.x, p.y, w]);
                    names.addLayer(L.tooltip({permanent: true, direction: "center",
                        className: "pq-street-name", interactive: false})
                        .setLatLng(at).setContent(l[2]));
                });
            }
            function byZoom() {  // every casing under every street, local ones from a zoom
                var near = map.getZoom() >= {{ this.local_zoom }};
                [localCasing, casing, localLines, lines].forEach(function (layer) {
                    map.removeLayer(layer);
                    if (near || (layer !== localCasing && layer !== localLines)) {
                        layer.addTo(map);
                    }
                });
                placeNames();
            }
            map.on("zoomend", byZoom);
            map.on("moveend", placeNames);
            map.whenReady(byZoom);
            {% for credit in this.credits %}
            map.attributionControl.addAttribution({{ credit|tojson }});
            {% endfor %}
            window.portraitStreets = {lines: lines, local: localLines, names: names,
                                      count: {{ this.count }}};
        })();
        {% endmacro %}
    """)

    def __init__(self, streets: gpd.GeoDataFrame):
        super().__init__()
        self._name = "StreetBase"
        drawn = streets.to_crs(MAP_CRS)
        local = streets["class"].isin(LOCAL_CLASSES).fillna(False).to_numpy(dtype=bool)
        self.data = _collection(drawn[~local])
        self.local = _collection(drawn[local])
        self.labels = _labels_in_degrees(streets)
        self.credits = [html.escape(c) for c in attributions(streets["attribution"])]
        self.casing = CASING
        self.count = len(streets)
        self.label_zoom, self.local_zoom = LABEL_MIN_ZOOM, LOCAL_MIN_ZOOM


def _labels_in_degrees(streets: gpd.GeoDataFrame) -> list[list]:
    """[lat, lng, escaped name, name's length] of each label, the widest and longest
    streets first (the page places names in this order): placed in metres, drawn in
    degrees."""
    rank = streets["class"].map({kind: i for i, kind in enumerate(STYLES)}).fillna(len(STYLES))
    order = np.lexsort((-streets.geometry.length.to_numpy(), rank.to_numpy(dtype=float)))
    ordered = streets.iloc[order]
    points = label_points(zip(ordered["name"], ordered.geometry, strict=True))
    if not points:
        return []
    xy = gpd.GeoSeries(shapely.points([(x, y) for x, y, _, _ in points]), crs=streets.crs)
    lonlat = xy.to_crs(MAP_CRS)
    return [[round(p.y, COORDINATE_DECIMALS), round(p.x, COORDINATE_DECIMALS), html.escape(name),
             len(name)] for p, (_, _, _, name) in zip(lonlat, points, strict=True)]


def _collection(streets: gpd.GeoDataFrame) -> dict:
    """GeoJSON with each street's style in its properties (one ``style`` function for all:
    folium's per-feature style functions load 15 times slower on a city's streets)."""
    geometry = shapely.transform(streets.geometry.to_numpy(),
                                 lambda xy: np.round(xy, COORDINATE_DECIMALS))
    features = []
    for kind, shape in zip(streets["class"], geometry, strict=True):
        if shape is None or shape.is_empty:
            continue
        colour, weight = style_of(kind)
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(shape),
                         "properties": {"style": {"color": colour, "weight": weight}}})
    return {"type": "FeatureCollection", "features": features}
