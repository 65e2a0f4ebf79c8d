"""Indicator tables of any census, read through an indicator catalogue (issue 17).

A US ACS-like table (tract GEOID, total population, median household income, people below
poverty and the poverty universe) is generated here, with tract polygons split between two
stations, and imported by the documented route: tract boundaries, then the table with a
catalogue that says what each ACS column means.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from acs_data import STATIONS, TRACTS, acs_rows, build_tract_workspace, import_acs

from cli.main import main
from data_connectors.base import ReaderError
from data_connectors.importer import import_files
from portrait.engine import build_portrait
from portrait.portrait_data import PortraitData
from portrait.wording import in_language, is_known
from portrait.workspace import Workspace


@pytest.fixture
def tract_workspace(tmp_path: Path) -> tuple[Workspace, Path]:
    return build_tract_workspace(tmp_path)


def _socio(workspace: Workspace | PortraitData, station: str) -> dict:
    section = build_portrait(workspace, station).section("socio_economic")
    return {item.id: item for item in section.indicators}


def test_an_acs_table_imports_with_its_catalogue_and_combines_by_kind(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    workspace, catalogue = tract_workspace
    reports = import_acs(workspace, catalogue, tmp_path)
    assert reports[0].rows_kept == 4
    assert "text columns not read as indicators: state" in reports[0].warnings

    figures = _socio(workspace, "A")
    assert figures["population"].value == pytest.approx(4000)
    # a share is the ratio of the summed counts, not the mean of the tracts' shares
    assert figures["poverty_share"].value == pytest.approx(100 * 700 / 3900)
    assert figures["poverty_share"].unit == "%"
    assert figures["poverty_share"].context["direction"] == "higher-is-worse"
    assert figures["eviction_rate"].value == pytest.approx(1000 * 13 / 4000)
    median = figures["median_household_income"]
    assert median.value == 80_000  # the population-weighted median of the tracts' medians
    assert median.context["areas_median_range"] == [50_000, 80_000]
    assert median.context["aggregation"] == "median of areas"
    assert any("range from 50,000 to 80,000" in c for c in median.caveats)
    assert any("sample" in c for c in median.caveats)
    assert all(is_known(c) for c in median.caveats if "apportioned" not in c)
    # the catalogue's own labels, in both languages
    assert figures["poverty_share"].label_fr == "Part sous le seuil de pauvreté"
    notes = build_portrait(workspace, "A").section("socio_economic").notes
    assert notes == ["Source: US Census Bureau, ACS 2018-2022 5-year (Census 2022)."]  # no
    # Canadian indicator listed as missing: only the catalogue's were expected


def test_the_small_number_rule_of_an_indicator_hides_small_area_values(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    """Tract ...0300 has 7 persons below poverty, under the catalogue's 10: it is hidden, the
    share of station B is computed from the other tract and says so."""
    workspace, catalogue = tract_workspace
    import_acs(workspace, catalogue, tmp_path)
    portrait = build_portrait(workspace, "B")
    section = portrait.section("socio_economic")
    share = {i.id: i for i in section.indicators}["poverty_share"]
    assert share.value == pytest.approx(100 * 75 / 480)
    assert any("without this value" in c for c in share.caveats)
    suppressed = {t.id: t for t in section.tables}["suppressed_areas"].records
    assert [(r["area_id"], r["indicators"]) for r in suppressed] == [
        ("17031010300", "below_poverty")]
    rule = suppressed[0]["rule"]
    assert is_known(rule) and "petits nombres" in in_language(rule, "fr")


def test_a_long_table_gives_the_same_values_as_the_wide_one(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    workspace, catalogue = tract_workspace
    long = pd.DataFrame(acs_rows()).drop(columns=["NAME", "state"]).melt(
        id_vars="GEOID", var_name="variable", value_name="estimate")
    long.to_excel(tmp_path / "acs_long.xlsx", index=False)
    import_files(workspace, [tmp_path / "acs_long.xlsx"], reader_id="indicator-table",
                 options={"catalogue": str(catalogue)})
    figures = _socio(workspace, "A")
    assert figures["poverty_share"].value == pytest.approx(100 * 700 / 3900)
    assert figures["population"].value == pytest.approx(4000)


def test_unknown_indicators_are_refused_with_the_known_ones_or_made_indices(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    workspace, catalogue = tract_workspace
    rows = pd.DataFrame(acs_rows())
    rows["ADI_NATRANK"] = [t[6] for t in TRACTS.values()]
    table = tmp_path / "acs_adi.csv"
    rows.to_csv(table, index=False)
    with pytest.raises(ReaderError, match=r"acs_adi\.csv: 1 indicator\(s\) are not in the "
                       r"catalogue: 'ADI_NATRANK'.*poverty_share.*--unknown-indicators"):
        import_files(workspace, [table], reader_id="indicator-table",
                     options={"catalogue": str(catalogue)})
    assert workspace.layer("census_values").empty  # all or nothing

    import_acs(workspace, catalogue, tmp_path, rows, unknown_indicators="index")
    stored = workspace.layer("indicator_catalogue").set_index("id")
    assert stored.at["adi_natrank", "kind"] == "index"
    assert stored.at["adi_natrank", "direction"] == "unknown"
    adi = _socio(workspace, "A")["adi_natrank"]
    assert adi.value == pytest.approx((70 * 1000 + 40 * 3000) / 4000)  # population-weighted
    assert adi.label_en == "ADI_NATRANK"


def test_the_catalogue_is_kept_in_the_workspace_and_leaves_with_its_import(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    workspace, catalogue = tract_workspace
    import_acs(workspace, catalogue, tmp_path)
    values = len(workspace.layer("census_values"))
    import_acs(workspace, catalogue, tmp_path)  # a newer file of the same source replaces it
    assert len(workspace.layer("census_values")) == values
    reopened = Workspace.open(workspace.path)
    data = PortraitData.from_workspace(reopened)
    assert data.census.catalogue.get("poverty_share").denominator == "poverty_universe"
    assert data.census.catalogue.get("population").aliases == ("B01003_001E",)
    assert len(reopened.layer("indicator_catalogue")) == 8
    assert main(["imports", str(workspace.path), "--remove",
                 reopened.layer("import_reports")["report_id"].iloc[-1]]) == 0
    assert Workspace.open(workspace.path).layer("indicator_catalogue").empty


def test_indicators_of_the_catalogue_without_values_say_so(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    """The table lacks the renter column the catalogue describes: the section lists it with
    a reason in both languages, and the portrait, the report and the briefs are written."""
    workspace, catalogue = tract_workspace
    import_acs(workspace, catalogue, tmp_path,
               pd.DataFrame(acs_rows()).drop(columns=["B17001_002E"]))
    figures = _socio(workspace, "A")
    for missing in ("renters_burdened", "below_poverty"):
        assert figures[missing].value is None
        assert is_known(figures[missing].reason)
    assert figures["poverty_share"].value is None
    out = tmp_path / "report.json"
    assert main(["report", str(workspace.path), "--station", "A", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["station_id"] == "A"
    assert main(["brief", str(workspace.path), "--station", "A", "--out", str(tmp_path / "b"),
                 "--format", "pdf,xlsx,html"]) == 0


def test_the_command_line_imports_with_a_catalogue(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    workspace, catalogue = tract_workspace
    table = tmp_path / "acs_tracts.csv"
    pd.DataFrame(acs_rows()).to_csv(table, index=False)
    assert main(["import", str(workspace.path), str(table), "--reader", "indicator-table",
                 "--catalogue", str(catalogue)]) == 0
    assert _socio(Workspace.open(workspace.path), "B")["population"].value == 2500

    bad = tmp_path / "bad.toml"
    bad.write_text('[[indicator]]\nid = "x"\nkind = "ratio"\nlabel_fr = "X"\nlabel_en = "X"\n',
                   encoding="utf-8")
    assert main(["import", str(workspace.path), str(table), "--reader", "indicator-table",
                 "--catalogue", str(bad)]) != 0
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "Traceback" not in error
    assert "bad.toml, indicator 1 ('x'), field 'kind': 'ratio' is not a kind" in error


@pytest.mark.parametrize("audience", ["partner", "internal"])
def test_a_french_brief_of_catalogue_indicators_shows_no_identifier(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path, audience: str) -> None:
    """Indicators of the user's catalogue, one without values and one made an index of an
    unknown column, reach the French brief by their labels, never by their ids."""
    from test_partner_brief import SNAKE_ID, texts

    from exports.brief_model import BriefOptions
    from exports.briefs import write_station_briefs

    workspace, catalogue = tract_workspace
    rows = pd.DataFrame(acs_rows()).drop(columns=["B17001_002E"])
    rows["ADI_NATRANK"] = [t[6] for t in TRACTS.values()]
    import_acs(workspace, catalogue, tmp_path, rows, unknown_indicators="index")
    data = PortraitData.from_workspace(Workspace.open(workspace.path))
    paths = write_station_briefs(workspace, data, "A", BriefOptions(audience=audience,
                                                                    language="fr"),
                                 ["pdf", "xlsx", "html"], tmp_path / "briefs").paths
    found = [(where, SNAKE_ID.findall(text)) for where, text in texts(paths, audience)]
    assert [(where, ids) for where, ids in found if ids] == []
    shown = " ".join(text for _, text in texts(paths, audience))
    assert "Expulsions pour 1 000 résidents" in shown


def test_the_map_shades_areas_by_an_indicator_of_the_catalogue(
        tract_workspace: tuple[Workspace, Path], tmp_path: Path) -> None:
    from exports.map_choices import indicator_choices
    from exports.web_map import MapOptions, station_map_html

    workspace, catalogue = tract_workspace
    import_acs(workspace, catalogue, tmp_path)
    choices = {c.id: c.label for c in indicator_choices("fr", workspace)}
    assert choices["poverty_share"] == "Part sous le seuil de pauvreté"
    assert choices["eviction_rate"] == "Expulsions pour 1 000 résidents"
    assert "poverty_share" not in {c.id for c in indicator_choices("fr")}  # built-in only
    page = station_map_html(workspace, MapOptions(station_id="A", indicator_id="poverty_share"))
    assert '"Recensement : Part sous le seuil de pauvret\\u00e9"' in page  # JSON-escaped
    tips = re.findall(r'"tip": "(\d+)\\u003cbr\\u003e([^"]+)"', page)
    assert tips == [("17031010100", "10,0\\u00a0%"), ("17031010200", "20,7\\u00a0%")]
    # tract ...0300 has 7 persons below poverty, under the catalogue's 10: no share on the map
    page = station_map_html(workspace, MapOptions(station_id="B", indicator_id="poverty_share",
                                                  audience="partner"))
    tips = dict(re.findall(r'"tip": "(\d+)\\u003cbr\\u003e([^"]+)"', page))
    assert tips == {"17031010300": "Donn\\u00e9e non disponible",
                    "17031010400": "15,6\\u00a0%"}



SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DA_CATALOGUE = """
# Statistics Canada's DA table as republished with the CIMD: the population column's name.
[source]
year = 2021

[[indicator]]
id = "population"
kind = "count"
label_fr = "Population"
label_en = "Population"
definition_fr = "Population totale recensée en 2021."
definition_en = "Total population counted in 2021."
direction = "neutral"
aliases = ["population_2021"]
"""


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
def test_the_real_montreal_da_table_read_as_any_indicator_table_gives_the_same_portrait(
        tmp_path: Path) -> None:
    """``ad_2021_population_cimd.csv`` through the generic reader and a one-entry catalogue
    (its LANDAREA and density columns as indices) gives the station populations and CIMD
    scores of the dedicated DA-table reader."""
    import shutil

    montreal = SHARED / "montreal"
    base = tmp_path / "base.gpkg"
    assert main(["import", str(base), str(montreal / "limites_pdq_wgs84.geojson"),
                 str(montreal / "ad_2021_ile_de_montreal.geojson")]) == 0
    dedicated, generic = tmp_path / "dedicated.gpkg", tmp_path / "generic.gpkg"
    shutil.copyfile(base, dedicated)
    shutil.copyfile(base, generic)
    table = montreal / "ad_2021_population_cimd.csv"
    assert main(["import", str(dedicated), str(table), "--reader", "statcan-da-table"]) == 0
    catalogue = tmp_path / "da.toml"
    catalogue.write_text(DA_CATALOGUE, encoding="utf-8")
    assert main(["import", str(generic), str(table), "--reader", "indicator-table",
                 "--catalogue", str(catalogue), "--unknown-indicators", "index"]) == 0
    one = PortraitData.from_workspace(Workspace.open(dedicated)).census
    other = PortraitData.from_workspace(Workspace.open(generic)).census
    assert other.city.values.loc["city", "population"] == 2_004_265
    columns = ["population", "cimd_residential_instability", "cimd_economic_dependency"]
    pd.testing.assert_frame_equal(one.stations.values[columns], other.stations.values[columns])
    assert {"landarea", "pop_density_km2"} <= set(other.catalogue.by_id)
    assert other.vintage == "Census 2021"


def test_a_table_keyed_by_area_names_joins_through_a_mapping(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Community areas named in capitals in the table, in title case on the polygons: one
    normalised name joins them; the name column is given by ``--mapping``."""
    workspace = tmp_path / "chicago.gpkg"
    names = ["Rogers Park", "West Ridge", "Uptown", "Lincoln Square"]
    bounds = [t[0] for t in TRACTS.values()]
    gpd.GeoDataFrame({"station_id": list(STATIONS)}, crs="EPSG:32188",
                     geometry=[shapely.box(*b) for b in STATIONS.values()]
                     ).to_file(tmp_path / "districts.gpkg")
    gpd.GeoDataFrame({"NAME": names}, geometry=[shapely.box(*b) for b in bounds],
                     crs="EPSG:32188").to_file(tmp_path / "areas.gpkg")
    assert main(["import", str(workspace), str(tmp_path / "districts.gpkg"),
                 "--reader", "station-boundaries"]) == 0
    assert main(["import", str(workspace), str(tmp_path / "areas.gpkg"),
                 "--reader", "area-boundaries"]) == 0
    table = tmp_path / "community.csv"
    pd.DataFrame({"Community": [n.upper() for n in names],
                  "population": [1000, 3000, 2000, 500]}).to_csv(table, index=False)
    assert main(["import", str(workspace), str(table), "--reader", "indicator-table"]) != 0
    assert "community.csv, row 1: no column names the areas." in capsys.readouterr().err
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"area_name": "Community"}), encoding="utf-8")
    assert main(["import", str(workspace), str(table), "--reader", "indicator-table",
                 "--mapping", str(mapping)]) == 0
    figures = _socio(Workspace.open(workspace), "A")
    assert figures["population"].value == pytest.approx(4000)


MEDIAN_AGE = """
[[indicator]]
id = "median_age"
kind = "median"
label_fr = "Âge médian"
label_en = "Median age"
unit = "years"
direction = "neutral"

[[characteristic]]
id = 40
indicator = "median_age"
"""


def test_a_user_catalogue_takes_another_characteristic_of_the_statcan_profile(
        demo_files, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Median age (characteristic 40) feeds no built-in indicator; a two-entry catalogue
    brings it into the portrait, beside the built-in ones, with no code."""
    workspace = tmp_path / "demo.gpkg"
    assert main(["import", str(workspace), str(demo_files.stations),
                 str(demo_files.da_boundaries)]) == 0
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[[characteristic]]\nid = 40\nindicator = "age"\n', encoding="utf-8")
    assert main(["import", str(workspace), str(demo_files.census_profile),
                 "--catalogue", str(wrong)]) != 0
    assert "maps rows to 'age', which is no indicator of the catalogue" in \
        capsys.readouterr().err
    catalogue = tmp_path / "age.toml"
    catalogue.write_text(MEDIAN_AGE, encoding="utf-8")
    assert main(["import", str(workspace), str(demo_files.census_profile),
                 "--catalogue", str(catalogue)]) == 0
    opened = Workspace.open(workspace)
    station = str(opened.layer("stations")["station_id"].iloc[0])
    figures = _socio(opened, station)
    age = figures["median_age"]
    assert 20 < age.value < 70 and age.unit == "years"
    assert age.context["areas_median_range"][0] <= age.value <= age.context[
        "areas_median_range"][1]
    assert figures["low_income_rate"].value is not None  # the built-in ones still come


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
def test_a_user_catalogue_maps_another_row_of_the_real_vancouver_profile(
        tmp_path: Path) -> None:
    """The Vancouver layout maps no age median; an [[entry]] naming the row brings it in,
    and the built-in figures stay as they were (the CSD's 631,485 residents)."""
    vancouver = SHARED / "vancouver"
    workspace = Workspace.create(tmp_path / "van.gpkg", crs="EPSG:26910")
    import_files(workspace, [vancouver / "local_area_boundary.geojson"])
    catalogue = tmp_path / "age.toml"
    catalogue.write_text(MEDIAN_AGE.split("[[characteristic]]")[0] + """
[[entry]]
layout = "vancouver-2016"
path = ["Median age of the population"]
indicator = "median_age"
""", encoding="utf-8")
    import_files(workspace, [vancouver / "census_local_area_profiles_2016.csv"],
                 options={"catalogue": str(catalogue)})
    data = PortraitData.from_workspace(workspace)
    assert data.census.city.values.loc["city", "population"] == 631_485
    assert data.census.areas.values.loc["arbutus-ridge", "median_age"] == 46.2
    assert data.census.city.values.loc["city", "median_age"] == 39.9  # the CSD row, not the CMA
