"""A US ACS-like case for the indicator-table tests: two stations, four census tracts wholly
inside them, the tracts' ACS 5-year columns and the catalogue that says what they mean."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from data_connectors.importer import import_files
from portrait.workspace import Workspace

STATIONS = {"A": (295_000, 5_040_000, 297_000, 5_042_000),
            "B": (297_000, 5_040_000, 299_000, 5_042_000)}
#: Tract GEOID -> (box, population, median household income, below poverty, poverty universe,
#: evictions, area deprivation rank). Two tracts per station, each wholly inside it.
TRACTS = {
    "17031010100": ((295_000, 5_040_000, 296_000, 5_042_000), 1000, 50_000, 100, 1000, 4, 70),
    "17031010200": ((296_000, 5_040_000, 297_000, 5_042_000), 3000, 80_000, 600, 2900, 9, 40),
    "17031010300": ((297_000, 5_040_000, 298_000, 5_042_000), 2000, 42_000, 7, 1900, 12, 90),
    "17031010400": ((298_000, 5_040_000, 299_000, 5_042_000), 500, 61_000, 75, 480, 1, 55),
}
ACS_CATALOGUE = """
# What the ACS 5-year columns of the table mean.
[source]
year = 2022
label = "US Census Bureau, ACS 2018-2022 5-year"

[[indicator]]
id = "population"
kind = "count"
label_fr = "Population"
label_en = "Population"
definition_fr = "Population totale (ACS 2022, 5 ans)."
definition_en = "Total population (ACS 2022 5-year)."
direction = "neutral"
aliases = ["B01003_001E"]

[[indicator]]
id = "median_household_income"
kind = "median"
label_fr = "Revenu médian des ménages"
label_en = "Median household income"
unit = "$"
direction = "higher-is-better"
estimate = "sample"
small_areas = "income"
aliases = ["B19013_001E"]

[[indicator]]
id = "poverty_universe"
kind = "count"
label_fr = "Population visée par le seuil de pauvreté"
label_en = "Population for whom poverty status is determined"
aliases = ["B17001_001E"]

[[indicator]]
id = "below_poverty"
kind = "count"
label_fr = "Personnes sous le seuil de pauvreté"
label_en = "Persons below the poverty level"
estimate = "sample"
suppress_below = 10
aliases = ["B17001_002E"]

[[indicator]]
id = "poverty_share"
kind = "share"
label_fr = "Part sous le seuil de pauvreté"
label_en = "Share below the poverty level"
numerator = "below_poverty"
denominator = "poverty_universe"
direction = "higher-is-worse"

[[indicator]]
id = "evictions"
kind = "count"
label_fr = "Expulsions"
label_en = "Evictions"
aliases = ["evictions_2023"]

[[indicator]]
id = "eviction_rate"
kind = "rate"
per = 1000
label_fr = "Expulsions pour 1 000 résidents"
label_en = "Evictions per 1,000 residents"
numerator = "evictions"
denominator = "population"
direction = "higher-is-worse"

[[indicator]]
id = "renters_burdened"
kind = "count"
label_fr = "Ménages locataires surchargés"
label_en = "Cost-burdened renter households"
aliases = ["B25070_010E"]
"""


def box(bounds: tuple[float, ...]) -> shapely.MultiPolygon:
    return shapely.MultiPolygon([shapely.box(*bounds)])


def acs_rows() -> list[dict]:
    return [{"GEOID": geoid, "NAME": f"Census Tract {geoid[-4:]}; Cook County; Illinois",
             "B01003_001E": pop, "B19013_001E": income, "B17001_002E": below,
             "B17001_001E": universe, "evictions_2023": evictions, "state": "Illinois"}
            for geoid, (_, pop, income, below, universe, evictions, _) in TRACTS.items()]


def build_tract_workspace(tmp_path: Path) -> tuple[Workspace, Path]:
    """Two stations and the tracts imported as census areas; the catalogue file beside."""
    workspace = Workspace.create(tmp_path / "city.gpkg", title="Cook County test")
    workspace.set_layer("stations", gpd.GeoDataFrame(
        {"station_id": list(STATIONS), "name": [f"District {s}" for s in STATIONS]},
        geometry=[box(b) for b in STATIONS.values()], crs="EPSG:32188"))
    workspace.save()
    tracts = gpd.GeoDataFrame({"GEOID": list(TRACTS)},
                              geometry=[box(t[0]) for t in TRACTS.values()], crs="EPSG:32188")
    tracts.to_file(tmp_path / "tracts.gpkg", driver="GPKG")
    import_files(workspace, [tmp_path / "tracts.gpkg"], reader_id="area-boundaries",
                 options={"mapping": {"name": "GEOID", "area_id": "GEOID", "level": "tract"}})
    catalogue = tmp_path / "acs.toml"
    catalogue.write_text(ACS_CATALOGUE, encoding="utf-8")
    return workspace, catalogue


def import_acs(workspace: Workspace, catalogue: Path, folder: Path,
               rows: pd.DataFrame | None = None, **options: str) -> list:
    """Write the ACS table (``rows``, by default every tract) and import it with the
    catalogue through the indicator-table reader; the import reports."""
    table = folder / "acs_tracts.csv"
    (pd.DataFrame(acs_rows()) if rows is None else rows).to_csv(table, index=False)
    return import_files(workspace, [table], reader_id="indicator-table",
                        options={"catalogue": str(catalogue), **options})
