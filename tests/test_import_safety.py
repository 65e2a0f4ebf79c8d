"""A refused import changes nothing: no row kept, far fewer rows, rows outside the stations.

The refusals are tested on the demo city's own SPVM file, rewritten the ways officers' files
go wrong (dates in another format, a partial extract), and on a small Vancouver Police file
(another city's data in a Montréal workspace). Each refusal must leave the workspace file's
bytes as they were, and the confirming option must then apply the import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from data_connectors.base import ReadContext, ReaderError
from data_connectors.import_safety import (
    FEWER_ROWS,
    NO_ROWS,
    OUTSIDE_STATIONS,
    ImportRefused,
)
from data_connectors.importer import import_files
from data_connectors.registry import get_reader
from portrait.layers import IMPORT_ID
from portrait.workspace import Workspace


@pytest.fixture
def workspace_path(demo_files, tmp_path: Path) -> Path:
    """The demo city's stations and incidents, imported and saved."""
    path = tmp_path / "w.gpkg"
    import_files(Workspace.create(path), [demo_files.stations, demo_files.incidents])
    return path


def rewritten(source: Path, folder: Path, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
    """``source`` rewritten by ``change`` under the same name (so it is the same source)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    change(pd.read_csv(source, dtype=str, keep_default_na=False)).to_csv(target, index=False)
    return target


def day_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(DATE=pd.to_datetime(frame["DATE"]).dt.strftime("%d/%m/%Y"))


def test_reimport_that_keeps_no_row_is_refused_and_leaves_the_file_unchanged(
        demo_files, workspace_path: Path, tmp_path: Path) -> None:
    before = workspace_path.read_bytes()
    incidents = len(Workspace.open(workspace_path).layer("incidents"))
    broken = rewritten(demo_files.incidents, tmp_path / "dd", day_first)
    with pytest.raises(ImportRefused) as caught:
        import_files(Workspace.open(workspace_path), [broken])
    message = str(caught.value)
    assert message.startswith("actes-criminels.csv: no row of the")
    assert f"would delete the {incidents:,} rows of the earlier import" in message
    assert "unreadable date" in message  # the reason for most drops
    assert "row 2, column 'DATE'" in message  # an example row
    assert "--replace-anyway" in message
    assert caught.value.reason == NO_ROWS and caught.value.option == "replace_anyway"
    assert caught.value.facts.replaced == incidents
    assert workspace_path.read_bytes() == before


def test_confirmed_replacement_is_applied(demo_files, workspace_path: Path,
                                          tmp_path: Path) -> None:
    broken = rewritten(demo_files.incidents, tmp_path / "dd", day_first)
    reports = import_files(Workspace.open(workspace_path), [broken], replace_anyway=True)
    assert reports[0].rows_kept == 0
    assert len(Workspace.open(workspace_path).layer("incidents")) == 0


def test_far_fewer_rows_need_confirmation_but_half_do_not(demo_files, workspace_path: Path,
                                                          tmp_path: Path) -> None:
    total = len(Workspace.open(workspace_path).layer("incidents"))
    before = workspace_path.read_bytes()
    tenth = rewritten(demo_files.incidents, tmp_path / "tenth", lambda f: f.head(len(f) // 10))
    with pytest.raises(ImportRefused, match=rf"only {total // 10:,} rows were kept, and they "
                       rf"would replace the {total:,} rows") as caught:
        import_files(Workspace.open(workspace_path), [tenth])
    assert caught.value.reason == FEWER_ROWS
    assert workspace_path.read_bytes() == before
    most = rewritten(demo_files.incidents, tmp_path / "most", lambda f: f.head(len(f) * 6 // 10))
    import_files(Workspace.open(workspace_path), [most])
    assert len(Workspace.open(workspace_path).layer("incidents")) == total * 6 // 10


def test_station_boundaries_with_empty_geometries_do_not_wipe_the_stations(
        demo_files, workspace_path: Path, tmp_path: Path) -> None:
    before = workspace_path.read_bytes()
    stations = gpd.read_file(demo_files.stations)
    empty = tmp_path / "limitespdq.geojson"
    stations.assign(geometry=None).to_file(empty, driver="GeoJSON")
    with pytest.raises(ReaderError, match="limitespdq.geojson: all 3 geometries are empty"):
        import_files(Workspace.open(workspace_path), [empty], reader_id="station-boundaries")
    assert workspace_path.read_bytes() == before
    assert len(Workspace.open(workspace_path).layer("stations")) == len(stations)


def vancouver_file(folder: Path, rows: int = 40) -> Path:
    """A Vancouver Police GeoDASH extract (UTM zone 10 metres, downtown Vancouver)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crimedata_csv_AllNeighbourhoods_2022.csv"
    frame = pd.DataFrame({
        "TYPE": "Theft from Vehicle", "YEAR": 2022, "MONTH": 5, "DAY": range(1, rows + 1),
        "HOUR": 14, "MINUTE": 30, "HUNDRED_BLOCK": "10XX W GEORGIA ST",
        "NEIGHBOURHOOD": "Central Business District",
        "X": [491_200.0 + 10 * i for i in range(rows)], "Y": 5_459_000.0})
    frame["DAY"] = (frame["DAY"] - 1) % 28 + 1
    frame.to_csv(path, index=False)
    return path


def test_another_citys_file_is_refused_with_both_extents(workspace_path: Path,
                                                         tmp_path: Path) -> None:
    before = workspace_path.read_bytes()
    path = vancouver_file(tmp_path / "vpd")
    with pytest.raises(ImportRefused, match=r"40 of the 40 located rows fall more than 25 km "
                       r"outside the stations: the file covers longitude -123\.\d+ to "
                       r"-123\.\d+ and latitude 49\.\d+ to 49\.\d+, the stations longitude "
                       r"-7\d\.\d+") as caught:
        import_files(Workspace.open(workspace_path), [path])
    assert caught.value.reason == OUTSIDE_STATIONS
    assert caught.value.option == "allow_outside"
    assert workspace_path.read_bytes() == before
    import_files(Workspace.open(workspace_path), [path], allow_outside=True)
    incidents = Workspace.open(workspace_path).layer("incidents")
    assert (incidents["source"] == f"vpd:{path.name}").sum() == 40


def test_a_city_wide_file_goes_into_a_workspace_holding_one_station(
        demo_files, tmp_path: Path) -> None:
    """Most rows fall outside the one station, but near it: the city's own file."""
    one = tmp_path / "pdq.geojson"
    gpd.read_file(demo_files.stations).head(1).to_file(one, driver="GeoJSON")
    path = tmp_path / "one.gpkg"
    [_, report] = import_files(Workspace.create(path), [one, demo_files.incidents])
    assert report.rows_kept == report.rows_read


def test_refusal_outside_the_stations_is_told_in_french_with_both_extents(
        workspace_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from ui.import_confirmation import refusal_text
    from ui.strings import UiText

    with pytest.raises(ImportRefused) as caught:
        import_files(Workspace.open(workspace_path), [vancouver_file(tmp_path / "vpd")])
    text = refusal_text(caught.value, UiText("fr"))
    assert text.startswith("40 des 40 lignes localisées de « crimedata_csv_AllNeighbourhoods_"
                           "2022.csv » tombent à plus de 25 km des postes de quartier.")
    assert "Le fichier couvre les longitudes -123," in text  # French decimal commas
    assert "les postes couvrent les longitudes -73," in text


def test_every_row_names_its_import(demo_files, workspace_path: Path) -> None:
    workspace = Workspace.open(workspace_path)
    reports = workspace.layer("import_reports")
    stations_id, incidents_id = reports["report_id"]
    assert set(workspace.layer("stations")[IMPORT_ID]) == {stations_id}
    assert set(workspace.layer("incidents")[IMPORT_ID]) == {incidents_id}
    assert stations_id != incidents_id


def _as_points(stations: gpd.GeoDataFrame) -> str | gpd.GeoDataFrame:
    return stations.assign(geometry=stations.geometry.centroid)


def _metres_without_crs(stations: gpd.GeoDataFrame) -> str | gpd.GeoDataFrame:
    collection = json.loads(stations.to_crs("EPSG:32188").to_json(drop_id=True))
    collection.pop("crs", None)  # lost on the way, as some web exports do
    return json.dumps(collection)


def _degrees_declared_as_metres(stations: gpd.GeoDataFrame) -> str | gpd.GeoDataFrame:
    return stations.to_crs("EPSG:4326").set_crs("EPSG:32188", allow_override=True)


@pytest.mark.parametrize(("make", "problem"), [
    (_as_points, "the file holds Point geometries, not station areas"),
    (_metres_without_crs, r"are not degrees, but the file is read as WGS 84.*a GeoJSON "
                          "without a crs member is in degrees by definition"),
    (_degrees_declared_as_metres, r"declares NAD83 / MTM zone 8 \(EPSG:32188\), but its "
                                  "coordinates then fall at longitude -76"),
])
def test_station_boundaries_that_cannot_be_stations_are_refused(
        demo_files, tmp_path: Path, make, problem: str) -> None:
    content = make(gpd.read_file(demo_files.stations))
    path = tmp_path / "limites.geojson"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        content.to_file(path, driver="GeoJSON")
    with pytest.raises(ReaderError, match=f"limites.geojson: .*{problem}"):
        get_reader("station-boundaries").read(path, ReadContext())


def test_station_boundaries_are_stored_as_multipolygons(demo_files, tmp_path: Path) -> None:
    """A self-crossing ring repairs into a polygon and a line; only the polygon is kept."""
    stations = gpd.read_file(demo_files.stations)
    west, south, east, north = stations.geometry.iloc[0].bounds
    stations.loc[0, "geometry"] = shapely.Polygon(
        [(west, south), (east, north), (east, south), (west, north)])
    path = tmp_path / "limites.geojson"
    stations.to_file(path, driver="GeoJSON")
    result = get_reader("station-boundaries").read(path, ReadContext())
    assert set(result.layers["stations"].geom_type) == {"MultiPolygon"}


def test_implausible_dates_are_flagged_and_left_out_of_the_portrait(
        demo_files, tmp_path: Path, today) -> None:
    from datetime import timedelta

    from portrait.engine import build_portrait

    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)

    def odd_dates(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[0, "DATE"] = "1800-01-01"
        frame.loc[1, "DATE"] = after.isoformat()
        frame.loc[2, "DATE"] = tomorrow.isoformat()  # a file exported in another time zone
        return frame

    path = tmp_path / "w.gpkg"
    odd = rewritten(demo_files.incidents, tmp_path / "odd", odd_dates)
    [_, report] = import_files(Workspace.create(path), [demo_files.stations, odd])
    assert report.flagged["date implausible (before 1900 or after tomorrow): left undated, "
                          "out of the portrait"] == 2
    assert [(e["row"], e["value"]) for e in report.examples if "1900" in e["problem"]] == [
        (2, "1800-01-01"), (3, after.isoformat())]
    workspace = Workspace.open(path)
    incidents = workspace.layer("incidents")
    assert report.rows_kept == len(incidents)
    assert incidents["date"].isna().sum() == 2
    assert incidents["date"].max() == pd.Timestamp(tomorrow)
    station = str(incidents["station_id"].dropna().iloc[0])
    portrait = build_portrait(workspace, station)
    assert portrait.period[1] == tomorrow.isoformat()


def test_implausible_dates_already_in_a_workspace_do_not_break_the_portrait(
        small_workspace: Workspace) -> None:
    """Workspaces imported before the check may hold an 1800 or a 2099 date."""
    from portrait.engine import build_portrait

    incidents = small_workspace.layer("incidents").copy()
    incidents.loc[0, "date"] = pd.Timestamp("1800-01-01")
    incidents.loc[1, "date"] = pd.Timestamp("2099-05-01")
    small_workspace.set_layer("incidents", incidents)
    small_workspace.save()
    portrait = build_portrait(Workspace.open(small_workspace.path), "38")
    plausible = incidents["date"].iloc[2:]
    assert portrait.period == (plausible.min().date().isoformat(),
                               plausible.max().date().isoformat())


def swapped(frame: pd.DataFrame) -> pd.DataFrame:
    """X with Y and longitude with latitude, as a spreadsheet column swap leaves them."""
    return frame.assign(X=frame["Y"], Y=frame["X"], LONGITUDE=frame["LATITUDE"],
                        LATITUDE=frame["LONGITUDE"])


def test_swapped_coordinates_are_refused_rather_than_kept_without_location(
        demo_files, workspace_path: Path, tmp_path: Path) -> None:
    before = workspace_path.read_bytes()
    path = rewritten(demo_files.incidents, tmp_path / "swapped", swapped)
    with pytest.raises(ImportRefused, match=r"actes-criminels\.csv: [\d,]+ of the [\d,]+ rows "
                       r"with coordinates fall outside the Montréal area \(x 5,0\d\d,\d\d\d to "
                       r"5,0\d\d,\d\d\d, y 2\d\d,\d\d\d to 2\d\d,\d\d\d\): are the coordinates "
                       r"swapped") as caught:
        import_files(Workspace.open(workspace_path), [path])
    assert caught.value.reason == "outside_area" and caught.value.option == "allow_outside"
    assert workspace_path.read_bytes() == before
    [report] = import_files(Workspace.open(workspace_path), [path], allow_outside=True)
    assert report.flagged["no location: coordinates missing or outside the Montréal area"] > 0
    assert Workspace.open(workspace_path).layer("incidents").geometry.isna().all()


def test_vancouver_file_with_swapped_coordinates_is_refused(tmp_path: Path) -> None:
    path = vancouver_file(tmp_path / "vpd")
    frame = pd.read_csv(path)
    frame.assign(X=frame["Y"], Y=frame["X"]).to_csv(path, index=False)
    workspace = tmp_path / "van.gpkg"
    Workspace.create(workspace, crs="EPSG:26910")
    with pytest.raises(ImportRefused, match=r"40 of the 40 rows with coordinates fall outside "
                       r"the Vancouver area \(x 5,459,000 to 5,459,000, y 491,200 to 491,590\)"):
        import_files(Workspace.open(workspace), [path])


def test_refusal_of_swapped_coordinates_is_told_in_french(demo_files, workspace_path: Path,
                                                          tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from ui.import_confirmation import refusal_text
    from ui.strings import UiText

    path = rewritten(demo_files.incidents, tmp_path / "swapped", swapped)
    with pytest.raises(ImportRefused) as caught:
        import_files(Workspace.open(workspace_path), [path])
    text = refusal_text(caught.value, UiText("fr"))
    assert "lignes de « actes-criminels.csv » qui ont des coordonnées tombent hors de la " \
        "région attendue (x de 5\u00a0042" in text
    assert text.endswith("ces lignes n'auront pas d'emplacement.")
