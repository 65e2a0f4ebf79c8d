"""Work the officer is waiting for goes before pictures nobody is waiting for.

All background threads share one interpreter lock, and so does the window's own thread, which
takes it for every call into Qt it makes from Python. A new section page's charts start
drawing as soon as the page is shown, while the station's map page is still being built:
the switch then ended ~0.1 s later and the window waited longer for the lock between two
events. Chart drawing therefore waits until no portrait, map page or other job of the window
is queued or running.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future


class ForegroundWork:
    """Counts the jobs queued or running; ``wait_until_idle`` blocks the caller's thread
    (never the GUI thread) until there are none."""

    def __init__(self) -> None:
        self._pending = 0
        self._changed = threading.Condition()

    def track(self, future: Future) -> None:
        """Count ``future`` until it finishes, fails or is cancelled."""
        with self._changed:
            self._pending += 1
        future.add_done_callback(self._finished)

    def wait_until_idle(self, timeout_s: float) -> bool:
        """Wait until no tracked job is left, or ``timeout_s`` (False then): a job that never
        ends must not keep charts blank for ever."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending == 0, timeout_s)

    def _finished(self, _future: Future) -> None:
        with self._changed:
            self._pending -= 1
            if self._pending == 0:
                self._changed.notify_all()


#: The application's foreground jobs: the window's job runners and the portrait builder.
FOREGROUND = ForegroundWork()
