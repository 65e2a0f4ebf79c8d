"""The action plan: priorities, the actions under them, and their quarterly progress.

A community policing action plan lists a few priorities (each tied to analysed problems),
actions for each (who leads, with which partners, when, with what resources) and the
indicators that will show progress, each with a baseline and a target. Every quarter the
officer records where each action stands (``ProgressEntry``); ``portrait.records.progress``
turns that into the table plans report.

Priorities and actions are separate records so that problem cards, review comments and
history can point at an action.

>>> action = Action(title="Marches exploratoires", start=dt.date(2026, 1, 15),
...     indicators=(ActionIndicator(indicator_id="walks", label="Marches réalisées",
...                                 baseline=0, target=4, direction="increase"),))
>>> action = record_progress(action, "2026-Q1", "on_track", indicator_values={"walks": 1},
...                          by="ana")
>>> action.entry("2026-Q1").status
'on_track'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from portrait.errors import PortraitError
from portrait.records.base import (
    Record,
    as_date,
    as_optional_count,
    as_optional_number,
    as_tuple_of,
    check_order,
    clean_text,
    current_user,
    now_iso,
    require_choice,
    require_text,
    unique_ids,
)

PROGRESS_STATUSES = ("not_started", "on_track", "delayed", "done", "abandoned")
STATUS_LABELS = {"not_started": ("Non commencée", "Not started"),
                 "on_track": ("En bonne voie", "On track"),
                 "delayed": ("En retard", "Delayed"),
                 "done": ("Réalisée", "Done"),
                 "abandoned": ("Abandonnée", "Abandoned")}
DIRECTIONS = ("decrease", "increase", "maintain")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SLUG = re.compile(r"^[A-Za-z0-9_.\-]+$")


def check_quarter(quarter: str) -> str:
    """``quarter`` if it reads like ``2026-Q3``; a clear error otherwise."""
    text = str(quarter).strip().upper()
    if not _QUARTER.match(text):
        raise PortraitError(f"Quarter {quarter!r} is not like 2026-Q3 (year, dash, Q1 to Q4).")
    return text


def quarter_of(date: dt.date) -> str:
    """The quarter holding ``date``.

    >>> quarter_of(dt.date(2026, 8, 31))
    '2026-Q3'
    """
    return f"{date.year}-Q{(date.month - 1) // 3 + 1}"


def quarters_between(first: str, last: str) -> tuple[str, ...]:
    """Every quarter from ``first`` to ``last`` included.

    >>> quarters_between("2025-Q4", "2026-Q2")
    ('2025-Q4', '2026-Q1', '2026-Q2')
    """
    y0, q0 = _split(check_quarter(first))
    y1, q1 = _split(check_quarter(last))
    start, end = y0 * 4 + q0 - 1, y1 * 4 + q1 - 1
    return tuple(f"{i // 4}-Q{i % 4 + 1}" for i in range(start, end + 1))


def _split(quarter: str) -> tuple[int, int]:
    match = _QUARTER.match(quarter)
    assert match is not None
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True, kw_only=True)
class ActionIndicator:
    """How an action's progress is measured: a baseline, a target and which way is better
    (``decrease``: at or below target; ``increase``: at or above; ``maintain``: at or above
    the baseline)."""

    LABEL_FR: ClassVar[str] = "Indicateur d'action"
    LABEL_EN: ClassVar[str] = "Action indicator"

    indicator_id: str
    label: str
    unit: str = ""
    baseline: float | None = None
    baseline_period: str = ""
    target: float | None = None
    direction: str = "decrease"
    source: str = ""

    def __post_init__(self) -> None:
        cls = type(self)
        identifier = require_text(cls, "indicator_id", self.indicator_id, "give a short id")
        if not _SLUG.match(identifier):
            raise PortraitError(f"Action indicator / Indicateur d'action: field 'indicator_id' "
                                f"({identifier!r}) may hold only letters, digits, _ . -")
        object.__setattr__(self, "indicator_id", identifier)
        object.__setattr__(self, "label", require_text(cls, "label", self.label,
                                                       "name the indicator"))
        for name in ("unit", "baseline_period", "source"):
            object.__setattr__(self, name, clean_text(cls, name, getattr(self, name)))
        for name in ("baseline", "target"):
            object.__setattr__(self, name, as_optional_number(cls, name, getattr(self, name)))
        require_choice(cls, "direction", self.direction, DIRECTIONS)

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` reaches the target (None when it cannot be judged)."""
        if value is None:
            return None
        if self.direction == "maintain":
            reference = self.target if self.target is not None else self.baseline
            return None if reference is None else value >= reference
        if self.target is None:
            return None
        return value <= self.target if self.direction == "decrease" else value >= self.target


@dataclass(frozen=True, kw_only=True)
class ProgressEntry:
    """Where an action stood at the end of a quarter, in words and indicator values."""

    LABEL_FR: ClassVar[str] = "Suivi trimestriel"
    LABEL_EN: ClassVar[str] = "Quarterly progress"

    quarter: str
    status: str
    narrative: str = ""
    indicator_values: dict[str, float | None] = field(default_factory=dict)
    recorded_at: str = field(default_factory=now_iso)
    recorded_by: str = field(default_factory=current_user)

    def __post_init__(self) -> None:
        cls = type(self)
        object.__setattr__(self, "quarter", check_quarter(self.quarter))
        require_choice(cls, "status", self.status, PROGRESS_STATUSES)
        object.__setattr__(self, "narrative", clean_text(cls, "narrative", self.narrative))
        object.__setattr__(self, "indicator_values", {
            str(k): as_optional_number(cls, f"indicator_values[{k}]", v)
            for k, v in dict(self.indicator_values or {}).items()})


@dataclass(frozen=True, kw_only=True)
class ActionPriority(Record):
    """A priority of the plan, tied to the problem cards it addresses."""

    KIND = "action_priority"
    LABEL_FR = "Priorité du plan d'action"
    LABEL_EN = "Action plan priority"
    LINK_FIELDS = {"problem_ids": "problem"}

    title: str
    description: str = ""
    problem_ids: tuple[str, ...] = ()
    rank: int | None = None
    plan_period: str = ""

    def _validate(self) -> None:
        cls = type(self)
        self._set("title", require_text(cls, "title", self.title, "give the priority a title"))
        for name in ("description", "plan_period"):
            self._set(name, clean_text(cls, name, getattr(self, name)))
        self._set("problem_ids", unique_ids(cls, "problem_ids", self.problem_ids))
        self._set("rank", as_optional_count(cls, "rank", self.rank, minimum=1))

    @property
    def display_name(self) -> str:
        return self.title


@dataclass(frozen=True, kw_only=True)
class Action(Record):
    """An action of the plan: who leads it, with whom, when, with what, measured how.

    ``owner`` names a role or an organisation, not a private person.
    """

    KIND = "action"
    LABEL_FR = "Action"
    LABEL_EN = "Action"
    LINK_FIELDS = {"priority_id": "action_priority", "partner_ids": "partner"}

    title: str
    priority_id: str | None = None
    description: str = ""
    owner: str = ""
    partner_ids: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    resources: str = ""
    indicators: tuple[ActionIndicator, ...] = ()
    progress: tuple[ProgressEntry, ...] = ()

    def _validate(self) -> None:
        cls = type(self)
        self._set("title", require_text(cls, "title", self.title, "give the action a title"))
        for name in ("description", "owner", "resources"):
            self._set(name, clean_text(cls, name, getattr(self, name)))
        self._set("priority_id", clean_text(cls, "priority_id", self.priority_id) or None)
        self._set("partner_ids", unique_ids(cls, "partner_ids", self.partner_ids))
        self._set("start", as_date(cls, "start", self.start))
        self._set("end", as_date(cls, "end", self.end))
        check_order(cls, "start", self.start, "end", self.end)
        self._set("indicators", as_tuple_of(cls, "indicators", self.indicators,
                                            ActionIndicator))
        ids = [i.indicator_id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise self.error("indicators", "holds two indicators with the same id")
        entries = as_tuple_of(cls, "progress", self.progress, ProgressEntry)
        quarters = [e.quarter for e in entries]
        if len(set(quarters)) != len(quarters):
            raise self.error("progress", "holds two entries for the same quarter")
        for entry in entries:
            unknown = sorted(set(entry.indicator_values) - set(ids))
            if unknown:
                raise self.error("progress", f"({entry.quarter}) gives values for unknown "
                                 f"indicator(s) {', '.join(unknown)}")
        self._set("progress", tuple(sorted(entries, key=lambda e: e.quarter)))

    @property
    def display_name(self) -> str:
        return self.title

    def entry(self, quarter: str) -> ProgressEntry | None:
        quarter = check_quarter(quarter)
        return next((e for e in self.progress if e.quarter == quarter), None)

    def indicator(self, indicator_id: str) -> ActionIndicator:
        for item in self.indicators:
            if item.indicator_id == indicator_id:
                return item
        raise PortraitError(f"Action {self.title!r} has no indicator {indicator_id!r}.")

    @property
    def latest_status(self) -> str:
        return self.progress[-1].status if self.progress else "not_started"


def record_progress(action: Action, quarter: str, status: str, narrative: str = "",
                    indicator_values: dict[str, Any] | None = None, by: str | None = None,
                    at: str | None = None) -> Action:
    """``action`` with the progress of ``quarter`` recorded (replacing any earlier entry for
    that quarter), the change kept in its history."""
    from portrait.records.history import update

    by, at = by or current_user(), at or now_iso()
    entry = ProgressEntry(quarter=quarter, status=status, narrative=narrative,
                          indicator_values=dict(indicator_values or {}),
                          recorded_at=at, recorded_by=by)
    kept = tuple(e for e in action.progress if e.quarter != entry.quarter)
    return update(action, by=by, at=at, progress=kept + (entry,))
