"""The pages of the import wizard: file and format, preview, column mapping, progress, report.

Each page only shows and gathers; ``ui.import_wizard`` moves between them and runs the slow
work (recognising the file, reading the preview, importing) in the background. The two
helpers at the top are plain functions so they can be tested without widgets: they only
dispatch to ``data_connectors`` and ``portrait``, where the file formats and mappings live.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from data_connectors.base import Connector, ImportReport
from data_connectors.category_files import category_rows, merged_category_rows
from data_connectors.registry import READERS
from data_connectors.report_messages import report_in_language
from data_connectors.text_files import sniff
from portrait.categories import CATEGORIES
from ui.import_catalogue import CatalogueChoiceWidget
from ui.strings import UiText

try:  # the column-mapping reader arrived later than the wizard; work without it
    from data_connectors import mapped_points
except ImportError:  # pragma: no cover  (only while that module is missing)
    mapped_points = None

log = logging.getLogger(__name__)

PREVIEW_ROWS = 20
MAPPED_READER_ID = "mapped-points"
#: Mapping fields, in the order the page shows them; the first two are required.
MAPPING_FIELDS = ("category", "date", "time", "shift", "station", "lat", "lon", "x", "y", "id")
REQUIRED_FIELDS = ("category", "date")
#: Projected and geographic systems officers meet most, offered for x/y columns.
COMMON_CRS = ("EPSG:32188", "EPSG:2950", "EPSG:26918", "EPSG:26910", "EPSG:4326")
ERROR_STYLE = "color: #a61b1b;"
NOTE_STYLE = "color: #555555;"


def mapping_available() -> bool:
    """Whether the column-mapping reader (and its preview and guess) can be used."""
    return mapped_points is not None and all(
        hasattr(mapped_points, name) for name in ("preview", "propose_mapping", "ColumnMapping"))


@dataclass
class PreviewData:
    """The first rows of a file, and a proposed column mapping when the reader needs one
    (``mapping_saved``: the mapping confirmed at an earlier import of this kind of file)."""

    frame: pd.DataFrame
    mapping: Any = None
    has_geometry: bool = False
    mapping_saved: bool = False


def load_preview(path: Path, reader_id: str, rows: int = PREVIEW_ROWS,
                 saved_mappings: Mapping[str, Mapping[str, Any]] | None = None) -> PreviewData:
    """Read the first ``rows`` rows of ``path`` as text (and propose a mapping if needed).

    Tables and point files go through the mapping reader's own preview when it exists, so
    the wizard shows exactly the columns the mapping will name; other delimited text files
    are read with the encoding and delimiter ``sniff`` finds. The proposed mapping is the one
    saved for this kind of file (``saved_mappings``, by source key) when there is one, else
    the reader's guess from the column names. Errors are ``ReaderError``s naming the file; a
    format without a preview gives an empty frame.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if mapping_available() and suffix in _mapped_suffixes():
        frame = mapped_points.preview(path, rows)
        if reader_id != MAPPED_READER_ID:
            return PreviewData(frame)
        saved = _saved_mapping(path, tuple(str(c) for c in frame.columns), saved_mappings)
        proposed = saved or mapped_points.propose_mapping(path)
        has_geometry = suffix in getattr(mapped_points, "VECTOR_SUFFIXES", ())
        return PreviewData(frame, proposed, has_geometry=has_geometry,
                           mapping_saved=saved is not None)
    if suffix in (".csv", ".tsv", ".txt"):
        text_format = sniff(path)
        frame = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                            dtype=str, nrows=rows, keep_default_na=False,
                            encoding_errors="replace")
        return PreviewData(frame)
    return PreviewData(pd.DataFrame())


def _saved_mapping(path: Path, columns: tuple[str, ...],
                   saved: Mapping[str, Mapping[str, Any]] | None) -> Any:
    """The mapping confirmed earlier for files like this one (same name pattern and
    columns), or None; a saved mapping that no longer reads is ignored, not fatal."""
    if not saved or not hasattr(mapped_points, "source_key"):
        return None
    found = saved.get(mapped_points.source_key(path, columns))
    if found is None:
        return None
    try:
        return mapped_points.ColumnMapping.from_dict(found)
    except Exception as error:  # noqa: BLE001  (MappingError: an outdated saved mapping)
        log.warning("Ignoring the saved column mapping of %s: %s", path.name, error)
        return None


def _mapped_suffixes() -> tuple[str, ...]:
    return tuple(getattr(mapped_points, "TABLE_SUFFIXES", (".csv", ".tsv", ".xlsx"))) + \
        tuple(getattr(mapped_points, "VECTOR_SUFFIXES", (".geojson", ".json", ".gpkg")))


def with_category_choices(existing: pd.DataFrame, choices: Mapping[str, str],
                          source: str) -> pd.DataFrame:
    """The ``category_mappings`` layer with the officer's choices (source category -> common
    category id) added, replacing earlier rows for the same source categories."""
    return merged_category_rows(existing, category_rows(choices, source))


class QtFrameModel(QAbstractTableModel):
    """A read-only pandas frame for a QTableView (the preview: a few rows, shown as text)."""

    def __init__(self, frame: pd.DataFrame | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._frame = frame if frame is not None else pd.DataFrame()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._frame)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._frame.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self._frame.iat[index.row(), index.column()]
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) \
            else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self._frame.columns[section])
        return str(section + 1)


def _label(text: str, parent: QWidget, style: str | None = None, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    if name:
        label.setObjectName(name)
    return label


def _left(combo: QComboBox) -> QHBoxLayout:
    """A combo as wide as the column choices above it, not the whole row."""
    combo.setMinimumContentsLength(22)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    row = QHBoxLayout()
    row.addWidget(combo, 0)
    row.addStretch(1)
    return row


def _heading(text: str, parent: QWidget) -> QLabel:
    label = _label(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label


class ImportFilePanel(QWidget):
    """Page 1: the file (typed, browsed or dropped) and the reader to read it with."""

    changed = Signal()
    pathChosen = Signal(object)

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(text("import_path_placeholder"))
        browse = QPushButton(text("button_browse"), self)
        browse.setObjectName("browse_button")
        self.reader_combo = QComboBox(self)
        self.reader_combo.setObjectName("reader_combo")
        self.reader_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reader_combo.setMinimumContentsLength(40)
        self.reader_message = _label("", self, name="reader_message")
        self.destination = _label("", self, NOTE_STYLE, name="reader_destination")
        self.catalogue = CatalogueChoiceWidget(text, self)
        self._detecting = False
        self._proposed: list[str] = []
        self._examined: Path | None = None

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(text("import_file"), row)
        form.addRow(text("import_reader"), self.reader_combo)
        form.addRow("", self.reader_message)
        form.addRow(text("import_destination"), self.destination)
        form.addRow(text("import_catalogue"), self.catalogue)
        self._catalogue_label = form.labelForField(self.catalogue)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(text("import_step_file"), self))
        layout.addWidget(_label(text("import_file_intro"), self))
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)

        self.fill_readers([])
        browse.clicked.connect(self._browse)
        self.path_edit.editingFinished.connect(self._path_edited)
        self.reader_combo.currentIndexChanged.connect(self._reader_changed)

    def path(self) -> Path | None:
        value = self.path_edit.text().strip()
        return Path(value) if value else None

    def reader(self) -> Connector | None:
        reader_id = self.reader_combo.currentData()
        return next((r for r in READERS if r.id == reader_id), None)

    def is_complete(self) -> bool:
        path = self.path()
        return (not self._detecting and path is not None and path.is_file()
                and self.reader() is not None)

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._path_edited()

    def detecting(self) -> None:
        self._detecting = True
        self.reader_message.setStyleSheet(NOTE_STYLE)
        self.reader_message.setText(self.text("import_detecting"))
        self.changed.emit()

    def fill_readers(self, proposed: Sequence[str]) -> None:
        """List every reader, the proposed ones first and marked, the best one selected."""
        self._detecting = False
        self._proposed = list(proposed)
        order = [r for r in READERS if r.id in proposed] + \
            [r for r in READERS if r.id not in proposed]
        self.reader_combo.blockSignals(True)
        self.reader_combo.clear()
        for reader in order:
            label = self.text("reader_proposed", label=reader.label) if reader.id in proposed \
                else reader.label
            self.reader_combo.addItem(label, reader.id)
            self.reader_combo.setItemData(self.reader_combo.count() - 1, reader.label,
                                          Qt.ItemDataRole.ToolTipRole)
        self.reader_combo.setCurrentIndex(0 if proposed else -1)
        self.reader_combo.blockSignals(False)
        self._describe()
        self.changed.emit()

    def choose_reader(self, reader_id: str) -> None:
        self.reader_combo.setCurrentIndex(self.reader_combo.findData(reader_id))

    def _describe(self) -> None:
        path = self.path()
        if path is None:
            message, style = "", NOTE_STYLE
        elif not path.is_file():
            message, style = self.text("import_no_such_file", name=path.name), ERROR_STYLE
        elif self.reader_combo.currentData() is None:
            message, style = self.text("import_not_recognised", name=path.name), ERROR_STYLE
        elif self.reader_combo.currentData() in self._proposed:
            message, style = self.text("import_recognised"), NOTE_STYLE
        else:
            message, style = self.text("import_reader_forced"), ERROR_STYLE
        self.reader_message.setStyleSheet(style)
        self.reader_message.setText(message)
        reader = self.reader()
        self.destination.setText(self.text(f"kind_{reader.kind}") if reader is not None and
                                 f"kind_{reader.kind}" in self.text.keys() else "")
        self._catalogue_label.setVisible(self.catalogue.show_for(reader))

    def _browse(self) -> None:
        start = str(self.path().parent) if self.path() else ""
        chosen, _ = QFileDialog.getOpenFileName(self, self.text("import_choose_title"), start,
                                                self.text("import_filter"))
        if chosen:
            self.set_path(Path(chosen))

    def _path_edited(self) -> None:
        path = self.path()
        if path == self._examined and path is not None and path.is_file():
            return  # focus left the field: the file is the one already examined
        self._examined = path
        if path is not None and path.is_file():
            self.pathChosen.emit(path)
        else:
            self.fill_readers([])

    def _reader_changed(self) -> None:
        self._describe()
        self.changed.emit()


class ImportPreviewPanel(QWidget):
    """Page 2: the file's first rows, as the reader will see them."""

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.title = _heading(text("import_step_preview"), self)
        self.message = _label("", self, name="preview_message")
        self.model = QtFrameModel(parent=self)
        self.table = QTableView(self)
        self.table.setObjectName("preview_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMaximumSectionSize(260)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def loading(self, path: Path) -> None:
        self.model.set_frame(pd.DataFrame())
        self.message.setStyleSheet(NOTE_STYLE)
        self.message.setText(self.text("preview_loading", name=path.name))

    def show_preview(self, path: Path, preview: PreviewData) -> None:
        self.model.set_frame(preview.frame)
        self.message.setStyleSheet(NOTE_STYLE)
        if preview.frame.columns.empty:
            self.message.setText(self.text("preview_none", name=path.name))
        else:
            self.message.setText(self.text(
                "preview_rows", rows=self.text.number(len(preview.frame)),
                columns=self.text.number(len(preview.frame.columns)), name=path.name))

    def failed(self, message: str) -> None:
        self.model.set_frame(pd.DataFrame())
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(self.text("preview_failed", message=message))


class ColumnChoices:
    """What both column pages share: one combo per field (``combos``), whose data is the
    chosen column (None: no column)."""

    combos: dict[str, QComboBox]

    def choose(self, field_name: str, column: str | None) -> None:
        """Select ``column`` for ``field_name`` (None: no column)."""
        combo = self.combos[field_name]
        combo.setCurrentIndex(combo.findData(column) if column else 0)

    def chosen_columns(self) -> dict[str, Any]:
        """Field -> chosen column, for the fields that have one."""
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData()}


class ColumnMappingPanel(ColumnChoices, QWidget):
    """Page 3 (mapping reader only): which column holds what; pre-filled with the guess.

    The checks are the reader's own (``ColumnMapping.missing``), shown as a translated
    sentence under the form, and the Import button waits until nothing is missing.
    """

    changed = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.combos: dict[str, QComboBox] = {}
        self.examples: dict[str, QLabel] = {}
        self._sample = pd.DataFrame()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in MAPPING_FIELDS:
            combo = QComboBox(self)
            combo.setObjectName(f"map_{name}")
            combo.setMinimumContentsLength(22)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._update)
            example = _label("", self, NOTE_STYLE, name=f"example_{name}")
            example.setWordWrap(False)
            row = QHBoxLayout()
            row.addWidget(combo, 0)
            row.addWidget(example, 1)
            key = "field_required" if name in REQUIRED_FIELDS else "field_optional"
            form.addRow(text(key, field=text(f"field_{name}")), row)
            self.combos[name] = combo
            self.examples[name] = example
        self.crs_combo = QComboBox(self)
        self.crs_combo.setObjectName("map_crs")
        self.crs_combo.setEditable(True)
        self.crs_combo.addItems(list(COMMON_CRS))
        self.crs_combo.setCurrentText("")
        self.crs_combo.setToolTip(text("map_crs_tooltip"))
        self.crs_combo.currentTextChanged.connect(self._update)
        form.addRow(text("field_optional", field=text("field_crs")), _left(self.crs_combo))
        self.date_format_combo = QComboBox(self)
        self.date_format_combo.setObjectName("map_date_format")
        self.date_format_combo.addItem(text("date_format_auto"), None)
        for name in getattr(mapped_points, "DATE_FORMATS", {}):
            self.date_format_combo.addItem(name, name)
        if mapped_points is not None and hasattr(mapped_points, "EXCEL_SERIAL"):
            self.date_format_combo.addItem(text("date_format_excel"), mapped_points.EXCEL_SERIAL)
        form.addRow(text("field_optional", field=text("field_date_format")),
                    _left(self.date_format_combo))
        self.geometry_check = QCheckBox(text("map_use_geometry"), self)
        self.geometry_check.setObjectName("map_use_geometry")
        self.geometry_check.toggled.connect(self._update)
        form.addRow("", self.geometry_check)
        self.message = _label("", self, ERROR_STYLE, name="mapping_message")
        self.origin = _label("", self, NOTE_STYLE, name="mapping_origin")

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(text("import_step_mapping"), self))
        layout.addWidget(_label(text("mapping_intro"), self))
        layout.addWidget(self.origin)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_columns(self, columns: Sequence[str], proposed: Any, has_geometry: bool,
                    sample: pd.DataFrame | None = None, saved: bool = False) -> None:
        """Offer ``columns`` in every combo, selecting the proposed mapping's choices; the
        first values of ``sample`` are shown beside each choice, to check it at a glance."""
        self._sample = sample if sample is not None else pd.DataFrame()
        self.origin.setText(self.text("mapping_from_saved" if saved else "mapping_from_guess"))
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.text("column_none"), None)
            for column in columns:
                combo.addItem(str(column), str(column))
            chosen = getattr(proposed, name, None) if proposed is not None else None
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)
        crs = getattr(proposed, "crs", None) if proposed is not None else None
        self.crs_combo.setCurrentText(crs or "")
        date_format = getattr(proposed, "date_format", None) if proposed is not None else None
        self.date_format_combo.setCurrentIndex(max(self.date_format_combo.findData(date_format),
                                                   0))
        self.geometry_check.setEnabled(has_geometry)
        self.geometry_check.setChecked(bool(getattr(proposed, "use_file_geometry", False)))
        self._update()

    def values(self) -> dict[str, Any]:
        """The mapping as the reader's JSON form (only what is set)."""
        values = self.chosen_columns()
        if self.crs_combo.currentText().strip() and self.crs_combo.isEnabled():
            values["crs"] = self.crs_combo.currentText().strip()
        if self.date_format_combo.currentData():
            values["date_format"] = self.date_format_combo.currentData()
        if self.geometry_check.isChecked() and self.geometry_check.isEnabled():
            values["use_file_geometry"] = True
        return values

    def problems(self) -> list[str]:
        """What must still be chosen, in the window's language (empty when complete)."""
        try:
            mapping = mapped_points.ColumnMapping.from_dict(self.values())
        except Exception as error:  # noqa: BLE001  (MappingError: a CRS pyproj does not know)
            log.info("Column mapping not usable yet: %s", error)
            return [self.text("crs_unknown", name=self.crs_combo.currentText().strip())]
        return [self._translated(item) for item in mapping.missing()]

    def is_complete(self) -> bool:
        return mapping_available() and not self.problems()

    def _translated(self, missing: str) -> str:
        first = missing.split(" ", 1)[0]
        if first in ("category", "date"):
            return self.text("missing_field", field=self.text(f"field_{first}"))
        if first in ("x", "y", "lat", "lon"):
            return self.text("missing_pair", field=self.text(f"field_{first}"))
        if first == "crs":
            return self.text("missing_crs")
        if missing.startswith("a location"):
            return self.text("missing_location")
        return missing

    def _show_examples(self) -> None:
        for name, combo in self.combos.items():
            column = combo.currentData()
            values = []
            if column and column in self._sample.columns:
                values = [str(v) for v in self._sample[column].dropna().head(3)
                          if str(v).strip()]
            self.examples[name].setText(
                self.text("mapping_example", values=" · ".join(values)) if values else "")

    def _update(self) -> None:
        self._show_examples()
        xy = bool(self.combos["x"].currentData() or self.combos["y"].currentData())
        self.crs_combo.setEnabled(xy)
        problems = self.problems() if mapping_available() else []
        self.message.setText("\n".join(f"• {p}" for p in problems))
        self.message.setVisible(bool(problems))
        self.changed.emit()


class ImportProgressPanel(QWidget):
    """Page 4: progress of the import running in the background, with its Cancel button."""

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.title = _heading(text("import_step_progress"), self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("import_progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.message = _label("", self, NOTE_STYLE, name="progress_message")
        self.outcome = _label("", self, name="import_outcome")
        self.cancel_button = QPushButton(text("button_cancel_import"), self)
        self.cancel_button.setObjectName("cancel_import_button")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addSpacing(12)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.outcome)
        layout.addStretch(1)

    def started(self, path: Path) -> None:
        self.title.setText(self.text("import_running", name=path.name))
        self.bar.setValue(0)
        self.message.setText(self.text("import_starting"))
        self.outcome.setText("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)

    def set_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(1000 * min(max(fraction, 0.0), 1.0)))
        self.message.setText(message)

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.message.setText(self.text("import_cancelling"))

    def ended(self, outcome: str, error: bool) -> None:
        self.cancel_button.setVisible(False)
        self.outcome.setStyleSheet(ERROR_STYLE if error else "")
        self.outcome.setText(outcome)


class ImportReportPanel(QWidget):
    """Page 5: what the import kept, dropped and flagged, and the unmapped categories.

    The officer can give each unmapped source category a common category; ``mappingsChosen``
    carries the choices (source category -> category id) to be saved in the workspace.
    """

    mappingsChosen = Signal(dict)
    reimportRequested = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.summary = _label("", self, name="report_summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.details = QTableWidget(0, 3, self)
        self.details.setObjectName("report_details")
        self.details.setHorizontalHeaderLabels(
            [text("report_col_outcome"), text("report_col_reason"), text("report_col_rows")])
        self._table_style(self.details, stretch=1)
        self.warnings = _label("", self, name="report_warnings")
        self.unmapped_box = QGroupBox(text("report_unmapped_title"), self)
        self.unmapped_box.setObjectName("unmapped_box")
        self.unmapped = QTableWidget(0, 3, self.unmapped_box)
        self.unmapped.setObjectName("unmapped_table")
        self.unmapped.setHorizontalHeaderLabels(
            [text("report_col_source_category"), text("report_col_rows"),
             text("report_col_category")])
        self._table_style(self.unmapped, stretch=2)
        self.save_mappings_button = QPushButton(text("button_save_mappings"), self.unmapped_box)
        self.save_mappings_button.setObjectName("save_mappings_button")
        self.reimport_button = QPushButton(text("button_reimport"), self.unmapped_box)
        self.reimport_button.setObjectName("reimport_button")
        self.reimport_button.setEnabled(False)
        self.mapping_message = _label(text("report_unmapped_note"), self.unmapped_box,
                                      NOTE_STYLE, name="mapping_saved_message")
        box_buttons = QHBoxLayout()
        box_buttons.addWidget(self.save_mappings_button)
        box_buttons.addWidget(self.reimport_button)
        box_buttons.addStretch(1)
        box_layout = QVBoxLayout(self.unmapped_box)
        box_layout.addWidget(self.mapping_message)
        box_layout.addWidget(self.unmapped, 1)
        box_layout.addLayout(box_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(text("import_step_report"), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.warnings)
        layout.addWidget(self.unmapped_box, 1)
        layout.addStretch(0)
        self.save_mappings_button.clicked.connect(self._save_mappings)
        self.reimport_button.clicked.connect(self.reimportRequested)

    @staticmethod
    def _table_style(table: QTableWidget, stretch: int) -> None:
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def show_reports(self, reports: Sequence[ImportReport]) -> None:
        number = self.text.number
        reports = [report_in_language(report, self.text.language) for report in reports]
        lines = []
        for report in reports:
            dropped = sum(report.dropped.values())
            flagged = sum(report.flagged.values())
            lines.append(self.text(
                "report_summary", name=Path(report.source_path).name,
                layer=self.text.layer_name(report.layer), read=number(report.rows_read),
                kept=number(report.rows_kept), dropped=number(dropped),
                flagged=number(flagged)))
            if report.columns:
                lines.append(self.text("report_columns", columns=self._columns_read(report)))
        self.summary.setText("<br>".join(lines))
        rows = [(self.text("report_dropped"), reason, count)
                for report in reports for reason, count in report.dropped.items()]
        rows += [(self.text("report_flagged"), reason, count)
                 for report in reports for reason, count in report.flagged.items()]
        self.details.setRowCount(len(rows))
        for row, (outcome, reason, count) in enumerate(rows):
            self.details.setItem(row, 0, QTableWidgetItem(outcome))
            self.details.setItem(row, 1, QTableWidgetItem(reason))
            self.details.setItem(row, 2, _number_item(number(count)))
        self.details.setVisible(bool(rows))
        _fit_height(self.details, max_rows=8)
        warnings = [w for report in reports for w in report.warnings]
        self.warnings.setText(self.text("report_warnings", warnings="<br>".join(
            f"• {w}" for w in warnings)) if warnings else "")
        self.warnings.setVisible(bool(warnings))
        unmapped: dict[str, int] = {}
        for report in reports:
            for name, count in report.unmapped_categories.items():
                unmapped[name] = unmapped.get(name, 0) + count
        self._show_unmapped(unmapped)

    def _columns_read(self, report: ImportReport) -> str:
        """Which column served each field, the field said by its meaning."""
        meanings = {f.name: f.meaning(self.text.language)
                    for f in next((r.fields for r in READERS if r.id == report.reader), ())}
        return self.text("report_column_separator").join(self.text("report_column",
                                   field=html.escape(meanings.get(name, name), quote=False),
                                   column=html.escape(column, quote=False))
                         for name, column in report.columns.items())

    def _show_unmapped(self, unmapped: Mapping[str, int]) -> None:
        self.unmapped.setRowCount(len(unmapped))
        for row, (name, count) in enumerate(unmapped.items()):
            item = QTableWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.unmapped.setItem(row, 0, item)
            self.unmapped.setItem(row, 1, _number_item(self.text.number(count)))
            combo = QComboBox(self.unmapped)
            combo.addItem(self.text("category_leave_unmapped"), None)
            for category in CATEGORIES:
                combo.addItem(category.label(self.text.language), category.id)
            self.unmapped.setCellWidget(row, 2, combo)
        self.unmapped_box.setVisible(bool(unmapped))
        self.save_mappings_button.setEnabled(bool(unmapped))
        self.reimport_button.setEnabled(False)
        self.mapping_message.setStyleSheet(NOTE_STYLE)
        self.mapping_message.setText(self.text("report_unmapped_note"))

    def choose_category(self, source_category: str, category_id: str | None) -> None:
        """Select ``category_id`` for an unmapped source category (as the officer would)."""
        for row in range(self.unmapped.rowCount()):
            if self.unmapped.item(row, 0).data(Qt.ItemDataRole.UserRole) == source_category:
                combo = self.unmapped.cellWidget(row, 2)
                combo.setCurrentIndex(combo.findData(category_id) if category_id else 0)

    def chosen_categories(self) -> dict[str, str]:
        choices = {}
        for row in range(self.unmapped.rowCount()):
            category = self.unmapped.cellWidget(row, 2).currentData()
            if category:
                choices[self.unmapped.item(row, 0).data(Qt.ItemDataRole.UserRole)] = category
        return choices

    def mappings_saved(self, count: int) -> None:
        self.mapping_message.setStyleSheet(NOTE_STYLE)
        self.mapping_message.setText(self.text("report_mappings_saved",
                                               count=self.text.number(count)))
        self.reimport_button.setEnabled(True)

    def mappings_failed(self, message: str) -> None:
        self.mapping_message.setStyleSheet(ERROR_STYLE)
        self.mapping_message.setText(message)

    def _save_mappings(self) -> None:
        choices = self.chosen_categories()
        if not choices:
            self.mappings_failed(self.text("report_nothing_chosen"))
            return
        self.mappingsChosen.emit(choices)


def _fit_height(table: QTableWidget, max_rows: int) -> None:
    """As tall as its rows (up to ``max_rows``), so a short report leaves no empty table."""
    table.resizeRowsToContents()
    rows = min(table.rowCount(), max_rows)
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(row) for row in range(rows))
    table.setFixedHeight(height + (table.horizontalScrollBar().sizeHint().height()
                                   if table.rowCount() > max_rows else 0))


def _number_item(value: str) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
