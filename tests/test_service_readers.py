"""Service readers: Montréal's "Lieux d'intérêt", OpenStreetMap extracts, Open Referral HSDS
packages and partner inventories with English headers, on real files and code-built ones."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from data_connectors.base import ReadContext, ReaderError
from data_connectors.registry import find_reader, get_reader
from portrait.crs import METRIC_CRS

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
LIEUX = SHARED / "montreal" / "lieux_interet.geojson"
OSM = SHARED / "vancouver" / "osm_amenities_vancouver.jsonl.gz"
TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _bounds(west: float, south: float, east: float, north: float
            ) -> tuple[float, float, float, float]:
    """Station bounds in the metric CRS for a longitude/latitude box."""
    x, y = TO_METRIC.transform([west, east, west, east], [south, south, north, north])
    return (min(x), min(y), max(x), max(y))


# --- Montréal "Lieux d'intérêt" ------------------------------------------------------------

@pytest.mark.shared_data
@needs_shared
def test_real_lieux_interet_keeps_services_and_counts_parks() -> None:
    assert find_reader(LIEUX).id == "lieux-interet"
    result = get_reader("lieux-interet").read(LIEUX, ReadContext())
    services, report = result.layers["services"], result.report
    assert report.rows_read == 3_231
    assert report.rows_kept == len(services) == 3_231 - sum(report.dropped.values())
    # PROVENANCE.md: 955 parks, 27 police stations, 55 fire stations, 28 CLSC, 28 hospitals,
    # 50 libraries, 500 schools, 260 community organisations (category "Équipement
    # communautaire"; one more of that type is filed under "Service gouvernemental").
    assert report.dropped["not a community service (park)"] == 955
    types = services["source_type"].value_counts()
    assert types["Police de quartier"] == 27
    assert types["Caserne de pompiers"] == 55
    assert types["CLSC"] == 28
    assert types["Hôpital"] == 28
    assert types["Bibliothèque publique"] + types["Bibliothèque privée"] == 50
    assert types[["École primaire", "École secondaire et professionnelle",
                  "Cégep et université"]].sum() == 500
    assert types["Organisme communautaire et centre de loisirs"] == 261
    assert services["service_type"].notna().all()
    assert (services.loc[services["source_type"] == "Police de quartier", "service_type"]
            == "police_fire").all()
    assert not services["source_type"].isin(["Parc", "Jardin communautaire", "Hôtel"]).any()
    assert services["located"].all() and services.crs == METRIC_CRS
    assert not services["address"].str.contains(", ,", regex=False).any()  # Bureau " " skipped
    assert services["address"].str.contains(r", bureau \d+, H\d\w \d\w\d$").any()


def _write_lieux(path: Path) -> Path:
    def feature(ident, famille, categorie, type_, nom, numero, rue, bureau, cp, lon, lat,
                geometry=True):
        return {"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]} if geometry else None,
                "properties": {"ID": ident, "Famille": famille, "Catégorie": categorie,
                               "Nom français": nom, "Type": type_, "Numéro": numero, "rue": rue,
                               "Étage": 0, "Bureau": bureau, "Ville": "Montréal",
                               "Code postal": cp, "Longitude": lon, "Latitude": lat}}

    features = [
        feature(1, "Service public", "Service d'urgence", "Police de quartier",
                "Poste de quartier 38", "1033", "Rue Rachel Est", " ", "H2J 2J3", -73.58, 45.52),
        feature(2, "Récréatif / sportif", "Parc et autre espace vert", "Parc", "Parc Lafontaine",
                " ", " ", " ", " ", -73.57, 45.53),
        feature(3, "Récréatif / sportif", "Équipement communautaire",
                "Organisme communautaire et centre de loisirs", "Centre Père-Sablon", "4265",
                "Avenue Papineau", "200", "H2H 1T3", -73.57, 45.53, geometry=False),
        feature(4, "Commercial", "Hébergement", "Hôtel", "Hôtel X", "1", "Rue Y", " ", " ",
                -73.56, 45.50),
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_lieux_interet_fixture_address_fallback_point_and_drops(tmp_path: Path) -> None:
    path = _write_lieux(tmp_path / "lieux-interet.geojson")
    assert find_reader(path).id == "lieux-interet"
    result = get_reader("lieux-interet").read(path, ReadContext())
    services = result.layers["services"].set_index("service_id")
    assert list(services.index) == ["1", "3"]
    assert services.loc["1", "address"] == "1033 Rue Rachel Est, H2J 2J3"
    assert services.loc["3", "address"] == "4265 Avenue Papineau, bureau 200, H2H 1T3"
    assert services.loc["3", "located"]  # no geometry: the Longitude/Latitude properties
    assert result.report.dropped == {"not a community service (park)": 1,
                                     "not a community service (Hébergement)": 1}
    # A category mapped in the workspace comes back at the next import.
    mapping = dict(ReadContext().service_type_mapping, **{"parc": "other"})
    again = get_reader("lieux-interet").read(path, ReadContext(service_type_mapping=mapping))
    assert "Parc Lafontaine" in set(again.layers["services"]["name"])


# --- OpenStreetMap -------------------------------------------------------------------------

@pytest.mark.shared_data
@needs_shared
def test_real_osm_extract_keeps_community_amenities() -> None:
    assert find_reader(OSM).id == "osm-amenities"
    result = get_reader("osm-amenities").read(OSM, ReadContext())
    services, report = result.layers["services"], result.report
    assert report.rows_read == 17_718
    types = services["source_type"].value_counts()
    # PROVENANCE.md's community-relevant amenities, all kept but the weather shelters.
    for amenity, count in {"community_centre": 63, "clinic": 120, "doctors": 99,
                           "library": 51, "childcare": 47, "police": 23, "social_centre": 12,
                           "place_of_worship": 116, "school": 71}.items():
        assert types[f"amenity={amenity}"] == count, amenity
    social = services["source_type"].str.startswith("social_facility") \
        | (services["source_type"] == "amenity=social_facility")
    assert social.sum() == 50
    assert report.dropped["not a community service (amenity=shelter)"] == 65
    assert any("weather shelters" in w for w in report.warnings)
    assert report.dropped["not a community service (amenity=bench)"] == 3_738
    assert report.rows_kept == len(services) == 17_718 - sum(report.dropped.values())
    food = services.loc[services["service_type"] == "food", "source_type"]
    assert set(food) == {"social_facility=food_bank"}
    assert services["name"].str.endswith(" (sans nom)").sum() \
        == report.flagged["no name in OpenStreetMap (name generated)"] > 0
    assert services["located"].all()


@pytest.mark.shared_data
@needs_shared
def test_real_osm_extract_is_cut_to_the_stations_extent() -> None:
    bounds = _bounds(-123.225, 49.199, -123.023, 49.315)  # about the City of Vancouver
    result = get_reader("osm-amenities").read(OSM, ReadContext(station_bounds=bounds))
    services = result.layers["services"]
    outside = result.report.dropped["outside the stations' extent (more than 1 km beyond)"]
    assert outside > 300 and 0 < len(services) < 742 - 300
    x, y = services.geometry.x, services.geometry.y
    assert ((x > bounds[0] - 1_000) & (x < bounds[2] + 1_000)
            & (y > bounds[1] - 1_000) & (y < bounds[3] + 1_000)).all()


def _overpass_geojson(path: Path) -> Path:
    features = [
        {"type": "Feature", "id": "node/1", "geometry": {"type": "Point",
                                                          "coordinates": [-73.58, 45.52]},
         "properties": {"@id": "node/1", "amenity": "social_facility",
                        "social_facility": "food_bank", "name": "Moisson Plateau",
                        "addr:housenumber": "12", "addr:street": "Rue Rachel"}},
        {"type": "Feature", "id": "way/2", "geometry": {"type": "Polygon", "coordinates": [[
            [-73.571, 45.531], [-73.570, 45.531], [-73.570, 45.532], [-73.571, 45.532],
            [-73.571, 45.531]]]},
         "properties": {"type": "way", "id": 2, "tags": {"amenity": "community_centre"}}},
        {"type": "Feature", "id": "node/3", "geometry": {"type": "Point",
                                                          "coordinates": [-73.57, 45.53]},
         "properties": {"amenity": "bench"}},
        {"type": "Feature", "id": "node/4", "geometry": {"type": "Point",
                                                          "coordinates": [-73.9, 45.45]},
         "properties": {"amenity": "library", "name": "Far away"}},
        {"type": "Feature", "id": "node/5", "geometry": {"type": "Point",
                                                          "coordinates": [-73.575, 45.525]},
         "properties": {"amenity": "social_facility", "social_facility": "outreach",
                        "social_facility:for": "senior", "name": "Aînés en action"}},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def test_overpass_geojson_export(tmp_path: Path) -> None:
    path = _overpass_geojson(tmp_path / "export.geojson")
    assert find_reader(path).id == "osm-amenities"
    context = ReadContext(station_bounds=_bounds(-73.60, 45.50, -73.55, 45.55))
    result = get_reader("osm-amenities").read(path, context)
    services = result.layers["services"].set_index("service_id")
    assert list(services.index) == ["node/1", "way/2", "node/5"]
    assert services.loc["node/1", ["service_type", "address"]].tolist() == ["food",
                                                                          "12 Rue Rachel"]
    assert services.loc["way/2", "name"] == "community_centre (sans nom)"
    centre = gpd.GeoSeries([services.loc["way/2", "geometry"]], crs=METRIC_CRS).to_crs(4326)
    assert shapely.box(-73.571, 45.531, -73.570, 45.532).contains(centre.iloc[0])
    assert services.loc["node/5", ["service_type", "source_type"]].tolist() == [
        "seniors", "social_facility=outreach"]
    assert result.report.dropped == {
        "not a community service (amenity=bench)": 1,
        "outside the stations' extent (more than 1 km beyond)": 1}


def test_json_lines_with_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "amenities.jsonl"
    lines = [json.dumps({"lat": 45.52, "lon": -73.58, "amenity": "clinic", "name": "Clinique A",
                         "tags": {}}),
             "{not json",
             json.dumps({"lat": None, "lon": None, "amenity": "police", "tags": {}})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert find_reader(path).id == "osm-amenities"
    result = get_reader("osm-amenities").read(path, ReadContext())
    services = result.layers["services"]
    assert services["name"].tolist() == ["Clinique A", "police (sans nom)"]
    assert services["located"].tolist() == [True, False]
    assert result.report.dropped == {"line is not JSON": 1}
    assert result.report.examples[0]["row"] == 2


# --- Open Referral HSDS --------------------------------------------------------------------

HSDS_TABLES = {
    "organizations.csv": [
        {"id": "o1", "name": "Mission Bon Accueil", "description": "Aide aux personnes"},
        {"id": "o2", "name": "YMCA du Parc", "description": ""},
        {"id": "o3", "name": "Clinique juridique", "description": ""},
    ],
    "services.csv": [
        {"id": "s1", "organization_id": "o1", "name": "Distribution alimentaire",
         "description": "Paniers chaque semaine"},
        {"id": "s2", "organization_id": "o2", "name": "Youth drop-in", "description": ""},
        {"id": "s3", "organization_id": "o1", "name": "Nuits d'hiver",
         "description": "Refuge pour hommes, 40 lits"},
        {"id": "s4", "organization_id": "o3", "name": "Consultations juridiques",
         "description": "Avocats bénévoles"},
        {"id": "s5", "organization_id": "o2", "name": "Banque alimentaire du YMCA",
         "description": ""},
    ],
    "locations.csv": [
        {"id": "l1", "organization_id": "o1", "name": "Siège", "latitude": "45.5201",
         "longitude": "-73.5801"},
        {"id": "l2", "organization_id": "o1", "name": "Point de service",
         "latitude": "45.5302", "longitude": "-73.5702"},
        {"id": "l3", "organization_id": "o2", "name": "YMCA", "latitude": "45,5103",
         "longitude": "-73,5603"},
        {"id": "l4", "organization_id": "o1", "name": "Adresse confidentielle",
         "latitude": "", "longitude": ""},
    ],
    "service_at_location.csv": [
        {"id": "a1", "service_id": "s1", "location_id": "l1"},
        {"id": "a2", "service_id": "s1", "location_id": "l2"},
        {"id": "a3", "service_id": "s2", "location_id": "l3"},
        {"id": "a4", "service_id": "s3", "location_id": "l4"},
        {"id": "a5", "service_id": "s4", "location_id": "l1"},
    ],
    "addresses.csv": [
        {"id": "d1", "location_id": "l1", "address_type": "postal", "address_1": "CP 123",
         "city": "Montréal", "state_province": "QC", "postal_code": "H2X 0A1"},
        {"id": "d2", "location_id": "l1", "address_type": "physical",
         "address_1": "12 rue Rachel", "city": "Montréal", "state_province": "QC",
         "postal_code": "H2J 2J3"},
        {"id": "d3", "location_id": "l3", "address_type": "physical",
         "address_1": "4000 rue Parc", "city": "Montréal", "state_province": "QC",
         "postal_code": ""},
    ],
    "taxonomy_terms.csv": [{"id": "t1", "name": "Food Bank", "taxonomy": "custom"}],
    "attributes.csv": [{"id": "x1", "link_id": "s1", "link_type": "service",
                        "link_entity": "service", "taxonomy_term_id": "t1"}],
}


def _write_hsds(folder: Path, tables: dict[str, list[dict]] = HSDS_TABLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / name, index=False)
    return folder


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"paquet/{path.name}")
    return target


def test_hsds_package_one_row_per_service_and_location(tmp_path: Path) -> None:
    folder = _write_hsds(tmp_path / "hsds")
    archive = _zip(folder, tmp_path / "hsds.zip")
    for path in (folder, archive, folder / "services.csv"):
        assert find_reader(path).id == "hsds", path
    result = get_reader("hsds").read(archive, ReadContext())
    services = result.layers["services"].set_index("service_id")
    assert sorted(services.index) == ["s1@l1", "s1@l2", "s2@l3", "s3@l4", "s4@l1", "s5"]
    assert services["service_type"].fillna("none").to_dict() == {
        "s1@l1": "food", "s1@l2": "food",  # from the HSDS 3 taxonomy term "Food Bank"
        "s2@l3": "youth",  # a word of the name
        "s3@l4": "housing",  # a word of the description ("Refuge")
        "s4@l1": "none", "s5": "food"}
    assert services.loc["s1@l1", "source_type"] == "Food Bank"
    assert services.loc["s1@l1", "name"] == "Distribution alimentaire (Mission Bon Accueil)"
    assert services.loc["s5", "name"] == "Banque alimentaire du YMCA (YMCA du Parc)"
    assert services.loc["s1@l1", "address"] == "12 rue Rachel, Montréal, QC, H2J 2J3"
    assert services["located"].to_dict() == {"s1@l1": True, "s1@l2": True, "s2@l3": True,
                                             "s3@l4": False, "s4@l1": True, "s5": False}
    report = result.report
    assert report.rows_read == report.rows_kept == 6
    assert report.flagged == {
        "not located: the service has no location (kept once, not on maps)": 1,
        "not located: the location has no coordinates (kept, not on maps)": 1}
    assert report.unmapped_categories == {
        "(no taxonomy term, and no known word in the name or description)": 1}
    assert result.replace_key == ("source", "hsds:hsds.zip")


def test_hsds_2_taxonomy_and_a_services_file_without_names(tmp_path: Path) -> None:
    tables = {k: v for k, v in HSDS_TABLES.items()
              if k not in ("taxonomy_terms.csv", "attributes.csv")}
    tables["service_taxonomy.csv"] = [{"id": "x", "service_id": "s4", "taxonomy_id": "t9"}]
    tables["taxonomy.csv"] = [{"id": "t9", "name": "Aide juridique", "vocabulary": "x"}]
    folder = _write_hsds(tmp_path / "v2", tables)
    mapping = dict(ReadContext().service_type_mapping, **{"aide juridique": "other"})
    services = get_reader("hsds").read(folder, ReadContext(service_type_mapping=mapping)) \
        .layers["services"].set_index("service_id")
    assert services.loc["s4@l1", ["source_type", "service_type"]].tolist() == [
        "Aide juridique", "other"]
    pd.DataFrame([{"id": "s1", "title": "x"}]).to_csv(folder / "services.csv", index=False)
    with pytest.raises(ReaderError, match=r"services\.csv.*missing column\(s\) name"):
        get_reader("hsds").read(folder, ReadContext())


def test_a_folder_without_hsds_tables_is_not_claimed(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert not get_reader("hsds").can_read(tmp_path)


# --- Partner inventories -------------------------------------------------------------------

ENGLISH_INVENTORY = pd.DataFrame({
    "Organization Name": ["Downtown Food Bank", "Kitsilano Neighbourhood House",
                          "Unknown Org"],
    "Service Type": ["Food Bank", "Neighbourhood House", "Legal aid"],
    "Street Address": ["1 Main St", "2 Yew St", None],
    "City": ["Vancouver", "Vancouver", "Vancouver"],
    "Postal Code": ["V6A 1A1", None, None],
    "Latitude": ["49.28", "49.27", ""],
    "Longitude": ["-123.10", "-123.15", ""],
})


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_inventory_with_english_headers(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"community_services{suffix}"
    if suffix == ".csv":
        ENGLISH_INVENTORY.to_csv(path, index=False)
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(list(ENGLISH_INVENTORY.columns))
        for row in ENGLISH_INVENTORY.itertuples(index=False):
            sheet.append([float(v) if k in ("Latitude", "Longitude") and v else v
                          for k, v in zip(ENGLISH_INVENTORY.columns, row, strict=True)])
        workbook.save(path)
    assert find_reader(path).id == "service-inventory"
    result = get_reader("service-inventory").read(path, ReadContext())
    services = result.layers["services"]
    assert services["service_type"].fillna("none").tolist() == ["food", "community_centre",
                                                                "none"]
    assert services["address"].tolist() == ["1 Main St, Vancouver, V6A 1A1",
                                            "2 Yew St, Vancouver", "Vancouver"]
    assert services["located"].tolist() == [True, True, False]
    assert result.report.unmapped_categories == {"Legal aid": 1}
