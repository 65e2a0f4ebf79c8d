"""Picking a problem's location on the map: the bar above the map and the page's drawing.

The problem form asks for one of the ways in ``PICK_MODES``: a point (its radius is the
form's), a census area or the named area (neighbourhood) holding the click, a hot spot cell,
or an area drawn corner by corner. While the officer
picks, a bar above the map says what to click, with Cancel (and Escape); for a drawn area it
also has "Finish the area" (or a double click) and "Remove the last corner".

Drawing stays in the page, with Leaflet's own polyline and circle markers (no plugin, nothing
from the network): ``PICK_JS`` defines ``window.portraitPick``, whose ``click`` takes the
map's clicks as corners while an area is drawn (the bridge asks it before identifying a
feature) and whose ``show`` draws the chosen location, not clickable, over the layers. The
page written by ``exports.web_map`` knows nothing of it: a brief's HTML map never draws.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.strings import UiText

#: The ways the form may ask for a location; "point", "census_area", "named_area" (the
#: neighbourhood holding the click) and "hot_spot" end with one click, "polygon" with its
#: outline closed.
PICK_MODES = ("point", "census_area", "named_area", "hot_spot", "polygon")

#: Runs after the page's own script (``window.portraitMap``), before the web channel connects.
PICK_JS = r"""
(function () {
    var map = window.portraitMap;
    if (!map || typeof L === "undefined" || window.portraitPick) { return; }
    var colour = "#6a1b9a", mode = null, corners = [], zoomOnDouble = false,
        sketch = L.layerGroup().addTo(map), chosen = L.layerGroup().addTo(map),
        style = document.createElement("style");
    // the layers' tooltips follow the pointer and would hide the corners being clicked
    style.textContent = ".pq-picking .leaflet-tooltip { display: none; }";
    document.head.appendChild(style);
    function tell(name, value) {
        var bridge = window.portraitBridge;
        if (!bridge || !bridge[name]) { return; }
        if (value === undefined) { bridge[name](); } else { bridge[name](value); }
    }
    function redraw() {
        sketch.clearLayers();
        if (corners.length > 1) {
            L.polyline(corners.concat(corners.length > 2 ? [corners[0]] : []),
                       {color: colour, weight: 3, dashArray: "6 4", interactive: false})
                .addTo(sketch);
        }
        corners.forEach(function (c) {
            L.circleMarker(c, {radius: 5, color: colour, weight: 2, fillColor: "#fff",
                               fillOpacity: 1, interactive: false}).addTo(sketch);
        });
        tell("reportCorners", corners.length);
    }
    function distinct(points) {  // a double click puts its corner twice
        var out = [];
        points.forEach(function (p) {
            var last = out[out.length - 1];
            if (!last || map.latLngToContainerPoint(last)
                    .distanceTo(map.latLngToContainerPoint(p)) > 4) { out.push(p); }
        });
        return out;
    }
    window.portraitPick = {
        start: function (wanted) {
            mode = wanted; corners = []; redraw();
            map.getContainer().style.cursor = "crosshair";
            L.DomUtil.addClass(map.getContainer(), "pq-picking");
            if (mode === "polygon") {
                zoomOnDouble = zoomOnDouble || map.doubleClickZoom.enabled();
                map.doubleClickZoom.disable();
            }
            return true;
        },
        stop: function () {
            mode = null; corners = []; redraw();
            map.getContainer().style.cursor = "";
            L.DomUtil.removeClass(map.getContainer(), "pq-picking");
            if (zoomOnDouble) { map.doubleClickZoom.enable(); }
            zoomOnDouble = false;
            return true;
        },
        click: function (lat, lng) {
            if (mode !== "polygon") { return false; }
            corners.push(L.latLng(lat, lng)); redraw();
            return true;
        },
        undo: function () { corners.pop(); redraw(); return corners.length; },
        finish: function () {
            corners = distinct(corners); redraw();
            if (corners.length < 3) { tell("reportPolygon", ""); return false; }
            tell("reportPolygon", JSON.stringify(corners.map(function (c) {
                return [c.lat, c.lng]; })));
            return true;
        },
        show: function (geojson) {
            chosen.clearLayers();
            if (!geojson) { return true; }
            L.geoJSON(JSON.parse(geojson), {interactive: false, style: {
                color: colour, weight: 3, dashArray: "6 4", fillColor: colour,
                fillOpacity: 0.12}}).addTo(chosen);
            return true;
        },
        mode: function () { return mode || ""; },
        //  The chosen location's bounds as JSON [south, west, north, east], or "".
        shown: function () {
            var layers = chosen.getLayers();
            if (!layers.length) { return ""; }
            var b = layers[0].getBounds();
            return JSON.stringify([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]);
        }
    };
    map.on("dblclick", function () { if (mode === "polygon") { window.portraitPick.finish(); } });
    document.addEventListener("keydown", function (e) {
        if (!mode) { return; }
        if (e.key === "Escape") { tell("cancelPick"); }
        else if (mode === "polygon" && e.key === "Enter") { window.portraitPick.finish(); }
        else if (mode === "polygon" && e.key === "Backspace") { window.portraitPick.undo(); }
    });
})();
"""


class MapPickBar(QFrame):
    """What to click while a location is picked, with the buttons of a drawn area."""

    finishClicked = Signal()
    undoClicked = Signal()
    cancelClicked = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("map_pick_bar")
        self.setStyleSheet("#map_pick_bar { background: #f3e5f5; border: 1px solid #6a1b9a; "
                           "border-radius: 3px; }")
        self.text = text
        self.mode: str | None = None
        self.count = 0
        self.instruction = QLabel(self)
        self.instruction.setObjectName("map_pick_instruction")
        self.instruction.setWordWrap(True)
        self.corners = QLabel(self)
        self.corners.setObjectName("map_pick_corners")
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("map_pick_undo")
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("map_pick_finish")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("map_pick_cancel")
        self.error = QLabel(self)
        self.error.setObjectName("map_pick_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a50f15;")
        # the sentence on a line of its own: beside the buttons, a narrow map squeezed it
        # into a column of single words
        row = QHBoxLayout()
        row.addWidget(self.corners)
        row.addStretch(1)
        for widget in (self.undo_button, self.finish_button, self.cancel_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.instruction)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.undo_button.clicked.connect(self.undoClicked)
        self.finish_button.clicked.connect(self.finishClicked)
        self.cancel_button.clicked.connect(self.cancelClicked)
        self.retranslate(text)
        self.hide()

    def start(self, mode: str) -> None:
        """Show what to click for ``mode`` (one of ``PICK_MODES``)."""
        self.mode = mode
        drawing = mode == "polygon"
        for widget in (self.corners, self.undo_button, self.finish_button):
            widget.setVisible(drawing)
        self.set_corners(0)
        self.show_error("")
        self.retranslate(self.text)
        self.show()

    def stop(self) -> None:
        self.mode = None
        self.hide()

    def set_corners(self, count: int) -> None:
        """The corners drawn so far: an area closes from 3."""
        self.count = count
        self.corners.setText(self.text("map_pick_corners", count=count))
        self.undo_button.setEnabled(count > 0)
        self.finish_button.setEnabled(count >= 3)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def retranslate(self, text: UiText) -> None:
        self.text = text
        if self.mode is not None:
            self.instruction.setText(text(f"map_pick_{self.mode}"))
        self.undo_button.setText(text("map_pick_undo"))
        self.finish_button.setText(text("map_pick_finish"))
        self.cancel_button.setText(text("map_pick_cancel"))
        self.corners.setText(text("map_pick_corners", count=self.count))
