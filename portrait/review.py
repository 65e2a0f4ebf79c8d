"""Review by a station commander: comments on sections, problems and actions, "reviewed" marks.

A commander opens an officer's workspace to read it, not to change it. Review items are
therefore the only thing a review may write, and they are written so that nothing else can
change: ``save_review`` re-opens the file, appends to its ``records`` layer and saves
atomically, so no other layer is rewritten even if the reviewer's in-memory copy was altered.
``ReadOnlyWorkspace`` refuses every other write outright.

Items are rows of the ``records`` layer (kind ``review_comment`` or ``review_mark``) with a
JSON payload: author (the officer named in the preferences, else the system user name), ISO
time, target kind and id, text.
Records are appended, never edited: the review history stays readable afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import pandas as pd

from portrait import clock
from portrait.errors import PortraitError
from portrait.layers import RECORDS, conform
from portrait.officer import officer_signature
from portrait.signoff import Approval
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

COMMENT = "review_comment"
MARK = "review_mark"
KINDS = (COMMENT, MARK)
#: What a review item can be about.
TARGET_KINDS = ("section", "problem", "action")
UNKNOWN_AUTHOR = "inconnu"


class AppendedRow(Protocol):
    """What ``with_items`` appends: review items, and the commander's approvals
    (``portrait.signoff.Approval``), written the same way."""

    record_id: str
    kind: str

    @property
    def created_at(self) -> str: ...

    def payload(self) -> str: ...


Row = TypeVar("Row", bound=AppendedRow)


class ReadOnlyError(PortraitError):
    """A write was attempted on a workspace opened for review."""


@dataclass(frozen=True)
class ReviewItem:
    """One comment or "reviewed" mark; ``target_label`` is what the reviewer saw (for lists)."""

    record_id: str
    kind: str
    author: str
    created_at: str
    target_kind: str
    target_id: str
    target_label: str = ""
    text: str = ""

    @property
    def is_mark(self) -> bool:
        return self.kind == MARK

    def payload(self) -> str:
        data = asdict(self)
        del data["record_id"], data["kind"]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def current_author() -> str:
    """Who wrote a comment, without asking anyone to log in: the officer named in the
    preferences, else the operating-system user name (``portrait.officer``)."""
    return officer_signature()


def now_iso() -> str:
    """Local time with its UTC offset, to the second: readable, and sortable as text."""
    return clock.local_timestamp()


def map_section_id(station_id: str, indicator_id: str) -> str:
    """The target id of a station map section (one station, one census indicator)."""
    return f"map/{station_id}/{indicator_id}"


def new_comment(target_kind: str, target_id: str, text: str, target_label: str = "",
                author: str | None = None, created_at: str | None = None) -> ReviewItem:
    """A comment, checked: a known target kind, an id, and some text."""
    text = text.strip()
    if not text:
        raise PortraitError("A review comment cannot be empty; write something first.")
    return _item(COMMENT, target_kind, target_id, target_label, text, author, created_at)


def new_mark(target_kind: str, target_id: str, target_label: str = "",
             author: str | None = None, created_at: str | None = None) -> ReviewItem:
    """A "section reviewed" mark by ``author`` (the current user by default)."""
    return _item(MARK, target_kind, target_id, target_label, "", author, created_at)


def _item(kind: str, target_kind: str, target_id: str, target_label: str, text: str,
          author: str | None, created_at: str | None) -> ReviewItem:
    if target_kind not in TARGET_KINDS:
        raise PortraitError(f"Unknown review target {target_kind!r}; "
                            f"known: {', '.join(TARGET_KINDS)}.")
    if not str(target_id).strip():
        raise PortraitError("A review item must say what it is about (empty target id).")
    return ReviewItem(uuid.uuid4().hex, kind, author or current_author(),
                      created_at or now_iso(), target_kind, str(target_id), target_label, text)


def review_items(records: pd.DataFrame) -> list[ReviewItem]:
    """The review items of a ``records`` layer, oldest first; unreadable payloads are skipped
    (and logged) so that one damaged row cannot hide the rest of the review."""
    rows = records.loc[records["kind"].isin(KINDS)] if len(records) else records
    items = []
    for row in rows.itertuples(index=False):
        try:
            data = json.loads(row.payload)
            items.append(ReviewItem(
                str(row.record_id), str(row.kind), str(data.get("author") or UNKNOWN_AUTHOR),
                str(data["created_at"]), str(data["target_kind"]), str(data["target_id"]),
                str(data.get("target_label") or ""), str(data.get("text") or "")))
        except (TypeError, ValueError, KeyError) as error:
            log.warning("Skipping review record %s with an unreadable payload: %s",
                        row.record_id, error)
    return sorted(items, key=lambda item: item.created_at)


def reviewed_mark(items: Iterable[ReviewItem], target_kind: str, target_id: str
                  ) -> ReviewItem | None:
    """The latest "reviewed" mark on a target, or None if nobody has marked it."""
    marks = [i for i in items if i.is_mark and i.target_kind == target_kind
             and i.target_id == target_id]
    return max(marks, key=lambda item: item.created_at) if marks else None


def with_items(records: pd.DataFrame, items: Sequence[AppendedRow]) -> pd.DataFrame:
    """``records`` with ``items`` appended as rows (no geometry); earlier rows untouched."""
    rows = pd.DataFrame([{"record_id": item.record_id, "kind": item.kind,
                          "payload": item.payload(), "updated_at": item.created_at}
                         for item in items],
                        columns=["record_id", "kind", "payload", "updated_at"])
    new = conform(rows, RECORDS)
    if not len(records):
        return new
    return conform(pd.concat([conform(records, RECORDS), new], ignore_index=True), RECORDS)


def add_items(workspace: Workspace, items: Sequence[AppendedRow]) -> None:
    """Append review items to an ordinary (editable) workspace, saved with it later."""
    workspace.set_layer(RECORDS.name, with_items(workspace.layer(RECORDS.name), items))


def save_review(path: str | os.PathLike[str], items: Sequence[AppendedRow]) -> pd.DataFrame:
    """Append ``items`` to the ``records`` layer of the file at ``path``, atomically; return
    the records now in the file.

    The file is opened afresh, so only its records layer is written (``Workspace.save``
    writes the modified layers, here the appended rows): whatever happened in memory since,
    no other layer can change.
    """
    fresh = Workspace.open(path)
    records = with_items(fresh.layer(RECORDS.name), items)
    fresh.set_layer(RECORDS.name, records)
    fresh.save()
    log.info("Saved %d review item(s) to %s", len(items), path)
    return records


class ReadOnlyWorkspace(Workspace):
    """A workspace opened for review: reading works, every write raises ``ReadOnlyError``."""

    def set_layer(self, name: str, frame: pd.DataFrame) -> None:
        raise ReadOnlyError(f"{self._name()} is open for review (read-only): layer {name!r} "
                            "cannot be changed. Open it normally to edit it.")

    def set_metadata(self, key: str, value: str) -> None:
        raise ReadOnlyError(f"{self._name()} is open for review (read-only): its details "
                            "cannot be changed.")

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        raise ReadOnlyError(f"{self._name()} is open for review (read-only): only review "
                            "comments are saved, and they are saved as they are added.")

    @property
    def is_modified(self) -> bool:
        return False  # nothing of the data can change, so nothing is ever unsaved

    def _migrate(self, version: int) -> None:
        raise ReadOnlyError(f"{self._name()} was saved by an older version of Portrait de "
                            "quartier. Open it normally and save it once before a review.")

    def show_records(self, records: pd.DataFrame) -> None:
        """Show the records as saved by ``save_review`` (in memory only, nothing is marked
        modified)."""
        self._frames[RECORDS.name] = conform(records, RECORDS)

    def _name(self) -> str:
        return self.path.name if self.path else "This workspace"


class ReviewSession:
    """A workspace opened for review and the items added to it during this session.

    ``add_comment`` and ``mark_reviewed`` write to the file at once (they may take a moment
    on a large workspace: call them off the GUI thread); the read-only workspace then shows
    the saved records.
    """

    def __init__(self, path: str | os.PathLike[str], author: str | None = None):
        self.path = Path(path)
        self.workspace = ReadOnlyWorkspace.open(self.path)
        self.author = author or current_author()

    def items(self) -> list[ReviewItem]:
        return review_items(self.workspace.layer(RECORDS.name))

    def add_comment(self, target_kind: str, target_id: str, text: str,
                    target_label: str = "") -> ReviewItem:
        item = new_comment(target_kind, target_id, text, target_label, author=self.author)
        return self._save(item)

    def mark_reviewed(self, target_kind: str, target_id: str,
                      target_label: str = "") -> ReviewItem:
        item = new_mark(target_kind, target_id, target_label, author=self.author)
        return self._save(item)

    def add_approval(self, approval: Approval) -> Approval:
        """Write the commander's approval of a brief (``portrait.signoff``) to the file."""
        return self._save(approval)

    def _save(self, item: Row) -> Row:
        records = save_review(self.path, [item])
        self.workspace.show_records(records)
        return item
