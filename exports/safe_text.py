"""User and imported text made safe for each output: spreadsheets, HTML and PDF markup.

Names and notes typed by officers or read from partners' files end up in workbooks, web
pages and PDFs that leave the station. Each format has its own way of turning text into
something active, so each gets its own neutraliser:

- spreadsheets evaluate a cell that starts with ``= + - @`` (or a tab or carriage return
  before one) as a formula: ``=HYPERLINK("http://x","y")`` becomes a link that can leak
  data. The OWASP / ASVS 1.2.10 rule is to mark such values as text with a leading single
  quote. In a CSV that quote has to be a real character (``neutralise_formula``); in an
  .xlsx workbook the writer stores the value as a string cell with Excel's own "quote
  prefix" flag (the invisible apostrophe Excel sets when a person types ``'=...``), so the
  text reads as written and stays text even when the cell is edited (``spreadsheet_text``
  says when the flag is needed);
- HTML runs ``<script>`` and event attributes: every character that starts markup is
  escaped (``html_text``);
- reportlab paragraphs parse a small markup language: ``<`` and ``&`` in a name would
  break the page or inject tags (``pdf_text``).

Characters that XML 1.0 forbids (NUL and most control characters) are removed everywhere:
openpyxl refuses them and reportlab chokes on them.

>>> neutralise_formula('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> html_text('<script>alert(1)</script>')
'&lt;script&gt;alert(1)&lt;/script&gt;'
>>> pdf_text('Café <b> & co')
'Café &lt;b&gt; &amp; co'
"""

from __future__ import annotations

import html
import re

#: A cell whose text starts with one of these is read as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """``value`` as text without the control characters XML cannot hold (None -> "")."""
    if value is None:
        return ""
    return _XML_ILLEGAL.sub("", str(value))


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (leading spaces ignored,
    as Excel and LibreOffice ignore them)."""
    stripped = text.lstrip(" ")
    return bool(stripped) and stripped.startswith(FORMULA_TRIGGERS)


def neutralise_formula(value: object) -> str:
    """Text for a plain-text spreadsheet format (CSV): a leading ``'`` when it would be a
    formula, as OWASP recommends."""
    text = clean_text(value)
    return "'" + text if is_formula_like(text) else text


def spreadsheet_text(value: object) -> tuple[str, bool]:
    """Text for an .xlsx cell, and whether the cell needs the quote-prefix (text) flag.

    The text itself is kept as written: the workbook writer stores it as a string cell,
    never as a formula, whatever it starts with.
    """
    text = clean_text(value)
    return text, is_formula_like(text)


def html_text(value: object) -> str:
    """Text safe inside HTML elements and quoted attributes."""
    return html.escape(clean_text(value), quote=True)


def pdf_text(value: object) -> str:
    """Text safe inside a reportlab ``Paragraph`` (its markup escaped, line breaks kept)."""
    escaped = clean_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")
