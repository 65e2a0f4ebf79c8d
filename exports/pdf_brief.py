"""The PDF brief (reportlab platypus): cover, contents, key figures, a section per part of
the portrait with maps, charts and tables, the records, and the appendices (definitions
and sources, parameters used, disclosure control).

All text goes through ``safe_text.pdf_text`` before it reaches a ``Paragraph``: names and
notes typed by users may hold ``<`` or ``&``, which reportlab would read as markup. Maps
and charts are rasterised once at ``BriefOptions.dpi`` (150 by default) so a station's PDF
stays well under 5 MB.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from exports.atomic_file import write_atomically
from exports.brief_appendix import disclosure_text, methods
from exports.brief_cells import card_fields, cell_text, is_card_table, row_unit
from exports.brief_model import Brief, BriefSection, BriefTable, Figure
from exports.brief_text import format_level, format_number, text
from exports.charts import CHARTS, draw_chart
from exports.map_text import station_label
from exports.pdf_styles import (
    INTERNAL_BANNER,
    PARTNER_BANNER,
    TEXT_WIDTH,
    BriefDocument,
    FastImage,
    styles,
    table_of_contents,
    table_style,
)
from exports.safe_text import pdf_text
from exports.static_maps import MAPS, draw_map
from portrait.wording import in_language

#: Text up to this length goes in a plain (unwrapped) cell.
SHORT_CELL = 14
#: Partner brief: figures per section, rows per table, and the room (points) a section
#: needs at the foot of a page to start there rather than on the next.
PARTNER_FIGURE_HEIGHT = 62 * mm
PARTNER_MAP_HEIGHT = 85 * mm
#: Share of the text width a partner section's map takes, its sentences the rest.
MAP_SHARE = 0.6
HIGHLIGHTS_MAP_HEIGHT = 95 * mm
PARTNER_TABLES = 1
PARTNER_TABLE_ROWS = 8
#: Columns a partner's compact tables leave to the workbook (the test's method in words).
PARTNER_LEFT_OUT = ("method",)
PARTNER_SECTION_ROOM = 200
#: Room (points) the methods need at the foot of a page to start there.
METHODS_ROOM = 320
CARD_EDGE = colors.HexColor("#5b6f82")
#: Relative widths of column kinds when a table is laid out.
_WEIGHTS = {"text": 2.3, "measure": 1.2, "int": 1.15, "number": 1.0, "percent": 1.0,
            "p": 0.9}


def write_pdf_brief(brief: Brief, path: str | os.PathLike[str]) -> Path:
    """Write ``brief`` as a PDF to ``path`` atomically (no half-written file is left)."""
    content = pdf_bytes(brief)
    return write_atomically(path, lambda temp: temp.write_bytes(content))


def pdf_bytes(brief: Brief) -> bytes:
    """The PDF of ``brief``."""
    style = styles()
    language = brief.language
    buffer = io.BytesIO()
    footer = f"{text('brief_title', language)} — {station_label(brief.station_id)} — " \
             f"{text('audience_' + brief.audience, language)}"
    document = BriefDocument(buffer, footer, text("page", language, page="{page}"),
                             title=f"{text('brief_title', language)} — "
                                   f"{station_label(brief.station_id)}",
                             author="Portrait de quartier", lang=language,
                             mark=text("draft_mark", language) if brief.draft else "")
    if brief.audience == "partner":
        story = _partner_story(brief, style)
    else:
        story = _cover(brief, style)
        story += [Paragraph(pdf_text(text("contents", language)), style["h1"]),
                  table_of_contents(style), PageBreak()]
        story += _key_figures(brief, style)
        for number, section in enumerate(brief.sections):
            story += _section(section, number, brief, style)
        story += _appendices(brief, style)
    saved = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: ASCII85 in pure Python costs a second a brief
    try:
        if brief.audience == "partner":
            document.build_once(story)
        else:
            document.multiBuild(story)
    finally:
        rl_config.useA85 = saved
    return buffer.getvalue()


def _partner_story(brief: Brief, style) -> list:
    """The brief a partner reads in ten minutes (at most 12 pages): the highlights with the
    station's map first, the key figures, each section with its figure, sentences and
    compact tables one after the other, the methods in plain words and the disclosure rules.
    Detailed tables, definitions and parameters stay in the workbook and the internal brief."""
    first_map = _first_map(brief)
    story = _highlights(brief, first_map, style)[:-1]  # the key figures follow on page 1
    story += [Spacer(1, 6)] + _key_figures(brief, style)
    for number, section in enumerate(brief.sections):
        story += _section(section, number, brief, style, skip=first_map)[:-1]
        story.append(CondPageBreak(PARTNER_SECTION_ROOM))
    story.append(CondPageBreak(METHODS_ROOM))  # the methods go on under the records
    story.append(_heading(text("methods", brief.language), style, key="m"))
    for paragraph in methods(brief):
        story += [Paragraph(pdf_text(paragraph), style["body"]), Spacer(1, 4)]
    story.append(Spacer(1, 8))
    story += _disclosure(brief, style)
    return story


def _first_map(brief: Brief) -> Figure | None:
    """The station's map on the highlights page: the hot spots, else the incidents."""
    figures = {f.id: f for s in brief.sections for f in s.figures}
    for figure_id in ("hot_spot_map", "incidents_map", "census_map"):
        if figure_id in figures:
            return figures[figure_id]
    return None


def _highlights(brief: Brief, first_map: Figure | None, style) -> list:
    language = brief.language
    banner = Table([[Paragraph(pdf_text(text(f"audience_{brief.audience}", language)),
                               style["banner"])]], colWidths=[TEXT_WIDTH])
    banner.setStyle([("BACKGROUND", (0, 0), (-1, -1), PARTNER_BANNER),
                     ("TOPPADDING", (0, 0), (-1, -1), 4),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    story: list = [_heading(f"{text('highlights', language)} — {_station_title(brief)}",
                            style, key="h"), banner, Spacer(1, 6)]
    if first_map is not None:
        story += _figure(first_map, brief, style, max_height=HIGHLIGHTS_MAP_HEIGHT)
    bullet = ParagraphStyle("highlight", parent=style["body"], leftIndent=10, bulletIndent=0,
                            spaceAfter=3)
    story += [Paragraph(pdf_text(sentence), bullet, bulletText="•")
              for sentence in brief.highlights]
    story.append(Paragraph(pdf_text(brief.approval or text("draft_note", language)),
                           style["small"]))
    return story + [PageBreak()]


def _heading(title: str, style, level: int = 0, key: str | None = None) -> Paragraph:
    paragraph = Paragraph(pdf_text(title), style["h1" if level == 0 else "h2"])
    paragraph.toc_level = level
    paragraph.toc_key = key
    paragraph.keepWithNext = 1  # never alone at the foot of a page
    return paragraph


def _cover(brief: Brief, style) -> list:
    language = brief.language
    period = " – ".join(brief.period) if brief.period else text("whole_period", language)
    area = "–" if brief.area_km2 is None else \
        f"{format_number(brief.area_km2, language, 1)} km²"
    facts = [(text("cover_station", language), _station_title(brief)),
             (text("cover_area", language), area),
             (text("cover_period", language), period),
             (text("cover_audience", language), text(f"audience_{brief.audience}", language)),
             (text("cover_date", language), brief.generated_on),
             (text("cover_language", language), text("language_name", language)),
             (text("cover_approval", language),
              brief.approval or text("draft_note", language))]
    rows = [[Paragraph(pdf_text(k), style["cell_head"]), Paragraph(pdf_text(v), style["body"])]
            for k, v in facts]
    facts_table = Table(rows, colWidths=[0.3 * TEXT_WIDTH, 0.7 * TEXT_WIDTH])
    facts_table.setStyle(table_style(header_rows=0, zebra=False))
    banner = Table([[Paragraph(pdf_text(text(f"audience_{brief.audience}", language)),
                               style["banner"])]], colWidths=[TEXT_WIDTH])
    colour = PARTNER_BANNER if brief.audience == "partner" else INTERNAL_BANNER
    banner.setStyle([("BACKGROUND", (0, 0), (-1, -1), colour),
                     ("TOPPADDING", (0, 0), (-1, -1), 6),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    story = [Spacer(1, 50), Paragraph(pdf_text(text("brief_title", language)), style["title"]),
             Paragraph(pdf_text(_station_title(brief)), style["subtitle"]), banner,
             Spacer(1, 18), facts_table]
    if brief.workspace_title:
        story += [Spacer(1, 12), Paragraph(pdf_text(brief.workspace_title), style["small"])]
    return story + [PageBreak()]


def _station_title(brief: Brief) -> str:
    label = station_label(brief.station_id)
    name = brief.station_name.strip()
    return label if not name or name == label else f"{label} — {name}"


def _key_figures(brief: Brief, style) -> list:
    language = brief.language
    story = [_heading(text("key_figures", language), style, key="key_figures"),
             Paragraph(pdf_text(text("key_figures_intro", language,
                                     level=format_level(0.95, language))), style["small"]),
             Spacer(1, 6)]
    rows = [[Paragraph(pdf_text(f.label), style["cell"]),
             Paragraph(pdf_text(f.text), style["figure_value"]),
             Paragraph(pdf_text(f.detail), style["cell"])] for f in brief.key_figures]
    if rows:
        table = Table(rows, colWidths=[0.36 * TEXT_WIDTH, 0.34 * TEXT_WIDTH, 0.30 * TEXT_WIDTH])
        table.setStyle(table_style(header_rows=0, rows=len(rows)))
        story.append(table)
    for warning in brief.warnings:
        story.append(Paragraph(pdf_text(warning), style["small"]))
    return story + [PageBreak()]


def _section(section: BriefSection, number: int, brief: Brief, style,
             skip: Figure | None = None) -> list:
    language = brief.language
    partner = brief.audience == "partner"
    heading = _heading(section.title, style, key=f"s{number}")
    paragraphs = [Paragraph(pdf_text(p), style["body"]) for p in section.paragraphs]
    sentences = [Paragraph(pdf_text(s), style["body"]) for s in section.sentences]
    figures = [f for f in section.figures if f is not skip]
    if partner:  # a chart or map, the sentences, a compact table
        story: list = _partner_figure(heading, figures[0] if figures else None,
                                      sentences, brief, style) + paragraphs
    else:  # the station's brief: its sentences, then every figure and table
        story = [heading, *paragraphs, *sentences]
    if section.key_figures and not partner:  # a partner reads them in the sentences
        rows = [[Paragraph(pdf_text(f.label), style["cell"]),
                 Paragraph(pdf_text(f.text), style["cell_head"]),
                 Paragraph(pdf_text(f.detail), style["cell"])] for f in section.key_figures]
        table = Table(rows, colWidths=[0.4 * TEXT_WIDTH, 0.32 * TEXT_WIDTH, 0.28 * TEXT_WIDTH])
        table.setStyle(table_style(header_rows=0, rows=len(rows)))
        story += [table, Spacer(1, 6)]
    for figure in [] if partner else figures:
        story += _figure(figure, brief, style)
    tables = [t for t in section.tables if t.in_pdf]
    if partner and section.id != "records":
        tables = tables[:PARTNER_TABLES]
    for table in tables:
        if section.id == "records" and is_card_table(table):  # problems and consultations
            story += _cards(table, language, style)
        else:
            story += _table(table, language, style, max_rows=PARTNER_TABLE_ROWS if partner
                            and section.id != "records" else None,
                            left_out=PARTNER_LEFT_OUT if partner else ())
    if not partner:  # a partner's caveats are in the workbook, beside the tables
        story += [Paragraph(pdf_text(note), style["small"]) for note in section.notes]
    return story + [PageBreak()]


def _figure(figure: Figure, brief: Brief, style, max_height: float | None = None,
            max_width: float = TEXT_WIDTH) -> list:
    flowables = _figure_parts(figure, brief, style, max_height, max_width)
    return [KeepTogether(flowables)] if flowables else []


def _figure_parts(figure: Figure, brief: Brief, style, max_height: float | None,
                  max_width: float) -> list:
    """The figure's title, image and caption (nothing for a kind no writer draws)."""
    if figure.kind in MAPS:
        png = draw_map(figure, brief.language, brief.options.dpi, "jpeg")
    elif figure.kind in CHARTS:
        png = draw_chart(figure, brief.language, brief.options.dpi, "jpeg")
    else:
        return []
    width, height = ImageReader(io.BytesIO(png)).getSize()
    shown_width = max_width
    if max_height is not None:
        shown_width = min(shown_width, max_height * width / height)
    image = FastImage(io.BytesIO(png), width=shown_width, height=shown_width * height / width)
    captions = [Paragraph(pdf_text(figure.caption), style["caption"])] * bool(figure.caption)
    return [Paragraph(pdf_text(figure.title), style["h2"]), image, *captions]


def _partner_figure(heading: Paragraph, figure: Figure | None, sentences: list[Paragraph],
                    brief: Brief, style) -> list:
    """A partner section's head: its title, then its map with the sentences beside it (a
    map is about square: the sentences use the width it leaves), or its chart across the
    page with the sentences under it; kept on one page."""
    if figure is None:
        return [heading, *sentences]
    if figure.kind in MAPS:
        parts = _figure_parts(figure, brief, style, PARTNER_MAP_HEIGHT, MAP_SHARE * TEXT_WIDTH)
        if parts:
            beside = Table([[parts, sentences]], colWidths=[MAP_SHARE * TEXT_WIDTH,
                                                            (1 - MAP_SHARE) * TEXT_WIDTH])
            beside.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (0, 0), 0),
                             ("TOPPADDING", (1, 0), (1, 0), 24)])
            return [KeepTogether([heading, beside])]
    parts = _figure_parts(figure, brief, style, PARTNER_FIGURE_HEIGHT, TEXT_WIDTH)
    return [KeepTogether([heading, *parts, *sentences])]


def _cards(table: BriefTable, language: str, style) -> list:
    """One card per record: its name across the top, then each field under its label."""
    story: list = [CondPageBreak(130), Paragraph(pdf_text(table.title), style["h2"])]
    for name, details in table.rows[:table.pdf_max_rows]:
        rows = [[Paragraph(pdf_text(str(name)), style["cell_head"]), ""]]
        rows += [[Paragraph(pdf_text(label), style["cell"]),
                  Paragraph(pdf_text(value), style["cell"])]
                 for label, value in card_fields(details, language)]
        card = Table(rows, colWidths=[0.26 * TEXT_WIDTH, 0.74 * TEXT_WIDTH], splitInRow=1)
        card.setStyle(table_style(header_rows=1, zebra=False, rows=len(rows)))
        card.setStyle([("SPAN", (0, 0), (1, 0)), ("BOX", (0, 0), (-1, -1), 0.8, CARD_EDGE)])
        story += [KeepTogether([card, Spacer(1, 6)])]  # a card is read whole, on one page
    return story + _more(table, table.pdf_max_rows, language, style)


def _more(table: BriefTable, shown: int, language: str, style) -> list:
    """What the PDF left out of ``table`` and where to find it (the workbook)."""
    left = len(table.rows) - shown
    if left <= 0:
        return []
    if table.more:
        return [Paragraph(pdf_text(table.more.format(count=left)), style["caption"])]
    return [Paragraph(pdf_text(
        f"{shown} premières lignes sur {len(table.rows)} (toutes dans le classeur Excel)."
        if language == "fr" else f"First {shown} rows of {len(table.rows)} (all in the "
        "workbook)."), style["caption"])]


def _table(table: BriefTable, language: str, style, title: bool = True,
           max_rows: int | None = None, left_out: tuple[str, ...] = ()) -> list:
    keep = [j for j in range(len(table.columns)) if table.columns[j].id not in left_out
            and any(row[j] not in (None, "") for row in table.rows)]
    if not keep:
        return []
    columns = [table.columns[j] for j in keep]
    limit = table.pdf_max_rows if max_rows is None else min(max_rows, table.pdf_max_rows)
    shown = [[row[j] for j in keep] for row in table.rows[:limit]]
    head = [Paragraph(pdf_text(c.label), style["cell_head"]) for c in columns]
    body = [[_cell(cell_text(v, c, row_unit(columns, row), language), style)
             for v, c in zip(row, columns, strict=True)] for row in shown]
    weights = [_WEIGHTS.get(c.kind, 1.0) * (2.2 if c.id in ("details", "definition") else 1.0)
               for c in columns]
    widths = [TEXT_WIDTH * w / sum(weights) for w in weights]
    # splitInRow: a cell taller than a page (a 50,000-character problem description) goes
    # on over the next pages; without it reportlab raised LayoutError and no brief was made.
    grid = Table([head, *body], colWidths=widths, repeatRows=1, splitInRow=1)
    grid.setStyle(table_style(rows=len(body) + 1))
    numeric = [j for j, c in enumerate(columns) if c.kind not in ("text",)]
    for j in numeric:
        grid.setStyle([("ALIGN", (j, 1), (j, -1), "RIGHT")])
    story: list = [CondPageBreak(130)]
    if title:
        story.append(Paragraph(pdf_text(table.title), style["h2"]))
    story.append(grid)
    story += _more(table, len(shown), language, style)
    notes = []
    if table.note:
        notes.append(in_language(table.note, language))
    if table.has_suppressed:
        notes.append(text("suppressed_note", language))
    story += [Paragraph(pdf_text(n), style["caption"]) for n in notes] or [Spacer(1, 6)]
    return story


def _appendices(brief: Brief, style) -> list:
    language = brief.language
    story: list = [_heading(text("appendix_definitions", language), style, key="a")]
    rows = [[d.label, d.definition, d.source, " ".join(x for x in (d.vintage, d.period) if x)]
            for d in brief.definitions]
    story += _plain_table([text("indicator", language), text("definition", language),
                           text("source", language), text("vintage", language)], rows,
                          [0.22, 0.42, 0.18, 0.18], style)
    story += [PageBreak(), _heading(text("appendix_parameters", language), style, key="b")]
    story += _plain_table([text("parameter", language), text("value", language)],
                          [list(p) for p in brief.parameters], [0.34, 0.66], style)
    return story + [PageBreak()] + _disclosure(brief, style)


def _disclosure(brief: Brief, style) -> list:
    language = brief.language
    story: list = [_heading(text("appendix_disclosure", language), style, key="c")]
    intro, entries = disclosure_text(brief)
    story.append(Paragraph(pdf_text(intro), style["body"]))
    story.append(Spacer(1, 6))
    if not entries:
        story.append(Paragraph(pdf_text(text("disclosure_none", language)), style["body"]))
    else:
        rows = [[where, what, why + (f" — {detail}" if detail else "")]
                for where, what, why, detail in entries]
        story += _plain_table([text("where", language), text("what", language),
                               text("why", language)], rows, [0.34, 0.26, 0.40], style)
    return story


def _plain_table(header: list[str], rows: list[list[str]], shares: list[float],
                 style) -> list:
    head = [Paragraph(pdf_text(h), style["cell_head"]) for h in header]
    body = [[_cell(v, style) for v in row] for row in rows]
    grid = Table([head, *body], colWidths=[TEXT_WIDTH * s for s in shares], repeatRows=1,
                 splitInRow=1)
    grid.setStyle(table_style(rows=len(body) + 1))
    return [grid]


def _cell(value: str, style) -> Paragraph | str:
    """Short one-line text as a plain cell (drawn as is, never parsed as markup); longer
    text as an escaped paragraph that wraps. Plain cells are many times cheaper to lay out."""
    if len(value) <= SHORT_CELL and "\n" not in value:
        return value
    return Paragraph(pdf_text(value), style["cell"])
