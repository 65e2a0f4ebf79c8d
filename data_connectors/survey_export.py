"""Respondent-level survey exports (one row per respondent, one column per question).

LimeSurvey, KoBoToolbox, Microsoft Forms and SurveyMonkey exports, as CSV or XLSX, all read
here; ``survey_formats`` works out which tool wrote the file and what each column holds.
Answers become Likert positions whether typed in French or English or given as numeric codes
with a code book; "don't know" and "prefer not to answer" keep their text and get no position,
so that they are neither lost nor counted as a middle answer. The respondent's area is a
station id, a postal-code prefix (FSA) or coordinates placed in the station that contains them.

Companion files beside the export, when present: ``<name>_questions.csv`` or
``sondage_questions.csv`` (question id, wording, theme) and ``<name>_codes.csv`` or
``codebook.csv`` (question id, code, label; question id ``*`` or empty for every question).

Options: ``survey_id``; ``mapping`` ({field: header}, see ``survey_formats.FIELDS``);
``codebook`` ({question id or "*": {code: label}}, or the path of a code-book CSV);
``themes`` ({question id: theme}); ``dayfirst``; ``ignore_weights``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.cad_lookups import area_stations
from data_connectors.service_inventory import points_from_lonlat
from data_connectors.survey_formats import (
    FIELDS,
    ROLE_ALIASES,
    TABLE_SUFFIXES,
    SurveyTable,
    canonical_theme,
    guess_theme,
    interpret,
    looks_like_export,
    parse_dates,
    read_cells,
)
from data_connectors.survey_scale import DONT_KNOW_TEXT, REFUSED_TEXT, NumericScale
from data_connectors.text_files import decimal_numbers
from portrait.crs import METRIC_CRS
from portrait.layers import SURVEY_ANSWERS, SURVEY_QUESTIONS, SURVEY_RESPONDENTS, conform
from portrait.services import fold
from portrait.stations import normalise_station_id
from portrait.surveys import DONT_KNOW, REFUSED, SCALES, answer_position

_FSA = re.compile(r"^[A-Z]\d[A-Z]$")
_EMPTY_WEIGHT = frozenset({"na", "n/a", "nan", "-", ".", "nd", "n.d."})
_NUMBER_PREFIX = re.compile(r"^\s*\d{1,2}\s*[-.:)=]\s*(?=\D)")  # "4 - Tout à fait d'accord"
_NUMBER_SUFFIX = re.compile(r"\s*[(\[]\s*\d{1,2}\s*[)\]]\s*$")  # "Strongly agree (5)"
_CODE = re.compile(r"^-?\d+(?:[.,]0+)?$")
_IDENTIFYING = frozenset({"email", "name", "email address", "first name", "last name", "nom",
                          "prenom", "adresse de messagerie", "adresse e-mail", "ip address",
                          "adresse ip", "ipaddr", "firstname", "lastname"})


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


_LOOSE_POSITIONS = {_loose(spelling): (scale, position)
                    for scale, levels in SCALES.items()
                    for position, spellings in enumerate(levels, start=1)
                    for spelling in spellings}
_LOOSE_NON_SUBSTANTIVE = frozenset(_loose(s) for s in DONT_KNOW | REFUSED)


def classify(answer: str) -> tuple[str, int] | str | None:
    """(scale, position) for a Likert answer, "non-substantive" for don't know / refused,
    None for any other answer. Tolerates XML names ("tout_a_fait_d_accord") and numbered
    labels ("4 - Tout à fait d'accord", "Strongly agree (4)")."""
    found = answer_position(answer)
    if found is not None:
        return found
    for text in (answer, _NUMBER_SUFFIX.sub("", _NUMBER_PREFIX.sub("", answer))):
        loose = _loose(text)
        if loose in _LOOSE_NON_SUBSTANTIVE:
            return "non-substantive"
        if loose in _LOOSE_POSITIONS:
            return _LOOSE_POSITIONS[loose]
    return None


class SurveyExportReader:
    id = "survey-export"
    label = ("Sondage auprès des résidents, export par répondant (LimeSurvey, KoBoToolbox, "
             "Microsoft Forms, SurveyMonkey; CSV, XLSX)")
    kind = "survey"
    patterns = ("*.csv", "*.xlsx")
    priority = 35
    fields = FIELDS

    def can_read(self, path: Path) -> bool:
        return path.suffix.lower() in TABLE_SUFFIXES and looks_like_export(path)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        survey_id = str(context.options.get("survey_id") or path.stem)
        report = ImportReport(self.id, str(path), SURVEY_RESPONDENTS.name)
        with Timer() as timer:
            layers = self._read_layers(path, survey_id, context, report)
        report.seconds = timer.seconds
        return ImportResult(layers, report, ("survey_id", survey_id))

    def _read_layers(self, path: Path, survey_id: str, context: ReadContext,
                     report: ImportReport) -> dict[str, pd.DataFrame]:
        context.report_progress(0.05, "reading the export")
        survey = interpret(read_cells(path), path, context.options)
        report.columns = dict(survey.roles)
        if "respondent_id" not in survey.roles:
            names = ", ".join(map(repr, ROLE_ALIASES["respondent_id"]))
            raise ReaderError(path, "no column identifies the respondents.",
                              expected=f"one of {names}")
        if not survey.questions:
            raise ReaderError(
                path, f"no question columns found (read as a {survey.tool} export).",
                expected="columns named like Q01, Q1[SQ001] or group/q1, or headed with the "
                         "question text after the tool's own columns")
        identifying = [c for c in survey.ignored if fold(c) in _IDENTIFYING]
        if identifying:
            report.warnings.append("not imported (identifying information): "
                                   + ", ".join(identifying))
        table = survey.table
        report.rows_read = len(table)
        ids = table[survey.roles["respondent_id"]].str.strip()
        missing = ids.isna()
        duplicated = ids.duplicated() & ~missing
        report.drop("no respondent id", int(missing.sum()))
        report.drop("duplicated respondent id", int(duplicated.sum()))
        for index, value in ids[duplicated].head(3).items():
            report.example(survey.file_row(index), survey.roles["respondent_id"], value,
                           "same respondent id as an earlier row (the first one is kept)")
        kept = ~missing & ~duplicated
        table = table.loc[kept].assign(**{survey.roles["respondent_id"]: ids[kept]})
        context.report_progress(0.3, f"{len(table)} respondents ({survey.tool})")
        respondents = _respondents(table, survey, survey_id, path, context, report)
        codebook = _codebook(path, context.options, report)
        scale = NumericScale.from_settings(path, survey.settings)
        answers = _answers(table, survey, survey_id, codebook, report, scale)
        report.rows_kept = len(respondents)
        report.flag("answers 'don't know' or 'prefer not to answer' (kept apart)",
                    int((answers["answer_code"].isna() & answers["non_substantive"]).sum()))
        questions = _questions(path, survey, answers, survey_id, context.options)
        context.report_progress(1.0, f"{len(answers)} answers")
        return {
            SURVEY_RESPONDENTS.name: respondents,
            SURVEY_ANSWERS.name: conform(answers, SURVEY_ANSWERS),
            SURVEY_QUESTIONS.name: conform(questions, SURVEY_QUESTIONS),
        }


def _respondents(table: pd.DataFrame, survey: SurveyTable, survey_id: str, path: Path,
                 context: ReadContext, report: ImportReport) -> gpd.GeoDataFrame:
    roles = survey.roles

    def column(field: str) -> pd.Series:
        return table[roles[field]] if field in roles else \
            pd.Series(pd.NA, index=table.index, dtype="string")

    raw_dates = column("date")
    dates = parse_dates(raw_dates, survey.dayfirst)
    bad = dates.isna() & raw_dates.notna()
    report.flag("unreadable submission date (kept, no date)", int(bad.sum()))
    for row, value in raw_dates[bad].head(3).items():
        report.example(survey.file_row(row), roles.get("date"), value,
                       "not a date (YYYY-MM-DD, or DD/MM/YYYY or MM/DD/YYYY)")
    undated = int(dates.isna().sum())
    if undated:
        report.warnings.append(
            f"{undated:,} respondent(s) without a date (unfinished or not dated): counted in "
            "the wave of this file, the year most of its respondents answered in.")
    raw_stations = column("station_id")
    stations = raw_stations.map({v: normalise_station_id(v)
                                 for v in raw_stations.dropna().unique()})
    geometry = _points(table, roles, report)
    stations = _stations_of_points(stations, geometry, context, report)
    areas = _area_codes(table, survey, report)
    stations = _stations_of_areas(stations, areas, survey.settings.get("area_stations"),
                                  path, report)
    frame = pd.DataFrame({
        "respondent_id": column("respondent_id").to_numpy(),
        "survey_id": survey_id,
        "date": dates.to_numpy(),
        "station_id": stations.to_numpy(dtype=object),
        "area_code": areas.to_numpy(dtype=object),
        "age_group": column("age_group").to_numpy(),
        "sex": column("sex").to_numpy(),
        "weight": _weights(column("weight"), survey, path, context, report),
    })
    return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS),
                   SURVEY_RESPONDENTS)


def _area_codes(table: pd.DataFrame, survey: SurveyTable, report: ImportReport) -> pd.Series:
    """The postal-code prefix (FSA, "H2X") when the export has postal codes, else the sector."""
    roles = survey.roles
    if "area_code" not in roles:
        if "sector" in roles:
            return table[roles["sector"]].astype("string")
        return pd.Series(pd.NA, index=table.index, dtype="string")
    raw = table[roles["area_code"]]
    fsa = raw.str.replace(r"\s+", "", regex=True).str.upper().str.slice(0, 3)
    readable = fsa.str.fullmatch(_FSA.pattern).fillna(False).astype(bool)
    bad = raw.notna() & ~readable
    report.flag("postal code not readable (kept, no area code)", int(bad.sum()))
    for row, value in raw[bad].head(3).items():
        report.example(survey.file_row(row), roles["area_code"], value,
                       "not a Canadian postal code or prefix (letter digit letter)")
    return fsa.where(readable)


def _weights(raw: pd.Series, survey: SurveyTable, path: Path, context: ReadContext,
             report: ImportReport) -> np.ndarray:
    """Positive weights, or empty; text in a weight column stops the import, since every
    weighted estimate would silently change."""
    if raw.isna().all():
        return np.full(len(raw), np.nan)
    column = survey.roles.get("weight")
    if context.options.get("ignore_weights"):
        report.warnings.append(f"weights in column {column!r} ignored, as asked.")
        return np.full(len(raw), np.nan)
    raw = raw.mask(raw.str.lower().isin(_EMPTY_WEIGHT))
    weights = decimal_numbers(raw)
    text = raw.notna() & np.isnan(weights)
    if text.any():
        first = text.idxmax()
        raise ReaderError(
            path, f"{int(text.sum())} weight(s) are not numbers (such as {raw[first]!r}).",
            row=survey.file_row(first), column=column,
            expected="a number (1.25 or 1,25) or nothing in every cell of the weight column; "
                     "or import with the option ignore_weights")
    with np.errstate(invalid="ignore"):
        bad = weights <= 0
    if bad.any():
        report.warnings.append(f"{int(bad.sum())} non-positive weight(s) set to empty.")
        weights[bad] = np.nan
    return weights


def _points(table: pd.DataFrame, roles: dict[str, str], report: ImportReport) -> np.ndarray:
    if "lat" not in roles or "lon" not in roles:
        return np.full(len(table), None, dtype=object)
    geometry = points_from_lonlat(decimal_numbers(table[roles["lon"]]),
                                  decimal_numbers(table[roles["lat"]]))
    given = table[roles["lat"]].notna().to_numpy()
    report.flag("coordinates not usable (kept, no point)",
                int((given & pd.isna(geometry)).sum()))
    return geometry


def _stations_of_points(stations: pd.Series, geometry: np.ndarray, context: ReadContext,
                        report: ImportReport) -> pd.Series:
    """Respondents with a point but no station get the station whose boundary holds it."""
    boundaries = context.stations
    need = stations.isna().to_numpy() & pd.notna(geometry)
    if boundaries is None or not len(boundaries) or not need.any():
        return stations
    if not isinstance(boundaries, gpd.GeoDataFrame):
        boundaries = gpd.GeoDataFrame(boundaries, geometry="geometry", crs=METRIC_CRS)
    if boundaries.crs is not None and boundaries.crs != METRIC_CRS:
        boundaries = boundaries.to_crs(METRIC_CRS)
    positions = np.flatnonzero(need)
    point_at, station_at = boundaries.sindex.query(geometry[positions], predicate="within")
    found = pd.Series(boundaries["station_id"].to_numpy()[station_at],
                      index=positions[point_at]).groupby(level=0).first()
    result = stations.astype(object).copy()
    result.iloc[found.index] = found.to_numpy()
    report.flag("station found from the respondent's coordinates", len(found))
    report.flag("coordinates outside every station (kept, no station)",
                len(positions) - len(found))
    return result


def _stations_of_areas(stations: pd.Series, areas: pd.Series, table: str | None, path: Path,
                       report: ImportReport) -> pd.Series:
    """Respondents still without a station get the one the area -> station table gives their
    area code (a council district, a beat, a postal-code prefix), as services keep them."""
    lookup = area_stations(table, path.parent)
    if not lookup:
        return stations
    need = stations.isna() & areas.notna()
    found = areas[need].astype(str).str.strip().str.upper().map(lookup)
    result = stations.astype(object).copy()
    result[found.dropna().index] = found.dropna()
    report.flag("station found from the respondent's area code (area -> station table)",
                int(found.notna().sum()))
    report.flag("area code missing from the area -> station table (kept, no station)",
                int(found.isna().sum()))
    return result


def _codebook(path: Path, options: dict[str, Any], report: ImportReport
              ) -> dict[str, dict[str, str]]:
    """{question id or "*": {code: label}} from the options or a companion CSV file."""
    given = options.get("codebook")
    if isinstance(given, dict):
        return {str(q): {_code_key(c): str(label) for c, label in codes.items()}
                for q, codes in given.items()}
    source = Path(given) if given else _companion(path, ("{stem}_codes.csv",
                                                        "{stem}_codebook.csv", "codebook.csv",
                                                        "code_book.csv", "sondage_codes.csv"))
    if source is None:
        return {}
    table = read_cells(source)
    header = [fold(str(h)) for h in table.iloc[0]]
    table = table.iloc[1:]
    table.columns = header

    def find(*names: str) -> str | None:
        return next((n for n in names if n in header), None)

    question = find("question_id", "question", "variable", "code_question")
    code, label = find("code", "valeur", "value"), find("label", "libelle", "etiquette",
                                                        "texte", "text")
    if code is None or label is None:
        raise ReaderError(source, "the code book needs a code and a label column.",
                          expected="columns question_id, code, label (question_id * or "
                                   "empty for every question)")
    book: dict[str, dict[str, str]] = {}
    for row in table.itertuples(index=False):
        values = dict(zip(header, row, strict=True))
        if pd.isna(values[code]) or pd.isna(values[label]):
            continue
        target = values.get(question) if question else None
        target = "*" if target is None or pd.isna(target) or not str(target).strip() \
            else str(target).strip()
        book.setdefault(target, {})[_code_key(values[code])] = str(values[label]).strip()
    report.warnings.append(f"answer codes read with the code book {source.name}.")
    return book


def _code_key(code: object) -> str:
    text = str(code).strip()
    return str(int(float(text.replace(",", ".")))) if _CODE.match(text) else text


def _answers(table: pd.DataFrame, survey: SurveyTable, survey_id: str,
             codebook: dict[str, dict[str, str]], report: ImportReport,
             scale: NumericScale | None = None) -> pd.DataFrame:
    id_column = survey.roles["respondent_id"]
    renamed = {q.column: q.question_id for q in survey.questions}
    long = table[[id_column, *renamed]].rename(columns=renamed).melt(
        id_vars=id_column, var_name="question_id", value_name="answer")
    long = long.rename(columns={id_column: "respondent_id"})
    long = long.loc[long["answer"].notna()].reset_index(drop=True)
    on_scale = _on_scale(long, survey, scale, report)
    long["answer"] = long["answer"].where(on_scale, _decoded(long.loc[~on_scale], codebook,
                                                             report))
    if scale is not None and on_scale.any():
        long.loc[on_scale, "answer"] = _scale_texts(long.loc[on_scale, "answer"], scale)
    classes = {a: classify(a) for a in long["answer"].unique()}  # few distinct answers
    long["answer_code"] = long["answer"].map(
        {a: c[1] for a, c in classes.items() if isinstance(c, tuple)}).astype("Int64")
    long["scale"] = long["answer"].map(
        {a: c[0] for a, c in classes.items() if isinstance(c, tuple)}).astype(object)
    if scale is not None and on_scale.any():
        _place_on_scale(long, on_scale, scale)
    long["non_substantive"] = long["answer"].isin(
        [a for a, c in classes.items() if c == "non-substantive"])
    long["survey_id"] = survey_id
    return long


def _on_scale(long: pd.DataFrame, survey: SurveyTable, scale: NumericScale | None,
              report: ImportReport) -> pd.Series:
    """The answers of the questions the declared code scale covers."""
    covered = pd.Series(False, index=long.index)
    if scale is None:
        return covered
    columns = {q.question_id: q.column for q in survey.questions}
    codes = long["answer"].map(_code_key)
    for question_id, rows in codes.groupby(long["question_id"]):
        if scale.covers(str(question_id), columns.get(question_id, ""), rows):
            covered[rows.index] = True
    if not covered.any():
        report.warnings.append(f"no question's answers are on the scale {scale.low}-"
                               f"{scale.high}: check the mapping's scale and scale_questions.")
    return covered


def _scale_texts(answers: pd.Series, scale: NumericScale) -> pd.Series:
    """Codes as plain numbers ("4.0" -> "4"), "don't know" and refusal codes as those words
    (so that they are read as such, never as a middle answer)."""
    codes = answers.map(_code_key)
    return codes.mask(codes.isin(scale.dont_know), DONT_KNOW_TEXT).mask(
        codes.isin(scale.refused), REFUSED_TEXT)


def _place_on_scale(long: pd.DataFrame, on_scale: pd.Series, scale: NumericScale) -> None:
    """Positions and the scale's name for the codes on the scale; codes off the scale are
    kept as written, without a position."""
    numbers = pd.to_numeric(long.loc[on_scale, "answer"], errors="coerce")
    inside = numbers[numbers.between(scale.low, scale.high)]
    long.loc[inside.index, "answer_code"] = inside.astype(int).map(scale.position).astype(
        "Int64")
    long.loc[inside.index, "scale"] = scale.name


def _decoded(long: pd.DataFrame, codebook: dict[str, dict[str, str]],
             report: ImportReport) -> pd.Series:
    """Numeric codes replaced by their label from the code book; the rest as it is."""
    codes = [a for a in long["answer"].unique() if _CODE.match(a)]  # few distinct answers
    if not codes:
        return long["answer"]
    numeric = long["answer"].isin(codes)
    pairs = long.loc[numeric, ["question_id", "answer"]].drop_duplicates()
    labels, undocumented, no_book = {}, {}, set()
    for question_id, answer in pairs.itertuples(index=False):
        book = codebook.get(question_id, codebook.get("*"))
        if book is None:
            no_book.add(question_id)
            continue
        label = book.get(_code_key(answer))
        if label is None:
            undocumented.setdefault(question_id, []).append(answer)
        else:
            labels[f"{question_id}\x1f{answer}"] = label
    keys = long["question_id"].astype("string") + "\x1f" + long["answer"]
    decoded = keys.map(labels).astype("string").fillna(long["answer"])
    if no_book:
        report.warnings.append(
            f"numeric answers with no code book in {', '.join(sorted(no_book))}: kept as "
            "numbers, with no scale position (give a code book to read them).")
    for question_id, codes in sorted(undocumented.items()):
        report.warnings.append(f"codes {', '.join(sorted(codes))} of {question_id} are not in "
                               "the code book: kept as numbers, with no scale position.")
    return decoded


def _questions(path: Path, survey: SurveyTable, answers: pd.DataFrame, survey_id: str,
               options: dict[str, Any]) -> pd.DataFrame:
    counts = answers.loc[answers["scale"].notna()].groupby(
        ["question_id", "scale"], observed=True).size().sort_values(ascending=False)
    scales = counts.reset_index().drop_duplicates("question_id").set_index("question_id")[
        "scale"]  # the scale most of a question's answers belong to
    frame = pd.DataFrame({
        "question_id": [q.question_id for q in survey.questions],
        "text": [q.text for q in survey.questions],
        "survey_id": survey_id,
    })
    frame["scale"] = frame["question_id"].map(scales)
    frame["theme"] = None
    companion = _companion(path, ("{stem}_questions.csv", "sondage_questions.csv"))
    if companion is not None:
        frame = _described(frame, companion)
    labels = survey.settings.get("question_labels")
    if labels:
        frame = _labelled(frame, _resolved(path, labels))
    frame["theme"] = [
        canonical_theme(theme) if isinstance(theme, str) else guess_theme(text, scale)
        for theme, text, scale in zip(frame["theme"], frame["text"], [
            s if isinstance(s, str) else None for s in frame["scale"]], strict=True)]
    overrides = options.get("themes") or {}
    frame["theme"] = [overrides.get(q, t) for q, t in zip(frame["question_id"], frame["theme"],
                                                          strict=True)]
    return frame


def _described(frame: pd.DataFrame, companion: Path) -> pd.DataFrame:
    """Texts and themes from a questionnaire table (question id, text, theme)."""
    frame = frame.copy()
    described = read_cells(companion)
    described.columns = [fold(str(h)) for h in described.iloc[0]]
    described = described.iloc[1:]
    key = next((c for c in ("question_id", "question", "code") if c in described), None)
    if key is None:
        return frame
    described = described.drop_duplicates(key).set_index(key)
    for target, names in (("text", ("texte", "text", "libelle")), ("theme", ("theme",))):
        source = next((n for n in names if n in described), None)
        if source is not None:
            mapped = frame["question_id"].map(described[source])
            frame[target] = mapped.where(mapped.notna(), frame[target])
    return frame


def _resolved(path: Path, name: str) -> Path:
    given = Path(name)
    return given if given.is_absolute() else path.parent / given


def _labelled(questions: pd.DataFrame, source: Path) -> pd.DataFrame:
    """Question texts from a labels file: a CSV (question id, text, theme) read like the
    questionnaire companion, or one ``<question id>_<words>`` a line, as some cities publish
    their survey's labels (``q2_06_how_safe_you_feel_in_your_neighborhood``)."""
    if not source.is_file():
        raise ReaderError(source, "the question labels file does not exist.")
    if source.suffix.lower() != ".txt":
        return _described(questions, source)
    ids = sorted(questions["question_id"].astype(str), key=len, reverse=True)
    texts: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        line = line.strip()
        question = next((q for q in ids if line.lower().startswith(q.lower())
                         and line[len(q):len(q) + 1] in ("_", " ", ":", ".", "-")), None)
        words = line[len(question) + 1:].replace("_", " ").strip(" :.-") if question else ""
        if words:
            texts.setdefault(question, words[0].upper() + words[1:])
    return questions.assign(text=questions["question_id"].map(texts).fillna(
        questions["text"]))


def _companion(path: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        candidate = path.with_name(name.format(stem=path.stem))
        if candidate.is_file() and candidate != path:
            return candidate
    return None
