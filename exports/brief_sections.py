"""The brief's sections on crime: counts by category, change over time, issues; the key
figures page; and the registry of section writers.

Each writer turns one portrait section into a ``BriefSection`` in the reader's language,
reading the partner masks from ``Protection``: a hidden count takes its rate, interval,
location quotient, difference and test with it.
"""

from __future__ import annotations

import dataclasses

from exports.brief_cells import (
    indicator_columns,
    indicator_row,
    interval_cell,
    key_figure,
    masked,
)
from exports.brief_model import BriefSection, BriefTable, Column, Figure, KeyFigure
from exports.brief_protection import change_rows, partner_note
from exports.brief_text import format_level, text
from exports.brief_text import label as label_of
from exports.disclosure import WITHHELD
from portrait.service_words import in_use
from portrait.wording import in_language

KEY_FIGURES = (
    ("socio_economic", "population"), ("socio_economic", "low_income_rate"),
    ("socio_economic", "median_household_income"), ("crime", "incidents_total"),
    ("crime", "incidents_rate"), ("crime_trends", "change_last_12_months_all"),
    ("crime_trends", "change_year_to_date_all"), ("crime_places", "hot_spot_cells"),
    ("services", "services_in_station"),
)
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
             "nov.", "déc.")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")


def month_name(month: int, language: str) -> str:
    return (MONTHS_FR if language == "fr" else MONTHS_EN)[month - 1]


def key_figures(portrait, options, protection) -> list[KeyFigure]:
    """The headline numbers of the first page, masked like everywhere else."""
    out = []
    for section_id, indicator_id in KEY_FIGURES:
        figure = masked_key_figure(portrait, section_id, indicator_id, options, protection)
        if figure is not None:
            out.append(figure)
    return out


def masked_key_figure(portrait, section_id: str, indicator_id: str, options,
                      protection) -> KeyFigure | None:
    """One indicator as a headline, masked as the key figures page masks it; None when the
    portrait does not have it."""
    section = next((s for s in portrait.sections if s.id == section_id), None)
    if section is None:
        return None
    try:
        indicator = section.indicator(indicator_id)
    except KeyError:
        return None
    return key_figure(indicator, options.language, _hidden(indicator_id, protection)
                      or protection.places.get(indicator_id))


def _hidden(indicator_id: str, protection) -> str | None:
    if indicator_id in ("incidents_total", "incidents_rate"):
        return protection.station_total
    for window in ("last_12_months", "year_to_date"):
        if indicator_id == f"change_{window}_all":
            return protection.changes.get(window, {}).get("all")
    return None


def section_base(section, language: str) -> BriefSection:
    out = BriefSection(section.id, label_of(section, language, "title"))
    if section.reason:
        out.paragraphs.append(in_language(section.reason, language))
    out.notes.extend(in_language(note, language) for note in section.notes)
    return out


# --- crime: categories ---------------------------------------------------------------------
def crime(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    hidden = protection.categories
    for indicator_id in ("incidents_total", "incidents_rate"):
        out.key_figures.append(key_figure(section.indicator(indicator_id), language,
                                          protection.station_total))
    table = section.table("categories")
    rate_unit = "per 1,000 residents per year"
    rows = []
    for r in table.records:
        reason = hidden.get(r["category"])
        rows.append([label_of(r, language), masked(r["count"], reason),
                     interval_cell(r["count_low"], r["count_high"], "incidents", language,
                                   reason),
                     masked(r["rate"], reason),
                     interval_cell(r["rate_low"], r["rate_high"], rate_unit, language, reason),
                     masked(r["city_rate"], protection.city.get(r["category"])),
                     masked(r["lq"], reason or protection.city.get(r["category"])),
                     interval_cell(r["lq_low"], r["lq_high"], "ratio", language,
                                   reason or protection.city.get(r["category"]))])
    total = section.indicator("incidents_total").value
    rows.append([text("total", language), masked(total, protection.station_total), None,
                 None, None, None, None, None])
    fr = language == "fr"
    columns = [Column("category", "Catégorie" if fr else "Category"),
               Column("count", "Incidents", "int"),
               Column("count_ci", text("ci", language, level=format_level(0.95, language))),
               Column("rate", "Taux / 1 000 / an" if fr else "Rate / 1,000 / yr", "number", 2),
               Column("rate_ci", text("ci", language, level=format_level(0.95, language))),
               Column("city_rate", "Taux ville" if fr else "City rate", "number", 2),
               Column("lq", "QL" if fr else "LQ", "number", 2),
               Column("lq_ci", text("ci", language, level=format_level(0.95, language)))]
    out.tables.append(BriefTable("categories", label_of(table, language, "title"), columns,
                                 rows, table.note, chart="bar", chart_columns=[1]))
    shown = [(row[0], row[1]) for row in rows[:-1]]
    out.figures.append(Figure("categories_chart", "chart_categories",
                              text("chart_categories", language),
                              {"labels": [s[0] for s in shown], "values": [s[1] for s in shown]}))
    by_year = section.table("by_category_year")
    if protection.partner:
        protection.log.add(label_of(by_year, language, "title"), "—", WITHHELD,
                           text("withheld_crosstab", language))
    else:
        out.tables.append(BriefTable(
            "by_category_year", label_of(by_year, language, "title"),
            [Column("category", "Catégorie" if fr else "Category"),
             Column("year", "Année" if fr else "Year", "int"),
             Column("count", "Incidents", "int"),
             Column("partial", "Année partielle" if fr else "Partial year")],
            [[label_of(r, language), r["year"], r["count"],
              text("yes" if r["partial_year"] else "no", language)] for r in by_year.records],
            by_year.note, in_pdf=False))


# --- change over time ------------------------------------------------------------------------
def crime_trends(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    fr = language == "fr"
    for window in ("last_12_months", "year_to_date"):
        try:
            indicator = section.indicator(f"change_{window}_all")
        except KeyError:
            continue
        out.key_figures.append(key_figure(indicator, language,
                                          protection.changes.get(window, {}).get("all")))
    _time_figures(section, out, language, protection)
    for table in section.tables:
        if not table.id.startswith("changes_"):
            continue
        window = table.id.removeprefix("changes_")
        hidden = protection.changes.get(window, {})
        cells = protection.change_cells.get(window, {})
        rows = []
        for r in change_rows(table, protection.partner):
            reason = hidden.get(r["group"])
            rows.append([label_of(r, language),
                         masked(r["current"], cells.get((r["group"], "current"))),
                         masked(r["previous"], cells.get((r["group"], "previous"))),
                         masked(r["difference"], reason),
                         masked(r["p_value"], reason), masked(r["p_adjusted"], reason),
                         masked(in_language(r["method"], language), reason)])
        out.tables.append(BriefTable(
            table.id, label_of(table, language, "title"),
            [Column("group", "Catégorie" if fr else "Category"),
             Column("current", "Période récente" if fr else "Recent period", "int"),
             Column("previous", "Période précédente" if fr else "Previous period", "int"),
             Column("difference", "Écart" if fr else "Difference", "int"),
             Column("p", "p", "p"), Column("p_adjusted", "p ajusté (BH)" if fr else
                                           "adjusted p (BH)", "p"),
             Column("method", "Méthode" if fr else "Method")], rows, table.note))


def _time_figures(section, out: BriefSection, language: str, protection) -> None:
    fr = language == "fr"
    monthly = _table(section, "monthly")
    if monthly is not None:
        rows = [[r["month"], masked(r["count"], protection.months.get(r["month"]))]
                for r in monthly.records]
        out.figures.append(Figure("monthly_chart", "chart_monthly",
                                  text("chart_monthly", language),
                                  {"months": [r[0] for r in rows], "values": [r[1] for r in rows]}))
        out.tables.append(BriefTable("monthly", label_of(monthly, language, "title"),
                                     [Column("month", text("month", language)),
                                      Column("count", "Incidents", "int")], rows, monthly.note,
                                     chart="line", chart_columns=[1], in_pdf=False))
    seasonality = _table(section, "seasonality")
    if seasonality is not None:
        rows = []
        for r in seasonality.records:
            reason = protection.seasons.get(r["month"])
            # the expected count is the station's total spread over the days: hidden with it
            derived = reason or protection.station_total
            rows.append([month_name(r["month"], language), masked(r["count"], reason),
                         masked(r["expected"], derived), masked(r["index"], derived)])
        out.figures.append(Figure("seasonality_chart", "chart_seasonality",
                                  text("chart_seasonality", language),
                                  {"labels": [r[0] for r in rows], "values": [r[3] for r in rows]}))
        out.tables.append(BriefTable(
            "seasonality", label_of(seasonality, language, "title"),
            [Column("month", text("month", language)), Column("count", "Incidents", "int"),
             Column("expected", "Attendu" if fr else "Expected", "number", 1),
             Column("index", "Indice" if fr else "Index", "number", 2)], rows,
            seasonality.note, chart="bar", chart_columns=[3], in_pdf=False))
    grid = _table(section, "time_grid")
    if grid is not None and grid.records and protection.partner:
        grid = dataclasses.replace(grid, note=partner_note(grid.note))
    if grid is not None and grid.records:
        slot = grid.columns[0]
        slots = list(dict.fromkeys(r[slot] for r in grid.records))
        words = in_use()  # shifts by the service's own names
        days = [r[f"weekday_{'fr' if fr else 'en'}"] for r in grid.records[:7]]
        matrix = [[None] * 7 for _ in slots]
        for r in grid.records:
            reason = protection.grid.get((str(r[slot]), int(r["weekday"])))
            matrix[slots.index(r[slot])][r["weekday"]] = masked(r["count"], reason)
        out.figures.append(Figure("time_grid_chart", "chart_grid", text("chart_grid", language),
                                  {"rows": [words.shift_name(s, language) for s in slots],
                                   "columns": days,
                                   "values": matrix}, in_language(grid.note, language)))
        out.tables.append(BriefTable(
            "time_grid", label_of(grid, language, "title"),
            [Column(slot, "Heure" if slot == "hour" else ("Quart" if fr else "Shift"))] +
            [Column(f"d{d}", day, "int") for d, day in enumerate(days)],
            [[words.shift_name(s, language), *matrix[i]] for i, s in enumerate(slots)],
            grid.note, in_pdf=False))


# --- issues -----------------------------------------------------------------------------------
def issues(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    fr = language == "fr"
    table = section.tables[0]
    rows = []
    for r in table.records:
        reason = protection.tags.get(r["tag"])
        change = protection.tag_changes.get(r["tag"])
        rows.append([label_of(r, language), masked(r["count"], reason), masked(r["rate"], reason),
                     interval_cell(r["rate_low"], r["rate_high"], "rate", language, reason),
                     masked(r["lq"], reason), masked(r["change_12_months"], change),
                     masked(r["change_p_adjusted"], change)])
    out.tables.append(BriefTable(
        "issues", label_of(table, language, "title"),
        [Column("tag", "Enjeu" if fr else "Issue"), Column("count", "Incidents", "int"),
         Column("rate", "Taux / 1 000 / an" if fr else "Rate / 1,000 / yr", "number", 2),
         Column("rate_ci", text("ci", language, level=format_level(0.95, language))),
         Column("lq", "QL" if fr else "LQ", "number", 2),
         Column("change", "Écart 12 mois" if fr else "12-month change", "int"),
         Column("p_adjusted", "p ajusté (BH)" if fr else "adjusted p (BH)", "p")],
        rows, table.note))


def indicators_table(section, language: str, hidden: dict[str, str] | None = None,
                     table_id: str = "indicators") -> BriefTable:
    """Every indicator of a section, one per row (value in its own unit)."""
    hidden = hidden or {}
    rows = [indicator_row(i, language, hidden.get(i.id)) for i in section.indicators]
    return BriefTable(table_id, "Indicateurs" if language == "fr" else "Indicators",
                      indicator_columns(language), rows)


def _table(section, table_id: str):
    for table in section.tables:
        if table.id == table_id:
            return table
    return None


def station_area_km2(data, station_id: str) -> float | None:
    try:
        return float(data.polygon(station_id).area) / 1e6
    except (IndexError, KeyError, AttributeError):
        return None
