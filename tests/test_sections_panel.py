"""The section navigator and its pages in the main window (pytest-qt, offscreen): figures
from the portrait of the chosen station and period, their info popups, readable failures,
cancel, and the record sections' contract."""

from __future__ import annotations

import datetime as dt
import threading
import time
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QWidget  # noqa: E402
from test_workflow import leftovers  # noqa: E402

from portrait import engine  # noqa: E402
from portrait.errors import CancelledError, PortraitError  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.chart_widget import _RENDERER, ChartWidget  # noqa: E402
from ui.figure_text import FigureText  # noqa: E402
from ui.figure_widgets import Cell, FigureTableModel, FigureTableWidget  # noqa: E402
from ui.info_popup import show_info  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.period import CUSTOM, PeriodChoice  # noqa: E402
from ui.section_page import SectionPageWidget  # noqa: E402
from ui.sections_panel import SECTION_IDS, SectionsPanel  # noqa: E402
from ui.strings import UiText  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TIMEOUT_MS = 30_000


@pytest.fixture
def open_window(qtbot, tmp_path: Path):
    made: list[MainWindow] = []
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def make(workspace: Workspace, language: str = "fr") -> MainWindow:
        window = MainWindow(workspace, language=language, settings=settings)
        made.append(window)
        window.resize(1300, 900)
        with qtbot.waitSignal(window.map_panel.loadFinished, timeout=TIMEOUT_MS):
            window.show()
        # the map may be up before the portrait (its period known from the station file)
        qtbot.waitUntil(lambda: window.current_portrait is not None, timeout=TIMEOUT_MS)
        return window

    yield make
    for window in made:
        window._close_confirmed = True
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def full_page(window: MainWindow, section_id: str) -> SectionPageWidget:
    page = window.sections_panel.page(section_id)
    assert isinstance(page, SectionPageWidget)
    page.finish()
    return page


def card_values(page: SectionPageWidget) -> dict[str, str]:
    return {card.item.id: card.value_label.text() for card in page.cards()}


def test_navigator_lists_the_nine_sections_in_both_languages(qtbot) -> None:
    panel = SectionsPanel(UiText("fr"))
    qtbot.addWidget(panel)
    names = [panel.navigator.item(i).text() for i in range(panel.navigator.count())]
    assert names == ["Population", "Criminalité et sécurité", "Services", "Sondages",
                     "Demande d'appels", "Problèmes (analyse de dysfonctionnement)",
                     "Partenaires et consultations", "Plan d'action",
                     "Meilleures pratiques"]
    panel.retranslate(UiText("en"))
    names = [panel.navigator.item(i).text() for i in range(panel.navigator.count())]
    assert names == ["Population", "Crime and safety", "Services", "Surveys", "Call demand",
                     "Problems (dysfunction analysis)", "Partners and consultations",
                     "Action plan", "Best practices"]


def test_record_sections_say_not_yet_available_until_a_panel_is_set(qtbot) -> None:
    panel = SectionsPanel(UiText("fr"))
    qtbot.addWidget(panel)
    page = panel.page("partners")
    assert isinstance(page, QLabel) and "pas encore disponible" in page.text()
    records = QWidget()
    panel.set_record_page("partners", records)
    with qtbot.waitSignal(panel.sectionChanged, timeout=1_000) as changed:
        panel.select_section("partners")
    assert changed.args == ["partners"] and panel.stack.currentWidget().isAncestorOf(records)
    panel.retranslate(UiText("en"))
    assert panel.page("partners") is records  # a set panel survives a language switch
    panel.set_record_page("partners", None)
    assert "not yet available" in panel.page("partners").text()
    with pytest.raises(KeyError):
        panel.set_record_page("population", records)


def test_station_and_period_choices_update_the_figures(qtbot, open_window,
                                                       small_workspace) -> None:
    window = open_window(small_workspace)
    portrait = window.current_portrait
    assert portrait is not None and portrait.station_id == "4"
    assert portrait.period == ("2024-01-01", "2024-12-31")  # last 12 months of the data
    assert "PDQ 4 · 1er janvier 2024 au 31 décembre 2024" == \
        window.sections_panel.header.text()
    assert window.map_panel.options.period == ("2024-01-01", "2024-12-31")
    fmt = FigureText(UiText("fr"))
    population = portrait.section("socio_economic").indicator("population").value
    population_page = full_page(window, "population")
    assert card_values(population_page)["population"] == fmt.number(population, 0)
    comparison = population_page.findChildren(FigureTableWidget)[-1].source_model
    strong = [[c.text for c in row] for row in comparison.rows if all(c.strong for c in row)]
    assert len(comparison.rows) == 2 and [row[:2] for row in strong] == [
        ["PDQ 4", fmt.number(population, 0)]]  # the station's own row stands out
    crime = full_page(window, "crime")
    assert card_values(crime)["incidents_total"] == "100"

    incidents = small_workspace.layer("incidents")
    dates = pd.to_datetime(incidents["date"])
    in_q1 = ((incidents["station_id"] == "38") & (dates >= "2024-01-01")
             & (dates <= "2024-03-31")).sum()
    with qtbot.waitSignal(window.portrait_runner.portraitReady, timeout=TIMEOUT_MS):
        window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    assert window.current_portrait.station_id == "38"
    with qtbot.waitSignal(window.portrait_runner.portraitReady, timeout=TIMEOUT_MS):
        window.period_selector.set_custom(dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert window.current_portrait.period == ("2024-01-01", "2024-03-31")
    assert card_values(full_page(window, "crime"))["incidents_total"] == str(in_q1)
    assert 0 < in_q1 < 100
    assert window.period_selector.choice() == PeriodChoice(CUSTOM, dt.date(2024, 1, 1),
                                                           dt.date(2024, 3, 31))
    qtbot.waitUntil(lambda: window.map_panel.options.period == ("2024-01-01", "2024-03-31"),
                    timeout=TIMEOUT_MS)


def test_info_popup_gives_definition_source_and_period(qtbot, open_window,
                                                       small_workspace) -> None:
    window = open_window(small_workspace)
    page = full_page(window, "crime")
    card = next(c for c in page.cards() if c.item.id == "incidents_total")
    qtbot.mouseClick(card.info_button, Qt.MouseButton.LeftButton)
    popup = card.popup
    assert popup is not None and popup.isVisible()
    text = popup.text()
    item = card.item
    assert item.definition_fr or item.definition
    assert (item.definition_fr or item.definition)[:40] in text
    assert item.source in text
    assert "1er janvier 2024 au 31 décembre 2024" in text
    assert "Définition" in text and "Source" in text and "Période" in text
    popup.close()


def test_an_info_popup_is_tall_enough_for_its_wrapped_lines(qtbot) -> None:
    anchor = QWidget()
    qtbot.addWidget(anchor)
    anchor.show()
    rows = [("Définition", "Incidents de la période, divisés par sa durée en années et par "
                           "la population recensée du poste."),
            ("Source", "spvm:actes-criminels.csv"),
            ("Période", "1er novembre 2025 au 31 octobre 2026"),
            ("Millésime", "données du 1er novembre 2022 au 31 octobre 2026"),
            ("Méthode", "Intervalle : intervalle de Poisson exact (Garwood) sur le nombre, "
                        "divisé par le dénominateur (personnes-années)"),
            ("Mises en garde", "• résidents comptés par le recensement ; les incidents "
                               "touchent aussi des travailleurs et des visiteurs, d'où des "
                               "taux élevés là où peu de gens habitent")]
    popup = show_info("Incidents par 1 000 résidents par an", rows, anchor)
    body = popup.body_label
    assert body.height() >= body.heightForWidth(body.width())
    popup.close()


def test_every_portrait_page_has_figures_charts_and_tables(qtbot, open_window,
                                                           small_workspace) -> None:
    window = open_window(small_workspace)
    ARTIFACTS.mkdir(exist_ok=True)
    panel = window.sections_panel
    for section_id in SECTION_IDS:
        panel.select_section(section_id)
        page = panel.page(section_id)
        if isinstance(page, SectionPageWidget):
            page.finish()
            if section_id == "surveys":  # the small workspace holds no survey
                texts = [label.text() for label in page.findChildren(QLabel)]
                assert "Rien à montrer : l'espace de travail ne contient aucune réponse de " \
                    "sondage." in texts
            elif section_id == "calls":  # nor calls for service (see test_call_demand_page)
                texts = [label.text() for label in page.findChildren(QLabel)]
                assert "Rien à montrer : l'espace de travail ne contient aucun appel de " \
                    "service." in texts
            else:
                charts = page.findChildren(ChartWidget)
                assert page.cards() and charts, section_id
                assert page.findChildren(FigureTableWidget), section_id
                qtbot.waitUntil(lambda charts=charts: any(
                    not c.visibleRegion().isEmpty() for c in charts), timeout=5_000)
                shown = [c for c in charts if not c.visibleRegion().isEmpty()]
                qtbot.waitUntil(lambda shown=shown: all(c.is_drawn() for c in shown),
                                timeout=10_000)  # drawn off the GUI thread, then shown
        qtbot.wait(100)
        assert window.grab().save(str(ARTIFACTS / f"window_section_{section_id}.png"))
    charts = full_page(window, "crime").findChildren(ChartWidget)
    assert any("Méfait" in chart.figure_text() for chart in charts)


def test_a_failing_build_shows_a_readable_message_and_the_map(qtbot, open_window,
                                                              small_workspace,
                                                              monkeypatch) -> None:
    window = open_window(small_workspace)

    def broken(*args, **kwargs):
        raise PortraitError("Le fichier des incidents est illisible.")

    monkeypatch.setattr(engine, "build_portrait", broken)
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=TIMEOUT_MS):
        window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    message = window.sections_panel.message
    assert message.isVisible() and message.text() == (
        "Le portrait n'a pas pu être préparé : Le fichier des incidents est illisible.")
    assert window.current_portrait is None and window.sections_panel.page("crime") is None

    monkeypatch.setattr(engine, "build_portrait",
                        lambda *a, **k: 1 / 0)  # a bug, not a data problem
    with qtbot.waitSignal(window.portrait_runner.portraitFailed, timeout=TIMEOUT_MS):
        window.period_selector.set_preset("last_full_year")
    assert "Erreur inattendue (ZeroDivisionError)" in message.text()


def test_an_inverted_custom_period_is_refused_in_words(qtbot, open_window,
                                                       small_workspace) -> None:
    window = open_window(small_workspace)
    with qtbot.waitSignal(window.portrait_runner.portraitFailed, timeout=TIMEOUT_MS):
        window.period_selector.set_custom(dt.date(2024, 6, 1), dt.date(2024, 2, 1))
    assert window.sections_panel.message.text() == (
        "Le portrait n'a pas pu être préparé : La période commence (1er juin 2024) après sa "
        "fin (1er février 2024) : choisissez une date de début antérieure à la date de fin.")


def test_a_long_build_keeps_the_window_responsive_and_can_be_cancelled(
        qtbot, open_window, small_workspace, monkeypatch) -> None:
    window = open_window(small_workspace)

    def slow(data, station_id, period, options, progress, is_cancelled):
        progress(0.25, "étape")
        while not is_cancelled():
            time.sleep(0.01)
        raise CancelledError("stopped")

    monkeypatch.setattr(engine, "build_portrait", slow)
    window.station_combo.setCurrentIndex(window.station_combo.findData("38"))
    qtbot.waitUntil(lambda: window.portrait_progress.value() == 25, timeout=TIMEOUT_MS)
    assert window.portrait_progress.isVisible() and window.cancel_portrait_button.isVisible()
    assert "Préparation du portrait de PDQ 38" in window.sections_panel.message.text()
    with qtbot.waitSignal(window.portrait_runner.portraitFailed, timeout=5_000):
        window.cancel_portrait_button.click()
    assert not window.portrait_progress.isVisible()
    assert "annulée" in window.sections_panel.message.text()


def test_french_sections_keep_no_english_after_a_language_switch(qtbot, open_window,
                                                                 small_workspace) -> None:
    window = open_window(small_workspace, language="en")
    for section_id in SECTION_IDS:
        window.sections_panel.page(section_id)
    assert window.sections_panel.navigator.item(1).text() == "Crime and safety"
    with qtbot.waitSignal(window.map_panel.loadFinished, timeout=TIMEOUT_MS):
        window.retranslate("fr")
    for section_id in SECTION_IDS:
        page = window.sections_panel.page(section_id)
        if isinstance(page, SectionPageWidget):
            page.finish()
    assert leftovers(window.sections_panel, "fr") == []
    assert leftovers(window, "fr") == []
    crime = full_page(window, "crime")
    headers = [table.model().headerData(0, Qt.Orientation.Horizontal) for table in
               crime.findChildren(FigureTableWidget)]
    assert "Catégorie" in headers and "Category" not in headers


def test_section_and_period_are_remembered(qtbot, open_window, small_workspace) -> None:
    window = open_window(small_workspace)
    window.sections_panel.select_section("services")
    with qtbot.waitSignal(window.portrait_runner.portraitReady, timeout=TIMEOUT_MS):
        window.period_selector.set_custom(dt.date(2024, 2, 1), dt.date(2024, 4, 30))
    again = open_window(small_workspace)
    assert again.sections_panel.current_section() == "services"
    assert again.current_portrait.period == ("2024-02-01", "2024-04-30")


def test_a_chart_closed_before_its_picture_arrives_is_skipped(qtbot) -> None:
    drawn: list[int] = []

    def draw(figure) -> None:
        drawn.append(1)
        figure.add_subplot().bar(["a", "b"], [1, 2])

    kept, closed = ChartWidget(draw, 120), ChartWidget(draw, 120)
    qtbot.addWidget(kept)
    for chart in (kept, closed):
        chart.resize(300, 120)
        chart.show()
    qtbot.waitUntil(lambda: len(drawn) == 2, timeout=5_000)  # both asked for a picture
    closed.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(kept.is_drawn, timeout=5_000)
    assert kept.image.width() == 300
    image = kept.grab().toImage()
    assert len({image.pixel(x, 60) for x in range(0, 300, 7)}) > 1  # bars, not a blank


def test_a_chart_closed_before_its_turn_is_not_drawn(qtbot) -> None:
    """Pages are rebuilt at every station switch: pictures queued for charts already gone
    are skipped instead of keeping the drawing thread busy."""
    drawn: list[str] = []

    def draw(name: str, figure) -> None:
        drawn.append(name)
        figure.add_subplot().bar(["a", "b"], [1, 2])

    busy, release = threading.Event(), threading.Event()
    _RENDERER.submit(lambda: busy.set() or release.wait(10))  # the drawing thread is busy
    assert busy.wait(5)
    kept = ChartWidget(partial(draw, "kept"), 120)
    closed = ChartWidget(partial(draw, "closed"), 120)
    qtbot.addWidget(kept)
    for chart in (kept, closed):
        chart.resize(300, 120)
        chart.show()
    qtbot.waitUntil(lambda: kept._wanted[0] == closed._wanted[0] == 1, timeout=5_000)
    closed.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    qtbot.waitUntil(kept.is_drawn, timeout=5_000)
    assert drawn == ["kept"]


def test_figure_tables_sort_numbers_as_numbers_text_by_language_and_missing_last(qtbot) -> None:
    rows = [[Cell("Fleury"), Cell("10", 10, number=True)],
            [Cell("École"), Cell("2,5", 2.5, number=True)],
            [Cell("écluse"), Cell("—", number=True)],
            [Cell("Ecole"), Cell("2", 2, number=True)]]
    table = FigureTableWidget(FigureTableModel(["Lieu", "Valeur"], rows))
    qtbot.addWidget(table)
    model = table.model()

    def column(number: int) -> list[str]:
        return [model.index(row, number).data() for row in range(model.rowCount())]

    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert column(1) == ["2", "2,5", "10", "—"]
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = column(0)  # case and accents aside: "École" is not sent after "Fleury"
    assert names[0] == "écluse" and set(names[1:3]) == {"École", "Ecole"}
    assert names[-1] == "Fleury"
    assert table.payload(0) is None
