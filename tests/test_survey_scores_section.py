"""Area-level survey scores reach the Surveys section, the JSON portrait and the briefs, with
intervals when n is published and the small-number rule applied."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from data_connectors.importer import import_files
from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from portrait.engine import build_portrait
from portrait.portrait_data import PortraitData
from portrait.statistics.proportions import wilson_bounds
from portrait.workspace import Workspace

PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
SAFE = "survey_score_sentiment_de_securite"


@pytest.fixture
def scored(small_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Scores by patrol sector (no boundaries), placed in stations by a sector table."""
    (tmp_path / "secteurs.csv").write_text("secteur,pdq\nS1,38\nS2,38\nS3,4\n")
    table = tmp_path / "scores.csv"
    pd.DataFrame([
        {"secteur": "S1", "periode": "2023", "theme": "Sécurité", "score": "61,0", "n": 90},
        {"secteur": "S1", "periode": "2024", "theme": "Sécurité", "score": "72,5", "n": 120},
        {"secteur": "S2", "periode": "2024", "theme": "Sécurité", "score": "60", "n": 12},
        {"secteur": "S3", "periode": "2024", "theme": "Sécurité", "score": "55", "n": 80},
        {"secteur": "S1", "periode": "2024", "theme": "Confiance", "score": "3,4", "n": ""},
    ]).to_csv(table, index=False)
    mapping = {"area": "secteur", "period": "periode", "theme": "theme", "score": "score",
               "n": "n", "area_level": "sector", "area_stations": "secteurs.csv"}
    import_files(small_workspace, [table], reader_id="survey-scores",
                 options={"mapping": mapping})
    return Workspace.open(small_workspace.path)


def _figures(workspace: Workspace, station: str) -> dict:
    portrait = build_portrait(workspace, station, PERIOD)
    section = next(s for s in portrait.sections if s.id == "surveys")
    return {i.id: i for i in section.indicators}, portrait


def test_published_scores_of_the_station_are_figures_with_intervals(scored) -> None:
    figures, portrait = _figures(scored, "38")
    s1 = figures[f"{SAFE}_s1"]
    assert s1.value == 72.5 and s1.unit == "%" and s1.period == "2024"  # the latest period
    low, high = wilson_bounds(0.725, 120, 0.95)
    assert (s1.interval.low, s1.interval.high) == pytest.approx((100 * low, 100 * high))
    # 12 respondents, under the survey minimum of 30: suppressed, as answers are
    s2 = figures[f"{SAFE}_s2"]
    assert s2.value is None and "suppressed" in s2.reason and s2.context["n"] == 12
    # a mean of 1-5 without n: as published, no interval, and said so
    trust = figures["survey_score_confiance_s1"]
    assert (trust.value, trust.unit, trust.interval) == (3.4, "score", None)
    assert "n not published: no interval" in trust.caveats
    assert f"{SAFE}_s3" not in figures  # sector 3 is station 4's
    json.dumps(portrait.to_dict(), allow_nan=False)
    other, _ = _figures(scored, "4")
    assert set(other) == {f"{SAFE}_s3"}


def test_briefs_print_published_scores_and_hide_small_n(scored) -> None:
    portrait = build_portrait(scored, "38", PERIOD)
    for audience in ("internal", "partner"):
        brief = build_brief(portrait, PortraitData.of(scored),
                            BriefOptions(audience=audience, language="fr"))
        table = next(t for t in brief.section("surveys").tables if t.id == "survey_published")
        rows = {row[0]: row for row in table.rows}
        s1 = rows["sentiment de sécurité — S1 (2024)"]
        # for partners, the hidden S2 hides the other scores of its theme and period too
        assert (s1[1], s1[3]) == ((SUPPRESSED, SUPPRESSED) if audience == "partner"
                                  else (72.5, 120))
        s2 = rows["sentiment de sécurité — S2 (2024)"]
        assert s2[1] is SUPPRESSED and s2[2] is SUPPRESSED
        # partners do not read how few answered a hidden score either
        assert s2[3] == (SUPPRESSED if audience == "partner" else 12)


def test_a_hidden_area_score_cannot_be_worked_back_from_its_station_s(small_workspace,
                                                                      tmp_path: Path) -> None:
    """The station's score (n 132) and sector 1's (n 120) would give sector 2's hidden one
    (n 12) as a weighted mean: partners get none of that theme's scores for the period."""
    (tmp_path / "secteurs.csv").write_text("secteur,pdq\nP38,38\nS1,38\nS2,38\n")
    table = tmp_path / "scores.csv"
    pd.DataFrame([
        {"secteur": "P38", "theme": "Sécurité", "score": "71,4", "n": 132},
        {"secteur": "S1", "theme": "Sécurité", "score": "72,5", "n": 120},
        {"secteur": "S2", "theme": "Sécurité", "score": "60", "n": 12},
        {"secteur": "S1", "theme": "Confiance", "score": "80", "n": 120},
    ]).to_csv(table, index=False)
    import_files(small_workspace, [table], reader_id="survey-scores", options={"mapping": {
        "area": "secteur", "theme": "theme", "score": "score", "n": "n",
        "area_level": "sector", "area_stations": "secteurs.csv"}})
    workspace = Workspace.open(small_workspace.path)
    portrait = build_portrait(workspace, "38", PERIOD)
    shown = {}
    for audience in ("internal", "partner"):
        brief = build_brief(portrait, PortraitData.of(workspace),
                            BriefOptions(audience=audience, language="en"))
        rows = next(t for t in brief.section("surveys").tables
                    if t.id == "survey_published").rows
        shown[audience] = {row[0]: row[1] for row in rows}
    assert shown["internal"] == {"confiance — S1": 80.0, "sentiment de sécurité — P38": 71.4,
                                 "sentiment de sécurité — S1": 72.5,
                                 "sentiment de sécurité — S2": SUPPRESSED}
    assert shown["partner"] == {"confiance — S1": 80.0,  # another theme: nothing to work back
                                "sentiment de sécurité — P38": SUPPRESSED,
                                "sentiment de sécurité — S1": SUPPRESSED,
                                "sentiment de sécurité — S2": SUPPRESSED}
