"""What every record has, and the checks its fields go through.

A record is something an officer writes and keeps: a problem card, a partner, a consultation,
an action. Each one has an id that never changes (links between records use it, so renaming
a record breaks nothing), who created it and when, who changed it last and when, and the
list of its changes (``history``). Records are frozen dataclasses: a change makes a new
version through ``portrait.records.history.update``, which records the difference.

Users are the officer's name and role from the preferences (``portrait.officer``), else
the operating-system user name: officers never log in to the application.

Validation raises ``PortraitError`` with a message naming the record type and the field, in
words an officer can act on, because the UI shows it as is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import shapely
from shapely.geometry.base import BaseGeometry

from portrait import clock
from portrait.errors import PortraitError
from portrait.officer import UNKNOWN_USER, officer_signature
from portrait.records.history import Change

_HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def new_id() -> str:
    """A fresh record id: a random UUID4 as 32 hexadecimal digits."""
    return uuid.uuid4().hex


def now_iso() -> str:
    """Local time with its UTC offset, to the second: readable, and sortable as text."""
    return clock.local_timestamp()


def current_user() -> str:
    """Who is making the change: the officer named in the preferences, else the
    operating-system user name (``portrait.officer``)."""
    return officer_signature()


@dataclass(frozen=True, kw_only=True)
class Record:
    """The part every record shares: identity, authorship and history.

    Subclasses set ``KIND`` (the ``kind`` column of the ``records`` layer), their labels,
    ``CONFIDENTIAL_FIELDS`` (personal information, dropped from shareable views) and
    ``LINK_FIELDS`` (field -> kind of record it refers to), and check their own fields in
    ``_validate``. ``updated_at`` and ``updated_by`` default to the creation values.
    """

    KIND: ClassVar[str] = ""
    LABEL_FR: ClassVar[str] = "Fiche"
    LABEL_EN: ClassVar[str] = "Record"
    CONFIDENTIAL_FIELDS: ClassVar[frozenset[str]] = frozenset()
    #: Field -> kind of the records it links to (a single id, an optional id or a tuple).
    LINK_FIELDS: ClassVar[dict[str, str]] = {}
    #: Link fields that cannot be emptied: deleting their target needs "refuse".
    REQUIRED_LINKS: ClassVar[frozenset[str]] = frozenset()
    #: Fields only ``history.update`` and the store may set.
    META_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"record_id", "created_at", "created_by", "updated_at", "updated_by", "history"})

    record_id: str = field(default_factory=new_id)
    created_at: str = field(default_factory=now_iso)
    created_by: str = field(default_factory=current_user)
    updated_at: str = ""
    updated_by: str = ""
    history: tuple[Change, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.record_id, str) or not self.record_id.strip():
            raise self.error("record_id", "is empty; every record needs an id")
        self._set("created_by", self.created_by or UNKNOWN_USER)
        self._set("updated_at", self.updated_at or self.created_at)
        self._set("updated_by", self.updated_by or self.created_by)
        self._set("history", tuple(self.history))
        self._validate()

    # --- for subclasses -------------------------------------------------------------------
    def _validate(self) -> None:
        """Check and normalise the subclass's fields (``_set`` writes a normalised value)."""

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    @classmethod
    def error(cls, field_name: str, problem: str) -> PortraitError:
        """A ``PortraitError`` naming the record type and the field."""
        return PortraitError(f"{cls.LABEL_EN} / {cls.LABEL_FR}: field {field_name!r} {problem}.")

    # --- what the store and the exports read ----------------------------------------------
    @property
    def display_name(self) -> str:
        """The name lists show; subclasses return their title or name."""
        return self.record_id

    def label(self, language: str = "fr") -> str:
        """The record type in ``language`` ("fr" or "en")."""
        return self.LABEL_FR if language == "fr" else self.LABEL_EN

    @property
    def is_shareable(self) -> bool:
        """Whether the record may leave the station at all (consultations can be internal)."""
        return True

    def map_geometry(self) -> BaseGeometry | None:
        """The geometry written to the layer's geometry column, for QGIS and maps."""
        return None

    def linked_ids(self) -> dict[str, tuple[str, ...]]:
        """Ids this record links to, by field (empty fields left out)."""
        links: dict[str, tuple[str, ...]] = {}
        for name in self.LINK_FIELDS:
            ids = as_id_tuple(getattr(self, name))
            if ids:
                links[name] = ids
        return links

    def link_kind(self, field_name: str) -> str:
        """The kind of record a link field (a key of ``linked_ids``) points at."""
        return self.LINK_FIELDS[field_name]

    def without_link(self, target_id: str) -> dict[str, Any]:
        """The field changes that remove every link to ``target_id`` (for ``history.update``).

        Raises ``PortraitError`` if a required link would be emptied.
        """
        changes: dict[str, Any] = {}
        for name in self.LINK_FIELDS:
            value = getattr(self, name)
            if isinstance(value, tuple):
                if target_id in value:
                    changes[name] = tuple(i for i in value if i != target_id)
            elif value == target_id:
                if name in self.REQUIRED_LINKS:
                    raise self.error(name, f"must name a record; {self.display_name!r} cannot "
                                     "lose it (delete or change this record first)")
                changes[name] = None
        return changes

    def shareable_view(self) -> dict[str, Any]:
        """A JSON-ready copy without any confidential field (nor their history).

        Exports use only this view, so personal information cannot leave by accident.
        Raises ``PortraitError`` for a record that is not shareable at all.
        """
        from portrait.records.codec import encode, scrub

        if not self.is_shareable:
            raise PortraitError(f"{self.LABEL_EN} {self.display_name!r} is internal and cannot "
                                "be shared; change its confidentiality level first.")
        return scrub(type(self), encode(self))

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready data (confidential ones included: for the workspace)."""
        from portrait.records.codec import encode

        return encode(self)


def field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type))


# --- checks shared by the record types ----------------------------------------------------
def require_text(owner: type, name: str, value: object, what: str = "") -> str:
    """``value`` stripped; an error naming the field when it is empty."""
    text = clean_text(owner, name, value)
    if not text:
        raise _error(owner, name, f"is empty; {what or 'write something'}")
    return text


def clean_text(owner: type, name: str, value: object) -> str:
    """``value`` as stripped text (None becomes "")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _error(owner, name, f"must be text, not {type(value).__name__}")
    return value.strip()


def require_choice(owner: type, name: str, value: object, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``; otherwise an error listing them."""
    choices = tuple(choices)
    if value not in choices:
        raise _error(owner, name, f"is {value!r}; choose one of: {', '.join(choices)}")
    return str(value)


def as_date(owner: type, name: str, value: object) -> dt.date | None:
    """A ``datetime.date`` from a date, a datetime, a pandas Timestamp or ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise _error(owner, name, f"is {value!r}, not a date (write it as YYYY-MM-DD)")


def require_date(owner: type, name: str, value: object) -> dt.date:
    date = as_date(owner, name, value)
    if date is None:
        raise _error(owner, name, "is empty; a date is needed")
    return date


def check_order(owner: type, start_name: str, start: dt.date | None, end_name: str,
                end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise _error(owner, end_name, f"({end}) is before {start_name} ({start})")


def as_text_tuple(owner: type, name: str, value: object) -> tuple[str, ...]:
    """A tuple of non-empty stripped texts (a single text is one item)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    out = []
    for item in value:
        text = clean_text(owner, name, item)
        if text:
            out.append(text)
    return tuple(out)


def as_id_tuple(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def unique_ids(owner: type, name: str, value: object) -> tuple[str, ...]:
    """Record ids, without repeats, in the order given."""
    ids = as_text_tuple(owner, name, value)
    return tuple(dict.fromkeys(ids))


def as_optional_number(owner: type, name: str, value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _error(owner, name, "must be a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _error(owner, name, f"is {value!r}, not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _error(owner, name, "must be a finite number")
    return number


def as_optional_count(owner: type, name: str, value: object, minimum: int = 0) -> int | None:
    """A whole number of at least ``minimum`` (or None)."""
    if value is None or value == "":
        return None
    number = as_optional_number(owner, name, value)
    if number is None or not float(number).is_integer() or number < minimum:
        raise _error(owner, name, f"is {value!r}; a whole number of {minimum} or more is needed")
    return int(number)


def as_tuple_of(owner: type, name: str, value: object, item_type: type) -> tuple:
    """A tuple of ``item_type`` items (dicts are turned into items)."""
    if value is None:
        return ()
    items = []
    for item in value:
        if isinstance(item, dict):
            try:
                item = item_type(**item)
            except TypeError as error:
                raise _error(owner, name, f"has an item that is not a valid "
                             f"{item_type.__name__}: {error}") from None
        if not isinstance(item, item_type):
            raise _error(owner, name, f"must hold {item_type.__name__} items, not "
                         f"{type(item).__name__}")
        items.append(item)
    return tuple(items)


def check_geometry(owner: type, name: str, value: object, kinds: tuple[str, ...] = ()
                   ) -> BaseGeometry | None:
    """A non-empty, valid shapely geometry in metres (or None).

    Coordinates that all fit in longitude/latitude ranges are refused: a map click handed
    over in degrees instead of the workspace's metric CRS would put the problem in the ocean
    near (0, 0) and make every distance wrong.
    """
    if value is None:
        return None
    if not isinstance(value, BaseGeometry):
        raise _error(owner, name, f"must be a shapely geometry, not {type(value).__name__}")
    if value.is_empty:
        raise _error(owner, name, "is an empty geometry; draw it on the map again")
    if kinds and value.geom_type not in kinds:
        raise _error(owner, name, f"is a {value.geom_type}; expected {' or '.join(kinds)}")
    if not shapely.is_valid(value):
        raise _error(owner, name, f"is not a valid geometry ({shapely.is_valid_reason(value)})")
    west, south, east, north = value.bounds
    if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
        raise _error(owner, name, "has coordinates that look like longitude/latitude degrees; "
                     "geometries must be in the workspace's metric CRS (metres)")
    return value


def _error(owner: type, name: str, problem: str) -> PortraitError:
    label_en = getattr(owner, "LABEL_EN", owner.__name__)
    label_fr = getattr(owner, "LABEL_FR", owner.__name__)
    return PortraitError(f"{label_en} / {label_fr}: field {name!r} {problem}.")
