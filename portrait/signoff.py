"""The commander's sign-off of a station's brief, bound to the exact content approved.

A partner brief goes out once the station's commander has approved it. The approval names
the commander as they typed their name and role in the preferences (not the operating-system
login, which is often a shared station account), the time, the station, the kind of brief
and its period; it is appended to the workspace's ``records`` layer like review comments
(``portrait.review``), so it survives in the file and nothing else changes.

An approval covers what the commander read, not a station and a date: it stores the digest
of the brief's content (``content_digest``: the portrait or quarterly report and the
records, in a canonical JSON form, independent of language and audience). When an import, an
edited record or another period changes that content, the digest no longer matches and the
brief goes back to "working draft" until it is approved again.

>>> digest = content_digest({"b": 1, "a": [1.5, "é"]})
>>> digest == content_digest({"a": [1.5, "é"], "b": 1}), len(digest)
(True, 64)
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from portrait import clock
from portrait.errors import PortraitError
from portrait.portrait_model import clean

log = logging.getLogger(__name__)

APPROVAL = "brief_approval"
#: The kinds of brief a commander approves.
BRIEF_KINDS = ("portrait", "quarterly")


@dataclass(frozen=True)
class Approval:
    """One approval of one brief's content; ``period`` is what the brief covers, as text."""

    record_id: str
    approver: str
    role: str
    approved_at: str
    station_id: str
    brief_kind: str
    period: str
    digest: str

    kind = APPROVAL

    @property
    def created_at(self) -> str:
        """When it was written (the name ``portrait.review`` appends records by)."""
        return self.approved_at

    def payload(self) -> str:
        data = asdict(self)
        del data["record_id"]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def content_digest(content: Any) -> str:
    """SHA-256 of ``content`` as canonical JSON (sorted keys, NaN as null)."""
    text = json.dumps(clean(content), ensure_ascii=False, sort_keys=True, allow_nan=False,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def portrait_content(portrait: Any, records: Iterable[Any] | None) -> dict[str, Any]:
    """What a portrait brief shows, without when it was computed (``generated_at``): the
    same data and records give the same content whenever the brief is written. Records are
    ``Record`` objects or, as briefs also accept, their dicts."""
    data = portrait.to_dict()
    data.pop("generated_at", None)
    rows = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in records or ()]
    return {"portrait": data, "records": sorted(rows, key=lambda r: str(r.get("record_id")))}


def new_approval(approver: str, role: str, station_id: str, brief_kind: str, period: str,
                 digest: str, approved_at: str | None = None) -> Approval:
    """An approval, checked: a commander's name, a known kind of brief, a digest."""
    approver, role = str(approver or "").strip(), str(role or "").strip()
    if not approver:
        raise PortraitError("An approval needs the approver's name: enter your name and role "
                            "in File › Preferences first.")
    if brief_kind not in BRIEF_KINDS:
        raise PortraitError(f"Unknown kind of brief {brief_kind!r}; known: "
                            f"{', '.join(BRIEF_KINDS)}.")
    if not digest:
        raise PortraitError("An approval must name the content it approves (empty digest).")
    return Approval(uuid.uuid4().hex, approver, role, approved_at or clock.local_timestamp(),
                    str(station_id), brief_kind, period, digest)


def approvals(records: pd.DataFrame) -> list[Approval]:
    """The approvals of a ``records`` layer, oldest first; unreadable rows are skipped and
    logged (a damaged row must not hide the others)."""
    if not len(records):
        return []
    found = []
    for row in records.loc[records["kind"] == APPROVAL].itertuples(index=False):
        try:
            data = json.loads(row.payload)
            found.append(Approval(str(row.record_id), str(data["approver"]),
                                  str(data.get("role") or ""), str(data["approved_at"]),
                                  str(data["station_id"]), str(data["brief_kind"]),
                                  str(data.get("period") or ""), str(data["digest"])))
        except (TypeError, ValueError, KeyError) as error:
            log.warning("Skipping approval record %s with an unreadable payload: %s",
                        row.record_id, error)
    return sorted(found, key=lambda a: a.approved_at)


def approval_for(items: Sequence[Approval], station_id: str, brief_kind: str,
                 digest: str) -> Approval | None:
    """The latest approval of exactly this content, or None (the brief is a working draft)."""
    matching = [a for a in items if a.station_id == str(station_id)
                and a.brief_kind == brief_kind and a.digest == digest]
    return matching[-1] if matching else None
