"""The community quarterly report as a ``Brief``: the plan's priorities, where each initiative
stands this quarter, its indicators counted from the data, and what comes next.

The report (``portrait.quarterly_report``) is laid out in the same content model as the
station's portrait, so the workbook and the map writers serve it unchanged and the PDF
writer (``pdf_quarterly``) only chooses a shorter layout. For partners, counts are protected
like the portrait's: a count of 1 to 4 hides its row (this quarter, a year earlier,
difference and test, since any two give the others back), and an issue that adds up
categories shown in the report hides when the categories it holds would give a hidden or
small count back.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from exports.brief_model import (
    SUPPRESSED,
    Brief,
    BriefOptions,
    BriefSection,
    BriefTable,
    Column,
    Definition,
)
from exports.brief_text import text
from exports.disclosure import DERIVED, PRIMARY, DisclosureLog, is_small
from portrait import clock
from portrait.categories import BY_ID as CATEGORIES
from portrait.quarterly_report import (
    Initiative,
    MeasuredIndicator,
    QuarterlyReport,
)
from portrait.records.action_plan import STATUS_LABELS
from portrait.wording import in_language

Key = tuple[str, str]


def build_quarterly_brief(report: QuarterlyReport, options: BriefOptions,
                          area_km2: float | None = None, workspace_title: str = "",
                          today: dt.date | None = None) -> Brief:
    """The brief of ``report`` for ``options.audience`` (the report is already read through
    the audience's record rule; counts are protected here)."""
    language = options.language
    log = DisclosureLog()
    indicators = {(m.kind, m.subject): m for p in report.priorities
                  for m in p.indicators + tuple(x for i in p.initiatives for x in i.indicators)}
    hidden = protect_indicators(list(indicators.values()), log, language) \
        if options.audience == "partner" else {}
    sections = [_priorities(report, language), _initiatives(report, language),
                _indicators(report, hidden, language), _coming(report, language)]
    quarter, before = report.quarter.label_in(language), \
        report.quarter.year_before.label_in(language)
    definition = Definition(text("quarterly_indicators", language),
                            text("quarterly_indicators_note", language),
                            "; ".join(report.sources) or "—", "",
                            f"{quarter} / {before}")
    fr = language == "fr"
    parameters = [(text("quarterly_cover_quarter", language), quarter),
                  ("Comparé à" if fr else "Compared with", before),
                  (text("cover_period", language), " – ".join(report.period)),
                  ("Données d'incidents" if fr else "Incident data",
                   f"{report.data_first} – {report.data_last}")]
    return Brief(
        station_id=report.station_id, station_name=report.station_name, area_km2=area_km2,
        period=report.period, options=options,
        generated_on=(today or clock.today()).isoformat(), key_figures=[],
        sections=sections, definitions=[definition], parameters=parameters, disclosure=log,
        warnings=[text("quarterly_partial", language, first=report.data_first,
                                 last=report.data_last)]
        if report.partial else [],
        workspace_title=workspace_title, kind="quarterly")


def protect_indicators(indicators: list[MeasuredIndicator], log: DisclosureLog,
                       language: str) -> dict[Key, str]:
    """Reasons by (kind, subject) for the indicators a partner may not see.

    A count of 1 to 4 (this quarter or a year earlier) hides its row. An issue counts the
    incidents of several categories, so it also hides when a part of it shown in the report
    is hidden, or when taking the parts shown away from it (one other indicator, or all the
    categories shown) leaves 1 to 4 incidents: that difference would be a small count.
    """
    hidden: dict[Key, str] = {}
    for item in indicators:
        if is_small(np.array(_columns(item), dtype=float)).any():
            hidden[(item.kind, item.subject)] = PRIMARY
    changed = True
    while changed:  # hiding an issue can expose a larger issue holding it
        changed = False
        for item in indicators:
            key = (item.kind, item.subject)
            if item.kind != "issue" or key in hidden:
                continue
            parts = [m for m in indicators if m is not item and _members(m) <= _members(item)]
            if parts and (any((m.kind, m.subject) in hidden for m in parts)
                          or _leaves_small(item, [[m] for m in parts] + [
                              [m for m in parts if m.kind == "category"]])):
                hidden[key] = DERIVED
                changed = True
    where = text("quarterly_indicators", language)
    for item in indicators:
        reason = hidden.get((item.kind, item.subject))
        if reason:
            log.add(where, item.label(language), reason, text("quarterly_masked", language))
    return hidden


def _columns(item: MeasuredIndicator) -> list[int]:
    return [item.current] + ([item.previous] if item.previous is not None else [])


def _members(item: MeasuredIndicator) -> frozenset[str]:
    """The categories an indicator counts."""
    if item.kind == "category":
        return frozenset({item.subject})
    return frozenset(c.id for c in CATEGORIES.values() if item.subject in c.tags)


def _leaves_small(item: MeasuredIndicator, groups: list[list[MeasuredIndicator]]) -> bool:
    """Whether ``item`` minus the sum of some group of its parts is a count of 1 to 4."""
    for group in groups:
        if not group or len({c for m in group for c in _members(m)}) != \
                sum(len(_members(m)) for m in group):
            continue  # overlapping parts do not add up
        rest = np.array(_columns(item), dtype=float) - np.sum(
            [np.array(_columns(m), dtype=float) for m in group], axis=0)
        if is_small(rest).any():
            return True
    return False


def _priorities(report: QuarterlyReport, language: str) -> BriefSection:
    section = BriefSection("quarterly_priorities", text("quarterly_priorities", language),
                           paragraphs=[text("quarterly_priorities_intro", language)])
    rows = [[p.rank, p.title or text("quarterly_no_priority", language), p.description]
            for p in report.priorities]
    section.tables.append(BriefTable(
        "priorities", text("quarterly_priorities", language),
        [Column("rank", text("rank", language), "int"),
         Column("priority", text("quarterly_priority", language)),
         Column("details", "Description")], rows))
    return section


def _initiatives(report: QuarterlyReport, language: str) -> BriefSection:
    title = f"{text('quarterly_initiatives', language)} — {report.quarter.label_in(language)}"
    section = BriefSection("quarterly_initiatives", title)
    rows = []
    for priority in report.priorities:
        for item in priority.initiatives:
            rows.append([priority.title or text("quarterly_no_priority", language),
                         item.title, _lead(item), _status(item, language), item.narrative])
    section.tables.append(BriefTable(
        "initiatives", title,
        [Column("priority", text("quarterly_priority", language)),
         Column("initiative", text("quarterly_initiative", language)),
         Column("lead", text("quarterly_lead", language)),
         Column("status", text("quarterly_status", language)),
         Column("details", text("quarterly_note", language))], rows))
    return section


def _indicators(report: QuarterlyReport, hidden: dict[Key, str],
                language: str) -> BriefSection:
    section = BriefSection("quarterly_indicators", text("quarterly_indicators", language))
    quarter, before = report.quarter.label_in(language), \
        report.quarter.year_before.label_in(language)
    rows = []
    for priority in report.priorities:
        for measured in priority.indicators:
            rows.append([priority.title, measured.label(language),
                         *_counts(measured, hidden, language)])
        for item in priority.initiatives:
            for measured in item.indicators:
                rows.append([item.title, measured.label(language),
                             *_counts(measured, hidden, language)])
    if not rows:
        section.paragraphs.append(text("quarterly_no_indicator", language))
        return section
    section.tables.append(BriefTable(
        "indicators", text("quarterly_indicators", language),
        [Column("initiative", text("quarterly_about", language)),
         Column("indicator", text("indicator", language)),
         Column("current", quarter, "int"), Column("previous", before, "int"),
         Column("difference", text("quarterly_difference", language), "int"),
         Column("p", "p", "p"), Column("method", text("quarterly_method", language))],
        rows, note=text("quarterly_indicators_note", language)))
    reasons = {m.reason for p in report.priorities
               for m in p.indicators + tuple(x for i in p.initiatives for x in i.indicators)}
    for reason in sorted(r for r in reasons if r):
        wording = text(f"quarterly_{reason}", language)
        section.notes.append(f"{wording[0].upper()}{wording[1:]}.")
    if report.partial:
        section.notes.append(text("quarterly_partial", language, first=report.data_first,
                                 last=report.data_last))
    return section


def _counts(item: MeasuredIndicator, hidden: dict[Key, str], language: str) -> list:
    if (item.kind, item.subject) in hidden:
        return [SUPPRESSED] * 5
    if item.reason is not None:  # said once, in a note under the table
        return [item.current, None, None, None, None]
    return [item.current, item.previous, item.difference, item.p_value,
            in_language(item.method, language)]


def _coming(report: QuarterlyReport, language: str) -> BriefSection:
    following = report.quarter.following.label_in(language)
    title = text("quarterly_next", language, quarter=following)
    section = BriefSection("quarterly_next", title)
    if not report.coming:
        section.paragraphs.append(text("quarterly_next_none", language))
        return section
    section.tables.append(BriefTable(
        "next", title,
        [Column("initiative", text("quarterly_initiative", language)),
         Column("lead", text("quarterly_lead", language)),
         Column("start", text("quarterly_start", language)),
         Column("end", text("quarterly_end", language))],
        [[item.title, _lead(item), item.start or "—", item.end or "—"]
         for item in report.coming]))
    return section


def _lead(item: Initiative) -> str:
    return ", ".join(x for x in (item.owner, *item.partners) if x)


def _status(item: Initiative, language: str) -> str:
    if item.status is None:
        return text("quarterly_not_reported", language)
    return STATUS_LABELS[item.status][0 if language == "fr" else 1]
