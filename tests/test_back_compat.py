"""Workspaces written by earlier versions keep opening (one file per schema version).

``tests/data/workspace_schema1.gpkg`` was written by the first release's code (the
hand-made workspace of conftest.py plus one problem card); it must never be regenerated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from portrait.records import RecordStore
from portrait.workspace import SCHEMA_VERSION, Workspace

DATA = Path(__file__).resolve().parent / "data"


def test_schema_1_workspace_opens_with_its_layers_and_records(tmp_path: Path) -> None:
    path = tmp_path / "old.gpkg"
    shutil.copyfile(DATA / "workspace_schema1.gpkg", path)
    workspace = Workspace.open(path)
    assert workspace.title == "Espace de travail, schéma 1"
    assert workspace.crs == "EPSG:32188"
    assert sorted(workspace.layer("stations")["station_id"]) == ["38", "4"]
    assert len(workspace.layer("incidents")) == 40
    assert workspace.layer("census_values")["indicator_id"].nunique() >= 5
    problems = RecordStore.load(workspace).problems()
    assert [p.title for p in problems] == ["Méfaits répétés près du parc"]
    assert problems[0].location is not None


def test_schema_1_workspace_saves_as_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.gpkg"
    shutil.copyfile(DATA / "workspace_schema1.gpkg", path)
    workspace = Workspace.open(path)
    workspace.set_metadata("title", "mis à jour")
    workspace.save()
    reopened = Workspace.open(path)
    assert int(reopened.metadata["schema_version"]) == SCHEMA_VERSION
    assert len(reopened.layer("incidents")) == 40
