"""The brief's appendices: definitions, sources and vintages of every indicator, and the
parameters the engine actually used (``Portrait.parameters``, flattened).

A reader who doubts a number must be able to find how it was made without the software:
the definition, the source file, its vintage and period, and the grid cell size, bandwidth,
thresholds and library versions behind it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from exports.brief_model import Brief, BriefOptions, Definition
from exports.brief_text import definition as definition_of
from exports.brief_text import format_level, format_number, format_percent
from exports.brief_text import label as label_of
from exports.brief_text import text as brief_text
from exports.disclosure import SMALL_COUNT_LOW, public_reason
from portrait.wording import in_language

#: Indicators repeated per category or per question share one definition; this many
#: examples of their labels are listed.
MAX_LABELS = 3


def definitions(portrait, language: str, partner: bool = False) -> list[Definition]:
    """One entry per distinct definition (labels of indicators sharing it joined).

    For partners only the first label of a shared definition is named: the others are the
    station's own categories, and which ones it has is a count the brief may hide."""
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for section in portrait.sections:
        for indicator in section.indicators:
            definition = definition_of(indicator, language)
            if not definition:
                continue
            key = (definition, in_language(indicator.source, language),
                   in_language(indicator.vintage, language),
                   in_language(indicator.period, language))
            grouped.setdefault(key, []).append(label_of(indicator, language))
    out = []
    for (definition, source, vintage, period), labels in grouped.items():
        most = 1 if partner else MAX_LABELS
        shown = "; ".join(labels[:most]) + (" …" if len(labels) > most else "")
        out.append(Definition(shown, definition, source, vintage, period))
    return out


def parameters(portrait, language: str) -> list[tuple[str, str]]:
    """``Portrait.parameters`` as (dotted key, value text) pairs, in their order; the rules
    written in words are in ``language``, the keys stay as recorded."""
    out: list[tuple[str, str]] = []
    _flatten("", portrait.parameters, out, language)
    return out


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]], language: str) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, out, language)
        return
    if isinstance(value, (list, tuple)):
        text = json.dumps([in_language(v, language) if isinstance(v, str) else v
                           for v in value], ensure_ascii=False, default=str)
    elif isinstance(value, bool):
        text = brief_text("yes" if value else "no", language)
    elif isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = "" if value is None else in_language(str(value), language)
    out.append((prefix, text))


def disclosure_parameters(options: BriefOptions) -> list[tuple[str, str]]:
    """The thresholds this brief applied (the workspace's settings), for appendix B."""
    return [("disclosure.audience", options.audience),
            ("disclosure.small_count_low", str(SMALL_COUNT_LOW)),
            ("disclosure.small_count_high", str(options.small_count_high)),
            ("disclosure.min_cell_count", str(options.min_cell_count)),
            ("disclosure.cell_size_m", f"{options.cell_size_m:g}"),
            ("disclosure.survey_min_n", str(options.survey_min_n))]


def disclosure_text(brief: Brief) -> tuple[str, list[tuple[str, str, str, str]]]:
    """Appendix C of ``brief``: its introduction (with the thresholds actually used) and
    one (where, what, why, detail) row per suppression, for every writer.

    Partners read one reason for a small count and for its complements: telling them apart
    would say which hidden counts lie between the thresholds.
    """
    options, language = brief.options, brief.language
    values = {"k": options.min_cell_count, "min_n": options.survey_min_n,
              "low": SMALL_COUNT_LOW, "high": options.small_count_high}
    intro = brief_text(f"disclosure_intro_{brief.audience}", language, **values)
    rows = []
    for entry in brief.disclosure.entries:
        reason = public_reason(entry.reason) if brief.audience == "partner" else entry.reason
        rows.append((entry.table, entry.item, brief_text(f"reason_{reason}", language,
                                                          **values), entry.detail))
    return intro, rows


#: The sections whose figures come from a source of their own, in the order the methods name
#: them.
SOURCE_SECTIONS = ("crime", "socio_economic", "services", "surveys", "call_demand")
_CENSUS_YEAR = re.compile(r"(?:census|recensement)\D{0,3}((?:18|19|20)\d\d)", re.IGNORECASE)


def _sources(brief: Brief) -> str:
    """The sources this brief's figures come from, in words: only the sections with figures
    (a survey-only workspace names no census), and the census by its own year (Vancouver's
    local-area profile is the 2016 census, not 2021's)."""
    language = brief.language
    parts = []
    for section in brief.sections:
        if section.id not in SOURCE_SECTIONS or not (section.tables or section.key_figures
                                                     or section.figures):
            continue
        year = ""
        if section.id == "socio_economic":
            found = {m.group(1) for d in brief.definitions
                     for m in [_CENSUS_YEAR.search(f"{d.vintage} {d.definition}")] if m}
            if len(found) == 1:
                year = brief_text("methods_source_census_year", language, year=found.pop())
        parts.append((SOURCE_SECTIONS.index(section.id),
                      brief_text(f"methods_source_{section.id}", language, year=year)))
    names = [name for _, name in sorted(parts)] or [brief_text("methods_source_none",
                                                                language)]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + brief_text("list_and", language) + names[-1]


def methods(brief: Brief) -> list[str]:
    """The partner brief's methods page: what a partner needs to read the figures, in plain
    words with the thresholds this brief applied; the full parameter list stays in the
    internal brief and the JSON, where the people who check the numbers read it."""
    options, language = brief.options, brief.language
    recorded = dict(brief.parameters).get("options.fdr_q", "0.05")
    try:
        fdr_q = float(recorded)
    except ValueError:
        fdr_q = 0.05
    return [brief_text("methods_sources", language, sources=_sources(brief)),
            brief_text("methods_rates", language, level=format_level(0.95, language)),
            brief_text("methods_changes", language,
                       q=format_percent(100 * fdr_q, language, 0)),
            brief_text("methods_places", language,
                       cell=format_number(options.cell_size_m, language),
                       k=options.min_cell_count),
            brief_text("methods_privacy", language, low=SMALL_COUNT_LOW,
                       high=options.small_count_high)]
