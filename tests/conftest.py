"""Shared fixtures, and the environment Qt needs to run in tests.

The Qt variables are set here, at import, because Qt reads them once when the application
object and WebEngine start: tests run without a display, and as root Chromium's sandbox must
be off or WebEngine aborts. Configuration and cache folders point to a temporary folder so
tests never touch the user's real settings.

No test reads the wall clock: the application's clock (``portrait.clock``) is pinned for the
whole run to ``--today`` (default 2026-11-23), and tests that build data from "today" take
the ``today`` fixture. Those tests are marked ``date_dependent``; ``make test`` runs them
again at a leap day and a 1 January.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(
    flag for flag in (os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""), "--no-sandbox") if flag
)
_USER_DIRS = Path(tempfile.mkdtemp(prefix="portrait-tests-home-"))
for _variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_variable] = str(_USER_DIRS / _variable.lower())

import geopandas as gpd  # noqa: E402  (after the environment is set)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402

from portrait import clock  # noqa: E402
from portrait.crs import METRIC_CRS  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.tile_source import register_tile_scheme  # noqa: E402

register_tile_scheme()  # as the app does, before pytest-qt creates the QApplication

#: Two stations side by side (3 km x 3 km each), in MTM zone 8 near downtown Montréal.
STATION_BOXES = {"38": (295_000, 5_040_000, 298_000, 5_043_000),
                 "4": (298_000, 5_040_000, 301_000, 5_043_000)}
SERVICE_TYPES = ("Banque alimentaire", "Maison des jeunes", "Centre communautaire",
                 "Hébergement")


#: The date the suite runs at unless ``--today`` says otherwise.
DEFAULT_TODAY = "2026-11-23"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--today", default=DEFAULT_TODAY,
                     help="the date the application's clock is pinned to (YYYY-MM-DD)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "date_dependent: builds data from the pinned today "
                            "(selected automatically from the ``today`` fixture)")
    clock.pin(_pinned_today(config))


def pytest_unconfigure(config: pytest.Config) -> None:
    clock.pin(None)
    shutil.rmtree(_USER_DIRS, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "today" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.date_dependent)


def _pinned_today(config: pytest.Config):
    import datetime as dt

    text = config.getoption("--today")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"--today takes a date as YYYY-MM-DD, not {text!r}") from None


@pytest.fixture(autouse=True)
def _montreal_words():
    """Each test starts with Montréal's service words, whatever a window or command of the
    test before set for the process (``portrait.service_words.use_for_process``)."""
    yield
    from portrait.service_words import MONTREAL, use_for_process

    use_for_process(MONTREAL)


@pytest.fixture(scope="session")
def today(pytestconfig: pytest.Config):
    """The pinned date: what the application's clock says during this run."""
    return _pinned_today(pytestconfig)


def build_small_workspace(path: Path, incidents_per_station: int = 100) -> Workspace:
    """A hand-made workspace: 2 stations, 6 census areas with values, incidents, services."""
    rng = np.random.default_rng(38)
    workspace = Workspace.create(path, title="Quartier d'essai")
    workspace.set_layer("stations", _stations())
    areas = _census_areas()
    workspace.set_layer("census_areas", areas)
    workspace.set_layer("census_values", _census_values(areas["area_id"], rng))
    workspace.set_layer("incidents", _incidents(incidents_per_station, rng))
    workspace.set_layer("services", _services(rng))
    workspace.save()
    return workspace


@pytest.fixture
def small_workspace(tmp_path: Path) -> Workspace:
    """A saved, hand-made workspace (does not depend on the demo-city generator)."""
    return build_small_workspace(tmp_path / "small.gpkg")


def _stations() -> gpd.GeoDataFrame:
    geometries = [shapely.MultiPolygon([shapely.box(*bounds)]) for bounds in
                  STATION_BOXES.values()]
    return gpd.GeoDataFrame(
        {"station_id": list(STATION_BOXES), "name": [f"PDQ {i}" for i in STATION_BOXES]},
        geometry=geometries, crs=METRIC_CRS)


def _census_areas() -> gpd.GeoDataFrame:
    """Three 1 km x 3 km strips per station."""
    ids, geometries = [], []
    for west, south, _, north in STATION_BOXES.values():
        for strip in range(3):
            ids.append(f"2466{len(ids):04d}")
            x0 = west + strip * 1_000
            geometries.append(shapely.MultiPolygon([shapely.box(x0, south, x0 + 1_000, north)]))
    return gpd.GeoDataFrame(
        {"area_id": ids, "name": [f"AD {i}" for i in ids], "level": "DA",
         "census_year": 2021},
        geometry=geometries, crs=METRIC_CRS)


def _census_values(area_ids: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for number, area_id in enumerate(area_ids):
        population = float(rng.integers(400, 2_000))
        counts = {
            "population": population,
            "age_total": population,
            "age_0_14": round(population * rng.uniform(0.08, 0.25)),
            "age_65_plus": round(population * rng.uniform(0.08, 0.3)),
            "low_income_base": population * 0.97,
            "low_income": round(population * (0.08 + 0.05 * number)),
            "immigration_base": population * 0.97,
            "immigrants": round(population * rng.uniform(0.15, 0.5)),
            "households": round(population / 2.1),
            "median_household_income": float(rng.integers(38_000, 90_000)),
        }
        if number == 5:  # a suppressed value, as Statistics Canada publishes them
            counts["low_income"] = np.nan
        for indicator_id, value in counts.items():
            rows.append({"area_id": area_id, "indicator_id": indicator_id, "value": value,
                         "symbol": "x" if pd.isna(value) else None, "census_year": 2021,
                         "source": "Recensement 2021 (test)"})
    return pd.DataFrame(rows)


def _incidents(per_station: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Incidents in each station; one in ten has no location, as in SPVM files."""
    frames = []
    for station_id, (west, south, east, north) in STATION_BOXES.items():
        x = rng.uniform(west + 50, east - 50, per_station)
        y = rng.uniform(south + 50, north - 50, per_station)
        points = [None if i % 10 == 9 else shapely.Point(px, py)
                  for i, (px, py) in enumerate(zip(x, y, strict=True))]
        frames.append(gpd.GeoDataFrame(
            {"source_id": [f"{station_id}-{i}" for i in range(per_station)],
             "source": "test", "source_category": rng.choice(
                 ["Vol dans / sur véhicule à moteur", "Méfait", "Introduction"], per_station),
             "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(
                 rng.integers(0, 365, per_station), unit="D"),
             "station_id": station_id},
            geometry=gpd.GeoSeries(points, crs=METRIC_CRS)))
    return pd.concat(frames, ignore_index=True)


def _services(rng: np.random.Generator) -> gpd.GeoDataFrame:
    count = 10
    west, south, east, north = STATION_BOXES["38"][0], 5_040_000, 301_000, 5_043_000
    points = [shapely.Point(px, py) for px, py in zip(
        rng.uniform(west + 100, east - 100, count), rng.uniform(south + 100, north - 100, count),
        strict=True)]
    return gpd.GeoDataFrame(
        {"service_id": [f"S{i}" for i in range(count)],
         "name": [f"Organisme communautaire n° {i}" for i in range(count)],
         "service_type": [SERVICE_TYPES[i % len(SERVICE_TYPES)] for i in range(count)],
         "address": [f"{1000 + i} rue Sainte-Catherine" for i in range(count)],
         "source": "test", "located": True},
        geometry=points, crs=METRIC_CRS)


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory, today):
    """The small demo city's raw files, generated once per test run by the project's code."""
    from demo_city.generate import generate_city

    return generate_city(tmp_path_factory.mktemp("demo-city"), size="small", seed=7,
                         today=today)


def reporting_months(today, years: int):
    """First and last day of the ``years`` x 12 whole months before ``today``'s month, as the
    demo city's files cover them (computed here independently of the generator)."""
    import datetime as dt

    end = today.replace(day=1) - dt.timedelta(days=1)
    start = dt.date(end.year - years, end.month, 1) + dt.timedelta(days=31)
    return start.replace(day=1), end
