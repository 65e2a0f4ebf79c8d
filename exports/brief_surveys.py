"""The brief's resident-survey section: favourable answers against the rest of the city,
their change since the previous wave, and scores published by area.

The two comparisons are kept in separate tables: a change since the previous wave is a
difference in points, not a share of favourable answers, and mixed into the favourable
answers it would be read (and ranked by the section's sentences) as one.
"""

from __future__ import annotations

from exports.brief_cells import interval_cell, masked
from exports.brief_model import BriefSection, BriefTable, Column, Figure
from exports.brief_text import format_level, text
from exports.brief_text import label as label_of
from exports.disclosure import COMPLEMENTARY, SURVEY_MIN_N, WITHHELD, survey_suppressed
from portrait.sections.survey_scores import ID_PREFIX as PUBLISHED_PREFIX

FAVOURABLE_SUFFIX, CHANGE_SUFFIX = "_favourable", "_change"


def surveys(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    fr = language == "fr"
    min_n = max(int(portrait.parameters.get("options", {}).get("survey_min_n", 30)),
                int(options.survey_min_n))
    rows, changes, bars = [], [], []
    published = [i for i in section.indicators if i.id.startswith(PUBLISHED_PREFIX)]
    labels = {i.id: label_of(i, language) for i in section.indicators}
    for indicator in section.indicators:
        if indicator.id.startswith(PUBLISHED_PREFIX):
            continue
        n = (indicator.context or {}).get("n")
        test = indicator.test
        details = test.details if test is not None else {}
        is_change = indicator.id.endswith(CHANGE_SUFFIX)
        # a change compares two waves: the earlier wave's answers count as much as today's
        smallest = min(n, details.get("other_n", n)) if is_change and n is not None else n
        reason = SURVEY_MIN_N if indicator.value is None or survey_suppressed(smallest, min_n) \
            else None
        if reason:
            protection.log.add(label_of(section, language, "title"),
                               label_of(indicator, language), SURVEY_MIN_N,
                               "" if protection.partner else f"n = {smallest}")
        p_value = masked(test.p_adjusted if test and test.p_adjusted is not None
                         else (test.p_value if test else None), reason)
        if is_change:
            question = labels.get(indicator.id[:-len(CHANGE_SUFFIX)] + FAVOURABLE_SUFFIX,
                                  label_of(indicator, language))
            previous = details.get("other")
            latest = None if previous is None or indicator.value is None \
                else previous + indicator.value
            changes.append([question, masked(previous, reason), masked(latest, reason),
                            masked(indicator.value, reason),
                            interval_cell(details.get("difference_low"),
                                          details.get("difference_high"), "", language,
                                          reason), n, p_value])
            continue
        if indicator.id.endswith(FAVOURABLE_SUFFIX):
            interval = indicator.interval
            bars.append((indicator.id.split("_")[1], masked(indicator.value, reason),
                         None if reason or interval is None else interval.low,
                         None if reason or interval is None else interval.high))
        rows.append([label_of(indicator, language), masked(indicator.value, reason),
                     interval_cell(indicator.interval.low if indicator.interval else None,
                                   indicator.interval.high if indicator.interval else None,
                                   "%", language, reason), n,
                     masked(details.get("difference"), reason), p_value])
    out.tables.append(BriefTable(
        "survey_favourable", "Réponses favorables" if fr else "Favourable answers",
        [Column("question", "Question"), Column("value", "% favorable" if fr else
                                                "% favourable", "percent"),
         Column("ci", text("ci", language, level=format_level(0.95, language))),
         Column("n", "n", "int"),
         Column("difference", "Écart (points)" if fr else "Difference (points)", "number", 1),
         Column("p", "p (BH)", "p")], rows,
        "Écart : le poste moins le reste de la ville, même vague." if fr else
        "Difference: the station minus the rest of the city, same wave.",
        chart="bar", chart_columns=[1]))
    if changes:
        out.tables.append(_changes_table(changes, language))
    if published:
        out.tables.append(_published_table(section, published, min_n, language, protection))
    if bars:
        out.figures.append(Figure(
            "survey_chart", "chart_survey", text("chart_survey", language),
            {"bars": bars}, "Part des réponses favorables, intervalle de Wilson à 95 %"
            if fr else "Share of favourable answers, 95% Wilson interval"))
    answers = next((t for t in section.tables if t.id == "answers"), None)
    if answers is not None and answers.records:
        columns = [Column("question", "Question"), Column("answer", "Réponse" if fr else
                                                          "Answer"),
                   Column("share", "Part pondérée" if fr else "Weighted share", "percent")]
        answered: dict[str, float] = {}
        for r in answers.records:
            answered[r["question_id"]] = answered.get(r["question_id"], 0) + (r["n"] or 0)
        # the workspace's minimum may be above the one the portrait was built with
        body = [[r["question_id"], r["answer"],
                 masked(r["weighted_share"], SURVEY_MIN_N if protection.partner and
                        answered[r["question_id"]] < min_n else None)]
                for r in answers.records]
        if protection.partner:
            protection.log.add(label_of(answers, language, "title"), "n", WITHHELD,
                               text("withheld_answer_counts", language))
        else:
            columns.append(Column("n", "n", "int"))
            for row, r in zip(body, answers.records, strict=True):
                row.append(r["n"])
        out.tables.append(BriefTable("answers", label_of(answers, language, "title"), columns,
                                     body, answers.note, in_pdf=False))


def _changes_table(rows: list[list], language: str) -> BriefTable:
    """Each question's share of favourable answers in the previous wave and the latest, and
    the tested difference in points."""
    fr = language == "fr"
    return BriefTable(
        "survey_change", "Écart avec la vague précédente" if fr else
        "Change since the previous wave",
        [Column("question", "Question"),
         Column("previous", "Vague précédente (%)" if fr else "Previous wave (%)", "percent"),
         Column("latest", "Dernière vague (%)" if fr else "Latest wave (%)", "percent"),
         Column("difference", "Écart (points)" if fr else "Difference (points)", "number", 1),
         Column("ci", text("ci", language, level=format_level(0.95, language))),
         Column("n", "n", "int"), Column("p", "p")], rows,
        "Écart : la dernière vague moins la précédente, dans le poste ; intervalle de "
        "Newcombe." if fr else
        "Difference: the latest wave minus the previous one, in the station; Newcombe "
        "interval.")


def _n(indicator) -> int | None:
    return (indicator.context or {}).get("n")


def _group(indicator) -> tuple[str, str]:
    return (str((indicator.context or {}).get("theme", "")), indicator.period)


def _published_table(section, published: list, min_n: int, language: str,
                     protection) -> BriefTable:
    """Scores published by area (the source's own figures), under the same rule of the
    survey's minimum number of answers; without a published n, a score shows no interval.

    For partners, a hidden score hides the other scores of its theme and period too: a
    station's score and its areas' scores with their n are a weighted mean, from which the
    one hidden area's score would follow."""
    fr = language == "fr"
    rows = []
    hidden = {indicator.id: SURVEY_MIN_N for indicator in published
              if indicator.value is None
              or (_n(indicator) is not None and survey_suppressed(_n(indicator), min_n))}
    if protection.partner:
        groups = {_group(i) for i in published if i.id in hidden}
        hidden.update({i.id: COMPLEMENTARY for i in published
                       if _group(i) in groups and i.id not in hidden})
    for indicator in published:
        n = _n(indicator)
        reason = hidden.get(indicator.id)
        if reason:
            protection.log.add(label_of(section, language, "title"),
                               label_of(indicator, language), reason,
                               "" if protection.partner else f"n = {n}")
        interval = indicator.interval
        rows.append([label_of(indicator, language), masked(indicator.value, reason),
                     interval_cell(interval.low if interval else None,
                                   interval.high if interval else None,
                                   "%" if indicator.unit == "%" else "", language, reason),
                     masked(n, reason) if protection.partner else n])
    return BriefTable(
        "survey_published", "Scores publiés par secteur" if fr else "Published scores by area",
        [Column("score", "Thème et secteur" if fr else "Theme and area"),
         Column("value", "Score", "number", 1),
         Column("ci", text("ci", language, level=format_level(0.95, language))),
         Column("n", "n", "int")], rows,
        "Scores tels que publiés par la source ; sans n publié, pas d'intervalle." if fr else
        "Scores as published by the source; without a published n, no interval.")
