"""Run slow work (reading layers, building a map page) off the GUI thread.

The window must keep repainting while a map is built. Jobs run on a Python-created thread
(``concurrent.futures``), not a ``QThreadPool`` thread: pyproj 3.7 keeps its PROJ context in
per-thread storage that dangles when PySide drops the Python state of a Qt pool thread
between two runs, and the next reprojection on that thread crashes the process
(pyproj issues #1509 and #1622). Results come back through ``QtJobSignals``, which live in
the GUI thread, so the connected slots run there and may touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from portrait.errors import PortraitError
from ui.foreground_work import FOREGROUND

log = logging.getLogger(__name__)


class QtJobSignals(QObject):
    """``finished(result)`` or ``failed(exception)``, emitted once per job."""

    finished = Signal(object)
    failed = Signal(object)


class QtJobRunner(QObject):
    """Runs jobs one after the other on a background thread.

    One thread is enough and safer: successive map builds read the same workspace, whose
    layers load lazily on first use. ``executor`` (one thread) may be shared with other
    runners, whose jobs then take turns with these. Charts wait for its jobs
    (``ui.foreground_work``).
    """

    def __init__(self, parent: QObject | None = None,
                 executor: ThreadPoolExecutor | None = None):
        super().__init__(parent)
        self._executor = executor or ThreadPoolExecutor(max_workers=1,
                                                        thread_name_prefix="portrait-job")
        self._pending: set[QtJobSignals] = set()
        if executor is None:  # its own thread: stopped with it, even without a close event
            self.destroyed.connect(partial(_stop, self._executor))

    def start(self, job: Callable[[], object], on_finished: Callable[[object], None],
              on_failed: Callable[[object], None]) -> None:
        """Run ``job``; call ``on_finished(result)`` or ``on_failed(error)`` in the GUI thread.

        The callbacks should be slots of objects living in the GUI thread (bound methods of
        widgets): Qt then queues the calls to that thread.
        """
        signals = QtJobSignals(self)
        signals.finished.connect(on_finished)
        signals.failed.connect(on_failed)
        signals.finished.connect(self._forget)
        signals.failed.connect(self._forget)
        self._pending.add(signals)
        FOREGROUND.track(self._executor.submit(_run, job, signals))

    def shut_down(self) -> None:
        """Wait for the running job; queued ones are cancelled."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    @Slot()
    def _forget(self) -> None:
        signals = self.sender()
        self._pending.discard(signals)
        signals.deleteLater()


def _stop(executor: ThreadPoolExecutor) -> None:
    """Wait for the running job of a runner being deleted (its window was deleted without
    being closed): the job must not report to signal objects that are gone."""
    executor.shutdown(wait=True, cancel_futures=True)


def _run(job: Callable[[], object], signals: QtJobSignals) -> None:
    try:
        result = job()
    except PortraitError as error:  # a known problem: its message is for the user
        signals.failed.emit(error)
    except Exception as error:  # noqa: BLE001  (reported to the user, logged in full)
        log.exception("Background job failed")
        signals.failed.emit(error)
    else:
        signals.finished.emit(result)
