"""What every reader shares: its declaration, the context it reads in, what it returns.

A reader turns one external file into frames that conform to ``portrait.layers`` and an
``ImportReport`` saying what was read, kept and dropped. Readers never touch the workspace:
``data_connectors.importer`` applies their result, all or nothing.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from portrait import services
from portrait.categories import CategoryMapping
from portrait.errors import CancelledError, PortraitError

if TYPE_CHECKING:
    from data_connectors.column_mapping import Field

Progress = Callable[[float, str], None]


class ReaderError(PortraitError):
    """A file cannot be read; the message names the file, and the row and column if known."""

    def __init__(self, path: Path | str, problem: str, *, row: int | None = None,
                 column: str | None = None, expected: str | None = None):
        self.path, self.row, self.column, self.expected = Path(path), row, column, expected
        self.problem = problem
        where = [Path(path).name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        message = f"{', '.join(where)}: {problem}"
        if expected:
            message += f" Expected: {expected}."
        super().__init__(message)


@dataclass
class ReadContext:
    """What a reader may need beyond the file: progress, cancellation and workspace facts."""

    progress: Progress | None = None
    is_cancelled: Callable[[], bool] = lambda: False
    options: dict[str, Any] = field(default_factory=dict)
    #: Census-area ids already in the workspace (a census profile keeps only these).
    known_area_ids: frozenset[str] = frozenset()
    #: Bounds (minx, miny, maxx, maxy) of the stations, in the metric CRS, if any.
    station_bounds: tuple[float, float, float, float] | None = None
    #: The workspace's station boundaries (``station_id``, geometry in the metric CRS), so a
    #: reader can place points that carry no station in the station that contains them.
    stations: pd.DataFrame | None = None
    #: Source category -> common category and issue tags, with the workspace's edits.
    category_mapping: CategoryMapping = field(default_factory=CategoryMapping.default)
    #: Folded source service type -> common service type, with the workspace's edits.
    service_type_mapping: dict[str, str] = field(
        default_factory=lambda: dict(services.DEFAULT_MAPPING))
    #: Column mappings saved with the workspace, by source key (see ImportResult.column_mapping).
    column_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The user confirmed rows far from where they should be (``import_safety``).
    allow_outside: bool = False
    #: The workspace's own indicator catalogue entries (layer ``indicator_catalogue``).
    indicator_catalogue: pd.DataFrame | None = None

    def report_progress(self, fraction: float, message: str) -> None:
        if self.is_cancelled():
            raise CancelledError("Import cancelled; the workspace was not changed.")
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0), message)


@dataclass
class ImportReport:
    """What one import read, kept and dropped (by reason), with examples of the problems."""

    reader: str
    source_path: str
    layer: str
    rows_read: int = 0
    rows_kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    #: Rows kept but flagged (e.g. no usable location): reason -> count.
    flagged: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    unmapped_categories: dict[str, int] = field(default_factory=dict)
    #: Field -> the column of the file that served it (``data_connectors.column_mapping``).
    columns: dict[str, str] = field(default_factory=dict)
    #: The options the import was given (a mapping, a survey id…), so that a recipe can
    #: repeat it (``data_connectors.recipes``).
    options: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    imported_at: str = ""
    #: Given by the importer; the rows this import wrote carry it (``portrait.layers.IMPORT_ID``).
    import_id: str = ""

    MAX_EXAMPLES = 20

    def drop(self, reason: str, count: int = 1) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def flag(self, reason: str, count: int = 1) -> None:
        if count:
            self.flagged[reason] = self.flagged.get(reason, 0) + int(count)

    def example(self, row: int, column: str | None, value: object, problem: str) -> None:
        if len(self.examples) < self.MAX_EXAMPLES:
            self.examples.append(
                {"row": int(row), "column": column, "value": str(value), "problem": problem}
            )

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows_per_second"] = round(self.rows_per_second)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def summary(self) -> str:
        """A few lines a person can read at the end of an import."""
        lines = [
            f"{Path(self.source_path).name} → {self.layer} ({self.reader}): "
            f"{self.rows_kept:,} of {self.rows_read:,} rows kept in {self.seconds:.1f} s"
        ]
        lines += [f"  dropped, {reason}: {count:,}" for reason, count in self.dropped.items()]
        lines += [f"  kept but {reason}: {count:,}" for reason, count in self.flagged.items()]
        if self.unmapped_categories:
            lines.append("  unmapped categories: " + ", ".join(
                f"{name} ({count:,})" for name, count in self.unmapped_categories.items()))
        if self.columns:
            lines.append("  columns: " + ", ".join(
                f"{name} ← {column!r}" for name, column in self.columns.items()))
        lines += [f"  warning: {text}" for text in self.warnings]
        lines += [
            f"  e.g. row {e['row']}, column {e['column']!r}: {e['problem']} ({e['value']!r})"
            for e in self.examples[:5]
        ]
        return "\n".join(lines)


@dataclass
class ImportResult:
    """Frames for one or more layers, and the report of the import that produced them.

    ``replace_key`` tells the importer which existing rows the new ones supersede: rows of
    the same layer whose ``column`` equals ``value`` (a re-import of the same source), or the
    whole layer when it is None.
    """

    layers: dict[str, pd.DataFrame]
    report: ImportReport
    replace_key: tuple[str, str] | None = None
    #: A column mapping to remember for this source: (source key, mapping).
    column_mapping: tuple[str, dict[str, Any]] | None = None


class Connector(Protocol):
    """The declaration every reader makes, listed by ``data_connectors.registry``."""

    id: str
    label: str
    kind: str
    patterns: tuple[str, ...]
    priority: int
    #: What the reader reads through a column mapping (``column_mapping.Field``); empty for
    #: a fixed layout, which refuses a mapping.
    fields: tuple[Field, ...]

    def can_read(self, path: Path) -> bool: ...

    def read(self, path: Path, context: ReadContext) -> ImportResult: ...


class Timer:
    """Measures a reader's run so the report can say rows per second."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def count_values(values: pd.Series) -> dict[str, int]:
    """Value counts as a plain dict, most frequent first (for reports)."""
    return {str(k): int(v) for k, v in Counter(values.dropna().astype(str)).most_common()}
