"""Blocks of the station file kept from its previous build when their layers did not change.

An import of incidents changes the incidents layer only, yet the station file is rebuilt
whole: deriving again two and a half million unchanged calls took a second and a half of a
nine-second import. The calls' blocks depend only on the calls and call pathway layers (and
on how they are derived, ``workspace_query.CACHE_VERSION``); when the previous file was
derived from the same rows of both, as its fingerprint says, its blocks are copied into the
new file by SQLite, in the order the build writes them, so the file is the same to the byte.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

#: What the calls' blocks are derived from.
CALL_LAYERS = ("calls", "call_pathways")


def kept_meta(connection: sqlite3.Connection, previous: Path, current: str,
              layers: tuple[str, ...]) -> dict | None:
    """Attach the previous file as ``kept`` and return its meta, when it was derived from
    the same rows of ``layers`` as ``current`` (a fingerprint) describes; else None. Call
    before the build's first insert: SQLite attaches only outside a transaction."""
    if not previous.is_file():
        return None
    try:
        connection.execute("ATTACH DATABASE ? AS kept", (str(previous),))
        (text,), = connection.execute("SELECT value FROM kept.meta WHERE key = 'meta'")
        meta = json.loads(text)
        was, now = json.loads(meta["fingerprint"]), json.loads(current)
        if was["version"] == now["version"] and all(
                was["layers"][name] == now["layers"][name] for name in layers):
            return meta
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        pass  # damaged or from another version: derived again
    return None


def copy_blocks(connection: sqlite3.Connection, layer: str) -> None:
    """The kept file's blocks of ``layer``: each station's block row then its columns, in
    the order they were written, as ``workspace_query._write_block`` writes them."""
    stations = connection.execute("SELECT station FROM kept.blocks WHERE layer = ? ORDER BY "
                                  "rowid", (layer,)).fetchall()
    for (station,) in stations:
        connection.execute("INSERT INTO blocks SELECT * FROM kept.blocks WHERE layer = ? AND "
                           "station IS ?", (layer, station))
        connection.execute("INSERT INTO columns SELECT * FROM kept.columns WHERE layer = ? "
                           "AND station IS ? ORDER BY rowid", (layer, station))
