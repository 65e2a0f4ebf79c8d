"""A matplotlib chart drawn off the GUI thread and shown as a picture.

Drawing one chart takes matplotlib 100 to 300 ms, and longer while a portrait or a map is
being built on another thread: drawn in the window's thread, a page of charts would freeze
the window for a second. Charts are therefore drawn with the Agg backend on one background
thread (matplotlib is never used from two threads at once) at the widget's width, and the
picture is painted when it arrives. Only a chart scrolled into view is drawn, and again
when its width changes, newest picture first, once the window's jobs (portrait, map page,
saves, imports) are done (``ui.foreground_work``).
"""

from __future__ import annotations

import functools
import logging
import sys
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRect, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.foreground_work import FOREGROUND

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

DPI = 100
#: Wait for the layout to settle before drawing at a new width.
DRAW_DELAY_MS = 60
#: The longest a chart waits for the window's jobs before it is drawn anyway, and how often
#: it checks meanwhile whether it is still wanted (a stale one gives the thread up).
FOREGROUND_WAIT_S = 10.0
STALE_CHECK_S = 0.1
_RENDERER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart-render")


class _Relay(QObject):
    """Carries finished pictures back to the GUI thread. One relay lives as long as the
    application, so a picture finished after its chart was closed is simply dropped there
    (``shiboken6.isValid``) instead of being sent to a deleted object from the worker."""

    done = Signal(object, int, object)
    failed = Signal(object)

    @Slot(object, int, object)
    def deliver(self, chart: weakref.ref, number: int, image: QImage) -> None:
        widget = chart()
        if widget is not None and shiboken6.isValid(widget):
            widget.show_image(number, image)

    @Slot(object)
    def report(self, error: BaseException) -> None:
        """A chart that could not be drawn is a bug: raised again on the GUI thread, where
        the application's hook shows it and logs it (``ui.error_log``), instead of leaving
        a blank area nobody hears about."""
        sys.excepthook(type(error), error, error.__traceback__)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay(QCoreApplication.instance())
        _relay.done.connect(_relay.deliver)
        _relay.failed.connect(_relay.report)
    return _relay


class ChartWidget(QWidget):
    """The chart ``draw(figure)`` draws, ``height`` pixels tall and as wide as the page.

    Margins are fixed in pixels (``left`` fits the longest tick label) instead of
    matplotlib's constrained layout, which doubles the drawing time.
    """

    def __init__(self, draw: Callable[[Figure], None], height: int = 240, left: int = 48,
                 bottom: int = 40, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chart")
        self.draw = draw
        self.margins = (left, bottom, 14, 10)  # left, bottom, right, top in pixels
        self.image: QImage | None = None
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        #: The number of the newest picture asked for, in a list the drawing thread reads
        #: (-1 once the chart is gone): a picture nobody will see is not drawn (pages are
        #: rebuilt at every switch).
        self._wanted = [0]
        self.destroyed.connect(functools.partial(_gone, self._wanted))
        self._asked_width = -1
        self._relay = _the_relay()
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(DRAW_DELAY_MS)
        self._draw_timer.timeout.connect(self._render)

    def figure(self) -> Figure:
        """The chart as a matplotlib figure of the widget's size."""
        return _figure(self.draw, self.margins, self.width(), self.height())

    def figure_text(self) -> list[str]:
        """Every text of the chart (titles, tick labels, legends), for tests."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure = self.figure()
        FigureCanvasAgg(figure).draw()
        return [t.get_text() for t in figure.findobj(
            lambda artist: hasattr(artist, "get_text")) if t.get_text()]

    def is_drawn(self) -> bool:
        return self.image is not None and self.image.width() == self.width()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """Paint the picture; ask for one at this width (only charts scrolled into view are
        painted, so only they are drawn)."""
        if not self.is_drawn() and self._asked_width != self.width():
            self._asked_width = self.width()
            self._draw_timer.start()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.image is not None:
            painter.drawImage(QRect(0, 0, self.image.width(), self.image.height()),
                              self.image)
        painter.end()

    @Slot()
    def _render(self) -> None:
        self._wanted[0] += 1
        _RENDERER.submit(_render_job, self.draw, self.margins, self.width(), self.height(),
                         self._wanted[0], self._wanted, weakref.ref(self), self._relay)

    def show_image(self, number: int, image: QImage) -> None:
        """Show the picture of request ``number`` if it is the newest."""
        if number == self._wanted[0]:
            self.image = image
            self.update()


def _figure(draw: Callable[[Figure], None], margins: tuple[int, int, int, int], width: int,
            height: int) -> Figure:
    # matplotlib is loaded with the first chart, not with the window (it costs ~0.5 s).
    from matplotlib.figure import Figure

    width, height = max(width, 120), max(height, 60)
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    draw(figure)
    left, bottom, right, top = margins
    figure.subplots_adjust(left=min(left / width, 0.6), right=1 - right / width,
                           bottom=min(bottom / height, 0.6), top=1 - top / height)
    return figure


def _gone(wanted: list[int]) -> None:
    wanted[0] = -1


def _render_job(draw: Callable[[Figure], None], margins: tuple[int, int, int, int],
                width: int, height: int, number: int, wanted: list[int], chart: weakref.ref,
                relay: _Relay) -> None:
    deadline = time.monotonic() + FOREGROUND_WAIT_S
    while (wanted[0] == number and not FOREGROUND.wait_until_idle(STALE_CHECK_S)
           and time.monotonic() < deadline):
        pass  # still wanted, the window's jobs still running
    if wanted[0] != number:  # closed, or a newer width asked for since
        return
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure = _figure(draw, margins, width, height)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        width, height = canvas.get_width_height()
        image = QImage(bytes(canvas.buffer_rgba()), width, height,
                       QImage.Format.Format_RGBA8888).copy()
        relay.done.emit(chart, number, image)
    except Exception as error:  # noqa: BLE001  (sent to the GUI thread's error hook)
        log.exception("Drawing a chart failed")
        relay.failed.emit(error)
