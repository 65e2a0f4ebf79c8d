"""The brief's sections on places and people: census profile, hot spots and incident maps,
services and the station comparison (the resident survey: ``brief_surveys``).

Maps are described as plain geometry and values in the workspace's metric CRS (drawn by
``static_maps``). Partner briefs never carry incident points: the incident map is built
from cells with at least ``k`` incidents (``exports.disclosure.cells_with_at_least``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from exports.brief_cells import (
    indicator_columns,
    indicator_row,
    key_figure,
    masked,
)
from exports.brief_model import BriefSection, BriefTable, Column, Figure
from exports.brief_plain import plain, type_list
from exports.brief_sections import indicators_table
from exports.brief_text import definition as definition_of
from exports.brief_text import format_number, text
from exports.brief_text import label as label_of
from exports.disclosure import (
    AGGREGATED,
    PRIMARY,
    SMALL_AREA,
    WITHHELD,
    cells_with_at_least,
    protect_table,
    small_area_mask,
)
from exports.map_streets import street_records, streets_near
from portrait.sections.comparison import INTEGER_COLUMNS
from portrait.sections.crime_trends import windows
from portrait.services import BY_ID as SERVICE_TYPES
from portrait.services import service_type_label
from portrait.wording import in_language

NEIGHBOUR_MARGIN_M = 1500.0
SERVICE_MARGIN_M = 500.0
PDF_HOT_CELLS = 15
#: Small areas without a neighbourhood's name, counted: (one, several) in French, English.
AREA_COUNT = (("aire de diffusion", "aires de diffusion"),
              ("dissemination area", "dissemination areas"))


def _base_map(data, station_id: str) -> dict:
    polygon = data.polygon(station_id)
    near = data.stations[data.stations.intersects(polygon.buffer(NEIGHBOUR_MARGIN_M))]
    neighbours = [(str(s), g) for s, g in zip(near["station_id"], near.geometry, strict=True)
                  if str(s) != station_id]
    return {"station": polygon, "station_label": station_id, "neighbours": neighbours,
            "streets": street_records(streets_near(data.streets, polygon))}


# --- census ----------------------------------------------------------------------------------
def socio_economic(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    out.tables.append(indicators_table(section, language))
    suppressed = next((t for t in section.tables if t.id == "suppressed_areas"), None)
    if suppressed is not None and protection.partner:
        by_rule: dict[str, list[str]] = {}
        for row in suppressed.records:
            by_rule.setdefault(in_language(row.get("rule", ""), language), []).append(
                str(row["area_id"]))
        for rule, area_ids in by_rule.items():
            _log_small_areas(area_ids, label_of(suppressed, language, "title"), data,
                             protection, language, rule)
    for row in suppressed.records if suppressed and not protection.partner else []:
        protection.log.add(label_of(suppressed, language, "title"), str(row["area_id"]),
                           SMALL_AREA, in_language(row.get("rule", ""), language))
    layer = next((m for m in section.map_layers
                  if m.parameters.get("indicator") == options.census_indicator),
                 section.map_layers[0] if section.map_layers else None)
    if layer is not None:
        out.figures.append(_census_figure(layer, data, portrait, options, protection))
    areas = next((t for t in section.tables if t.id == "census_areas"), None)
    if areas is not None:
        fr = language == "fr"
        out.tables.append(BriefTable(
            "census_areas", label_of(areas, language, "title"),
            [Column("area_id", "Aire" if fr else "Area"),
             Column("share", "Part dans le poste" if fr else "Share in station", "number", 3),
             Column("population", "Population", "int"),
             Column("population_in_station", "Population dans le poste" if fr else
                    "Population in station", "int")],
            [[r["area_id"], r["share_in_station"], r["population"], r["population_in_station"]]
             for r in areas.records], areas.note, in_pdf=False))


def _census_figure(layer, data, portrait, options, protection) -> Figure:
    language = options.language
    frame = data.census.areas_frame.set_index("area_id")
    ids = [r["area_id"] for r in layer.records if r["area_id"] in frame.index]
    values = np.array([r["value"] if r["value"] is not None else np.nan
                       for r in layer.records if r["area_id"] in frame.index], dtype=float)
    if protection.partner:  # Statistics Canada's small-area rules, checked again
        population = data.census.areas.values.get("population", pd.Series(dtype=float))
        limit = data.apportion_parameters.min_population_income \
            if "income" in layer.parameters.get("indicator", "") \
            else data.apportion_parameters.min_population
        small = small_area_mask(population.reindex(ids).to_numpy(dtype=float), limit)
        _log_small_areas([str(a) for a in np.array(ids, dtype=object)[small &
                                                                      np.isfinite(values)]],
                         label_of(layer, language, "title"), data, protection, language)
        values = np.where(small, np.nan, values)
    return Figure("census_map", "map_census",
                  text("map_census", language, indicator=label_of(layer, language, "title")),
                  {**_base_map(data, portrait.station_id),
                   "areas": list(frame.loc[ids].geometry), "values": values.tolist(),
                   "unit": layer.parameters.get("unit", ""), "language": language,
                   "legend": label_of(layer, language, "title")})


def _log_small_areas(area_ids: list[str], where: str, data, protection, language: str,
                     detail: str = "") -> None:
    """Small areas left blank for partners, in the disclosure appendix by the name of the
    neighbourhood they lie in, else as a count: a partner never reads an area's code."""
    if not area_ids:
        return
    census = getattr(data, "census", None)
    names = area_names(getattr(census, "areas_frame", None), area_ids)
    for name in sorted(set(names.values())):
        protection.log.add(where, name, SMALL_AREA, detail)
    unnamed = sum(area_id not in names for area_id in area_ids)
    if unnamed:
        words = AREA_COUNT[0 if language == "fr" else 1][unnamed > 1]
        protection.log.add(where, f"{format_number(unnamed, language)} {words}", SMALL_AREA,
                           detail)


# --- places -----------------------------------------------------------------------------------
def crime_places(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    hidden = protection.places
    for indicator_id in ("share_without_location", "top_5pct_cells", "gini_cells",
                         "places_for_80pct_cells", "repeat_locations", "hot_spot_cells"):
        try:
            indicator = section.indicator(indicator_id)
        except KeyError:
            continue
        out.key_figures.append(key_figure(indicator, language, hidden.get(indicator_id)))
    out.figures.append(_incident_figure(portrait, data, options, protection))
    hot = next((m for m in section.map_layers if m.id == "hot_spots"), None)
    table = next((t for t in section.tables if t.id == "hot_spot_cells"), None)
    if protection.partner and protection.station_total and (hot or table) is not None:
        # the hot cells of a handful of incidents are where each of them happened
        protection.log.add(label_of(table or hot, language, "title"), "—", WITHHELD,
                           text("withheld_hot_spots", language))
        hot = table = None
    if hot is not None:
        out.figures.append(_hot_spot_figure(hot, portrait, data, language))
    out.tables.append(indicators_table(section, language, hidden))
    if table is not None:
        fr = language == "fr"
        rows = [[r["cell"], r["x"], r["y"],
                 masked(r["count"], AGGREGATED if r["cell"] in protection.hot_cells else None),
                 r.get("covered"), r["z"], r["p_adjusted"], r["bin"]] for r in table.records]
        out.tables.append(BriefTable(
            "hot_spot_cells", label_of(table, language, "title"),
            [Column("cell", "Cellule" if fr else "Cell", "int"),
             Column("x", "x", "number", 0), Column("y", "y", "number", 0),
             Column("count", "Incidents", "int"),
             Column("covered", "Part couverte" if fr else "Covered share", "number", 2),
             Column("z", "z", "number", 2),
             Column("p_adjusted", "p ajusté (BH)" if fr else "adjusted p (BH)", "p"),
             Column("bin", "Classe" if fr else "Bin", "int")], rows, table.note,
            pdf_max_rows=PDF_HOT_CELLS))
    lorenz = next((t for t in section.tables if t.id == "lorenz_cells"), None)
    if lorenz is not None and protection.partner:
        # its shares times the station's total give every cell's count, small ones too
        protection.log.add(label_of(lorenz, language, "title"), "—", WITHHELD,
                           text("withheld_lorenz", language))
    elif lorenz is not None:
        out.tables.append(BriefTable(
            "lorenz_cells", label_of(lorenz, language, "title"),
            [Column("places", "Part des cellules" if language == "fr" else "Share of cells",
                    "number", 3),
             Column("incidents", "Part des incidents" if language == "fr" else
                    "Share of incidents", "number", 3)],
            [[r["share_of_places"], r["share_of_incidents"]] for r in lorenz.records],
            lorenz.note, chart="line", chart_columns=[1], in_pdf=False))


def _station_points(portrait, data) -> tuple[np.ndarray, np.ndarray]:
    frame, _ = data.incidents.of(portrait.station_id)
    if portrait.period is not None and len(frame):
        dates = frame["date"].to_numpy()
        start, end = (np.datetime64(d) for d in portrait.period)
        frame = frame[(dates >= start) & (dates <= end + np.timedelta64(1, "D"))]
    frame = frame[frame["located"].to_numpy()]
    return frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)


def _incident_figure(portrait, data, options, protection) -> Figure:
    language = options.language
    x, y = _station_points(portrait, data)
    base = _base_map(data, portrait.station_id)
    if not protection.partner:
        return Figure("incidents_map", "map_incidents", text(
            "map_incidents_points", language, count=format_number(x.size, language)),
            {**base, "x": x, "y": y})
    cells = cells_with_at_least(x, y, options.cell_size_m, options.min_cell_count)
    title = text("map_incident_cells", language, size=int(options.cell_size_m),
                 k=options.min_cell_count)
    # Neither the incidents counted nor those left out: with the squares drawn, either
    # gives back the station's total, which the tables may hide.
    protection.log.add(title, "—", AGGREGATED, text("cells_not_drawn", language,
                                                    k=options.min_cell_count))
    return Figure("incidents_map", "map_incident_cells", title,
                  {**base, "boxes": cells.boxes(), "counts": cells.counts,
                   "k": options.min_cell_count})


def _hot_spot_figure(layer, portrait, data, language: str) -> Figure:
    p = layer.parameters
    size = float(p["cell_size_m"])
    boxes = np.array([[p["origin_x"] + r["col"] * size, p["origin_y"] + r["row"] * size,
                       p["origin_x"] + (r["col"] + 1) * size,
                       p["origin_y"] + (r["row"] + 1) * size] for r in layer.records])
    return Figure("hot_spot_map", "map_hot_spots",
                  text("map_hot_spots", language, size=int(size)),
                  {**_base_map(data, portrait.station_id), "boxes": boxes,
                   "bins": [r["bin"] for r in layer.records], "language": language})


# --- services ---------------------------------------------------------------------------------
def services(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    fr = language == "fr"
    located = data.services[data.services["located"]]
    polygon = data.polygon(portrait.station_id)
    near = shapely.dwithin(polygon, shapely.points(located["x"].to_numpy(),
                                                   located["y"].to_numpy()), SERVICE_MARGIN_M)
    chosen = located[near]
    out.figures.append(Figure("services_map", "map_services", text("map_services", language), {
        **_base_map(data, portrait.station_id), "x": chosen["x"].to_numpy(),
        "y": chosen["y"].to_numpy(),
        "types": [service_type_label(t, language) if isinstance(t, str) else "?"
                  for t in chosen["service_type"]]}))
    services_list = BriefTable(
        "services_list", text("services_list", language),
        [Column("name", "Nom" if fr else "Name"), Column("type", "Type"),
         Column("address", "Adresse" if fr else "Address")],
        sorted([[str(name), service_type_label(kind, language) if kind in SERVICE_TYPES
                 else text("not_given", language),
                 str(address) if isinstance(address, str) else "–"]
                for name, kind, address in zip(
                    chosen["name"], chosen["service_type"],
                    chosen["address"] if "address" in chosen else [None] * len(chosen),
                    strict=True)],
               key=lambda row: row[0].casefold()),
        in_pdf=False)
    listed = indicators_table(section, language)
    listed.in_pdf = False  # the coverage columns of the table by type say the same
    out.tables.append(listed)
    by_type = next((t for t in section.tables if t.id == "services_by_type"), None)
    if by_type is not None and by_type.records:
        coverage = [c for c in by_type.columns if c.startswith("coverage_")]
        out.tables.append(BriefTable(
            "services_by_type", label_of(by_type, language, "title"),
            [Column("type", "Type"), Column("in_station", "Dans le poste" if fr else
                                            "In station", "int"),
             Column("within_buffer", "À proximité" if fr else "Nearby", "int"),
             Column("per_1000", "Pour 1 000 rés." if fr else "Per 1,000 res.", "number", 2)] +
            [Column(c, ("Résidents à " if fr else "Residents within ") + c.split("_")[1],
                    "percent") for c in coverage],
            [[label_of(r, language), r["in_station"], r["within_buffer"],
              r["per_1000_residents"], *[r[c] for c in coverage]] for r in by_type.records],
            by_type.note, chart="bar", chart_columns=[1]))
    gaps = next((t for t in section.tables if t.id == "gaps"), None)
    if gaps is not None and gaps.records:
        census = getattr(data, "census", None)
        names = area_names(getattr(census, "areas_frame", None),
                           [str(r["area_id"]) for r in gaps.records])
        # with named areas, the neighbourhood first and the code beside it
        place = [Column("area_id", "Secteur" if fr else "Neighbourhood"),
                 Column("area_code", "Aire de diffusion" if fr else "Dissemination area")] \
            if names else [Column("area_id", "Aire" if fr else "Area")]
        out.tables.append(BriefTable(
            "gaps", label_of(gaps, language, "title"),
            [*place,
             Column("low_income_rate", "Faible revenu" if fr else "Low income", "percent"),
             Column("population", "Population", "int"),
             Column("missing", "Types hors d'atteinte" if fr else "Types out of reach")],
            [[*([names.get(str(r["area_id"]), "–"), r["area_id"]] if names else
                [r["area_id"]]),
              r["low_income_rate"], r["population_in_station"],
              type_list(r["missing_types"], language)] for r in gaps.records], gaps.note,
            in_pdf=not protection.partner))
    out.tables.append(services_list)


def area_names(areas, area_ids: list[str]) -> dict[str, str]:
    """Area id -> the name of the named area (a neighbourhood, a local area) it lies in,
    the smallest when several hold it: partners know their neighbourhood, not its
    dissemination areas' codes. Empty without a named-area layer."""
    if areas is None or not len(areas) or "name" not in areas:
        return {}
    names = areas["name"].astype(object)
    named = areas[names.notna() & (names.astype(str) != areas["area_id"].astype(str))]
    if named.empty:
        return {}
    by_id = areas.set_index(areas["area_id"].astype(str))
    sizes = named.geometry.area
    out = {}
    for area_id in area_ids:
        if area_id not in by_id.index:
            continue
        point = by_id.geometry.loc[[area_id]].iloc[0].representative_point()
        holding = named[named.geometry.contains(point) &
                        (named["area_id"].astype(str) != area_id)]
        if len(holding):
            out[area_id] = str(holding.loc[sizes.loc[holding.index].idxmin(), "name"])
    return out


# --- comparison -------------------------------------------------------------------------------
#: Comparison columns computed from a station's incident total: hidden with it.
_FROM_TOTAL = ("incidents", "incidents_rate", "incidents_rate_vs_rest", "change_12_months")
PDF_COMPARISON = ("population", "incidents_rate", "low_income_rate", "change_12_months",
                  "services_per_1000")


def station_comparison(out: BriefSection, section, portrait, data, options, protection) -> None:
    language = options.language
    stations = section.tables[0]
    described = {c["id"]: c for c in section.tables[1].records}
    ids = [c for c in stations.columns if c not in ("station_id", "is_station")
           and not c.endswith(("_low", "_high", "_p_value"))]

    def column(cid: str) -> Column:
        found = described.get(cid, {})
        kind = "percent" if found.get("unit") == "%" else (
            "text" if cid == "name" else "int" if cid in INTEGER_COLUMNS else "number")
        return Column(cid, label_of(found, language) or cid, kind, 2 if kind == "number" else 1)

    def row(record: dict, chosen: list[str]) -> list:
        station_id = str(record["station_id"])
        cells = []
        for cid in chosen:
            key = cid.removeprefix("rate_") if cid.startswith("rate_") else cid
            if cid in _FROM_TOTAL:  # a rate times the published population is the count
                key = "incidents"
            reason = protection.comparison.get((station_id, key))
            if station_id == portrait.station_id and cid.startswith("rate_"):
                reason = protection.categories.get(key)
            if cid == "change_12_months":  # current minus previous: either could be hidden
                reason = reason or protection.comparison.get((station_id, cid))
            if cid in _FROM_TOTAL and station_id == portrait.station_id:
                reason = protection.station_total
                if cid == "change_12_months":
                    reason = reason or protection.changes.get("last_12_months", {}).get("all")
            cells.append(masked(record.get(cid), reason))
        return cells

    if protection.partner:
        names = {str(r["station_id"]): str(r.get("name") or r["station_id"])
                 for r in stations.records}
        for station_id in _hidden_changes(data, portrait, protection):
            if station_id != portrait.station_id and station_id in names:
                protection.comparison.setdefault((station_id, "change_12_months"), PRIMARY)
                protection.log.add(label_of(stations, language, "title"), names[station_id],
                                   PRIMARY, text("masked_change", language))
    pdf_ids = ["name"] + [c for c in PDF_COMPARISON if c in ids]
    for chosen, in_pdf, table_id in ((pdf_ids, True, "stations_summary"),
                                     (ids, False, "stations")):
        out.tables.append(BriefTable(
            table_id, label_of(stations, language, "title"), [column(c) for c in chosen],
            [row(r, chosen) for r in stations.records], stations.note, in_pdf=in_pdf))
    out.tables.append(BriefTable("columns", "Colonnes" if language == "fr" else "Columns",
                                 indicator_columns(language)[:1] +
                                 [Column("definition", text("definition", language))],
                                 [[label_of(c, language),
                                   plain(definition_of(c, language), language)]
                                  for c in section.tables[1].records], in_pdf=False))


def _hidden_changes(data, portrait, protection) -> list[str]:
    """The stations whose own partner brief hides its last 12 months' or previous 12 months'
    total: the comparison's change (one minus the other) beside the total it shows would
    give the hidden one back. Each station's categories over the two windows are protected
    as its own "change over time" table protects them (small counts and their complements,
    the totals as margins)."""
    if not portrait.period:
        return []
    # the same for every station's brief of the period: worked out once per prepared data
    cache = getattr(data, "cache", None)
    key = ("brief_hidden_changes", portrait.period[1], tuple(sorted(protection.limits.items())))
    if isinstance(cache, dict) and key in cache:
        return cache[key]
    current_start, current_end, previous_start, previous_end = \
        windows(pd.Timestamp(portrait.period[1]))["last_12_months"]
    current = data.period_counts(current_start, current_end).by_category
    previous = data.period_counts(previous_start, previous_end).by_category
    categories = sorted(set(current.columns) | set(previous.columns))
    current = current.reindex(columns=categories, fill_value=0)
    previous = previous.reindex(index=current.index.union(previous.index),
                                columns=categories, fill_value=0)
    current = current.reindex(index=previous.index, fill_value=0)
    hidden = []
    for station_id in previous.index:
        values = np.column_stack([current.loc[station_id].to_numpy(dtype=float),
                                  previous.loc[station_id].to_numpy(dtype=float)])
        protected = protect_table(values, row_totals=False, column_totals=True,
                                  grand_total=False, **protection.limits)
        if protected.primary[-1, :2].any() or protected.complementary[-1, :2].any():
            hidden.append(str(station_id))
    if isinstance(cache, dict):
        cache[key] = hidden
    return hidden


__all__ = ["socio_economic", "crime_places", "services", "station_comparison",
           "indicator_row"]
