"""The bounds checked before a reader opens a file (``data_connectors.input_limits``)."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from data_connectors import input_limits
from data_connectors.base import ReaderError
from data_connectors.input_limits import InputLimits, check_input_limits


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_longest_line_is_found_across_chunk_boundaries(tmp_path: Path, monkeypatch,
                                                           chunk: int) -> None:
    rng = random.Random(chunk)
    lines = [b"x" * rng.randint(0, 90) for _ in range(200)]
    path = tmp_path / "t.csv"
    path.write_bytes(b"\n".join(lines))  # no line break after the last line
    monkeypatch.setattr(input_limits, "_CHUNK", chunk)
    longest = max(range(len(lines)), key=lambda i: (len(lines[i]), -i))
    assert input_limits._longest_line(path) == (longest + 1, len(lines[longest]))


def test_limits_come_from_the_options_and_unset_ones_keep_their_default() -> None:
    limits = InputLimits.from_options({"input_limits": {"max_columns": 5,
                                                        "max_field_chars": None}})
    assert limits == InputLimits(max_columns=5)


def test_a_gzip_file_is_refused_once_it_expands_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "points.jsonl.gz"
    path.write_bytes(gzip.compress(b"{}\n" * 2_000_000))
    with pytest.raises(ReaderError, match=r"points.jsonl.gz: .* expands more than 100 times"):
        check_input_limits(path, InputLimits())
    check_input_limits(path, InputLimits(max_expansion=1e6))
    with pytest.raises(ReaderError, match="expands to more than 1 MB"):
        check_input_limits(path, InputLimits(max_expansion=1e6, max_expanded_mb=1))


def test_too_many_columns_names_the_header_row(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    path.write_text(";".join(f"c{i}" for i in range(12)) + "\n" + ";".join("1" * 12) + "\n")
    with pytest.raises(ReaderError, match=r"large.csv, row 1: the header has 12 columns"):
        check_input_limits(path, InputLimits(max_columns=10))
    check_input_limits(path, InputLimits(max_columns=12))
