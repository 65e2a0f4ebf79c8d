"""Import recipes: every source of a workspace named once, so next quarter's refresh is one
command (``portrait import WORKSPACE --recipe RECIPE.toml --data-dir DIR``).

A recipe is a TOML file with one ``[[source]]`` table per source::

    [workspace]
    crs = "EPSG:26910"            # the metric CRS of a workspace the recipe creates

    [[source]]
    name = "stations"             # named in messages
    files = "local_area_boundary.geojson"   # file pattern(s), relative to --data-dir
    reader = "station-boundaries"
    mapping = { station_id = "name" }       # or mapping_file = "stations.json"
    categories = "categories.csv"           # incidents: source category -> common category
    options = { survey_id = "2024" }        # the reader's options
    optional = false              # true: no matching file is not an error

Files named by ``mapping_file`` and ``categories`` are relative to the recipe itself. The
sources are imported in the kinds' order (``registry.KIND_ORDER``: stations before the areas
kept by their extent, areas before the values kept by the areas), each all or nothing with
the importer's own checks; the files of one source are one import.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from data_connectors.base import ImportReport, Progress
from data_connectors.category_files import read_category_file
from data_connectors.column_mapping import OPTION as MAPPING_OPTION
from data_connectors.column_mapping import (
    MappingError,
    anchor_files,
    check_mapping_keys,
    file_family,
    read_mapping_file,
    refuse_mapping,
)
from data_connectors.importer import import_files
from data_connectors.input_limits import OPTION as LIMITS
from data_connectors.registry import KIND_ORDER, get_reader
from portrait.errors import PortraitError
from portrait.layers import CATEGORY_MAPPINGS, IMPORT_REPORTS
from portrait.workspace import Workspace

SOURCE_KEYS = ("name", "files", "reader", "mapping", "mapping_file", "categories", "options",
               "optional")
RECIPE_KEYS = ("workspace", "source")


class RecipeError(PortraitError):
    """A recipe that cannot be used, or a source of it that failed; names recipe and source."""


@dataclass(frozen=True)
class RecipeSource:
    """One source of a recipe, checked: its reader exists and takes the mapping given."""

    name: str
    files: tuple[str, ...]
    reader: str
    mapping: dict[str, Any] | None = None
    categories: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    optional: bool = False

    def import_options(self) -> dict[str, Any]:
        options = dict(self.options)
        if self.mapping:
            options[MAPPING_OPTION] = self.mapping
        return options


@dataclass(frozen=True)
class Recipe:
    path: Path
    sources: tuple[RecipeSource, ...]
    crs: str | None = None

    def ordered(self) -> list[RecipeSource]:
        """The sources in the order their kinds must be imported (stable within a kind)."""
        return sorted(self.sources, key=lambda s: KIND_ORDER.index(get_reader(s.reader).kind))


def load_recipe(path: Path) -> Recipe:
    """The recipe at ``path``, every source checked before anything is imported."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecipeError(f"Cannot read the recipe {path}: {error.strerror}.") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RecipeError(f"{path.name}: not a valid TOML file ({error}).") from error
    _check_keys(path, data, RECIPE_KEYS, "recipe")
    sources = data.get("source")
    if not isinstance(sources, list) or not sources:
        raise RecipeError(f"{path.name}: the recipe names no source. Expected: one or more "
                          "[[source]] tables with files and reader.")
    workspace = data.get("workspace") or {}
    _check_keys(path, workspace, ("crs",), "[workspace] table")
    checked = tuple(_source(path, index, item) for index, item in enumerate(sources, start=1))
    names = [s.name for s in checked]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise RecipeError(f"{path.name}: several sources are named {', '.join(repeated)}; "
                          "give each source its own name.")
    return Recipe(path, checked, workspace.get("crs"))


def run_recipe(workspace: Workspace, recipe: Recipe, data_dir: Path, *,
               progress: Progress | None = None, limits: Mapping[str, Any] | None = None,
               replace_anyway: bool = False, allow_outside: bool = False,
               started: Callable[[RecipeSource, list[Path]], None] | None = None,
               ) -> list[ImportReport]:
    """Import every source of ``recipe`` from ``data_dir``, in the kinds' order.

    Each source is one all-or-nothing import; a failure stops the recipe with a RecipeError
    naming the source (the sources before it stay imported, each complete).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise RecipeError(f"{recipe.path.name}: the data folder {data_dir} does not exist.")
    reports: list[ImportReport] = []
    for source in recipe.ordered():
        paths = _source_files(source, data_dir)
        if not paths:
            if source.optional:
                continue
            raise RecipeError(f"{recipe.path.name}, source {source.name!r}: no file matches "
                              f"{' or '.join(source.files)} in {data_dir}. Expected: the "
                              "source's file there, or optional = true in the recipe.")
        if started is not None:
            started(source, paths)
        options = source.import_options()
        if limits:
            options[LIMITS] = dict(limits)
        try:
            categories = read_category_file(source.categories) if source.categories else None
            reports += import_files(workspace, paths, source.reader, options, progress,
                                    replace_anyway=replace_anyway, allow_outside=allow_outside,
                                    categories=categories)
        except PortraitError as error:
            raise RecipeError(f"{recipe.path.name}, source {source.name!r}: {error}") from error
    return reports


def _source_files(source: RecipeSource, data_dir: Path) -> list[Path]:
    """The files of ``data_dir`` that the source's patterns match, each once, in order."""
    found = {p: None for pattern in source.files
             for p in sorted(Path(data_dir).glob(pattern)) if p.is_file()}
    return list(found)


def recipe_of(workspace: Workspace, categories_file: str | None = None) -> str:
    """The recipe (TOML text) that repeats the imports recorded in ``workspace``: one source
    per file, with its reader and the options it was given; the newest import of a file
    wins. ``categories_file`` is named on incident sources when the workspace has category
    edits (``category_table`` writes them)."""
    reports = workspace.layer(IMPORT_REPORTS.name).sort_values("imported_at", kind="stable")
    sources: dict[tuple[str, str], dict[str, Any]] = {}
    for row in reports.itertuples(index=False):
        name = Path(str(row.source_path)).name
        options = _options(row)
        source: dict[str, Any] = {"name": Path(name).stem, "files": name,
                                  "reader": str(row.reader)}
        mapping = options.pop(MAPPING_OPTION, None)
        if mapping:
            source["mapping"] = mapping
        if options:
            source["options"] = options
        if categories_file and get_reader(str(row.reader)).kind == "incidents":
            source["categories"] = categories_file
        sources[(str(row.reader), name)] = source
    names: dict[str, int] = {}
    for source in sources.values():  # names must be unique
        names[source["name"]] = names.get(source["name"], 0) + 1
        if names[source["name"]] > 1:
            source["name"] += f"-{names[source['name']]}"
    lines = ["# Import recipe written by Portrait de quartier: the imports of "
             f"{Path(workspace.path).name}.",
             "# Run: portrait import WORKSPACE.gpkg --recipe THIS.toml --data-dir FOLDER",
             "", "[workspace]", f"crs = {_toml(workspace.crs)}"]
    for source in sources.values():
        lines += ["", "[[source]]"] + [f"{key} = {_toml(value)}" for key, value in
                                       source.items()]
    return "\n".join(lines) + "\n"


def earlier_mapping(workspace: Workspace, reader_id: str, path: Path) -> dict[str, Any] | None:
    """The mapping the newest import of a file of ``path``'s family (``file_family``) was
    given with this reader, to propose it again for next year's file; None if none was."""
    reports = workspace.layer(IMPORT_REPORTS.name).sort_values("imported_at", kind="stable")
    family = file_family(path)
    for row in reversed(list(reports.itertuples(index=False))):
        if str(row.reader) == reader_id and file_family(Path(str(row.source_path))) == family:
            mapping = _options(row).get(MAPPING_OPTION)
            if mapping:
                return dict(mapping)
    return None


def write_recipe(workspace: Workspace, path: Path) -> list[Path]:
    """Write the recipe of ``workspace``'s imports to ``path``, and its category edits
    beside it (``<name>_categories.csv``, named by the incident sources) when it has some."""
    path = Path(path)
    edits = category_table(workspace)
    categories = path.with_name(f"{path.stem}_categories.csv") if len(edits) else None
    if categories is not None:
        edits.to_csv(categories, index=False, encoding="utf-8")
    path.write_text(recipe_of(workspace, categories.name if categories else None),
                    encoding="utf-8")
    return [path] + ([categories] if categories else [])


def category_table(workspace: Workspace) -> pd.DataFrame:
    """The workspace's category edits as a ``--categories`` file holds them."""
    edits = workspace.layer(CATEGORY_MAPPINGS.name)
    return pd.DataFrame({"source_category": edits["source_category"],
                         "category": edits["category"], "tags": edits["tags"]})


def _options(report: Any) -> dict[str, Any]:
    """The options an import report (a row of the reports layer) recorded."""
    details = json.loads(report.details) if isinstance(report.details, str) else {}
    return dict(details.get("options") or {})


def _source(path: Path, index: int, item: object) -> RecipeSource:
    where = f"{path.name}, source {index}"
    if not isinstance(item, dict):
        raise RecipeError(f"{where}: expected a [[source]] table.")
    _check_keys(path, item, SOURCE_KEYS, f"source {index}")
    name = str(item.get("name") or f"{index}")
    where = f"{path.name}, source {name!r}"
    files = item.get("files")
    files = [files] if isinstance(files, str) else files
    if not isinstance(files, list) or not files or \
            not all(isinstance(f, str) and f.strip() for f in files):
        raise RecipeError(f"{where}: 'files' is missing. Expected: a file pattern relative to "
                          "--data-dir, e.g. \"limites_pdq*.geojson\", or a list of them.")
    if not isinstance(item.get("reader"), str) or not item["reader"].strip():
        raise RecipeError(f"{where}: 'reader' is missing. Expected: a reader id "
                          "(`portrait readers`).")
    try:
        reader = get_reader(item["reader"])
    except PortraitError as error:
        raise RecipeError(f"{where}: {error}") from error
    mapping = item.get("mapping")
    if item.get("mapping_file"):
        if mapping:
            raise RecipeError(f"{where}: give 'mapping' or 'mapping_file', not both.")
        try:
            mapping = read_mapping_file(path.parent / str(item["mapping_file"]))
        except MappingError as error:
            raise RecipeError(f"{where}: {error}") from error
    elif isinstance(mapping, dict):
        mapping = anchor_files(mapping, path.parent)
    if mapping:
        if not reader.fields:
            raise RecipeError(f"{where}: {refuse_mapping(path, reader.id, reader.label)}")
        try:
            check_mapping_keys(mapping, [f.name for f in reader.fields],
                               f"mapping of source {name!r}")
        except MappingError as error:
            raise RecipeError(f"{where}: {error}") from error
    options = item.get("options") or {}
    if not isinstance(options, dict):
        raise RecipeError(f"{where}: 'options' must be a table, e.g. {{ survey_id = \"2024\" }}.")
    if not isinstance(item.get("optional", False), bool):
        raise RecipeError(f"{where}: 'optional' must be true or false.")
    categories = path.parent / str(item["categories"]) if item.get("categories") else None
    if categories is not None and not categories.is_file():
        raise RecipeError(f"{where}: the categories file {categories} does not exist.")
    return RecipeSource(name, tuple(f.strip() for f in files), reader.id, mapping, categories,
                        dict(options), item.get("optional", False))


def _check_keys(path: Path, data: object, known: tuple[str, ...], what: str) -> None:
    try:
        check_mapping_keys(data, known, what)
    except MappingError as error:
        raise RecipeError(f"{path.name}: {error}") from error


def _toml(value: Any) -> str:
    """A TOML value for the plain data a recipe holds (text, numbers, lists, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps("" if value is None else str(value), ensure_ascii=False)
