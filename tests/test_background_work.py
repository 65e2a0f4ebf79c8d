"""How the window's background work takes turns (pytest-qt, offscreen): charts after the
work the officer waits for."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")


from ui.chart_widget import ChartWidget  # noqa: E402
from ui.foreground_work import ForegroundWork  # noqa: E402
from ui.worker import QtJobRunner  # noqa: E402


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
