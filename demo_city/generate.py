"""Generate the whole demo city into a folder: the only entry point the CLI and tests need.

Each part (geography, population, census values, addresses, incidents, services, survey)
draws from its own random generator, derived from the seed with ``SeedSequence.spawn``, so
that parts are independent: asking for more incidents does not move a single DA boundary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from scipy.spatial import cKDTree

from demo_city import calls as cad_calls
from demo_city import census, geography, incidents, population, services, survey, writers
from demo_city.addresses import make_addresses
from demo_city.streets import write_streets
from portrait import clock

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CitySize:
    """How big a city to generate."""

    stations: int
    areas: int
    incidents: int
    years: int
    services: int
    respondents: int


SIZES: dict[str, CitySize] = {
    "small": CitySize(3, 40, 3_000, 3, 60, 300),
    "default": CitySize(10, 300, 40_000, 4, 250, 1_200),
    "large": CitySize(35, 3_500, 1_000_000, 5, 2_000, 5_000),
}


#: Most stations and incidents a demo city is generated with (a province's benchmark).
MAX_STATIONS = 150
MAX_INCIDENTS = 10_000_000


def sized(size: str, stations: int | None = None, incidents: int | None = None) -> CitySize:
    """A named size with another number of stations (census areas, services and
    respondents scaled with them, as many per station) or of incidents."""
    base = SIZES[size]
    stations = base.stations if stations is None else stations
    incidents = base.incidents if incidents is None else incidents
    if not 1 <= stations <= MAX_STATIONS:
        raise ValueError(f"--stations takes 1 to {MAX_STATIONS} stations, not {stations}.")
    if not 1 <= incidents <= MAX_INCIDENTS:
        raise ValueError(f"--incidents takes 1 to {MAX_INCIDENTS:,} incidents, not "
                         f"{incidents:,}.")
    scale = stations / base.stations
    return CitySize(stations, max(base.areas, round(base.areas * scale)), incidents,
                    base.years, round(base.services * scale), round(base.respondents * scale))


@dataclass(frozen=True)
class DemoFiles:
    """Paths of the files written (the shapefile's .shx, .dbf and .prj sit beside it)."""

    stations: Path
    da_boundaries: Path
    census_profile: Path
    census_geo_index: Path
    incidents: Path
    services: Path
    survey: Path
    calls: Path
    streets: Path

    @property
    def survey_questions(self) -> Path:
        return self.survey.with_name("sondage_questions.csv")

    def all_paths(self) -> tuple[Path, ...]:
        """Every file written, shapefile companions included."""
        shapefile = tuple(self.da_boundaries.with_suffix(s) for s in (".shx", ".dbf", ".prj"))
        return (self.stations, self.da_boundaries, *shapefile, self.census_profile,
                self.census_geo_index, self.incidents, self.services, self.survey,
                self.survey_questions, self.calls, self.streets)


def _files(out_dir: Path) -> DemoFiles:
    return DemoFiles(
        stations=out_dir / "limitespdq.geojson",
        da_boundaries=out_dir / "lda_000b21a_e.shp",
        census_profile=out_dir / "98-401-X2021006_English_CSV_data.csv",
        census_geo_index=out_dir / "98-401-X2021006_Geo_starting_row_Quebec.CSV",
        incidents=out_dir / "actes-criminels.csv",
        services=out_dir / "repertoire_services.csv",
        survey=out_dir / "sondage_residents.csv",
        calls=out_dir / "appels-service.csv",
        streets=out_dir / "rues_osm.gpkg",
    )


def _dauids(rng: np.random.Generator, count: int) -> list[str]:
    """Eight-digit DAUIDs in census division 24 66 (Montréal), increasing with small gaps."""
    codes = int(rng.integers(1, 20)) + np.cumsum(rng.integers(1, 3, count)) - 1
    return [f"2466{c:04d}" for c in codes]


def generate_city(out_dir: Path, size: str | CitySize = "default", seed: int = 42,
                  progress: Progress | None = None, *, today: date | None = None) -> DemoFiles:
    """Write a synthetic Montréal-like city into ``out_dir`` and return the file paths.

    The same ``seed`` and ``size`` give byte-identical files (for a given ``today``, which
    sets the incident period: ``size.years`` whole years ending with last month).
    """
    spec = SIZES[size] if isinstance(size, str) else size
    today = today or clock.today()
    report = progress or (lambda fraction, message: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = _files(out_dir)
    for path in files.all_paths() + (files.da_boundaries.with_suffix(".cpg"),):
        path.unlink(missing_ok=True)
    rng_geo, rng_pop, rng_census, rng_addr, rng_inc, rng_srv, rng_survey = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7))
    started = time.perf_counter()

    report(0.0, "Dessin de l'île et des rues")
    area = geography.city_area_km2(spec.stations)
    outline, frame = geography.make_outline(rng_geo, area)
    surfaces = population.make_surfaces(rng_pop, frame)
    parks = geography.make_parks(rng_geo, frame, area)
    streets = geography.make_streets(rng_geo, outline, frame, parks)
    density = surfaces.density(streets.x, streets.y)
    stations = geography.make_stations(rng_geo, streets, density, spec.stations, outline, frame)
    streets, station_of = geography.assign_intersections(streets, stations)
    density = surfaces.density(streets.x, streets.y)
    areas = geography.make_areas(rng_geo, streets, density, spec.areas, outline, frame)
    n_areas = len(areas.geometry)
    log.info("Geography: %d intersections, %d stations, %d DAs (%.1fs)", len(streets),
             spec.stations, n_areas, time.perf_counter() - started)

    report(0.15, "Limites des postes de quartier et des aires de diffusion")
    writers.write_stations(files.stations, stations)
    dauid = _dauids(rng_geo, n_areas)
    writers.write_areas(files.da_boundaries, areas.geometry, dauid)

    report(0.25, "Profil du recensement")
    residents = np.bincount(areas.intersection_area, weights=density, minlength=n_areas)
    da_population = population.area_populations(rng_pop, residents, n_areas)
    cx, cy = areas.centre[:, 0], areas.centre[:, 1]
    inputs = census.AreaInputs(da_population, shapely.area(areas.geometry) / 1e6,
                               surfaces.deprivation(cx, cy), surfaces.centrality(cx, cy))
    city = max(float(da_population.sum()), 1.0)
    geos = [writers.Geography("2021A000224", "24", "Province", "Quebec"),
            writers.Geography("2021A00032466", "2466", "Census division", "Montréal"),
            writers.Geography("2021A00052466023", "2466023", "Census subdivision", "Montréal")]
    values = census.profile_values(rng_census, inputs,
                                   {"Quebec": 8_501_833 / city, "CD": 1.0, "CSD": 1.0})
    geos += [writers.Geography(f"2021S0512{d}", d, "Dissemination area", d) for d in dauid]
    writers.write_profile(files.census_profile, files.census_geo_index, geos, values)

    report(0.35, "Actes criminels")
    start, end = incidents.reporting_period(spec.years, today)
    hot = incidents.make_hot_places(rng_inc, streets, frame, surfaces)
    weights = incidents.category_weights(streets, surfaces, hot)
    events = incidents.make_incidents(rng_inc, spec.incidents, streets, station_of,
                                      spec.stations, weights, start, end)
    report(0.6, "Écriture des actes criminels")
    writers.write_incidents(files.incidents, events, streets, stations.pdq)
    log.info("Incidents: %d from %s to %s (%.1fs)", len(events), start, end,
             time.perf_counter() - started)

    report(0.8, "Répertoire des services")
    addresses = make_addresses(rng_addr, streets, frame, spec.stations)
    write_streets(files.streets, streets, addresses)
    inventory = services.make_services(rng_srv, spec.services, streets, station_of, stations,
                                       surfaces, addresses)
    writers.write_services(files.services, inventory)

    report(0.9, "Sondage auprès des résidents")
    _, da_station = cKDTree(stations.centre).query(areas.centre)
    station_pop = np.bincount(da_station, weights=da_population, minlength=spec.stations)
    station_pop = np.maximum(station_pop, 1.0)
    rate = np.bincount(events.station, minlength=spec.stations) / station_pop
    crime = (rate - rate.mean()) / (rate.std() or 1.0)
    deprivation = surfaces.deprivation(streets.x, streets.y)
    dep = (np.bincount(station_of, weights=deprivation * density, minlength=spec.stations)
           / np.maximum(np.bincount(station_of, weights=density, minlength=spec.stations), 1e-9))
    profile = survey.StationProfile(stations.pdq, station_pop, crime, dep,
                                    addresses.station_fsas)
    answers = survey.make_survey(rng_survey, spec.respondents, profile, end)
    writers.write_survey(files.survey, answers, files.survey_questions, survey.questions_table())

    report(0.95, "Appels de service")
    rng_calls = np.random.default_rng(np.random.SeedSequence(seed).spawn(8)[7])
    call_start = max(start, incidents.reporting_period(cad_calls.CALL_YEARS, today)[0])
    calls = cad_calls.make_calls(rng_calls, cad_calls.call_count(spec.incidents, spec.years),
                                 streets, station_of, surfaces, weights, call_start, end)
    cad_calls.write_calls(files.calls, calls, streets, station_of, stations.pdq, addresses,
                          rng_calls)

    report(1.0, "Ville de démonstration prête")
    log.info("Demo city written to %s in %.1fs", out_dir, time.perf_counter() - started)
    return files
