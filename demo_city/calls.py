"""Calls for service in a dispatch (CAD) export layout, consistent with the demo's incidents.

A station receives several calls for each reported crime, and most are not about a crime:
disturbances, alarms, welfare checks, people in crisis, noise, parking, collisions, and the
officers' own traffic stops and patrols. The demo's calls follow that mix (call types in the
codes of the San Diego open data, which the built-in pathway table knows, with French
descriptions), over the last two years of the incident period:

* crime reports sit where the incidents of their category are (the same intersection weights);
* disturbances and crisis calls rise with deprivation, noise and parking with density,
  collisions and traffic stops on arterials; a few addresses call again and again;
* calls come in mostly in the afternoon and evening, traffic stops at night too;
* dispatch, arrival and clear times follow priority and type; calls cancelled or closed
  without dispatch have none;
* one local call type (``PARC``) is missing from the built-in table, as happens with every
  real export, so the portrait lists it as unmapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.random import Generator
from pyproj import Transformer

from demo_city.addresses import Addresses
from demo_city.geography import Streets
from demo_city.population import Surfaces
from demo_city.writers import write_csv_batches

#: Calls for each incident of the same days (a few calls per reported crime).
CALLS_PER_INCIDENT = 2.5
#: Years of calls kept: dispatch exports are kept for less time than crime data.
CALL_YEARS = 2
HEADER = ("no_appel", "date_heure_reception", "code_appel", "description_appel", "priorite",
          "code_disposition", "pdq", "secteur", "adresse", "latitude", "longitude",
          "affectation", "arrivee", "fin_intervention", "nb_unites", "initiative_policiere")
SELF, EMERGENCY, REPORT, CRISIS, OTHER, ADMIN = range(6)
#: Minutes on scene by kind of call (mean of a gamma with shape 2).
ON_SCENE = np.array([20.0, 45.0, 50.0, 90.0, 30.0, 60.0])
#: Minutes from receipt to dispatch by priority 0-4 (mean of an exponential).
DELAY = np.array([2.0, 5.0, 15.0, 45.0, 90.0])
#: Call types: code, French description, share, kind, base priority, where it happens.
TYPES: tuple[tuple[str, str, float, int, int, str], ...] = (
    ("T", "Interception routière", 0.12, SELF, 3, "traffic"),
    ("SELENF", "Opération ciblée", 0.07, SELF, 3, "density"),
    ("1151", "Interpellation de piéton", 0.04, SELF, 2, "deprivation"),
    ("FD", "Intervention à l'initiative d'un policier", 0.05, SELF, 2, "density"),
    ("415", "Trouble de la paix", 0.07, EMERGENCY, 2, "deprivation"),
    ("415V", "Trouble de la paix avec violence", 0.025, EMERGENCY, 1, "deprivation"),
    ("911", "Appel 911 interrompu", 0.03, EMERGENCY, 1, "density"),
    ("242", "Voies de fait", 0.02, EMERGENCY, 1, "deprivation"),
    ("459", "Introduction par effraction en cours", 0.01, EMERGENCY, 0, "crime:0"),
    ("211", "Vol qualifié", 0.008, EMERGENCY, 0, "crime:4"),
    ("10851", "Vol de véhicule en cours", 0.006, EMERGENCY, 1, "crime:3"),
    ("1181", "Collision avec blessés", 0.012, EMERGENCY, 1, "traffic"),
    ("459A", "Alarme d'intrusion", 0.05, EMERGENCY, 2, "density"),
    ("459R", "Rapport d'introduction par effraction", 0.03, REPORT, 3, "crime:0"),
    ("10851R", "Rapport de vol de véhicule", 0.02, REPORT, 3, "crime:3"),
    ("594R", "Rapport de méfait", 0.025, REPORT, 4, "crime:1"),
    ("488R", "Rapport de vol dans un véhicule", 0.02, REPORT, 4, "crime:2"),
    ("LOST", "Objet perdu", 0.01, REPORT, 4, "density"),
    ("1087", "Rencontre non urgente avec un policier", 0.015, REPORT, 3, "density"),
    ("CW", "Vérification de bien-être", 0.045, CRISIS, 2, "deprivation"),
    ("5150", "Personne en crise", 0.03, CRISIS, 1, "deprivation"),
    ("5150V", "Personne en crise, violente", 0.008, CRISIS, 0, "deprivation"),
    ("647F", "Personne intoxiquée", 0.012, CRISIS, 2, "deprivation"),
    ("415N", "Plainte de bruit", 0.04, OTHER, 3, "density"),
    ("586", "Stationnement illégal", 0.03, OTHER, 4, "density"),
    ("HZRD", "Danger sur la voie publique", 0.01, OTHER, 3, "traffic"),
    ("1182", "Collision sans blessés", 0.02, OTHER, 3, "traffic"),
    ("1140OD", "Surdose, ambulance demandée", 0.005, OTHER, 1, "deprivation"),
    ("MTG", "Réunion ou hors service", 0.02, ADMIN, 4, "density"),
    ("FU", "Suivi par une unité", 0.02, ADMIN, 3, "density"),
    ("PARC", "Surveillance de parc (code local)", 0.003, OTHER, 3, "density"),
)
#: Share of calls from the public a few chronic addresses make (crisis and disturbances).
CHRONIC_SHARE = 0.12
CHRONIC_PLACES_PER_STATION = 3
#: Hour of receipt: calls from the public, and officers' own activity.
PUBLIC_HOURS = np.array([3, 2.4, 1.8, 1.3, 1, 1, 1.3, 2, 3, 3.6, 4, 4.3, 4.6, 4.8, 5, 5.3,
                         5.6, 5.8, 5.8, 5.5, 5.2, 4.8, 4.2, 3.6])
SELF_HOURS = np.array([4, 3.5, 3, 2.5, 2, 1.5, 1.5, 2, 3, 4, 4.5, 4.5, 4, 4, 4, 4.5, 5, 5,
                       5, 5, 5, 5, 5, 4.5])


@dataclass(frozen=True)
class Calls:
    """Integer codes and times (seconds since the first day) of every call."""

    kind_of_type: np.ndarray
    call_type: np.ndarray
    intersection: np.ndarray
    station: np.ndarray
    received: np.ndarray  # datetime64[s]
    priority: np.ndarray
    disposition: np.ndarray  # index into DISPOSITIONS
    dispatched: np.ndarray  # datetime64[s], NaT when not dispatched
    arrived: np.ndarray
    cleared: np.ndarray
    units: np.ndarray

    def __len__(self) -> int:
        return len(self.call_type)


DISPOSITIONS = ("K", "R", "O", "A", "U", "CAN", "DUP", "W")


def call_count(incidents: int, years: int) -> int:
    """Calls of the last ``CALL_YEARS`` years for ``incidents`` over ``years`` years."""
    return int(round(CALLS_PER_INCIDENT * incidents * min(CALL_YEARS, years) / years))


def make_calls(rng: Generator, count: int, streets: Streets, station_of: np.ndarray,
               surfaces: Surfaces, incident_weights: np.ndarray, start: date, end: date
               ) -> Calls:
    """``count`` calls between ``start`` and ``end`` (inclusive), placed, timed and closed."""
    shares = np.array([t[2] for t in TYPES])
    per_type = rng.multinomial(count, shares / shares.sum())
    call_type = np.repeat(np.arange(len(TYPES)), per_type)
    kind = np.array([t[3] for t in TYPES])[call_type]
    intersection = _places(rng, call_type, per_type, streets, surfaces, incident_weights)
    chronic = _chronic_places(rng, streets, station_of, surfaces)
    moved = np.isin(kind, (CRISIS, EMERGENCY)) & (rng.random(count) < CHRONIC_SHARE)
    intersection[moved] = rng.choice(chronic, int(moved.sum()))
    n_days = (end - start).days + 1
    weekday = (np.datetime64(start.isoformat()) + np.arange(n_days)).view("int64") % 7
    busier = np.where(np.isin(weekday, (1, 2)), 1.15, 1.0)  # Friday and Saturday (0 = Thu)
    day = rng.choice(n_days, count, p=busier / busier.sum())
    hours = np.where(kind == SELF, _draw(rng, SELF_HOURS, count), _draw(rng, PUBLIC_HOURS,
                                                                         count))
    seconds = day * 86_400 + hours * 3_600 + rng.integers(0, 3_600, count)
    received = np.datetime64(start.isoformat(), "s") + seconds.astype("timedelta64[s]")
    base = np.array([t[4] for t in TYPES])[call_type]
    shift = np.where(rng.random(count) < 0.2, rng.choice((-1, 1), count), 0)
    priority = np.clip(base + shift, 0, 4)
    disposition = _dispositions(rng, kind)
    dispatched, arrived, cleared, units = _times(rng, kind, priority, disposition, received)
    order = np.argsort(received, kind="stable")
    return Calls(kind[order], call_type[order], intersection[order],
                 station_of[intersection][order], received[order], priority[order],
                 disposition[order], dispatched[order], arrived[order], cleared[order],
                 units[order])


def write_calls(path: Path, calls: Calls, streets: Streets, station_of: np.ndarray,
                pdq: np.ndarray, addresses: Addresses, rng: Generator) -> None:
    """The CAD export, in the layout of a dispatch system's CSV extract (French columns):
    block addresses and sectors (three per station), formatted once per intersection."""
    lon, lat = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True).transform(
        streets.x, streets.y)
    block = np.array([_hundred_block(a) for a in addresses.civic(
        rng, np.arange(len(streets)))], dtype=object)
    sector = np.array([f"{pdq[station]}-{1 + int(v % 3)}" for station, v in
                       zip(station_of, streets.v_index, strict=True)], dtype=object)
    codes = np.array([t[0] for t in TYPES], dtype=object)
    labels = np.array([t[1] for t in TYPES], dtype=object)
    latitude = np.char.mod("%.6f", lat).astype(object)
    longitude = np.char.mod("%.6f", lon).astype(object)
    units = np.array(["", *(str(n) for n in range(1, int(calls.units.max(initial=0)) + 1))],
                     dtype=object)

    def rows(part: slice) -> pa.Table:
        where = calls.intersection[part]
        return pa.table({
            "no_appel": np.char.add("D", np.arange(part.start + 1, part.start + 1 + len(where))
                                    .astype(str)).astype(object),
            "date_heure_reception": _stamps(calls.received[part]),
            "code_appel": codes[calls.call_type[part]],
            "description_appel": labels[calls.call_type[part]],
            "priorite": calls.priority[part].astype(str).astype(object),
            "code_disposition": np.array(DISPOSITIONS, dtype=object)[calls.disposition[part]],
            "pdq": pdq[calls.station[part]].astype(str).astype(object),
            "secteur": sector[where], "adresse": block[where],
            "latitude": latitude[where], "longitude": longitude[where],
            "affectation": _stamps(calls.dispatched[part]),
            "arrivee": _stamps(calls.arrived[part]),
            "fin_intervention": _stamps(calls.cleared[part]),
            "nb_unites": units[np.maximum(calls.units[part], 0)],
            "initiative_policiere": np.where(calls.kind_of_type[part] == SELF, "oui", "non")
            .astype(object),
        })

    write_csv_batches(path, HEADER, len(calls), rows, "needed")


def _hundred_block(address: str) -> str:
    """``"1234, rue X"`` -> ``"1200, rue X"``: dispatch extracts generalise to the block."""
    number, _, street = address.partition(", ")
    return f"{int(number) // 100 * 100}, {street}"


def _draw(rng: Generator, weights: np.ndarray, count: int) -> np.ndarray:
    return rng.choice(len(weights), count, p=weights / weights.sum())


def _places(rng: Generator, call_type: np.ndarray, per_type: np.ndarray, streets: Streets,
            surfaces: Surfaces, incident_weights: np.ndarray) -> np.ndarray:
    density = surfaces.density(streets.x, streets.y)
    deprivation = surfaces.deprivation(streets.x, streets.y)
    surfaces_by_name = {
        "density": density + 1e-9,
        "deprivation": density * (0.3 + 1.5 * deprivation) + 1e-9,
        "traffic": (0.3 + density) * (1 + 1.5 * streets.arterial_count),
    }
    out = np.empty(len(call_type), dtype=np.int64)
    offset = 0
    for number, n in enumerate(per_type):
        where = TYPES[number][5]
        weights = incident_weights[:, int(where.split(":")[1])] if where.startswith("crime:") \
            else surfaces_by_name[where]
        cdf = np.cumsum(weights)
        out[offset:offset + n] = np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1]),
                                            len(cdf) - 1)
        offset += n
    return out


def _chronic_places(rng: Generator, streets: Streets, station_of: np.ndarray,
                    surfaces: Surfaces) -> np.ndarray:
    weights = surfaces.deprivation(streets.x, streets.y) + 1e-9
    picks = []
    for station in np.unique(station_of):
        mine = np.flatnonzero(station_of == station)
        size = min(CHRONIC_PLACES_PER_STATION, len(mine))
        picks.append(rng.choice(mine, size, replace=False,
                                p=weights[mine] / weights[mine].sum()))
    return np.concatenate(picks)


def _dispositions(rng: Generator, kind: np.ndarray) -> np.ndarray:
    r = rng.random(len(kind))
    public = kind != SELF
    out = np.where(kind == REPORT, 1, 0)  # a report is taken, else no report required
    out = np.where((kind != REPORT) & (r > 0.75), 2, out)  # other
    out = np.where((kind == EMERGENCY) & (r > 0.93), 3, out)  # arrest
    out = np.where(public & (r < 0.06), 4, out)  # unfounded
    out = np.where(public & (r >= 0.06) & (r < 0.10), 5, out)  # cancelled
    out = np.where(public & (r >= 0.10) & (r < 0.12), 6, out)  # duplicate
    out = np.where(public & (kind != EMERGENCY) & (r >= 0.12) & (r < 0.18), 7, out)  # no unit
    return out


def _times(rng: Generator, kind: np.ndarray, priority: np.ndarray, disposition: np.ndarray,
           received: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    count = len(kind)
    sent = ~np.isin(disposition, (5, 6, 7))
    delay = np.where(kind == SELF, 0.0, rng.exponential(DELAY[priority]))
    travel = np.where(kind == SELF, 0.0, rng.uniform(3, 12, count))
    on_scene = rng.gamma(2.0, ON_SCENE[kind] / 2.0)
    minutes = np.column_stack([delay, delay + travel, delay + travel + on_scene])
    stamps = received[:, None] + (minutes * 60).astype("timedelta64[s]")
    stamps[~sent] = np.datetime64("NaT")
    units = np.where(sent, np.where((priority <= 1) | (kind == CRISIS), 2, 1), 0)
    return stamps[:, 0], stamps[:, 1], stamps[:, 2], units


def _stamps(values: np.ndarray) -> pa.Array:
    """``YYYY-MM-DD HH:MM:SS`` text, empty where there is no time (formatted by Arrow: a
    million stamps in a fraction of a second)."""
    return pc.strftime(pa.array(values, mask=np.isnat(values)), format="%Y-%m-%d %H:%M:%S")
