"""A repeat-call place pinned to a problem card, and how it reads.

The call demand section lists places (an address, or a grid cell for located calls without
one) with many calls from the public. An officer who decides one is a problem pins it: the
card takes the place as its location (a point with the usual radius, or the cell) and keeps a
frozen copy of what was seen — the count, the period, the threshold and which responses the
calls would go to — so next month's import does not change the argument. The copy is read in
words (``repeat_calls_text``) on the card and in the internal brief; a partner brief gets the
count under the disclosure rules and never the address or the mix of responses, whose small
counts could point at a household.

>>> place = {"kind": "address", "place": "12 rue A", "calls": 6, "main_pathway": "crisis",
...          "emergency": 0, "deferrable": 0, "crisis": 6, "other_service": 0,
...          "x": 300100.0, "y": 5040100.0}
>>> evidence = pin_repeat_calls(place, period="2024-01-01 – 2024-12-31", threshold=5,
...                             source="appels.csv", by="ana", at="2025-01-06T10:00:00-05:00")
>>> repeat_calls_text(evidence, "en")
'12 rue A: 6 calls from the public (2024-01-01 – 2024-12-31; crisis team 6)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely

from portrait.calls.pathways import DEMAND
from portrait.errors import PortraitError
from portrait.records.evidence import PinnedEvidence
from portrait.records.problems import Location

#: ``source_id`` of pinned repeat-call evidence, how a reader recognises it.
SOURCE_ID = "calls_repeat_places"
CELL_M = 100.0
#: This module's words, French and English.
WORDS: dict[str, tuple[str, str]] = {
    "label": ("Appels répétés à un même lieu", "Repeat calls at one place"),
    "cell": ("cellule de {size} m centrée sur", "{size} m cell centred on"),
    "calls": ("{count} appels du public", "{count} calls from the public"),
    "calls_one": ("{count} appel du public", "{count} call from the public"),
    "emergency": ("urgence policière", "emergency police"),
    "deferrable": ("rappel ou rapport différé", "call-back or deferred report"),
    "crisis": ("équipe de crise", "crisis team"),
    "other_service": ("autre service", "another service"),
}


def word(key: str, language: str, **values: Any) -> str:
    """``key``'s wording in ``language`` ("fr" or "en")."""
    fr, en = WORDS[key]
    return (fr if language == "fr" else en).format(**values)


def place_location(place: Mapping[str, Any], language: str = "fr") -> Location:
    """Where a card about ``place`` (a row of the repeat-call places table) is: a point at
    the address (incidents counted within the usual radius) or the 100 m cell itself,
    named in the officer's ``language``."""
    x, y = place.get("x"), place.get("y")
    if x is None or y is None:
        raise PortraitError(f"Repeat-call place {place.get('place')!r} has no coordinates: "
                            "its calls carry no location, so it cannot be placed on a card.")
    name = str(place.get("place") or "")
    if place.get("kind") == "cell":
        half = CELL_M / 2
        return Location.area(shapely.box(x - half, y - half, x + half, y + half),
                             label=word("cell", language, size=f"{CELL_M:g}") + f" {name}")
    return Location.point(shapely.Point(x, y), label=name)


def pin_repeat_calls(place: Mapping[str, Any], *, period: str, threshold: int,
                     source: str = "", by: str | None = None,
                     at: str | None = None) -> PinnedEvidence:
    """A frozen copy of ``place`` (a row of the section's ``calls_repeat_places`` table):
    the count as the headline value, the place, the response mix and the threshold."""
    mix = {pathway: int(place.get(pathway) or 0) for pathway in DEMAND}
    stamp = {**({"pinned_by": by} if by else {}), **({"pinned_at": at} if at else {})}
    return PinnedEvidence(
        kind="table", source_id=SOURCE_ID, label_fr=WORDS["label"][0],
        label_en=WORDS["label"][1], value=int(place["calls"]), unit="calls",
        values={"place_kind": str(place.get("kind") or ""),
                "place": str(place.get("place") or ""),
                "main_pathway": str(place.get("main_pathway") or ""), "mix": mix},
        source=source, period=period,
        parameters={"repeat_call_threshold": int(threshold), "place_cell_m": CELL_M},
        geometry=place_location(place).geometry, **stamp)


def is_repeat_calls(evidence: Mapping[str, Any] | PinnedEvidence) -> bool:
    return _field(evidence, "source_id") == SOURCE_ID


def repeat_calls_text(evidence: Mapping[str, Any] | PinnedEvidence, language: str, *,
                      count: str | None = None, detailed: bool = True) -> str:
    """The pinned place in words: "12 rue A : 6 appels du public (période ; équipe de crise
    6)". ``count`` replaces the number (a partner brief's "x"); without ``detailed`` the
    place and the response mix are left out (a partner brief names the card's place in its
    own generalised way)."""
    values = _field(evidence, "values") or {}
    number = _field(evidence, "value")
    shown = count if count is not None else _number(number, language)
    plural = count is not None or number is None or float(number) >= 2
    calls = word("calls" if plural else "calls_one", language, count=shown)
    inside = [_period(str(_field(evidence, "period") or ""), language)]
    if detailed:
        mix = values.get("mix") or {}
        inside.append(", ".join(f"{word(p, language)} {mix[p]}" for p in DEMAND
                                if mix.get(p)))
    inside = [part for part in inside if part]
    separator = " : " if language == "fr" else ": "
    head = str(values.get("place") or "") if detailed else ""
    if values.get("place_kind") == "cell" and head:
        head = f"{word('cell', language, size=f'{CELL_M:g}')} {head}"
    head = head or word("label", language)
    tail = f" ({' ; '.join(inside) if language == 'fr' else '; '.join(inside)})" \
        if inside else ""
    return f"{head}{separator}{calls}{tail}"


def _period(period: str, language: str) -> str:
    """"2024-01-01/2024-12-31" (as portraits write a period) as "2024-01-01 au 2024-12-31"."""
    start, _, end = period.partition("/")
    if not end:
        return period
    return f"{start} {'au' if language == 'fr' else 'to'} {end}"


def _field(evidence: Mapping[str, Any] | PinnedEvidence, name: str) -> Any:
    """A field of the evidence as a record holds it, or as a brief receives it (encoded)."""
    if isinstance(evidence, Mapping):
        return evidence.get(name)
    return getattr(evidence, name, None)


def _number(value: Any, language: str) -> str:
    if value is None:
        return "?"
    number = float(value)
    text = f"{int(number)}" if number.is_integer() else f"{number:.1f}"
    return text.replace(".", ",") if language == "fr" else text
