"""Import reports read in French: every reason, warning and problem a reader can write.

The readers write their sentences in English (the catalogue's keys); the French window shows
``data_connectors.report_messages``'s wording. The first test reads the readers' source, so a
sentence added without its French fails here, not in front of an officer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from data_connectors.base import ImportReport, ReaderError
from data_connectors.importer import import_files
from data_connectors.report_messages import (
    CATALOGUE,
    in_language,
    is_known,
    reader_error_text,
    report_in_language,
)
from demo_city.build import demo_import_paths
from portrait.workspace import Workspace

READERS = Path(__file__).resolve().parents[1] / "data_connectors"
#: Words that only an English sentence has: none may be left in a French report.
ENGLISH = re.compile(r"\b(the|of|rows?|kept|dropped|missing|column|not|no|with|and|or|"
                     r"unreadable|outside|duplicate|left|empty)\b", re.IGNORECASE)


def _templates(node: ast.expr, constants: dict[str, ast.expr]) -> list[str] | None:
    """The sentences ``node`` can write, ``{}`` for each value (None: only known at run time)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out = [""]
        for value in node.values:
            part = value.value if isinstance(value, ast.Constant) else "{}"
            out = [o + part for o in out]
        return [o.replace("{}{}", "{}") for o in out]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _templates(node.left, constants) or ["{}"]
        right = _templates(node.right, constants) or ["{}"]
        return [(a + b).replace("{}{}", "{}") for a in left for b in right]
    if isinstance(node, ast.IfExp):
        return (_templates(node.body, constants) or ["{}"]) + \
            (_templates(node.orelse, constants) or ["{}"])
    if isinstance(node, ast.Name) and node.id in constants:
        return _templates(constants[node.id], constants)
    return None


def _messages(call: ast.Call) -> list[ast.expr]:
    """The sentence arguments of ``report.drop/flag``, ``report.example``, ``examples``,
    ``report.warnings.append``, of a ``ReaderError`` (its problem and what it expected) and
    of a ``MappingError``."""
    f = call.func
    if isinstance(f, ast.Name) and f.id == "ReaderError":
        return call.args[1:2] + [k.value for k in call.keywords if k.arg == "expected"]
    if isinstance(f, ast.Name) and f.id == "MappingError":  # read again as a ReaderError's
        return call.args[:1]
    found = _message(call)
    return [] if found is None else [found]


def _message(call: ast.Call) -> ast.expr | None:
    f = call.func
    if isinstance(f, ast.Attribute):
        if f.attr in ("drop", "flag") and isinstance(f.value, ast.Name) \
                and f.value.id == "report" and call.args:
            return call.args[0]
        if f.attr == "example" and len(call.args) >= 4:
            return call.args[3]
        if f.attr == "append" and isinstance(f.value, ast.Attribute) \
                and f.value.attr == "warnings" and call.args:
            return call.args[0]
    if isinstance(f, ast.Name) and f.id == "examples" and len(call.args) >= 4:
        return call.args[3]
    return None


def _written_sentences() -> tuple[dict[str, str], list[str]]:
    sentences: dict[str, str] = {}
    at_run_time: list[str] = []
    for path in sorted(READERS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {n.targets[0].id: n.value for n in tree.body if isinstance(n, ast.Assign)
                     and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)}
        for node in ast.walk(tree):
            for argument in _messages(node) if isinstance(node, ast.Call) else ():
                found = _templates(argument, constants)
                if found is None:
                    at_run_time.append(f"{path.name}:{node.lineno}")
                for sentence in found or ():
                    sentences.setdefault(sentence, f"{path.name}:{node.lineno}")
    return sentences, at_run_time


def test_every_sentence_a_reader_writes_has_its_french() -> None:
    sentences, at_run_time = _written_sentences()
    assert len(sentences) > 100  # the scan reads the readers (it found them all once)
    missing = {s: where for s, where in sentences.items() if s != "{}" and s not in CATALOGUE}
    assert not missing
    # sentences chosen at run time: the problem an ``examples`` caller passes (scanned at
    # the call), mapped_points' coordinate problems (tested below), a MappingError read
    # again as a ReaderError (scanned above), and lists of file types
    assert sorted(place.split(":")[0] for place in at_run_time) == [
        "cad_calls.py", "column_mapping.py", "incident_common.py", "indicator_table.py",
        "mapped_points.py", "mapped_points.py", "mapped_points.py", "mapped_points.py",
        "mbtiles.py"]


@pytest.mark.parametrize("english,french", [
    ("duplicate id (column 'ID')", "identifiant en double (colonne 'ID')"),
    ("no location: latitude and longitude look swapped",
     "sans lieu : latitude et longitude semblent inversées"),
    ("no location: more than 5 km outside the stations (CRS EPSG:32188, NAD83 / MTM zone 8)",
     "sans lieu : à plus de 5 km des postes (SCR EPSG:32188, NAD83 / MTM zone 8)"),
    ("not a date and time in the form DD/MM/YYYY HH:MM",
     "pas une date et une heure de la forme DD/MM/YYYY HH:MM"),
    ("1,234 incident(s) (16%) have the time 00:00, which the VPD writes when the time is "
     "unknown; marked as an unknown time, left out of hour-of-day counts.",
     "1\u202f234 incident(s) (16\u00a0%) ont l'heure 00:00, que le VPD inscrit quand l'heure "
     "est inconnue ; marqués comme heure inconnue, hors des comptes par heure."),
    ("Dates in column 'DATE' come in 2 forms: DD/MM/YYYY (2,000 rows), YYYY-MM-DD (12 rows); "
     "check that day and month are not swapped.",
     "Les dates de la colonne 'DATE' ont 2 formes : DD/MM/YYYY (2\u202f000 lignes), "
     "YYYY-MM-DD (12 lignes) ; vérifiez que le jour et le mois ne sont pas inversés."),
])
def test_sentences_with_values_keep_their_values_in_french(english: str, french: str) -> None:
    assert in_language(english, "fr") == french
    assert in_language(english, "en") == english


def test_an_unknown_sentence_is_shown_as_written() -> None:
    # e.g. a report stored by a later version: shown, never lost or garbled
    assert not is_known("a sentence from elsewhere")
    assert in_language("a sentence from elsewhere", "fr") == "a sentence from elsewhere"


def test_two_reasons_of_one_wording_add_up() -> None:
    report = ImportReport(reader="r", source_path="f.csv", layer="incidents",
                          dropped={"no date": 2, "unreadable date": 3})
    report.dropped["aucune date"] = 4  # as if a report already held the French wording
    shown = report_in_language(report, "fr")
    assert shown.dropped == {"aucune date": 6, "date illisible": 3}
    assert report.dropped["no date"] == 2  # the stored report is left as written


def _assert_french(report: ImportReport) -> None:
    shown = report_in_language(report, "fr")
    sentences = [*shown.dropped, *shown.flagged, *shown.warnings,
                 *(e["problem"] for e in shown.examples)]
    english = [s for s in [*report.dropped, *report.flagged, *report.warnings,
                           *(e["problem"] for e in report.examples)] if not is_known(s)]
    assert not english
    for sentence in sentences:
        words = ENGLISH.findall(re.sub(r"'[^']*'|\([A-Z_]+\)|[A-Za-z_]+=\S+", "", sentence))
        assert not words, sentence


def test_the_demo_city_reports_read_in_french(demo_files, tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "demo.gpkg")
    reports = import_files(workspace, demo_import_paths(demo_files), check_complete=False)
    assert sum(len(r.flagged) + len(r.dropped) + len(r.warnings) for r in reports) > 3
    for report in reports:
        _assert_french(report)


def test_a_file_with_many_problems_reads_in_french(small_workspace, tmp_path: Path) -> None:
    to_degrees = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True)
    lon, lat = to_degrees.transform(297_000, 5_041_000)
    good = {"id": "", "date": "2024-03-01", "time": "10:00", "category": "Vol",
            "latitude": lat, "longitude": lon}
    rows = [{**good, "id": f"A{n}"} for n in range(40)]
    rows += [{**good, "id": "A1"},  # duplicate id
             {**good, "id": "B1", "date": ""}, {**good, "id": "B2", "date": "pas une date"},
             {**good, "id": "B3", "time": "25h"}, {**good, "id": "B4", "time": "00:00"},
             {**good, "id": "B5", "latitude": lon, "longitude": lat},  # swapped
             {**good, "id": "B6", "latitude": 0, "longitude": 0},
             {**good, "id": "B7", "date": "1850-01-01"}]
    path = tmp_path / "incidents.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    mapping = {"id": "id", "date": "date", "time": "time", "category": "category",
               "lat": "latitude", "lon": "longitude"}
    [report] = import_files(small_workspace, [path], reader_id="mapped-points",
                            options={"mapping": mapping}, check_complete=False)
    assert report.dropped and report.flagged and report.examples
    _assert_french(report)


def _refused_cases():
    from tests.test_malformed_inputs import CASES

    return [case for case in CASES if case.outcome == "refused"]


@pytest.mark.parametrize("case", _refused_cases(), ids=lambda case: case.id)
def test_a_reader_error_reads_in_french(case, demo_files, small_workspace,
                                        tmp_path: Path) -> None:
    """Every refusal of the malformed-input corpus, as the French import wizard shows it."""
    folder = tmp_path / "in"
    folder.mkdir()
    bad = case.make(folder, demo_files)
    try:
        import_files(small_workspace, [bad], reader_id=case.reader, check_complete=False)
    except ReaderError as error:
        french, named = reader_error_text(error, "fr"), error.path.name
    except Exception as other:  # noqa: BLE001 - refusals of other kinds: their own way
        pytest.skip(f"refused by a {type(other).__name__}, not a reader")
    else:
        pytest.skip("accepted when imported without the command line's options")
    assert french.startswith(named)
    # quoted names, file names, columns and a library's own message in parentheses are data
    shown = re.sub(r"\(.*\)|(?<![^\s(])'[^']*'|\"[^\"]*\"|«[^»]*»|colonnes du fichier : .*|"
                   r"\b[\w.-]+\.(?:csv|shp|shx|dbf|prj|json|geojson|gpkg|zip|gz|xlsx|txt)\b",
                   "", french)
    assert not ENGLISH.findall(shown), french


def test_the_window_shows_a_reader_error_in_its_language() -> None:
    pytest.importorskip("PySide6.QtWidgets")
    from ui.error_dialog import error_message
    from ui.strings import UiText

    error = ReaderError(Path("/x/actes.csv"), "the file has a header but no rows.", row=2,
                        column="DATE", expected="a header row and data rows")
    assert error_message(error, UiText("fr")) == (
        "actes.csv, ligne 2, colonne « DATE » : le fichier a un en-tête mais aucune ligne. "
        "Attendu : une ligne d'en-tête et des lignes de données.")
    assert error_message(error, UiText("en")) == str(error)
