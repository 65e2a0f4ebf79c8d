"""Answers given as numeric codes on a declared scale ("1 to 5, 9 = don't know").

Many resident surveys (Kansas City's, ETC Institute's, most municipal ones) publish answers as
codes: 1 to 5 from the least to the most favourable, 9 for "don't know", with no code book in
the file. The column mapping says so with a few settings, and the questions on that scale then
read like any other: a position on the scale, "don't know" and refusals kept apart (never a
middle answer), other codes left unscaled with a warning.

Settings (in the mapping, with the columns): ``scale`` ("1-5"), ``favourable`` ("high", the
default, or "low" when 1 is the most favourable), ``dont_know`` and ``refused`` (codes,
comma-separated), ``scale_questions`` (question columns or patterns such as ``q2_*, q5_*``;
by default every question whose codes all fit the scale).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data_connectors.base import ReaderError
from data_connectors.column_mapping import Field
from portrait.surveys import points_scale

#: The answer text kept for a "don't know" or refused code (read as such by ``classify``).
DONT_KNOW_TEXT, REFUSED_TEXT = "don't know", "prefer not to answer"
_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-|to|à|a|\.\.)\s*(-?\d+)\s*$", re.IGNORECASE)

SETTINGS = (
    Field("scale", "Échelle des codes de réponse (« 1-5 »)", "Answer code scale ('1-5')",
          setting=True),
    Field("favourable", "Bout favorable de l'échelle : high (défaut) ou low",
          "Favourable end of the scale: high (default) or low", setting=True),
    Field("dont_know", "Codes « ne sait pas » (« 9 » ou « 8, 9 »)",
          "'Don't know' codes ('9' or '8, 9')", setting=True),
    Field("refused", "Codes de refus de répondre", "'Prefer not to answer' codes",
          setting=True),
    Field("scale_questions", "Questions sur l'échelle (colonnes ou motifs « q2_*, q5_* »)",
          "Questions on the scale (columns or patterns 'q2_*, q5_*')", setting=True),
)


@dataclass(frozen=True)
class NumericScale:
    """A declared code scale: ``low``..``high``, which end is favourable, and the codes that
    are not answers on the scale."""

    low: int
    high: int
    favourable_high: bool = True
    dont_know: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    questions: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, path: Path, settings: Mapping[str, str]) -> NumericScale | None:
        """The scale the mapping declares, None without a ``scale`` setting."""
        given = settings.get("scale")
        if not given:
            extra = [name for name in ("favourable", "dont_know", "refused", "scale_questions")
                     if settings.get(name)]
            if extra:
                raise ReaderError(path, f"the column mapping gives {', '.join(extra)} without "
                                  "a scale.", expected="a setting \"scale\": \"1-5\" as well")
            return None
        match = _RANGE.match(given)
        if match is None or int(match[1]) >= int(match[2]):
            raise ReaderError(path, f"the column mapping's scale {given!r} is not a range of "
                              "codes.", expected="the lowest and highest codes, e.g. \"1-5\"")
        end = (settings.get("favourable") or "high").strip().lower()
        if end not in ("high", "low"):
            raise ReaderError(path, f"the column mapping's favourable end {end!r} is not "
                              "high or low.", expected="\"favourable\": \"high\" (the "
                              "highest code is the most favourable answer) or \"low\"")
        low, high = int(match[1]), int(match[2])
        dont_know = _codes(path, "dont_know", settings.get("dont_know"))
        refused = _codes(path, "refused", settings.get("refused"))
        inside = [c for c in dont_know | refused if low <= int(c) <= high]
        if inside:
            raise ReaderError(path, f"code(s) {', '.join(sorted(inside))} are both on the "
                              f"scale {low}-{high} and 'don't know' or refused.",
                              expected="'don't know' and refusal codes outside the scale")
        questions = tuple(q.strip() for q in (settings.get("scale_questions") or "").split(",")
                          if q.strip())
        return cls(low, high, end == "high", frozenset(dont_know), frozenset(refused),
                   questions)

    @property
    def name(self) -> str:
        return points_scale(self.high - self.low + 1)

    def covers(self, question_id: str, column: str, codes: pd.Series) -> bool:
        """Whether a question's answers are on this scale: named by ``scale_questions``, or
        (none named) all of its codes on the scale or "don't know"/refused."""
        if self.questions:
            return any(fnmatch.fnmatch(name.lower(), pattern.lower())
                       for pattern in self.questions for name in (question_id, column))
        known = {str(c) for c in range(self.low, self.high + 1)} | self.dont_know | self.refused
        return bool(len(codes)) and bool(codes.isin(known).all())

    def position(self, code: int) -> int:
        """Position 1 (least favourable) to the scale's length."""
        return code - self.low + 1 if self.favourable_high else self.high - code + 1


def _codes(path: Path, name: str, text: str | None) -> frozenset[str]:
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    wrong = [part for part in parts if not part.lstrip("-").isdigit()]
    if wrong:
        raise ReaderError(path, f"the column mapping's {name} codes {', '.join(wrong)} are not "
                          "whole numbers.", expected=f"\"{name}\": \"9\" or \"8, 9\"")
    return frozenset(str(int(part)) for part in parts)
