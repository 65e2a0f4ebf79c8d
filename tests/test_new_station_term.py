"""`portrait new --station-term`: stations made of Kansas City's council districts are
"District 2", not the police's "Division 2", for an officer who has only the command line."""

from __future__ import annotations

from pathlib import Path

from cli.main import main
from portrait.service_words import words_of
from portrait.workspace import Workspace


def test_the_station_term_given_replaces_the_citys(tmp_path: Path) -> None:
    path = tmp_path / "kc.gpkg"
    assert main(["new", str(path), "--city", "Kansas City", "--station-term", "District"]) == 0
    words = words_of(Workspace.open(path))
    assert words.station_label("2") == "District 2"
    assert words.stations_term == "Districts"
    assert words.city == "Kansas City"


def test_without_it_the_city_keeps_its_own_term(tmp_path: Path) -> None:
    path = tmp_path / "kc.gpkg"
    assert main(["new", str(path), "--city", "Kansas City"]) == 0
    assert words_of(Workspace.open(path)).station_label("2") == "Division 2"
