"""The station web map: offline assets, layers, page size and escaping (no Qt needed)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from exports.leaflet_assets import leaflet_dir
from exports.map_choices import indicator_choices, station_choices
from exports.map_classes import NO_DATA_COLOUR, YLGNBU, quantile_classes
from exports.map_text import format_value, station_label
from exports.web_map import (
    MapOptions,
    build_station_map,
    station_map_html,
    write_station_map,
)
from portrait.crs import METRIC_CRS
from portrait.errors import PortraitError
from portrait.indicators import indicator
from portrait.workspace import Workspace

MAX_PAGE_BYTES = 5 * 1024 * 1024


class _ResourceCollector(HTMLParser):
    """Every src/href attribute of the page, with its tag."""

    def __init__(self) -> None:
        super().__init__()
        self.resources: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.resources.append((tag, value))


def resources_of(page: str) -> list[tuple[str, str]]:
    parser = _ResourceCollector()
    parser.feed(page)
    return parser.resources


def geojson_layers(fmap: folium.Map) -> dict[str, folium.GeoJson]:
    return {child.layer_name: child for child in fmap._children.values()
            if isinstance(child, folium.GeoJson)}


def heavy_incidents(count: int) -> gpd.GeoDataFrame:
    """``count`` located incidents spread over station 38."""
    rng = np.random.default_rng(1)
    points = shapely.points(rng.uniform(295_010, 297_990, count),
                            rng.uniform(5_040_010, 5_042_990, count))
    return gpd.GeoDataFrame(
        {"source_category": ["Méfait"] * count, "date": [np.datetime64("2024-05-01")] * count,
         "station_id": ["38"] * count},
        geometry=gpd.GeoSeries(points, crs=METRIC_CRS))


@pytest.mark.parametrize("assets", ["file", "inline"])
def test_page_requests_nothing_from_the_network(small_workspace: Workspace, assets: str) -> None:
    page = station_map_html(small_workspace, MapOptions("38", assets=assets))
    remote = [(tag, url) for tag, url in resources_of(page)
              if url.lower().startswith(("http://", "https://", "//"))]
    assert remote == []
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "fontawesome"):
        assert cdn not in page


def test_file_mode_links_the_installed_leaflet(small_workspace: Workspace) -> None:
    page = station_map_html(small_workspace, MapOptions("38", assets="file"))
    urls = dict((url.rsplit("/", 1)[-1], url) for _, url in resources_of(page))
    assert urls["leaflet.js"] == (leaflet_dir() / "leaflet.js").as_uri()
    assert urls["leaflet.css"] == (leaflet_dir() / "leaflet.css").as_uri()
    assert (leaflet_dir() / "leaflet.js").is_file()


def test_inline_mode_embeds_leaflet_and_its_images(small_workspace: Workspace) -> None:
    page = station_map_html(small_workspace, MapOptions("38", assets="inline"))
    assert resources_of(page) == []
    assert 't.version="1.9.4"' in page
    assert ".leaflet-control-layers-toggle" in page
    assert "url(data:image/png;base64," in page
    assert "sourceMappingURL" not in page


def test_map_has_the_four_layers_and_a_layer_control(small_workspace: Workspace) -> None:
    fmap = build_station_map(small_workspace, MapOptions("38"))
    layers = geojson_layers(fmap)
    assert set(layers) == {"Recensement : Taux de faible revenu (MFR-ApI)", "Incidents",
                           "Limites des PDQ", "Services"}
    assert any(isinstance(child, folium.LayerControl) for child in fmap._children.values())
    page = fmap.get_root().render()
    for key in ("census", "incidents", "stations", "services"):
        assert f'"{key}": geo_json_' in page
    assert "window.portraitMap = map_" in page


def test_layers_hold_the_station_data(small_workspace: Workspace) -> None:
    layers = geojson_layers(build_station_map(small_workspace, MapOptions("38")))
    census = layers["Recensement : Taux de faible revenu (MFR-ApI)"].data["features"]
    assert sorted(f["properties"]["id"] for f in census) == ["24660000", "24660001", "24660002"]
    incidents = layers["Incidents"].data["features"]
    assert len(incidents) == 90  # 100 in station 38, one in ten without a location
    assert all(f["geometry"]["type"] == "Point" for f in incidents)
    stations = {f["properties"]["id"]: f["properties"]["style"]
                for f in layers["Limites des PDQ"].data["features"]}
    assert stations["38"]["weight"] > stations["4"]["weight"]  # the chosen one stands out
    assert layers["Services"].data["features"]


def test_coordinates_are_in_degrees_and_rounded(small_workspace: Workspace) -> None:
    layers = geojson_layers(build_station_map(small_workspace, MapOptions("38")))
    lon, lat = layers["Incidents"].data["features"][0]["geometry"]["coordinates"]
    assert -74.0 < lon < -73.4 and 45.3 < lat < 45.8
    assert round(lon, 6) == lon and round(lat, 6) == lat


def test_suppressed_values_are_drawn_as_no_data(small_workspace: Workspace) -> None:
    layers = geojson_layers(build_station_map(small_workspace, MapOptions("4")))
    census = layers["Recensement : Taux de faible revenu (MFR-ApI)"].data["features"]
    colours = {f["properties"]["id"]: f["properties"]["style"]["fillColor"] for f in census}
    assert colours["24660005"] == NO_DATA_COLOUR  # low_income is suppressed ("x") there
    assert len({colours["24660003"], colours["24660004"]}) == 2


def test_many_incidents_become_cells_and_the_page_stays_small(
        small_workspace: Workspace) -> None:
    small_workspace.set_layer("incidents", heavy_incidents(30_000))
    options = MapOptions("38", assets="inline")
    layers = geojson_layers(build_station_map(small_workspace, options))
    cells = layers["Incidents (carrés de 200 m)"].data["features"]
    assert all(f["geometry"]["type"] == "Point" for f in cells)  # circles at cell centres
    radii = [f["properties"]["radius"] for f in cells]
    assert min(radii) < max(radii)  # the circle grows with the count
    assert 200 <= len(cells) <= 15 * 15 + 30  # a 3 km square in 200 m cells
    page = station_map_html(small_workspace, options)
    assert len(page.encode("utf-8")) < MAX_PAGE_BYTES
    assert json.dumps("Incidents par carré de 200 m")[1:-1] in page  # in the legend


def test_few_incidents_stay_points(small_workspace: Workspace) -> None:
    small_workspace.set_layer("incidents", heavy_incidents(3_000))
    layers = geojson_layers(build_station_map(small_workspace, MapOptions("38")))
    assert len(layers["Incidents"].data["features"]) == 3_000


def test_a_station_s_incidents_are_its_own_and_the_unassigned_inside_it(
        small_workspace: Workspace) -> None:
    """Rows are taken from a station index kept between maps: it must give the station's
    own incidents (wherever they lie), those with no station lying in it, and none of
    another station's; and a layer replaced by an import is drawn anew."""
    def drawn(station_id: str) -> int:
        layers = geojson_layers(build_station_map(small_workspace, MapOptions(station_id)))
        return len(layers["Incidents"].data["features"])

    assert drawn("38") == 90
    in_38 = heavy_incidents(40)  # all inside station 38's square
    in_38["station_id"] = ["38"] * 10 + [None] * 20 + ["4"] * 10
    in_4 = heavy_incidents(7)
    in_4 = in_4.set_geometry(in_4.geometry.translate(xoff=3_000))  # inside station 4's square
    in_4["station_id"] = [None] * 7
    small_workspace.set_layer("incidents", pd.concat([in_4, in_38], ignore_index=True))
    assert drawn("38") == 10 + 20
    assert drawn("4") == 10 + 7
    assert drawn("38") == 30


def test_user_text_is_escaped(small_workspace: Workspace) -> None:
    services = small_workspace.layer("services").copy()
    services.loc[0, "name"] = "<script>alert(1)</script>"
    services.loc[0, "service_type"] = '<img src=x onerror="alert(2)">'
    small_workspace.set_layer("services", services)
    page = station_map_html(small_workspace, MapOptions("38"))
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "alert(1)" in page  # still there, as text
    features = geojson_layers(build_station_map(small_workspace, MapOptions("38")))[
        "Services"].data["features"]
    popups = [f["properties"]["popup"] for f in features]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in popup for popup in popups)
    assert all("<script" not in popup and "<img" not in popup for popup in popups)


def test_user_text_is_never_run_as_a_template(small_workspace: Workspace) -> None:
    """folium's elements compile what they write as Jinja templates: text in an imported file
    must come out as written, never evaluated."""
    services = small_workspace.layer("services").copy()
    services.loc[0, "name"] = "Chez {{ 7*7 }} {% if true %}oui{% endif %}"
    small_workspace.set_layer("services", services)
    page = station_map_html(small_workspace, MapOptions("38"))
    assert "Chez {{ 7*7 }} {% if true %}oui{% endif %}" in page
    assert "Chez 49" not in page


def test_no_tiles_unless_online(small_workspace: Workspace) -> None:
    offline = station_map_html(small_workspace, MapOptions("38"))
    online = station_map_html(small_workspace, MapOptions("38", online_tiles=True))
    assert "tile.openstreetmap.org" not in offline
    assert "tile.openstreetmap.org" in online


def test_english_map(small_workspace: Workspace) -> None:
    layers = geojson_layers(build_station_map(small_workspace,
                                              MapOptions("38", language="en")))
    assert "Census: Low-income rate (LIM-AT)" in layers


def test_a_workspace_with_only_boundaries_still_gives_a_map(tmp_path: Path,
                                                           small_workspace: Workspace) -> None:
    bare = Workspace.create(tmp_path / "bare.gpkg")
    bare.set_layer("stations", small_workspace.layer("stations"))
    layers = geojson_layers(build_station_map(bare, MapOptions("38")))
    assert [len(layer.data["features"]) for layer in layers.values()] == [0, 0, 2, 0]


def test_unknown_station_is_a_clear_error(small_workspace: Workspace) -> None:
    with pytest.raises(PortraitError, match="99"):
        build_station_map(small_workspace, MapOptions("99"))


def test_write_station_map_writes_the_page(small_workspace: Workspace, tmp_path: Path) -> None:
    path = write_station_map(small_workspace, MapOptions("4"), tmp_path / "pdq4.html")
    assert path == tmp_path / "pdq4.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".html"] == ["pdq4.html"]


def test_stations_sort_numerically(small_workspace: Workspace) -> None:
    assert [(c.id, c.label) for c in station_choices(small_workspace)] == [
        ("4", "PDQ 4"), ("38", "PDQ 38")]
    assert station_label("PDQ038") == "PDQ 38"
    assert "low_income_rate" in [c.id for c in indicator_choices("fr")]


def test_few_values_each_get_their_colour() -> None:
    classes = quantile_classes(np.array([3.0, 1.0, np.nan, 2.0]), YLGNBU)
    assert classes.colour_of(np.array([1.0, 2.0, 3.0, np.nan])) == [
        YLGNBU[0], YLGNBU[2], YLGNBU[4], NO_DATA_COLOUR]


def test_many_values_get_quantile_classes() -> None:
    values = np.arange(1.0, 101.0)
    classes = quantile_classes(values, YLGNBU)
    assert len(classes.colours) == 5
    counts = np.bincount(classes.index_of(values))
    assert counts.tolist() == [20, 20, 20, 20, 20]


def test_values_are_formatted_for_each_language() -> None:
    rate = indicator("low_income_rate")
    assert format_value(23.45, rate, "fr") == "23,4\u00a0%"
    assert format_value(23.45, rate, "en") == "23.4%"
    income = indicator("median_household_income")
    assert format_value(54_000.0, income, "fr") == "54\u202f000\u00a0$"
    assert format_value(54_000.0, income, "en") == "$54,000"
    assert format_value(float("nan"), rate, "fr") == "Donnée non disponible"
