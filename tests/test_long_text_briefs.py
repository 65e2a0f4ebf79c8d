"""A problem card with a very long description still gives every brief, with all its text.

A 50,000-character description used to stop the PDF with reportlab's ``LayoutError`` (a
table row taller than a page) and, with it, the whole station's brief; the workbook cut it
silently at Excel's cell limit.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from exports.brief_model import BriefOptions
from exports.briefs import write_station_briefs
from exports.excel_brief import EXCEL_CELL_CHARS
from portrait.engine import prepare
from portrait.records import RecordStore
from portrait.records.problems import ProblemCard

END = "FIN-DE-LA-DESCRIPTION"


def _description(length: int) -> str:
    sentence = "Des jeunes se rassemblent le soir au parc; les résidents se plaignent. "
    body = (sentence * (length // len(sentence) + 1))[:length - len(END) - 1]
    return f"{body} {END}"


def _body_text(path: Path) -> str:
    """The PDF's text without the running head, page numbers and repeated table heads, which
    fall in the middle of a sentence where a table row goes on over the next page."""
    margins = ("Portrait de quartier — ", "Page ", "Nom", "Détails")
    return "\n".join(line for page in PdfReader(path).pages
                     for line in page.extract_text().splitlines()
                     if not line.startswith(margins))


@pytest.fixture
def long_card_workspace(tmp_path: Path):
    from conftest import build_small_workspace

    workspace = build_small_workspace(tmp_path / "long.gpkg", incidents_per_station=30)
    store = RecordStore.load(workspace)
    store.add(ProblemCard(title="Rassemblements au parc", description=_description(50_000),
                          category="theft_from_vehicle"))
    store.save(workspace)
    workspace.save()
    return workspace


def test_a_50000_character_description_exports_in_every_format(
        long_card_workspace, tmp_path: Path) -> None:
    options = BriefOptions(audience="internal", language="fr")
    written = write_station_briefs(long_card_workspace, prepare(long_card_workspace), "38",
                                   options, ["pdf", "xlsx", "html"], tmp_path / "out")
    assert set(written.paths) == {"pdf", "xlsx", "html"}
    assert all(path.stat().st_size > 0 for path in written.paths.values())

    pdf = "".join(_body_text(written.paths["pdf"]).split())  # without line breaks
    assert END in pdf  # the end of the description is printed, pages after its start
    written_once = "".join(_description(50_000).split()).count("lesrésidentssepl")
    assert pdf.count("lesrésidentssepl") == written_once > 650

    book = openpyxl.load_workbook(written.paths["xlsx"])
    cells = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "Des jeunes se rassemblent" in cell.value]
    assert len(cells) == 1
    assert len(cells[0]) <= EXCEL_CELL_CHARS
    assert cells[0].endswith("le texte complet est dans le PDF)")
    assert re.search(r"texte coupé : 50\u202f\d{3} caractères en tout", cells[0])
