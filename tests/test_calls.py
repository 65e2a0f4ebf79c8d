"""Response pathways and call demand: the table, the classification, the diverted range,
and ``portrait calls`` on the real San Diego export."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.main import main
from portrait.calls import PathwayTable, call_demand
from portrait.calls.demand import diverted_range
from portrait.calls.pathways import DEMAND, DIVERTIBLE, PATHWAYS, UNMAPPED
from portrait.errors import PortraitError

_HERE = Path(__file__).resolve()
#: ../shared/data beside the repository (main checkout) or beside the worktrees' folder.
SHARED = next((p / "shared" / "data" for p in (_HERE.parents[2], _HERE.parents[3])
               if (p / "shared" / "data").is_dir()), _HERE.parents[2] / "shared" / "data")
SAN_DIEGO = SHARED / "sandiego"
needs_san_diego = pytest.mark.skipif(not SAN_DIEGO.is_dir(),
                                     reason="../shared/data/sandiego is not present")

HEADER = "call_types,dispositions,priorities,pathway,alternative,self_initiated,reasoning_en," \
         "reasoning_fr,sources\n"


def _table(tmp_path: Path, rows: str) -> PathwayTable:
    path = tmp_path / "pathways.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return PathwayTable.from_csv(path)


def test_default_table_explains_every_rule_in_both_languages() -> None:
    table = PathwayTable.default()
    assert table.version.startswith("built-in ")
    for rule in table.rules:
        assert rule.pathway in PATHWAYS
        assert rule.reasoning_en and rule.reasoning_fr and rule.reasoning_en != rule.reasoning_fr
        assert rule.sources, rule
        for key in rule.sources:
            assert key in table.sources, key
            assert table.source_text(key, "fr") != table.source_text(key, "en")
    codes = [c for rule in table.rules for c in rule.call_types]
    assert len(codes) == len(set(codes)), "a call type listed twice: the second never applies"


def test_first_matching_rule_wins_and_dispositions_come_first() -> None:
    table = PathwayTable.default()
    found = table.classify(pd.Series(["5150", "5150", "CW", "AU23103", "SELENF", "XYZ", None]),
                           pd.Series(["K", "CAN", "KHR", "K", "K", "K", "K"]))
    assert list(found.pathway) == ["crisis", "not_demand", "crisis", "not_demand", "not_demand",
                                   UNMAPPED, UNMAPPED]
    assert list(found.alternative[:4]) == ["crisis", "not_demand", "crisis", "emergency"]
    assert list(found.self_initiated) == [False, False, False, False, True, False, False]


def test_a_source_flag_makes_a_call_self_initiated_whatever_its_type() -> None:
    table = PathwayTable.default()
    found = table.classify(pd.Series(["415", "415"]), self_initiated=pd.Series(
        [True, pd.NA], dtype="boolean"))
    assert list(found.pathway) == ["not_demand", "emergency"]
    assert list(found.self_initiated) == [True, False]


def test_an_edited_table_is_used_and_recorded(tmp_path: Path) -> None:
    table = _table(tmp_path, "CW,,,deferrable,,no,Call back first.,Rappeler d'abord.,\n"
                             "4*,,1|2,emergency,,no,Urgent.,Urgent.,\n")
    found = table.classify(pd.Series(["CW", "415", "415", "X"]), None,
                           pd.Series(["3", "1", "3", "1"]))
    assert list(found.pathway) == ["deferrable", "emergency", UNMAPPED, UNMAPPED]
    assert table.version.startswith("pathways.csv (sha256 ")
    changes = {c["call_types"]: c for c in table.changes_from_default()}
    assert changes["CW"] == {"change": "changed", "call_types": "CW", "dispositions": "",
                             "priorities": "", "pathway": "deferrable", "alternative": "",
                             "default_pathway": "crisis", "default_alternative": "emergency"}
    assert changes["4*"]["change"] == "added"
    assert any(c["change"] == "removed" for c in changes.values())


@pytest.mark.parametrize(("row", "message"), [
    ("CW,,,crisis_team,,no,a,b,\n", r"row 2, column 'pathway': 'crisis_team' is not a pathway"),
    ("CW,,,crisis,police,no,a,b,\n", r"row 2, column 'alternative': 'police'"),
    (",,,crisis,,no,a,b,\n", r"row 2, column 'call_types': the rule matches every call"),
    ("CW,,,crisis,,maybe,a,b,\n", r"row 2, column 'self_initiated': 'maybe' is not yes or no"),
])
def test_a_bad_table_row_is_named(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(PortraitError, match=message):
        _table(tmp_path, row)


def test_unmapped_types_are_listed_and_left_out_of_every_share() -> None:
    calls = pd.DataFrame({"call_type": ["CW", "CW", "ZZZ", "ZZZ", "ZZZ", "459R"],
                          "received": pd.to_datetime(["2024-05-01 08:15"] * 6),
                          "call_type_label": ["", "", "Mystery", "Mystery", "Mystery", ""]})
    result = call_demand(calls, PathwayTable.default())
    assert result.unmapped == [{"call_type": "ZZZ", "description": "Mystery", "calls": 3}]
    assert result.demand == 3 and result.by_pathway[UNMAPPED] == 3
    assert result.diverted_share == pytest.approx(100.0)
    assert result.by_hour[8] == {"hour": 8, "calls": 6, "demand": 3}


def _brute_force(found, table) -> tuple[float, float]:
    uncertain = [i for i, r in enumerate(table.rules) if r.alternative is not None]
    shares = []
    for choice in itertools.product((False, True), repeat=len(uncertain)):
        pathway = found.pathway.copy()
        for number, use_alternative in zip(uncertain, choice, strict=True):
            if use_alternative:
                mine = (found.rule == number) & (found.pathway != found.alternative)
                pathway[mine] = found.alternative[mine]
        demand = np.isin(pathway, DEMAND).sum()
        if demand:
            shares.append(100.0 * np.isin(pathway, DIVERTIBLE).sum() / demand)
    return min(shares), max(shares)


@pytest.mark.parametrize("seed", range(6))
def test_the_diverted_range_is_the_true_extreme_over_the_uncertain_rules(tmp_path: Path,
                                                                       seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(7):
        pathway, alternative = rng.choice(PATHWAYS, 2)
        rows.append(f"T{number},,,{pathway},{alternative if rng.random() < 0.7 else ''},no,"
                    "why,pourquoi,\n")
    table = _table(tmp_path, "".join(rows))
    calls = pd.Series(rng.choice([f"T{n}" for n in range(7)], size=400,
                                 p=rng.dirichlet(np.ones(7))))
    found = table.classify(calls)
    (low, _), (high, _) = diverted_range(found, table)
    expected_low, expected_high = _brute_force(found, table)
    assert low == pytest.approx(expected_low)
    assert high == pytest.approx(expected_high)


def test_the_diverted_range_names_the_assumptions_behind_each_bound() -> None:
    table = PathwayTable.default()
    welfare = next(i for i, r in enumerate(table.rules) if "CW" in r.call_types)
    found = table.classify(pd.Series(["CW"] * 4 + ["415V"] * 4))
    (low, low_rules), (high, high_rules) = diverted_range(found, table)
    assert (low, high) == (0.0, 50.0)
    assert welfare in low_rules and welfare not in high_rules


@needs_san_diego
@pytest.mark.shared_data
def test_calls_command_on_san_diego_matches_direct_counts(tmp_path: Path) -> None:
    export = SAN_DIEGO / "pd_calls_for_service_2023_datasd.csv"
    out = tmp_path / "summary.json"
    assert main(["calls", str(export), "--lookup", str(SAN_DIEGO / "pd_cfs_calltypes_datasd.csv"),
                 "--json", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))

    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    assert summary["total_calls"] == len(raw) == 26_595
    code = raw["call_type"].str.strip().str.upper()
    dispo = raw["disposition"].str.strip().str.upper()
    # the default table written out with plain pandas: dispositions first, then types
    pathway = pd.Series(UNMAPPED, index=raw.index)
    for rule in reversed(PathwayTable.default().rules):
        match = pd.Series(True, index=raw.index)
        if rule.dispositions:
            match &= dispo.isin(rule.dispositions)
        if rule.call_types:
            exact = [t for t in rule.call_types if not t.endswith("*")]
            prefixes = tuple(t[:-1] for t in rule.call_types if t.endswith("*"))
            match &= code.isin(exact) | (code.str.startswith(prefixes) if prefixes else False)
        pathway[match] = rule.pathway
    by_pathway = {row["pathway"]: row["calls"] for row in summary["by_pathway"]}
    assert by_pathway == {p: int((pathway == p).sum()) for p in (*PATHWAYS, UNMAPPED)}

    demand = pathway.isin(DEMAND)
    priorities = {row["priority"]: (row["calls"], row["demand"])
                  for row in summary["by_priority"]}
    assert priorities == {p: (int((raw["priority"] == p).sum()),
                              int(((raw["priority"] == p) & demand).sum()))
                          for p in raw["priority"].unique()}
    assert priorities["2"][0] == 11_994  # as PROVENANCE.md counts them
    hour = pd.to_datetime(raw["date_time"]).dt.hour
    assert [(row["calls"], row["demand"]) for row in summary["by_hour"]] == [
        (int((hour == h).sum()), int(((hour == h) & demand).sum())) for h in range(24)]

    # self-initiated activity is never demand
    self_started = code.isin(["SELENF", "T", "MPSSTP", "1151"])
    assert self_started.sum() > 4_000
    assert not demand[self_started].any()
    assert summary["self_initiated"] >= int(self_started.sum())
    assert summary["demand"] == int(demand.sum())
    unmapped = {u["call_type"]: u for u in summary["unmapped_call_types"]}
    assert unmapped["415CAPP"]["description"] == "DIST PEACE-CAPP HOUSE"
    low = summary["diverted"]["range_percent"]["low"]
    high = summary["diverted"]["range_percent"]["high"]
    assert low <= summary["diverted"]["share_percent"] <= high


def test_calls_command_writes_the_table_and_uses_an_edited_one(tmp_path: Path,
                                                               capsys) -> None:
    export = tmp_path / "cad.csv"
    export.write_text("call_id,received,call_type,priority\n"
                      "1,2024-05-01 08:15:00,CW,2\n2,2024-05-01 09:15:00,415,1\n"
                      "3,2024-05-01 10:15:00,T,3\n", encoding="utf-8")
    table = tmp_path / "mine.csv"
    assert main(["calls", str(export), "--write-pathways", str(table),
                 "--json", str(tmp_path / "a.json")]) == 0
    assert "3 calls, 2 demand from the public (1 self-initiated)" in capsys.readouterr().out
    assert PathwayTable.from_csv(table).rules == PathwayTable.default().rules
    table.write_text(table.read_text(encoding="utf-8").replace(
        "\nCW,,,crisis,emergency,no,", "\nCW,,,other_service,,no,"), encoding="utf-8")
    assert main(["calls", str(export), "--pathways", str(table),
                 "--json", str(tmp_path / "b.json")]) == 0
    summary = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert {r["pathway"]: r["calls"] for r in summary["by_pathway"]}["other_service"] == 1
    assert summary["pathway_table"].startswith("mine.csv (sha256 ")
    assert summary["pathway_table_changes"][0]["default_pathway"] == "crisis"


def test_calls_command_names_a_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["calls", str(tmp_path / "nope.csv"), "--json", "-"]) == 1
    assert "file(s) not found" in capsys.readouterr().err
