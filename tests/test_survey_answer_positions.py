"""Typed survey answers read once per distinct spelling give what reading every answer gave:
the position of each answer, and the scale most answers of a question belong to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portrait.sections.survey_results import _answer_codes, _favourable_positions
from portrait.surveys import answer_position, scale_of

AGREEMENT = ["Tout à fait d'accord", "Plutôt d'accord", "Plutôt en désaccord"]
SAFETY = ["Très en sécurité", "Plutôt en sécurité"]


def test_each_answer_gets_its_position_and_other_answers_none() -> None:
    answers = np.array(["Plutôt d'accord", None, "Je ne sais pas", "  PLUTÔT D’ACCORD ",
                        np.nan, "Plutôt d'accord", 3, "Très en sécurité"], dtype=object)
    one_by_one = [answer_position(a)[1] if isinstance(a, str) and answer_position(a)
                  else np.nan for a in answers]
    codes = _answer_codes(answers)
    np.testing.assert_array_equal(codes, one_by_one)
    assert codes[0] == codes[3] == 3 and np.isnan(codes[[1, 2, 4, 6]]).all()


def test_the_scale_most_answers_belong_to_and_the_first_met_on_a_tie() -> None:
    assert scale_of(SAFETY + AGREEMENT + ["Je ne sais pas"] * 9) == "agreement"
    assert scale_of(SAFETY * 3 + AGREEMENT * 2) == "safety"
    tie = ["Plutôt en sécurité", "Plutôt d'accord", "Plutôt d'accord", "Très en sécurité"]
    assert scale_of(tie) == "safety"
    assert scale_of([*tie[1:], tie[0]]) == "agreement"
    assert scale_of(["Oui", "Non", None]) is None


def test_a_question_without_a_declared_scale_takes_its_answers() -> None:
    joined = pd.DataFrame({"question_id": ["Q1"] * 4 + ["Q2"] * 3,
                           "answer": [*AGREEMENT, None, "Oui", "Non", "Oui"]})
    questions = pd.DataFrame({"question_id": ["Q2"], "scale": [None]})
    tops = _favourable_positions(joined, questions)
    assert (tops[:4] == tops[0]).all() and tops[0] > 0 and np.isnan(tops[4:]).all()
