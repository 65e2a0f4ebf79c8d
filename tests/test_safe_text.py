"""User text in spreadsheets, HTML and PDF: never a formula, never markup."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from exports.brief_model import BriefTable, Column
from exports.excel_brief import _Book
from exports.fonts import FONT, font_path, register_fonts
from exports.pdf_styles import styles
from exports.safe_text import (
    clean_text,
    html_text,
    is_formula_like,
    neutralise_formula,
    pdf_text,
    spreadsheet_text,
)

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=1",
           "  =cmd|' /c calc'!A1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_triggers_are_detected_and_neutralised(value: str) -> None:
    assert is_formula_like(value)
    assert neutralise_formula(value).startswith("'")
    text, flag = spreadsheet_text(value)
    assert flag and text == clean_text(value)


@pytest.mark.parametrize("value", ["Café du coin", "12 rue Ontario", "", "Œuvre « x »"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    assert not is_formula_like(value)
    assert neutralise_formula(value) == value
    assert spreadsheet_text(value) == (value, False)


def test_control_characters_are_removed() -> None:
    assert clean_text("a\x00b\x07c\td\ne") == "abc\td\ne"
    assert clean_text(None) == ""


def test_html_and_pdf_escaping() -> None:
    assert html_text('<img src=x onerror="alert(1)">') == \
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert pdf_text("A & B <b>c</b>\nd") == "A &amp; B &lt;b&gt;c&lt;/b&gt;<br/>d"


def test_hostile_text_is_a_string_cell_after_reopening(tmp_path: Path) -> None:
    book = _Book(openpyxl.Workbook(), "fr")
    sheet = book.workbook.active
    rows = [[value, 1.5] for value in HOSTILE]
    book.table(sheet, BriefTable("t", "Essai", [Column("name", "Nom"),
                                                Column("value", "Valeur", "number", 1)], rows))
    path = tmp_path / "hostile.xlsx"
    book.workbook.save(path)
    reopened = openpyxl.load_workbook(path).active
    found = [reopened.cell(row=3 + i, column=1) for i in range(1, len(HOSTILE) + 1)]
    # XML turns a carriage return into a line feed; the rest reads back as written
    assert [c.value.replace("\n", "\r") for c in found] == \
        [clean_text(v).replace("\n", "\r") for v in HOSTILE]
    for cell in found:
        assert cell.data_type == "s"  # text, not a formula
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
        numeric = reopened.cell(row=cell.row, column=cell.column + 1)
        assert numeric.data_type == "n" and numeric.value == 1.5
    with open(path, "rb") as handle:  # no <f> (formula) element anywhere in the sheet
        import zipfile

        with zipfile.ZipFile(handle) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_markup_in_a_pdf_paragraph_prints_as_text() -> None:
    register_fonts()
    style = styles()["body"]
    buffer = io.BytesIO()
    hostile = "<script>alert(1)</script> & <b>Œuvre</b> « cœur » é è à ç"
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(pdf_text(hostile), style)])
    extracted = PdfReader(buffer).pages[0].extract_text()
    assert "<script>alert(1)</script>" in extracted
    assert "<b>Œuvre</b>" in extracted and "« cœur »" in extracted


def test_the_pdf_font_is_installed_with_matplotlib() -> None:
    assert font_path().is_file()
    assert register_fonts() == FONT
