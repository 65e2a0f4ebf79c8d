"""Indicator tables of any census: values keyed by area, read through an indicator catalogue.

A census bureau, a city or a research group publishes its figures per area as a table: the
US ACS (tract GEOID, then ``B01003_001E``...), a municipal profile, a deprivation index. Two
layouts are read, from CSV or XLSX:

* wide: an area column (a code, or a name) and one column per indicator;
* long: an area column, an indicator column and a value column.

What each indicator means (count, share and its denominator, median, index; direction;
small-number rules) comes from the catalogue (``docs/indicators.md``): the built-in one, the
workspace's, and the file given with ``--catalogue``. A column or indicator name is matched to
an indicator's id or one of its ``aliases``. A numeric column the catalogue does not know is
refused, with the known ids, unless the user asks to import it as an index of unknown
direction (``unknown_indicators = "index"``); text columns (names, states) are left out and
listed in the report.

Options: ``mapping`` ({field: header}, fields in ``FIELDS``; ``--mapping``
gives it), ``catalogue`` (a path), ``unknown_indicators`` ("refuse" or "index"),
``census_year``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from data_connectors.area_names import area_key, closest
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.catalogue_import import OPTION
from data_connectors.column_mapping import Field, resolve, user_mapping
from data_connectors.survey_formats import first_rows, key, read_cells
from data_connectors.wide_profiles import PLACEHOLDERS, parse_number
from portrait.errors import PortraitError
from portrait.indicators import (
    BUILTIN,
    SCORE,
    Catalogue,
    CatalogueSource,
    Indicator,
    catalogue_source,
    fold_name,
    load_catalogue,
    to_frame,
)
from portrait.indicators import workspace_catalogue as stored_catalogue
from portrait.layers import CENSUS_VALUES, INDICATOR_CATALOGUE, conform

#: The columns of an indicator table. One of ``area_id`` and ``area_name`` is required; the
#: table is long when it has both ``indicator`` and ``value``.
FIELDS = (
    Field("area_id", "Code de l'aire, comme dans les aires de recensement de l'espace de "
          "travail (GEOID, IDAD, code)", "The area's code, as in the workspace's census areas "
          "(GEOID, DAUID, area id)", guesses=("geoid", "geo id", "area id", "area code",
                                              "code", "dauid", "tract", "fips", "id")),
    Field("area_name", "Nom de l'aire, quand le tableau n'a pas de code (joint par le nom "
          "normalisé)", "The area's name, when the table has no code (joined by the "
          "normalised name)", guesses=("area name", "area", "name", "nom", "secteur",
                                       "quartier", "neighbourhood", "neighborhood",
                                       "community area", "local area")),
    Field("indicator", "Format long : l'indicateur de chaque ligne (un id ou un alias du "
          "catalogue)", "Long layout: the indicator of each row (an id or alias of the "
          "catalogue)", guesses=("indicator", "indicator id", "indicateur", "variable",
                                 "measure", "characteristic")),
    Field("value", "Format long : la valeur de chaque ligne", "Long layout: the value of each "
          "row", guesses=("value", "valeur", "estimate", "count")),
    Field("year", "L'année du recensement ou du sondage des valeurs",
          "The census or survey year of the values",
          guesses=("year", "annee", "census year", "vintage")),
)
_GUESSES = {item.name: item.guesses for item in FIELDS}
UNKNOWN_CHOICES = ("refuse", "index")
_SLUG = re.compile(r"[^a-z0-9]+")


class IndicatorTableReader:
    id = "indicator-table"
    label = ("Tableau d'indicateurs par aire, tout recensement (ACS, profil municipal, indice) "
             "avec un catalogue d'indicateurs")
    kind = "census-values"
    patterns = ("*.csv", "*.xlsx")
    priority = 20
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        """A table with an area column and at least one column the built-in catalogue knows
        (other census readers, more specific, come first)."""
        rows = first_rows(path, 1)
        if not rows:
            return False
        headers = rows[0]
        known = BUILTIN.column_ids()
        return (_find(headers, "area_id") is not None or _find(headers, "area_name") is not None) \
            and any(fold_name(h) in known for h in headers if key(h) not in _AREA_NAMES)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_VALUES.name)
        catalogue, source = _catalogue(path, context)
        # The publisher's name, when the catalogue gives it, is what briefs print as the
        # figures' source, and a newer file of that source replaces these values.
        name = source.label or _source(path)
        with Timer() as timer:
            values, added = self._read_frames(path, context, report, catalogue, source.year)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_VALUES.name: values.assign(source=name),
                             INDICATOR_CATALOGUE.name: added.assign(source=name)},
                            report, ("source", name))

    def _read_frames(self, path: Path, context: ReadContext, report: ImportReport,
                     catalogue: Catalogue, catalogue_year: int | None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
        context.report_progress(0.1, "reading the table")
        cells = read_cells(path)
        if len(cells) < 2:
            raise ReaderError(path, "the table has a header but no row of values.", row=2)
        headers = [str(h).strip() if not pd.isna(h) else "" for h in cells.iloc[0]]
        table = cells.iloc[1:].reset_index(drop=True)
        table.columns = headers
        report.rows_read = len(table)
        found = _columns(path, headers, user_mapping(context) or {})
        area_column = found.get("area_id") or found["area_name"]
        areas = _area_ids(table[area_column], found.get("area_id") is not None,
                          context.known_area_ids)
        long = found.get("indicator") and found.get("value")
        records = (_long_records(table, found, catalogue, path, report) if long else
                   _wide_records(table, headers, found, catalogue, path, report))
        unknown = sorted({name for name, item in records if item is None})
        added = _unknown_indicators(unknown, path, context, catalogue)
        by_name = {item_name: item for item_name, item in records if item is not None}
        by_name.update({item.label_en: item for item in added})
        frame = _values(table, areas, records, by_name, found, path, report)
        frame = _keep_known_areas(frame, context.known_area_ids, report)
        year = context.options.get("census_year") or (
            None if "census_year" in frame else catalogue_year)
        if year:
            frame["census_year"] = int(year)
        report.rows_kept = int(frame["area_id"].nunique()) if len(frame) else 0
        context.report_progress(1.0, f"{report.rows_kept:,} areas")
        return conform(frame, CENSUS_VALUES), conform(to_frame(added), INDICATOR_CATALOGUE)


_AREA_NAMES = frozenset(_GUESSES["area_id"] + _GUESSES["area_name"] + _GUESSES["year"])


def _catalogue(path: Path, context: ReadContext) -> tuple[Catalogue, CatalogueSource]:
    """The workspace's catalogue, extended by the ``catalogue`` option's file, and what that
    file's ``[source]`` table says of the values."""
    base = stored_catalogue(context.indicator_catalogue)
    given = context.options.get(OPTION)
    if not given:
        return base, CatalogueSource()
    try:
        return load_catalogue(Path(given), base), catalogue_source(Path(given))
    except PortraitError as error:
        raise ReaderError(path, f"its catalogue cannot be used: {error}") from error


def _find(headers: list[str], field: str) -> str | None:
    keys = {key(h): h for h in reversed(headers) if h}
    return next((keys[name] for name in _GUESSES[field] if name in keys), None)


def _columns(path: Path, headers: list[str], chosen: dict[str, str]) -> dict[str, str]:
    """Field -> header: the ones the mapping names (checked), else the accepted names."""
    found = resolve(path, FIELDS, [h for h in headers if h], chosen).columns
    if "area_id" not in found and "area_name" not in found:
        raise ReaderError(path, "no column names the areas.", row=1,
                          expected="an area code column (" + ", ".join(
                              _GUESSES["area_id"][:6]) + ") or an area name column ("
                          + ", ".join(_GUESSES["area_name"][:4]) + "), or a mapping "
                          "naming it")
    return found


def _area_ids(column: pd.Series, is_code: bool, known: frozenset[str]) -> pd.Series:
    """Each row's area id: a code as written when the workspace has it, else the normalised
    name (``area_key``), which is what the named-area boundary reader stores."""
    text = column.astype("string").str.strip()

    def one(value: object) -> object:
        if pd.isna(value) or value == "":
            return pd.NA
        return value if is_code and (value in known or not known) else area_key(value)
    return text.map(one)


def _wide_records(table: pd.DataFrame, headers: list[str], found: dict[str, str],
                  catalogue: Catalogue, path: Path,
                  report: ImportReport) -> list[tuple[str, Indicator | None]]:
    """(column, indicator or None when the catalogue does not know it) for every numeric
    column that is no area or year column; text columns are listed in the report."""
    ids = catalogue.column_ids()
    used = set(found.values())
    records, text_columns = [], []
    for header in headers:
        if not header or header in used:
            continue
        numbers = table[header].map(lambda t: parse_number("" if pd.isna(t) else str(t))[0])
        cells = table[header].notna() & ~table[header].isin(PLACEHOLDERS)
        if cells.any() and numbers[cells].isna().mean() > 0.5:
            text_columns.append(header)
            continue
        item_id = ids.get(fold_name(header))
        records.append((header, catalogue.get(item_id) if item_id else None))
    if text_columns:
        report.warnings.append("text columns not read as indicators: "
                               + ", ".join(text_columns))
    if not records:
        raise ReaderError(path, "no column holds indicator values.", row=1,
                          expected="one numeric column per indicator beside the area column")
    return records


def _long_records(table: pd.DataFrame, found: dict[str, str], catalogue: Catalogue,
                  path: Path, report: ImportReport) -> list[tuple[str, Indicator | None]]:
    """(indicator name as written, its catalogue entry or None) for each distinct name."""
    ids = catalogue.column_ids()
    names = table[found["indicator"]].astype("string").str.strip().dropna()
    names = [n for n in pd.unique(names) if n]
    if not names:
        raise ReaderError(path, "the indicator column is empty.", column=found["indicator"],
                          expected="an indicator id or alias on each row")
    return [(name, catalogue.get(ids[fold_name(name)]) if fold_name(name) in ids else None)
            for name in names]


def _unknown_indicators(names: list[str], path: Path, context: ReadContext,
                        catalogue: Catalogue) -> list[Indicator]:
    """Refuse indicators the catalogue does not know, or make each an index of unknown
    direction when the user asked for it."""
    if not names:
        return []
    choice = context.options.get("unknown_indicators") or "refuse"
    if choice not in UNKNOWN_CHOICES:
        raise ReaderError(path, f"unknown_indicators is {choice!r}.",
                          expected=" or ".join(UNKNOWN_CHOICES))
    if choice == "refuse":
        raise ReaderError(
            path, f"{len(names)} indicator(s) are not in the catalogue: "
            f"{', '.join(repr(n) for n in names[:20])}"
            + (" …" if len(names) > 20 else "") + ".",
            expected="indicators of the catalogue (" + ", ".join(i.id for i in catalogue)
            + "); describe the others in a catalogue file (--catalogue, see "
            "docs/indicators.md) or import them as indices of unknown direction "
            "(--unknown-indicators index)")
    taken = set(catalogue.by_id)
    added = []
    for name in names:
        ident = _slug(name, taken)
        taken.add(ident)
        added.append(Indicator(
            ident, SCORE, name, name, f"Valeur « {name} » du tableau importé, sans entrée "
            "au catalogue d'indicateurs : son sens est inconnu.", f"The imported table's "
            f"'{name}', with no entry in the indicator catalogue: its direction is unknown.",
            unit="", direction="unknown", origin=path.name))
    return added


def _slug(name: str, taken: set[str]) -> str:
    base = _SLUG.sub("_", key(name).lower()).strip("_") or "indicator"
    ident, number = base, 2
    while ident in taken:
        ident, number = f"{base}_{number}", number + 1
    return ident


def _values(table: pd.DataFrame, areas: pd.Series,
            records: list[tuple[str, Indicator | None]], by_name: dict[str, Indicator],
            found: dict[str, str], path: Path, report: ImportReport) -> pd.DataFrame:
    """census_values rows: one per area and indicator, placeholders kept as symbols."""
    rows = pd.RangeIndex(2, len(table) + 2)  # line numbers: the header is line 1
    no_area = areas.isna().to_numpy()
    for row in rows[no_area][:5]:
        report.example(int(row), found.get("area_id") or found["area_name"], None, "no area")
    report.drop("row without an area", int(no_area.sum()))
    parts = []
    long = "indicator" in found and "value" in found
    for name, _ in records:
        item = by_name[name] if name in by_name else None
        if item is None:
            continue
        if long:
            mine = (table[found["indicator"]].astype("string").str.strip() == name).fillna(False)
            cells = table.loc[mine, found["value"]]
        else:
            cells = table[name]
        column = found["value"] if long else name
        parsed = [parse_number("" if pd.isna(t) else str(t)) for t in cells]
        value = pd.Series([p[0] for p in parsed], index=cells.index, dtype=float)
        symbol = pd.Series([p[1] if p[1] in PLACEHOLDERS else None for p in parsed],
                           index=cells.index, dtype=object)
        wrong = [i for i, p in zip(cells.index, parsed, strict=True)
                 if math.isnan(p[0]) and p[1] is not None and p[1] not in PLACEHOLDERS]
        for i in wrong[:5]:
            report.example(int(i) + 2, column, cells[i], "not a number")
        report.flag(f"value that is not a number in {column} (left empty)", len(wrong))
        report.flag(f"value suppressed by the source in {column}", int(symbol.notna().sum()))
        keep = ~no_area[cells.index]
        parts.append(pd.DataFrame({"area_id": areas[cells.index][keep].to_numpy(),
                                   "indicator_id": item.id, "value": value[keep].to_numpy(),
                                   "symbol": symbol[keep].to_numpy()}))
    frame = pd.concat(parts, ignore_index=True)
    if "year" in found:
        years = pd.to_numeric(table[found["year"]], errors="coerce").dropna()
        if len(years):
            frame["census_year"] = int(years.mode().iloc[0])
    duplicated = frame.duplicated(["area_id", "indicator_id"])
    if duplicated.any():
        report.warnings.append(f"{int(duplicated.sum())} repeated area value(s): the first "
                               "row of each area is kept.")
        frame = frame.loc[~duplicated]
    return frame


def _keep_known_areas(frame: pd.DataFrame, known: frozenset[str],
                      report: ImportReport) -> pd.DataFrame:
    """Values of the workspace's census areas only, the others counted with a hint."""
    if not known or frame.empty:
        return frame
    outside = ~frame["area_id"].isin(known)
    strangers = pd.unique(frame.loc[outside, "area_id"])
    for area in strangers[:5]:
        hint = closest(str(area), known)
        report.warnings.append(f"area {area!r} is not among the workspace's census areas"
                               + (f"; closest: {hint!r}." if hint else "."))
    report.drop("area not among the workspace's census areas", len(strangers))
    return frame.loc[~outside]


def _source(path: Path) -> str:
    return f"indicator-table:{path.name}"
