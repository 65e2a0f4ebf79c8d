"""Answer scales of resident surveys, and how typed answers become ordered codes.

Survey tools export answers as the text the respondent saw, in French or English, or as
codes. Analyses need the position on the scale (1 = least favourable), while "don't know" and
"prefer not to answer" must stay visible as such rather than become missing or neutral.
"""

from __future__ import annotations

from collections import Counter

from portrait.services import fold

#: Each scale lists its answers from least to most favourable, French and English.
SCALES: dict[str, tuple[tuple[str, ...], ...]] = {
    "agreement": (
        ("tout a fait en desaccord", "fortement en desaccord", "totalement en desaccord",
         "strongly disagree", "completely disagree", "totally disagree"),
        ("plutot en desaccord", "en desaccord", "assez en desaccord", "somewhat disagree",
         "disagree", "tend to disagree", "mostly disagree"),
        ("plutot d'accord", "d'accord", "assez d'accord", "somewhat agree", "agree",
         "tend to agree", "mostly agree"),
        ("tout a fait d'accord", "fortement d'accord", "totalement d'accord", "strongly agree",
         "completely agree", "totally agree"),
    ),
    "problem": (
        ("un gros probleme", "un probleme majeur", "un probleme grave", "a big problem",
         "a major problem", "a serious problem"),
        ("un probleme", "un probleme moyen", "a problem", "a moderate problem"),
        ("un petit probleme", "un probleme mineur", "a small problem", "a minor problem"),
        ("pas un probleme", "pas du tout un probleme", "aucun probleme", "not a problem",
         "not a problem at all", "no problem"),
    ),
    "satisfaction": (
        ("tres insatisfait", "pas du tout satisfait", "very dissatisfied",
         "not at all satisfied", "very unsatisfied"),
        ("plutot insatisfait", "insatisfait", "peu satisfait", "somewhat dissatisfied",
         "dissatisfied", "not very satisfied"),
        ("plutot satisfait", "satisfait", "assez satisfait", "somewhat satisfied", "satisfied",
         "fairly satisfied"),
        ("tres satisfait", "very satisfied", "completely satisfied"),
    ),
    # How safe people feel (Statistics Canada's General Social Survey wording in English).
    "safety": (
        ("pas du tout en securite", "tres peu en securite", "very unsafe", "not at all safe"),
        ("peu en securite", "plutot pas en securite", "somewhat unsafe", "not very safe"),
        ("plutot en securite", "assez en securite", "reasonably safe", "somewhat safe",
         "fairly safe"),
        ("tres en securite", "very safe"),
    ),
    # Confidence in the police (General Social Survey wording in English).
    "confidence": (
        ("aucune confiance", "pas du tout confiance", "no confidence at all", "no confidence"),
        ("peu confiance", "peu de confiance", "not very much confidence", "little confidence"),
        ("assez confiance", "une certaine confiance", "some confidence",
         "quite a lot of confidence"),
        ("tres confiance", "beaucoup de confiance", "une grande confiance",
         "a great deal of confidence", "complete confidence"),
    ),
}
DONT_KNOW = frozenset({"je ne sais pas", "ne sais pas", "nsp", "sans opinion", "don't know",
                       "dont know", "do not know", "i don't know", "i do not know", "not sure",
                       "no opinion"})
REFUSED = frozenset({"je prefere ne pas repondre", "prefere ne pas repondre", "refus",
                     "je ne veux pas repondre", "ne veut pas repondre", "refus de repondre",
                     "je prefere ne pas le dire", "prefer not to answer", "prefer not to say",
                     "i prefer not to answer", "i'd rather not say", "prefer not to respond",
                     "refused"})


#: Subgroup names of published scores that mean the whole population (folded).
ALL_RESPONDENTS = frozenset({"", "all", "total", "ensemble", "tous", "toutes"})
#: Scales read from numeric codes (``points_5``: codes 1 to 5), named by their length.
POINTS_PREFIX = "points_"


def points_scale(length: int) -> str:
    """The name of a numeric scale of ``length`` answers (position 1 least favourable)."""
    return f"{POINTS_PREFIX}{int(length)}"


def scale_length(scale: object) -> int | None:
    """How many answers ``scale`` has (None for an unknown scale or a question without one)."""
    if scale in SCALES:
        return len(SCALES[scale])
    if isinstance(scale, str) and scale.startswith(POINTS_PREFIX):
        digits = scale[len(POINTS_PREFIX):]
        return int(digits) if digits.isdigit() and int(digits) >= 2 else None
    return None


def favourable_from(scale: object) -> int | None:
    """The first favourable position: the upper half of the scale, its middle answer left
    out (3 and 4 of 4 points, 4 and 5 of 5), since a neutral answer is not a favourable one."""
    length = scale_length(scale)
    return None if length is None else length // 2 + 1 + length % 2


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
    """The scale most of a question's answers belong to (None for free or nominal answers).

    Each distinct answer is read once (a question has thousands of answers and a handful of
    spellings); on a tie, the scale met first wins.
    """
    counts: dict[str, int] = {}
    for answer, times in Counter(answers).items():  # in the order answers first appear
        found = answer_position(answer)
        if found is not None:
            counts[found[0]] = counts.get(found[0], 0) + times
    return max(counts, key=counts.get) if counts else None
