"""A brief module's own words, French and English, kept beside the code that uses them.

The shared catalogue (``brief_text``) holds the words every part of a brief uses; a section
builder's own sentences and headings stay in its module as a ``Words`` table, so adding a
section's wording never touches another's.

>>> WORDS = Words({"calls": ("{n} appels", "{n} calls")})
>>> WORDS.text("calls", "en", n=3)
'3 calls'
"""

from __future__ import annotations


class Words(dict[str, tuple[str, str]]):
    """Key -> (French, English) templates."""

    def text(self, key: str, language: str, **values: object) -> str:
        """The words of ``key`` in ``language``, with ``values`` filled in."""
        words = self[key][0 if language == "fr" else 1]
        return words.format(**values) if values else words
