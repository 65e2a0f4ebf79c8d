"""The map panel: a web view showing the station map page built by ``exports.web_map``.

The page is written to a file in a private temporary folder and loaded from its file URL:
``setHtml`` silently shows a blank page above 2 MB, and a file URL lets the page load
Leaflet from the installed package. Building the page runs on a worker thread; only the
newest request is shown when the officer switches stations quickly.

Outside requests are blocked while offline, so a map can never leak a station's data to a
tile or CDN server by accident; links clicked in the map open in the system browser.

The page does not wait for the station's portrait: the window asks for the map as soon as the
station changes, and when the portrait comes (``add_portrait``) its hot-spot cells are added to
the page already open by a line of JavaScript instead of a second page.

Above the map, the incident filters (``ui.map_filters``); changing them redraws the map where
the officer left it: the page reports its view and unticked layers through the web channel
(``ui.map_bridge``), and the next page of the same station opens with them. Clicks on the map
come out as ``featureClicked(kind, id, lat, lng)``.

While the problem form asks for a location (``start_pick``), clicks are the officer's pick
instead: the bar above the map (``ui.map_pick``) says what to click, and the location comes
out as ``locationChosen(Location)`` in the workspace's metric CRS (or ``pickCancelled``).
The form's location is drawn over the map (``show_location``), also on the next pages.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
from PySide6.QtCore import QByteArray, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from exports.map_locations import drawn_location, picked_location
from exports.map_portrait_layers import hot_spot_script
from exports.web_map import MapOptions, write_station_map
from portrait.crs import MAP_CRS
from portrait.errors import PortraitError
from portrait.portrait_model import Portrait
from portrait.workspace import Workspace
from ui.map_bridge import QtMapBridge
from ui.map_filters import MapFilters
from ui.map_pick import PICK_MODES, MapPickBar
from ui.strings import UiText, default_language
from ui.tile_source import SCHEME, QtMBTilesHandler, TileSource
from ui.worker import QtJobRunner

if TYPE_CHECKING:
    from portrait.records.problems import Location

log = logging.getLogger(__name__)

_REMOTE_SCHEMES = ("http", "https", "ws", "wss", "ftp")


class QtOfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks network requests of the map page and logs them (they mean a bug), except to
    the tile server the officer named in Preferences (``allowed_host``)."""

    allowed_host: str | None = None

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() in _REMOTE_SCHEMES and url.host() != self.allowed_host:
            log.warning("Blocked a network request from the offline map: %s",
                        url.toDisplayString())
            info.block(True)


class QtMapPage(QWebEnginePage):
    """Keeps the view on the map: clicked web links open in the system browser instead."""

    def acceptNavigationRequest(self, url: QUrl,
                                navigation_type: QWebEnginePage.NavigationType,
                                is_main_frame: bool) -> bool:
        if url.isLocalFile() or url.scheme() in ("about", "data"):
            return True
        if navigation_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            QDesktopServices.openUrl(url)
        return False


class MapPanel(QWidget):
    """Shows the map of one station; ``loadFinished(ok)`` fires when a requested map is up,
    ``layersAdded`` when a portrait's layers were added to it (or it had none),
    ``mapConnected`` when its clicks and view reach Python."""

    loadFinished = Signal(bool)
    layersAdded = Signal()
    mapFailed = Signal(object)
    featureClicked = Signal(str, str, float, float)
    mapConnected = Signal()
    locationChosen = Signal(object)
    pickCancelled = Signal()

    def __init__(self, parent: QWidget | None = None, online: bool = False,
                 text: UiText | None = None, executor: ThreadPoolExecutor | None = None):
        super().__init__(parent)
        self.online = online
        self._pages = tempfile.TemporaryDirectory(prefix="portrait-map-")
        self._jobs = QtJobRunner(self, executor)
        self._request = 0
        self._expected_page: Path | None = None
        self._requested_at = 0.0
        self.options: MapOptions | None = None
        self.tile_source: TileSource | None = None
        self._workspace: Workspace | None = None
        self._portrait: Portrait | None = None
        self._shown_station: str | None = None
        self._loaded_page: Path | None = None
        #: The page waiting for the portrait's layers, and their script once it is made.
        self._layers_for: Path | None = None
        self._layers_script: str | None = None

        self.view = QWebEngineView(self)
        self._interceptor = QtOfflineInterceptor(self)
        page = QtMapPage(QWebEngineProfile.defaultProfile(), self.view)
        if not online:
            page.setUrlRequestInterceptor(self._interceptor)
        self.view.setPage(page)
        self.view.loadFinished.connect(self._page_loaded)
        self.bridge = QtMapBridge(self)
        self.bridge.install(page)
        self.bridge.featureClicked.connect(self._clicked)
        self.bridge.connected.connect(self._connected)
        self.bridge.polygonDrawn.connect(self._polygon_drawn)
        self.bridge.pickCancelled.connect(self.cancel_pick)
        self.filters = MapFilters(text or UiText(default_language()), self)
        self.filters.changed.connect(self._filters_changed)
        # what is being picked is the bar's ``mode``; the form's location drawn on the map is
        # kept as WGS84 GeoJSON for the next pages
        self.pick_bar = MapPickBar(text or UiText(default_language()), self)
        self.bridge.cornersChanged.connect(self.pick_bar.set_corners)
        self.pick_bar.cancelClicked.connect(self.cancel_pick)
        self.pick_bar.undoClicked.connect(lambda: self._run_pick("window.portraitPick.undo()"))
        self.pick_bar.finishClicked.connect(
            lambda: self._run_pick("window.portraitPick.finish()"))
        self._shown_location: str | None = None
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.setEnabled(False)
        self._escape.activated.connect(self.cancel_pick)

        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._message.setMargin(24)
        self._layout = QStackedLayout()
        self._layout.addWidget(self._message)
        self._layout.addWidget(self.view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(self.filters)
        outer.addWidget(self.pick_bar)
        outer.addLayout(self._layout, 1)

    def page(self) -> QWebEnginePage:
        return self.view.page()

    def set_tile_source(self, source: TileSource | None) -> None:
        """Draw ``source``'s tiles under the next maps (None: no tiles, fully offline)."""
        self.tile_source = source
        self._interceptor.allowed_host = source.remote_host if source else None
        settings = self.view.page().settings()
        remote = source is not None and source.remote_host is not None
        # Qt 6 loads nothing remote into a file page without this, and turning it on turns
        # file access off: both are set, remote first.
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls,
                              remote)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls,
                              True)
        if source is not None and source.mbtiles is not None:
            profile = self.view.page().profile()
            handler = profile.urlSchemeHandler(QByteArray(SCHEME))
            if handler is None:
                handler = QtMBTilesHandler(profile)  # lives as long as the profile
                profile.installUrlSchemeHandler(QByteArray(SCHEME), handler)
            handler.tiles = source.mbtiles

    def show_station(self, workspace: Workspace, options: MapOptions,
                     portrait: Portrait | None = None) -> None:
        """Build the map page of ``options`` in the background, then show it; with the
        station's ``portrait``, its hot spot cells are drawn too."""
        self._workspace, self._portrait = workspace, portrait
        self._layers_for = self._layers_script = None
        self.filters.set_workspace(workspace)
        self._request += 1
        self._expected_page = Path(self._pages.name) / f"station-map-{self._request}.html"
        self._requested_at = time.monotonic()
        self.options = options
        job = functools.partial(_page_job, self._expected_page, self._wanted_page, workspace,
                                options, portrait)
        self._jobs.start(job, self._page_written, self._page_failed)

    def awaits_portrait(self, portrait: Portrait) -> bool:
        """The map asked for last was drawn without a portrait for ``portrait``'s station
        and period: ``add_portrait`` completes it."""
        options = self.options
        return (self._expected_page is not None and self._portrait is None
                and options is not None and options.station_id == portrait.station_id
                and options.period == (tuple(portrait.period) if portrait.period else None))

    def add_portrait(self, portrait: Portrait) -> None:
        """Add ``portrait``'s hot-spot cells to the map asked for without it (see
        ``awaits_portrait``), once its page is loaded; the script is made on the map's worker,
        after the page."""
        self._portrait = portrait
        self._layers_for = self._expected_page
        job = functools.partial(_layers_job, self._expected_page, portrait, self.options)
        self._jobs.start(job, self._layers_made, self._page_failed)

    def with_view_and_filters(self, options: MapOptions) -> MapOptions:
        """``options`` with the incident filters, the unticked layers and, for the station
        shown now, the officer's view (another station opens fitted to its boundary)."""
        same_station = options.station_id == self._shown_station
        return dataclasses.replace(
            options, categories=self.filters.categories(), tags=self.filters.tags(),
            hidden_layers=self.bridge.hidden_layers,
            view=self.bridge.view if same_station else None)

    def is_building(self) -> bool:
        """A requested map is not on screen yet (its page is being built or loaded)."""
        return self._expected_page is not None and (self._loaded_page != self._expected_page
                                                    or self._layers_for is not None)

    def shown_station(self) -> str | None:
        """The station whose map is on screen (the one asked for may still be coming)."""
        return self._shown_station

    def retranslate(self, text: UiText) -> None:
        self.filters.retranslate(text)
        self.pick_bar.retranslate(text)

    # --- picking a problem's location -------------------------------------------------------
    def start_pick(self, mode: str) -> None:
        """Take the next click (or drawn outline) as a problem's location, as ``mode`` says
        (one of ``ui.map_pick.PICK_MODES``); a map still coming takes it once loaded."""
        if mode not in PICK_MODES:
            raise ValueError(f"unknown pick mode {mode!r}")
        self.pick_bar.start(mode)
        self._escape.setEnabled(True)
        self._run_pick(f"window.portraitPick.start({json.dumps(mode)})")

    @Slot()
    def cancel_pick(self) -> None:
        """Stop picking, the form's location unchanged."""
        if self.pick_bar.mode is not None:
            self._stop_pick()
            self.pickCancelled.emit()

    def show_location(self, location: Location | None) -> None:
        """Draw ``location`` (a point with its radius's circle) over the map, until another
        or None; drawn again on every new page of the map."""
        self._shown_location = None
        if location is not None and self._workspace is not None:
            self._shown_location = gpd.GeoSeries(
                [location.counting_area()], crs=self._workspace.crs).to_crs(MAP_CRS).to_json()
        self._run_pick(f"window.portraitPick.show({json.dumps(self._shown_location or '')})")

    def _stop_pick(self) -> None:
        self.pick_bar.stop()
        self._escape.setEnabled(False)
        self._run_pick("window.portraitPick.stop()")

    def _run_pick(self, script: str) -> None:
        """Run a line of the page's pick script, when the page has it (else the next page
        is told on connecting)."""
        if self._loaded_page is not None and self._layout.currentWidget() is self.view:
            self.page().runJavaScript(f"window.portraitPick && {script}", 0)

    @Slot()
    def _connected(self) -> None:
        if self.pick_bar.mode is not None:
            self._run_pick(f"window.portraitPick.start({json.dumps(self.pick_bar.mode)})")
        if self._shown_location is not None:
            self._run_pick(f"window.portraitPick.show({json.dumps(self._shown_location)})")
        self.mapConnected.emit()

    @Slot(str, str, float, float)
    def _clicked(self, kind: str, feature_id: str, lat: float, lng: float) -> None:
        """A click picks the location when one is asked for; otherwise it identifies."""
        mode = self.pick_bar.mode
        if mode is None or mode == "polygon" or self._workspace is None:
            self.featureClicked.emit(kind, feature_id, lat, lng)
            return
        try:
            location = picked_location(self._workspace, self._portrait, mode, kind,
                                       feature_id, lat, lng)
        except PortraitError as error:
            log.info("No location picked: %s", error)
            self.pick_bar.show_error(self.pick_bar.text(f"map_pick_failed_{mode}"))
            return
        self._chosen(location)

    @Slot(str)
    def _polygon_drawn(self, corners: str) -> None:
        if self.pick_bar.mode != "polygon" or self._workspace is None:
            return
        try:
            location = drawn_location(self._workspace, json.loads(corners) if corners else [])
        except PortraitError as error:
            log.info("No area drawn: %s", error)
            self.pick_bar.show_error(self.pick_bar.text("map_pick_failed_polygon"))
            return
        self._chosen(location)

    def _chosen(self, location: Location) -> None:
        self._stop_pick()
        self.locationChosen.emit(location)

    def show_message(self, text: str) -> None:
        """Replace the map with a sentence (no workspace, no station...); the filters wait
        for the next map."""
        self._expected_page = self._layers_for = self._layers_script = None
        self._workspace = self._portrait = self._shown_station = None
        self.filters.set_workspace(None)
        self._message.setText(text)
        self._layout.setCurrentWidget(self._message)

    def message(self) -> str:
        """The sentence shown instead of the map, or "" while the map is shown."""
        return self._message.text() if self._layout.currentWidget() is self._message else ""

    def shut_down(self) -> None:
        """Wait for a build in progress and remove the page files."""
        self._jobs.shut_down()
        self._pages.cleanup()

    def _wanted_page(self) -> Path | None:
        return self._expected_page

    @Slot(object)
    def _page_written(self, path: Path | None) -> None:
        if path is None:  # skipped: another map was asked for before it was built
            return
        if path != self._expected_page:  # the officer has asked for another map since
            path.unlink(missing_ok=True)
            return
        self._layout.setCurrentWidget(self.view)
        self.view.setUrl(QUrl.fromLocalFile(str(path)))

    @Slot(object)
    def _layers_made(self, made: tuple[Path, str | None]) -> None:
        page, script = made
        if page != self._layers_for:  # another map was asked for since
            return
        if script is None:  # the portrait found no hot spot: nothing to add
            self._layers_for = None
            self.layersAdded.emit()
        elif self._loaded_page == page:
            self._add_layers(script)
        else:
            self._layers_script = script  # added when the page has loaded

    def _add_layers(self, script: str) -> None:
        page = self._layers_for
        self._layers_script = None

        def added(_result: object) -> None:
            if self._layers_for == page:
                self._layers_for = None
                self.layersAdded.emit()

        self.page().runJavaScript(script, 0, added)

    @Slot()
    def _filters_changed(self) -> None:
        if self._workspace is not None and self.options is not None:
            self.show_station(self._workspace, self.with_view_and_filters(self.options),
                              self._portrait)

    @Slot(object)
    def _page_failed(self, error: Exception) -> None:
        self.mapFailed.emit(error)

    @Slot(bool)
    def _page_loaded(self, ok: bool) -> None:
        shown = Path(self.view.url().toLocalFile())
        if self._expected_page is None or shown != self._expected_page:
            return
        self._loaded_page = shown
        if self.options.station_id != self._shown_station:
            self.bridge.forget_view()
            self._shown_station = self.options.station_id
        log.info("Map of station %s loaded in %.0f ms (ok=%s)", self.options.station_id,
                 1000 * (time.monotonic() - self._requested_at), ok)
        for old in Path(self._pages.name).glob("station-map-*.html"):
            if old != shown:
                old.unlink(missing_ok=True)
        self.loadFinished.emit(ok)
        if self._layers_script is not None and self._layers_for == shown:
            self._add_layers(self._layers_script)


def _page_job(page: Path, wanted: Callable[[], Path | None], workspace: Workspace,
              options: MapOptions, portrait: Portrait | None) -> Path | None:
    """Write the page, unless another was asked for while this one waited for the thread
    (officers click through stations faster than maps are built)."""
    if wanted() != page:
        return None
    return write_station_map(workspace, options, page, portrait)


def _layers_job(page: Path, portrait: Portrait, options: MapOptions
                ) -> tuple[Path, str | None]:
    return page, hot_spot_script(portrait, options)
