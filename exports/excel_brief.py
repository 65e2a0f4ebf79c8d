"""The Excel brief (openpyxl): a first sheet on sources and definitions, a sheet of key
figures, a sheet per section with its tables as real numbers, then the parameters and the
disclosure log.

Numbers are numeric cells with a number format (never text), each table is an Excel table
(filters, banded rows) with a frozen header, trends and distributions get native Excel
charts. A suppressed value is the marker "x" with a comment, never the number. Text typed by
users is written as a string cell, never as a formula, and carries Excel's quote-prefix flag
when it starts like one (``safe_text.spreadsheet_text``).
"""

from __future__ import annotations

import dataclasses
import numbers
import os
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from exports.atomic_file import write_atomically
from exports.brief_appendix import disclosure_text, methods
from exports.brief_cells import cards_as_columns, is_card_table, row_unit, unit_text
from exports.brief_model import SUPPRESSED, Brief, BriefTable, Column, Interval
from exports.brief_text import format_number, text
from exports.map_text import station_label
from exports.safe_text import spreadsheet_text
from portrait.wording import in_language

TITLE_FONT = Font(bold=True, size=14, color="0B4F8A")
HEADING_FONT = Font(bold=True, size=11)
NOTE_FONT = Font(italic=True, size=9, color="555555")
DRAFT_FONT = Font(bold=True, size=12, color="B35C00")
MARKER_FILL = PatternFill("solid", fgColor="EEEEEE")
MAX_WIDTH, MIN_WIDTH = 60, 8
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


#: Characters an Excel cell holds.
EXCEL_CELL_CHARS = 32_767


def write_excel_brief(brief: Brief, path: str | os.PathLike[str]) -> Path:
    """Write ``brief`` as an .xlsx workbook to ``path`` atomically."""
    return write_atomically(path, build_workbook(brief).save)


def build_workbook(brief: Brief) -> Workbook:
    language = brief.language
    book = _Book(Workbook(), language)
    _sources_sheet(book, brief)
    if brief.kind == "portrait":  # the quarterly report has no key figures page
        _key_figures_sheet(book, brief)
    for section in brief.sections:
        sheet = book.sheet(section.title)
        for paragraph in section.sentences + section.paragraphs + section.notes:
            book.note(sheet, paragraph)
        for table in section.tables:  # records' cards: a column per field
            book.table(sheet, cards_as_columns(table, language) if is_card_table(table)
                       else table)
    if brief.audience == "partner" and brief.kind == "portrait":
        # partners read the methods in plain words; the parameters stay with the station
        sheet = book.sheet(text("methods", language))
        book.title(sheet, text("methods", language))
        for paragraph in methods(brief):
            book.note(sheet, paragraph)
    else:
        sheet = book.sheet(text("parameters_sheet", language))
        book.table(sheet, BriefTable("parameters", text("appendix_parameters", language),
                                     [Column("key", text("parameter", language)),
                                      Column("value", text("value", language))],
                                     [list(p) for p in brief.parameters]))
    _disclosure_sheet(book, brief)
    if brief.draft:  # printed at the top of every page of every sheet
        for worksheet in book.workbook.worksheets:
            worksheet.oddHeader.center.text = text("draft_mark", language)
            worksheet.evenHeader.center.text = text("draft_mark", language)
    return book.workbook


def _key_figures_sheet(book: _Book, brief: Brief) -> None:
    language = brief.language
    figures = [[f.label, f.value, f.unit, f.text, f.detail] for f in brief.key_figures]
    sheet = book.sheet(text("key_figures", language))
    book.table(sheet, BriefTable("key_figures", text("key_figures", language), [
        Column("label", text("indicator", language)), Column("value", text("value", language),
                                                             "measure"),
        Column("unit", "Unité" if language == "fr" else "Unit"),
        Column("text", "Texte" if language == "fr" else "Text"),
        Column("detail", text("test", language))], figures))


def _sources_sheet(book: _Book, brief: Brief) -> None:
    language = brief.language
    sheet = book.workbook.active
    sheet.title = book.unique_title(text("sources_sheet", language))
    title = text("quarterly_title" if brief.kind == "quarterly" else "brief_title", language)
    book.title(sheet, f"{title} — {station_label(brief.station_id)}")
    if brief.draft:
        book.write(sheet, book.next_row(sheet), 1, text("draft_mark", language),
                   Column("t", "")).font = DRAFT_FONT
    period = " – ".join(brief.period) if brief.period else text("whole_period", language)
    for key, value in ((text("cover_station", language), brief.station_name),
                       (text("cover_period", language), period),
                       (text("cover_audience", language),
                        text(f"audience_{brief.audience}", language)),
                       (text("cover_date", language), brief.generated_on),
                       (text("cover_language", language), text("language_name", language)),
                       (text("cover_approval", language),
                        brief.approval or text("draft_note", language))):
        row = book.next_row(sheet)
        book.write(sheet, row, 1, key, Column("k", key)).font = Font(bold=True)
        book.write(sheet, row, 2, value, Column("v", key))
    book.note(sheet, text("sheet_intro", language))
    for warning in brief.warnings:
        book.note(sheet, warning)
    book.table(sheet, BriefTable("definitions", text("appendix_definitions", language), [
        Column("label", text("indicator", language)),
        Column("definition", text("definition", language)),
        Column("source", text("source", language)), Column("vintage", text("vintage", language)),
        Column("period", text("period", language))],
        [[d.label, d.definition, d.source, d.vintage, d.period] for d in brief.definitions]))


def _disclosure_sheet(book: _Book, brief: Brief) -> None:
    language = brief.language
    sheet = book.sheet(text("disclosure_sheet", language))
    intro, entries = disclosure_text(brief)
    book.note(sheet, intro)
    rows = [list(entry) for entry in entries]
    if not rows:
        book.note(sheet, text("disclosure_none", language))
        return
    book.table(sheet, BriefTable("disclosure", text("appendix_disclosure", language), [
        Column("where", text("where", language)), Column("what", text("what", language)),
        Column("why", text("why", language)), Column("detail", "Détail" if language == "fr"
                                                     else "Detail")], rows))


class _Book:
    """The workbook being written: unique sheet and table names, cursor per sheet."""

    def __init__(self, workbook: Workbook, language: str) -> None:
        self.workbook = workbook
        self.language = language
        self._tables = 0
        self._frozen: set[str] = set()
        self._widths: dict[str, dict[int, float]] = {}

    def unique_title(self, title: str) -> str:
        base = re.sub(r"\s+", " ", _SHEET_UNSAFE.sub(" ", title)).strip()[:28] or "Feuille"
        name, number = base, 2
        taken = {s.title.lower() for s in self.workbook.worksheets}
        while name.lower() in taken:
            name, number = f"{base[:26]} {number}", number + 1
        return name

    def sheet(self, title: str):
        sheet = self.workbook.create_sheet(self.unique_title(title))
        self.title(sheet, title)
        return sheet

    def next_row(self, sheet) -> int:
        return sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1

    def title(self, sheet, title: str) -> None:
        self.write(sheet, 1, 1, title, Column("t", "")).font = TITLE_FONT

    def note(self, sheet, note: str) -> None:
        cell = self.write(sheet, self.next_row(sheet), 1, note, Column("n", ""))
        cell.font = NOTE_FONT

    def write(self, sheet, row: int, column: int, value: Any, spec: Column, unit: str = ""):
        cell = sheet.cell(row=row, column=column)
        if value is SUPPRESSED:
            cell.value = text("suppressed_marker", self.language)
            cell.data_type = "s"
            cell.fill = MARKER_FILL
            cell.alignment = Alignment(horizontal="right")
            cell.comment = Comment(text("suppressed_note", self.language), "Portrait")
        elif value is None or isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = None if value is None else (
                int(value) if isinstance(value, numbers.Integral) else float(value))
            cell.value = None if number is not None and number != number else number  # NaN
            if cell.value is not None:
                cell.number_format = _number_format(spec, unit)
        else:
            shown = unit_text(value, self.language) if spec.id == "unit" else value
            text_value, needs_prefix = spreadsheet_text(shown)
            text_value = self._within_cell_limit(text_value)
            cell.value = text_value
            cell.data_type = "s"  # a string cell, never a formula, whatever it starts with
            if needs_prefix:
                cell.quotePrefix = True
            if "\n" in text_value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        self._track_width(sheet, column, value, spec)
        return cell

    def _within_cell_limit(self, value: str) -> str:
        """``value`` cut, with a note saying so, when longer than an Excel cell holds:
        openpyxl would cut it silently (a 50,000-character problem description lost its
        end without a word)."""
        if len(value) <= EXCEL_CELL_CHARS:
            return value
        note = text("cell_cut", self.language, total=format_number(len(value), self.language))
        return value[:EXCEL_CELL_CHARS - len(note)].rstrip() + note

    def table(self, sheet, table: BriefTable) -> None:
        table = _numeric_intervals(table, self.language)
        start = self.next_row(sheet) + 1
        self.write(sheet, start, 1, table.title, Column("t", "")).font = HEADING_FONT
        header_row = start + 1
        headers = _unique_headers([c.label for c in table.columns])
        for j, header in enumerate(headers, start=1):
            self.write(sheet, header_row, j, header, Column("h", "")).font = Font(bold=True)
        for i, row in enumerate(table.rows, start=header_row + 1):
            unit = row_unit(table.columns, row)
            for j, (value, spec) in enumerate(zip(row, table.columns, strict=True), start=1):
                self.write(sheet, i, j, value, spec, unit)
        last_row = header_row + max(len(table.rows), 1)
        if not table.rows:
            sheet.cell(row=last_row, column=1, value="–")
        self._tables += 1
        ref = f"A{header_row}:{get_column_letter(len(headers))}{last_row}"
        excel_table = Table(displayName=f"T{self._tables}_{re.sub(r'[^A-Za-z0-9_]', '_', table.id)}"
                            [:250], ref=ref)
        excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9",
                                                    showRowStripes=True)
        sheet.add_table(excel_table)
        if sheet.title not in self._frozen:
            sheet.freeze_panes = f"A{header_row + 1}"
            self._frozen.add(sheet.title)
        if table.note:
            self.write(sheet, last_row + 1, 1, in_language(table.note, self.language),
                       Column("n", "")).font = NOTE_FONT
        if table.chart and table.rows:
            self._chart(sheet, table, header_row, last_row)

    def _chart(self, sheet, table: BriefTable, header_row: int, last_row: int) -> None:
        chart = LineChart() if table.chart == "line" else BarChart()
        if table.chart == "bar":
            chart.type = "bar" if len(table.rows) <= 15 else "col"
        chart.title = table.title[:80]
        chart.height, chart.width = 7.5, 16
        chart.legend = None if len(table.chart_columns) == 1 else chart.legend
        for column in table.chart_columns:
            data = Reference(sheet, min_col=column + 1, min_row=header_row, max_row=last_row)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1,
                                       max_row=last_row))
        anchor = f"{get_column_letter(len(table.columns) + 2)}{header_row}"
        sheet.add_chart(chart, anchor)

    def _track_width(self, sheet, column: int, value: Any, spec: Column) -> None:
        if spec.id in ("t", "n"):  # titles and notes overflow to the right
            return
        length = 4 if value is None else min(max(len(line) for line in str(value).split("\n")
                                                 ) + 2, MAX_WIDTH)
        if isinstance(value, float):
            length = 12
        widths = self._widths.setdefault(sheet.title, {})
        if length > widths.get(column, 0):
            widths[column] = length
            sheet.column_dimensions[get_column_letter(column)].width = max(length, MIN_WIDTH)


def _numeric_intervals(table: BriefTable, language: str) -> BriefTable:
    """``table`` with each interval column as two numeric columns (low, high bounds): a
    text "[1,2 ; 3,4]" cannot be sorted, filtered or charted. A hidden interval is hidden in
    both columns."""
    split = {j for j in range(len(table.columns))
             if any(isinstance(row[j], Interval) for row in table.rows)}
    if not split:
        return table
    columns: list[Column] = []
    moved: dict[int, int] = {}
    for j, column in enumerate(table.columns):
        moved[j] = len(columns)
        if j not in split:
            columns.append(column)
            continue
        # "IC 95 %" alone would not say of which figure: name the column it follows
        name = f"{table.columns[j - 1].label}, {column.label}" if j else column.label
        columns += [Column(f"{column.id}_low", f"{name} {text('interval_low', language)}",
                           "measure"),
                    Column(f"{column.id}_high", f"{name} {text('interval_high', language)}",
                           "measure")]
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for j, value in enumerate(row):
            if j not in split:
                cells.append(value)
            elif isinstance(value, Interval):
                cells += [value.low, value.high]
            elif value is SUPPRESSED:
                cells += [SUPPRESSED, SUPPRESSED]
            else:
                cells += [value, None]
        rows.append(cells)
    return dataclasses.replace(table, columns=columns, rows=rows,
                               chart_columns=[moved[j] for j in table.chart_columns])


def _number_format(spec: Column, unit: str) -> str:
    kind = spec.kind
    if kind == "measure":
        kind = {"%": "percent", "$": "money"}.get(unit, "auto")
    return {"int": "#,##0", "percent": '0.0" %"', "p": "0.000", "money": '#,##0" $"',
            "auto": "#,##0.##"}.get(kind, "#,##0." + "0" * max(spec.decimals, 1)
                                    if spec.decimals else "#,##0")


def _unique_headers(labels: list[str]) -> list[str]:
    """Excel tables need distinct, non-empty header texts."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        label = label.strip() or "—"
        count = seen.get(label.lower(), 0)
        seen[label.lower()] = count + 1
        out.append(label if count == 0 else f"{label} ({count + 1})")
    return out
