"""Respondent-level surveys answered in numeric codes ("1 to 5, 9 = don't know"), placed in
stations through an area -> station table, as another city's survey is published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data_connectors.base import ReaderError
from data_connectors.importer import import_files
from portrait.engine import build_portrait
from portrait.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "kansas_city"
WAVES = ("kcmo_resident_survey_2021Q3_FY2022.csv", "kcmo_resident_survey_2022Q1_mar2022.csv")
PERIOD = (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
SAFETY = "q1_*, q2_*, q3_*, q5_*"


def _district_workspace(path: Path) -> Workspace:
    """Six council districts as stations (squares in UTM zone 15N), like Kansas City's."""
    workspace = Workspace.create(path, crs="EPSG:26915")
    districts = gpd.GeoDataFrame(
        {"station_id": [f"D{i}" for i in range(1, 7)],
         "name": [f"District {i}" for i in range(1, 7)]},
        geometry=[shapely.box(360_000 + 5_000 * i, 4_320_000, 365_000 + 5_000 * i, 4_325_000)
                  for i in range(6)], crs="EPSG:26915")
    boundaries = path.with_name("districts.geojson")
    districts.to_crs("EPSG:4326").to_file(boundaries)
    import_files(workspace, [boundaries])
    table = path.with_name("district_stations.csv")
    table.write_text("district,station\n" + "".join(f"{i},D{i}\n" for i in range(1, 7)))
    return workspace


def _mapping(**extra: str) -> dict:
    return {"respondent_id": "id", "sector": "counci", "scale": "1-5", "dont_know": "9",
            "area_stations": "district_stations.csv", **extra}


def _survey(path: Path, rng: np.random.Generator, n: int = 300) -> Path:
    frame = pd.DataFrame({
        "id": [f"R{i}" for i in range(n)],
        "counci": rng.integers(1, 7, n),
        "q2_06": rng.choice([1, 2, 3, 4, 5, 9], n, p=[.1, .1, .2, .3, .2, .1]),
        "q5_01": rng.choice([1, 2, 3, 4, 5, 9], n),
        "q31_02": rng.choice([1, 2], n),  # yes / no: not on the scale
        "zip": rng.choice(["64108", "64111", "64130"], n),
    })
    frame.to_csv(path, index=False)
    return path


def _favourable(frame: pd.DataFrame, question: str, district: int) -> float:
    codes = frame.loc[frame["counci"] == district, question]
    substantive = codes[codes.between(1, 5)]
    return 100 * float((substantive >= 4).mean())


def _section(workspace: Workspace, station: str):
    portrait = build_portrait(Workspace.open(workspace.path), station, PERIOD)
    return next(s for s in portrait.sections if s.id == "surveys")


def test_codes_on_a_declared_scale_give_favourable_shares(tmp_path: Path) -> None:
    workspace = _district_workspace(tmp_path / "kc.gpkg")
    survey = _survey(tmp_path / "survey.csv", np.random.default_rng(3))
    [report] = import_files(workspace, [survey], reader_id="survey-export",
                            options={"mapping": _mapping(scale_questions="q2_*, q5_*")})
    assert report.flagged["station found from the respondent's area code (area -> station "
                          "table)"] == 300
    answers = Workspace.open(workspace.path).layer("survey_answers")
    q206 = answers[answers["question_id"] == "q2_06"]
    # 9 is "don't know": kept apart, never a position (never a middle answer)
    assert set(q206.loc[q206["answer_code"].isna(), "answer"]) == {"don't know"}
    assert set(answers.loc[answers["question_id"] == "q31_02", "answer_code"].dropna()) == set()
    frame = pd.read_csv(survey)
    values = {i.id: i for i in _section(workspace, "D4").indicators}
    for question in ("q2_06", "q5_01"):
        found = values[f"survey_{question}_favourable"]
        assert found.value == pytest.approx(_favourable(frame, question, 4))
        # 4 and 5 of 5 are favourable; the middle answer 3 is not
        assert "two most favourable" in found.definition
        assert found.interval.low < found.value < found.interval.high
    assert "survey_q31_02_favourable" not in values


def test_a_scale_whose_favourable_end_is_low_reverses_the_positions(tmp_path: Path) -> None:
    workspace = _district_workspace(tmp_path / "kc.gpkg")
    survey = _survey(tmp_path / "survey.csv", np.random.default_rng(5))
    import_files(workspace, [survey], reader_id="survey-export",
                 options={"mapping": _mapping(scale_questions="q2_06", favourable="low")})
    frame = pd.read_csv(survey)
    codes = frame.loc[frame["counci"] == 2, "q2_06"]
    expected = 100 * float(codes[codes.between(1, 5)].le(2).mean())
    values = {i.id: i for i in _section(workspace, "D2").indicators}
    assert values["survey_q2_06_favourable"].value == pytest.approx(expected)


@pytest.mark.parametrize("extra,message", [
    ({"scale": "5-1"}, "is not a range of codes"),
    ({"dont_know": "3"}, "both on the scale 1-5"),
    ({"dont_know": "nine"}, "are not whole numbers"),
    ({"favourable": "up"}, "is not high or low"),
    ({"scale": "", "dont_know": "9"}, "without a scale"),
])
def test_a_scale_that_cannot_be_read_is_refused(tmp_path: Path, extra: dict,
                                                message: str) -> None:
    workspace = _district_workspace(tmp_path / "kc.gpkg")
    survey = _survey(tmp_path / "survey.csv", np.random.default_rng(1))
    mapping = {k: v for k, v in _mapping(**extra).items() if v != ""}
    with pytest.raises(ReaderError, match=message) as error:
        import_files(workspace, [survey], reader_id="survey-export",
                     options={"mapping": mapping})
    assert "survey.csv" in str(error.value)


def test_areas_missing_from_the_table_are_counted(tmp_path: Path) -> None:
    workspace = _district_workspace(tmp_path / "kc.gpkg")
    (tmp_path / "district_stations.csv").write_text("district,station\n1,D1\n2,D2\n")
    survey = _survey(tmp_path / "survey.csv", np.random.default_rng(2))
    [report] = import_files(workspace, [survey], reader_id="survey-export",
                            options={"mapping": _mapping()})
    frame = pd.read_csv(survey)
    placed = int(frame["counci"].isin([1, 2]).sum())
    assert report.flagged["station found from the respondent's area code (area -> station "
                          "table)"] == placed
    assert report.flagged["area code missing from the area -> station table (kept, no "
                          "station)"] == 300 - placed


@pytest.mark.shared_data
@pytest.mark.skipif(not (SHARED / WAVES[0]).is_file(), reason="../shared/data is not present")
def test_kansas_city_two_waves_read_as_published(tmp_path: Path) -> None:
    workspace = _district_workspace(tmp_path / "kc.gpkg")
    mapping = _mapping(scale_questions=SAFETY,
                       question_labels=str(SHARED / "question_labels.txt"),
                       area_stations=str(tmp_path / "district_stations.csv"))
    reports = import_files(workspace, [SHARED / name for name in WAVES],
                           reader_id="survey-export", options={"mapping": mapping})
    assert [r.rows_kept for r in reports] == [1_033, 984]
    latest = pd.read_csv(SHARED / WAVES[1], usecols=["counci", "q2_06", "q3_01", "q5_01"])
    section = _section(workspace, "D4")
    values = {i.id: i for i in section.indicators}
    for question in ("q2_06", "q3_01", "q5_01"):
        assert values[f"survey_{question}_favourable"].value == pytest.approx(
            _favourable(latest, question, 4))
    assert values["survey_q2_06_favourable"].label_en == \
        "q2_06 How safe you feel in your neighborhood"
    # the change since the first wave is tested, not a bare difference
    change = values["survey_q2_06_change"]
    earlier = pd.read_csv(SHARED / WAVES[0], usecols=["counci", "q2_06"])
    assert change.value == pytest.approx(_favourable(latest, "q2_06", 4)
                                         - _favourable(earlier, "q2_06", 4))
    assert change.test is not None and 0 <= change.test.p_value <= 1
