"""Area-level survey results (score tables) as published, CSV or XLSX.

Police services and cities often publish, or hand over, survey results already aggregated:
one row per area (station, sector, postal-code prefix, borough) and period, with a score per
theme ("% who feel safe", mean trust...). Two layouts are read:

* wide: one column per theme score, optionally per subgroup ("sécurité - femmes",
  "confiance|65+"), with an optional ``n`` column (``n - femmes`` for a subgroup's n);
* long: columns theme, score, and optionally subgroup and n.

Scores are kept as published (percent or mean): the table does not say which, so nothing is
rescaled. Column or theme names that clearly name a theme become that theme ("Sécurité" ->
"sentiment de sécurité", see ``survey_formats.THEMES``) unless two columns would then share
one, in which case the published names are kept. An empty
subgroup means the whole population. Suppressed cells (x, F, ..) are dropped and counted.

Options: ``survey_id``; ``area_level``; ``mapping`` ({field: header}, see ``FIELDS``). Areas
other than stations and postal-code prefixes are stored by their normalised name
(``area_names.area_key``), the key the named-area boundaries carry, so scores join their areas.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data_connectors.area_names import area_key
from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.cad_lookups import area_stations
from data_connectors.column_mapping import Field, guess_columns, resolve, user_mapping
from data_connectors.column_mapping import header_key as key
from data_connectors.survey_formats import (
    GENERIC,
    ROLE_ALIASES,
    TABLE_SUFFIXES,
    canonical_theme,
    detect_tool,
    first_rows,
    guess_theme,
    read_cells,
)
from portrait.layers import SURVEY_SCORES, conform
from portrait.stations import normalise_station_id

#: Area level -> header names (folded, underscores as spaces).
AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "station": ("pdq", "poste", "poste de quartier", "station", "station id", "no pdq",
                "numero pdq", "district"),
    "sector": ("secteur", "sector", "secteur de patrouille"),
    "fsa": ("rta", "fsa", "code postal", "postal code", "codepostal"),
    "borough": ("arrondissement", "borough", "arrondissement ou ville", "municipalite"),
    "neighbourhood": ("quartier", "neighbourhood", "neighborhood", "local area",
                      "quartier sociologique"),
    "area": ("area", "area id", "zone", "aire", "territoire", "region", "secteur geographique"),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "period": ("periode", "period", "annee", "year", "vague", "wave", "trimestre", "quarter",
               "date", "mois", "month", "edition", "cycle"),
    "n": ("n", "n repondants", "repondants", "respondents", "nombre de repondants",
          "effectif", "sample size", "taille echantillon", "nb repondants", "count"),
    "theme": ("theme", "indicateur", "indicator", "question", "mesure", "measure",
              "dimension"),
    "subgroup": ("sous groupe", "sous-groupe", "groupe", "subgroup", "group", "profil"),
    "score": ("score", "valeur", "value", "resultat", "result", "pourcentage", "percent",
              "pct", "%", "moyenne", "mean", "taux", "proportion"),
}
FIELDS = (
    Field("area", "Secteur de chaque ligne : poste, secteur, RTA, arrondissement, quartier "
          "(joint par code ou par nom normalisé)", "Area of each row: station, sector, FSA, "
          "borough, neighbourhood (joined by code or by normalised name)", required=True,
          guesses=tuple(alias for aliases in AREA_COLUMNS.values() for alias in aliases)),
    Field("period", "Période (année, vague, trimestre)", "Period (year, wave, quarter)",
          guesses=COLUMNS["period"]),
    Field("n", "Nombre de répondants (pour les intervalles et la règle des petits nombres)",
          "Number of respondents (for intervals and the small-number rule)",
          guesses=COLUMNS["n"]),
    Field("theme", "Thème, quand le tableau a une ligne par thème (format long)",
          "Theme, when the table has one row per theme (long layout)",
          guesses=COLUMNS["theme"]),
    Field("subgroup", "Sous-groupe (vide : toute la population)",
          "Subgroup (empty: the whole population)", guesses=COLUMNS["subgroup"]),
    Field("score", "Score, au format long (pourcentage ou moyenne, tel que publié)",
          "Score, in the long layout (percent or mean, as published)",
          guesses=COLUMNS["score"]),
    Field("area_level", "Niveau des secteurs (station, sector, fsa, borough, neighbourhood, "
          "area) quand l'en-tête ne le dit pas", "Level of the areas (station, sector, fsa, "
          "borough, neighbourhood, area) when the header does not tell", setting=True),
    Field("area_stations", "Table secteur -> poste (CSV : code du secteur, poste), pour des "
          "secteurs sans limites", "Area -> station table (CSV: area code, station id), for "
          "areas without boundaries", setting=True),
)
#: Cells that mean "not published" (suppressed, too few answers, not applicable).
SUPPRESSED = frozenset({"x", "f", "..", "...", "-", "--", "n.d.", "nd", "s.o.", "so", "np",
                        "n/a", "na", "*"})
_SUBGROUP_SEPARATOR = re.compile(r"\s+[-–]\s+|\s*[|:]\s*|__")
_N_COLUMN = re.compile(r"^n(?:\s*[-–|:]\s*|__|\s+)(.+)$", re.IGNORECASE)


def _find(headers: list[str], aliases: tuple[str, ...]) -> str | None:
    keys = {key(h): h for h in reversed(headers)}
    return next((keys[a] for a in aliases if a in keys), None)


def _level(column: str) -> str:
    """The level of the areas a column names, from its header ("PDQ" -> station)."""
    return next((level for level, aliases in AREA_COLUMNS.items() if key(column) in aliases),
                "area")


def _numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers, suppressed, not a number) from published cells ("72,5 %", "x", "1 204")."""
    text = values.astype("string").str.strip()
    suppressed = text.str.lower().isin(SUPPRESSED).fillna(False).astype(bool)
    cleaned = (text.mask(suppressed)
               .str.replace(r"[\s\u00a0\u202f%]", "", regex=True)
               .str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(cleaned, errors="coerce")
    not_number = cleaned.notna() & (cleaned != "") & numbers.isna()
    return numbers.astype(float), suppressed, not_number.fillna(False).astype(bool)


class SurveyScoreReader:
    id = "survey-scores"
    label = "Résultats de sondage par secteur (tableau de scores, CSV, XLSX)"
    kind = "survey"
    patterns = ("*.csv", "*.xlsx")
    priority = 33
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() not in TABLE_SUFFIXES:
            return False
        rows = first_rows(path, 1)
        if not rows:
            return False
        header = [h for h in rows[0] if h]
        if detect_tool(header) != GENERIC or _find(header, ROLE_ALIASES["respondent_id"]):
            return False  # a respondent-level export
        if "area" not in guess_columns(FIELDS[:1], header):
            return False
        if _find(header, COLUMNS["theme"]) and _find(header, COLUMNS["score"]):
            return True
        return any(guess_theme(_SUBGROUP_SEPARATOR.split(key(h))[0]) for h in header)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        survey_id = str(context.options.get("survey_id") or path.stem)
        report = ImportReport(self.id, str(path), SURVEY_SCORES.name)
        with Timer() as timer:
            frame = self._read_frame(path, survey_id, context, report)
        report.seconds = timer.seconds
        return ImportResult({SURVEY_SCORES.name: frame}, report, ("survey_id", survey_id))

    def _read_frame(self, path: Path, survey_id: str, context: ReadContext,
                    report: ImportReport) -> pd.DataFrame:
        options: dict[str, Any] = context.options
        context.report_progress(0.1, "reading the score table")
        cells = read_cells(path)
        headers = [str(h).strip() if pd.notna(h) else f"column {i + 1}"
                   for i, h in enumerate(cells.iloc[0])]
        table = cells.iloc[1:].reset_index(drop=True).astype("string")
        table.columns = headers
        table = table.apply(lambda column: column.str.strip())
        table.index = table.index + 2  # line numbers in the file, for messages
        resolved = resolve(path, FIELDS, headers, user_mapping(context))
        resolved.note(report)
        area_column = resolved.columns["area"]
        level = str(resolved.settings.get("area_level") or options.get("area_level")
                    or _level(area_column))
        found = {field: resolved.get(field) for field in COLUMNS}
        long_form = found["theme"] is not None and found["score"] is not None
        scores = self._long(table, found) if long_form else \
            self._wide(table, headers, area_column, found, path, report)
        context.report_progress(0.6, f"{len(scores)} scores")
        lookup = area_stations(resolved.settings.get("area_stations"), path.parent)
        return self._finish(scores, table, area_column, level, found, survey_id, path, report,
                            lookup)

    @staticmethod
    def _long(table: pd.DataFrame, found: dict[str, str | None]) -> pd.DataFrame:
        labels = {t: t.strip() for t in table[found["theme"]].dropna().unique()}
        themes = _themes(labels, dict.fromkeys(labels))
        return pd.DataFrame({
            "row": table.index,
            "column": found["score"],
            "theme": table[found["theme"]].map(themes, na_action="ignore").to_numpy(),
            "subgroup": table[found["subgroup"]].to_numpy() if found["subgroup"] else None,
            "raw": table[found["score"]].to_numpy(),
            "raw_n": table[found["n"]].to_numpy() if found["n"] else None,
        })

    @staticmethod
    def _wide(table: pd.DataFrame, headers: list[str], area_column: str,
              found: dict[str, str | None], path: Path, report: ImportReport) -> pd.DataFrame:
        fixed = {area_column, found["period"], found["n"], found["subgroup"]}
        n_columns = {h: _N_COLUMN.match(h).group(1).strip() for h in headers
                     if h not in fixed and _N_COLUMN.match(h)}
        candidates = [h for h in headers if h not in fixed and h not in n_columns]
        score_columns, ignored = [], []
        for header in candidates:
            numbers, suppressed, not_number = _numbers(table[header])
            readable = numbers.notna() | suppressed
            (score_columns if readable.sum() >= max(1, not_number.sum()) else ignored) \
                .append(header)
        if ignored:
            report.warnings.append("columns without scores, not imported: "
                                   + ", ".join(ignored))
        if not score_columns:
            raise ReaderError(path, "no score columns found.",
                              expected="one numeric column per theme (such as sécurité, "
                                       "confiance, satisfaction), or columns theme and score")
        parts = {h: _SUBGROUP_SEPARATOR.split(h, maxsplit=1) for h in score_columns}
        subgroups = {h: (p[1].strip() if len(p) > 1 else None) for h, p in parts.items()}
        themes = _themes({h: p[0].strip() for h, p in parts.items()}, subgroups)
        n_of = {}
        for header in score_columns:
            suffixes = [s for s, value in n_columns.items()
                        if key(value) in {key(subgroups[header] or ""), key(parts[header][0])}]
            n_of[header] = suffixes[0] if suffixes else found["n"]
        frames = [pd.DataFrame({
            "row": table.index,
            "column": header,
            "theme": themes[header],
            "subgroup": subgroups[header],
            "raw": table[header].to_numpy(),
            "raw_n": table[n_of[header]].to_numpy() if n_of[header] else None,
        }) for header in score_columns]
        return pd.concat(frames, ignore_index=True)

    @staticmethod
    def _finish(scores: pd.DataFrame, table: pd.DataFrame, area_column: str, level: str,
                found: dict[str, str | None], survey_id: str, path: Path,
                report: ImportReport, lookup: dict[str, str]) -> pd.DataFrame:
        areas = table[area_column]
        placed = areas.str.strip().str.upper().map(lookup) if lookup else \
            pd.Series(pd.NA, index=areas.index, dtype="string")
        if level == "station":
            areas = areas.map(normalise_station_id, na_action="ignore").astype("string")
        elif level == "fsa":
            areas = areas.str.replace(r"\s+", "", regex=True).str.upper().str.slice(0, 3)
        else:
            areas = areas.map(area_key, na_action="ignore").astype("string")
        periods = table[found["period"]].str.replace(r"^(\d{4})\.0+$", r"\1", regex=True) \
            if found["period"] else pd.Series(pd.NA, index=table.index, dtype="string")
        scores["area_name"] = scores["row"].map(table[area_column])
        scores["area_id"] = scores["row"].map(areas)
        scores["station_id"] = scores["area_id"] if level == "station" else \
            scores["row"].map(placed)
        scores["period"] = scores["row"].map(periods)
        number, suppressed, not_number = _numbers(scores["raw"])
        report.rows_read = len(scores)  # score cells: the table's rows times its themes
        no_area = scores["area_id"].isna()
        report.drop("no area", int(no_area.sum()))
        empty = ~no_area & number.isna() & ~not_number
        report.drop("no score (empty or suppressed)", int(empty.sum()))
        if suppressed.any():
            report.warnings.append(f"{int(suppressed.sum())} suppressed score(s) (x, F, ..) "
                                   "left out.")
        bad = ~no_area & not_number
        report.drop("score is not a number", int(bad.sum()))
        for row, column, value in scores.loc[bad, ["row", "column", "raw"]].head(5) \
                .itertuples(index=False):
            report.example(row, column, value, "not a number (72.5, 72,5 % or 3.4)")
        n, _, bad_n = _numbers(scores["raw_n"]) if scores["raw_n"].notna().any() else \
            (pd.Series(np.nan, index=scores.index), None, pd.Series(False, index=scores.index))
        if bad_n.any():
            report.warnings.append(f"{int(bad_n.sum())} n value(s) are not numbers; left "
                                   "empty.")
        scores["score"] = number
        scores["n"] = n.round().astype("Int64")
        scores["theme"] = scores["theme"].astype("string").str.strip().replace("", pd.NA)
        no_theme = ~no_area & number.notna() & scores["theme"].isna()
        report.drop("no theme", int(no_theme.sum()))
        scores = scores.loc[~no_area & number.notna() & ~no_theme]
        duplicated = scores.duplicated(["area_id", "period", "theme", "subgroup"])
        report.drop("same area, period, theme and subgroup as an earlier row",
                    int(duplicated.sum()))
        scores = scores.loc[~duplicated]
        if scores.empty:
            raise ReaderError(path, "no scores could be read.",
                              expected="numbers in the score columns, one row per area")
        frame = pd.DataFrame({
            "survey_id": survey_id,
            "area_id": scores["area_id"].to_numpy(),
            "area_level": level,
            "period": scores["period"].to_numpy(),
            "theme": scores["theme"].to_numpy(),
            "subgroup": scores["subgroup"].to_numpy(),
            "score": scores["score"].to_numpy(),
            "n": scores["n"].to_numpy(),
            "source": f"scores:{path.name}",
            "area_name": scores["area_name"].to_numpy(),
            "station_id": scores["station_id"].to_numpy(),
        })
        if lookup:
            unplaced = int(frame["station_id"].isna().sum())
            report.flag("area code missing from the area -> station table (kept, no "
                        "station)", unplaced)
        report.rows_kept = len(frame)
        return conform(frame, SURVEY_SCORES)


def _themes(labels: dict[str, str], subgroups: dict[str, str | None]) -> dict[str, str]:
    """Theme ids for column labels, unless two columns of a subgroup would share one."""
    ids = {h: canonical_theme(label) or label for h, label in labels.items()}
    seen: dict[tuple[str, str | None], int] = {}
    for header, theme in ids.items():
        seen[(theme, subgroups[header])] = seen.get((theme, subgroups[header]), 0) + 1
    return {h: (theme if seen[(theme, subgroups[h])] == 1 else labels[h])
            for h, theme in ids.items()}
