"""Calendar quarters as officers type them: ``2026Q3``, ``2026-Q3`` or, in French, ``2026-T3``.

Action plans report by quarter, and the progress entries of the app store ``2026-Q3``
(``portrait.records.action_plan.check_quarter``). The quarterly report also takes the short
form of the command line and the French "trimestre" letter, so all three name one quarter.

>>> quarter = parse_quarter("2026T3")
>>> quarter.label, quarter.start.isoformat(), quarter.end.isoformat()
('2026-Q3', '2026-07-01', '2026-09-30')
>>> quarter.year_before.label, quarter.following.label
('2025-Q3', '2026-Q4')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from portrait.errors import PortraitError

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[QT]\s*([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter (``number`` 1 to 4 of ``year``)."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """The form progress entries store: ``2026-Q3``."""
        return f"{self.year}-Q{self.number}"

    def label_in(self, language: str) -> str:
        """``T3 2026`` in French (trimestre), ``Q3 2026`` in English."""
        letter = "T" if language == "fr" else "Q"
        return f"{letter}{self.number} {self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The quarter's last day (included)."""
        return self.following.start - dt.timedelta(days=1)

    @property
    def year_before(self) -> Quarter:
        """The same quarter a year earlier: what a seasonal count is compared with."""
        return Quarter(self.year - 1, self.number)

    @property
    def following(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)


def parse_quarter(text: str) -> Quarter:
    """The quarter ``text`` names, or an error that shows the accepted forms."""
    match = _QUARTER.match(str(text).strip())
    if match is None:
        raise PortraitError(f"Quarter {text!r} is not like 2026Q3, 2026-Q3 or 2026-T3 "
                            "(a year, then Q or T and a quarter from 1 to 4).")
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(date: dt.date) -> Quarter:
    """The quarter holding ``date``."""
    return Quarter(date.year, (date.month - 1) // 3 + 1)
