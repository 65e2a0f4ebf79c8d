"""Files as another police service receives them, written for the mapping and recipe tests.

A district layer keyed by ``dist_num``, community areas named ``community``, a score table by
community area, a school list and an incident extract with its own category names: none of
them in a layout a reader knows, so each needs the documented mapping.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

CRS = "EPSG:32188"
X0, Y0 = 295_000, 5_040_000
#: The mapping each file needs, by file name (what a recipe or --mapping gives).
MAPPINGS = {
    "police_districts.geojson": {"station_id": "dist_num", "name": "dist_label"},
    "community_areas.geojson": {"name": "community", "level": "community area"},
    "sentiment.csv": {"area": "Community Area", "area_level": "community area"},
    "schools.csv": {"name": "School_Nm", "source_type": "Sch_Type", "address": "Addr"},
    "crimes.csv": {"category": "Primary Type", "date": "Date", "x": "X Coordinate",
                   "y": "Y Coordinate", "crs": CRS},
}


def _square(i: int, size: float = 1_000) -> shapely.Polygon:
    return shapely.box(X0 + i * size, Y0, X0 + (i + 1) * size, Y0 + size)


def districts(folder: Path) -> Path:
    path = folder / "police_districts.geojson"
    gpd.GeoDataFrame({"dist_num": ["24", "20"], "dist_label": ["24TH", "20TH"]},
                     geometry=[_square(0), _square(1)], crs=CRS).to_file(path)
    return path


def community_areas(folder: Path) -> Path:
    path = folder / "community_areas.geojson"
    gpd.GeoDataFrame({"community": ["ROGERS PARK", "WEST RIDGE"], "area_numbe": ["1", "2"]},
                     geometry=[_square(0), _square(1)], crs=CRS).to_file(path)
    return path


def sentiment(folder: Path) -> Path:
    path = folder / "sentiment.csv"
    pd.DataFrame({"Community Area": ["Rogers Park", "West Ridge"], "Year": ["2024", "2024"],
                  "Safety": ["61.5", "58.0"], "Trust": ["55", "49"]}).to_csv(path, index=False)
    return path


def schools(folder: Path) -> Path:
    path = folder / "schools.csv"
    pd.DataFrame({"School_Nm": ["Field Elementary", "Gale Academy"],
                  "Sch_Type": ["school", "school"],
                  "Addr": ["7019 N Ashland", "1631 W Jonquil"]}).to_csv(path, index=False)
    return path


def crimes(folder: Path, rows: int = 40) -> Path:
    """Incidents in both districts, in two categories no built-in table knows."""
    path = folder / "crimes.csv"
    pd.DataFrame({
        "Primary Type": ["BATTERY" if i % 2 else "CRIMINAL DAMAGE" for i in range(rows)],
        "Date": [f"2024-03-{1 + i % 28:02d}" for i in range(rows)],
        "X Coordinate": [X0 + 100 + (i % 2) * 1_000 + i for i in range(rows)],
        "Y Coordinate": [Y0 + 500 for _ in range(rows)],
    }).to_csv(path, index=False)
    return path


def categories(folder: Path) -> Path:
    path = folder / "categories.csv"
    path.write_text("source_category,category,tags\n"
                    "BATTERY,offence_against_person,violence\n"
                    "CRIMINAL DAMAGE,Méfait,\"incivilities, property\"\n", encoding="utf-8")
    return path
