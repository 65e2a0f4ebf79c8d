"""The records section of a brief: problems, partners, consultations and the action plan
with its quarterly progress.

Records come from ``portrait.records`` when it is installed (objects with ``KIND``,
``display_name``, ``is_shareable``, ``shareable_view()`` and ``to_dict()``) or as plain dicts
(tests, imports). For partners only the shareable view is used: internal consultations are
left out, confidential fields (contact details, confidential notes) are dropped, and as a
second lock any field whose name says it holds contact details or confidential notes is
dropped too. Every removal is logged for the disclosure appendix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from exports.brief_model import BriefSection, BriefTable, Column
from exports.brief_text import text
from exports.disclosure import CONFIDENTIAL, DisclosureLog

META = {"record_id", "created_at", "created_by", "updated_at", "updated_by", "history",
        "kind", "geometry", "confidential_fields", "station_id"}
#: Field names that hold contact details or confidential text, in either language.
_PRIVATE = re.compile(r"(contact|e-?mail|courriel|phone|t[ée]l[ée]phone|cell|address|adresse|"
                      r"confiden|private|priv[ée]|internal|interne)", re.IGNORECASE)
_KINDS = (("problem", "problems"), ("partner", "partners"), ("consult", "consultations"),
          ("action", "action_plan"))
_TITLE_KEYS = ("title", "titre", "name", "nom", "display_name")


def records_section(records: Sequence[Any], options, log: DisclosureLog) -> BriefSection:
    """Tables of the station's records for ``options.audience``."""
    language = options.language
    partner = options.audience == "partner"
    out = BriefSection("records", text("records", language))
    grouped: dict[str, list[dict]] = {}
    for record in records:
        kind = _kind(record)
        view = _view(record, partner, log, language)
        if view is not None:
            grouped.setdefault(kind, []).append(view)
    if not grouped:
        out.paragraphs.append(text("no_records", language))
        return out
    fr = language == "fr"
    for _, key in _KINDS + (("other", "records"),):
        views = grouped.get(key)
        if not views:
            continue
        rows = [[_title(v), _details(v)] for v in views]
        out.tables.append(BriefTable(
            key, text(key, language),
            [Column("name", "Nom" if fr else "Name"),
             Column("details", "Détails" if fr else "Details")], rows))
        progress = [row for v in views for row in _progress_rows(v)]
        if progress:
            out.tables.append(BriefTable(
                f"{key}_progress", text("progress", language),
                [Column("action", "Action"), Column("quarter", "Trimestre" if fr else
                                                    "Quarter"),
                 Column("status", "État" if fr else "Status"),
                 Column("note", "Note")], progress))
    return out


def _kind(record: Any) -> str:
    kind = str(getattr(record, "KIND", "") or (record.get("kind", "") if isinstance(record, dict)
                                                else "")).lower()
    for stem, key in _KINDS:
        if stem in kind:
            return key
    return "records"


def _view(record: Any, partner: bool, log: DisclosureLog, language: str) -> dict | None:
    """The fields the audience may see, or None when the record stays in the station."""
    name = _title(record if isinstance(record, dict) else {"name": getattr(
        record, "display_name", "")})
    where = text("records", language)
    if isinstance(record, dict):
        view = dict(record)
        shareable = _is_shareable(view)
        secret = set(view.get("confidential_fields") or ())
    else:
        shareable = bool(getattr(record, "is_shareable", True))
        secret = set(getattr(record, "CONFIDENTIAL_FIELDS", ()) or ())
        if partner and shareable:
            view = dict(record.shareable_view())
        else:
            view = dict(record.to_dict())
        view.setdefault("display_name", getattr(record, "display_name", ""))
    if not partner:
        return view
    if not shareable:  # not even its title leaves the station
        log.add(where, text(_kind(record), language), CONFIDENTIAL,
                "internal record not shared")
        return None
    for key in list(view):
        if key in secret or _PRIVATE.search(key):
            if view[key] not in (None, "", [], {}, ()):
                log.add(where, f"{name}: {key}", CONFIDENTIAL)
            del view[key]
    return view


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


def _details(view: dict) -> str:
    lines = []
    for key, value in view.items():
        if key in META or key in _TITLE_KEYS or "progress" in key or value in (None, "", (),
                                                                               [], {}):
            continue
        value = _flat(value)
        lines.append(f"{key.replace('_', ' ')}: {value}")
    return "\n".join(lines)


def _flat(value: Any) -> str:
    """Nested fields (contacts, follow-ups) on one line: "role: x; name: y, ..."."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items()
                         if v not in (None, "", (), [], {}) and k not in META
                         and not k.endswith("_id"))
    if isinstance(value, (list, tuple)):
        return ", ".join(_flat(v) for v in value)
    return str(value)


def _progress_rows(view: dict) -> list[list[str]]:
    """The quarterly progress of an action: rows (action, quarter, status, note)."""
    rows = []
    for key, value in view.items():
        if "progress" not in key:
            continue
        items = value.items() if isinstance(value, dict) else \
            ((None, v) for v in value or ())
        for quarter, item in items:
            if isinstance(item, dict):
                rows.append([_title(view), str(item.get("quarter", quarter or "")),
                             str(item.get("status", item.get("state", ""))),
                             str(item.get("note", item.get("narrative",
                                                           item.get("comment", ""))))])
            else:
                rows.append([_title(view), str(quarter or ""), str(item), ""])
    return rows
