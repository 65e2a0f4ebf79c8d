"""The demo city: real file formats, internal consistency, determinism and speed."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import CRS, Transformer

from data_connectors.statcan_characteristics import BY_ID, CHARACTERISTICS
from demo_city import SIZES, CitySize, DemoFiles, generate_city

REAL_PDQ = Path("/work/shared/data/montreal/limites_pdq_mtm8_epsg32188.geojson")
PROFILE_HEADER = (
    '"CENSUS_YEAR","DGUID","ALT_GEO_CODE","GEO_LEVEL","GEO_NAME","TNR_SF","TNR_LF",'
    '"DATA_QUALITY_FLAG","CHARACTERISTIC_ID","CHARACTERISTIC_NAME","CHARACTERISTIC_NOTE",'
    '"C1_COUNT_TOTAL","SYMBOL","C2_COUNT_MEN+","SYMBOL","C3_COUNT_WOMEN+","SYMBOL",'
    '"C10_RATE_TOTAL","SYMBOL","C11_RATE_MEN+","SYMBOL","C12_RATE_WOMEN+","SYMBOL"')
CATEGORIES = {"Introduction", "Méfait", "Vol dans / sur véhicule à moteur",
              "Vol de véhicule à moteur", "Vols qualifiés", "Infractions entrainant la mort"}
AGREEMENT = {"Tout à fait d'accord", "Plutôt d'accord", "Plutôt en désaccord",
             "Tout à fait en désaccord", "Je ne sais pas", "Je préfère ne pas répondre", ""}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, today: date) -> DemoFiles:
    return generate_city(tmp_path_factory.mktemp("small"), "small", seed=7, today=today)


@pytest.fixture(scope="module")
def incidents(city: DemoFiles) -> pd.DataFrame:
    return pd.read_csv(city.incidents, dtype={"PDQ": str})


@pytest.fixture(scope="module")
def profile(city: DemoFiles) -> pd.DataFrame:
    return pd.read_csv(city.census_profile, encoding="cp1252", dtype=str,
                       keep_default_na=False)


def test_small_city_is_fast_and_reports_progress(tmp_path: Path, today: date) -> None:
    calls: list[tuple[float, str]] = []
    started = time.perf_counter()
    files = generate_city(tmp_path, "small", seed=1, progress=lambda f, m: calls.append((f, m)),
                          today=today)
    assert time.perf_counter() - started < 2.0
    assert all(path.is_file() for path in files.all_paths())
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert SIZES["small"] == CitySize(3, 40, 3000, 3, 60, 300)


def test_same_seed_same_bytes_other_seed_differs(city: DemoFiles, tmp_path: Path,
                                                 today: date) -> None:
    again = generate_city(tmp_path / "again", "small", seed=7, today=today)
    for mine, theirs in zip(city.all_paths(), again.all_paths(), strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
    other = generate_city(tmp_path / "other", "small", seed=8, today=today)
    assert other.incidents.read_bytes() != city.incidents.read_bytes()
    assert other.stations.read_bytes() != city.stations.read_bytes()


def test_station_file_is_like_the_spvm_one(city: DemoFiles) -> None:
    text = city.stations.read_text(encoding="utf-8")
    assert '"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::32188" } }' \
        in text
    info = pyogrio.read_info(city.stations)
    assert CRS.from_user_input(info["crs"]).to_epsg() == 32188
    assert list(info["fields"]) == ["OBJECTID", "PDQ", "Shape_Leng", "Shape_Area"]
    stations = gpd.read_file(city.stations)
    assert stations["PDQ"].dtype == np.float64 and (stations["PDQ"] % 1 == 0).all()
    assert set(stations.geom_type) == {"MultiPolygon"}
    x0, y0, x1, y1 = stations.total_bounds
    assert 250_000 < x0 < x1 < 325_000 and 5_020_000 < y0 < y1 < 5_075_000
    union = stations.geometry.union_all()
    assert union.area == pytest.approx(stations.area.sum(), rel=1e-9)  # no overlap
    assert len(union.geoms if union.geom_type == "MultiPolygon" else [union]) == 1  # no hole


@pytest.mark.shared_data
def test_station_properties_match_the_real_file(city: DemoFiles) -> None:
    if not REAL_PDQ.is_file():
        pytest.skip("real SPVM boundary file not available")
    real, ours = pyogrio.read_info(REAL_PDQ), pyogrio.read_info(city.stations)
    assert list(ours["fields"]) == list(real["fields"])
    assert list(ours["dtypes"]) == list(real["dtypes"])
    assert ours["crs"] == real["crs"] and ours["geometry_type"] == real["geometry_type"]


def test_da_shapefile_is_like_statistics_canada(city: DemoFiles) -> None:
    areas = gpd.read_file(city.da_boundaries)
    assert areas.crs.to_epsg() == 3347
    assert list(areas.columns) == ["DAUID", "DGUID", "LANDAREA", "PRUID", "geometry"]
    assert areas["DAUID"].str.fullmatch(r"2466\d{4}").all() and areas["DAUID"].is_unique
    assert (areas["DGUID"] == "2021S0512" + areas["DAUID"]).all()
    assert (areas["PRUID"] == "24").all()
    assert np.allclose(areas["LANDAREA"], areas.to_crs(32188).area / 1e6, atol=1e-3)
    assert len(areas) == 40


def test_census_profile_header_encoding_and_index(city: DemoFiles,
                                                 profile: pd.DataFrame) -> None:
    raw = city.census_profile.read_bytes()
    assert raw.startswith(PROFILE_HEADER.encode("ascii") + b"\r\n")
    assert b"Montr\xe9al" in raw  # Windows-1252, not UTF-8
    ids = [c.id for c in CHARACTERISTICS]
    das = profile[profile["GEO_LEVEL"] == "Dissemination area"]
    assert (das["ALT_GEO_CODE"] == das["GEO_NAME"]).all()
    shapes = gpd.read_file(city.da_boundaries)
    assert set(das["ALT_GEO_CODE"]) == set(shapes["DAUID"])
    first = das[das["GEO_NAME"] == das["GEO_NAME"].iloc[0]]
    assert first["CHARACTERISTIC_ID"].astype(int).tolist() == ids
    assert first["CHARACTERISTIC_NAME"].tolist() == [BY_ID[i].name for i in ids]
    assert BY_ID[9].name == "  0 to 14 years"  # nesting spaces survive
    index = pd.read_csv(city.census_geo_index, encoding="cp1252", dtype=str)
    assert list(index.columns) == ["Geo Code", "Geo Name", "Line Number"]
    lines = city.census_profile.read_bytes().decode("cp1252").split("\r\n")
    for _, row in index.iterrows():
        fields = next(csv.reader(io.StringIO(lines[int(row["Line Number"]) - 1])))
        assert fields[1] == row["Geo Code"] and fields[8] == "1"


def test_small_das_are_suppressed(profile: pd.DataFrame) -> None:
    das = profile[profile["GEO_LEVEL"] == "Dissemination area"]
    population = das[das["CHARACTERISTIC_ID"] == "1"].set_index("GEO_NAME")["C1_COUNT_TOTAL"]
    population = population.astype(int)
    tiny = population.index[population < 40]
    small = population.index[(population >= 40) & (population < 100)]
    assert len(tiny) and len(small)
    rows = das[das["GEO_NAME"].isin(tiny) & (das["CHARACTERISTIC_ID"].astype(int) >= 8)]
    assert (rows["C1_COUNT_TOTAL"] == "").all() and (rows["SYMBOL"] == "x").all()
    income = das[das["GEO_NAME"].isin(small) & das["CHARACTERISTIC_ID"].isin(["243", "340"])]
    assert (income["SYMBOL"] == "x").all()
    assert (das["SYMBOL"] == "..").any()
    big = das[das["GEO_NAME"].isin(population.index[population >= 100])]
    assert (big.loc[big["CHARACTERISTIC_ID"] == "243", "C1_COUNT_TOTAL"] != "").mean() > 0.9


def test_incident_file_format(city: DemoFiles, incidents: pd.DataFrame, today: date) -> None:
    from conftest import reporting_months

    with open(city.incidents, encoding="utf-8") as handle:
        assert handle.readline() == "CATEGORIE,DATE,QUART,PDQ,X,Y,LONGITUDE,LATITUDE\n"
    assert set(incidents["CATEGORIE"]) <= CATEGORIES
    assert set(incidents["QUART"]) == {"jour", "soir", "nuit"}
    assert incidents["DATE"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    first, last = reporting_months(today, 3)
    assert incidents["DATE"].min() == str(first) and incidents["DATE"].max() == str(last)
    stations = gpd.read_file(city.stations)
    assert set(incidents["PDQ"]) == {f"{p:.1f}" for p in stations["PDQ"]}
    shares = incidents["CATEGORIE"].value_counts(normalize=True)
    assert 0.25 < shares["Vol dans / sur véhicule à moteur"] < 0.35
    assert len(incidents) == 3000


def test_placeholder_rows_have_the_spvm_fake_location(incidents: pd.DataFrame) -> None:
    fake = incidents[(incidents["X"] == 1.0) & (incidents["Y"] == 1.0)]
    assert 2 <= len(fake) <= 40
    lon, lat = Transformer.from_crs(32188, 4326, always_xy=True).transform(1.0, 1.0)
    assert np.allclose(fake["LONGITUDE"], lon) and np.allclose(fake["LATITUDE"], lat)
    assert fake["LONGITUDE"].round(4).eq(-76.2373).all()
    assert fake["PDQ"].notna().all() and fake["CATEGORIE"].notna().all()


def test_incidents_lie_in_their_station(city: DemoFiles, incidents: pd.DataFrame) -> None:
    located = incidents[incidents["X"] != 1.0]
    points = gpd.GeoDataFrame(located, geometry=gpd.points_from_xy(located["X"], located["Y"]),
                              crs=32188)
    stations = gpd.read_file(city.stations)[["PDQ", "geometry"]]
    joined = gpd.sjoin(points, stations, predicate="within", how="left")
    assert len(joined) == len(points)  # no point on a shared boundary
    assert (joined["PDQ_left"].astype(float) == joined["PDQ_right"]).all()


def test_lonlat_are_the_projected_xy(incidents: pd.DataFrame) -> None:
    located = incidents[incidents["X"] != 1.0]
    lon, lat = Transformer.from_crs(32188, 4326, always_xy=True).transform(
        located["X"].to_numpy(), located["Y"].to_numpy())
    assert np.allclose(located["LONGITUDE"], lon, atol=1e-9)
    assert np.allclose(located["LATITUDE"], lat, atol=1e-9)
    assert located["LATITUDE"].between(45.3, 45.8).all()
    assert located["LONGITUDE"].between(-74.1, -73.4).all()


def test_incidents_follow_seasons_and_shifts(incidents: pd.DataFrame) -> None:
    month = pd.to_datetime(incidents["DATE"]).dt.month
    assert month.isin([6, 7, 8]).sum() > 1.1 * month.isin([12, 1, 2]).sum()
    shifts = pd.crosstab(incidents["CATEGORIE"], incidents["QUART"], normalize="index")
    assert shifts.loc["Introduction", "jour"] > shifts.loc["Introduction", "nuit"]
    assert shifts.loc["Vols qualifiés", "soir"] > shifts.loc["Vols qualifiés", "jour"]


def test_service_inventory(city: DemoFiles) -> None:
    services = pd.read_csv(city.services, dtype=str, keep_default_na=False)
    assert list(services.columns) == ["nom", "type", "adresse", "code_postal", "latitude",
                                      "longitude", "telephone", "site_web"]
    assert services["nom"].str.contains("Œ").any()
    assert (services["type"] == "Police").sum() == 3
    unlocated = services[services["latitude"] == ""]
    assert len(unlocated) >= 1 and (unlocated["adresse"] != "").all()
    assert services["code_postal"].str.fullmatch(r"H\d[A-Z] \d[A-Z]\d").all()
    located = services[services["latitude"] != ""]
    assert located["latitude"].astype(float).between(45.3, 45.8).all()


def test_survey_export(city: DemoFiles) -> None:
    raw = city.survey.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\"id\",\"submitdate\",\"lastpage\",\"startlanguage\"")
    survey = pd.read_csv(city.survey, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    expected = ["id", "submitdate", "lastpage", "startlanguage", "PDQ", "codepostal", "age",
                "sexe", "poids"] + [f"Q{i:02d}" for i in range(1, 11)]
    assert list(survey.columns) == expected and len(survey) == 300
    assert set(survey["age"]) <= {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert set(survey["Q01"]) <= AGREEMENT and set(survey["Q02"]) <= AGREEMENT
    assert survey["poids"].astype(float).mean() == pytest.approx(1.0, abs=0.01)
    incomplete = survey[survey["submitdate"] == ""]
    assert len(incomplete) and (incomplete["Q10"] == "").all()
    positions = {"Tout à fait en désaccord": 1, "Plutôt en désaccord": 2,
                 "Plutôt d'accord": 3, "Tout à fait d'accord": 4}
    night = survey["Q02"].map(positions)
    assert night[survey["age"] == "65+"].mean() < night[survey["age"] == "25-34"].mean()
    questions = pd.read_csv(city.survey_questions)
    assert list(questions.columns) == ["question_id", "texte", "theme", "echelle"]
    assert set(questions["theme"]) <= {"sentiment de sécurité", "confiance", "satisfaction",
                                       "problèmes perçus", "victimisation", "priorités"}


def test_demo_city_keeps_to_its_layer() -> None:
    package = Path(__file__).resolve().parents[1] / "demo_city"
    forbidden = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|ui|exports|cli)\b", re.M)
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not forbidden.search(text), source.name
        assert "print(" not in text, source.name
