"""Response pathways: who could take each call for service, as an editable, versioned table.

A call's pathway says which response it needs: an emergency police response, a deferrable
police response (a call-back unit, a telephone or online report), a crisis team, another
service (by-law, 311, fire, health), or none because it is not demand from the public
(self-initiated activity, a cancelled or duplicate call, administrative work).

The table is a list of rules, read in order; the first rule that matches a call gives its
pathway. A rule names call types (``|``-separated codes, a trailing ``*`` for a prefix),
dispositions and priorities; an empty field matches anything. Rules whose answer is uncertain
(a welfare check: crisis team or police?) name an ``alternative`` pathway, so the share of
demand that could be diverted is given as a range rather than as one falsely precise number.
Each rule says why, in French and English, and on what public material it rests.

Calls that no rule matches are "unmapped": listed with their counts, never put in a pathway.

>>> table = PathwayTable.default()
>>> table.rules[0].pathway
'not_demand'
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from portrait.errors import PortraitError

EMERGENCY, DEFERRABLE, CRISIS, OTHER_SERVICE, NOT_DEMAND = (
    "emergency", "deferrable", "crisis", "other_service", "not_demand")
UNMAPPED = "unmapped"
_TEXT = "U13"  # the longest pathway name
#: Every pathway, in the order reports list them.
PATHWAYS = (EMERGENCY, DEFERRABLE, CRISIS, OTHER_SERVICE, NOT_DEMAND)
#: Pathways that are demand from the public, and those of them another response could take.
DEMAND = (EMERGENCY, DEFERRABLE, CRISIS, OTHER_SERVICE)
DIVERTIBLE = (DEFERRABLE, CRISIS, OTHER_SERVICE)
LABELS: dict[str, tuple[str, str]] = {
    EMERGENCY: ("Réponse policière d'urgence", "Emergency police response"),
    DEFERRABLE: ("Police, réponse différable (rappel, rapport par téléphone ou en ligne)",
                 "Police, deferrable (call-back, telephone or online report)"),
    CRISIS: ("Équipe de crise ou de santé mentale", "Crisis or mental-health team"),
    OTHER_SERVICE: ("Autre service (règlements, 311, pompiers, santé)",
                    "Another service (by-law, 311, fire, health)"),
    NOT_DEMAND: ("Pas une demande (activité policière, appel annulé ou en double, "
                 "administratif)", "Not demand (self-initiated, cancelled, duplicate, "
                 "administrative)"),
    UNMAPPED: ("Type d'appel absent de la table", "Call type not in the table"),
}
DEFAULT_VERSION = "2026.1"
#: The columns of a pathway table file, in order.
COLUMNS = ("call_types", "dispositions", "priorities", "pathway", "alternative",
           "self_initiated", "reasoning_en", "reasoning_fr", "sources")
_YES = ("yes", "oui", "true", "1", "y", "o")
_NO = ("no", "non", "false", "0", "n", "")


@dataclass(frozen=True)
class PathwayRule:
    """One row of the table: which calls it matches, their pathway, and why."""

    call_types: tuple[str, ...]
    dispositions: tuple[str, ...]
    priorities: tuple[str, ...]
    pathway: str
    alternative: str | None
    self_initiated: bool
    reasoning_en: str
    reasoning_fr: str
    sources: tuple[str, ...]

    def as_row(self) -> dict[str, str]:
        """The rule as a row of the table file."""
        return {"call_types": "|".join(self.call_types),
                "dispositions": "|".join(self.dispositions),
                "priorities": "|".join(self.priorities), "pathway": self.pathway,
                "alternative": self.alternative or "",
                "self_initiated": "yes" if self.self_initiated else "no",
                "reasoning_en": self.reasoning_en, "reasoning_fr": self.reasoning_fr,
                "sources": ";".join(self.sources)}


@dataclass(frozen=True)
class Classified:
    """Each call's pathway, its pathway under the other assumption, the rule that matched
    (-1: none) and whether it is self-initiated, as arrays aligned with the calls."""

    pathway: np.ndarray
    alternative: np.ndarray
    rule: np.ndarray
    self_initiated: np.ndarray

    masks: dict = field(default_factory=dict, repr=False, compare=False)

    def among(self, pathways: tuple[str, ...]) -> np.ndarray:
        """Whether each call's pathway is one of ``pathways``: a few vectorised comparisons
        (much faster than ``np.isin`` on text), kept for the next section that asks."""
        if pathways not in self.masks:
            out = np.zeros(len(self.pathway), dtype=bool)
            for name in pathways:
                out |= self.pathway == name
            self.masks[pathways] = out
        return self.masks[pathways]


@dataclass(frozen=True)
class PathwayTable:
    """The rules, the version they are known by, and the texts of the sources they cite."""

    rules: tuple[PathwayRule, ...]
    version: str
    sources: dict[str, tuple[str, str]]

    @classmethod
    def default(cls) -> PathwayTable:
        """The table shipped with the app (``default_pathways.csv``)."""
        return _default_table()

    @classmethod
    def from_csv(cls, path: Path) -> PathwayTable:
        """An officer's table, checked row by row; its version names the file and its digest,
        so a portrait says exactly which table it used."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise PortraitError(f"Cannot read the pathway table {path}: "
                                f"{error.strerror}.") from error
        except UnicodeDecodeError:
            raise PortraitError(f"{path.name}: the pathway table is not UTF-8 text; save it "
                                "again as UTF-8 CSV.") from None
        return cls.from_text(text, path.name, _digest_version(path.name, text))

    @classmethod
    def from_text(cls, text: str, name: str, version: str) -> PathwayTable:
        """A table from CSV text (``name`` is used in messages)."""
        rows = list(csv.DictReader(io.StringIO(text)))
        header = tuple(h.strip() for h in (csv.DictReader(io.StringIO(text)).fieldnames or ()))
        missing = [c for c in ("call_types", "dispositions", "priorities", "pathway")
                   if c not in header]
        if missing:
            raise PortraitError(f"{name}: the pathway table lacks column(s) "
                                f"{', '.join(missing)}. Expected columns: {', '.join(COLUMNS)}.")
        rules = tuple(_rule(name, number, {k.strip(): (v or "") for k, v in row.items()
                                           if k is not None})
                      for number, row in enumerate(rows, start=2))
        if not rules:
            raise PortraitError(f"{name}: the pathway table has no rules.")
        return cls(rules, version, _default_sources())

    @classmethod
    def of_workspace(cls, stored: pd.DataFrame | None) -> PathwayTable:
        """The table a workspace uses: the officer's (the ``call_pathways`` layer) if it holds
        one, else the built-in table."""
        if stored is None or stored.empty:
            return cls.default()
        stored = stored.sort_values("position", kind="stable")
        versions = stored["version"].dropna().astype(str).unique()
        rules = tuple(_rule("the workspace's pathway table", number, {
            column: "" if pd.isna(row.get(column)) else str(row.get(column))
            for column in COLUMNS}) for number, (_, row) in enumerate(stored.iterrows(),
                                                                          start=1))
        return cls(rules, versions[0] if len(versions) else "workspace", _default_sources())

    def to_frame(self) -> pd.DataFrame:
        """The table as rows of the workspace's ``call_pathways`` layer."""
        rows = [{"position": number, **rule.as_row(), "version": self.version}
                for number, rule in enumerate(self.rules, start=1)]
        return pd.DataFrame(rows)

    def to_csv(self) -> str:
        """The table as CSV text: what an officer copies and edits."""
        out = io.StringIO()
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rule.as_row() for rule in self.rules)
        return out.getvalue()

    def source_text(self, key: str, language: str = "en") -> str:
        """A cited source in words (a key the catalogue does not know is shown as written)."""
        texts = self.sources.get(key)
        if texts is None:
            return key
        return texts[0] if language == "fr" else texts[1]

    def changes_from_default(self) -> list[dict[str, str]]:
        """Rules that differ from the shipped table, so the portrait records the edit."""
        default = {rule.as_row()["call_types"] + "/" + rule.as_row()["dispositions"]
                   + "/" + rule.as_row()["priorities"]: rule for rule in self.default().rules}
        changes = []
        for rule in self.rules:
            row = rule.as_row()
            key = f"{row['call_types']}/{row['dispositions']}/{row['priorities']}"
            before = default.pop(key, None)
            if before is None:
                changes.append({"change": "added", **_brief(row)})
            elif (before.pathway, before.alternative, before.self_initiated) != \
                    (rule.pathway, rule.alternative, rule.self_initiated):
                changes.append({"change": "changed", **_brief(row),
                                "default_pathway": before.pathway,
                                "default_alternative": before.alternative or ""})
        changes += [{"change": "removed", **_brief(rule.as_row())} for rule in default.values()]
        return changes

    def classify(self, call_type: pd.Series, disposition: pd.Series | None = None,
                 priority: pd.Series | None = None,
                 self_initiated: pd.Series | None = None) -> Classified:
        """Each call's pathway under the table (``unmapped`` where no rule matches).

        A call the source flags as self-initiated is not demand whatever its type. Matching
        works on the distinct (type, disposition, priority) combinations, a few thousand
        even in a million calls, so it costs little more than one factorisation.
        """
        size = len(call_type)
        columns = [_factorised(values, size) for values in (call_type, disposition, priority)]
        key = np.zeros(size, dtype=np.int64)
        for codes, distinct in columns:
            key = key * (len(distinct) + 1) + codes + 1
        combos, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        rule_of = np.array([self._match(*(distinct[codes[i]] if codes[i] >= 0 else ""
                                          for codes, distinct in columns)) for i in first],
                           dtype=np.int64) if len(combos) else np.zeros(0, dtype=np.int64)
        rule = rule_of[inverse.reshape(-1)] if size else np.zeros(0, dtype=np.int64)
        # fixed-width text: comparisons and ``isin`` run in C, not per Python object
        primary = np.array([r.pathway for r in self.rules] + [UNMAPPED], dtype=_TEXT)
        other = np.array([r.alternative or r.pathway for r in self.rules] + [UNMAPPED],
                         dtype=_TEXT)
        flagged_by_rule = np.array([r.self_initiated for r in self.rules] + [False])
        pathway, alternative = primary[rule], other[rule]
        flag = flagged_by_rule[rule]
        if self_initiated is not None:
            given = self_initiated.fillna(False).to_numpy(dtype=bool)
            flag = flag | given
            pathway = np.where(given, NOT_DEMAND, pathway)
            alternative = np.where(given, NOT_DEMAND, alternative)
        return Classified(pathway, alternative, rule, flag)

    def _match(self, call_type: str, disposition: str, priority: str) -> int:
        for number, rule in enumerate(self.rules):
            if rule.call_types and not _type_matches(call_type, rule.call_types):
                continue
            if rule.dispositions and disposition not in rule.dispositions:
                continue
            if rule.priorities and priority not in rule.priorities:
                continue
            return number
        return -1


def _type_matches(call_type: str, patterns: tuple[str, ...]) -> bool:
    return any(call_type.startswith(p[:-1]) if p.endswith("*") else call_type == p
               for p in patterns)


def _factorised(values: pd.Series | None, size: int) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1 when missing) and the distinct codes as the table writes them,
    trimmed and in upper case; a million calls hold a few hundred distinct values."""
    if values is None:
        return np.full(size, -1, dtype=np.int64), []
    codes, distinct = pd.factorize(values.reset_index(drop=True))
    return codes.astype(np.int64), [str(v).strip().upper() for v in distinct]


def _rule(name: str, row_number: int, row: dict[str, str]) -> PathwayRule:
    def fail(column: str, problem: str) -> PortraitError:
        return PortraitError(f"{name}, row {row_number}, column {column!r}: {problem}")

    pathway = row.get("pathway", "").strip()
    if pathway not in PATHWAYS:
        raise fail("pathway", f"{pathway!r} is not a pathway. Expected one of: "
                   f"{', '.join(PATHWAYS)}.")
    alternative = row.get("alternative", "").strip() or None
    if alternative is not None and alternative not in PATHWAYS:
        raise fail("alternative", f"{alternative!r} is not a pathway. Expected one of: "
                   f"{', '.join(PATHWAYS)}, or empty.")
    flag = row.get("self_initiated", "").strip().lower()
    if flag not in _YES + _NO:
        raise fail("self_initiated", f"{flag!r} is not yes or no.")
    types, dispositions, priorities = (_split(row.get(c, ""))
                                       for c in ("call_types", "dispositions", "priorities"))
    if not (types or dispositions or priorities):
        raise fail("call_types", "the rule matches every call; give call types, "
                   "dispositions or priorities.")
    return PathwayRule(types, dispositions, priorities, pathway,
                       alternative if alternative != pathway else None, flag in _YES,
                       row.get("reasoning_en", "").strip(), row.get("reasoning_fr", "").strip(),
                       tuple(s.strip() for s in row.get("sources", "").split(";") if s.strip()))


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip().upper() for part in text.split("|") if part.strip())


def _brief(row: dict[str, str]) -> dict[str, str]:
    return {k: row[k] for k in ("call_types", "dispositions", "priorities", "pathway",
                                "alternative")}


def _digest_version(name: str, text: str) -> str:
    return f"{name} (sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]})"


def _package_text(file_name: str) -> str:
    return resources.files("portrait.calls").joinpath(file_name).read_text(encoding="utf-8")


@functools.cache
def _default_sources() -> dict[str, tuple[str, str]]:
    rows = csv.DictReader(io.StringIO(_package_text("pathway_sources.csv")))
    return {row["key"]: (row["text_fr"], row["text_en"]) for row in rows}


@functools.cache
def _default_table() -> PathwayTable:
    text = _package_text("default_pathways.csv")
    return PathwayTable.from_text(text, "default_pathways.csv", f"built-in {DEFAULT_VERSION}")
