"""The officer's own records: problems, partners, consultations, the action plan, the
assessment of responses and the best-practices library, with their history.

Everything here is plain Python (no Qt). Records are frozen dataclasses stored in the
workspace's ``records`` layer by ``RecordStore``; every change goes through
``history.update`` (or the store), which records who changed what and when. What a partner
may read of each field is declared once, in ``portrait.records.audience``, and every brief
writer follows it; ``Record.shareable_view()`` / ``RecordStore.shareable_views()`` give the
records without personal information (contact details, named participants) for data
exchange.
"""

from __future__ import annotations

from portrait.records.action_plan import (
    PROGRESS_STATUSES,
    Action,
    ActionIndicator,
    ActionPriority,
    ProgressEntry,
    quarter_of,
    quarters_between,
    record_progress,
)
from portrait.records.assessment import (
    WddCounts,
    WddResult,
    assess_problem,
    pin_assessment,
    wdd_from_incidents,
    wdd_test,
)
from portrait.records.base import Record, current_user, new_id, now_iso
from portrait.records.best_practices import (
    REQUIRED_PRACTICES,
    CustomPractice,
    Practice,
    PracticeTrial,
    Suggestion,
    all_practices,
    catalogue,
    practice_by_id,
    suggestions,
)
from portrait.records.consultations import FORMS, Consultation, FollowUp
from portrait.records.evidence import PinnedEvidence, pin_indicator, pin_map_snapshot
from portrait.records.history import Change, history_rows, update
from portrait.records.partners import SECTORS, ContactPerson, PartnerOrganisation
from portrait.records.priority import (
    WEIGHTS,
    PriorityInputs,
    PriorityScore,
    inputs_from_incidents,
    score_priority,
)
from portrait.records.problems import (
    SARA_STAGES,
    SIDES,
    CommunityConcern,
    ConcernSource,
    Location,
    ProblemCard,
    ProblemTriangle,
    TriangleSide,
    pin,
    unpin,
)
from portrait.records.progress import ProgressTable, progress_table
from portrait.records.store import RECORD_TYPES, Link, RecordStore, UnreadableRecord

__all__ = [
    "FORMS", "PROGRESS_STATUSES", "RECORD_TYPES", "REQUIRED_PRACTICES", "SARA_STAGES",
    "SECTORS", "SIDES", "WEIGHTS",
    "Action", "ActionIndicator", "ActionPriority", "Change", "CommunityConcern",
    "ConcernSource", "Consultation", "ContactPerson", "CustomPractice", "FollowUp", "Link",
    "Location", "PartnerOrganisation", "PinnedEvidence", "Practice", "PracticeTrial",
    "PriorityInputs", "PriorityScore", "ProblemCard", "ProblemTriangle", "ProgressEntry",
    "ProgressTable", "Record", "RecordStore", "Suggestion", "TriangleSide",
    "UnreadableRecord", "WddCounts", "WddResult",
    "all_practices", "assess_problem", "catalogue", "current_user", "history_rows",
    "inputs_from_incidents", "new_id", "now_iso", "pin", "pin_assessment", "pin_indicator",
    "pin_map_snapshot", "practice_by_id", "progress_table", "quarter_of", "quarters_between",
    "record_progress", "score_priority", "suggestions", "unpin", "update",
    "wdd_from_incidents", "wdd_test",
]
