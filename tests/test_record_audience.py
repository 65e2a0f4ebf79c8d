"""Record fields and their audience: one declaration, followed by every brief writer.

Seen in issue 14: problem cards printed pinned evidence with counts of 1 to 4, an incident's
exact coordinates, target and control polygons as WKB hex and the officer's login name, and
an organisation's notes reached partners.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
import shapely

from exports.brief_build import build_brief
from exports.brief_model import BriefOptions
from portrait.engine import build_portrait, prepare
from portrait.records.action_plan import Action, ActionPriority
from portrait.records.audience import FIELDS, GENERALISED, INTERNAL, SHAREABLE, audience_of
from portrait.records.consultations import Consultation
from portrait.records.evidence import pin_indicator
from portrait.records.partners import PartnerOrganisation
from portrait.records.problems import Location, ProblemCard, ProblemTriangle, TriangleSide

RECORD_TYPES = (ProblemCard, PartnerOrganisation, Consultation, ActionPriority, Action)
LOGIN = "agent.tremblay42"
NAMED_PERSON = "Kevin Bouchard"
NOTES = "Directrice difficile à joindre, voir dossier 2231"
SUMMARY = "Vols dans les voitures garées près du parc, surtout le soir."


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.KIND)
def test_every_field_declares_its_audience(record_type) -> None:
    declared = FIELDS[record_type.KIND]
    fields = {f.name for f in dataclasses.fields(record_type)}
    assert fields - set(declared) == set(), "fields with no declared audience"
    assert set(declared) - fields == set(), "declarations of fields that do not exist"
    assert {entry[0] for entry in declared.values()} <= {INTERNAL, SHAREABLE, GENERALISED}
    assert all(fr and en for _, fr, en in declared.values())


def test_undeclared_fields_stay_in_the_station() -> None:
    assert audience_of("problem", "officer_private_thoughts") == INTERNAL
    assert audience_of("unknown_kind", "title") == INTERNAL


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    from conftest import build_small_workspace

    workspace = build_small_workspace(tmp_path_factory.mktemp("audience") / "w.gpkg")
    data = prepare(workspace)
    return data, build_portrait(data, "38")


def _card() -> ProblemCard:
    point = shapely.Point(295_512.25, 5_040_733.75)  # inside census area 24660000
    evidence = (
        pin_indicator({"id": "robbery", "label_fr": "Vols qualifiés près du parc",
                       "label_en": "Robberies near the park", "value": 3,
                       "unit": "incidents", "period": "2024"}, by=LOGIN),
        pin_indicator({"id": "mischief", "label_fr": "Méfaits près du parc",
                       "label_en": "Mischief near the park", "value": 27,
                       "unit": "incidents", "period": "2024"}, by=LOGIN),
    )
    return ProblemCard(
        title="Vols autour du parc", description=f"{NAMED_PERSON} est vu chaque soir.",
        partner_summary=SUMMARY, category="theft_from_vehicle", location=Location.point(
            point, label="devant le 1234 rue Ontario"), evidence=evidence,
        triangle=ProblemTriangle(offender=TriangleSide(known=NAMED_PERSON)),
        target_area=point.buffer(80), control_area=point.buffer(300).difference(
            point.buffer(150)), created_by=LOGIN, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31))


def _records_text(brief) -> str:
    return json.dumps([t.rows for t in brief.section("records").tables], ensure_ascii=False)


def test_partners_read_only_shareable_fields_generalised(station) -> None:
    data, portrait = station
    partner = PartnerOrganisation(name="Maison des jeunes du parc", notes=NOTES,
                                  created_by=LOGIN)
    brief = build_brief(portrait, data, BriefOptions(audience="partner"),
                        records=[_card(), partner])
    shown = _records_text(brief)
    assert SUMMARY in shown and "Vols autour du parc" in shown
    assert "Vol dans ou sur un véhicule" in shown  # the category's label, not its id
    assert "Repérage" in shown and "Ouvert" in shown  # SARA stage and status labels
    for secret in (NAMED_PERSON, LOGIN, NOTES, "1234 rue Ontario", "295512", "5040733",
                   "theft_from_vehicle", "sara_stage", "partner_summary"):
        assert secret not in shown, secret
    assert not re.search(r"[0-9A-Fa-f]{40}", shown)  # no WKB
    assert "aire AD 24660000" in shown  # the place, as the named area it lies in
    assert "Méfaits près du parc : 27 incidents (2024)" in shown
    assert "Vols qualifiés près du parc : x incidents (2024)" in shown  # 3: hidden
    internal = build_brief(portrait, data, BriefOptions(audience="internal"),
                           records=[_card(), partner])
    kept = _records_text(internal)
    assert NAMED_PERSON in kept and NOTES in kept


def test_a_place_outside_every_named_area_becomes_a_map_cell(station) -> None:
    data, portrait = station
    card = dataclasses.replace(_card(), location=Location.point(
        shapely.Point(250_130.0, 5_000_260.0)))
    brief = build_brief(portrait, data, BriefOptions(audience="partner", cell_size_m=250),
                        records=[card])
    shown = _records_text(brief)
    assert "carré de 250 m de la grille de la carte (colonne 1000, rangée 20001)" in shown
    assert "250130" not in shown


def test_a_small_consultation_does_not_say_how_many_came(station) -> None:
    data, portrait = station
    meeting = Consultation(date=dt.date(2024, 5, 2), form="meeting", title="Rencontre du parc",
                           participant_count=3, confidentiality="shareable",
                           summary=f"{NAMED_PERSON} a parlé des voitures.")
    crowd = dataclasses.replace(meeting, participant_count=40, title="Assemblée")
    brief = build_brief(portrait, data, BriefOptions(audience="partner"),
                        records=[meeting, crowd])
    shown = _records_text(brief)
    assert "Participants : x" in shown and "Participants : 40" in shown
    assert NAMED_PERSON not in shown
