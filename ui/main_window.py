"""The main window: choose a station and an indicator, see the station's map.

The window only gathers choices and shows results: the lists come from
``exports.map_choices``, the map from ``exports.web_map``, files from ``portrait.workspace``,
imports from the wizard (``ui.import_wizard``), review items from ``portrait.review``.
Errors the user can act on (``PortraitError``) are shown as their message, never a traceback.

Prompts that wait for an answer (unsaved changes, a recovery copy) open without blocking
(``QMessageBox.open``) and continue in a callback, so closing the window can never hang on a
dialog nobody sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from data_connectors.recipes import write_recipe
from exports.leaflet_assets import LEAFLET_VERSION
from exports.map_choices import Choice, indicator_choices, station_choices
from exports.web_map import MapOptions
from portrait import __version__, clock
from portrait.crs import METRIC_CRS
from portrait.disclosure_settings import write_settings
from portrait.errors import (
    CancelledError,
    CorruptWorkspaceError,
    NotAWorkspaceError,
    PortraitError,
    WorkspaceError,
    WorkspaceLockedError,
)
from portrait.layers import IMPORT_REPORTS
from portrait.officer import set_officer
from portrait.portrait_model import Portrait
from portrait.records.problems import Location
from portrait.review import ReviewSession, map_section_id
from portrait.service_words import (
    MONTREAL,
    ServiceWords,
    use_for_process,
    words_of,
    write_words,
)
from portrait.wording import in_language
from portrait.workspace import Workspace, read_metadata
from portrait.workspace_lock import WorkspaceLock
from ui.actions import ActionSpec, install_menu_actions
from ui.autosave import discard_autosave, recover, recovery_copy, write_autosave
from ui.data_sources_panel import DataSourcesDialog
from ui.error_dialog import ErrorDialog, show_error
from ui.import_wizard import ImportWizard
from ui.map_side_panel import MapSideDock
from ui.map_view import MapPanel
from ui.new_workspace_dialog import NewWorkspaceChoice, NewWorkspaceDialog
from ui.period import (
    CUSTOM,
    InvertedPeriodError,
    PeriodChoice,
    PeriodSelectorWidget,
    resolve_period,
)
from ui.portrait_runner import PortraitRunner
from ui.preferences import (
    Preferences,
    PreferencesDialog,
    PreferencesStore,
    disclosure_settings,
    user_settings,
    with_workspace_thresholds,
)
from ui.quarterly_export import QuarterlyExportDialog
from ui.recent_files import RecentFiles
from ui.records.pages import RecordPages
from ui.review import ReviewPanel
from ui.sections_panel import SECTION_IDS, SectionsPanel
from ui.strings import UiText, apply_language
from ui.tile_source import tile_source
from ui.vintages import census_year, layer_vintages
from ui.worker import QtJobRunner

if TYPE_CHECKING:
    from ui.export_dialog import ExportDialog

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "low_income_rate"
BANNER_STYLE = ("background: #fff3c4; color: #5c4700; border: 1px solid #e0c45c; "
                "padding: 6px; font-weight: bold;")


class MainWindow(QMainWindow):
    """One workspace at a time; the map follows the chosen station and indicator.

    ``online`` allows a background map from OpenStreetMap; off by default, since station
    computers are often offline and the map must not depend on the network. ``language``
    overrides the preferred language for this window only; ``settings`` replaces the
    officer's QSettings (tests use an INI file).
    """

    def __init__(self, workspace: Workspace | None, language: str | None = None,
                 online: bool = False, parent: QWidget | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.settings = settings if settings is not None else user_settings()
        self.preferences_store = PreferencesStore(self.settings)
        self.preferences = self.preferences_store.load()
        if language is not None:
            self.preferences = dataclasses.replace(self.preferences, language=language)
        set_officer(self.preferences.officer_name, self.preferences.officer_role)
        self.text = UiText(self.preferences.language)
        apply_language(self.text.language)
        self.recent_files = RecentFiles(self.settings)
        self.workspace: Workspace | None = None
        self.review_session: ReviewSession | None = None
        self.import_wizard: ImportWizard | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self.new_workspace_prompt: NewWorkspaceDialog | None = None
        self.quarterly_dialog: QuarterlyExportDialog | None = None
        self.prompt: QMessageBox | None = None
        self.error_dialog: ErrorDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._close_confirmed = False
        #: The writer's lock on the workspace being edited (none in review mode).
        self._writer_lock: WorkspaceLock | None = None
        self._autosaving = False
        self._jobs = QtJobRunner(self)

        self.station_combo = QComboBox(self)
        self.station_combo.setObjectName("station_combo")
        self.station_combo.setMinimumContentsLength(10)
        self.indicator_combo = QComboBox(self)
        self.indicator_combo.setObjectName("indicator_combo")
        self._fill_combo(self.indicator_combo, indicator_choices(self.text.language),
                         DEFAULT_INDICATOR)
        self.station_caption = QLabel(self)
        self.indicator_caption = QLabel(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("review_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        # The map page and the portrait are built on one thread, the map first: on two
        # threads they only take turns for the interpreter lock with each other and with
        # the window, which then waits longer for it between two events.
        station_work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-work")
        self._station_work = station_work
        self.map_panel = MapPanel(self, online=online, text=self.text, executor=station_work)
        self._apply_tile_source(self.preferences)
        self.current_portrait: Portrait | None = None
        self._portrait_key: tuple[str, PeriodChoice] | None = None
        self.period_selector = PeriodSelectorWidget(self.text, self)
        self.sections_panel = SectionsPanel(self.text, self)
        self.sections_panel.setObjectName("sections_panel")
        self.record_pages = RecordPages(self, self.text.language)
        for section_id, page in self.record_pages.pages().items():
            self.sections_panel.set_record_page(section_id, page)
        self.sections_panel.records = self.record_pages
        self._area_wanted: str | None = None
        self.portrait_runner = PortraitRunner(self, executor=station_work)
        self.portrait_progress = QProgressBar(self)
        self.portrait_progress.setObjectName("portrait_progress")
        self.portrait_progress.setRange(0, 100)
        self.portrait_progress.setMaximumWidth(160)
        self.portrait_progress.setVisible(False)
        self.cancel_portrait_button = QToolButton(self)
        self.cancel_portrait_button.setObjectName("cancel_portrait")
        self.cancel_portrait_button.setVisible(False)
        self.statusBar().addPermanentWidget(self.portrait_progress)
        self.statusBar().addPermanentWidget(self.cancel_portrait_button)
        self.path_label = QLabel(self)
        self.path_label.setObjectName("path_label")
        self.vintage_label = QLabel(self)
        self.vintage_label.setObjectName("vintage_label")
        self.statusBar().addPermanentWidget(self.vintage_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self.setCentralWidget(self._central_widget())
        self.review_panel = ReviewPanel(self.text, self)
        self.review_panel.set_approver(self.preferences.officer_name,
                                       self.preferences.officer_role)
        self.review_dock = QDockWidget(self)
        self.review_dock.setObjectName("review_dock")
        self.review_dock.setWidget(self.review_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.review_dock.setVisible(False)
        self.map_side_dock = MapSideDock(self.text, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.map_side_dock)
        self.map_side_dock.setVisible(False)
        self.menu_actions = install_menu_actions(self, self._action_specs(), self.text)
        self.actions_by_id = self.menu_actions.actions
        self.recent_menu = self.menu_actions.submenus["menu_recent"]
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosave_timer")

        self.station_combo.currentIndexChanged.connect(self._choice_changed)
        self.indicator_combo.currentIndexChanged.connect(self._choice_changed)
        self.map_panel.loadFinished.connect(self._map_loaded)
        self.map_panel.featureClicked.connect(self._map_feature_clicked)
        self.map_panel.mapFailed.connect(self._map_failed)
        self.period_selector.periodChanged.connect(self._choice_changed)
        self.period_selector.periodChanged.connect(self._remember_period)
        self.portrait_runner.progressed.connect(self._portrait_progressed)
        self.portrait_runner.portraitReady.connect(self._portrait_ready)
        self.portrait_runner.portraitFailed.connect(self._portrait_failed)
        self.cancel_portrait_button.clicked.connect(self.portrait_runner.cancel)
        self.sections_panel.sectionChanged.connect(self._section_changed)
        self.map_side_dock.problemRequested.connect(self._problem_requested)
        self.record_pages.records_changed.connect(self._records_changed)
        self.record_pages.page_requested.connect(self.sections_panel.select_section)
        self.record_pages.location_requested.connect(self._location_requested)
        self.record_pages.location_changed.connect(self.map_panel.show_location)
        self.map_panel.locationChosen.connect(self._location_chosen)
        self.map_panel.pickCancelled.connect(self._pick_cancelled)
        self.record_pages.area_requested.connect(self._area_requested)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.review_dock.visibilityChanged.connect(self._review_dock_shown)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.setAcceptDrops(True)
        self.resize(1200, 800)
        self._restore_layout()
        self._restore_sections()
        self._retranslate_texts()
        self._restart_autosave()
        self.set_workspace(workspace)
        self._fill_recent_menu()

    def _action_specs(self) -> tuple[ActionSpec, ...]:
        return (
            ActionSpec("new", "menu_file", "Ctrl+N", self.new_workspace_dialog),
            ActionSpec("open", "menu_file", "Ctrl+O", self.open_workspace_dialog),
            ActionSpec("open_review", "menu_file", "Ctrl+R", self.open_for_review_dialog),
            ActionSpec("import", "menu_file", "Ctrl+I", self.open_import_wizard,
                       needs_workspace=True, changes_data=True, separator_before=True,
                       submenu_before="menu_recent"),
            ActionSpec("data_sources", "menu_file", "Ctrl+Shift+I", self.open_data_sources,
                       needs_workspace=True, changes_data=True),
            ActionSpec("save_recipe", "menu_file", "Ctrl+Alt+I", self.save_import_recipe,
                       needs_workspace=True),
            ActionSpec("save", "menu_file", "Ctrl+S", self.save_workspace,
                       needs_workspace=True, changes_data=True),
            ActionSpec("export", "menu_file", "Ctrl+E", self.open_export_dialog,
                       needs_workspace=True),
            ActionSpec("review_panel", "menu_file", "Ctrl+Shift+R", self._toggle_review_panel,
                       checkable=True, separator_before=True),
            ActionSpec("export_quarterly", "menu_file", "Ctrl+Shift+T", self.open_quarterly_export,
                       needs_workspace=True),
            ActionSpec("preferences", "menu_file", "Ctrl+,", self.open_preferences,
                       separator_before=True),
            ActionSpec("quit", "menu_file", "Ctrl+Q", self.close, separator_before=True),
            ActionSpec("about", "menu_help", "F1", self.show_about),
        )

    def _central_widget(self) -> QWidget:
        choices = QHBoxLayout()
        for caption, combo in ((self.station_caption, self.station_combo),
                               (self.indicator_caption, self.indicator_combo)):
            caption.setBuddy(combo)
            choices.addWidget(caption)
            choices.addWidget(combo)
            choices.addSpacing(16)
        choices.addStretch(1)
        period_row = QHBoxLayout()  # its own row: the window stays narrow enough for laptops
        period_row.addWidget(self.period_selector)
        period_row.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("central_splitter")
        self.splitter.addWidget(self.sections_panel)
        self.splitter.addWidget(self.map_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 480])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addLayout(choices)
        layout.addLayout(period_row)
        layout.addWidget(self.splitter, 1)
        return central

    # --- language and preferences -----------------------------------------------------------
    def retranslate(self, language: str) -> None:
        """Show every word, number and date in ``language`` (``fr`` or ``en``), now."""
        self.text = UiText(language)
        apply_language(self.text.language)
        self._fill_combo(self.indicator_combo, indicator_choices(self.text.language),
                         self.indicator_combo.currentData() or DEFAULT_INDICATOR)
        self._retranslate_texts()
        self.set_workspace(self.workspace, self.review_session)

    def _retranslate_texts(self) -> None:
        self.menu_actions.retranslate(self.text)
        self.station_caption.setText(self.text("station"))
        self.indicator_caption.setText(self.text("indicator"))
        self.banner.setText(self.text("review_banner"))
        self.path_label.setToolTip(self.text("status_path_tip"))
        self.review_dock.setWindowTitle(self.text("review_dock_title"))
        self.review_panel.retranslate(self.text)
        self.period_selector.retranslate(self.text)
        self.sections_panel.retranslate(self.text)
        self.cancel_portrait_button.setText(self.text("portrait_cancel"))
        self.cancel_portrait_button.setToolTip(self.text("portrait_cancel_tip"))
        self.map_panel.retranslate(self.text)
        self.map_side_dock.retranslate(self.text)
        self.record_pages.retranslate(self.text.language)
        self._fill_recent_menu()

    def open_quarterly_export(self) -> QuarterlyExportDialog | None:
        """Open the quarterly report dialog on the station shown (without blocking)."""
        if self.workspace is None:
            return None
        dialog = QuarterlyExportDialog(
            self.workspace, self.text, self.station_combo.currentData(),
            self.portrait_runner.known_span(self.workspace), Path(self._start_dir()), self,
            self._station_work, self.review_session,
            (self.preferences.officer_name, self.preferences.officer_role))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.failed.connect(self._quarterly_failed)
        self.quarterly_dialog = dialog
        dialog.open()
        return dialog

    @Slot(object)
    def _quarterly_failed(self, error: BaseException) -> None:
        self.error_dialog = show_error(self, self.text("quarterly_title"), error, self.text)

    def open_preferences(self) -> PreferencesDialog:
        """Open the preferences dialog (without blocking); OK applies them at once."""
        shown = self.preferences
        words = None
        editable = self.workspace is not None and self.review_session is None
        if self.workspace is not None:
            try:
                shown = with_workspace_thresholds(shown, self.workspace)
            except PortraitError as error:  # a damaged value: logged, the officer's own shown
                log.warning("%s", error)
        if editable:
            try:
                words = words_of(self.workspace)
            except PortraitError as error:  # a damaged value: Montréal's, to be corrected
                log.warning("%s", error)
                words = MONTREAL
        dialog = PreferencesDialog(shown, self.text, self, words=words,
                                   workspace_crs=self.workspace.crs if self.workspace else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.preferences(),
                                                               dialog.words()))
        self.preferences_dialog = dialog
        dialog.open()
        return dialog

    def apply_preferences(self, preferences: Preferences,
                          words: ServiceWords | None = None) -> None:
        """Store ``preferences`` and apply what the window shows (language, autosave);
        ``words`` go into the open workspace, whose portrait and map are shown again in
        them."""
        previous = self.preferences
        self.preferences = preferences
        self.preferences_store.save(preferences)
        set_officer(preferences.officer_name, preferences.officer_role)
        if self.workspace is not None and self.review_session is None:
            # the thresholds belong to the workspace: its briefs (app or command line) use them
            write_settings(self.workspace, disclosure_settings(preferences))
            if words is not None and write_words(self.workspace, words):
                self._words_changed()
        if preferences.language != previous.language or \
                preferences.language != self.text.language:
            self.retranslate(preferences.language)
        self._restart_autosave()
        self.review_panel.set_approver(preferences.officer_name, preferences.officer_role)
        if (preferences.tile_source, preferences.tile_attribution) != \
                (previous.tile_source, previous.tile_attribution):
            self._apply_tile_source(preferences)
            self._choice_changed()  # the map again, on its new background

    def _apply_tile_source(self, preferences: Preferences) -> None:
        try:
            source = tile_source(preferences.tile_source, preferences.tile_attribution)
        except PortraitError as error:  # the file went away since: the map stays offline
            log.warning("%s", error)
            source = None
        self.map_panel.set_tile_source(source)

    # --- workspace --------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None,
                      review: ReviewSession | None = None) -> None:
        """Show ``workspace`` (or the empty state): title, path, stations, map; ``review``
        puts the window in review mode (read-only data, comments allowed)."""
        self.workspace = workspace
        self.review_session = review if workspace is not None else None
        self._speak_words_of(workspace)
        has_workspace = workspace is not None
        in_review = self.review_session is not None
        self.menu_actions.update_enabled(has_workspace, in_review)
        self.banner.setVisible(in_review)
        if has_workspace:
            key = "window_title_review" if in_review else "window_title"
            self.setWindowTitle(self.text(key, title=workspace.title))
        else:
            self.setWindowTitle(self.text("app_name"))
        self.path_label.setText(str(workspace.path) if has_workspace and workspace.path
                                 else "")
        self._show_vintages()
        self.review_panel.set_source(workspace, self.review_session)
        self.record_pages.set_workspace(workspace, read_only=in_review)
        self._problems_drawn = self._problems_on_map()
        self._area_wanted = None
        if in_review:
            self.review_dock.setVisible(True)
        stations = station_choices(workspace) if has_workspace else []
        self._fill_combo(self.station_combo, stations, self.station_combo.currentData())
        self._fill_combo(self.indicator_combo, indicator_choices(
            self.text.language, workspace if has_workspace else None),
            self.indicator_combo.currentData() or DEFAULT_INDICATOR)
        if not has_workspace:
            self.map_panel.show_message(self.text("no_workspace"))
            self._forget_portrait(self.text("sections_no_workspace"))
        elif not stations:
            self.map_panel.show_message(self.text("no_stations"))
            self._forget_portrait(self.text("sections_no_station"))
        else:
            self._choice_changed()

    def _words_changed(self) -> None:
        """Stations, portrait and map again, in the workspace's new words."""
        self._speak_words_of(self.workspace)
        self._fill_combo(self.station_combo, station_choices(self.workspace),
                         self.station_combo.currentData())
        self._portrait_key = None  # the same station and period, to be built again
        self._choice_changed()

    def _speak_words_of(self, workspace: Workspace | None) -> None:
        """The window, its maps and its jobs speak the open workspace's service words."""
        words = MONTREAL
        if workspace is not None:
            try:
                words = words_of(workspace)
            except PortraitError as error:  # a damaged value: briefs will refuse, saying so
                log.warning("%s", error)
        use_for_process(words)

    def in_review_mode(self) -> bool:
        return self.review_session is not None

    def open_workspace(self, path: Path) -> bool:
        """Open the workspace file at ``path``; explain in a message box when it cannot.

        The window edits the workspace, so it holds the writer's lock until another is opened
        or the window closes: an import from the command line meanwhile is refused.
        """
        lock = None
        try:
            lock = _writer_lock(Path(path))
            workspace = Workspace.open(path)
        except CorruptWorkspaceError as error:
            _release(lock)
            self._offer_good_copy(Path(path), error)
            return False
        except PortraitError as error:
            _release(lock)
            self._show_error(self.text("open_failed"), str(error))
            return False
        except Exception as error:  # noqa: BLE001  (an unreadable file must not crash the app)
            _release(lock)
            log.exception("Opening %s failed", path)
            self.error_dialog = show_error(self, self.text("open_failed"), error, self.text)
            return False
        self._hold_lock(lock)
        self.set_workspace(workspace)
        self.recent_files.add(workspace.path)
        self._offer_recovery(workspace.path)
        return True

    def open_for_review(self, path: Path) -> bool:
        """Open ``path`` read-only for review: data frozen, comments saved as added."""
        try:
            session = ReviewSession(path)
        except PortraitError as error:
            self._show_error(self.text("open_failed"), str(error))
            return False
        except Exception as error:  # noqa: BLE001
            log.exception("Opening %s for review failed", path)
            self.error_dialog = show_error(self, self.text("open_failed"), error, self.text)
            return False
        self._hold_lock(None)  # a review reads; the writer's lock is for editing
        self.set_workspace(session.workspace, review=session)
        self.recent_files.add(session.path)
        return True

    def _hold_lock(self, lock: WorkspaceLock | None) -> None:
        previous, self._writer_lock = self._writer_lock, lock
        if previous is not None and previous is not lock:
            previous.release()

    def _offer_good_copy(self, path: Path, error: CorruptWorkspaceError) -> None:
        """Say the file is damaged; offer the newest good copy when there is one, opened as
        a recovery (Save then writes it over the damaged file)."""
        if error.recovery is None:
            self._show_error(self.text("open_failed"), str(error))
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.text("open_failed"), str(error),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("damaged_prompt")
        open_copy = box.addButton(self.text("button_open_copy"),
                                  QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(open_copy)

        def answered() -> None:
            self.prompt = None
            if box.clickedButton() is not open_copy:
                return
            try:
                lock = WorkspaceLock(path)
            except PortraitError as locked:
                self._show_error(self.text("open_failed"), str(locked))
                return
            self._hold_lock(lock)
            self._recover(path, Path(error.recovery))

        box.finished.connect(answered)
        self.prompt = box
        box.open()

    def new_workspace_dialog(self) -> None:
        self.confirm_unsaved(self._ask_new_workspace)

    def _ask_new_workspace(self) -> NewWorkspaceDialog:
        """The New workspace dialog (not blocking); Create makes the workspace it describes."""
        dialog = NewWorkspaceDialog(self.text, self.preferences.metric_crs, self._start_dir(),
                                    self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create_chosen(dialog.choice()))
        dialog.finished.connect(self._new_workspace_closed)
        self.new_workspace_prompt = dialog
        dialog.open()
        return dialog

    def _new_workspace_closed(self) -> None:
        self.new_workspace_prompt = None  # deleted on close: never touched again

    def _create_chosen(self, choice: NewWorkspaceChoice) -> None:
        self.create_workspace(choice.path, choice.crs, choice.title, choice.words)

    def create_workspace(self, path: Path, crs: str = METRIC_CRS, title: str = "",
                         words: ServiceWords = MONTREAL) -> bool:
        """Create the workspace at ``path``, measured in ``crs`` and speaking ``words``."""
        try:
            workspace = Workspace.create(path, title, crs)
            if words != MONTREAL:
                write_words(workspace, words)
                workspace.save()
            lock = WorkspaceLock(path)
        except (PortraitError, OSError) as error:
            self._show_error(self.text("create_failed"), str(error))
            return False
        self._hold_lock(lock)
        self.set_workspace(workspace)
        self.recent_files.add(workspace.path)
        return True

    def open_workspace_dialog(self) -> None:
        self.confirm_unsaved(lambda: self._ask_path("open_title", self.open_workspace))

    def open_for_review_dialog(self) -> None:
        self.confirm_unsaved(lambda: self._ask_path("open_review_title", self.open_for_review))

    def _ask_path(self, title_key: str, then: Callable[[Path], bool]) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.text(title_key), self._start_dir(),
                                              self.text("workspace_filter"))
        if path:
            then(Path(path))

    def _start_dir(self) -> str:
        return str(self.workspace.path.parent) if self.workspace and self.workspace.path \
            else ""

    def save_workspace(self) -> bool:
        """Save atomically (``Workspace.save``): a failed save leaves the file as it was.
        Refused in review mode, where only review comments are written."""
        if self.workspace is None:
            return False
        if self.in_review_mode():
            self.statusBar().showMessage(self.text("review_read_only"), 8000)
            return False
        try:
            path = self.workspace.save()
        except PortraitError as error:
            self._show_error(self.text("save_failed"), str(error))
            return False
        except OSError as error:
            log.exception("Saving %s failed", self.workspace.path)
            self._show_error(self.text("save_failed"), self._unexpected(error))
            return False
        discard_autosave(path)
        self.recent_files.add(path)
        self.statusBar().showMessage(self.text("saved", path=path), 5000)
        return True

    def show_about(self) -> None:
        QMessageBox.about(self, self.text("about_title"),
                          self.text("about_text", version=__version__, leaflet=LEAFLET_VERSION))

    # --- unsaved changes, autosave and recovery ---------------------------------------------
    def confirm_unsaved(self, then: Callable[[], object]) -> None:
        """Run ``then`` once unsaved changes are saved or discarded (Save / Don't save /
        Cancel); at once when there are none."""
        workspace = self.workspace
        if workspace is None or not workspace.is_modified:
            then()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.text("unsaved_title"),
                          self.text("unsaved_text", title=workspace.title),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("unsaved_prompt")
        save = box.addButton(self.text("button_save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.text("button_discard"),
                                QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.text("button_cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)

        def answered() -> None:
            clicked = box.clickedButton()
            self.prompt = None
            if clicked is save and self.save_workspace():
                then()
            elif clicked is discard:
                discard_autosave(workspace.path)
                then()

        box.finished.connect(answered)
        self.prompt = box
        box.open()

    def _restart_autosave(self) -> None:
        minutes = self.preferences.autosave_minutes
        self.autosave_timer.stop()
        if minutes > 0:
            self.autosave_timer.start(minutes * 60_000)

    @Slot()
    def autosave_now(self) -> bool:
        """Write the recovery copy in the background if there are unsaved changes."""
        workspace = self.workspace
        if (workspace is None or workspace.path is None or self.in_review_mode()
                or not workspace.is_modified or self._autosaving):
            return False
        self._autosaving = True
        self._jobs.start(lambda: write_autosave(workspace), self._autosaved,
                         self._autosave_failed)
        return True

    @Slot(object)
    def _autosaved(self, path: Path) -> None:
        self._autosaving = False
        if self.workspace is None or not self.workspace.is_modified:
            path.unlink(missing_ok=True)  # saved meanwhile: the copy is already stale
            return
        self.statusBar().showMessage(self.text(
            "autosaved", time=clock.now_local().strftime("%H:%M"), name=path.name), 8000)

    @Slot(object)
    def _autosave_failed(self, error: BaseException) -> None:
        self._autosaving = False
        log.warning("Autosave failed: %s", error)
        self.statusBar().showMessage(self.text("autosave_failed", message=error), 10000)

    def _offer_recovery(self, path: Path) -> None:
        sidecar = recovery_copy(path)
        if sidecar is None:
            return
        saved = dt.datetime.fromtimestamp(sidecar.stat().st_mtime).astimezone().isoformat()
        box = QMessageBox(QMessageBox.Icon.Question, self.text("recover_title"),
                          self.text("recover_text", name=path.name,
                                    time=self.text.date_time(saved)),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("recovery_prompt")
        recover_button = box.addButton(self.text("button_recover"),
                                       QMessageBox.ButtonRole.AcceptRole)
        delete_button = box.addButton(self.text("button_delete_copy"),
                                      QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton(self.text("button_later"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(later)

        def answered() -> None:
            clicked = box.clickedButton()
            self.prompt = None
            if clicked is recover_button:
                self._recover(path, sidecar)
            elif clicked is delete_button:
                discard_autosave(path)

        box.finished.connect(answered)
        self.prompt = box
        box.open()

    def _recover(self, path: Path, sidecar: Path) -> None:
        try:
            workspace = recover(path, sidecar)
        except PortraitError as error:
            self._show_error(self.text("open_failed"), str(error))
            return
        self.set_workspace(workspace)
        self.statusBar().showMessage(self.text("recovered"), 10000)

    # --- import -----------------------------------------------------------------------------
    def open_import_wizard(self, path: Path | None = None) -> ImportWizard | None:
        """Open the import wizard (on ``path`` when a file was dropped)."""
        if self.in_review_mode():
            self.statusBar().showMessage(self.text("review_read_only"), 8000)
            return None
        if self.workspace is None:
            self.statusBar().showMessage(self.text("import_needs_workspace"), 8000)
            return None
        wizard = ImportWizard(self.workspace, self.text, path, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self._imported)
        wizard.destroyed.connect(self._wizard_closed)
        self.import_wizard = wizard
        wizard.open()
        return wizard

    def open_data_sources(self) -> DataSourcesDialog | None:
        """File › Data sources: list, remove or replace imports; the window then refreshes."""
        if self.workspace is None or self.in_review_mode():
            return None
        dialog = DataSourcesDialog(self.workspace, self.text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._imported)
        dialog.open()
        return dialog

    def save_import_recipe(self, path: Path | None = None) -> list[Path]:
        """File › Save import recipe: the recipe that repeats the imports done by hand
        (``portrait import --recipe``), with the category edits beside it."""
        if self.workspace is None:
            return []
        if not len(self.workspace.layer(IMPORT_REPORTS.name)):
            self.statusBar().showMessage(self.text("recipe_empty"), 8000)
            return []
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, self.text("recipe_title"),
                                                    self._start_dir(),
                                                    self.text("recipe_filter"))
            if not chosen:
                return []
            path = Path(chosen).with_suffix(".toml")
        try:
            written = write_recipe(self.workspace, path)
        except (PortraitError, OSError) as error:
            self._show_error(self.text("recipe_failed"), str(error))
            return []
        self.statusBar().showMessage(self.text(
            "recipe_saved", names=", ".join(p.name for p in written), name=path.name), 12000)
        return written

    @Slot(list)
    def _imported(self, reports: list) -> None:
        """Refresh what depends on the data: stations, map, vintages."""
        if self.workspace is None:
            return
        if not self.workspace.is_modified:
            discard_autosave(self.workspace.path)
        self.portrait_runner.invalidate()  # the prepared layers are stale
        self._portrait_key = None
        self.set_workspace(self.workspace)
        if reports:
            report = reports[-1]
            self.statusBar().showMessage(self.text(
                "imported_status", name=Path(report.source_path).name,
                kept=self.text.number(report.rows_kept)), 8000)

    @Slot()
    def _wizard_closed(self) -> None:
        self.import_wizard = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """A workspace file is opened; any other file goes to the import wizard."""
        path = _dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.handle_dropped_file(path)

    def handle_dropped_file(self, path: Path) -> None:
        if path.suffix.lower() == ".gpkg" and _is_workspace(path):
            self.confirm_unsaved(lambda: self.open_workspace(path))
        else:
            self.open_import_wizard(path)

    # --- export ------------------------------------------------------------------------------
    def open_export_dialog(self) -> ExportDialog | None:
        """File › Export, for the station and period on screen; a running export's dialog is
        brought back rather than replaced."""
        # The brief writers (and what they import) load on first use, not at start-up.
        from exports.brief_build import workspace_records
        from ui.export_dialog import ExportDialog, on_screen_period

        workspace = self.workspace
        if workspace is None:
            return None
        running = self.export_dialog
        if running is not None and running.is_running():
            running.show()
            running.raise_()
            return running
        if running is not None:
            running.deleteLater()
        portrait = self.current_portrait
        dialog = ExportDialog(
            workspace, station_choices(workspace), self.station_combo.currentData(),
            on_screen_period(self._map_period()), self.text, self.settings, portrait,
            lambda station_id: workspace_records(workspace, station_id), self)
        self.export_dialog = dialog
        dialog.show()  # not modal: the officer keeps working while the files are written
        return dialog

    # --- map and review ---------------------------------------------------------------------
    def map_options(self) -> MapOptions | None:
        """The map the current choices ask for (None without a station)."""
        station_id = self.station_combo.currentData()
        if self.workspace is None or station_id is None:
            return None
        tiles = self.map_panel.tile_source
        return self.map_panel.with_view_and_filters(
            MapOptions(station_id=station_id, indicator_id=self.indicator_combo.currentData(),
                       language=self.text.language, online_tiles=self.map_panel.online,
                       period=self._map_period(),
                       tile_url=tiles.url if tiles else None,
                       tile_attribution=tiles.attribution if tiles else ""))

    @Slot()
    def _choice_changed(self) -> None:
        options = self.map_options()
        if options is None:
            return
        self.review_panel.set_target(
            "section", map_section_id(options.station_id, options.indicator_id),
            self.text("review_section_label", station=self.station_combo.currentText(),
                      indicator=self.indicator_combo.currentText()))
        key = (options.station_id, self.period_selector.choice())
        if key == self._portrait_key and self.current_portrait is not None:
            self._show_map()  # same portrait (another indicator, or a language switch)
            return
        self._portrait_key = key
        building = self.text("sections_building", station=self.station_combo.currentText())
        self.sections_panel.show_message(building, keep_portrait=True)
        self.statusBar().showMessage(building)
        self.portrait_progress.setValue(0)
        self.portrait_progress.setVisible(True)
        self.cancel_portrait_button.setVisible(True)
        if self._chosen_period() is not None:  # known without the portrait: draw the map now
            self._show_map_period(options.period)
            self.map_panel.show_station(self.workspace, options)
        self.portrait_runner.request(self.workspace, *key)

    # --- portrait ---------------------------------------------------------------------------
    def _show_map(self) -> None:
        options = self.map_options()
        if options is None:
            return
        self.statusBar().showMessage(
            self.text("map_preparing", station=self.station_combo.currentText()))
        portrait = self.current_portrait
        if portrait is not None and (options.period != _period_of(portrait)
                                     or options.station_id != portrait.station_id):
            portrait = None  # another period's or station's hot spots would not match
        self.map_panel.show_station(self.workspace, options, portrait)

    def _show_map_period(self, period: tuple[str, str]) -> None:
        """The dates of a map drawn before its portrait (the first one, from the station
        file's dates): the same the portrait will resolve, shown at once instead of the date
        fields' empty 2000-01-01."""
        span = self.portrait_runner.known_span(self.workspace) or (None, None)
        start, end = (dt.date.fromisoformat(day) for day in period)
        self.period_selector.show_period((start, end), span)

    def _map_is_current(self) -> bool:
        """The map asked for last already shows the current choices."""
        wanted, asked = self.map_options(), self.map_panel.options
        return (wanted is not None and asked is not None
                and (asked.station_id, asked.indicator_id, asked.language, asked.period)
                == (wanted.station_id, wanted.indicator_id, wanted.language, wanted.period))

    def _map_period(self) -> tuple[str, str] | None:
        """The period of the map's incidents: the one chosen, as the portrait will resolve
        it, or else the portrait's (None: all of them)."""
        chosen = self._chosen_period()
        return chosen if chosen is not None else _period_of(self.current_portrait)

    def _chosen_period(self) -> tuple[str, str] | None:
        """The period chosen, in dates, when the workspace's span is known (after its first
        portrait); None otherwise or for a custom period that ends before it starts."""
        span = self.portrait_runner.known_span(self.workspace) if self.workspace else None
        if span is None or span[1] is None:
            return None
        try:
            period = resolve_period(self.period_selector.choice(), *span)
        except InvertedPeriodError:
            return None
        return None if period is None else (period[0].isoformat(), period[1].isoformat())

    @Slot(float, str)
    def _portrait_progressed(self, fraction: float, message: str) -> None:
        self.portrait_progress.setValue(round(100 * fraction))

    @Slot(object)
    def _portrait_ready(self, portrait: Portrait) -> None:
        self._portrait_done()
        self.current_portrait = portrait
        self.review_panel.set_brief(portrait)
        awaited = self.map_panel.awaits_portrait(portrait)
        if not awaited:
            self._show_map()  # first: the map is built on its worker while the page is laid out
        self.sections_panel.show_portrait(portrait)
        if awaited:
            self.map_panel.add_portrait(portrait)  # the map drawn meanwhile gets its hot spots
        if portrait.period is not None:
            start, end = (dt.date.fromisoformat(day) for day in portrait.period)
            span = self.portrait_runner.known_span(self.workspace) or (None, None)
            self.period_selector.show_period((start, end), span)
            self.record_pages.set_period((start, end))

    @Slot(object)
    def _portrait_failed(self, error: Exception) -> None:
        """Say why in the sections panel; the map, which does not need the portrait, is
        still shown (except after a cancel: the officer asked for nothing more)."""
        self._portrait_done()
        self._portrait_key = None
        self.current_portrait = None
        self.review_panel.set_brief(None)
        if isinstance(error, CancelledError):
            message = self.text("sections_cancelled")
        elif isinstance(error, InvertedPeriodError):
            message = self.text("sections_failed", message=self.text(
                "period_inverted", start=self.text.date(error.start.isoformat()),
                end=self.text.date(error.end.isoformat())))
        elif isinstance(error, PortraitError):
            message = self.text("sections_failed",
                                message=in_language(str(error), self.text.language))
        else:  # a bug: the officer is told, with the details for support (logged too)
            message = self.text("sections_failed", message=self._unexpected(error))
            self.error_dialog = show_error(self, self.text("error_unexpected_title"), error,
                                           self.text)
        self.sections_panel.show_message(message)
        self.statusBar().showMessage(message, 10000)
        if not isinstance(error, CancelledError) and not self._map_is_current():
            self._show_map()

    def _portrait_done(self) -> None:
        self.portrait_progress.setVisible(False)
        self.cancel_portrait_button.setVisible(False)

    def _forget_portrait(self, message: str) -> None:
        self.portrait_runner.cancel()
        self._portrait_key = None
        self.current_portrait = None
        self.review_panel.set_brief(None)
        self.sections_panel.show_message(message)

    @Slot(str)
    def _section_changed(self, section_id: str) -> None:
        self.settings.setValue("sections/section", section_id)

    def _restore_sections(self) -> None:
        """The last section and period chosen (custom dates included)."""
        section = self.settings.value("sections/section")
        if section in SECTION_IDS:
            self.sections_panel.select_section(str(section))
        preset = self.settings.value("sections/period")
        start, end = (self.settings.value(f"sections/period_{k}") for k in ("start", "end"))
        try:
            if preset == CUSTOM and start and end:
                self.period_selector.set_custom(dt.date.fromisoformat(str(start)),
                                                dt.date.fromisoformat(str(end)))
            elif preset:
                self.period_selector.set_preset(str(preset))
        except ValueError:
            log.info("Ignoring a remembered period that cannot be read: %s %s", start, end)

    def _remember_period(self) -> None:
        choice = self.period_selector.choice()
        self.settings.setValue("sections/period", choice.preset)
        if choice.preset == CUSTOM:
            self.settings.setValue("sections/period_start", choice.start.isoformat())
            self.settings.setValue("sections/period_end", choice.end.isoformat())

    @Slot(bool)
    def _map_loaded(self, ok: bool) -> None:
        self.statusBar().showMessage(
            self.text("map_ready", station=self.station_combo.currentText()), 5000)

    @Slot(str, str, float, float)
    def _map_feature_clicked(self, kind: str, feature_id: str, lat: float, lng: float) -> None:
        """Figures of the clicked feature beside the map (from the portrait once it is ready)."""
        if self.workspace is not None:
            self.map_side_dock.show_click(self.workspace, self.current_portrait,
                                          self.map_panel.shown_station(), kind, feature_id,
                                          lat, lng)

    # --- records and the map ------------------------------------------------------------------
    @Slot(object)
    def _problem_requested(self, location: Location) -> None:
        """A problem card started from the side panel of the map."""
        if self.in_review_mode():
            self.statusBar().showMessage(self.text("review_read_only"), 8000)
            return
        self.record_pages.new_problem_at(location)

    @Slot(str)
    def _location_requested(self, mode: str) -> None:
        """The problem form asks for its location, picked on the map as ``mode`` says."""
        self._area_wanted = None
        self.map_panel.start_pick(mode)

    @Slot(str)
    def _area_requested(self, which: str) -> None:
        """The assessment asks for its "target" or "control" area, drawn on the map."""
        self._area_wanted = which
        self.map_panel.start_pick("polygon")

    @Slot(object)
    def _location_chosen(self, location: Location) -> None:
        if self._area_wanted is not None:
            self.record_pages.set_area(self._area_wanted, location.geometry)
            self._area_wanted = None
        else:
            self.record_pages.set_location(location)

    @Slot()
    def _pick_cancelled(self) -> None:
        self._area_wanted = None
        self.record_pages.location_pick_cancelled()

    @Slot()
    def _records_changed(self) -> None:
        """Redraw the map when what its problems layer shows has changed (not for an edit of
        a partner or an action: a map costs half a second)."""
        drawn = self._problems_on_map()
        if drawn == self._problems_drawn:
            return
        self._problems_drawn = drawn
        if self.current_portrait is not None:
            self._show_map()

    def _problems_on_map(self) -> tuple:
        """What the map's problems layer draws of each card: title, stage and place."""
        session = self.record_pages.session
        if session is None:
            return ()
        return tuple((card.record_id, card.title, card.sara_stage,
                      card.location.geometry.wkb if card.location else None)
                     for card in session.store.problems())

    @Slot(object)
    def _map_failed(self, error: Exception) -> None:
        message = in_language(str(error), self.text.language) \
            if isinstance(error, PortraitError) else self._unexpected(error)
        if not isinstance(error, PortraitError):  # a bug: details for support, and the log
            self.error_dialog = show_error(self, self.text("error_unexpected_title"), error,
                                           self.text)
        self.statusBar().clearMessage()
        self.map_panel.show_message(self.text("map_failed", message=message))

    def _toggle_review_panel(self) -> None:
        self.review_dock.setVisible(self.actions_by_id["review_panel"].isChecked())

    @Slot(bool)
    def _review_dock_shown(self, shown: bool) -> None:
        if not self.isMinimized():
            self.actions_by_id["review_panel"].setChecked(self.review_dock.isVisibleTo(self))

    # --- status bar and recent files --------------------------------------------------------
    def _show_vintages(self) -> None:
        """Short text in the status bar; each layer's source file and date in the tooltip."""
        workspace = self.workspace
        if workspace is None:
            self.vintage_label.setText("")
            self.vintage_label.setToolTip("")
            return
        vintages = layer_vintages(workspace)
        year = census_year(workspace)
        short = [self.text("vintage_census", year=year)] if year else []
        if vintages:
            latest = max(v.imported_at for v in vintages)
            short.append(self.text("vintage_imports", count=len(vintages),
                                   date=self.text.date(latest)))
        tip = [f"<b>{self.text('vintage_tip_title')}</b>"]
        tip += [self.text("vintage_tip_layer", layer=self.text.layer_name(v.layer),
                          source=v.source, date=self.text.date(v.imported_at))
                for v in vintages]
        if year:
            tip.append(self.text("vintage_tip_census", year=year))
        self.vintage_label.setText(" · ".join(short) or self.text("vintage_none"))
        self.vintage_label.setToolTip("<br>".join(tip))

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_files.paths()
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))
        if not paths:
            empty = self.recent_menu.addAction(self.text("recent_empty"))
            empty.setEnabled(False)

    def open_recent(self, path: Path) -> None:
        self.confirm_unsaved(lambda: self.open_workspace(path))

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

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        wizard = self.import_wizard
        if wizard is not None and wizard.is_running():
            event.ignore()  # stop the import first: it writes the workspace file
            wizard.reject()
            return
        if not self._close_confirmed and self.workspace is not None and \
                self.workspace.is_modified:
            event.ignore()
            self.confirm_unsaved(self._close_after_prompt)
            return
        self._save_layout()
        self._stop_workers()
        self._hold_lock(None)
        super().closeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DeferredDelete:
            self._stop_workers()  # deleted without being closed: no worker may outlive it
        return super().event(event)

    def _stop_workers(self) -> None:
        """Stop every worker and wait for it: a portrait or a map still being built would
        otherwise signal a window that is gone (the first map can now come before the
        portrait, so a window may go while its portrait is still being built)."""
        self.autosave_timer.stop()
        self.review_panel.shut_down()
        self.portrait_runner.shut_down()
        self._jobs.shut_down()
        if self.export_dialog is not None:
            self.export_dialog.shut_down()
        self.map_panel.shut_down()

    def _close_after_prompt(self) -> None:
        self._close_confirmed = True
        self.close()


def _writer_lock(path: Path) -> WorkspaceLock | None:
    """The writer's lock on ``path``; None when its folder is read-only (the workspace can
    still be read there, and Save then says why it cannot write)."""
    if not path.is_file():
        return None
    try:
        return WorkspaceLock(path)
    except WorkspaceLockedError:
        raise
    except WorkspaceError as error:
        log.info("Opening %s without the writer's lock: %s", path, error)
        return None


def _release(lock: WorkspaceLock | None) -> None:
    if lock is not None:
        lock.release()


def _period_of(portrait: Portrait | None) -> tuple[str, str] | None:
    return tuple(portrait.period) if portrait is not None and portrait.period else None


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            return Path(url.toLocalFile())
    return None


def _is_workspace(path: Path) -> bool:
    try:
        read_metadata(path)
    except NotAWorkspaceError:
        return False
    except PortraitError:
        return True  # unreadable: opening it will say why
    return True

