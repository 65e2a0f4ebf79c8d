"""Records to JSON and back, exactly; and the scrubbing of confidential fields.

A record's payload in the ``records`` layer is JSON. ``encode`` turns a record (nested
dataclasses, dates, shapely geometries, tuples, dicts) into JSON-ready data; ``decode`` reads
it back guided by the dataclass type hints, so a round trip gives an equal record: dates
stay dates, tuples stay tuples, and geometries are written as WKB (hexadecimal), which keeps
every coordinate bit for bit (WKT would round them).

``scrub`` removes the fields a dataclass declares in ``CONFIDENTIAL_FIELDS`` (at any depth,
history included): it is what ``Record.shareable_view`` returns.

>>> import datetime as dt
>>> encode({"when": dt.date(2026, 3, 1), "ids": ("a", "b")})
{'when': '2026-03-01', 'ids': ['a', 'b']}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any, Union

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from portrait.errors import PortraitError
from portrait.portrait_model import clean


def encode(value: Any) -> Any:
    """JSON-ready data: dataclasses as dicts, dates ISO, geometries ``{"wkb": hex}``,
    tuples lists, NaN None, numpy scalars Python numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseGeometry):
        return {"wkb": shapely.to_wkb(value, hex=True)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [encode(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    return clean(value)  # scalars: the same rules as a portrait's JSON


def decode(hint: Any, data: Any) -> Any:
    """``data`` (from ``encode``) back into the type ``hint`` describes.

    Keys missing from a dataclass's data take the field's default (older payloads stay
    readable); unknown keys are ignored.
    """
    if hint is Any or hint is object:
        return data
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if data is None:
            return None
        return decode(args[0], data) if len(args) == 1 else data
    if origin is typing.ClassVar:
        return data
    if data is None:
        return None
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in data)
        return tuple(decode(a, item) for a, item in zip(args, data, strict=True))
    if origin is list:
        (item_hint,) = typing.get_args(hint) or (Any,)
        return [decode(item_hint, item) for item in data]
    if origin is dict:
        _, value_hint = typing.get_args(hint) or (str, Any)
        return {str(k): decode(value_hint, v) for k, v in data.items()}
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if hint is dt.date:
        return dt.date.fromisoformat(data)
    if isinstance(hint, type) and issubclass(hint, BaseGeometry):
        return shapely.from_wkb(data["wkb"])
    if dataclasses.is_dataclass(hint):
        return _decode_dataclass(hint, data)
    if hint is float:
        return float(data)
    if hint is int:
        return int(data)
    if hint is str:
        return str(data)
    if hint is bool:
        return bool(data)
    return data


def _decode_dataclass(cls: type, data: dict) -> Any:
    if not isinstance(data, dict):
        raise PortraitError(f"Cannot read a {cls.__name__} from {type(data).__name__} data.")
    hints = type_hints(cls)
    kwargs = {f.name: decode(hints[f.name], data[f.name])
              for f in dataclasses.fields(cls) if f.init and f.name in data}
    return cls(**kwargs)


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass (cached: they never change)."""
    return typing.get_type_hints(cls)


# --- confidential fields ------------------------------------------------------------------
def scrub(hint: Any, data: Any) -> Any:
    """``data`` (encoded) without the confidential fields its type declares, at any depth.

    History entries are scrubbed too: a change to a confidential field is dropped, and the
    old/new values of other fields lose their confidential parts.
    """
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return scrub(args[0], data) if len(args) == 1 else data
    if origin in (tuple, list):
        args = typing.get_args(hint)
        item_hint = args[0] if args else Any
        return [scrub(item_hint, item) for item in data]
    if origin is dict:
        args = typing.get_args(hint)
        value_hint = args[1] if args else Any
        return {k: scrub(value_hint, v) for k, v in data.items()}
    if not (dataclasses.is_dataclass(hint) and isinstance(data, dict)):
        return data
    hints = type_hints(hint)
    confidential = confidential_fields(hint)
    out = {}
    for name, value in data.items():
        if name in confidential:
            continue
        if name == "history" and isinstance(value, list):
            changes = [_scrub_encoded_change(hint, change) for change in value]
            out[name] = [c for c in changes if c is not None]
        else:
            out[name] = scrub(hints.get(name, Any), value)
    return out


def confidential_fields(cls: type) -> frozenset[str]:
    return frozenset(getattr(cls, "CONFIDENTIAL_FIELDS", frozenset()))


def is_confidential(cls: type, name: str) -> bool:
    return name in confidential_fields(cls)


def scrub_change(record_type: type, change: Any) -> Any:
    """A ``Change`` with confidential values removed; None when the field is confidential."""
    if change.field in confidential_fields(record_type):
        return None
    hint = type_hints(record_type).get(change.field, Any)
    return dataclasses.replace(change, old=scrub(hint, change.old), new=scrub(hint, change.new))


def _scrub_encoded_change(record_type: type, change: dict) -> dict | None:
    name = change.get("field")
    if name in confidential_fields(record_type):
        return None
    hint = type_hints(record_type).get(name, Any)
    return {**change, "old": scrub(hint, change.get("old")), "new": scrub(hint, change.get("new"))}
