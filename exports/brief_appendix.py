"""The brief's appendices: definitions, sources and vintages of every indicator, and the
parameters the engine actually used (``Portrait.parameters``, flattened).

A reader who doubts a number must be able to find how it was made without the software:
the definition, the source file, its vintage and period, and the grid cell size, bandwidth,
thresholds and library versions behind it.
"""

from __future__ import annotations

import json
from typing import Any

from exports.brief_model import Definition
from exports.brief_text import definition as definition_of
from exports.brief_text import label as label_of
from exports.brief_text import text as brief_text
from portrait.wording import in_language

#: Indicators repeated per category or per question share one definition; this many
#: examples of their labels are listed.
MAX_LABELS = 3


def definitions(portrait, language: str) -> list[Definition]:
    """One entry per distinct definition (labels of indicators sharing it joined)."""
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
        shown = "; ".join(labels[:MAX_LABELS]) + (" …" if len(labels) > MAX_LABELS else "")
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
