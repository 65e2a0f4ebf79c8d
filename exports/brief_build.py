"""Building a brief: the section builders run over a portrait, in one direction.

The content model (``brief_model``) knows no builder; the builders (``brief_sections``,
``brief_places``, ``brief_calls``, ``brief_records``, ``brief_highlights``,
``brief_sentences``, ``brief_appendix``) know the model; this module runs them in order and
hands the finished ``Brief`` to the writers (``pdf_brief``, ``excel_brief``,
``html_brief``). Nothing below it imports it, so the brief modules import each other in one
direction only (``tests/test_architecture.py`` fails on any circle).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from exports import brief_calls, brief_places, brief_sections, brief_surveys
from exports.brief_appendix import definitions, disclosure_parameters, parameters
from exports.brief_highlights import highlights
from exports.brief_model import Brief, BriefOptions, BriefSection
from exports.brief_plain import plain
from exports.brief_protection import Protection
from exports.brief_records import records_section
from exports.brief_sections import key_figures, section_base, station_area_km2
from exports.brief_sentences import section_sentences
from exports.disclosure import DisclosureLog
from portrait import clock
from portrait.records import Record, RecordStore
from portrait.records.station_scope import records_for_station
from portrait.wording import in_language
from portrait.workspace import Workspace

#: Portrait section id -> the builder that writes it into the brief.
SECTION_WRITERS = {
    "socio_economic": brief_places.socio_economic, "crime": brief_sections.crime,
    "crime_trends": brief_sections.crime_trends, "issues": brief_sections.issues,
    "crime_places": brief_places.crime_places, "services": brief_places.services,
    "surveys": brief_surveys.surveys, "station_comparison": brief_places.station_comparison,
    "call_demand": brief_calls.call_demand,
}


def build_brief(portrait, data, options: BriefOptions | None = None,
                records: Sequence[Any] | None = None,
                today: dt.date | None = None) -> Brief:
    """The brief of ``portrait`` for ``options.audience``.

    ``data`` is the engine's prepared data (``portrait.engine.prepare``) the maps are drawn
    from; ``records`` the station's records (problems, partners, consultations, actions),
    or None when the workspace has none; ``options`` default to an internal French brief.
    """
    options = options or BriefOptions()
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
            out.sentences = section_sentences(out, section, portrait, options)
        sections.append(out)
    if records:
        brief_calls.plan_links(sections, records, options)
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
