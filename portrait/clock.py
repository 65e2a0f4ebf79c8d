"""The one place the application reads the wall clock.

Every "today" (the demo's reporting period, a late consultation, the quarter offered for a
progress report) and every timestamp written into a workspace comes from here, so the tests
can pin the date once and run the same suite at any other date (a leap day, a 1 January).
"""

from __future__ import annotations

import datetime as dt
import time

_pinned: tuple[dt.datetime, float] | None = None


def pin(day: dt.date | None) -> None:
    """Make ``today()`` return ``day`` (``None`` goes back to the wall clock).

    Time still runs from noon UTC of that day, so timestamps taken one after the other keep
    their order.
    """
    global _pinned
    _pinned = None if day is None else (
        dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), time.monotonic())


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    if _pinned is None:
        return dt.datetime.now(dt.UTC)
    start, started = _pinned
    return start + dt.timedelta(seconds=time.monotonic() - started)


def today() -> dt.date:
    """Today's date, in local time (the officer's calendar day)."""
    if _pinned is None:
        return dt.date.today()
    return now().date()


def now_local() -> dt.datetime:
    """The current time in the machine's time zone, for timestamps shown to people."""
    return now().astimezone()


def utc_timestamp() -> str:
    """The current time as ISO 8601 seconds in UTC, as stored in workspaces."""
    return now().isoformat(timespec="seconds")


def local_timestamp() -> str:
    """The current local time as ISO 8601 seconds with its offset, as records store it."""
    return now_local().isoformat(timespec="seconds")
