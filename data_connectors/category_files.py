"""Category mappings from a file: source category -> common category and issue tags.

Another service's incident file names its offences its own way ("BATTERY", "Voies de fait");
the portrait compares common categories. The app lets the officer choose them one by one;
``portrait import --categories FILE.csv`` (or a recipe's ``categories``) gives them all at
once, as a CSV with the columns ``source_category``, ``category`` and, optionally, ``tags``.
Every row is checked — an unknown category or tag, a repeated source category — and the first
problem stops the import with the file, row and column named. The rows are stored in the
workspace's ``category_mappings`` layer, as the app stores its edits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from data_connectors.base import ReaderError
from data_connectors.column_mapping import Field, header_key, resolve
from data_connectors.survey_formats import read_cells
from portrait.categories import BY_ID, CATEGORIES, ISSUE_TAGS
from portrait.layers import CATEGORY_MAPPINGS, conform

FIELDS = (
    Field("source_category", "Catégorie telle que le fichier d'incidents l'écrit",
          "Category as the incident file writes it", required=True,
          guesses=("source category", "source", "categorie source")),
    Field("category", "Catégorie commune (identifiant ou libellé, français ou anglais)",
          "Common category (id or label, French or English)", required=True,
          guesses=("category", "categorie", "common category", "categorie commune")),
    Field("tags", "Étiquettes d'enjeu, séparées par des virgules (vide : celles de la "
          "catégorie)", "Issue tags, comma-separated (empty: the category's own)",
          guesses=("tags", "etiquettes", "issue tags", "enjeux")),
)
_TAG_SEPARATORS = re.compile(r"\s*[,;|]\s*")
#: Every way a common category may be written (id, French or English label), folded.
_CATEGORY_NAMES: dict[str, str] = {
    header_key(name): category.id for category in CATEGORIES
    for name in (category.id, category.label_fr, category.label_en)}
_TAG_NAMES: dict[str, str] = {header_key(name): tag for tag, labels in ISSUE_TAGS.items()
                              for name in (tag, *labels)}


def read_category_file(path: Path) -> pd.DataFrame:
    """The file's rows as ``category_mappings`` rows; a ReaderError names the first bad one."""
    path = Path(path)
    cells = read_cells(path)
    header = ["" if pd.isna(h) else str(h).strip() for h in cells.iloc[0]]
    columns = resolve(path, FIELDS, header, None).columns
    rows = cells.iloc[1:]
    rows.columns = header
    seen: dict[str, int] = {}
    records = []
    for position, (_, row) in enumerate(rows.iterrows(), start=2):
        source = row[columns["source_category"]]
        if pd.isna(source) or not str(source).strip():
            raise ReaderError(path, "the source category is empty.", row=position,
                              column=columns["source_category"],
                              expected="the category exactly as the incident file writes it")
        source = str(source).strip()
        if source in seen:
            raise ReaderError(path, f"{source!r} is already mapped on row {seen[source]}.",
                              row=position, column=columns["source_category"],
                              expected="each source category once")
        seen[source] = position
        category = _category(path, row[columns["category"]], position, columns["category"])
        tags = _tags(path, row[columns["tags"]], position, columns["tags"]) \
            if "tags" in columns else ()
        records.append({"source": f"categories:{path.name}", "source_category": source,
                        "category": category,
                        "tags": ",".join(tags or BY_ID[category].tags)})
    if not records:
        raise ReaderError(path, "the file has a header but no rows.",
                          expected="one row per source category")
    return conform(pd.DataFrame(records), CATEGORY_MAPPINGS)


def merged_category_rows(existing: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The ``category_mappings`` layer with ``rows`` replacing earlier rows for the same
    source categories (the app's edits and a file's rows are stored the same way)."""
    if len(existing):
        kept = existing.loc[~existing["source_category"].isin(list(rows["source_category"]))]
        rows = pd.concat([kept, rows], ignore_index=True)
    return conform(rows, CATEGORY_MAPPINGS)


def category_rows(choices: Mapping[str, str], source: str) -> pd.DataFrame:
    """Rows for source category -> common category id choices, with the category's tags."""
    return conform(pd.DataFrame(
        [{"source": source, "source_category": name, "category": category,
          "tags": ",".join(BY_ID[category].tags)} for name, category in choices.items()],
        columns=["source", "source_category", "category", "tags"]), CATEGORY_MAPPINGS)


def _category(path: Path, value: object, row: int, column: str) -> str:
    text = "" if pd.isna(value) else str(value).strip()
    found = _CATEGORY_NAMES.get(header_key(text))
    if found is None:
        raise ReaderError(path, f"{text!r} is not a common category." if text else
                          "the common category is empty.", row=row, column=column,
                          expected="one of " + ", ".join(BY_ID))
    return found


def _tags(path: Path, value: object, row: int, column: str) -> tuple[str, ...]:
    if pd.isna(value) or not str(value).strip():
        return ()
    tags = []
    for text in _TAG_SEPARATORS.split(str(value).strip()):
        tag = _TAG_NAMES.get(header_key(text))
        if tag is None:
            raise ReaderError(path, f"{text!r} is not an issue tag.", row=row, column=column,
                              expected="issue tags among " + ", ".join(ISSUE_TAGS)
                              + ", separated by commas")
        tags.append(tag)
    return tuple(dict.fromkeys(tags))
