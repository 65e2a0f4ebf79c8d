"""What a partner's problem card and action plan say beyond the shareable fields.

``portrait.records.audience`` declares the problem's triangle, priority inputs and links
internal: the triangle's free texts may name people, the inputs hold small counts, the links
are ids. Partners read them in the shareable forms it declares (``SHAREABLE_FORMS``): which
sides of the triangle are documented (never what is written there), the priority as its
score out of 100, the actions by title with their status, due quarter and lead, and the
partner organisations by name. The action plan reads as a compact table of actions under
their priorities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from exports.brief_model import BriefTable, Column
from exports.brief_words import Words
from portrait.errors import PortraitError
from portrait.quarters import quarter_of
from portrait.records.action_plan import STATUS_LABELS as PROGRESS_LABELS
from portrait.records.priority import PriorityInputs, score_priority
from portrait.records.problems import SIDE_LABELS, SIDES

#: Problem cards a partner's PDF shows (the highest priority first); the workbook has all.
PDF_PROBLEMS = 4
PDF_CONSULTATIONS = 2
PDF_ACTIONS = 8
PDF_PARTNERS = 10
#: Actions named on a problem card, the ones due soonest first.
CARD_ACTIONS = 3

#: This module's words, French and English.
WORDS = Words({
    "documented_sides": ("Analyse (triangle du problème)", "Analysis (problem triangle)"),
    "sides": ("documenté : {sides}", "documented: {sides}"),
    "no_side": ("pas encore documentée", "not documented yet"),
    "priority_score": ("Priorité", "Priority"),
    "actions": ("Actions", "Actions"),
    "partners": ("Partenaires", "Partners"),
    "action": ("Action", "Action"),
    "priority": ("Priorité", "Priority"),
    "status": ("État", "Status"),
    "due": ("Échéance", "Due"),
    "lead": ("Responsable", "Lead"),
    "rank": ("Rang", "Rank"),
    "description": ("Description", "Description"),
    "period": ("Période du plan", "Plan period"),
    "name": ("Nom", "Name"),
    "sector": ("Secteur", "Sector"),
    "website": ("Site web", "Website"),
    "status_stage": ("{status} (étape SARA : {stage})", "{status} (SARA stage: {stage})"),
    "more_card_actions": ("et {count} autres, au plan d'action",
                          "and {count} more, in the action plan"),
    "in_part": (" (en partie)", " (in part)"),
    "no_priority": ("(hors priorité)", "(no priority)"),
    "priorities": ("Priorités du plan d'action", "Action plan priorities"),
    "more_problems": ("Et {count} autres problèmes, de priorité moindre : voir le classeur "
                      "Excel.", "And {count} more problems, of lower priority: see the "
                      "workbook."),
    "more_actions": ("Et {count} autres actions : voir le classeur Excel.",
                     "And {count} more actions: see the workbook."),
    "more_consultations": ("Et {count} consultations plus anciennes : voir le classeur Excel.",
                           "And {count} earlier consultations: see the workbook."),
    "more_partners": ("Et {count} autres partenaires : voir le classeur Excel.",
                      "And {count} more partners: see the workbook."),
})

word = WORDS.text


def priority_score(data: Mapping[str, Any]) -> int | None:
    """A problem's priority out of 100 from its stored inputs; None when they are unusable."""
    inputs = data.get("priority_inputs")
    concern = data.get("concern")
    level = concern.get("level", "unknown") if isinstance(concern, Mapping) else "unknown"
    if not isinstance(inputs, Mapping):
        return None
    try:
        score = score_priority(PriorityInputs(**dict(inputs)), level,
                               str(data.get("category") or ""))
    except (TypeError, ValueError, PortraitError):
        return None
    return score.out_of_100


def documented_sides(triangle: Any, language: str) -> str:
    """Which sides of the triangle the officer has documented, never what they wrote."""
    index = 0 if language == "fr" else 1
    if not isinstance(triangle, Mapping):
        return word("no_side", language)
    sides = [SIDE_LABELS[side][index].lower() for side in SIDES
             if isinstance(triangle.get(side), Mapping) and
             any(str(triangle[side].get(key) or "").strip()
                 for key in ("known", "controller", "controller_action"))]
    if not sides:
        return word("no_side", language)
    return word("sides", language, sides=", ".join(sides))


def action_facts(data: Mapping[str, Any], language: str) -> tuple[str, str, str]:
    """An action's status (its latest quarterly entry), due quarter and lead, in words."""
    status = _latest(data)
    shown = PROGRESS_LABELS.get(status, (status, status))[0 if language == "fr" else 1]
    due = ""
    if data.get("end"):
        try:
            due = quarter_of(dt.date.fromisoformat(str(data["end"])[:10])).label_in(language)
        except ValueError:
            due = str(data["end"])
    return shown, due, str(data.get("owner") or "")


def action_line(data: Mapping[str, Any], language: str) -> str:
    """"Bike patrols (on track, due Q4 2026, PDQ 20)"."""
    status, due, lead = action_facts(data, language)
    facts = [status.lower()] + ([f"{word('due', language).lower()} {due}"] if due else []) + \
        ([lead] if lead else [])
    return f"{data.get('title', '')} ({', '.join(facts)})"


def action_lines(actions: Sequence[Mapping[str, Any]], language: str) -> str:
    """A problem's actions on one line, the ones still to do and due soonest first, at most
    ``CARD_ACTIONS`` (the action plan's table lists them all)."""
    done = ("done", "abandoned")
    ordered = sorted(actions, key=lambda a: (_latest(a) in done, str(a.get("end") or "9999"),
                                             str(a.get("title", ""))))
    lines = [action_line(a, language) for a in ordered[:CARD_ACTIONS]]
    if len(ordered) > CARD_ACTIONS:
        lines.append(word("more_card_actions", language, count=len(ordered) - CARD_ACTIONS))
    return (" ; " if language == "fr" else "; ").join(lines)


def _latest(action: Mapping[str, Any]) -> str:
    progress = [p for p in action.get("progress") or () if isinstance(p, Mapping)]
    return str(progress[-1].get("status", "")) if progress else "not_started"


def problem_actions(problem: Mapping[str, Any], actions: Sequence[Mapping[str, Any]],
                    priorities: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The actions of a problem: linked on its card, or under a priority that addresses it."""
    problem_id = str(problem.get("record_id", ""))
    linked = {str(i) for i in problem.get("action_ids") or ()}
    under = {str(p.get("record_id")) for p in priorities
             if problem_id and problem_id in {str(i) for i in p.get("problem_ids") or ()}}
    return [a for a in actions if str(a.get("record_id")) in linked or
            (a.get("priority_id") and str(a.get("priority_id")) in under)]


def action_plan_tables(priorities: Sequence[Mapping[str, Any]],
                       actions: Sequence[Mapping[str, Any]], language: str
                       ) -> list[BriefTable]:
    """The plan for partners: its priorities, then one line per action under its priority
    (ranked priorities first, then by due date)."""
    ranked = sorted(priorities, key=lambda p: (p.get("rank") is None, p.get("rank") or 0,
                                               str(p.get("title", ""))))
    order = {str(p.get("record_id")): n for n, p in enumerate(ranked)}
    titles = {str(p.get("record_id")): str(p.get("title", "")) for p in ranked}
    tables = []
    if ranked:
        tables.append(BriefTable(
            "priorities", word("priorities", language),
            [Column("rank", word("rank", language), "int"),
             Column("title", word("priority", language)),
             Column("description", word("description", language)),
             Column("period", word("period", language))],
            [[p.get("rank"), str(p.get("title", "")), str(p.get("description") or ""),
              str(p.get("plan_period") or "")] for p in ranked]))
    rows = []
    for action in sorted(actions, key=lambda a: (order.get(str(a.get("priority_id")),
                                                           len(order)),
                                                 str(a.get("end") or "9999"),
                                                 str(a.get("title", "")))):
        status, due, lead = action_facts(action, language)
        rows.append([titles.get(str(action.get("priority_id")), word("no_priority", language)),
                     str(action.get("title", "")), status, due, lead])
    if rows:
        tables.append(BriefTable(
            "action_plan", word("actions", language),
            [Column("priority", word("priority", language)),
             Column("action", word("action", language)),
             Column("status", word("status", language)), Column("due", word("due", language)),
             Column("lead", word("lead", language))], rows,
            pdf_max_rows=PDF_ACTIONS, more=word("more_actions", language, count="{count}")))
    return tables
