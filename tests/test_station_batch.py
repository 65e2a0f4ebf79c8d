"""Every station's work on forked workers: each station once, the same results as in turn,
a worker's error reaching the caller, and the busiest stations started first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portrait.engine import prepare
from portrait.errors import PortraitError
from portrait.station_batch import busiest_first, per_station
from portrait.workspace import Workspace


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_station_is_done_once_with_the_inherited_state(jobs: int) -> None:
    seen_in = {"parent": os.getpid()}

    def work(station_id: str) -> tuple[str, int, bool]:
        # the closure's data came with the fork: nothing was sent to the worker
        return station_id, len(seen_in), os.getpid() == seen_in["parent"]

    results = list(per_station(["4", "38", "12"], work, jobs))
    assert sorted(r[0] for r in results) == ["12", "38", "4"]
    assert all(r[1] == 1 for r in results)
    in_parent = {r[2] for r in results}
    assert in_parent == ({True} if jobs == 1 else {False})


def test_a_worker_s_known_problem_reaches_the_caller() -> None:
    def work(station_id: str) -> str:
        if station_id == "38":
            raise PortraitError("PDQ 38 has no boundary")
        return station_id

    with pytest.raises(PortraitError, match="PDQ 38 has no boundary"):
        list(per_station(["4", "38"], work, jobs=2))


def test_busiest_stations_first(tmp_path: Path) -> None:
    from conftest import build_small_workspace

    workspace = build_small_workspace(tmp_path / "w.gpkg")
    incidents = workspace.layer("incidents")
    # station 4 keeps a tenth of its incidents: 38 is now the busiest
    keep = (incidents["station_id"] != "4") | (incidents.index % 10 == 0)
    workspace.set_layer("incidents", incidents[keep.to_numpy()])
    data = prepare(Workspace.open(workspace.save()))
    assert data.station_ids == ["4", "38"]
    assert busiest_first(data) == ["38", "4"]
