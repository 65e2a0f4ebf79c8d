"""Street names, civic numbers and postal codes of the demo city, written the Québec way.

Addresses read like Montréal ones ("4521, boulevard Émile-Gagnon"), postal codes start with
the island's H forward sortation areas (FSA, the first three characters), West Island
codes in the west and H1 codes in the east, as on the real island.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.random import Generator

from demo_city.geography import CityFrame, Streets

FIRST_NAMES = ("Émile", "Jean", "Marie", "Louis", "Gabrielle", "Henri", "Jeanne", "Paul",
               "Pierre", "Joseph", "Hélène", "Édouard", "Thérèse", "Georges", "Honoré",
               "Cécile", "André", "Simone", "Lucien", "Rose", "Léon", "Berthe", "Octave",
               "Aurèle", "Irène", "Gaston", "Madeleine", "Camille", "Adrien", "Éva")
LAST_NAMES = ("Gagnon", "Tremblay", "Bélanger", "Lévesque", "Fortin", "Gauthier", "Côté",
              "Bouchard", "Paquette", "Lemieux", "Charbonneau", "Desrosiers", "Lacasse",
              "Marchand", "Vigneault", "Ouellet", "Poirier", "Chénier", "Brûlé", "Dufresne",
              "Labelle", "Beaulieu", "Lavoie", "Cloutier", "Rivard", "Thibodeau", "Gélinas",
              "Moreau", "Daoust", "Lafleur")
NATURE = ("des Érables", "des Ormes", "des Chênes", "des Bouleaux", "des Pins", "des Saules",
          "des Tilleuls", "des Peupliers", "des Frênes", "des Cèdres", "des Pommiers",
          "des Lilas", "de la Rivière", "du Coteau", "de la Montagne", "des Prairies",
          "du Ruisseau", "de la Savane", "des Rapides", "du Moulin")
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
#: Forward sortation areas from the west of the island to the east.
FSA_WEST_TO_EAST = tuple(f"H{d}{c}" for d in "98432" for c in POSTAL_LETTERS) + tuple(
    f"H1{c}" for c in POSTAL_LETTERS)


@dataclass(frozen=True)
class Addresses:
    """Street names of each grid line, and the FSAs of each station."""

    u_names: list[str]  # cross streets (constant u)
    v_names: list[str]  # long streets (constant v)
    station_fsas: list[tuple[str, ...]]
    frame: CityFrame
    streets: Streets

    def civic(self, rng: Generator, intersection: np.ndarray) -> list[str]:
        """A civic address near each intersection, on its long street (numbers grow eastward,
        even on one side and odd on the other, about one number per four metres)."""
        u = self.streets.u_lines[self.streets.u_index[intersection]]
        offset = rng.uniform(-45, 45, len(intersection))
        number = 2 * np.round((u + offset + 1.3 * self.frame.half_length) / 8.0).astype(int)
        number += rng.integers(0, 2, len(intersection))
        names = [self.v_names[i] for i in self.streets.v_index[intersection]]
        return [f"{n}, {name}" for n, name in zip(number, names, strict=True)]

    def postal_code(self, rng: Generator, station: int) -> str:
        fsa = self.station_fsas[station][int(rng.integers(len(self.station_fsas[station])))]
        return f"{fsa} {rng.integers(0, 10)}{rng.choice(list(POSTAL_LETTERS))}{rng.integers(0, 10)}"


def _names(rng: Generator, count: int, kinds: np.ndarray, used: set[str]) -> list[str]:
    out = []
    for kind in kinds[:count]:
        while True:
            if rng.random() < 0.2:
                base = str(rng.choice(NATURE))
            else:
                base = f"{rng.choice(FIRST_NAMES)}-{rng.choice(LAST_NAMES)}"
            name = f"{kind} {base}"
            if name not in used:
                used.add(name)
                out.append(name)
                break
    return out


def make_addresses(rng: Generator, streets: Streets, frame: CityFrame,
                   n_stations: int) -> Addresses:
    """Names for every grid line (boulevards on arterials) and two FSAs per station."""
    used: set[str] = set()
    u_kind = np.where(streets.u_arterial, "boulevard",
                      np.where(rng.random(len(streets.u_lines)) < 0.35, "avenue", "rue"))
    v_kind = np.where(streets.v_arterial, "boulevard", "rue")
    u_names = _names(rng, len(streets.u_lines), u_kind, used)
    v_names = _names(rng, len(streets.v_lines), v_kind, used)
    picks = np.round(np.linspace(0, len(FSA_WEST_TO_EAST) - 2, n_stations)).astype(int)
    fsas = [(FSA_WEST_TO_EAST[i], FSA_WEST_TO_EAST[i + 1]) for i in picks]
    return Addresses(u_names, v_names, fsas, frame, streets)
