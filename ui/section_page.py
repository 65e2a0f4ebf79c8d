"""One page of the section navigator: the parts of the portrait it groups, each with its key
figures (cards), a chart, a table, and every other figure one click away.

Which figures become cards and which tables and charts each part shows is chosen here, from
the portrait's ids: the portrait holds dozens of figures per section (bases of rates,
per-category counts) that an officer reads in the "all figures" table rather than on cards.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from exports.service_palette import service_colour
from portrait.portrait_model import IndicatorValue, Section
from portrait.wording import in_language
from ui.call_demand_page import call_demand_parts
from ui.chart_labels import short_labels
from ui.chart_widget import ChartWidget
from ui.figure_text import FigureText
from ui.figure_widgets import (
    Cell,
    FigureGridWidget,
    FigureTableModel,
    FigureTableWidget,
    KeyFigureCardWidget,
    TitledBlockWidget,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ui.records.pages import RecordPages

#: Navigator pages filled from the portrait, and the portrait sections each one groups.
PORTRAIT_PAGES: dict[str, tuple[str, ...]] = {
    "population": ("socio_economic", "station_comparison"),
    "crime": ("crime", "crime_trends", "issues", "crime_places"),
    "services": ("services",),
    "surveys": ("surveys",),
    "calls": ("call_demand",),
}
#: Figures shown as cards, per portrait section (the others are in the "all figures" table).
KEY_FIGURES: dict[str, tuple[str, ...]] = {
    "socio_economic": ("population", "median_household_income", "low_income_rate",
                       "immigrant_share", "share_0_14", "share_65_plus", "renter_share",
                       "unemployment_rate", "single_parent_share"),
    "crime": ("incidents_total", "incidents_rate"),
    "crime_trends": ("change_last_12_months_all", "change_year_to_date_all", "seasonality",
                     "time_grid_independence"),
    "issues": (),
    "crime_places": ("hot_spot_cells", "top_10pct_cells", "gini_cells",
                     "places_for_80pct_cells", "repeat_locations",
                     "share_without_location"),
    "services": ("services_in_station", "high_need_areas_with_gaps"),
    "surveys": (),
    "station_comparison": (),
    "call_demand": ("calls_demand", "calls_diverted", "calls_share_deferrable",
                    "calls_share_crisis", "calls_share_other_service", "calls_diverted_hours"),
}
#: Columns of the station comparison shown (the portrait has one per figure of the sections).
COMPARISON_COLUMNS = ("name", "population", "median_household_income", "low_income_rate",
                      "incidents_rate", "services_per_1000")
CHART_COLOURS = ("#2b5d8a", "#b9c4d0")
SURVEY_PREFIX = "survey_"
#: Pause between two building steps of a page, leaving the map's worker thread its share of
#: Python's lock while the page completes below the fold.
STEP_INTERVAL_MS = 30
#: Width of one character of an 8-point tick label, for the charts' left margins.
LABEL_CHAR_PX = 6.6


@dataclass(frozen=True)
class TableSpec:
    """A portrait table shown with chosen columns: (header key, record field, kind) where
    kind is "label", "count", "rate", "ratio", "percent", "signed" or "test"; ``payload``
    names the figure a row's info popup explains (``{key}`` is the row's ``key_field``)."""

    table_id: str
    title_key: str
    columns: tuple[tuple[str, str, str], ...]
    key_field: str
    payload: str


TABLES: dict[str, TableSpec] = {
    "crime": TableSpec("categories", "table_categories", (
        ("col_category", "label", "label"), ("col_count", "count", "count"),
        ("col_rate", "rate", "rate"), ("col_city_rate", "city_rate", "rate"),
        ("col_lq", "lq", "ratio")), "category", "count_{key}"),
    "crime_trends": TableSpec("changes_last_12_months", "table_changes", (
        ("col_group", "label", "label"), ("col_current", "current", "count"),
        ("col_previous", "previous", "count"), ("col_difference", "difference", "signed"),
        ("col_test", "", "test")), "group", "change_last_12_months_{key}"),
    "issues": TableSpec("issues", "table_issues", (
        ("col_issue", "label", "label"), ("col_count", "count", "count"),
        ("col_rate", "rate", "rate"), ("col_lq", "lq", "ratio"),
        ("col_difference", "change_12_months", "signed")), "tag", "tag_rate_{key}"),
    "services": TableSpec("services_by_type", "table_services", (
        ("col_service_type", "label", "label"), ("col_in_station", "in_station", "count"),
        ("col_within_buffer", "within_buffer", "count"),
        ("col_coverage_500", "coverage_500m", "percent"),
        ("col_coverage_1000", "coverage_1000m", "percent")),
        "service_type", "coverage_{key}_1000m"),
    "call_demand": TableSpec("calls_by_pathway", "table_call_pathways", (
        ("col_pathway", "label", "label"), ("col_calls", "calls", "count"),
        ("col_share_of_demand", "share", "percent")), "pathway", "calls_share_{key}"),
}


class SectionPageWidget(QScrollArea):
    """A scrollable page of one or more portrait sections, built in steps (a section's
    cards, then its chart, then its tables), one step per turn of the event loop: the
    cards show at once and a page of charts never holds the window still (``finish``
    builds the rest now)."""

    def __init__(self, sections: list[Section], fmt: FigureText,
                 parent: QWidget | None = None, records: RecordPages | None = None,
                 parameters: dict | None = None):
        super().__init__(parent)
        self.fmt = fmt
        #: The window's records and the portrait's parameters, for parts tied to records
        #: (the call demand page's places and plan links); None outside the window.
        self.records, self.parameters = records, parameters or {}
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("section_page_body")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        # parts arrive after the body is in the scroll area: never squeeze them to fit
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setWidget(body)
        self._waiting: list[Callable[[], list[QWidget]]] = []
        for section in sections:
            self._waiting += [partial(self._head, section), partial(self._chart, section),
                              partial(self._tables, section)]
        self._next_timer = QTimer(self)  # dies with the page: no call on a deleted page
        self._next_timer.setSingleShot(True)
        self._next_timer.setInterval(STEP_INTERVAL_MS)
        self._next_timer.timeout.connect(self._add_next)
        self._add_next()

    def is_complete(self) -> bool:
        return not self._waiting

    def finish(self) -> None:
        """Build the steps still waiting, now."""
        while self._waiting:
            self._add_next()

    def cards(self) -> list[KeyFigureCardWidget]:
        return self.findChildren(KeyFigureCardWidget)

    @Slot()
    def _add_next(self) -> None:
        if not self._waiting:
            return
        for widget in self._waiting.pop(0)():
            self._layout.insertWidget(self._layout.count() - 1, widget)
        if self._waiting:
            self._next_timer.start()

    def _head(self, section: Section) -> list[QWidget]:
        """The section's title, and its cards (or why it has nothing)."""
        fmt = self.fmt
        key = f"part_{section.id}"
        title = QLabel(fmt.text(key) if key in fmt.text.keys() else fmt.label(section), self)
        title.setObjectName("part_title")
        title.setStyleSheet("font-size: 15px; font-weight: 700; color: #14365d; "
                            "margin-top: 6px;")
        widgets: list[QWidget] = [title]
        if section.is_empty:
            reason = fmt.reason(section.reason) or fmt.text("section_no_figure")
            widgets.append(_sentence(fmt.text("section_empty", reason=reason), self))
            return widgets
        by_id = {item.id: item for item in section.indicators}
        cards = [KeyFigureCardWidget(by_id[i], fmt) for i in KEY_FIGURES.get(section.id, ())
                 if i in by_id]
        if cards:
            widgets.append(FigureGridWidget(cards, self))
        return widgets

    def _chart(self, section: Section) -> list[QWidget]:
        chart = CHARTS.get(section.id)
        block = chart(section, self.fmt, self) if chart and not section.is_empty else None
        return [block] if block is not None else []

    def _tables(self, section: Section) -> list[QWidget]:
        if section.is_empty:
            return []
        widgets: list[QWidget] = []
        spec = TABLES.get(section.id)
        by_id = {item.id: item for item in section.indicators}
        if spec is not None and any(t.id == spec.table_id for t in section.tables):
            widgets.append(_spec_table(section, spec, by_id, self.fmt, self))
        if section.id == "station_comparison":
            widgets.append(_comparison_table(section, self.fmt, self))
        if section.id == "call_demand" and self.records is not None:
            widgets += call_demand_parts(section, self.fmt, self.records, self.parameters,
                                         self)
        if not section.indicators:
            return widgets
        has_cards = any(i in by_id for i in KEY_FIGURES.get(section.id, ()))
        widgets.append(AllFiguresWidget(section.indicators, self.fmt, expanded=not has_cards,
                                        parent=self))
        return widgets


class AllFiguresWidget(QWidget):
    """Every figure of a part in a table (label, value, interval or test), folded away under
    a button unless the part has no cards."""

    def __init__(self, items: list[IndicatorValue], fmt: FigureText, expanded: bool,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("all_figures_toggle")
        self.toggle.setText(fmt.text("all_figures", count=len(items)))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        rows = [[Cell(fmt.label(item)),
                 Cell(fmt.value_with_unit(item.value, item.unit), item.value, number=True),
                 Cell(" · ".join(fmt.details(item)))] for item in items]
        model = FigureTableModel([fmt.text("col_figure"), fmt.text("col_value"),
                                  fmt.text("col_detail")], rows, items)
        self.block = TitledBlockWidget(fmt.text("table_tip"), FigureTableWidget(model), fmt,
                                       parent=self)
        self.block.title_label.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.block)
        self.toggle.toggled.connect(self._fold)
        self.toggle.setChecked(expanded)
        self._fold(expanded)

    @Slot(bool)
    def _fold(self, shown: bool) -> None:
        self.block.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)


def _sentence(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def _spec_table(section: Section, spec: TableSpec, by_id: dict[str, IndicatorValue],
                fmt: FigureText, parent: QWidget) -> TitledBlockWidget:
    table = section.table(spec.table_id)
    rows, payloads = [], []
    for record in table.records:
        item = by_id.get(spec.payload.format(key=record.get(spec.key_field)))
        rows.append([_cell(record, field, kind, item, fmt) for _, field, kind in spec.columns])
        payloads.append(item)
    model = FigureTableModel([fmt.text(key) for key, _, _ in spec.columns], rows, payloads)
    widget = FigureTableWidget(model)
    widget.setToolTip(fmt.text("table_tip"))
    first = next((p for p in payloads if p is not None), None)
    return TitledBlockWidget(fmt.text(spec.title_key), widget, fmt, _source_rows(first, fmt),
                             parent)


def _comparison_table(section: Section, fmt: FigureText, parent: QWidget) -> QWidget:
    """Every station side by side on a few figures, the officer's own in bold (each figure's
    definition is on the station's own card)."""
    columns = {r["id"]: r for r in _records(section, "columns")}
    shown = [c for c in COMPARISON_COLUMNS if c in columns]
    rows = []
    for record in _records(section, "stations"):
        strong = bool(record.get("is_station"))
        row = []
        for column in shown:
            value, unit = record.get(column), columns[column].get("unit") or ""
            if isinstance(value, int | float):
                row.append(Cell(fmt.value(value, unit), value, number=True, strong=strong))
            else:
                row.append(Cell(str(value or "—"), strong=strong))
        rows.append(row)
    model = FigureTableModel([fmt.label(columns[c]) for c in shown], rows)
    return TitledBlockWidget(fmt.text("table_comparison"), FigureTableWidget(model), fmt,
                             parent=parent)


def _cell(record: dict, field: str, kind: str, item: IndicatorValue | None,
          fmt: FigureText) -> Cell:
    value = record.get(field)
    if kind == "label":
        return Cell(fmt.label(record))
    if kind == "test":
        return Cell(fmt.test(item) if item is not None else "")
    if not isinstance(value, int | float):
        return Cell("—", number=True)
    shown = {"count": lambda: fmt.count(value), "rate": lambda: fmt.number(value, 1),
             "ratio": lambda: fmt.number(value, 2), "percent": lambda: fmt.percent(value),
             "signed": lambda: fmt.signed(value, "incidents")}[kind]()
    return Cell(shown, value, number=True)


def _source_rows(item: IndicatorValue | None, fmt: FigureText) -> list[tuple[str, str]]:
    """Source and period of a table or chart, from one of the figures it shows."""
    if item is None:
        return []
    return [(fmt.text("info_source"), in_language(item.source, fmt.language)),
            (fmt.text("info_period"), fmt.period(item.period))]


# --- charts ----------------------------------------------------------------------------------
def _chart_block(title: str, draw: Callable[[Figure], None], info: IndicatorValue | None,
                 fmt: FigureText, parent: QWidget, height: int = 240,
                 labels: list[str] | None = None, bottom: int = 40) -> TitledBlockWidget:
    """``labels``: the tick labels on the left, whose longest sets the left margin."""
    longest = max((len(line) for label in labels or () for line in label.split("\n")),
                  default=0)
    left = 16 + round(LABEL_CHAR_PX * longest) if longest else 48
    chart = ChartWidget(draw, height, left=left, bottom=bottom)
    return TitledBlockWidget(title, chart, fmt, _source_rows(info, fmt), parent)


def _style(axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)


def _shares_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    items = [i for i in section.indicators if i.unit == "%" and i.value is not None]
    if not items:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        rows = range(len(items))
        city = [(i.context or {}).get("city") for i in items]
        axes.barh([r - 0.2 for r in rows], [i.value for i in items], height=0.4,
                  color=CHART_COLOURS[0], label=fmt.text("chart_station"))
        axes.barh([r + 0.2 for r in rows], [c if isinstance(c, int | float) else 0
                                            for c in city],
                  height=0.4, color=CHART_COLOURS[1], label=fmt.text("chart_city"))
        axes.set_yticks(list(rows), [fmt.label(i) for i in items])
        axes.invert_yaxis()
        axes.legend(fontsize=8, loc="best", framealpha=0.9)
        _style(axes)

    return _chart_block(fmt.text("chart_shares"), draw, items[0], fmt, parent,
                        height=60 + 26 * len(items), labels=[fmt.label(i) for i in items],
                        bottom=28)


def _categories_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    records = _records(section, "categories")
    if not records:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.barh([fmt.label(r) for r in records], [r.get("count") or 0 for r in records],
                  color=CHART_COLOURS[0])
        axes.invert_yaxis()
        axes.set_xlabel(fmt.text("chart_incidents"), fontsize=8)
        _style(axes)

    return _chart_block(fmt.text("chart_categories"), draw, _first(section), fmt, parent,
                        height=70 + 26 * len(records), labels=[fmt.label(r) for r in records])


def _monthly_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    records = _records(section, "monthly")
    if not records:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        months = [str(r["month"]) for r in records]
        axes.plot(months, [r.get("count") or 0 for r in records], marker="o",
                  color=CHART_COLOURS[0])
        axes.set_ylim(bottom=0)
        axes.set_ylabel(fmt.text("chart_incidents"), fontsize=8)
        step = max(1, len(months) // 12)
        axes.set_xticks(range(0, len(months), step), months[::step], rotation=45,
                        ha="right")
        _style(axes)

    return _chart_block(fmt.text("chart_monthly"), draw, _first(section), fmt, parent,
                        bottom=56)


def _lorenz_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    records = _records(section, "lorenz_cells")
    if not records:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.plot([100 * r["share_of_places"] for r in records],
                  [100 * r["share_of_incidents"] for r in records], color=CHART_COLOURS[0])
        axes.plot([0, 100], [0, 100], linestyle="--", color="#888",
                  label=fmt.text("chart_equality"))
        axes.set_xlabel(fmt.text("chart_lorenz_x"), fontsize=8)
        axes.set_ylabel(fmt.text("chart_lorenz_y"), fontsize=8)
        axes.legend(fontsize=8, loc="upper left")
        _style(axes)

    info = next((i for i in section.indicators if i.id == "gini_cells"), _first(section))
    return _chart_block(fmt.text("chart_lorenz"), draw, info, fmt, parent)


def _coverage_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    records = [r for r in _records(section, "services_by_type")
               if isinstance(r.get("coverage_1000m"), int | float)]
    if not records:
        return None

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.barh([fmt.label(r) for r in records], [r["coverage_1000m"] for r in records],
                  color=[service_colour(r.get("service_type")) for r in records],
                  edgecolor="#222222", linewidth=0.5)  # each type in its map colour
        axes.set_xlim(0, 100)
        axes.invert_yaxis()
        _style(axes)

    return _chart_block(fmt.text("chart_coverage"), draw, _first(section), fmt, parent,
                        height=60 + 24 * len(records), labels=[fmt.label(r) for r in records],
                        bottom=28)


def _survey_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    items = [i for i in section.indicators
             if i.id.startswith(SURVEY_PREFIX) and i.unit == "%" and i.value is not None]
    if not items:
        return None
    labels = short_labels([fmt.label(i) for i in items])

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        values = [i.value for i in items]
        low = [i.value - i.interval.low if i.interval and i.interval.low is not None else 0
               for i in items]
        high = [i.interval.high - i.value if i.interval and i.interval.high is not None else 0
                for i in items]
        axes.barh(labels, values, xerr=[low, high], color=CHART_COLOURS[0], ecolor="#333",
                  capsize=3)
        axes.set_xlim(0, 100)
        axes.invert_yaxis()
        _style(axes)

    return _chart_block(fmt.text("chart_survey"), draw, items[0], fmt, parent,
                        height=60 + 28 * len(items),
                        labels=labels, bottom=28)


def _calls_chart(section: Section, fmt: FigureText, parent: QWidget) -> QWidget | None:
    """Shares of the calls from the public by pathway: what each response could take. Bars
    are named by their response alone, wrapped: the chart's title says they are shares."""
    items = [i for i in section.indicators
             if i.id.startswith("calls_share_") and i.value is not None]
    if not items:
        return None
    labels = [_pathway_name(fmt.label(i)) for i in items]

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.barh(labels, [i.value for i in items], color=CHART_COLOURS[0])
        axes.invert_yaxis()
        _style(axes)

    return _chart_block(fmt.text("table_call_pathways"), draw, items[0], fmt, parent,
                        height=60 + 34 * len(items), labels=labels, bottom=28)


def _pathway_name(label: str) -> str:
    """"Équipe de crise … : part de la demande" -> the response's name, on lines of 32."""
    name = label.split(" : part de", 1)[0].split(": share of", 1)[0]
    return textwrap.fill(name, 32)


CHARTS: dict[str, Callable[[Section, FigureText, QWidget], QWidget | None]] = {
    "socio_economic": _shares_chart,
    "crime": _categories_chart,
    "crime_trends": _monthly_chart,
    "crime_places": _lorenz_chart,
    "services": _coverage_chart,
    "surveys": _survey_chart,
    "call_demand": _calls_chart,
}


def _records(section: Section, table_id: str) -> list[dict]:
    return next((t.records for t in section.tables if t.id == table_id), [])


def _first(section: Section) -> IndicatorValue | None:
    return section.indicators[0] if section.indicators else None
