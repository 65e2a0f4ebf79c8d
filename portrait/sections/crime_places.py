"""Where incidents happen: hot spots, density, concentration and repeat locations.

Only located incidents inside the station's boundary enter these analyses. Incidents without
a location (the SPVM file puts some at X = Y = 1, dropped at import) and those whose point lies
outside the station they are filed under are counted and reported, never silently dropped.
"""

from __future__ import annotations

import numpy as np

from portrait.portrait_model import IndicatorValue, MapLayer, Section, Table
from portrait.sections.common import StationContext
from portrait.statistics.concentration import (
    PLACES_CELLS,
    PLACES_LOCATIONS,
    concentration,
    location_counts,
    repeat_locations,
)
from portrait.statistics.density import KdeParameters, kernel_density
from portrait.statistics.grid import build_grid, choose_cell_size
from portrait.statistics.hotspots import HotSpotParameters, hot_spots

ID = "crime_places"
TITLE_FR, TITLE_EN = "Lieux : points chauds et concentration", "Places: hot spots and concentration"


def build(context: StationContext) -> Section:
    if context.start is None:
        return Section(ID, TITLE_FR, TITLE_EN, reason="the workspace holds no incidents")
    frame = context.incidents
    total = len(frame)
    if total == 0:
        return Section(ID, TITLE_FR, TITLE_EN,
                       reason="no incident recorded in the station during the period")
    common = dict(source=context.incident_source, vintage=context.incident_vintage,
                  period=context.period_text)
    located = frame["located"].to_numpy()
    unlocated = int(total - located.sum())
    indicators = [IndicatorValue(
        "share_without_location", "Part des incidents sans localisation",
        "Share of incidents without a location", 100.0 * unlocated / total, "%",
        definition="Incidents of the station with no usable location, excluded from the maps "
                   "and spatial statistics of this section.",
        definition_fr="Incidents du poste sans localisation utilisable, exclus des cartes et "
                      "statistiques spatiales de cette section.",
        caveats=["a share of all recorded incidents, not a sample estimate: no interval"],
        context={"without_location": unlocated, "incidents": total}, **common)]
    if located.sum() == 0:
        return Section(ID, TITLE_FR, TITLE_EN, indicators,
                       reason="none of the station's incidents has a location")
    polygon = context.data.polygon(context.station_id)
    x, y = frame["x"].to_numpy()[located], frame["y"].to_numpy()[located]
    xs, ys, per_location = location_counts(x, y)
    options = context.options
    cell_size = options.cell_size_m or choose_cell_size(float(polygon.area), int(located.sum()),
                                                        int(xs.size))
    grid = build_grid(polygon, cell_size, context.data.crs)
    spots = hot_spots(xs, ys, polygon, HotSpotParameters(options.cell_size_m,
                                                         options.distance_band_m, fdr=True),
                      weights=per_location, crs=context.data.crs, grid=grid)
    outside = spots.points_outside_grid
    indicators.append(IndicatorValue(
        "located_outside_boundary", "Incidents localisés hors des limites du poste",
        "Located incidents outside the station's boundary", float(outside), "incidents",
        definition="Incidents filed under the station whose point lies outside its boundary; "
                   "excluded from this section's spatial statistics.",
        definition_fr="Incidents du poste dont le point est hors de ses limites; exclus des "
                      "statistiques spatiales.", **common))
    inside_cells = grid.cell_of(xs, ys) >= 0
    xs, ys, per_location = xs[inside_cells], ys[inside_cells], per_location[inside_cells]
    kde = kernel_density(xs, ys, grid, KdeParameters(options.kde_bandwidth_m),
                         weights=per_location)
    by_cells = concentration(spots.counts)
    by_locations = concentration(per_location)
    repeats = repeat_locations(per_location, options.repeat_threshold)
    indicators += _concentration_indicators(by_cells, by_locations, repeats, common)
    indicators += _hot_spot_indicators(spots, common)
    tables = [
        Table("lorenz_cells", "Courbe de Lorenz (cellules)", "Lorenz curve (grid cells)",
              ["share_of_places", "share_of_incidents"],
              [{"share_of_places": a, "share_of_incidents": b} for a, b in by_cells.lorenz],
              f"Places: {PLACES_CELLS}."),
        _hot_cells_table(spots),
    ]
    layers = [_hot_spot_layer(spots), _density_layer(kde)]
    context.parameters["hot_spots"] = {
        "cell_size_m": spots.cell_size, "cell_size_rule": spots.cell_size_rule,
        "distance_band_m": spots.distance_band,
        "distance_band_rule": spots.distance_band_rule, "weights": "binary, self included",
        "inference": "analytical (normal) z-scores", "permutations": 0,
        "fdr": "Benjamini-Hochberg on all cells", "neighbours_min": spots.neighbours_min,
        "neighbours_max": spots.neighbours_max, "cells": grid.size,
        "points_used": spots.points_used, "points_outside_boundary": outside,
        "grid": grid.describe()}
    context.parameters["kernel_density"] = {
        "kernel": kde.kernel, "bandwidth_m": kde.bandwidth,
        "bandwidth_rule": kde.bandwidth_rule, "unit": "incidents per km2 per period"}
    context.parameters["concentration"] = {"places": [PLACES_CELLS, PLACES_LOCATIONS],
                                           "repeat_threshold": options.repeat_threshold}
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables, layers)


def _concentration_indicators(by_cells, by_locations, repeats, common) -> list[IndicatorValue]:
    out = []
    for places, result, note in (("cells", by_cells, PLACES_CELLS),
                                 ("locations", by_locations, PLACES_LOCATIONS)):
        fr_places = "cellules" if places == "cells" else "lieux"
        for fraction in (0.05, 0.10):
            share = result.top_shares.get(fraction)
            out.append(IndicatorValue(
                f"top_{int(fraction * 100)}pct_{places}",
                f"Part des incidents dans les {int(fraction * 100)} % de {fr_places} les plus "
                "touchés", f"Share of incidents in the top {int(fraction * 100)}% of {places}",
                None if share is None else 100.0 * share, "%",
                definition=f"Share of the located incidents at the {fraction:.0%} of places with "
                           f"the most incidents. Places: {note}.",
                definition_fr=f"Part des incidents localisés dans les {fraction:.0%} de lieux "
                              "les plus touchés.",
                caveats=["lower bound of the concentration among all places: places without "
                         "incidents are unknown"] if places == "locations" else [],
                context={"places": result.places}, reason=result.reason, **common))
        out.append(IndicatorValue(
            f"gini_{places}", f"Coefficient de Gini ({fr_places})", f"Gini coefficient ({places})",
            result.gini, "index (0-1)",
            definition=f"Inequality of incident counts among places (0 = even, near 1 = all at "
                       f"one place). Places: {note}.",
            definition_fr="Inégalité des nombres d'incidents entre les lieux.",
            reason=result.reason, **common))
    out.append(IndicatorValue(
        "repeat_locations", "Lieux d'incidents répétés", "Repeat locations",
        float(repeats.repeat_places), "places",
        definition=f"Distinct locations with at least {repeats.threshold} incidents in the "
                   "period.",
        definition_fr=f"Lieux distincts comptant au moins {repeats.threshold} incidents.",
        context={"share_of_incidents_at_repeats": None if repeats.share_at_repeats is None
                 else 100.0 * repeats.share_at_repeats, "places": repeats.places,
                 "max_at_one_place": repeats.max_at_one_place},
        caveats=["SPVM points are snapped to the nearest intersection: a location is an "
                 "intersection, not an address"], **common))
    return out


def _hot_spot_indicators(spots, common) -> list[IndicatorValue]:
    summary = spots.summary()
    hot = summary["3"] + summary["2"]
    cold = summary["-3"] + summary["-2"]
    definition = ("Grid cells where Getis-Ord Gi* finds a significant cluster at 95% or more "
                  "after Benjamini-Hochberg correction over all cells.")
    base = dict(definition=definition,
                definition_fr="Cellules où Gi* trouve une concentration significative (95 % "
                              "ou plus, après correction de Benjamini-Hochberg).",
                reason=spots.reason, **common)
    return [
        IndicatorValue("hot_spot_cells", "Cellules en point chaud (95 % et plus)",
                       "Hot-spot cells (95% or more)", None if spots.reason else float(hot),
                       "cells", context={"bins": summary, "cells": spots.grid.size}, **base),
        IndicatorValue("cold_spot_cells", "Cellules en point froid (95 % et plus)",
                       "Cold-spot cells (95% or more)", None if spots.reason else float(cold),
                       "cells", context={"bins": summary, "cells": spots.grid.size}, **base),
    ]


def _hot_cells_table(spots) -> Table:
    significant = np.flatnonzero(spots.bins != 0)
    order = significant[np.argsort(-np.nan_to_num(spots.z_scores[significant]))]
    centres = spots.grid.centres
    rows = [{"cell": int(i), "x": round(float(centres[i, 0]), 1),
             "y": round(float(centres[i, 1]), 1), "count": float(spots.counts[i]),
             "z": round(float(spots.z_scores[i]), 4), "p_value": float(spots.p_values[i]),
             "p_adjusted": float(spots.p_adjusted[i]), "bin": int(spots.bins[i])}
            for i in order]
    return Table("hot_spot_cells", "Cellules significatives (Gi*)",
                 "Significant cells (Gi*)",
                 ["cell", "x", "y", "count", "z", "p_value", "p_adjusted", "bin"], rows,
                 "bin: +3/+2/+1 hot spot at 99/95/90% confidence, negative for cold spots "
                 "(FDR-adjusted p-values). x, y: cell centre in the workspace CRS.")


def _hot_spot_layer(spots) -> MapLayer:
    grid = spots.grid
    rows = [{"col": int(grid.col[i]), "row": int(grid.row[i]), "bin": int(spots.bins[i]),
             "z": round(float(spots.z_scores[i]), 3)}
            for i in np.flatnonzero(spots.bins != 0)]
    return MapLayer("hot_spots", "Points chauds (Gi*)", "Hot spots (Gi*)", "grid", "incidents",
                    {**grid.describe(), "distance_band_m": spots.distance_band,
                     "bins": {"3": "99% hot", "2": "95% hot", "1": "90% hot", "-1": "90% cold",
                              "-2": "95% cold", "-3": "99% cold"},
                     "omitted": "cells with bin 0"}, rows)


def _density_layer(kde) -> MapLayer:
    grid = kde.grid
    keep = np.flatnonzero(kde.density > 0)
    rows = [{"col": int(grid.col[i]), "row": int(grid.row[i]),
             "density": round(float(kde.density[i]), 2)} for i in keep]
    return MapLayer("kernel_density", "Densité des incidents", "Incident density", "grid",
                    "incidents", {**grid.describe(), "bandwidth_m": kde.bandwidth,
                                  "kernel": kde.kernel, "unit": "incidents per km2",
                                  "omitted": "cells with zero density"}, rows)
