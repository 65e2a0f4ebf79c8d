"""The street base in the app: the tile background Preferences name (MBTiles reading, the
check of what the officer types), the map in the window showing the streets and an MBTiles
file's tiles, offline, and a streets import listed in the officer's language."""

from __future__ import annotations

import io
import math
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PIL import Image

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from data_connectors.base import ReaderError  # noqa: E402
from data_connectors.importer import import_files  # noqa: E402
from data_connectors.mbtiles import MBTiles  # noqa: E402
from data_connectors.streets import OSM_ATTRIBUTION  # noqa: E402
from portrait.crs import MAP_CRS, METRIC_CRS  # noqa: E402
from portrait.workspace import Workspace  # noqa: E402
from ui.data_sources_panel import DataSourcesDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.preferences import Preferences, PreferencesDialog, PreferencesStore  # noqa: E402
from ui.strings import UiText  # noqa: E402
from ui.tile_source import tile_source, tile_source_problem  # noqa: E402

LOAD_TIMEOUT_MS = 30_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TILE_COLOUR = (255, 0, 255)


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, format="PNG")
    return out.getvalue()


def write_mbtiles(path: Path, bounds: tuple[float, float, float, float] | None = None,
                  zooms: range = range(0, 0), attribution: str = "© Tuiles d'essai") -> Path:
    """An MBTiles file whose tiles over ``bounds`` (west, south, east, north in degrees) are
    plain magenta at ``zooms``; plus one tile at z1, x0, XYZ y0 (TMS row 1)."""
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB);")
    connection.executemany("INSERT INTO metadata VALUES (?, ?)",
                           [("format", "png"), ("attribution", attribution)])
    rows = [(1, 0, 1, b"z1-x0-y0")]
    for z in zooms:
        west, south, east, north = bounds
        x0, y0 = _tile(west, north, z)
        x1, y1 = _tile(east, south, z)
        rows += [(z, x, (1 << z) - 1 - y, _png(TILE_COLOUR))
                 for x in range(x0 - 1, x1 + 2) for y in range(y0 - 1, y1 + 2)]
    connection.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return path


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def test_mbtiles_flips_rows_and_reads_its_credit(tmp_path: Path) -> None:
    tiles = MBTiles(write_mbtiles(tmp_path / "t.mbtiles"))
    assert tiles.tile(1, 0, 0) == b"z1-x0-y0"  # XYZ y 0 is TMS row 1 at zoom 1
    assert tiles.tile(1, 0, 1) is None
    assert tiles.attribution == "© Tuiles d'essai"
    assert tiles.mime_type == "image/png"
    (tmp_path / "faux.mbtiles").write_text("pas une base SQLite", encoding="utf-8")
    with pytest.raises(ReaderError, match="faux.mbtiles: is not an MBTiles file"):
        MBTiles(tmp_path / "faux.mbtiles")


def test_what_the_officer_types_is_checked(tmp_path: Path) -> None:
    assert tile_source_problem("") is None
    assert tile_source_problem("https://tuiles.ville.qc.ca/{z}/{x}/{y}.png") is None
    assert tile_source_problem("https://tuiles.ville.qc.ca/carte.png") == "tiles_bad_url"
    assert tile_source_problem("ftp://tuiles/{z}/{x}/{y}.png") == "tiles_bad_url"
    assert tile_source_problem(str(tmp_path / "absent.mbtiles")) == "tiles_file_missing"
    path = write_mbtiles(tmp_path / "t.mbtiles")
    assert tile_source_problem(str(path)) is None
    source = tile_source(str(path))
    assert source.url.startswith("pqtiles://") and source.url.endswith("/{z}/{x}/{y}.png")
    assert source.attribution == "© Tuiles d'essai" and source.remote_host is None
    remote = tile_source("https://tuiles.ville.qc.ca/{z}/{x}/{y}.png", "© Ville")
    assert (remote.remote_host, remote.attribution) == ("tuiles.ville.qc.ca", "© Ville")


def test_preferences_keep_the_tile_source(tmp_path: Path, qtbot) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = PreferencesStore(settings)
    url = "https://tuiles.ville.qc.ca/{z}/{x}/{y}.png"
    store.save(Preferences(tile_source=url, tile_attribution="© Ville"))
    loaded = store.load()
    assert (loaded.tile_source, loaded.tile_attribution) == (url, "© Ville")

    dialog = PreferencesDialog(Preferences(), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tiles_edit.setText("https://tuiles.ville.qc.ca/carte.png")
    assert not dialog.ok_button.isEnabled()
    assert "{z}, {x} et {y}" in dialog.tiles_message.text()
    dialog.tiles_edit.setText(url)
    assert dialog.ok_button.isEnabled() and not dialog.tiles_message.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.preferences().tile_source == url


def _with_streets(workspace: Workspace) -> Workspace:
    lines = [shapely.MultiLineString([[(295_100, 5_040_000 + y), (297_900, 5_040_000 + y)]])
             for y in range(300, 3_000, 600)]
    names = [f"Rue d'essai {i}" for i in range(len(lines))]
    workspace.set_layer("streets", gpd.GeoDataFrame(
        {"name": names, "class": "secondary", "source": "rues.gpkg",
         "attribution": OSM_ATTRIBUTION}, geometry=lines, crs=METRIC_CRS))
    workspace.save()
    return workspace


def test_the_window_map_shows_streets_over_mbtiles_tiles(qtbot, tmp_path: Path,
                                                         small_workspace) -> None:
    west, south, east, north = gpd.GeoSeries(
        small_workspace.layer("stations").geometry).to_crs(MAP_CRS).total_bounds
    path = write_mbtiles(tmp_path / "quartier.mbtiles", (west, south, east, north),
                         range(11, 17))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    PreferencesStore(settings).save(Preferences(language="fr", tile_source=str(path)))
    window = MainWindow(_with_streets(small_workspace), settings=settings)
    window.resize(1366, 768)
    panel = window.map_panel
    try:
        with qtbot.waitSignals([panel.loadFinished, panel.mapConnected],
                               timeout=LOAD_TIMEOUT_MS):
            window.show()
        results: list[object] = []

        def tiles_loaded() -> bool:
            results.clear()
            panel.page().runJavaScript(
                "document.querySelectorAll('img.leaflet-tile-loaded').length", 0,
                results.append)
            qtbot.waitUntil(lambda: bool(results), timeout=5_000)
            return bool(results[0])

        qtbot.waitUntil(tiles_loaded, timeout=LOAD_TIMEOUT_MS)
        qtbot.wait(500)
        check: list[object] = []
        panel.page().runJavaScript(
            "JSON.stringify([window.portraitStreets.count,"
            " document.querySelector('.leaflet-control-attribution').textContent])", 0,
            check.append)
        qtbot.waitUntil(lambda: bool(check), timeout=5_000)
        assert "5," in check[0] and "OpenStreetMap contributors, ODbL" in check[0]
        assert "Tuiles d'essai" in check[0]
        image = panel.view.grab().toImage()
        ARTIFACTS.mkdir(exist_ok=True)
        window.grab().save(str(ARTIFACTS / "map_streets_tiles.png"))
        buffer = image.constBits()
        pixels = np.frombuffer(buffer, dtype=np.uint8).reshape(
            image.height(), image.bytesPerLine())[:, :image.width() * 4].reshape(
            image.height(), image.width(), 4)[:, :, 2::-1]  # BGRA -> RGB
        magenta = (np.abs(pixels.astype(int) - np.array(TILE_COLOUR)).sum(axis=2) < 30)
        assert magenta.sum() > 1_000  # the file's tiles are drawn under the map
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_streets_import_is_listed_in_french(qtbot, demo_files, tmp_path: Path) -> None:
    path = tmp_path / "w.gpkg"
    import_files(Workspace.create(path), [demo_files.stations, demo_files.streets])
    dialog = DataSourcesDialog(Workspace.open(path), UiText("fr"))
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["rues_osm.gpkg"] == "rues"
    dialog.done(0)
