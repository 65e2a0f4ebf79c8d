"""Tables of values per dissemination area: one row per DA, keyed by its DAUID or DGUID.

Researchers and agencies republish census figures this way, one column per figure: the
2021 population of each DA, its density, and the four dimensions of Statistics Canada's
Canadian Index of Multiple Deprivation (45-20-0001). The DA code alone says what the rows
are, so no column mapping is needed: known columns feed indicators, the others are listed
in the import report as not used.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from data_connectors.base import ImportReport, ImportResult, ReadContext, Timer
from data_connectors.column_mapping import Field, resolve, user_mapping
from data_connectors.statcan_boundaries import DAUID
from data_connectors.text_files import csv_header, sniff
from portrait.layers import CENSUS_VALUES, conform

CODE_COLUMNS = ("DAUID", "DGUID")
FIELDS = (
    Field("code", "Code de l'aire de diffusion (DAUID, 8 chiffres, ou DGUID)",
          "Dissemination-area code (DAUID, 8 digits, or DGUID)", required=True,
          guesses=("dauid", "dguid")),
)
#: Column names (lower case) -> indicator.
COLUMNS: dict[str, str] = {
    "population": "population",
    "population_2021": "population",
    "pop_2021": "population",
    "cimd_residential_instability": "cimd_residential_instability",
    "cimd_ethnocultural_composition": "cimd_ethnocultural_composition",
    "cimd_economic_dependency": "cimd_economic_dependency",
    "cimd_situational_vulnerability": "cimd_situational_vulnerability",
}
CENSUS_YEAR = 2021
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DGUID = re.compile(r"\d{4}S\d{4}\d{8}")


class StatCanDaTableReader:
    id = "statcan-da-table"
    label = ("Tableau par aire de diffusion (DAUID ou DGUID) : population, indice de "
             "défavorisation multiple")
    kind = "census-values"
    patterns = ("*.csv", "*.CSV")
    priority = 58
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        header = csv_header(path)
        if header is None:
            return False
        names = {h.strip().lower() for h in header}
        return bool(names & {c.lower() for c in CODE_COLUMNS}) and bool(names & set(COLUMNS))

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_VALUES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_VALUES.name: frame}, report, ("source", _source(path)))

    def _read_frame(self, path: Path, context: ReadContext,
                    report: ImportReport) -> pd.DataFrame:
        text_format = sniff(path)
        context.report_progress(0.1, "reading the table")
        table = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                            dtype=str, keep_default_na=False)
        table.columns = [str(c).strip() for c in table.columns]
        report.rows_read = len(table)
        resolved = resolve(path, FIELDS, list(table.columns), user_mapping(context))
        resolved.note(report)
        code_column, codes = _codes(table, resolved.columns["code"])
        rows = pd.RangeIndex(2, len(table) + 2)  # line numbers: the header is line 1
        bad = codes.isna().to_numpy()
        for row in rows[bad][:5]:
            report.example(int(row), code_column, table.at[row - 2, code_column],
                           "not a dissemination-area code (DAUID: 8 digits; DGUID: "
                           "2021S0512 and 8 digits)")
        report.drop("no dissemination-area code", int(bad.sum()))
        used = {c: COLUMNS[c.lower()] for c in table.columns if c.lower() in COLUMNS}
        unused = [c for c in table.columns if c not in used and c != code_column]
        if unused:
            report.warnings.append("columns not used by any indicator: " + ", ".join(unused))
        known = context.known_area_ids
        keep = ~bad
        if known:
            outside = keep & ~codes.isin(known).to_numpy()
            report.drop("dissemination area not among the workspace's census areas",
                        int(outside.sum()))
            keep &= ~outside
        parts = []
        for column, indicator_id in used.items():
            text = table[column].str.strip()
            value = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
            wrong = keep & (text != "").to_numpy() & value.isna().to_numpy()
            for row in rows[wrong][:5]:
                report.example(int(row), column, table.at[row - 2, column], "not a number")
            report.flag(f"value that is not a number in {column} (left empty)",
                        int(wrong.sum()))
            parts.append(pd.DataFrame({"area_id": codes[keep].to_numpy(),
                                       "indicator_id": indicator_id,
                                       "value": value[keep].to_numpy()}))
        report.rows_kept = int(keep.sum())
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["area_id", "indicator_id", "value"])
        duplicated = frame.duplicated(["area_id", "indicator_id"])
        if duplicated.any():
            report.warnings.append(f"{int(duplicated.sum())} repeated DA value(s): the first "
                                   "row of each DA is kept.")
            frame = frame.loc[~duplicated]
        year = _year(used, context)
        context.report_progress(1.0, f"{report.rows_kept:,} dissemination areas")
        return conform(frame.assign(census_year=year, source=_source(path)), CENSUS_VALUES)


def _codes(table: pd.DataFrame, column: str) -> tuple[str, pd.Series]:
    """The code column and each row's DAUID (the code itself, or a DGUID's last 8 digits),
    NA when the row has none."""
    codes = table[column].str.strip()
    dguid = codes.str.fullmatch(_DGUID.pattern).fillna(False).astype(bool)
    codes = codes.where(~dguid, codes.str.slice(-8))
    return column, codes.where(codes.str.fullmatch(DAUID.pattern).fillna(False).astype(bool),
                               None)


def _year(used: dict[str, str], context: ReadContext) -> int:
    if context.options.get("census_year"):
        return int(context.options["census_year"])
    years = [int(m.group()) for c in used for m in [_YEAR.search(c)] if m]
    return years[0] if years else CENSUS_YEAR


def _source(path: Path) -> str:
    return f"statcan-da-table:{path.name}"
