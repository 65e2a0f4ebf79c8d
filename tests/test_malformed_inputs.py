"""A corpus of malformed inputs, generated here from the demo city's valid files.

For each kind: the exit code of ``portrait import``, a one-line message on standard error
that names the file and is not an "unexpected error" (no traceback), and, when the import
is refused, the workspace's bytes unchanged. Imports that are accepted (bad rows dropped
and reported) must leave a workspace that ``portrait report`` reads without a traceback.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.main import main
from portrait import workspace as workspace_module
from portrait.workspace import Workspace

#: Rows kept from each demo file: enough for every reader, quick to import.
ROWS = 300


@dataclass(frozen=True)
class Case:
    """One kind of bad input: ``make(folder, demo)`` writes it and returns the file to import."""

    id: str
    make: Callable[[Path, object], Path]
    reader: str | None = None
    extra: tuple[str, ...] = ()
    #: "refused": exit 1, workspace unchanged (an import that would keep no row is refused
    #: too). "accepted": exit 0, bad rows dropped and reported.
    outcome: str = "refused"


# --- helpers that make bad files from good ones ----------------------------------------------
def _lines(path: Path, rows: int = ROWS) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)[:rows + 1]


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _csv_cases(stem: str, source: str, reader: str, name: str,
               outcomes: dict[str, str] | None = None,
               extra: tuple[str, ...] = ()) -> list[Case]:
    """The kinds every delimited-text reader is given (``outcomes``: kinds not refused)."""

    def good(demo) -> list[bytes]:
        return _lines(getattr(demo, source))

    def make(build: Callable[[list[bytes]], bytes]) -> Callable[[Path, object], Path]:
        return lambda folder, demo: _write(folder, name, build(good(demo)))

    def latin1_late(lines: list[bytes]) -> bytes:
        body = b"".join(lines)
        padding = lines[1] * (70_000 // len(lines[1]) + 1)  # past the 64 KiB sniffed sample
        return body + padding + lines[-1].replace(b"\n", b"").rstrip(b"\r") + "é\n".encode(
            "latin-1")

    def without_column(lines: list[bytes]) -> bytes:
        return b"".join(b",".join(line.split(b",")[1:]) for line in lines)

    def ragged(lines: list[bytes]) -> bytes:
        return b"".join(lines[:5]) + lines[5].rstrip(b"\r\n") + b",x,y,z\n" + b"".join(
            lines[6:])

    def huge_field(lines: list[bytes]) -> bytes:
        return b"".join(lines[:3]) + b'"' + b"a" * 150_000 + b'"' + lines[3] + b"".join(
            lines[4:])

    def many_columns(lines: list[bytes]) -> bytes:
        return b",".join(f"c{i}".encode() for i in range(3_000)) + b"\n" + b"".join(lines[1:])

    def cut_in_quotes(lines: list[bytes]) -> bytes:
        """Cut after a quote was opened, as a copy stopped in the middle of a quoted value."""
        last = lines[-3]
        third = [i for i, byte in enumerate(last) if byte == ord(",")][2]
        return b"".join(lines[:-3]) + last[:third + 1] + b'"Rue Sainte-Cath'

    builders: dict[str, Callable[[list[bytes]], bytes]] = {
        "empty": lambda lines: b"",
        "blank-lines": lambda lines: b"\n\n  \n",
        "header-only": lambda lines: lines[0],
        "binary": lambda lines: bytes(range(256)) * 40,
        "nul-bytes": lambda lines: b"".join(lines).replace(b",", b"\x00", 20),
        "latin1-past-sample": latin1_late,
        "missing-column": without_column,
        "ragged-row": ragged,
        "huge-field": huge_field,
        "too-many-columns": many_columns,
        "zip-named-csv": lambda lines: _zip_bytes({"a.csv": b"".join(lines)}),
        "cut-in-quotes": cut_in_quotes,
    }
    return [Case(f"{stem}-{kind}", make(build), reader, extra,
                 outcome=(outcomes or {}).get(kind, "refused"))
            for kind, build in builders.items()]


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def _geo_cases(stem: str, source: str, reader: str) -> list[Case]:
    """The kinds every reader of polygons is given: each is refused."""

    def make(name: str, build: Callable[[bytes], bytes]) -> Callable[[Path, object], Path]:
        return lambda folder, demo: _write(folder, name, build(
            getattr(demo, source).read_bytes()))

    def no_features(data: bytes) -> bytes:
        parsed = json.loads(data)
        parsed["features"] = []
        return json.dumps(parsed).encode()

    def null_geometries(data: bytes) -> bytes:
        parsed = json.loads(data)
        for feature in parsed["features"]:
            feature["geometry"] = None
        return json.dumps(parsed).encode()

    def bogus_crs(data: bytes) -> bytes:
        parsed = json.loads(data)
        parsed["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::1"}}
        return json.dumps(parsed).encode()

    return [
        Case(f"{stem}-empty-geojson", make("vide.geojson", lambda d: b""), reader),
        Case(f"{stem}-truncated-geojson", make("coupe.geojson", lambda d: d[:len(d) // 2]),
             reader),
        Case(f"{stem}-not-json", make("texte.geojson", lambda d: b"PDQ;nom\n1;a\n"), reader),
        Case(f"{stem}-json-array", make("tableau.geojson", lambda d: b"[1, 2, 3]"), reader),
        Case(f"{stem}-no-features", make("aucune.geojson", no_features), reader),
        Case(f"{stem}-null-geometries", make("sans-geom.geojson", null_geometries), reader),
        Case(f"{stem}-unknown-crs-name", make("crs.geojson", bogus_crs), reader),
        Case(f"{stem}-garbage-gpkg", make("dechet.gpkg", lambda d: os.urandom(4096)), reader),
        Case(f"{stem}-sqlite-not-gpkg", lambda folder, demo: _sqlite_file(folder), reader),
    ]


def _sqlite_file(folder: Path) -> Path:
    path = folder / "base.gpkg"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (a INTEGER)")
    connection.close()
    return path


def _shapefile_without(suffix: str) -> Callable[[Path, object], Path]:
    def make(folder: Path, demo) -> Path:
        source = Path(demo.da_boundaries)
        for part in source.parent.glob(f"{source.stem}.*"):
            if part.suffix.lower() != suffix:
                shutil.copyfile(part, folder / part.name)
        return folder / source.name
    return make


def _shapefile_with_bad(suffix: str, data: bytes) -> Callable[[Path, object], Path]:
    def make(folder: Path, demo) -> Path:
        shp = _shapefile_without("")(folder, demo)
        shp.with_suffix(suffix).write_bytes(data)
        return shp
    return make


def _gzip_bomb(folder: Path, demo) -> Path:
    path = folder / "osm.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(b'{"lat": 45.5, "lon": -73.6, "tags": {"amenity": "library"}}\n')
        handle.write(b" " * (60 * 1024 * 1024))
    return path


def _xlsx_bomb(folder: Path, demo) -> Path:
    return _write(folder, "services.xlsx", _zip_bytes({
        "[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * 30_000_000}))


def _jsonl(lines: list[str]) -> Callable[[Path, object], Path]:
    return lambda folder, demo: _write(folder, "osm.jsonl", "\n".join(lines) + "\n")


CASES: list[Case] = [
    *_csv_cases("spvm", "incidents", "spvm-incidents", "actes-criminels.csv"),
    *_csv_cases("services", "services", "service-inventory", "services.csv",
                {"cut-in-quotes": "accepted"}),
    *_csv_cases("survey", "survey", "survey-export", "sondage.csv"),
    # The profile is streamed for the areas kept: a bad row of another area is never read.
    *_csv_cases("census", "census_profile", "statcan-profile",
                "98-401-X2021006_English_CSV_data.csv",
                {kind: "accepted" for kind in ("latin1-past-sample", "missing-column",
                                                "ragged-row", "cut-in-quotes")},
                extra=("--area-prefix", "2466")),
    *_csv_cases("mapped", "incidents", "mapped-points", "points.csv"),
    # Stations: empty geometries, and coordinates that contradict the CRS read, are refused
    *_geo_cases("stations", "stations", "station-boundaries"),
    *_geo_cases("areas", "stations", "area-boundaries"),  # no area-name column: refused
    Case("da-shp-without-shx", _shapefile_without(".shx"), "statcan-boundaries"),
    Case("da-shp-without-dbf", _shapefile_without(".dbf"), "statcan-boundaries"),
    Case("da-shp-garbage-prj", _shapefile_with_bad(".prj", b"GARBAGE"), "statcan-boundaries"),
    Case("da-shp-truncated", _shapefile_with_bad(".shp", b"\x00\x00\x27\x0a" + b"\x00" * 20),
         "statcan-boundaries"),
    Case("vpd-empty", lambda f, d: _write(f, "crimedata.csv", b""), "vpd-incidents"),
    Case("vpd-wrong-header", lambda f, d: _write(f, "crimedata.csv", "a,b\n1,2\n"),
         "vpd-incidents"),
    Case("wide-profile-empty", lambda f, d: _write(f, "profil.csv", b""),
         "wide-census-profile"),
    Case("wide-profile-one-column", lambda f, d: _write(f, "profil.csv", "Caractéristique\n"
                                                        "Population\n"), "wide-census-profile"),
    Case("scores-wrong-header", lambda f, d: _write(f, "scores.csv", "x;y\n1;2\n"),
         "survey-scores"),
    Case("hsds-garbage-zip", lambda f, d: _write(f, "hsds.zip", os.urandom(2048)), "hsds"),
    Case("hsds-zip-without-services", lambda f, d: _write(f, "hsds.zip", _zip_bytes(
        {"organizations.csv": b"id,name\n1,a\n"})), "hsds"),
    Case("osm-gzip-bomb", _gzip_bomb, "osm-amenities"),
    Case("osm-truncated-gzip", lambda f, d: _write(f, "osm.jsonl.gz", gzip.compress(
        os.urandom(30_000).hex().encode())[:20_000]), "osm-amenities"),
    Case("osm-bad-json-line", _jsonl(['{"lat": 45.5, "lon": -73.6, "tags": {}}', "{oops"]),
         "osm-amenities"),
    Case("lieux-interet-empty", lambda f, d: _write(f, "lieux.geojson", b""), "lieux-interet"),
    Case("xlsx-bomb", _xlsx_bomb, "service-inventory"),
    Case("xlsx-text-file", lambda f, d: _write(f, "services.xlsx", "nom,type\na,b\n"),
         "service-inventory"),
    Case("xlsx-garbage-zip", lambda f, d: _write(f, "sondage.xlsx", os.urandom(3000)),
         "survey-export"),
]


def test_the_corpus_covers_at_least_sixty_kinds() -> None:
    ids = [case.id for case in CASES]
    assert len(set(ids)) == len(ids) >= 60


@pytest.fixture(scope="module")
def base_workspace(tmp_path_factory: pytest.TempPathFactory, demo_files) -> Path:
    """A workspace holding the demo stations, as bad imports find it."""
    path = tmp_path_factory.mktemp("corpus") / "base.gpkg"
    assert main(["import", str(path), str(demo_files.stations)]) == 0
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_malformed_input_gets_one_line_and_leaves_the_workspace(
        case: Case, base_workspace: Path, demo_files, tmp_path: Path, capsys) -> None:
    workspace = tmp_path / "w.gpkg"
    shutil.copyfile(base_workspace, workspace)
    before = _digest(workspace)
    folder = tmp_path / "in"
    folder.mkdir()
    bad = case.make(folder, demo_files)
    args = ["import", str(workspace), str(bad), *case.extra]
    args += ["--reader", case.reader] if case.reader else []
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    if case.outcome == "refused":
        assert code == 1, err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("Error: ") and bad.name in lines[0], err
        assert "Traceback" not in err and "Unexpected error" not in err
        assert _digest(workspace) == before
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".w.gpkg")]
        return
    assert code == 0, err
    assert err == "" and " rows kept" in out and " 0 of " not in out
    code = main(["report", str(workspace), "--all-stations", "--json", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code in (0, 1) and len(err.splitlines()) == code, err
    assert "Traceback" not in err and "Unexpected error" not in err


# --- the workspace and the command line themselves ---------------------------------------------
def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _read_only(*args, **kwargs):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def _space_runs_out_after_one_layer(monkeypatch) -> None:
    real = workspace_module._write_layer
    calls = []

    def write(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            _no_space()
        real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "_write_layer", write)


def _set_schema(version: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE portrait_metadata SET value = ? "
                               "WHERE key = 'schema_version'", (version,))
        connection.close()
    return change


def _damage(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 // 4096 * 4096)
        handle.write(os.urandom(8192))


def _replace_with(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


@dataclass(frozen=True)
class CommandCase:
    """A bad workspace, option or machine state: ``spoil`` changes the workspace copy,
    ``patch`` the machine (through monkeypatch); ``expect`` is in the one-line message."""

    id: str
    command: str
    expect: str
    spoil: Callable[[Path], None] | None = None
    patch: Callable[[object], None] | None = None
    extra: tuple[str, ...] = ()
    workspace: str = "w.gpkg"


COMMAND_CASES = [
    CommandCase("workspace-is-text", "import", "is not a GeoPackage",
                _replace_with(b"PDQ,nom\n1,a\n")),
    CommandCase("workspace-empty-file", "report", "is not a GeoPackage", _replace_with(b"")),
    CommandCase("workspace-plain-sqlite", "import", "no portrait_metadata table",
                lambda path: (path.unlink(), _sqlite_file(path.parent).rename(path))),
    CommandCase("workspace-schema-0", "import", "schema version 0", _set_schema("0")),
    CommandCase("workspace-schema-text", "report", "no valid schema version",
                _set_schema("un")),
    CommandCase("workspace-schema-newer", "brief", "newer version", _set_schema("99")),
    CommandCase("workspace-damaged-import", "import", "is damaged", _damage),
    CommandCase("workspace-damaged-report", "report", "is damaged", _damage),
    CommandCase("workspace-damaged-brief", "brief", "is damaged", _damage),
    CommandCase("workspace-in-missing-folder", "import", "does not exist",
                workspace="nulle-part/w.gpkg"),
    CommandCase("bogus-crs", "import", "'bogus' is not a coordinate reference system",
                extra=("--crs", "bogus"), workspace="nouveau.gpkg"),
    CommandCase("degrees-crs", "import", "units are not metres",
                extra=("--crs", "EPSG:4326"), workspace="nouveau.gpkg"),
    CommandCase("disk-full-before-write", "import", "No space left on device",
                patch=lambda mp: mp.setattr(workspace_module.geopackage, "transaction",
                                            _no_space)),
    CommandCase("disk-full-during-write", "import", "No space left on device",
                patch=_space_runs_out_after_one_layer),
    CommandCase("read-only-file-system", "import", "Read-only file system",
                patch=lambda mp: mp.setattr(workspace_module.geopackage, "connect",
                                            _read_only)),
    CommandCase("bad-date-option", "report", "--from '2024-13-01': expected a date",
                extra=("--from", "2024-13-01")),
    CommandCase("unknown-station", "report", "Station 'PDQ 999' is not in this workspace"),
]


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[case.id for case in COMMAND_CASES])
def test_a_bad_workspace_or_option_gets_one_line_and_changes_nothing(
        case: CommandCase, base_workspace: Path, demo_files, tmp_path: Path, capsys,
        monkeypatch) -> None:
    workspace = tmp_path / case.workspace
    if workspace.parent.is_dir() and case.workspace == "w.gpkg":
        shutil.copyfile(base_workspace, workspace)
        if case.spoil is not None:
            case.spoil(workspace)
    before = _files_of(tmp_path)
    if case.patch is not None:
        case.patch(monkeypatch)
    args = {"import": ["import", str(workspace), str(demo_files.services), *case.extra],
            "report": ["report", str(workspace), "--station", "PDQ 999" if
                       case.id == "unknown-station" else "23", "--json", "-", *case.extra],
            "brief": ["brief", str(workspace), "--station", "23", "--out",
                      str(tmp_path / "out"), *case.extra]}[case.command]
    capsys.readouterr()
    code = main(args)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith("Error: ") and case.expect in lines[0], err
    assert "Traceback" not in err
    assert _files_of(tmp_path) == before


def _files_of(folder: Path) -> list[tuple[str, str]]:
    """The folder's files and their digests; the station index a portrait derives from the
    workspace (``portrait.workspace_query``) and the stamp of its last passed check are no
    change to the user's files."""
    return sorted((p.name, _digest(p)) for p in folder.iterdir()
                  if p.is_file() and not p.name.endswith((".portrait-cache.sqlite",
                                                          ".portrait-checked")))


# --- limits that can be raised, and the details behind the one line ---------------------------
def test_a_limit_is_named_and_can_be_raised_for_one_import(
        base_workspace: Path, demo_files, tmp_path: Path, capsys) -> None:
    workspace = tmp_path / "w.gpkg"
    shutil.copyfile(base_workspace, workspace)
    lines = _lines(demo_files.services)
    fields = lines[2].split(b",")
    fields[0] = b'"' + b"Centre " * 20_000 + b'"'  # a 140,000-character name
    bad = _write(tmp_path, "services.csv", b"".join(lines[:2]) + b",".join(fields)
                 + b"".join(lines[3:]))
    assert main(["import", str(workspace), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: services.csv, row 3: a value is longer than 100,000 "
                          "characters") and "--max-field-chars" in err
    assert main(["import", str(workspace), str(bad), "--max-field-chars", "200000"]) == 0
    names = Workspace.open(workspace).layer("services")["name"]
    assert names.str.len().max() == len(("Centre " * 20_000).strip())


def test_debug_shows_the_traceback_the_one_line_hides(base_workspace: Path,
                                                      tmp_path: Path) -> None:
    from data_connectors.base import ReaderError

    bad = _write(tmp_path, "vide.geojson", b"")
    with pytest.raises(ReaderError, match="vide.geojson: GDAL cannot read it"):
        main(["--debug", "import", str(tmp_path / "w.gpkg"), str(bad),
              "--reader", "station-boundaries"])


def test_an_unexpected_error_is_one_line_with_the_way_to_the_details(
        base_workspace: Path, capsys, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the engine\nbroke")

    monkeypatch.setattr("portrait.engine.build_portrait", broken)
    args = ["report", str(base_workspace), "--station", "23", "--json", "-"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == ("Unexpected error (RuntimeError: the engine broke). Nothing was changed in "
                   "the workspace. Run the same command with --debug to see the details, and "
                   "send them to the application's maintainers.\n")
    with pytest.raises(RuntimeError, match="broke"):
        main(["--debug", *args])


def test_a_refused_import_into_a_new_workspace_leaves_no_file(tmp_path: Path, capsys) -> None:
    bad = _write(tmp_path, "limites.geojson", b'{"type": "FeatureCollection", "feat')
    target = tmp_path / "nouveau.gpkg"
    assert main(["import", str(target), str(bad), "--reader", "station-boundaries"]) == 1
    assert "limites.geojson: GDAL cannot read it" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["limites.geojson"]
