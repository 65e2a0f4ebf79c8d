"""The choices behind a portrait, with defaults an officer never has to touch.

Every option is recorded in the portrait's parameters, with the values chosen from the data
(cell size, bandwidth, distance band) next to them, so a number can always be reproduced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from portrait.errors import CancelledError

Progress = Callable[[float, str], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class PortraitOptions:
    """Options of ``build_portrait`` and ``compare_stations``.

    Spatial sizes are in metres; None means "chosen from the data by the documented rule".
    """

    #: Rates are given per this many residents, per year.
    per_residents: float = 1_000.0
    confidence_level: float = 0.95
    #: False discovery rate for families of tests (change by category, hot-spot cells).
    fdr_q: float = 0.05
    #: Below this many incidents in a period, changes use the exact conditional test.
    small_count: int = 20
    cell_size_m: float | None = None
    distance_band_m: float | None = None
    kde_bandwidth_m: float | None = None
    #: Places with at least this many incidents are repeat locations.
    repeat_threshold: int = 2
    #: Addresses or cells with at least this many calls from the public are repeat-call places.
    repeat_call_threshold: int = 5
    #: Services "near" the station: within this distance of its boundary.
    service_buffer_m: float = 1_000.0
    #: Distances at which coverage of the population by each service type is measured.
    coverage_distances_m: tuple[float, ...] = (500.0, 1_000.0)
    #: A high-need area has a gap when no service of a type lies within this distance.
    gap_distance_m: float = 1_000.0
    #: Survey results on fewer answers than this are suppressed.
    survey_min_n: int = 30
    #: Rake survey weights to the station's census age groups (and ``sex_margins``).
    rake_surveys: bool = False
    sex_margins: dict[str, float] | None = None
    #: Census suppression rules (Statistics Canada): no characteristics, no income data.
    min_population: float = 40
    min_population_income: float = 250
    #: Number of classes of choropleth maps.
    map_classes: int = 5
    #: Add the table of every station side by side to each portrait.
    include_comparison: bool = True
    #: Analyses here are deterministic (analytical Gi* inference, no permutations); the seed
    #: is recorded for any later randomised option.
    seed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Steps:
    """Progress reporting and cancellation over a known number of steps."""

    progress: Progress | None = None
    is_cancelled: IsCancelled | None = None
    total: int = 1
    done: int = 0
    messages: list[str] = field(default_factory=list)

    def step(self, message: str) -> None:
        """Announce the next step; raise ``CancelledError`` if the user asked to stop."""
        if self.is_cancelled is not None and self.is_cancelled():
            raise CancelledError("Portrait cancelled: nothing was changed.")
        if self.progress is not None:
            self.progress(min(self.done / max(self.total, 1), 1.0), message)
        self.done += 1
