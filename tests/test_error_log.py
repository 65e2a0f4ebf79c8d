"""Uncaught exceptions (a slot, a timer, a thread) reach the error dialog and the log file."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from ui.error_log import LOG_FILE_NAME, install_error_reporting, state_folder
from ui.strings import UiText


@pytest.fixture
def reporting(qtbot, tmp_path: Path):
    """The reporting ``run_app`` installs, over a window, logging to ``tmp_path``."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    root_handlers = list(logging.getLogger().handlers)
    reporter = install_error_reporting(lambda: UiText("fr"), tmp_path)
    reporter.parent_of = lambda: window
    yield reporter
    reporter.uninstall()
    for handler in logging.getLogger().handlers:
        if handler not in root_handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


def log_text(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (folder / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_the_log_goes_to_the_users_state_folder() -> None:
    if sys.platform.startswith("linux"):
        assert state_folder() == Path(os.environ["XDG_STATE_HOME"]) / "portrait-de-quartier"


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_timer_slot_shows_the_dialog_and_is_logged(qtbot, reporting,
                                                                     tmp_path) -> None:
    def broken_slot() -> None:
        raise RuntimeError("Internal C++ object (PartnerDialog) already deleted.")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: reporting.dialog is not None, timeout=5_000)
    dialog = reporting.dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Erreur inattendue"
    assert dialog.message().startswith("Erreur inattendue (RuntimeError).")
    assert "PartnerDialog" not in dialog.message()  # the technical words stay in details
    assert "broken_slot" in dialog.details() and "Traceback" in dialog.details()
    logged = log_text(tmp_path)
    assert "Uncaught exception" in logged and "broken_slot" in logged


def test_an_exception_ending_a_thread_reaches_the_dialog(qtbot, reporting, tmp_path) -> None:
    def broken_work() -> None:
        raise ValueError("bad value on a worker")

    thread = threading.Thread(target=broken_work, name="worker-test")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporting.dialog is not None, timeout=5_000)
    assert "bad value on a worker" in reporting.dialog.details()
    assert "[worker-test]" in log_text(tmp_path)  # the log names the thread


def test_uninstall_puts_back_the_previous_hooks(qtbot, tmp_path) -> None:
    before = (sys.excepthook, threading.excepthook)
    handlers = list(logging.getLogger().handlers)
    reporter = install_error_reporting(lambda: UiText("en"), tmp_path)
    assert sys.excepthook == reporter.excepthook
    reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    for handler in set(logging.getLogger().handlers) - set(handlers):
        logging.getLogger().removeHandler(handler)
        handler.close()


@pytest.mark.qt_no_exception_capture
def test_a_chart_that_cannot_be_drawn_reaches_the_dialog(qtbot, reporting, tmp_path) -> None:
    from ui.chart_widget import ChartWidget

    def broken_draw(figure) -> None:
        raise KeyError("coverage_1000m")

    chart = ChartWidget(broken_draw, 120)
    qtbot.addWidget(chart)
    chart.resize(400, 120)
    chart.show()
    qtbot.waitUntil(lambda: reporting.dialog is not None, timeout=10_000)
    assert "KeyError" in reporting.dialog.details()
    assert "broken_draw" in reporting.dialog.details()
    assert "Drawing a chart failed" in log_text(tmp_path)
