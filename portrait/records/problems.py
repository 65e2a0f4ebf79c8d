"""The problem card: a dysfunction analysed the problem-oriented way.

A card follows the SARA steps (scanning, analysis, response, assessment) and holds what the
analysis needs: where and when the problem happens, the problem analysis triangle with the
people who could control each side (handler of the offender, guardian of the target,
manager of the place), evidence pinned as it was when pinned, the community's concern, the
priority score's inputs, and the links to partners, consultations and actions. The response
start date and target area feed the assessment (``portrait.records.assessment``).

>>> import shapely
>>> card = ProblemCard(title="Vols dans les véhicules, rue Ontario", category="theft_from_vehicle",
...     location=Location.area(shapely.box(300_000, 5_040_000, 300_200, 5_040_100)))
>>> card.sara_stage, card.category_is_common
('scanning', True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd
from shapely.geometry.base import BaseGeometry

from portrait.categories import BY_ID
from portrait.errors import PortraitError
from portrait.records.base import (
    Record,
    as_date,
    as_optional_number,
    as_tuple_of,
    check_geometry,
    check_order,
    clean_text,
    require_choice,
    require_text,
    unique_ids,
)
from portrait.records.evidence import PinnedEvidence
from portrait.records.priority import (
    CONCERN_LEVELS,
    PriorityInputs,
    PriorityScore,
    inputs_from_incidents,
    score_priority,
)

SARA_STAGES = ("scanning", "analysis", "response", "assessment")
SARA_LABELS = {"scanning": ("Repérage", "Scanning"), "analysis": ("Analyse", "Analysis"),
               "response": ("Réponse", "Response"), "assessment": ("Évaluation", "Assessment")}
STATUSES = ("open", "monitoring", "resolved", "closed", "abandoned")
STATUS_LABELS = {"open": ("Ouvert", "Open"), "monitoring": ("En surveillance", "Monitoring"),
                 "resolved": ("Résolu", "Resolved"), "closed": ("Fermé", "Closed"),
                 "abandoned": ("Abandonné", "Abandoned")}
LOCATION_KINDS = ("point", "area", "hot_spot_cell", "census_area")
AREA_TYPES = ("Polygon", "MultiPolygon")
#: Incidents within this distance of a point location count as at the location (SPVM points
#: are snapped to the nearest intersection: a block's incidents can sit 100 m away).
POINT_RADIUS_M = 100.0
#: A wider circle is a neighbourhood, not a place: draw an area or pick a census area then.
MAX_POINT_RADIUS_M = 2_000.0

#: The triangle's sides and the controller of each (Eck's "controllers").
SIDES = ("offender", "target", "place")
SIDE_LABELS = {"offender": ("Contrevenant", "Offender"),
               "target": ("Cible / victime", "Target / victim"),
               "place": ("Lieu", "Place")}
CONTROLLERS = {"offender": ("Responsable (encadrant)", "Handler"),
               "target": ("Gardien", "Guardian"),
               "place": ("Gestionnaire du lieu", "Place manager")}
#: How well a side's controller acts, from most lacking to effective; "unknown" is not judged.
CONTROLLER_LEVELS: dict[str, int | None] = {"absent": 0, "failing": 1, "partial": 2,
                                            "effective": 3, "unknown": None}
CONCERN_SOURCE_KINDS = ("survey", "consultation", "other")


@dataclass(frozen=True, kw_only=True)
class Location:
    """Where the problem is: a point with the radius its incidents are counted in, an area
    drawn on the map, or a copy of a hot-spot cell or census area (``reference_id`` is the
    cell or area id, ``geometry`` its shape as it was, copied so that the card stays true if
    the grid or the census areas change). Cards saved before points had their own radius
    read back with ``POINT_RADIUS_M``, the radius they were counted with."""

    LABEL_FR: ClassVar[str] = "Lieu du problème"
    LABEL_EN: ClassVar[str] = "Problem location"

    kind: str
    geometry: BaseGeometry
    reference_id: str = ""
    label: str = ""
    #: Points only (None for areas, which count what is inside them).
    radius_m: float | None = None

    def __post_init__(self) -> None:
        cls = type(self)
        require_choice(cls, "kind", self.kind, LOCATION_KINDS)
        object.__setattr__(self, "radius_m", _radius(self.kind, self.radius_m))
        kinds = ("Point",) if self.kind == "point" else AREA_TYPES
        if self.geometry is None:
            raise PortraitError("Problem location / Lieu du problème: field 'geometry' is "
                                "empty; draw the location on the map.")
        check_geometry(cls, "geometry", self.geometry, kinds)
        object.__setattr__(self, "reference_id", clean_text(cls, "reference_id",
                                                            self.reference_id))
        object.__setattr__(self, "label", clean_text(cls, "label", self.label))
        if self.kind in ("hot_spot_cell", "census_area") and not self.reference_id:
            raise PortraitError(f"Problem location / Lieu du problème: field 'reference_id' is "
                                f"empty; a {self.kind.replace('_', ' ')} location needs its id.")

    @classmethod
    def point(cls, geometry: BaseGeometry, label: str = "",
              radius_m: float = POINT_RADIUS_M) -> Location:
        return cls(kind="point", geometry=geometry, label=label, radius_m=radius_m)

    @classmethod
    def area(cls, geometry: BaseGeometry, label: str = "") -> Location:
        return cls(kind="area", geometry=geometry, label=label)

    @classmethod
    def hot_spot_cell(cls, cell_id: str, geometry: BaseGeometry, label: str = "") -> Location:
        return cls(kind="hot_spot_cell", geometry=geometry, reference_id=str(cell_id),
                   label=label)

    @classmethod
    def census_area(cls, areas: pd.DataFrame, area_id: str) -> Location:
        """A copy of census area ``area_id`` from a ``census_areas`` layer."""
        rows = areas.loc[areas["area_id"] == area_id]
        if not len(rows):
            raise PortraitError(f"Census area {area_id!r} is not in the workspace.")
        row = rows.iloc[0]
        name = "" if pd.isna(row.get("name")) else str(row.get("name"))
        return cls(kind="census_area", geometry=row.geometry, reference_id=str(area_id),
                   label=name)

    def counting_area(self) -> BaseGeometry:
        """The area incidents are counted in: the shape, or the disc of the point's radius."""
        return self.geometry.buffer(self.radius_m) if self.kind == "point" else self.geometry


def _radius(kind: str, value: object) -> float | None:
    """A point's radius in metres (``POINT_RADIUS_M`` when not given); None for an area."""
    if kind != "point":
        return None
    radius = as_optional_number(Location, "radius_m", value)
    if radius is None:
        return POINT_RADIUS_M
    if not 0 < radius <= MAX_POINT_RADIUS_M:
        raise PortraitError(f"Problem location / Lieu du problème: field 'radius_m' must be a "
                            f"distance from 1 to {MAX_POINT_RADIUS_M:.0f} m, not {value!r}.")
    return radius


@dataclass(frozen=True, kw_only=True)
class TriangleSide:
    """One side of the problem analysis triangle and its controller.

    ``known`` is what is known of the offender, target or place; ``controller`` who could
    control it (a parent or worker; a neighbour or security guard; an owner or manager);
    ``controller_action`` what the controller does or fails to do; ``controller_level``
    how well they act (absent, failing, partial, effective, or unknown).
    """

    LABEL_FR: ClassVar[str] = "Côté du triangle"
    LABEL_EN: ClassVar[str] = "Triangle side"

    known: str = ""
    controller: str = ""
    controller_action: str = ""
    controller_level: str = "unknown"

    def __post_init__(self) -> None:
        cls = type(self)
        for name in ("known", "controller", "controller_action"):
            object.__setattr__(self, name, clean_text(cls, name, getattr(self, name)))
        require_choice(cls, "controller_level", self.controller_level, CONTROLLER_LEVELS)


@dataclass(frozen=True, kw_only=True)
class ProblemTriangle:
    """Offender, target/victim and place, each with its controller."""

    LABEL_FR: ClassVar[str] = "Triangle du problème"
    LABEL_EN: ClassVar[str] = "Problem triangle"

    offender: TriangleSide = field(default_factory=TriangleSide)
    target: TriangleSide = field(default_factory=TriangleSide)
    place: TriangleSide = field(default_factory=TriangleSide)

    def __post_init__(self) -> None:
        for side in SIDES:
            value = getattr(self, side)
            if isinstance(value, dict):
                object.__setattr__(self, side, TriangleSide(**value))
            elif not isinstance(value, TriangleSide):
                raise PortraitError(f"Problem triangle / Triangle du problème: field {side!r} "
                                    "must be a TriangleSide.")

    def side(self, name: str) -> TriangleSide:
        if name not in SIDES:
            raise PortraitError(f"Unknown triangle side {name!r}; known: {', '.join(SIDES)}.")
        return getattr(self, name)

    def weakest_sides(self) -> tuple[str, ...]:
        """The side(s) whose controller is most lacking.

        Judged on ``controller_level`` (absent < failing < partial < effective): the sides
        with the lowest assessed level, in triangle order; sides left "unknown" are not
        judged (assess them before relying on suggestions). Nothing assessed: empty tuple.

        Examples
        --------
        >>> ProblemTriangle(place=TriangleSide(controller_level="failing"),
        ...                 target=TriangleSide(controller_level="partial")).weakest_sides()
        ('place',)
        """
        levels = {s: CONTROLLER_LEVELS[self.side(s).controller_level] for s in SIDES}
        assessed = {s: v for s, v in levels.items() if v is not None}
        if not assessed:
            return ()
        lowest = min(assessed.values())
        return tuple(s for s in SIDES if assessed.get(s) == lowest)


@dataclass(frozen=True, kw_only=True)
class ConcernSource:
    """Where a concern was heard: a survey (``reference`` = survey id and theme) or a
    consultation (``reference`` = its record id), with a one-line summary."""

    LABEL_FR: ClassVar[str] = "Source de préoccupation"
    LABEL_EN: ClassVar[str] = "Concern source"

    kind: str
    reference: str = ""
    summary: str = ""

    def __post_init__(self) -> None:
        cls = type(self)
        require_choice(cls, "kind", self.kind, CONCERN_SOURCE_KINDS)
        object.__setattr__(self, "reference", clean_text(cls, "reference", self.reference))
        object.__setattr__(self, "summary", clean_text(cls, "summary", self.summary))


@dataclass(frozen=True, kw_only=True)
class CommunityConcern:
    """How much the community worries about the problem, and where that was heard."""

    LABEL_FR: ClassVar[str] = "Préoccupation de la communauté"
    LABEL_EN: ClassVar[str] = "Community concern"

    level: str = "unknown"
    sources: tuple[ConcernSource, ...] = ()

    def __post_init__(self) -> None:
        require_choice(type(self), "level", self.level, CONCERN_LEVELS)
        object.__setattr__(self, "sources",
                           as_tuple_of(type(self), "sources", self.sources, ConcernSource))


@dataclass(frozen=True, kw_only=True)
class ProblemCard(Record):
    """A problem (dysfunction) analysed with SARA and the problem analysis triangle."""

    KIND = "problem"
    LABEL_FR = "Fiche problème"
    LABEL_EN = "Problem card"
    LINK_FIELDS = {"partner_ids": "partner", "consultation_ids": "consultation",
                   "action_ids": "action"}

    title: str
    description: str = ""
    #: What partners may read of the problem, written by the officer for them (the
    #: description and analysis stay in the station).
    partner_summary: str = ""
    category: str = ""
    location: Location | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    sara_stage: str = "scanning"
    triangle: ProblemTriangle = field(default_factory=ProblemTriangle)
    evidence: tuple[PinnedEvidence, ...] = ()
    concern: CommunityConcern = field(default_factory=CommunityConcern)
    priority_inputs: PriorityInputs = field(default_factory=PriorityInputs)
    status: str = "open"
    partner_ids: tuple[str, ...] = ()
    consultation_ids: tuple[str, ...] = ()
    action_ids: tuple[str, ...] = ()
    response_start: dt.date | None = None
    target_area: BaseGeometry | None = None
    control_area: BaseGeometry | None = None
    displacement_buffer_m: float | None = None

    def _validate(self) -> None:
        cls = type(self)
        self._set("title", require_text(cls, "title", self.title, "give the problem a title"))
        self._set("description", clean_text(cls, "description", self.description))
        self._set("partner_summary", clean_text(cls, "partner_summary", self.partner_summary))
        self._set("category", clean_text(cls, "category", self.category))
        if isinstance(self.location, dict):
            self._set("location", Location(**self.location))
        if self.location is not None and not isinstance(self.location, Location):
            raise self.error("location", "must be a Location (point, area, hot-spot cell or "
                             "census area)")
        for name in ("period_start", "period_end", "response_start"):
            self._set(name, as_date(cls, name, getattr(self, name)))
        check_order(cls, "period_start", self.period_start, "period_end", self.period_end)
        require_choice(cls, "sara_stage", self.sara_stage, SARA_STAGES)
        require_choice(cls, "status", self.status, STATUSES)
        for name, kind in (("triangle", ProblemTriangle), ("concern", CommunityConcern),
                           ("priority_inputs", PriorityInputs)):
            value = getattr(self, name)
            if isinstance(value, dict):
                self._set(name, kind(**value))
            elif not isinstance(value, kind):
                raise self.error(name, f"must be a {kind.__name__}")
        self._set("evidence", as_tuple_of(cls, "evidence", self.evidence, PinnedEvidence))
        ids = [e.evidence_id for e in self.evidence]
        if len(set(ids)) != len(ids):
            raise self.error("evidence", "holds the same pinned item twice")
        for name in self.LINK_FIELDS:
            self._set(name, unique_ids(cls, name, getattr(self, name)))
        self._set("target_area", check_geometry(cls, "target_area", self.target_area,
                                                AREA_TYPES))
        self._set("control_area", check_geometry(cls, "control_area", self.control_area,
                                                 AREA_TYPES))
        buffer = as_optional_number(cls, "displacement_buffer_m", self.displacement_buffer_m)
        if buffer is not None and buffer <= 0:
            raise self.error("displacement_buffer_m", "must be a positive distance in metres")
        self._set("displacement_buffer_m", buffer)

    # --- reading ------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self.title

    @property
    def category_is_common(self) -> bool:
        """Whether the category is one of the common incident categories (not free text)."""
        return self.category in BY_ID

    def category_label(self, language: str = "fr") -> str:
        return BY_ID[self.category].label(language) if self.category_is_common else \
            self.category

    def map_geometry(self) -> BaseGeometry | None:
        return self.location.geometry if self.location is not None else self.target_area

    def linked_ids(self) -> dict[str, tuple[str, ...]]:
        """Record links, including consultations named as sources of community concern."""
        links = super().linked_ids()
        cited = tuple(s.reference for s in self.concern.sources
                      if s.kind == "consultation" and s.reference)
        if cited:
            links["concern"] = cited
        return links

    def link_kind(self, field_name: str) -> str:
        return "consultation" if field_name == "concern" else super().link_kind(field_name)

    def without_link(self, target_id: str) -> dict[str, Any]:
        changes = super().without_link(target_id)
        sources = self.concern.sources
        if any(s.kind == "consultation" and s.reference == target_id for s in sources):
            kept = tuple(ConcernSource(kind=s.kind, reference="", summary=s.summary)
                         if s.kind == "consultation" and s.reference == target_id else s
                         for s in sources)
            changes["concern"] = CommunityConcern(level=self.concern.level, sources=kept)
        return changes

    def priority(self) -> PriorityScore:
        """The priority score from the stored inputs (see ``portrait.records.priority``)."""
        return score_priority(self.priority_inputs, self.concern.level, self.category)

    def weakest_sides(self) -> tuple[str, ...]:
        return self.triangle.weakest_sides()

    def measure_priority_inputs(self, incidents: pd.DataFrame, crs: object | None = None,
                                counted_at: str = "",
                                default_period: tuple[dt.date, dt.date] | None = None
                                ) -> PriorityInputs:
        """Priority inputs counted from the incidents layer: the card's location (a point
        is widened to its radius, recorded with the count), period (the portrait's,
        ``default_period``, when the card has none) and category (all categories when it is
        free), keeping the officer's severity rating. Store them with ``update(card,
        priority_inputs=...)``."""
        start, end = self.period_start, self.period_end
        if (start is None or end is None) and default_period is not None:
            start, end = start or default_period[0], end or default_period[1]
        if self.location is None or start is None or end is None:
            raise PortraitError(f"Problem {self.title!r}: give a location and a period (start "
                                "and end) before counting incidents.")
        categories = (self.category,) if self.category_is_common else ()
        return inputs_from_incidents(
            incidents, self.location.counting_area(), start, end, categories,
            self.priority_inputs.severity, self.priority_inputs.severity_note, crs, counted_at,
            self.location.radius_m)


def pin(card: ProblemCard, evidence: PinnedEvidence, by: str | None = None) -> ProblemCard:
    """``card`` with ``evidence`` pinned (recorded in its history)."""
    from portrait.records.history import update

    return update(card, by=by, evidence=card.evidence + (evidence,))


def unpin(card: ProblemCard, evidence_id: str, by: str | None = None) -> ProblemCard:
    """``card`` without the pinned item ``evidence_id`` (recorded in its history)."""
    from portrait.records.history import update

    kept = tuple(e for e in card.evidence if e.evidence_id != evidence_id)
    if len(kept) == len(card.evidence):
        raise PortraitError(f"Problem {card.title!r} has no pinned item {evidence_id!r}.")
    return update(card, by=by, evidence=kept)

