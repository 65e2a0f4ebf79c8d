"""Build a station's portrait off the GUI thread, newest request first.

Officers click through stations and periods faster than a portrait is built: each request
makes the one before it stale, so a stale build stops at its next step (the engine checks
``is_cancelled`` between sections) and its result, if any, is dropped. The workspace is read
and prepared once (``PortraitData``) and reused for every station and period until
``invalidate`` (after an import, or for another workspace).

Jobs run on a Python thread (``concurrent.futures``), not a ``QThreadPool`` thread: see
``ui.worker`` for the pyproj reason. Results come back through this object's own signals,
queued to the GUI thread where it lives.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from portrait.errors import CancelledError, PortraitError
from portrait.portrait_model import Portrait
from portrait.portrait_options import PortraitOptions
from portrait.workspace import Workspace
from portrait.workspace_query import current_store
from ui.foreground_work import FOREGROUND
from ui.period import PeriodChoice, resolve_period

if TYPE_CHECKING:
    from portrait.portrait_data import Incidents, PortraitData

log = logging.getLogger(__name__)

Span = tuple[dt.date | None, dt.date | None]


class PortraitRunner(QObject):
    """``request(workspace, station, choice)``; then ``portraitReady(Portrait)`` or
    ``portraitFailed(error)`` for the newest request only, ``progressed(fraction, message)``
    on the way. ``known_span`` gives the first and last incident dates of a workspace once a
    build has read it. Builds run on ``executor`` (one thread), which may be shared with the
    map's jobs (see ``MainWindow``)."""

    progressed = Signal(float, str)
    portraitReady = Signal(object)
    portraitFailed = Signal(object)
    _finished = Signal(int, object)
    _failed = Signal(int, object)
    _progress = Signal(int, float, str)

    def __init__(self, parent: QObject | None = None,
                 options: PortraitOptions | None = None,
                 executor: ThreadPoolExecutor | None = None):
        super().__init__(parent)
        self.options = options if options is not None else PortraitOptions()
        self.elapsed_s = 0.0
        self._executor = executor or ThreadPoolExecutor(max_workers=1,
                                                        thread_name_prefix="portrait-build")
        self._request = 0
        self._running = 0
        self._requested_at = 0.0
        self._data: tuple[Workspace, PortraitData] | None = None
        self._finished.connect(self._on_finished)
        self._failed.connect(self._on_failed)
        self._progress.connect(self._on_progress)

    def request(self, workspace: Workspace, station_id: str, choice: PeriodChoice) -> None:
        """Build the portrait of ``station_id`` for ``choice``; earlier requests go stale."""
        self._request += 1
        self._running = self._request
        self._requested_at = time.monotonic()
        FOREGROUND.track(self._executor.submit(self._build, self._request, workspace,
                                               station_id, choice))

    def cancel(self) -> None:
        """Stop the build in progress and report ``portraitFailed(CancelledError)`` at once;
        the build itself stops at its next step and its result is dropped."""
        if self._running:
            self._request += 1
            self._running = 0
            self.portraitFailed.emit(CancelledError("Portrait cancelled."))

    def known_span(self, workspace: Workspace) -> Span | None:
        """The first and last incident dates of ``workspace`` when it is already read and
        prepared, or its derived station file is current (None otherwise: before its first
        portrait, or after ``invalidate``): the window resolves a period with them without
        waiting for a build, and draws the first map before the first portrait."""
        cached = self._data
        if cached is not None and cached[0] is workspace:
            return _span_of(cached[1].incidents)
        store = current_store(workspace)
        return None if store is None else _span_of(store.incidents())

    def invalidate(self) -> None:
        """Forget the prepared workspace (its layers changed, or another one is open)."""
        self._data = None

    def shut_down(self) -> None:
        """Stop the build in progress and wait for it."""
        self._request += 1
        self._running = 0
        self._executor.shutdown(wait=True, cancel_futures=True)

    # --- worker thread ------------------------------------------------------------------
    def _build(self, number: int, workspace: Workspace, station_id: str,
               choice: PeriodChoice) -> None:
        def is_cancelled() -> bool:
            return number != self._request

        def progress(fraction: float, message: str) -> None:
            self._progress.emit(number, fraction, message)

        # The engine (SciPy, every section) takes about a second to import: it is loaded
        # here, on the worker, so the window shows without waiting for it.
        from portrait.engine import build_portrait

        try:
            data = self._prepared(workspace)
            period = resolve_period(choice, *_span_of(data.incidents))
            portrait = build_portrait(data, station_id, period, self.options, progress,
                                      is_cancelled)
        except PortraitError as error:
            self._failed.emit(number, error)
        except Exception as error:  # noqa: BLE001  (shown to the officer, logged in full)
            log.exception("Building the portrait of station %s failed", station_id)
            self._failed.emit(number, error)
        else:
            self._finished.emit(number, portrait)

    def _prepared(self, workspace: Workspace) -> PortraitData:
        cached = self._data
        if cached is not None and cached[0] is workspace:
            return cached[1]
        from portrait.engine import prepare

        self._data = cached = None  # dropped before the new data is made
        data = prepare(workspace, self.options)
        self._data = (workspace, data)
        # The prepared layers (~130,000 objects on the default demo) live until the next
        # import or workspace: frozen out of the collector's full passes, which hold the
        # interpreter lock and paused the window 65-110 ms every few switches (20-45 ms
        # without them). Garbage waiting for collection (old chart figures...) is collected
        # first, or it would be frozen with them. Replaced, the data is freed by reference
        # counting (no garbage cycle was left on the demos); thawing it for a full collection
        # instead froze the window 140-250 ms after every import.
        gc.collect()
        gc.freeze()
        return data

    # --- GUI thread ---------------------------------------------------------------------
    @Slot(int, object)
    def _on_finished(self, number: int, portrait: Portrait) -> None:
        if self._running != number:
            return
        self._running = 0
        self.elapsed_s = time.monotonic() - self._requested_at
        log.info("Portrait of station %s built in %.0f ms", portrait.station_id,
                 1000 * self.elapsed_s)
        self.portraitReady.emit(portrait)

    @Slot(int, object)
    def _on_failed(self, number: int, error: Exception) -> None:
        if self._running != number:
            return
        self._running = 0
        self.portraitFailed.emit(error)

    @Slot(int, float, str)
    def _on_progress(self, number: int, fraction: float, message: str) -> None:
        if self._running == number:
            self.progressed.emit(fraction, message)


def _span_of(incidents: Incidents) -> Span:
    return _day(incidents.first_date), _day(incidents.last_date)


def _day(moment: object) -> dt.date | None:
    return None if moment is None else moment.date()
