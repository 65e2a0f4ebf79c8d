"""A problem's location in words and in counts: each kind says what it is, where, and how
big; partners read only the named area or map cell; the incidents counted follow the kind;
the location survives a save."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from exports.brief_model import BriefOptions
from exports.brief_records import records_section
from exports.disclosure import DisclosureLog
from exports.map_locations import drawn_location, picked_location
from portrait.crs import MAP_CRS
from portrait.errors import PortraitError
from portrait.records import Location, ProblemCard, RecordStore
from portrait.records.codec import decode, encode
from portrait.records.location_words import location_words
from portrait.workspace import Workspace

CRS = "EPSG:32188"
#: A named neighbourhood (a local area) holding a dissemination area coded by its number.
NEIGHBOURHOOD = shapely.box(300_000, 5_040_000, 302_000, 5_042_000)
DA = shapely.box(300_000, 5_040_000, 300_500, 5_040_500)
AREAS = gpd.GeoDataFrame(
    {"area_id": ["24661234", "plateau"], "name": ["24661234", "Plateau-Mont-Royal"],
     "level": ["DA", "local area"]}, geometry=[DA, NEIGHBOURHOOD], crs=CRS)
SPOT = shapely.Point(300_200, 5_040_300)
DRAWN = shapely.Polygon([(300_100, 5_040_100), (300_300, 5_040_100), (300_300, 5_040_310),
                         (300_100, 5_040_310)])  # 4.2 ha
CELL = shapely.box(300_250, 5_040_250, 300_500, 5_040_500)
LOCATIONS = {
    "point": Location.point(SPOT, radius_m=120),
    "area": Location.area(DRAWN),
    "hot_spot_cell": Location.hot_spot_cell("17", CELL),
    "census_area": Location.census_area(AREAS, "24661234"),
}


@pytest.mark.parametrize(("kind", "french", "english"), [
    ("point", "dans un rayon de 120\u00a0m autour d'un point dans Plateau-Mont-Royal",
     "within 120\u00a0m of a point in Plateau-Mont-Royal"),
    ("area", "secteur tracé sur la carte, 4,2\u00a0ha, dans Plateau-Mont-Royal",
     "area drawn on the map, 4.2\u00a0ha, in Plateau-Mont-Royal"),
    ("hot_spot_cell", "cellule de point chaud de 250\u00a0m dans Plateau-Mont-Royal",
     "hot spot cell of 250\u00a0m in Plateau-Mont-Royal"),
    ("census_area", "aire de recensement 24661234 dans Plateau-Mont-Royal",
     "census area 24661234 in Plateau-Mont-Royal"),
])
def test_each_kind_says_what_it_is_how_big_and_in_which_named_area(kind, french,
                                                                    english) -> None:
    location = LOCATIONS[kind]
    assert location_words(location, "fr", AREAS) == french
    assert location_words(location, "en", AREAS) == english
    # the same words from the encoded record a brief receives
    assert location_words(encode(location), "en", AREAS) == english


@pytest.mark.parametrize("kind", list(LOCATIONS))
def test_partners_read_the_named_area_only(kind) -> None:
    shown = location_words(LOCATIONS[kind], "fr", AREAS, audience="partner")
    assert shown == "aire Plateau-Mont-Royal"


def test_outside_every_named_area_the_place_is_a_map_square_never_coordinates() -> None:
    far = Location.point(shapely.Point(250_130, 5_000_260))
    assert location_words(far, "en", AREAS) == (
        "within 100\u00a0m of a point in the 250 m square of the map grid (column 1000, row 20001)")
    partner = location_words(far, "fr", AREAS, audience="partner", cell_size_m=500)
    assert partner == "carré de 500 m de la grille de la carte (colonne 500, rangée 10000)"
    assert "250130" not in partner and "5000260" not in partner


def test_the_officers_name_for_the_place_stays_in_the_station() -> None:
    named = Location.point(SPOT, label="devant l'école Saint-Jean")
    assert location_words(named, "fr", AREAS) == (
        "devant l'école Saint-Jean — dans un rayon de 100\u00a0m autour d'un point dans "
        "Plateau-Mont-Royal")
    assert location_words(named, "fr", AREAS, audience="partner") == "aire Plateau-Mont-Royal"


def test_a_location_is_never_empty_words() -> None:
    assert location_words(None, "fr") == "lieu non précisé"
    assert location_words({"kind": "point", "geometry": None}, "en") == "place not given"


def test_a_brief_prints_the_location_in_words_for_each_audience() -> None:
    card = ProblemCard(title="Vols autour du parc", location=LOCATIONS["area"])
    for audience, expected in (("internal", "Lieu : secteur tracé sur la carte, 4,2\u00a0ha, "
                                            "dans Plateau-Mont-Royal"),
                               ("partner", "Lieu : aire Plateau-Mont-Royal")):
        section = records_section([card], BriefOptions(audience=audience), DisclosureLog(),
                                  AREAS)
        details = section.tables[0].rows[0][1]
        assert expected in details, details
        assert not re.search(r"[0-9A-Fa-f]{40}", details)  # no geometry


def test_a_point_keeps_its_radius_and_older_points_read_as_100_m() -> None:
    assert Location.point(SPOT).radius_m == 100
    assert Location.area(DRAWN).radius_m is None
    with pytest.raises(PortraitError, match="radius_m"):
        Location.point(SPOT, radius_m=5_000)
    old = encode(ProblemCard(title="x", location=Location.point(SPOT, radius_m=100)))
    del old["location"]["radius_m"]  # a card saved before points had their own radius
    assert decode(ProblemCard, old).location.radius_m == 100


def _incidents() -> gpd.GeoDataFrame:
    points = [shapely.Point(300_200, 5_040_300),  # inside the drawn area, at the point
              shapely.Point(300_290, 5_040_300),  # inside the drawn area, 90 m away
              shapely.Point(300_200, 5_040_450),  # outside the drawn area, 150 m away
              shapely.Point(300_450, 5_040_450),  # in the cell only, 304 m away
              shapely.Point(301_500, 5_041_500)]  # far
    return gpd.GeoDataFrame({"date": pd.to_datetime(["2025-03-10"] * len(points)),
                             "category": "mischief"}, geometry=points, crs=CRS)


@pytest.mark.parametrize(("location", "counted"), [
    (Location.point(SPOT, radius_m=100), 2),
    (Location.point(SPOT, radius_m=200), 3),
    (Location.area(DRAWN), 2),
    (Location.hot_spot_cell("17", CELL), 2),
    (Location.census_area(AREAS, "24661234"), 4),
])
def test_the_incidents_counted_follow_the_kind(location, counted) -> None:
    card = ProblemCard(title="Méfaits", category="mischief", location=location,
                       period_start=dt.date(2025, 3, 1), period_end=dt.date(2025, 3, 31))
    inputs = card.measure_priority_inputs(_incidents(), CRS)
    assert inputs.incident_count == counted
    assert inputs.radius_m == (location.radius_m if location.kind == "point" else None)


def test_every_kind_survives_a_save_and_reopening(small_workspace: Workspace) -> None:
    store = RecordStore.load(small_workspace)
    ids = {kind: store.add(ProblemCard(title=kind, location=location)).record_id
           for kind, location in LOCATIONS.items()}
    store.save(small_workspace)
    small_workspace.save()
    reopened = RecordStore.load(Workspace.open(small_workspace.path))
    for kind, record_id in ids.items():
        saved = reopened.get(record_id).location
        assert saved == LOCATIONS[kind], kind
        assert saved.geometry.equals_exact(LOCATIONS[kind].geometry, 0)


def _degrees(points: list[shapely.Point]) -> list[tuple[float, float]]:
    series = gpd.GeoSeries(points, crs=CRS).to_crs(MAP_CRS)
    return [(p.y, p.x) for p in series]


def test_an_outline_drawn_in_degrees_becomes_an_area_in_metres(
        small_workspace: Workspace) -> None:
    corners = [shapely.Point(x, y) for x, y in DRAWN.exterior.coords[:-1]]
    location = drawn_location(small_workspace, _degrees(corners))
    assert location.kind == "area"
    assert location.geometry.area == pytest.approx(DRAWN.area, rel=1e-6)
    crossing = _degrees([shapely.Point(300_000, 5_040_000), shapely.Point(300_200, 5_040_200),
                         shapely.Point(300_200, 5_040_000), shapely.Point(300_000, 5_040_200)])
    bow_tie = drawn_location(small_workspace, crossing)  # crosses itself: its two triangles
    assert bow_tie.geometry.is_valid and bow_tie.geometry.area == pytest.approx(20_000, rel=1e-3)
    with pytest.raises(PortraitError, match="at least 3 corners"):
        drawn_location(small_workspace, crossing[:2])


def test_a_census_area_is_found_under_whatever_was_clicked(small_workspace: Workspace) -> None:
    areas = small_workspace.layer("census_areas")
    area = areas.iloc[4]
    [(lat, lng)] = _degrees([area.geometry.representative_point()])
    location = picked_location(small_workspace, None, "census_area", "service", "S3", lat,
                               lng)
    assert (location.kind, location.reference_id) == ("census_area", str(area["area_id"]))
    with pytest.raises(PortraitError, match="No hot spot cell here"):
        picked_location(small_workspace, None, "hot_spot", "point", "", lat, lng)
    point = picked_location(small_workspace, None, "point", "census_area", "x", lat, lng)
    assert point.kind == "point" and area.geometry.contains(point.geometry)


def test_a_changed_radius_is_a_new_location() -> None:
    wider = dataclasses.replace(LOCATIONS["point"], radius_m=300)
    assert wider != LOCATIONS["point"]
    assert wider.counting_area().area > LOCATIONS["point"].counting_area().area


def test_a_neighbourhood_is_picked_around_the_census_area_clicked(
        small_workspace: Workspace) -> None:
    areas = small_workspace.layer("census_areas").assign(name=lambda f: f["area_id"])
    [da] = areas.iloc[[4]].itertuples()
    quarter = gpd.GeoDataFrame(
        {"area_id": ["parc-extension"], "name": ["Parc-Extension"],
         "level": ["local area"]}, geometry=[da.geometry.buffer(500)], crs=areas.crs)
    small_workspace.set_layer("census_areas", pd.concat([areas, quarter], ignore_index=True))
    [(lat, lng)] = _degrees([da.geometry.representative_point()])
    location = picked_location(small_workspace, None, "named_area", "census_area", da.area_id,
                               lat, lng)
    assert (location.reference_id, location.label) == ("parc-extension", "Parc-Extension")
    assert location_words(location, "fr", small_workspace.layer("census_areas")) == \
        "quartier Parc-Extension"
    finest = picked_location(small_workspace, None, "census_area", "point", "", lat, lng)
    assert finest.reference_id == da.area_id
    assert location_words(finest, "en", small_workspace.layer("census_areas")) == \
        f"census area {da.area_id} in Parc-Extension"
    small_workspace.set_layer("census_areas", areas)  # codes only: no neighbourhood to pick
    with pytest.raises(PortraitError, match="No named area here"):
        picked_location(small_workspace, None, "named_area", "point", "", lat, lng)
