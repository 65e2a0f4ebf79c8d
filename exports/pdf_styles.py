"""Page layout and styles of the PDF briefs: A4 pages with a footer (station, audience,
page number), paragraph styles in DejaVu Sans, table styles, and a document template that
feeds the table of contents.

The table of contents needs two passes (``multiBuild``): headings report their page in
``afterFlowable`` on the first pass and the contents page prints them on the second.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, Image, PageTemplate, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from exports.fonts import FONT, FONT_BOLD, register_fonts

PAGE = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#0b4f8a")
MUTED = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#dde7f0")
ZEBRA_FILL = colors.HexColor("#f4f6f8")
RULE = colors.HexColor("#9aa7b3")
PARTNER_BANNER = colors.HexColor("#2f6f3e")
INTERNAL_BANNER = colors.HexColor("#8a1c1c")
DRAFT_MARK = colors.HexColor("#b35c00")


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, in the registered DejaVu font."""
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5,
                                textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=FONT_BOLD,
                                    fontSize=7.5, leading=9),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=26,
                                leading=32, textColor=ACCENT, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=20,
                                   spaceAfter=18),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19,
                             textColor=ACCENT, spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=10.5,
                             leading=13, spaceBefore=8, spaceAfter=4),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.5, leading=9.5,
                                  textColor=MUTED, spaceBefore=2, spaceAfter=8),
        "banner": ParagraphStyle("banner", parent=base, fontName=FONT_BOLD, fontSize=10,
                                 leading=13, textColor=colors.white, alignment=TA_CENTER),
        "figure_value": ParagraphStyle("figure_value", parent=base, fontName=FONT_BOLD,
                                       fontSize=10, leading=13),
        "toc0": ParagraphStyle("toc0", parent=base, fontSize=10, leading=15, leftIndent=0),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=8.5, leading=12, leftIndent=14),
    }


def table_style(header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for row in range(header_rows + 1, rows, 2):
            commands.append(("BACKGROUND", (0, row), (-1, row), ZEBRA_FILL))
    return TableStyle(commands)


def table_of_contents(style: dict[str, ParagraphStyle]) -> TableOfContents:
    toc = TableOfContents()
    toc.levelStyles = [style["toc0"], style["toc1"]]
    toc.dotsMinLevel = 0
    return toc


class BriefDocument(BaseDocTemplate):
    """A4 pages with a footer; headings marked ``toc_level`` go to the table of contents."""

    def __init__(self, target, footer: str, page_label: str, mark: str = "",
                 **kwargs) -> None:
        super().__init__(target, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, **kwargs)
        self._footer = footer
        self._page_label = page_label
        #: Printed above every page's text ("Version de travail" on an unapproved brief).
        self._mark = mark
        frame = Frame(MARGIN, MARGIN + 4 * mm, TEXT_WIDTH, PAGE[1] - 2 * MARGIN - 4 * mm,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    #: Passes of ``multiBuild`` done so far (the first one only measures pages).
    passes = 0

    def build(self, flowables, *args, **kwargs) -> None:
        self.passes += 1
        super().build(flowables, *args, **kwargs)

    def build_once(self, flowables) -> None:
        """One pass, for a document without a table of contents: nothing to measure first,
        so the images are drawn on this pass."""
        self.passes = 1
        self.build(flowables)

    def _decorate(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN + 1 * mm, PAGE[0] - MARGIN, MARGIN + 1 * mm)
        canvas.drawString(MARGIN, MARGIN - 3 * mm, self._footer)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 3 * mm,
                               self._page_label.format(page=document.page))
        if self._mark:
            canvas.setFont(FONT_BOLD, 10)
            canvas.setFillColor(DRAFT_MARK)
            canvas.drawCentredString(PAGE[0] / 2, PAGE[1] - MARGIN / 2 - 2 * mm, self._mark)
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            key = getattr(flowable, "toc_key", None)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))
            if key:
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level,
                                          closed=level > 0)


class FastImage(Image):
    """An image that is only embedded on the final pass of ``multiBuild``.

    The first pass only finds the pages headings fall on; embedding every map and chart
    there too would double the time spent compressing them.
    """

    def draw(self) -> None:
        document = getattr(self.canv, "_doctemplate", None)
        if document is not None and getattr(document, "passes", 0) == 1:
            return
        super().draw()
