"""Which parts of the station's action plan answer its call demand.

Actions carry no link to a best practice, so the plan is read the way an officer would: a
priority or action is about call demand when its title or description names one of the
practices that take divertible calls (call-back unit, crisis team), or names call demand
itself, or when the priority addresses a problem card holding pinned repeat-call evidence
(an action under such a priority is listed with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portrait.calls.repeat_evidence import is_repeat_calls
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.best_practices import catalogue
from portrait.records.store import RecordStore
from portrait.services import fold

#: Words naming call demand in a plan's text, French and English (accents folded).
CALL_DEMAND_WORDS = ("demande d'appels", "appels de service", "appels repetes",
                     "call demand", "calls for service", "repeat calls")
#: How plans name the practices besides their catalogue names (accents folded).
PRACTICE_WORDS: dict[str, tuple[str, ...]] = {
    "call_back_unit": ("unite de rappel", "reponse differenciee", "call-back unit",
                       "call back unit", "differential police response"),
    "mental_health_co_response": ("equipe mixte", "equipe de crise", "equipe mobile",
                                  "crisis team", "co-response", "co-intervention"),
}


@dataclass(frozen=True)
class PlanLink:
    """A priority or action of the plan tied to call demand, and why (``practice_id`` of
    the practice it names, or "" when it names call demand or addresses a repeat-call
    card)."""

    kind: str
    record_id: str
    title: str
    practice_id: str
    #: Tied only through a problem card (an internal link: partners are not told).
    via_card: bool = False


def call_demand_plan(store: RecordStore, practice_ids: Iterable[str]) -> list[PlanLink]:
    """Priorities and actions of ``store``'s plan about call demand or about one of
    ``practice_ids``, in plan order."""
    known = {p.practice_id: p for p in catalogue()}
    practices = {}
    for pid in practice_ids:
        names = (known[pid].name_fr, known[pid].name_en) if pid in known else ()
        practices[pid] = (fold(pid), *(fold(n) for n in names), *PRACTICE_WORDS.get(pid, ()))
    call_cards = {card.record_id for card in store.problems()
                  if any(is_repeat_calls(item) for item in card.evidence)}
    found: list[PlanLink] = []
    tied_priorities: set[str] = set()
    via_card: set[str] = set()
    for priority in store.priorities():
        reason = _reason(priority, practices)
        if reason is None and call_cards & set(priority.problem_ids):
            reason = ""
            via_card.add(priority.record_id)
        if reason is not None:
            found.append(PlanLink("action_priority", priority.record_id, priority.title,
                                  reason, priority.record_id in via_card))
            tied_priorities.add(priority.record_id)
    for action in store.actions():
        reason = _reason(action, practices)
        inherited = reason is None and action.priority_id in tied_priorities
        if inherited:
            reason = ""
        if reason is not None:
            found.append(PlanLink("action", action.record_id, action.title, reason,
                                  inherited and action.priority_id in via_card))
    return found


def _reason(record: ActionPriority | Action, practices: dict[str, tuple[str, ...]]
            ) -> str | None:
    words = fold(f"{record.title} {record.description}")
    for practice_id, names in practices.items():
        if any(name in words for name in names):
            return practice_id
    if any(word in words for word in CALL_DEMAND_WORDS):
        return ""
    return None
