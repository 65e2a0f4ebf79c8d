"""Tiles from a local MBTiles file (SQLite), for the maps' optional tile background.

An office with no network can still have a tile background: a city or a partner hands over
an ``.mbtiles`` file, and the app serves its tiles to the map page itself (``ui.tile_source``)
instead of a web server. MBTiles numbers rows from the south (TMS), Leaflet from the north:
``tile`` takes Leaflet's z/x/y and flips the row. The file is opened read-only, so a map can
never change it.

>>> tiles = MBTiles(Path("quartier.mbtiles"))  # doctest: +SKIP
>>> tiles.tile(15, 9695, 11720)[:4]  # doctest: +SKIP
b'\\x89PNG'
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from data_connectors.base import ReaderError

#: MBTiles ``format`` -> the MIME type the page is told.
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
              "webp": "image/webp", "pbf": "application/x-protobuf"}


class MBTiles:
    """One MBTiles file, read-only; usable from several threads (one connection each)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        try:
            tables = {row[0] for row in self._connection().execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        except sqlite3.DatabaseError as error:
            raise ReaderError(self.path, f"is not an MBTiles file ({error}).",
                              expected="an SQLite file with 'tiles' and 'metadata' tables"
                              ) from error
        if not {"tiles", "metadata"} <= tables:
            raise ReaderError(self.path, "has no 'tiles' and 'metadata' tables.",
                              expected="an MBTiles file (SQLite)")
        self.metadata = {str(name): str(value) for name, value in self._connection().execute(
            "SELECT name, value FROM metadata")}
        self.format = self.metadata.get("format", "png").lower()
        if self.format not in MIME_TYPES:
            raise ReaderError(self.path, f"holds tiles of format {self.format!r}.",
                              expected=", ".join(MIME_TYPES))

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def attribution(self) -> str:
        """The credit the file's licence asks for (its ``attribution`` metadata), or ""."""
        return self.metadata.get("attribution", "").strip()

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at Leaflet's (XYZ) ``z``/``x``/``y``, or None outside the file."""
        row = (1 << z) - 1 - y
        found = self._connection().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
            "AND tile_row = ?", (z, x, row)).fetchone()
        return bytes(found[0]) if found else None

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if not self.path.is_file():
                raise ReaderError(self.path, "the file does not exist.")
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self._local.connection = connection
        return connection
