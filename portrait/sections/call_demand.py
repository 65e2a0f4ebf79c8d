"""Call demand: how much of the station's calls a call-back unit, a crisis team or another
service could take.

Demand is the calls from the public (see ``portrait.calls``). Shares of demand carry Wilson
intervals; the share that could be diverted is also given as a range across the pathway
table's uncertain rules, because that uncertainty (is a welfare check a crisis call or a police
one?) is larger than the sampling one. Changes over time use the same windows and tests as
incidents. Unit time is given only where the export has clear times; otherwise the section
says it counts calls only. Repeat-call places are for the station's own use: the partner
brief never shows an address.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from pyproj import Transformer

from portrait.calls.demand import call_demand
from portrait.calls.pathways import (
    DEMAND,
    DIVERTIBLE,
    LABELS,
    PATHWAYS,
    UNMAPPED,
    Classified,
    PathwayTable,
)
from portrait.calls.prepared import PreparedCalls, prepare_calls
from portrait.crs import MAP_CRS
from portrait.portrait_model import IndicatorValue, Section, Table
from portrait.records.best_practices import catalogue
from portrait.sections.common import (
    StationContext,
    change_indicator,
    count_indicator,
    period_text,
    proportion_indicator,
)
from portrait.sections.crime_trends import LABELS as WINDOW_LABELS
from portrait.sections.crime_trends import WEEKDAYS_EN, WEEKDAYS_FR, windows
from portrait.statistics.multiple_testing import benjamini_hochberg
from portrait.statistics.proportions import wilson_interval
from portrait.statistics.rates import change_test

ID = "call_demand"
TITLE_FR, TITLE_EN = "Demande d'appels", "Call demand"
#: Size of the grid cells that group located calls into places when there is no address.
PLACE_CELL_M = 100.0
#: Repeat-call places listed at most.
MAX_PLACES = 25
#: Best-practice entries that take each divertible pathway's calls.
PRACTICES = {"deferrable": "call_back_unit", "crisis": "mental_health_co_response"}
CALLS_UNIT = "calls"
RANGE_CAVEAT = ("the range sets each uncertain rule of the pathway table (e.g. welfare checks: "
                "crisis team or police) to one assumption or the other")


def prepared(context: StationContext) -> PreparedCalls | None:
    """The workspace's calls, classified once and kept in the data's cache."""
    data = context.data
    if "calls" not in data.cache:  # read from storage station by station: set beforehand
        if data.calls is None or data.calls.empty:
            return None
        table = PathwayTable.of_workspace(data.call_pathways)
        data.cache["calls"] = prepare_calls(data.calls, table)
    return data.cache["calls"]


def build(context: StationContext) -> Section:
    calls = prepared(context)
    if calls is None:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="the workspace holds no calls for service")
    start, end = _period(context, calls)
    station_all, found_all = calls.of(context.station_id)
    inside = _between(station_all["received"], start, end)
    frame = station_all.loc[inside]
    found = _subset(found_all, inside)
    if frame.empty:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no call for service in the station during the period")
    level = context.options.confidence_level
    demand = call_demand(frame, calls.table, level, classified=found)
    common = dict(source=", ".join(calls.sources), period=period_text(start, end),
                  vintage=f"calls from {calls.first.date().isoformat()} to "
                          f"{calls.last.date().isoformat()}")
    indicators = _indicators(demand, common, level)
    unplaced = calls.unplaced(start, end)
    indicators.append(IndicatorValue(
        "calls_not_placed", "Appels qui n'ont pu être rattachés à un poste (ville)",
        "Calls that could not be placed in a station (city)", float(unplaced), CALLS_UNIT,
        definition="Calls of the whole city in the period with no station, no point inside a "
                   "station and no area code in the area -> station table: counted at city "
                   "level only.",
        definition_fr="Appels de toute la ville pendant la période sans poste, sans point dans "
                      "un poste et sans secteur dans la table secteur -> poste : comptés au "
                      "niveau de la ville seulement.", **common))
    change_tables = []
    for window in windows(end):
        changes, change_table = _changes(window, station_all, found_all, end, calls, context,
                                         common)
        indicators += changes
        change_tables.append(change_table)
    time_table, time_indicator = _time_spent(frame, found, common)
    indicators.append(time_indicator)
    tables = [
        _pathway_table(demand, found, calls.table, level),
        _grid(frame, found),
        _priorities(frame, found),
        *change_tables,
        time_table,
        _unmapped(demand),
        _places(frame, found, context.options.repeat_call_threshold, context.data.crs),
        _practices(demand),
    ]
    context.parameters["call_demand"] = {
        "pathway_table": calls.table.version,
        "pathway_table_changes": calls.table.changes_from_default(),
        "period": period_text(start, end),
        "repeat_call_threshold": context.options.repeat_call_threshold,
        "place_cell_m": PLACE_CELL_M,
        "calls_without_station": calls.without_station,
        "unit_times": calls.has_unit_times,
    }
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables)


def _period(context: StationContext, calls: PreparedCalls
            ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The portrait's period, or the calls' own span when the workspace has no incidents."""
    if context.start is not None and context.end is not None:
        return context.start, context.end
    return calls.first.normalize(), calls.last.normalize()


def _between(received: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    values = received.to_numpy()
    return (values >= np.datetime64(start)) & \
        (values < np.datetime64(end + pd.Timedelta(days=1)))


def _subset(found: Classified, mask: np.ndarray) -> Classified:
    return Classified(found.pathway[mask], found.alternative[mask], found.rule[mask],
                      found.self_initiated[mask])


def _indicators(demand, common: dict, level: float) -> list[IndicatorValue]:
    counts = [
        count_indicator("calls_total", "Appels de service", "Calls for service", demand.total,
                        definition="Every call recorded for the station during the period, "
                                   "self-initiated activity included.",
                        definition_fr="Tous les appels inscrits pour le poste pendant la "
                                      "période, activité amorcée par les policiers comprise.",
                        level=level, context={"self_initiated": demand.self_initiated},
                        **common),
        count_indicator("calls_demand", "Appels du public (demande)",
                        "Calls from the public (demand)", demand.demand,
                        definition="Calls from the public that need a response: not "
                                   "self-initiated, cancelled, duplicate or administrative, and "
                                   "of a call type the pathway table knows.",
                        definition_fr="Appels du public qui demandent une réponse : ni amorcés "
                                      "par les policiers, ni annulés, ni en double, ni "
                                      "administratifs, et d'un type connu de la table.",
                        level=level, context={"unmapped": demand.by_pathway.get(UNMAPPED, 0)},
                        **common),
    ]
    out = [replace(item, unit=CALLS_UNIT) for item in counts]
    for pathway in DEMAND:
        label_fr, label_en = LABELS[pathway]
        share = wilson_interval(demand.by_pathway.get(pathway, 0), demand.demand, level)
        out.append(proportion_indicator(
            f"calls_share_{pathway}", f"{label_fr} : part de la demande",
            f"{label_en}: share of demand", share,
            definition="Share of the calls from the public that the pathway table gives to "
                       "this response.",
            definition_fr="Part des appels du public que la table des réponses attribue à "
                          "cette réponse.", context={"calls": demand.by_pathway.get(pathway, 0)},
            **common))
    diverted = wilson_interval(demand.diverted, demand.demand, level)
    out.append(proportion_indicator(
        "calls_diverted", "Part de la demande qu'un autre service pourrait prendre",
        "Share of demand another response could take", diverted,
        definition="Calls from the public the table gives to a call-back unit, a crisis team "
                   "or another service, as a share of demand.",
        definition_fr="Appels du public que la table confie à une unité de rappel, à une équipe "
                      "de crise ou à un autre service, en part de la demande.",
        caveats=[RANGE_CAVEAT],
        context={"calls": demand.diverted, "range_low": demand.diverted_range.low,
                 "range_high": demand.diverted_range.high,
                 "range_method": demand.diverted_range.method}, **common))
    return out


def _pathway_table(demand, found: Classified, table: PathwayTable, level: float) -> Table:
    rows = []
    for pathway in (*PATHWAYS, UNMAPPED):
        count = demand.by_pathway.get(pathway, 0)
        in_demand = pathway in DEMAND
        share = wilson_interval(count, demand.demand, level) if in_demand else None
        other = int(np.sum((found.alternative == pathway) & (found.pathway != pathway)))
        rows.append({"pathway": pathway, "label_fr": LABELS[pathway][0],
                     "label_en": LABELS[pathway][1], "calls": count,
                     "share": _pct(share.value) if share else None,
                     "share_low": _pct(share.low) if share else None,
                     "share_high": _pct(share.high) if share else None,
                     "other_assumption_adds": other})
    return Table("calls_by_pathway", "Appels par réponse", "Calls by pathway",
                 list(rows[0]), rows,
                 f"Shares of demand (calls from the public) with Wilson intervals; "
                 f"other_assumption_adds: calls an uncertain rule would move to this pathway. "
                 f"Pathway table: {table.version}.")


def _grid(frame: pd.DataFrame, found: Classified) -> Table:
    demand = found.among(DEMAND)
    received = frame["received"][demand]
    grid = np.zeros((24, 7), dtype=np.int64)
    np.add.at(grid, (received.dt.hour.to_numpy(), received.dt.day_of_week.to_numpy()), 1)
    rows = [{"hour": h, "weekday": d, "weekday_fr": WEEKDAYS_FR[d], "weekday_en": WEEKDAYS_EN[d],
             "calls": int(grid[h, d])} for h in range(24) for d in range(7)]
    return Table("calls_hour_weekday", "Appels du public par heure et jour de la semaine",
                 "Calls from the public by hour and weekday",
                 ["hour", "weekday", "weekday_fr", "weekday_en", "calls"], rows,
                 "Hour of the time the call was received.")


def _priorities(frame: pd.DataFrame, found: Classified) -> Table:
    demand = found.among(DEMAND)
    codes, raw = pd.factorize(frame["priority"][demand].reset_index(drop=True))
    labels = [str(v).strip() for v in raw] + [""]
    codes = np.where(codes < 0, len(raw), codes)
    pathway = found.pathway[demand]
    counts = np.zeros((len(labels), len(DEMAND)), dtype=np.int64)
    for number, name in enumerate(DEMAND):
        counts[:, number] = np.bincount(codes[pathway == name], minlength=len(labels))
    merged: dict[str, np.ndarray] = {}
    for label, row in zip(labels, counts, strict=True):
        merged[label] = merged.get(label, 0) + row
    rows = [{"priority": p or "—", **{k: int(merged[p][j]) for j, k in enumerate(DEMAND)}}
            for p in sorted(merged, key=_priority_key) if merged[p].sum()]
    return Table("calls_priority_pathway", "Appels du public par priorité et réponse",
                 "Calls from the public by priority and pathway", ["priority", *DEMAND], rows,
                 "Priorities as the dispatch system writes them (often 0 or 1 = most urgent).")


def _priority_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _changes(window: str, frame: pd.DataFrame, found: Classified, end: pd.Timestamp,
             calls: PreparedCalls, context: StationContext, common: dict
             ) -> tuple[list[IndicatorValue], Table]:
    """One of the incidents' comparisons (last 12 months against the 12 before, year to
    date against the same days a year earlier), per pathway, with the same tests."""
    current_start, current_end, previous_start, previous_end = windows(end)[window]
    label_fr, label_en = WINDOW_LABELS[window]
    reason = None
    if calls.first is None or calls.first.normalize() > previous_start:
        reason = (f"the calls start on {calls.first.date()}: no full previous period to "
                  "compare with")
    current = _between(frame["received"], current_start, current_end)
    previous = _between(frame["received"], previous_start, previous_end)
    exposure = ((current_end - current_start).days + 1) / \
        ((previous_end - previous_start).days + 1)
    groups = [("demand", "Appels du public", "Calls from the public",
               found.among(DEMAND))]
    groups += [(p, *LABELS[p], found.pathway == p) for p in DEMAND]
    source = {**common, "period": f"{period_text(current_start, current_end)} vs "
                                  f"{period_text(previous_start, previous_end)}"}
    indicators, rows, p_values = [], [], []
    for group, fr, en, mask in groups:
        test = None if reason else change_test(int(np.sum(current & mask)),
                                               int(np.sum(previous & mask)), exposure,
                                               context.options.small_count)
        p_values.append(np.nan if test is None or group == "demand" else test.p_value)
        indicators.append(replace(change_indicator(
            f"calls_change_{window}_{group}", f"{fr} : {label_fr.lower()}", f"{en}: {label_en}",
            test,
            definition=f"{label_en}: difference in calls, with a test of equal rates.",
            definition_fr=f"{label_fr} : différence du nombre d'appels, avec un test "
                          "d'égalité des taux.", reason=reason, **source),
            unit=f"{CALLS_UNIT} (difference)"))
        rows.append({"group": group, "label_fr": fr, "label_en": en,
                     "current": None if test is None else test.current,
                     "previous": None if test is None else test.previous,
                     "difference": None if test is None else test.difference,
                     "p_value": None if test is None else test.p_value,
                     "method": None if test is None else test.method})
    adjusted = benjamini_hochberg(p_values, context.options.fdr_q).adjusted
    for i, row in enumerate(rows):
        row["p_adjusted"] = None if np.isnan(adjusted[i]) else float(adjusted[i])
    table = Table(f"calls_changes_{window}", f"Appels : {label_fr.lower()}",
                  f"Calls: {label_en}",
                  ["group", "label_fr", "label_en", "current", "previous", "difference",
                   "p_value", "p_adjusted", "method"], rows,
                  "p_adjusted: Benjamini-Hochberg over the pathways (q = "
                  f"{context.options.fdr_q:g})." + (f" Not computed: {reason}." if reason
                                                    else ""))
    return indicators, table


def _time_spent(frame: pd.DataFrame, found: Classified, common: dict
                ) -> tuple[Table, IndicatorValue]:
    hours = frame["unit_hours"].to_numpy(dtype=float)
    timed = np.isfinite(hours)
    columns = ["pathway", "label_fr", "label_en", "calls_timed", "unit_hours", "share"]
    definition = ("Unit hours on calls from the public that another response could take: from "
                  "dispatch (or receipt) to clear, times the units sent.")
    definition_fr = ("Heures-unités consacrées aux appels du public qu'une autre réponse "
                     "pourrait prendre : de l'affectation (ou de la réception) à la fin, fois "
                     "le nombre d'unités.")
    if not timed.any():
        reason = "the export has no dispatch or clear times: calls are counted, time is not"
        return (Table("calls_time_spent", "Temps consacré par réponse",
                      "Time spent by pathway", columns, [], f"Not computed: {reason}."),
                IndicatorValue("calls_diverted_hours", "Heures-unités détournables",
                               "Divertible unit hours", None, "hours", definition=definition,
                               definition_fr=definition_fr, reason=reason, **common))
    total = float(np.nansum(hours[found.among(DEMAND)]))
    rows = []
    for pathway in DEMAND:
        mask = (found.pathway == pathway) & timed
        spent = float(hours[mask].sum())
        rows.append({"pathway": pathway, "label_fr": LABELS[pathway][0],
                     "label_en": LABELS[pathway][1], "calls_timed": int(mask.sum()),
                     "unit_hours": round(spent, 1),
                     "share": round(100.0 * spent / total, 1) if total else None})
    diverted = float(hours[found.among(DIVERTIBLE) & timed].sum())
    untimed = int(np.sum(found.among(DEMAND) & ~timed))
    return (Table("calls_time_spent", "Temps consacré par réponse", "Time spent by pathway",
                  columns, rows, f"{untimed} call(s) from the public without a usable clear "
                  "time left out."),
            IndicatorValue("calls_diverted_hours", "Heures-unités détournables",
                           "Divertible unit hours", round(diverted, 1), "hours",
                           definition=definition, definition_fr=definition_fr,
                           context={"demand_hours": round(total, 1), "untimed": untimed},
                           **common))


def _unmapped(demand) -> Table:
    return Table("calls_unmapped", "Types d'appel absents de la table des réponses",
                 "Call types not in the pathway table", ["call_type", "description", "calls"],
                 demand.unmapped, "Left out of every share until the table gives them a "
                 "pathway.")


def _places(frame: pd.DataFrame, found: Classified, threshold: int, crs: str) -> Table:
    """Addresses (or grid cells, without addresses) with at least ``threshold`` calls from
    the public: the station's own lead for a problem card, never shown to partners.

    A cell is named by its centre's latitude and longitude, which an officer can paste into
    any map; its grid index would mean nothing to anyone."""
    demand = found.among(DEMAND)
    pathway = np.zeros(int(demand.sum()), dtype=np.int64)  # index into DEMAND
    for number, name in enumerate(DEMAND):
        pathway[found.pathway[demand] == name] = number
    x = frame["x"].to_numpy()[demand]
    y = frame["y"].to_numpy()[demand]
    address_code, addresses = pd.factorize(frame["address"][demand].reset_index(drop=True))
    located = (address_code < 0) & np.isfinite(x) & np.isfinite(y)
    cell_x = np.floor(np.where(located, x, 0) / PLACE_CELL_M).astype(np.int64)
    cell_y = np.floor(np.where(located, y, 0) / PLACE_CELL_M).astype(np.int64)
    cell_code, cells = pd.factorize(cell_x * 100_000_000 + cell_y)
    place = np.where(address_code >= 0, address_code,
                     np.where(located, len(addresses) + cell_code, -1))
    counts = np.bincount(place[place >= 0], minlength=1)
    top = np.flatnonzero(counts >= threshold)
    top = top[np.argsort(-counts[top], kind="stable")][:MAX_PLACES]
    position = np.full(len(counts), -1)
    position[top] = np.arange(len(top))
    chosen = (place >= 0) & (position[np.maximum(place, 0)] >= 0)
    mix = np.zeros((len(top), len(DEMAND)), dtype=np.int64)
    np.add.at(mix, (position[place[chosen]], pathway[chosen]), 1)
    finite = chosen & np.isfinite(x) & np.isfinite(y)
    located_n = np.bincount(position[place[finite]], minlength=len(top))
    mean_x = np.bincount(position[place[finite]], weights=x[finite], minlength=len(top))
    mean_y = np.bincount(position[place[finite]], weights=y[finite], minlength=len(top))
    rows = []
    to_degrees = Transformer.from_crs(crs, MAP_CRS, always_xy=True)
    for i, code in enumerate(top):
        if code < len(addresses):
            kind, name = "address", str(addresses[code])
            cx, cy = (mean_x[i] / located_n[i], mean_y[i] / located_n[i]) if located_n[i] \
                else (None, None)
        else:
            packed = int(cells[code - len(addresses)])
            gx, gy = divmod(packed, 100_000_000)
            cx, cy = (gx + 0.5) * PLACE_CELL_M, (gy + 0.5) * PLACE_CELL_M
            longitude, latitude = to_degrees.transform(cx, cy)
            kind, name = "cell", f"{latitude:.5f}, {longitude:.5f}"
        rows.append({"kind": kind, "place": name, "calls": int(counts[code]),
                     "main_pathway": DEMAND[int(np.argmax(mix[i]))],
                     **{p: int(mix[i, j]) for j, p in enumerate(DEMAND)},
                     "x": None if cx is None else round(float(cx), 1),
                     "y": None if cy is None else round(float(cy), 1)})
    return Table("calls_repeat_places", "Lieux d'appels répétés", "Repeat-call places",
                 ["kind", "place", "calls", "main_pathway", *DEMAND, "x", "y"], rows,
                 f"Addresses (or {PLACE_CELL_M:g} m cells for located calls without an address) "
                 f"with at least {threshold} calls from the public in the period; x, y in the "
                 "workspace's metric CRS, to pin a problem card. For the station's own use.")


def _practices(demand) -> Table:
    """The best-practice entries that take the divertible calls, to start an action."""
    practices = {p.practice_id: p for p in catalogue()}
    rows = []
    for pathway, practice_id in PRACTICES.items():
        practice = practices.get(practice_id)
        if practice is None:
            continue
        rows.append({"practice_id": practice_id, "name_fr": practice.name_fr,
                     "name_en": practice.name_en, "pathway": pathway,
                     "calls": demand.by_pathway.get(pathway, 0)})
    return Table("calls_practices", "Pratiques reconnues et plan d'action",
                 "Best practices and the action plan",
                 ["practice_id", "name_fr", "name_en", "pathway", "calls"], rows,
                 "Calls from the public each practice could take; add an action citing it to "
                 "the station's action plan.")


def _pct(value: float | None) -> float | None:
    return None if value is None else 100.0 * value
