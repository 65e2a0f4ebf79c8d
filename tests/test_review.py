"""Review comments and marks (portrait.review): stored as records, written without touching
anything else, and a workspace opened for review refuses every other write."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from data_connectors.importer import import_files
from portrait.errors import PortraitError
from portrait.layers import ALL_LAYERS
from portrait.review import (
    COMMENT,
    MARK,
    ReadOnlyError,
    ReadOnlyWorkspace,
    ReviewSession,
    add_items,
    current_author,
    map_section_id,
    new_comment,
    new_mark,
    review_items,
    reviewed_mark,
    save_review,
    with_items,
)
from portrait.workspace import Workspace


def layer_frames(path: Path, skip: str = "records") -> dict[str, pd.DataFrame]:
    """Every layer of the file except ``skip``, read straight from disk."""
    names = [name for name, _ in pyogrio.list_layers(path)
             if name not in (skip, "portrait_metadata")]
    return {name: pyogrio.read_dataframe(path, layer=name) for name in names}


def table_rows(path: Path, skip: tuple[str, ...]) -> dict[str, list]:
    """Raw SQLite rows of every user table of the GeoPackage (bytes included)."""
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'gpkg%' "
            "AND name NOT LIKE 'rtree%' AND name NOT LIKE 'sqlite%'")]
        rows = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(),
                              key=repr)
                for table in tables if table not in skip}
    connection.close()
    return rows


def test_a_comment_records_author_time_target_and_text() -> None:
    item = new_comment("section", map_section_id("38", "low_income_rate"), "  À revoir  ",
                       target_label="PDQ 38 — Faible revenu")
    assert item.kind == COMMENT and item.text == "À revoir"
    assert item.author == current_author() == getpass.getuser()
    assert item.target_kind == "section" and item.target_id == "map/38/low_income_rate"
    assert pd.Timestamp(item.created_at).tzinfo is not None  # ISO time with its offset
    payload = json.loads(item.payload())
    assert payload == {"author": item.author, "created_at": item.created_at,
                       "target_kind": "section", "target_id": "map/38/low_income_rate",
                       "target_label": "PDQ 38 — Faible revenu", "text": "À revoir"}


@pytest.mark.parametrize("call", [
    lambda: new_comment("section", "map/38/x", "   "),
    lambda: new_comment("chapter", "map/38/x", "Bien"),
    lambda: new_mark("problem", " "),
])
def test_invalid_items_are_refused_with_a_message(call) -> None:
    with pytest.raises(PortraitError):
        call()


def test_items_round_trip_through_the_records_layer(small_workspace: Workspace) -> None:
    first = new_comment("problem", "P-1", "Chiffres à confirmer", author="cmdt",
                        created_at="2026-05-03T10:00:00-04:00")
    mark = new_mark("section", "map/4/low_income_rate", author="cmdt",
                    created_at="2026-05-03T11:00:00-04:00")
    later = new_mark("section", "map/4/low_income_rate", author="adjoint",
                     created_at="2026-05-04T09:00:00-04:00")
    records = with_items(small_workspace.layer("records"), [later, first, mark])
    assert set(records["kind"]) == {COMMENT, MARK}
    items = review_items(records)
    assert [i.record_id for i in items] == [first.record_id, mark.record_id, later.record_id]
    assert reviewed_mark(items, "section", "map/4/low_income_rate").author == "adjoint"
    assert reviewed_mark(items, "section", "map/38/low_income_rate") is None
    add_items(small_workspace, [first])
    assert small_workspace.is_modified
    assert review_items(small_workspace.layer("records")) == [first]


def test_unreadable_payloads_are_skipped_not_fatal() -> None:
    good = new_comment("action", "A-2", "OK", author="cmdt")
    records = with_items(pd.DataFrame(columns=["record_id", "kind", "payload", "updated_at"]),
                         [good])
    broken = records.copy()
    broken["record_id"] = "broken"
    broken["payload"] = "{not json"
    other = records.copy()
    other["kind"] = "problem"  # another kind of record: not a review item
    mixed = pd.concat([records, broken, other], ignore_index=True)
    assert review_items(mixed) == [good]


def test_save_review_writes_only_the_records_layer(small_workspace: Workspace) -> None:
    path = small_workspace.path
    before = layer_frames(path)
    raw_before = table_rows(path, skip=("records", "portrait_metadata"))
    item = new_comment("section", "map/38/low_income_rate", "Vu", author="cmdt")
    records = save_review(path, [item])
    assert review_items(records) == [item]
    after = layer_frames(path)
    assert before.keys() == after.keys()
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, check_like=False, obj=name)
    assert table_rows(path, skip=("records", "portrait_metadata")) == raw_before
    assert review_items(Workspace.open(path).layer("records")) == [item]


def test_a_review_session_adds_items_without_changing_the_data(small_workspace: Workspace
                                                               ) -> None:
    path = small_workspace.path
    before = layer_frames(path)
    session = ReviewSession(path, author="cmdt")
    assert isinstance(session.workspace, ReadOnlyWorkspace)
    comment = session.add_comment("section", "map/4/low_income_rate", "Bon portrait",
                                  "PDQ 4 — Faible revenu")
    mark = session.mark_reviewed("section", "map/4/low_income_rate", "PDQ 4 — Faible revenu")
    assert [i.record_id for i in session.items()] == [comment.record_id, mark.record_id]
    assert not session.workspace.is_modified
    reopened = ReviewSession(path)
    assert [i.text for i in reopened.items()] == ["Bon portrait", ""]
    after = layer_frames(path)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, obj=name)


def test_a_workspace_opened_for_review_refuses_every_write(small_workspace: Workspace,
                                                           demo_files) -> None:
    path = small_workspace.path
    original = path.read_bytes()
    workspace = ReadOnlyWorkspace.open(path)
    assert len(workspace.layer("incidents")) == 200  # reading works
    with pytest.raises(ReadOnlyError, match="open for review"):
        workspace.set_layer("incidents", workspace.layer("incidents").head(3))
    with pytest.raises(ReadOnlyError):
        workspace.set_metadata("title", "Autre")
    with pytest.raises(ReadOnlyError):
        workspace.save()
    with pytest.raises(ReadOnlyError):
        import_files(workspace, [demo_files.incidents])
    assert path.read_bytes() == original
    assert not workspace.is_modified
    assert {spec.name for spec in ALL_LAYERS} >= set(layer_frames(path))
