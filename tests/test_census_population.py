"""The city's and the stations' populations on real inputs: city rows, several census levels,
dissemination-area files imported with no mapping, deprivation scores.

Generated fixtures reproduce the shapes of the real files (a wide profile with its own city
rows, boroughs over dissemination areas, a DA GeoJSON whose code is the feature's ``id``, a
DAUID/DGUID table) and always run; the real files in ../shared/data (or
``$PORTRAIT_SHARED_DATA``) are used when present.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from cli.main import main
from data_connectors.area_boundaries import AreaBoundaryReader
from data_connectors.base import ReadContext
from data_connectors.importer import import_files
from data_connectors.registry import find_reader, get_reader
from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from portrait.crs import METRIC_CRS
from portrait.engine import build_portrait, compare_stations, prepare
from portrait.stations import normalise_station_id
from portrait.statistics.dasymetric import dasymetric_shares
from portrait.wording import in_language, is_known
from portrait.workspace import Workspace

SHARED = Path(os.environ.get("PORTRAIT_SHARED_DATA")  # a worktree lives deeper than main
              or Path(__file__).resolve().parents[2] / "shared" / "data")
MONTREAL = SHARED / "montreal"
VANCOUVER = SHARED / "vancouver"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")

X0, Y0 = 295_000, 5_040_000
#: Two stations side by side, 3 km x 3 km each.
STATIONS = {"1": (0, 3_000), "2": (3_000, 6_000)}
#: Dissemination areas as (x from, x to) strips of the stations' height, and populations:
#: the third is cut by the stations' shared boundary (2/3 in station 1, 1/3 in station 2).
DAS = {"24660001": ((0, 1_000), 2_000), "24660002": ((1_000, 2_000), 2_000),
       "24660003": ((2_000, 3_500), 1_000), "24660004": ((3_500, 4_500), 100),
       "24660005": ((4_500, 6_000), 900)}
#: Station populations built from the DAs, and the share living in the cut DA.
EXPECTED = {"1": 2_000 + 2_000 + 1_000 * 2 / 3, "2": 1_000 / 3 + 100 + 900}
ECONOMIC_DEPENDENCY = {"24660001": 1.0, "24660002": 0.5, "24660003": -1.0, "24660004": 2.0,
                       "24660005": 0.0}


def _box(x_from: float, x_to: float) -> shapely.Polygon:
    return shapely.box(X0 + x_from, Y0, X0 + x_to, Y0 + 3_000)


def _workspace(path: Path) -> Workspace:
    workspace = Workspace.create(path, title="Deux postes")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": list(STATIONS), "name": [f"PDQ {s}" for s in STATIONS]},
        geometry=[_box(*bounds) for bounds in STATIONS.values()], crs=METRIC_CRS))
    workspace.save()
    return workspace


def _da_geojson(path: Path) -> Path:
    """As StatCan extracts are republished: the DAUID is the feature's ``id``, Polygon and
    MultiPolygon features mixed, WGS84 with no ``crs`` member."""
    frame = gpd.GeoSeries([_box(*strip) for strip, _ in DAS.values()],
                          crs=METRIC_CRS).to_crs("EPSG:4326")
    features = []
    for number, (code, geometry) in enumerate(zip(DAS, frame, strict=True)):
        shape = shapely.MultiPolygon([geometry]) if number % 2 else geometry
        features.append({"type": "Feature", "id": code, "geometry": shapely.geometry.mapping(
            shape), "properties": {"population": DAS[code][1], "area": 3.0}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _da_table(path: Path) -> Path:
    lines = ["DAUID,DGUID,LANDAREA,population_2021,cimd_economic_dependency"]
    for code, (_, population) in DAS.items():
        lines.append(f"{code},2021S0512{code},3.0,{population},{ECONOMIC_DEPENDENCY[code]}")
    lines.append("24669999,2021S051224669999,1.0,500,0.3")        # a DA of another area
    lines.append("2466,2021S05122466,1.0,10,0.1")                  # not a DA code
    path.write_text("\n".join(lines) + "\n")
    return path


def _borough_geojson(path: Path) -> Path:
    """The borough covering both stations, named as Montréal's LIMADMIN names it."""
    frame = gpd.GeoDataFrame({"NOM": ["Anjou"], "TYPE": ["Arrondissement"]},
                             geometry=[_box(0, 6_000)], crs=METRIC_CRS).to_crs("EPSG:4326")
    frame.to_file(path, driver="GeoJSON")
    return path


def _profile(path: Path) -> Path:
    """A Ville de Montréal profile: the agglomeration (the city the SPVM serves), the Ville
    (an aggregate inside it) and one borough, as the real files hold them."""
    lines = ["CATÉGORIE,AGGLOMÉRATION DE MONTRÉAL,Ville de Montréal,Arrondissement d'Anjou",
             'Population totale en 2021,"10,000","8,000","6,000"',
             'Population totale selon le groupe dâges,"10,000","8,000","6,000"',
             '65 ans et plus,"1,500","1,300","1,200"']
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\n")
    return path


@pytest.fixture
def da_workspace(tmp_path: Path) -> Workspace:
    workspace = _workspace(tmp_path / "da.gpkg")
    import_files(workspace, [_da_geojson(tmp_path / "ad.geojson"),
                             _da_table(tmp_path / "ad_population.csv")])
    return workspace


@pytest.fixture
def layered_workspace(tmp_path: Path) -> Workspace:
    """DAs with their population, and a borough profile with its own city rows."""
    workspace = _workspace(tmp_path / "layered.gpkg")
    import_files(workspace, [_da_geojson(tmp_path / "ad.geojson"),
                             _da_table(tmp_path / "ad_population.csv"),
                             _borough_geojson(tmp_path / "arrondissements.geojson"),
                             _profile(tmp_path / "profil.csv")])
    return workspace


# --- DA files with no mapping ------------------------------------------------------------------


def test_da_files_are_recognised_by_their_statcan_codes(tmp_path: Path) -> None:
    geojson, table = _da_geojson(tmp_path / "ad.geojson"), _da_table(tmp_path / "ad.csv")
    assert find_reader(geojson).id == "statcan-boundaries"
    assert not AreaBoundaryReader().can_read(geojson)
    assert find_reader(table).id == "statcan-da-table"
    areas = get_reader("statcan-boundaries").read(geojson, ReadContext()).layers["census_areas"]
    assert sorted(areas["area_id"]) == sorted(DAS) and set(areas["level"]) == {"DA"}
    result = get_reader("statcan-da-table").read(
        table, ReadContext(known_area_ids=frozenset(DAS)))
    report = result.report
    assert report.dropped == {"no dissemination-area code": 1,
                              "dissemination area not among the workspace's census areas": 1}
    assert [(e["row"], e["column"], e["value"]) for e in report.examples] == \
        [(8, "DAUID", "2466")]
    assert any("LANDAREA" in w for w in report.warnings)
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    assert values["24660001", "population"] == 2_000
    assert values["24660003", "cimd_economic_dependency"] == -1.0
    assert set(result.layers["census_values"]["census_year"]) == {2021}


def test_a_da_table_value_that_is_no_number_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ad.csv"
    path.write_text("DGUID,population_2021,cimd_economic_dependency\n"
                    "2021S051224660001,2000,0.5\n2021S051224660002,1500,n/a\n")
    result = get_reader("statcan-da-table").read(path, ReadContext())
    assert result.report.examples == [{"row": 3, "column": "cimd_economic_dependency",
                                       "value": "n/a", "problem": "not a number"}]
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    assert values["24660002", "population"] == 1_500
    assert np.isnan(values["24660002", "cimd_economic_dependency"])


def test_the_cli_imports_da_files_with_no_mapping(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path / "w.gpkg")
    del workspace
    code = main(["import", str(tmp_path / "w.gpkg"), str(_da_geojson(tmp_path / "ad.geojson")),
                 str(_da_table(tmp_path / "ad.csv"))])
    assert code == 0
    data = prepare(Workspace.open(tmp_path / "w.gpkg"))
    assert data.population("1") == pytest.approx(EXPECTED["1"])


# --- Station populations from the finest areas --------------------------------------------------


def test_station_populations_come_from_the_das_and_say_what_was_split(
        da_workspace: Workspace) -> None:
    data = prepare(da_workspace)
    for station, expected in EXPECTED.items():
        assert data.population(station) == pytest.approx(expected)
    assert data.census.split_share["1"] == pytest.approx((1_000 * 2 / 3) / EXPECTED["1"])
    assert data.census.split_share["2"] == pytest.approx((1_000 / 3) / EXPECTED["2"])
    population = build_portrait(da_workspace, "1").section("socio_economic").indicator(
        "population")
    assert population.caveats[0] == (
        "apportioned from 3 census areas; 14.3% of the station's residents live in the 1 "
        "areas cut by its boundary, split by share of surface assuming residents are spread "
        "evenly within each")
    assert is_known(population.caveats[0])
    assert "14,3 %" in in_language(population.caveats[0], "fr")


def test_the_even_spread_caveat_goes_when_no_area_is_cut(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path / "w.gpkg")
    whole = {code: value for code, value in DAS.items() if code != "24660003"}
    geojson = _da_geojson(tmp_path / "ad.geojson")
    collection = json.loads(geojson.read_text())
    collection["features"] = [f for f in collection["features"] if f["id"] in whole]
    geojson.write_text(json.dumps(collection))
    import_files(workspace, [geojson, _da_table(tmp_path / "ad.csv")])
    portrait = build_portrait(workspace, "2")
    caveats = portrait.section("socio_economic").indicator("population").caveats
    assert caveats == ["apportioned from 2 census areas, none cut by the station's boundary"]
    assert not any("spread evenly" in c for c in caveats)
    assert portrait.parameters["census"]["residents_in_split_areas_percent"] == 0.0


def test_slivers_along_a_boundary_are_not_counted_as_cut_areas() -> None:
    # The same street digitised 10 m apart in the two files: 1 % of a DA over the line.
    stations = gpd.GeoDataFrame({"station_id": ["1", "2"]}, crs=METRIC_CRS,
                                geometry=[_box(0, 1_010), _box(1_010, 3_000)])
    areas = gpd.GeoDataFrame({"area_id": ["a", "b"], "level": "DA"}, crs=METRIC_CRS,
                             geometry=[_box(0, 1_000), _box(1_000, 3_000)])
    population = pd.Series({"a": 500.0, "b": 1_000.0})
    level = pd.Series({"a": "DA", "b": "DA"})
    result = dasymetric_shares(areas, stations, population, level, ["DA"])
    assert result.split_share.to_dict() == {"1": 0.0, "2": 0.0}
    weights = result.weights.set_index(["target_id", "area_id"])["share"]
    assert weights["1", "b"] == pytest.approx(0.005)  # still apportioned, not dropped


def test_borough_figures_are_split_by_the_population_of_their_das(
        layered_workspace: Workspace) -> None:
    data = prepare(layered_workspace)
    census = data.census
    assert census.column_level["population"] == "DA"
    assert census.column_level["age_65_plus"] == "borough"
    assert census.weighted_levels == ("borough",)
    values = census.stations.values
    # The borough's 6,000 residents are 4,667 in station 1 and 1,333 in station 2 by their
    # DAs, where its surface is half and half: its 1,200 seniors follow the residents.
    assert values.loc["1", "age_65_plus"] == pytest.approx(1_200 * EXPECTED["1"] / 6_000)
    assert values.loc["2", "age_65_plus"] == pytest.approx(1_200 * EXPECTED["2"] / 6_000)
    assert values.loc["1", "population"] == pytest.approx(EXPECTED["1"])  # not the borough's
    assert values["share_65_plus"].tolist() == pytest.approx([20.0, 20.0])
    caveat = build_portrait(layered_workspace, "1").section("socio_economic").indicator(
        "share_65_plus").caveats[0]
    assert "(dasymetric)" in caveat and is_known(caveat)


def test_deprivation_scores_are_population_weighted_indicators(
        da_workspace: Workspace) -> None:
    section = build_portrait(da_workspace, "1").section("socio_economic")
    score = section.indicator("cimd_economic_dependency")
    weights = {"24660001": 2_000, "24660002": 2_000, "24660003": 1_000 * 2 / 3}
    expected = sum(ECONOMIC_DEPENDENCY[c] * w for c, w in weights.items()) / sum(
        weights.values())
    assert score.value == pytest.approx(expected)
    assert score.unit == "score" and "Multiple Deprivation" in score.definition
    assert "population-weighted mean of the census areas' scores" in score.caveats
    layer = next(m for m in section.map_layers if m.id == "census_cimd_economic_dependency")
    assert {r["area_id"] for r in layer.records} == set(weights)


# --- The city -----------------------------------------------------------------------------------


def test_the_city_comes_from_the_sources_city_row(layered_workspace: Workspace) -> None:
    data = prepare(layered_workspace)
    city = data.census.city.values.loc["city"]
    # Not 10,000 + 8,000 + 6,000 + 6,000 (every column and the DAs added up), nor the DAs'.
    assert city["population"] == 10_000
    assert city["share_65_plus"] == pytest.approx(15.0)
    assert data.census.city_from_row
    # An indicator the city row lacks comes from the areas.
    assert city["cimd_economic_dependency"] == pytest.approx(
        sum(ECONOMIC_DEPENDENCY[c] * p for c, (_, p) in DAS.items()) / 6_000)
    indicator = build_portrait(layered_workspace, "1").section("socio_economic").indicator(
        "share_65_plus")
    assert indicator.context["city"] == pytest.approx(15.0)
    assert indicator.context["city_includes_station"] is True
    assert indicator.definition.endswith(
        "City value: the source's own row for the whole city (10,000 residents); the city "
        "includes the station.")
    assert indicator.definition_fr.endswith(
        "Valeur de la ville : la ligne de la source pour toute la ville (10\u202f000 "
        "résidents) ; la ville comprend le poste.")


def test_without_a_city_row_the_city_is_its_areas_counted_once(
        da_workspace: Workspace) -> None:
    data = prepare(da_workspace)
    assert data.census.city.values.loc["city", "population"] == 6_000
    assert not data.census.city_from_row and data.census.city_areas == 5
    definition = build_portrait(da_workspace, "1").section("socio_economic").indicator(
        "population").definition
    assert "the sum of the 5 census areas that cover the city once (6,000 residents); the " \
           "city includes the station." in definition


def test_the_comparison_sets_each_station_against_the_rest_of_the_city(
        small_workspace: Workspace) -> None:
    comparison = compare_stations(small_workspace)
    frame = comparison.frame()
    data = prepare(small_workspace)
    city = data.census.city.values.loc["city", "population"]
    incidents, population = frame["incidents"], frame["population"]
    for station in frame.index:
        rest_rate = (incidents.sum() - incidents[station]) / (city - population[station])
        assert frame.loc[station, "incidents_rate_vs_rest"] == pytest.approx(
            incidents[station] / population[station] / rest_rate)
    columns = {c["id"]: c for c in comparison.columns}
    assert "rest of the city" in columns["incidents_rate_vs_rest"]["definition"]
    assert "the city includes the station" in columns["population"]["definition"]
    portrait = build_portrait(small_workspace, "38")
    crime = portrait.section("crime")
    lq = crime.indicator("lq_mischief")
    assert "rest of the city" in lq.definition and "reste de la ville" in lq.definition_fr
    rate = crime.indicator("incidents_rate")
    years = portrait.parameters["rates"]["period_years"]
    assert rate.context["city"] == pytest.approx(incidents.sum() / years / city * 1_000)
    assert rate.definition.endswith("the station included.")
    assert rate.definition_fr.endswith("poste compris.")


def test_a_partner_brief_hides_the_rate_vs_rest_where_the_count_is_hidden(
        small_workspace: Workspace) -> None:
    # Station 4 keeps 3 incidents: its count is suppressed in station 38's partner brief,
    # and its rates (per resident, against the rest of the city) would give it back, since
    # the populations are shown.
    incidents = small_workspace.layer("incidents")
    small_workspace.set_layer("incidents", pd.concat(
        [incidents[incidents["station_id"] == "38"],
         incidents[incidents["station_id"] == "4"].head(3)], ignore_index=True))
    data = prepare(small_workspace)
    assert compare_stations(data).frame().loc["4", "incidents_rate_vs_rest"] > 0
    for audience, hidden in (("partner", True), ("internal", False)):
        brief = build_brief(build_portrait(data, "38"), data, BriefOptions(audience=audience))
        table = next(t for t in brief.section("station_comparison").tables
                     if t.id == "stations")
        row = next(r for r in table.rows if r[0] == data.station_name("4"))
        for name in ("incidents", "incidents_rate", "incidents_rate_vs_rest"):
            column = [c.id for c in table.columns].index(name)
            assert (row[column] is SUPPRESSED) is hidden, (audience, name)


# --- Real files ---------------------------------------------------------------------------------


#: Stations left out of the comparison with the SPVM's figures: their boundary changed between
#: the population list and the boundary file (PROVENANCE.md): 9 and 31 took in 11 and 33,
#: which have no polygon; 20 and 21 print one figure for both; 12 and 22 are the downtown
#: stations redrawn when 22 was merged.
CHANGED_BOUNDARIES = {"9", "31", "20", "21", "12", "22"}


@pytest.fixture(scope="module")
def montreal_das(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    path = tmp_path_factory.mktemp("montreal") / "mtl.gpkg"
    assert main(["import", str(path), str(MONTREAL / "limites_pdq_wgs84.geojson"),
                 str(MONTREAL / "ad_2021_ile_de_montreal.geojson"),
                 str(MONTREAL / "ad_2021_population_cimd.csv")]) == 0
    return Workspace.open(path)


@needs_shared
def test_real_station_populations_from_the_das_match_the_spvm(montreal_das: Workspace) -> None:
    data = prepare(montreal_das)
    areas = montreal_das.layer("census_areas")
    assert len(areas) == 3_219 and set(areas["level"]) == {"DA"}
    published = pd.read_csv(MONTREAL / "pdq_population_latin1.csv", encoding="latin-1")
    published = published.dropna(subset=["population"])
    published.index = published["Poste"].map(normalise_station_id)
    ours = data.census.stations.values["population"]
    kept = [s for s in published.index if s in ours.index and s not in CHANGED_BOUNDARIES]
    assert len(kept) == 23
    difference = (ours[kept] - published.loc[kept, "population"]).abs() / \
        published.loc[kept, "population"]
    assert difference.median() <= 0.04
    assert data.census.city.values.loc["city", "population"] == 2_004_265
    score = build_portrait(data, "38").section("socio_economic").indicator(
        "cimd_residential_instability")
    assert score.value is not None and score.value > 0  # the Plateau: renters, movers


@needs_shared
def test_real_montreal_city_is_the_agglomerations_row(montreal_das: Workspace,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "boroughs.gpkg"
    assert main(["import", str(path), str(MONTREAL / "limites_pdq_wgs84.geojson"),
                 str(MONTREAL / "limites_arrondissements_villes_liees.geojson"),
                 str(MONTREAL / "profil_2021_montreal_population.csv"),
                 str(MONTREAL / "profil_2021_montreal_population_by_age_2021.csv")]) == 0
    data = prepare(Workspace.open(path))
    assert data.census.city.values.loc["city", "population"] == 2_004_265  # not 5,771,449
    assert data.census.city_from_row


@needs_shared
def test_real_vancouver_city_is_the_csd_row(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "van.gpkg", crs="EPSG:26910")
    local_areas = gpd.read_file(VANCOUVER / "local_area_boundary.geojson")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": local_areas["name"], "name": local_areas["name"]},
        geometry=local_areas.geometry.values, crs=local_areas.crs))
    workspace.save()
    import_files(workspace, [VANCOUVER / "local_area_boundary.geojson",
                             VANCOUVER / "census_local_area_profiles_2016.csv"])
    data = prepare(workspace)
    assert data.census.city.values.loc["city", "population"] == 631_485  # not 3,728,050
    # Every local area is one station here: the stations add up to the city.
    total = data.census.stations.values["population"].sum()
    assert abs(total - 631_485) / 631_485 < 0.005
