"""The best-practices library: a complete bilingual catalogue, suggestions, officers' own
practices and the outcomes of trying them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portrait.categories import BY_ID, ISSUE_TAGS
from portrait.errors import PortraitError
from portrait.records import (
    REQUIRED_PRACTICES,
    SIDES,
    CustomPractice,
    PracticeTrial,
    ProblemCard,
    ProblemTriangle,
    RecordStore,
    TriangleSide,
    catalogue,
    practice_by_id,
    suggestions,
)
from portrait.workspace import Workspace


def test_the_catalogue_holds_the_required_practices_in_both_languages() -> None:
    practices = {p.practice_id: p for p in catalogue()}
    assert set(REQUIRED_PRACTICES) <= set(practices)
    for practice in practices.values():
        for text in (practice.name_fr, practice.name_en, practice.description_fr,
                     practice.description_en, practice.evidence_fr, practice.evidence_en):
            assert text.strip(), practice.practice_id
        assert practice.sources, practice.practice_id
        assert practice.sides and set(practice.sides) <= set(SIDES)
        assert set(practice.categories) <= set(BY_ID) and set(practice.tags) <= set(ISSUE_TAGS)
        assert practice.general or practice.categories or practice.tags
        assert practice.name("en") == practice.name_en and practice.evidence("fr")


def test_every_common_category_has_a_specific_practice() -> None:
    for category in BY_ID:
        fits = [p for p in catalogue() if p.category_match(category) >= 1]
        assert fits, category


def test_weakest_side_is_the_most_lacking_assessed_controller() -> None:
    assert ProblemTriangle().weakest_sides() == ()  # nothing assessed: nothing judged
    triangle = ProblemTriangle(offender=TriangleSide(controller_level="partial"),
                               target=TriangleSide(controller_level="absent"),
                               place=TriangleSide(controller_level="absent"))
    assert triangle.weakest_sides() == ("target", "place")
    assert ProblemTriangle(offender=TriangleSide(controller_level="effective")) \
        .weakest_sides() == ("offender",)


def test_suggestions_follow_the_category_and_the_weakest_side() -> None:
    card = ProblemCard(title="Vols dans les autos", category="theft_from_vehicle",
                       triangle=ProblemTriangle(
                           place=TriangleSide(controller_level="absent"),
                           offender=TriangleSide(controller_level="partial")))
    found = suggestions(card)
    ids = [s.practice.practice_id for s in found]
    assert ids[0] == "cpted"
    assert found[0].score == 4.0 and found[0].sides_matched == ("place",)
    assert "agit sur le côté le plus faible (place)" in found[0].reasons("fr")
    assert all(s.category_match > 0 for s in found)
    assert "mental_health_co_response" not in ids and "traffic_calming" not in ids
    assert {"problem_oriented_policing", "call_back_unit"} <= set(ids)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)

    crisis = ProblemCard(title="Personne en crise", category="mental_health_call",
                         triangle=ProblemTriangle(offender=TriangleSide(
                             controller_level="failing")))
    assert suggestions(crisis, limit=1)[0].practice.practice_id == "mental_health_co_response"


def test_a_free_category_gets_the_general_practices_only() -> None:
    card = ProblemCard(title="Rodéos de motos", category="Rodéos de motos")
    ids = {s.practice.practice_id for s in suggestions(card)}
    assert ids == {p.practice_id for p in catalogue() if p.general}


def test_officers_add_practices_and_record_what_happened(tmp_path: Path) -> None:
    own = CustomPractice(name_fr="Brigade vélo estivale", description_fr="Patrouille à vélo "
                         "dans les parcs l'été.", categories=("bicycle_theft",),
                         sides=("place",), created_by="ana")
    card = ProblemCard(title="Vols de vélos au parc", category="bicycle_theft",
                       triangle=ProblemTriangle(place=TriangleSide(controller_level="failing")))
    store = RecordStore()
    store.add(own)
    store.add(card)
    tried = store.add(PracticeTrial(practice_id=own.record_id, problem_id=card.record_id,
                                    date=dt.date(2026, 8, 31), result="partly_worked",
                                    description="Moins de vols, mais pas au métro."))
    store.add(PracticeTrial(practice_id="cpted", date="2025-10-01", result="worked"))
    with pytest.raises(PortraitError, match="'practice_id' links to 'no_such'"):
        store.add(PracticeTrial(practice_id="no_such", date=dt.date(2026, 1, 1)))
    with pytest.raises(PortraitError, match="'result'"):
        PracticeTrial(practice_id="cpted", date=dt.date(2026, 1, 1), result="great")
    with pytest.raises(PortraitError, match="'sides'"):
        CustomPractice(name_en="Something")

    found = store.suggestions(card.record_id)
    mine = next(s for s in found if s.practice.practice_id == own.record_id)
    assert mine.score == 4.0 and not mine.practice.built_in
    assert [t.record_id for t in mine.trials] == [tried.record_id]
    assert next(s for s in found if s.practice.practice_id == "cpted").trials[0].result == \
        "worked"
    assert practice_by_id(own.record_id, store.custom_practices()).name("en") == \
        "Brigade vélo estivale"
    assert store.name_of("cpted").startswith("Prévention du crime")

    workspace = Workspace.create(tmp_path / "w.gpkg")
    store.save(workspace)
    workspace.save()
    again = RecordStore.load(Workspace.open(workspace.path))
    assert again.custom_practices() == [own]
    assert again.trials()[1] == tried

    with pytest.raises(PortraitError, match="cannot be deleted"):
        again.delete(own.record_id)
    with pytest.raises(PortraitError, match="'practice_id' must name a record"):
        again.delete(own.record_id, on_links="unlink")
    assert own.record_id in again
    again.delete(card.record_id, on_links="unlink")  # the trial's problem link is optional
    assert again.get(tried.record_id).problem_id is None
