"""Who changed what, and when: the history every record keeps.

A record is never edited in place. ``update`` makes the new version, checks it (the record's
own validation runs again), and appends one ``Change`` per field that really changed, with
the old and new values as they are stored (JSON-ready), the user and the time. A station
commander can then read how a problem card evolved, and an officer who takes over a file can
see what was decided before.

>>> from portrait.records.partners import PartnerOrganisation
>>> partner = PartnerOrganisation(name="Maison des jeunes", created_by="ana")
>>> renamed = update(partner, by="ben", name="Maison des jeunes du Plateau")
>>> [(c.field, c.old, c.new, c.by) for c in renamed.history]
[('name', 'Maison des jeunes', 'Maison des jeunes du Plateau', 'ben')]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from portrait.errors import PortraitError
from portrait.records.codec import encode

R = TypeVar("R")


@dataclass(frozen=True)
class Change:
    """One field of one record changed: values as stored (JSON-ready), by whom, when."""

    field: str
    old: Any
    new: Any
    by: str
    at: str


def update(record: R, *, by: str | None = None, at: str | None = None, **changes: Any) -> R:
    """A new version of ``record`` with ``changes`` applied and recorded in its history.

    Parameters
    ----------
    record : Record
        The current version (left unchanged: records are frozen).
    by : str, optional
        Who makes the change; the operating-system user by default.
    at : str, optional
        When (ISO 8601); now by default.
    **changes
        New field values. Identity and authorship fields (``record_id``, ``created_*``,
        ``updated_*``, ``history``) cannot be changed this way.

    Returns
    -------
    Record
        The new version; ``record`` itself when nothing actually changed.

    Examples
    --------
    >>> from portrait.records.partners import PartnerOrganisation
    >>> partner = PartnerOrganisation(name="CLSC")
    >>> update(partner, name="CLSC") is partner
    True
    """
    from portrait.records.base import current_user, now_iso

    label = getattr(record, "LABEL_EN", type(record).__name__)
    names = {f.name for f in dataclasses.fields(record)}  # type: ignore[arg-type]
    unknown = sorted(set(changes) - names)
    if unknown:
        raise PortraitError(f"{label}: no field named {', '.join(map(repr, unknown))}.")
    protected = sorted(set(changes) & set(getattr(record, "META_FIELDS", ())))
    if protected:
        raise PortraitError(f"{label}: field(s) {', '.join(map(repr, protected))} are kept by "
                            "the application and cannot be changed.")
    candidate = dataclasses.replace(record, **changes)  # type: ignore[type-var]
    by = by or current_user()
    at = at or now_iso()
    diffs = []
    for name in changes:
        old, new = encode(getattr(record, name)), encode(getattr(candidate, name))
        if old != new:
            diffs.append(Change(name, old, new, by, at))
    if not diffs:
        return record
    return dataclasses.replace(candidate, updated_at=at, updated_by=by,  # type: ignore[type-var]
                               history=tuple(record.history) + tuple(diffs))  # type: ignore


def changed_fields(old: Any, new: Any) -> dict[str, Any]:
    """The fields of ``new`` whose stored value differs from ``old`` (metadata left out)."""
    meta = set(getattr(old, "META_FIELDS", ()))
    return {f.name: getattr(new, f.name) for f in dataclasses.fields(new)
            if f.name not in meta and encode(getattr(old, f.name)) != encode(getattr(new, f.name))}


def history_rows(record: Any, confidential: bool = True) -> list[dict[str, Any]]:
    """The record's changes as rows for a list: field, old, new (as short text), by, at.

    ``confidential=False`` leaves out changes to confidential fields (and masks the
    confidential parts of nested values), for a history shown outside the station.

    Examples
    --------
    >>> from portrait.records.partners import PartnerOrganisation
    >>> partner = update(PartnerOrganisation(name="CLSC"), by="ana", at="2026-01-05T10:00:00",
    ...                  sector="health_social")
    >>> history_rows(partner)[0]["new"]
    'health_social'
    """
    from portrait.records.codec import scrub_change

    rows = []
    for change in record.history:
        if not confidential:
            change = scrub_change(type(record), change)
            if change is None:
                continue
        rows.append({"field": change.field, "old": as_text(change.old),
                     "new": as_text(change.new), "by": change.by, "at": change.at})
    return rows


def as_text(value: Any, limit: int = 200) -> str:
    """A stored value as short readable text (geometries by type, lists joined)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if set(value) == {"wkb"}:
            return _geometry_text(value["wkb"])
        text = "; ".join(f"{k}: {as_text(v, limit)}" for k, v in value.items()
                         if v not in (None, "", [], {}))
    elif isinstance(value, list):
        text = ", ".join(as_text(v, limit) for v in value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _geometry_text(wkb_hex: str) -> str:
    import shapely

    geometry = shapely.from_wkb(wkb_hex)
    return f"<{geometry.geom_type}>"

