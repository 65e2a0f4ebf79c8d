"""The metric CRS proposed for a city, and the one the CRS error suggests."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from portrait.cities import CITIES, city_named, matching, proposed_crs
from portrait.crs import crs_in_words, require_metric, utm_crs
from portrait.errors import PortraitError
from portrait.statistics.apportion import area_shares


@pytest.mark.parametrize(("longitude", "latitude", "crs"), [
    (-123.12, 49.28, "EPSG:26910"),  # Vancouver: NAD83 / UTM zone 10N
    (-94.58, 39.10, "EPSG:26915"),  # Kansas City: NAD83 / UTM zone 15N
    (-79.38, 43.65, "EPSG:26917"),  # Toronto
    (2.35, 48.86, "EPSG:32631"),  # Paris: no NAD83 there, WGS 84 / UTM zone 31N
    (151.21, -33.87, "EPSG:32756"),  # Sydney, south of the equator
])
def test_the_utm_zone_comes_from_the_longitude(longitude, latitude, crs) -> None:
    assert utm_crs(longitude, latitude) == crs


@pytest.mark.parametrize(("longitude", "latitude"), [(-200, 45), (-73, 88), (float("nan"), 45)])
def test_a_point_outside_utm_is_refused_clearly(longitude, latitude) -> None:
    with pytest.raises(PortraitError, match="not a longitude and latitude"):
        utm_crs(longitude, latitude)


def test_montreal_keeps_its_mtm_zone_and_other_cities_get_their_utm_zone() -> None:
    assert proposed_crs(city_named("Montréal")) == "EPSG:32188"
    assert proposed_crs(city_named("montreal")) == "EPSG:32188"
    assert proposed_crs(city_named("Vancouver")) == "EPSG:26910"
    assert proposed_crs(city_named("Kansas City")) == "EPSG:26915"
    assert crs_in_words("EPSG:32188") == "NAD83 / MTM zone 8 (EPSG:32188)"
    for city in CITIES:  # every proposal is a metric CRS the workspace accepts
        require_metric(proposed_crs(city), city.name)


def test_cities_are_found_without_accents_or_case() -> None:
    assert [c.name for c in matching("QUEB")] == ["Québec"]
    assert {c.name for c in matching("kansas")} == {"Kansas City"}
    assert matching("nowhere at all") == []
    with pytest.raises(PortraitError, match="'Atlantis' is not in the list.*--crs EPSG"):
        city_named("Atlantis")


def test_a_layer_in_degrees_is_told_the_utm_zone_where_it_lies() -> None:
    box = shapely.box(-123.2, 49.2, -123.0, 49.3)  # Vancouver, in degrees
    layer = gpd.GeoDataFrame({"target_id": ["1"]}, geometry=[box], crs="EPSG:4326")
    with pytest.raises(PortraitError, match=r"The station boundaries is in WGS 84 .*local UTM "
                                            r"zone there is NAD83 / UTM zone 10N \(EPSG:26910\)"):
        require_metric(layer.crs, "The station boundaries", layer)
    areas = layer.rename(columns={"target_id": "area_id"})
    with pytest.raises(PortraitError, match=r"EPSG:26910") as raised:
        area_shares(areas, layer)
    assert "32188" not in str(raised.value)


def test_a_crs_in_feet_is_told_the_utm_zone_of_its_own_area() -> None:
    with pytest.raises(PortraitError, match=r"Georgia West .*EPSG:26916"):
        require_metric("EPSG:2240", "The workspace")


def test_degrees_without_data_name_no_city() -> None:
    with pytest.raises(PortraitError, match="units are not metres") as raised:
        require_metric("EPSG:4326", "The workspace")
    assert "32188" not in str(raised.value) and "Montr" not in str(raised.value)
