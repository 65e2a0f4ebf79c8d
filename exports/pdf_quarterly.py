"""The PDF of the community quarterly report: two to four pages a resident can read.

The station's portrait is a long reference document (contents, a page per section,
appendices); the quarterly report is handed out at a community meeting, so its sections
follow one another without page breaks, there is no table of contents, and the appendices
shrink to one closing paragraph on what was suppressed and why. It shares the page template
(footer, "working draft" mark), styles and escaping of the portrait's PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

from exports.atomic_file import write_atomically
from exports.brief_cells import cell_text, row_unit
from exports.brief_model import Brief, BriefTable
from exports.brief_text import text
from exports.map_text import station_label
from exports.pdf_styles import (
    INTERNAL_BANNER,
    PARTNER_BANNER,
    TEXT_WIDTH,
    BriefDocument,
    styles,
    table_style,
)
from exports.safe_text import pdf_text
from portrait.quarters import quarter_of

#: Relative widths of the columns by kind; long text columns ("details") get more room.
_WEIGHTS = {"text": 2.0, "int": 0.9, "p": 0.8, "number": 0.9}


def write_quarterly_pdf(brief: Brief, path: str | os.PathLike[str]) -> Path:
    """Write the quarterly ``brief`` as a PDF to ``path`` atomically."""
    content = quarterly_pdf_bytes(brief)
    return write_atomically(path, lambda temp: temp.write_bytes(content))


def quarterly_pdf_bytes(brief: Brief) -> bytes:
    style = styles()
    language = brief.language
    title = text("quarterly_title", language)
    buffer = io.BytesIO()
    document = BriefDocument(
        buffer, f"{title} — {station_label(brief.station_id)} — "
                f"{text('audience_' + brief.audience, language)}",
        text("page", language, page="{page}"), title=f"{title} — "
        f"{station_label(brief.station_id)}", author="Portrait de quartier", lang=language,
        mark=text("draft_mark", language) if brief.draft else "")
    story = _head(brief, style)
    for section in brief.sections:
        heading = Paragraph(pdf_text(section.title), style["h1"])
        body = [Paragraph(pdf_text(p), style["body"]) for p in section.paragraphs]
        tables = [_table(table, language, style, titled=table.title != section.title)
                  for table in section.tables]
        # A heading is not left alone at the foot of a page.
        story += [CondPageBreak(110), heading, *body]
        for table in tables:
            story += table
        story += [Paragraph(pdf_text(note), style["small"]) for note in section.notes]
        story.append(Spacer(1, 8))
    story += _closing(brief, style)
    document.build(story)
    return buffer.getvalue()


def _head(brief: Brief, style) -> list:
    language = brief.language
    label = station_label(brief.station_id)
    name = brief.station_name.strip()
    station = label if not name or name == label else f"{label} — {name}"
    quarter = quarter_of(dt.date.fromisoformat(brief.period[0])).label_in(language) \
        if brief.period else ""
    banner = Table([[Paragraph(pdf_text(text(f"audience_{brief.audience}", language)),
                               style["banner"])]], colWidths=[TEXT_WIDTH])
    colour = PARTNER_BANNER if brief.audience == "partner" else INTERNAL_BANNER
    banner.setStyle([("BACKGROUND", (0, 0), (-1, -1), colour),
                     ("TOPPADDING", (0, 0), (-1, -1), 4),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    facts = [(text("cover_station", language), station),
             (text("quarterly_cover_quarter", language), quarter),
             (text("cover_date", language), brief.generated_on),
             (text("cover_approval", language), brief.approval or
              text("draft_note", language))]
    rows = [[Paragraph(pdf_text(k), style["cell_head"]), Paragraph(pdf_text(v), style["body"])]
            for k, v in facts]
    grid = Table(rows, colWidths=[0.25 * TEXT_WIDTH, 0.75 * TEXT_WIDTH])
    grid.setStyle(table_style(header_rows=0, zebra=False))
    story = [Paragraph(pdf_text(text("quarterly_title", language)), style["title"]),
             Paragraph(pdf_text(station), style["subtitle"]), banner, Spacer(1, 8), grid]
    story += [Paragraph(pdf_text(w), style["small"]) for w in brief.warnings]
    return story + [Spacer(1, 10)]


def _table(table: BriefTable, language: str, style, titled: bool = True) -> list:
    """The table's title (unless its section's says it), grid and notes; columns with
    nothing in them are left out."""
    # Methods are long and mostly alike: named once under the table, not on every row.
    methods = [j for j, c in enumerate(table.columns) if c.id == "method"]
    keep = [j for j in range(len(table.columns)) if j not in methods
            and any(row[j] not in (None, "") for row in table.rows)]
    if not keep:
        return []
    columns = [table.columns[j] for j in keep]
    head = [Paragraph(pdf_text(c.label), style["cell_head"]) for c in columns]
    body = [[Paragraph(pdf_text(cell_text(row[j], c, row_unit(table.columns, row), language)),
                       style["cell"]) for j, c in zip(keep, columns, strict=True)]
            for row in table.rows]
    weights = [_WEIGHTS.get(c.kind, 1.0) * (2.6 if c.id == "details" else 1.0)
               for c in columns]
    grid = Table([head, *body], colWidths=[TEXT_WIDTH * w / sum(weights) for w in weights],
                 repeatRows=1)
    grid.setStyle(table_style(rows=len(body) + 1))
    story: list = [Paragraph(pdf_text(table.title), style["h2"])] if titled else []
    story.append(grid)
    notes = [table.note] if table.note else []
    named = list(dict.fromkeys(row[j] for row in table.rows for j in methods
                               if isinstance(row[j], str) and row[j]))
    if named:
        notes.append(text("quarterly_methods", language, methods="; ".join(named)))
    if table.has_suppressed:
        notes.append(text("suppressed_note", language))
    return story + [Paragraph(pdf_text(n), style["caption"]) for n in notes]


def _closing(brief: Brief, style) -> list:
    """What was suppressed and why, in a paragraph (the portrait has a whole appendix)."""
    language = brief.language
    story = [CondPageBreak(60),
             Paragraph(pdf_text(text("disclosure_sheet", language)), style["h2"])]
    if brief.audience == "internal":
        story.append(Paragraph(pdf_text(text("disclosure_intro_internal", language)),
                               style["small"]))
    entries = brief.disclosure.entries
    if not entries:
        return story + [Paragraph(pdf_text(text("disclosure_none", language)), style["small"])]
    lines = [f"{e.item} : {text('reason_' + e.reason, language)}" if language == "fr" else
             f"{e.item}: {text('reason_' + e.reason, language)}" for e in entries]
    return story + [Paragraph(pdf_text("; ".join(lines) + "."), style["small"])]
