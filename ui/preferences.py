"""The officer's preferences: a typed model, its storage in QSettings, and the dialog.

``Preferences`` is a plain dataclass so the rest of the application reads typed values, never
raw settings strings. It is stored under ``preferences/`` with a ``version`` key: a later
version can convert older values, and values written by a newer version (or damaged by hand)
fall back to the defaults instead of breaking the start-up.

The metric CRS must be projected in metres (``portrait.crs.require_metric``): distances and
densities computed in degrees would be silently wrong.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from pyproj import CRS
from pyproj.exceptions import CRSError
from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from portrait.crs import METRIC_CRS, crs_in_words, require_metric
from portrait.disclosure_settings import DisclosureSettings, read_settings
from portrait.errors import PortraitError
from portrait.service_words import ServiceWords
from ui.service_words_widget import ServiceWordsWidget
from ui.strings import LANGUAGES, UiText, default_language
from ui.tile_source import tile_source_problem

log = logging.getLogger(__name__)

PREFERENCES_VERSION = 1
_GROUP = "preferences"
#: Where QSettings keeps the preferences, recent files and window layout.
ORGANISATION = "Portrait de quartier"
APPLICATION = "Portrait de quartier"


def user_settings() -> QSettings:
    """The officer's own settings (under the XDG config folder on Linux, the registry on
    Windows); tests pass an INI file instead."""
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANISATION,
                     APPLICATION)


@dataclass(frozen=True)
class Preferences:
    """What the officer can set once for every workspace."""

    language: str = "fr"
    #: The projected CRS (metres) New workspace starts from before a city is picked; each
    #: workspace keeps its own, in which its distances and areas are measured.
    metric_crs: str = METRIC_CRS
    #: Walking distances (m) around community services used for coverage.
    coverage_distances: tuple[int, ...] = (500, 1_000)
    #: Incident counts below this are suppressed in published cells (k-anonymity).
    incident_min_cell: int = 5
    #: Survey results on fewer respondents than this are not shown.
    survey_min_n: int = 30
    #: Counts from 1 to this are suppressed in partner briefs.
    small_count_high: int = 4
    #: Minutes between autosaves of unsaved changes to a recovery copy (0 = never).
    autosave_minutes: int = 5
    #: Who signs comments, approvals and record changes ("" : the system user name).
    officer_name: str = ""
    officer_role: str = ""
    #: The map's tile background: an XYZ URL of the provider's own server or a local
    #: .mbtiles file ("" : none, fully offline), and the credit its licence asks for.
    tile_source: str = ""
    tile_attribution: str = ""
    version: int = PREFERENCES_VERSION

    @classmethod
    def defaults(cls) -> Preferences:
        """Defaults, in the system's language."""
        return cls(language=default_language())

    def problems(self) -> list[str]:
        """Keys of the values that cannot be used (empty when all are valid)."""
        found = []
        if self.language not in LANGUAGES:
            found.append("language")
        if metric_crs_problem(self.metric_crs):
            found.append("metric_crs")
        if not self.coverage_distances or any(d <= 0 for d in self.coverage_distances):
            found.append("coverage_distances")
        if self.incident_min_cell < 1:
            found.append("incident_min_cell")
        if self.survey_min_n < 1:
            found.append("survey_min_n")
        if self.small_count_high < 1:
            found.append("small_count_high")
        if self.autosave_minutes < 0:
            found.append("autosave_minutes")
        if tile_source_problem(self.tile_source):
            found.append("tile_source")
        return found


def metric_crs_problem(crs: str) -> tuple[str, str] | None:
    """Why ``crs`` cannot be the metric CRS, or None when it can: a string-table key
    (``crs_empty``, ``crs_unknown``, ``crs_not_metric``) and the CRS's name for the message."""
    crs = crs.strip()
    if not crs:
        return ("crs_empty", "")
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        return ("crs_unknown", crs)
    try:
        require_metric(parsed, "The CRS")
    except PortraitError:
        return ("crs_not_metric", parsed.name)
    return None


class PreferencesStore:
    """Reads and writes ``Preferences`` in a QSettings (the user's, or a test's INI file)."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def load(self) -> Preferences:
        defaults = Preferences.defaults()
        settings = self.settings
        settings.beginGroup(_GROUP)
        try:
            if not settings.contains("version"):
                return defaults
            version = _int(settings.value("version"), PREFERENCES_VERSION)
            if version > PREFERENCES_VERSION:
                log.warning("Preferences were written by a newer version (%s); using defaults.",
                            version)
                return defaults
            stored = Preferences(
                language=str(settings.value("language", defaults.language)),
                metric_crs=str(settings.value("metric_crs", defaults.metric_crs)),
                coverage_distances=_distances(settings.value("coverage_distances"),
                                              defaults.coverage_distances),
                incident_min_cell=_int(settings.value("incident_min_cell"),
                                       defaults.incident_min_cell),
                survey_min_n=_int(settings.value("survey_min_n"), defaults.survey_min_n),
                small_count_high=_int(settings.value("small_count_high"),
                                      defaults.small_count_high),
                autosave_minutes=_int(settings.value("autosave_minutes"),
                                      defaults.autosave_minutes),
                officer_name=str(settings.value("officer_name", "") or "").strip(),
                officer_role=str(settings.value("officer_role", "") or "").strip(),
                tile_source=str(settings.value("tile_source", "") or "").strip(),
                tile_attribution=str(settings.value("tile_attribution", "") or "").strip(),
            )
        finally:
            settings.endGroup()
        bad = stored.problems()
        if bad:  # one damaged value must not cost the others
            log.warning("Ignoring invalid stored preference(s): %s", ", ".join(bad))
            stored = dataclasses.replace(stored, **{key: getattr(defaults, key) for key in bad})
        return stored

    def save(self, preferences: Preferences) -> None:
        settings = self.settings
        settings.beginGroup(_GROUP)
        settings.setValue("version", PREFERENCES_VERSION)
        settings.setValue("language", preferences.language)
        settings.setValue("metric_crs", preferences.metric_crs)
        settings.setValue("coverage_distances",
                          ",".join(str(d) for d in preferences.coverage_distances))
        settings.setValue("incident_min_cell", preferences.incident_min_cell)
        settings.setValue("survey_min_n", preferences.survey_min_n)
        settings.setValue("small_count_high", preferences.small_count_high)
        settings.setValue("autosave_minutes", preferences.autosave_minutes)
        settings.setValue("officer_name", preferences.officer_name)
        settings.setValue("officer_role", preferences.officer_role)
        settings.setValue("tile_source", preferences.tile_source)
        settings.setValue("tile_attribution", preferences.tile_attribution)
        settings.endGroup()
        settings.sync()


def disclosure_settings(preferences: Preferences) -> DisclosureSettings:
    """The thresholds of ``preferences`` as the workspace stores them."""
    return DisclosureSettings(small_count_high=preferences.small_count_high,
                              min_cell_count=preferences.incident_min_cell,
                              survey_min_n=preferences.survey_min_n)


def with_workspace_thresholds(preferences: Preferences, workspace) -> Preferences:
    """``preferences`` showing the thresholds ``workspace`` holds: they belong to it, and
    the dialog must show the ones its briefs will use."""
    settings = read_settings(workspace)
    return dataclasses.replace(preferences, small_count_high=settings.small_count_high,
                               incident_min_cell=settings.min_cell_count,
                               survey_min_n=settings.survey_min_n)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _distances(value: object, default: tuple[int, ...]) -> tuple[int, ...]:
    if value is None:
        return default
    parts = value if isinstance(value, list) else str(value).split(",")
    try:
        return tuple(int(str(part).strip()) for part in parts if str(part).strip()) or default
    except ValueError:
        return default


class PreferencesDialog(QDialog):
    """Edits a copy of the preferences; ``preferences()`` returns the edited values.

    OK stays disabled while the CRS is not a metric one, with the reason shown under it.
    """

    def __init__(self, preferences: Preferences, text: UiText, parent: QWidget | None = None,
                 words: ServiceWords | None = None, workspace_crs: str | None = None):
        """``words`` and ``workspace_crs``: the open workspace's (its words are edited here
        and written into it; its CRS is shown, fixed since its layers are stored in it)."""
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.text = text
        self._version = preferences.version
        self.setWindowTitle(text("preferences_title"))

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("officer_name_edit")
        self.name_edit.setPlaceholderText(text("pref_officer_name_placeholder"))
        self.role_edit = QLineEdit(self)
        self.role_edit.setObjectName("officer_role_edit")
        self.role_edit.setPlaceholderText(text("pref_officer_role_placeholder"))
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("language_combo")
        for language in LANGUAGES:
            self.language_combo.addItem(text(f"language_{language}"), language)
        self.crs_edit = QLineEdit(self)
        self.crs_edit.setObjectName("crs_edit")
        self.crs_edit.setToolTip(text("crs_tooltip"))
        self.crs_message = QLabel(self)
        self.crs_message.setObjectName("crs_message")
        self.crs_message.setWordWrap(True)
        self.crs_message.setStyleSheet("color: #a61b1b;")
        self.distance_spins = [self._spin(50, 10_000, 50, " m") for _ in range(2)]
        self.k_spin = self._spin(1, 100, 1)
        self.n_spin = self._spin(1, 1_000, 1)
        self.small_spin = self._spin(1, 99, 1)
        self.small_spin.setObjectName("small_count_high")
        self.autosave_spin = self._spin(0, 120, 1, " min")
        self.autosave_spin.setSpecialValueText(text("autosave_off"))
        autosave_note = QLabel(text("autosave_note"), self)
        autosave_note.setWordWrap(True)
        autosave_note.setObjectName("autosave_note")
        self.tiles_edit = QLineEdit(self)
        self.tiles_edit.setObjectName("tile_source_edit")
        self.tiles_edit.setPlaceholderText(text("pref_tiles_placeholder"))
        self.tiles_button = QPushButton(text("pref_tiles_choose"), self)
        self.tiles_button.setObjectName("tile_source_choose")
        self.tiles_attribution_edit = QLineEdit(self)
        self.tiles_attribution_edit.setObjectName("tile_attribution_edit")
        self.tiles_message = QLabel(self)
        self.tiles_message.setObjectName("tile_source_message")
        self.tiles_message.setWordWrap(True)
        self.tiles_message.setStyleSheet("color: #a61b1b;")
        tiles_note = QLabel(text("pref_tiles_note"), self)
        tiles_note.setWordWrap(True)
        tiles = QHBoxLayout()
        tiles.addWidget(self.tiles_edit, 1)
        tiles.addWidget(self.tiles_button)

        distances = QHBoxLayout()
        for spin in self.distance_spins:
            distances.addWidget(spin)
        distances.addStretch(1)
        form = QFormLayout()
        form.addRow(text("pref_officer_name"), self.name_edit)
        form.addRow(text("pref_officer_role"), self.role_edit)
        form.addRow(text("pref_language"), self.language_combo)
        if workspace_crs is not None:
            shown = QLabel(crs_in_words(workspace_crs), self)
            shown.setObjectName("workspace_crs")
            form.addRow(text("pref_workspace_crs"), shown)
        form.addRow(text("pref_metric_crs"), self.crs_edit)
        form.addRow(self.crs_message)  # full width: the reason can be long
        form.addRow(text("pref_coverage"), distances)
        form.addRow(text("pref_incident_k"), self.k_spin)
        form.addRow(text("pref_survey_n"), self.n_spin)
        form.addRow(text("pref_small_count"), self.small_spin)
        form.addRow(text("pref_autosave"), self.autosave_spin)
        form.addRow(autosave_note)
        form.addRow(text("pref_tiles"), tiles)
        form.addRow(text("pref_tiles_attribution"), self.tiles_attribution_edit)
        form.addRow(self.tiles_message)
        form.addRow(tiles_note)

        self.defaults_button = QPushButton(text("button_defaults"), self)
        self.ok_button = QPushButton(text("button_ok"), self)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setDefault(True)
        cancel_button = QPushButton(text("button_cancel"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel_button)
        self.words_widget: ServiceWordsWidget | None = None
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        if words is not None:
            self.words_widget = ServiceWordsWidget(words, text, self)
            words_note = QLabel(text("words_note"), self)
            words_note.setWordWrap(True)
            self.words_widget.layout().addRow(words_note)
            self.words_widget.changed.connect(self._check_crs)
            columns.addWidget(self.words_widget, 2, Qt.AlignmentFlag.AlignTop)
            self.setMinimumWidth(1_160)  # both columns readable, within 1366 pixels
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.crs_edit.textChanged.connect(self._check_crs)
        self.tiles_edit.textChanged.connect(self._check_crs)
        self.tiles_button.clicked.connect(self._choose_tiles)
        self.defaults_button.clicked.connect(self._restore_defaults)
        self.ok_button.clicked.connect(self.accept)
        cancel_button.clicked.connect(self.reject)
        if words is None:
            self.setMinimumWidth(660)
        self.show_preferences(preferences)

    def _spin(self, low: int, high: int, step: int, suffix: str = "") -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setGroupSeparatorShown(True)
        spin.setLocale(self.text.locale())
        spin.setMinimumWidth(110)
        spin.setMaximumWidth(140)
        return spin

    def show_preferences(self, preferences: Preferences) -> None:
        self.language_combo.setCurrentIndex(
            max(self.language_combo.findData(preferences.language), 0))
        self.crs_edit.setText(preferences.metric_crs)
        distances = list(preferences.coverage_distances) + [1_000, 1_000]
        for spin, distance in zip(self.distance_spins, distances, strict=False):
            spin.setValue(distance)
        self.k_spin.setValue(preferences.incident_min_cell)
        self.n_spin.setValue(preferences.survey_min_n)
        self.small_spin.setValue(preferences.small_count_high)
        self.autosave_spin.setValue(preferences.autosave_minutes)
        self.name_edit.setText(preferences.officer_name)
        self.role_edit.setText(preferences.officer_role)
        self.tiles_edit.setText(preferences.tile_source)
        self.tiles_attribution_edit.setText(preferences.tile_attribution)
        self._check_crs()

    def preferences(self) -> Preferences:
        distances = sorted({spin.value() for spin in self.distance_spins})
        return Preferences(
            language=self.language_combo.currentData(),
            metric_crs=self.crs_edit.text().strip(),
            coverage_distances=tuple(distances),
            incident_min_cell=self.k_spin.value(),
            survey_min_n=self.n_spin.value(),
            small_count_high=self.small_spin.value(),
            autosave_minutes=self.autosave_spin.value(),
            officer_name=self.name_edit.text().strip(),
            officer_role=self.role_edit.text().strip(),
            tile_source=self.tiles_edit.text().strip(),
            tile_attribution=self.tiles_attribution_edit.text().strip(),
            version=self._version,
        )

    @Slot()
    def _check_crs(self) -> None:
        """OK waits for a metric CRS and a usable tile source, each with its reason shown."""
        problem = metric_crs_problem(self.crs_edit.text())
        self.crs_message.setText(self.text(problem[0], name=problem[1]) if problem else "")
        self.crs_message.setVisible(problem is not None)
        tiles = tile_source_problem(self.tiles_edit.text())
        self.tiles_message.setText(self.text(tiles) if tiles else "")
        self.tiles_message.setVisible(tiles is not None)
        words_ok = self.words_widget is None or self.words_widget.words() is not None
        self.ok_button.setEnabled(problem is None and tiles is None and words_ok)
        self.adjustSize()

    def words(self) -> ServiceWords | None:
        """The workspace's words as edited (None when no workspace is open)."""
        return self.words_widget.words() if self.words_widget is not None else None

    @Slot()
    def _choose_tiles(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.text("pref_tiles"), "",
                                              "MBTiles (*.mbtiles)")
        if path:
            self.tiles_edit.setText(path)

    @Slot()
    def _restore_defaults(self) -> None:
        self.show_preferences(dataclasses.replace(  # defaults do not forget who the officer is
            Preferences.defaults(), language=self.language_combo.currentData(),
            officer_name=self.name_edit.text(), officer_role=self.role_edit.text()))
