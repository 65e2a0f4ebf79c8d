"""A survey of two waves in a brief: favourable answers and the change since the previous
wave are two tables, and the section's sentences rank favourable answers only (Kansas City's
two waves put "change since the previous wave" rows among the least favourable answers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data_connectors.importer import import_files
from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from portrait.engine import build_portrait, prepare
from portrait.workspace import Workspace

PERIOD = (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
MAPPING = {"respondent_id": "id", "sector": "district", "scale": "1-5", "dont_know": "9",
           "area_stations": "district_stations.csv"}


def _wave(path: Path, rng: np.random.Generator, favourable: float, n: int) -> Path:
    """Respondents of two districts answering q2_06 on a 1-5 scale (9: don't know)."""
    other = (1 - favourable) / 3
    pd.DataFrame({
        "id": [f"{path.stem}-{i}" for i in range(n)],
        "district": rng.integers(1, 3, n),
        "q2_06": rng.choice([1, 2, 3, 4, 5, 9], n, p=[other, other, other - 0.05,
                                                       favourable / 2, favourable / 2, 0.05]),
    }).to_csv(path, index=False)
    return path


def _share(path: Path, district: int) -> float:
    codes = pd.read_csv(path).query("district == @district")["q2_06"]
    return 100 * float(codes[codes.between(1, 5)].ge(4).mean())


def _workspace(tmp_path: Path, earlier_n: int = 400) -> tuple[Workspace, Path, Path]:
    workspace = Workspace.create(tmp_path / "two_waves.gpkg", crs="EPSG:26915")
    districts = gpd.GeoDataFrame(
        {"station_id": ["D1", "D2"], "name": ["District 1", "District 2"]},
        geometry=[shapely.box(360_000 + 5_000 * i, 4_320_000, 365_000 + 5_000 * i,
                              4_325_000) for i in range(2)], crs="EPSG:26915")
    boundaries = tmp_path / "districts.geojson"
    districts.to_crs("EPSG:4326").to_file(boundaries)
    import_files(workspace, [boundaries])
    (tmp_path / "district_stations.csv").write_text("district,station\n1,D1\n2,D2\n")
    rng = np.random.default_rng(7)
    earlier = _wave(tmp_path / "wave_2021.csv", rng, 0.4, earlier_n)
    latest = _wave(tmp_path / "wave_2022.csv", rng, 0.7, 400)
    import_files(workspace, [earlier, latest], reader_id="survey-export",
                 options={"mapping": MAPPING})
    return Workspace.open(workspace.path), earlier, latest


def _brief(workspace: Workspace, language: str = "en", survey_min_n: int = 30):
    data = prepare(workspace)
    portrait = build_portrait(data, "D1", PERIOD)
    return build_brief(portrait, data, BriefOptions(audience="partner", language=language,
                                                    survey_min_n=survey_min_n))


def test_the_change_since_the_previous_wave_is_its_own_table(tmp_path: Path) -> None:
    workspace, earlier, latest = _workspace(tmp_path)
    section = _brief(workspace).section("surveys")
    favourable = next(t for t in section.tables if t.id == "survey_favourable")
    assert [row[0] for row in favourable.rows] == ["q2_06"]
    assert favourable.rows[0][1] == pytest.approx(_share(latest, 1))
    change = next(t for t in section.tables if t.id == "survey_change")
    [row] = change.rows
    columns = [c.id for c in change.columns]
    assert row[0] == "q2_06"
    assert row[columns.index("previous")] == pytest.approx(_share(earlier, 1))
    assert row[columns.index("latest")] == pytest.approx(_share(latest, 1))
    assert row[columns.index("difference")] == pytest.approx(
        _share(latest, 1) - _share(earlier, 1))


def test_sentences_rank_favourable_answers_only(tmp_path: Path) -> None:
    workspace, _, _ = _workspace(tmp_path)
    for language, words in (("en", "previous wave"), ("fr", "vague précédente")):
        sentences = " ".join(_brief(workspace, language).section("surveys").sentences)
        # one question: nothing to rank it against (the change is not a second answer)
        assert sentences and words not in sentences
        assert "least" not in sentences and "moins favorable sur" not in sentences


def test_a_change_on_a_small_previous_wave_is_suppressed(tmp_path: Path) -> None:
    # about 40 answers in D1 in the earlier wave, 190 in the latest: the workspace's minimum
    # of 50 answers hides the change, not the latest wave's share
    workspace, _, _ = _workspace(tmp_path, earlier_n=80)
    brief = _brief(workspace, survey_min_n=50)
    change = next(t for t in brief.section("surveys").tables if t.id == "survey_change")
    assert all(cell is SUPPRESSED for cell in change.rows[0][1:5])
    favourable = next(t for t in brief.section("surveys").tables
                      if t.id == "survey_favourable")
    assert favourable.rows[0][1] is not SUPPRESSED
