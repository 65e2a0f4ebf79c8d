"""Small helpers the brief's section writers share: indicator values as key figures and
table cells, units in the reader's language, and masked values.

Kept apart from the section writers so each of those stays about one part of the portrait.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from exports.brief_cards import WORDS as CARD_WORDS
from exports.brief_model import SUPPRESSED, BriefTable, Column, Interval, KeyFigure
from exports.brief_text import (
    format_interval,
    format_level,
    format_number,
    format_p,
    format_percent,
    format_value,
    is_missing,
    text,
)
from exports.brief_text import label as label_of
from exports.disclosure import public_reason
from portrait.records.audience import FIELDS
from portrait.wording import in_language

UNITS_FR = {
    "incidents": "incidents", "persons": "personnes", "households": "ménages",
    "places": "lieux", "services": "services", "areas": "aires", "cells": "cellules",
    "ratio": "ratio", "incidents (difference)": "incidents (écart)",
    "calls": "appels", "calls (difference)": "appels (écart)", "hours": "heures",
    "percentage points": "points de pourcentage", "index (0-1)": "indice (0-1)",
    "per 1,000 residents per year": "pour 1 000 résidents par an",
    "families": "familles", "index (1 = no seasonal effect)": "indice (1 = pas d'effet)",
    "chi-square": "khi-deux",
}
#: Units whose values are plain counts (no unit printed after the number).
COUNT_UNITS = ("incidents", "persons", "households", "places", "services", "areas", "cells",
               "calls")


def unit_text(unit: str, language: str) -> str:
    if language == "fr":
        return UNITS_FR.get(unit, unit)
    return unit


def masked(value: Any, reason: str | None) -> Any:
    """``SUPPRESSED`` when there is a reason to hide ``value``."""
    return SUPPRESSED if reason else value


def interval_cell(low: Any, high: Any, unit: str, language: str,
                  reason: str | None = None) -> Any:
    """An interval as text for a table cell (masked with its value)."""
    if reason:
        return SUPPRESSED
    shown = format_interval(low, high, unit, language)
    return Interval(low, high, shown) if shown else None


def indicator_text(indicator, language: str) -> str:
    """Value, unit and interval of an indicator on one line ("–" with the reason when it
    has no value)."""
    if is_missing(indicator.value):
        return f"– ({in_language(indicator.reason, language)})" if indicator.reason else "–"
    unit = indicator.unit
    value = format_value(indicator.value, unit, language)
    suffix = "" if unit in ("%", "$") or unit in COUNT_UNITS else f" {unit_text(unit, language)}"
    if indicator.interval is not None and not is_missing(indicator.interval.low):
        level = text("ci", language, level=format_level(indicator.interval.level, language))
        bounds = format_interval(indicator.interval.low, indicator.interval.high, unit,
                                 language)
        return f"{value}{suffix} ({level} {bounds})"
    return f"{value}{suffix}"


def test_text(indicator, language: str) -> str:
    """A change with its test: "478 c. 531 ; p = 0,095" (never a bare percent change)."""
    test = indicator.test
    if test is None:
        return ""
    parts = []
    details = test.details or {}
    if "current" in details and "previous" in details:
        parts.append(text("change_vs", language, current=details["current"],
                          previous=details["previous"]))
    if "compared_with" in details and "other" in details:
        parts.append(f"{details['compared_with']} : {format_value(details['other'], '%', language)}"
                     if language == "fr" else
                     f"{details['compared_with']}: {format_value(details['other'], '%', language)}")
    p = test.p_adjusted if test.p_adjusted is not None else test.p_value
    p_text = format_p(p, language)
    if test.p_adjusted is not None:
        p_text += " (BH)"
    parts.append(p_text)
    return " ; ".join(parts) if language == "fr" else "; ".join(parts)


def city_text(indicator, language: str) -> str:
    context = indicator.context or {}
    out = []
    if not is_missing(context.get("city")):
        city = format_value(context["city"], indicator.unit, language)
        separator = " : " if language == "fr" else ": "
        out.append(f"{text('city', language)}{separator}{city}")
    if context.get("rank") and context.get("of"):
        out.append(f"{text('rank', language)} {context['rank']} {text('of', language)} "
                   f"{context['of']}")
    return " ; ".join(out) if language == "fr" else "; ".join(out)


def key_figure(indicator, language: str, reason: str | None = None) -> KeyFigure:
    """An indicator as a headline: masked entirely when ``reason`` says so."""
    name = label_of(indicator, language)
    if reason:
        return KeyFigure(name, SUPPRESSED, indicator.unit, text("suppressed_marker", language),
                         text(f"reason_{public_reason(reason)}", language), indicator.id)
    details = [d for d in (test_text(indicator, language), city_text(indicator, language)) if d]
    return KeyFigure(name, indicator.value, indicator.unit, indicator_text(indicator, language),
                     " ; ".join(details) if language == "fr" else "; ".join(details),
                     indicator.id)


def indicator_columns(language: str) -> list[Column]:
    """Columns of an "indicators" table: label, value (in its row's unit), interval,
    unit, city value, rank."""
    return [Column("indicator", text("indicator", language)),
            Column("value", text("value", language), "measure"),
            Column("interval", text("interval", language)),
            Column("unit", "Unité" if language == "fr" else "Unit"),
            Column("city", text("city", language), "measure"),
            Column("rank", text("rank", language), "int")]


def indicator_row(indicator, language: str, reason: str | None = None) -> list[Any]:
    context = indicator.context or {}
    interval = indicator.interval
    return [label_of(indicator, language),
            masked(None if is_missing(indicator.value) else indicator.value, reason),
            interval_cell(interval.low if interval else None,
                          interval.high if interval else None, indicator.unit, language,
                          reason),
            indicator.unit,
            context.get("city") if not is_missing(context.get("city")) else None,
            context.get("rank")]


def cell_text(value: Any, column: Column, row_unit: str, language: str) -> str:
    """A table value as printed (PDF, HTML): the marker for a suppressed value, "–" for a
    missing one, numbers in the language's format."""
    if value is SUPPRESSED:
        return text("suppressed_marker", language)
    if value is None or (isinstance(value, float) and is_missing(value)):
        return "–"
    kind = column.kind
    if column.id == "unit" and isinstance(value, str):  # "%" and "$" follow the value
        return "" if value in ("%", "$") else unit_text(value, language)
    if kind == "text" or isinstance(value, str):
        return str(value)
    if kind == "int":
        return format_number(value, language, 0)
    if kind == "number":
        return format_number(value, language, column.decimals)
    if kind == "percent":
        return format_percent(value, language, column.decimals)
    if kind == "p":
        return format_p(value, language).removeprefix("p = ").removeprefix("p ")
    if kind == "measure":
        return format_value(value, row_unit, language)
    return str(value)


def row_unit(columns: list[Column], row: list[Any]) -> str:
    """The unit of a row whose table has a "unit" column (for "measure" columns)."""
    for column, value in zip(columns, row, strict=False):
        if column.id == "unit" and isinstance(value, str):
            return value
    return ""


def is_card_table(table: BriefTable) -> bool:
    """Whether ``table`` holds records as cards: a name, then "label : value" lines."""
    return [c.id for c in table.columns] == ["name", "details"]


def card_fields(details: str, language: str) -> list[tuple[str, str]]:
    """A card's (label, value) fields from its details lines; a line that does not start
    with a field's label goes on the field above it (a text typed over several lines)."""
    separator = " : " if language == "fr" else ": "
    index = 0 if language == "fr" else 1
    known = {labels[1 + index] for fields in FIELDS.values() for labels in fields.values()}
    known |= {words[index] for words in CARD_WORDS.values()}
    fields: list[tuple[str, str]] = []
    for line in str(details or "").split("\n"):
        label, _, value = line.partition(separator)
        if label in known or not fields:
            fields.append((label, value))
        elif fields:
            fields[-1] = (fields[-1][0], f"{fields[-1][1]}\n{line}")
    return fields


def cards_as_columns(table: BriefTable, language: str) -> BriefTable:
    """A card table as a sheet reads it: one row per record, one column per field (the
    fields' labels as headings, in the order the cards give them)."""
    rows = [(name, dict(card_fields(details, language))) for name, details in table.rows]
    labels = list(dict.fromkeys(label for _, fields in rows for label in fields))
    columns = [table.columns[0]] + [Column(f"field_{k}", label) for k, label in
                                    enumerate(labels)]
    return dataclasses.replace(table, columns=columns, rows=[
        [name, *(fields.get(label, "") for label in labels)] for name, fields in rows])
