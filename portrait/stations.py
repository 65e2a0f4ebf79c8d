"""Station identifiers as the rest of the code uses them.

Real files spell the same station many ways (``38``, ``38.0``, ``"PDQ #38"``, ``"PDQ-1"``,
``"POSTE DE QUARTIER 30"``); comparing them only works once they are one canonical string.
"""

from __future__ import annotations

import math
import re

from portrait.service_words import in_use

_NUMBER = re.compile(r"(\d+(?:[.,]0+)?)\s*$")


def normalise_station_id(value: object) -> str | None:
    """The canonical station id (``"38"``) for any of the spellings found in real files.

    >>> [normalise_station_id(v) for v in (38, 38.0, "PDQ #38", "PDQ-1", "POSTE DE QUARTIER 30")]
    ['38', '38', '38', '1', '30']
    >>> normalise_station_id("") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else None
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if not text:
        return None
    match = _NUMBER.search(text)
    if match is None:
        return text
    number = match.group(1).replace(",", ".")
    return str(int(float(number)))


def station_sort_key(station_id: str) -> tuple[int, str]:
    """Sort numeric station ids as numbers ("3" before "38"), others after them."""
    return (int(station_id), "") if station_id.isdigit() else (10**9, station_id)


def station_label(station_id: str) -> str:
    """"PDQ 38", in the words of the service (``portrait.service_words``)."""
    return in_use().station_label(station_id)
