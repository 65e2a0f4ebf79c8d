"""People are named: the officer's name and role, set in the preferences, sign record
changes, their history and review comments (not the system user name, "root")."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from portrait.officer import officer_signature, set_officer, system_user  # noqa: E402
from portrait.records import PartnerOrganisation  # noqa: E402
from portrait.review import ReviewSession  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.preferences import Preferences, PreferencesStore  # noqa: E402
from ui.records.history_dialog import HistoryDialog  # noqa: E402

SIGNATURE = "Marie Tremblay (agente sociocommunautaire)"


@pytest.fixture(autouse=True)
def nobody_signed_in():
    yield
    set_officer("")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings):
    main_window = MainWindow(None, language="fr", settings=settings)
    main_window.show()
    yield main_window
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_without_a_name_the_system_user_signs() -> None:
    set_officer("  ", "agente")
    assert officer_signature() == system_user() != ""


def test_the_name_typed_in_the_preferences_signs_records_and_comments(
        qtbot, window: MainWindow, settings: QSettings, small_workspace) -> None:
    dialog = window.open_preferences()
    QTest.keyClicks(dialog.name_edit, "Marie Tremblay")
    QTest.keyClicks(dialog.role_edit, "agente sociocommunautaire")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    stored = PreferencesStore(QSettings(settings.fileName(), QSettings.Format.IniFormat)).load()
    assert (stored.officer_name, stored.officer_role) == ("Marie Tremblay",
                                                          "agente sociocommunautaire")
    settings.sync()
    raw = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert raw.value("preferences/officer_name") == "Marie Tremblay"  # the shared keys
    assert raw.value("preferences/officer_role") == "agente sociocommunautaire"

    window.set_workspace(small_workspace)
    session = window.record_pages.session
    partner = session.add(PartnerOrganisation(name="CLSC des Faubourgs"))
    edited = session.update(partner.record_id, notes="Rencontre le 3 mai")
    assert edited.created_by == edited.updated_by == SIGNATURE
    history = HistoryDialog(edited, window.record_pages.partners.text, window)
    qtbot.addWidget(history)
    assert SIGNATURE in _texts(history)

    small_workspace.save()
    review = ReviewSession(small_workspace.path)
    comment = review.add_comment("section", "crime", "Vérifier la hausse de mai.", "Crime")
    assert comment.author == SIGNATURE


def test_a_new_window_signs_with_the_stored_name(qtbot, settings: QSettings) -> None:
    store = PreferencesStore(settings)
    store.save(Preferences(officer_name="Luc Gagnon", officer_role="commandant"))
    main_window = MainWindow(None, settings=settings)
    try:
        assert officer_signature() == "Luc Gagnon (commandant)"
    finally:
        main_window.close()
        main_window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _texts(dialog: HistoryDialog) -> str:
    cells = [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount())
             for c in range(dialog.table.columnCount()) if dialog.table.item(r, c)]
    return "\n".join([label.text() for label in dialog.findChildren(QLabel)] + cells)
