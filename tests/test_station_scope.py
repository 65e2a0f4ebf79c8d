"""A station's brief carries its own records only: places decide, links follow."""

from __future__ import annotations

import datetime as dt

import shapely

from exports.brief_build import workspace_records
from portrait.records import (
    Action,
    ActionPriority,
    Consultation,
    Location,
    PartnerOrganisation,
    ProblemCard,
    Record,
    RecordStore,
)
from portrait.records.station_scope import records_for_station
from portrait.workspace import Workspace

# Stations of the small workspace (tests/conftest.py): 38 west of x = 298 000, 4 east of it.
IN_38 = shapely.box(296_000, 5_041_000, 296_400, 5_041_300)
DAY = dt.date(2026, 3, 12)
IN_4 = shapely.box(299_000, 5_041_000, 299_400, 5_041_300)


def _records() -> list[Record]:
    here = ProblemCard(title="Ruelle Rachel", location=Location.area(IN_38))
    there = ProblemCard(title="Parc du 4", location=Location.area(IN_4))
    unplaced = ProblemCard(title="Fraude aux aînés")
    priority_there = ActionPriority(title="Parc", problem_ids=(there.record_id,), rank=1,
                                    plan_period="2026")
    priority_both = ActionPriority(title="Deux", problem_ids=(here.record_id, there.record_id),
                                   rank=2, plan_period="2026")
    action_there = Action(title="Patrouille du parc", priority_id=priority_there.record_id,
                          owner="PDQ 4")
    partner = PartnerOrganisation(name="Table de quartier", sector="community")
    meeting_there = Consultation(title="Rencontre du parc", form="meeting", date=DAY,
                                 problem_ids=(there.record_id,))
    general = Consultation(title="Table de concertation", form="round_table", date=DAY)
    return [here, there, unplaced, priority_there, priority_both, action_there, partner,
            meeting_there, general]


def test_records_of_another_station_and_what_hangs_off_them_are_left_out() -> None:
    records = _records()
    station_38 = shapely.box(295_000, 5_040_000, 298_000, 5_043_000)
    kept = {r.display_name for r in records_for_station(records, station_38)}
    assert kept == {"Ruelle Rachel", "Fraude aux aînés", "Deux", "Table de quartier",
                    "2026-03-12 — Table de concertation"}


def test_briefs_read_the_station_records_from_the_workspace(small_workspace: Workspace) -> None:
    assert workspace_records(small_workspace, "38") is None  # no records yet
    store = RecordStore()
    for record in _records():
        store.add(record)
    store.save(small_workspace)
    names_4 = {r.display_name for r in workspace_records(small_workspace, "4")}
    assert "Parc du 4" in names_4 and "Patrouille du parc" in names_4
    assert "Ruelle Rachel" not in names_4
    assert workspace_records(small_workspace, "99") is None
