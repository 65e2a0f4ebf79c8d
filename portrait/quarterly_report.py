"""The community quarterly report of a station's action plan: what was planned, where each
initiative stands this quarter, what the data say, and what comes next.

Detachments that publish quarterly reports on their action plans give, for each priority,
the initiatives, their status and a few indicators. Here the indicators are never the values
an officer typed in a progress entry: they are counted from the workspace's incidents for
the quarter, in the station, for the incident category or issue the initiative is about, and
compared with the same quarter a year earlier (seasons differ, so the previous quarter would
mislead) with the portrait's change test (``portrait.statistics.rates.change_test``).

What an initiative is about comes from the plan itself: an indicator whose id or source names
a common incident category or issue tag (``break_and_enter``, ``youth``), and the category of
every problem card the initiative's priority addresses. Records are read through the audience
rule they already have: for a shareable report, only shareable records and their
``shareable_view`` fields.

The report is plain data; ``exports.quarterly_brief`` lays it out, and
``QuarterlyReport.content`` is what a commander's approval is bound to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from portrait.categories import BY_ID as CATEGORIES
from portrait.categories import ISSUE_TAGS
from portrait.errors import PortraitError
from portrait.portrait_data import PortraitData
from portrait.portrait_options import PortraitOptions
from portrait.quarters import Quarter
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.base import Record
from portrait.records.problems import ProblemCard
from portrait.statistics.rates import change_test

#: Why a count has no comparison (the brief's catalogue words each code).
NO_YEAR_BEFORE = "no_year_before"
#: Statuses after which an initiative is no longer "coming".
FINISHED = ("done", "abandoned")


@dataclass(frozen=True)
class MeasuredIndicator:
    """Incidents of one category or issue in the station: this quarter, the same quarter a
    year earlier, the difference and its test (``reason`` says why there is no comparison)."""

    kind: str  # "category" or "issue"
    subject: str
    label_fr: str
    label_en: str
    current: int
    previous: int | None
    difference: int | None
    p_value: float | None
    method: str
    reason: str | None = None

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.label_en


@dataclass(frozen=True)
class Initiative:
    """An action of the plan as the quarter saw it; ``status`` is None when nothing was
    reported for the quarter."""

    action_id: str
    title: str
    owner: str
    partners: tuple[str, ...]
    start: str | None
    end: str | None
    status: str | None
    narrative: str
    indicators: tuple[MeasuredIndicator, ...]


@dataclass(frozen=True)
class PlanPriority:
    """A priority, its initiatives, and the counts of the problems it addresses (each
    initiative's ``indicators`` hold only what the priority's do not already)."""

    priority_id: str
    title: str
    description: str
    rank: int | None
    initiatives: tuple[Initiative, ...]
    indicators: tuple[MeasuredIndicator, ...] = ()


@dataclass(frozen=True)
class QuarterlyReport:
    """The quarterly report of one station; dates are ISO text."""

    station_id: str
    station_name: str
    quarter: Quarter
    priorities: tuple[PlanPriority, ...]
    #: Initiatives running in the following quarter and not finished.
    coming: tuple[Initiative, ...]
    data_first: str
    data_last: str
    #: The incidents start after the quarter does or end before it ends: its counts
    #: are not the whole quarter's.
    partial: bool
    #: Where the incidents come from (the sources' names, for the definitions).
    sources: tuple[str, ...] = ()

    @property
    def period(self) -> tuple[str, str]:
        return self.quarter.start.isoformat(), self.quarter.end.isoformat()

    def content(self) -> dict[str, Any]:
        """Everything the report says, as JSON-ready data (what an approval is bound to)."""
        data = dataclasses.asdict(self)
        data["quarter"] = self.quarter.label
        return data


def build_quarterly_report(data: PortraitData, station_id: str, quarter: Quarter,
                           records: Iterable[Record], shareable_only: bool = True,
                           small_count: int = PortraitOptions.small_count) -> QuarterlyReport:
    """The quarterly report of ``station_id`` for ``quarter``.

    ``records`` are the station's records (``portrait.records.station_scope``). Raises
    ``PortraitError`` when the station has no action plan or the incidents do not reach
    into the quarter: a report without them would say nothing.
    """
    records = [r for r in records if r.is_shareable or not shareable_only]
    priorities = sorted((r for r in records if isinstance(r, ActionPriority)),
                        key=lambda p: (p.rank is None, p.rank or 0, p.title))
    actions = [r for r in records if isinstance(r, Action)]
    if not priorities and not actions:
        raise PortraitError(f"Station {station_id} has no action plan: add its priorities and "
                            "actions (Action plan section) before a quarterly report.")
    first, last = data.incidents.first_date, data.incidents.last_date
    if first is None or last is None or last.date() < quarter.start \
            or first.date() > quarter.end:
        span = "no incidents" if first is None or last is None else \
            f"incidents from {first.date()} to {last.date()}"
        raise PortraitError(f"No incident data for {quarter.label} (the workspace holds "
                            f"{span}); choose a quarter the data cover or import newer "
                            "incidents.")
    counter = _Counter(data, station_id, quarter, small_count)
    names = {r.record_id: r.display_name for r in records}
    problems = [r for r in records if isinstance(r, ProblemCard)]
    by_priority: dict[str | None, list[Action]] = {}
    for action in actions:
        by_priority.setdefault(action.priority_id, []).append(action)
    plan = []
    for priority in priorities:
        subjects = _problem_subjects(problems, priority)
        initiatives = tuple(
            _initiative(a, quarter, names, counter, subjects, shareable_only)
            for a in _in_order(by_priority.get(priority.record_id, []))
            if _runs_in(a, quarter) or a.entry(quarter.label) is not None)
        view = _view(priority, shareable_only)
        plan.append(PlanPriority(priority.record_id, str(view.get("title") or ""),
                                 str(view.get("description") or ""), priority.rank,
                                 initiatives, tuple(counter.measure(*s) for s in subjects)))
    known = {p.record_id for p in priorities}
    loose = [a for a in actions if a.priority_id not in known
             and (_runs_in(a, quarter) or a.entry(quarter.label) is not None)]
    if loose:  # actions under no priority still belong in the report
        plan.append(PlanPriority("", "", "", None, tuple(
            _initiative(a, quarter, names, counter, (), shareable_only)
            for a in _in_order(loose))))
    following = quarter.following
    coming = tuple(_initiative(a, following, names, None, (), shareable_only)
                   for a in _in_order(actions) if _runs_in(a, following)
                   and _status_by(a, quarter) not in FINISHED)
    if not any(p.initiatives for p in plan) and not coming:
        raise PortraitError(f"Station {station_id}'s action plan has no action running in "
                            f"{quarter.label} or the next quarter: check the actions' start "
                            "and end dates.")
    return QuarterlyReport(station_id, data.station_name(station_id), quarter, tuple(plan),
                           coming, first.date().isoformat(), last.date().isoformat(),
                           partial=first.date() > quarter.start or last.date() < quarter.end,
                           sources=data.incidents.sources)


class _Counter:
    """Counts a station's incidents of a category or issue in a quarter and a year before."""

    def __init__(self, data: PortraitData, station_id: str, quarter: Quarter,
                 small_count: int):
        self.frame, self.tags = data.incidents.of(station_id)
        self.tag_ids = data.incidents.tag_ids
        self.quarter = quarter
        self.small_count = small_count
        first = data.incidents.first_date
        self.year_before_covered = first is not None and \
            first.date() <= quarter.year_before.start
        dates = self.frame["date"].to_numpy()
        self.current = _between(dates, quarter)
        self.previous = _between(dates, quarter.year_before)
        self.exposure = _days(quarter) / _days(quarter.year_before)
        self._cache: dict[tuple[str, str], MeasuredIndicator] = {}

    def measure(self, kind: str, subject: str) -> MeasuredIndicator:
        key = (kind, subject)
        if key not in self._cache:
            self._cache[key] = self._measure(kind, subject)
        return self._cache[key]

    def _measure(self, kind: str, subject: str) -> MeasuredIndicator:
        if kind == "category":
            mask = (self.frame["category"].astype(str) == subject).to_numpy()
            fr, en = CATEGORIES[subject].label_fr, CATEGORIES[subject].label_en
        else:
            mask = self.tags[:, self.tag_ids.index(subject)]
            fr, en = ISSUE_TAGS[subject]
        current = int(np.sum(self.current & mask))
        if not self.year_before_covered:
            return MeasuredIndicator(kind, subject, fr, en, current, None, None, None, "",
                                     NO_YEAR_BEFORE)
        previous = int(np.sum(self.previous & mask))
        test = change_test(current, previous, self.exposure, self.small_count)
        return MeasuredIndicator(kind, subject, fr, en, current, previous, test.difference,
                                 float(test.p_value), test.method)


def _between(dates: np.ndarray, quarter: Quarter) -> np.ndarray:
    start = np.datetime64(quarter.start)
    end = np.datetime64(quarter.end + dt.timedelta(days=1))
    return (dates >= start) & (dates < end)


def _days(quarter: Quarter) -> int:
    return (quarter.end - quarter.start).days + 1


def _subject(text: str) -> tuple[str, str] | None:
    """("category", id) or ("issue", tag) when ``text`` names one; None otherwise."""
    key = text.strip().lower()
    if key in CATEGORIES:
        return "category", key
    if key in ISSUE_TAGS:
        return "issue", key
    return None


def _problem_subjects(problems: list[ProblemCard], priority: ActionPriority
                      ) -> tuple[tuple[str, str], ...]:
    wanted = set(priority.problem_ids)
    return tuple(dict.fromkeys(("category", p.category) for p in problems
                               if p.record_id in wanted and p.category_is_common))


def _initiative(action: Action, quarter: Quarter, names: dict[str, str],
                counter: _Counter | None, problem_subjects: tuple[tuple[str, str], ...],
                shareable_only: bool) -> Initiative:
    view = _view(action, shareable_only)
    entry = next((e for e in view.get("progress") or () if e.get("quarter") == quarter.label),
                 None)
    subjects: list[tuple[str, str]] = []
    for indicator in action.indicators:
        for text in (indicator.indicator_id, indicator.source):
            found = _subject(text)
            if found is not None and found not in subjects:
                subjects.append(found)
    measured = () if counter is None else tuple(counter.measure(*s) for s in subjects
                                                if s not in problem_subjects)
    return Initiative(
        action.record_id, str(view.get("title") or ""), str(view.get("owner") or ""),
        tuple(names[p] for p in action.partner_ids if p in names),
        action.start.isoformat() if action.start else None,
        action.end.isoformat() if action.end else None,
        entry.get("status") if entry else None,
        str(entry.get("narrative") or "") if entry else "", measured)


def _view(record: Record, shareable_only: bool) -> dict[str, Any]:
    """The record's fields the audience may read."""
    return record.shareable_view() if shareable_only else record.to_dict()


def _in_order(actions: list[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: (a.start or dt.date.max, a.title))


def _runs_in(action: Action, quarter: Quarter) -> bool:
    return (action.start is None or action.start <= quarter.end) and \
        (action.end is None or action.end >= quarter.start)


def _status_by(action: Action, quarter: Quarter) -> str | None:
    """The latest status reported up to ``quarter``."""
    reported = [e for e in action.progress if e.quarter <= quarter.label]
    return reported[-1].status if reported else None

