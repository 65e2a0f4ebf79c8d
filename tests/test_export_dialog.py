"""File › Export as an officer uses it: choices, Export, progress, Cancel, and the files,
which are the command line's."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtTest import QTest

from cli.main import main as cli_main
from exports.brief_model import BriefOptions
from exports.briefs import WRITERS, brief_file_name
from exports.map_choices import station_choices
from portrait.workspace import Workspace
from ui import export_job
from ui.export_dialog import ExportDialog
from ui.export_job import EXPORT_KINDS
from ui.strings import UiText

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
FINISH_MS = 60_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def make_dialog(qtbot, workspace: Workspace, settings: QSettings, folder: Path,
                language: str = "fr") -> ExportDialog:
    dialog = ExportDialog(workspace, station_choices(workspace), "38", PERIOD,
                          UiText(language), settings)
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(folder))
    dialog.show()
    return dialog


def click(button) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_export_writes_the_command_lines_files_and_opens_them(qtbot, small_workspace,
                                                               settings, tmp_path) -> None:
    out = tmp_path / "app"
    dialog = make_dialog(qtbot, small_workspace, settings, out)
    assert dialog.station_combo.currentData() == "38"
    assert dialog.period_label.text() == "du 1er janvier 2025 au 31 décembre 2025 " \
                                         "(la période affichée)"
    assert dialog.audience_combo.currentData() == "partner"  # the safe choice first
    assert not dialog.open_pdf_button.isVisible()
    opened: list[QUrl] = []
    dialog.open_url = lambda url: opened.append(url) or True
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS) as done:
        click(dialog.export_button)
        assert dialog.cancel_button.isVisible() and not dialog.export_button.isEnabled()
    options = BriefOptions(audience="partner", language="fr")
    names = {brief_file_name("38", options, ext) for ext in ("pdf", "xlsx", "html")}
    assert {path.name for path in done.args[0]} == names
    assert {path.name for path in out.iterdir()} == names
    assert dialog.status_label.text() == f"3 fichier(s) écrit(s) dans {out}"
    assert not dialog.cancel_button.isVisible() and dialog.export_button.isEnabled()

    click(dialog.open_pdf_button)
    click(dialog.open_folder_button)
    assert [url.toLocalFile() for url in opened] == [
        str(out / brief_file_name("38", options, "pdf")), str(out)]

    cli_out = tmp_path / "cli"
    assert cli_main(["brief", str(small_workspace.path), "--station", "38", "--out",
                     str(cli_out), "--from", "2025-01-01", "--to", "2025-12-31"]) == 0
    assert {path.name for path in cli_out.iterdir()} == names
    workbook = brief_file_name("38", options, "xlsx")
    assert _cells(out / workbook) == _cells(cli_out / workbook)
    assert settings.value("export/folder") == str(out)  # offered again next time


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def test_the_chosen_audience_language_and_formats_are_written(qtbot, small_workspace,
                                                                settings, tmp_path) -> None:
    dialog = make_dialog(qtbot, small_workspace, settings, tmp_path / "out", language="en")
    dialog.audience_combo.setCurrentIndex(dialog.audience_combo.findData("internal"))
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    click(dialog.format_boxes["pdf"])
    click(dialog.format_boxes["html"])
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS) as done:
        click(dialog.export_button)
    options = BriefOptions(audience="internal", language="fr")
    assert [path.name for path in done.args[0]] == [brief_file_name("38", options, "xlsx")]
    assert not dialog.open_pdf_button.isVisible()  # no PDF was asked for


def test_export_needs_a_format_and_a_folder(qtbot, small_workspace, settings, tmp_path) -> None:
    dialog = make_dialog(qtbot, small_workspace, settings, tmp_path)
    for box in dialog.format_boxes.values():
        click(box)
    assert not dialog.export_button.isEnabled()
    assert dialog.status_label.text() == "Cochez au moins un format."
    click(dialog.format_boxes["pdf"])
    assert dialog.export_button.isEnabled() and dialog.status_label.text() == ""
    dialog.folder_edit.clear()
    assert not dialog.export_button.isEnabled()
    assert dialog.status_label.text() == "Choisissez le dossier où écrire les documents."


def test_cancel_stops_the_export_and_keeps_no_file(qtbot, small_workspace, settings,
                                                   tmp_path, monkeypatch) -> None:
    cancelled = threading.Event()
    write = export_job.write_station_briefs

    def write_then_wait(*args, **kwargs):
        result = write(*args, **kwargs)
        cancelled.wait(10)  # the officer clicks Cancel while the next format is due
        return result

    monkeypatch.setattr(export_job, "write_station_briefs", write_then_wait)
    out = tmp_path / "out"
    dialog = make_dialog(qtbot, small_workspace, settings, out)
    click(dialog.export_button)
    qtbot.waitUntil(lambda: out.exists() and any(out.iterdir()), timeout=FINISH_MS)
    click(dialog.cancel_button)
    assert dialog.status_label.text() == "Arrêt de l'export…"
    cancelled.set()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=FINISH_MS)
    assert dialog.status_label.text() == "Export annulé : aucun fichier n'a été gardé."
    assert list(out.iterdir()) == []
    assert not dialog.open_folder_button.isVisible()
    assert dialog.export_button.isEnabled()  # another run may start


def test_an_unwritable_folder_is_said_in_the_dialog_in_french(qtbot, small_workspace,
                                                                settings, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog = make_dialog(qtbot, small_workspace, settings, blocker / "briefs")
    click(dialog.export_button)
    assert not dialog.is_running()
    assert dialog.status_label.text() == (f"Impossible d'écrire dans le dossier "
                                          f"{blocker / 'briefs'} : choisissez-en un autre.")
    assert dialog.error_dialog is None  # a known problem: a sentence, no traceback


def test_a_file_that_cannot_be_written_is_said_in_french(qtbot, small_workspace, settings,
                                                         tmp_path, monkeypatch) -> None:
    def refuse(workspace, brief, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setitem(WRITERS, "pdf", refuse)
    dialog = make_dialog(qtbot, small_workspace, settings, tmp_path / "out")
    click(dialog.export_button)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=FINISH_MS)
    text = dialog.status_label.text()
    assert text.startswith("L'export a échoué : impossible d'écrire ") and ".pdf" in text
    assert "No space" not in text


def test_the_quarterly_report_of_the_period_shown_is_the_command_line_s(
        qtbot, settings, tmp_path) -> None:
    from quarterly_data import build_quarterly_workspace

    workspace = build_quarterly_workspace(tmp_path / "plan.gpkg")
    dialog = ExportDialog(workspace, station_choices(workspace), "38",
                          (dt.date(2024, 10, 1), dt.date(2025, 10, 14)), UiText("fr"),
                          settings)
    qtbot.addWidget(dialog)
    out = tmp_path / "app"
    dialog.folder_edit.setText(str(out))
    dialog.show()
    assert [kind.id for kind in EXPORT_KINDS] == ["brief", "quarterly"]
    assert dialog.kind_combo.isVisible()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("quarterly"))
    assert tuple(dialog.format_boxes[f].isVisible() for f in ("pdf", "xlsx", "html")) == \
        (True, True, False)
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS) as done:
        click(dialog.export_button)
    cli_out = tmp_path / "cli"
    assert cli_main(["brief", str(workspace.path), "--station", "38", "--kind", "quarterly",
                     "--quarter", "2025Q3", "--format", "pdf,xlsx", "--out",
                     str(cli_out)]) == 0
    names = sorted(path.name for path in cli_out.iterdir())
    assert sorted(path.name for path in done.args[0]) == names and len(names) == 2
    workbook = next(name for name in names if name.endswith(".xlsx"))
    assert _cells(out / workbook) == _cells(cli_out / workbook)


@pytest.mark.parametrize(("period", "quarter"), [
    ((dt.date(2024, 10, 1), dt.date(2025, 10, 14)), "2025-Q3"),  # the last whole quarter
    ((dt.date(2025, 1, 1), dt.date(2025, 12, 31)), "2025-Q4"),   # ends on a quarter's end
    ((dt.date(2025, 8, 1), dt.date(2025, 10, 14)), None),       # holds no whole quarter
    (None, None),
])
def test_the_quarter_shown_is_the_last_whole_quarter_of_the_period(period, quarter) -> None:
    shown = export_job.quarter_shown(period)
    assert (shown.label if shown else None) == quarter


def test_closing_the_dialog_lets_the_export_finish(qtbot, small_workspace, settings,
                                                   tmp_path) -> None:
    out = tmp_path / "out"
    dialog = make_dialog(qtbot, small_workspace, settings, out)
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS):
        click(dialog.export_button)
        click(dialog.close_button)
        assert not dialog.isVisible()
    assert len(list(out.iterdir())) == 3


def test_the_french_dialog_shows_no_english_word_and_no_identifier(qtbot, small_workspace,
                                                                    settings, tmp_path) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel

    from ui.string_tables.export_strings import STRINGS

    dialog = make_dialog(qtbot, small_workspace, settings, tmp_path / "out")
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS):
        click(dialog.export_button)
    shown = [dialog.windowTitle()]
    for widget in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        shown.append(widget.text())
    for combo in dialog.findChildren(QComboBox):
        shown += [combo.itemText(i) for i in range(combo.count())]
    english = [en for key, en in STRINGS["en"].items()
               if en != STRINGS["fr"][key] and len(en) > 3 and "{" not in en]
    text = "\n".join(shown).replace(str(tmp_path), "")
    assert [word for word in english if re.search(rf"\b{re.escape(word)}\b", text)] == []
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []  # no snake_case key


def test_a_second_kind_is_one_entry_with_its_own_formats(qtbot, small_workspace, settings,
                                                         tmp_path, monkeypatch) -> None:
    from ui import export_dialog

    written: list = []

    def write_quarterly(request, progress, is_cancelled):
        written.append(request)
        return []

    quarterly = export_job.ExportKind("stand_in", "export_kind_brief", ("pdf",),
                                      write_quarterly)
    monkeypatch.setattr(export_dialog, "EXPORT_KINDS", (*EXPORT_KINDS, quarterly))
    dialog = make_dialog(qtbot, small_workspace, settings, tmp_path / "out")
    assert dialog.kind_combo.isVisible()  # two kinds: the officer chooses
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("stand_in"))
    assert not dialog.format_boxes["xlsx"].isVisible() and dialog.formats() == ("pdf",)
    with qtbot.waitSignal(dialog.exported, timeout=FINISH_MS):
        click(dialog.export_button)
    assert [r.formats for r in written] == [("pdf",)]
