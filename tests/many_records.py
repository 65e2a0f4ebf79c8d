"""A station with many records (problems, a long action plan, consultations, partners), for
the partner brief's page budget and cards: every record is made here, with its own words.

The triangle's texts, notes and the consultations' summaries name people (``NAMED``) so a test
can check that a partner brief never prints them (the progress narratives are shareable:
they name no one)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely

from portrait.records import (
    Action,
    ActionPriority,
    Consultation,
    PartnerOrganisation,
    ProblemCard,
    RecordStore,
    record_progress,
)
from portrait.records.priority import PriorityInputs
from portrait.records.problems import Location, ProblemTriangle, TriangleSide
from portrait.workspace import Workspace

NAMED = "Jean-Marc Tremblay"
STATUSES = ("on_track", "delayed", "done", "not_started")
CATEGORIES = ("theft_from_vehicle", "break_and_enter", "mischief", "robbery", "vehicle_theft")


def many_records(polygon, today: dt.date, problems: int = 15, priorities: int = 5,
                 actions: int = 40, consultations: int = 25, partners: int = 12,
                 seed: int = 7) -> list:
    """Records of one station whose boundary is ``polygon`` (metric CRS): problems at points
    inside it, priorities over them, actions under the priorities, consultations and
    partner organisations."""
    rng = np.random.default_rng(seed)
    orgs = [PartnerOrganisation(name=f"Organisme communautaire n° {i + 1}", sector="community",
                                notes=f"Parler à {NAMED} avant la table.")
            for i in range(partners)]
    minx, miny, maxx, maxy = polygon.bounds
    cards = []
    while len(cards) < problems:
        point = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if not polygon.contains(point):
            continue
        n = len(cards)
        cards.append(ProblemCard(
            title=f"Problème {n + 1} : {('vols', 'méfaits', 'introductions')[n % 3]} "
                  f"autour du secteur {n + 1}",
            description=f"{NAMED} signale la situation chaque semaine.",
            partner_summary=f"Des résidents signalent une hausse des {('vols', 'méfaits')[n % 2]}"
                            f" près du secteur {n + 1} depuis le printemps.",
            category=CATEGORIES[n % len(CATEGORIES)], location=Location.point(point),
            status=("open", "monitoring", "open", "resolved")[n % 4],
            sara_stage=("scanning", "analysis", "response", "assessment")[n % 4],
            triangle=ProblemTriangle(
                offender=TriangleSide(known=f"{NAMED} et deux autres jeunes" if n % 2 else ""),
                place=TriangleSide(known="ruelle mal éclairée", controller="propriétaire")),
            priority_inputs=PriorityInputs(incident_count=int(rng.integers(5, 60)),
                                           period_days=90,
                                           previous_count=int(rng.integers(5, 60)),
                                           severity=int(rng.integers(1, 4))),
            partner_ids=(orgs[n % partners].record_id,)))
    plan = [ActionPriority(title=f"Priorité {k + 1} : sécurité du secteur {k + 1}", rank=k + 1,
                           description="Réduire les vols et rassurer les résidents.",
                           plan_period=f"{today.year}",
                           problem_ids=tuple(c.record_id for c in cards[k::priorities]))
            for k in range(priorities)]
    steps = []
    for k in range(actions):
        action = Action(title=f"Action {k + 1} : patrouille et rencontre n° {k + 1}",
                        priority_id=plan[k % priorities].record_id,
                        owner=("PDQ", "Ville", "Organisme communautaire n° 1")[k % 3],
                        description="Présence aux heures de pointe.",
                        end=today + dt.timedelta(days=30 * (k % 8)),
                        resources=f"Appeler {NAMED}.",
                        partner_ids=(orgs[k % partners].record_id,))
        quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        steps.append(record_progress(action, quarter, STATUSES[k % 4],
                                     "Rencontre tenue avec les résidents.", by="agent"))
    meetings = [Consultation(date=today - dt.timedelta(days=11 * i), form="meeting",
                             title=f"Rencontre de quartier n° {i + 1}",
                             participant_count=int(rng.integers(1, 40)),
                             confidentiality="shareable", topics=("sécurité", "ruelles"),
                             decisions=("Marche exploratoire au printemps",),
                             summary=f"{NAMED} a parlé des voitures.")
                for i in range(consultations)]
    return orgs + cards + plan + steps + meetings


def add_many_records(workspace: Workspace, station_id: str, today: dt.date, **counts) -> list:
    """Save ``many_records`` for ``station_id`` in ``workspace``; the records."""
    stations = workspace.layer("stations")
    polygon = stations.loc[stations["station_id"].astype(str) == str(station_id),
                           "geometry"].union_all()
    records = many_records(polygon, today, **counts)
    store = RecordStore.load(workspace)
    for record in records:
        store.add(record)
    store.save(workspace)
    workspace.save()
    return records
