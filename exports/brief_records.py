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

from exports.brief_cells import COUNT_UNITS
from exports.brief_model import BriefOptions, BriefSection, BriefTable, Column
from exports.brief_text import format_number, text
from exports.disclosure import CONFIDENTIAL, PRIMARY, SMALL_COUNT_LOW, DisclosureLog
from portrait.calls.repeat_evidence import is_repeat_calls, repeat_calls_text
from portrait.categories import BY_ID as CATEGORIES
from portrait.errors import PortraitError
from portrait.records.action_plan import STATUS_LABELS as PROGRESS_LABELS
from portrait.records.audience import (
    GENERALISED,
    audience_of,
    field_label,
    kind_of,
    shareable_fields,
)
from portrait.records.consultations import FORM_LABELS
from portrait.records.location_words import location_words
from portrait.records.partners import SECTOR_LABELS
from portrait.records.priority import CONCERN_LABELS, PriorityInputs, score_priority
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
    names = _names(records, partner)
    for record in records:
        kind = _kind(record)
        view = _view(record, partner, log, options, areas)
        if view is not None:
            view["_names"] = names
            grouped.setdefault(kind, []).append(view)
    if not grouped:
        out.paragraphs.append(text("no_records", language))
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
            out.tables.append(BriefTable(
                f"{key}_progress", text("progress", language),
                [Column("action", "Action"), Column("quarter", "Trimestre" if fr else
                                                    "Quarter"),
                 Column("status", "État" if fr else "Status"),
                 Column("note", "Note")], progress))
    return out


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


def _view(record: Any, partner: bool, log: DisclosureLog, options,
          areas) -> dict | None:
    """The fields the audience may see (labelled, values as printed), or None when the
    record stays in the station."""
    language = options.language
    where = text("records", language)
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
    if not shareable:  # not even its title leaves the station
        log.add(where, text(_kind(record), language), CONFIDENTIAL,
                text("internal_record", language))
        return None
    view = shareable_fields(kind, data)
    view["display_name"] = name
    left_out = [key for key, value in data.items()
                if key not in view and key not in META and not _empty(value)]
    if left_out:
        labels = [field_label(kind, key, language) for key in left_out]
        shown = ", ".join(dict.fromkeys(label for label in labels if label))
        log.add(where, f"{name} : {shown or '—'}" if language == "fr" else
                f"{name}: {shown or '—'}", CONFIDENTIAL)
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
        if key in META or key in _TITLE_KEYS or key in ("_kind", "_names") or \
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
        label = field_label(kind, key, language) or key.replace("_", " ")
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
    inputs = view.get("priority_inputs")
    concern = view.get("concern")
    level = concern.get("level", "unknown") if isinstance(concern, Mapping) else "unknown"
    try:
        score = score_priority(PriorityInputs(**dict(inputs)), level,
                               str(view.get("category") or ""))
    except (TypeError, ValueError, PortraitError):
        return ""
    return text("priority_score", language, score=score.out_of_100)


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
