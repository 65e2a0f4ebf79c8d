"""The shape of the demo city: an island outline, a street grid, station and DA boundaries.

Everything is built in EPSG:32188 (NAD83 / MTM zone 8, metres), the SPVM's projection, around
the real centre of the Island of Montréal, so that reprojected layers land where a Montréal
user expects them. Like Montréal, the island is long and narrow and its street grid is turned
about 38 degrees from true east, aligned on the island's long axis.

Stations and dissemination areas are Voronoi cells clipped to the outline: they tile the city
with no gap or overlap. Seeds are denser where population is denser, so DAs (and, less so,
stations) are small downtown and large in the suburbs, as in the real files. DAs do not nest
in stations, which is what forces the application to apportion census values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.random import Generator
from scipy.spatial import cKDTree

#: Real centre of the Island of Montréal in EPSG:32188, and the grid's angle from east.
CENTRE = (287_000.0, 5_046_500.0)
GRID_ANGLE_DEG = 38.0
#: PDQ numbers of the 2024-25 SPVM boundary file, west to east; extra numbers for big cities.
REAL_PDQ = (1, 3, 4, 5, 7, 8, 9, 10, 12, 13, 15, 16, 20, 21, 23, 26, 27, 30, 31, 35, 38, 39,
            42, 44, 45, 46, 48, 49)
EXTRA_PDQ = (2, 6, 11, 14, 17, 18, 19, 22, 24, 25, 28, 29, 32, 33, 34, 36, 37, 40, 41, 43, 47)
#: Intersections closer than this to a station boundary are dropped, so that an incident
#: snapped to one can never be read back in the neighbouring station.
BOUNDARY_CLEARANCE_M = 1.0


@dataclass(frozen=True)
class CityFrame:
    """The island's local frame: u along the long axis (south-west to north-east), v across."""

    cx: float
    cy: float
    angle: float  # radians
    half_length: float
    half_width: float

    def to_world(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, s = np.cos(self.angle), np.sin(self.angle)
        return self.cx + u * c - v * s, self.cy + u * s + v * c

    def to_local(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c, s = np.cos(self.angle), np.sin(self.angle)
        dx, dy = np.asarray(x) - self.cx, np.asarray(y) - self.cy
        return dx * c + dy * s, -dx * s + dy * c


@dataclass(frozen=True)
class Streets:
    """Street-grid intersections kept inside the city (one row per intersection)."""

    x: np.ndarray
    y: np.ndarray
    u_index: np.ndarray  # which cross street (constant u)
    v_index: np.ndarray  # which long street (constant v)
    u_lines: np.ndarray  # local u of every cross street
    v_lines: np.ndarray  # local v of every long street
    u_arterial: np.ndarray  # bool per cross street
    v_arterial: np.ndarray  # bool per long street

    @property
    def arterial_count(self) -> np.ndarray:
        """0, 1 or 2 arterials meeting at each intersection."""
        return self.u_arterial[self.u_index].astype(int) + self.v_arterial[self.v_index]

    def __len__(self) -> int:
        return len(self.x)


def city_area_km2(stations: int) -> float:
    """About 15 km² per station, as on the island (about 500 km² for 28 PDQs)."""
    return max(40.0, 15.0 * stations)


def make_outline(rng: Generator, area_km2: float) -> tuple[shapely.Polygon, CityFrame]:
    """An island-like outline: a 1:2.8 ellipse with a wavy shore, scaled to ``area_km2``."""
    theta = np.linspace(0.0, 2.0 * np.pi, 720, endpoint=False)
    aspect = 2.8
    a, b = 1.0, 1.0 / aspect
    radius = a * b / np.sqrt((b * np.cos(theta)) ** 2 + (a * np.sin(theta)) ** 2)
    wave = np.zeros_like(theta)
    for k in range(2, 21):
        amplitude = (0.05 if k <= 8 else 0.012) / np.sqrt(k)
        wave += rng.uniform(0.3, 1.0) * amplitude * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    radius = radius * (1.0 + wave)
    u, v = radius * np.cos(theta), radius * np.sin(theta)
    unit = shapely.Polygon(np.column_stack([u, v]))
    scale = np.sqrt(area_km2 * 1e6 / unit.area)
    frame = CityFrame(CENTRE[0], CENTRE[1], np.deg2rad(GRID_ANGLE_DEG), scale * a, scale * b)
    x, y = frame.to_world(u * scale, v * scale)
    outline = shapely.make_valid(shapely.Polygon(np.column_stack([x, y])))
    if outline.geom_type != "Polygon":  # keep the largest piece of a self-touching shore
        outline = max(shapely.get_parts(outline), key=lambda g: g.area)
    return outline, frame


def make_parks(rng: Generator, frame: CityFrame, area_km2: float) -> list[shapely.Polygon]:
    """A mountain park near downtown and a few smaller parks: places with no residents."""
    scale = np.sqrt(area_km2 / 500.0)
    parks = []
    u, v = -0.05 * frame.half_length, 0.15 * frame.half_width
    x, y = frame.to_world(np.array([u]), np.array([v]))
    parks.append(shapely.Point(x[0], y[0]).buffer(1100.0 * scale, quad_segs=8))
    for _ in range(max(2, int(area_km2 / 35))):
        u = rng.uniform(-0.85, 0.85) * frame.half_length
        v = rng.uniform(-0.6, 0.6) * frame.half_width
        x, y = frame.to_world(np.array([u]), np.array([v]))
        parks.append(shapely.Point(x[0], y[0]).buffer(rng.uniform(180, 450), quad_segs=6))
    return parks


def _lines(rng: Generator, half: float, spacing: float, arterial_every: float
           ) -> tuple[np.ndarray, np.ndarray]:
    steps = rng.uniform(0.75, 1.25, size=int(2.6 * half / spacing) + 4) * spacing
    lines = -1.25 * half + np.cumsum(steps)
    lines = np.round(lines[lines < 1.25 * half], 1)
    arterial = np.zeros(len(lines), dtype=bool)
    position = rng.integers(0, int(arterial_every))
    while position < len(lines):
        arterial[position] = True
        position += int(rng.integers(int(arterial_every) - 1, int(arterial_every) + 2))
    return lines, arterial


def make_streets(rng: Generator, outline: shapely.Polygon, frame: CityFrame,
                 parks: list[shapely.Polygon]) -> Streets:
    """Intersections of a slightly irregular grid: cross streets ~110 m apart, long streets
    ~220 m apart, arterials every kilometre or so. Intersections in parks are dropped."""
    u_lines, u_art = _lines(rng, frame.half_length, 110.0, 8)
    v_lines, v_art = _lines(rng, frame.half_width * 1.4, 220.0, 5)
    ui, vi = np.meshgrid(np.arange(len(u_lines)), np.arange(len(v_lines)), indexing="ij")
    ui, vi = ui.ravel(), vi.ravel()
    x, y = frame.to_world(u_lines[ui], v_lines[vi])
    x, y = np.round(x, 3), np.round(y, 3)
    keep = shapely.contains_xy(outline, x, y)
    for park in parks:
        keep &= ~shapely.contains_xy(park, x, y)
    return Streets(x[keep], y[keep], ui[keep], vi[keep], u_lines, v_lines, u_art, v_art)


def _lloyd(rng: Generator, points: np.ndarray, weights: np.ndarray, k: int,
           iterations: int) -> np.ndarray:
    """Weighted k-means seeds: equal weight per cell, so cells are small where weight is dense."""
    p = weights / weights.sum()
    seeds = points[rng.choice(len(points), size=k, replace=False, p=p)]
    for _ in range(iterations):
        _, nearest = cKDTree(seeds).query(points)
        mass = np.bincount(nearest, weights=weights, minlength=k)
        sx = np.bincount(nearest, weights=weights * points[:, 0], minlength=k)
        sy = np.bincount(nearest, weights=weights * points[:, 1], minlength=k)
        moved = mass > 0
        seeds[moved] = np.column_stack([sx[moved] / mass[moved], sy[moved] / mass[moved]])
    return seeds


def voronoi_cells(seeds: np.ndarray, outline: shapely.Polygon) -> np.ndarray:
    """One MultiPolygon per seed (same order): its Voronoi cell clipped to the outline."""
    envelope = outline.buffer(10_000.0)
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=envelope)
    cells = shapely.get_parts(diagram)
    tree = shapely.STRtree(cells)
    seed_idx, cell_idx = tree.query(shapely.points(seeds), predicate="intersects")
    order = np.full(len(seeds), -1)
    order[seed_idx] = cell_idx  # a seed lies inside exactly one cell
    clipped = shapely.intersection(cells[order], outline)
    out = np.empty(len(seeds), dtype=object)
    for i, geom in enumerate(clipped):
        parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 1.0]
        out[i] = shapely.MultiPolygon(parts)
    return out


def pdq_numbers(count: int) -> list[int]:
    """Real-looking PDQ numbers, spread over the real list so west-to-east order is kept;
    a city larger than Montréal's 49 numbers goes on from 50 (a province's benchmark)."""
    if count <= len(REAL_PDQ):
        picks = np.round(np.linspace(0, len(REAL_PDQ) - 1, count)).astype(int)
        return [REAL_PDQ[i] for i in picks]
    known = sorted(REAL_PDQ + EXTRA_PDQ[: count - len(REAL_PDQ)])
    return known + list(range(known[-1] + 1, known[-1] + 1 + count - len(known)))


@dataclass(frozen=True)
class Stations:
    """Station cells ordered by PDQ number, and each intersection's station."""

    pdq: np.ndarray
    geometry: np.ndarray
    centre: np.ndarray  # (n, 2) seed of each cell


def make_stations(rng: Generator, streets: Streets, weights: np.ndarray, count: int,
                  outline: shapely.Polygon, frame: CityFrame) -> Stations:
    """Voronoi stations from weighted k-means seeds (weight^0.5: busy stations stay larger
    than DAs would suggest). Numbered west to east, as the SPVM numbers its stations."""
    points = np.column_stack([streets.x, streets.y])
    seeds = _lloyd(rng, points, np.sqrt(weights) + 0.05, count, iterations=12)
    u, _ = frame.to_local(seeds[:, 0], seeds[:, 1])
    seeds = seeds[np.argsort(u, kind="stable")]
    cells = voronoi_cells(seeds, outline)
    return Stations(np.array(pdq_numbers(count)), cells, seeds)


def assign_intersections(streets: Streets, stations: Stations) -> tuple[Streets, np.ndarray]:
    """Each intersection's station (by nearest seed, which is Voronoi membership); those
    within a metre of a station boundary or the shore are dropped."""
    _, nearest = cKDTree(stations.centre).query(np.column_stack([streets.x, streets.y]))
    boundaries = shapely.boundary(stations.geometry)
    points = shapely.points(streets.x, streets.y)
    inside = shapely.contains(stations.geometry[nearest], points)
    clear = shapely.distance(points, boundaries[nearest]) > BOUNDARY_CLEARANCE_M
    keep = inside & clear
    kept = Streets(streets.x[keep], streets.y[keep], streets.u_index[keep],
                   streets.v_index[keep], streets.u_lines, streets.v_lines,
                   streets.u_arterial, streets.v_arterial)
    return kept, nearest[keep]


@dataclass(frozen=True)
class Areas:
    """Dissemination areas: geometry, seed, and which DA each intersection falls in."""

    geometry: np.ndarray
    centre: np.ndarray
    intersection_area: np.ndarray  # per intersection, index of its DA


def make_areas(rng: Generator, streets: Streets, weights: np.ndarray, count: int,
               outline: shapely.Polygon, frame: CityFrame) -> Areas:
    """DAs of roughly equal population: k-means on intersections weighted by density.

    Seeds are ordered along the island (then across it) so DA codes run in a spatial order,
    as Statistics Canada's codes do within a census division.
    """
    points = np.column_stack([streets.x, streets.y])
    count = min(count, len(points))
    seeds = _lloyd(rng, points, weights + 0.02, count, iterations=4)
    u, v = frame.to_local(seeds[:, 0], seeds[:, 1])
    band = np.floor((u + frame.half_length * 1.5) / 1500.0)
    seeds = seeds[np.lexsort((v, band))]
    cells = voronoi_cells(seeds, outline)
    _, nearest = cKDTree(seeds).query(points)
    return Areas(cells, seeds, nearest)
