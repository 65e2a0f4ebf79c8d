"""The priority score of a problem: a transparent, documented formula.

Which problem to tackle first is a judgment for the station and its partners; the score only
makes the reasons explicit and comparable. Four factors are each scored 0 to 3 from the
thresholds below, then weighted (weights published in ``WEIGHTS``):

* **frequency** — incidents per 30 days in the problem's area and period:
  less than 1 → 0; 1 to less than 4 → 1; 4 to less than 10 → 2; 10 or more → 3;
* **severity** — the harm of the category: the officer's rating 0–3, or by default the
  category's rating in ``DEFAULT_SEVERITY`` (3 = violence against persons, injury collisions;
  2 = break-ins, vehicle theft, drugs, mental-health calls; 1 = other property crime and
  mischief);
* **trend** — the count of the period against the same-length period just before, tested
  with ``portrait.statistics.rates.change_test`` (exact test below 20 events): significant
  decrease (p < 0.05) → 0; no significant change → 1; significant increase with a rate
  ratio below 1.5 → 2; significant increase with a ratio of 1.5 or more (or from zero) → 3;
* **concern** — the community's concern from surveys and consultations: low → 0,
  moderate → 1, high → 2, very high → 3.

Score = 0.30 × frequency + 0.30 × severity + 0.20 × trend + 0.20 × concern, from 0 to 3,
also given out of 100. A factor that is not known counts 0 and is listed as missing, so an
incomplete card never looks more urgent than it is.

>>> score = score_priority(PriorityInputs(incident_count=12, period_days=90, previous_count=6,
...     severity=2), concern_level="high")
>>> [c.score for c in score.components], score.total, score.out_of_100
([2, 2, 1, 2], 1.8, 60)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
from shapely.geometry.base import BaseGeometry

from portrait.errors import PortraitError
from portrait.records.base import as_optional_count, as_optional_number
from portrait.records.incident_selection import count_incidents

FACTORS = ("frequency", "severity", "trend", "concern")
WEIGHTS: dict[str, float] = {"frequency": 0.30, "severity": 0.30, "trend": 0.20,
                             "concern": 0.20}
#: Incidents per 30 days at which the frequency score reaches 1, 2 and 3.
FREQUENCY_THRESHOLDS = (1.0, 4.0, 10.0)
TREND_ALPHA = 0.05
TREND_STRONG_RATIO = 1.5
CONCERN_LEVELS: dict[str, int | None] = {"unknown": None, "low": 0, "moderate": 1, "high": 2,
                                         "very_high": 3}
CONCERN_LABELS = {"unknown": ("inconnue", "unknown"), "low": ("faible", "low"),
                  "moderate": ("modérée", "moderate"), "high": ("élevée", "high"),
                  "very_high": ("très élevée", "very high")}
DEFAULT_SEVERITY: dict[str, int] = {
    "homicide": 3, "robbery": 3, "offence_against_person": 3, "domestic_violence": 3,
    "traffic_collision": 3, "break_and_enter": 2, "vehicle_theft": 2, "drugs": 2,
    "mental_health_call": 2, "theft_from_vehicle": 1, "other_theft": 1, "bicycle_theft": 1,
    "mischief": 1,
}
FACTOR_LABELS = {"frequency": ("Fréquence", "Frequency"), "severity": ("Gravité", "Severity"),
                 "trend": ("Tendance", "Trend"), "concern": ("Préoccupation", "Concern")}
RULES = {
    "frequency": ("moins de 1 par 30 jours → 0 ; 1 à moins de 4 → 1 ; 4 à moins de 10 → 2 ; "
                  "10 ou plus → 3",
                  "under 1 per 30 days → 0; 1 to under 4 → 1; 4 to under 10 → 2; "
                  "10 or more → 3"),
    "severity": ("cote de l'agent, sinon cote de la catégorie (0 à 3)",
                 "the officer's rating, else the category's default (0 to 3)"),
    "trend": ("baisse significative (p < 0,05) → 0 ; pas de changement significatif → 1 ; "
              "hausse significative, rapport < 1,5 → 2 ; rapport ≥ 1,5 ou depuis zéro → 3",
              "significant decrease (p < 0.05) → 0; no significant change → 1; significant "
              "increase, ratio < 1.5 → 2; ratio ≥ 1.5 or from zero → 3"),
    "concern": ("faible → 0 ; modérée → 1 ; élevée → 2 ; très élevée → 3",
                "low → 0; moderate → 1; high → 2; very high → 3"),
}


@dataclass(frozen=True, kw_only=True)
class PriorityInputs:
    """What the score is computed from, kept on the problem card so it can be recomputed.

    ``incident_count`` is the count in the problem's area over ``period_days``;
    ``previous_count`` the count over the same number of days just before. ``radius_m`` is
    the distance around a point location within which incidents were counted (None for an
    area), stated with the count: a point covers no incident by itself. ``severity`` (0–3)
    overrides the category's default; ``severity_note`` says why.
    """

    LABEL_FR: ClassVar[str] = "Données de priorité"
    LABEL_EN: ClassVar[str] = "Priority inputs"

    incident_count: int | None = None
    period_days: int | None = None
    previous_count: int | None = None
    severity: int | None = None
    severity_note: str = ""
    counted_at: str = ""
    radius_m: float | None = None

    def __post_init__(self) -> None:
        cls = type(self)
        radius = as_optional_number(cls, "radius_m", self.radius_m)
        if radius is not None and radius <= 0:
            raise PortraitError("Priority inputs: field 'radius_m' must be a positive distance "
                                f"in metres, not {self.radius_m!r}.")
        object.__setattr__(self, "radius_m", radius)
        for name, minimum in (("incident_count", 0), ("previous_count", 0),
                              ("period_days", 1), ("severity", 0)):
            object.__setattr__(self, name, as_optional_count(cls, name, getattr(self, name),
                                                             minimum))
        if self.severity is not None and self.severity > 3:
            raise PortraitError(f"Priority inputs: field 'severity' must be 0, 1, 2 or 3, not "
                                f"{self.severity!r}.")


@dataclass(frozen=True)
class PriorityComponent:
    """One factor: its score (None when unknown), weight, contribution and details."""

    factor: str
    score: int | None
    weight: float
    detail_fr: str
    detail_en: str

    @property
    def contribution(self) -> float:
        return self.weight * (self.score or 0)


@dataclass(frozen=True)
class PriorityScore:
    """The weighted score (0–3 and out of 100), its components and what was missing."""

    components: tuple[PriorityComponent, ...]

    @property
    def total(self) -> float:
        return round(sum(c.contribution for c in self.components), 2)

    @property
    def out_of_100(self) -> int:
        return round(self.total / 3 * 100)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.factor for c in self.components if c.score is None)

    def explain(self, language: str = "fr") -> str:
        """The arithmetic in words, one line per factor and the sum, in ``language``."""
        fr = language == "fr"
        lines = []
        for c in self.components:
            label = FACTOR_LABELS[c.factor][0 if fr else 1]
            rule = RULES[c.factor][0 if fr else 1]
            detail = c.detail_fr if fr else c.detail_en
            if c.score is None:
                counted = "inconnue, comptée 0" if fr else "unknown, counted as 0"
                lines.append(f"{label} : {detail} → {counted}" if fr else
                             f"{label}: {detail} → {counted}")
                continue
            weight, contribution = _num(c.weight, language), _num(c.contribution, language)
            sep = " : " if fr else ": "
            lines.append(f"{label}{sep}{detail} → {c.score} sur 3 ({rule}) × poids {weight} = "
                         f"{contribution}" if fr else
                         f"{label}{sep}{detail} → {c.score} of 3 ({rule}) × weight {weight} = "
                         f"{contribution}")
        terms = " + ".join(_num(c.contribution, language) for c in self.components)
        total = _num(self.total, language)
        lines.append(f"Score = {terms} = {total} sur 3, soit {self.out_of_100} sur 100"
                     if fr else
                     f"Score = {terms} = {total} of 3, i.e. {self.out_of_100} out of 100")
        if self.missing:
            names = ", ".join(FACTOR_LABELS[m][0 if fr else 1].lower() for m in self.missing)
            lines.append(f"Facteurs inconnus (comptés 0) : {names}" if fr else
                         f"Unknown factors (counted as 0): {names}")
        return "\n".join(lines)


def score_priority(inputs: PriorityInputs, concern_level: str = "unknown",
                   category: str = "") -> PriorityScore:
    """The priority score from the inputs, the community concern level and the category.

    Examples
    --------
    >>> score_priority(PriorityInputs(), category="robbery").total  # severity 3 only
    0.9
    """
    if concern_level not in CONCERN_LEVELS:
        raise PortraitError(f"Community concern level {concern_level!r} is unknown; choose one "
                            f"of: {', '.join(CONCERN_LEVELS)}.")
    return PriorityScore((_frequency(inputs), _severity(inputs, category), _trend(inputs),
                          _concern(concern_level)))


def frequency_score(per_30_days: float) -> int:
    """0–3 from ``FREQUENCY_THRESHOLDS`` (incidents per 30 days)."""
    return sum(per_30_days >= threshold for threshold in FREQUENCY_THRESHOLDS)


def trend_score(current: int, previous: int) -> tuple[int, float, float | None]:
    """0–3 from the change test of ``current`` against ``previous`` (same-length periods);
    returns the score, the p-value and the rate ratio (None from zero)."""
    # Imported here: SciPy (through the rates module) takes a second to load, and the record
    # panels, which import this module, open with the window.
    from portrait.statistics.rates import change_test

    test = change_test(int(current), int(previous))
    ratio = test.rate_ratio
    if test.p_value >= TREND_ALPHA:
        return 1, test.p_value, ratio
    if current < previous:
        return 0, test.p_value, ratio
    if ratio is None or ratio >= TREND_STRONG_RATIO:
        return 3, test.p_value, ratio
    return 2, test.p_value, ratio


def inputs_from_incidents(incidents: pd.DataFrame, area: BaseGeometry, start: dt.date,
                          end: dt.date, categories: tuple[str, ...] = (),
                          severity: int | None = None, severity_note: str = "",
                          crs: object | None = None, counted_at: str = "",
                          radius_m: float | None = None) -> PriorityInputs:
    """Count the incidents in ``area`` from ``start`` to ``end`` and in the same number of
    days just before, for the frequency and trend factors. ``radius_m`` records the radius
    that widened a point into ``area``, to be stated with the count.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> points = gpd.GeoDataFrame({"date": pd.to_datetime(["2025-02-01", "2025-01-15"]),
    ...     "category": ["mischief"] * 2}, geometry=[shapely.Point(300_050, 5_040_050)] * 2,
    ...     crs="EPSG:32188")
    >>> inputs = inputs_from_incidents(points, shapely.box(300_000, 5_040_000, 300_100,
    ...     5_040_100), dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    >>> inputs.incident_count, inputs.previous_count, inputs.period_days
    (1, 1, 28)
    """
    if end < start:
        raise PortraitError(f"The period ends ({end}) before it starts ({start}).")
    days = (end - start).days + 1
    before_end = start - dt.timedelta(days=1)
    before_start = start - dt.timedelta(days=days)
    current = count_incidents(incidents, area, start, end, categories, crs)
    previous = count_incidents(incidents, area, before_start, before_end, categories, crs)
    return PriorityInputs(incident_count=current, period_days=days, previous_count=previous,
                          severity=severity, severity_note=severity_note,
                          counted_at=counted_at, radius_m=radius_m)


def _frequency(inputs: PriorityInputs) -> PriorityComponent:
    if inputs.incident_count is None or inputs.period_days is None:
        return PriorityComponent("frequency", None, WEIGHTS["frequency"],
                                 "nombre d'incidents non compté", "incidents not counted")
    rate = inputs.incident_count / inputs.period_days * 30
    n, days = inputs.incident_count, inputs.period_days
    where_fr = where_en = ""
    if inputs.radius_m is not None:
        where_fr = f" à moins de {_num(inputs.radius_m, 'fr', 0)} m du point"
        where_en = f" within {_num(inputs.radius_m, 'en', 0)} m of the point"
    return PriorityComponent(
        "frequency", frequency_score(rate), WEIGHTS["frequency"],
        f"{n} incident(s){where_fr} en {days} jours, soit {_num(rate, 'fr', 1)} par 30 jours",
        f"{n} incident(s){where_en} in {days} days, i.e. {_num(rate, 'en', 1)} per 30 days")


def _severity(inputs: PriorityInputs, category: str) -> PriorityComponent:
    weight = WEIGHTS["severity"]
    note = f" — {inputs.severity_note}" if inputs.severity_note else ""
    if inputs.severity is not None:
        return PriorityComponent("severity", inputs.severity, weight,
                                 f"cote de l'agent {inputs.severity}{note}",
                                 f"officer's rating {inputs.severity}{note}")
    if category in DEFAULT_SEVERITY:
        value = DEFAULT_SEVERITY[category]
        return PriorityComponent("severity", value, weight,
                                 f"cote par défaut de la catégorie « {category} »",
                                 f"default rating of category '{category}'")
    return PriorityComponent("severity", None, weight,
                             "aucune cote (catégorie libre, à coter par l'agent)",
                             "no rating (free category: the officer must rate it)")


def _trend(inputs: PriorityInputs) -> PriorityComponent:
    weight = WEIGHTS["trend"]
    if inputs.incident_count is None or inputs.previous_count is None:
        return PriorityComponent("trend", None, weight, "période précédente non comptée",
                                 "previous period not counted")
    current, previous = inputs.incident_count, inputs.previous_count
    score, p_value, ratio = trend_score(current, previous)
    ratio_fr = "non défini" if ratio is None else _num(ratio, "fr", 2)
    ratio_en = "undefined" if ratio is None else _num(ratio, "en", 2)
    return PriorityComponent(
        "trend", score, weight,
        f"{current} contre {previous} la période précédente de même durée (rapport "
        f"{ratio_fr}, p = {_num(p_value, 'fr', 3)})",
        f"{current} against {previous} in the previous period of the same length (ratio "
        f"{ratio_en}, p = {_num(p_value, 'en', 3)})")


def _concern(level: str) -> PriorityComponent:
    fr, en = CONCERN_LABELS[level]
    return PriorityComponent("concern", CONCERN_LEVELS[level], WEIGHTS["concern"],
                             f"préoccupation {fr}", f"{en} concern")


def _num(value: float, language: str, decimals: int = 2) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fr" else text
