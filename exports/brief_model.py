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

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from exports.disclosure import MIN_CELL_COUNT, SMALL_COUNT_HIGH, DisclosureLog
from portrait import clock
from portrait.records import Record, RecordStore
from portrait.records.station_scope import records_for_station
from portrait.wording import in_language
from portrait.workspace import Workspace

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
    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
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


def build_brief(portrait, data, options: BriefOptions = BriefOptions(),
                records: Sequence[Any] | None = None,
                today: dt.date | None = None) -> Brief:
    """The brief of ``portrait`` for ``options.audience``.

    ``data`` is the engine's prepared data (``portrait.engine.prepare``) the maps are drawn
    from; ``records`` the station's records (problems, partners, consultations, actions),
    or None when the workspace has none.
    """
    from exports.brief_appendix import definitions, disclosure_parameters, parameters
    from exports.brief_highlights import highlights
    from exports.brief_protection import Protection
    from exports.brief_records import records_section
    from exports.brief_sections import (
        SECTION_WRITERS,
        key_figures,
        section_base,
        station_area_km2,
    )

    log = DisclosureLog()
    protection = Protection.build(portrait, options, log)
    sections = []
    for section in portrait.sections:
        writer = SECTION_WRITERS.get(section.id)
        if writer is None:
            continue
        out = section_base(section, options.language)  # an empty section says why
        if not section.is_empty:
            writer(out, section, portrait, data, options, protection)
        sections.append(out)
    if records:
        from exports.brief_calls import plan_links

        plan_links(sections, records, options)
        census = getattr(data, "census", None)
        sections.append(records_section(records, options, log,
                                        getattr(census, "areas_frame", None)))
    for out in sections:
        _in_plain_words(out, options.language)
    return Brief(
        station_id=portrait.station_id, station_name=portrait.station_name,
        area_km2=station_area_km2(data, portrait.station_id), period=portrait.period,
        options=options, generated_on=(today or clock.today()).isoformat(),
        key_figures=key_figures(portrait, options, protection), sections=sections,
        definitions=definitions(portrait, options.language, options.audience == "partner"),
        parameters=parameters(portrait, options.language) + disclosure_parameters(options),
        disclosure=log,
        warnings=[in_language(warning, options.language) for warning in portrait.warnings],
        workspace_title=getattr(data, "title", ""),
        highlights=highlights(portrait, options, protection))


def _in_plain_words(section: BriefSection, language: str) -> None:
    """The section's notes with the engine's column and indicator ids named as the reader
    sees them (``brief_plain``)."""
    from exports.brief_plain import plain

    section.paragraphs = [plain(p, language) for p in section.paragraphs]
    section.notes = [plain(n, language) for n in section.notes]
    for table in section.tables:
        table.note = plain(table.note, language) if table.note else table.note


def workspace_records(workspace: Workspace, station_id: str) -> list[Record] | None:
    """The station's records (``portrait.records.station_scope``), None when it has none
    (briefs work without records)."""
    stations = workspace.layer("stations")
    area = stations.loc[stations["station_id"].astype(str) == str(station_id), "geometry"]
    if area.empty:
        return None
    records = records_for_station(RecordStore.load(workspace).records(), area.union_all())
    return records or None
