"""``portrait calls``: a city-wide summary of dispatch exports, without a workspace.

For an analyst who has just received a CAD export: how many calls, how many are demand from
the public, which pathway could take them, by priority and hour, and which call types the
pathway table does not know yet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from portrait.errors import PortraitError


def add_parser(commands) -> None:
    """Declare the command and its options."""
    calls = commands.add_parser(
        "calls", help="summarise dispatch (CAD) exports city-wide by response pathway, "
        "priority and hour, without a workspace")
    calls.add_argument("files", type=Path, nargs="+")
    calls.add_argument("--lookup", type=Path,
                       help="call type table: code, description (CSV)")
    calls.add_argument("--pathways", type=Path,
                       help="pathway table (CSV) replacing the built-in one; "
                       "--write-pathways writes the built-in one to start from")
    calls.add_argument("--mapping", type=Path,
                       help="JSON column mapping of the export (default: known layout or "
                       "guessed from the column names)")
    calls.add_argument("--write-pathways", type=Path,
                       help="also write the pathway table used, as CSV, to this file")
    calls.add_argument("--json", dest="out", type=Path, required=True,
                       help="where to write (\"-\" for standard output)")


def run(args: argparse.Namespace, read_mapping, write_json, progress) -> dict:
    """Read the files, summarise them, write the JSON; returns the summary."""
    import pandas as pd

    from data_connectors.base import ImportReport, ReadContext
    from data_connectors.cad_calls import CadCallReader, read_calls
    from data_connectors.cad_lookups import read_code_table
    from portrait.calls import PathwayTable, call_demand

    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        raise PortraitError(f"file(s) not found: {', '.join(missing)}")
    table = PathwayTable.from_csv(args.pathways) if args.pathways else PathwayTable.default()
    options = {"mapping": read_mapping(args.mapping)} if args.mapping else {}
    labels = read_code_table(args.lookup) if args.lookup else None
    frames, reports = [], []
    for path in args.files:
        report = ImportReport(CadCallReader.id, str(path), "calls")
        frame, _, _ = read_calls(path, ReadContext(progress=progress, options=options), report)
        frames.append(frame)
        reports.append(report)
    calls = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if labels:
        calls["call_type_label"] = calls["call_type"].map(labels).astype("string")
    summary = call_demand(calls, table, labels=labels).to_dict()
    summary["files"] = [{"file": r.source_path, "rows_read": r.rows_read,
                         "rows_kept": r.rows_kept, "dropped": r.dropped, "flagged": r.flagged,
                         "warnings": r.warnings} for r in reports]
    summary["pathway_table_changes"] = table.changes_from_default()
    write_json(args.out, summary)
    if args.write_pathways:
        try:
            args.write_pathways.write_text(table.to_csv(), encoding="utf-8")
        except OSError as error:
            raise PortraitError(f"Cannot write {args.write_pathways}: "
                                f"{error.strerror}.") from error
    return summary


def describe(summary: dict) -> str:
    """A few lines for the terminal."""
    lines = [f"{summary['total_calls']:,} calls, {summary['demand']:,} demand from the public "
             f"({summary['self_initiated']:,} self-initiated)."]
    for row in summary["by_pathway"]:
        share = row["share_of_demand"]
        lines.append(f"  {row['label_en']}: {row['calls']:,}"
                     + (f" ({share:.1f}% of demand)" if share is not None else ""))
    diverted = summary["diverted"]["range_percent"]
    if diverted["low"] is not None:
        lines.append(f"Could be diverted: {diverted['low']:.1f}% to {diverted['high']:.1f}% of "
                     "demand, across the table's uncertain rules.")
    if summary["unmapped_call_types"]:
        lines.append("Call types not in the pathway table: " + ", ".join(
            f"{u['call_type']} ({u['calls']:,})" for u in summary["unmapped_call_types"][:10]))
    return "\n".join(lines)
