"""Which records belong to one station, for its brief and its map.

A workspace may cover several stations, and a brief for one station must not carry another
station's problems to its partners. Places decide: a problem belongs to the stations its
location (or target area) touches. Records about problems follow them: a priority whose
problems all lie elsewhere, the actions of such a priority, a consultation or a practice trial
about problems of other stations only, are left out too. Records with neither a place nor a
problem (the partners directory, a general consultation) belong to every station.
"""

from __future__ import annotations

from collections.abc import Iterable

from shapely.geometry.base import BaseGeometry

from portrait.records.base import Record

#: Kinds of record that tie the records linking to them to a place.
PLACED_KINDS = frozenset({"problem", "action_priority"})


def records_for_station(records: Iterable[Record], station_area: BaseGeometry
                        ) -> list[Record]:
    """The records of the station covering ``station_area`` (same CRS as the records)."""
    records = list(records)
    elsewhere = {r.record_id for r in records
                 if (geometry := r.map_geometry()) is not None and not geometry.is_empty
                 and not geometry.intersects(station_area)}
    changed = bool(elsewhere)
    while changed:  # links are a few levels deep (action -> priority -> problem)
        changed = False
        for record in records:
            if record.record_id in elsewhere:
                continue
            placed = _placed_links(record)
            if placed and placed <= elsewhere:
                elsewhere.add(record.record_id)
                changed = True
    return [r for r in records if r.record_id not in elsewhere]


def _placed_links(record: Record) -> set[str]:
    return {target for field, ids in record.linked_ids().items()
            if record.link_kind(field) in PLACED_KINDS for target in ids}
