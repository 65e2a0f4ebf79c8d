"""The window and the workspace file: it holds the writer's lock while it edits a workspace,
and offers the newest good copy of a damaged one."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from portrait import workspace_lock  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from portrait.workspace_lock import current_holder, lock_path  # noqa: E402
from ui.autosave import autosave_path  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def window(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(None, language="fr", settings=settings)
    main_window.show()
    yield main_window
    main_window._close_confirmed = True
    main_window.close()
    main_window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _another_writer(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "import sys\n"
                           "from portrait.workspace_lock import WorkspaceLock\n"
                           f"WorkspaceLock({str(path)!r})"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_window_holds_the_writers_lock_until_it_closes(window: MainWindow,
                                                           small_workspace: Workspace) -> None:
    path = small_workspace.path
    assert window.open_workspace(path)
    assert current_holder(path).pid == os.getpid()
    refused = _another_writer(path)
    assert refused.returncode != 0 and "is in use by" in refused.stderr
    window._close_confirmed = True
    window.close()
    assert not lock_path(path).exists()
    assert _another_writer(path).returncode == 0


def test_a_damaged_workspace_offers_its_recovery_copy(qtbot, window: MainWindow,
                                                      small_workspace: Workspace) -> None:
    path = small_workspace.path
    shutil.copyfile(path, autosave_path(path))
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 // 4096 * 4096)
        handle.write(os.urandom(8192))
    assert not window.open_workspace(path)
    box = window.prompt
    assert isinstance(box, QMessageBox) and box.objectName() == "damaged_prompt"
    assert "small.gpkg is damaged" in box.text() and str(autosave_path(path)) in box.text()
    button = next(b for b in box.buttons() if b.text() == "Ouvrir la copie")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert window.workspace.path == path and window.workspace.is_modified
    assert window.save_workspace()
    assert len(Workspace.open(path).layer("incidents")) == 200


def test_a_workspace_in_a_read_only_folder_opens_without_the_lock(
        window: MainWindow, small_workspace: Workspace, monkeypatch) -> None:
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(workspace_lock, "open", read_only, raising=False)
    assert window.open_workspace(small_workspace.path), shown
    assert window.workspace.path == small_workspace.path
    assert not lock_path(small_workspace.path).exists()
