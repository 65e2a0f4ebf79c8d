"""The commander's sign-off as briefs show it: the approval line, "working draft" on partner
briefs that are not approved as they stand, and the review comments of internal briefs.

Whether a brief is approved is decided here once, from the digest of its content
(``portrait.signoff``), and written into the ``Brief``; each writer only prints
``brief.approval`` and ``brief.draft``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from exports.brief_build import workspace_records
from exports.brief_model import Brief, BriefSection, BriefTable, Column
from exports.brief_text import text
from portrait.layers import RECORDS
from portrait.quarterly_report import build_quarterly_report
from portrait.quarters import Quarter
from portrait.review import COMMENT, ReviewSession, map_section_id, review_items, save_review
from portrait.signoff import (
    Approval,
    approval_for,
    approvals,
    content_digest,
    new_approval,
    portrait_content,
)
from portrait.workspace import Workspace


def apply_signoff(brief: Brief, workspace: Workspace, content: Any) -> str:
    """Mark ``brief`` approved (or a working draft) from the approvals the workspace holds
    for ``content``; return the content's digest."""
    digest = content_digest(content)
    found = is_approved(workspace, brief.station_id, brief.kind, digest)
    brief.approval = approval_text(found, brief.language) if found is not None else ""
    brief.draft = found is None and brief.audience == "partner"
    return digest


def approval_text(approval: Approval, language: str) -> str:
    """"Approuvé par Marie Tremblay (commandante) le 2026-11-23 à 14:05"."""
    name = approval.approver + (f" ({approval.role})" if approval.role else "")
    return text("approved_by", language, name=name, date=approval.approved_at[:10],
                time=approval.approved_at[11:16])


def approve(path: str | os.PathLike[str], station_id: str, brief_kind: str, period: str,
            content: Any, approver: str, role: str = "") -> Approval:
    """Store the approval of ``content`` in the workspace file at ``path`` (only its records
    layer is rewritten, as review comments are)."""
    approval = new_approval(approver, role, station_id, brief_kind, period,
                            content_digest(content))
    save_review(path, [approval])
    return approval


def portrait_digest(workspace: Workspace, portrait: Any) -> str:
    """The digest of a station portrait brief's content (the portrait and its records)."""
    records = workspace_records(workspace, portrait.station_id)
    return content_digest(portrait_content(portrait, records))


def approve_portrait(session: ReviewSession, portrait: Any, approver: str,
                     role: str = "") -> Approval:
    """The commander's approval, in review mode, of the portrait brief being read."""
    approval = new_approval(approver, role, portrait.station_id, "portrait",
                            " – ".join(portrait.period or ()),
                            portrait_digest(session.workspace, portrait))
    return session.add_approval(approval)


def quarterly_content(workspace: Workspace, data: Any, station_id: str,
                      quarter: Quarter) -> dict[str, Any]:
    """What a quarterly report says, read in full (the partner version is a view of it, so
    one approval covers both)."""
    records = workspace_records(workspace, station_id) or []
    return build_quarterly_report(data, station_id, quarter, records,
                                  shareable_only=False).content()


def approve_quarterly(session: ReviewSession, data: Any, station_id: str, quarter: Quarter,
                      approver: str, role: str = "") -> Approval:
    """The commander's approval, in review mode, of a station's quarterly report."""
    content = quarterly_content(session.workspace, data, station_id, quarter)
    approval = new_approval(approver, role, station_id, "quarterly", quarter.label,
                            content_digest(content))
    return session.add_approval(approval)


def is_approved(workspace: Workspace, station_id: str, brief_kind: str,
                digest: str) -> Approval | None:
    """The approval of exactly this content in ``workspace``, if any."""
    return approval_for(approvals(workspace.layer(RECORDS.name)), station_id, brief_kind,
                        digest)


def review_section(workspace: Workspace, station_id: str, record_ids: Iterable[str],
                   language: str) -> BriefSection | None:
    """The review comments about the station's map sections and records, oldest first
    (internal briefs only: comments are the commander's words to the officer); None when
    there are none."""
    ids = set(record_ids)
    prefix = map_section_id(station_id, "")
    comments = [item for item in review_items(workspace.layer(RECORDS.name))
                if item.kind == COMMENT and (item.target_id.startswith(prefix)
                                             or item.target_id in ids)]
    if not comments:
        return None
    section = BriefSection("review_comments", text("review_comments", language))
    rows = [[item.author, item.created_at[:16].replace("T", " "),
             item.target_label or "—", item.text] for item in comments]
    section.tables.append(BriefTable(
        "review_comments", text("review_comments", language),
        [Column("author", text("review_author", language)),
         Column("date", text("review_date", language)),
         Column("about", text("review_about", language)),
         Column("details", text("review_comment", language))], rows))
    return section
