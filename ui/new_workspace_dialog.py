"""File › New workspace: where to save it, its city or region, its metric CRS, its words.

Every distance and area of a workspace is measured in its metric CRS, and its briefs speak
its police service's words, so both are asked for before the first import. Picking a city
proposes the CRS its files use (Montréal's MTM zone 8) or the UTM zone of its longitude
(``portrait.cities``), and what its police call a station; "Other place" takes a longitude
and latitude. The officer may change the CRS (any EPSG code in metres) and every word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portrait.cities import CITIES, City, matching, proposed_crs
from portrait.crs import crs_in_words, utm_crs
from portrait.service_words import MONTREAL, ServiceWords, words_for_city
from ui.preferences import metric_crs_problem
from ui.service_words_widget import ERROR_STYLE, ServiceWordsWidget
from ui.strings import UiText

#: The list item standing for a place not in the list.
OTHER = "other"


@dataclass(frozen=True)
class NewWorkspaceChoice:
    path: Path
    title: str
    crs: str
    words: ServiceWords


class NewWorkspaceDialog(QDialog):
    """The choices for a new workspace; Create stays off until they are usable, with the
    reason shown. ``choice()`` returns them once accepted."""

    def __init__(self, text: UiText, default_crs: str, start_dir: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("new_workspace_dialog")
        self.setWindowTitle(text("nw_title"))
        self.text = text
        self._start_dir = start_dir
        self._place = ""  # what the proposed CRS is for ("" once the officer typed one)

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(text("nw_file_placeholder"))
        browse = QPushButton(text("nw_browse"), self)
        browse.setObjectName("browse_button")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("title_edit")
        self.title_edit.setPlaceholderText(text("nw_name_placeholder"))

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("city_search")
        self.search_edit.setPlaceholderText(text("nw_city_search"))
        self.search_edit.setClearButtonEnabled(True)
        self.city_list = QListWidget(self)
        self.city_list.setObjectName("city_list")
        for city in CITIES:
            item = QListWidgetItem(city.label(text.language), self.city_list)
            item.setData(Qt.ItemDataRole.UserRole, city)
        other = QListWidgetItem(text("nw_other_place"), self.city_list)
        other.setData(Qt.ItemDataRole.UserRole, OTHER)
        self.city_list.setMinimumHeight(160)
        self.longitude_spin = self._degrees(-180, 180, "longitude_spin", -73.57)
        self.latitude_spin = self._degrees(-80, 84, "latitude_spin", 45.50)
        self.other_row = QWidget(self)
        other_layout = QHBoxLayout(self.other_row)
        other_layout.setContentsMargins(0, 0, 0, 0)
        for key, spin in (("nw_longitude", self.longitude_spin),
                          ("nw_latitude", self.latitude_spin)):
            other_layout.addWidget(QLabel(text(key), self.other_row))
            other_layout.addWidget(spin)
        other_layout.addStretch(1)
        self.other_row.setVisible(False)

        self.crs_edit = QLineEdit(default_crs, self)
        self.crs_edit.setObjectName("crs_edit")
        self.crs_edit.setToolTip(text("crs_tooltip"))
        self.crs_words = QLabel(self)
        self.crs_words.setObjectName("crs_words")
        self.crs_words.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("new_workspace_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.words_widget = ServiceWordsWidget(MONTREAL, text, self)

        place = QFormLayout()
        place.addRow(text("nw_file"), path_row)
        place.addRow(text("nw_name"), self.title_edit)
        place.addRow(text("nw_city"), self.search_edit)
        place.addRow(self.city_list)
        place.addRow(self.other_row)
        place.addRow(text("nw_crs"), self.crs_edit)
        place.addRow(self.crs_words)
        columns = QHBoxLayout()
        columns.addLayout(place, 5)
        columns.addWidget(self.words_widget, 4)

        self.create_button = QPushButton(text("nw_create"), self)
        self.create_button.setObjectName("create_button")
        self.create_button.setDefault(True)
        cancel = QPushButton(text("button_cancel"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

        browse.clicked.connect(self._browse)
        self.path_edit.textChanged.connect(self._check)
        self.search_edit.textChanged.connect(self._filter)
        self.city_list.currentItemChanged.connect(self._place_chosen)
        self.longitude_spin.valueChanged.connect(self._point_moved)
        self.latitude_spin.valueChanged.connect(self._point_moved)
        self.crs_edit.textEdited.connect(self._crs_typed)
        self.crs_edit.textChanged.connect(self._check)
        self.words_widget.changed.connect(self._check)
        self.create_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.words_widget.set_city("")  # no city yet: the officer picks one
        self.setMinimumWidth(1_040)  # fits 1366 x 768 with every city name on one line
        self._check()

    def _degrees(self, low: float, high: float, name: str, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setDecimals(4)
        spin.setSuffix(" °")
        spin.setLocale(self.text.locale())
        spin.setValue(value)
        return spin

    # --- choices ----------------------------------------------------------------------------
    def chosen_city(self) -> City | str | None:
        """The picked city, ``OTHER``, or None."""
        item = self.city_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def path(self) -> Path | None:
        """The file to create (".gpkg" added), None until a file name is typed."""
        path = Path(self.path_edit.text().strip())
        return path.with_suffix(".gpkg") if path.name not in ("", ".", "..") else None

    def choice(self) -> NewWorkspaceChoice:
        words = self.words_widget.words()
        path = self.path()
        if words is None or path is None:
            raise ValueError("choice() is only meaningful once Create is enabled")
        return NewWorkspaceChoice(path, self.title_edit.text().strip(),
                                  self.crs_edit.text().strip(), words)

    # --- slots ------------------------------------------------------------------------------
    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.text("nw_title"),
                                              self.path_edit.text() or self._start_dir,
                                              self.text("workspace_filter"))
        if path:
            self.path_edit.setText(str(Path(path).with_suffix(".gpkg")))

    @Slot(str)
    def _filter(self, query: str) -> None:
        found = set(matching(query))
        for row in range(self.city_list.count()):
            item = self.city_list.item(row)
            city = item.data(Qt.ItemDataRole.UserRole)
            item.setHidden(city != OTHER and city not in found)

    @Slot()
    def _place_chosen(self) -> None:
        city = self.chosen_city()
        self.other_row.setVisible(city == OTHER)
        if isinstance(city, City):
            self.words_widget.set_words(words_for_city(
                city.name, city.station_term, city.service, self.text.language))
            self._propose(proposed_crs(city), city.label(self.text.language))
        elif city == OTHER:
            self.words_widget.set_city("")
            self._point_moved()

    @Slot()
    def _point_moved(self) -> None:
        if self.chosen_city() != OTHER:
            return
        longitude, latitude = self.longitude_spin.value(), self.latitude_spin.value()
        place = f"{longitude:.2f} ; {latitude:.2f}".replace(".", ",") \
            if self.text.language == "fr" else f"{longitude:.2f}, {latitude:.2f}"
        self._propose(utm_crs(longitude, latitude), place)

    def _propose(self, crs: str, place: str) -> None:
        self._place = place
        self.crs_edit.setText(crs)
        self._check()

    @Slot()
    def _crs_typed(self) -> None:
        self._place = ""  # the officer's own choice: no longer "proposed for"

    @Slot()
    def _check(self) -> None:
        crs = self.crs_edit.text().strip()
        problem = metric_crs_problem(crs)
        if problem is None:
            words = crs_in_words(crs)
            self.crs_words.setText(
                self.text("nw_crs_proposed", place=self._place, crs=words) if self._place
                else self.text("nw_crs_chosen", crs=words))
            self.crs_words.setStyleSheet("")
        else:
            self.crs_words.setText(self.text(problem[0], name=problem[1]))
            self.crs_words.setStyleSheet(ERROR_STYLE)
        path = self.path()
        reason = ""
        if path is None:
            reason = self.text("nw_no_file")
        elif path.exists():
            reason = self.text("nw_file_exists", name=path.name)
        elif not path.parent.is_dir():
            reason = self.text("nw_no_folder", folder=str(path.parent))
        elif self.chosen_city() is None:
            reason = self.text("nw_no_city")
        self.message.setText(reason)
        self.create_button.setEnabled(not reason and problem is None and
                                      self.words_widget.words() is not None)
