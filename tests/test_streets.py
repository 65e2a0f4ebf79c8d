"""The street base: the reader (generated OSMnx-like files, the real Montréal ones), the demo
city's streets, and the streets drawn under the web and static maps with their credit."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from PIL import Image

from cli.main import main
from data_connectors.base import ReadContext
from data_connectors.importer import import_files
from data_connectors.registry import find_reader
from data_connectors.streets import OSM_ATTRIBUTION, StreetNetworkReader, first_value
from exports.brief_model import BriefOptions, Figure
from exports.briefs import write_station_briefs
from exports.map_streets import STYLES, street_records, streets_near
from exports.static_maps import draw_map
from exports.web_map import MapOptions, station_map_html
from portrait.crs import METRIC_CRS
from portrait.engine import prepare
from portrait.workspace import Workspace

_HERE = Path(__file__).resolve()
SHARED = next((p / "shared" / "data" for p in (_HERE.parents[2], _HERE.parents[3])
               if (p / "shared" / "data").is_dir()), _HERE.parents[2] / "shared" / "data")
OSM_STREETS = SHARED / "montreal" / "rues_osm_2024"
STATIONS = SHARED / "montreal" / "limites_pdq_mtm8_epsg32188.geojson"
needs_montreal = pytest.mark.skipif(not OSM_STREETS.is_dir() or not STATIONS.is_file(),
                                    reason="../shared/data/montreal is not present")


def write_osm_edges(path: Path, rows: list[tuple[str | None, str, list[tuple[float, float]]]]
                    ) -> Path:
    """An OSMnx-like GeoPackage: ``nodes`` first (as OSMnx writes it), then ``edges`` in WGS84
    with ``name`` and ``highway`` (lists written as text) and an ``osmid``. Coordinates are
    given in the metric CRS."""
    edges = gpd.GeoDataFrame(
        {"osmid": [str(i) for i in range(len(rows))], "name": [r[0] for r in rows],
         "highway": [r[1] for r in rows], "oneway": 0},
        geometry=[shapely.LineString(r[2]) for r in rows], crs=METRIC_CRS).to_crs("EPSG:4326")
    nodes = gpd.GeoDataFrame({"osmid": [1]}, geometry=[shapely.Point(-73.58, 45.52)],
                             crs="EPSG:4326")
    pyogrio.write_dataframe(nodes, path, layer="nodes", driver="GPKG")
    pyogrio.write_dataframe(edges, path, layer="edges", driver="GPKG", append=True)
    return path


#: Three blocks of one street (one written as an OSMnx list), a motorway ramp, an unnamed
#: service lane, and a street 30 km away.
ROWS = [
    ("Rue Rachel Est", "secondary", [(295_500, 5_041_000), (296_000, 5_041_000)]),
    ("['Rue Rachel Est', 'Rue Rachel']", "secondary",
     [(296_000, 5_041_000), (296_500, 5_041_000)]),
    ("Rue Rachel Est", "['secondary', 'tertiary']", [(296_500, 5_041_000), (297_000, 5_041_001)]),
    ("Autoroute 40", "motorway_link", [(295_200, 5_042_500), (297_800, 5_042_600)]),
    (None, "service", [(296_100, 5_040_200), (296_100, 5_040_400)]),
    ("Rue Lointaine", "residential", [(330_000, 5_070_000), (330_500, 5_070_000)]),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("['Rue A', 'Rue B']", "Rue A"), ("Rue A", "Rue A"), (None, None), ("", None),
    ("[broken", "[broken"), (["Rue C"], "Rue C")])
def test_first_value_reads_osmnx_lists_written_as_text(text, expected) -> None:
    assert first_value(text) == expected


def test_reader_merges_blocks_classes_and_credits_osm(tmp_path: Path) -> None:
    path = write_osm_edges(tmp_path / "rues.gpkg", ROWS)
    assert find_reader(path).id == "streets"
    context = ReadContext(station_bounds=(295_000, 5_040_000, 301_000, 5_043_000))
    result = StreetNetworkReader().read(path, context)
    streets = result.layers["streets"]
    assert streets.crs == METRIC_CRS
    assert sorted(streets["name"].fillna("(none)")) == ["(none)", "Autoroute 40",
                                                         "Rue Rachel Est"]
    rachel = streets[streets["name"] == "Rue Rachel Est"].iloc[0]
    assert rachel["class"] == "secondary"
    # The three blocks are one line of 1.5 km, simplified to its two ends.
    assert len(shapely.get_parts(rachel.geometry)) == 1
    assert rachel.geometry.length == pytest.approx(1_500, abs=1)
    assert len(shapely.get_coordinates(rachel.geometry)) == 2
    assert dict(zip(streets["name"].fillna(""), streets["class"], strict=True)) == {
        "Rue Rachel Est": "secondary", "Autoroute 40": "motorway", "": "service"}
    assert set(streets["attribution"]) == {OSM_ATTRIBUTION}
    assert set(streets["source"]) == {"rues.gpkg"}
    report = result.report
    assert report.rows_read == 6 and report.rows_kept == 5
    assert report.dropped == {"outside the stations' extent (more than 1 km beyond)": 1}
    assert report.flagged == {"no street name (drawn, not labelled)": 1}
    assert result.replace_key == ("source", "rues.gpkg")


def test_a_point_or_classless_line_file_is_not_streets(tmp_path: Path) -> None:
    lines = gpd.GeoDataFrame({"nom": ["Rue X"]},
                             geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    lines.to_file(tmp_path / "lines.geojson")
    points = gpd.GeoDataFrame({"highway": ["bus_stop"]}, geometry=[shapely.Point(0, 0)],
                              crs="EPSG:4326")
    points.to_file(tmp_path / "points.geojson")
    reader = StreetNetworkReader()
    assert not reader.can_read(tmp_path / "lines.geojson")
    assert not reader.can_read(tmp_path / "points.geojson")


def test_a_municipal_network_is_credited_as_the_user_says(tmp_path: Path) -> None:
    network = gpd.GeoDataFrame(
        {"NOM_VOIE": ["Rue Saint-Denis"], "CLASSE": ["artère"]},
        geometry=[shapely.LineString([(296_000, 5_040_100), (296_000, 5_042_900)])],
        crs=METRIC_CRS)
    network.to_file(tmp_path / "geobase.gpkg", driver="GPKG")
    result = StreetNetworkReader().read(
        tmp_path / "geobase.gpkg",
        ReadContext(options={"attribution": "Ville de Montréal, CC BY 4.0"}))
    streets = result.layers["streets"]
    assert list(streets["class"]) == ["primary"]
    assert list(streets["attribution"]) == ["Ville de Montréal, CC BY 4.0"]
    unnamed = StreetNetworkReader().read(tmp_path / "geobase.gpkg", ReadContext())
    assert list(unnamed.layers["streets"]["attribution"]) == ["geobase"]
    assert any("attribution" in w for w in unnamed.report.warnings)


def test_the_command_line_gives_a_network_its_credit(tmp_path: Path) -> None:
    network = gpd.GeoDataFrame(
        {"NOM_VOIE": ["Rue Saint-Denis"], "CLASSE": ["artère"]},
        geometry=[shapely.LineString([(296_000, 5_040_100), (296_000, 5_042_900)])],
        crs=METRIC_CRS)
    network.to_file(tmp_path / "geobase.gpkg", driver="GPKG")
    target = tmp_path / "w.gpkg"
    assert main(["import", str(target), str(tmp_path / "geobase.gpkg"),
                 "--attribution", "Ville de Montréal, CC BY 4.0"]) == 0
    streets = Workspace.open(target).layer("streets")
    assert list(streets["attribution"]) == ["Ville de Montréal, CC BY 4.0"]


@needs_montreal
@pytest.mark.shared_data
def test_real_plateau_streets_import_into_a_workspace(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "mtl.gpkg")
    plateau = OSM_STREETS / "Le_Plateau-Mont-Royal.gpkg"
    assert find_reader(plateau).id == "streets"
    reports = import_files(workspace, [STATIONS, plateau])
    assert reports[1].rows_read == 1_119
    streets = Workspace.open(workspace.path).layer("streets")
    assert set(streets["class"]) <= set(STYLES)
    names = set(streets["name"].dropna())
    assert {"Rue Saint-Denis", "Boulevard Saint-Laurent", "Avenue du Mont-Royal Est"} <= names
    assert not any(name.startswith("[") for name in names)  # OSMnx lists were read
    assert set(streets["attribution"]) == {OSM_ATTRIBUTION}
    # Merged by name: far fewer rows than segments, and no row is a single short block.
    assert len(streets) < 250
    page = station_map_html(workspace, MapOptions(station_id="38"))
    assert "Rue Saint-Denis" in page and "OpenStreetMap contributors" in page
    assert len(page.encode()) < 1_000_000


def test_demo_city_streets_follow_its_addresses(demo_files) -> None:
    streets = StreetNetworkReader().read(demo_files.streets, ReadContext()).layers["streets"]
    services = (demo_files.services.read_text(encoding="utf-8"))
    named = set(streets["name"].dropna())
    # Every service address is on a street of the file ("4521, boulevard X" -> "Boulevard X").
    addresses = re.findall(r"\d+, ((?:rue|avenue|boulevard|chemin)[^,;\"]+)", services)
    assert addresses
    assert {a[:1].upper() + a[1:] for a in addresses} <= named
    assert set(streets["attribution"]) == {"Ville démo (rues fictives)"}
    assert {"residential", "primary", "secondary"} <= set(streets["class"])


# --- maps -----------------------------------------------------------------------------------
def _with_streets(workspace: Workspace) -> Workspace:
    """The small workspace with a boulevard across station 38, a named street past its
    margin, and a street whose name tries to close the page's script."""
    streets = gpd.GeoDataFrame(
        {"name": ["Boulevard Saint-Laurent", "Rue Lointaine", "</script><b>Rue X</b>"],
         "class": ["primary", "residential", "residential"], "source": "rues.gpkg",
         "attribution": OSM_ATTRIBUTION},
        geometry=[shapely.MultiLineString([[(295_100, 5_041_500), (297_900, 5_041_500)]]),
                  shapely.MultiLineString([[(290_000, 5_030_000), (290_500, 5_030_000)]]),
                  shapely.MultiLineString([[(296_500, 5_040_100), (296_500, 5_042_900)]])],
        crs=METRIC_CRS)
    workspace.set_layer("streets", streets)
    return workspace


def test_web_map_draws_streets_under_the_layers_with_names_and_credit(small_workspace) -> None:
    page = station_map_html(_with_streets(small_workspace), MapOptions(station_id="38"))
    assert "Boulevard Saint-Laurent" in page
    assert "Rue Lointaine" not in page  # beyond the station's extent and margin
    # The name is shown as text: escaped for HTML, then for the script it sits in.
    assert "</script><b>" not in page and r"\u0026lt;/script\u0026gt;" in page
    assert json.dumps("© OpenStreetMap contributors, ODbL") in page  # in the attribution
    # Their own pane under Leaflet's overlay pane (400), where every other layer is drawn.
    assert 'createPane("streets").style.zIndex = 350' in page
    assert 'direction: "center"' in page and "permanent: true" in page
    without = station_map_html(small_workspace.__class__.open(small_workspace.path),
                               MapOptions(station_id="38"))
    assert "createPane(\"streets\")" not in without and "OpenStreetMap" not in without


def test_tile_source_from_preferences_is_drawn_with_its_credit(small_workspace) -> None:
    options = MapOptions(station_id="38", tile_url="https://tuiles.exemple.qc.ca/{z}/{x}/{y}.png",
                         tile_attribution="© Ville, CC BY 4.0")
    page = station_map_html(small_workspace, options)
    assert "https://tuiles.exemple.qc.ca/{z}/{x}/{y}.png" in page
    assert json.dumps("© Ville, CC BY 4.0") in page
    assert "tuiles.exemple" not in station_map_html(small_workspace,
                                                    MapOptions(station_id="38"))


def _pixels_of(png: bytes, colour: str) -> int:
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image.astype(int) - rgb).sum(axis=1) <= 6).sum())


def test_static_map_draws_the_streets_under_the_station(small_workspace) -> None:
    streets = _with_streets(small_workspace).layer("streets")
    station = small_workspace.layer("stations").geometry.iloc[0]
    base = {"station": station, "station_label": "38", "neighbours": [],
            "x": np.array([]), "y": np.array([]), "types": []}
    near = streets_near(streets, station)
    assert list(near["name"]) == ["Boulevard Saint-Laurent", "</script><b>Rue X</b>"]
    figure = Figure("services", "map_services", "Services",
                    {**base, "streets": street_records(near)})
    with_streets = draw_map(figure, "fr")
    without = draw_map(Figure("services", "map_services", "Services", base), "fr")
    primary = STYLES["primary"][0]
    assert _pixels_of(with_streets, primary) > 200
    assert _pixels_of(without, primary) == 0


def test_partner_html_brief_carries_the_street_base(small_workspace, tmp_path: Path) -> None:
    workspace = _with_streets(small_workspace)
    result = write_station_briefs(workspace, prepare(workspace), "38",
                                  BriefOptions(audience="partner"), ["html"], tmp_path)
    page = result.paths["html"].read_text(encoding="utf-8")
    assert "Boulevard Saint-Laurent" in page and "OpenStreetMap contributors" in page
    assert "Rue Lointaine" not in page
