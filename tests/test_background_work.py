"""How the window's background work takes turns (pytest-qt, offscreen): the map page before
the portrait on one thread, stale map requests skipped, charts after the work the officer
waits for, and the prepared workspace kept out of the garbage collector's full passes."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import ui.chart_widget  # noqa: E402
import ui.map_view  # noqa: E402
from exports.web_map import MapOptions  # noqa: E402
from portrait import engine  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.chart_widget import ChartWidget  # noqa: E402
from ui.foreground_work import ForegroundWork  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.map_view import MapPanel  # noqa: E402
from ui.period import PeriodChoice  # noqa: E402
from ui.portrait_runner import PortraitRunner  # noqa: E402
from ui.worker import QtJobRunner  # noqa: E402

TIMEOUT_MS = 30_000


def test_foreground_work_is_idle_once_every_job_ended_or_was_cancelled() -> None:
    work = ForegroundWork()
    assert work.wait_until_idle(0)
    running, queued = Future(), Future()
    work.track(running)
    work.track(queued)
    assert not work.wait_until_idle(0.01)
    queued.cancel()
    assert not work.wait_until_idle(0.01)
    threading.Timer(0.05, running.set_result, [None]).start()
    assert work.wait_until_idle(5)


def test_a_chart_waits_for_the_window_jobs_then_is_drawn(qtbot) -> None:
    pytest.importorskip("matplotlib.backends.backend_agg")  # loaded: a chart takes < 0.5 s
    jobs = QtJobRunner()
    started, release = threading.Event(), threading.Event()
    ended: list[object] = []
    jobs.start(lambda: started.set() or release.wait(10), ended.append, ended.append)
    assert started.wait(5)
    drawn: list[bool] = []

    def draw(figure) -> None:
        drawn.append(True)
        figure.add_subplot().bar(["a", "b"], [1, 2])

    chart = ChartWidget(draw, 120)
    qtbot.addWidget(chart)
    chart.resize(300, 120)
    chart.show()
    qtbot.waitUntil(lambda: chart._wanted[0] == 1, timeout=5_000)  # asked for
    qtbot.wait(500)
    assert not drawn  # the job the officer waits for goes first
    release.set()
    qtbot.waitUntil(chart.is_drawn, timeout=10_000)
    assert ended == [True]
    jobs.shut_down()


def test_a_stale_chart_gives_the_drawing_thread_up_while_the_jobs_run(qtbot,
                                                                       monkeypatch) -> None:
    """Pages are rebuilt at every switch: a chart closed while it waited for the window's
    jobs must not keep the next one waiting for its own time limit."""
    pytest.importorskip("matplotlib.backends.backend_agg")
    monkeypatch.setattr(ui.chart_widget, "FOREGROUND_WAIT_S", 1.0)
    jobs = QtJobRunner()
    started, release = threading.Event(), threading.Event()
    jobs.start(lambda: started.set() or release.wait(20), lambda _: None, lambda _: None)
    assert started.wait(5)
    try:
        closed = ChartWidget(lambda figure: figure.add_subplot(), 120)
        closed.resize(300, 120)
        closed.show()
        qtbot.waitUntil(lambda: closed._wanted[0] == 1, timeout=5_000)
        closed.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        asked = time.monotonic()
        kept = ChartWidget(lambda figure: figure.add_subplot().bar(["a"], [1]), 120)
        qtbot.addWidget(kept)
        kept.resize(300, 120)
        kept.show()
        qtbot.waitUntil(kept.is_drawn, timeout=10_000)
        assert time.monotonic() - asked < 1.8  # its own 1 s, not the closed chart's as well
    finally:
        release.set()
        jobs.shut_down()


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str, str]]:
    """(what, station, thread) for every map page written and portrait built."""
    made: list[tuple[str, str, str]] = []
    write_map, build = ui.map_view.write_station_map, engine.build_portrait

    def writing_map(workspace, options, path, portrait=None):
        made.append(("map", options.station_id, threading.current_thread().name))
        return write_map(workspace, options, path, portrait)

    def building(data, station_id, *args, **kwargs):
        made.append(("portrait", station_id, threading.current_thread().name))
        return build(data, station_id, *args, **kwargs)

    monkeypatch.setattr(ui.map_view, "write_station_map", writing_map)
    monkeypatch.setattr(engine, "build_portrait", building)
    return made


@pytest.fixture
def window(qtbot, small_workspace: Workspace):
    """The main window on the small workspace, its first portrait and map shown."""
    shown = MainWindow(small_workspace, language="fr")
    shown.show()
    qtbot.waitUntil(lambda: shown.current_portrait is not None
                    and not shown.map_panel.is_building(), timeout=TIMEOUT_MS)
    yield shown
    shown.close()
    shown.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def switch_to_another_station(window: MainWindow) -> str:
    combo = window.station_combo
    other = next(combo.itemData(i) for i in range(combo.count())
                 if combo.itemData(i) != combo.currentData())
    combo.setCurrentIndex(combo.findData(other))
    return other


def shows(window: MainWindow, station_id: str) -> bool:
    """The window shows ``station_id``'s portrait and its finished map."""
    return (window.current_portrait.station_id == station_id
            and not window.map_panel.is_building())


def test_a_switch_builds_the_map_then_the_portrait_on_one_thread(
        qtbot, window: MainWindow, calls: list) -> None:
    """Then the new section page is laid out before the map's hot spots are asked for: the
    two would otherwise take turns for the interpreter lock."""
    add_portrait = window.map_panel.add_portrait

    def adding_hot_spots(portrait):
        shown = window.sections_panel.portrait
        calls.append(("hot spots", portrait.station_id, shown and shown.station_id))
        add_portrait(portrait)

    window.map_panel.add_portrait = adding_hot_spots
    calls.clear()
    other = switch_to_another_station(window)
    qtbot.waitUntil(lambda: shows(window, other), timeout=TIMEOUT_MS)
    assert [(what, station) for what, station, _ in calls] == [
        ("map", other), ("portrait", other), ("hot spots", other)]
    assert calls[0][2] == calls[1][2] != threading.current_thread().name
    assert calls[2][2] == other  # the page showed the new portrait already


def test_a_map_asked_for_while_another_waited_replaces_it_unbuilt(
        qtbot, small_workspace: Workspace, calls: list) -> None:
    """Officers click through stations faster than maps are built: a request still waiting
    for the thread when the next one comes is skipped."""
    executor = ThreadPoolExecutor(max_workers=1)
    panel = MapPanel(executor=executor)
    qtbot.addWidget(panel)
    started, release = threading.Event(), threading.Event()
    executor.submit(lambda: started.set() or release.wait(10))  # the thread is busy
    assert started.wait(5)
    first, second = (row["station_id"] for _, row in
                     small_workspace.layer("stations").head(2).iterrows())
    loads: list[bool] = []
    panel.loadFinished.connect(loads.append)
    panel.show_station(small_workspace, MapOptions(first))
    panel.show_station(small_workspace, MapOptions(second))
    release.set()
    qtbot.waitUntil(lambda: bool(loads), timeout=TIMEOUT_MS)
    assert [(what, station) for what, station, _ in calls] == [("map", second)]
    assert loads == [True] and panel.shown_station() == second
    assert [path.name for path in Path(panel._pages.name).iterdir()] == [
        Path(panel.view.url().toLocalFile()).name]
    panel.shut_down()


def test_prepared_layers_are_kept_from_the_collector_and_freed_once_replaced(
        qtbot, small_workspace: Workspace) -> None:
    runner = PortraitRunner()
    station = str(small_workspace.layer("stations")["station_id"].iloc[0])
    try:
        with qtbot.waitSignal(runner.portraitReady, timeout=TIMEOUT_MS):
            runner.request(small_workspace, station, PeriodChoice())
        prepared = runner._data[1]
        tracked = gc.get_objects()
        assert not any(item is prepared for item in tracked)  # frozen: not walked
        del tracked
        gone = weakref.ref(prepared)
        del prepared
        small_workspace.set_layer("incidents", small_workspace.layer("incidents").copy())
        runner.invalidate()  # as after an import
        with qtbot.waitSignal(runner.portraitReady, timeout=TIMEOUT_MS):
            runner.request(small_workspace, station, PeriodChoice())
        assert gone() is None  # frozen, yet freed once replaced
    finally:
        runner.shut_down()
        gc.unfreeze()


def test_another_indicator_while_a_station_builds_draws_no_other_station_hot_spots(
        qtbot, window: MainWindow, monkeypatch) -> None:
    maps: list[tuple[str, str | None]] = []
    write_map = ui.map_view.write_station_map

    def writing_map(workspace, options, path, portrait=None):
        maps.append((options.station_id, portrait and portrait.station_id))
        return write_map(workspace, options, path, portrait)

    monkeypatch.setattr(ui.map_view, "write_station_map", writing_map)
    started, release = threading.Event(), threading.Event()
    window.portrait_runner._executor.submit(lambda: started.set() or release.wait(10))
    assert started.wait(5)  # the station's thread is busy: its portrait will wait
    other = switch_to_another_station(window)
    indicators = window.indicator_combo
    indicators.setCurrentIndex((indicators.currentIndex() + 1) % indicators.count())
    release.set()
    qtbot.waitUntil(lambda: shows(window, other), timeout=TIMEOUT_MS)
    assert maps and all(hot_spots in (None, other) for _, hot_spots in maps)
