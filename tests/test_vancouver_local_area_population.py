"""Vancouver's local areas as stations, by the documented mappings: each station's population
is its local area's own census count, read directly from the profile file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data_connectors.importer import import_files
from portrait.engine import build_portrait, prepare
from portrait.workspace import Workspace

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "vancouver"
BOUNDARIES = SHARED / "local_area_boundary.geojson"
PROFILE = SHARED / "census_local_area_profiles_2016.csv"

pytestmark = [pytest.mark.shared_data,
              pytest.mark.skipif(not PROFILE.is_file(), reason="../shared/data is not present")]


def _profile_population(column: str) -> float:
    profile = pd.read_csv(PROFILE, encoding="latin-1", dtype=str)
    profile.columns = [c.strip() for c in profile.columns]
    total = profile.loc[profile["ID"].str.strip() == "1", column].iloc[0]
    return float(total.replace(",", ""))


@pytest.mark.parametrize("station,column", [("Kitsilano", "Kitsilano"),
                                            ("Dunbar", "Dunbar-Southlands"),
                                            ("Hastings-Sunrise", "Hastings-Sunrise")])
def test_a_local_area_station_has_its_census_population(tmp_path: Path, station: str,
                                                        column: str) -> None:
    workspace = Workspace.create(tmp_path / "vancouver.gpkg", crs="EPSG:26910")
    import_files(workspace, [BOUNDARIES], reader_id="station-boundaries",
                 options={"mapping": {"station_id": "name", "name": "name"}})
    import_files(workspace, [BOUNDARIES], reader_id="area-boundaries",
                 options={"mapping": {"name": "name", "level": "local area"}})
    import_files(workspace, [PROFILE], reader_id="wide-census-profile")
    portrait = build_portrait(prepare(Workspace.open(workspace.path)), station)
    section = next(s for s in portrait.sections if s.id == "socio_economic")
    population = next(i for i in section.indicators if i.id == "population")
    assert population.value == pytest.approx(_profile_population(column))
