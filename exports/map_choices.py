"""What a map can be drawn for: the workspace's stations and the mappable indicators.

Station ids sort as numbers ("PDQ 4" before "PDQ 38"), the order officers know them by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exports.map_text import station_label
from portrait.indicators import BUILTIN, workspace_catalogue
from portrait.workspace import Workspace


@dataclass(frozen=True)
class Choice:
    """An id the map builder understands and the label a person reads."""

    id: str
    label: str


def station_choices(workspace: Workspace) -> list[Choice]:
    """The workspace's stations, numerically sorted, labelled "PDQ 38"."""
    ids = workspace.layer("stations")["station_id"].dropna().astype(str).unique()
    return [Choice(station_id, station_label(station_id)) for station_id in
            sorted(ids, key=_numeric_key)]


def indicator_choices(language: str, workspace: Workspace | None = None) -> list[Choice]:
    """The indicators worth shading census areas by, labelled in ``language``: the built-in
    ones and those of the workspace's own indicator catalogue."""
    catalogue = BUILTIN if workspace is None else workspace_catalogue(
        workspace.layer("indicator_catalogue"))
    return [Choice(item.id, item.label(language)) for item in catalogue.mappable()]


def _numeric_key(station_id: str) -> tuple[int, str]:
    digits = re.search(r"\d+", station_id)
    return (int(digits.group()) if digits else 10**9, station_id)
