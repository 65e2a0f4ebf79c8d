"""Points laid out as WKB by numpy are the bytes shapely writes; other geometries are left
to shapely."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import shapely

from portrait.layer_batches import _points
from portrait.wkb_points import point_wkb


def test_points_and_missing_ones_are_the_bytes_shapely_writes() -> None:
    geometries = np.array([shapely.Point(297_014.885, 5_053_687.819), None,
                           shapely.Point(-0.0, 1e-300), shapely.Point(1.5, -2.25), None],
                          dtype=object)
    made = point_wkb(geometries)
    assert made is not None
    assert made.to_pylist() == list(shapely.to_wkb(geometries))
    assert made.null_count == 2


def test_points_read_back_to_their_coordinates() -> None:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(260_000, 320_000, 1_000), rng.uniform(5_020_000, 5_080_000, 1_000)
    geometries = shapely.points(x, y)
    geometries[::7] = None
    found = _points(pa.chunked_array([point_wkb(geometries)]))
    assert found is not None
    missing = np.arange(1_000) % 7 == 0
    np.testing.assert_array_equal(found[0][~missing], x[~missing])
    np.testing.assert_array_equal(found[1][~missing], y[~missing])
    assert np.isnan(found[0][missing]).all()


def test_no_geometry_at_all_gives_an_empty_column() -> None:
    made = point_wkb(np.array([None, None], dtype=object))
    assert made is not None and made.to_pylist() == [None, None]
    assert len(point_wkb(np.array([], dtype=object))) == 0


@pytest.mark.parametrize("other", [
    shapely.Point(1, 2, 3), shapely.Point(), shapely.box(0, 0, 1, 1),
    shapely.MultiPoint([(0, 0), (1, 1)]), shapely.LineString([(0, 0), (1, 1)])])
def test_anything_but_a_2d_point_is_left_to_shapely(other) -> None:
    assert point_wkb(np.array([shapely.Point(0, 0), other], dtype=object)) is None
