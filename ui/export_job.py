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

from exports.brief_model import BriefOptions
from exports.briefs import FORMATS, write_station_briefs
from portrait.errors import CancelledError
from portrait.portrait_model import Portrait
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

    total = len(request.formats) + 1
    data = prepare(request.workspace)
    portrait = request.portrait if _matches(request) else None
    if portrait is None:
        portrait = build_portrait(data, request.station_id, request.period,
                                  is_cancelled=is_cancelled)
    progress(1, total)
    options = BriefOptions(audience=request.audience, language=request.language)
    written: list[Path] = []
    try:
        for done, extension in enumerate(request.formats, start=2):
            if is_cancelled():
                raise CancelledError("Export cancelled.")
            result = write_station_briefs(request.workspace, data, request.station_id,
                                          options, [extension], request.folder,
                                          request.period, request.records, portrait)
            written.extend(result.paths.values())
            progress(done, total)
    except CancelledError:
        _remove(written)
        raise
    return written


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
)
