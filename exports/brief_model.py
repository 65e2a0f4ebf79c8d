"""One brief document, built once, then written as PDF, Excel and an interactive map.

Like Orange3's report, the content is decided in one place and the writers only lay it
out: a ``Brief`` holds the cover facts, the key figures, a section per part of the portrait
(paragraphs, key figures, tables, figures, notes), the records (problems, action plan,
consultations), and the appendices (definitions and sources, the parameters actually
used, and what was suppressed and why). Everything the audience may not see has already
been removed or replaced by ``SUPPRESSED`` when the brief is built, so no writer can leak
a hidden number by mistake: the PDF, the workbook and the map show the same thing.

Values stay raw numbers (the workbook needs numeric cells); each column says how to format
them, and ``brief_text`` formats them per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from exports.disclosure import MIN_CELL_COUNT, SMALL_COUNT_HIGH, DisclosureLog

Audience = Literal["internal", "partner"]
AUDIENCES: tuple[str, ...] = ("internal", "partner")
LANGUAGES: tuple[str, ...] = ("fr", "en")


class Suppressed:
    """A value the audience may not see; writers print the marker "x", never a number."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __bool__(self) -> bool:
        return False


SUPPRESSED = Suppressed()


class Interval(str):
    """An interval cell: prints as its text ("[1,2 ; 3,4]") in the PDF, and the workbook
    writes its bounds as two numeric columns, so partners can sort and chart them."""

    low: float
    high: float

    def __new__(cls, low: float, high: float, shown: str) -> Interval:
        value = super().__new__(cls, shown)
        value.low, value.high = float(low), float(high)
        return value


@dataclass(frozen=True)
class Column:
    """A table column: its heading and how its values are formatted.

    ``kind``: "text" (user or data text, always escaped), "int", "number" (``decimals``),
    "percent" (already in percent), "p" (a p-value), "interval" (text "[a ; b]").
    """

    id: str
    label: str
    kind: str = "text"
    decimals: int = 1


@dataclass
class BriefTable:
    """Rows of raw values under ``columns``; ``chart`` asks the workbook for a native chart
    ("line" or "bar") of ``chart_columns`` against the first column."""

    id: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""
    chart: str | None = None
    chart_columns: list[int] = field(default_factory=list)
    #: Shown in the PDF (wide or long tables go to the workbook only).
    in_pdf: bool = True
    pdf_max_rows: int = 40
    #: What the PDF says under the rows it shows when it leaves some out ("And {count} more
    #: problems: see the workbook"); the workbook always has every row.
    more: str = ""

    @property
    def has_suppressed(self) -> bool:
        return any(value is SUPPRESSED for row in self.rows for value in row)


@dataclass(frozen=True)
class KeyFigure:
    """A headline number with what is needed to read it: interval, test, comparison."""

    label: str
    value: float | None | Suppressed
    unit: str
    text: str
    detail: str = ""
    #: The indicator's id, so a section's sentences find the figure as masked for the reader.
    id: str = ""


@dataclass
class Figure:
    """A static map or chart, as plain data its writer draws (see ``static_maps``,
    ``charts``); ``kind`` names the drawing function."""

    id: str
    kind: str
    title: str
    data: dict[str, Any]
    caption: str = ""


@dataclass
class BriefSection:
    """One part of the portrait as the reader gets it: ``sentences`` are the two or three
    plain sentences of a partner's page (``brief_sentences``), from tested results only;
    ``paragraphs`` and ``notes`` the engine's reasons and caveats."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[BriefTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Definition:
    label: str
    definition: str
    source: str
    vintage: str
    period: str


@dataclass(frozen=True)
class BriefOptions:
    """Who the brief is for and the disclosure thresholds applied for partners."""

    audience: Audience = "internal"
    language: str = "fr"
    #: Partner maps: grid cells with at least this many incidents.
    min_cell_count: int = MIN_CELL_COUNT
    #: Counts from 1 to this are suppressed (with their complements) for partners.
    small_count_high: int = SMALL_COUNT_HIGH
    #: Survey results on fewer answers than this are suppressed.
    survey_min_n: int = 30
    #: Side of the cells incidents are counted in on partner maps (metres).
    cell_size_m: float = 250.0
    #: The census indicator of the choropleth map.
    census_indicator: str = "low_income_rate"
    #: Resolution of maps and charts in the PDF.
    dpi: int = 150

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"Unknown audience {self.audience!r}; expected one of "
                             f"{', '.join(AUDIENCES)}.")
        if self.language not in LANGUAGES:
            raise ValueError(f"Unknown language {self.language!r}; expected fr or en.")
        for name in ("min_cell_count", "small_count_high", "survey_min_n"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Brief option {name} is {value!r}; expected a whole number "
                                 "of at least 1.")


@dataclass
class Brief:
    """Everything a brief shows, in the audience's language, already disclosure-checked."""

    station_id: str
    station_name: str
    area_km2: float | None
    period: tuple[str, str] | None
    options: BriefOptions
    generated_on: str
    key_figures: list[KeyFigure]
    sections: list[BriefSection]
    definitions: list[Definition]
    parameters: list[tuple[str, str]]
    disclosure: DisclosureLog
    warnings: list[str] = field(default_factory=list)
    workspace_title: str = ""
    #: "portrait" (the station's portrait) or "quarterly" (the action plan's quarterly report).
    kind: str = "portrait"
    #: The commander's approval as printed ("Approuvé par … le …"); empty when not approved.
    approval: str = ""
    #: A partner brief not approved as it stands: "Version de travail" on every page.
    draft: bool = False
    #: The sentences of the highlights page (``brief_highlights``), from tested results only.
    highlights: list[str] = field(default_factory=list)

    @property
    def audience(self) -> str:
        return self.options.audience

    @property
    def language(self) -> str:
        return self.options.language

    def section(self, section_id: str) -> BriefSection:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)
