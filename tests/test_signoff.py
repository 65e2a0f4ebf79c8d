"""The commander's sign-off: approvals stored in the workspace and bound to the exact content
approved, "Version de travail" on unapproved partner briefs, the approval line on approved
ones, review comments in internal briefs, ``portrait approve``, the review panel's button
(clicked with the mouse) and the name and role in the preferences."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from pypdf import PdfReader
from quarterly_data import build_quarterly_workspace

from cli.main import main
from exports.brief_build import workspace_records
from exports.brief_model import BriefOptions
from exports.brief_signoff import approve
from exports.briefs import write_quarterly_briefs, write_station_briefs
from portrait.engine import build_portrait, prepare
from portrait.errors import PortraitError
from portrait.layers import RECORDS
from portrait.quarterly_report import build_quarterly_report
from portrait.quarters import Quarter
from portrait.records import RecordStore
from portrait.review import ReviewSession, map_section_id
from portrait.signoff import (
    APPROVAL,
    approval_for,
    approvals,
    content_digest,
    new_approval,
    portrait_content,
)
from portrait.workspace import Workspace

PERIOD = ("2025-01-01", "2025-09-30")
Q3 = Quarter(2025, 3)
DRAFT = "Version de travail"


@pytest.fixture
def path(tmp_path):
    return build_quarterly_workspace(tmp_path / "plan.gpkg").path


def _portrait(workspace, period=PERIOD):
    return build_portrait(prepare(workspace), "38", period)


def _content(workspace, period=PERIOD):
    return portrait_content(_portrait(workspace, period), workspace_records(workspace, "38"))


def _pages(pdf):
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _partner_pdf(path, out, language="fr"):
    workspace = Workspace.open(path)
    written = write_station_briefs(workspace, prepare(workspace), "38",
                                   BriefOptions(audience="partner", language=language),
                                   ["pdf", "xlsx", "html"], out, PERIOD)
    return written.paths


def test_the_digest_ignores_when_the_portrait_was_computed_but_not_what_it_says(path):
    workspace = Workspace.open(path)
    portrait = _portrait(workspace)
    records = workspace_records(workspace, "38")
    digest = content_digest(portrait_content(portrait, records))
    later = dataclasses.replace(portrait, generated_at="2030-01-01T00:00:00+00:00")
    assert content_digest(portrait_content(later, records)) == digest
    assert content_digest(portrait_content(portrait, records[:-1])) != digest
    assert content_digest(_content(workspace, ("2025-01-01", "2025-08-31"))) != digest


def test_an_approval_records_who_when_what_and_the_digest(path):
    workspace = Workspace.open(path)
    approval = approve(path, "38", "portrait", " – ".join(PERIOD), _content(workspace),
                       "Marie Tremblay", "commandante")
    rows = Workspace.open(path).layer(RECORDS.name)
    row = rows.loc[rows["kind"] == APPROVAL].iloc[0]
    payload = json.loads(row["payload"])
    assert payload["approver"] == "Marie Tremblay" and payload["role"] == "commandante"
    assert payload["station_id"] == "38" and payload["brief_kind"] == "portrait"
    assert payload["digest"] == content_digest(_content(workspace)) == approval.digest
    assert payload["approved_at"].startswith(approval.approved_at[:10])
    # The officer's records are still all there and readable.
    assert len(RecordStore.load(Workspace.open(path)).records()) == \
        len(RecordStore.load(workspace).records())


def test_an_approval_needs_a_name_and_a_known_kind():
    with pytest.raises(PortraitError, match="Preferences"):
        new_approval("  ", "", "38", "portrait", "", "abc")
    with pytest.raises(PortraitError, match="Unknown kind of brief"):
        new_approval("Marie", "", "38", "annual", "", "abc")


def test_approvals_apply_to_their_station_kind_and_content_only():
    items = [new_approval("A", "", "38", "portrait", "p", "d1", "2026-01-01T10:00:00+00:00"),
             new_approval("B", "", "38", "portrait", "p", "d1", "2026-02-01T10:00:00+00:00"),
             new_approval("C", "", "4", "portrait", "p", "d2", "2026-03-01T10:00:00+00:00")]
    assert approval_for(items, "38", "portrait", "d1").approver == "B"  # the latest
    assert approval_for(items, "38", "portrait", "d2") is None
    assert approval_for(items, "38", "quarterly", "d1") is None
    assert approval_for(items, "4", "portrait", "d2").approver == "C"


def test_a_damaged_approval_row_hides_nothing_else():
    good = new_approval("Marie", "", "38", "portrait", "p", "d")
    rows = pd.DataFrame({"record_id": ["x", good.record_id], "kind": [APPROVAL, APPROVAL],
                         "payload": ["{not json", good.payload()]})
    assert approvals(rows) == [good]


def test_an_unapproved_partner_brief_is_a_working_draft_on_every_page(path, tmp_path):
    paths = _partner_pdf(path, tmp_path)
    pages = _pages(paths["pdf"])
    assert len(pages) > 3 and all(DRAFT in page for page in pages)
    assert DRAFT in paths["html"].read_text(encoding="utf-8")
    book = load_workbook(paths["xlsx"])
    assert DRAFT in [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert all(sheet.oddHeader.center.text == DRAFT for sheet in book.worksheets)


def test_an_approved_brief_prints_the_approval_and_no_draft_mark(path, tmp_path):
    approve(path, "38", "portrait", " – ".join(PERIOD), _content(Workspace.open(path)),
            "Marie Tremblay", "commandante")
    paths = _partner_pdf(path, tmp_path)
    pages = _pages(paths["pdf"])
    assert not any(DRAFT in page for page in pages)
    assert "Approuvé par Marie Tremblay (commandante) le" in pages[0].replace("\n", " ")
    assert DRAFT not in paths["html"].read_text(encoding="utf-8")
    english = _pages(_partner_pdf(path, tmp_path / "en", "en")["pdf"])
    assert "Approved by Marie Tremblay (commandante) on" in english[0].replace("\n", " ")
    assert not any("Working draft" in page for page in english)


def test_new_data_after_the_approval_makes_the_brief_a_draft_again(path, tmp_path):
    approve(path, "38", "portrait", " – ".join(PERIOD), _content(Workspace.open(path)),
            "Marie Tremblay", "commandante")
    workspace = Workspace.open(path)
    incidents = workspace.layer("incidents")
    extra = incidents.iloc[[0]].copy()
    extra["source_id"] = "late-import"
    extra["date"] = pd.Timestamp("2025-08-15")
    extra["geometry"] = [shapely.Point(296_000, 5_041_000)]
    workspace.set_layer("incidents", pd.concat([incidents, extra], ignore_index=True))
    workspace.save()
    assert all(DRAFT in page for page in _pages(_partner_pdf(path, tmp_path)["pdf"]))


def test_an_edited_record_after_the_approval_makes_the_quarterly_report_a_draft_again(
        path, tmp_path):
    workspace = Workspace.open(path)
    data = prepare(workspace)
    report = build_quarterly_report(data, "38", Q3, workspace_records(workspace, "38"),
                                    shareable_only=False)
    assert main(["approve", str(path), "--station", "38", "--by", "Marie Tremblay",
                 "--role", "commandante", "--kind", "quarterly", "--quarter", "2025Q3"]) == 0
    assert approvals(Workspace.open(path).layer(RECORDS.name))[0].digest == \
        content_digest(report.content())
    options = BriefOptions(audience="partner")
    workspace = Workspace.open(path)
    written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3, options,
                                     ["pdf"], tmp_path / "approved")
    pages = _pages(written.paths["pdf"])
    assert not any(DRAFT in page for page in pages)
    assert "Approuvé par Marie Tremblay" in pages[0]
    # The internal version of the same content is approved too (one approval, both).
    internal = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                      BriefOptions(audience="internal"), ["pdf"],
                                      tmp_path / "internal")
    assert "Approuvé par Marie Tremblay" in _pages(internal.paths["pdf"])[0]
    store = RecordStore.load(workspace)
    action = next(r for r in store.records() if r.display_name == "Marches exploratoires")
    store.update(action.record_id, owner="Comité de quartier")
    store.save(workspace)
    workspace.save()
    workspace = Workspace.open(path)
    written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3, options,
                                     ["pdf"], tmp_path / "edited")
    assert all(DRAFT in page for page in _pages(written.paths["pdf"]))


def test_cli_approve_then_brief_prints_the_approval(path, tmp_path, capsys):
    assert main(["approve", str(path), "--station", "38", "--by", "Marie Tremblay",
                 "--from", PERIOD[0], "--to", PERIOD[1]]) == 0
    assert "approved by Marie Tremblay" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["brief", str(path), "--station", "38", "--format", "pdf", "--from",
                 PERIOD[0], "--to", PERIOD[1], "--out", str(out)]) == 0
    pdf = next(out.glob("*.pdf"))
    pages = _pages(pdf)
    assert "Approuvé par Marie Tremblay le" in pages[0] and DRAFT not in pages[1]


def test_internal_briefs_carry_the_review_comments_partner_briefs_do_not(path, tmp_path):
    workspace = Workspace.open(path)
    before = write_station_briefs(workspace, prepare(workspace), "38",
                                  BriefOptions(audience="internal"), ["xlsx"],
                                  tmp_path / "before", PERIOD)
    assert "Commentaires de révision" not in load_workbook(before.paths["xlsx"]).sheetnames
    session = ReviewSession(path, author="cmdt.tremblay")
    session.add_comment("section", map_section_id("38", "low_income_rate"),
                        "Vérifier la hausse des introductions.", "PDQ 38 — Faible revenu")
    session.add_comment("section", map_section_id("4", "low_income_rate"),
                        "Commentaire sur un autre poste.", "PDQ 4 — Faible revenu")
    workspace = Workspace.open(path)
    data = prepare(workspace)
    internal = write_station_briefs(workspace, data, "38", BriefOptions(audience="internal"),
                                    ["xlsx"], tmp_path / "internal", PERIOD)
    book = load_workbook(internal.paths["xlsx"])
    assert "Commentaires de révision" in book.sheetnames
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "Vérifier la hausse des introductions." in cells
    assert "Commentaire sur un autre poste." not in cells
    partner = write_station_briefs(workspace, data, "38", BriefOptions(audience="partner"),
                                   ["xlsx"], tmp_path / "partner", PERIOD)
    cells = [c.value for sheet in load_workbook(partner.paths["xlsx"]).worksheets
             for row in sheet.iter_rows() for c in row]
    assert "Vérifier la hausse des introductions." not in cells


def test_the_internal_quarterly_report_carries_comments_on_its_actions(path, tmp_path):
    workspace = Workspace.open(path)
    action = next(r for r in workspace_records(workspace, "38")
                  if r.display_name == "Marches exploratoires")
    ReviewSession(path).add_comment("action", action.record_id, "Ajouter une marche de nuit.",
                                    action.display_name)
    workspace = Workspace.open(path)
    outputs = {}
    for audience in ("internal", "partner"):
        written = write_quarterly_briefs(workspace, prepare(workspace), "38", Q3,
                                         BriefOptions(audience=audience), ["pdf"],
                                         tmp_path / audience)
        outputs[audience] = " ".join(_pages(written.paths["pdf"]))
    assert "Ajouter une marche de nuit." in outputs["internal"]
    assert "Commentaires de révision" in outputs["internal"]
    assert "Ajouter une marche de nuit." not in outputs["partner"]


# --- the app --------------------------------------------------------------------------------
def test_the_review_panel_approves_the_station_brief_with_a_click(path, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    from ui.review import ReviewPanel
    from ui.strings import UiText

    session = ReviewSession(path)
    panel = ReviewPanel(UiText("fr"))
    qtbot.addWidget(panel)
    panel.set_source(session.workspace, session)
    panel.set_brief(_portrait(session.workspace))
    panel.show()
    qtbot.waitUntil(lambda: panel.approval_label.text() != "", timeout=20_000)
    assert not panel.approve_button.isEnabled()  # no name in the preferences yet
    assert "Préférences" in panel.approval_label.text()
    panel.set_approver("Marie Tremblay", "commandante")
    assert panel.approve_button.isEnabled()
    assert panel.approval_label.text().startswith(DRAFT)
    with qtbot.waitSignal(panel.saved, timeout=20_000):
        qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert "approuvé par Marie Tremblay (commandante)" in panel.approval_label.text()
    stored = approvals(Workspace.open(path).layer(RECORDS.name))
    assert [(a.approver, a.role, a.station_id, a.brief_kind) for a in stored] == \
        [("Marie Tremblay", "commandante", "38", "portrait")]
    # What the commander approved in the app is what the briefs find.
    assert not any(DRAFT in page for page in _pages(_partner_pdf(path, tmp_path)["pdf"]))


def test_the_name_and_role_are_preferences(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from ui.preferences import Preferences, PreferencesDialog, PreferencesStore
    from ui.strings import UiText

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = PreferencesDialog(Preferences(), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.name_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_edit, "Marie Tremblay")
    qtbot.mouseClick(dialog.role_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.role_edit, "commandante")
    chosen = dialog.preferences()
    assert (chosen.officer_name, chosen.officer_role) == ("Marie Tremblay", "commandante")
    PreferencesStore(settings).save(chosen)
    reread = PreferencesStore(QSettings(settings.fileName(), QSettings.Format.IniFormat)).load()
    assert (reread.officer_name, reread.officer_role) == ("Marie Tremblay", "commandante")


def test_the_commander_approves_a_quarterly_report_in_review_mode(path, tmp_path, qtbot):
    from PySide6.QtCore import Qt

    from ui.quarterly_export import QuarterlyExportDialog
    from ui.strings import UiText

    session = ReviewSession(path)
    unsigned = QuarterlyExportDialog(session.workspace, UiText("fr"), "38", None, tmp_path,
                                     session=session)
    qtbot.addWidget(unsigned)
    assert not unsigned.approve_button.isEnabled()
    assert "Préférences" in unsigned.message.text()
    editing = QuarterlyExportDialog(Workspace.open(path), UiText("fr"), "38", None, tmp_path)
    qtbot.addWidget(editing)
    editing.show()
    assert not editing.approve_button.isVisible()  # only the commander, in review mode

    dialog = QuarterlyExportDialog(session.workspace, UiText("fr"), "38", None,
                                   tmp_path / "out", session=session,
                                   approver=("Marie Tremblay", "commandante"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.quarter_combo.currentText() == "T3 2025"
    with qtbot.waitSignal(dialog.approved, timeout=30_000):
        qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert "Bilan approuvé par Marie Tremblay (commandante)" in dialog.message.text()
    stored = approvals(Workspace.open(path).layer(RECORDS.name))
    assert [(a.brief_kind, a.period, a.approver) for a in stored] == \
        [("quarterly", "2025-Q3", "Marie Tremblay")]
    with qtbot.waitSignal(dialog.written, timeout=60_000) as written:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    pages = _pages(written.args[0].paths["pdf"])
    assert not any(DRAFT in page for page in pages)
    assert "Approuvé par Marie Tremblay (commandante)" in pages[0]
