"""Workspaces with census areas but no (or only some) census values, services of unmapped
types and survey scores without respondent counts: sections say what is missing, and the
report, every brief format and the map are written without a crash (issue 17)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.main import main
from exports.map_text import map_text
from portrait.engine import build_portrait
from portrait.wording import in_language, is_known
from portrait.workspace import Workspace

#: How each workspace variant keeps (part of) the hand-made census values.
VARIANTS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "no values": lambda values: values.iloc[0:0],
    "population only": lambda values: values[values["indicator_id"] == "population"],
    "no population": lambda values: values[values["indicator_id"] != "population"],
    "income only": lambda values: values[values["indicator_id"].isin(
        ["low_income", "low_income_base"])],
}


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import build_small_workspace

    return build_small_workspace(tmp_path_factory.mktemp("census") / "small.gpkg").path


def _variant(small_file: Path, folder: Path, keep: Callable[[pd.DataFrame], pd.DataFrame]
             ) -> Workspace:
    copy = folder / "workspace.gpkg"
    shutil.copyfile(small_file, copy)
    workspace = Workspace.open(copy)
    workspace.set_layer("census_values", keep(workspace.layer("census_values")))
    workspace.save()
    return workspace


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_report_and_briefs_of_a_workspace_with_missing_census_values(
        small_file: Path, tmp_path: Path, variant: str) -> None:
    workspace = _variant(small_file, tmp_path, VARIANTS[variant])
    out = tmp_path / "report.json"
    assert main(["report", str(workspace.path), "--station", "38", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["station_id"] == "38"
    for audience in ("partner", "internal"):
        folder = tmp_path / audience
        assert main(["brief", str(workspace.path), "--station", "38", "--out", str(folder),
                     "--audience", audience, "--format", "pdf,xlsx,html"]) == 0
        assert {p.suffix for p in folder.iterdir()} == {".pdf", ".xlsx", ".html"}


def test_areas_without_values_say_what_is_missing(small_file: Path, tmp_path: Path) -> None:
    workspace = _variant(small_file, tmp_path, VARIANTS["no values"])
    services = build_portrait(workspace, "38").section("services")
    figures = {i.id: i for i in services.indicators}
    gaps = figures["high_need_areas_with_gaps"]
    assert gaps.value is None and "low-income" in gaps.reason
    assert is_known(gaps.reason) and "faible revenu" in in_language(gaps.reason, "fr")
    coverage = [i for i in services.indicators if i.id.startswith("coverage_")]
    assert coverage and all(i.value is None and i.reason for i in coverage)


def test_income_values_still_find_gaps(small_file: Path, tmp_path: Path) -> None:
    """The full census gives a number (possibly zero), not a reason."""
    workspace = _variant(small_file, tmp_path, lambda values: values)
    gaps = {i.id: i for i in build_portrait(workspace, "38").section("services").indicators}[
        "high_need_areas_with_gaps"]
    assert gaps.reason is None and gaps.value is not None


def test_html_brief_with_untyped_services_and_scores_without_n(small_file: Path,
                                                                tmp_path: Path) -> None:
    workspace = _variant(small_file, tmp_path, lambda values: values)
    services = workspace.layer("services")
    services["service_type"] = pd.Series([None] * len(services), dtype="string")
    workspace.set_layer("services", services)
    areas = workspace.layer("census_areas")
    workspace.set_layer("survey_scores", pd.DataFrame({
        "area_id": areas["area_id"], "theme": "Sentiment de sécurité",
        "score": np.linspace(50, 80, len(areas)), "period": "2024"}))
    workspace.save()
    folder = tmp_path / "html"
    for language, words in (("fr", "nombre de répondants non publié"),
                            ("en", "number of respondents not published")):
        assert main(["brief", str(workspace.path), "--station", "38", "--out", str(folder),
                     "--audience", "internal", "--format", "html", "--lang", language]) == 0
        page = next(folder.glob(f"*-{language}.html")).read_text(encoding="utf-8")
        assert json.dumps(words)[1:-1] in page  # the map's data is JSON, accents escaped
        assert json.dumps(map_text("no_type", language))[1:-1] in page


def test_the_window_shows_a_workspace_with_areas_and_no_values(qtbot, small_file: Path,
                                                              tmp_path: Path) -> None:
    """The app used to crash building the portrait; now the map loads and every section is
    shown (an exception in a slot would fail this test through pytest-qt)."""
    from PySide6.QtCore import QEvent, QStandardPaths
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    workspace = _variant(small_file, tmp_path, VARIANTS["no values"])
    window = MainWindow(workspace, language="fr")
    try:
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=60_000) as load:
            window.show()
        assert load.args == [True]
        qtbot.waitUntil(lambda: window.current_portrait is not None, timeout=60_000)
        services = window.current_portrait.section("services")
        assert services.indicator("high_need_areas_with_gaps").reason
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MONTREAL = SHARED / "montreal"


@pytest.mark.shared_data
@pytest.mark.skipif(not MONTREAL.is_dir(), reason="../shared/data is not present")
def test_real_stations_areas_and_services_with_missing_census_values(tmp_path: Path) -> None:
    """Real SPVM boundaries, the island's 3,219 dissemination areas and the city's "Lieux
    d'intérêt" (PROVENANCE.md), with no census values, then with the population only."""
    import geopandas as gpd

    from data_connectors.base import ReadContext
    from data_connectors.registry import get_reader
    from exports.brief_build import build_brief
    from exports.brief_model import BriefOptions
    from portrait.crs import METRIC_CRS
    from portrait.engine import prepare

    boundaries = gpd.read_file(MONTREAL / "limites_pdq_mtm8_epsg32188.geojson")
    areas = gpd.read_file(MONTREAL / "ad_2021_ile_de_montreal.geojson").to_crs(METRIC_CRS)
    services = get_reader("lieux-interet").read(MONTREAL / "lieux_interet.geojson",
                                                ReadContext()).layers["services"]
    workspace = Workspace.create(tmp_path / "montreal.gpkg", title="Montréal")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": boundaries["PDQ"].astype(int).astype(str)},
        geometry=boundaries.geometry.make_valid().values, crs=METRIC_CRS))  # as the reader
    workspace.set_layer("census_areas", gpd.GeoDataFrame(
        {"area_id": areas["id"].astype(str), "level": "DA", "census_year": 2021},
        geometry=areas.geometry.make_valid().values, crs=METRIC_CRS))
    workspace.set_layer("services", services)
    population = pd.DataFrame({"area_id": areas["id"].astype(str), "indicator_id": "population",
                               "value": areas["population"].astype(float),
                               "census_year": 2021, "source": "Statistique Canada"})
    for values in (population.iloc[0:0], population):
        workspace.set_layer("census_values", values)
        data = prepare(workspace)
        portrait = build_portrait(data, "38")
        figures = {i.id: i for i in portrait.section("services").indicators}
        assert figures["high_need_areas_with_gaps"].value is None
        assert is_known(figures["high_need_areas_with_gaps"].reason)
        coverage = [i for i in figures.values() if i.id.startswith("coverage_")]
        if values.empty:
            assert all(i.value is None for i in coverage)
        else:
            assert all(i.value is not None for i in coverage)
        for audience in ("partner", "internal"):
            assert build_brief(portrait, data, BriefOptions(audience=audience)).sections
