"""Colour classes for maps: quantile breaks and colour-blind-safe palettes.

Quantiles put about as many areas in each colour, which reads well when values are skewed
(as low-income rates are). Breaks are observed values, never interpolated ones, so that a
class of counts such as "4–8" always holds whole numbers. When there are no more distinct
values than colours (a station with four census areas), each value gets its own colour:
quantiles would lump different values together for no reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: ColorBrewer sequential palettes, both readable by people with colour-vision deficiencies.
YLGNBU = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
YLORBR = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
NO_DATA_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class Classes:
    """Upper-inclusive classes: value v is in class i when edges[i] < v <= edges[i + 1]
    (the first class also holds edges[0])."""

    edges: tuple[float, ...]
    colours: tuple[str, ...]
    #: Each class holds a single value (its upper edge), as when values are few.
    single_values: bool = False

    def index_of(self, values: np.ndarray) -> np.ndarray:
        """Class number of each value; -1 for missing values or when there are no classes."""
        values = np.asarray(values, dtype=float)
        if not self.colours:
            return np.full(values.shape, -1)
        index = np.searchsorted(np.asarray(self.edges[1:]), values, side="left")
        index = np.clip(index, 0, len(self.colours) - 1)
        return np.where(np.isnan(values), -1, index)

    def colour_of(self, values: np.ndarray) -> list[str]:
        """The fill colour of each value, grey for missing values."""
        return [self.colours[i] if i >= 0 else NO_DATA_COLOUR for i in self.index_of(values)]


def quantile_classes(values: np.ndarray, palette: tuple[str, ...], k: int = 5) -> Classes:
    """Up to ``k`` quantile classes of ``values`` (fewer when values repeat), coloured from
    ``palette`` spread from light to dark."""
    finite = np.asarray(values, dtype=float)
    finite = finite[~np.isnan(finite)]
    if finite.size == 0:
        return Classes((), ())
    distinct = np.unique(finite)
    if distinct.size <= k:
        edges = np.concatenate([distinct[:1], distinct])
        return Classes(_floats(edges), _spread(palette, distinct.size), single_values=True)
    edges = np.unique(np.quantile(finite, np.arange(k + 1) / k, method="inverted_cdf"))
    return Classes(_floats(edges), _spread(palette, edges.size - 1))


def _spread(palette: tuple[str, ...], count: int) -> tuple[str, ...]:
    """``count`` colours from light to dark; a lone class takes the middle colour."""
    if count == 1:
        return (palette[len(palette) // 2],)
    picks = np.linspace(0, len(palette) - 1, count).round().astype(int)
    return tuple(palette[i] for i in picks)


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
