"""Respondent-level survey exports (one row per respondent, one column per question).

LimeSurvey, KoBoToolbox, Microsoft Forms and SurveyMonkey all write this shape. Questions are
the columns named like ``Q01`` or ``Q1[SQ001]``; the respondent's station, postal-code prefix,
age group, sex and weight come from the usual column names. A companion file
``<name>_questions.csv`` or ``sondage_questions.csv`` beside the export gives the wording and
theme of each question, when present.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.text_files import sniff
from portrait.crs import METRIC_CRS
from portrait.layers import SURVEY_ANSWERS, SURVEY_QUESTIONS, SURVEY_RESPONDENTS, conform
from portrait.stations import normalise_station_id
from portrait.surveys import answer_position, scale_of

QUESTION = re.compile(r"^Q\d+", re.IGNORECASE)
RESPONDENT_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("ID", "RESPONSE ID", "RESPONSEID", "_ID", "RESPONDENT_ID"),
    "date": ("SUBMITDATE", "DATE", "SUBMISSION_TIME", "_SUBMISSION_TIME", "END DATE"),
    "station_id": ("PDQ", "STATION", "POSTE", "SECTEUR"),
    "area_code": ("CODEPOSTAL", "CODE_POSTAL", "FSA", "RTA"),
    "age_group": ("AGE", "ÂGE", "AGE_GROUP", "GROUPE_AGE"),
    "sex": ("SEXE", "SEX", "GENRE", "GENDER"),
    "weight": ("POIDS", "WEIGHT", "PONDERATION"),
}


def _columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    upper = {h.strip().upper(): h for h in header}
    found = {}
    for field, names in RESPONDENT_ALIASES.items():
        match = next((upper[n] for n in names if n in upper), None)
        if match is not None:
            found[field] = match
    questions = [h for h in header if QUESTION.match(h.strip())]
    return found, questions


class SurveyExportReader:
    id = "survey-export"
    label = "Sondage auprès des résidents (export par répondant, CSV)"
    kind = "survey"
    patterns = ("*.csv",)
    priority = 20

    def can_read(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        try:
            found, questions = _columns(list(sniff(path).header))
        except ReaderError:
            return False
        return "respondent_id" in found and len(questions) > 0

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        survey_id = context.options.get("survey_id") or path.stem
        report = ImportReport(self.id, str(path), SURVEY_RESPONDENTS.name)
        with Timer() as timer:
            layers = self._read_layers(path, survey_id, context, report)
        report.seconds = timer.seconds
        return ImportResult(layers, report, ("survey_id", survey_id))

    def _read_layers(self, path: Path, survey_id: str, context: ReadContext,
                     report: ImportReport) -> dict[str, pd.DataFrame]:
        text_format = sniff(path)
        table = pd.read_csv(path, sep=text_format.delimiter, encoding=text_format.encoding,
                            dtype=str, keep_default_na=False, na_values=[""])
        table.columns = [c.strip() for c in table.columns]
        found, questions = _columns(list(table.columns))
        if not questions:
            raise ReaderError(path, "no question columns found.",
                              expected="columns named like Q01, Q02 ...")
        report.rows_read = len(table)
        ids = table[found["respondent_id"]].str.strip()
        duplicated = ids.duplicated()
        report.drop("duplicated respondent id", int(duplicated.sum()))
        table = table.loc[~duplicated & ids.notna()]
        context.report_progress(0.3, f"{len(table)} respondents")
        respondents = self._respondents(table, found, survey_id, path, report)
        answers = self._answers(table, found, questions, survey_id)
        report.rows_kept = len(respondents)
        report.flag("answers 'don't know' or 'prefer not to answer' (kept apart)",
                    int((answers["answer_code"].isna() & answers["answer"].notna()).sum()))
        questions_frame = self._questions(path, questions, answers, survey_id)
        context.report_progress(1.0, f"{len(answers)} answers")
        return {
            SURVEY_RESPONDENTS.name: respondents,
            SURVEY_ANSWERS.name: conform(answers, SURVEY_ANSWERS),
            SURVEY_QUESTIONS.name: conform(questions_frame, SURVEY_QUESTIONS),
        }

    @staticmethod
    def _respondents(table: pd.DataFrame, found: dict[str, str], survey_id: str, path: Path,
                     report: ImportReport) -> gpd.GeoDataFrame:
        def column(field: str) -> pd.Series:
            return table[found[field]].str.strip() if field in found else \
                pd.Series(pd.NA, index=table.index, dtype="string")

        dates = pd.to_datetime(column("date").str.slice(0, 10), format="%Y-%m-%d",
                               errors="coerce")
        bad = dates.isna() & column("date").notna()
        report.flag("unreadable submission date (kept, no date)", int(bad.sum()))
        for row, value in column("date")[bad].head(3).items():
            report.example(int(row) + 2, found.get("date"), value, "not a date YYYY-MM-DD")
        weights = pd.to_numeric(column("weight").str.replace(",", "."), errors="coerce")
        bad_weight = weights.notna() & (weights <= 0)
        if bad_weight.any():
            report.warnings.append(f"{int(bad_weight.sum())} non-positive weight(s) set to empty.")
        frame = pd.DataFrame({
            "respondent_id": column("respondent_id").to_numpy(),
            "survey_id": survey_id,
            "date": dates.to_numpy(),
            "station_id": column("station_id").map(
                lambda v: normalise_station_id(v) if isinstance(v, str) else None).to_numpy(),
            "area_code": column("area_code").str.upper().str.slice(0, 3).to_numpy(),
            "age_group": column("age_group").to_numpy(),
            "sex": column("sex").to_numpy(),
            "weight": weights.where(~bad_weight).to_numpy(dtype=float),
        })
        geometry = np.full(len(frame), None, dtype=object)
        return conform(gpd.GeoDataFrame(frame, geometry=geometry, crs=METRIC_CRS),
                       SURVEY_RESPONDENTS)

    @staticmethod
    def _answers(table: pd.DataFrame, found: dict[str, str], questions: list[str],
                 survey_id: str) -> pd.DataFrame:
        long = table[[found["respondent_id"], *questions]].melt(
            id_vars=found["respondent_id"], var_name="question_id", value_name="answer")
        long = long.rename(columns={found["respondent_id"]: "respondent_id"})
        long["answer"] = long["answer"].str.strip()
        long = long.loc[long["answer"].notna() & (long["answer"] != "")]
        positions = {a: answer_position(a) for a in long["answer"].unique()}
        long["answer_code"] = long["answer"].map(
            lambda a: positions[a][1] if positions[a] else None).astype("Int64")
        long["survey_id"] = survey_id
        return long.reset_index(drop=True)

    @staticmethod
    def _questions(path: Path, questions: list[str], answers: pd.DataFrame,
                   survey_id: str) -> pd.DataFrame:
        scales = answers.groupby("question_id")["answer"].agg(lambda s: scale_of(s.unique()))
        frame = pd.DataFrame({"question_id": questions, "survey_id": survey_id})
        frame["scale"] = frame["question_id"].map(scales)
        frame["text"] = frame["question_id"]
        companion = _companion(path)
        if companion is not None:
            text_format = sniff(companion)
            described = pd.read_csv(companion, sep=text_format.delimiter,
                                    encoding=text_format.encoding, dtype=str)
            described.columns = [c.strip().lower() for c in described.columns]
            key = next((c for c in ("question_id", "question", "code") if c in described), None)
            if key is not None:
                described = described.set_index(key)
                for target, names in (("text", ("texte", "text", "libelle")),
                                      ("theme", ("theme", "thème"))):
                    source = next((n for n in names if n in described), None)
                    if source is not None:
                        mapped = frame["question_id"].map(described[source])
                        frame[target] = mapped.fillna(frame.get(target))
        return frame


def _companion(path: Path) -> Path | None:
    for candidate in (path.with_name(f"{path.stem}_questions.csv"),
                      path.with_name("sondage_questions.csv")):
        if candidate.is_file() and candidate != path:
            return candidate
    return None
