"""Imports the importer refuses unless the user confirms: they would lose data or mislead.

A reader can keep every row it understood and still hand over a result that must not be
applied as is: a re-import whose dates are all in another format keeps no row and, replacing
the earlier import of that source, would delete thousands of incidents; another city's file
keeps every row, all outside the stations, and silently lowers every rate. The importer runs
these checks on what a reader returned, before anything is written, and raises
``ImportRefused``; the caller asks the user and retries with the matching option
(``replace_anyway`` or ``allow_outside``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data_connectors.base import ImportReport
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.errors import PortraitError
from portrait.layers import INCIDENTS, SERVICES, SURVEY_RESPONDENTS

#: An import that would leave fewer than this share of the rows it replaces needs a confirmation.
MIN_KEPT_SHARE = 0.5
#: An import whose located rows fall far from the stations more often than this is refused.
MAX_OUTSIDE_SHARE = 0.5
#: How far beyond the stations' extent a row is "far" (metres): more than a metropolitan
#: region, less than the distance a wrong CRS or another city's file puts points at.
MARGIN_M = 25_000
#: Layers of located rows that are expected to fall inside the workspace's stations.
POINT_LAYERS = (INCIDENTS.name, SERVICES.name, SURVEY_RESPONDENTS.name)

NO_ROWS = "no_rows"
FEWER_ROWS = "fewer_rows"
OUTSIDE_STATIONS = "outside_stations"
OUTSIDE_AREA = "outside_area"
#: The importer option that confirms each kind of refusal, and its command-line spelling.
CONFIRMING_OPTION = {NO_ROWS: "replace_anyway", FEWER_ROWS: "replace_anyway",
                     OUTSIDE_STATIONS: "allow_outside", OUTSIDE_AREA: "allow_outside"}

Extent = tuple[float, float, float, float]


@dataclass
class RefusalFacts:
    """What a refusal is about, for a message in the user's language."""

    kept: int = 0
    read: int = 0
    replaced: int = 0
    #: The most frequent reason rows were dropped, and how many it dropped.
    main_drop: tuple[str, int] | None = None
    #: One problem row: row number, column, value, problem.
    example: dict[str, object] | None = None
    located: int = 0
    outside: int = 0
    #: Extents (west, south, east, north) in degrees, WGS84.
    file_extent: Extent | None = None
    station_extent: Extent | None = None
    #: Coordinates as the file wrote them (x or longitude first).
    raw_extent: Extent | None = None


class ImportRefused(PortraitError):
    """The import would lose data or mislead; it is applied only when the user confirms.

    ``option`` names the importer keyword (``replace_anyway`` or ``allow_outside``) that
    confirms it; the workspace has not been changed.
    """

    def __init__(self, path: Path | str, reason: str, facts: RefusalFacts, message: str):
        self.path, self.reason, self.facts = Path(path), reason, facts
        self.option = CONFIRMING_OPTION[reason]
        cli = "--" + self.option.replace("_", "-")
        super().__init__(f"{Path(path).name}: {message} The workspace was not changed; to "
                         f"import the file anyway, confirm (command line: {cli}).")


def check_rows_kept(path: Path, report: ImportReport, kept: int, replaced: int) -> None:
    """Refuse an import that keeps no row, or replaces earlier rows by under half as many."""
    facts = RefusalFacts(kept=kept, read=report.rows_read, replaced=replaced,
                         main_drop=_main_drop(report),
                         example=report.examples[0] if report.examples else None)
    if kept == 0:
        message = f"no row of the {report.rows_read:,} read could be kept"
        if replaced:
            message += (f", and importing it would delete the {replaced:,} rows of the earlier "
                        "import of this source")
        raise ImportRefused(path, NO_ROWS, facts, message + _why(facts))
    if replaced and kept < MIN_KEPT_SHARE * replaced:
        raise ImportRefused(
            path, FEWER_ROWS, facts,
            f"only {kept:,} rows were kept, and they would replace the {replaced:,} rows of "
            f"the earlier import of this source{_why(facts)}")


def check_inside_stations(path: Path, layer: str, frame: pd.DataFrame,
                          stations: pd.DataFrame) -> None:
    """Refuse located rows that mostly fall far from the stations (another city's file,
    swapped or unprojected coordinates): both extents go in the message.

    "Far" is more than ``MARGIN_M`` beyond the stations' extent, not merely outside every
    station: an officer whose workspace holds one station still imports the city-wide file.
    """
    if layer not in POINT_LAYERS or not len(stations) or not isinstance(frame, gpd.GeoDataFrame):
        return
    geometry = frame.geometry.to_crs(METRIC_CRS) if frame.crs not in (None, METRIC_CRS) \
        else frame.geometry
    located = geometry[geometry.notna() & ~geometry.is_empty]
    if not len(located):
        return
    x, y = shapely.get_x(located.to_numpy()), shapely.get_y(located.to_numpy())
    west, south, east, north = gpd.GeoSeries(stations.geometry).total_bounds
    with np.errstate(invalid="ignore"):
        near = (x >= west - MARGIN_M) & (x <= east + MARGIN_M) & \
            (y >= south - MARGIN_M) & (y <= north + MARGIN_M)
    outside = int((~near).sum())
    if outside <= MAX_OUTSIDE_SHARE * len(located):
        return
    facts = RefusalFacts(located=len(located), outside=outside,
                         file_extent=_degrees(gpd.GeoSeries(located.to_numpy(), crs=METRIC_CRS)),
                         station_extent=_degrees(gpd.GeoSeries(stations.geometry)))
    raise ImportRefused(
        path, OUTSIDE_STATIONS, facts,
        f"{outside:,} of the {facts.located:,} located rows fall more than "
        f"{MARGIN_M // 1000:,} km outside the stations: the file covers "
        f"{_extent_text(facts.file_extent)}, the stations "
        f"{_extent_text(facts.station_extent)}. Is it another city's file, or are its "
        "coordinates swapped, unprojected or in another unit?")


@dataclass
class CoordinatesOutside:
    """Counts, across a reader's chunks, rows whose coordinates miss the source's own area.

    Such rows are kept without a location (the SPVM and VPD readers know where their city
    is), so the station check never sees them: a file with swapped or unprojected
    coordinates would go in with no incident on any map. ``check`` refuses it when they
    are most of the rows with coordinates.
    """

    area: str
    with_coordinates: int = 0
    outside: int = 0
    extent: Extent | None = None

    def add(self, x: np.ndarray, y: np.ndarray, has_coordinates: np.ndarray,
            outside: np.ndarray) -> None:
        """One chunk: its raw coordinates, which rows have some, which missed the area."""
        self.with_coordinates += int(has_coordinates.sum())
        self.outside += int(outside.sum())
        if outside.any():
            box = (float(np.nanmin(x[outside])), float(np.nanmin(y[outside])),
                   float(np.nanmax(x[outside])), float(np.nanmax(y[outside])))
            self.extent = box if self.extent is None else (
                min(self.extent[0], box[0]), min(self.extent[1], box[1]),
                max(self.extent[2], box[2]), max(self.extent[3], box[3]))

    def check(self, path: Path, allowed: bool) -> None:
        if allowed or self.outside <= MAX_OUTSIDE_SHARE * self.with_coordinates:
            return
        facts = RefusalFacts(located=self.with_coordinates, outside=self.outside,
                             raw_extent=self.extent)
        west, south, east, north = self.extent or (0.0, 0.0, 0.0, 0.0)
        raise ImportRefused(
            path, OUTSIDE_AREA, facts,
            f"{self.outside:,} of the {self.with_coordinates:,} rows with coordinates fall "
            f"outside {self.area} (x {_coordinate(west)} to {_coordinate(east)}, y "
            f"{_coordinate(south)} to {_coordinate(north)}): are the coordinates swapped, "
            "unprojected or in another unit? "
            "Imported anyway, these rows are kept without a location.")


def _coordinate(value: float) -> str:
    """Metres as whole numbers, degrees with their decimals."""
    return f"{value:,.0f}" if abs(value) >= 1_000 else f"{value:.4f}"


def _main_drop(report: ImportReport) -> tuple[str, int] | None:
    if not report.dropped:
        return None
    reason = max(report.dropped, key=report.dropped.__getitem__)
    return reason, report.dropped[reason]


def _why(facts: RefusalFacts) -> str:
    text = "."
    if facts.main_drop is not None:
        reason, count = facts.main_drop
        text = f". Most rows were dropped for: {reason} ({count:,} rows)."
    if facts.example is not None:
        e = facts.example
        text += (f" For example row {e['row']}, column {e['column']!r}: {e['problem']} "
                 f"({e['value']!r}).")
    return text


def _degrees(geometry: gpd.GeoSeries) -> Extent:
    if geometry.crs is None:
        geometry = geometry.set_crs(METRIC_CRS)
    west, south, east, north = geometry.to_crs(MAP_CRS).total_bounds
    return (float(west), float(south), float(east), float(north))


def _extent_text(extent: Extent | None) -> str:
    if extent is None:
        return "nothing"
    west, south, east, north = extent
    return (f"longitude {west:.3f} to {east:.3f} and latitude {south:.3f} to {north:.3f}")
