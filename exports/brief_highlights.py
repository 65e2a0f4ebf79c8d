"""The "Highlights" page of a brief: five to eight plain sentences a partner reads first.

Every sentence comes from a tested result or a key figure already masked for the audience:
a change reads "rose" or "fell" only when its test says it is unlikely to be chance (the
Benjamini-Hochberg adjusted p-value for a category, the single test for all incidents, at
the portrait's false discovery rate); an untested or non-significant change reads "stable".
A change whose counts the brief hides gets no sentence at all, so no hidden figure can be
read back from the highlights.
"""

from __future__ import annotations

from exports.brief_model import SUPPRESSED
from exports.brief_sections import masked_key_figure
from exports.brief_sentences import change_sentence, date_in_words
from exports.brief_text import label as label_of
from exports.brief_text import text

#: Categories whose change is named, the largest significant changes first.
MAX_CHANGES = 3
MAX_SENTENCES = 8
#: Key figures stated after the changes.
FIGURES = (("socio_economic", "population"), ("services", "services_in_station"),
           ("crime_places", "hot_spot_cells"))
WINDOW = "last_12_months"

def highlights(portrait, options, protection) -> list[str]:
    """The sentences of the highlights page, in ``options.language``."""
    language = options.language
    out = []
    if portrait.period:
        first, last = portrait.period
        out.append(text("highlights_period", language, first=date_in_words(first, language),
                        last=date_in_words(last, language)))
    out += _changes(portrait, options, protection)
    for section_id, indicator_id in FIGURES:
        figure = masked_key_figure(portrait, section_id, indicator_id, options, protection)
        if figure is None or figure.value is SUPPRESSED or figure.value is None:
            continue
        out.append(text("highlights_figure", language, what=figure.label, value=figure.text))
    return out[:MAX_SENTENCES]


def _changes(portrait, options, protection) -> list[str]:
    language = options.language
    section = next((s for s in portrait.sections if s.id == "crime_trends"), None)
    table = None if section is None else \
        next((t for t in section.tables if t.id == f"changes_{WINDOW}"), None)
    if table is None:
        return []
    q = float(portrait.parameters.get("options", {}).get("fdr_q", 0.05))
    hidden = protection.changes.get(WINDOW, {})
    cells = protection.change_cells.get(WINDOW, {})
    shown, significant = [], []
    for row in table.records:
        group = row["group"]
        if row["current"] is None or hidden.get(group) or \
                cells.get((group, "current")) or cells.get((group, "previous")):
            continue
        p = row["p_value"] if group == "all" else row["p_adjusted"]
        tested = p is not None and p == p  # NaN: not tested
        if group == "all":
            shown.append(_sentence(row, tested and p < q, language))
        elif tested and p < q:
            significant.append(row)
    significant.sort(key=lambda r: -abs(r["difference"] or 0))
    shown += [_sentence(r, True, language) for r in significant[:MAX_CHANGES]]
    if not significant and len(table.records) > 1:
        shown.append(text("highlights_all_stable", language))
    return shown


def _sentence(row: dict, significant: bool, language: str) -> str:
    return change_sentence(label_of(row, language), row["current"], row["previous"],
                           significant, language)
