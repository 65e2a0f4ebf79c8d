"""Rows staged a batch at a time come back by station as if each station's rows had been
taken from the whole layer at once: the same values in the layer's order, and text labels in
order of first appearance over the station's rows, whatever the batch size."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
import pytest

from portrait.block_staging import stage, staged_blocks


def _layer(rows: int) -> dict[str, np.ndarray | pd.Series]:
    rng = np.random.default_rng(11)
    return {
        "station": rng.choice(["", "12", "7", "38"], rows),
        "x": rng.normal(size=rows),
        "tags": rng.random((rows, 3)) < 0.3,
        "address": pd.Series(rng.choice(["1, rue A", "2, rue B", "3, rue C", None], rows),
                             dtype="string"),
        "pathway": rng.choice(["patrol", "online", "referral"], rows),
    }


def _staged(layer: dict, batch_rows: int) -> dict:
    with closing(sqlite3.connect(":memory:")) as connection:
        for start in range(0, len(layer["x"]), batch_rows):
            part = {name: values[start:start + batch_rows] for name, values in layer.items()}
            stage(connection, np.asarray(part["station"]), part)
        return {station: (block, labels)
                for station, block, labels in staged_blocks(connection)}


@pytest.mark.parametrize("batch_rows", [1, 17, 1000, 5000])
def test_each_station_is_its_rows_of_the_whole_layer(batch_rows: int) -> None:
    layer = _layer(3000)
    blocks = _staged(layer, batch_rows)
    assert list(blocks) == ["", "12", "38", "7"]  # in station order
    for station, (block, labels) in blocks.items():
        mine = layer["station"] == station
        assert np.array_equal(block["x"], layer["x"][mine])
        assert np.array_equal(block["tags"], layer["tags"][mine])
        for name in ("station", "address", "pathway"):
            whole = pd.Series(layer[name][mine], dtype=object)
            codes, uniques = pd.factorize(whole, use_na_sentinel=False)
            assert labels[name] == [None if pd.isna(u) else u for u in uniques]
            assert block[name].dtype == np.int32 and np.array_equal(block[name], codes)


def test_the_blocks_do_not_depend_on_the_batch_size() -> None:
    layer = _layer(2000)
    one, many = _staged(layer, 2000), _staged(layer, 33)
    assert one.keys() == many.keys()
    for station, (block, labels) in one.items():
        assert labels == many[station][1]
        for name, values in block.items():
            assert np.array_equal(values, many[station][0][name]), (station, name)
