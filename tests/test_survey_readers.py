"""Survey readers on code-built exports of each tool (no real survey data exists), and on
area-level score tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from data_connectors.base import ReadContext, ReaderError
from data_connectors.registry import candidates, find_reader, get_reader
from data_connectors.survey_formats import PRIORITIES, SAFETY, TRUST, guess_theme
from portrait.crs import METRIC_CRS

#: Two stations side by side, 3 km x 3 km each, in MTM zone 8 near downtown Montréal.
BOXES = {"38": (295_000, 5_040_000, 298_000, 5_043_000),
         "4": (298_000, 5_040_000, 301_000, 5_043_000)}
TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def _stations() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"station_id": list(BOXES)},
        geometry=[shapely.MultiPolygon([shapely.box(*b)]) for b in BOXES.values()],
        crs=METRIC_CRS)


def _centre(station_id: str) -> tuple[str, str]:
    west, south, east, north = BOXES[station_id]
    lon, lat = TO_LONLAT.transform((west + east) / 2, (south + north) / 2)
    return f"{lat:.6f}", f"{lon:.6f}"


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _read(path: Path, **context) -> tuple[dict[str, pd.DataFrame], object]:
    result = get_reader(find_reader(path).id).read(path, ReadContext(**context))
    return result.layers, result.report


# --- KoBoToolbox ---------------------------------------------------------------------------

def _kobo(path: Path) -> Path:
    lat38, lon38 = _centre("38")
    lat4, lon4 = _centre("4")
    header = ["start", "end", "today", "deviceid", "profil/pdq", "profil/age", "profil/sexe",
              "securite/q1", "securite/q2", "q5", "q5/police", "q5/drogues",
              "_location_latitude", "_location_longitude", "_location_altitude",
              "_location_precision", "_id", "_uuid", "_submission_time",
              "_validation_status", "_index"]
    rows = [
        ["", "", "2025-03-02", "ee.kobo", "", "45-54", "femme", "tout_a_fait_d_accord",
         "je_ne_sais_pas", "police drogues", "1", "1", lat38, lon38, "0", "5", "101", "u-1",
         "2025-03-02T14:05:11", "", "1"],
        ["", "", "2025-03-03", "ee.kobo", "PDQ 4", "65+", "homme", "plutot_en_desaccord",
         "plutot_d_accord", "police", "1", "0", "", "", "", "", "102", "u-2",
         "2025-03-03T09:00:00", "", "2"],
        ["", "", "2025-03-04", "ee.kobo", "", "18-24", "femme", "strongly_disagree",
         "prefer_not_to_answer", "", "0", "0", lat4, lon4, "0", "5", "103", "u-3",
         "2025-03-04T22:10:00", "", "3"],
        ["", "", "2025-03-04", "ee.kobo", "", "18-24", "femme", "agree", "agree", "", "0",
         "0", "", "", "", "", "104", "u-1", "2025-03-05T08:00:00", "", "4"],
    ]
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)
    return path


def test_kobotoolbox_export_with_group_paths_and_coordinates(tmp_path: Path) -> None:
    path = _kobo(tmp_path / "sondage_kobo.csv")
    assert find_reader(path).id == "survey-export"
    layers, report = _read(path, stations=_stations(), options={"themes": {"q1": TRUST}})
    respondents = layers["survey_respondents"].set_index("respondent_id")
    assert list(respondents.index) == ["u-1", "u-2", "u-3"]  # the second u-1 is dropped
    assert report.dropped == {"duplicated respondent id": 1}
    assert respondents["station_id"].tolist() == ["38", "4", "4"]  # 38 and 4 from the points
    assert report.flagged["station found from the respondent's coordinates"] == 2
    assert respondents.geometry.notna().tolist() == [True, False, True]
    assert respondents.loc["u-1", "geometry"].within(shapely.box(*BOXES["38"]))
    assert respondents["date"].dt.day.tolist() == [2, 3, 4]
    assert respondents["age_group"].tolist() == ["45-54", "65+", "18-24"]
    answers = layers["survey_answers"]
    assert set(answers["question_id"]) == {"q1", "q2", "q5"}  # q5/police... are q5's copies
    codes = answers.set_index(["respondent_id", "question_id"])["answer_code"]
    assert codes[("u-1", "q1")] == 4 and codes[("u-2", "q1")] == 2 and codes[("u-3", "q1")] == 1
    assert pd.isna(codes[("u-1", "q2")]) and pd.isna(codes[("u-3", "q2")])
    assert report.flagged["answers 'don't know' or 'prefer not to answer' (kept apart)"] == 2
    questions = layers["survey_questions"].set_index("question_id")
    assert questions.loc["q1", ["text", "theme", "scale"]].tolist() == [
        "securite/q1", TRUST, "agreement"]


# --- Microsoft Forms -----------------------------------------------------------------------

def test_microsoft_forms_xlsx_with_question_texts_as_headers(tmp_path: Path) -> None:
    start = dt.datetime(2025, 3, 4, 9, 30)
    path = _xlsx(tmp_path / "Sondage PDQ 38(1-3).xlsx", [
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
         "Je me sens en sécurité dans mon quartier le soir",
         "How satisfied are you with the police in your neighbourhood?",
         "Quels sont les trois premiers caractères de votre code postal?",
         "Avez-vous été victime d'un crime au cours des 12 derniers mois?",
         "What is your age group?"],
        [1, start, start + dt.timedelta(minutes=4), "anonymous", None, None,
         "Plutôt d'accord", "Very satisfied", "h2x 1y4", "Non", "35-44"],
        [2, start, start + dt.timedelta(days=1), "a@b.ca", "A. B.", None,
         "Tout à fait en désaccord", "Somewhat dissatisfied", "H2J", "Oui", "65+"],
        [3, start, start + dt.timedelta(days=2), "anonymous", None, None,
         "Je préfère ne pas répondre", "Don't know", "123", None, "18-24"],
    ])
    assert find_reader(path).id == "survey-export"
    layers, report = _read(path)
    respondents = layers["survey_respondents"]
    assert respondents["respondent_id"].tolist() == ["1", "2", "3"]
    assert respondents["date"].tolist() == [pd.Timestamp("2025-03-04"),
                                            pd.Timestamp("2025-03-05"),
                                            pd.Timestamp("2025-03-06")]
    assert respondents["area_code"].fillna("-").tolist() == ["H2X", "H2J", "-"]
    assert report.flagged["postal code not readable (kept, no area code)"] == 1
    assert respondents["age_group"].tolist() == ["35-44", "65+", "18-24"]
    questions = layers["survey_questions"]
    assert questions["question_id"].tolist() == ["Q01", "Q02", "Q03"]
    assert questions["text"].iloc[1] == \
        "How satisfied are you with the police in your neighbourhood?"
    assert questions["theme"].tolist() == [SAFETY, "satisfaction", "victimisation"]
    answers = layers["survey_answers"].set_index(["respondent_id", "question_id"])
    assert answers.loc[("1", "Q02"), "answer_code"] == 4
    assert answers.loc[("2", "Q02"), "answer_code"] == 2
    assert pd.isna(answers.loc[("3", "Q02"), "answer_code"])
    assert answers.loc[("3", "Q02"), "answer"] == "Don't know"
    assert ("3", "Q03") not in answers.index  # no answer, no row
    assert "not imported (identifying information): Email, Name" in report.warnings
    assert not layers["survey_answers"]["answer"].isin(["a@b.ca", "A. B."]).any()


# --- SurveyMonkey --------------------------------------------------------------------------

SURVEYMONKEY_ROWS = [
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
     "First Name", "Last Name", "Custom Data 1",
     "How safe do you feel walking alone in your area after dark?",
     "Which issues should the police prioritize?", None, None, "What is your postal code?"],
    [None, None, None, None, None, None, None, None, None, "Response", "Break-ins", "Drugs",
     "Traffic", "Open-Ended Response"],
    ["114000001", "4000", "03/14/2025 10:00:00 AM", "03/14/2025 10:05:00 AM", "1.2.3.4", None,
     None, None, None, "Very unsafe", "Break-ins", None, "Traffic", "V6A 1A1"],
    ["114000002", "4000", "03/15/2025 11:00:00 AM", "03/15/2025 11:09:00 AM", "1.2.3.5", None,
     None, None, None, "Reasonably safe", None, "Drugs", None, "v5k0a1"],
    ["114000003", "4000", "03/16/2025 08:00:00 PM", "03/16/2025 08:02:00 PM", "1.2.3.6", None,
     None, None, None, "Prefer not to answer", None, None, None, None],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_surveymonkey_two_header_rows(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"Resident survey{suffix}"
    if suffix == ".csv":
        pd.DataFrame(SURVEYMONKEY_ROWS).to_csv(path, header=False, index=False)
    else:
        _xlsx(path, SURVEYMONKEY_ROWS)
    assert find_reader(path).id == "survey-export"
    layers, report = _read(path)
    respondents = layers["survey_respondents"]
    assert respondents["respondent_id"].tolist() == ["114000001", "114000002", "114000003"]
    assert respondents["date"].dt.day.tolist() == [14, 15, 16]  # MM/DD/YYYY
    assert respondents["area_code"].fillna("-").tolist() == ["V6A", "V5K", "-"]
    questions = layers["survey_questions"].set_index("question_id")
    assert list(questions.index) == ["Q01", "Q02_1", "Q02_2", "Q02_3"]
    assert questions.loc["Q02_2", "text"] == "Which issues should the police prioritize? - Drugs"
    assert questions["theme"].tolist() == [SAFETY] + [PRIORITIES] * 3
    assert questions.loc["Q01", "scale"] == "safety"
    answers = layers["survey_answers"].set_index(["respondent_id", "question_id"])
    assert answers.loc[("114000001", "Q01"), "answer_code"] == 1
    assert answers.loc[("114000002", "Q01"), "answer_code"] == 3
    assert pd.isna(answers.loc[("114000003", "Q01"), "answer_code"])
    assert answers.loc[("114000001", "Q02_3"), "answer"] == "Traffic"
    assert report.rows_read == report.rows_kept == 3


# --- LimeSurvey with numeric codes and weights ---------------------------------------------

CODES = {"1": "Tout à fait en désaccord", "2": "Plutôt en désaccord", "3": "Plutôt d'accord",
         "4": "Tout à fait d'accord", "8": "Je préfère ne pas répondre", "9": "Je ne sais pas"}


def _limesurvey_codes(path: Path, weights: tuple[str, str, str] = ("1,2", "0,8", "")) -> Path:
    pd.DataFrame({
        "id": ["1", "2", "3"],
        "submitdate": ["2025-01-10 10:00:00", "2025-01-11 10:00:00", ""],
        "lastpage": ["3", "3", "2"],
        "startlanguage": ["fr", "fr", "en"],
        "PDQ": ["38", "38.0", "PDQ-4"],
        "Q01": ["4", "2", "-1"],
        "Q02[SQ001]": ["1", "9", "3"],
        "Q02[SQ002]": ["8", "3", "4"],
        "poids": list(weights),
    }).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _check_codes(layers: dict[str, pd.DataFrame]) -> None:
    answers = layers["survey_answers"].set_index(["respondent_id", "question_id"])
    assert answers.loc[("1", "Q01"), ["answer", "answer_code"]].tolist() == [
        "Tout à fait d'accord", 4]
    assert answers.loc[("2", "Q02[SQ001]"), "answer"] == "Je ne sais pas"
    assert pd.isna(answers.loc[("2", "Q02[SQ001]"), "answer_code"])
    assert answers.loc[("1", "Q02[SQ002]"), "answer"] == "Je préfère ne pas répondre"
    assert answers.loc[("3", "Q01"), "answer"] == "-1"  # undocumented: kept, no position
    assert pd.isna(answers.loc[("3", "Q01"), "answer_code"])
    assert layers["survey_questions"]["scale"].tolist() == ["agreement"] * 3


def test_numeric_codes_with_a_code_book_from_the_options(tmp_path: Path) -> None:
    path = _limesurvey_codes(tmp_path / "results-survey123.csv")
    assert find_reader(path).id == "survey-export"
    layers, report = _read(path, options={"codebook": {"*": CODES}})
    _check_codes(layers)
    assert any("codes -1 of Q01 are not in the code book" in w for w in report.warnings)
    respondents = layers["survey_respondents"]
    assert respondents["station_id"].tolist() == ["38", "38", "4"]
    assert respondents["weight"].fillna(-1).tolist() == [1.2, 0.8, -1]


def test_numeric_codes_with_a_companion_code_book(tmp_path: Path) -> None:
    path = _limesurvey_codes(tmp_path / "results-survey123.csv")
    pd.DataFrame({"question_id": "", "code": list(CODES), "label": list(CODES.values())}) \
        .to_csv(tmp_path / "results-survey123_codes.csv", index=False)
    layers, _ = _read(path)
    _check_codes(layers)


def test_numeric_codes_without_a_code_book_get_no_position(tmp_path: Path) -> None:
    layers, report = _read(_limesurvey_codes(tmp_path / "results-survey123.csv"))
    assert layers["survey_answers"]["answer_code"].isna().all()
    assert any("numeric answers with no code book in Q01, Q02[SQ001], Q02[SQ002]" in w
               for w in report.warnings)


def test_a_weight_column_with_text_stops_the_import(tmp_path: Path) -> None:
    path = _limesurvey_codes(tmp_path / "weights.csv", ("1,2", "élevé", "0,9"))
    with pytest.raises(ReaderError, match=r"weights\.csv, row 3, column 'poids'.*élevé"):
        get_reader("survey-export").read(path, ReadContext())
    result = get_reader("survey-export").read(
        path, ReadContext(options={"ignore_weights": True}))
    assert result.layers["survey_respondents"]["weight"].isna().all()


def test_a_survey_with_no_question_columns(tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("id,submitdate,lastpage,PDQ\n1,2025-01-10,1,38\n", encoding="utf-8")
    assert find_reader(path).id == "survey-export"
    with pytest.raises(ReaderError, match=r"vide\.csv: no question columns found"):
        get_reader("survey-export").read(path, ReadContext())


def test_duplicated_respondent_ids_are_dropped_and_counted(demo_files, tmp_path: Path) -> None:
    raw = pd.read_csv(demo_files.survey, dtype=str, keep_default_na=False)
    doubled = pd.concat([raw, raw.head(5)], ignore_index=True)
    path = tmp_path / "sondage_double.csv"
    doubled.to_csv(path, index=False)
    result = get_reader("survey-export").read(path, ReadContext())
    assert len(result.layers["survey_respondents"]) == len(raw)
    assert result.report.dropped == {"duplicated respondent id": 5}
    assert result.report.examples[0]["row"] == len(raw) + 2  # the first repeated line


def test_english_likert_and_coded_headers_with_text(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    pd.DataFrame({
        "Response ID": ["r1", "r2", "r3"],
        "Q1. I feel safe in my neighbourhood": ["Strongly agree", "Disagree", "Not sure"],
        "Q2. How much confidence do you have in the police?": [
            "A great deal of confidence", "Not very much confidence", "Prefer not to say"],
        "Q3. Comments": ["", "More patrols", ""],
        "weight": ["1", "2", "0"],
    }).to_csv(path, index=False)
    assert find_reader(path).id == "survey-export"
    layers, report = _read(path)
    questions = layers["survey_questions"].set_index("question_id")
    assert questions.loc["Q1", ["text", "theme", "scale"]].tolist() == [
        "I feel safe in my neighbourhood", SAFETY, "agreement"]
    assert questions.loc["Q2", ["theme", "scale"]].tolist() == [TRUST, "confidence"]
    codes = layers["survey_answers"].groupby("question_id")["answer_code"].apply(list)
    assert codes["Q1"][:2] == [4, 2] and codes["Q2"][:2] == [4, 2]
    assert layers["survey_respondents"]["weight"].fillna(-1).tolist() == [1.0, 2.0, -1]
    assert "1 non-positive weight(s) set to empty." in report.warnings


@pytest.mark.parametrize(("text", "theme"), [
    ("Dans l'ensemble, avez-vous confiance au SPVM?", TRUST),
    ("Êtes-vous satisfait du travail des policiers?", "satisfaction"),
    ("Quelles devraient être les priorités du poste?", PRIORITIES),
    ("Have you been a victim of a break-in?", "victimisation"),
    ("Do you feel safe walking alone at night?", SAFETY),
    ("Avez-vous d'autres commentaires?", None),
])
def test_themes_are_guessed_from_french_and_english_wording(text: str, theme: str) -> None:
    assert guess_theme(text) == theme


# --- Area-level score tables ---------------------------------------------------------------

def test_wide_score_table(tmp_path: Path) -> None:
    path = tmp_path / "resultats_par_pdq.csv"
    path.write_text(
        "PDQ;Année;Nom;Sentiment de sécurité;Confiance envers la police;Satisfaction;n\n"
        "PDQ 38;2023;Plateau;72,5 %;80;x;150\n"
        "4;2023;Centre-Sud;65;;70,0;98\n"
        ";2023;Total;1;2;3;4\n", encoding="utf-8")
    assert find_reader(path).id == "survey-scores"
    layers, report = _read(path)
    scores = layers["survey_scores"]
    assert scores[["area_id", "period", "theme", "score", "n"]].values.tolist() == [
        ["38", "2023", SAFETY, 72.5, 150], ["4", "2023", SAFETY, 65.0, 98],
        ["38", "2023", TRUST, 80.0, 150], ["4", "2023", "satisfaction", 70.0, 98]]
    assert (scores["area_level"] == "station").all() and scores["subgroup"].isna().all()
    assert report.dropped == {"no area": 3, "no score (empty or suppressed)": 2}
    assert report.rows_read == 9 and report.rows_kept == 4  # score cells
    assert report.warnings[0] == "columns without scores, not imported: Nom"


def test_wide_score_table_with_subgroups_and_their_n(tmp_path: Path) -> None:
    path = tmp_path / "securite_par_rta.csv"
    pd.DataFrame({
        "RTA": ["h2x", "H2J"], "Période": ["2024-T1", "2024-T1"],
        "Sécurité le jour - femmes": ["81", "77"], "Sécurité le soir - femmes": ["51", "45"],
        "Sécurité le jour - hommes": ["88", "85"], "Sécurité le soir - hommes": ["70", "66"],
        "n - femmes": ["120", "80"], "n - hommes": ["90", "70"],
    }).to_csv(path, index=False)
    assert find_reader(path).id == "survey-scores"
    scores = _read(path)[0]["survey_scores"]
    assert set(scores["area_id"]) == {"H2X", "H2J"} and (scores["area_level"] == "fsa").all()
    # Day and night would both be SAFETY: the published labels are kept apart instead.
    assert set(scores["theme"]) == {"Sécurité le jour", "Sécurité le soir"}
    women = scores.loc[(scores["subgroup"] == "femmes") & (scores["area_id"] == "H2X")]
    assert women["n"].tolist() == [120, 120] and women["score"].tolist() == [81.0, 51.0]


def test_long_score_table_in_a_workbook(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "scores_arrondissements.xlsx", [
        ["Arrondissement", "Période", "Thème", "Sous-groupe", "Score", "N"],
        ["Ville-Marie", 2022, "Confiance", None, 3.4, 400],
        ["Ville-Marie", 2022, "Confiance", "65 ans et plus", 3.7, 90],
        ["Verdun", 2022, "Sentiment de sécurité", None, "F", 12],
        ["Verdun", 2022, "Sentiment de sécurité", None, 3.1, 300],
    ])
    assert find_reader(path).id == "survey-scores"
    layers, report = _read(path, options={"survey_id": "sondage-2022"})
    scores = layers["survey_scores"]
    assert scores[["area_id", "period", "theme", "subgroup", "score", "n"]].fillna("-") \
        .values.tolist() == [
        ["ville-marie", "2022", TRUST, "-", 3.4, 400],  # the boundaries' key (area_key)
        ["ville-marie", "2022", TRUST, "65 ans et plus", 3.7, 90],
        ["verdun", "2022", SAFETY, "-", 3.1, 300]]
    assert (scores["survey_id"] == "sondage-2022").all()
    assert (scores["area_level"] == "borough").all()
    assert report.dropped == {"no score (empty or suppressed)": 1}


# --- Which reader each file goes to --------------------------------------------------------

def test_no_survey_reader_claims_another_readers_file(demo_files, tmp_path: Path) -> None:
    survey_like = {"survey-export", "survey-scores"}
    for path in (demo_files.services, demo_files.incidents, demo_files.census_profile):
        assert not {r.id for r in candidates(path)} & survey_like, path
    kobo = _kobo(tmp_path / "kobo.csv")
    assert "survey-scores" not in {r.id for r in candidates(kobo)}
    assert "service-inventory" not in {r.id for r in candidates(demo_files.survey)}
