"""Evidence pinned to a problem card: a frozen copy of a number or a map, as it was.

A problem card argues from evidence ("break-ins doubled on this block"). If the card held a
live reference to the indicator, re-importing the incidents next month would silently change
the argument under it. Pinning therefore copies everything needed to read the number again —
value(s), unit, interval, source, period, the parameters that made it — through JSON, so
nothing in the copy is shared with the data it came from, and stamps who pinned it and when.

>>> evidence = pin_indicator({"id": "incidents", "label_fr": "Incidents", "label_en":
...     "Incidents", "value": 12.0, "unit": "incidents", "period": "2025"}, by="ana",
...     at="2026-01-05T10:00:00-05:00")
>>> evidence.value, evidence.period, evidence.pinned_by
(12.0, '2025', 'ana')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from shapely.geometry.base import BaseGeometry

from portrait.records.base import (
    check_geometry,
    current_user,
    new_id,
    now_iso,
    require_choice,
    require_text,
)
from portrait.records.codec import encode

EVIDENCE_KINDS = ("indicator", "map_snapshot", "assessment", "table", "other")
#: Keys of an indicator kept as supporting values (besides value, unit, interval, ...).
_SUPPORTING_KEYS = ("context", "test", "caveats", "definition", "definition_fr", "vintage",
                    "reason")


@dataclass(frozen=True, kw_only=True)
class PinnedEvidence:
    """A frozen copy of an indicator, map or test result, kept on a problem card.

    ``value`` is the headline number (None when there is none, e.g. a map); ``values`` holds
    everything else that was shown (comparisons, counts, a map's records and
    classification); ``interval`` is ``{"low", "high", "level", "method"}`` when there was
    one; ``parameters`` the choices that produced it (grid, bandwidth, categories...).
    """

    LABEL_FR: ClassVar[str] = "Élément de preuve épinglé"
    LABEL_EN: ClassVar[str] = "Pinned evidence"

    evidence_id: str = field(default_factory=new_id)
    kind: str = "indicator"
    source_id: str = ""
    label_fr: str = ""
    label_en: str = ""
    value: float | None = None
    values: dict[str, Any] = field(default_factory=dict)
    unit: str = ""
    interval: dict[str, Any] | None = None
    source: str = ""
    period: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    geometry: BaseGeometry | None = None
    note: str = ""
    pinned_at: str = field(default_factory=now_iso)
    pinned_by: str = field(default_factory=current_user)

    def __post_init__(self) -> None:
        cls = type(self)
        require_choice(cls, "kind", self.kind, EVIDENCE_KINDS)
        if not (str(self.label_fr).strip() or str(self.label_en).strip()):
            require_text(cls, "label_fr", "", "give the evidence a label (FR or EN)")
        require_text(cls, "pinned_at", self.pinned_at, "say when it was pinned")
        check_geometry(cls, "geometry", self.geometry)
        if self.value is not None:
            object.__setattr__(self, "value", float(self.value))
        # A deep, JSON-normalised copy: nothing shared with the caller's objects.
        object.__setattr__(self, "values", _frozen(self.values or {}))
        object.__setattr__(self, "parameters", _frozen(self.parameters or {}))
        if self.interval is not None:
            object.__setattr__(self, "interval", _frozen(self.interval))

    def label(self, language: str = "fr") -> str:
        first, second = (self.label_fr, self.label_en) if language == "fr" else \
            (self.label_en, self.label_fr)
        return first or second


def pin_indicator(indicator: Any, *, parameters: Mapping[str, Any] | None = None,
                  note: str = "", by: str | None = None, at: str | None = None
                  ) -> PinnedEvidence:
    """Pin an indicator value: an object with ``to_dict()`` (``portrait_model.IndicatorValue``)
    or a mapping with the same keys (``id``, ``label_fr``, ``label_en``, ``value``, ``unit``,
    ``interval``, ``source``, ``period``, ``vintage``, ``context``...).

    ``parameters`` adds the portrait's parameters (period, station, categories) to any the
    indicator carries.

    Examples
    --------
    >>> pin_indicator({"id": "x", "label_en": "X", "value": 3, "interval": {"low": 0.6,
    ...     "high": 8.8, "level": 0.95}}).interval["high"]
    8.8
    """
    data = _as_mapping(indicator)
    merged_parameters = dict(data.get("parameters") or {})
    merged_parameters.update(parameters or {})
    return PinnedEvidence(
        kind="indicator", source_id=str(data.get("id") or ""),
        label_fr=str(data.get("label_fr") or data.get("label") or ""),
        label_en=str(data.get("label_en") or data.get("label") or ""),
        value=data.get("value"),
        values={k: data[k] for k in _SUPPORTING_KEYS if data.get(k) not in (None, "", [], {})},
        unit=str(data.get("unit") or ""), interval=data.get("interval"),
        source=str(data.get("source") or ""),
        period=str(data.get("period") or data.get("vintage") or ""),
        parameters=merged_parameters, note=note,
        pinned_at=at or now_iso(), pinned_by=by or current_user())


def pin_map_snapshot(map_layer: Any, *, geometry: BaseGeometry | None = None,
                     period: str = "", source: str = "",
                     parameters: Mapping[str, Any] | None = None, note: str = "",
                     by: str | None = None, at: str | None = None) -> PinnedEvidence:
    """Pin a map as it is drawn now: its records (values per area or grid cell), its
    classification and parameters, and optionally the extent shown (``geometry``, in the
    workspace CRS).

    ``map_layer`` is a ``portrait_model.MapLayer`` (or a mapping with ``id``, ``title_fr``,
    ``title_en``, ``kind``, ``parameters``, ``records``).
    """
    data = _as_mapping(map_layer)
    merged_parameters = dict(data.get("parameters") or {})
    merged_parameters.update(parameters or {})
    return PinnedEvidence(
        kind="map_snapshot", source_id=str(data.get("id") or ""),
        label_fr=str(data.get("title_fr") or data.get("label_fr") or ""),
        label_en=str(data.get("title_en") or data.get("label_en") or ""),
        values={"map_kind": data.get("kind"), "layer": data.get("layer"),
                "records": list(data.get("records") or [])},
        period=period, source=source, parameters=merged_parameters, geometry=geometry,
        note=note, pinned_at=at or now_iso(), pinned_by=by or current_user())


def _as_mapping(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    if hasattr(item, "to_dict"):
        return dict(item.to_dict())
    from dataclasses import asdict, is_dataclass

    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    raise TypeError(f"Cannot pin a {type(item).__name__}: give a mapping or an object with "
                    "to_dict().")


def _frozen(data: Any) -> Any:
    """A JSON round trip: a deep copy made only of dicts, lists, text, numbers and None."""
    return json.loads(json.dumps(encode(data), ensure_ascii=False, allow_nan=False))
