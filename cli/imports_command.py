"""``portrait imports WORKSPACE [--remove ID] [--json]``: list the imports, or undo one."""

from __future__ import annotations

import json
from pathlib import Path

from portrait.imports import REFERENCES, ImportEntry, Removal, list_imports, remove_import
from portrait.workspace import Workspace
from portrait.workspace_lock import WorkspaceLock


def run_imports(path: Path, remove: str | None, as_json: bool) -> int:
    """List the imports, or remove the one whose id (or a unique start of it) is ``remove``."""
    if remove is not None:
        # Held from before the workspace is read until it is saved, as an import holds it.
        with WorkspaceLock(path):
            removal = remove_import(Workspace.open(path), remove)
        print(json.dumps(removal.to_dict(), ensure_ascii=False, indent=2) if as_json
              else removal_text(removal))
        return 0
    entries = list_imports(Workspace.open(path))
    if as_json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
    elif not entries:
        print(f"{path.name} holds no import.")
    else:
        print(f"{'id':12}  {'imported (UTC)':19}  {'kept':>9}  {'flagged':>7}  {'dropped':>7}  "
              "reader / file")
        for entry in entries:
            print(_line(entry))
    return 0


def removal_text(removal: Removal) -> str:
    """What was removed, and what is left that referred to it."""
    lines = [f"Removed import {e.import_id} ({Path(e.source_path).name}, {e.reader})"
             for e in removal.removed]
    if len(removal.removed) > 1:
        lines.append("  (imports made before import ids existed are removed together: their "
                     "rows cannot be told apart)")
    rows = ", ".join(f"{count:,} from {layer}" for layer, count in removal.rows.items())
    lines.append(f"  rows removed: {rows or 'none (a later import had replaced them)'}")
    referred = {other: (layer, key) for layer, key, others in REFERENCES for other in others}
    for layer, count in removal.dependents.items():
        if layer not in referred:  # records, placed by their location
            lines.append(f"  depended on it: {count:,} record(s) lie in removed stations and "
                         "in no remaining one; they were kept but belong to no station's brief")
            continue
        target, key = referred[layer]
        lines.append(f"  depended on it: {count:,} row(s) of {layer} name by {key} rows of "
                     f"{target} that are now gone; they were kept")
    return "\n".join(lines)


def _line(entry: ImportEntry) -> str:
    status = ""
    if entry.legacy:
        status = " [before import ids]"
    elif entry.rows_present == 0 and entry.rows_kept:
        status = " [replaced by a later import]"
    when = entry.imported_at[:19].replace("T", " ")
    return (f"{entry.import_id:12}  {when:19}  {entry.rows_kept:>9,}  {entry.flagged:>7,}  "
            f"{entry.dropped:>7,}  {entry.reader} / {Path(entry.source_path).name}{status}")
