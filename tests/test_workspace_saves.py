"""Saves are SQLite transactions on what changed, and the records are layers QGIS reads."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from portrait import geopackage, geopackage_staging
from portrait.errors import WorkspaceError
from portrait.layers import ALL_LAYERS
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.consultations import Consultation
from portrait.records.problems import Location, ProblemCard
from portrait.records.store import RecordStore
from portrait.workspace import Workspace
from portrait.workspace_integrity import newest_good_copy
from ui.autosave import autosave_path, recover, write_autosave

X0, Y0 = 290_200.0, 5_040_200.0
PAGE = 4096


def _records(store: RecordStore) -> dict[str, str]:
    """A problem at a point, one on a census-like area, an action and a consultation."""
    ruelle = store.add(ProblemCard(title="Vols, ruelle Rachel", status="open",
                                   category="theft_from_vehicle",
                                   location=Location.point(shapely.Point(X0, Y0), "Ruelle"),
                                   period_start=dt.date(2025, 1, 1)))
    parc = store.add(ProblemCard(title="Méfaits au parc",
                                 location=Location.area(shapely.box(X0, Y0, X0 + 300,
                                                                    Y0 + 200), "Parc")))
    store.add(ProblemCard(title="Sans lieu"))
    priority = store.add(ActionPriority(title="Ruelles sûres", problem_ids=(ruelle.record_id,)))
    action = store.add(Action(title="Éclairage", priority_id=priority.record_id,
                              owner="Arrondissement", start=dt.date(2026, 1, 15)))
    walk = store.add(Consultation(date=dt.date(2026, 3, 12), form="exploratory_walk",
                                  title="Marche du parc", problem_ids=(parc.record_id,),
                                  confidentiality="shareable"))
    return {"ruelle": ruelle.record_id, "parc": parc.record_id, "action": action.record_id,
            "walk": walk.record_id}


@pytest.fixture
def with_records(small_workspace: Workspace) -> tuple[Workspace, RecordStore, dict[str, str]]:
    store = RecordStore.load(small_workspace)
    ids = _records(store)
    store.save(small_workspace)
    small_workspace.save()
    return small_workspace, store, ids


def _tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        names = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
        tables = {name: connection.execute(f'SELECT * FROM "{name}" ORDER BY fid').fetchall()
                  for name in names}
    connection.close()
    return tables


def _pages(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[i:i + PAGE] for i in range(0, len(data), PAGE)]


def test_a_record_edit_writes_only_its_rows(with_records) -> None:
    workspace, store, ids = with_records
    path = workspace.path
    before, pages, inode = _tables(path), _pages(path), path.stat().st_ino

    store.update(ids["ruelle"], status="monitoring")
    store.save(workspace)
    assert workspace.modified_layers < {spec.name for spec in ALL_LAYERS}
    workspace.save()

    after = _tables(path)
    assert path.stat().st_ino == inode and path.stat().st_size == len(pages) * PAGE
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"records", "problem_places"}  # not even the actions of that problem
    for name in changed:  # one row each, in place (same fid)
        edited = [(old, new) for old, new in zip(before[name], after[name], strict=True)
                  if old != new]
        assert len(edited) == 1 and edited[0][0][0] == edited[0][1][0]
    rewritten = sum(old != new for old, new in zip(pages, _pages(path), strict=True))
    assert rewritten <= 8, f"{rewritten} of {len(pages)} pages written for one record"
    problems = pyogrio.read_dataframe(path, layer="problem_places")
    assert dict(zip(problems["title"], problems["status"], strict=True)) == {
        "Vols, ruelle Rachel": "monitoring", "Méfaits au parc": "open"}


def test_qgis_reads_the_records_with_places_as_layers(with_records) -> None:
    workspace, store, ids = with_records
    path = workspace.path
    layers = dict(pyogrio.list_layers(path))
    assert {"problem_places", "action_places", "consultation_places"} <= set(layers)

    problems = pyogrio.read_dataframe(path, layer="problem_places").set_index("record_id")
    assert set(problems.index) == {ids["ruelle"], ids["parc"]}  # "Sans lieu" has no place
    assert problems.crs == "EPSG:32188"
    assert problems.loc[ids["ruelle"], "geometry"].equals(shapely.Point(X0, Y0))
    assert problems.loc[ids["parc"], "geometry"].area == pytest.approx(300 * 200)
    assert problems.loc[ids["ruelle"], "place_kind"] == "point"
    assert problems.loc[ids["ruelle"], "period_start"] == dt.datetime(2025, 1, 1)
    assert 0 <= problems.loc[ids["ruelle"], "priority"] <= 100

    actions = pyogrio.read_dataframe(path, layer="action_places")
    assert list(actions["title"]) == ["Éclairage"] and list(actions["plan_priority"]) == [
        "Ruelles sûres"]
    assert actions.geometry.iloc[0].equals(shapely.Point(X0, Y0))  # at its problem's place
    walks = pyogrio.read_dataframe(path, layer="consultation_places")
    assert list(walks["problem_id"]) == [ids["parc"]] and walks.geometry.iloc[0].area > 0

    # The place moves and the problem goes: every layer follows in the next save.
    moved = Location.point(shapely.Point(X0 + 500, Y0 + 100), "Ruelle, plus loin")
    store.update(ids["ruelle"], location=moved)
    store.delete(ids["walk"])
    store.delete(ids["parc"])
    store.save(workspace)
    workspace.save()
    problems = pyogrio.read_dataframe(path, layer="problem_places")
    assert list(problems["record_id"]) == [ids["ruelle"]]
    assert problems.geometry.iloc[0].equals(shapely.Point(X0 + 500, Y0 + 100))
    assert pyogrio.read_dataframe(path, layer="action_places").geometry.iloc[0].equals(
        shapely.Point(X0 + 500, Y0 + 100))
    assert pyogrio.read_info(path, layer="consultation_places")["features"] == 0
    with sqlite3.connect(path) as connection:  # what GDAL lists and counts is up to date
        extent = connection.execute("SELECT min_x, max_x FROM gpkg_contents WHERE table_name "
                                    "= 'problem_places'").fetchone()
        count = connection.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE "
                                   "table_name = 'problem_places'").fetchone()[0]
    connection.close()
    assert extent == (X0 + 500, X0 + 500) and count == 1


_KILLED_SAVE = textwrap.dedent(
    """
    import os, signal, sys
    from portrait import workspace as module
    from portrait.records.store import RecordStore
    from portrait.workspace import Workspace

    def die(*args, **kwargs):  # the layers are written, the metadata not yet: no commit
        os.kill(os.getpid(), signal.SIGKILL)

    module._write_metadata = die
    workspace = Workspace.open(sys.argv[1])
    store = RecordStore.load(workspace)
    store.update(sys.argv[2], title="Jamais enregistré")
    store.save(workspace)
    workspace.set_layer("incidents", workspace.layer("incidents").head(3))
    workspace.save()
    """
)


def test_a_save_killed_between_statements_leaves_the_previous_state(with_records) -> None:
    workspace, _, ids = with_records
    path = workspace.path
    before = _tables(path)
    killed = subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(path), ids["ruelle"]],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert path.with_name(f"{path.name}-journal").exists()

    reopened = Workspace.open(path)
    assert len(reopened.layer("incidents")) == len(workspace.layer("incidents"))
    titles = set(RecordStore.load(reopened).problems()[i].title for i in range(3))
    assert "Jamais enregistré" not in titles and "Vols, ruelle Rachel" in titles
    assert _tables(path) == before
    assert not path.with_name(f"{path.name}-journal").exists()


def test_a_save_over_a_file_another_program_changed_is_refused(with_records) -> None:
    workspace, store, ids = with_records
    path = workspace.path
    with sqlite3.connect(path) as connection:  # e.g. QGIS deleting an incident
        connection.execute("DELETE FROM incidents WHERE fid = 1")
    connection.close()
    changed = _tables(path)
    store.update(ids["ruelle"], status="closed")
    store.save(workspace)
    with pytest.raises(WorkspaceError, match="changed by another program"):
        workspace.save()
    assert _tables(path) == changed and workspace.is_modified


def test_autosave_writes_only_the_changed_layers_and_recovers_onto_the_file(
        with_records) -> None:
    workspace, store, ids = with_records
    store.update(ids["parc"], title="Méfaits au parc Lafontaine")
    store.save(workspace)
    sidecar = write_autosave(workspace)
    assert sidecar == autosave_path(workspace.path)
    changed = {"records", "problem_places", "consultation_places"}  # the park's action: none
    assert set(_tables(sidecar)) == changed
    assert newest_good_copy(workspace.path) is None  # not a whole workspace

    recovered = recover(workspace.path, sidecar)
    assert recovered.modified_layers == changed
    assert len(recovered.layer("incidents")) == len(workspace.layer("incidents"))
    recovered.save()
    titles = {p.title for p in RecordStore.load(Workspace.open(workspace.path)).problems()}
    assert "Méfaits au parc Lafontaine" in titles


def test_the_schema_page_describes_every_layer() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "workspace-schema.md").read_text(
        encoding="utf-8")
    for spec in ALL_LAYERS:
        row = next((line for line in page.splitlines() if line.startswith(f"| `{spec.name}` |")),
                   None)
        assert row is not None, f"{spec.name} is not in docs/workspace-schema.md"
        assert all(f"`{column}`" in row for column in spec.columns), spec.name


def _add_spatial_index(path: Path) -> None:
    """A GeoPackage R-tree on the incidents, with its triggers, as QGIS adds one (through a
    connection that knows the GeoPackage SQL functions the triggers call)."""
    with geopackage.connect(path) as connection:
        connection.executescript("""
            CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT,
                extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL);
            INSERT INTO gpkg_extensions VALUES ('incidents', 'geom', 'gpkg_rtree_index',
                'http://www.geopackage.org/spec/#extension_rtree', 'write-only');
            CREATE VIRTUAL TABLE rtree_incidents_geom USING rtree(id, minx, maxx, miny, maxy);
            CREATE TRIGGER rtree_incidents_geom_insert AFTER INSERT ON incidents
              WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN
                INSERT OR REPLACE INTO rtree_incidents_geom VALUES (NEW.fid,
                  ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
              END;
            CREATE TRIGGER rtree_incidents_geom_delete AFTER DELETE ON incidents
              WHEN old.geom NOT NULL BEGIN
                DELETE FROM rtree_incidents_geom WHERE id = OLD.fid; END;
        """)
        connection.execute("INSERT INTO rtree_incidents_geom SELECT fid, "
                           "ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) "
                           "FROM incidents WHERE geom IS NOT NULL")
    connection.close()


def test_a_spatial_index_added_in_qgis_stays_true_when_a_layer_is_replaced(
        small_workspace: Workspace) -> None:
    path = small_workspace.path
    _add_spatial_index(path)

    workspace = Workspace.open(path)
    kept = workspace.layer("incidents").iloc[::2].reset_index(drop=True)
    workspace.set_layer("incidents", kept)
    workspace.save()

    located = kept.loc[kept.geometry.notna()]
    with sqlite3.connect(path) as connection:
        indexed = connection.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()[0]
        triggers = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'incidents'")}
    connection.close()
    assert indexed == len(located)
    assert {"rtree_incidents_geom_insert", "rtree_incidents_geom_delete",
            "trigger_insert_feature_count_incidents"} <= triggers
    box = shapely.box(*located.total_bounds).buffer(-300)
    expected = located.loc[located.intersects(box)]
    found = pyogrio.read_dataframe(path, layer="incidents", bbox=box.bounds)
    assert 0 < len(found) == len(expected)


def test_large_layers_staged_by_gdal_read_back_as_when_written_row_by_row(
        small_workspace: Workspace, tmp_path: Path, monkeypatch) -> None:
    """Layers of many rows are written by GDAL into a staging file, then copied in the
    save's transaction; what is read back is what the row-by-row writer gives, also when
    the rows are turned into Arrow in several parts and handed to GDAL in smaller ones."""
    monkeypatch.setattr(geopackage_staging, "CONVERT_ROWS", 7)
    monkeypatch.setattr(geopackage_staging, "WRITE_BATCH_ROWS", 3)
    layers = ("incidents", "stations", "services", "census_values")
    frames = {name: small_workspace.layer(name) for name in layers}
    written = {}
    for stage_rows in (10**9, 10):
        monkeypatch.setattr(geopackage_staging, "STAGE_ROWS", stage_rows)
        path = tmp_path / f"staged-{stage_rows}.gpkg"
        workspace = Workspace.create(path)
        for name, frame in frames.items():
            workspace.set_layer(name, frame)
        workspace.save()  # in place, over the empty layers
        written[stage_rows] = {name: Workspace.open(path).layer(name) for name in layers}
        assert not list(tmp_path.glob(f".{path.name}.saving-*"))
    for name in layers:
        pd.testing.assert_frame_equal(written[10][name], written[10**9][name])
        assert len(written[10][name]) == len(frames[name])
    assert written[10]["stations"].geom_type.eq("MultiPolygon").all()
