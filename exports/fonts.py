"""The TrueType font of the PDF briefs: DejaVu Sans, as shipped with matplotlib.

reportlab's built-in Helvetica only knows Latin-1 glyph names: « œ » and the narrow
no-break space French uses before « % » come out as black boxes or vanish. DejaVu Sans
prints every character of French (é è à ç œ « » ’ and U+202F) and is already installed with
matplotlib, so nothing more has to be shipped; the same font draws the maps and charts, so
text on a page and in its figures match.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf",
          FONT_ITALIC: "DejaVuSans-Oblique.ttf"}


def font_path(name: str = FONT) -> Path:
    """Where matplotlib keeps the TTF file of ``name``."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _FILES[name]


@cache
def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab once; returns its name.

    Bold and italic are tied to the family so ``<b>`` and ``<i>`` in paragraphs work.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in _FILES:
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT
