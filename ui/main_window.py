"""The main window: choose a station and an indicator, see the station's map.

The window only gathers choices and shows results: the lists come from
``exports.map_choices``, the map from ``exports.web_map``, files from ``portrait.workspace``.
Errors the user can act on (``PortraitError``) are shown as their message, never a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from exports.leaflet_assets import LEAFLET_VERSION
from exports.map_choices import Choice, indicator_choices, station_choices
from exports.web_map import MapOptions
from portrait import __version__
from portrait.errors import PortraitError
from portrait.workspace import Workspace
from ui.actions import ActionSpec, install_menu_actions
from ui.map_view import MapPanel
from ui.strings import UiText, default_language

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "low_income_rate"


class MainWindow(QMainWindow):
    """One workspace at a time; the map follows the chosen station and indicator.

    ``online`` allows a background map from OpenStreetMap; off by default, since station
    computers are often offline and the map must not depend on the network.
    """

    def __init__(self, workspace: Workspace | None, language: str | None = None,
                 online: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = UiText(language or default_language())
        self.workspace: Workspace | None = None

        self.station_combo = QComboBox(self)
        self.station_combo.setObjectName("station_combo")
        self.station_combo.setMinimumContentsLength(10)
        self.indicator_combo = QComboBox(self)
        self.indicator_combo.setObjectName("indicator_combo")
        self._fill_combo(self.indicator_combo, indicator_choices(self.text.language),
                         DEFAULT_INDICATOR)
        self.map_panel = MapPanel(self, online=online)
        self.path_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.path_label)
        self.setCentralWidget(self._central_widget())
        self.actions_by_id = install_menu_actions(self, self._action_specs(), self.text)

        self.station_combo.currentIndexChanged.connect(self._choice_changed)
        self.indicator_combo.currentIndexChanged.connect(self._choice_changed)
        self.map_panel.loadFinished.connect(self._map_loaded)
        self.map_panel.mapFailed.connect(self._map_failed)
        self.resize(1200, 800)
        self.set_workspace(workspace)

    def _action_specs(self) -> tuple[ActionSpec, ...]:
        return (
            ActionSpec("open", "menu_file", "Ctrl+O", self.open_workspace_dialog),
            ActionSpec("save", "menu_file", "Ctrl+S", self.save_workspace),
            ActionSpec("quit", "menu_file", "Ctrl+Q", self.close),
            ActionSpec("about", "menu_help", None, self.show_about),
        )

    def _central_widget(self) -> QWidget:
        choices = QHBoxLayout()
        for label, combo in (("station", self.station_combo),
                             ("indicator", self.indicator_combo)):
            caption = QLabel(self.text(label), self)
            caption.setBuddy(combo)
            choices.addWidget(caption)
            choices.addWidget(combo)
            choices.addSpacing(16)
        choices.addStretch(1)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(choices)
        layout.addWidget(self.map_panel, 1)
        return central

    # --- workspace --------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show ``workspace`` (or the empty state): title, path, stations, map."""
        self.workspace = workspace
        has_workspace = workspace is not None
        self.actions_by_id["save"].setEnabled(has_workspace)
        self.setWindowTitle(self.text("window_title", title=workspace.title) if has_workspace
                            else self.text("app_name"))
        self.path_label.setText(str(workspace.path) if has_workspace and workspace.path
                                 else "")
        stations = station_choices(workspace) if has_workspace else []
        self._fill_combo(self.station_combo, stations, None)
        if not has_workspace:
            self.map_panel.show_message(self.text("no_workspace"))
        elif not stations:
            self.map_panel.show_message(self.text("no_stations"))
        else:
            self._choice_changed()

    def open_workspace(self, path: Path) -> bool:
        """Open the workspace file at ``path``; explain in a message box when it cannot."""
        try:
            workspace = Workspace.open(path)
        except PortraitError as error:
            self._show_error(self.text("open_failed"), str(error))
            return False
        except Exception as error:  # noqa: BLE001  (an unreadable file must not crash the app)
            log.exception("Opening %s failed", path)
            self._show_error(self.text("open_failed"), self._unexpected(error))
            return False
        self.set_workspace(workspace)
        return True

    def open_workspace_dialog(self) -> None:
        start = str(self.workspace.path.parent) if self.workspace and self.workspace.path else ""
        path, _ = QFileDialog.getOpenFileName(self, self.text("open_title"), start,
                                              self.text("workspace_filter"))
        if path:
            self.open_workspace(Path(path))

    def save_workspace(self) -> None:
        """Save atomically (``Workspace.save``): a failed save leaves the file as it was."""
        if self.workspace is None:
            return
        try:
            path = self.workspace.save()
        except PortraitError as error:
            self._show_error(self.text("save_failed"), str(error))
            return
        except OSError as error:
            log.exception("Saving %s failed", self.workspace.path)
            self._show_error(self.text("save_failed"), self._unexpected(error))
            return
        self.statusBar().showMessage(self.text("saved", path=path), 5000)

    def show_about(self) -> None:
        QMessageBox.about(self, self.text("about_title"),
                          self.text("about_text", version=__version__, leaflet=LEAFLET_VERSION))

    # --- map --------------------------------------------------------------------------------
    def map_options(self) -> MapOptions | None:
        """The map the current choices ask for (None without a station)."""
        station_id = self.station_combo.currentData()
        if self.workspace is None or station_id is None:
            return None
        return MapOptions(station_id=station_id, indicator_id=self.indicator_combo.currentData(),
                          language=self.text.language, online_tiles=self.map_panel.online)

    @Slot()
    def _choice_changed(self) -> None:
        options = self.map_options()
        if options is None:
            return
        self.statusBar().showMessage(
            self.text("map_preparing", station=self.station_combo.currentText()))
        self.map_panel.show_station(self.workspace, options)

    @Slot(bool)
    def _map_loaded(self, ok: bool) -> None:
        self.statusBar().showMessage(
            self.text("map_ready", station=self.station_combo.currentText()), 5000)

    @Slot(object)
    def _map_failed(self, error: Exception) -> None:
        message = str(error) if isinstance(error, PortraitError) else self._unexpected(error)
        self.statusBar().clearMessage()
        self.map_panel.show_message(self.text("map_failed", message=message))

    # --- helpers ----------------------------------------------------------------------------
    def _fill_combo(self, combo: QComboBox, choices: list[Choice], selected: str | None) -> None:
        combo.blockSignals(True)  # one map request per change, not one per item
        combo.clear()
        for choice in choices:
            combo.addItem(choice.label, choice.id)
        index = combo.findData(selected) if selected is not None else 0
        combo.setCurrentIndex(max(index, 0) if choices else -1)
        combo.setEnabled(bool(choices))
        combo.blockSignals(False)

    def _unexpected(self, error: Exception) -> str:
        return self.text("unexpected", kind=type(error).__name__, message=error)

    def _show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.map_panel.shut_down()
        super().closeEvent(event)
