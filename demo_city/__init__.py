"""A synthetic, Montréal-like demo city written in the formats of the real sources.

``generate_city(out_dir, size, seed)`` writes station boundaries, DA boundaries, a 2021
Census Profile extract, SPVM-style incidents, a community-service inventory and a resident
survey, all consistent with each other and deterministic from the seed, so the readers are
exercised on the same formats as real data and demos need no real data at all.
"""

from demo_city.generate import SIZES, CitySize, DemoFiles, generate_city

__all__ = ["SIZES", "CitySize", "DemoFiles", "generate_city"]
