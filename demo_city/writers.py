"""Writers of the demo city's files, each in the exact format of its real source.

Formats (checked against the real files or against public code that reads them):

* ``limitespdq.geojson``: SPVM station boundaries, 2024-25 vintage, as GDAL writes them:
  layer "limites", a ``crs`` member naming urn:ogc:def:crs:EPSG::32188, properties OBJECTID
  (int), PDQ (float, 38.0), Shape_Leng, Shape_Area; MultiPolygons in metres.
* ``lda_000b21a_e.shp``: Statistics Canada 2021 DA boundaries (DAUID, DGUID, LANDAREA,
  PRUID), EPSG:3347. The DBF's "last update" date is pinned so same seed = same bytes.
* ``98-401-X2021006_English_CSV_data.csv``: 2021 Census Profile long format, Windows-1252,
  CRLF line ends, every field quoted, 23 columns with six ``SYMBOL`` columns; with its
  ``..._Geo_starting_row_Quebec.CSV`` index ("Geo Code" = DGUID, "Geo Name", "Line Number"
  = the physical line, header being line 1, where the geography's first row is).
* ``actes-criminels.csv``: UTF-8, no quotes, PDQ written as a float (``38.0``).
* ``repertoire_services.csv``: UTF-8, a spreadsheet's CSV export.
* ``sondage_residents.csv``: UTF-8 with BOM, every field quoted, as LimeSurvey exports.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
from pyproj import Transformer

from data_connectors.statcan_characteristics import AREA, CHARACTERISTICS, COUNT, MEDIAN
from demo_city.census import ProfileValues
from demo_city.geography import Stations, Streets
from demo_city.incidents import CATEGORIES, SHIFTS, Incidents

PROFILE_HEADER = ("CENSUS_YEAR", "DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "TNR_SF",
                  "TNR_LF", "DATA_QUALITY_FLAG", "CHARACTERISTIC_ID", "CHARACTERISTIC_NAME",
                  "CHARACTERISTIC_NOTE", "C1_COUNT_TOTAL", "SYMBOL", "C2_COUNT_MEN+", "SYMBOL",
                  "C3_COUNT_WOMEN+", "SYMBOL", "C10_RATE_TOTAL", "SYMBOL", "C11_RATE_MEN+",
                  "SYMBOL", "C12_RATE_WOMEN+", "SYMBOL")
GEO_INDEX_HEADER = ("Geo Code", "Geo Name", "Line Number")
INCIDENT_HEADER = ("CATEGORIE", "DATE", "QUART", "PDQ", "X", "Y", "LONGITUDE", "LATITUDE")
DBF_DATE = bytes([122, 2, 9])  # 2022-02-09, release day of the 2021 boundary files


def write_stations(path: Path, stations: Stations) -> None:
    """The SPVM boundary GeoJSON (one feature per PDQ, in PDQ order)."""
    geometry = gpd.GeoSeries(stations.geometry, crs="EPSG:32188")
    frame = gpd.GeoDataFrame({
        "OBJECTID": np.arange(1, len(stations.pdq) + 1, dtype=np.int32),
        "PDQ": stations.pdq.astype(float),
        "Shape_Leng": shapely.length(stations.geometry),
        "Shape_Area": shapely.area(stations.geometry),
    }, geometry=geometry)
    frame.to_file(path, driver="GeoJSON", layer="limites", engine="pyogrio")


def write_areas(path: Path, geometry: np.ndarray, dauid: Sequence[str]) -> None:
    """The DA boundary shapefile (and its .shx, .dbf, .prj), in Statistics Canada Lambert."""
    land = shapely.area(geometry) / 1e6
    frame = gpd.GeoDataFrame({
        "DAUID": list(dauid),
        "DGUID": [f"2021S0512{d}" for d in dauid],
        "LANDAREA": np.round(land, 4),
        "PRUID": "24",
    }, geometry=gpd.GeoSeries(geometry, crs="EPSG:32188").to_crs("EPSG:3347"))
    frame.to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    with open(path.with_suffix(".dbf"), "r+b") as dbf:
        dbf.seek(1)
        dbf.write(DBF_DATE)


@dataclass(frozen=True)
class Geography:
    """One geography of the profile file."""

    dguid: str
    alt_code: str
    level: str
    name: str


def _format(values: np.ndarray, decimals: int) -> np.ndarray:
    blank = np.isnan(values)
    if decimals <= 0:
        text = np.nan_to_num(values).astype(np.int64).astype(str)
    else:
        text = np.char.mod(f"%.{decimals}f", np.nan_to_num(values))
    return np.where(blank, "", text).astype(object)


def _decimals(kind: str, column: int) -> int:
    if column >= 3:  # rates
        return 1
    return {COUNT: 0, MEDIAN: 1, AREA: 4}.get(kind, 1)


def write_profile(path: Path, index_path: Path, geographies: Sequence[Geography],
                  values: ProfileValues) -> None:
    """The long profile file (geography-major, characteristics in id order) and its index."""
    n_geo, n_char = len(geographies), len(CHARACTERISTICS)
    columns: list[np.ndarray] = []
    for k in range(6):
        block = np.empty((n_geo, n_char), dtype=object)
        for j, item in enumerate(CHARACTERISTICS):
            decimals = 0 if item.id == 243 and k < 3 else _decimals(item.value_kind, k)
            block[:, j] = _format(values.values[k][:, j], decimals)
        columns.append(block.ravel())
        columns.append(values.symbols[k].ravel())

    def per_geo(items: Sequence[str]) -> np.ndarray:
        return np.repeat(np.array(items, dtype=object), n_char)

    def per_char(items: Sequence[str]) -> np.ndarray:
        return np.tile(np.array(items, dtype=object), n_geo)

    table = [
        per_geo(["2021"] * n_geo), per_geo([g.dguid for g in geographies]),
        per_geo([g.alt_code for g in geographies]), per_geo([g.level for g in geographies]),
        per_geo([g.name for g in geographies]), per_geo([f"{v:.1f}" for v in values.tnr_sf]),
        per_geo([f"{v:.1f}" for v in values.tnr_lf]), per_geo(["0"] * n_geo),
        per_char([str(c.id) for c in CHARACTERISTICS]),
        per_char([c.name for c in CHARACTERISTICS]),
        per_char(["" if c.note is None else str(c.note) for c in CHARACTERISTICS]),
        *columns,
    ]
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(PROFILE_HEADER)
        writer.writerows(zip(*table, strict=True))
    with open(index_path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(GEO_INDEX_HEADER)
        for i, g in enumerate(geographies):
            writer.writerow((g.dguid, g.name, str(2 + i * n_char)))


def _coordinate_text(values: np.ndarray) -> np.ndarray:
    """Shortest round-trip decimals, never in exponent notation (9.03e-06 would surprise)."""
    return np.array([np.format_float_positional(float(v), unique=True, trim="0")
                     for v in values], dtype=object)


def write_incidents(path: Path, incidents: Incidents, streets: Streets,
                    pdq: np.ndarray) -> None:
    """The SPVM incident CSV. Coordinates are formatted once per intersection, then indexed,
    which keeps a million rows to well under a second of formatting."""
    to_wgs84 = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True)
    x = np.append(streets.x, 1.0)  # the last slot is the (1, 1) placeholder location
    y = np.append(streets.y, 1.0)
    lon, lat = to_wgs84.transform(x, y)
    slot = np.where(incidents.intersection < 0, len(x) - 1, incidents.intersection)
    days = np.datetime64(incidents.start.isoformat()) + np.arange(incidents.day.max() + 1)
    texts = {"CATEGORIE": (np.array(CATEGORIES, dtype=object), incidents.category),
             "DATE": (np.datetime_as_string(days, unit="D").astype(object), incidents.day),
             "QUART": (np.array(SHIFTS, dtype=object), incidents.shift),
             "PDQ": (np.array([f"{p:.1f}" for p in pdq], dtype=object), incidents.station),
             "X": (_coordinate_text(x), slot), "Y": (_coordinate_text(y), slot),
             "LONGITUDE": (_coordinate_text(lon), slot), "LATITUDE": (_coordinate_text(lat), slot)}

    def rows(part: slice) -> pa.Table:
        return pa.table({name: values[codes[part]] for name, (values, codes) in texts.items()})

    write_csv_batches(path, INCIDENT_HEADER, len(incidents), rows, "none")


#: Rows formatted at a time when a demo CSV is written: ten million rows at once would take
#: gigabytes of text.
CSV_BATCH_ROWS = 500_000


def write_csv_batches(path: Path, header: Sequence[str], count: int,
                      rows: Callable[[slice], pa.Table], quoting: str) -> None:
    """A CSV written ``CSV_BATCH_ROWS`` rows at a time, its header as given (pyarrow would
    quote it)."""
    with open(path, "wb") as handle:
        handle.write((",".join(header) + "\n").encode("utf-8"))
        options = pacsv.WriteOptions(include_header=False, quoting_style=quoting)
        for start in range(0, count, CSV_BATCH_ROWS):
            pacsv.write_csv(rows(slice(start, start + CSV_BATCH_ROWS)), handle,
                            write_options=options)


def write_services(path: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_survey(path: Path, frame: pd.DataFrame, questions_path: Path,
                 questions: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_ALL,
                 lineterminator="\r\n")
    questions.to_csv(questions_path, index=False, encoding="utf-8", lineterminator="\n")
