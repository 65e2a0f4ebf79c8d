"""The problem form's "summary for partners" box: typed by the officer, stored on the card,
and the only text of the card a partner brief prints."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from portrait.records import Location, RecordStore
from portrait.workspace import Workspace
from ui.records.pages import RecordPages
from ui.records.problem_form import ProblemDialog

#: Typed key by key: QTest.keyClicks aborts on accented letters under the offscreen platform.
SUMMARY = "Vols dans les voitures le soir, autour du parc"


def test_the_officer_writes_a_summary_for_partners(qtbot, small_workspace) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    pages = RecordPages(host, "fr")
    pages.set_workspace(small_workspace, False)
    areas = small_workspace.layer("census_areas")
    dialog = pages.new_problem_at(Location.census_area(areas, str(areas["area_id"].iloc[0])))
    dialog.show()
    QTest.mouseClick(dialog.title_edit, Qt.MouseButton.LeftButton)
    QTest.keyClicks(dialog.title_edit, "Vols autour du parc")
    box = dialog.partner_summary_edit
    assert box.placeholderText()  # says what the box is for
    box.setFocus()
    QTest.keyClicks(box, SUMMARY)
    with qtbot.waitSignal(pages.records_changed):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    small_workspace.save()
    [card] = RecordStore.load(Workspace.open(small_workspace.path)).problems()
    assert card.partner_summary == SUMMARY

    reopened = ProblemDialog(dialog.text, pages.session.store, small_workspace, card)
    qtbot.addWidget(reopened)
    assert reopened.partner_summary_edit.toPlainText() == SUMMARY
