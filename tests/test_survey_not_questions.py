"""Respondent attributes that are no question (Kansas City's ZIP code, city, state, survey
mode) are named by the mapping's ``not_questions`` and never reach the answers a partner
reads as a question's distribution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data_connectors.importer import import_files
from portrait.workspace import Workspace


def _survey(path: Path) -> Path:
    pd.DataFrame({"id": ["1", "2", "3", "4"], "q2_06": [4, 5, 9, 2],
                  "q5_01": [1, 2, 3, 4], "zip": ["64117", "64111", "64130", "64117"],
                  "city": ["Kansas City"] * 4, "method": ["Web", "Mail", "Web", "Phone"]}
                 ).to_csv(path, index=False)
    return path


def _questions(tmp_path: Path, mapping: dict) -> set[str]:
    workspace = Workspace.create(tmp_path / "kc.gpkg", crs="EPSG:26915")
    [report] = import_files(workspace, [_survey(tmp_path / "survey.csv")],
                            reader_id="survey-export", options={"mapping": mapping})
    assert report.rows_kept == 4
    answers = Workspace.open(workspace.path).layer("survey_answers")
    return set(answers["question_id"])


def test_columns_named_not_questions_are_left_out(tmp_path: Path) -> None:
    mapping = {"respondent_id": "id", "scale": "1-5", "dont_know": "9",
               "not_questions": "zip, CITY, meth*"}
    assert _questions(tmp_path, mapping) == {"q2_06", "q5_01"}


def test_without_the_setting_every_other_column_is_a_question(tmp_path: Path) -> None:
    mapping = {"respondent_id": "id", "scale": "1-5", "dont_know": "9"}
    assert {"zip", "city", "method"} <= _questions(tmp_path, mapping)
