"""Repeat-call places pinned to problem cards, and the plan's links to call demand: the
evidence, how the card and the briefs read it (a partner gets the count under the disclosure
rules, never the address), and which plan items are about call demand. The Call demand
page itself is driven with the mouse in test_call_demand_page.py."""

from __future__ import annotations

import pytest
import shapely

from exports.brief_calls import plan_links
from exports.brief_model import BriefOptions, BriefSection, BriefTable
from exports.brief_records import records_section
from exports.disclosure import DisclosureLog
from portrait.calls.plan_links import call_demand_plan
from portrait.calls.repeat_evidence import (
    SOURCE_ID,
    pin_repeat_calls,
    place_location,
    repeat_calls_text,
)
from portrait.errors import PortraitError
from portrait.records import ActionPriority, Location, ProblemCard, RecordStore
from portrait.records.action_plan import Action

ADDRESS = {"kind": "address", "place": "12 rue A", "calls": 6, "main_pathway": "crisis",
           "emergency": 1, "deferrable": 0, "crisis": 5, "other_service": 0,
           "x": 300_150.0, "y": 5_040_250.0}
CELL = {"kind": "cell", "place": "45.52310, -73.58120", "calls": 7, "main_pathway": "deferrable",
        "emergency": 0, "deferrable": 7, "crisis": 0, "other_service": 0,
        "x": 300_150.0, "y": 5_040_250.0}


def test_an_address_is_pinned_as_a_point_with_its_count_period_and_responses() -> None:
    evidence = pin_repeat_calls(ADDRESS, period="2024-01-01 – 2024-12-31", threshold=5,
                                source="appels.csv", by="ana", at="2025-01-06T10:00:00-05:00")
    assert evidence.source_id == SOURCE_ID and evidence.value == 6.0
    assert evidence.values["mix"] == {"emergency": 1, "deferrable": 0, "crisis": 5,
                                      "other_service": 0}
    assert evidence.parameters["repeat_call_threshold"] == 5
    assert evidence.geometry.equals(shapely.Point(300_150, 5_040_250))
    assert repeat_calls_text(evidence, "fr") == (
        "12 rue A : 6 appels du public (2024-01-01 – 2024-12-31 ; urgence policière 1, "
        "équipe de crise 5)")
    assert repeat_calls_text(evidence, "en", count="x", detailed=False) == (
        "Repeat calls at one place: x calls from the public (2024-01-01 – 2024-12-31)")
    location = place_location(ADDRESS)
    assert (location.kind, location.label) == ("point", "12 rue A")


def test_a_cell_is_pinned_as_its_100_m_square_and_a_place_without_coordinates_refused(
) -> None:
    location = place_location(CELL)
    assert (location.kind, location.label) == (
        "area", "cellule de 100 m centrée sur 45.52310, -73.58120")
    assert place_location(CELL, "en").label == "100 m cell centred on 45.52310, -73.58120"
    assert location.geometry.area == pytest.approx(100 * 100)
    assert location.geometry.contains(shapely.Point(300_150, 5_040_250))
    evidence = pin_repeat_calls(CELL, period="2024", threshold=5)
    assert repeat_calls_text(evidence, "fr").startswith(
        "cellule de 100 m centrée sur 45.52310, -73.58120 : 7 appels")
    with pytest.raises(PortraitError, match="12 rue A.*no coordinates"):
        place_location({**ADDRESS, "x": None, "y": None})


def test_the_plan_items_about_the_practices_or_repeat_call_cards_are_found() -> None:
    card = ProblemCard(title="Appels au 12 rue A", location=place_location(ADDRESS),
                       evidence=(pin_repeat_calls(ADDRESS, period="2024", threshold=5),))
    other = ProblemCard(title="Vols", location=Location.point(shapely.Point(299_000, 5_041_000)))
    named = ActionPriority(title="Mettre en place une unité de rappel")
    about_card = ActionPriority(title="Le 12 rue A", problem_ids=(card.record_id,))
    unrelated = ActionPriority(title="Ruelles plus sûres", problem_ids=(other.record_id,))
    under = Action(title="Rencontre avec le propriétaire", priority_id=about_card.record_id)
    crisis = Action(title="Patrouille avec l'équipe mobile de crise")
    lighting = Action(title="Éclairage", priority_id=unrelated.record_id)
    store = RecordStore([card, other, named, about_card, unrelated, under, crisis, lighting])
    found = call_demand_plan(store, ["call_back_unit", "mental_health_co_response"])
    assert {(link.title, link.practice_id, link.via_card) for link in found} == {
        ("Mettre en place une unité de rappel", "call_back_unit", False),
        ("Le 12 rue A", "", True), ("Rencontre avec le propriétaire", "", True),
        ("Patrouille avec l'équipe mobile de crise", "mental_health_co_response", False)}

    def brief_rows(audience: str) -> list[list[str]]:
        sections = [BriefSection("call_demand", "Demande d'appels",
                                 tables=[BriefTable("calls_practices", "t", [], [])])]
        plan_links(sections, store.records(), BriefOptions(audience=audience))
        return next(t.rows for t in sections[0].tables if t.id == "calls_plan")

    internal = brief_rows("internal")
    assert ["Priorité : Le 12 rue A", "demande d'appels"] in internal and len(internal) == 4
    assert brief_rows("partner") == [  # ties through an internal card stay in the station
        ["Priorité : Mettre en place une unité de rappel",
         "Unité de rappel pour les appels non urgents (réponse différenciée)"],
        ["Action : Patrouille avec l'équipe mobile de crise",
         "Équipe mixte police et intervenants en santé mentale (équipe mobile de crise)"]]


def _brief_details(card: ProblemCard, audience: str, language: str = "fr") -> str:
    section = records_section([card], BriefOptions(audience=audience, language=language),
                              DisclosureLog())
    [table] = [t for t in section.tables if t.id == "problems"]
    [[_, details]] = table.rows
    return details


def test_the_internal_brief_reads_the_pinned_place_in_words() -> None:
    card = ProblemCard(title="Appels au 12 rue A", location=place_location(ADDRESS),
                       evidence=(pin_repeat_calls(ADDRESS, period="2024", threshold=5),))
    details = _brief_details(card, "internal")
    assert "12 rue A : 6 appels du public (2024 ; urgence policière 1, équipe de crise 5)" \
        in details
    card = ProblemCard(title="Appels", location=place_location(ADDRESS), evidence=(
        pin_repeat_calls(ADDRESS, period="2024-01-01/2024-12-31", threshold=5),))
    assert "12 rue A : 6 appels du public (2024-01-01 au 2024-12-31 ; urgence" in \
        _brief_details(card, "internal")
    assert "source_id" not in details and "calls_repeat_places" not in details


@pytest.mark.parametrize(("calls", "shown"), [(3, "x"), (6, "6")])
def test_a_partner_brief_gives_the_count_under_the_rules_and_never_the_address(
        calls: int, shown: str) -> None:
    place = {**ADDRESS, "calls": calls, "crisis": calls - 1}
    card = ProblemCard(title="Appels répétés", location=place_location(place),
                       partner_summary="Appels fréquents à une même adresse.",
                       evidence=(pin_repeat_calls(place, period="2024", threshold=3),))
    details = _brief_details(card, "partner")
    assert f"Appels répétés à un même lieu : {shown} appels du public (2024)" in details
    assert "12 rue A" not in details and "crise" not in details and "calls" not in details
    english = _brief_details(card, "partner", "en")
    assert f"Repeat calls at one place: {shown} calls from the public (2024)" in english
