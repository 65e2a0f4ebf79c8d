"""Streaming a ~2 GB Statistics Canada profile down to one city, with and without its index.

The real regional files of 98-401-X2021006 weigh several gigabytes; the reader must stay
under a minute and 500 MB whatever the file's size. The file is generated in the real
format: a demo profile of the city's dissemination areas (``demo_city.census`` values written
by ``demo_city.writers.write_profile``, so quoting, CRLF and Windows-1252 are the real ones),
whose DA blocks are then copied under other DA codes, before and after the city's, until the
file reaches the wanted size; the ``Geo_starting_row`` index is written alongside.

Each read runs in a child process that reports its own peak resident memory (``VmHWM``),
so the generator's memory does not count. The page cache is emptied of the
file before each read (``posix_fadvise DONTNEED``) so that both reads start cold.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import save

GEO_INDEX_NAME = "98-401-X2021006_Geo_starting_row_Quebec.CSV"
PROFILE_NAME = "98-401-X2021006_English_CSV_data_Quebec.csv"
CITY_SHARE_BEFORE = 0.55  # where the city sits in the file (Montréal is mid-Quebec)


def run(size_gb: float, city_areas: int, out: Path, keep: bool = False) -> dict:
    """Generate the file, read it twice in child processes, save and print the figures."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    results: dict = {"target_gb": size_gb, "city_areas": city_areas}
    try:
        started = time.perf_counter()
        profile, city_ids = write_big_profile(out, int(size_gb * 1e9), city_areas)
        results["generate_s"] = round(time.perf_counter() - started, 1)
        results["file_gb"] = round(profile.stat().st_size / 1e9, 3)
        ids_path = out / "city_ids.json"
        ids_path.write_text(json.dumps(city_ids), encoding="utf-8")
        for label, use_index in (("with_index", True), ("without_index", False)):
            _evict(profile)
            results[label] = _read_in_child(profile, ids_path, use_index)
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    save("census_profile_stream", results)
    return results


def write_big_profile(folder: Path, target_bytes: int, city_areas: int,
                      seed: int = 2021) -> tuple[Path, list[str]]:
    """The big profile and its index in ``folder``; returns the profile and the city's DAUIDs."""
    from data_connectors.statcan_characteristics import CHARACTERISTICS
    from demo_city import census, writers

    rng = np.random.default_rng(seed)
    inputs = census.AreaInputs(
        population=rng.integers(20, 1_500, city_areas),
        land_km2=rng.uniform(0.02, 0.6, city_areas),
        deprivation=rng.uniform(0, 1, city_areas),
        centrality=rng.uniform(0, 1, city_areas),
    )
    city_ids = [f"2466{i + 1:04d}" for i in range(city_areas)]
    aggregates = [writers.Geography("2021A000224", "24", "Province", "Quebec"),
                  writers.Geography("2021A00032466", "2466", "Census division", "Montréal"),
                  writers.Geography("2021A00052466023", "2466023", "Census subdivision",
                                    "Montréal")]
    geographies = aggregates + [writers.Geography(f"2021S0512{d}", d, "Dissemination area", d)
                                for d in city_ids]
    values = census.profile_values(rng, inputs, {"Quebec": 8.5e6 / inputs.population.sum(),
                                                 "CD": 1.0, "CSD": 1.0})
    base, base_index = folder / "base.csv", folder / "base_index.csv"
    writers.write_profile(base, base_index, geographies, values)
    lines = base.read_bytes().split(b"\r\n")
    per_geo = len(CHARACTERISTICS)
    header = lines[0] + b"\r\n"
    blocks = [b"\r\n".join(lines[1 + i * per_geo: 1 + (i + 1) * per_geo]) + b"\r\n"
              for i in range(len(geographies))]
    base.unlink()
    base_index.unlink()
    agg_blocks, city_blocks = blocks[:3], blocks[3:]
    block_bytes = sum(map(len, city_blocks)) / len(city_blocks)
    filler = max(int((target_bytes - len(header) - sum(map(len, blocks))) / block_bytes), 0)
    before = int(filler * CITY_SHARE_BEFORE)
    plan = ([(g, b) for g, b in zip(aggregates, agg_blocks, strict=True)]
            + list(_filler(city_blocks, city_ids, before, first_cd=1))
            + [(g, b) for g, b in zip(geographies[3:], city_blocks, strict=True)]
            + list(_filler(city_blocks, city_ids, filler - before, first_cd=67)))
    profile, index = folder / PROFILE_NAME, folder / GEO_INDEX_NAME
    line = 2
    with open(profile, "wb") as data, open(index, "w", encoding="cp1252", newline="") as idx:
        writer = csv.writer(idx, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(("Geo Code", "Geo Name", "Line Number"))
        data.write(header)
        buffer = bytearray()
        for geography, block in plan:
            writer.writerow((geography.dguid, geography.name, str(line)))
            line += per_geo
            buffer += block
            if len(buffer) > 64 * 1024 * 1024:
                data.write(buffer)
                buffer.clear()
        data.write(buffer)
    return profile, city_ids


def _filler(templates: list[bytes], template_ids: list[str], count: int, first_cd: int):
    """``count`` copies of the city's DA blocks under new codes, census division by division."""
    from demo_city.writers import Geography

    for k in range(count):
        cd = first_cd + k // 9_999
        if cd == 66:
            cd = 99  # never reuse the city's own division
        code = f"24{cd:02d}{k % 9_999 + 1:04d}"
        template = k % len(templates)
        block = templates[template].replace(template_ids[template].encode(), code.encode())
        yield Geography(f"2021S0512{code}", code, "Dissemination area", code), block


def _evict(path: Path) -> None:
    """Drop the file from the page cache, so that the next read comes from the disk."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def _read_in_child(profile: Path, ids_path: Path, use_index: bool) -> dict:
    command = [sys.executable, "-m", "benchmarks.bench_census", "--child", str(profile),
               str(ids_path)] + ([] if use_index else ["--no-index"])
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[1])
    if done.returncode != 0:
        raise RuntimeError(f"the child read failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(profile: Path, ids_path: Path, use_index: bool) -> None:
    """One read, as the application does it; prints its figures as one JSON line."""
    from data_connectors.base import ReadContext
    from data_connectors.registry import get_reader

    ids = frozenset(json.loads(ids_path.read_text(encoding="utf-8")))
    started = time.perf_counter()
    result = get_reader("statcan-profile").read(
        profile, ReadContext(known_area_ids=ids, options={"use_index": use_index}))
    seconds = time.perf_counter() - started
    values = result.layers["census_values"]
    report = result.report
    skipped = sum(n for reason, n in report.dropped.items() if "index" in reason)
    print(json.dumps({
        "seconds": round(seconds, 2),
        "rows_parsed": report.rows_read,
        "rows_in_file": report.rows_read + skipped,
        "rows_per_s": round((report.rows_read + skipped) / seconds),
        "mb_per_s": round(profile.stat().st_size / 1e6 / seconds, 1),
        "areas": int(values["area_id"].nunique()),
        "values": len(values),
        "index_warnings": [w for w in report.warnings if "index" in w],
        "peak_mb": _peak_rss_mb(),
    }))


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started.

    ``VmHWM`` rather than ``ru_maxrss``: Linux carries ``ru_maxrss`` over from the parent
    through fork and exec, so a child of the (large) generator would report the generator's
    peak; ``VmHWM`` belongs to the child's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_census")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("PROFILE", "IDS_JSON"),
                        required=True)
    parser.add_argument("--no-index", action="store_true")
    args = parser.parse_args(argv)
    _child(args.child[0], args.child[1], not args.no_index)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
