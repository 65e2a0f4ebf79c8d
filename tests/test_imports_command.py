"""Imports can be listed and undone: ``portrait import`` refusals and ``portrait imports``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from cli.main import main
from data_connectors.importer import import_files
from portrait.engine import build_portrait
from portrait.errors import PortraitError
from portrait.imports import list_imports, remove_import
from portrait.layers import IMPORT_ID
from portrait.workspace import Workspace

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def demo_workspace(demo_files, tmp_path: Path) -> Path:
    """Stations, census areas and values, incidents and services of the small demo city."""
    path = tmp_path / "w.gpkg"
    import_files(Workspace.create(path), [demo_files.stations, demo_files.da_boundaries,
                                          demo_files.census_profile, demo_files.incidents,
                                          demo_files.services])
    return path


def _listed(path: Path, capsys) -> list[dict]:
    assert main(["imports", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_refused_import_exits_1_with_the_reason_and_the_option_to_force(
        demo_files, demo_workspace: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "dd"
    folder.mkdir()
    frame = pd.read_csv(demo_files.incidents, dtype=str, keep_default_na=False)
    frame["DATE"] = pd.to_datetime(frame["DATE"]).dt.strftime("%d/%m/%Y")
    frame.to_csv(folder / demo_files.incidents.name, index=False)
    before = demo_workspace.read_bytes()
    assert main(["import", str(demo_workspace), str(folder / demo_files.incidents.name)]) == 1
    error = capsys.readouterr().err
    assert "Error: actes-criminels.csv: no row" in error and "--replace-anyway" in error
    assert "Traceback" not in error
    assert demo_workspace.read_bytes() == before
    assert main(["import", str(demo_workspace), str(folder / demo_files.incidents.name),
                 "--replace-anyway", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rows_kept"] == 0


def test_imports_lists_every_import_with_its_counts(demo_workspace: Path, capsys) -> None:
    listed = _listed(demo_workspace, capsys)
    assert [Path(e["source_path"]).name for e in listed] == [
        "limitespdq.geojson", "lda_000b21a_e.shp", "98-401-X2021006_English_CSV_data.csv",
        "actes-criminels.csv", "repertoire_services.csv"]
    incidents = Workspace.open(demo_workspace).layer("incidents")
    spvm = listed[3]
    assert spvm["reader"] == "spvm-incidents" and spvm["rows_present"] == len(incidents)
    assert spvm["rows_kept"] == len(incidents) and spvm["dropped"] == 0
    assert spvm["flagged"] == int((incidents.geometry.isna()).sum())  # rows without location
    assert main(["imports", str(demo_workspace)]) == 0
    table = capsys.readouterr().out
    assert spvm["import_id"] in table and "actes-criminels.csv" in table


def test_remove_takes_exactly_that_imports_rows_and_report(demo_workspace: Path,
                                                           capsys) -> None:
    listed = _listed(demo_workspace, capsys)
    services = next(e for e in listed if e["reader"] == "service-inventory")
    before = Workspace.open(demo_workspace)
    counts = {name: len(before.layer(name)) for name in ("stations", "incidents",
                                                         "census_values", "services")}
    assert main(["imports", str(demo_workspace), "--remove", services["import_id"][:6]]) == 0
    assert f"Removed import {services['import_id']}" in capsys.readouterr().out
    after = Workspace.open(demo_workspace)
    assert len(after.layer("services")) == 0
    assert {name: len(after.layer(name)) for name in ("stations", "incidents",
                                                      "census_values")} == \
        {name: counts[name] for name in ("stations", "incidents", "census_values")}
    assert services["import_id"] not in set(after.layer("import_reports")["report_id"])
    assert len(_listed(demo_workspace, capsys)) == len(listed) - 1


def add_placed_record(path: Path) -> None:
    """A problem card's row, placed in the first station (as the records layer stores it)."""
    workspace = Workspace.open(path)
    place = workspace.layer("stations").geometry.iloc[0].representative_point()
    record = gpd.GeoDataFrame({"record_id": ["p-1"], "kind": ["problem"], "payload": ["{}"],
                               "updated_at": ["2026-01-01"]}, geometry=[place],
                              crs=workspace.crs)
    workspace.set_layer("records", record)
    workspace.save()


def test_removing_stations_says_what_depended_on_them(demo_workspace: Path, capsys) -> None:
    add_placed_record(demo_workspace)
    stations = _listed(demo_workspace, capsys)[0]
    assert main(["imports", str(demo_workspace), "--remove", stations["import_id"],
                 "--json"]) == 0
    removal = json.loads(capsys.readouterr().out)
    incidents = Workspace.open(demo_workspace).layer("incidents")
    assert removal["rows"] == {"stations": 3}
    assert removal["dependents"] == {"incidents": int(incidents["station_id"].notna().sum()),
                                     "records": 1}


def test_unknown_id_is_a_clear_error(demo_workspace: Path, capsys) -> None:
    before = demo_workspace.read_bytes()
    assert main(["imports", str(demo_workspace), "--remove", "nosuchid"]) == 1
    assert "No import has the id 'nosuchid'" in capsys.readouterr().err
    assert demo_workspace.read_bytes() == before


def test_removing_then_reimporting_gives_the_same_portrait(demo_files,
                                                           demo_workspace: Path) -> None:
    workspace = Workspace.open(demo_workspace)
    station = str(workspace.layer("stations")["station_id"].iloc[0])
    first = build_portrait(workspace, station).to_dict()
    first.pop("generated_at")
    spvm = next(e for e in list_imports(workspace) if e.reader == "spvm-incidents")
    remove_import(workspace, spvm.import_id)
    assert len(Workspace.open(demo_workspace).layer("incidents")) == 0
    import_files(Workspace.open(demo_workspace), [demo_files.incidents])
    again = build_portrait(Workspace.open(demo_workspace), station).to_dict()
    again.pop("generated_at")
    assert again == first


def test_older_workspace_rows_form_one_legacy_import_per_layer(demo_files,
                                                               tmp_path: Path) -> None:
    """The first release's workspace has rows without an import id and no import reports:
    it opens, a new import is listed and removable, and the old rows stay."""
    path = tmp_path / "old.gpkg"
    shutil.copyfile(DATA / "workspace_schema1.gpkg", path)
    workspace = Workspace.open(path)
    assert workspace.layer("incidents")[IMPORT_ID].isna().all()
    assert list_imports(workspace) == []
    import_files(workspace, [demo_files.services], allow_outside=True)
    [entry] = list_imports(Workspace.open(path))
    assert not entry.legacy
    remove_import(Workspace.open(path), entry.import_id)
    reopened = Workspace.open(path)
    assert len(reopened.layer("incidents")) == 40
    assert len(reopened.layer("services")) == len(workspace.layer("services")) - entry.rows_kept


def test_legacy_reports_are_removed_with_their_layers_rows(demo_workspace: Path) -> None:
    """Reports written before ids (no import_id in their details) go with the rows of their
    layer that carry no id, all together."""
    workspace = Workspace.open(demo_workspace)
    incidents = workspace.layer("incidents")
    workspace.set_layer("incidents", incidents.assign(**{IMPORT_ID: None}))
    reports = workspace.layer("import_reports").copy()
    spvm = reports["reader"] == "spvm-incidents"
    details = json.loads(reports.loc[spvm, "details"].iloc[0])
    del details["import_id"]
    reports.loc[spvm, "details"] = json.dumps(details)
    workspace.set_layer("import_reports", reports)
    workspace.save()
    legacy = [e for e in list_imports(Workspace.open(demo_workspace)) if e.legacy]
    assert [(e.layer, e.rows_present) for e in legacy] == [("incidents", len(incidents))]
    removal = remove_import(Workspace.open(demo_workspace), legacy[0].import_id)
    assert removal.rows == {"incidents": len(incidents)}
    after = Workspace.open(demo_workspace)
    assert len(after.layer("incidents")) == 0 and len(after.layer("services")) > 0


def test_ambiguous_prefix_is_refused(demo_workspace: Path) -> None:
    with pytest.raises(PortraitError, match="Several imports have an id starting with ''|No "
                       "import has the id ''"):
        remove_import(Workspace.open(demo_workspace), "")
