"""All the officer's records of a workspace: loaded, linked, changed, deleted and saved.

Records live in the workspace's ``records`` layer, one row each: ``record_id``, ``kind``,
``payload`` (the record as JSON, see ``portrait.records.codec``), ``updated_at`` and a
geometry (the problem's location, for QGIS and maps; the payload is what is read back).
Other kinds of records in that layer (review comments and marks of ``portrait.review``, or
kinds of a newer version) are never touched: saving rewrites only the kinds this store
owns, and keeps every other row as the layer holds it at save time. A row of an owned kind
whose payload cannot be read is kept as is too, and reported in ``unreadable``.

Links between records are ids, so renaming a record keeps them. Deleting a record others
link to needs a choice: ``on_links="refuse"`` (the default) raises an error listing the
linking records; ``"unlink"`` removes the links first (recorded in their history).

>>> store = RecordStore()
>>> from portrait.records.partners import PartnerOrganisation
>>> partner = store.add(PartnerOrganisation(name="CLSC"))
>>> store.update(partner.record_id, name="CLSC des Faubourgs").name
'CLSC des Faubourgs'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from portrait.errors import PortraitError
from portrait.layers import RECORDS, conform
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.base import Record
from portrait.records.best_practices import (
    CustomPractice,
    PracticeTrial,
    Suggestion,
    catalogue,
    suggestions,
)
from portrait.records.codec import decode, encode
from portrait.records.consultations import Consultation
from portrait.records.gis_layers import RowCache, place_layers
from portrait.records.history import changed_fields, update
from portrait.records.partners import PartnerOrganisation
from portrait.records.problems import ProblemCard
from portrait.records.progress import ProgressTable, progress_table
from portrait.review import review_items
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Record)
#: Version of the payload layout, stored in every payload for future migrations.
PAYLOAD_VERSION = 1
RECORD_TYPES: dict[str, type[Record]] = {cls.KIND: cls for cls in (
    ProblemCard, PartnerOrganisation, Consultation, ActionPriority, Action, CustomPractice,
    PracticeTrial)}
ON_LINKS = ("refuse", "unlink")


@dataclass(frozen=True)
class Link:
    """Record ``source_id`` (of ``source_kind``) links to ``target_id`` through ``field``."""

    source_id: str
    source_kind: str
    source_name: str
    field: str
    target_id: str


@dataclass(frozen=True)
class UnreadableRecord:
    """A row of an owned kind whose payload could not be read (kept untouched on save)."""

    record_id: str
    kind: str
    problem: str


class RecordStore:
    """The records of one workspace, in memory, with their links.

    Every change goes through ``add``, ``update``, ``put`` or ``delete``; ``save`` writes
    them to the workspace's ``records`` layer (then ``workspace.save()`` writes the file).
    """

    def __init__(self, records: Iterable[Record] = (),
                 unreadable: Iterable[UnreadableRecord] = (),
                 review_links: Iterable[Link] = ()):
        self._records: dict[str, Record] = {}
        self.unreadable: list[UnreadableRecord] = list(unreadable)
        #: Review comments and marks (``portrait.review``) about problems and actions, as
        #: found at load time; never changed here (reviews are append-only).
        self.review_links: list[Link] = list(review_links)
        #: Payloads and place-layer rows already made, with the (immutable) records they
        #: were made from: a save encodes only the records changed since the last one.
        self._payloads: dict[str, tuple[Record, str]] = {}
        self._place_rows: RowCache = {}
        for record in records:
            self._records[record.record_id] = record

    # --- loading and saving ---------------------------------------------------------------
    @classmethod
    def load(cls, workspace: Workspace) -> RecordStore:
        """The records of the kinds this store owns, from ``workspace.layer("records")``."""
        return cls.from_frame(workspace.layer(RECORDS.name))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> RecordStore:
        records, unreadable = [], []
        if len(frame):
            owned = frame.loc[frame["kind"].isin(list(RECORD_TYPES))]
            for row in owned.itertuples(index=False):
                try:
                    records.append(record_from_payload(str(row.kind), str(row.record_id),
                                                       str(row.payload)))
                except (PortraitError, TypeError, ValueError, KeyError) as error:
                    log.warning("Record %s (%s) cannot be read and is kept as is: %s",
                                row.record_id, row.kind, error)
                    unreadable.append(UnreadableRecord(str(row.record_id), str(row.kind),
                                                       str(error)))
        return cls(records, unreadable, _review_links(frame))

    def save(self, workspace: Workspace) -> None:
        """Write the records to ``workspace``'s ``records`` layer (``set_layer``), keeping
        every row of other kinds, and unreadable rows, as the layer holds them now; and the
        layers QGIS reads them from (``portrait.records.gis_layers``), saved with them."""
        workspace.set_layer(RECORDS.name, self.to_frame(workspace.layer(RECORDS.name),
                                                        workspace.crs))
        for name, frame in place_layers(self.problems(), self.actions(), self.priorities(),
                                        self.consultations(), workspace.crs,
                                        self._place_rows).items():
            if workspace.layer(name) is not frame:  # the same frame: none of its rows changed
                workspace.set_layer(name, frame)

    def to_frame(self, existing: pd.DataFrame, crs: object) -> gpd.GeoDataFrame:
        """``existing`` rows not owned by this store, followed by this store's records."""
        kept_ids = {u.record_id for u in self.unreadable}
        if len(existing):
            keep = ~existing["kind"].isin(list(RECORD_TYPES)) | \
                existing["record_id"].isin(list(kept_ids))
            others = conform(existing, RECORDS, crs).loc[keep.to_numpy()]
        else:
            others = conform(existing, RECORDS, crs).iloc[0:0]
        mine = self.records()
        rows = gpd.GeoDataFrame(
            {"record_id": [r.record_id for r in mine], "kind": [r.KIND for r in mine],
             "payload": [self._payload(r) for r in mine],
             "updated_at": [r.updated_at for r in mine]},
            geometry=gpd.GeoSeries([r.map_geometry() for r in mine], crs=crs), crs=crs)
        rows = conform(rows, RECORDS, crs)
        if not len(others):
            return rows
        if not len(rows):
            return conform(others.reset_index(drop=True), RECORDS, crs)
        return conform(pd.concat([others, rows], ignore_index=True), RECORDS, crs)

    def _payload(self, record: Record) -> str:
        cached = self._payloads.get(record.record_id)
        if cached is None or cached[0] is not record:
            cached = self._payloads[record.record_id] = (record, payload_of(record))
        return cached[1]

    # --- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def get(self, record_id: str) -> Record:
        try:
            return self._records[record_id]
        except KeyError:
            raise PortraitError(f"No record with id {record_id!r} in this workspace.") from None

    def records(self, record_type: type[R] | None = None) -> list[R]:
        """Records of one type (all when None), oldest first."""
        found = [r for r in self._records.values()
                 if record_type is None or isinstance(r, record_type)]
        return sorted(found, key=lambda r: (r.created_at, r.record_id))  # type: ignore

    def problems(self) -> list[ProblemCard]:
        return self.records(ProblemCard)

    def partners(self) -> list[PartnerOrganisation]:
        return self.records(PartnerOrganisation)

    def consultations(self) -> list[Consultation]:
        return sorted(self.records(Consultation), key=lambda c: (c.date, c.created_at))

    def priorities(self) -> list[ActionPriority]:
        return sorted(self.records(ActionPriority),
                      key=lambda p: (p.rank is None, p.rank or 0, p.created_at))

    def actions(self, priority_id: str | None = None) -> list[Action]:
        actions = self.records(Action)
        return actions if priority_id is None else \
            [a for a in actions if a.priority_id == priority_id]

    def custom_practices(self) -> list[CustomPractice]:
        return self.records(CustomPractice)

    def trials(self) -> list[PracticeTrial]:
        return sorted(self.records(PracticeTrial), key=lambda t: (t.date, t.created_at))

    def name_of(self, record_id: str) -> str:
        """The current name of a record (links show the new name after a rename)."""
        if record_id in self._records:
            return self._records[record_id].display_name
        for practice in catalogue():
            if practice.practice_id == record_id:
                return practice.name("fr")
        return record_id

    def links_to(self, record_id: str) -> list[Link]:
        """Every link from another record to ``record_id``."""
        links = []
        for record in self.records():
            for name, ids in record.linked_ids().items():
                if record_id in ids and record.record_id != record_id:
                    links.append(Link(record.record_id, record.KIND, record.display_name,
                                      name, record_id))
        return links

    def related(self, problem_id: str) -> dict[str, list[Record]]:
        """What a problem card is tied to, in both directions: partners, consultations,
        priorities, actions and trials."""
        problem = self.get(problem_id)
        if not isinstance(problem, ProblemCard):
            raise PortraitError(f"Record {problem_id!r} is not a problem card.")
        linking = {link.source_id for link in self.links_to(problem_id)}
        priorities = [p for p in self.priorities() if p.record_id in linking]
        priority_ids = {p.record_id for p in priorities}
        actions = [a for a in self.actions() if a.record_id in problem.action_ids
                   or a.priority_id in priority_ids]
        consultations = [c for c in self.consultations() if c.record_id in linking
                         or c.record_id in problem.consultation_ids]
        return {
            "partners": [self._records[i] for i in problem.partner_ids if i in self._records],
            "consultations": consultations, "priorities": priorities, "actions": actions,
            "trials": [t for t in self.trials() if t.problem_id == problem_id]}

    # --- changing -------------------------------------------------------------------------
    def add(self, record: R) -> R:
        """Add a new record; its links must point at existing records of the right kind."""
        if not isinstance(record, tuple(RECORD_TYPES.values())):
            raise PortraitError(f"A {type(record).__name__} cannot be stored as a record.")
        if record.record_id in self._records:
            raise PortraitError(f"A record with id {record.record_id!r} already exists.")
        self._check_links(record)
        self._records[record.record_id] = record
        return record

    def update(self, record_id: str, *, by: str | None = None, **changes: Any) -> Record:
        """Change fields of a stored record; the difference goes into its history."""
        new = update(self.get(record_id), by=by, **changes)
        self._check_links(new)
        self._records[record_id] = new
        return new

    def put(self, record: Record, by: str | None = None) -> Record:
        """Store a new version of an existing record (e.g. from ``record_progress`` or
        ``pin``), recording in its history whatever differs from the stored version."""
        stored = self.get(record.record_id)
        if type(stored) is not type(record):
            raise PortraitError(f"Record {record.record_id!r} is a {stored.LABEL_EN}, not a "
                                f"{record.LABEL_EN}.")
        changes = changed_fields(stored, record)
        if not changes:
            return stored
        return self.update(record.record_id, by=by or record.updated_by, **changes)

    def delete(self, record_id: str, on_links: str = "refuse", by: str | None = None
               ) -> list[Link]:
        """Delete a record; return the links that were removed.

        Parameters
        ----------
        on_links : {"refuse", "unlink"}
            What to do when other records link to it: refuse (a ``PortraitError`` lists
            them) or remove those links first (each change recorded in its history).
        """
        if on_links not in ON_LINKS:
            raise PortraitError(f"on_links must be one of {', '.join(ON_LINKS)}, not "
                                f"{on_links!r}.")
        record = self.get(record_id)
        links = self.links_to(record_id)
        reviews = [link for link in self.review_links if link.target_id == record_id]
        if (links or reviews) and on_links == "refuse":
            listed = "; ".join(f"{link.source_name} ({link.source_kind}, field {link.field})"
                               for link in links + reviews)
            raise PortraitError(f"{record.LABEL_EN} {record.display_name!r} cannot be deleted: "
                                f"{len(links) + len(reviews)} record(s) link to it: {listed}. "
                                "Remove those links first or choose to unlink them (review "
                                "comments are kept, with the name the reviewer saw).")
        sources = dict.fromkeys(link.source_id for link in links)
        updated = {}
        for source_id in sources:  # check every unlink before changing anything
            source = self._records[source_id]
            updated[source_id] = update(source, by=by, **source.without_link(record_id))
        self._records.update(updated)
        del self._records[record_id]
        self.review_links = [link for link in self.review_links if link not in reviews]
        return links + reviews

    def _check_links(self, record: Record) -> None:
        built_in = {p.practice_id for p in catalogue()}
        for name, ids in record.linked_ids().items():
            wanted = record.link_kind(name)
            for target_id in ids:
                if target_id == record.record_id:
                    raise record.error(name, "links the record to itself")
                if wanted == "practice" and target_id in built_in:
                    continue
                target = self._records.get(target_id)
                if target is None:
                    raise record.error(name, f"links to {target_id!r}, which is not in this "
                                       "workspace")
                if target.KIND != wanted:
                    raise record.error(name, f"links to {target.display_name!r}, a "
                                       f"{target.LABEL_EN}, where a {wanted} is expected")

    # --- views for the UI and the exports -------------------------------------------------
    def shareable_views(self, record_type: type[Record] | None = None) -> list[dict[str, Any]]:
        """Shareable views (confidential fields removed) of the records that may leave the
        station; internal consultations are left out. What the exports must use."""
        return [r.shareable_view() for r in self.records(record_type) if r.is_shareable]

    def progress_table(self, priority_id: str) -> ProgressTable:
        priority = self.get(priority_id)
        if not isinstance(priority, ActionPriority):
            raise PortraitError(f"Record {priority_id!r} is not an action-plan priority.")
        names = {p.record_id: p.name for p in self.partners()}
        return progress_table(priority, self.actions(priority_id), partner_names=names)

    def suggestions(self, problem_id: str, limit: int | None = None) -> list[Suggestion]:
        problem = self.get(problem_id)
        if not isinstance(problem, ProblemCard):
            raise PortraitError(f"Record {problem_id!r} is not a problem card.")
        return suggestions(problem, self.custom_practices(), self.trials(), limit)


def _review_links(frame: pd.DataFrame) -> list[Link]:
    """Review items about problems and actions, as links (for the delete choice)."""
    if not len(frame):
        return []
    links = []
    for item in review_items(frame):
        if item.target_kind in ("problem", "action"):
            what = "comment" if not item.is_mark else "reviewed mark"
            links.append(Link(item.record_id, item.kind, f"review {what} by {item.author}",
                              "target_id", item.target_id))
    return links


def payload_of(record: Record) -> str:
    """The record as the JSON text of its ``payload`` (everything but id and kind)."""
    data = encode(record)
    del data["record_id"]
    data["payload_version"] = PAYLOAD_VERSION
    return json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)


def record_from_payload(kind: str, record_id: str, payload: str) -> Record:
    """The record of ``kind`` stored as ``payload`` (raises on unknown kinds)."""
    if kind not in RECORD_TYPES:
        raise PortraitError(f"Unknown record kind {kind!r}.")
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("the payload is not a JSON object")
    version = int(data.pop("payload_version", 1))
    if version > PAYLOAD_VERSION:
        raise PortraitError(f"the payload was written by a newer version (layout {version})")
    data["record_id"] = record_id
    return decode(RECORD_TYPES[kind], data)
