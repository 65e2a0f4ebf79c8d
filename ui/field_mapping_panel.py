"""The import wizard's column page for every reader that declares its fields.

The page is drawn from the reader's own declaration (``column_mapping.Field``): one choice
of column per field, labelled with its meaning in the window's language and marked when
required, pre-filled with the columns the reader would recognise by itself; a setting (the
level of the areas) is typed. What it returns is the reader's JSON mapping, the same as
``--mapping MAPPING.json`` on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from data_connectors.column_mapping import Field, guess_columns
from ui.import_pages import ERROR_STYLE, NOTE_STYLE, ColumnChoices, _heading, _label
from ui.strings import UiText


class FieldMappingPanel(ColumnChoices, QWidget):
    """Which column holds each of a reader's fields; ``changed`` on every choice."""

    changed = Signal()

    def __init__(self, text: UiText, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = text
        self.fields: tuple[Field, ...] = ()
        self.combos: dict[str, QComboBox] = {}
        self.settings: dict[str, QLineEdit] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = _label("", self, ERROR_STYLE, name="field_mapping_message")
        self.origin = _label("", self, NOTE_STYLE, name="field_mapping_origin")
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(text("import_step_mapping"), self))
        layout.addWidget(_label(text("field_mapping_intro"), self, NOTE_STYLE))
        layout.addWidget(self.origin)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_fields(self, fields: Sequence[Field], columns: Sequence[str],
                   sample: pd.DataFrame | None = None,
                   earlier: Mapping[str, Any] | None = None) -> None:
        """One row per field of the reader, offering ``columns``: the choices of the
        ``earlier`` mapping (of the last file of the same name) where the file has their
        columns, else the reader's own guess; the first values of ``sample`` are shown in
        each choice's tooltip."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self.combos, self.settings = tuple(fields), {}, {}
        names = [str(c) for c in columns]
        earlier = {k: str(v) for k, v in (earlier or {}).items() if isinstance(v, str | int)}
        kept = {k: v for k, v in earlier.items() if v in names}
        proposed = guess_columns(self.fields, names) | kept
        self.origin.setText(self.text("mapping_from_earlier" if kept else "mapping_from_guess"))
        language = self.text.language
        for item in self.fields:
            label = self.text("field_required" if item.required else "field_optional",
                              field=item.meaning(language))
            if item.setting:
                edit = QLineEdit(earlier.get(item.name, ""), self)
                edit.setObjectName(f"setting_{item.name}")
                edit.textChanged.connect(self._update)
                self.settings[item.name] = edit
                self.form.addRow(label, edit)
                continue
            combo = QComboBox(self)
            combo.setObjectName(f"field_{item.name}")
            combo.addItem(self.text("column_none"), None)
            for column in columns:
                combo.addItem(str(column), str(column))
                if sample is not None and column in sample.columns:
                    values = [str(v) for v in sample[column].dropna().head(3)]
                    combo.setItemData(combo.count() - 1, " · ".join(values),
                                      Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(proposed.get(item.name)), 0))
            combo.currentIndexChanged.connect(self._update)
            self.combos[item.name] = combo
            self.form.addRow(label, combo)
        self._update()

    def values(self) -> dict[str, Any]:
        """The mapping as the reader's JSON form: the chosen columns and typed settings."""
        values = self.chosen_columns()
        values.update({name: edit.text().strip() for name, edit in self.settings.items()
                       if edit.text().strip()})
        return values

    def missing(self) -> list[str]:
        """The required fields still without a column, by their meaning."""
        language = self.text.language
        return [item.meaning(language) for item in self.fields
                if item.required and not item.setting and not self.combos[item.name].currentData()]

    def is_complete(self) -> bool:
        return bool(self.fields) and not self.missing()

    def _update(self) -> None:
        missing = self.missing()
        self.message.setText("\n".join(self.text("missing_field", field=m) for m in missing))
        self.message.setVisible(bool(missing))
        self.changed.emit()
