"""Common Canadian and US cities: where they are, the metric CRS their files use, and what
their police call a station — the New workspace dialog proposes them, the officer may change
every one.

A city whose own files are in a local projection says so (Montréal's and Québec's MTM zones);
elsewhere the UTM zone of its centre is proposed (``portrait.crs.utm_crs``).

>>> proposed_crs(city_named("Vancouver")), proposed_crs(city_named("Montréal"))
('EPSG:26910', 'EPSG:32188')
"""

from __future__ import annotations

from dataclasses import dataclass

from portrait.crs import utm_crs
from portrait.errors import PortraitError
from portrait.services import fold


@dataclass(frozen=True)
class City:
    """A city as its people write it, with its English name when that differs."""

    name: str
    region: str
    longitude: float
    latitude: float
    #: The metric CRS of the city's own files, when it is not the local UTM zone.
    crs: str = ""
    #: What its police service calls a station ("" when not known: the officer says).
    station_term: str = ""
    #: The police service's usual short name ("" when not known).
    service: str = ""
    name_en: str = ""

    def label(self, language: str) -> str:
        """"Vancouver (BC)", "Québec (QC)" / "Quebec City (QC)"."""
        name = self.name_en if language == "en" and self.name_en else self.name
        return f"{name} ({self.region})"


CITIES: tuple[City, ...] = (
    # Canada (MTM zones of the Québec government's files where the cities use them)
    City("Montréal", "QC", -73.57, 45.50, "EPSG:32188", "PDQ", "SPVM"),
    City("Laval", "QC", -73.75, 45.57, "EPSG:32188"),
    City("Longueuil", "QC", -73.52, 45.53, "EPSG:32188"),
    City("Québec", "QC", -71.21, 46.81, "EPSG:32187", name_en="Quebec City"),
    City("Gatineau", "QC", -75.70, 45.48, "EPSG:32189"),
    City("Sherbrooke", "QC", -71.89, 45.40, "EPSG:32187"),
    City("Toronto", "ON", -79.38, 43.65, station_term="Division", service="TPS"),
    City("Ottawa", "ON", -75.70, 45.42),
    City("Mississauga", "ON", -79.64, 43.59, station_term="Division"),
    City("Hamilton", "ON", -79.87, 43.26, station_term="Division"),
    City("London", "ON", -81.25, 42.98),
    City("Kitchener", "ON", -80.49, 43.45),
    City("Windsor", "ON", -83.03, 42.30),
    City("Winnipeg", "MB", -97.14, 49.90, station_term="District", service="WPS"),
    City("Regina", "SK", -104.62, 50.45),
    City("Saskatoon", "SK", -106.67, 52.13),
    City("Calgary", "AB", -114.07, 51.05, station_term="District", service="CPS"),
    City("Edmonton", "AB", -113.49, 53.55, station_term="Division", service="EPS"),
    City("Vancouver", "BC", -123.12, 49.28, station_term="District", service="VPD"),
    City("Surrey", "BC", -122.85, 49.19),
    City("Victoria", "BC", -123.37, 48.43),
    City("Halifax", "NS", -63.57, 44.65),
    City("Moncton", "NB", -64.78, 46.09),
    City("Charlottetown", "PE", -63.13, 46.24),
    City("St. John's", "NL", -52.71, 47.56),
    # United States
    City("New York", "NY", -74.01, 40.71, station_term="Precinct", service="NYPD"),
    City("Los Angeles", "CA", -118.24, 34.05, station_term="Division", service="LAPD"),
    City("Chicago", "IL", -87.63, 41.88, station_term="District", service="CPD"),
    City("Houston", "TX", -95.37, 29.76, station_term="Division", service="HPD"),
    City("Phoenix", "AZ", -112.07, 33.45, station_term="Precinct"),
    City("Philadelphia", "PA", -75.17, 39.95, station_term="District", service="PPD"),
    City("San Antonio", "TX", -98.49, 29.42, station_term="Substation"),
    City("San Diego", "CA", -117.16, 32.72, station_term="Division", service="SDPD"),
    City("Dallas", "TX", -96.80, 32.78, station_term="Division"),
    City("San Jose", "CA", -121.89, 37.34),
    City("Austin", "TX", -97.74, 30.27),
    City("San Francisco", "CA", -122.42, 37.77, station_term="District", service="SFPD"),
    City("Seattle", "WA", -122.33, 47.61, station_term="Precinct", service="SPD"),
    City("Portland", "OR", -122.68, 45.52, station_term="Precinct"),
    City("Denver", "CO", -104.99, 39.74, station_term="District"),
    City("Las Vegas", "NV", -115.14, 36.17, station_term="Area Command"),
    City("Kansas City", "MO", -94.58, 39.10, station_term="Division", service="KCPD"),
    City("St. Louis", "MO", -90.20, 38.63, station_term="District"),
    City("Minneapolis", "MN", -93.27, 44.98, station_term="Precinct"),
    City("Milwaukee", "WI", -87.91, 43.04, station_term="District"),
    City("Detroit", "MI", -83.05, 42.33, station_term="Precinct"),
    City("Cleveland", "OH", -81.69, 41.50, station_term="District"),
    City("Cincinnati", "OH", -84.51, 39.10, station_term="District"),
    City("Nashville", "TN", -86.78, 36.16, station_term="Precinct"),
    City("Atlanta", "GA", -84.39, 33.75, station_term="Zone"),
    City("Miami", "FL", -80.19, 25.76, station_term="District"),
    City("New Orleans", "LA", -90.07, 29.95, station_term="District"),
    City("Washington", "DC", -77.04, 38.91, station_term="District", service="MPD"),
    City("Baltimore", "MD", -76.61, 39.29, station_term="District"),
    City("Boston", "MA", -71.06, 42.36, station_term="District", service="BPD"),
    City("Buffalo", "NY", -78.88, 42.89, station_term="District"),
)


def proposed_crs(city: City) -> str:
    """The metric CRS proposed for a workspace of ``city``."""
    return city.crs or utm_crs(city.longitude, city.latitude)


def matching(query: str) -> list[City]:
    """The cities whose name (either language) or region holds ``query``, accents aside."""
    wanted = fold(query)  # "montreal" finds Montréal
    return [city for city in CITIES if wanted in fold(
        f"{city.name} {city.name_en} {city.region}")]


def city_named(name: str) -> City:
    """The city called ``name`` (accents and case aside), or a clear error listing how to
    give another place."""
    wanted = fold(name)
    for city in CITIES:
        if wanted in (fold(city.name), fold(city.name_en)) or \
                wanted == fold(city.label("fr")) or wanted == fold(city.label("en")):
            return city
    raise PortraitError(
        f"{name!r} is not in the list of cities; give the workspace's metric CRS instead "
        "(--crs EPSG:NNNN), e.g. the UTM zone of the city's longitude.")
