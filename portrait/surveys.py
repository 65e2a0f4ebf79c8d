"""Answer scales of resident surveys, and how typed answers become ordered codes.

Survey tools export answers as the text the respondent saw, in French or English, or as
codes. Analyses need the position on the scale (1 = least favourable), while "don't know" and
"prefer not to answer" must stay visible as such rather than become missing or neutral.
"""

from __future__ import annotations

from portrait.services import fold

#: Each scale lists its answers from least to most favourable, French and English.
SCALES: dict[str, tuple[tuple[str, ...], ...]] = {
    "agreement": (
        ("tout a fait en desaccord", "strongly disagree"),
        ("plutot en desaccord", "somewhat disagree", "disagree"),
        ("plutot d'accord", "somewhat agree", "agree"),
        ("tout a fait d'accord", "strongly agree"),
    ),
    "problem": (
        ("un gros probleme", "a big problem", "a major problem"),
        ("un probleme", "a problem"),
        ("un petit probleme", "a small problem", "a minor problem"),
        ("pas un probleme", "not a problem"),
    ),
    "satisfaction": (
        ("tres insatisfait", "very dissatisfied"),
        ("plutot insatisfait", "somewhat dissatisfied"),
        ("plutot satisfait", "somewhat satisfied"),
        ("tres satisfait", "very satisfied"),
    ),
}
DONT_KNOW = frozenset({"je ne sais pas", "ne sais pas", "nsp", "don't know", "dont know"})
REFUSED = frozenset({"je prefere ne pas repondre", "prefere ne pas repondre", "refus",
                     "prefer not to answer", "prefer not to say"})


def _positions() -> dict[str, tuple[str, int]]:
    table = {}
    for scale, levels in SCALES.items():
        for position, spellings in enumerate(levels, start=1):
            for spelling in spellings:
                table[spelling] = (scale, position)
    return table


_POSITIONS = _positions()


def answer_position(answer: str | None) -> tuple[str, int] | None:
    """(scale, position) of a Likert answer, or None for other answers.

    >>> answer_position("Plutôt d'accord")
    ('agreement', 3)
    >>> answer_position("Je ne sais pas") is None
    True
    """
    if answer is None:
        return None
    return _POSITIONS.get(fold(answer).replace("’", "'"))


def is_non_substantive(answer: str | None) -> bool:
    """Whether the answer is "don't know" or "prefer not to answer"."""
    if answer is None:
        return False
    folded = fold(answer).replace("’", "'")
    return folded in DONT_KNOW or folded in REFUSED


def scale_of(answers) -> str | None:
    """The scale most of a question's answers belong to (None for free or nominal answers)."""
    counts: dict[str, int] = {}
    for answer in answers:
        found = answer_position(answer)
        if found is not None:
            counts[found[0]] = counts.get(found[0], 0) + 1
    return max(counts, key=counts.get) if counts else None
