"""Did the response work? The weighted displacement difference (WDD) test.

Wheeler & Ratcliffe (2018, "A simple weighted displacement difference test to evaluate place
based crime interventions", *Crime Science* 7:11) give a test any station can run with four
areas: the target area T where the response took place, a comparable control area C, and
displacement buffers D around the target and D_C around the control. With Δ = after − before
(equal-length periods)::

    WDD = ΔT − ΔC + ΔD − ΔD_C
    Var(WDD) = T_before + T_after + C_before + C_after + D_before + D_after
               + D_C_before + D_C_after            (counts taken as Poisson)
    Z = WDD / √Var, two-sided p-value from the normal distribution

A negative WDD is a drop in the target (and its surroundings) beyond what the control saw:
displacement to the buffer counts against the response, a diffusion of benefits for it.
Without buffers the test is the plain difference in differences. Counts are assumed Poisson;
with over-dispersed counts (bursts of repeat incidents) the p-value is too small.

>>> result = wdd_test(WddCounts(target_before=20, target_after=10, control_before=20,
...                             control_after=20))
>>> result.wdd, round(result.standard_error, 3), round(result.z, 3), round(result.p_value, 3)
(-10, 8.367, -1.195, 0.232)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from portrait.crs import require_metric
from portrait.errors import PortraitError
from portrait.records.evidence import PinnedEvidence
from portrait.records.incident_selection import (
    area_mask,
    category_mask,
    metric_points,
    period_mask,
    unlocated_count,
)
from portrait.records.problems import ProblemCard
from portrait.workspace import Workspace

REFERENCE = ("Wheeler, A. P. & Ratcliffe, J. H. (2018). A simple weighted displacement "
             "difference test to evaluate place based crime interventions. Crime Science, 7, 11.")
METHOD = ("weighted displacement difference: WDD = ΔT − ΔC + ΔD − ΔD_C, Var = sum of the "
          "eight counts (Poisson), Z = WDD/√Var, two-sided normal p-value")


@dataclass(frozen=True)
class WddCounts:
    """The eight counts of the test; buffers are zero when none were used."""

    target_before: int
    target_after: int
    control_before: int
    control_after: int
    buffer_before: int = 0
    buffer_after: int = 0
    control_buffer_before: int = 0
    control_buffer_after: int = 0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value is None or value < 0 or int(value) != value:
                raise PortraitError(f"WDD test: {name} must be a count (0 or more), "
                                    f"not {value!r}.")
            object.__setattr__(self, name, int(value))


@dataclass(frozen=True)
class WddResult:
    """The test's result with its counts, differences and the parameters that made them.

    ``z`` and ``p_value`` are None (with ``reason``) when every count is zero.
    """

    counts: WddCounts
    wdd: int
    variance: int
    standard_error: float
    z: float | None
    p_value: float | None
    parameters: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    method: str = METHOD
    reference: str = REFERENCE

    @property
    def delta_target(self) -> int:
        return self.counts.target_after - self.counts.target_before

    @property
    def delta_control(self) -> int:
        return self.counts.control_after - self.counts.control_before

    @property
    def delta_buffer(self) -> int:
        return self.counts.buffer_after - self.counts.buffer_before

    @property
    def delta_control_buffer(self) -> int:
        return self.counts.control_buffer_after - self.counts.control_buffer_before

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value is not None and self.p_value < alpha

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(delta_target=self.delta_target, delta_control=self.delta_control,
                    delta_buffer=self.delta_buffer,
                    delta_control_buffer=self.delta_control_buffer)
        data["warnings"] = list(self.warnings)
        return data

    def explain(self, language: str = "fr") -> str:
        """The arithmetic and its reading, in ``language``."""
        fr = language == "fr"
        c = self.counts
        terms = (f"ΔT = {c.target_after} − {c.target_before} = {self.delta_target}; "
                 f"ΔC = {c.control_after} − {c.control_before} = {self.delta_control}; "
                 f"ΔD = {c.buffer_after} − {c.buffer_before} = {self.delta_buffer}; "
                 f"ΔD_C = {c.control_buffer_after} − {c.control_buffer_before} = "
                 f"{self.delta_control_buffer}")
        se = _num(self.standard_error, language)
        lines = [terms, f"WDD = {self.delta_target} − ({self.delta_control}) + "
                 f"({self.delta_buffer}) − ({self.delta_control_buffer}) = {self.wdd}",
                 f"Var = {self.variance}; " + (f"erreur type = √{self.variance} = {se}" if fr
                                               else f"standard error = √{self.variance} = {se}")]
        if self.z is None or self.p_value is None:
            lines.append(("Test impossible : " if fr else "No test: ") + str(self.reason))
        else:
            lines.append(f"Z = {self.wdd} / {se} = {_num(self.z, language)}; "
                         f"p = {_num(self.p_value, language, 3)}")
            if not self.significant():
                lines.append("Changement non significatif au seuil de 5 %." if fr else
                             "Change not significant at the 5% level.")
            elif self.wdd < 0:
                lines.append("Baisse significative par rapport à la zone témoin." if fr else
                             "Significant drop relative to the control area.")
            else:
                lines.append("Hausse significative par rapport à la zone témoin." if fr else
                             "Significant rise relative to the control area.")
        return "\n".join(lines)


def wdd_test(counts: WddCounts, parameters: dict[str, Any] | None = None,
             warnings: Iterable[str] = ()) -> WddResult:
    """The WDD test on ``counts`` (see the module docstring for the formulas).

    Examples
    --------
    >>> r = wdd_test(WddCounts(30, 15, 25, 25, buffer_before=12, buffer_after=14,
    ...                        control_buffer_before=10, control_buffer_after=10))
    >>> r.wdd, r.variance
    (-13, 141)
    """
    c = counts
    wdd = ((c.target_after - c.target_before) - (c.control_after - c.control_before)
           + (c.buffer_after - c.buffer_before)
           - (c.control_buffer_after - c.control_buffer_before))
    variance = sum(asdict(c).values())
    se = math.sqrt(variance)
    if variance == 0:
        return WddResult(c, wdd, 0, 0.0, None, None, dict(parameters or {}), tuple(warnings),
                         "every count is zero")
    z = wdd / se
    p_value = math.erfc(abs(z) / math.sqrt(2.0))  # two-sided normal p-value
    return WddResult(c, wdd, variance, se, z, p_value, dict(parameters or {}), tuple(warnings))


def wdd_from_incidents(incidents: pd.DataFrame, target: BaseGeometry, control: BaseGeometry,
                       response_start: dt.date, window_days: int | None = None,
                       buffer_m: float | None = None, control_buffer_m: float | None = None,
                       categories: Iterable[str] | None = None, crs: object | None = None
                       ) -> WddResult:
    """Count incidents before and after ``response_start`` and run the WDD test.

    Parameters
    ----------
    incidents : GeoDataFrame
        The ``incidents`` layer (points, ``date``, ``category``), in a metric CRS.
    target, control : shapely geometry
        The target and control areas, in ``crs`` (the workspace's metric CRS).
    response_start : date
        First day of the response. The "before" window is the ``window_days`` days just
        before it; the "after" window starts on it and has the same length.
    window_days : int, optional
        Length of each window; by default the longest equal windows the incidents cover
        (limited by the first and last incident dates).
    buffer_m, control_buffer_m : float, optional
        Width in metres of the displacement buffers (rings) around the target and the
        control; no buffers when None (``control_buffer_m`` defaults to ``buffer_m``).
    categories : iterable of str, optional
        Common incident categories to count (all when None).
    crs : optional
        CRS of the areas (defaults to the incidents'); degree CRSs are refused.

    Returns
    -------
    WddResult
        With the windows, buffer widths, categories, CRS and the number of incidents left
        out for lack of a location in ``parameters``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> pts = gpd.GeoDataFrame({"date": pd.to_datetime(["2025-01-10", "2025-03-10"]),
    ...     "category": ["mischief", "mischief"]},
    ...     geometry=[shapely.Point(300_050, 5_040_050)] * 2, crs="EPSG:32188")
    >>> r = wdd_from_incidents(pts, shapely.box(300_000, 5_040_000, 300_100, 5_040_100),
    ...     shapely.box(301_000, 5_040_000, 301_100, 5_040_100), dt.date(2025, 2, 1), 60)
    >>> (r.counts.target_before, r.counts.target_after, r.wdd)
    (1, 1, 0)
    """
    area_crs = crs if crs is not None else getattr(incidents, "crs", None)
    parsed = require_metric(area_crs, "The assessment areas")
    points = metric_points(incidents, area_crs)
    start = pd.Timestamp(response_start).normalize()
    warnings: list[str] = []
    window = _window(incidents, start, window_days, warnings)
    control_buffer_m = buffer_m if control_buffer_m is None else control_buffer_m
    areas = _areas(target, control, buffer_m, control_buffer_m)
    before = period_mask(incidents, start - pd.Timedelta(days=window),
                         start - pd.Timedelta(days=1))
    after = period_mask(incidents, start, start + pd.Timedelta(days=window - 1))
    wanted = category_mask(incidents, categories)
    counts: dict[str, int] = {}
    taken = np.zeros(len(incidents), dtype=bool)
    for name, area in areas.items():
        inside = area_mask(points, area) & ~taken if area is not None else \
            np.zeros(len(incidents), dtype=bool)
        taken |= inside
        counts[f"{name}_before"] = int((inside & before & wanted).sum())
        counts[f"{name}_after"] = int((inside & after & wanted).sum())
    parameters = {
        "response_start": start.date().isoformat(), "window_days": int(window),
        "before": [(start - pd.Timedelta(days=window)).date().isoformat(),
                   (start - pd.Timedelta(days=1)).date().isoformat()],
        "after": [start.date().isoformat(),
                  (start + pd.Timedelta(days=window - 1)).date().isoformat()],
        "buffer_m": buffer_m, "control_buffer_m": control_buffer_m if buffer_m else None,
        "categories": sorted(categories) if categories else [],
        "crs": parsed.to_string(), "unlocated_incidents_left_out": unlocated_count(incidents),
    }
    return wdd_test(WddCounts(**counts), parameters, warnings)


def assess_problem(problem: ProblemCard, workspace: Workspace,
                   control: BaseGeometry | None = None, window_days: int | None = None,
                   buffer_m: float | None = None) -> WddResult:
    """The WDD test of a problem card's response, from the workspace's incidents.

    Uses the card's response start, target area (its location's area when none is set),
    control area and displacement buffer unless given here, and its category when it is a
    common one (all incidents otherwise). Distances are in the workspace's metric CRS.
    """
    if problem.response_start is None:
        raise PortraitError(f"Problem {problem.title!r}: set the response start date before "
                            "assessing the response.")
    target = problem.target_area
    if target is None and problem.location is not None and problem.location.kind != "point":
        target = problem.location.geometry
    if target is None:
        raise PortraitError(f"Problem {problem.title!r}: draw the target area of the response "
                            "before assessing it.")
    control = control if control is not None else problem.control_area
    if control is None:
        raise PortraitError(f"Problem {problem.title!r}: draw a control area (comparable, "
                            "away from the target) before assessing the response.")
    buffer_m = buffer_m if buffer_m is not None else problem.displacement_buffer_m
    categories = (problem.category,) if problem.category_is_common else None
    return wdd_from_incidents(workspace.layer("incidents"), target, control,
                              problem.response_start, window_days, buffer_m, None, categories,
                              workspace.crs)


def pin_assessment(result: WddResult, label_fr: str = "Évaluation de la réponse (WDD)",
                   label_en: str = "Response assessment (WDD)", by: str | None = None,
                   at: str | None = None) -> PinnedEvidence:
    """The result as evidence to pin on the problem card (a frozen copy)."""
    from portrait.records.base import current_user, now_iso

    data = result.to_dict()
    return PinnedEvidence(kind="assessment", source_id="wdd", label_fr=label_fr,
                          label_en=label_en, value=float(result.wdd), unit="incidents",
                          values=data, source=REFERENCE,
                          period=f"{data['parameters'].get('before', ['?'])[0]} → "
                                 f"{data['parameters'].get('after', ['?', '?'])[1]}",
                          parameters=data["parameters"], pinned_at=at or now_iso(),
                          pinned_by=by or current_user())


def _window(incidents: pd.DataFrame, start: pd.Timestamp, window_days: int | None,
            warnings: list[str]) -> int:
    dates = pd.to_datetime(incidents["date"]).dropna()
    if window_days is not None:
        if int(window_days) < 1:
            raise PortraitError("The assessment windows must be at least 1 day long.")
        window = int(window_days)
        if len(dates) and dates.max() < start + pd.Timedelta(days=window - 1):
            warnings.append(f"The after window ends after the latest incident "
                            f"({dates.max().date()}): the data may not cover all of it.")
        if len(dates) and dates.min() > start - pd.Timedelta(days=window):
            warnings.append(f"The before window starts before the earliest incident "
                            f"({dates.min().date()}): the data may not cover all of it.")
        return window
    if not len(dates):
        raise PortraitError("The incidents layer is empty: nothing to assess.")
    before_days = (start - dates.min()).days
    after_days = (dates.max() - start).days + 1
    window = min(before_days, after_days)
    if window < 1:
        raise PortraitError(f"The incidents do not cover both sides of the response start "
                            f"({start.date()}): they run from {dates.min().date()} to "
                            f"{dates.max().date()}.")
    return window


def _areas(target: BaseGeometry, control: BaseGeometry, buffer_m: float | None,
           control_buffer_m: float | None) -> dict[str, BaseGeometry | None]:
    """Target, its ring, control, its ring; refusing overlaps, which would count twice."""
    for name, area in (("target", target), ("control", control)):
        if area is None or area.is_empty or area.area <= 0:
            raise PortraitError(f"The {name} area must be a drawn area (a polygon).")
    if buffer_m is not None and (buffer_m <= 0 or (control_buffer_m or 0) <= 0):
        raise PortraitError("Displacement buffers must be a positive distance in metres.")
    ring = target.buffer(buffer_m).difference(target) if buffer_m else None
    control_ring = control.buffer(control_buffer_m).difference(control) if buffer_m else None
    areas = {"target": target, "buffer": ring, "control": control,
             "control_buffer": control_ring}
    labels = {"target": "target area", "buffer": "target's displacement buffer",
              "control": "control area", "control_buffer": "control's displacement buffer"}
    names = [n for n, a in areas.items() if a is not None]
    overlaps = [f"{labels[a]} and {labels[b]}" for i, a in enumerate(names)
                for b in names[i + 1:] if areas[a].intersection(areas[b]).area > 1e-6]
    if overlaps:
        raise PortraitError("The assessment areas overlap (" + "; ".join(overlaps) + "): an "
                            "incident would count twice. Choose a control area farther from the "
                            "target or narrower buffers.")
    return areas


def _num(value: float, language: str, decimals: int = 2) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language == "fr" else text
