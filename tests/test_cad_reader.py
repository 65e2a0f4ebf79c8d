"""The calls-for-service (CAD) reader: layouts, mappings, placement in stations, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from data_connectors.base import ImportReport, ReadContext, ReaderError
from data_connectors.cad_calls import CadCallReader, read_calls
from data_connectors.importer import import_files
from data_connectors.registry import find_reader
from portrait.workspace import Workspace
from tests.test_calls import SAN_DIEGO, needs_san_diego

HEADER = ("no_appel,date_heure_reception,code_appel,description_appel,priorite,"
          "code_disposition,secteur,adresse,latitude,longitude,affectation,arrivee,"
          "fin_intervention,nb_unites,initiative_policiere")


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True).transform(x, y)


def _export(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _row(number: int, received: str, code: str, sector: str = "", point=None,
         flag: str = "non", cleared: str = "") -> str:
    lon, lat = _lonlat(*point) if point else ("", "")
    return (f"A{number},{received},{code},Description {code},2,K,{sector},"
            f"100 rue Principale,{lat},{lon},{received},,{cleared},1,{flag}")


def test_a_french_cad_export_is_recognised_and_read(tmp_path: Path) -> None:
    path = _export(tmp_path / "appels.csv", [
        _row(1, "2024-05-01 08:15:00", "cw", point=(296_000, 5_041_000),
             cleared="2024-05-01 09:00:00"),
        _row(2, "2024-05-01 23:59:00", "SELENF", flag="oui"),
    ])
    assert find_reader(path).id == CadCallReader.id
    report = ImportReport("cad-calls", str(path), "calls")
    frame, key, mapping = read_calls(path, ReadContext(), report)
    assert key.startswith("calls:appels.csv:")
    assert mapping.received == "date_heure_reception" and mapping.area == "secteur"
    first = frame.iloc[0]
    assert first["call_type"] == "CW" and first["call_type_label"] == "Description cw"
    assert first["received"] == pd.Timestamp("2024-05-01 08:15")
    assert first["cleared"] - first["dispatched"] == pd.Timedelta(minutes=45)
    assert first["address"] == "100 rue Principale" and first["units"] == 1
    assert list(frame["self_initiated"]) == [False, True]
    assert frame.geometry.iloc[0].x == pytest.approx(296_000, abs=0.01)
    assert frame.geometry.iloc[1] is None
    assert report.flagged["no station (kept at city level)"] == 2


def test_calls_are_placed_by_point_then_by_area_code(tmp_path: Path, small_workspace) -> None:
    (tmp_path / "secteurs.csv").write_text("secteur,pdq\nS1,PDQ 4\nS2,38\n", encoding="utf-8")
    path = _export(tmp_path / "appels.csv", [
        _row(1, "2024-05-01 08:15:00", "CW", sector="S1", point=(296_000, 5_041_000)),
        _row(2, "2024-05-01 09:15:00", "415", sector="S1"),
        _row(3, "2024-05-01 10:15:00", "415", sector="S2"),
        _row(4, "2024-05-01 11:15:00", "415", sector="S9"),
        _row(5, "2024-05-01 12:15:00", "415"),
    ])
    mapping = {"received": "date_heure_reception", "call_type": "code_appel",
               "priority": "priorite", "area": "secteur", "lat": "latitude",
               "lon": "longitude", "area_stations": "secteurs.csv", "id": "no_appel"}
    reports = import_files(small_workspace, [path], options={"mapping": mapping})
    calls = Workspace.open(small_workspace.path).layer("calls")
    assert list(calls["station_id"].fillna("-")) == ["38", "4", "38", "-", "-"]
    report = reports[0]
    assert report.flagged["no station (kept at city level)"] == 2
    assert "S9 (1)" in " ".join(report.warnings)
    saved = Workspace.open(small_workspace.path).layer("column_mappings")
    assert json.loads(saved["mapping"].iloc[0])["area_stations"] == "secteurs.csv"


def test_importing_the_same_export_again_replaces_its_calls(tmp_path: Path,
                                                            small_workspace) -> None:
    path = _export(tmp_path / "appels.csv", [_row(1, "2024-05-01 08:15:00", "CW")])
    import_files(small_workspace, [path])
    import_files(small_workspace, [path])
    assert len(Workspace.open(small_workspace.path).layer("calls")) == 1


def test_repeated_call_ids_are_dropped_and_reported(tmp_path: Path) -> None:
    path = _export(tmp_path / "appels.csv", [_row(1, "2024-05-01 08:15:00", "CW"),
                                             _row(1, "2024-05-01 08:15:00", "CW"),
                                             _row(2, "2024-05-01 08:16:00", "CW")])
    report = ImportReport("cad-calls", str(path), "calls")
    frame, _, _ = read_calls(path, ReadContext(), report)
    assert len(frame) == 2
    assert report.dropped == {"duplicate call id (column 'no_appel')": 1}
    assert report.examples[0]["row"] == 3


def test_unreadable_times_name_the_file_column_and_form(tmp_path: Path) -> None:
    path = _export(tmp_path / "appels.csv", [_row(n, "hier soir", "CW") for n in range(3)])
    with pytest.raises(ReaderError, match=r"appels.csv, column 'date_heure_reception': the "
                       r"dates and times \(e.g. 'hier soir'\) are in no known form"):
        read_calls(path, ReadContext(), ImportReport("cad-calls", str(path), "calls"))


def test_a_few_unreadable_times_are_dropped_with_their_row(tmp_path: Path) -> None:
    rows = [_row(n, f"2024-05-0{n + 1} 08:15:00", "CW") for n in range(4)]
    rows.append(_row(9, "2024-13-45 99:00:00", "CW"))
    path = _export(tmp_path / "appels.csv", rows)
    report = ImportReport("cad-calls", str(path), "calls")
    frame, _, _ = read_calls(path, ReadContext(), report)
    assert len(frame) == 4
    assert report.dropped == {"unreadable time received (column 'date_heure_reception')": 1}
    assert report.examples[0]["row"] == 6 and report.examples[0]["value"] == "2024-13-45 99:00:00"


def test_day_and_month_that_cannot_be_told_apart_are_refused(tmp_path: Path) -> None:
    path = _export(tmp_path / "appels.csv", [_row(1, "03/04/2024 08:15:00", "CW")])
    with pytest.raises(ReaderError, match=r"day and month cannot be told apart.*"
                       r"'received_format' in the mapping"):
        read_calls(path, ReadContext(), ImportReport("cad-calls", str(path), "calls"))
    report = ImportReport("cad-calls", str(path), "calls")
    mapping = {"received": "date_heure_reception", "call_type": "code_appel",
               "received_format": "DD/MM/YYYY HH:MM:SS"}
    frame, _, _ = read_calls(path, ReadContext(options={"mapping": mapping}), report)
    assert frame["received"].iloc[0] == pd.Timestamp("2024-04-03 08:15")


@pytest.mark.parametrize(("mapping", "message"), [
    ({"received": "date_heure_reception", "call_typ": "code_appel"},
     r"Unknown key\(s\) in the calls column mapping: 'call_typ' \(did you mean 'call_type'\?\)"),
    ({"received": "date_heure_reception"}, r"incomplete\. Missing: call_type"),
    ({"received": "quand", "call_type": "code_appel"},
     r"names column\(s\) not in the file: received -> 'quand'"),
])
def test_a_bad_mapping_says_what_to_change(tmp_path: Path, mapping: dict, message: str) -> None:
    path = _export(tmp_path / "appels.csv", [_row(1, "2024-05-01 08:15:00", "CW")])
    with pytest.raises(ReaderError, match=message):
        read_calls(path, ReadContext(options={"mapping": mapping}),
                   ImportReport("cad-calls", str(path), "calls"))


def test_incident_files_are_not_taken_for_calls(tmp_path: Path) -> None:
    path = tmp_path / "actes.csv"
    path.write_text("CATEGORIE,DATE,QUART,PDQ,X,Y,LONGITUDE,LATITUDE\n"
                    "Vol,2024-01-01,jour,38,0,0,0,0\n", encoding="utf-8")
    assert not CadCallReader().can_read(path)


@needs_san_diego
@pytest.mark.shared_data
def test_san_diego_calls_are_placed_by_beat(tmp_path: Path, small_workspace) -> None:
    export = SAN_DIEGO / "pd_calls_for_service_2023_datasd.csv"
    assert find_reader(export).id == CadCallReader.id
    mapping = {"id": "incident_num", "received": "date_time", "call_type": "call_type",
               "priority": "priority", "disposition": "disposition", "area": "beat",
               "area_none": "-1", "call_type_lookup": str(SAN_DIEGO /
                                                          "pd_cfs_calltypes_datasd.csv"),
               "area_stations": {"521": "38", "524": "38", "122": "4"}}
    report = import_files(small_workspace, [export], options={"mapping": mapping})[0]
    calls = Workspace.open(small_workspace.path).layer("calls")
    raw = pd.read_csv(export, dtype=str)
    assert len(calls) == len(raw)
    assert (calls["station_id"] == "38").sum() == raw["beat"].isin(["521", "524"]).sum()
    assert (calls["station_id"] == "4").sum() == (raw["beat"] == "122").sum()
    assert calls["area_code"].isna().sum() == (raw["beat"] == "-1").sum()
    assert report.flagged["no station (kept at city level)"] == calls["station_id"].isna().sum()
    assert calls.loc[calls["call_type"] == "CW", "call_type_label"].iloc[0] == \
        "CHECK THE WELFARE"
    assert calls.geometry.isna().all()  # addresses are kept as text, never made points
