"""Where incidents happen: hot spots, density, concentration and repeat locations.

Only located incidents inside the station's boundary enter these analyses. Incidents without
a location (the SPVM file puts some at X = Y = 1, dropped at import) and those whose point lies
outside the station they are filed under are counted and reported, never silently dropped.
Hot-spot cells along the boundary also count the workspace's incidents just beyond it (see
``statistics.hotspots``); cells are binned from the points as recorded, never rounded.
"""

from __future__ import annotations

import numpy as np
import shapely

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
from portrait.statistics.grid import Grid, build_grid, choose_cell_size, covered_fraction
from portrait.statistics.hotspots import (
    EDGE_RULE,
    MIN_COVERED,
    HotSpotParameters,
    HotSpotResult,
    hot_spots,
)

BIN_NOTE = ("Bin: +3/+2/+1 hot spot at FDR q at most 0.01/0.05/0.10 (Benjamini-Hochberg "
            "adjusted p-values), negative for cold spots. Incidents: in the cell, beyond the "
            "boundary included; covered share: of the cell inside the stations. x, y: cell "
            "centre in the workspace CRS.")
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
    beyond, covered = _beyond_boundary(context, polygon, grid)
    spots = hot_spots(x, y, polygon, HotSpotParameters(options.cell_size_m,
                                                       options.distance_band_m, fdr=True),
                      crs=context.data.crs, grid=grid, beyond=beyond, covered=covered)
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
    by_cells = concentration(spots.own_counts)
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
        "fdr": "Benjamini-Hochberg on all tested cells",
        "bins": "q (FDR-adjusted p) at most 0.01 / 0.05 / 0.10",
        "edge_cells": EDGE_RULE, "edge_cells_not_tested": spots.untested_cells,
        "incidents_beyond_boundary": int(len(beyond[0])),
        "neighbours_min": spots.neighbours_min,
        "neighbours_max": spots.neighbours_max, "cells": grid.size,
        "points_used": spots.points_used, "points_outside_boundary": outside,
        "grid": grid.describe()}
    context.parameters["kernel_density"] = {
        "kernel": kde.kernel, "bandwidth_m": kde.bandwidth,
        "bandwidth_rule": kde.bandwidth_rule, "unit": "incidents per km2 per period"}
    context.parameters["concentration"] = {"places": [PLACES_CELLS, PLACES_LOCATIONS],
                                           "repeat_threshold": options.repeat_threshold}
    return Section(ID, TITLE_FR, TITLE_EN, indicators, tables, layers)


def _beyond_boundary(context: StationContext, polygon, grid: Grid
                     ) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The period's incidents of other stations lying in the grid's edge cells outside the
    boundary, and the share of each cell covered by the station or its neighbours."""
    data = context.data
    polygons = np.asarray(data.stations.geometry.values, dtype=object)
    others = polygons[data.stations["station_id"].to_numpy(dtype=object) != context.station_id]
    covered = covered_fraction(grid, others)
    box = (grid.x0, grid.y0, grid.x0 + grid.ncols * grid.cell_size,
           grid.y0 + grid.nrows * grid.cell_size)
    x, y = data.incidents.others_in_box(context.start, context.end, box, context.station_id)
    cells = grid.cell_of(x, y)
    edge = (cells >= 0) & (grid.inside_fraction[np.maximum(cells, 0)] < 1.0 - 1e-9)
    x, y = x[edge], y[edge]
    outside = ~shapely.contains_xy(polygon, x, y)
    return (x[outside], y[outside]), covered


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
        holding = result.places_for_80pct
        out.append(IndicatorValue(
            f"places_for_80pct_{places}",
            f"Part des {fr_places} qui regroupent 80 % des incidents",
            f"Share of {places} holding 80% of incidents",
            None if holding is None else 100.0 * holding, "%",
            definition=f"Smallest share of places, the most affected first, holding at least "
                       f"80% of the located incidents (the '80/20' reading). Places: {note}.",
            definition_fr="Plus petite part des lieux, les plus touchés d'abord, qui regroupe "
                          "au moins 80 % des incidents localisés (lecture « 80/20 »).",
            caveats=["lower bound of the concentration among all places: places without "
                     "incidents are unknown"] if places == "locations" else [],
            context={"places": result.places}, reason=result.reason, **common))
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


def _hot_spot_indicators(spots: HotSpotResult, common) -> list[IndicatorValue]:
    summary = spots.summary()
    hot = summary["3"] + summary["2"]
    cold = summary["-3"] + summary["-2"]
    definition = ("Grid cells where Getis-Ord Gi* finds a significant cluster with a false "
                  "discovery rate q of 0.05 or less (Benjamini-Hochberg over the tested cells: "
                  "at most 5% of the cells so called are expected to be false alarms). Edge "
                  "cells count the incidents just beyond the boundary; cells less than "
                  f"{MIN_COVERED:.0%} covered by the stations are not tested.")
    base = dict(definition=definition,
                definition_fr="Cellules où Gi* trouve une concentration significative avec un "
                              "taux de fausses découvertes q de 0,05 ou moins (Benjamini-"
                              "Hochberg) ; les cellules du bord comptent les incidents juste "
                              "au-delà de la limite, celles couvertes à moins de "
                              f"{MIN_COVERED * 100:.0f} % ne sont pas testées.",
                reason=spots.reason, **common)
    context = {"bins": summary, "cells": spots.grid.size,
               "edge_cells_not_tested": spots.untested_cells}
    return [
        IndicatorValue("hot_spot_cells", "Cellules en point chaud (q FDR ≤ 0,05)",
                       "Hot-spot cells (FDR q ≤ 0.05)", None if spots.reason else float(hot),
                       "cells", context=context, **base),
        IndicatorValue("cold_spot_cells", "Cellules en point froid (q FDR ≤ 0,05)",
                       "Cold-spot cells (FDR q ≤ 0.05)", None if spots.reason else float(cold),
                       "cells", context=context, **base),
    ]


def _hot_cells_table(spots: HotSpotResult) -> Table:
    significant = np.flatnonzero(spots.bins != 0)
    order = significant[np.argsort(-np.nan_to_num(spots.z_scores[significant]))]
    centres = spots.grid.centres
    rows = [{"cell": int(i), "x": round(float(centres[i, 0]), 1),
             "y": round(float(centres[i, 1]), 1), "count": float(spots.counts[i]),
             "covered": round(float(spots.covered[i]), 3),
             "z": round(float(spots.z_scores[i]), 4), "p_value": float(spots.p_values[i]),
             "p_adjusted": float(spots.p_adjusted[i]), "bin": int(spots.bins[i])}
            for i in order]
    return Table("hot_spot_cells", "Cellules significatives (Gi*)",
                 "Significant cells (Gi*)",
                 ["cell", "x", "y", "count", "covered", "z", "p_value", "p_adjusted", "bin"],
                 rows, BIN_NOTE + f" {spots.untested_cells} edge cell(s) less than "
                 f"{MIN_COVERED:.0%} covered not tested.")


def _hot_spot_layer(spots) -> MapLayer:
    grid = spots.grid
    rows = [{"col": int(grid.col[i]), "row": int(grid.row[i]), "bin": int(spots.bins[i]),
             "z": round(float(spots.z_scores[i]), 3)}
            for i in np.flatnonzero(spots.bins != 0)]
    return MapLayer("hot_spots", "Points chauds (Gi*)", "Hot spots (Gi*)", "grid", "incidents",
                    {**grid.describe(), "distance_band_m": spots.distance_band,
                     "bins": {"3": "hot, q <= 0.01", "2": "hot, q <= 0.05",
                              "1": "hot, q <= 0.10", "-1": "cold, q <= 0.10",
                              "-2": "cold, q <= 0.05", "-3": "cold, q <= 0.01"},
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
