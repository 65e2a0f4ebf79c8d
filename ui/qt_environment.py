"""The process environment Qt WebEngine needs, set before Qt starts.

Chromium reads these variables once, when WebEngine starts: setting them later has no
effect. As root, Chromium refuses to start its sandbox and WebEngine aborts the whole
application, so the sandbox is switched off there. With no display (a server, a CI job),
Qt's offscreen platform still lets the application run and render.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def prepare_qt_environment() -> None:
    """Adjust the environment for WebEngine; call before any QtWebEngine import."""
    if "PySide6.QtWebEngineCore" in sys.modules:
        log.warning("Qt WebEngine was loaded before its environment was prepared; "
                    "sandbox and platform settings may be ignored.")
    _disable_sandbox_for_root()
    _fall_back_to_offscreen()


def _disable_sandbox_for_root() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    if "--no-sandbox" not in flags:
        flags.append("--no-sandbox")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)
    log.warning("Running as root: the Chromium sandbox of the map view is disabled.")


def _fall_back_to_offscreen() -> None:
    if not sys.platform.startswith("linux"):
        return
    if any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        return
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    log.warning("No display (DISPLAY and WAYLAND_DISPLAY are unset): running offscreen, "
                "nothing will be shown on screen.")
