"""Window comforts (pytest-qt, offscreen): shortcuts, recent files, unsaved-changes prompt,
autosave and recovery, remembered layout, status bar, drag and drop, review mode, and a
language switch that leaves no word of the other language behind."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QMimeData, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from exports.map_choices import indicator_choices  # noqa: E402
from portrait.review import ReadOnlyError, review_items  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.autosave import autosave_path  # noqa: E402
from ui.import_wizard import ImportWizard  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.preferences import PreferencesDialog  # noqa: E402
from ui.recent_files import RecentFiles  # noqa: E402
from ui.strings import UI_STRINGS, UiText  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LOAD_TIMEOUT_MS = 30_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, settings: QSettings):
    """Windows made by the test, deleted at the end even if a prompt kept them open."""
    made: list[MainWindow] = []

    def make(workspace: Workspace | None, language: str = "fr",
             wait_for_map: bool = True) -> MainWindow:
        window = MainWindow(workspace, language=language, settings=settings)
        made.append(window)
        if workspace is not None and wait_for_map:
            with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
                window.show()
        else:
            window.show()
        return window

    yield make
    for window in made:
        try:
            window._close_confirmed = True
            window.close()
            window.deleteLater()
        except RuntimeError:  # already deleted
            pass
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def click_prompt_button(qtbot, window: MainWindow, text: str) -> None:
    box = window.prompt
    assert isinstance(box, QMessageBox) and box.isVisible()
    button = next(b for b in box.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)


def layer_frames(path: Path, skip: str = "records") -> dict[str, pd.DataFrame]:
    names = [n for n, _ in pyogrio.list_layers(path) if n not in (skip, "portrait_metadata")]
    return {name: pyogrio.read_dataframe(path, layer=name) for name in names}


# --- shortcuts, recent files, layout, status bar ------------------------------------------
def test_every_action_has_its_shortcut(open_window) -> None:
    window = open_window(None)
    shortcuts = {key: action.shortcut() for key, action in window.actions_by_id.items()}
    expected = {"open": "Ctrl+O", "save": "Ctrl+S", "import": "Ctrl+I",
                "preferences": "Ctrl+,", "quit": "Ctrl+Q", "open_review": "Ctrl+R",
                "new": "Ctrl+N"}
    for key, sequence in expected.items():
        assert shortcuts[key] == QKeySequence(sequence), key
    assert all(not sequence.isEmpty() for sequence in shortcuts.values())
    assert len({s.toString() for s in shortcuts.values()}) == len(shortcuts)  # no clashes
    assert not window.actions_by_id["import"].isEnabled()  # no workspace yet
    assert not window.actions_by_id["save"].isEnabled()


def test_recent_files_keep_eight_existing_files_newest_first(tmp_path: Path,
                                                             settings: QSettings) -> None:
    recent = RecentFiles(settings)
    paths = []
    for number in range(10):
        path = tmp_path / f"quartier{number}.gpkg"
        path.write_bytes(b"x")
        paths.append(path)
        recent.add(path)
    assert recent.paths() == list(reversed(paths))[:8]
    paths[8].unlink()
    recent.add(paths[5])
    assert recent.paths()[:3] == [paths[5], paths[9], paths[7]]
    assert paths[8] not in recent.paths() and len(recent.paths()) == 7
    assert RecentFiles(settings).paths() == recent.paths()  # stored, pruned


def test_opened_workspaces_appear_in_file_recent(qtbot, open_window, small_workspace,
                                                 tmp_path) -> None:
    window = open_window(None)
    other = Workspace.create(tmp_path / "autre.gpkg", title="Autre")
    assert window.open_workspace(other.path)
    assert window.open_workspace(small_workspace.path)
    window.recent_menu.aboutToShow.emit()
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries == ["&1 small.gpkg", "&2 autre.gpkg"]
    assert window.recent_menu.title() == "Fichiers &récents"
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        pass
    window.recent_menu.actions()[1].trigger()
    assert window.workspace.title == "Autre"


def test_window_geometry_and_docks_are_remembered(qtbot, open_window) -> None:
    # (the offscreen screen is 800 x 800: restored windows are kept inside it)
    first = open_window(None)
    first.resize(720, 530)
    first.close()
    second = open_window(None)
    assert (second.width(), second.height()) == (720, 530)
    assert not second.review_dock.isVisible()
    second.actions_by_id["review_panel"].trigger()
    second.close()
    third = open_window(None)
    assert third.review_dock.isVisible()
    assert third.actions_by_id["review_panel"].isChecked()


def test_status_bar_shows_the_path_and_short_data_vintages(open_window,
                                                           small_workspace) -> None:
    window = open_window(small_workspace, wait_for_map=False)
    assert window.path_label.text() == str(small_workspace.path)
    assert window.vintage_label.text() == "Recensement 2021"
    assert "Valeurs du recensement : 2021" in window.vintage_label.toolTip()
    reports = pd.DataFrame([{"report_id": "r1", "imported_at": "2026-05-03T14:00:00+00:00",
                             "reader": "spvm-incidents", "source_path": "/x/actes-2025.csv",
                             "layer": "incidents", "rows_read": 10, "rows_kept": 9},
                            {"report_id": "r2", "imported_at": "2026-06-01T09:00:00+00:00",
                             "reader": "service-inventory", "source_path": "/x/repertoire.csv",
                             "layer": "services", "rows_read": 5, "rows_kept": 5}])
    small_workspace.set_layer("import_reports", reports)
    window.retranslate("fr")
    assert window.vintage_label.text() == ("Recensement 2021 · 2 couche(s) importée(s), la "
                                           "plus récente le 1er juin 2026")
    tip = window.vintage_label.toolTip()
    assert "incidents : actes-2025.csv, importé le 3 mai 2026" in tip
    assert "services communautaires : repertoire.csv, importé le 1er juin 2026" in tip


# --- unsaved changes, autosave, recovery -----------------------------------------------------
def test_closing_with_unsaved_changes_asks_save_discard_or_cancel(qtbot, open_window,
                                                                  small_workspace,
                                                                  tmp_path) -> None:
    window = open_window(small_workspace, wait_for_map=False)
    small_workspace.set_metadata("title", "Titre modifié")
    window.close()
    assert window.isVisible()  # waiting for the answer
    assert "« Quartier d'essai »" not in window.prompt.text()  # the title shown is the new one
    click_prompt_button(qtbot, window, "Annuler")
    assert window.isVisible() and small_workspace.is_modified

    other = Workspace.create(tmp_path / "autre.gpkg", title="Autre")
    window.open_recent(other.path)  # opening another file asks too
    click_prompt_button(qtbot, window, "Enregistrer")
    assert Workspace.open(small_workspace.path).title == "Titre modifié"
    assert window.workspace.title == "Autre"

    window.workspace.set_metadata("title", "Jamais enregistré")
    before = other.path.read_bytes()
    window.close()
    click_prompt_button(qtbot, window, "Ne pas enregistrer")
    assert not window.isVisible()
    assert other.path.read_bytes() == before


def test_autosave_writes_a_recovery_copy_and_never_the_file(qtbot, open_window,
                                                            small_workspace) -> None:
    path = small_workspace.path
    original = path.read_bytes()
    # The first map drawn first: its status messages would otherwise replace the autosave's.
    window = open_window(small_workspace)
    assert not window.autosave_now()  # nothing to save
    incidents = small_workspace.layer("incidents")
    small_workspace.set_layer("incidents", incidents.head(50))
    assert window.autosave_now()
    qtbot.waitUntil(lambda: not window._autosaving, timeout=LOAD_TIMEOUT_MS)
    sidecar = autosave_path(path)
    assert sidecar.name == ".small.autosave.gpkg" and sidecar.is_file()
    assert path.read_bytes() == original
    assert small_workspace.path == path and small_workspace.is_modified
    assert "Copie de secours enregistrée" in window.statusBar().currentMessage()
    assert len(Workspace.open(sidecar).layer("incidents")) == 50

    # As after a crash: opening the file offers the newer recovery copy.
    assert window.open_workspace(path)
    assert window.prompt.objectName() == "recovery_prompt"
    click_prompt_button(qtbot, window, "Récupérer")
    recovered = window.workspace
    assert recovered.path == path and recovered.is_modified
    assert len(recovered.layer("incidents")) == 50
    assert path.read_bytes() == original
    assert window.save_workspace()
    assert len(Workspace.open(path).layer("incidents")) == 50
    assert not sidecar.exists()


# --- drag and drop --------------------------------------------------------------------------
def drop(window: MainWindow, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    return True


def test_dropping_a_data_file_opens_the_import_wizard_on_it(qtbot, open_window,
                                                            small_workspace, demo_files,
                                                            tmp_path) -> None:
    window = open_window(small_workspace, wait_for_map=False)
    assert drop(window, demo_files.incidents)
    wizard = window.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    assert wizard.file_page.path() == demo_files.incidents
    qtbot.waitUntil(lambda: wizard.file_page.is_complete(), timeout=LOAD_TIMEOUT_MS)
    assert wizard.file_page.reader().id == "spvm-incidents"
    wizard.reject()
    qtbot.waitUntil(lambda: window.import_wizard is None, timeout=5_000)
    other = Workspace.create(tmp_path / "depose.gpkg", title="Déposé")
    assert drop(window, other.path)  # a workspace file is opened, not imported
    assert window.workspace.title == "Déposé" and window.import_wizard is None


# --- review mode ----------------------------------------------------------------------------
def test_review_mode_is_read_only_but_saves_comments(qtbot, open_window, small_workspace,
                                                     demo_files) -> None:
    path = small_workspace.path
    before = layer_frames(path)
    window = open_window(None)
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        assert window.open_for_review(path)
    assert window.in_review_mode()
    assert window.banner.isVisible() and window.banner.text().startswith(
        "Lecture seule — révision")
    assert window.windowTitle().endswith("(révision)")
    assert not window.actions_by_id["import"].isEnabled()
    assert not window.actions_by_id["save"].isEnabled()
    assert window.actions_by_id["open"].isEnabled()
    assert window.review_dock.isVisible()
    assert not window.save_workspace()  # a direct attempt is refused...
    assert "lecture seule" in window.statusBar().currentMessage()
    assert window.open_import_wizard(demo_files.incidents) is None
    assert not drop(window, demo_files.incidents) or window.import_wizard is None
    with pytest.raises(ReadOnlyError):  # ...and so is one on the data themselves
        window.workspace.set_layer("incidents", window.workspace.layer("incidents").head(1))

    panel = window.review_panel
    assert panel.section_label.text() == "Section : PDQ 4 — Taux de faible revenu (MFR-ApI)"
    assert not panel.add_button.isEnabled()
    panel.comment_edit.setPlainText("Les incidents de nuit semblent sous-estimés.")
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(panel.mark_button, Qt.MouseButton.LeftButton)
    assert panel.comment_edit.toPlainText() == ""
    assert panel.status_label.text().startswith("✔ Révisée par ")
    assert panel.list.count() == 2
    assert "sous-estimés" in panel.list.item(1).text()
    assert panel.list.item(0).text().endswith("Section marquée comme révisée")
    qtbot.wait(300)
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "review_mode_window.png"))
    window.review_dock.grab().save(str(ARTIFACTS / "review_panel.png"))

    items = review_items(Workspace.open(path).layer("records"))
    assert [i.kind for i in items] == ["review_comment", "review_mark"]
    assert {i.target_id for i in items} == {"map/4/low_income_rate"}
    after = layer_frames(path)
    assert before.keys() == after.keys()
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, obj=name)

    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    assert panel.status_label.text() == "Pas encore marquée comme révisée."


def test_comments_are_listed_outside_review_mode(open_window, small_workspace) -> None:
    from portrait.review import ReviewSession

    ReviewSession(small_workspace.path, author="cmdt").add_comment(
        "section", "map/4/low_income_rate", "À revoir", "PDQ 4")
    window = open_window(Workspace.open(small_workspace.path), wait_for_map=False)
    assert not window.in_review_mode() and not window.banner.isVisible()
    window.actions_by_id["review_panel"].trigger()
    panel = window.review_panel
    assert panel.list.count() == 1 and "À revoir" in panel.list.item(0).text()
    assert not panel.add_button.isVisible() and not panel.comment_edit.isVisible()


# --- language -------------------------------------------------------------------------------
def other_language_patterns(language: str) -> list[re.Pattern[str]]:
    """Patterns of the strings of the other language that differ from ``language``'s."""
    other = "en" if language == "fr" else "fr"
    patterns = []
    for key, template in UI_STRINGS[other].items():
        if template == UI_STRINGS[language][key]:
            continue  # the same in both languages ("OK", "Portrait de quartier")
        parts = re.split(r"\{[^}]*\}", template)
        if sum(ch.isalpha() for part in parts for ch in part) < 4:
            continue  # too short to tell the languages apart ("{field}:")
        patterns.append(re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL))
    return patterns


def shown_texts(root: QWidget) -> list[str]:
    """Every text of the widget tree a person can read: labels, buttons, menus, actions,
    group boxes, window and dock titles, tooltips, placeholders, list items.

    Hidden widgets count too (a menu is hidden until opened), except inside the map panel,
    whose message label keeps its last sentence while the map covers it and is always given
    a new one before it is shown again.
    """
    texts = [root.windowTitle(), root.toolTip()]
    map_panel = getattr(root, "map_panel", None)
    for widget in root.findChildren(QWidget):
        if map_panel is not None and map_panel.isAncestorOf(widget) and \
                not widget.isVisibleTo(root):
            continue
        texts += [widget.toolTip(), widget.statusTip(), widget.whatsThis()]
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        if isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QMenu):
            texts.append(widget.title())
        if isinstance(widget, QDockWidget):
            texts.append(widget.windowTitle())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
    for action in root.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    return [t for t in texts if t]


def leftovers(root: QWidget, language: str) -> list[str]:
    patterns = other_language_patterns(language)
    return [text for text in shown_texts(root)
            if any(pattern.fullmatch(text) for pattern in patterns)]


def test_switching_language_leaves_no_word_of_the_other_one(qtbot, open_window,
                                                            small_workspace) -> None:
    window = open_window(None, language="en")
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
        window.open_for_review(small_workspace.path)  # banner and review panel included
    window.recent_menu.aboutToShow.emit()
    english = shown_texts(window)
    assert "&File" in english and "Neighbourhood station:" in english  # the walk sees them
    assert leftovers(window, "en") == []
    for language, expected in (("fr", "&Fichier"), ("en", "&File"), ("fr", "&Fichier")):
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=LOAD_TIMEOUT_MS):
            window.retranslate(language)
        window.recent_menu.aboutToShow.emit()
        assert expected in shown_texts(window)
        assert leftovers(window, language) == [], language
        labels = {c.id: c.label for c in indicator_choices(language)}
        assert window.indicator_combo.currentText() == labels["low_income_rate"]
    assert window.review_panel.add_button.text() == "Ajouter le commentaire"
    planted = QLabel(UI_STRINGS["en"]["review_add"], window.review_panel)  # the check works
    assert leftovers(window, "fr") == ["Add the comment"]
    planted.deleteLater()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dialogs_speak_one_language(qtbot, small_workspace, demo_files, language) -> None:
    from ui.preferences import Preferences

    text = UiText(language)
    wizard = ImportWizard(small_workspace, text, demo_files.incidents)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.file_page.is_complete(), timeout=LOAD_TIMEOUT_MS)
    dialog = PreferencesDialog(Preferences.defaults(), text)
    qtbot.addWidget(dialog)
    dialog.crs_edit.setText("EPSG:4326")
    for root in (wizard, dialog):
        assert leftovers(root, language) == [], type(root).__name__
