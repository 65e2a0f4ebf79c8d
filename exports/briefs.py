"""Write a station's briefs (PDF, Excel, interactive map) for one audience and language.

The entry point the command line, the desktop app and the benchmarks share: the portrait
and its brief are built once and each format written from the same ``Brief``, so the PDF,
the workbook and the map always agree on what was suppressed.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exports.brief_build import build_brief, workspace_records
from exports.brief_model import Brief, BriefOptions
from exports.brief_signoff import apply_signoff, quarterly_content, review_section
from exports.map_text import station_label
from portrait.disclosure_settings import read_settings
from portrait.errors import PortraitError
from portrait.quarters import Quarter
from portrait.service_words import in_workspace_words
from portrait.signoff import portrait_content
from portrait.workspace import Workspace

FORMATS: tuple[str, ...] = ("pdf", "xlsx", "html")


@dataclass(frozen=True)
class WrittenBrief:
    station_id: str
    paths: dict[str, Path]
    suppressions: int


def parse_formats(text: str) -> list[str]:
    """"pdf,xlsx" -> ["pdf", "xlsx"]; a clear error for an unknown format."""
    formats = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise PortraitError(f"Unknown brief format(s) {', '.join(unknown) or '(none)'}; "
                            f"choose among {', '.join(FORMATS)}.")
    return list(dict.fromkeys(formats))


def brief_options(workspace: Workspace, audience: str = "partner", language: str = "fr",
                  **options: object) -> BriefOptions:
    """The options of ``workspace``'s briefs: its own disclosure thresholds (the app's
    Preferences write them into it), so the app and the command line hide the same counts;
    ``options`` override the other settings (cell size, census indicator, dpi)."""
    return BriefOptions(audience=audience, language=language,
                        **{**read_settings(workspace).as_dict(), **options})


def brief_file_name(station_id: str, options: BriefOptions, extension: str,
                    stem: str = "portrait") -> str:
    label = station_label(station_id).replace(" ", "-").lower()
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)
    return f"{stem}-{safe}-{options.audience}-{options.language}.{extension}"


@in_workspace_words
def write_station_briefs(workspace, data, station_id: str, options: BriefOptions,
                         formats: Sequence[str], out_dir: str | os.PathLike[str],
                         period=None, records: Iterable | None = None,
                         portrait=None) -> WrittenBrief:
    """Build ``station_id``'s portrait (unless given) and brief, and write each format.

    ``data`` is ``portrait.engine.prepare(workspace)``, reused across stations.
    """
    from portrait.engine import build_portrait

    out = Path(out_dir)
    if portrait is None:
        portrait = build_portrait(data, station_id, period)
    if records is None:
        records = workspace_records(workspace, portrait.station_id)
    records = list(records) if records else None
    brief = build_brief(portrait, data, options, records)
    apply_signoff(brief, workspace, portrait_content(portrait, records))
    comments = review_section(workspace, portrait.station_id,
                              (_record_id(r) for r in records or ()), options.language) \
        if options.audience == "internal" else None
    if comments is not None:
        brief.sections.append(comments)
    return _write(workspace, brief, formats, out,
                  lambda extension: brief_file_name(portrait.station_id, options, extension),
                  portrait)


def _record_id(record) -> str:
    return str(record.get("record_id") if isinstance(record, dict) else record.record_id)


@in_workspace_words
def write_quarterly_briefs(workspace, data, station_id: str, quarter: Quarter,
                           options: BriefOptions, formats: Sequence[str],
                           out_dir: str | os.PathLike[str]) -> WrittenBrief:
    """Write ``station_id``'s community quarterly report for ``quarter`` in each format.

    The approval is looked up on the full report (the one the commander reads in review),
    so one approval covers the partner and internal versions, in either language.
    """
    from exports.brief_sections import station_area_km2
    from exports.quarterly_brief import build_quarterly_brief
    from portrait.engine import resolve_station
    from portrait.quarterly_report import build_quarterly_report

    station_id = resolve_station(data, station_id)
    records = workspace_records(workspace, station_id) or []
    report = build_quarterly_report(data, station_id, quarter, records,
                                    shareable_only=options.audience == "partner")
    brief = build_quarterly_brief(report, options, station_area_km2(data, station_id),
                                  getattr(data, "title", ""))
    apply_signoff(brief, workspace, quarterly_content(workspace, data, station_id, quarter))
    comments = review_section(workspace, station_id, (r.record_id for r in records),
                              options.language) if options.audience == "internal" else None
    if comments is not None:
        brief.sections.append(comments)
    return _write(workspace, brief, formats, Path(out_dir), lambda extension: brief_file_name(
        station_id, options, extension, f"quarterly-{quarter.label}"))


def _write(workspace, brief: Brief, formats: Sequence[str], out: Path,
           name: Callable[[str], str], portrait=None) -> WrittenBrief:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortraitError(f"Cannot create the folder {out}: {error.strerror}.") from error
    paths = {}
    for extension in formats:
        path = out / name(extension)
        try:
            if extension == "html":  # the map draws the portrait's hot-spot cells
                _html(workspace, brief, path, portrait)
            else:
                WRITERS[extension](workspace, brief, path)
        except OSError as error:
            raise PortraitError(f"Cannot write {path}: {error.strerror}.") from error
        paths[extension] = path
    return WrittenBrief(brief.station_id, paths, len(brief.disclosure))


def _pdf(workspace, brief: Brief, path: Path) -> None:
    if brief.kind == "quarterly":
        from exports.pdf_quarterly import write_quarterly_pdf

        write_quarterly_pdf(brief, path)
        return
    from exports.pdf_brief import write_pdf_brief

    write_pdf_brief(brief, path)


def _xlsx(workspace, brief: Brief, path: Path) -> None:
    from exports.excel_brief import write_excel_brief

    write_excel_brief(brief, path)


def _html(workspace, brief: Brief, path: Path, portrait=None) -> None:
    from exports.html_brief import write_html_brief

    write_html_brief(workspace, brief, path, portrait)


WRITERS: dict[str, Callable[[object, Brief, Path], None]] = {
    "pdf": _pdf, "xlsx": _xlsx, "html": _html}


BatchProgress = Callable[[int, int, str], None]
#: The writer modules of each format, imported once before a batch's workers are forked.
_WRITER_MODULES = {"pdf": ("exports.pdf_brief",), "xlsx": ("exports.excel_brief",),
                   "html": ("exports.html_brief",)}


def write_all_station_briefs(workspace, data, options: BriefOptions, formats: Sequence[str],
                             out_dir: str | os.PathLike[str], period=None,
                             jobs: int | None = None,
                             progress: BatchProgress | None = None) -> list[WrittenBrief]:
    """Every station's briefs, on ``jobs`` processes (default: one per core).

    What every station needs is done once before the workers are forked, and inherited by
    them: the station comparison, the busiest station's portrait (which fills the data's
    caches: calls, surveys, period counts), the writers' imports and the maps' incidents by
    station. Stations go busiest first. ``progress(done, total, station_id)`` is called after
    each station.
    """
    from portrait.engine import build_portrait, compare_stations
    from portrait.station_batch import busiest_first, per_station

    ids = busiest_first(data)
    if not ids:
        return []
    compare_stations(data, period)
    first = build_portrait(data, ids[0], period)
    for extension in formats:
        for module in _WRITER_MODULES.get(extension, ()):
            importlib.import_module(module)
    if "html" in formats:
        from exports.web_map import prepare_station_maps

        prepare_station_maps(workspace)

    def one(station_id: str) -> WrittenBrief:
        return write_station_briefs(workspace, data, station_id, options, formats, out_dir,
                                    period, portrait=first if station_id == ids[0] else None)

    written: list[WrittenBrief] = []
    for result in per_station(ids, one, jobs):
        written.append(result)
        if progress is not None:
            progress(len(written), len(ids), result.station_id)
    order = {s: i for i, s in enumerate(data.station_ids)}
    return sorted(written, key=lambda w: order.get(w.station_id, 0))
