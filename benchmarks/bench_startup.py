"""Cold start of the main window: from a new Python process to the station map loaded.

Each run is a fresh process, so imports, Qt and Chromium start-up are all counted, as when an
officer starts the app. The window is drawn offscreen.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import save

_PROBE = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from ui.qt_environment import prepare_qt_environment
prepare_qt_environment()
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
from ui.main_window import MainWindow
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
app = QApplication(sys.argv[:1])
window = MainWindow(None)
window.show()
shown = time.perf_counter()
def loaded(ok):
    print(f"{shown - started:.3f} {time.perf_counter() - started:.3f} {ok}", flush=True)
    app.quit()
window.map_panel.loadFinished.connect(loaded)
window.open_workspace(Path(sys.argv[1]))
QTimer.singleShot(60_000, app.quit)
app.exec()
"""


def run(workspace: Path, runs: int) -> None:
    if not workspace.exists():
        from demo_city.build import build_demo

        build_demo(workspace.parent, size="default")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    shown, loaded, total = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        output = subprocess.run([sys.executable, "-c", _PROBE, str(workspace)], env=environment,
                                capture_output=True, text=True, timeout=120).stdout.split()
        total.append(time.perf_counter() - start)
        shown.append(float(output[0]))
        loaded.append(float(output[1]))
    save("startup", {
        "workspace": str(workspace),
        "workspace_mb": round(workspace.stat().st_size / 1e6, 2),
        "runs": runs,
        "window_shown_s_median": round(statistics.median(shown), 3),
        "map_loaded_s_median": round(statistics.median(loaded), 3),
        "process_wall_s_median": round(statistics.median(total), 3),
        "map_loaded_s_all": [round(v, 3) for v in loaded],
    })
