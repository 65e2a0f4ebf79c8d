"""Records (portrait.records): round trips through a workspace file, links, deletion, pinned
evidence, confidentiality, history, the priority formula and the progress table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from portrait.crs import METRIC_CRS
from portrait.errors import PortraitError
from portrait.records import (
    Action,
    ActionIndicator,
    ActionPriority,
    CommunityConcern,
    ConcernSource,
    Consultation,
    ContactPerson,
    FollowUp,
    Location,
    PartnerOrganisation,
    PriorityInputs,
    ProblemCard,
    ProblemTriangle,
    RecordStore,
    TriangleSide,
    history_rows,
    pin,
    pin_indicator,
    pin_map_snapshot,
    record_progress,
    score_priority,
    update,
)
from portrait.records.partners import SECTORS
from portrait.records.priority import FREQUENCY_THRESHOLDS, WEIGHTS, frequency_score, trend_score
from portrait.review import add_items, new_comment, review_items
from portrait.statistics.rates import poisson_interval
from portrait.workspace import Workspace

X0, Y0 = 296_000.0, 5_041_000.0  # inside station 38 of the small workspace (MTM zone 8)
AREA = shapely.box(X0, Y0, X0 + 400, Y0 + 300)


def _full_set() -> list:
    """One record of each kind, with dates, geometries and nested lists filled in."""
    partner = PartnerOrganisation(
        name="Maison des jeunes du Plateau", sector="community", address="1 rue Rachel",
        service_ids=("S1", "S3"),
        contacts=(ContactPerson(name="Jeanne Roy", role="Coordonnatrice",
                                phone="514 555-0101", email="jeanne.roy@example.org"),))
    consultation = Consultation(
        date=dt.date(2026, 3, 12), form="exploratory_walk", title="Marche de la ruelle verte",
        partner_ids=(partner.record_id,), participants_other=("M. Tremblay (résident)",),
        participant_count=14, topics=("éclairage", "graffitis"),
        decisions=("Demander un éclairage à l'arrondissement",),
        follow_ups=(FollowUp(description="Écrire à l'arrondissement", owner="PDQ 38",
                             due=dt.date(2026, 4, 1)),),
        confidentiality="shareable")
    evidence = pin_indicator(
        {"id": "incidents", "label_fr": "Incidents", "label_en": "Incidents", "value": 42.0,
         "unit": "incidents", "interval": {"low": 30.3, "high": 56.8, "level": 0.95,
                                            "method": "Garwood"},
         "source": "SPVM", "period": "2025", "context": {"city": 1.5, "rank": [2, 9]}},
        parameters={"station": "38"}, by="ana", at="2026-01-05T10:00:00-05:00")
    snapshot = pin_map_snapshot(
        {"id": "hot_spots", "title_fr": "Points chauds", "title_en": "Hot spots",
         "kind": "grid", "records": [{"cell": "12,4", "bin": 3}],
         "parameters": {"cell_size_m": 100}}, geometry=AREA, period="2025")
    problem = ProblemCard(
        title="Vols dans les véhicules, ruelle Rachel", description="Surtout la nuit.",
        category="theft_from_vehicle", location=Location.area(AREA, "Ruelle Rachel"),
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        sara_stage="analysis",
        triangle=ProblemTriangle(place=TriangleSide(
            known="Ruelle sombre", controller="Arrondissement",
            controller_action="N'entretient pas l'éclairage", controller_level="failing")),
        evidence=(evidence, snapshot),
        concern=CommunityConcern(level="high", sources=(
            ConcernSource(kind="consultation", reference=consultation.record_id,
                          summary="Inquiétude des résidents"),
            ConcernSource(kind="survey", reference="SQ-2025/sécurité"))),
        priority_inputs=PriorityInputs(incident_count=42, period_days=365, previous_count=30),
        partner_ids=(partner.record_id,), consultation_ids=(consultation.record_id,),
        response_start=dt.date(2026, 5, 1),
        target_area=AREA, control_area=shapely.box(X0 + 1000, Y0, X0 + 1400, Y0 + 300),
        displacement_buffer_m=150)
    priority = ActionPriority(title="Sécurité des ruelles", problem_ids=(problem.record_id,),
                              rank=1, plan_period="2026")
    action = Action(
        title="Éclairage de la ruelle", priority_id=priority.record_id, owner="Arrondissement",
        partner_ids=(partner.record_id,), start=dt.date(2026, 1, 15), end=dt.date(2026, 9, 30),
        resources="Budget de l'arrondissement",
        indicators=(ActionIndicator(indicator_id="thefts", label="Vols dans les véhicules",
                                    unit="incidents", baseline=42, target=30),))
    action = record_progress(action, "2026-Q1", "on_track", "Demande déposée",
                             {"thefts": 9}, by="ana", at="2026-04-02T09:00:00-04:00")
    return [partner, consultation, problem, priority, action]


def _store(records) -> RecordStore:
    store = RecordStore()
    for record in records:
        store.add(record)
    return store


def test_every_kind_round_trips_exactly_through_a_workspace_file(tmp_path: Path) -> None:
    records = _full_set()
    workspace = Workspace.create(tmp_path / "w.gpkg")
    store = _store(records)
    store.update(records[0].record_id, by="ben", address="2 rue Rachel")
    store.save(workspace)
    workspace.save()

    reopened = RecordStore.load(Workspace.open(tmp_path / "w.gpkg"))
    assert len(reopened) == len(records)
    for record in store.records():
        again = reopened.get(record.record_id)
        assert again == record
        assert type(again) is type(record)
    problem = reopened.problems()[0]
    assert problem.period_start == dt.date(2025, 1, 1)
    assert problem.location.geometry.equals_exact(AREA, 0)
    assert problem.evidence[0].values["context"]["rank"] == [2, 9]
    assert reopened.partners()[0].history[0].new == "2 rue Rachel"


def test_saving_keeps_records_of_other_kinds_untouched(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    comment = new_comment("problem", "p1", "À revoir", author="cmdt")
    add_items(workspace, [comment])
    foreign = gpd.GeoDataFrame(
        {"record_id": ["future-1"], "kind": ["future_kind"], "payload": ['{"x": 1}'],
         "updated_at": ["2030-01-01"]}, geometry=[shapely.Point(X0, Y0)], crs=workspace.crs)
    workspace.set_layer("records", pd.concat([workspace.layer("records"), foreign],
                                             ignore_index=True))
    store = RecordStore.load(workspace)
    assert len(store) == 0
    for record in _full_set():
        store.add(record)
    later = new_comment("section", "crime", "Ajouté après le chargement", author="cmdt")
    add_items(workspace, [later])  # another part of the app wrote meanwhile
    store.save(workspace)
    workspace.save()

    layer = Workspace.open(tmp_path / "w.gpkg").layer("records")
    texts = [item.text for item in review_items(layer)]
    assert texts == ["À revoir", "Ajouté après le chargement"]
    row = layer.loc[layer["kind"] == "future_kind"].iloc[0]
    assert row["payload"] == '{"x": 1}' and row.geometry.equals(shapely.Point(X0, Y0))
    assert len(layer) == 3 + 5


def test_an_unreadable_record_is_reported_and_kept(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    broken = pd.DataFrame({"record_id": ["bad"], "kind": ["problem"], "payload": ["{not json"],
                           "updated_at": ["2026-01-01"]})
    workspace.set_layer("records", broken)
    store = RecordStore.load(workspace)
    assert [u.record_id for u in store.unreadable] == ["bad"]
    store.add(PartnerOrganisation(name="CLSC"))
    store.save(workspace)
    assert workspace.layer("records")["record_id"].tolist()[0] == "bad"
    assert len(workspace.layer("records")) == 2
    assert "{not json" in workspace.layer("records")["payload"].tolist()


def test_the_geometry_column_shows_the_problem_location(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    records = _full_set()
    _store(records).save(workspace)
    workspace.save()
    layer = Workspace.open(workspace.path).layer("records").set_index("record_id")
    assert layer.crs == workspace.crs
    assert layer.geometry[records[2].record_id].equals(AREA)  # the problem card
    assert layer.geometry[records[0].record_id] is None  # a partner has no geometry
    assert layer.loc[records[2].record_id, "kind"] == "problem"
    assert json.loads(layer.loc[records[2].record_id, "payload"])["title"] == records[2].title


def test_review_comments_count_as_links_and_survive_an_unlink(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "w.gpkg")
    problem = ProblemCard(title="Graffitis")
    _store([problem]).save(workspace)
    add_items(workspace, [new_comment("problem", problem.record_id, "Précisez le lieu",
                                      target_label="Graffitis", author="cmdt")])
    store = RecordStore.load(workspace)
    with pytest.raises(PortraitError, match="review comment by cmdt"):
        store.delete(problem.record_id)
    removed = store.delete(problem.record_id, on_links="unlink")
    assert [link.source_kind for link in removed] == ["review_comment"]
    store.save(workspace)
    assert [i.text for i in review_items(workspace.layer("records"))] == ["Précisez le lieu"]
    assert "problem" not in workspace.layer("records")["kind"].tolist()


def test_links_survive_a_rename_and_a_reload(tmp_path: Path) -> None:
    partner, consultation, problem, priority, action = _full_set()
    store = _store([partner, consultation, problem, priority, action])
    store.update(partner.record_id, name="MDJ Plateau-Mont-Royal", by="ben")
    workspace = Workspace.create(tmp_path / "w.gpkg")
    store.save(workspace)
    workspace.save()
    store = RecordStore.load(Workspace.open(tmp_path / "w.gpkg"))

    assert store.name_of(partner.record_id) == "MDJ Plateau-Mont-Royal"
    linking = {(link.source_id, link.field) for link in store.links_to(partner.record_id)}
    assert linking == {(consultation.record_id, "partner_ids"),
                       (problem.record_id, "partner_ids"), (action.record_id, "partner_ids")}
    related = store.related(problem.record_id)
    assert [p.name for p in related["partners"]] == ["MDJ Plateau-Mont-Royal"]
    assert [a.record_id for a in related["actions"]] == [action.record_id]
    assert [c.record_id for c in related["consultations"]] == [consultation.record_id]


def test_deleting_a_linked_record_needs_a_choice() -> None:
    partner, consultation, problem, priority, action = _full_set()
    store = _store([partner, consultation, problem, priority, action])

    with pytest.raises(PortraitError) as refused:
        store.delete(partner.record_id)
    message = str(refused.value)
    assert "3 record(s) link to it" in message
    assert problem.title in message and consultation.display_name in message
    assert partner.record_id in store

    removed = store.delete(partner.record_id, on_links="unlink", by="ben")
    assert len(removed) == 3 and partner.record_id not in store
    assert store.get(problem.record_id).partner_ids == ()
    assert store.get(action.record_id).partner_ids == ()
    change = store.get(consultation.record_id).history[-1]
    assert (change.field, change.old, change.new, change.by) == \
        ("partner_ids", [partner.record_id], [], "ben")

    store.delete(consultation.record_id, on_links="unlink")  # cited as a concern source
    sources = store.get(problem.record_id).concern.sources
    assert sources[0].reference == "" and sources[0].summary == "Inquiétude des résidents"
    assert store.get(problem.record_id).consultation_ids == ()
    with pytest.raises(PortraitError, match="on_links"):
        store.delete(problem.record_id, on_links="cascade")


def test_links_must_point_at_existing_records_of_the_right_kind() -> None:
    partner = PartnerOrganisation(name="CLSC")
    store = _store([partner])
    with pytest.raises(PortraitError, match="partner_ids.*not in this workspace"):
        store.add(ProblemCard(title="x", partner_ids=("nope",)))
    with pytest.raises(PortraitError, match="consultation_ids.*where a consultation"):
        store.add(ProblemCard(title="x", consultation_ids=(partner.record_id,)))
    with pytest.raises(PortraitError, match="already exists"):
        store.add(partner)


def test_pinned_evidence_stays_as_pinned_when_the_data_are_reimported(
        small_workspace: Workspace) -> None:
    area = shapely.box(295_000, 5_040_000, 298_000, 5_043_000)  # station 38
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)

    def indicator(incidents: pd.DataFrame) -> dict:
        from portrait.records.incident_selection import count_incidents

        count = count_incidents(incidents, area, start, end)
        low, high = poisson_interval(count)
        return {"id": "incidents_38", "label_fr": "Incidents au PDQ 38",
                "label_en": "Incidents in station 38", "value": float(count),
                "unit": "incidents", "interval": {"low": low, "high": high, "level": 0.95},
                "source": "test", "period": "2024", "context": {"located_only": True}}

    before = indicator(small_workspace.layer("incidents"))
    card = ProblemCard(title="Hausse des incidents", location=Location.area(area))
    card = pin(card, pin_indicator(before, parameters={"station": "38"}, by="ana"), by="ana")
    store = _store([card])
    store.save(small_workspace)
    small_workspace.save()

    incidents = small_workspace.layer("incidents")
    small_workspace.set_layer("incidents", incidents.iloc[: len(incidents) // 3])  # re-import
    small_workspace.save()
    reopened = Workspace.open(small_workspace.path)
    after = indicator(reopened.layer("incidents"))
    assert after["value"] < before["value"]

    pinned = RecordStore.load(reopened).get(card.record_id).evidence[0]
    assert pinned.value == before["value"]
    assert pinned.interval == {"low": before["interval"]["low"],
                               "high": before["interval"]["high"], "level": 0.95}
    assert (pinned.period, pinned.parameters, pinned.pinned_by) == ("2024", {"station": "38"},
                                                                    "ana")


def test_a_pinned_copy_shares_nothing_with_its_source() -> None:
    source = {"id": "x", "label_en": "X", "value": np.float64(3.0),
              "context": {"counts": [1, 2]}}
    evidence = pin_indicator(source)
    source["context"]["counts"].append(99)
    assert evidence.values["context"]["counts"] == [1, 2]
    assert isinstance(evidence.value, float)


def test_contact_details_are_confidential_and_never_in_shareable_views() -> None:
    partner = _full_set()[0]
    assert {"name", "phone", "email"} <= ContactPerson.CONFIDENTIAL_FIELDS
    partner = update(partner, by="ana", contacts=(ContactPerson(
        contact_id=partner.contacts[0].contact_id, name="Jeanne Roy", role="Directrice",
        phone="514 555-0199", email="j.roy@example.org"),))
    view = partner.shareable_view()
    assert view["name"] == "Maison des jeunes du Plateau"
    assert view["contacts"] == [{"contact_id": partner.contacts[0].contact_id,
                                 "role": "Directrice"}]
    text = json.dumps(view, ensure_ascii=False)
    for secret in ("Jeanne", "555-0101", "555-0199", "example.org"):
        assert secret not in text
    assert view["history"][0]["old"] == [{"contact_id": partner.contacts[0].contact_id,
                                          "role": "Coordonnatrice"}]
    assert "555-0101" in json.dumps(partner.to_dict())  # kept in the workspace itself
    rows = history_rows(partner, confidential=False)
    shared = json.dumps(rows)  # a random id may hold "555": look for the numbers themselves
    assert "555-0101" not in shared and "555-0199" not in shared
    assert "Directrice" in rows[0]["new"]


def test_internal_consultations_are_not_shareable_and_participants_are_confidential() -> None:
    partner, shareable, *_ = _full_set()
    internal = Consultation(date=dt.date(2026, 2, 1), form="phone", topics=("menaces",))
    assert internal.confidentiality == "internal"
    with pytest.raises(PortraitError, match="internal"):
        internal.shareable_view()
    store = _store([partner, shareable, internal])
    views = store.shareable_views(Consultation)
    assert [v["record_id"] for v in views] == [shareable.record_id]
    assert "participants_other" not in views[0] and "Tremblay" not in json.dumps(views[0])
    assert views[0]["topics"] == ["éclairage", "graffitis"]


def test_every_update_is_recorded_as_a_diff() -> None:
    card = ProblemCard(title="Méfaits", created_by="ana", created_at="2026-01-01T08:00:00")
    assert card.updated_by == "ana" and card.history == ()
    assert update(card, title="Méfaits") is card
    changed = update(card, by="ben", at="2026-02-01T10:00:00", title="Graffitis",
                     sara_stage="analysis", period_start="2025-06-01")
    assert [(c.field, c.old, c.new, c.by, c.at) for c in changed.history] == [
        ("title", "Méfaits", "Graffitis", "ben", "2026-02-01T10:00:00"),
        ("sara_stage", "scanning", "analysis", "ben", "2026-02-01T10:00:00"),
        ("period_start", None, "2025-06-01", "ben", "2026-02-01T10:00:00")]
    assert changed.period_start == dt.date(2025, 6, 1)
    assert (changed.updated_by, changed.updated_at, changed.created_by) == \
        ("ben", "2026-02-01T10:00:00", "ana")
    assert card.title == "Méfaits"  # the old version is untouched
    located = update(changed, by="ben", location=Location.point(shapely.Point(X0, Y0)))
    assert history_rows(located)[-1]["new"].startswith("kind: point; geometry: <Point>")
    with pytest.raises(PortraitError, match="record_id"):
        update(card, record_id="x")
    with pytest.raises(PortraitError, match="no field named 'colour'"):
        update(card, colour="red")
    with pytest.raises(PortraitError, match="'sara_stage'"):
        update(card, sara_stage="done")


def test_validation_errors_name_the_field() -> None:
    with pytest.raises(PortraitError, match="'title' is empty"):
        ProblemCard(title="  ")
    with pytest.raises(PortraitError, match="'period_end'.*before"):
        ProblemCard(title="x", period_start="2025-05-01", period_end="2025-04-01")
    with pytest.raises(PortraitError, match="'geometry'.*longitude/latitude"):
        Location.point(shapely.Point(-73.56, 45.50))
    with pytest.raises(PortraitError, match="'geometry'.*Polygon"):
        Location.area(shapely.Point(X0, Y0))
    with pytest.raises(PortraitError, match="'reference_id'"):
        Location(kind="census_area", geometry=AREA)
    with pytest.raises(PortraitError, match="'email'"):
        ContactPerson(name="A", email="pas une adresse")
    with pytest.raises(PortraitError, match="'sector'"):
        PartnerOrganisation(name="A", sector="space")
    with pytest.raises(PortraitError, match="'form'"):
        Consultation(date=dt.date(2026, 1, 1), form="email")
    with pytest.raises(PortraitError, match="'date'"):
        Consultation(date="hier", form="phone")
    with pytest.raises(PortraitError, match="'controller_level'"):
        TriangleSide(controller_level="great")
    with pytest.raises(PortraitError, match="'progress'.*same quarter"):
        Action(title="a", progress=[{"quarter": "2026-Q1", "status": "done"},
                                    {"quarter": "2026-q1", "status": "delayed"}])
    with pytest.raises(PortraitError, match="2026-Q5"):
        record_progress(Action(title="a"), "2026-Q5", "done")
    assert "other" in SECTORS


def test_census_area_and_hot_spot_locations_copy_the_geometry(
        small_workspace: Workspace) -> None:
    areas = small_workspace.layer("census_areas")
    location = Location.census_area(areas, areas["area_id"].iloc[0])
    assert location.kind == "census_area" and location.label == "AD 24660000"
    assert location.geometry.equals(areas.geometry.iloc[0])
    cell = Location.hot_spot_cell("100m/12/4", shapely.box(X0, Y0, X0 + 100, Y0 + 100))
    assert cell.reference_id == "100m/12/4"
    with pytest.raises(PortraitError, match="not in the workspace"):
        Location.census_area(areas, "nope")


# --- the priority formula -------------------------------------------------------------------
def test_priority_weights_and_frequency_thresholds_are_published() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert FREQUENCY_THRESHOLDS == (1.0, 4.0, 10.0)
    assert [frequency_score(x) for x in (0, 0.99, 1, 3.99, 4, 9.99, 10, 50)] == \
        [0, 0, 1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize(("current", "previous", "expected"), [
    (10, 30, 0),    # significant decrease
    (12, 10, 1),    # no significant change
    (200, 150, 2),  # significant increase, ratio 1.33
    (30, 10, 3),    # significant increase, ratio 3
    (10, 0, 3),     # significant increase from zero
])
def test_trend_scores(current: int, previous: int, expected: int) -> None:
    assert trend_score(current, previous)[0] == expected


def test_priority_score_on_hand_made_cases() -> None:
    # 40 incidents in 60 days = 20 per 30 days -> 3; robbery default severity 3;
    # 40 vs 20 (ratio 2, p < 0.05) -> 3; very high concern -> 3: the maximum.
    top = score_priority(PriorityInputs(incident_count=40, period_days=60, previous_count=20),
                         "very_high", "robbery")
    assert [c.score for c in top.components] == [3, 3, 3, 3]
    assert (top.total, top.out_of_100, top.missing) == (3.0, 100, ())
    # 2 in 90 days (0.67 per 30 days) -> 0; mischief -> 1; 2 vs 2 -> 1; low -> 0.
    low = score_priority(PriorityInputs(incident_count=2, period_days=90, previous_count=2),
                         "low", "mischief")
    assert [c.score for c in low.components] == [0, 1, 1, 0]
    assert low.total == pytest.approx(0.3 * 1 + 0.2 * 1)
    # The officer's rating overrides the default; a free category has none.
    rated = score_priority(PriorityInputs(severity=0, severity_note="sans victime"),
                           category="robbery")
    assert rated.components[1].score == 0
    free = score_priority(PriorityInputs(), category="Rodéos de motos")
    assert free.missing == ("frequency", "severity", "trend", "concern")
    assert free.total == 0.0


def test_priority_explain_gives_the_arithmetic_in_both_languages() -> None:
    score = score_priority(PriorityInputs(incident_count=12, period_days=90, previous_count=6),
                           "high", "break_and_enter")
    fr, en = score.explain("fr"), score.explain("en")
    assert "12 incident(s) en 90 jours, soit 4,0 par 30 jours → 2 sur 3" in fr
    assert "× poids 0,30 = 0,60" in fr
    assert "Score = 0,60 + 0,60 + 0,20 + 0,40 = 1,80 sur 3, soit 60 sur 100" in fr
    assert "i.e. 4.0 per 30 days → 2 of 3" in en
    assert "Score = 0.60 + 0.60 + 0.20 + 0.40 = 1.80 of 3, i.e. 60 out of 100" in en
    missing = score_priority(PriorityInputs()).explain("en")
    assert "Unknown factors (counted as 0): frequency, severity, trend, concern" in missing


def test_priority_inputs_are_counted_from_the_incidents_layer() -> None:
    inside = shapely.Point(X0 + 10, Y0 + 10)
    near_point = shapely.Point(X0 + 2030, Y0 + 30)  # 42 m from the point location below
    dates = ["2025-03-01", "2025-03-15", "2025-02-10", "2025-03-20", "2025-03-05"]
    incidents = gpd.GeoDataFrame(
        {"date": pd.to_datetime(dates),
         "category": ["mischief", "mischief", "mischief", "robbery", "mischief"]},
        geometry=[inside, inside, inside, inside, near_point], crs=METRIC_CRS)
    card = ProblemCard(title="Méfaits", category="mischief", location=Location.area(AREA),
                       period_start=dt.date(2025, 3, 1), period_end=dt.date(2025, 3, 31),
                       priority_inputs=PriorityInputs(severity=2))
    inputs = card.measure_priority_inputs(incidents)
    assert (inputs.incident_count, inputs.previous_count, inputs.period_days,
            inputs.severity) == (2, 1, 31, 2)
    for radius, found in ((50, 1), (40, 0)):
        point_card = update(card, location=Location.point(shapely.Point(X0 + 2000, Y0),
                                                          radius_m=radius))
        assert point_card.measure_priority_inputs(incidents).incident_count == found
    with pytest.raises(PortraitError, match="location and a period"):
        ProblemCard(title="x").measure_priority_inputs(incidents)


# --- the action plan ------------------------------------------------------------------------
def test_quarterly_progress_is_recorded_and_tabulated() -> None:
    partner, consultation, problem, priority, action = _full_set()
    action = record_progress(action, "2026-Q2", "delayed", "Appel d'offres en retard",
                             {"thefts": 12}, by="ana")
    again = record_progress(action, "2026-Q2", "on_track", "Contrat signé", {"thefts": 7},
                            by="ben")
    assert [e.quarter for e in again.progress] == ["2026-Q1", "2026-Q2"]
    assert again.entry("2026-Q2").status == "on_track" and again.latest_status == "on_track"
    assert again.history[-1].field == "progress" and again.history[-1].by == "ben"
    other = Action(title="Autre priorité", priority_id=None)
    store = _store([partner, consultation, problem, priority, again, other])

    table = store.progress_table(priority.record_id)
    assert table.quarters == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert [row["action"] for row in table.rows] == ["Éclairage de la ruelle"]
    row = table.rows[0]
    assert row["partners"] == ["Maison des jeunes du Plateau"]
    q2 = row["quarters"]["2026-Q2"]
    assert (q2["status"], q2["indicators"][0]["value"], q2["indicators"][0]["met"]) == \
        ("on_track", 7.0, True)
    assert row["quarters"]["2026-Q3"]["status"] is None
    frame = table.to_frame("fr")
    assert list(frame.columns[-3:]) == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert frame.loc[0, "2026-Q1"] == \
        "En bonne voie — Vols dans les véhicules : 9 incidents (cible 30, atteinte)"
    assert frame.loc[0, "2026-Q3"] == "Aucun suivi"
    assert frame.loc[0, "Indicateurs (départ → cible)"] == \
        "Vols dans les véhicules (42 → 30 incidents)"
    assert table.to_frame("en").loc[0, "2026-Q2"].startswith("On track — ")


def test_action_indicator_targets_by_direction() -> None:
    down = ActionIndicator(indicator_id="a", label="A", baseline=10, target=6)
    up = ActionIndicator(indicator_id="b", label="B", baseline=1, target=4, direction="increase")
    keep = ActionIndicator(indicator_id="c", label="C", baseline=5, direction="maintain")
    assert (down.met(6), down.met(7), up.met(4), up.met(3), keep.met(5), keep.met(4)) == \
        (True, False, True, False, True, False)
    assert down.met(None) is None


def test_partner_services_missing_from_the_inventory_are_found(
        small_workspace: Workspace) -> None:
    from portrait.records.partners import unknown_service_ids

    partner = PartnerOrganisation(name="Organisme", service_ids=("S1", "S99", "S1"))
    assert partner.service_ids == ("S1", "S99")
    assert unknown_service_ids(partner, small_workspace.layer("services")) == ("S99",)
