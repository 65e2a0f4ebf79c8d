"""The demo city's calls-for-service export: a CAD layout the reader recognises, consistent
with the demo's incidents."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data_connectors.base import ImportReport, ReadContext
from data_connectors.cad_calls import CadCallReader, read_calls
from data_connectors.registry import find_reader
from demo_city import DemoFiles, generate_city
from demo_city.calls import CHRONIC_PLACES_PER_STATION, SELF, TYPES
from portrait.calls import PathwayTable, call_demand


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory, today: date) -> DemoFiles:
    return generate_city(tmp_path_factory.mktemp("calls"), "small", seed=11, today=today)


@pytest.fixture(scope="module")
def raw(city: DemoFiles) -> pd.DataFrame:
    return pd.read_csv(city.calls, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def incidents(city: DemoFiles) -> pd.DataFrame:
    return pd.read_csv(city.incidents, dtype=str)


def test_the_export_is_read_as_calls_with_every_field(city: DemoFiles) -> None:
    assert find_reader(city.calls).id == CadCallReader.id
    report = ImportReport(CadCallReader.id, str(city.calls), "calls")
    calls, _, mapping = read_calls(city.calls, ReadContext(), report)
    assert report.rows_kept == report.rows_read == len(calls)
    assert (mapping.station, mapping.area, mapping.address) == ("pdq", "secteur", ("adresse",))
    assert calls["station_id"].notna().all() and calls.geometry.notna().all()
    sent = calls["cleared"].notna()
    assert (calls.loc[sent, "dispatched"] >= calls.loc[sent, "received"]).all()
    assert (calls.loc[sent, "arrived"] >= calls.loc[sent, "dispatched"]).all()
    assert (calls.loc[sent, "cleared"] > calls.loc[sent, "arrived"]).all()
    closed = calls["disposition"].isin(["CAN", "DUP", "W"])
    assert closed.any() and calls.loc[closed, "dispatched"].isna().all()


def test_more_calls_than_incidents_and_mostly_not_about_crime(raw: pd.DataFrame,
                                                              incidents: pd.DataFrame) -> None:
    received = pd.to_datetime(raw["date_heure_reception"])
    same_days = incidents["DATE"] >= received.min().strftime("%Y-%m-%d")
    assert len(raw) > 2 * same_days.sum()
    assert received.max().date().isoformat() <= incidents["DATE"].max()
    crime_reports = raw["code_appel"].isin(["459", "459R", "211", "10851", "10851R", "594R",
                                            "488R"])
    assert crime_reports.mean() < 0.2
    shares = np.array([t[2] for t in TYPES])
    self_share = shares[[t[3] == SELF for t in TYPES]].sum() / shares.sum()
    assert (raw["initiative_policiere"] == "oui").mean() == pytest.approx(self_share, abs=0.03)


def test_every_pathway_is_present_and_one_local_code_is_unmapped(raw: pd.DataFrame) -> None:
    calls = pd.DataFrame({"call_type": raw["code_appel"], "disposition": raw["code_disposition"],
                          "received": pd.to_datetime(raw["date_heure_reception"]),
                          "self_initiated": raw["initiative_policiere"] == "oui"})
    result = call_demand(calls, PathwayTable.default())
    assert all(result.by_pathway.get(p, 0) > 50 for p in ("emergency", "deferrable", "crisis",
                                                          "other_service", "not_demand"))
    assert [u["call_type"] for u in result.unmapped] == ["PARC"]


def test_crime_reports_come_from_where_the_incidents_are(raw: pd.DataFrame,
                                                         incidents: pd.DataFrame) -> None:
    burglary_places = set(zip(incidents.loc[incidents["CATEGORIE"] == "Introduction",
                                            "LONGITUDE"].astype(float).round(4),
                              incidents.loc[incidents["CATEGORIE"] == "Introduction",
                                            "LATITUDE"].astype(float).round(4), strict=True))

    def share_at_burglary_places(code: str) -> float:
        rows = raw[raw["code_appel"] == code]
        places = zip(rows["longitude"].astype(float).round(4),
                     rows["latitude"].astype(float).round(4), strict=True)
        return float(np.mean([place in burglary_places for place in places]))

    assert share_at_burglary_places("459R") > share_at_burglary_places("T") + 0.05


def test_a_few_addresses_call_again_and_again(raw: pd.DataFrame) -> None:
    public = raw[raw["initiative_policiere"] == "non"]
    per_address = public["adresse"].value_counts()
    chronic = CHRONIC_PLACES_PER_STATION * raw["pdq"].nunique()
    assert per_address.iloc[:chronic].min() > 4 * per_address.median()
    crisis = public["code_appel"].isin(["CW", "5150", "5150V", "647F"])
    at_top = public["adresse"].isin(per_address.index[:chronic])
    assert crisis[at_top].mean() > crisis[~at_top].mean()
