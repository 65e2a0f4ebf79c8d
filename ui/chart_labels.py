"""Short chart labels that stay distinct: bars named alike are merged or misread.

Survey questions often differ only at their end ("Q01 … during the day" and "Q01 … in the
evening"); cutting every label at the same length made them identical, and a bar chart then
drew them on one line. A label too long keeps its beginning (the question's number) and the
part where it differs from the others, with "…" where text was left out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

ELLIPSIS = "…"
#: Characters kept at the start of a shortened label (room for "Q01 " and a word or two).
HEAD = 16
#: Characters kept before the first difference, so the differing word reads in context.
LEAD = 10


def short_labels(labels: Sequence[str], length: int = 48) -> list[str]:
    """``labels`` shortened to ``length`` characters where needed, keeping each one's first
    difference from the others in view.

    >>> short_labels(["Q01 Feels safe walking alone in the neighbourhood during the day",
    ...               "Q01 Feels safe walking alone in the neighbourhood in the evening"])
    ['Q01 Feels safe …the neighbourhood during the day', \
'Q01 Feels safe …the neighbourhood in the evening']
    """
    return [_shorten(label, _differs_at(label, labels), length) for label in labels]


def _differs_at(label: str, labels: Sequence[str]) -> int:
    """The position from which ``label``'s text can be told from every other label's: the
    questions' own numbers ("Q01", "Q02") always differ, yet say nothing of what was asked."""
    code, text = _split_code(label)
    others = [_split_code(other)[1] for other in labels if other != label]
    return len(code) + max((len(os.path.commonprefix([text, other])) for other in others),
                           default=0)


def _split_code(label: str) -> tuple[str, str]:
    """("Q01 ", "Do you feel…") for a label that starts with a question's number."""
    first, _, rest = label.partition(" ")
    if rest and any(c.isdigit() for c in first):
        return first + " ", rest
    return "", label


def _shorten(label: str, differs_at: int, length: int) -> str:
    if len(label) <= length:
        return label
    if differs_at < length - 1:  # the difference shows in the beginning: cut the end
        return label[:length - 1].rstrip() + ELLIPSIS
    head = label[:HEAD + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else label[:HEAD]  # end on a whole word
    room = length - len(head) - 2
    start = max(len(head), min(differs_at - LEAD, len(label) - room))
    space = label.find(" ", start, differs_at)
    if label[start - 1] != " " and space >= 0:  # begin on a whole word
        start = space + 1
    middle = label[start:start + room]
    if start + room < len(label):
        middle = middle[:-1] + ELLIPSIS
    return f"{head} {ELLIPSIS}{middle}" if label[start - 1] == " " else head + ELLIPSIS + middle
