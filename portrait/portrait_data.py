"""The workspace layers prepared once for every portrait: slim, typed, sorted by station.

Building a portrait for each of 35 stations must not read and reshape a million incidents 35
times. ``PortraitData`` reads each layer once, keeps only the columns the analyses use,
sorts incidents by station (a station's incidents are then one contiguous slice), and
apportions the census to every station in one pass. It is cached per workspace and rebuilt
when a layer is replaced.

Station membership of an incident is the source's station id (the station responsible for
it, as the police file says); incidents without one are placed by their location. Services
and survey respondents without a station are placed the same way.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from portrait.categories import BY_ID as CATEGORY_BY_ID
from portrait.categories import ISSUE_TAGS, CategoryMapping
from portrait.census_levels import area_levels, column_levels, split_city_rows
from portrait.crs import METRIC_CRS, require_metric
from portrait.indicators import BUILTIN, Catalogue, workspace_catalogue
from portrait.plausible_dates import implausible
from portrait.stations import station_label, station_sort_key
from portrait.statistics.apportion import (
    ApportionParameters,
    ApportionResult,
    apportion,
    census_counts,
)
from portrait.statistics.dasymetric import apportion_by_level, dasymetric_shares
from portrait.workspace import Workspace

UNMAPPED = "unmapped"
STATION_ASSIGNMENT_RULE = ("the source's station id; incidents, services and respondents "
                           "without one are placed in the station whose boundary holds them")
_LAYERS = ("stations", "incidents", "census_areas", "census_values", "indicator_catalogue",
           "services",
           "survey_respondents", "survey_answers", "survey_questions", "category_mappings",
           "calls", "call_pathways", "streets", "survey_scores")
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def forget_whole(workspace: Workspace) -> None:
    """Drop the workspace's data read whole (``PortraitData.of``), once it is read otherwise."""
    _CACHE.pop(workspace, None)


@dataclass
class Incidents:
    """Incidents sorted by station; ``slices[station_id]`` selects a station's rows.

    ``frame`` columns: station, category, date, shift, hour (-1 when unknown), x, y (NaN when
    not located), located. ``tags`` is a boolean matrix (rows x ``tag_ids``).
    """

    frame: pd.DataFrame
    tags: np.ndarray
    tag_ids: tuple[str, ...]
    slices: dict[str, slice]
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    placed_by_location: int
    without_station: int
    sources: tuple[str, ...]
    #: Arrays derived once and reused by every station (the period's points sorted by x).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def of(self, station_id: str) -> tuple[pd.DataFrame, np.ndarray]:
        """A station's incidents and tag rows (empty when it has none)."""
        part = self.slices.get(station_id, slice(0, 0))
        return self.frame.iloc[part], self.tags[part]

    def busiest(self) -> str | None:
        """The station with the most incidents: benchmarks measure the largest station."""
        sizes = {station: part.stop - part.start for station, part in self.slices.items()}
        return max(sizes, key=sizes.__getitem__) if sizes else None

    def period_counts(self, start: pd.Timestamp, end: pd.Timestamp) -> PeriodCounts:
        """Incidents per station and category, and per station and tag, in [start, end]."""
        return _period_counts(self, start, end)

    def others_in_box(self, start: pd.Timestamp | None, end: pd.Timestamp | None,
                      box: tuple[float, float, float, float], station_id: str
                      ) -> tuple[np.ndarray, np.ndarray]:
        """x and y of the period's located incidents not filed under ``station_id`` with
        minx <= x < maxx and miny <= y < maxy, sorted by x: the points just beyond a
        station's boundary that its hot-spot cells count."""
        key = (start, end)
        if key not in self.memo:  # every station's located points of the period, by x
            keep = self.frame["located"].to_numpy()
            if start is not None and end is not None:
                dates = self.frame["date"].to_numpy()
                keep = keep & (dates >= np.datetime64(start)) & (dates <= np.datetime64(end))
            x = self.frame["x"].to_numpy()[keep]
            order = np.argsort(x, kind="stable")
            self.memo[key] = (x[order], self.frame["y"].to_numpy()[keep][order],
                              self.frame["station"].astype(object).to_numpy()[keep][order])
        x, y, station = self.memo[key]
        minx, miny, maxx, maxy = box
        first, last = np.searchsorted(x, [minx, maxx])
        part = slice(int(first), int(last))
        near = first + np.flatnonzero((y[part] >= miny) & (y[part] < maxy)
                                      & (station[part] != station_id))
        return x[near], y[near]


@dataclass
class Census:
    """Census counts after suppression, apportioned to stations, to the city and per area."""

    shares: pd.DataFrame
    stations: ApportionResult
    city: ApportionResult
    areas: ApportionResult
    areas_frame: gpd.GeoDataFrame
    source: str
    vintage: str
    #: Every level's (target_id, area_id, share) weights; ``shares`` holds the finest
    #: level's pieces, where residents are placed (see ``portrait.statistics.dasymetric``).
    weights: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Indicator -> the level of the areas it is taken from; area id -> its level.
    column_level: dict[str, str] = field(default_factory=dict)
    area_level: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    #: Per station, the share of residents living in areas cut by its boundary.
    split_share: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    weighted_levels: tuple[str, ...] = ()
    #: The finest level with a population: where residents are placed, split by surface.
    fine_level: str | None = None
    #: Whether the city's figures come from the source's own whole-city row (else from the
    #: areas that cover the city once), and how many areas the city's population adds up.
    city_from_row: bool = False
    city_areas: int = 0
    #: The indicators' meanings: the built-in catalogue and the workspace's own entries.
    catalogue: Catalogue = BUILTIN

    @property
    def available(self) -> bool:
        return not self.stations.values.empty


@dataclass
class PortraitData:
    """Everything a portrait reads, prepared once from a workspace."""

    title: str
    stations: gpd.GeoDataFrame
    incidents: Incidents
    census: Census
    services: pd.DataFrame
    respondents: pd.DataFrame
    answers: pd.DataFrame
    questions: pd.DataFrame
    apportion_parameters: ApportionParameters
    crs: str = METRIC_CRS
    #: Tables derived once and reused by every station (period tallies, survey sums, trees).
    cache: dict = field(default_factory=dict, repr=False)
    #: Calls for service and the officer's pathway table, as stored (see ``portrait.calls``).
    calls: pd.DataFrame | None = None
    call_pathways: pd.DataFrame | None = None
    #: The street base the brief's maps draw under everything (see ``exports.map_streets``).
    streets: gpd.GeoDataFrame | None = None
    #: Area-level survey scores as published (see ``portrait.sections.survey_scores``).
    survey_scores: pd.DataFrame | None = None

    @property
    def station_ids(self) -> list[str]:
        return self.stations["station_id"].tolist()

    def station_name(self, station_id: str) -> str:
        if "station_names" not in self.cache:  # one pass, not a search per station asked
            names: dict[str, object] = {}
            for known, name in zip(self.stations["station_id"].tolist(),
                                   self.stations["name"].tolist(), strict=True):
                names.setdefault(known, name)
            self.cache["station_names"] = names
        name = self.cache["station_names"].get(station_id)
        return str(name) if name is not None and not pd.isna(name) else \
            station_label(station_id)

    def polygon(self, station_id: str):
        return self.stations.loc[self.stations["station_id"] == station_id].geometry.iloc[0]

    def population(self, station_id: str) -> float | None:
        values = self.census.stations.values
        if station_id not in values.index or "population" not in values:
            return None
        value = values.loc[station_id, "population"]
        return None if pd.isna(value) else float(value)

    @classmethod
    def of(cls, workspace: Workspace | PortraitData,
           parameters: ApportionParameters | None = None) -> PortraitData:
        """The prepared data of ``workspace`` (cached until one of its layers is replaced)."""
        if isinstance(workspace, PortraitData):
            return workspace
        parameters = parameters or ApportionParameters()
        key = (tuple(id(workspace.layer(name)) for name in _LAYERS), parameters)
        cached = _CACHE.get(workspace)
        if cached is not None and cached[0] == key:
            return cached[1]
        data = cls.from_workspace(workspace, parameters)
        _CACHE[workspace] = (key, data)
        return data

    @classmethod
    def from_workspace(cls, workspace: Workspace,
                       parameters: ApportionParameters | None = None,
                       incidents: Incidents | None = None,
                       read_calls: bool = True,
                       census: Census | None = None) -> PortraitData:
        """Every layer read whole, except ``incidents`` when given (read station by station
        from storage, see ``portrait.workspace_query``), the calls when not ``read_calls``
        (the caller then puts its prepared calls in ``cache["calls"]``) and the census when
        given (apportioned once per change of its layers, see ``portrait.census_store``)."""
        parameters = parameters or ApportionParameters()
        crs = str(getattr(workspace, "crs", METRIC_CRS))  # the workspace's own metric CRS
        require_metric(crs, "The workspace")
        stations = prepare_stations(workspace.layer("stations"))
        if incidents is None:
            mapping = CategoryMapping.from_frame(workspace.layer("category_mappings"))
            incidents = prepare_incidents(workspace.layer("incidents"), stations, mapping)
        return cls(
            title=workspace.title,
            stations=stations,
            incidents=incidents,
            census=census if census is not None else census_of(workspace, stations,
                                                               parameters),
            services=_services(workspace.layer("services"), stations),
            respondents=_respondents(workspace.layer("survey_respondents"), stations),
            answers=workspace.layer("survey_answers"),
            questions=workspace.layer("survey_questions"),
            apportion_parameters=parameters,
            crs=crs,
            calls=workspace.layer("calls") if read_calls else None,
            call_pathways=workspace.layer("call_pathways"),
            streets=workspace.layer("streets"),
            survey_scores=workspace.layer("survey_scores"),
        )

    def period_counts(self, start: pd.Timestamp, end: pd.Timestamp) -> PeriodCounts:
        """Incidents per station and category, and per station and tag, in [start, end]."""
        key = (start, end)
        if key not in self.cache:
            self.cache[key] = self.incidents.period_counts(start, end)
        return self.cache[key]


@dataclass(frozen=True)
class PeriodCounts:
    """City-wide tallies for a period: ``by_category`` and ``by_tag`` are station x column
    count tables (every station a row), ``located`` the located incidents per station."""

    by_category: pd.DataFrame
    by_tag: pd.DataFrame
    totals: pd.Series


def polygon_index(x, y, polygons) -> np.ndarray:
    """Index of the polygon holding each point (-1 outside all or without coordinates).

    Each polygon is tested only against the points in its bounding box, with prepared
    geometry: faster than a spatial join for a few dozen stations and many points. A point on
    a shared boundary goes to the first polygon.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.full(x.shape, -1, dtype=np.int64)
    free = np.isfinite(x) & np.isfinite(y)
    for number, polygon in enumerate(polygons):
        if polygon is None or shapely.is_empty(polygon):
            continue
        minx, miny, maxx, maxy = shapely.bounds(polygon)
        candidates = np.flatnonzero(free & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if candidates.size == 0:
            continue
        shapely.prepare(polygon)
        inside = candidates[shapely.contains_xy(polygon, x[candidates], y[candidates])]
        out[inside] = number
        free[inside] = False
    return out


def assign_points(x, y, polygons, ids) -> np.ndarray:
    """The id of the polygon holding each point (None outside all or without coordinates)."""
    index = polygon_index(x, y, polygons)
    lookup = np.array(list(ids) + [None], dtype=object)
    return lookup[index]


def prepare_stations(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(frame):
        require_metric(frame.crs, "The station boundaries", frame)
    frame = frame[frame["station_id"].notna()].copy()
    frame["station_id"] = frame["station_id"].astype(str)
    ids = frame["station_id"].tolist()  # a pandas look-up per comparison cost 5 ms a report
    order = sorted(range(len(ids)), key=lambda i: station_sort_key(ids[i]))
    return frame.iloc[order].reset_index(drop=True)[["station_id", "name", "geometry"]]


def _coordinates(geometry) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(geometry.values if hasattr(geometry, "values") else geometry)
    return shapely.get_x(values), shapely.get_y(values)


def prepare_incidents(frame: gpd.GeoDataFrame, stations: gpd.GeoDataFrame,
                      mapping: CategoryMapping) -> Incidents:
    slim, tags, placed, without = incident_rows(frame, stations, mapping)
    tag_ids = tuple(ISSUE_TAGS)
    station_codes = slim["station"].cat.codes.to_numpy()
    order = np.argsort(station_codes, kind="stable")
    slim = slim.iloc[order].reset_index(drop=True)
    tags = tags[order]
    slices = {}
    sorted_codes = station_codes[order]
    for code, name in enumerate(slim["station"].cat.categories):
        start, end = np.searchsorted(sorted_codes, [code, code + 1])
        slices[str(name)] = slice(int(start), int(end))
    dates = slim["date"]
    return Incidents(slim, tags, tag_ids, slices,
                     dates.min() if len(dates) else None, dates.max() if len(dates) else None,
                     placed, without, incident_sources(frame))


def incident_sources(frame: pd.DataFrame) -> tuple[str, ...]:
    """The sources an incidents layer's rows come from, sorted."""
    return tuple(sorted(str(v) for v in frame["source"].dropna().unique()))


#: The incidents layer's columns ``incident_rows`` and ``incident_sources`` read (besides the
#: points): a build reading the layer a part at a time reads only these.
INCIDENT_ROW_COLUMNS = ("source", "source_category", "category", "date", "time",
                        "time_known", "shift", "station_id", "tags")


def incident_rows(frame: gpd.GeoDataFrame, stations: gpd.GeoDataFrame,
                  mapping: CategoryMapping,
                  coordinates: tuple[np.ndarray, np.ndarray] | None = None,
                  ) -> tuple[pd.DataFrame, np.ndarray, int, int]:
    """Each incident as the portrait reads it, in the layer's order: the slim frame (see
    ``Incidents``), its tag matrix (``ISSUE_TAGS`` columns), and how many rows were placed
    by their location and how many have no station. Row by row, so a layer may be prepared
    a part at a time; ``coordinates`` are the points' x and y when the caller read them
    without making geometries (``frame`` then needs none)."""
    if coordinates is not None:
        x, y = coordinates
    else:
        x, y = _coordinates(frame.geometry) if len(frame) else (np.zeros(0), np.zeros(0))
    station, placed, without = _station_codes(frame["station_id"], x, y, stations)
    category = frame["category"]
    if category.isna().any():  # the common category from the mapping where the row has none
        source_codes, sources = pd.factorize(frame["source_category"])
        mapped = mapping.categories(pd.Series(list(sources), dtype=object)).to_numpy(
            dtype=object)
        fallback = np.append(mapped, None)[source_codes]
        category = category.astype(object).where(category.notna(), fallback)
    category_codes, category_names = pd.factorize(category)
    category_names = [str(c) for c in category_names] + [UNMAPPED]
    category_codes = np.where(category_codes < 0, len(category_names) - 1, category_codes)
    shift_codes, shift_names = pd.factorize(frame["shift"])
    slim = pd.DataFrame({
        "station": station,
        "category": pd.Categorical.from_codes(category_codes, categories=category_names),
        # Left out like the readers leave them out, for workspaces imported before the check.
        "date": frame["date"].mask(implausible(frame["date"])).to_numpy(
            dtype="datetime64[ns]"),
        "shift": pd.Categorical.from_codes(shift_codes, categories=[str(v) for v in
                                                                     shift_names]),
        "hour": _hours(frame["time"], frame["time_known"]),
        "x": x, "y": y,
    })
    slim["category"] = slim["category"].cat.remove_unused_categories()
    slim["located"] = np.isfinite(x) & np.isfinite(y)
    tags = _tag_matrix(frame["tags"], frame["source_category"], mapping, tuple(ISSUE_TAGS))
    return slim, tags, placed, without


def _station_codes(station_ids: pd.Series, x: np.ndarray, y: np.ndarray,
                   stations: gpd.GeoDataFrame) -> tuple[pd.Categorical, int, int]:
    """Station of each row as a categorical: the given id, else the polygon holding it."""
    codes, names = pd.factorize(station_ids)
    known = stations["station_id"].tolist()
    categories = known + [str(n) for n in names if str(n) not in set(known)]
    position = {name: i for i, name in enumerate(categories)}
    lookup = np.array([position[str(n)] for n in names] + [-1], dtype=np.int64)
    out = lookup[codes]  # code -1 picks the trailing -1
    missing = codes < 0
    placed = 0
    if missing.any():
        spatial = assign_points(x[missing], y[missing], stations.geometry.values, known)
        found = np.array([-1 if s is None else position[s] for s in spatial], dtype=np.int64)
        out[missing] = found
        placed = int(np.sum(found >= 0))
    return (pd.Categorical.from_codes(out, categories=categories), placed,
            int(np.sum(out < 0)))


def _tag_matrix(tags: pd.Series, source_categories: pd.Series, mapping: CategoryMapping,
                tag_ids: tuple[str, ...]) -> np.ndarray:
    """Rows x tags booleans: the incident's own tags, else those of its source category."""
    def parse(texts) -> np.ndarray:
        table = np.zeros((len(texts) + 1, len(tag_ids)), dtype=bool)  # last row: no tags
        for row, text in enumerate(texts):
            if text is None or pd.isna(text):
                continue
            parts = {t.strip() for t in str(text).split(",")}
            table[row] = [tag in parts for tag in tag_ids]
        return table

    own_codes, own = pd.factorize(tags)
    source_codes, sources = pd.factorize(source_categories)
    mapped = mapping.tags(pd.Series(list(sources), dtype=object)).tolist()
    result = parse(list(mapped))[source_codes]
    has_own = own_codes >= 0
    if has_own.any():
        result[has_own] = parse(list(own))[own_codes[has_own]]
    return result


def _hours(times: pd.Series, known: pd.Series) -> np.ndarray:
    """Hour of each incident, -1 when the time is unknown: missing, or marked unknown by its
    reader (a placeholder such as the VPD's 00:00). Workspaces written before the mark
    existed have it missing: their times count as given."""
    codes, uniques = pd.factorize(times)  # no Python string per row
    lookup = np.array([_hour(u) for u in uniques] + [_hour("")], dtype=np.int64)
    hours = lookup[codes] if len(codes) else np.zeros(0, dtype=np.int64)  # -1: missing
    unknown = known.astype("boolean").eq(False).fillna(False).to_numpy(dtype=bool)
    return np.where(unknown, -1, hours)


def _hour(text: str) -> int:
    head = str(text).strip().split(":")[0]
    return int(head) if head.isdigit() and 0 <= int(head) <= 23 else -1


def census_of(workspace: Workspace, stations: gpd.GeoDataFrame,
              parameters: ApportionParameters) -> Census:
    """The workspace's census apportioned to ``stations`` (prepared), to the city and per
    area."""
    return _census(workspace.layer("census_areas"), workspace.layer("census_values"),
                   stations, parameters,
                   workspace_catalogue(workspace.layer("indicator_catalogue")))


def _census(areas: gpd.GeoDataFrame, values: pd.DataFrame, stations: gpd.GeoDataFrame,
            parameters: ApportionParameters, catalogue: Catalogue = BUILTIN) -> Census:
    area_values, city_rows = split_city_rows(values)
    wide = census_counts(area_values) if len(area_values) else pd.DataFrame(
        index=pd.Index([], name="area_id"))
    areas = areas[areas["area_id"].notna()].copy()
    areas["area_id"] = areas["area_id"].astype(str)
    if len(areas) and len(stations):
        require_metric(areas.crs, "The census areas", areas)
        areas = areas.to_crs(stations.crs) if areas.crs != stations.crs else areas
    level, order = area_levels(areas, wide.index)
    columns = column_levels(wide, level, order)
    population = wide["population"] if "population" in wide else pd.Series(dtype=float)
    plan = dasymetric_shares(areas if len(stations) else areas.iloc[0:0], stations,
                             population, level, order)
    station_result = apportion_by_level(wide, plan.weights, level, columns, parameters,
                                        catalogue)
    city_shares = pd.DataFrame({"target_id": "city", "area_id": wide.index, "share": 1.0})
    city = apportion_by_level(wide, city_shares, level, columns, parameters, catalogue)
    if len(city_rows):
        city = _with_city_row(city, census_counts(city_rows), parameters, catalogue)
    own_shares = pd.DataFrame({"target_id": wide.index, "area_id": wide.index, "share": 1.0})
    source = ", ".join(sorted(values["source"].dropna().astype(str).unique())) \
        if len(values) else ""
    years = sorted(values["census_year"].dropna().astype(int).unique()) if len(values) else []
    population_level = columns.get("population")
    return Census(plan.pieces, station_result, city,
                  apportion(wide, own_shares, parameters, catalogue),
                  areas, source, ", ".join(f"Census {y}" for y in years),
                  weights=plan.weights, column_level=columns, area_level=level,
                  split_share=plan.split_share, weighted_levels=plan.weighted_levels,
                  fine_level=plan.fine_level,
                  city_from_row=bool(len(city_rows)) and "population" in city_rows[
                      "indicator_id"].to_numpy(),
                  city_areas=int((level.reindex(wide.index) == population_level).sum())
                  if population_level else 0, catalogue=catalogue)


def _with_city_row(tiled: ApportionResult, rows: pd.DataFrame,
                   parameters: ApportionParameters,
                   catalogue: Catalogue = BUILTIN) -> ApportionResult:
    """The city's figures from the source's own whole-city row, the areas' sum where the row
    has no value (an indicator only the finer areas publish)."""
    row = rows.max(axis=0, skipna=True).to_frame("city_row").T
    row.index.name = "area_id"
    own = apportion(row, pd.DataFrame({"target_id": ["city"], "area_id": ["city_row"],
                                       "share": [1.0]}), parameters, catalogue)
    values = own.values.combine_first(tiled.values)
    approximate = tuple(a for a in tiled.approximate if pd.isna(own.values[a].iloc[0]))
    return ApportionResult(values, tiled.value_coverage, tiled.suppressed, approximate,
                           parameters)


def _services(frame: gpd.GeoDataFrame, stations: gpd.GeoDataFrame) -> pd.DataFrame:
    x, y = _coordinates(frame.geometry) if len(frame) else (np.zeros(0), np.zeros(0))
    service_type = frame["service_type"].astype(object).where(frame["service_type"].notna(),
                                                              UNMAPPED)
    station = assign_points(x, y, stations.geometry.values, stations["station_id"].tolist())
    return pd.DataFrame({"service_id": frame["service_id"].astype(object),
                         "name": frame["name"].astype(object),
                         # partners look for their own organisation in the brief's list
                         "address": (frame["address"].astype(object) if "address" in frame
                                     else pd.Series(None, index=frame.index, dtype=object)),
                         "service_type": service_type.to_numpy(dtype=object),
                         "x": x, "y": y, "located": np.isfinite(x) & np.isfinite(y),
                         "station": station})


def _respondents(frame: gpd.GeoDataFrame, stations: gpd.GeoDataFrame) -> pd.DataFrame:
    x, y = _coordinates(frame.geometry) if len(frame) else (np.zeros(0), np.zeros(0))
    station = frame["station_id"].astype(object).where(frame["station_id"].notna(), None)
    station = station.to_numpy(dtype=object, copy=True)  # filled in below
    missing = np.array([s is None for s in station], dtype=bool)
    if missing.any():
        station[missing] = assign_points(x[missing], y[missing], stations.geometry.values,
                                         stations["station_id"].tolist())
    weight = frame["weight"].astype(float).to_numpy()
    dates = pd.to_datetime(frame["date"])
    out = pd.DataFrame({
        "respondent_id": frame["respondent_id"].astype(str).to_numpy(),
        "survey_id": frame["survey_id"].astype(object).where(frame["survey_id"].notna(),
                                                             "survey").to_numpy(),
        "date": dates.to_numpy(),
        "station": station,
        "age_group": frame["age_group"].astype(object).to_numpy(),
        "sex": frame["sex"].astype(object).to_numpy(),
        "weight": np.where(np.isfinite(weight) & (weight > 0), weight, 1.0),
        "weighted": np.isfinite(weight) & (weight > 0),
    })
    out["dated"] = dates.notna().to_numpy(dtype=bool)
    out["wave"] = survey_waves(out["survey_id"].to_numpy(dtype=object), out["date"].to_numpy())
    return out


def survey_waves(survey_ids: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """The wave of each respondent: its survey (file) and year, ``"survey 2024"``.

    A respondent without a date belongs to the wave of its file, the year most of the file's
    dated respondents answered in (the later year on a tie), so that every respondent read is
    counted; a file without any date is one wave named after the survey alone. Plain numpy,
    so pandas 2 (missing years as text "<NA>") and 3 (missing text kept missing) agree.

    >>> survey_waves(np.array(["s", "s", "s"], dtype=object),
    ...              np.array(["2024-05-01", "NaT", "2024-06-01"], dtype="datetime64[ns]"))
    array(['s 2024', 's 2024', 's 2024'], dtype=object)
    """
    ids = np.array([str(i) for i in survey_ids], dtype=object)
    days = np.asarray(dates, dtype="datetime64[ns]")
    dated = ~np.isnat(days)
    years = np.where(dated, days.astype("datetime64[Y]").astype(np.int64) + 1970, -1)
    waves = np.empty(len(ids), dtype=object)
    for survey_id in dict.fromkeys(ids.tolist()):
        rows = ids == survey_id
        found, counts = np.unique(years[rows & dated], return_counts=True)
        usual = int(found[counts == counts.max()].max()) if len(found) else None
        own = np.where(dated[rows], years[rows], -1 if usual is None else usual)
        waves[rows] = [survey_id if y < 0 else f"{survey_id} {y}" for y in own]
    return waves


def category_label(category_id: str) -> tuple[str, str]:
    """French and English labels of a common category (the id itself when unknown)."""
    if category_id in CATEGORY_BY_ID:
        found = CATEGORY_BY_ID[category_id]
        return found.label_fr, found.label_en
    if category_id == UNMAPPED:
        return "Catégorie non associée", "Unmapped category"
    return category_id, category_id


def _period_counts(incidents: Incidents, start: pd.Timestamp, end: pd.Timestamp
                   ) -> PeriodCounts:
    frame = incidents.frame
    dates = frame["date"].to_numpy()
    inside = (dates >= np.datetime64(start)) & (dates <= np.datetime64(end))
    station_codes = frame["station"].cat.codes.to_numpy().astype(np.int64)[inside]
    keep = station_codes >= 0
    station_codes = station_codes[keep]
    stations = [str(s) for s in frame["station"].cat.categories]
    categories = [str(c) for c in frame["category"].cat.categories]
    category_codes = frame["category"].cat.codes.to_numpy().astype(np.int64)[inside][keep]
    flat = np.bincount(station_codes * len(categories) + category_codes,
                       minlength=len(stations) * len(categories))
    by_category = pd.DataFrame(flat.reshape(len(stations), len(categories)),
                               index=pd.Index(stations, name="station"), columns=categories)
    tags = incidents.tags[inside][keep]
    by_tag = pd.DataFrame({tag: np.bincount(station_codes, weights=tags[:, j],
                                            minlength=len(stations)).astype(np.int64)
                           for j, tag in enumerate(incidents.tag_ids)},
                          index=pd.Index(stations, name="station"))
    return PeriodCounts(by_category, by_tag, by_category.sum(axis=1))
