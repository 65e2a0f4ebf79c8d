"""The two or three plain sentences of each section of a brief.

A partner reads a section's sentences before its chart and table, so they follow the rules
of the highlights page (``brief_highlights``): a change reads "rose" or "fell" only when its
test is significant at the portrait's false discovery rate (the Benjamini-Hochberg adjusted
p-value for categories, the single test for a total), otherwise "stable"; a difference from
the rest of the city is called one only when its interval or test says it is unlikely to be
chance. Every number is read from the section as already built for the reader (``out``),
after the disclosure protection: a value the brief hides (``SUPPRESSED``) gives no sentence
and no number, and a statement about "every category" is only made when none is hidden.
The portrait's section only supplies what is not a figure: ids, test p-values of cells that
are shown, and the busiest month.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from exports.brief_model import SUPPRESSED, BriefSection, BriefTable, KeyFigure
from exports.brief_protection import change_rows
from exports.brief_text import format_number, format_percent, format_value, text
from exports.brief_text import label as label_of
from exports.brief_words import Words

_ELLIPSIS_END = re.compile(r"(\.\.\.|…)\.$")
#: How many items a sentence names before "and N more".
MAX_NAMED = 3
WINDOW = "last_12_months"
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

#: This module's words, French and English.
WORDS = Words({
    "population": ("Le poste compte {value} résidents.", "The station has {value} residents."),
    "vs_city": ("{what} : {value}, contre {city} pour l'ensemble de la ville.",
                "{what}: {value}, against {city} for the whole city."),
    "total_rate": ("Du {first} au {last}, {count} incidents ont été déclarés dans le poste, "
                   "soit {rate} pour 1 000 résidents par an (ville : {city}).",
                   "From {first} to {last}, {count} incidents were reported in the station, "
                   "{rate} per 1,000 residents per year (city: {city})."),
    "total": ("Du {first} au {last}, {count} incidents ont été déclarés dans le poste.",
              "From {first} to {last}, {count} incidents were reported in the station."),
    "most_frequent": ("La catégorie la plus fréquente est {what} ({count} incidents).",
                      "The most frequent category is {what} ({count} incidents)."),
    "above_city": ("Plus fréquent ici que dans le reste de la ville, un écart qu'on ne peut "
                   "attribuer au hasard : {items}.",
                   "More frequent here than in the rest of the city, a difference unlikely "
                   "to be chance: {items}."),
    "below_city": ("Moins fréquent ici que dans le reste de la ville, un écart qu'on ne peut "
                   "attribuer au hasard : {items}.",
                   "Less frequent here than in the rest of the city, a difference unlikely "
                   "to be chance: {items}."),
    "like_city": ("Aucune catégorie publiée ne s'écarte du reste de la ville d'une façon "
                  "qu'on ne puisse attribuer au hasard.",
                  "No published category differs from the rest of the city by more than "
                  "chance would explain."),
    "shown_stable": ("Aucune des autres catégories publiées ne montre de changement qu'on ne "
                     "puisse attribuer au hasard.",
                     "None of the other published categories shows a change that cannot be "
                     "put down to chance."),
    "seasonal": ("Le nombre d'incidents suit les saisons, ce qu'on ne peut attribuer au "
                 "hasard ; le mois le plus chargé est {month}.",
                 "Incidents follow the seasons, which is unlikely to be chance; the busiest "
                 "month is {month}."),
    "not_seasonal": ("Le nombre d'incidents ne varie pas d'un mois à l'autre plus que le "
                     "hasard ne l'explique.",
                     "Incidents do not vary from month to month more than chance explains."),
    "top_issue": ("L'enjeu le plus fréquent est {what} ({count} incidents).",
                  "The most frequent issue is {what} ({count} incidents)."),
    "issues_rose": ("En hausse sur les 12 derniers mois, un changement qu'on ne peut attribuer "
                    "au hasard : {items}.",
                    "Rose over the last 12 months, a change unlikely to be chance: {items}."),
    "issues_fell": ("En baisse sur les 12 derniers mois, un changement qu'on ne peut attribuer "
                    "au hasard : {items}.",
                    "Fell over the last 12 months, a change unlikely to be chance: {items}."),
    "issues_stable": ("Aucun enjeu publié ne change sur les 12 derniers mois d'une façon qu'on "
                      "ne puisse attribuer au hasard.",
                      "No published issue changed over the last 12 months by more than "
                      "chance would explain."),
    "hot_spots": ("{count} carrés de {size} m forment des points chauds (carte des points "
                  "chauds) : plus d'incidents qu'autour d'eux, ce qu'on ne peut attribuer au "
                  "hasard.",
                  "{count} squares of {size} m are hot spots (hot-spot map): more incidents "
                  "than around them, which is unlikely to be chance."),
    "no_hot_spot": ("Aucun carré ne forme un point chaud qu'on ne puisse attribuer au hasard.",
                    "No square is a hot spot beyond what chance would explain."),
    "concentration": ("Les 5 % de carrés les plus touchés regroupent {share} des incidents.",
                      "The 5% most affected squares hold {share} of the incidents."),
    "unlocated": ("{share} des incidents n'ont pas de lieu connu et ne sont pas sur la carte.",
                  "{share} of the incidents have no known place and are not on the map."),
    "services": ("{count} services à la communauté se trouvent dans le poste, et {near} dans "
                 "le poste ou à moins de {distance} m de sa limite.",
                 "{count} community services are in the station, and {near} in it or within "
                 "{distance} m of its boundary."),
    "least_reached": ("Type de service le moins proche des résidents : {what} ({share} des "
                      "résidents à moins de {distance} m).",
                      "Service type furthest from residents: {what} ({share} of residents "
                      "within {distance} m)."),
    "gaps": ("{what} : {value}.", "{what}: {value}."),
    "best_answer": ("Au sondage, la réponse la plus favorable porte sur « {what} » ({value} "
                    "de réponses favorables), la moins favorable sur « {worst} » ({low}).",
                    "In the survey, the most favourable answers are to “{what}” ({value} "
                    "favourable), the least to “{worst}” ({low})."),
    "survey_below": ("Moins favorable que dans le reste de la ville, un écart qu'on ne peut "
                     "attribuer au hasard : {items}.",
                     "Less favourable than in the rest of the city, a difference unlikely to "
                     "be chance: {items}."),
    "survey_above": ("Plus favorable que dans le reste de la ville, un écart qu'on ne peut "
                     "attribuer au hasard : {items}.",
                     "More favourable than in the rest of the city, a difference unlikely to "
                     "be chance: {items}."),
    "survey_like": ("Aucune réponse publiée ne s'écarte du reste de la ville d'une façon qu'on "
                    "ne puisse attribuer au hasard.",
                    "No published answer differs from the rest of the city by more than chance "
                    "would explain."),
    "ranked_first": ("{what} : le plus élevé des {of} postes publiés ({value}).",
                     "{what}: the highest of the {of} stations published ({value})."),
    "ranked": ("{what} : {rank}e plus élevé des {of} postes publiés ({value}).",
               "{what}: {rank} highest of the {of} stations published ({value})."),
    "demand": ("{count} appels du public (la demande) ont été reçus sur la période.",
               "{count} calls from the public (the demand) were received over the period."),
    "diverted": ("{what} : {value}.", "{what}: {value}."),
    "and_more": ("{items} et {count} autres", "{items} and {count} more"),
})

word = WORDS.text


def section_sentences(out: BriefSection, section, portrait, options) -> list[str]:
    """The sentences of ``out`` (the section as built for ``options.audience``), at most
    three; none for a section without a writer here or without figures to speak of."""
    writer = WRITERS.get(out.id)
    if writer is None or section.is_empty:
        return []
    q = float(portrait.parameters.get("options", {}).get("fdr_q", 0.05))
    # a name ending in "..." (a survey question cut short) ends its sentence
    return [_ELLIPSIS_END.sub(r"\1", s) for s in writer(out, section, portrait, options, q)
            if s][:3]


# --- reading the built section ------------------------------------------------------------
def shown(value: Any) -> bool:
    """Whether a built cell holds a number the reader sees."""
    return value is not SUPPRESSED and isinstance(value, (int, float)) and \
        not isinstance(value, bool) and not math.isnan(float(value))


def _figure(out: BriefSection, indicator_id: str) -> KeyFigure | None:
    return next((f for f in out.key_figures if f.id == indicator_id), None)


def _table(out: BriefSection, table_id: str) -> BriefTable | None:
    return next((t for t in out.tables if t.id == table_id), None)


def _column(table: BriefTable, column_id: str) -> int:
    for j, column in enumerate(table.columns):
        if column.id == column_id:
            return j
    raise KeyError(f"Brief table {table.id!r} has no column {column_id!r}.")


def _indicator(section, indicator_id: str):
    return next((i for i in section.indicators if i.id == indicator_id), None)


def _items(names: list[str], language: str) -> str:
    """"A, B, C" or "A, B, C and 2 more"."""
    listed = ", ".join(names[:MAX_NAMED])
    if len(names) > MAX_NAMED:
        return word("and_more", language, items=listed, count=len(names) - MAX_NAMED)
    return listed


def _significant(p: Any, q: float) -> bool:
    return shown(p) and float(p) < q


def change_sentence(what: str, current: float, previous: float, significant: bool,
                    language: str) -> str:
    """"X: rose over the last 12 months (12 vs 5), a change unlikely to be chance", or
    "stable" when the test does not say so (shared with the highlights page)."""
    key = "highlights_stable"
    if significant:
        key = "highlights_rose" if current > previous else "highlights_fell"
    return text(key, language, what=what, current=format_number(current, language),
                previous=format_number(previous, language))


def date_in_words(day: str, language: str) -> str:
    """An ISO date as a reader writes it: "1 décembre 2025", "1 December 2025".

    >>> date_in_words("2025-12-01", "fr")
    '1er décembre 2025'
    """
    value = dt.date.fromisoformat(str(day)[:10])
    if language == "fr":
        first = "1er" if value.day == 1 else str(value.day)
        return f"{first} {MONTHS_FR[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def period_words(portrait, language: str) -> tuple[str, str] | None:
    """The portrait's first and last days in words; None for a portrait of all the data."""
    if not portrait.period:
        return None
    first, last = portrait.period
    return date_in_words(first, language), date_in_words(last, language)


# --- the sections -------------------------------------------------------------------------
def _census(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    out_sentences = []
    population = _indicator(section, "population")
    if population is not None and shown(population.value):
        out_sentences.append(word("population", language,
                                  value=format_number(population.value, language)))
    for indicator_id in ("low_income_rate", "median_household_income"):
        indicator = _indicator(section, indicator_id)
        city = (indicator.context or {}).get("city") if indicator is not None else None
        if indicator is not None and shown(indicator.value) and shown(city):
            out_sentences.append(word("vs_city", language, what=label_of(indicator, language),
                                      value=format_value(indicator.value, indicator.unit,
                                                         language),
                                      city=format_value(city, indicator.unit, language)))
    return out_sentences


def _crime(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    sentences = []
    total, rate = _figure(out, "incidents_total"), _figure(out, "incidents_rate")
    period = period_words(portrait, language)
    if total is not None and shown(total.value) and period is not None:
        city = (_indicator(section, "incidents_rate").context or {}).get("city") \
            if rate is not None else None
        if rate is not None and shown(rate.value) and shown(city):
            sentences.append(word("total_rate", language, first=period[0], last=period[1],
                                  count=format_number(total.value, language),
                                  rate=format_number(rate.value, language, 1),
                                  city=format_number(city, language, 1)))
        else:
            sentences.append(word("total", language, first=period[0], last=period[1],
                                  count=format_number(total.value, language)))
    table = _table(out, "categories")
    if table is None:
        return sentences
    count, lq = _column(table, "count"), _column(table, "lq_ci")
    rows = [r for r in table.rows[:-1] if shown(r[count])]  # the last row is the total
    if rows:
        top = max(rows, key=lambda r: r[count])
        sentences.append(word("most_frequent", language, what=top[0],
                              count=format_number(top[count], language)))
    above = [r[0] for r in table.rows[:-1] if _interval_side(r[lq]) > 0]
    below = [r[0] for r in table.rows[:-1] if _interval_side(r[lq]) < 0]
    if above:
        sentences.append(word("above_city", language, items=_items(above, language)))
    elif below:
        sentences.append(word("below_city", language, items=_items(below, language)))
    elif rows:
        sentences.append(word("like_city", language))
    return sentences


def _interval_side(cell: Any) -> int:
    """+1 when a location quotient's interval lies above 1, -1 below, 0 otherwise."""
    low, high = getattr(cell, "low", None), getattr(cell, "high", None)
    if cell is SUPPRESSED or not shown(low) or not shown(high):
        return 0
    return 1 if low > 1 else (-1 if high < 1 else 0)


def _trends(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    sentences = []
    built = _table(out, f"changes_{WINDOW}")
    source = next((t for t in section.tables if t.id == f"changes_{WINDOW}"), None)
    if built is not None and source is not None:
        current, previous = _column(built, "current"), _column(built, "previous")
        p_value, p_adjusted = _column(built, "p"), _column(built, "p_adjusted")
        records = change_rows(source, options.audience == "partner")
        significant, hidden = [], False
        for record, row in zip(records, built.rows, strict=False):
            if not (shown(row[current]) and shown(row[previous])):
                hidden = hidden or record["group"] != "all"
                continue
            if record["group"] == "all":
                sentences.append(change_sentence(row[0], row[current], row[previous],
                                                 _significant(row[p_value], q), language))
            elif _significant(row[p_adjusted], q):
                significant.append(row)
        significant.sort(key=lambda r: -abs(r[current] - r[previous]))
        sentences += [change_sentence(r[0], r[current], r[previous], True, language)
                      for r in significant[:1]]
        if not significant and len(built.rows) > 1:
            sentences.append(word("shown_stable", language) if hidden else
                             text("highlights_all_stable", language))
    seasonality = _indicator(section, "seasonality")
    months = _table(out, "seasonality")
    if seasonality is not None and seasonality.test is not None and months is not None:
        index = _column(months, "index")
        busiest = (seasonality.test.details or {}).get("busiest_month")
        visible = all(shown(r[index]) for r in months.rows)
        if visible and _significant(seasonality.test.p_value, q) and busiest:
            sentences.append(word("seasonal", language,
                                  month=_month_name(int(busiest), language)))
        elif visible and shown(seasonality.test.p_value):
            sentences.append(word("not_seasonal", language))
    return sentences


def _month_name(month: int, language: str) -> str:
    return (MONTHS_FR if language == "fr" else MONTHS_EN)[month - 1]


def _issues(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    table = _table(out, "issues")
    if table is None or not table.rows:
        return []
    count, change = _column(table, "count"), _column(table, "change")
    p_adjusted = _column(table, "p_adjusted")
    sentences = []
    counted = [r for r in table.rows if shown(r[count])]
    if counted:
        top = max(counted, key=lambda r: r[count])
        sentences.append(word("top_issue", language, what=top[0],
                              count=format_number(top[count], language)))
    tested = [r for r in table.rows if shown(r[change]) and _significant(r[p_adjusted], q)]
    rose = [r[0] for r in tested if r[change] > 0]
    fell = [r[0] for r in tested if r[change] < 0]
    if rose:
        sentences.append(word("issues_rose", language, items=_items(rose, language)))
    if fell:
        sentences.append(word("issues_fell", language, items=_items(fell, language)))
    if not tested and any(shown(r[change]) for r in table.rows):
        sentences.append(word("issues_stable", language))
    return sentences


def _places(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    sentences = []
    hot = _figure(out, "hot_spot_cells")
    layer = next((m for m in section.map_layers if m.id == "hot_spots"), None)
    if hot is not None and shown(hot.value) and layer is not None and \
            any(f.id == "hot_spot_map" for f in out.figures):
        size = format_number(float(layer.parameters.get("cell_size_m", 0)), language)
        sentences.append(word("hot_spots", language, count=format_number(hot.value, language),
                              size=size) if hot.value else word("no_hot_spot", language))
    top = _figure(out, "top_5pct_cells")
    if top is not None and shown(top.value):
        sentences.append(word("concentration", language,
                              share=format_percent(top.value, language)))
    unlocated = _figure(out, "share_without_location")
    if unlocated is not None and shown(unlocated.value) and unlocated.value > 0:
        sentences.append(word("unlocated", language,
                              share=format_percent(unlocated.value, language)))
    return sentences


def _services(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    sentences = []
    inside = _indicator(section, "services_in_station")
    context = (inside.context or {}) if inside is not None else {}
    if inside is not None and shown(inside.value) and shown(context.get("within_buffer")):
        sentences.append(word("services", language, count=format_number(inside.value, language),
                              near=format_number(context["within_buffer"], language),
                              distance=format_number(context.get("buffer_m", 0), language)))
    table = _table(out, "services_by_type")
    if table is not None and table.rows:
        coverage = [j for j, c in enumerate(table.columns) if c.id.startswith("coverage_")]
        if coverage:
            j = coverage[0]
            reached = [r for r in table.rows if shown(r[j])]
            if reached:
                least = min(reached, key=lambda r: r[j])
                distance = table.columns[j].id.split("_")[1].removesuffix("m")
                sentences.append(word("least_reached", language, what=least[0],
                                      share=format_percent(least[j], language),
                                      distance=distance))
    gaps = _indicator(section, "high_need_areas_with_gaps")
    if gaps is not None and shown(gaps.value):
        sentences.append(word("gaps", language, what=label_of(gaps, language),
                              value=format_number(gaps.value, language)))
    return sentences


def _surveys(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    table = _table(out, "survey_favourable")
    if table is None or not table.rows:
        return []
    value, difference, p = (_column(table, c) for c in ("value", "difference", "p"))
    answered = [r for r in table.rows if shown(r[value])]
    sentences = []
    if len(answered) > 1:
        best = max(answered, key=lambda r: r[value])
        worst = min(answered, key=lambda r: r[value])
        sentences.append(word("best_answer", language, what=best[0],
                              value=format_percent(best[value], language), worst=worst[0],
                              low=format_percent(worst[value], language)))
    tested = [r for r in answered if shown(r[difference]) and _significant(r[p], q)]
    below = [r[0] for r in tested if r[difference] < 0]
    above = [r[0] for r in tested if r[difference] > 0]
    if below:
        sentences.append(word("survey_below", language, items=_items(below, language)))
    if above:
        sentences.append(word("survey_above", language, items=_items(above, language)))
    if not tested and any(shown(r[difference]) for r in answered):
        sentences.append(word("survey_like", language))
    return sentences


def _comparison(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    """The station's rank among the stations whose value is published: a rank over hidden
    values would tell something about them."""
    language = options.language
    table = _table(out, "stations_summary")
    source = section.tables[0] if section.tables else None
    if table is None or source is None:
        return []
    own = [str(r["station_id"]) == str(portrait.station_id) for r in source.records]
    sentences = []
    for column_id in ("incidents_rate", "low_income_rate"):
        try:
            j = _column(table, column_id)
        except KeyError:  # a column the comparison does not have (no census, no incidents)
            continue
        mine = next((r[j] for r, is_own in zip(table.rows, own, strict=False) if is_own), None)
        values = [r[j] for r in table.rows if shown(r[j])]
        if not shown(mine) or len(values) < 2:
            continue
        rank = 1 + sum(v > mine for v in values)
        column = table.columns[j]
        value = format_percent(mine, language) if column.kind == "percent" else \
            format_number(mine, language, column.decimals)
        key = "ranked_first" if rank == 1 else "ranked"
        sentences.append(word(key, language, what=column.label, rank=_ordinal(rank, language),
                              of=len(values), value=value))
    return sentences


def _ordinal(rank: int, language: str) -> str:
    if language == "fr":
        return str(rank)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10,
                                                                                "th")
    return f"{rank}{suffix}"


def _calls(out: BriefSection, section, portrait, options, q: float) -> list[str]:
    language = options.language
    sentences = []
    demand = _figure(out, "calls_demand")
    if demand is not None and shown(demand.value):
        sentences.append(word("demand", language, count=format_number(demand.value, language)))
    table = _table(out, f"calls_changes_{WINDOW}")
    if table is not None and table.rows:
        row = table.rows[0]  # the demand, one test
        current, previous, p = (_column(table, c) for c in ("current", "previous", "p"))
        if shown(row[current]) and shown(row[previous]):
            sentences.append(change_sentence(row[0], row[current], row[previous],
                                             _significant(row[p], q), language))
    diverted = _figure(out, "calls_diverted")
    if diverted is not None and shown(diverted.value):
        sentences.append(word("diverted", language, what=diverted.label,
                              value=format_percent(diverted.value, language)))
    return sentences


WRITERS: dict[str, Callable[..., list[str]]] = {
    "socio_economic": _census, "crime": _crime, "crime_trends": _trends, "issues": _issues,
    "crime_places": _places, "services": _services, "surveys": _surveys,
    "station_comparison": _comparison, "call_demand": _calls,
}
