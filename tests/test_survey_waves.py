"""Survey respondents without a date: every respondent read is counted, in the wave of its
file, with a note saying so; the result does not depend on how pandas types missing text."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from portrait.engine import build_portrait, compare_stations
from portrait.portrait_data import survey_waves
from portrait.wording import in_language
from portrait.workspace import Workspace

ANSWERS = ("Tout à fait d'accord", "Plutôt d'accord", "Plutôt en désaccord",
           "Tout à fait en désaccord")


def _dates(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[ns]")


@pytest.mark.parametrize("dtype", [object, "string", "str"])
def test_undated_respondents_join_the_usual_year_of_their_file(dtype) -> None:
    """Whatever the text dtype of the survey ids (pandas 2 object or "string", pandas 3
    "str"), undated rows take their file's most frequent year, never a wave of their own."""
    ids = pd.Series(["a", "a", "a", "a", "b", "b"], dtype=dtype).to_numpy()
    dates = _dates("2023-05-01", "2024-05-01", "2024-06-01", "NaT", "NaT", "2022-01-01")
    assert survey_waves(ids, dates).tolist() == ["a 2023", "a 2024", "a 2024", "a 2024",
                                                "b 2022", "b 2022"]


def test_a_tie_goes_to_the_later_year_and_a_file_without_dates_keeps_its_name() -> None:
    ids = np.array(["a", "a", "a", "c", "c"], dtype=object)
    dates = _dates("2023-05-01", "2024-05-01", "NaT", "NaT", "NaT")
    assert survey_waves(ids, dates).tolist() == ["a 2023", "a 2024", "a 2024", "c", "c"]


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("waves") / "small.gpkg").path


def _with_survey(small_file: Path, folder: Path, dates: list[str | None]) -> Workspace:
    """The small workspace and one survey file whose respondents all live in PDQ 38."""
    copy = folder / "survey.gpkg"
    shutil.copyfile(small_file, copy)
    workspace = Workspace.open(copy)
    count = len(dates)
    ids = [f"R{i}" for i in range(count)]
    workspace.set_layer("survey_respondents", pd.DataFrame({
        "respondent_id": ids, "survey_id": "sondage-2024",
        "date": pd.to_datetime(pd.Series(dates, dtype=object)), "station_id": "38",
        "weight": 1.0}))
    workspace.set_layer("survey_answers", pd.DataFrame({
        "respondent_id": ids, "survey_id": "sondage-2024", "question_id": "Q1",
        "answer": [ANSWERS[i % 4] for i in range(count)],
        "answer_code": [4 - i % 4 for i in range(count)]}))
    workspace.set_layer("survey_questions", pd.DataFrame({
        "survey_id": ["sondage-2024"], "question_id": ["Q1"],
        "text": ["Je me sens en sécurité"], "theme": ["Sécurité"], "scale": ["agreement"]}))
    workspace.save()
    return workspace


def test_every_respondent_is_counted_and_the_undated_are_said(small_file: Path,
                                                                tmp_path: Path) -> None:
    dates = ["2024-03-01"] * 40 + [None] * 8
    surveys = build_portrait(_with_survey(small_file, tmp_path, dates), "38").section("surveys")
    favourable = surveys.indicator("survey_Q1_favourable")
    assert favourable.context["n"] == 48  # the 8 undated respondents are in
    assert favourable.vintage == "sondage-2024 2024"
    assert surveys.notes[0].startswith("Wave sondage-2024 2024: 48 respondents")
    assert surveys.notes[1] == ("8 respondent(s) without a date counted in wave "
                                "sondage-2024 2024, the wave of their file.")
    assert in_language(surveys.notes[1], "fr") == (
        "8 répondant(s) sans date compté(s) dans la vague sondage-2024 2024, celle de leur "
        "fichier.")


def test_a_file_without_dates_is_still_a_wave(small_file: Path, tmp_path: Path) -> None:
    workspace = _with_survey(small_file, tmp_path, [None] * 30)
    surveys = build_portrait(workspace, "38").section("surveys")
    favourable = surveys.indicator("survey_Q1_favourable")
    assert favourable.context["n"] == 30
    assert "30 respondent(s) without a date" in surveys.notes[1]
    compared = compare_stations(workspace).frame().loc["38", "survey_Q1_favourable"]
    assert compared == pytest.approx(favourable.value)  # the comparison reads the same wave


def test_fully_dated_surveys_have_no_note(small_file: Path, tmp_path: Path) -> None:
    surveys = build_portrait(_with_survey(small_file, tmp_path, ["2024-03-01"] * 30),
                             "38").section("surveys")
    assert len(surveys.notes) == 1


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KANSAS_CITY = SHARED / "kansas_city" / "kcmo_resident_survey_2021Q3_FY2022.csv"


@pytest.mark.shared_data
@pytest.mark.skipif(not KANSAS_CITY.is_file(), reason="../shared/data is not present")
def test_real_survey_without_dates_is_one_wave_with_every_respondent() -> None:
    """Kansas City's respondent files carry no date at all (PROVENANCE.md: 1,033 rows)."""
    from data_connectors.base import ReadContext
    from data_connectors.registry import get_reader

    result = get_reader("survey-export").read(KANSAS_CITY, ReadContext())
    respondents = result.layers["survey_respondents"]
    assert len(respondents) == 1_033 and respondents["date"].isna().all()
    waves = survey_waves(respondents["survey_id"].to_numpy(), respondents["date"].to_numpy())
    assert pd.Series(waves).value_counts().to_dict() == {KANSAS_CITY.stem: 1_033}


def test_the_import_report_says_where_undated_respondents_go(demo_files) -> None:
    """The demo's LimeSurvey export leaves unfinished responses without a submitdate."""
    from data_connectors.base import ReadContext
    from data_connectors.registry import get_reader

    result = get_reader("survey-export").read(demo_files.survey, ReadContext())
    undated = int(result.layers["survey_respondents"]["date"].isna().sum())
    assert undated > 0
    assert f"{undated:,} respondent(s) without a date (unfinished or not dated): counted in " \
        "the wave of this file, the year most of its respondents answered in." \
        in result.report.warnings
