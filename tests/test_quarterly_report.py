"""The community quarterly report: quarters, indicators counted from the data (never typed),
partner protection, the 2-4 page PDF, the workbook, and ``portrait brief --kind quarterly``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from quarterly_data import COUNTS, TYPED_VALUE, build_quarterly_workspace

from cli.main import main
from exports.brief_build import workspace_records
from exports.brief_model import SUPPRESSED, BriefOptions
from exports.briefs import write_quarterly_briefs
from exports.disclosure import DERIVED, PRIMARY, DisclosureLog
from exports.quarterly_brief import build_quarterly_brief, protect_indicators
from portrait.engine import prepare
from portrait.errors import PortraitError
from portrait.quarterly_report import NO_YEAR_BEFORE, MeasuredIndicator, build_quarterly_report
from portrait.quarters import Quarter, parse_quarter
from portrait.records import Action, ActionIndicator, ActionPriority, RecordStore, record_progress
from portrait.statistics.rates import change_test

Q3 = Quarter(2025, 3)


@pytest.fixture
def workspace(tmp_path):
    return build_quarterly_workspace(tmp_path / "plan.gpkg")


def _report(workspace, quarter=Q3, shareable_only=True):
    return build_quarterly_report(prepare(workspace), "38", quarter,
                                  workspace_records(workspace, "38") or [], shareable_only)


def _initiatives(report):
    return {i.title: i for p in report.priorities for i in p.initiatives}


@pytest.mark.parametrize("text", ["2025Q3", "2025-Q3", "2025-T3", "2025t3", " 2025 - q3 "])
def test_quarter_forms_name_the_same_quarter(text):
    quarter = parse_quarter(text)
    assert quarter == Q3
    assert (quarter.label, quarter.start.isoformat(), quarter.end.isoformat()) == \
        ("2025-Q3", "2025-07-01", "2025-09-30")


@pytest.mark.parametrize("text", ["2025Q5", "Q3 2025", "2025-07", "", "2025Q0"])
def test_a_bad_quarter_says_which_forms_work(text):
    with pytest.raises(PortraitError, match="2026Q3, 2026-Q3 or 2026-T3"):
        parse_quarter(text)


def test_quarters_roll_over_the_year():
    assert Quarter(2025, 4).following == Quarter(2026, 1)
    assert Quarter(2024, 1).end.isoformat() == "2024-03-31"
    assert Quarter(2026, 1).year_before == Quarter(2025, 1)
    assert Quarter(2026, 3).label_in("fr") == "T3 2026"


def test_indicators_are_counted_from_the_station_incidents_of_the_quarter(workspace):
    report = _report(workspace)
    walks = _initiatives(report)["Marches exploratoires"]
    measured = {m.subject: m for m in walks.indicators}
    # The indicator ids name a category and an issue; the priority's problem is about
    # break-ins: all three are counted, station 4's incidents (twice as many) left out.
    assert set(measured) == {"mischief", "vehicles"}
    measured.update({m.subject: m for m in report.priorities[0].indicators})
    assert set(measured) == {"mischief", "vehicles", "break_and_enter"}
    mischief = measured["mischief"]
    assert (mischief.current, mischief.previous, mischief.difference) == (12, 10, 2)
    assert mischief.p_value == pytest.approx(change_test(12, 10).p_value)
    assert mischief.method == change_test(12, 10).method
    assert (measured["break_and_enter"].current, measured["break_and_enter"].previous) == \
        (COUNTS[("2025-07-01", "Introduction")], COUNTS[("2024-07-01", "Introduction")])
    assert (measured["vehicles"].current, measured["vehicles"].previous) == (3, 8)


def test_typed_indicator_values_are_never_used(workspace):
    report = _report(workspace)
    values = {v for m in _initiatives(report)["Marches exploratoires"].indicators
              for v in (m.current, m.previous)}
    assert TYPED_VALUE not in values
    # as a number of its own: random record ids may hold the same digits ("a987f…")
    assert not re.search(rf"(?<![\w.]){TYPED_VALUE}(?![\w.])", repr(report.content()))


def test_status_and_narrative_come_from_the_quarter_progress_entry(workspace):
    initiatives = _initiatives(_report(workspace))
    assert initiatives["Marches exploratoires"].status == "on_track"
    assert initiatives["Marches exploratoires"].narrative == "Trois marches avec le comité."
    assert initiatives["Dépliants de prévention"].status == "done"
    # The bicycle clinic starts next quarter: not in this quarter's list, but coming.
    assert "Burinage de vélos" not in initiatives


def test_what_comes_next_leaves_out_finished_initiatives(workspace):
    coming = [i.title for i in _report(workspace).coming]
    assert coming == ["Marches exploratoires", "Burinage de vélos"]


def test_a_quarter_without_the_year_before_says_so(workspace):
    report = _report(workspace, Quarter(2025, 1))
    measured = report.priorities[0].indicators[0]
    assert (measured.current, measured.previous, measured.reason) == (20, None,
                                                                      NO_YEAR_BEFORE)


def test_a_quarter_the_data_do_not_cover_in_full_says_so(workspace):
    incidents = workspace.layer("incidents")
    workspace.set_layer("incidents", incidents.loc[incidents["date"] <= "2025-08-15"])
    report = _report(workspace)
    assert report.partial and report.data_last <= "2025-08-15"
    brief = build_quarterly_brief(report, BriefOptions(audience="partner"))
    assert brief.warnings == [f"Les données couvrent du 2024-07-01 au {report.data_last} : "
                              "les nombres du trimestre n'en couvrent pas tous les jours."]
    assert not _report(build_quarterly_workspace(workspace.path.with_name("full.gpkg"))
                       ).partial


def test_a_quarter_before_the_plan_is_a_clear_error(workspace):
    with pytest.raises(PortraitError, match="no action running in 2024-Q3"):
        _report(workspace, Quarter(2024, 3))


def test_a_quarter_outside_the_data_is_a_clear_error(workspace):
    with pytest.raises(PortraitError, match=r"No incident data for 2023-Q1.*2024-07-01"):
        _report(workspace, Quarter(2023, 1))


def test_a_station_without_a_plan_is_a_clear_error(tmp_path):
    workspace = build_quarterly_workspace(tmp_path / "none.gpkg", with_plan=False)
    with pytest.raises(PortraitError, match="has no action plan"):
        _report(workspace)


def _measured(subject, kind, current, previous):
    return MeasuredIndicator(kind, subject, subject, subject, current, previous,
                             current - previous, 0.5, "test")


def test_partner_protection_hides_small_counts_and_what_gives_them_back():
    log = DisclosureLog()
    hidden = protect_indicators([
        _measured("theft_from_vehicle", "category", 10, 12),
        _measured("vehicles", "issue", 13, 20),  # 13 - 10: 3 thefts of vehicles
        _measured("mischief", "category", 3, 9),
        _measured("incivilities", "issue", 30, 40),  # holds the hidden mischief
        _measured("break_and_enter", "category", 30, 2),  # small last year
    ], log, "fr")
    assert hidden == {("issue", "vehicles"): DERIVED, ("category", "mischief"): PRIMARY,
                      ("issue", "incivilities"): DERIVED,
                      ("category", "break_and_enter"): PRIMARY}
    assert len(log) == 4


def test_an_issue_holding_another_shown_issue_hides_when_their_difference_is_small():
    hidden = protect_indicators([_measured("property", "issue", 40, 50),
                                 _measured("vehicles", "issue", 37, 45)],  # 3 other thefts
                                DisclosureLog(), "en")
    assert hidden == {("issue", "property"): DERIVED}
    hidden = protect_indicators([_measured("property", "issue", 40, 50),
                                 _measured("vehicles", "issue", 3, 45)], DisclosureLog(), "en")
    assert hidden == {("issue", "vehicles"): PRIMARY, ("issue", "property"): DERIVED}
    assert protect_indicators([_measured("property", "issue", 40, 50),
                               _measured("vehicles", "issue", 20, 25)],
                              DisclosureLog(), "en") == {}


def test_partner_brief_masks_the_whole_row_of_a_small_count(workspace):
    brief = build_quarterly_brief(_report(workspace), BriefOptions(audience="partner"))
    table = brief.section("quarterly_indicators").tables[0]
    vehicles = next(r for r in table.rows if r[1] == "Véhicules")
    assert vehicles[2:] == [SUPPRESSED] * 5
    mischief = next(r for r in table.rows if r[1] == "Méfait")
    assert mischief[2:5] == [12, 10, 2]
    internal = build_quarterly_brief(_report(workspace, shareable_only=False),
                                     BriefOptions(audience="internal"))
    rows = internal.section("quarterly_indicators").tables[0].rows
    assert next(r for r in rows if r[1] == "Véhicules")[2:5] == [3, 8, -5]


def test_a_partner_cannot_tell_two_small_counts_apart(tmp_path):
    """Two workspaces that differ only in a hidden count (3 or 2 thefts from vehicles this
    quarter) give partners the same PDF text and the same workbook values."""
    outputs = []
    for thefts in (3, 2):
        counts = dict(COUNTS)
        counts[("2025-07-01", "Vol dans / sur véhicule à moteur")] = thefts
        workspace = build_quarterly_workspace(tmp_path / f"w{thefts}.gpkg", counts)
        written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                         BriefOptions(audience="partner"), ["pdf", "xlsx"],
                                         tmp_path / f"out{thefts}")
        book = load_workbook(written.paths["xlsx"])
        outputs.append((_pdf_pages(written.paths["pdf"]),
                        [[c.value for row in sheet.iter_rows() for c in row]
                         for sheet in book.worksheets]))
    assert outputs[0] == outputs[1]


def _pdf_pages(path):
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_partner_pdf_is_short_and_says_working_draft_on_every_page(workspace, tmp_path,
                                                                        language):
    written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                     BriefOptions(audience="partner", language=language),
                                     ["pdf", "xlsx", "html"], tmp_path / "out")
    pages = _pdf_pages(written.paths["pdf"])
    assert len(pages) <= 4
    mark = "Version de travail" if language == "fr" else "Working draft"
    assert all(mark in page for page in pages)
    text = " ".join(pages)
    assert "Marches exploratoires" in text and ("T3 2025" if language == "fr" else "Q3 2025") \
        in text
    assert str(TYPED_VALUE) not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "identifier in the PDF"
    assert not re.search(r"\b[0-9a-f]{32}\b", text), "record id in the PDF"
    if language == "fr":
        for word in ("Priority", "Status", "Lead", "Working", "Difference", "on_track"):
            assert word not in text
    book = load_workbook(written.paths["xlsx"])
    first = book.worksheets[0]
    assert mark in [cell.value for row in first.iter_rows() for cell in row]
    assert all(sheet.oddHeader.center.text == mark for sheet in book.worksheets)
    assert mark in written.paths["html"].read_text(encoding="utf-8")


def test_a_long_plan_stays_within_four_pages_each_marked(workspace, tmp_path):
    store = RecordStore.load(workspace)
    priority = next(r for r in store.records() if isinstance(r, ActionPriority))
    for number in range(14):
        action = Action(title=f"Initiative de quartier n° {number}", owner="Comité",
                        priority_id=priority.record_id, start=dt.date(2025, 7, 1),
                        end=dt.date(2025, 12, 31), indicators=(ActionIndicator(
                            indicator_id="break_and_enter", label="Introductions"),))
        store.add(record_progress(action, "2025-Q3", "delayed",
                                  "Une rencontre reportée à l'automne faute de salle. " * 3))
    store.save(workspace)
    written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                     BriefOptions(audience="partner"), ["pdf"], tmp_path)
    pages = _pdf_pages(written.paths["pdf"])
    assert 2 <= len(pages) <= 4
    assert all("Version de travail" in page for page in pages)


def test_the_internal_pdf_is_not_marked_as_a_draft(workspace, tmp_path):
    written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                     BriefOptions(audience="internal"), ["pdf"], tmp_path)
    pages = _pdf_pages(written.paths["pdf"])
    # Only the cover's approval row says it is not approved; no page carries the mark.
    assert [page.count("Version de travail") for page in pages] == [1] + [0] * (len(pages) - 1)
    partner = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                     BriefOptions(audience="partner"), ["pdf"], tmp_path)
    assert _pdf_pages(partner.paths["pdf"])[0].count("Version de travail") == 2


def test_cli_writes_the_quarterly_report(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["brief", str(workspace.path), "--station", "38", "--kind", "quarterly",
                 "--quarter", "2025-T3", "--format", "pdf,xlsx", "--lang", "fr",
                 "--out", str(out)])
    assert code == 0
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".xlsx"]
    assert all("2025-Q3" in p.name for p in out.iterdir())


@pytest.mark.parametrize("arguments, message", [
    (["--quarter", "2025Q9"], "is not like 2026Q3"),
    ([], "needs --station and --quarter"),
    (["--quarter", "2020Q1"], "No incident data for 2020-Q1"),
    (["--quarter", "2025Q3", "--from", "2025-01-01"], "leave out --from and --to"),
])
def test_cli_explains_a_bad_quarter_without_a_traceback(workspace, tmp_path, capsys,
                                                        arguments, message):
    code = main(["brief", str(workspace.path), "--station", "38", "--kind", "quarterly",
                 "--out", str(tmp_path), *arguments])
    error = capsys.readouterr().err
    assert code == 1 and message in error and "Traceback" not in error


def test_cli_refuses_a_quarter_for_a_portrait_brief(workspace, tmp_path, capsys):
    code = main(["brief", str(workspace.path), "--station", "38", "--quarter", "2025Q3",
                 "--out", str(tmp_path)])
    assert code == 1 and "add --kind quarterly" in capsys.readouterr().err


# --- the app --------------------------------------------------------------------------------
def test_the_app_writes_the_quarterly_report_with_a_click(workspace, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    from ui.quarterly_export import QuarterlyExportDialog
    from ui.strings import UiText

    dialog = QuarterlyExportDialog(workspace, UiText("fr"), "38", None, tmp_path / "out")
    qtbot.addWidget(dialog)
    dialog.show()
    quarters = [dialog.quarter_combo.itemText(i) for i in range(dialog.quarter_combo.count())]
    assert quarters[0] == "T3 2025" and quarters[-1] == "T3 2024" and len(quarters) == 5
    assert dialog.station_combo.currentText() == "PDQ 38"
    qtbot.mouseClick(dialog.format_boxes["html"], Qt.MouseButton.LeftButton)
    assert dialog.formats() == ["pdf", "xlsx", "html"]
    with qtbot.waitSignal(dialog.written, timeout=60_000) as written:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    paths = written.args[0].paths
    assert sorted(paths) == ["html", "pdf", "xlsx"] and all(p.exists() for p in paths.values())
    assert str(paths["pdf"]) in dialog.message.text()
    assert all("Version de travail" in page for page in _pdf_pages(paths["pdf"]))


def test_the_app_says_why_a_quarter_has_no_report(workspace, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    from ui.quarterly_export import QuarterlyExportDialog
    from ui.strings import UiText

    dialog = QuarterlyExportDialog(workspace, UiText("fr"), "38", None, tmp_path / "out")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.quarter_combo.setCurrentIndex(dialog.quarter_combo.findText("T3 2024"))
    failures = []
    dialog.failed.connect(failures.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "n'a pas été produit" in dialog.message.text(), timeout=60_000)
    assert "no action running in 2024-Q3" in dialog.message.text()
    assert failures == [] and not (tmp_path / "out").exists()
    assert dialog.export_button.isEnabled()


def test_the_file_menu_opens_the_quarterly_report_on_the_station_shown(workspace, tmp_path,
                                                                      qtbot):
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, language="fr", settings=settings)
    try:
        window.station_combo.setCurrentIndex(window.station_combo.findText("PDQ 38"))
        action = window.actions_by_id["export_quarterly"]
        assert action.isEnabled() and action.text() == "Bilan &trimestriel du plan d'action…"
        action.trigger()
        dialog = window.quarterly_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.station_combo.currentText() == "PDQ 38"
        assert dialog.quarter_combo.itemText(0) == "T3 2025"
        dialog.reject()
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
