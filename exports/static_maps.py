"""Static maps of the PDF briefs, drawn with matplotlib as PNG bytes: census choropleth,
incidents (points for the station, cells of at least k for partners), hot spots, services.

Every map shows the station's outline over its neighbours, a legend and a metric scale bar,
over the workspace's streets when it has some (``exports.map_streets``: names along the
wider streets, and the source's credit, e.g. OpenStreetMap's ODbL notice, in a corner);
coordinates are the workspace's metric CRS, so one unit is one metre and the scale bar is
exact. Geometry is turned into matplotlib paths directly (no geopandas plotting), which keeps
a map to a fraction of a second. Colours come from the colour-blind-safe palettes of
``exports.map_classes`` and services' from ``exports.service_palette``, the same as the
interactive map's.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path

from exports.brief_model import Figure
from exports.brief_text import format_number, format_value, text
from exports.map_classes import (
    NO_DATA_COLOUR,
    YLGNBU,
    YLORBR,
    quantile_classes,
)
from exports.map_streets import CASING, LOCAL_CLASSES, attributions, label_points, style_of
from exports.map_text import map_text, station_label
from exports.service_palette import SERVICE_COLOURS, legend_order, service_colour
from portrait.services import service_type_label

SIZE = (6.6, 4.4)
#: Share of the figure's width given to the map; the legend takes the rest.
MAP_SHARE = 0.70
#: Legend labels wrap at this many characters.
LEGEND_WIDTH = 26
FONT_SIZE = 7
MARGIN = 0.06
#: Gi* bins: colour-blind-safe diverging colours (ColorBrewer RdBu).
BIN_COLOURS = {3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7", -1: "#d1e5f0", -2: "#67a9cf",
               -3: "#2166ac"}
BIN_LABELS = {"fr": {3: "Point chaud q ≤ 0,01", 2: "Point chaud q ≤ 0,05",
                     1: "Point chaud q ≤ 0,10", -1: "Point froid q ≤ 0,10",
                     -2: "Point froid q ≤ 0,05", -3: "Point froid q ≤ 0,01"},
              "en": {3: "Hot spot q ≤ 0.01", 2: "Hot spot q ≤ 0.05", 1: "Hot spot q ≤ 0.10",
                     -1: "Cold spot q ≤ 0.10", -2: "Cold spot q ≤ 0.05",
                     -3: "Cold spot q ≤ 0.01"}}
NICE_LENGTHS = (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


def draw_map(figure: Figure, language: str, dpi: int = 150, image_format: str = "png") -> bytes:
    """Image bytes of the map ``figure`` (its ``kind`` names the layer drawn): PNG, or JPEG
    for the PDF (embedded as is, where a PNG is decoded and compressed again)."""
    fig = MplFigure(figsize=SIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, MAP_SHARE, 1))
    ax.set_axis_off()
    ax.set_aspect("equal")
    data = figure.data
    station = data["station"]
    _frame(ax, station)
    ax.set_facecolor("#f2f1ec")
    fig.patch.set_facecolor("white")
    _streets(ax, data.get("streets"))
    handles = MAPS[figure.kind](ax, data, language)
    for handle in handles:
        handle.set_label(textwrap.fill(handle.get_label(), LEGEND_WIDTH))
    _outlines(ax, data)
    _scale_bar(ax, language)
    legend = [Line2D([], [], color="#111111", linewidth=2,
                     label=station_label(str(data["station_label"])))] + handles
    fig.legend(handles=legend, loc="upper left", bbox_to_anchor=(MAP_SHARE + 0.01, 0.98),
               fontsize=FONT_SIZE, frameon=False, title=figure.data.get("legend"),
               title_fontsize=FONT_SIZE, alignment="left")
    return save_image(fig, dpi, image_format)


def save_image(fig, dpi: int, image_format: str) -> bytes:
    """The figure as PNG or JPEG bytes (JPEG at a quality that keeps thin lines clean)."""
    out = io.BytesIO()
    options = {"pil_kwargs": {"quality": 90, "optimize": True}} if image_format == "jpeg" \
        else {}
    fig.savefig(out, format=image_format, dpi=dpi, facecolor="white", **options)
    return out.getvalue()


# --- layers --------------------------------------------------------------------------------
def census(ax, data: dict, language: str) -> list:
    values = np.asarray(data["values"], dtype=float)
    classes = quantile_classes(values, YLGNBU)
    colours = classes.colour_of(values)
    ax.add_collection(PathCollection([_path(g) for g in data["areas"]], facecolors=colours,
                                     edgecolors="white", linewidths=0.4, alpha=0.85, zorder=1))
    unit = data.get("unit", "")
    handles = []
    edges = classes.edges
    for i, colour in enumerate(classes.colours):
        low, high = edges[i], edges[i + 1]
        label = format_value(high, unit, language) if classes.single_values or low == high \
            else f"{format_value(low, unit, language)} – {format_value(high, unit, language)}"
        handles.append(Patch(facecolor=colour, edgecolor="#666666", alpha=0.85, label=label))
    if np.isnan(values).any() or not handles:
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#666666",
                             label=text("no_data", language)))
    return handles


def incident_points(ax, data: dict, language: str) -> list:
    ax.scatter(data["x"], data["y"], s=3, color="#d95f0e", edgecolors="none", alpha=0.6,
               zorder=3, rasterized=True)
    return [Line2D([], [], marker="o", linestyle="", color="#d95f0e", markersize=4,
                   label="Incident")]


def incident_cells(ax, data: dict, language: str) -> list:
    counts = np.asarray(data["counts"], dtype=float)
    classes = quantile_classes(counts, YLORBR)
    _boxes(ax, data["boxes"], classes.colour_of(counts))
    handles = []
    for i, colour in enumerate(classes.colours):
        low, high = classes.edges[i], classes.edges[i + 1]
        if i > 0:
            low = np.floor(low) + 1
        label = format_number(high, language) if classes.single_values or low >= high \
            else f"{format_number(low, language)} – {format_number(high, language)}"
        handles.append(Patch(facecolor=colour, edgecolor="#666666", label=label))
    return handles


def hot_spots(ax, data: dict, language: str) -> list:
    bins = [int(b) for b in data["bins"]]
    _boxes(ax, data["boxes"], [BIN_COLOURS[b] for b in bins])
    labels = BIN_LABELS.get(language, BIN_LABELS["en"])
    return [Patch(facecolor=BIN_COLOURS[b], edgecolor="#666666", label=labels[b])
            for b in sorted(set(bins), reverse=True)]


def services(ax, data: dict, language: str) -> list:
    types = list(data["types"])
    ax.scatter(data["x"], data["y"], s=22, c=[service_colour(t) for t in types],
               edgecolors="#222222", linewidths=0.5, zorder=3)
    return [Line2D([], [], marker="o", linestyle="", markerfacecolor=SERVICE_COLOURS[kind],
                   markeredgecolor="#222222", markersize=5,
                   label=map_text("other_types", language) if kind == "other"
                   else service_type_label(kind, language))
            for kind in legend_order(types)]


# --- drawing helpers --------------------------------------------------------------------------
def _streets(ax, streets: list[dict] | None) -> None:
    """The street base under every layer (``map_streets.street_records``): lines by class,
    the wider streets named (local streets would bury a whole station in names at this
    scale), the credit in a corner."""
    if not streets:
        return
    by_class: dict[str, list] = {}
    for street in streets:
        by_class.setdefault(street["class"], []).extend(
            np.asarray(part.coords)[:, :2] for part in shapely.get_parts(street["geometry"])
            if part.geom_type == "LineString")
    for kind, segments in by_class.items():
        colour, weight = style_of(kind)
        # Pale lines with a grey casing: legible on white, discreet under the layers.
        for colour_, width, z in ((CASING, weight * 0.45 + 0.5, 0.2),
                                  (colour, weight * 0.45, 0.3)):
            ax.add_collection(LineCollection(segments, colors=colour_, linewidths=width,
                                             zorder=z, capstyle="round"))
    renderer = ax.figure.canvas.get_renderer()
    named, taken = set(), []
    wide = ((s["name"], s["geometry"]) for s in streets if s["class"] not in LOCAL_CLASSES)
    for x, y, angle, name in label_points(wide):
        if name in named or not _inside_view(ax, shapely.Point(x, y)):
            continue
        label = ax.annotate(name, (x, y), fontsize=FONT_SIZE - 2, color="#555555",
                            ha="center", va="center", style="italic", rotation=angle,
                            rotation_mode="anchor", zorder=1.5)  # above the shading
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in taken):
            label.remove()  # names over names are read as neither
            continue
        named.add(name)
        taken.append(box)
    credit = " · ".join(attributions(s["attribution"] for s in streets))
    if credit:
        ax.annotate(credit, (0.005, 0.005), xycoords="axes fraction", fontsize=FONT_SIZE - 2.5,
                    color="#444444", zorder=8,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})


def _path(geometry) -> Path:
    """One compound path (holes included) of a polygon or multipolygon."""
    vertices, codes = [], []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            vertices.append(xy)
            ring_codes = np.full(len(xy), Path.LINETO)
            ring_codes[0] = Path.MOVETO
            ring_codes[-1] = Path.CLOSEPOLY
            codes.append(ring_codes)
    if not vertices:
        return Path(np.zeros((1, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _boxes(ax, boxes, colours) -> None:
    """Square cells as one collection of closed paths, made at once rather than through a
    ``Rectangle`` artist per cell (hundreds per map); the corners are computed as the
    rectangle's own transform would, so the image is the same to the pixel."""
    west, south, east, north = np.asarray(boxes, dtype=float).reshape(-1, 4).T
    right = ((west + (east - west)) - west) + west
    top = ((south + (north - south)) - south) + south
    corners = np.stack([np.stack([west, south], axis=1), np.stack([right, south], axis=1),
                        np.stack([right, top], axis=1), np.stack([west, top], axis=1),
                        np.stack([west, south], axis=1)], axis=1)
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    ax.add_collection(PathCollection([Path(c, codes) for c in corners], facecolors=colours,
                                     edgecolors="#444444", linewidths=0.3, alpha=0.9, zorder=2))


def _outlines(ax, data: dict) -> None:
    # add_artist, not add_patch: the view is set by ``_frame``, and updating the data limits
    # with every outline's vertices took as long as drawing them.
    for station_id, geometry in data.get("neighbours", []):
        ax.add_artist(PathPatch(_path(geometry), facecolor="none", edgecolor="#6b6b6b",
                                linewidth=0.8, linestyle="--", zorder=4))
        point = geometry.representative_point()
        if _inside_view(ax, point):
            ax.annotate(station_label(station_id), (point.x, point.y), fontsize=FONT_SIZE,
                        color="#555555", ha="center", zorder=5)
    ax.add_artist(PathPatch(_path(data["station"]), facecolor="none", edgecolor="#111111",
                            linewidth=1.8, zorder=5))


def _frame(ax, station) -> None:
    west, south, east, north = shapely.bounds(station)
    width, height = east - west, north - south
    ratio = SIZE[0] * MAP_SHARE / SIZE[1]
    if width / max(height, 1.0) < ratio:  # widen to fill the figure
        grow = (height * ratio - width) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / ratio - height) / 2
        south, north = south - grow, north + grow
    pad = MARGIN * (east - west)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)


def _inside_view(ax, point) -> bool:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return x0 < point.x < x1 and y0 < point.y < y1


def _scale_bar(ax, language: str) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    target = (x1 - x0) / 5
    length = max([n for n in NICE_LENGTHS if n <= target] or [NICE_LENGTHS[0]])
    right, bottom = x1 - 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    height = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((right - length, bottom), length, height, facecolor="#111111",
                           edgecolor="#111111", zorder=6))
    ax.add_patch(Rectangle((right - length, bottom), length / 2, height, facecolor="white",
                           edgecolor="#111111", linewidth=0.6, zorder=7))
    label = text("scale_km", language, km=format_number(length / 1000, language,
                                                        0 if length % 1000 == 0 else 1)) \
        if length >= 1000 else text("scale", language, metres=length)
    ax.annotate(label, (right - length / 2, bottom + 1.8 * height), ha="center",
                fontsize=FONT_SIZE, zorder=7,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})


MAPS: dict[str, Callable] = {
    "map_census": census, "map_incidents": incident_points,
    "map_incident_cells": incident_cells, "map_hot_spots": hot_spots,
    "map_services": services,
}
