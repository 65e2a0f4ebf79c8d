"""What a portrait is made of: indicator values, sections and the portrait itself.

A portrait is plain data, so the UI, the exports and the command line read the same thing,
and ``to_json`` gives a file that says everything about how each number was made: its
definition, source, vintage and period, its interval or test, and the parameters actually
used (grid cell size, bandwidth, distance band, library versions).

>>> value = IndicatorValue("population", "Population", "Population", 1200.0, "persons")
>>> IndicatorValue.from_dict(value.to_dict()) == value
True
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Interval:
    """A confidence interval: bounds, level and how it was computed."""

    low: float | None
    high: float | None
    level: float = 0.95
    method: str = ""


@dataclass(frozen=True)
class TestResult:
    """A statistical test: statistic (None for exact tests without one), p-value, method."""

    statistic: float | None
    p_value: float | None
    method: str
    p_adjusted: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorValue:
    """One number of the portrait with everything needed to read it honestly.

    ``value`` is None, with ``reason``, when it cannot be given (no population, too few
    answers, suppressed). ``context`` holds comparisons (``city``, ``rank``, ``of``) and
    supporting counts.
    """

    id: str
    label_fr: str
    label_en: str
    value: float | None
    unit: str
    interval: Interval | None = None
    test: TestResult | None = None
    definition: str = ""
    definition_fr: str = ""
    source: str = ""
    vintage: str = ""
    period: str = ""
    caveats: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None

    def to_dict(self) -> dict:
        return clean(self)

    @classmethod
    def from_dict(cls, data: dict) -> IndicatorValue:
        data = dict(data)
        if data.get("interval") is not None:
            data["interval"] = Interval(**data["interval"])
        if data.get("test") is not None:
            data["test"] = TestResult(**data["test"])
        return cls(**data)


@dataclass(frozen=True)
class Table:
    """A table as records (one dict per row), with the column order and a note."""

    id: str
    title_fr: str
    title_en: str
    columns: list[str]
    records: list[dict[str, Any]]
    note: str = ""


@dataclass(frozen=True)
class MapLayer:
    """What a map of the section shows and how it was classified (breaks included).

    ``records`` carry the values to draw (area ids or grid cells), ``parameters`` the grid,
    classification or bandwidth needed to redraw it.
    """

    id: str
    title_fr: str
    title_en: str
    kind: str
    layer: str
    parameters: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A part of the portrait; ``reason`` says why it is empty when it has nothing."""

    id: str
    title_fr: str
    title_en: str
    indicators: list[IndicatorValue] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    map_layers: list[MapLayer] = field(default_factory=list)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.indicators or self.tables or self.map_layers)

    def indicator(self, indicator_id: str) -> IndicatorValue:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def table(self, table_id: str) -> Table:
        for item in self.tables:
            if item.id == table_id:
                return item
        raise KeyError(table_id)

    @classmethod
    def from_dict(cls, data: dict) -> Section:
        data = dict(data)
        data["indicators"] = [IndicatorValue.from_dict(i) for i in data.get("indicators", [])]
        data["tables"] = [Table(**t) for t in data.get("tables", [])]
        data["map_layers"] = [MapLayer(**m) for m in data.get("map_layers", [])]
        return cls(**data)


@dataclass(frozen=True)
class Portrait:
    """The portrait of one station over one period, and how it was made."""

    station_id: str
    station_name: str
    period: tuple[str, str] | None
    sections: list[Section]
    parameters: dict[str, Any]
    generated_at: str = ""
    warnings: list[str] = field(default_factory=list)

    def section(self, section_id: str) -> Section:
        for item in self.sections:
            if item.id == section_id:
                return item
        raise KeyError(section_id)

    def to_dict(self) -> dict:
        return clean(self)

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict) -> Portrait:
        data = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        data["sections"] = [Section.from_dict(s) for s in data["sections"]]
        if data.get("period") is not None:
            data["period"] = tuple(data["period"])
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> Portrait:
        return cls.from_dict(json.loads(text))


#: Values ``clean`` gives back as they are (floats too when finite).
_PLAIN = frozenset((str, int, bool, type(None)))


def clean(value: Any) -> Any:
    """A JSON-safe copy: dataclasses become dicts of their fields, NaN and infinities None,
    numpy scalars Python numbers, tuples lists, dates ISO strings.

    One pass over the data, plain values of a list taken without a call each: a portrait
    holds tens of thousands of numbers, and copying it with ``dataclasses.asdict`` before
    cleaning it took longer than building some of its sections.

    >>> clean({"a": float("nan"), "b": (np.int64(2), dt.date(2024, 1, 31))})
    {'a': None, 'b': [2, '2024-01-31']}
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else clean(v) for v in value]
    if kind is dict:
        return {str(k): v if type(v) in _PLAIN else clean(v) for k, v in value.items()}
    names = _field_names(kind)
    if names is not None:
        return {name: clean(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass, in order (None for any other type), read once per class."""
    return tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
