"""Every station's work on several processes that share the prepared workspace.

A batch over 35 stations (every station's briefs, every station's portrait as JSON) is CPU
work on data prepared once. Workers are forked after the caller has prepared the data and
filled its caches, so they inherit all of it instead of reading the workspace again; each
station's work writes its own files and returns a small result, and nothing is shared back.
Where fork is not available the stations are done in turn, in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from portrait.portrait_data import PortraitData

Result = TypeVar("Result")

#: The work of the running batch, inherited by its forked workers (a closure cannot be sent
#: to them, and need not be: they have it already).
_WORK: Callable | None = None


def per_station(station_ids: Sequence[str], work: Callable[[str], Result],
                jobs: int | None = None) -> Iterator[Result]:
    """``work(station_id)`` for each station on ``jobs`` processes (default: one per core),
    yielded as each is done (in any order). ``work``'s results must pickle."""
    global _WORK
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(station_ids)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for station_id in station_ids:
            yield work(station_id)
        return
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from pool.imap_unordered(_run, station_ids)
    finally:
        _WORK = None


def busiest_first(data: PortraitData) -> list[str]:
    """The stations with the most incidents first: the longest jobs start first, so the batch
    does not end waiting on one big station started last."""
    slices = data.incidents.slices
    return sorted(data.station_ids,
                  key=lambda s: -(slices[s].stop - slices[s].start) if s in slices else 0)


def _run(station_id: str):
    return _WORK(station_id)
