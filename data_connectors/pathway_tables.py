"""The officer's response-pathway table for calls, imported into the workspace.

An officer starts from the built-in table (``portrait calls --write-pathways TABLE.csv``),
changes the rules that do not fit the station's dispatch codes or services, and imports the
file; every later portrait uses it and records its version and its differences from the
built-in table.
"""

from __future__ import annotations

from pathlib import Path

from data_connectors.base import ImportReport, ImportResult, ReadContext, Timer
from data_connectors.column_mapping import Field
from data_connectors.text_files import csv_header
from portrait.calls.pathways import PathwayTable
from portrait.layers import CALL_PATHWAYS


class PathwayTableReader:
    id = "call-pathways"
    label = "Response-pathway table for calls (CSV: call_types, dispositions, priorities, " \
            "pathway, alternative...)"
    kind = "call-pathways"
    patterns = ("*.csv",)
    priority = 65
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        header = csv_header(path)
        return header is not None and {"call_types", "pathway"} <= {h.strip() for h in header}

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CALL_PATHWAYS.name)
        with Timer() as timer:
            table = PathwayTable.from_csv(path)  # its errors name the file, row and column
            frame = table.to_frame()
        report.rows_read = report.rows_kept = len(frame)
        changes = table.changes_from_default()
        if changes:
            report.warnings.append(f"{len(changes)} rule(s) differ from the built-in table; "
                                   "portraits record them in their parameters.")
        report.seconds = timer.seconds
        context.report_progress(1.0, f"{len(frame)} rules ready")
        return ImportResult({CALL_PATHWAYS.name: frame}, report)
