"""``portrait report --all-stations``: every station's portrait as JSON, on every core.

Each worker builds a station's portrait and encodes it (the encoding with an indent is pure
Python and took as long as a third of the run), and writes its own file when the output is
a folder. One ``.json`` file (or standard output) is put together from the stations' texts,
byte for byte the document a single ``json.dumps`` of everything would give.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

from portrait.errors import PortraitError

#: The layout of every JSON file the command line writes: readable, and small.
INDENT = 1
#: Values that ``json`` writes the same at any depth.
_SCALARS = frozenset((str, int, float, bool, type(None)))


def json_text(data: object) -> str:
    """``data`` as the command line's JSON (UTF-8 text as is, no NaN: it is not JSON), byte
    for byte ``json.dumps(data, ensure_ascii=False, indent=INDENT, allow_nan=False)``.

    ``json`` writes an indented document in pure Python, one call per value: a third of a
    one-station report's time once its data was read. Here each list or dict of plain values
    (a table's row, a list of counts) is written by ``json``'s C encoder in one call, its
    items separated by the line break and indent of its depth.
    """
    parts: list[str] = []
    _write(data, 0, parts)
    return "".join(parts)


@functools.cache
def _flat(depth: int) -> json.JSONEncoder:
    """The encoder of plain values of a container at ``depth``: one per line."""
    return json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False,
                            separators=(",\n" + " " * (INDENT * (depth + 1)), ": "))


def _write(value: object, depth: int, parts: list[str]) -> None:
    if type(value) in _SCALARS:
        parts.append(_flat(depth).encode(value))
        return
    if isinstance(value, (list, tuple)):
        items, opening, closing = value, "[", "]"
    elif isinstance(value, dict) and all(type(key) is str for key in value):
        items, opening, closing = value.values(), "{", "}"
    else:  # a dict whose keys json turns into strings, or what json refuses: json's own
        parts.append(json.dumps(value, ensure_ascii=False, indent=INDENT, allow_nan=False)
                     .replace("\n", "\n" + " " * (INDENT * depth)))
        return
    if not value:
        parts.append(opening + closing)
        return
    inner, outer = "\n" + " " * (INDENT * (depth + 1)), "\n" + " " * (INDENT * depth)
    encoder = _flat(depth)
    if all(type(item) in _SCALARS for item in items):
        parts.append(opening + inner + encoder.encode(value)[1:-1] + outer + closing)
        return
    parts.append(opening)
    separator = inner
    if closing == "]":
        for item in value:
            parts.append(separator)
            _write(item, depth + 1, parts)
            separator = "," + inner
    else:
        for key, item in value.items():
            parts.append(separator + encoder.encode(key) + ": ")
            _write(item, depth + 1, parts)
            separator = "," + inner
    parts.append(outer + closing)


def write_text(path: Path, text: str) -> None:
    """``text`` to ``path`` (``-``: standard output), its folder created if needed."""
    if str(path) == "-":
        print(text)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PortraitError(f"Cannot write {path}: {error.strerror}.") from error


def all_stations_text(station_texts: list[str], comparison_text: str) -> str:
    """``json_text({"stations": [...], "comparison": ...})`` from each part's own
    ``json_text``: one level deeper is one more indent on every line after the first (a line
    break inside a JSON string is written ``\\n``, never as a line break)."""
    inner = " " * INDENT

    def nested(text: str, depth: int) -> str:
        return text.replace("\n", "\n" + inner * depth)

    stations = "[]" if not station_texts else (
        f"[\n{inner * 2}" + f",\n{inner * 2}".join(nested(t, 2) for t in station_texts)
        + f"\n{inner}]")
    return (f'{{\n{inner}"stations": {stations},\n{inner}"comparison": '
            f"{nested(comparison_text, 1)}\n}}")


def write_all_reports(data, period, out: Path, jobs: int | None = None,
                      progress: Callable[[float, str], None] | None = None) -> list[tuple]:
    """Every station's portrait to ``out``: a folder (``portrait-<station>.json`` each, and
    ``comparison.json``), or one ``.json`` file or ``-`` holding them all. Returns each
    station's id and period, in the workspace's order of stations."""
    from cli.paths import file_in
    from portrait.engine import build_portrait, compare_stations
    from portrait.station_batch import busiest_first, per_station

    one_file = str(out) == "-" or out.suffix.lower() == ".json"
    comparison = json_text(compare_stations(data, period).to_dict())  # checks the period too
    if not one_file:
        out.mkdir(parents=True, exist_ok=True)

    def one(station_id: str) -> tuple[str, tuple | None, str | None]:
        portrait = build_portrait(data, station_id, period)
        text = json_text(portrait.to_dict())
        if one_file:
            return portrait.station_id, portrait.period, text
        write_text(file_in(out, f"portrait-{portrait.station_id}", ".json"), text)
        return portrait.station_id, portrait.period, None

    ids = busiest_first(data)
    done: dict[str, tuple] = {}

    def finished(result: tuple) -> None:
        done[result[0]] = result
        if progress is not None:
            progress(len(done) / len(ids), f"PDQ {result[0]}")

    if ids:  # the first here: it fills the data's caches (calls, surveys) the workers inherit
        finished(one(ids[0]))
    for result in per_station(ids[1:], one, jobs):
        finished(result)
    ordered = [done[s] for s in data.station_ids if s in done]
    if one_file:
        write_text(out, all_stations_text([text for _, _, text in ordered], comparison))
    else:
        write_text(out / "comparison.json", comparison)
    return [(station_id, station_period) for station_id, station_period, _ in ordered]
