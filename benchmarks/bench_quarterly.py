"""The community quarterly report and the sign-off digest on a demo city with a full plan.

A plan of 4 priorities and 24 initiatives (each with a category and an issue indicator) is
added to the busiest station of the demo workspace; measured: the report's build, its PDF
and workbook for partners, and the digest a brief's approval is checked against (the whole
portrait and records as canonical JSON), which every brief and the review panel compute.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import save, timed

TARGETS = {"report_s": 2.0, "write_partner_pdf_xlsx_s": 5.0, "portrait_digest_s": 1.0}
CATEGORIES = ("break_and_enter", "mischief", "theft_from_vehicle", "robbery")
ISSUES = ("property", "vehicles", "violence", "incivilities")


def run(workspace_path: Path) -> None:
    from exports.brief_build import workspace_records
    from exports.brief_model import BriefOptions
    from exports.brief_signoff import portrait_digest
    from exports.briefs import write_quarterly_briefs
    from portrait.engine import build_portrait, prepare
    from portrait.quarterly_report import build_quarterly_report
    from portrait.quarters import quarter_of
    from portrait.workspace import Workspace

    if not workspace_path.exists():
        from demo_city.build import build_demo

        print(f"Building the default demo city in {workspace_path.parent}")
        build_demo(workspace_path.parent, size="default")
    results: dict = {"workspace": str(workspace_path)}
    with tempfile.TemporaryDirectory(prefix="portrait-quarterly-") as folder:
        copy = Path(folder) / "plan.gpkg"
        shutil.copy(workspace_path, copy)
        workspace = Workspace.open(copy)
        data = prepare(workspace)
        station = str(data.incidents.busiest())
        last = data.incidents.last_date.date()
        quarter = quarter_of(last - dt.timedelta(days=92))
        _add_plan(workspace, quarter)
        records = workspace_records(workspace, station) or []
        results.update(station=station, quarter=quarter.label, records=len(records))
        with timed(results, "report_s"):
            build_quarterly_report(data, station, quarter, records)
        with timed(results, "write_partner_pdf_xlsx_s"):
            written = write_quarterly_briefs(workspace, data, station, quarter,
                                             BriefOptions(audience="partner"),
                                             ["pdf", "xlsx"], Path(folder) / "out")
        results["pdf_kb"] = round(written.paths["pdf"].stat().st_size / 1024, 1)
        portrait = build_portrait(data, station)
        with timed(results, "portrait_digest_s"):
            portrait_digest(workspace, portrait)
    results["targets"] = {name: {"target": target, "measured": results[name],
                                 "met": results[name] < target}
                          for name, target in TARGETS.items()}
    save("quarterly", results)


def _add_plan(workspace, quarter) -> None:
    from portrait.records import Action, ActionIndicator, ActionPriority, RecordStore
    from portrait.records.action_plan import record_progress

    store = RecordStore.load(workspace)
    for number, (category, issue) in enumerate(zip(CATEGORIES, ISSUES, strict=True)):
        priority = store.add(ActionPriority(title=f"Priorité {number + 1}", rank=number + 1))
        for step in range(6):
            action = Action(
                title=f"Initiative {number + 1}.{step + 1}", owner="Comité de quartier",
                priority_id=priority.record_id, start=quarter.start,
                end=quarter.following.end, indicators=(
                    ActionIndicator(indicator_id=category, label=category),
                    ActionIndicator(indicator_id=issue, label=issue)))
            store.add(record_progress(action, quarter.label, "on_track",
                                      "Rencontre tenue avec les partenaires du secteur."))
    store.save(workspace)
