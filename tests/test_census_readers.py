"""Census readers: wide municipal profiles, named-area boundaries, area-name matching, and the
Statistics Canada profile read through its geography index or streamed.

Fixtures are written here in the real layouts (a few kilobytes each); the real Montréal and
Vancouver files are used when ../shared/data is present.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from data_connectors import statcan_profile
from data_connectors.area_boundaries import AreaBoundaryReader
from data_connectors.area_names import ALIASES, area_key, closest, restore_apostrophes
from data_connectors.base import ReadContext, ReaderError
from data_connectors.importer import import_files
from data_connectors.registry import find_reader, get_reader
from data_connectors.wide_profiles import WideProfileReader, parse_number
from portrait.errors import CancelledError
from portrait.workspace import Workspace

SHARED = Path(os.environ.get("PORTRAIT_SHARED_DATA")  # a worktree lives deeper than main
              or Path(__file__).resolve().parents[2] / "shared" / "data")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
MONTREAL = SHARED / "montreal"
VANCOUVER = SHARED / "vancouver"
MONTREAL_PROFILES = sorted(MONTREAL.glob("profil_2021_montreal_population*.csv"))


# --- Area names ------------------------------------------------------------------------------


@pytest.mark.parametrize(("variant", "canonical"), [
    ("Arrondissement d'Ahuntsic-Cartierville", "Ahuntsic-Cartierville"),
    ("Arrondissement du Plateau-Mont-Royal", "Le Plateau-Mont-Royal"),
    ("Plateau-Mont-Royal", "Le Plateau-Mont-Royal"),
    ("Arrondissement du Sud-Ouest", "Le Sud-Ouest"),
    ("LÎle-Bizard-Sainte-Geneviève", "L'Île-Bizard-Sainte-Geneviève"),
    ("Arrondissement de L'Île-Bizard-Sainte-Geneviève", "L’Île-Bizard–Sainte-Geneviève"),
    ("Ville de Baie-D'Urfé", "Baie-d'Urfé"),
    ("Baie-DUrfé", "Baie-d'Urfé"),
    ("Village de Senneville", "Senneville"),
    ("Dollard-Des Ormeaux", "Dollard-des-Ormeaux"),
    ("Mercier–Hochelaga-Maisonneuve", "Mercier-Hochelaga-Maisonneuve"),
    ("CÔTE-DES-NEIGES-NOTRE-DAME-DE-GRÂCE", "Côte-des-Neiges-Notre-Dame-de-Grâce"),
    ("St-Léonard", "Saint-Léonard"),
    ("Ville de Montréal", "Montréal"),
    ("Mt. Pleasant", "Mount Pleasant"),
    ("Downtown Vancouver", "Downtown"),
    ("Quilchena", "Arbutus-Ridge"),
    ("Arbutus Ridge", "Arbutus-Ridge "),
    ("Dunbar", "Dunbar-Southlands"),
    ("Cambie", "South Cambie"),
    ("Riley Park - Little Mountain", "Riley Park"),
    ("Vancouver CSD ", "Vancouver CSD"),
])
def test_area_name_variants_share_a_key(variant: str, canonical: str) -> None:
    assert area_key(variant) == area_key(canonical)


@pytest.mark.parametrize(("first", "second"), [
    ("Ville-Marie", "Marie"),                       # "Ville-" is part of the name
    ("AGGLOMÉRATION DE MONTRÉAL", "Ville de Montréal"),
    ("Montréal-Nord", "Montréal"),
    ("Montréal-Est", "Montréal-Ouest"),
    ("Vancouver CSD", "Vancouver CMA"),
    ("Saint-Laurent", "Sainte-Anne-de-Bellevue"),
])
def test_distinct_areas_keep_distinct_keys(first: str, second: str) -> None:
    assert area_key(first) != area_key(second)


def test_keys_are_plain_and_lost_apostrophes_are_restored_for_display() -> None:
    assert area_key("Arrondissement de L'Île-Bizard-Sainte-Geneviève") \
        == "lile-bizard-sainte-genevieve"
    assert restore_apostrophes("LÎle-Bizard") == "L'Île-Bizard"
    assert restore_apostrophes("Baie-DUrfé") == "Baie-D'Urfé"
    assert restore_apostrophes("LaSalle") == "LaSalle"
    assert closest("verdunn", ["verdun", "lachine"]) == "verdun"


def test_alias_targets_are_canonical() -> None:
    for target in ALIASES.values():
        assert area_key(target) == target and target not in ALIASES


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_area_key_is_idempotent(name: str) -> None:
    key = area_key(name)
    assert area_key(key) == key


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Arrondissement", "de", "du", "d'", "Ville", "Le", "la", "L'",
                                 "Île", "Mt.", "St", "Sainte", "-", "–", " ", "Downtown",
                                 "Vancouver", "LÎle", "DUrfé", "Côte"]), max_size=8))
def test_area_key_is_idempotent_on_name_like_text(words: list[str]) -> None:
    key = area_key(" ".join(words))
    assert area_key(key) == key


# --- Numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "symbol"), [
    ('"2,004,265"', 2004265.0, None),
    ("2,004,265", 2004265.0, None),
    ("2 004 265", 2004265.0, None),
    ("2\u202f004\u202f265", 2004265.0, None),
    ("2\u00a0004,5", 2004.5, None),
    ("20,1", 20.1, None),
    (" 89785", 89785.0, None),
    ("41.0", 41.0, None),
    ("1,234.5", 1234.5, None),
    ("", math.nan, None),
    ("x", math.nan, "x"),
    ("--", math.nan, "--"),
    ("F", math.nan, "F"),
    ("abc", math.nan, "abc"),
])
def test_numbers_with_separators(text: str, value: float, symbol: str | None) -> None:
    got, got_symbol = parse_number(text)
    assert (math.isnan(got) and math.isnan(value)) or got == value
    assert got_symbol == symbol


# --- Wide profiles on generated fixtures ------------------------------------------------------

MTL_HEADER = ["CATÉGORIE", "AGGLOMÉRATION DE MONTRÉAL", "Ville de Montréal",
              "Arrondissement d'Anjou", "Arrondissement du Plateau-Mont-Royal",
              "Arrondissement de LÎle-Bizard-Sainte-Geneviève", "Ville de Baie-D'Urfé"]


def _montreal_fixture(path: Path) -> Path:
    """A Ville de Montréal profile: BOM, quoted thousands, nesting, blank and broken lines."""
    lines = [
        ",".join(MTL_HEADER),
        'Population totale selon le groupe dâges,"2,004,265","1,762,950","43,250",'
        '"105,810","18,880","3,765"',
        '0 à 14 ans,"309,765","270,430","7,735","11,620","3,060",505',
        '15 à 19 ans,"97,525","82,480","2,160","4,100","1,175",295',
        '20 à 24 ans,"140,025","125,230","2,215","11,985","1,130",260',
        '65 ans et plus,"351,325","295,480","9,780","12,325",x,980',
        "",
        "Total - Minorités visibles pour la population dans les ménages privés - "
        'Données-échantillon (25 %),"1,959,355","1,723,225","42,290","103,685","18,140",'
        '"3,660"',
        '  Total de la population des minorités visibles,"737,510","668,975","16,640",'
        '"20,880","5,110",520',
        '    Chinois,"69,985","56,940",500,"2,705",585,160',
        "Ratio C90/C10 du revenu,4.1,4.0,3.3,5.4,3.6,4.6,--",          # line 11: repairable
        'Taux de chômage,10.2,10.3,9.4,11.3,7,6,9.0',                    # line 12: broken
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\n")
    return path


def test_montreal_layout_reads_with_its_quirks(tmp_path: Path) -> None:
    path = _montreal_fixture(tmp_path / "profil_2021_fixture.csv")
    assert find_reader(path).id == "wide-census-profile"
    result = WideProfileReader().read(path, ReadContext())
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    assert values["agglomeration-de-montreal", "age_total"] == 2_004_265
    assert values["anjou", "age_15_24"] == 2_160 + 2_215          # 15-19 + 20-24 summed
    assert values["plateau-mont-royal", "visible_minority"] == 20_880  # nested, not "Chinois"
    assert values["lile-bizard-sainte-genevieve", "age_0_14"] == 3_060
    assert math.isnan(values["lile-bizard-sainte-genevieve", "age_65_plus"])  # "x"
    assert values["baie-durfe", "age_0_14"] == 505
    frame = result.layers["census_values"]
    assert set(frame["census_year"]) == {2021}
    assert frame.loc[frame["area_id"].eq("lile-bizard-sainte-genevieve")
                     & frame["indicator_id"].eq("age_65_plus"), "symbol"].item() == "x"
    report = result.report
    assert any(w.startswith("line 11:") and "ignored" in w for w in report.warnings)
    assert any(w.startswith("line 12:") and "skipped" in w for w in report.warnings)
    assert report.dropped["broken line (extra fields)"] == 1
    assert report.dropped["characteristic row not used by any indicator"] == 2  # Chinois, ratio
    assert any("city" in reason and "AGGLOMÉRATION" in reason for reason in report.flagged)


def test_unknown_areas_are_reported_with_the_closest_known_one(tmp_path: Path) -> None:
    path = _montreal_fixture(tmp_path / "profil.csv")
    known = frozenset({"anjou", "le-plateau-mont-royal-nord", "lile-bizard-sainte-genevieve",
                       "baie-durfe"})
    result = WideProfileReader().read(path, ReadContext(known_area_ids=known))
    unmatched = [w for w in result.report.warnings if "not among the workspace" in w]
    assert len(unmatched) == 1
    assert "plateau-mont-royal" in unmatched[0] and "le-plateau-mont-royal-nord" in unmatched[0]
    assert not any("montreal" in w for w in unmatched)  # aggregates are not areas to match


def test_vancouver_layout_matches_on_the_nesting_path(tmp_path: Path) -> None:
    header = "ID,Variable,Arbutus-Ridge ,Downtown ,Vancouver CSD ,Vancouver CMA \r\n"
    rows = [
        '1, Total - Age groups and average age of the population - 100% data ,"15,295",'
        '"62,030","631,485","2,463,430"',
        "2,  0 to 14 years,2015,4000,70530,362110",
        "6,  15 to 64 years,9805,51000,463390,1714005",
        "7,    15 to 19 years,1230,1500,28265,142285",
        "8,    20 to 24 years,1165,4200,44150,167270",
        "27,  Total - Age groups and average age of males - 100% data,6925,31000,308515,1202170",
        "28,    0 to 14 years,1055,2050,36640,186775",
        ",,,,,",
        "25% Data Below,,,,,",
    ]
    latin1 = "2787,    C\xf4te d'Ivoire,0,5,15,115\r\n".encode("latin-1")
    path = tmp_path / "census_local_area_profiles_2016.csv"
    path.write_bytes(header.encode() + ("\r\n".join(rows) + "\r\n").encode("utf-8") + latin1)
    assert find_reader(path).id == "wide-census-profile"
    result = WideProfileReader().read(path, ReadContext())
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    assert values["arbutus-ridge", "age_0_14"] == 2015       # the total's, not the males'
    assert values["vancouver-csd", "population"] == 631_485
    assert values["downtown", "age_15_24"] == 1500 + 4200
    assert set(result.layers["census_values"]["census_year"]) == {2016}
    assert result.report.flagged["line(s) in Windows-1252/Latin-1 rather than UTF-8"] == 1
    assert result.report.rows_read == 8                       # blank and heading lines skipped


def test_wide_reader_does_not_claim_an_spvm_file(tmp_path: Path) -> None:
    path = tmp_path / "actes.csv"
    path.write_text("CATEGORIE,DATE,QUART,PDQ,X,Y\nMéfait,2024-01-01,jour,38,1,1\n",
                    encoding="utf-8")
    assert not WideProfileReader().can_read(path)


# --- Named-area boundaries ------------------------------------------------------------------


def _boroughs(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    boxes = [shapely.box(-73.60 + i * 0.02, 45.50, -73.59 + i * 0.02, 45.51) for i in range(3)]
    return gpd.GeoDataFrame({"NOM": ["Le Plateau-Mont-Royal", "L'Île-Bizard-Sainte-Geneviève",
                                     "Côte-Saint-Luc"], "TYPE": "Arrondissement"},
                            geometry=boxes, crs=crs)


def test_latin1_geojson_without_crs_member_reads(tmp_path: Path) -> None:
    text = _boroughs().to_json(drop_id=True, ensure_ascii=False)
    assert '"crs"' not in text
    path = tmp_path / "quartiers_latin1.geojson"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    reader = AreaBoundaryReader()
    assert reader.can_read(path)
    result = reader.read(path, ReadContext())
    areas = result.layers["census_areas"]
    assert list(areas["area_id"]) == ["plateau-mont-royal", "lile-bizard-sainte-genevieve",
                                      "cote-saint-luc"]
    assert "Côte-Saint-Luc" in set(areas["name"])
    assert set(areas["level"]) == {"borough"}
    assert areas.crs == "EPSG:32188"
    assert result.replace_key == ("level", "borough")
    assert result.report.flagged["file in Latin-1 rather than UTF-8 (decoded)"] == 1


@pytest.mark.parametrize("columns", [{"PDQ": [1, 2, 3]}, {"DAUID": ["24660001"] * 3}])
def test_area_reader_leaves_station_and_statcan_files_alone(tmp_path: Path,
                                                            columns: dict) -> None:
    frame = _boroughs().assign(**columns)
    path = tmp_path / "other.geojson"
    frame.to_file(path, driver="GeoJSON")
    assert not AreaBoundaryReader().can_read(path)


def test_profile_values_join_the_polygons_in_a_workspace(tmp_path: Path) -> None:
    boundaries = tmp_path / "limites.geojson"
    _boroughs().to_file(boundaries, driver="GeoJSON")
    profile = _montreal_fixture(tmp_path / "profil_2021.csv")
    workspace = Workspace.create(tmp_path / "w.gpkg")
    reports = import_files(workspace, [profile, boundaries])  # areas are imported first
    assert [r.reader for r in reports] == ["area-boundaries", "wide-census-profile"]
    warnings = reports[1].warnings
    assert any("anjou" in w for w in warnings) and any("baie-durfe" in w for w in warnings)
    saved = Workspace.open(tmp_path / "w.gpkg")
    values = saved.layer("census_values")
    areas = set(saved.layer("census_areas")["area_id"])
    assert {"plateau-mont-royal", "lile-bizard-sainte-genevieve"} <= set(values["area_id"])
    assert areas == {"plateau-mont-royal", "lile-bizard-sainte-genevieve", "cote-saint-luc"}


# --- Statistics Canada profile: index and streaming -------------------------------------------


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["area_id", "indicator_id"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def demo_area_ids(demo_files) -> frozenset[str]:
    areas = get_reader("statcan-boundaries").read(demo_files.da_boundaries, ReadContext())
    return frozenset(areas.layers["census_areas"]["area_id"])


@pytest.mark.parametrize("take", [slice(None), slice(3, 9), slice(-4, None)])
def test_index_read_equals_streamed_read(demo_files, demo_area_ids, take: slice) -> None:
    assert statcan_profile.find_geo_index(demo_files.census_profile) \
        == demo_files.census_geo_index
    keep = frozenset(sorted(demo_area_ids)[take])
    reader = get_reader("statcan-profile")
    indexed = reader.read(demo_files.census_profile, ReadContext(known_area_ids=keep))
    streamed = reader.read(demo_files.census_profile,
                           ReadContext(known_area_ids=keep, options={"use_index": False}))
    pd.testing.assert_frame_equal(_sorted(indexed.layers["census_values"]),
                                  _sorted(streamed.layers["census_values"]))
    assert set(indexed.layers["census_values"]["area_id"]) == keep
    assert not indexed.report.warnings
    assert any("geography index" in reason for reason in indexed.report.dropped)
    assert indexed.report.rows_read < streamed.report.rows_read


def test_index_read_with_a_code_prefix(demo_files) -> None:
    reader = get_reader("statcan-profile")
    options = {"area_prefix": "2466"}
    indexed = reader.read(demo_files.census_profile, ReadContext(options=options))
    streamed = reader.read(demo_files.census_profile,
                           ReadContext(options={**options, "use_index": False}))
    pd.testing.assert_frame_equal(_sorted(indexed.layers["census_values"]),
                                  _sorted(streamed.layers["census_values"]))


def test_a_wrong_index_falls_back_to_the_full_read(demo_files, demo_area_ids,
                                                   tmp_path: Path) -> None:
    profile = tmp_path / "98-401-X2021006_English_CSV_data_Quebec.csv"
    profile.write_bytes(demo_files.census_profile.read_bytes())
    index = demo_files.census_geo_index.read_text(encoding="cp1252").splitlines()
    shifted = [index[0]] + [_shift_line(line, 7) for line in index[1:]]
    (tmp_path / "98-401-X2021006_Geo_starting_row_Quebec.CSV").write_text(
        "\r\n".join(shifted) + "\r\n", encoding="cp1252")
    reader = get_reader("statcan-profile")
    result = reader.read(profile, ReadContext(known_area_ids=demo_area_ids))
    assert any("does not match this file" in w for w in result.report.warnings)
    expected = reader.read(demo_files.census_profile, ReadContext(known_area_ids=demo_area_ids))
    pd.testing.assert_frame_equal(_sorted(result.layers["census_values"]).drop(columns="source"),
                                  _sorted(expected.layers["census_values"]).drop(columns="source"))


def _shift_line(line: str, by: int) -> str:
    *head, number = line.rsplit(",", 1)
    return f'{head[0]},"{int(number.strip(chr(34))) + by}"'


FRENCH_HEADER = ("ANNÉE_RECENSEMENT,IDUGD,CODE_GÉO_ALT,NIVEAU_GÉO,NOM_GÉO,TNR_SF,TNR_LF,"
                 "INDICATEUR_QUALITÉ_DONNÉES,ID_CARACTÉRISTIQUE,NOM_CARACTÉRISTIQUE,"
                 "NOTE_CARACTÉRISTIQUE,C1_CHIFFRE_TOTAL,SYMBOLE,C2_CHIFFRE_HOMMES+,SYMBOLE,"
                 "C3_CHIFFRE_FEMMES+,SYMBOLE,C10_TAUX_TOTAL,SYMBOLE,C11_TAUX_HOMMES+,SYMBOLE,"
                 "C12_TAUX_FEMMES+,SYMBOLE")


def _french_line(dauid: str, cid: int, name: str, value: str, symbol: str = "") -> str:
    """A line as the real French file writes it: numbers unquoted, text quoted."""
    return (f'2021,"2021S0512{dauid}","{dauid}","Aire de diffusion","{dauid}",0.0,0.0,"00999",'
            f'{cid},"{name}",1,{value},"{symbol}",,"",,"",,"",,"",,""')


def test_french_file_with_unquoted_numbers_and_its_index(tmp_path: Path) -> None:
    lines = [FRENCH_HEADER]
    starts = []
    for dauid, population, renters in (("24660001", "241", "60"), ("24660002", "1050", ""),
                                       ("24660003", "17", "")):
        starts.append((dauid, len(lines) + 1))
        lines += [_french_line(dauid, 1, "Population, 2021", population),
                  _french_line(dauid, 9, "  0 à 14 ans", "35"),
                  _french_line(dauid, 1416, "  Locataire", renters, "" if renters else "x")]
    profile = tmp_path / "98-401-X2021006_Francais_CSV_data_Quebec.csv"
    profile.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (tmp_path / "98-401-X2021006_Geo_starting_row_Quebec.CSV").write_bytes(
        ('"Geo Code","Geo Name","Line Number"\r\n' + "".join(
            f'"2021S0512{d}","{d}","{line}"\r\n' for d, line in starts)).encode("cp1252"))
    assert find_reader(profile).id == "statcan-profile"
    keep = frozenset({"24660002", "24660003"})
    reader = get_reader("statcan-profile")
    indexed = reader.read(profile, ReadContext(known_area_ids=keep))
    streamed = reader.read(profile, ReadContext(known_area_ids=keep,
                                                options={"use_index": False}))
    frame = _sorted(indexed.layers["census_values"])
    pd.testing.assert_frame_equal(frame, _sorted(streamed.layers["census_values"]))
    values = frame.set_index(["area_id", "indicator_id"])
    assert values.loc[("24660002", "population"), "value"] == 1050
    assert values.loc[("24660003", "renter_households"), "symbol"] == "x"
    assert math.isnan(values.loc[("24660003", "renter_households"), "value"])
    assert set(frame["census_year"]) == {2021}
    assert indexed.report.rows_read == 6


@pytest.mark.parametrize("use_index", [True, False])
def test_a_malformed_profile_line_is_reported_with_its_line_number(tmp_path: Path,
                                                                   use_index: bool) -> None:
    lines = [FRENCH_HEADER]
    for dauid in ("24660001", "24660002"):
        lines += [_french_line(dauid, 1, "Population, 2021", "241"),
                  _french_line(dauid, 9, "  0 à 14 ans", "35")]
    lines[4] = lines[4].replace(",35,", ",3,500,")  # an unquoted thousands comma, line 5
    profile = tmp_path / "98-401-X2021006_Francais_CSV_data_Quebec.csv"
    profile.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    (tmp_path / "98-401-X2021006_Geo_starting_row_Quebec.CSV").write_text(
        '"Geo Code","Geo Name","Line Number"\n"2021S051224660001","24660001","2"\n'
        '"2021S051224660002","24660002","4"\n', encoding="cp1252")
    result = get_reader("statcan-profile").read(
        profile, ReadContext(known_area_ids=frozenset({"24660001", "24660002"}),
                             options={"use_index": use_index}))
    report = result.report
    assert report.dropped["malformed line (wrong number of fields)"] == 1
    assert report.examples[0]["row"] == 5 and "24 fields, expected 23" in \
        report.examples[0]["problem"]
    assert not report.warnings  # a skipped line is not taken for a wrong index


def test_missing_profile_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "profile.csv"
    path.write_text("CENSUS_YEAR,ALT_GEO_CODE,CHARACTERISTIC,C1_COUNT_TOTAL\n2021,1,2,3\n",
                    encoding="utf-8")
    with pytest.raises(ReaderError, match="CHARACTERISTIC_ID.*closest found: 'CHARACTERISTIC'"):
        statcan_profile.read_layout(path)


def test_cancel_stops_the_index_read(demo_files, demo_area_ids) -> None:
    with pytest.raises(CancelledError):
        get_reader("statcan-profile").read(
            demo_files.census_profile,
            ReadContext(known_area_ids=demo_area_ids, is_cancelled=lambda: True))


@settings(max_examples=150, deadline=None)
@given(line_lengths=st.lists(st.integers(0, 30), min_size=2, max_size=60),
       picks=st.lists(st.booleans(), min_size=60, max_size=60),
       block=st.integers(1, 64), crlf=st.booleans())
def test_range_bytes_equals_slicing_the_lines(tmp_path_factory, line_lengths: list[int],
                                             picks: list[bool], block: int,
                                             crlf: bool) -> None:
    end = b"\r\n" if crlf else b"\n"
    lines = [b"h" * 3 + end] + [bytes([97 + i % 26]) * n + end
                                for i, n in enumerate(line_lengths)]
    path = tmp_path_factory.mktemp("ranges") / "lines.csv"
    path.write_bytes(b"".join(lines))
    starts = [i + 2 for i, picked in enumerate(picks[:len(line_lengths)]) if picked]
    ranges = [(s, s + 1 if s + 1 <= len(lines) else None) for s in starts]
    merged: list[tuple[int, int | None]] = []
    for start, stop in ranges:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    original = statcan_profile._BLOCK_BYTES
    statcan_profile._BLOCK_BYTES = block
    try:
        got = b"".join(piece for _, piece in statcan_profile.range_bytes(path, merged))
    finally:
        statcan_profile._BLOCK_BYTES = original
    assert got == b"".join(lines[s - 1] for s in starts)


# --- Real files --------------------------------------------------------------------------------


def _profile_areas(path: Path) -> set[str]:
    values = get_reader("wide-census-profile").read(path, ReadContext()).layers["census_values"]
    return set(values["area_id"])


@needs_shared
def test_real_montreal_profiles_match_every_borough_and_linked_city() -> None:
    boundaries = MONTREAL / "limites_arrondissements_villes_liees.geojson"
    assert find_reader(boundaries).id == "area-boundaries"
    polygons = get_reader("area-boundaries").read(boundaries, ReadContext())
    areas = polygons.layers["census_areas"]
    assert len(areas) == 34 and set(areas["level"]) == {"borough"}
    known = set(areas["area_id"])
    reader = WideProfileReader()
    assert len(MONTREAL_PROFILES) == 6
    for path in MONTREAL_PROFILES:
        assert find_reader(path).id == "wide-census-profile"
        result = reader.read(path, ReadContext(known_area_ids=frozenset(known)))
        assert not [w for w in result.report.warnings if "not among" in w], path.name
        header_areas = {area_key(name) for name in
                        pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns[1:]}
        local = header_areas - {"agglomeration-de-montreal", "montreal"}
        assert len(local) == 33, path.name                  # 19 boroughs + 14 linked cities
        assert local <= known, (path.name, local - known)
    assert known - local == {"lile-dorval"}  # a linked city with no column in the profiles


@needs_shared
def test_real_montreal_population_totals() -> None:
    path = MONTREAL / "profil_2021_montreal_population.csv"
    values = get_reader("wide-census-profile").read(path, ReadContext()).layers["census_values"]
    population = values.set_index("area_id")["value"]
    assert population["agglomeration-de-montreal"] == 2_004_265
    assert population["montreal"] == 1_762_949
    boroughs = get_reader("area-boundaries").read(
        MONTREAL / "limites_arrondissements_villes_liees.geojson", ReadContext())
    types = gpd.read_file(MONTREAL / "limites_arrondissements_villes_liees.geojson")
    borough_keys = {area_key(n) for n in types.loc[types["TYPE"] == "Arrondissement", "NOM"]}
    assert len(borough_keys) == 19
    local = population.drop(["agglomeration-de-montreal", "montreal"])
    assert local[list(borough_keys)].sum() == 1_762_949
    # The agglomeration's 15th linked city, L'Île-Dorval, has no column: its 30 residents.
    assert local.sum() == 2_004_265 - 30
    assert set(local.index) <= set(boroughs.layers["census_areas"]["area_id"])


@needs_shared
def test_real_montreal_density_file_keeps_its_broken_lines() -> None:
    path = MONTREAL / "profil_2021_montreal_population_by_density.csv"
    result = get_reader("wide-census-profile").read(path, ReadContext())
    broken = [w for w in result.report.warnings if "37 fields" in w]
    assert [w.split(":")[0] for w in broken] == ["line 14", "line 15"]
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    assert values["westmount", "population"] == 19_658
    assert values["agglomeration-de-montreal", "single_parent_families"] == 99_805


@needs_shared
def test_real_montreal_files_without_mappable_rows_say_so() -> None:
    path = MONTREAL / "profil_2021_montreal_population_by_highest_salary_2021.csv"
    result = get_reader("wide-census-profile").read(path, ReadContext())
    assert result.layers["census_values"].empty
    assert result.report.dropped["characteristic row not used by any indicator"] == 17
    assert any("feeds an indicator" in w for w in result.report.warnings)


@needs_shared
def test_real_vancouver_profile_matches_the_22_local_areas() -> None:
    boundaries = VANCOUVER / "local_area_boundary.geojson"
    areas = get_reader("area-boundaries").read(boundaries, ReadContext()).layers["census_areas"]
    assert len(areas) == 22 and set(areas["level"]) == {"local area"}
    profile = VANCOUVER / "census_local_area_profiles_2016.csv"
    result = get_reader("wide-census-profile").read(
        profile, ReadContext(known_area_ids=frozenset(areas["area_id"])))
    assert not [w for w in result.report.warnings if "not among" in w]
    local = _profile_areas(profile) - {"vancouver-csd", "vancouver-cma"}
    assert local == set(areas["area_id"])
    values = result.layers["census_values"].set_index(["area_id", "indicator_id"])["value"]
    # The file has no "Population, 2016" row: its age total is randomly rounded (the published
    # CSD population is 631,486).
    assert values["vancouver-csd", "population"] == 631_485
    assert abs(values["vancouver-csd", "population"] - 631_486) <= 5
    assert values["vancouver-csd", "low_income"] == 116_035
    assert values["vancouver-csd", "median_household_income"] == 65_423
    assert result.report.flagged["line(s) in Windows-1252/Latin-1 rather than UTF-8"] > 0
    assert result.report.rows_read == 5_493
    local_sum = sum(values[key, "population"] for key in local)
    assert abs(local_sum - 631_485) / 631_485 < 0.005  # rounded custom tabulation


@needs_shared
def test_real_latin1_sociological_neighbourhoods_read() -> None:
    path = MONTREAL / "quartiers_sociologiques_latin1.geojson"
    assert find_reader(path).id == "area-boundaries"
    result = get_reader("area-boundaries").read(path, ReadContext())
    areas = result.layers["census_areas"]
    assert len(areas) == 32
    assert "Côte-des-Neiges" in set(areas["name"])
    assert result.report.flagged["file in Latin-1 rather than UTF-8 (decoded)"] == 1


@needs_shared
@pytest.mark.parametrize("name", ["limites_pdq_wgs84.geojson",
                                  "limites_pdq_mtm8_epsg32188.geojson"])
def test_real_pdq_files_are_not_taken_for_named_areas(name: str) -> None:
    assert not AreaBoundaryReader().can_read(MONTREAL / name)


def test_report_survives_json(tmp_path: Path) -> None:
    result = WideProfileReader().read(_montreal_fixture(tmp_path / "p.csv"), ReadContext())
    assert json.loads(result.report.to_json())["reader"] == "wide-census-profile"
