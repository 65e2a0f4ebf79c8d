"""Start the desktop application.

Qt is configured in a strict order: the environment for WebEngine first (it is read once, at
start-up), then the OpenGL-sharing attribute WebEngine needs before the QApplication
exists, then the application and its window. That is why Qt modules are imported inside
``run_app`` rather than at the top of this module.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from ui.qt_environment import prepare_qt_environment

log = logging.getLogger(__name__)

APP_NAME = "Portrait de quartier"  # also the QSettings organisation and application name


def keep_startup_objects_from_the_collector() -> None:
    """Take the objects made so far (modules, classes, the window's widgets: they live as long
    as the application) out of the garbage collector's reach.

    A full collection walks every tracked object, holding the interpreter lock: with the
    ~110,000 objects of start-up it paused the window ~150-200 ms whenever it came during a
    station switch; without them, ~60-80 ms. Frozen objects are still freed when no longer
    referenced; only garbage cycles among them would stay, and these objects last until the
    application exits.
    """
    gc.freeze()


def run_app(argv: list[str], workspace_path: Path | None) -> int:
    """Show the main window (on ``workspace_path`` when given) and run until it closes."""
    prepare_qt_environment()
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from ui.error_log import install_error_reporting
    from ui.main_window import MainWindow
    from ui.preferences import APPLICATION, ORGANISATION
    from ui.tile_source import register_tile_scheme

    register_tile_scheme()  # before the QApplication, or Qt ignores the scheme's handler
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)

    window = MainWindow(None)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    reporter = install_error_reporting(lambda: window.text)
    window.show()
    keep_startup_objects_from_the_collector()
    if workspace_path is not None:
        window.open_workspace(Path(workspace_path))
    try:
        code = app.exec()
    finally:
        reporter.uninstall()
    # The web page must go before WebEngine's profile, which Qt releases at exit.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code
