"""A workspace with an action plan and incidents counted by quarter, for the quarterly report
and sign-off tests: every count the report must find is set here, by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from portrait.crs import METRIC_CRS
from portrait.records import (
    Action,
    ActionIndicator,
    ActionPriority,
    ProblemCard,
    RecordStore,
    record_progress,
)
from portrait.records.problems import Location
from portrait.workspace import Workspace

STATION_BOXES = {"38": (295_000, 5_040_000, 298_000, 5_043_000),
                 "4": (298_000, 5_040_000, 301_000, 5_043_000)}
#: Station 38's incidents: (first day of the quarter, source category) -> count.
COUNTS = {
    ("2024-07-01", "Introduction"): 45, ("2024-07-01", "Méfait"): 10,
    ("2024-07-01", "Vol dans / sur véhicule à moteur"): 8,
    ("2025-01-01", "Introduction"): 20,
    ("2025-07-01", "Introduction"): 30, ("2025-07-01", "Méfait"): 12,
    ("2025-07-01", "Vol dans / sur véhicule à moteur"): 3,
}
#: A value typed in a progress entry: the report must never print it.
TYPED_VALUE = 987


def build_quarterly_workspace(path: Path, counts: dict | None = None,
                              with_plan: bool = True) -> Workspace:
    workspace = Workspace.create(path, title="Quartier d'essai")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": list(STATION_BOXES), "name": [f"PDQ {i}" for i in STATION_BOXES]},
        geometry=[shapely.MultiPolygon([shapely.box(*b)]) for b in STATION_BOXES.values()],
        crs=METRIC_CRS))
    workspace.set_layer("incidents", incidents(counts or COUNTS))
    workspace.save()
    if with_plan:
        store = RecordStore()
        for record in plan_records():
            store.add(record)
        store.save(workspace)
        workspace.save()
    return workspace


def incidents(counts: dict) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(14)
    rows = []
    for (start, category), count in counts.items():
        first = pd.Timestamp(start)
        days = ((first + pd.DateOffset(months=3)) - first).days
        for station_id, (west, south, east, north) in STATION_BOXES.items():
            # Station 4 gets twice as many: they must never count for station 38.
            n = count if station_id == "38" else 2 * count
            for i in range(n):
                # Spread from the quarter's first day to its last.
                offset = round(i * (days - 1) / max(n - 1, 1))
                rows.append({"source_id": f"{station_id}-{start}-{category}-{i}",
                             "source": "test", "source_category": category,
                             "date": first + pd.Timedelta(days=offset),
                             "station_id": station_id,
                             "geometry": shapely.Point(rng.uniform(west + 50, east - 50),
                                                       rng.uniform(south + 50, north - 50))})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)


def plan_records() -> list:
    problem = ProblemCard(
        title="Introductions par effraction, rue Ontario", category="break_and_enter",
        location=Location.area(shapely.box(295_500, 5_040_500, 296_500, 5_041_500)))
    priority = ActionPriority(title="Sécurité des résidences", problem_ids=(problem.record_id,),
                              rank=1)
    walks = Action(title="Marches exploratoires", priority_id=priority.record_id,
                   owner="Agente sociocommunautaire", start=dt.date(2025, 4, 1),
                   end=dt.date(2026, 3, 31), indicators=(
                       ActionIndicator(indicator_id="mischief", label="Méfaits",
                                       baseline=10, target=8),
                       ActionIndicator(indicator_id="vehicles", label="Véhicules",
                                       source="vehicles")))
    walks = record_progress(walks, "2025-Q3", "on_track", "Trois marches avec le comité.",
                            indicator_values={"mischief": TYPED_VALUE}, by="ana")
    flyers = Action(title="Dépliants de prévention", priority_id=priority.record_id,
                    start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    flyers = record_progress(flyers, "2025-Q3", "done", by="ana")
    clinic = Action(title="Burinage de vélos", priority_id=priority.record_id,
                    start=dt.date(2025, 10, 1), end=dt.date(2025, 11, 30))
    return [problem, priority, walks, flyers, clinic]
