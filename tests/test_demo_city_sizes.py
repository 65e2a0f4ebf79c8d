"""Demo cities beyond Montréal's size, for benchmarks: up to 150 stations and 10 M incidents.

A city of more than 49 stations used to fail ("All arrays must be of the same length": there
were only 49 station numbers), and the CSVs were formatted whole, gigabytes of text at 10 M.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from cli.main import main
from demo_city import SIZES, CitySize, generate_city, writers
from demo_city.generate import sized


def test_a_city_of_more_than_49_stations_numbers_every_station(tmp_path: Path,
                                                               today: date) -> None:
    files = generate_city(tmp_path, CitySize(60, 240, 6_000, 1, 60, 300), seed=3, today=today)
    stations = pyogrio.read_dataframe(files.stations)["PDQ"]
    assert len(stations) == 60 and stations.is_unique and stations.max() == 60.0
    incidents = pd.read_csv(files.incidents, dtype={"PDQ": str})
    assert set(incidents["PDQ"]) <= {f"{p:.1f}" for p in stations}
    assert incidents["PDQ"].nunique() > 49
    calls = pd.read_csv(files.calls, dtype=str)
    assert calls["pdq"].nunique() > 49


def test_csvs_written_in_batches_are_the_same_bytes(tmp_path: Path, today: date,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    whole = generate_city(tmp_path / "whole", "small", seed=5, today=today)
    monkeypatch.setattr(writers, "CSV_BATCH_ROWS", 777)  # many batches, one partial
    batched = generate_city(tmp_path / "batched", "small", seed=5, today=today)
    for mine, theirs in ((whole.incidents, batched.incidents), (whole.calls, batched.calls)):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
        assert mine.read_bytes().count(b"\n") > 2 * 777


def test_sizes_scale_with_stations_and_refuse_beyond_the_limits(tmp_path: Path,
                                                                capsys) -> None:
    assert sized("default") == SIZES["default"]
    bigger = sized("large", stations=150, incidents=10_000_000)
    assert bigger == CitySize(150, 15_000, 10_000_000, 5, 8_571, 21_429)
    assert main(["demo", "--out", str(tmp_path), "--stations", "151"]) == 1
    assert "--stations takes 1 to 150 stations, not 151." in capsys.readouterr().err
    assert main(["demo", "--out", str(tmp_path), "--incidents", "10000001"]) == 1
    assert "--incidents takes 1 to 10,000,000 incidents" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
