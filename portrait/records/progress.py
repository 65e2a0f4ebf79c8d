"""The quarterly progress table of an action-plan priority, as plans report it.

One row per action (what, who leads, with which partners, when, indicators with baseline and
target), one column per quarter holding the status and each indicator's value against its
target. ``ProgressTable.rows`` is plain data for the UI; ``to_frame`` gives the text table
the PDF and Excel exports print.

>>> import datetime as dt
>>> from portrait.records.action_plan import (Action, ActionIndicator, ActionPriority,
...     record_progress)
>>> priority = ActionPriority(title="Sécurité des ruelles")
>>> action = Action(title="Éclairage", priority_id=priority.record_id,
...     start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), indicators=(ActionIndicator(
...     indicator_id="b_e", label="Introductions", baseline=12, target=8),))
>>> action = record_progress(action, "2026-Q1", "on_track", indicator_values={"b_e": 9})
>>> table = progress_table(priority, [action])
>>> table.quarters, table.to_frame("en").loc[0, "2026-Q1"]
(('2026-Q1', '2026-Q2'), 'On track — Introductions: 9 (target 8, not met)')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from portrait.records.action_plan import (
    STATUS_LABELS,
    Action,
    ActionPriority,
    quarter_of,
    quarters_between,
)

COLUMN_LABELS = {"action": ("Action", "Action"), "owner": ("Responsable", "Lead"),
                 "partners": ("Partenaires", "Partners"), "start": ("Début", "Start"),
                 "end": ("Fin", "End"), "resources": ("Ressources", "Resources"),
                 "indicators": ("Indicateurs (départ → cible)", "Indicators (baseline → target)")}


@dataclass(frozen=True)
class ProgressTable:
    """Rows (one dict per action) and the quarters shown, for one priority."""

    priority_id: str
    priority_title: str
    quarters: tuple[str, ...]
    rows: list[dict[str, Any]]

    def to_frame(self, language: str = "fr") -> pd.DataFrame:
        """One text cell per action and quarter, e.g. ``En bonne voie — Introductions : 9
        (cible 8, non atteinte)``; columns labelled in ``language``."""
        fr = language == "fr"
        index = 0 if fr else 1
        records = []
        for row in self.rows:
            record = {
                COLUMN_LABELS["action"][index]: row["action"],
                COLUMN_LABELS["owner"][index]: row["owner"],
                COLUMN_LABELS["partners"][index]: ", ".join(row["partners"]),
                COLUMN_LABELS["start"][index]: row["start"] or "",
                COLUMN_LABELS["end"][index]: row["end"] or "",
                COLUMN_LABELS["resources"][index]: row["resources"],
                COLUMN_LABELS["indicators"][index]: "; ".join(
                    _indicator_text(i, language) for i in row["indicators"]),
            }
            for quarter in self.quarters:
                record[quarter] = _cell_text(row["quarters"][quarter], language)
            records.append(record)
        columns = [label[index] for label in COLUMN_LABELS.values()] + list(self.quarters)
        return pd.DataFrame(records, columns=columns)


def progress_table(priority: ActionPriority, actions: Iterable[Action],
                   quarters: Iterable[str] | None = None,
                   partner_names: Mapping[str, str] | None = None) -> ProgressTable:
    """The progress table of ``priority`` from its actions.

    Parameters
    ----------
    priority : ActionPriority
    actions : iterable of Action
        Actions of the plan; those of other priorities are left out.
    quarters : iterable of str, optional
        Quarters to show; by default from the first action start (or first report) to the
        last action end (or last report).
    partner_names : mapping, optional
        Partner id -> name, to print names instead of ids.

    Returns
    -------
    ProgressTable
        Each row: ``action_id``, ``action``, ``owner``, ``partners``, ``start``, ``end``,
        ``resources``, ``indicators`` (id, label, unit, baseline, target, direction) and
        ``quarters``: quarter -> ``{"scheduled", "status", "status_fr", "status_en",
        "narrative", "indicators": [{"id", "label", "unit", "value", "target", "met"}]}``
        (status None when nothing was reported).
    """
    mine = sorted((a for a in actions if a.priority_id == priority.record_id),
                  key=lambda a: (a.start or dt.date.max, a.title))
    shown = tuple(quarters) if quarters is not None else _default_quarters(mine)
    names = dict(partner_names or {})
    rows = [_row(action, shown, names) for action in mine]
    return ProgressTable(priority.record_id, priority.title, shown, rows)


def _row(action: Action, quarters: tuple[str, ...], names: dict[str, str]) -> dict[str, Any]:
    first = quarter_of(action.start) if action.start else None
    last = quarter_of(action.end) if action.end else None
    cells = {}
    for quarter in quarters:
        entry = action.entry(quarter)
        scheduled = (first is None or quarter >= first) and (last is None or quarter <= last)
        values = entry.indicator_values if entry else {}
        cells[quarter] = {
            "scheduled": scheduled,
            "status": entry.status if entry else None,
            "status_fr": STATUS_LABELS[entry.status][0] if entry else "",
            "status_en": STATUS_LABELS[entry.status][1] if entry else "",
            "narrative": entry.narrative if entry else "",
            "indicators": [{"id": i.indicator_id, "label": i.label, "unit": i.unit,
                            "value": values.get(i.indicator_id), "target": i.target,
                            "met": i.met(values.get(i.indicator_id))}
                           for i in action.indicators if i.indicator_id in values],
        }
    return {
        "action_id": action.record_id, "action": action.title, "owner": action.owner,
        "partners": [names.get(p, p) for p in action.partner_ids],
        "start": action.start.isoformat() if action.start else None,
        "end": action.end.isoformat() if action.end else None,
        "resources": action.resources,
        "indicators": [{"id": i.indicator_id, "label": i.label, "unit": i.unit,
                        "baseline": i.baseline, "target": i.target, "direction": i.direction}
                       for i in action.indicators],
        "quarters": cells,
    }


def _default_quarters(actions: list[Action]) -> tuple[str, ...]:
    marks = []
    for action in actions:
        marks += [quarter_of(d) for d in (action.start, action.end) if d is not None]
        marks += [e.quarter for e in action.progress]
    return quarters_between(min(marks), max(marks)) if marks else ()


def _cell_text(cell: dict[str, Any], language: str) -> str:
    fr = language == "fr"
    if cell["status"] is None:
        if not cell["scheduled"]:
            return ""
        return "Aucun suivi" if fr else "No report"
    status = cell["status_fr"] if fr else cell["status_en"]
    parts = [_value_text(i, language) for i in cell["indicators"]]
    return f"{status} — {'; '.join(parts)}" if parts else status


def _value_text(item: dict[str, Any], language: str) -> str:
    fr = language == "fr"
    sep = " : " if fr else ": "
    value = _number(item["value"], language)
    unit = f" {item['unit']}" if item["unit"] else ""
    if item["target"] is None:
        return f"{item['label']}{sep}{value}{unit}"
    met = {True: "atteinte" if fr else "met", False: "non atteinte" if fr else "not met",
           None: ""}[item["met"]]
    target_word = "cible" if fr else "target"
    return f"{item['label']}{sep}{value}{unit} ({target_word} {_number(item['target'], language)}" \
           f"{', ' + met if met else ''})"


def _indicator_text(item: dict[str, Any], language: str) -> str:
    baseline = _number(item["baseline"], language) if item["baseline"] is not None else "?"
    target = _number(item["target"], language) if item["target"] is not None else "?"
    unit = f" {item['unit']}" if item["unit"] else ""
    return f"{item['label']} ({baseline} → {target}{unit})"


def _number(value: float | None, language: str) -> str:
    if value is None:
        return "—"
    text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
    return text.replace(".", ",") if language == "fr" else text
