"""The map's optional tile background, named in Preferences: an XYZ URL of a tile service's
own server, or a local MBTiles file the app serves to the page itself.

Fully offline stays the default: with no tile source the map draws only the workspace's
streets. A local MBTiles file is served through the custom ``pqtiles`` scheme (no port,
nothing another program can reach): Qt wants the scheme registered before the
QApplication exists (``register_tile_scheme``, called at start-up and by the tests'
conftest), with ``LocalScheme`` so that a page loaded from a file may show its images. An
XYZ URL is fetched by the page directly: its host, and only it, passes the map's offline
filter (``ui.map_view``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from data_connectors.mbtiles import MBTiles
from portrait.errors import PortraitError

log = logging.getLogger(__name__)

SCHEME = b"pqtiles"
_TILE_PATH = re.compile(r"^/(\d{1,2})/(\d+)/(\d+)\.\w+$")
#: A transparent 1 x 1 PNG: a tile outside the file shows the map under it, not an error.
EMPTY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000145a4b1e30000000049454e44ae426082")


def register_tile_scheme() -> None:
    """Declare the ``pqtiles`` scheme to Qt WebEngine; before the QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(QByteArray(SCHEME)).name() == QByteArray(SCHEME):
        return
    scheme = QWebEngineUrlScheme(QByteArray(SCHEME))
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.LocalScheme
                    | QWebEngineUrlScheme.Flag.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)


@dataclass(frozen=True)
class TileSource:
    """What the map page needs: Leaflet's URL template, the credit to print, and either the
    remote host to let through or the MBTiles file to serve."""

    url: str
    attribution: str
    remote_host: str | None = None
    mbtiles: MBTiles | None = None


def tile_source_problem(text: str) -> str | None:
    """Why ``text`` cannot be a tile source (a string-table key), or None when it can (empty
    is fine: no tiles)."""
    text = text.strip()
    if not text:
        return None
    if text.lower().endswith(".mbtiles"):
        if not Path(text).expanduser().is_file():
            return "tiles_file_missing"
        try:
            MBTiles(Path(text).expanduser())
        except PortraitError:
            return "tiles_not_mbtiles"
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname \
            or not all(key in text for key in ("{z}", "{x}", "{y}")):
        return "tiles_bad_url"
    return None


def tile_source(text: str, attribution: str = "") -> TileSource | None:
    """The tile source Preferences name (None: none); raises ``PortraitError`` for a file
    that is not MBTiles (check with ``tile_source_problem`` first)."""
    text = text.strip()
    if not text:
        return None
    if text.lower().endswith(".mbtiles"):
        path = Path(text).expanduser().resolve()
        tiles = MBTiles(path)
        # The host names the file, so a page never shows tiles cached from another one.
        key = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:12]
        extension = "jpg" if tiles.format == "jpeg" else tiles.format
        return TileSource(f"{SCHEME.decode()}://f{key}/{{z}}/{{x}}/{{y}}.{extension}",
                          attribution.strip() or tiles.attribution or path.stem, mbtiles=tiles)
    host = urlsplit(text).hostname
    return TileSource(text, attribution.strip() or str(host), remote_host=host)


class QtMBTilesHandler(QWebEngineUrlSchemeHandler):
    """Answers ``pqtiles://KEY/z/x/y.ext`` from the MBTiles file of the current source."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.tiles: MBTiles | None = None

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        found = _TILE_PATH.match(job.requestUrl().path())
        if found is None or self.tiles is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        z, x, y = (int(part) for part in found.groups())
        try:
            data = self.tiles.tile(z, x, y)
        except Exception:  # noqa: BLE001 - a broken file must cost tiles, not the map
            log.exception("Cannot read tile %s/%s/%s of %s", z, x, y, self.tiles.path)
            data = None
        if data is None:
            data, mime = (EMPTY_PNG, "image/png") if self.tiles.format != "pbf" \
                else (b"", self.tiles.mime_type)
        else:
            mime = self.tiles.mime_type
        buffer = QBuffer(job)  # owned by the job: it lives until the reply is read
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime.encode()), buffer)
