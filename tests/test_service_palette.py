"""Service types keep one colour everywhere: every station, the app's map, the PDF's map,
and never a colour the incidents, hot spots or problems already use."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure

from exports import static_maps
from exports.map_portrait_layers import HOT_SPOT_COLOURS, PROBLEM_COLOUR
from exports.service_palette import SERVICE_COLOURS, service_colour
from exports.web_map import INCIDENT_FILL, INCIDENT_STROKE, MapOptions, build_station_map
from portrait.crs import METRIC_CRS
from portrait.services import SERVICE_TYPES
from portrait.workspace import Workspace

#: Least distance (RGB, 0-441) between a service dot and a colour another layer uses: dots
#: must never pass for incidents or problems; hot spots are squares, told apart by shape too.
MIN_DISTANCE = {"incidents": 100, "problems": 100, "hot_spots": 50}


def distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(to_rgb(a), to_rgb(b), strict=True)) ** 0.5 * 255


def test_every_type_has_its_own_colour() -> None:
    assert set(SERVICE_COLOURS) == {kind.id for kind in SERVICE_TYPES}
    colours = list(SERVICE_COLOURS.values())
    assert min(distance(a, b) for i, a in enumerate(colours) for b in colours[i + 1:]) > 50


@pytest.mark.parametrize("layer, colour", [
    ("incidents", INCIDENT_FILL), ("incidents", INCIDENT_STROKE), ("problems", PROBLEM_COLOUR),
    *(("hot_spots", c) for c in HOT_SPOT_COLOURS.values())])
def test_no_service_takes_another_layers_colour(layer: str, colour: str) -> None:
    near = {kind: mine for kind, mine in SERVICE_COLOURS.items()
            if distance(mine, colour) < MIN_DISTANCE[layer]}
    assert near == {}


def test_labels_and_ids_give_the_same_colour() -> None:
    for kind in SERVICE_TYPES:
        assert service_colour(kind.id) == service_colour(kind.label_fr) == \
            service_colour(kind.label_en) == SERVICE_COLOURS[kind.id]
    assert service_colour("Soupe populaire du coin") == SERVICE_COLOURS["other"]
    assert service_colour(None) == SERVICE_COLOURS["other"]


@pytest.fixture
def services_in_both_stations(small_workspace: Workspace) -> Workspace:
    """Food banks in both stations: the most frequent type in 38, a rare one in 4."""
    kinds = ["food", "youth", "youth", "youth", "seniors", "food", "food", "housing"]
    points = [shapely.Point(295_500 + 300 * i, 5_041_000) for i in range(4)] + \
        [shapely.Point(298_500 + 300 * i, 5_041_000) for i in range(4)]
    small_workspace.set_layer("services", gpd.GeoDataFrame(
        {"service_id": [f"S{i}" for i in range(8)], "name": [f"Service {i}" for i in range(8)],
         "service_type": kinds, "address": "", "source": "test", "located": True},
        geometry=points, crs=METRIC_CRS))
    return small_workspace


def map_colours(workspace: Workspace, station_id: str) -> dict[str, str]:
    fmap = build_station_map(workspace, MapOptions(station_id))
    layer = next(child for child in fmap._children.values()
                 if getattr(child, "layer_name", "") == "Services")
    return {f["properties"]["popup"].split("<br>")[1]: f["properties"]["style"]["fillColor"]
            for f in layer.data["features"]}


def test_a_type_has_the_same_colour_in_every_station_and_in_the_pdf(
        services_in_both_stations: Workspace) -> None:
    first = map_colours(services_in_both_stations, "38")
    second = map_colours(services_in_both_stations, "4")
    assert first["Aide alimentaire"] == second["Aide alimentaire"] == SERVICE_COLOURS["food"]
    assert first["Jeunesse"] == SERVICE_COLOURS["youth"]

    figure = Figure()
    axes = figure.add_subplot()
    handles = static_maps.services(axes, {"x": [0, 1, 2], "y": [0, 1, 2], "types": [
        "Aide alimentaire", "Jeunesse", "Type inconnu"]}, "fr")
    drawn = [to_hex(c).upper() for c in axes.collections[0].get_facecolors()]
    assert drawn == [SERVICE_COLOURS["food"].upper(), SERVICE_COLOURS["youth"].upper(),
                     SERVICE_COLOURS["other"].upper()]
    assert [h.get_label() for h in handles] == ["Aide alimentaire", "Jeunesse", "Autres types"]
