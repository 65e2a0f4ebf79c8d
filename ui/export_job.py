"""What the export dialog writes, as plain functions run on a background thread.

Each kind of document the officer can export is one ``ExportKind`` entry in ``EXPORT_KINDS``:
its formats and the function that writes it. The dialog lists the kinds, so a new kind (the
community quarterly report) is one more entry here, not a new dialog. Briefs are written by
``exports.briefs.write_station_briefs``, the function the command line's ``portrait brief``
calls, so the app and the command line write the same files.

A run reports ``progress(done, total)`` after each step and stops at the next step once
``is_cancelled()`` is true; the files it wrote are then removed, so a cancelled export
leaves no half set of documents behind.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exports.briefs import (
    FORMATS,
    WrittenBrief,
    brief_options,
    write_quarterly_briefs,
    write_station_briefs,
)
from portrait.errors import CancelledError, PortraitError
from portrait.portrait_model import Portrait
from portrait.quarters import Quarter, quarter_of
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
Period = tuple[dt.date, dt.date] | None


@dataclass(frozen=True)
class ExportRequest:
    """The officer's choices. ``portrait`` is the portrait on screen, reused when it is the
    chosen station's over ``period``; ``records`` are read on the GUI thread beforehand."""

    workspace: Workspace
    station_id: str
    period: Period
    audience: str
    language: str
    formats: tuple[str, ...]
    folder: Path
    portrait: Portrait | None = None
    records: Sequence | None = None


@dataclass(frozen=True)
class ExportKind:
    """A kind of document: ``label_key`` in the UI string table, the formats it can be
    written in, and the function writing it."""

    id: str
    label_key: str
    formats: tuple[str, ...]
    write: Callable[[ExportRequest, Progress, IsCancelled], list[Path]]


def write_brief(request: ExportRequest, progress: Progress,
                is_cancelled: IsCancelled) -> list[Path]:
    """The station's brief in each chosen format, one format per step."""
    from portrait.engine import build_portrait, prepare

    data = prepare(request.workspace)
    portrait = request.portrait if _matches(request) else None
    if portrait is None:
        portrait = build_portrait(data, request.station_id, request.period,
                                  is_cancelled=is_cancelled)
    options = brief_options(request.workspace, request.audience, request.language)
    return _each_format(request, progress, is_cancelled, lambda extension: write_station_briefs(
        request.workspace, data, request.station_id, options, [extension], request.folder,
        request.period, request.records, portrait))


def write_quarterly(request: ExportRequest, progress: Progress,
                    is_cancelled: IsCancelled) -> list[Path]:
    """The community quarterly report of the last whole quarter of the period shown (the
    quarter ending on the period's last day, else the one before it)."""
    from portrait.engine import prepare

    quarter = quarter_shown(request.period)
    if quarter is None:
        raise PortraitError(
            "Choisissez une période qui contient un trimestre complet pour le bilan "
            "trimestriel." if request.language == "fr" else
            "Choose a period that holds a whole quarter for the quarterly report.")
    data = prepare(request.workspace)
    options = brief_options(request.workspace, request.audience, request.language)
    return _each_format(request, progress, is_cancelled, lambda extension: write_quarterly_briefs(
        request.workspace, data, request.station_id, quarter, options, [extension],
        request.folder))


def _each_format(request: ExportRequest, progress: Progress, is_cancelled: IsCancelled,
                 write: Callable[[str], WrittenBrief]) -> list[Path]:
    """``write`` each chosen format as one step (the first step, preparing, is done); a
    cancel removes what was already written."""
    total = len(request.formats) + 1
    progress(1, total)
    written: list[Path] = []
    try:
        for done, extension in enumerate(request.formats, start=2):
            if is_cancelled():
                raise CancelledError("Export cancelled.")
            written.extend(write(extension).paths.values())
            progress(done, total)
    except CancelledError:
        _remove(written)
        raise
    return written


def quarter_shown(period: Period) -> Quarter | None:
    """The last whole quarter inside ``period`` (None when it holds none)."""
    if period is None:
        return None
    start, end = period
    quarter = quarter_of(end)
    if quarter.end != end:
        quarter = quarter_of(quarter.start - dt.timedelta(days=1))
    return quarter if quarter.start >= start else None


def _matches(request: ExportRequest) -> bool:
    """Whether the portrait on screen is the one the CLI would build for this request."""
    portrait = request.portrait
    if portrait is None or portrait.station_id != request.station_id:
        return False
    period = request.period
    wanted = None if period is None else (period[0].isoformat(), period[1].isoformat())
    shown = tuple(portrait.period) if portrait.period else None
    return shown == wanted


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("Could not remove %s after a cancelled export: %s", path, error)


#: The kinds offered, in this order (the first is the default).
EXPORT_KINDS: tuple[ExportKind, ...] = (
    ExportKind("brief", "export_kind_brief", FORMATS, write_brief),
    ExportKind("quarterly", "export_kind_quarterly", ("pdf", "xlsx"), write_quarterly),
)
