"""How recent the workspace's data are: for the status bar, without Qt.

Officers compare portraits across years; the vintage of each layer (the file it came from and
when it was imported, the census year) must be visible without opening anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from portrait.workspace import Workspace


@dataclass(frozen=True)
class Vintage:
    """The latest import into one layer."""

    layer: str
    source: str
    imported_at: str


def layer_vintages(workspace: Workspace) -> list[Vintage]:
    """The most recent import of each layer (from ``import_reports``), by layer name."""
    reports = workspace.layer("import_reports")
    if not len(reports):
        return []
    reports = reports.dropna(subset=["layer"]).sort_values("imported_at", na_position="first")
    latest = reports.groupby("layer", sort=True).tail(1)
    return [Vintage(str(row.layer), _file_name(row.source_path, row.details),
                    "" if pd.isna(row.imported_at) else str(row.imported_at))
            for row in latest.sort_values("layer").itertuples(index=False)]


def census_year(workspace: Workspace) -> int | None:
    """The census year of the census values (the latest one when several are present)."""
    for layer in ("census_values", "census_areas"):
        years = workspace.layer(layer)["census_year"].dropna()
        if len(years):
            return int(years.max())
    return None


def _file_name(source_path: object, details: object) -> str:
    if not pd.isna(source_path) and str(source_path):
        return Path(str(source_path)).name
    try:
        return Path(json.loads(str(details))["source_path"]).name
    except (ValueError, KeyError, TypeError):
        return ""
