"""The call-demand section of the briefs: everything for the station, disclosure rules for
partners (small counts, no address, no cross-tabulation)."""

from __future__ import annotations

from pathlib import Path

from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from exports.disclosure import CONFIDENTIAL, DERIVED, PRIMARY, WITHHELD
from portrait.engine import build_portrait, prepare
from portrait.records import ActionPriority
from tests.test_call_demand_section import PERIOD, _workspace_with_calls


def _brief(workspace, audience: str, language: str = "fr", records=None):
    data = prepare(workspace)
    return build_brief(build_portrait(data, "38", PERIOD), data,
                       BriefOptions(audience=audience, language=language), records)


def _everything(section) -> str:
    cells = [str(v) for t in section.tables for row in t.rows for v in row]
    return " ".join([*section.paragraphs, *cells, *(t.note for t in section.tables),
                     *(f.text for f in section.key_figures)])


def test_the_internal_brief_shows_everything(small_workspace, tmp_path: Path) -> None:
    brief = _brief(_workspace_with_calls(small_workspace, tmp_path), "internal")
    section = brief.section("call_demand")
    assert section.title == "Demande d'appels"
    tables = {t.id: t for t in section.tables}
    assert [row[:2] for row in tables["calls_by_pathway"].rows] == [
        ["Réponse policière d'urgence", 4],
        ["Police, réponse différable (rappel, rapport par téléphone ou en ligne)", 3],
        ["Équipe de crise ou de santé mentale", 6],
        ["Autre service (règlements, 311, pompiers, santé)", 0],
        ["Appels du public (demande)", 13]]
    assert tables["calls_repeat_places"].rows == [["12 rue A", 6]]
    assert tables["calls_unmapped"].rows == [["ZZZ", "", 2]]
    assert "de 23,1 % à 100,0 %" in " ".join(section.paragraphs)


def test_the_partner_brief_hides_small_counts_addresses_and_crosstabs(
        small_workspace, tmp_path: Path) -> None:
    brief = _brief(_workspace_with_calls(small_workspace, tmp_path), "partner", "en")
    section = brief.section("call_demand")
    tables = {t.id: t for t in section.tables}
    assert set(tables) == {"calls_by_pathway", "calls_changes_last_12_months",
                           "calls_changes_year_to_date", "calls_time_spent", "calls_practices"}
    counts = {row[0]: row[1] for row in tables["calls_by_pathway"].rows}
    assert counts["Emergency police response"] is SUPPRESSED  # 4 calls
    assert counts["Police, deferrable (call-back, telephone or online report)"] is SUPPRESSED
    assert counts["Crisis or mental-health team"] == 6
    # the diverted share (9 of 13) and its range would give the 3 deferrable calls back
    diverted = next(k for k in section.key_figures if k.label.startswith("Share of demand"))
    assert diverted.value is SUPPRESSED
    assert section.paragraphs == []
    practices = {row[0]: row[1] for row in tables["calls_practices"].rows}
    assert SUPPRESSED in practices.values()
    text = _everything(section)
    assert "rue A" not in text and "12 rue" not in text
    reasons = {(e.table, e.reason) for e in brief.disclosure.entries}
    assert ("Repeat-call places", CONFIDENTIAL) in reasons
    assert ("Calls from the public by hour and weekday", WITHHELD) in reasons
    assert ("Calls by pathway", PRIMARY) in {(e.table, e.reason) for e in
                                            brief.disclosure.entries
                                            if e.item == "Emergency police response"}
    assert any(e.reason == DERIVED for e in brief.disclosure.entries)


def test_the_section_lists_the_plan_items_about_its_practices(small_workspace,
                                                             tmp_path: Path) -> None:
    workspace = _workspace_with_calls(small_workspace, tmp_path)
    records = [ActionPriority(title="Équipe mobile de crise avec le CIUSSS"),
               ActionPriority(title="Ruelles plus sûres")]
    brief = _brief(workspace, "partner", "en", records)
    section = next(s for s in brief.sections if s.id == "call_demand")
    [plan] = [t for t in section.tables if t.id == "calls_plan"]
    assert plan.rows == [["Priority: Équipe mobile de crise avec le CIUSSS",
                          "Police and mental-health mobile crisis team (co-response)"]]
    without = next(s for s in _brief(workspace, "internal", "fr", [records[1]]).sections
                   if s.id == "call_demand")
    assert "Aucune priorité ni action du plan d'action ne porte encore" in _everything(without)
