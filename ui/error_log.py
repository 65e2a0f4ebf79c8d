"""No exception vanishes: every uncaught one reaches the error dialog and the log file.

An exception raised in a slot, a timer or a thread used to be printed to a terminal the
officer never sees, and the window went on half updated (a language switch stopped halfway,
a map that no longer refreshed). ``install_error_reporting`` sends them to one place:
logged in full, with the traceback, to ``portrait.log`` in the user's state folder, and
shown as "Unexpected error" with the details one click away (``ui.error_dialog``). Qt's own
warnings go to the same file.

It is installed by ``ui.app.run_app``, not by the window: under pytest, pytest-qt installs
its own hook, which turns such an exception into a failed test.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from ui.error_dialog import ErrorDialog, show_error
from ui.strings import UiText

log = logging.getLogger(__name__)

APP_DIR_NAME = "portrait-de-quartier"
LOG_FILE_NAME = "portrait.log"
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def state_folder() -> Path:
    """The per-user folder for logs (XDG state on Linux, local AppData on Windows, Logs on
    macOS): not the data folder, which the officer may back up or share."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Logs"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / APP_DIR_NAME


def install_log_file(folder: Path | None = None) -> Path:
    """Log the application's messages to ``folder/portrait.log`` (a few rotated files, so a
    long-running station computer never fills its disk); the path written to."""
    path = (folder or state_folder()) / LOG_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                      encoding="utf-8")
        handler.setFormatter(logging.Formatter(_LOG_FORMAT))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
    return path


class ErrorReporter(QObject):
    """Receives uncaught exceptions from any thread and shows them on the GUI thread.

    ``text`` gives the words of the moment (the window's language may change);
    ``parent_of`` the widget the dialog opens over.
    """

    _raised = Signal(object)

    def __init__(self, text: Callable[[], UiText], parent_of: Callable[[], QWidget | None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.text = text
        self.parent_of = parent_of
        self.dialog: ErrorDialog | None = None
        self._showing = False
        self._previous: tuple | None = None
        self._raised.connect(self._show)

    def install(self) -> None:
        """Become the hook of uncaught exceptions and the handler of Qt's messages."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        qInstallMessageHandler(_qt_message)

    def uninstall(self) -> None:
        """Put back the hooks found by ``install`` (the application has quit)."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            qInstallMessageHandler(None)
            self._previous = None

    def excepthook(self, kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        """``sys.excepthook``: log, then show (queued when called off the GUI thread)."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("Uncaught exception", exc_info=(kind, error, trace))
        self._raised.emit(error.with_traceback(trace))

    def thread_excepthook(self, arguments: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: an exception that ended a Python thread."""
        if arguments.exc_value is not None:
            self.excepthook(arguments.exc_type, arguments.exc_value, arguments.exc_traceback)

    @Slot(object)
    def _show(self, error: BaseException) -> None:
        if self._showing:  # an error while showing an error: the log has it already
            return
        self._showing = True
        try:
            text = self.text()
            self.dialog = show_error(self.parent_of(), text("error_unexpected_title"), error,
                                     text)
        finally:
            self._showing = False


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s (%s:%s)", message,
                                context.file, context.line)


def install_error_reporting(text: Callable[[], UiText],
                            log_folder: Path | None = None) -> ErrorReporter:
    """Send uncaught exceptions (GUI thread, slots, timers, Python threads) to the error
    dialog and the log file, and Qt's messages to the log file."""
    install_log_file(log_folder)
    reporter = ErrorReporter(text, QApplication.activeWindow, QApplication.instance())
    reporter.install()
    return reporter
