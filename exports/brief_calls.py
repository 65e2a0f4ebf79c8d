"""The brief's "Demande d'appels / Call demand" section.

Internal briefs show everything the portrait computed. Partner briefs follow the disclosure
rules (``exports.disclosure``): pathway counts of 1 to 4 are suppressed with their
complements, since the demand total is shown; a share or range that could give a suppressed
count back is withheld; the hour-by-weekday and priority cross-tabulations, the unmapped call
types and the repeat-call places (addresses) are never published.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from exports.brief_cells import key_figure, masked
from exports.brief_model import BriefOptions, BriefSection, BriefTable, Column
from exports.brief_text import label as label_of
from exports.brief_text import text
from exports.brief_words import Words
from exports.disclosure import (
    COMPLEMENTARY,
    CONFIDENTIAL,
    DERIVED,
    PRIMARY,
    WITHHELD,
    protect_counts,
    protect_table,
)
from portrait.calls.pathways import DEMAND
from portrait.calls.plan_links import call_demand_plan
from portrait.records.base import Record
from portrait.records.best_practices import catalogue
from portrait.records.store import RecordStore
from portrait.sections.call_demand import PRACTICES
from portrait.wording import in_language

PRACTICE_IDS = tuple(PRACTICES.values())

#: This section's words, French and English.
WORDS = Words({
    "pathway": ("Réponse", "Pathway"),
    "calls": ("Appels", "Calls"),
    "share": ("Part de la demande (%)", "Share of demand (%)"),
    "share_ci": ("IC 95 %", "95% CI"),
    "demand": ("Appels du public (demande)", "Calls from the public (demand)"),
    "priority": ("Priorité", "Priority"),
    "hour": ("Heure", "Hour"),
    "hours": ("Heures-unités", "Unit hours"),
    "hours_share": ("Part des heures (%)", "Share of hours (%)"),
    "call_type": ("Type d'appel", "Call type"),
    "description": ("Description", "Description"),
    "place": ("Lieu", "Place"),
    "practice": ("Pratique reconnue", "Best practice"),
    "recent": ("Période récente", "Recent period"),
    "previous": ("Période précédente", "Previous period"),
    "difference": ("Écart", "Difference"),
    "range": ("Part détournable selon les règles incertaines : de {low} % à {high} %.",
              "Divertible share across the uncertain rules: {low}% to {high}%."),
    "withheld_range": ("part détournable non diffusée : elle permettrait de retrouver un "
                       "petit effectif masqué",
                       "divertible share withheld: it could reveal a suppressed small count"),
    "withheld_places": ("adresses des lieux d'appels répétés non diffusées",
                        "addresses of repeat-call places withheld"),
    "withheld_types": ("liste des types d'appel non reconnus réservée au poste",
                       "list of unrecognised call types kept for the station"),
    "pathways_note": ("Parts de la demande (appels du public), intervalles de Wilson à 95 %. "
                      "Table des réponses : {version}.",
                      "Shares of demand (calls from the public), 95% Wilson intervals. Pathway "
                      "table: {version}."),
    "plan_title": ("Dans le plan d'action du poste", "In the station's action plan"),
    "plan_item": ("Priorité ou action", "Priority or action"),
    "plan_link": ("Lien", "Link"),
    "plan_priority": ("Priorité : {title}", "Priority: {title}"),
    "plan_action": ("Action : {title}", "Action: {title}"),
    "plan_calls": ("demande d'appels", "call demand"),
    "plan_none": ("Aucune priorité ni action du plan d'action ne porte encore sur ces "
                  "pratiques ou sur la demande d'appels.",
                  "No priority or action of the action plan is about these practices or call "
                  "demand yet."),
    "emergency": ("Urgence policière", "Police emergency"),
    "deferrable": ("Police, différable", "Police, deferrable"),
    "crisis": ("Équipe de crise", "Crisis team"),
    "other_service": ("Autre service", "Another service"),
})

word = WORDS.text


def call_demand(out: BriefSection, section, portrait, data, options, protection) -> None:
    """Write the section into ``out`` for the brief's audience."""
    language = options.language
    partner = protection.partner
    title = label_of(section, language, "title")
    pathways = section.table("calls_by_pathway")
    demand_rows = [r for r in pathways.records if r["pathway"] in DEMAND]
    hidden = _hidden_pathways(demand_rows, label_of(pathways, language, "title"), language,
                              protection) if partner else {}
    for indicator_id in ("calls_demand", "calls_diverted"):
        reason = DERIVED if indicator_id == "calls_diverted" and hidden else None
        out.key_figures.append(key_figure(section.indicator(indicator_id), language, reason))
    rows = [[label_of(r, language), masked(r["calls"], hidden.get(r["pathway"])),
             masked(r["share"], hidden.get(r["pathway"])),
             masked(_interval(r, language), hidden.get(r["pathway"]))] for r in demand_rows]
    rows.append([word("demand", language), section.indicator("calls_demand").value, 100.0,
                 None])
    out.tables.append(BriefTable(
        "calls_by_pathway", label_of(pathways, language, "title"),
        [Column("pathway", word("pathway", language)),
         Column("calls", word("calls", language), "int"),
         Column("share", word("share", language), "percent"),
         Column("share_ci", word("share_ci", language))], rows,
        word("pathways_note", language, version=in_language(
            portrait.parameters.get("call_demand", {}).get("pathway_table", ""), language)),
        chart="bar", chart_columns=[1]))
    diverted = section.indicator("calls_diverted")
    low, high = diverted.context.get("range_low"), diverted.context.get("range_high")
    if hidden:
        protection.log.add(title, diverted.label_fr if language == "fr" else diverted.label_en,
                           DERIVED, word("withheld_range", language))
    elif low is not None:
        out.paragraphs.append(word("range", language, low=_pct(low, language),
                                   high=_pct(high, language)))
    for table in section.tables:
        if table.id.startswith("calls_changes_"):
            _changes(out, table, language, protection)
    _time_spent(out, section, language, hidden)
    _practices(out, section, language, hidden)
    _station_only(out, section, title, language, protection)


def _hidden_pathways(rows: list[dict], title: str, language: str, protection
                     ) -> dict[str, str]:
    """Pathways whose count is suppressed (small, or complementary to a small one)."""
    protected = protect_counts([r["calls"] for r in rows], total=True)
    hidden = {}
    for i, r in enumerate(rows):
        if protected.primary[0, i]:
            hidden[r["pathway"]] = PRIMARY
        elif protected.complementary[0, i]:
            hidden[r["pathway"]] = COMPLEMENTARY
        if r["pathway"] in hidden:
            protection.log.add(title, label_of(r, language), hidden[r["pathway"]])
    return hidden


def _changes(out: BriefSection, table, language: str, protection) -> None:
    rows = table.records
    reasons: dict[str, str] = {}
    if protection.partner and rows and rows[0]["current"] is not None:
        # the demand row is the column total of the pathway rows
        values = np.array([[r["current"], r["previous"]] for r in rows[1:]], dtype=float)
        protected = protect_table(values, row_totals=False, column_totals=True,
                                  grand_total=False)
        for i, r in enumerate(rows[1:]):
            if protected.interior[i].any():
                reasons[r["group"]] = PRIMARY if protected.primary[i].any() else COMPLEMENTARY
                protection.log.add(label_of(table, language, "title"), label_of(r, language),
                                   reasons[r["group"]], text("masked_change", language))
        if protected.column_totals.any():
            reasons["demand"] = PRIMARY if protected.primary[-1, :-1].any() else COMPLEMENTARY
    out.tables.append(BriefTable(
        table.id, label_of(table, language, "title"),
        [Column("group", word("pathway", language)),
         Column("current", word("recent", language), "int"),
         Column("previous", word("previous", language), "int"),
         Column("difference", word("difference", language), "int"),
         Column("p", "p", "p"),
         Column("p_adjusted", "p ajusté (BH)" if language == "fr" else "adjusted p (BH)", "p")],
        [[label_of(r, language), *(masked(r[k], reasons.get(r["group"])) for k in
                                   ("current", "previous", "difference", "p_value",
                                    "p_adjusted"))] for r in rows],
        in_language(table.note, language)))


def _time_spent(out: BriefSection, section, language: str, hidden: dict[str, str]) -> None:
    table = section.table("calls_time_spent")
    columns = [Column("pathway", word("pathway", language)),
               Column("hours", word("hours", language), "number", 1),
               Column("share", word("hours_share", language), "percent")]
    rows = [[label_of(r, language), masked(r["unit_hours"], hidden.get(r["pathway"])),
             masked(r["share"], hidden.get(r["pathway"]))] for r in table.records]
    out.tables.append(BriefTable("calls_time_spent", label_of(table, language, "title"),
                                 columns, rows, in_language(table.note, language)))


def _practices(out: BriefSection, section, language: str, hidden: dict[str, str]) -> None:
    table = section.table("calls_practices")
    rows = [[r["name_fr"] if language == "fr" else r["name_en"],
             masked(r["calls"], hidden.get(r["pathway"]))] for r in table.records]
    out.tables.append(BriefTable(
        "calls_practices", label_of(table, language, "title"),
        [Column("practice", word("practice", language)),
         Column("calls", word("calls", language), "int")], rows,
        in_language(table.note, language)))


def plan_links(sections: list[BriefSection], records: Sequence[Any],
               options: BriefOptions) -> None:
    """The action plan's priorities and actions about the practices or call demand, under
    the section's practices (a tie known only through a problem card is the station's)."""
    out = next((s for s in sections if s.id == "call_demand" and s.tables), None)
    if out is None:
        return
    language = options.language
    store = RecordStore([r for r in records if isinstance(r, Record)])
    practices = {p.practice_id: p.name(language) for p in catalogue()}
    links = [link for link in call_demand_plan(store, PRACTICE_IDS)
             if not (options.audience == "partner" and link.via_card)]
    if not links:
        out.paragraphs.append(word("plan_none", language))
        return
    rows = [[word("plan_priority" if link.kind == "action_priority" else "plan_action",
                  language, title=link.title),
             practices.get(link.practice_id) or word("plan_calls", language)]
            for link in links]
    out.tables.append(BriefTable(
        "calls_plan", word("plan_title", language),
        [Column("item", word("plan_item", language)),
         Column("link", word("plan_link", language))], rows))


def _station_only(out: BriefSection, section, title: str, language: str, protection) -> None:
    """Cross-tabulations, unmapped types and addresses: internal briefs only."""
    grid = section.table("calls_hour_weekday")
    priorities = section.table("calls_priority_pathway")
    unmapped = section.table("calls_unmapped")
    places = section.table("calls_repeat_places")
    if protection.partner:
        for table in (grid, priorities):
            protection.log.add(label_of(table, language, "title"), "—", WITHHELD,
                               text("withheld_crosstab", language))
        protection.log.add(label_of(unmapped, language, "title"), "—", WITHHELD,
                           word("withheld_types", language))
        protection.log.add(label_of(places, language, "title"), "—", CONFIDENTIAL,
                           word("withheld_places", language))
        return
    fr = language == "fr"
    days = [r[f"weekday_{'fr' if fr else 'en'}"] for r in grid.records[:7]]
    matrix = [[0] * 7 for _ in range(24)]
    for r in grid.records:
        matrix[r["hour"]][r["weekday"]] = r["calls"]
    out.tables.append(BriefTable(
        "calls_hour_weekday", label_of(grid, language, "title"),
        [Column("hour", word("hour", language))] +
        [Column(f"d{d}", day, "int") for d, day in enumerate(days)],
        [[str(h), *matrix[h]] for h in range(24)], in_language(grid.note, language),
        in_pdf=False))
    out.tables.append(BriefTable(
        "calls_priority_pathway", label_of(priorities, language, "title"),
        [Column("priority", word("priority", language))] +
        [Column(p, word(p, language), "int") for p in DEMAND],
        [[r["priority"], *(r[p] for p in DEMAND)] for r in priorities.records],
        in_language(priorities.note, language), in_pdf=False))
    out.tables.append(BriefTable(
        "calls_unmapped", label_of(unmapped, language, "title"),
        [Column("call_type", word("call_type", language)),
         Column("description", word("description", language)),
         Column("calls", word("calls", language), "int")],
        [[r["call_type"], r["description"], r["calls"]] for r in unmapped.records],
        in_language(unmapped.note, language)))
    out.tables.append(BriefTable(
        "calls_repeat_places", label_of(places, language, "title"),
        [Column("place", word("place", language)),
         Column("calls", word("calls", language), "int")],
        [[r["place"], r["calls"]] for r in places.records],
        in_language(places.note, language)))


def _interval(row: dict, language: str) -> str | None:
    if row["share_low"] is None:
        return None
    return f"[{_pct(row['share_low'], language)} ; {_pct(row['share_high'], language)}]"


def _pct(value: float, language: str) -> str:
    shown = f"{value:.1f}"
    return shown.replace(".", ",") if language == "fr" else shown
