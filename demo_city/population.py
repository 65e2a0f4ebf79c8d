"""Where people live and how well off they are: the surfaces every other part reads.

Two smooth surfaces over the island drive the whole demo city, so that its layers agree with
each other the way real ones do: ``density`` (residents per intersection, highest downtown and
in a few older neighbourhoods) and ``deprivation`` (0 to 1: pockets of low income, as in the
north and east of the real island). Census values, incident rates, service locations and
survey answers are all functions of these, plus noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.random import Generator

from demo_city.geography import CityFrame

#: Typical population of a dissemination area (Statistics Canada targets 400 to 700).
MEAN_DA_POPULATION = 550.0


@dataclass(frozen=True)
class Bumps:
    """A sum of Gaussian bumps in the city's local frame."""

    u: np.ndarray
    v: np.ndarray
    sigma: np.ndarray
    amplitude: np.ndarray

    def __call__(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        du = np.asarray(u)[..., None] - self.u
        dv = np.asarray(v)[..., None] - self.v
        return (self.amplitude * np.exp(-(du**2 + dv**2) / (2 * self.sigma**2))).sum(axis=-1)


@dataclass(frozen=True)
class Surfaces:
    """Density, deprivation and centrality of any point of the city."""

    frame: CityFrame
    downtown: tuple[float, float]  # local (u, v)
    density_bumps: Bumps
    deprivation_bumps: Bumps

    def centrality(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """1 downtown, falling off over about a fifth of the island's length."""
        u, v = self.frame.to_local(x, y)
        d2 = (u - self.downtown[0]) ** 2 + (v - self.downtown[1]) ** 2
        return np.exp(-d2 / (2 * (0.22 * self.frame.half_length) ** 2))

    def density(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Relative residential density (about 0.15 in the outskirts, 1.5 downtown)."""
        u, v = self.frame.to_local(x, y)
        return 0.15 + 0.9 * self.centrality(x, y) + self.density_bumps(u, v)

    def deprivation(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """0 (well-off) to 1 (deprived)."""
        u, v = self.frame.to_local(x, y)
        return np.clip(0.12 + self.deprivation_bumps(u, v), 0.0, 1.0)


def make_surfaces(rng: Generator, frame: CityFrame) -> Surfaces:
    """Downtown on the south shore a little west of the middle, as in Montréal; a few
    secondary centres; three to six pockets of deprivation, mostly away from the west end."""
    length, width = frame.half_length, frame.half_width
    downtown = (-0.1 * length, -0.35 * width)
    n = int(rng.integers(3, 7))
    density = Bumps(rng.uniform(-0.8, 0.8, n) * length, rng.uniform(-0.6, 0.6, n) * width,
                    rng.uniform(0.07, 0.14, n) * length, rng.uniform(0.25, 0.6, n))
    m = int(rng.integers(3, 7))
    pockets_u = rng.uniform(-0.45, 0.9, m) * length
    pockets_u[0] = downtown[0] + 0.18 * length  # an inner-city pocket east of downtown
    deprivation = Bumps(pockets_u, rng.uniform(-0.7, 0.7, m) * width,
                        rng.uniform(0.08, 0.16, m) * length, rng.uniform(0.45, 0.8, m))
    return Surfaces(frame, downtown, density, deprivation)


def area_populations(rng: Generator, residents: np.ndarray, n_areas: int) -> np.ndarray:
    """Population of each DA from the residential weight of its intersections.

    Real DAs hold 400 to 700 people, with exceptions that matter to the readers: a few
    (parks, industrial land) have under 40 residents and see everything but their counts
    suppressed, and a few have under 100 and see their income data suppressed.
    """
    share = residents / max(residents.mean(), 1e-9)
    population = MEAN_DA_POPULATION * share * rng.lognormal(0.0, 0.22, n_areas)
    population = np.clip(population, 0, 3_000)
    order = np.argsort(residents, kind="stable")
    n_tiny = max(1, round(0.04 * n_areas))
    tiny = np.concatenate([order[: n_tiny // 2 + 1],
                           rng.choice(order[n_tiny:], size=n_tiny // 2, replace=False)])
    population[tiny] = rng.integers(0, 40, size=len(tiny))
    others = np.setdiff1d(np.arange(n_areas), tiny)
    small = rng.choice(others, size=max(1, round(0.04 * n_areas)), replace=False)
    population[small] = rng.integers(40, 100, size=len(small))
    return np.round(population).astype(np.int64)
