"""The consultation log: meetings, round tables, surveys, walks and calls with the community.

Each entry says when and how the community was consulted, who took part (partner records,
and other participants as free text), what was discussed, which problems were raised, what
was decided and who follows up on what by when.

Two levels of confidentiality: ``internal`` (the default, for what was said in confidence)
and ``shareable``. An internal consultation has no shareable view at all; in a shareable one
the free-text participants, which may name residents, are still left out
(``CONFIDENTIAL_FIELDS``).

>>> import datetime as dt
>>> walk = Consultation(date=dt.date(2026, 5, 12), form="exploratory_walk",
...     topics=("éclairage", "ruelle"), confidentiality="shareable")
>>> walk.open_follow_ups()
()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from portrait import clock
from portrait.records.base import (
    Record,
    as_date,
    as_optional_count,
    as_text_tuple,
    as_tuple_of,
    clean_text,
    new_id,
    require_choice,
    require_date,
    require_text,
    unique_ids,
)

FORMS = ("meeting", "round_table", "survey", "exploratory_walk", "phone")
FORM_LABELS = {"meeting": ("Rencontre", "Meeting"),
               "round_table": ("Table de concertation", "Round table"),
               "survey": ("Sondage", "Survey"),
               "exploratory_walk": ("Marche exploratoire", "Exploratory walk"),
               "phone": ("Appel téléphonique", "Phone call")}
CONFIDENTIALITY = ("internal", "shareable")
FOLLOW_UP_STATUSES = ("open", "in_progress", "done", "cancelled")


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """Something to do after the consultation: what, who owns it, by when, where it stands.

    ``owner`` names a role or an organisation (not a private person's contact details).
    """

    LABEL_FR: ClassVar[str] = "Suivi"
    LABEL_EN: ClassVar[str] = "Follow-up"

    follow_up_id: str = field(default_factory=new_id)
    description: str
    owner: str = ""
    due: dt.date | None = None
    status: str = "open"

    def __post_init__(self) -> None:
        cls = type(self)
        object.__setattr__(self, "description", require_text(
            cls, "description", self.description, "say what must be done"))
        object.__setattr__(self, "owner", clean_text(cls, "owner", self.owner))
        object.__setattr__(self, "due", as_date(cls, "due", self.due))
        require_choice(cls, "status", self.status, FOLLOW_UP_STATUSES)

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def is_late(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return self.is_open and self.due is not None and self.due < today


@dataclass(frozen=True, kw_only=True)
class Consultation(Record):
    """One consultation of the community or of partners."""

    KIND = "consultation"
    LABEL_FR = "Consultation"
    LABEL_EN = "Consultation"
    CONFIDENTIAL_FIELDS = frozenset({"participants_other"})
    LINK_FIELDS = {"partner_ids": "partner", "problem_ids": "problem"}

    date: dt.date
    form: str
    title: str = ""
    partner_ids: tuple[str, ...] = ()
    participants_other: tuple[str, ...] = ()
    participant_count: int | None = None
    topics: tuple[str, ...] = ()
    problem_ids: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    summary: str = ""
    confidentiality: str = "internal"

    def _validate(self) -> None:
        cls = type(self)
        self._set("date", require_date(cls, "date", self.date))
        require_choice(cls, "form", self.form, FORMS)
        for name in ("title", "summary"):
            self._set(name, clean_text(cls, name, getattr(self, name)))
        for name in ("participants_other", "topics", "decisions"):
            self._set(name, as_text_tuple(cls, name, getattr(self, name)))
        for name in self.LINK_FIELDS:
            self._set(name, unique_ids(cls, name, getattr(self, name)))
        self._set("participant_count",
                  as_optional_count(cls, "participant_count", self.participant_count))
        self._set("follow_ups", as_tuple_of(cls, "follow_ups", self.follow_ups, FollowUp))
        require_choice(cls, "confidentiality", self.confidentiality, CONFIDENTIALITY)

    @property
    def display_name(self) -> str:
        label = FORM_LABELS[self.form][0]
        return f"{self.date.isoformat()} — {self.title or label}"

    @property
    def is_shareable(self) -> bool:
        return self.confidentiality == "shareable"

    def form_label(self, language: str = "fr") -> str:
        return FORM_LABELS[self.form][0 if language == "fr" else 1]

    def open_follow_ups(self) -> tuple[FollowUp, ...]:
        return tuple(f for f in self.follow_ups if f.is_open)
