"""Which dates can be an incident's: none before 1900, none after tomorrow.

A typing slip (1800, 2099) or a placeholder (1900-01-01 is fine, 0001-01-01 is not) in one
row used to stretch the portrait's period over two centuries and break every report. Readers
flag such rows and keep them without a date; the portrait leaves out any such date still in
a workspace imported before the check.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from portrait import clock

FIRST_PLAUSIBLE_DATE = pd.Timestamp("1900-01-01")


def last_plausible_date(today: dt.date | None = None) -> pd.Timestamp:
    """Tomorrow: a file exported in another time zone may already hold tomorrow's date."""
    return pd.Timestamp(today or clock.today()) + pd.Timedelta(days=1)


def implausible(dates: pd.Series, today: dt.date | None = None) -> pd.Series:
    """True where a (datetime) date is before 1900 or after tomorrow; False where missing.

    >>> implausible(pd.Series(pd.to_datetime(["1800-05-01", "2024-05-01", None])),
    ...             dt.date(2026, 1, 1)).tolist()
    [True, False, False]
    """
    values = pd.to_datetime(dates)
    return (values.notna() & ((values < FIRST_PLAUSIBLE_DATE)
                              | (values > last_plausible_date(today)))).astype(bool)
