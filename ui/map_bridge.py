"""The map page talking to the window: clicks and the officer's view reach Python slots.

The page is written to be opened in any browser too, so it never mentions Qt: it calls
``window.portraitOnFeature(kind, id, lat, lng)`` only if something defined it. Here Qt injects
its own ``qwebchannel.js`` (from QtWebChannel's resources, never from the network) and a few
lines that define that function and report the view and the unticked layers whenever they
change, so the window always knows them without asking the page; and the drawing of a
problem's location (``ui.map_pick``), whose corners, outline and Escape come back here.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QFile, QIODevice, QObject, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from ui.map_pick import PICK_JS

log = logging.getLogger(__name__)

BRIDGE_NAME = "portraitBridge"
_QWEBCHANNEL_JS = ":/qtwebchannel/qwebchannel.js"

#: Runs once the page's own script has made ``window.portraitMap``.
_CONNECT_JS = """
(function () {
    if (typeof QWebChannel === "undefined" || !window.qt || !window.portraitMap) { return; }
    new QWebChannel(qt.webChannelTransport, function (channel) {
        var bridge = channel.objects.%(name)s, map = window.portraitMap;
        window.portraitBridge = bridge;
        function report() { bridge.stateChanged(window.portraitState()); }
        window.portraitOnFeature = function (kind, id, lat, lng) {
            if (window.portraitPick && window.portraitPick.click(lat, lng)) { return; }
            bridge.reportClick(String(kind), String(id), Number(lat), Number(lng));
        };
        map.on("moveend overlayadd overlayremove", report);
        report();
        bridge.pageConnected();
    });
})();
"""


class QtMapBridge(QObject):
    """The Python side of the page's web channel; one per map view."""

    featureClicked = Signal(str, str, float, float)
    connected = Signal()
    #: A drawn area's corners as JSON [[lat, lng], ...] ("" when too few to close it).
    polygonDrawn = Signal(str)
    cornersChanged = Signal(int)
    pickCancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.view: tuple[float, float, float] | None = None
        self.hidden_layers: tuple[str, ...] = ()
        self._channel = QWebChannel(self)
        self._channel.registerObject(BRIDGE_NAME, self)

    def install(self, page: QWebEnginePage) -> None:
        """Give ``page`` the channel and the script that connects every page it loads."""
        page.setWebChannel(self._channel)
        script = QWebEngineScript()
        script.setName("portrait-bridge")
        script.setSourceCode(_qwebchannel_source() + PICK_JS
                             + _CONNECT_JS % {"name": BRIDGE_NAME})
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        script.setRunsOnSubFrames(False)
        page.scripts().insert(script)

    def forget_view(self) -> None:
        """A new page is coming: its view is unknown until it reports it."""
        self.view = None

    @Slot(str, str, float, float)
    def reportClick(self, kind: str, feature_id: str, lat: float, lng: float) -> None:
        self.featureClicked.emit(kind, feature_id, lat, lng)

    @Slot(str)
    def reportPolygon(self, corners: str) -> None:
        self.polygonDrawn.emit(corners)

    @Slot(int)
    def reportCorners(self, count: int) -> None:
        self.cornersChanged.emit(count)

    @Slot()
    def cancelPick(self) -> None:
        self.pickCancelled.emit()

    @Slot(str)
    def stateChanged(self, state: str) -> None:
        try:
            parsed = json.loads(state)
            lat, lng, zoom = (float(v) for v in parsed["view"])
            hidden = tuple(str(key) for key in parsed["hidden"])
        except (TypeError, ValueError, KeyError) as error:
            log.warning("Unreadable map state from the page: %s (%s)", state, error)
            return
        # a view the page fitted by itself is not kept: the next page fits the station again
        self.view = (lat, lng, zoom) if parsed.get("moved", True) else None
        self.hidden_layers = hidden

    @Slot()
    def pageConnected(self) -> None:
        self.connected.emit()


def _qwebchannel_source() -> str:
    script = QFile(_QWEBCHANNEL_JS)
    if not script.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"Qt's {_QWEBCHANNEL_JS} is missing; QtWebChannel is incomplete.")
    try:
        return bytes(script.readAll()).decode("utf-8")
    finally:
        script.close()
