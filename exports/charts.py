"""Charts of the briefs drawn with matplotlib, as PNG bytes: trend, seasonality, the
shift-or-hour grid, categories and survey answers.

Charts are drawn on ``matplotlib.figure.Figure`` objects with the Agg canvas, never through
pyplot: no global state, no GUI backend, and nothing kept alive between stations of a batch.
Suppressed values (partner briefs) are never drawn as numbers: a trend has a gap, a bar or
grid cell shows the marker "x".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.layout_engine import TightLayoutEngine
from matplotlib.ticker import FuncFormatter, MaxNLocator

from exports.brief_model import SUPPRESSED, Figure
from exports.brief_text import format_number
from exports.map_classes import YLORBR

LINE_COLOUR = "#0072B2"
BAR_COLOUR = "#56B4E9"
MARKER_COLOUR = "#555555"
FONT_SIZE = 8
#: Chart size in inches (width, height): the PDF's text width.
SIZE = (6.6, 2.6)


def draw_chart(figure: Figure, language: str, dpi: int = 150, image_format: str = "png") -> bytes:
    """Image bytes (PNG or JPEG) of ``figure`` (its ``kind`` names the chart)."""
    drawer = CHARTS[figure.kind]
    fig = MplFigure(figsize=SIZE if figure.kind != "chart_grid" else _grid_size(figure),
                    dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    drawer(ax, figure.data, language)
    # Laid out once, without making it the figure's layout engine: ``fig.tight_layout``
    # leaves a placeholder engine behind, for which ``savefig`` lays the figure out again in
    # a whole extra (hidden) drawing pass.
    TightLayoutEngine(pad=0.4, rect=None).execute(fig)
    from exports.static_maps import save_image

    return save_image(fig, dpi, image_format)


def _numbers(language: str, decimals: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda v, _: format_number(v, language, decimals))


def _values(values: list) -> np.ndarray:
    return np.array([np.nan if v is SUPPRESSED or v is None else float(v) for v in values])


def monthly(ax, data: dict, language: str) -> None:
    values = _values(data["values"])
    x = np.arange(len(values))
    ax.plot(x, values, color=LINE_COLOUR, linewidth=1.4, marker="o", markersize=2.2)
    hidden = [i for i, v in enumerate(data["values"]) if v is SUPPRESSED]
    for i in hidden:
        ax.annotate("x", (i, 0), ha="center", va="bottom", fontsize=FONT_SIZE,
                    color=MARKER_COLOUR)
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [m for m in data["months"]][::step], rotation=45, ha="right")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(_numbers(language))
    ax.grid(axis="y", linewidth=0.4, alpha=0.6)


def seasonality(ax, data: dict, language: str) -> None:
    values = _values(data["values"])
    x = np.arange(len(values))
    ax.bar(x, np.nan_to_num(values), color=BAR_COLOUR, edgecolor="#333333", linewidth=0.4)
    for i, v in enumerate(data["values"]):
        if v is SUPPRESSED:
            ax.annotate("x", (i, 0.02), ha="center", fontsize=FONT_SIZE, color=MARKER_COLOUR)
    ax.axhline(1.0, color="#222222", linewidth=0.8, linestyle="--")
    ax.set_xticks(x, data["labels"])
    ax.yaxis.set_major_formatter(_numbers(language, 1))
    ax.set_ylabel("Indice (1 = moyenne)" if language == "fr" else "Index (1 = average)",
                  fontsize=FONT_SIZE)


def categories(ax, data: dict, language: str) -> None:
    values = _values(data["values"])
    order = np.argsort(np.nan_to_num(values, nan=-1.0))
    labels = [data["labels"][i] for i in order]
    y = np.arange(len(order))
    ax.barh(y, np.nan_to_num(values[order]), color=BAR_COLOUR, edgecolor="#333333",
            linewidth=0.4)
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for row, i in enumerate(order):
        shown = "x" if data["values"][i] is SUPPRESSED else format_number(values[i], language)
        ax.annotate(shown, (np.nan_to_num(values[i]) + top * 0.01, row), va="center",
                    fontsize=FONT_SIZE - 1)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_formatter(_numbers(language))


def grid(ax, data: dict, language: str) -> None:
    values = _values([v for row in data["values"] for v in row]).reshape(
        len(data["rows"]), len(data["columns"]))
    cmap = _sequential().with_extremes(bad="#e0e0e0")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto")
    small = len(data["rows"]) <= 8
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            raw = data["values"][i][j]
            if raw is SUPPRESSED:
                ax.text(j, i, "x", ha="center", va="center", fontsize=FONT_SIZE - 1,
                        color=MARKER_COLOUR)
            elif small:
                ax.text(j, i, format_number(values[i, j], language), ha="center",
                        va="center", fontsize=FONT_SIZE - 1,
                        color="white" if image.norm(values[i, j]) > 0.6 else "#222222")
    ax.set_xticks(range(len(data["columns"])), data["columns"])
    ax.set_yticks(range(len(data["rows"])), data["rows"])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.ax.tick_params(labelsize=FONT_SIZE - 1)
    colorbar.formatter = _numbers(language)
    colorbar.update_ticks()


def survey(ax, data: dict, language: str) -> None:
    """Favourable share of each question with its interval; "x" where suppressed."""
    labels = [b[0] for b in data["bars"]]
    values = _values([b[1] for b in data["bars"]])
    low = np.array([np.nan if b[2] is None else b[2] for b in data["bars"]], dtype=float)
    high = np.array([np.nan if b[3] is None else b[3] for b in data["bars"]], dtype=float)
    y = np.arange(len(labels))
    ax.barh(y, np.nan_to_num(values), color=BAR_COLOUR, edgecolor="#333333", linewidth=0.4)
    ok = np.isfinite(low) & np.isfinite(high) & np.isfinite(values)
    below = np.clip(values[ok] - low[ok], 0, None)
    above = np.clip(high[ok] - values[ok], 0, None)
    ax.errorbar(values[ok], y[ok], xerr=[below, above],
                fmt="none", ecolor="#222222", elinewidth=0.8, capsize=2)
    for i, raw in enumerate(data["bars"]):
        if raw[1] is SUPPRESSED:
            ax.annotate("x", (1, i), va="center", fontsize=FONT_SIZE, color=MARKER_COLOUR)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: f"{v:.0f}\u00a0%" if language == "fr" else f"{v:.0f}%"))
    ax.grid(axis="x", linewidth=0.4, alpha=0.6)
    ax.figure.set_size_inches(SIZE[0], max(1.6, 0.22 * len(labels) + 0.8))


def _sequential():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("ylorbr", YLORBR)


def _grid_size(figure: Figure) -> tuple[float, float]:
    rows = len(figure.data["rows"])
    return (SIZE[0], 1.6 if rows <= 3 else min(5.2, 0.17 * rows + 0.8))


CHARTS: dict[str, Callable] = {
    "chart_monthly": monthly, "chart_seasonality": seasonality,
    "chart_categories": categories, "chart_grid": grid, "chart_survey": survey,
}
