"""Build the portrait of a station, all stations' portraits, and the station comparison.

``build_portrait`` is the one entry point the UI, the exports and the command line use. It
reads the workspace once (``PortraitData``, cached), runs each section builder, and records
the parameters actually used next to the results: options, values chosen from the data,
CRS, seed and library versions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from importlib import metadata

import pandas as pd

from portrait import __version__, clock, workspace_query
from portrait.errors import PortraitError
from portrait.portrait_data import STATION_ASSIGNMENT_RULE, PortraitData
from portrait.portrait_model import Portrait, Section
from portrait.portrait_options import IsCancelled, PortraitOptions, Progress, Steps
from portrait.sections import (
    call_demand,
    comparison,
    crime_counts,
    crime_places,
    crime_trends,
    issues,
    services_access,
    socio_economic,
    survey_results,
)
from portrait.sections.common import StationContext, period_text
from portrait.stations import normalise_station_id, station_label
from portrait.statistics.apportion import ApportionParameters
from portrait.workspace import Workspace

Period = tuple[dt.date | None, dt.date | None] | None
SECTION_BUILDERS: tuple[tuple[str, Callable[[StationContext], Section]], ...] = (
    ("Profil socio-économique", socio_economic.build),
    ("Criminalité", crime_counts.build),
    ("Évolution dans le temps", crime_trends.build),
    ("Enjeux", issues.build),
    ("Points chauds et densité", crime_places.build),
    ("Services", services_access.build),
    ("Sondage", survey_results.build),
    ("Demande d'appels", call_demand.build),
)
DEFAULT_OPTIONS = PortraitOptions()
LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "scipy", "pyproj", "mapclassify")


def prepare(workspace: Workspace | PortraitData,
            options: PortraitOptions = DEFAULT_OPTIONS) -> PortraitData:
    """The workspace's layers prepared once (cached for the workspace); incidents and calls
    read station by station from storage when the workspace's file can serve them."""
    return workspace_query.prepared(workspace, ApportionParameters(
        options.min_population, options.min_population_income))


def build_portrait(workspace: Workspace | PortraitData, station_id: str,
                   period: Period = None, options: PortraitOptions = DEFAULT_OPTIONS,
                   progress: Progress | None = None,
                   is_cancelled: IsCancelled | None = None) -> Portrait:
    """The portrait of ``station_id`` over ``period`` (inclusive dates; None: all the data).

    Raises ``PortraitError`` for an unknown station or an inverted period, and
    ``CancelledError`` when ``is_cancelled()`` turns true between steps. A station without
    incidents, census areas or survey answers gets sections with a reason, not an error.
    """
    steps = Steps(progress, is_cancelled, total=len(SECTION_BUILDERS) + 2)
    steps.step("Lecture de l'espace de travail")
    data = prepare(workspace, options)
    station_id = resolve_station(data, station_id)
    start, end = resolve_period(data, period)
    context = StationContext.build(data, station_id, start, end, options)
    sections = []
    for message, builder in SECTION_BUILDERS:
        steps.step(message)
        sections.append(builder(context))
    steps.step("Comparaison des postes")
    if options.include_comparison:
        sections.append(comparison.build(data, station_id, start, end, options))
    if progress is not None:
        progress(1.0, "Portrait prêt")
    return Portrait(
        station_id=station_id, station_name=data.station_name(station_id),
        period=None if start is None else (start.date().isoformat(), end.date().isoformat()),
        sections=sections, parameters=_parameters(data, context, options),
        generated_at=clock.utc_timestamp(),
        warnings=_warnings(data, context))


def build_all_portraits(workspace: Workspace | PortraitData, period: Period = None,
                        options: PortraitOptions = DEFAULT_OPTIONS,
                        progress: Progress | None = None,
                        is_cancelled: IsCancelled | None = None) -> list[Portrait]:
    """Portraits of every station, reading and preparing the workspace only once."""
    data = prepare(workspace, options)
    portraits = []
    ids = data.station_ids
    for number, station_id in enumerate(ids):
        def step(fraction: float, message: str, number: int = number,
                 station_id: str = station_id) -> None:
            if progress is not None:
                progress((number + fraction) / len(ids), f"{station_label(station_id)} : {message}")

        portraits.append(build_portrait(data, station_id, period, options, step, is_cancelled))
    return portraits


def compare_stations(workspace: Workspace | PortraitData, period: Period = None,
                     options: PortraitOptions = DEFAULT_OPTIONS
                     ) -> comparison.StationComparison:
    """Every indicator of every station side by side (see ``sections.comparison``)."""
    data = prepare(workspace, options)
    start, end = resolve_period(data, period)
    return comparison.compare(data, start, end, options)


def resolve_station(data: PortraitData, station_id: str) -> str:
    """The canonical id of a station of the workspace, or a clear error."""
    canonical = normalise_station_id(station_id)
    if canonical not in data.station_ids:
        known = ", ".join(data.station_ids) or "none"
        raise PortraitError(f"Station {station_id!r} is not in this workspace (stations: "
                            f"{known}).")
    return canonical


def resolve_period(data: PortraitData, period: Period
                   ) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The period as timestamps; by default (or for a missing bound) the span of the
    incidents."""
    if period is None:
        return data.incidents.first_date, data.incidents.last_date
    start = pd.Timestamp(period[0]) if period[0] is not None else data.incidents.first_date
    end = pd.Timestamp(period[1]) if period[1] is not None else data.incidents.last_date
    if start is None or end is None:
        raise PortraitError("The workspace holds no incidents: give both ends of the period.")
    if start > end:
        raise PortraitError(f"The period starts ({start.date()}) after it ends "
                            f"({end.date()}).")
    return start.normalize(), end.normalize()


def _parameters(data: PortraitData, context: StationContext, options: PortraitOptions) -> dict:
    return {
        "options": options.to_dict(),
        "period": period_text(context.start, context.end),
        "data_span": period_text(data.incidents.first_date, data.incidents.last_date),
        "crs": data.crs,
        "seed": options.seed,
        "permutations": 0,
        "station_assignment": STATION_ASSIGNMENT_RULE,
        "incidents_placed_by_location": data.incidents.placed_by_location,
        "incidents_without_station": data.incidents.without_station,
        **context.parameters,
        "versions": {"portrait": __version__, **_versions()},
    }


@functools.cache
def _versions() -> dict[str, str]:
    """Read once per process: the installed libraries do not change under it, and reading
    package metadata costs ~25 ms a portrait."""
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["esda"] = "not used (Gi* by portrait.statistics.hotspots, checked against esda in tests)"
    return found


def _warnings(data: PortraitData, context: StationContext) -> list[str]:
    out = []
    if data.incidents.without_station:
        out.append(f"{data.incidents.without_station} incident(s) have no station and no "
                   "location inside a station: they count in no station.")
    if context.population is None:
        out.append("The station has no census population: rates per resident are not given.")
    return out
