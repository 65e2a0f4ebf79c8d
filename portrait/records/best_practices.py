"""The best-practices library: intervention types, what they act on, what evidence says.

The built-in catalogue (``best_practices.json``, bilingual) describes each intervention type,
the problem categories it fits, the side of the problem analysis triangle it acts on and a
short, sourced sentence on the evidence — including when the evidence is thin. Officers add
their own practices (``CustomPractice`` records) and record what happened when they tried
one (``PracticeTrial`` records), so the station's experience builds up next to the research.

``suggestions(problem)`` ranks the practices that fit a problem card:

* the practice must fit the card's category: +2 when it lists the category itself, +1 when
  it lists one of the category's issue tags, +0.5 when it fits any problem ("general");
  practices that do not fit are left out (a free-text category matches general ones only);
* +2 when the practice acts on a weakest side of the card's triangle (the side(s) whose
  controller is most lacking, see ``ProblemTriangle.weakest_sides``);
* ties go to the more specific practice (fewer categories and tags listed), then by name.
  Earlier trials are attached to each suggestion, not scored.

>>> from portrait.records.problems import ProblemCard, ProblemTriangle, TriangleSide
>>> card = ProblemCard(title="Vols dans les autos", category="theft_from_vehicle",
...     triangle=ProblemTriangle(place=TriangleSide(controller_level="absent")))
>>> suggestions(card)[0].practice.practice_id
'cpted'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from portrait.categories import BY_ID, ISSUE_TAGS
from portrait.errors import PortraitError
from portrait.records.base import (
    Record,
    as_text_tuple,
    clean_text,
    require_choice,
    require_date,
)
from portrait.records.problems import SIDES, ProblemCard
from portrait.services import fold

#: The intervention types the catalogue must hold.
REQUIRED_PRACTICES = ("call_back_unit", "mental_health_co_response",
                      "civilian_community_officers", "situation_tables", "cpted",
                      "youth_outreach", "victim_support", "problem_oriented_policing",
                      "community_policing_action_plan")
TRIAL_RESULTS = ("worked", "partly_worked", "did_not_work", "too_early", "not_assessed")
TRIAL_RESULT_LABELS = {"worked": ("A fonctionné", "Worked"),
                       "partly_worked": ("A fonctionné en partie", "Partly worked"),
                       "did_not_work": ("N'a pas fonctionné", "Did not work"),
                       "too_early": ("Trop tôt pour le dire", "Too early to tell"),
                       "not_assessed": ("Non évalué", "Not assessed")}
EXACT_CATEGORY, TAG_MATCH, GENERAL_MATCH, SIDE_MATCH = 2.0, 1.0, 0.5, 2.0


@dataclass(frozen=True)
class Practice:
    """An intervention type (built in, or an officer's own practice)."""

    practice_id: str
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    general: bool
    sides: tuple[str, ...]
    evidence_fr: str
    evidence_en: str
    sources: tuple[str, ...]
    built_in: bool = True

    def name(self, language: str = "fr") -> str:
        return _pick(self.name_fr, self.name_en, language)

    def description(self, language: str = "fr") -> str:
        return _pick(self.description_fr, self.description_en, language)

    def evidence(self, language: str = "fr") -> str:
        return _pick(self.evidence_fr, self.evidence_en, language)

    @property
    def breadth(self) -> int:
        """How many categories and tags the practice lists (general ones count as all)."""
        return len(BY_ID) + len(ISSUE_TAGS) if self.general else \
            len(self.categories) + len(self.tags)

    def category_match(self, category: str) -> float:
        """How well the practice fits ``category`` (see the module docstring)."""
        if category and category in self.categories:
            return EXACT_CATEGORY
        known = BY_ID.get(category)
        if known is not None and set(known.tags) & set(self.tags):
            return TAG_MATCH
        return GENERAL_MATCH if self.general else 0.0


@functools.cache
def catalogue() -> tuple[Practice, ...]:
    """The built-in practices, read once from ``best_practices.json`` and checked."""
    text = resources.files("portrait.records").joinpath("best_practices.json").read_text(
        encoding="utf-8")
    practices = tuple(_practice(item) for item in json.loads(text)["practices"])
    ids = [p.practice_id for p in practices]
    if len(set(ids)) != len(ids):
        raise PortraitError("The best-practices catalogue holds the same id twice.")
    return practices


def _practice(item: dict) -> Practice:
    practice = Practice(
        str(item["id"]), item["name_fr"], item["name_en"], item["description_fr"],
        item["description_en"], tuple(item.get("categories", ())), tuple(item.get("tags", ())),
        bool(item.get("general", False)), tuple(item["sides"]), item["evidence_fr"],
        item["evidence_en"], tuple(item.get("sources", ())))
    _check_fit(practice.practice_id, practice.categories, practice.tags, practice.sides)
    return practice


def _check_fit(name: str, categories: Iterable[str], tags: Iterable[str],
               sides: Iterable[str]) -> None:
    unknown = [c for c in categories if c not in BY_ID] + [t for t in tags if t not in ISSUE_TAGS]
    if unknown:
        raise PortraitError(f"Practice {name!r}: unknown categories or tags {unknown}.")
    bad_sides = [s for s in sides if s not in SIDES]
    if bad_sides:
        raise PortraitError(f"Practice {name!r}: unknown triangle side(s) {bad_sides}; "
                            f"known: {', '.join(SIDES)}.")


@dataclass(frozen=True, kw_only=True)
class CustomPractice(Record):
    """A practice an officer adds to the library (one language is enough)."""

    KIND = "practice"
    LABEL_FR = "Pratique ajoutée"
    LABEL_EN = "Custom practice"

    name_fr: str = ""
    name_en: str = ""
    description_fr: str = ""
    description_en: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    general: bool = False
    sides: tuple[str, ...] = ()
    evidence_fr: str = ""
    evidence_en: str = ""
    sources: tuple[str, ...] = ()

    def _validate(self) -> None:
        cls = type(self)
        for name in ("name_fr", "name_en", "description_fr", "description_en", "evidence_fr",
                     "evidence_en"):
            self._set(name, clean_text(cls, name, getattr(self, name)))
        if not (self.name_fr or self.name_en):
            raise self.error("name_fr", "is empty; name the practice (in French or English)")
        for name in ("categories", "tags", "sides", "sources"):
            self._set(name, as_text_tuple(cls, name, getattr(self, name)))
        self._set("general", bool(self.general))
        try:
            _check_fit(self.display_name, self.categories, self.tags, self.sides)
        except PortraitError as error:
            raise self.error("categories", f"is not valid: {error}") from None
        if not self.sides:
            raise self.error("sides", "is empty; say which side of the triangle it acts on "
                             f"({', '.join(SIDES)})")

    @property
    def display_name(self) -> str:
        return self.name_fr or self.name_en

    def as_practice(self) -> Practice:
        return Practice(self.record_id, self.name_fr, self.name_en, self.description_fr,
                        self.description_en, self.categories, self.tags, self.general,
                        self.sides, self.evidence_fr, self.evidence_en, self.sources,
                        built_in=False)


@dataclass(frozen=True, kw_only=True)
class PracticeTrial(Record):
    """What happened when the station tried a practice, on a problem or in general."""

    KIND = "practice_trial"
    LABEL_FR = "Essai d'une pratique"
    LABEL_EN = "Practice trial"
    LINK_FIELDS = {"practice_id": "practice", "problem_id": "problem"}
    REQUIRED_LINKS = frozenset({"practice_id"})

    practice_id: str
    problem_id: str | None = None
    date: dt.date
    result: str = "not_assessed"
    description: str = ""

    def _validate(self) -> None:
        cls = type(self)
        self._set("practice_id", clean_text(cls, "practice_id", self.practice_id))
        if not self.practice_id:
            raise self.error("practice_id", "is empty; say which practice was tried")
        self._set("problem_id", clean_text(cls, "problem_id", self.problem_id) or None)
        self._set("date", require_date(cls, "date", self.date))
        require_choice(cls, "result", self.result, TRIAL_RESULTS)
        self._set("description", clean_text(cls, "description", self.description))

    @property
    def display_name(self) -> str:
        return f"{self.date.isoformat()} — {self.practice_id}"

    def result_label(self, language: str = "fr") -> str:
        return TRIAL_RESULT_LABELS[self.result][0 if language == "fr" else 1]


@dataclass(frozen=True)
class Suggestion:
    """A practice suggested for a problem, with its score and why."""

    practice: Practice
    score: float
    category_match: float
    sides_matched: tuple[str, ...]
    trials: tuple[PracticeTrial, ...] = ()

    def reasons(self, language: str = "fr") -> str:
        fr = language == "fr"
        parts = []
        if self.category_match == EXACT_CATEGORY:
            parts.append("convient à la catégorie" if fr else "fits the category")
        elif self.category_match == TAG_MATCH:
            parts.append("convient au type d'enjeu" if fr else "fits the issue")
        else:
            parts.append("convient à tout problème" if fr else "fits any problem")
        if self.sides_matched:
            sides = ", ".join(self.sides_matched)
            parts.append(f"agit sur le côté le plus faible ({sides})" if fr else
                         f"acts on the weakest side ({sides})")
        if self.trials:
            parts.append(f"déjà essayée {len(self.trials)} fois" if fr else
                         f"tried {len(self.trials)} time(s) before")
        return "; ".join(parts)


def all_practices(custom: Iterable[CustomPractice] = ()) -> tuple[Practice, ...]:
    """The built-in catalogue followed by the officers' own practices."""
    return catalogue() + tuple(c.as_practice() for c in custom)


def practice_by_id(practice_id: str, custom: Iterable[CustomPractice] = ()) -> Practice:
    for practice in all_practices(custom):
        if practice.practice_id == practice_id:
            return practice
    raise PortraitError(f"No practice {practice_id!r} in the library.")


def suggestions(problem: ProblemCard, custom: Iterable[CustomPractice] = (),
                trials: Iterable[PracticeTrial] = (), limit: int | None = None
                ) -> list[Suggestion]:
    """Practices fitting ``problem``, best first (scoring in the module docstring).

    Examples
    --------
    >>> from portrait.records.problems import ProblemCard
    >>> [s.practice.practice_id for s in suggestions(ProblemCard(title="x",
    ...     category="mental_health_call"))][:1]
    ['mental_health_co_response']
    """
    weakest = set(problem.weakest_sides())
    trials = tuple(trials)
    found = []
    for practice in all_practices(custom):
        fit = practice.category_match(problem.category)
        if fit == 0:
            continue
        sides = tuple(s for s in practice.sides if s in weakest)
        score = fit + (SIDE_MATCH if sides else 0.0)
        tried = tuple(t for t in trials if t.practice_id == practice.practice_id)
        found.append(Suggestion(practice, score, fit, sides, tried))
    found.sort(key=lambda s: (-s.score, s.practice.breadth, fold(s.practice.name("fr"))))
    return found[:limit] if limit is not None else found


def _pick(fr: str, en: str, language: str) -> str:
    first, second = (fr, en) if language == "fr" else (en, fr)
    return first or second
