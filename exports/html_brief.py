"""The interactive map of a brief: one standalone HTML file that works offline.

The map is the station map of ``exports.web_map`` (same layers, legend, palettes and
escaping as the desktop view) with Leaflet inlined and the brief's audience: a partner's
map never holds an incident point, only cells with at least ``k`` incidents, and census
values of small areas are hidden. A banner names the station, period and audience; every
piece of text in it is escaped.
"""

from __future__ import annotations

import os
from pathlib import Path

from branca.element import Element

from exports.atomic_file import write_atomically
from exports.brief_model import Brief
from exports.brief_text import text
from exports.map_text import station_label
from exports.safe_text import html_text
from exports.web_map import MapOptions, build_station_map

_BANNER = ('<div class="pq-brief-banner" style="position:fixed;top:8px;left:50px;z-index:1000;'
           'background:rgba(255,255,255,0.94);padding:6px 10px;border-radius:4px;'
           'box-shadow:0 1px 5px rgba(0,0,0,0.35);font:13px \'DejaVu Sans\',Arial,sans-serif;'
           'max-width:60%">{body}</div>')


#: The panel of figures takes the right of the window; the map keeps the rest, with its
#: own controls inside it.
PANEL_WIDTH_PX = 320
_PANEL = ('<div class="pq-brief-figures" style="position:fixed;top:0;right:0;bottom:0;'
          f'width:{PANEL_WIDTH_PX - 20}px;overflow-y:auto;background:#fff;padding:6px 10px;'
          'border-left:1px solid #ccc;font:12px \'DejaVu Sans\',Arial,sans-serif">{body}</div>')
_MAP_BESIDE_PANEL = (f"<style>.folium-map {{ width: calc(100% - {PANEL_WIDTH_PX}px) "
                     "!important; }</style>")


def map_options(brief: Brief) -> MapOptions:
    """The web-map options matching ``brief`` (audience, language, thresholds, period)."""
    options = brief.options
    return MapOptions(brief.station_id, indicator_id=options.census_indicator,
                      assets="inline", language=brief.language, audience=brief.audience,
                      min_cell_count=options.min_cell_count,
                      survey_min_n=options.survey_min_n,
                      cell_size_m=int(options.cell_size_m), period=brief.period)


def html_brief(workspace, brief: Brief, portrait=None) -> str:
    """The page of the brief's interactive map; with the ``portrait`` the brief was built
    from, its hot-spot cells (a partner's cells name their class, never a count)."""
    fmap = build_station_map(workspace, map_options(brief), portrait)
    language = brief.language
    period = " – ".join(brief.period) if brief.period else text("whole_period", language)
    title = text("quarterly_title" if brief.kind == "quarterly" else "brief_title", language)
    body = (f"<strong>{html_text(title)} — "
            f"{html_text(station_label(brief.station_id))}</strong><br>"
            f"{html_text(brief.station_name)}<br>{html_text(period)}<br>"
            f"<em>{html_text(text('audience_' + brief.audience, language))}</em>")
    if brief.draft:
        body = (f'<strong class="pq-draft" style="color:#b35c00">'
                f'{html_text(text("draft_mark", language))}</strong><br>{body}')
    elif brief.approval:
        body += f"<br>{html_text(brief.approval)}"
    fmap.get_root().html.add_child(Element(_BANNER.format(body=body)), name="brief_banner")
    if brief.highlights or brief.key_figures:
        fmap.get_root().header.add_child(Element(_MAP_BESIDE_PANEL), name="brief_layout")
        fmap.get_root().html.add_child(Element(_figures_panel(brief)), name="brief_figures")
    return fmap.get_root().render()


def _figures_panel(brief: Brief) -> str:
    """The highlights and key figures beside the map, as the PDF's first pages give them
    (already masked for the audience), so the map is read with its numbers."""
    language = brief.language
    items = "".join(f"<li>{html_text(sentence)}</li>" for sentence in brief.highlights)
    rows = "".join(f'<tr><th style="text-align:left">{html_text(f.label)}</th>'
                   f"<td>{html_text(f.text)}</td></tr>" for f in brief.key_figures)
    body = (f"<h3>{html_text(text('highlights', language))}</h3><ul>{items}</ul>"
            if items else "")
    if rows:
        body += f"<h3>{html_text(text('key_figures', language))}</h3><table>{rows}</table>"
    return _PANEL.format(body=body)


def write_html_brief(workspace, brief: Brief, path: str | os.PathLike[str],
                     portrait=None) -> Path:
    """Write the brief's map page to ``path`` atomically."""
    page = html_brief(workspace, brief, portrait)
    return write_atomically(path, lambda temp: temp.write_text(page, encoding="utf-8"))
