"""The records section of a brief: problems, partners, consultations and the action plan
with its quarterly progress.

Records come from ``portrait.records`` (objects with ``KIND``, ``display_name``,
``is_shareable`` and ``to_dict()``) or as plain dicts with a ``kind`` (tests, imports). What
a partner reads is decided by one declaration, ``portrait.records.audience``: internal
records are left out, and of a shareable record only the fields declared shareable are
printed, under their labels in the brief's language. Generalised fields are rewritten here:
a problem's place becomes the named census area it lies in (or a map cell of at least the
map's cell size), and pinned counts or participant counts under the threshold are hidden.
Every removal is logged for the disclosure appendix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd

from exports import brief_cards as cards
from exports.brief_cells import COUNT_UNITS
from exports.brief_model import BriefOptions, BriefSection, BriefTable, Column
from exports.brief_text import format_number, text
from exports.disclosure import CONFIDENTIAL, PRIMARY, SMALL_COUNT_LOW, DisclosureLog
from portrait.calls.repeat_evidence import is_repeat_calls, repeat_calls_text
from portrait.categories import BY_ID as CATEGORIES
from portrait.records.action_plan import STATUS_LABELS as PROGRESS_LABELS
from portrait.records.audience import (
    GENERALISED,
    SHAREABLE_FORMS,
    audience_of,
    field_label,
    kind_of,
    shareable_fields,
)
from portrait.records.consultations import FORM_LABELS
from portrait.records.location_words import location_words
from portrait.records.partners import SECTOR_LABELS
from portrait.records.priority import CONCERN_LABELS
from portrait.records.problems import SARA_LABELS, SIDE_LABELS
from portrait.records.problems import STATUS_LABELS as PROBLEM_LABELS

META = {"record_id", "created_at", "created_by", "updated_at", "updated_by", "history",
        "kind", "geometry", "confidential_fields", "station_id"}
_KINDS = (("problem", "problems"), ("partner", "partners"), ("consult", "consultations"),
          ("action", "action_plan"))
_TITLE_KEYS = ("title", "titre", "name", "nom", "display_name")
#: A consultation's diffusion, as the reader reads it.
CONFIDENTIALITY_LABELS = {"internal": ("interne", "internal"),
                          "shareable": ("partageable", "shareable")}
#: Coded values printed through their labels: (kind, field) -> code -> (fr, en).
_CHOICES = {("problem", "sara_stage"): SARA_LABELS, ("problem", "status"): PROBLEM_LABELS,
            ("partner", "sector"): SECTOR_LABELS, ("consultation", "form"): FORM_LABELS,
            ("problem", "category"): {c.id: (c.label("fr"), c.label("en"))
                                      for c in CATEGORIES.values()}}


def records_section(records: Sequence[Any], options: BriefOptions, log: DisclosureLog,
                    areas: gpd.GeoDataFrame | None = None) -> BriefSection:
    """Tables of the station's records for ``options.audience``; ``areas`` (census areas
    with ``area_id``, ``name`` and geometry, in the workspace CRS) name the places of
    partner briefs."""
    language = options.language
    partner = options.audience == "partner"
    out = BriefSection("records", text("records", language))
    grouped: dict[str, list[dict]] = {}
    withheld: dict[str, dict[str, Any]] = {}
    names = _names(records, partner)
    for record in records:
        kind = _kind(record)
        view = _view(record, partner, log, options, areas, withheld)
        if view is not None:
            view["_names"], view["_record"] = names, _data(record)
            grouped.setdefault(kind, []).append(view)
    _log_withheld(withheld, log, language)
    if not grouped:
        out.paragraphs.append(text("no_records", language))
        return out
    if partner:
        out.tables += _partner_tables(grouped, [_data(r) for r in records], language)
        return out
    fr = language == "fr"
    for _, key in _KINDS + (("other", "records"),):
        views = grouped.get(key)
        if not views:
            continue
        rows = [[_title(v), _details(v, language)] for v in views]
        out.tables.append(BriefTable(
            key, text(key, language),
            [Column("name", "Nom" if fr else "Name"),
             Column("details", "Détails" if fr else "Details")], rows))
        progress = [row for v in views for row in _progress_rows(v, language)]
        if progress:
            out.tables.append(_progress_table(key, progress, language))
    return out


def _log_withheld(withheld: dict[str, dict[str, Any]], log: DisclosureLog,
                  language: str) -> None:
    """One line per kind of record in the disclosure appendix: the records kept in the
    station, the fields left out of the others (one line per record ran to pages)."""
    where = text("records", language)
    separator = " : " if language == "fr" else ": "
    for key, noted in withheld.items():
        if noted["internal"]:
            log.add(where, f"{text(key, language)} ({noted['internal']})", CONFIDENTIAL,
                    text("internal_record", language))
        if noted["fields"]:
            log.add(where, f"{text(key, language)}{separator}{', '.join(noted['fields'])}",
                    CONFIDENTIAL)


def _progress_table(key: str, rows: list[list[str]], language: str,
                    in_pdf: bool = True) -> BriefTable:
    fr = language == "fr"
    return BriefTable(f"{key}_progress", text("progress", language),
                      [Column("action", "Action"),
                       Column("quarter", "Trimestre" if fr else "Quarter"),
                       Column("status", "État" if fr else "Status"), Column("note", "Note")],
                      rows, in_pdf=in_pdf)


def _partner_tables(grouped: dict[str, list[dict]], everything: list[dict],
                    language: str) -> list[BriefTable]:
    """The records as a partner reads them in ten minutes: problem cards with the highest
    priority first, the action plan as one line per action, the latest consultations and
    the partner organisations; the PDF shows the first few of each and says how many more
    the workbook holds."""
    fr = language == "fr"
    actions = [d for d in everything if kind_of(d) == "action"]
    priorities = [d for d in everything if kind_of(d) == "action_priority"]
    columns = [Column("name", "Nom" if fr else "Name"),
               Column("details", "Détails" if fr else "Details")]
    tables = []
    problems = [_partner_problem(v, v["_record"], actions, priorities, language)
                for v in grouped.get("problems", [])]
    problems.sort(key=lambda v: -(v.get("_score") if v.get("_score") is not None else -1))
    if problems:
        tables.append(BriefTable("problems", text("problems", language), columns,
                                 [[_title(v), _details(v, language)] for v in problems],
                                 pdf_max_rows=cards.PDF_PROBLEMS,
                                 more=cards.word("more_problems", language, count="{count}")))
    plan = [v for v in grouped.get("action_plan", []) if v.get("_kind") == "action"]
    tables += cards.action_plan_tables(priorities, [v["_record"] for v in plan], language)
    progress = [row for v in plan for row in _progress_rows(v, language)]
    if progress:  # the quarters' narratives: in the workbook
        tables.append(_progress_table("action_plan", progress, language, in_pdf=False))
    consultations = sorted(grouped.get("consultations", []),
                           key=lambda v: str(v.get("date") or ""), reverse=True)
    if consultations:
        tables.append(BriefTable(
            "consultations", text("consultations", language), columns,
            [[_title(v), _details(v, language)] for v in consultations],
            pdf_max_rows=cards.PDF_CONSULTATIONS,
            more=cards.word("more_consultations", language, count="{count}")))
    partners = grouped.get("partners", [])
    if partners:
        index = 0 if fr else 1
        tables.append(BriefTable(
            "partners", text("partners", language),
            [Column("name", cards.word("name", language)),
             Column("sector", cards.word("sector", language)),
             Column("website", cards.word("website", language))],
            sorted([[_title(v), SECTOR_LABELS.get(v.get("sector"), ("", ""))[index],
                     str(v.get("website") or "")] for v in partners],
                   key=lambda row: row[0].casefold()),
            pdf_max_rows=cards.PDF_PARTNERS,
            more=cards.word("more_partners", language, count="{count}")))
    return tables


def _partner_problem(view: dict, data: Mapping, actions: list[dict], priorities: list[dict],
                     language: str) -> dict:
    """A problem's shareable view with the shareable forms of its internal fields
    (``portrait.records.audience.SHAREABLE_FORMS``), in the order a partner reads them."""
    score = cards.priority_score(data)
    names = view.get("_names", {})
    forms = SHAREABLE_FORMS["problem"]  # the one declaration says what may be told
    derived = {
        "documented_sides": cards.documented_sides(data.get("triangle"), language)
        if "triangle" in forms else "",
        "priority_score": "" if score is None or "priority_inputs" not in forms else
        text("priority_score", language, score=score),
        "actions": cards.action_lines(cards.problem_actions(data, actions, priorities),
                                      language) if "action_ids" in forms else "",
        "partners": ", ".join(names[str(i)] for i in data.get("partner_ids") or ()
                              if str(i) in names) if "partner_ids" in forms else "",
    }
    order = ("location", "partner_summary", "documented_sides", "priority_score", "status",
             "category", "actions", "partners", "evidence", "period_start", "period_end",
             "response_start")
    shown = {**view, **derived}
    stage = _CHOICES[("problem", "sara_stage")].get(view.get("sara_stage"))
    status = _CHOICES[("problem", "status")].get(view.get("status"))
    if stage and status:  # one line: "Open (SARA stage: Response)"
        shown["status"] = cards.word("status_stage", language,
                                     status=status[0 if language == "fr" else 1],
                                     stage=stage[0 if language == "fr" else 1])
    return {"_kind": "problem", "_names": names, "_score": score,
            "display_name": view.get("display_name", ""),
            **{key: shown[key] for key in order if key in shown}}


def _data(record: Any) -> dict:
    """A record as encoded data (objects through ``to_dict``), with its kind."""
    if isinstance(record, Mapping):
        return dict(record)
    data = dict(record.to_dict())
    data.setdefault("kind", kind_of(record))
    return data


def _names(records: Sequence[Any], partner: bool) -> dict[str, str]:
    """Record id -> name, so a problem's partners and actions read as names: a reader
    cannot use an id. For partners, a record kept in the station is not named."""
    names = {}
    for record in records:
        if isinstance(record, Mapping):
            data, shareable = dict(record), _is_shareable(dict(record))
        else:
            data = dict(record.to_dict())
            data.setdefault("display_name", getattr(record, "display_name", ""))
            shareable = bool(getattr(record, "is_shareable", True))
        if data.get("record_id") and (shareable or not partner):
            names[str(data["record_id"])] = _title(data)
    return names


def _kind(record: Any) -> str:
    kind = str(getattr(record, "KIND", "") or (record.get("kind", "") if isinstance(record, dict)
                                                else "")).lower()
    for stem, key in _KINDS:
        if stem in kind:
            return key
    return "records"


def _view(record: Any, partner: bool, log: DisclosureLog, options, areas,
          withheld: dict[str, dict[str, Any]]) -> dict | None:
    """The fields the audience may see (labelled, values as printed), or None when the
    record stays in the station; what a partner does not get is noted in ``withheld``
    (per kind of record: how many records stay inside, which fields are left out)."""
    language = options.language
    if isinstance(record, Mapping):
        data = dict(record)
        shareable = _is_shareable(data)
    else:
        shareable = bool(getattr(record, "is_shareable", True))
        data = dict(record.to_dict())
        data.setdefault("display_name", getattr(record, "display_name", ""))
    kind = kind_of(record) or _kind(record)
    name = _title(data)
    if not partner:
        if isinstance(data.get("location"), Mapping):  # in words, not a shape
            data["location"] = _place(data["location"], options, areas)
        return {"_kind": kind, **data}
    noted = withheld.setdefault(_kind(record), {"internal": 0, "fields": {}})
    if not shareable:  # not even its title leaves the station
        noted["internal"] += 1
        return None
    view = shareable_fields(kind, data)
    view["display_name"] = name
    for key, value in data.items():
        if key not in view and key not in META and not _empty(value):
            label = field_label(kind, key, language) or "—"
            if key in SHAREABLE_FORMS.get(kind, {}):  # told in a form that names no one
                label += cards.word("in_part", language)
            noted["fields"][label] = True
    for key in list(view):
        if audience_of(kind, key) == GENERALISED:
            view[key] = _generalised(kind, key, view[key], name, options, areas, log)
    return {"_kind": kind, **view}


def _generalised(kind: str, key: str, value: Any, name: str, options, areas,
                 log: DisclosureLog) -> Any:
    """A place as a named area or a map cell; counts under the threshold hidden."""
    language = options.language
    if value in (None, "", [], ()):
        return value
    if key == "location" and isinstance(value, Mapping):
        return _place(value, options, areas)
    if key == "participant_count":
        return _count(value, "persons", name, options, log)
    if key == "evidence":
        return [_evidence(item, name, options, log) for item in value
                if isinstance(item, Mapping)]
    return text("suppressed_marker", language)


def _place(location: Mapping, options, areas) -> str:
    return location_words(location, options.language, areas, options.audience,
                          options.cell_size_m)


def _count(value: Any, unit: str, name: str, options, log: DisclosureLog) -> Any:
    high = int(getattr(options, "small_count_high", 4))
    if isinstance(value, (int, float)) and unit in COUNT_UNITS and \
            SMALL_COUNT_LOW <= value <= high:
        log.add(text("records", options.language), name, PRIMARY)
        return text("suppressed_marker", options.language)
    return value


def _evidence(item: Mapping, name: str, options, log: DisclosureLog) -> str:
    """"Label : value unit (period)", a small count hidden; its map, shape, detailed
    values and who pinned it stay in the station."""
    language = options.language
    label = item.get(f"label_{language}") or item.get("label_fr") or item.get("label_en") or ""
    value = item.get("value")
    unit = str(item.get("unit") or "")
    parts = [str(label)]
    if value is not None:
        shown = _count(value, unit, name, options, log)
        if isinstance(shown, (int, float)):
            shown = format_number(shown, language, 0 if float(shown).is_integer() else 1)
        if is_repeat_calls(item):  # the count only: the address and the mix stay inside
            return repeat_calls_text(item, language, count=str(shown), detailed=False)
        parts.append(f"{shown} {unit}".strip())
    if item.get("period"):
        parts.append(f"({item['period']})")
    separator = " : " if language == "fr" else ": "
    return parts[0] + (separator + " ".join(parts[1:]) if len(parts) > 1 else "")


def _empty(value: Any) -> bool:
    return value in (None, "", [], {}, ())


def _is_shareable(view: dict) -> bool:
    if "shareable" in view:
        return bool(view["shareable"])
    level = str(view.get("confidentiality", view.get("level", "shareable"))).lower()
    return not any(word in level for word in ("internal", "interne", "confiden"))


def _title(view: dict) -> str:
    for key in _TITLE_KEYS:
        if view.get(key):
            return str(view[key])
    return str(view.get("record_id", "?"))


def _details(view: dict, language: str) -> str:
    """"Label : value" lines of the fields shown (labels from the one declaration)."""
    kind = view.get("_kind", "")
    lines = []
    separator = " : " if language == "fr" else ": "
    names = view.get("_names", {})
    for key, value in view.items():
        if key in META or key in _TITLE_KEYS or key.startswith("_") or \
                "progress" in key or _empty(value):
            continue
        if key == "evidence" and isinstance(value, (list, tuple)):
            value = [_internal_evidence(item, language) if isinstance(item, Mapping) else item
                     for item in value]
        choices = _CHOICES.get((kind, key))
        if choices and isinstance(value, str) and value in choices:
            value = choices[value][0 if language == "fr" else 1]
        shown = _priority(view, language) if key == "priority_inputs" else \
            _readable(key, value, names, language)
        if not shown:
            continue
        label = field_label(kind, key, language) or \
            (cards.word(key, language) if key in cards.WORDS else key.replace("_", " "))
        lines.append(f"{label}{separator}{shown}")
    return "\n".join(lines)


def _internal_evidence(item: Mapping, language: str) -> str:
    """Pinned evidence in words for the station's own brief (repeat calls with their place
    and responses); other evidence as "Label : value unit (period)"."""
    if is_repeat_calls(item):
        return repeat_calls_text(item, language)
    label = item.get(f"label_{language}") or item.get("label_fr") or item.get("label_en") or ""
    value = item.get("value")
    shown = "" if value is None else \
        f"{format_number(value, language, 0 if float(value).is_integer() else 1)} " \
        f"{item.get('unit') or ''}".strip()
    period = f" ({item['period']})" if item.get("period") else ""
    separator = " : " if language == "fr" else ": "
    return f"{label}{separator if shown else ''}{shown}{period}"


def _priority(view: Mapping, language: str) -> str:
    """A problem's priority as its score out of 100 (the inputs are the station's working)."""
    score = cards.priority_score(view)
    return "" if score is None else text("priority_score", language, score=score)


def _readable(key: str, value: Any, names: Mapping[str, str], language: str) -> str:
    """A field as a reader reads it: ids as the names of the records they point to, the
    problem triangle as what is known of each side, the concern as its level; "" when
    nothing is left to show."""
    index = 0 if language == "fr" else 1
    if key.endswith("_ids") or key.endswith("_id"):
        ids = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(names[str(i)] for i in ids if str(i) in names)
    if key == "triangle" and isinstance(value, Mapping):
        separator = " : " if language == "fr" else ": "
        return (" ; " if language == "fr" else "; ").join(
            f"{SIDE_LABELS[side][index]}{separator}{value[side]['known']}"
                          for side in SIDE_LABELS
                          if isinstance(value.get(side), Mapping) and value[side].get("known"))
    if key == "concern" and isinstance(value, Mapping):
        level = value.get("level", "unknown")
        return "" if level == "unknown" else CONCERN_LABELS.get(level, (level, level))[index]
    if key == "confidentiality" and value in CONFIDENTIALITY_LABELS:
        return CONFIDENTIALITY_LABELS[value][index]
    return _values(value)


def _values(value: Any) -> str:
    """Nested parts (contacts, follow-ups) by their values only ("Jeanne Tremblay,
    coordonnatrice, …"): their keys are the program's, not the reader's words."""
    if isinstance(value, Mapping):
        return ", ".join(_values(v) for k, v in value.items()
                         if not _empty(v) and k not in META and not k.endswith("_id")
                         and v != "unknown")
    if isinstance(value, (list, tuple)):
        return "; ".join(_values(v) for v in value if not _empty(v))
    return str(value)


def _progress_rows(view: dict, language: str) -> list[list[str]]:
    """The quarterly progress of an action: rows (action, quarter, status, note)."""
    rows = []
    for key, value in view.items():
        if "progress" not in key:
            continue
        items = value.items() if isinstance(value, dict) else \
            ((None, v) for v in value or ())
        for quarter, item in items:
            if isinstance(item, dict):
                status = str(item.get("status", item.get("state", "")))
                status = PROGRESS_LABELS.get(status, (status, status))[
                    0 if language == "fr" else 1]
                rows.append([_title(view), str(item.get("quarter", quarter or "")), status,
                             str(item.get("note", item.get("narrative",
                                                           item.get("comment", ""))))])
            else:
                rows.append([_title(view), str(quarter or ""), str(item), ""])
    return rows
