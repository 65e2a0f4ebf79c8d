"""Call demand: how many calls each pathway could take, and the share that could be diverted.

Demand is the calls from the public that need a response: self-initiated activity, cancelled
and duplicate calls and administrative entries are not demand, and unmapped call types are
left out of every share (and listed). The diverted share — the calls a call-back unit, a
crisis team or another service could take — is given under the table's assumptions with a
Wilson interval, and as a range across its uncertain rules: each uncertain rule is set, as a
whole, to the assumption that gives the lowest share, then the highest (see
``diverted_range``).

>>> import pandas as pd
>>> calls = pd.DataFrame({"call_type": ["CW", "415", "SELENF", "459R"],
...                       "received": pd.to_datetime(["2023-01-01 10:00"] * 4)})
>>> result = call_demand(calls, PathwayTable.default())
>>> result.demand, result.by_pathway["not_demand"]
(3, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from portrait.calls.pathways import (
    DEMAND,
    DIVERTIBLE,
    LABELS,
    PATHWAYS,
    UNMAPPED,
    Classified,
    PathwayTable,
)
from portrait.statistics.proportions import wilson_interval


@dataclass(frozen=True)
class DivertedRange:
    """The lowest and highest diverted share the table's uncertain rules allow, in percent,
    with the rules (by position in the table) set to their alternative for each bound."""

    low: float | None
    high: float | None
    low_alternatives: tuple[int, ...]
    high_alternatives: tuple[int, ...]
    method: str = ("each uncertain rule set as a whole to its pathway or its alternative; "
                   "lowest and highest share of demand over those choices (Dinkelbach)")


@dataclass
class CallDemand:
    """Counts of calls by pathway, priority and hour, with the diverted share."""

    total: int
    self_initiated: int
    demand: int
    by_pathway: dict[str, int]
    by_priority: list[dict]
    by_hour: list[dict]
    unmapped: list[dict]
    diverted: int
    diverted_share: float | None
    diverted_low: float | None
    diverted_high: float | None
    diverted_range: DivertedRange
    level: float
    table_version: str
    first_received: str | None = None
    last_received: str | None = None
    by_rule: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready, pathways with their French and English labels."""
        return {
            "total_calls": self.total,
            "first_received": self.first_received, "last_received": self.last_received,
            "self_initiated": self.self_initiated,
            "demand": self.demand,
            "by_pathway": [{"pathway": p, "label_fr": LABELS[p][0], "label_en": LABELS[p][1],
                            "calls": self.by_pathway.get(p, 0),
                            "share_of_demand": _share(self.by_pathway.get(p, 0), self.demand)
                            if p in DEMAND else None}
                           for p in (*PATHWAYS, UNMAPPED)],
            "by_priority": self.by_priority,
            "by_hour": self.by_hour,
            "unmapped_call_types": self.unmapped,
            "diverted": {"calls": self.diverted, "share_percent": self.diverted_share,
                         "interval": {"low": self.diverted_low, "high": self.diverted_high,
                                      "level": self.level, "method": "Wilson score interval"},
                         "range_percent": {"low": self.diverted_range.low,
                                           "high": self.diverted_range.high,
                                           "method": self.diverted_range.method}},
            "pathway_table": self.table_version,
            "by_rule": self.by_rule,
        }


def classify_calls(calls: pd.DataFrame, table: PathwayTable) -> Classified:
    """The pathway of each call of a ``calls`` frame (columns as in the calls layer)."""
    return table.classify(
        calls["call_type"],
        calls["disposition"] if "disposition" in calls else None,
        calls["priority"] if "priority" in calls else None,
        calls["self_initiated"] if "self_initiated" in calls else None)


def call_demand(calls: pd.DataFrame, table: PathwayTable, level: float = 0.95,
                classified: Classified | None = None,
                labels: Mapping[str, str] | None = None) -> CallDemand:
    """Count ``calls`` by pathway, priority and hour under ``table``.

    ``classified`` may be given when the caller already classified the calls (a station's
    slice of the city's calls); ``labels`` describes call types (code -> description) for the
    unmapped listing, else the frame's ``call_type_label`` column is used.
    """
    found = classified if classified is not None else classify_calls(calls, table)
    pathway = found.pathway
    is_demand = found.among(DEMAND)
    demand = int(is_demand.sum())
    diverted = int(found.among(DIVERTIBLE).sum())
    share = wilson_interval(diverted, demand, level)
    low, high = diverted_range(found, table)
    received = calls["received"] if "received" in calls else pd.Series(dtype="datetime64[ns]")
    return CallDemand(
        total=len(calls), self_initiated=int(found.self_initiated.sum()), demand=demand,
        by_pathway={p: n for p in (*PATHWAYS, UNMAPPED) if (n := int((pathway == p).sum()))},
        by_priority=_by_priority(calls, is_demand),
        by_hour=_by_hour(received, is_demand),
        unmapped=unmapped_types(calls, pathway, labels),
        diverted=diverted,
        diverted_share=None if share.value is None else 100.0 * share.value,
        diverted_low=None if share.value is None else 100.0 * share.low,
        diverted_high=None if share.value is None else 100.0 * share.high,
        diverted_range=DivertedRange(low[0], high[0], low[1], high[1]),
        level=level, table_version=table.version,
        first_received=_stamp(received.min()) if len(received) else None,
        last_received=_stamp(received.max()) if len(received) else None,
        by_rule=_by_rule(found, table),
    )


def diverted_range(found: Classified, table: PathwayTable
                   ) -> tuple[tuple[float | None, tuple[int, ...]],
                              tuple[float | None, tuple[int, ...]]]:
    """Lowest and highest diverted share (percent) over the uncertain rules' assumptions.

    Each uncertain rule is one choice (its pathway or its alternative, for all its calls);
    a share is a ratio of sums, so its extremes over the choices are found exactly by
    Dinkelbach's iteration: with the current share ``s``, each rule takes the option with the
    larger (or smaller) ``diverted - s * demand``; a few rounds settle it.
    """
    uncertain = [i for i, rule in enumerate(table.rules) if rule.alternative is not None]
    # a call of an uncertain rule whose two pathways agree was fixed by a source flag
    fixed = ~np.isin(found.rule, uncertain) | (found.pathway == found.alternative)
    base_d = int(found.among(DIVERTIBLE)[fixed].sum())
    base_n = int(found.among(DEMAND)[fixed].sum())
    options = []
    for number in uncertain:
        mine = (found.rule == number) & ~fixed
        count = int(mine.sum())
        if count == 0:
            continue
        rule = table.rules[number]
        options.append((number, [(count * (rule.pathway in DIVERTIBLE),
                                  count * (rule.pathway in DEMAND)),
                                 (count * (rule.alternative in DIVERTIBLE),
                                  count * (rule.alternative in DEMAND))]))
    return (_extreme(base_d, base_n, options, lowest=True),
            _extreme(base_d, base_n, options, lowest=False))


def unmapped_types(calls: pd.DataFrame, pathway: np.ndarray,
                   labels: Mapping[str, str] | None = None) -> list[dict]:
    """Call types no rule matched, most frequent first, with their description if known."""
    mask = pathway == UNMAPPED
    if not mask.any():
        return []
    types = calls["call_type"].astype("string").str.strip().fillna("")[mask]
    counts = types.value_counts()
    described = dict(labels or {})
    if not described and "call_type_label" in calls:
        pairs = calls.loc[mask, ["call_type", "call_type_label"]].dropna().drop_duplicates(
            "call_type")
        described = dict(zip(pairs["call_type"].astype(str).str.strip(),
                             pairs["call_type_label"].astype(str), strict=True))
    return [{"call_type": code or "(empty)", "description": described.get(code, ""),
             "calls": int(n)} for code, n in counts.items()]


def _extreme(base_d: int, base_n: int, options: list, lowest: bool
             ) -> tuple[float | None, tuple[int, ...]]:
    chosen = [0] * len(options)
    for _ in range(50):
        d = base_d + sum(opts[c][0] for (_, opts), c in zip(options, chosen, strict=True))
        n = base_n + sum(opts[c][1] for (_, opts), c in zip(options, chosen, strict=True))
        if n == 0:
            # no demand under this choice: try the choice with the most demand instead
            chosen = [int(opts[1][1] > opts[0][1]) for _, opts in options]
            d = base_d + sum(opts[c][0] for (_, opts), c in zip(options, chosen, strict=True))
            n = base_n + sum(opts[c][1] for (_, opts), c in zip(options, chosen, strict=True))
            if n == 0:
                return None, ()
        ratio = d / n
        scores = [[o[0] - ratio * o[1] for o in opts] for _, opts in options]
        better = [int(s[1] < s[0]) if lowest else int(s[1] > s[0]) for s in scores]
        if better == chosen:
            break
        chosen = better
    alternatives = tuple(number for (number, _), c in zip(options, chosen, strict=True) if c)
    return 100.0 * d / n, alternatives


def _by_priority(calls: pd.DataFrame, is_demand: np.ndarray) -> list[dict]:
    if "priority" not in calls:
        return []
    codes, raw = pd.factorize(calls["priority"].reset_index(drop=True))
    # the few distinct values, trimmed (" 2" and "2" are one priority; missing is "")
    label_codes, unique = pd.factorize(np.array([str(v).strip() for v in raw] + [""]),
                                       sort=True)
    codes = label_codes[np.where(codes < 0, len(raw), codes)]
    every = np.bincount(codes, minlength=len(unique))
    demand = np.bincount(codes, weights=is_demand, minlength=len(unique))
    return [{"priority": value or "(none)", "calls": int(every[i]), "demand": int(demand[i])}
            for i, value in enumerate(unique) if every[i]]


def _by_hour(received: pd.Series, is_demand: np.ndarray) -> list[dict]:
    hours = received.dt.hour.to_numpy()
    known = ~np.isnan(hours.astype(float))
    every = np.bincount(hours[known].astype(int), minlength=24)
    demand = np.bincount(hours[known].astype(int), weights=is_demand[known], minlength=24)
    return [{"hour": h, "calls": int(every[h]), "demand": int(demand[h])} for h in range(24)]


def _by_rule(found: Classified, table: PathwayTable) -> list[dict]:
    counts = np.bincount(found.rule + 1, minlength=len(table.rules) + 1)
    return [{"rule": number + 1, "call_types": "|".join(rule.call_types),
             "dispositions": "|".join(rule.dispositions), "pathway": rule.pathway,
             "alternative": rule.alternative, "calls": int(counts[number + 1])}
            for number, rule in enumerate(table.rules)]


def _share(count: int, total: int) -> float | None:
    return None if total == 0 else 100.0 * count / total


def _stamp(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).isoformat()
