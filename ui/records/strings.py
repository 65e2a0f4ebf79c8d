"""Every word the records panels show, in French and English: ``RecordText``.

``RecordText`` is the window's ``UiText`` (so error dialogs, numbers and dates work the same)
with the records' own table (``ui.records.string_table``) looked up first. Labels the records
model already holds in both languages (SARA stages, sectors, consultation forms, progress
statuses...) are read from the model, so a word is written once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from portrait.categories import BY_ID, ISSUE_TAGS
from portrait.records import Consultation, Location, Record, Suggestion
from portrait.records.action_plan import STATUS_LABELS
from portrait.records.best_practices import EXACT_CATEGORY, TAG_MATCH, TRIAL_RESULT_LABELS
from portrait.records.consultations import FORM_LABELS
from portrait.records.location_words import location_words
from portrait.records.partners import SECTOR_LABELS
from portrait.records.priority import CONCERN_LABELS
from portrait.records.problems import CONTROLLERS, SARA_LABELS, SIDE_LABELS
from ui.records.string_table import (
    CHOICE_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    RECORD_STRINGS,
)
from ui.strings import LANGUAGES, UiText

#: Choice group -> value -> (fr, en), from the model and from the records' table.
CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "sara": SARA_LABELS, "side": SIDE_LABELS, "controller": CONTROLLERS,
    "sector": SECTOR_LABELS, "form": FORM_LABELS, "progress": STATUS_LABELS,
    "trial": TRIAL_RESULT_LABELS, "tag": ISSUE_TAGS,
    "concern": {k: (fr.capitalize(), en.capitalize()) for k, (fr, en) in CONCERN_LABELS.items()},
    **CHOICE_LABELS,
}


class RecordText(UiText):
    """The records' words in one language: ``text("delete_confirm", name=...)``, choices
    (``text.choice("sara", "analysis")``) and the short descriptions lists and details show."""

    def __call__(self, key: str, **values: object) -> str:
        table = RECORD_STRINGS[self.language]
        if key in table:
            return table[key].format(**values)
        return super().__call__(key, **values)

    def keys(self) -> set[str]:
        return super().keys() | set(RECORD_STRINGS[self.language])

    @property
    def _index(self) -> int:
        return 0 if self.language == "fr" else 1

    def both(self, key: str) -> tuple[str, str]:
        """``key`` in French and in English (for labels stored in both languages)."""
        return RECORD_STRINGS["fr"][key], RECORD_STRINGS["en"][key]

    def choice(self, group: str, value: str) -> str:
        """A choice (SARA stage, status, sector...) in words; the value itself if unknown."""
        labels = CHOICES[group].get(value)
        return labels[self._index] if labels else str(value)

    def none_of(self, kind: str) -> str:
        """What a list of links of ``kind`` says when empty, agreeing with the kind in
        French ("aucune consultation", "aucun partenaire")."""
        key = f"links_none_{kind}"
        return self(key if key in RECORD_STRINGS[self.language] else "links_none")

    def kind_label(self, kind: str) -> str:
        labels = KIND_LABELS.get(kind)
        return labels[self._index] if labels else kind

    def field_label(self, field: str) -> str:
        labels = FIELD_LABELS.get(field)
        return labels[self._index] if labels else field.replace("_", " ")

    def category_label(self, category: str) -> str:
        """A common category in words; free text as typed."""
        return BY_ID[category].label(self.language) if category in BY_ID else category

    def decimal(self, value: float, decimals: int = 1) -> str:
        return self.locale().toString(float(value), "f", decimals)

    def day(self, value: dt.date | None) -> str:
        return self.date(value.isoformat()) if value is not None else "—"

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        if start is None and end is None:
            return self("period_none")
        if end is None:
            return self("period_open_end", start=self.day(start))
        if start is None:
            return self("period_open_start", end=self.day(end))
        return self("period_range", start=self.day(start), end=self.day(end))

    def hectares(self, geometry: BaseGeometry | None) -> str:
        """The area of a shape in a metric CRS, in hectares."""
        area = 0.0 if geometry is None else geometry.area / 10_000
        return self("hectares", value=self.decimal(area, 1 if area >= 1 else 2))

    def location_summary(self, location: Location | None,
                         areas: pd.DataFrame | None = None) -> str:
        """Where a problem is, in the station's words (``areas``, the census areas, name
        the neighbourhood)."""
        if location is None:
            return self("location_none")
        words = location_words(location, self.language, areas)
        return words[:1].upper() + words[1:]

    def name_of(self, record: Record) -> str:
        """A record's name in this language (a consultation without title: date and form)."""
        if isinstance(record, Consultation):
            return f"{self.day(record.date)} — {record.title or self.choice('form', record.form)}"
        return record.display_name

    def suggestion_reasons(self, suggestion: Suggestion) -> str:
        """Why a practice is suggested (``Suggestion.reasons`` with the sides in words)."""
        if suggestion.category_match == EXACT_CATEGORY:
            parts = [self("reason_category")]
        elif suggestion.category_match == TAG_MATCH:
            parts = [self("reason_tag")]
        else:
            parts = [self("reason_general")]
        if suggestion.sides_matched:
            sides = ", ".join(self.choice("side", s) for s in suggestion.sides_matched)
            parts.append(self("reason_sides", sides=sides))
        if suggestion.trials:
            parts.append(self("reason_trials", count=len(suggestion.trials)))
        return "; ".join(parts)


def record_text(language: Any = None) -> RecordText:
    """The records' words in ``language`` ("fr", "en", or a ``UiText``); French otherwise."""
    language = getattr(language, "language", language)
    return RecordText(language if language in LANGUAGES else "fr")
