"""Statistics of the portrait: golden values worked out by hand or taken from reference
implementations (esda, scipy), simulations that check calibration, and properties."""

from __future__ import annotations

import doctest
import importlib
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from portrait.errors import PortraitError
from portrait.statistics.apportion import (
    ApportionParameters,
    apportion,
    area_shares,
    census_counts,
)
from portrait.statistics.classification import natural_breaks, quantile_breaks
from portrait.statistics.concentration import concentration, location_counts, repeat_locations
from portrait.statistics.density import KdeParameters, choose_bandwidth, kernel_density
from portrait.statistics.grid import build_grid, choose_cell_size
from portrait.statistics.hotspots import (
    HotSpotParameters,
    choose_distance_band,
    distance_band_weights,
    getis_ord_gi_star,
    hot_spots,
)
from portrait.statistics.location_quotients import WHOLE_CITY, location_quotients
from portrait.statistics.multiple_testing import benjamini_hochberg
from portrait.statistics.proportions import (
    effective_sample_size,
    two_proportion_test,
    weighted_proportion,
    wilson_interval,
)
from portrait.statistics.raking import rake
from portrait.statistics.rates import (
    change_test,
    conditional_binomial_test,
    poisson_change_test,
    poisson_interval,
    rate_per,
    rates_per,
)

CRS = "EPSG:32188"
MODULES = ("rates", "proportions", "multiple_testing", "grid", "hotspots", "density",
           "concentration", "location_quotients", "apportion", "raking", "classification",
           "distributions")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"portrait.statistics.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --- rates and change tests ------------------------------------------------------------------
@pytest.mark.parametrize(("count", "expected"), [
    (0, (0.0, 3.689)), (1, (0.025, 5.572)), (10, (4.795, 18.39)), (100, (81.364, 121.627))])
def test_exact_poisson_interval_golden_values(count: int, expected: tuple) -> None:
    assert poisson_interval(count) == pytest.approx(expected, abs=1e-3)


def test_rates_per_thousand_and_no_division_by_zero() -> None:
    rate = rate_per(10, 5_000)
    assert (rate.value, round(rate.low, 3), round(rate.high, 3)) == (2.0, 0.959, 3.678)
    for denominator in (0, None, float("nan"), -5):
        empty = rate_per(4, denominator)
        assert empty.value is None and empty.reason
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, low, high = rates_per([3, 0, 5], [1_000, 0, np.nan])
    assert value[0] == 3.0 and np.isnan(value[1:]).all() and np.isnan(high[1:]).all()


def test_change_test_golden_values() -> None:
    # Wheeler's example: 25 against a long-run average of 16 gives Z = 2.
    assert poisson_change_test(25, 16, previous_periods=10**9).statistic == pytest.approx(2.0)
    # Against one observed count the variance doubles.
    assert poisson_change_test(25, 16).statistic == pytest.approx(2.0 / math.sqrt(2))
    exact = conditional_binomial_test(9, 2)
    assert exact.p_value == pytest.approx(2 * 67 / 2048)  # 2 * P(X >= 9), X ~ Bin(11, 1/2)
    assert exact.rate_ratio == pytest.approx(4.5)
    assert exact.rate_ratio_low < 4.5 < exact.rate_ratio_high
    assert conditional_binomial_test(0, 0).p_value == 1.0
    assert change_test(5, 9).method.startswith("exact")
    assert change_test(50, 90).method.startswith("Poisson square-root")
    # Unequal lengths: 40 events in half the time of 80 is no change at all.
    halved = change_test(40, 80, exposure_ratio=0.5)
    assert halved.statistic == pytest.approx(0.0) and halved.rate_ratio == pytest.approx(1.0)
    assert conditional_binomial_test(40, 80, 0.5).p_value > 0.9


def test_square_root_test_is_calibrated_for_two_observed_counts() -> None:
    """Under no change, the test must flag about 5% of pairs; the uncorrected statistic
    (previous taken as a known mean) flags about three times as many."""
    rng = np.random.default_rng(2024)
    current, previous = rng.poisson(60, 20_000), rng.poisson(60, 20_000)
    corrected = np.mean([poisson_change_test(c, p).p_value < 0.05
                         for c, p in zip(current[:4000], previous[:4000], strict=True)])
    naive_z = 2 * (np.sqrt(current) - np.sqrt(previous))
    naive = np.mean(2 * stats.norm.sf(np.abs(naive_z)) < 0.05)
    assert 0.035 < corrected < 0.07
    assert naive > 0.13
    shorter = rng.poisson(30, 4000)  # a current period half as long, same rate
    unequal = np.mean([poisson_change_test(c, p, exposure_ratio=0.5).p_value < 0.05
                       for c, p in zip(shorter, previous[:4000], strict=True)])
    assert 0.035 < unequal < 0.07


# --- proportions --------------------------------------------------------------------------------
def test_wilson_interval_golden_values() -> None:
    p = wilson_interval(8, 10)
    assert (p.value, round(p.low, 3), round(p.high, 3)) == (0.8, 0.49, 0.943)
    assert wilson_interval(0, 0).value is None


def test_weighted_proportion_uses_the_effective_sample_size() -> None:
    outcomes = [1, 1, 0, 1, 0, 0, 1, 1, 1, 0]
    unweighted = weighted_proportion(outcomes)
    equal = weighted_proportion(outcomes, np.full(10, 2.5))
    assert (equal.low, equal.high) == pytest.approx((unweighted.low, unweighted.high))
    skewed = weighted_proportion(outcomes, [5, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    assert skewed.effective_n == pytest.approx(effective_sample_size([5] + [1] * 9))
    assert skewed.effective_n < 10
    assert skewed.high - skewed.low > unweighted.high - unweighted.low
    assert weighted_proportion([np.nan, 1.0, 0.0]).n == 2


def test_two_proportion_test_matches_the_textbook_formula() -> None:
    test = two_proportion_test(0.6, 100, 0.45, 100)
    pooled = 0.525
    z = 0.15 / math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert test.statistic == pytest.approx(z)
    assert test.low < test.difference < test.high
    assert two_proportion_test(1.0, 20, 1.0, 30).p_value == 1.0


# --- multiple testing ---------------------------------------------------------------------------
def test_benjamini_hochberg_on_the_original_paper_example() -> None:
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
         0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    result = benjamini_hochberg(p, q=0.05)
    assert result.rejected.sum() == 4  # Benjamini & Hochberg (1995), section 4
    assert result.adjusted == pytest.approx(stats.false_discovery_control(p))
    shuffled = np.random.default_rng(1).permutation(len(p))
    again = benjamini_hochberg(np.asarray(p)[shuffled])
    assert again.adjusted == pytest.approx(result.adjusted[shuffled])


# --- grid, Gi* and density ---------------------------------------------------------------------
def _l_shaped_station() -> shapely.Polygon:
    return shapely.Polygon([(0, 0), (800, 0), (800, 300), (400, 300), (400, 600), (0, 600)])


def test_gi_star_z_scores_equal_esda() -> None:
    G_Local = pytest.importorskip("esda.getisord").G_Local  # noqa: N806
    DistanceBand = pytest.importorskip("libpysal.weights").DistanceBand  # noqa: N806

    rng = np.random.default_rng(5)
    grid = build_grid(_l_shaped_station(), 100.0, CRS)
    x = np.r_[rng.uniform(0, 800, 150), rng.normal(150, 60, 120)]
    y = np.r_[rng.uniform(0, 300, 150), rng.normal(450, 60, 120)]
    result = hot_spots(x, y, _l_shaped_station(), HotSpotParameters(cell_size=100.0))
    assert result.grid.size == grid.size == 36  # 8 x 3 + 4 x 3 cells
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(grid.centres, threshold=result.distance_band, binary=True,
                         silence_warnings=True)
        reference = G_Local(result.counts, w, star=True, transform="B", permutations=0)
    assert result.z_scores == pytest.approx(np.asarray(reference.Zs), abs=1e-9)
    assert result.distance_band == pytest.approx(150.0)
    assert result.neighbours_min == 3  # a corner cell: right, above and diagonal


def test_gi_star_finds_a_planted_cluster_and_little_in_noise() -> None:
    rng = np.random.default_rng(11)
    station = shapely.box(0, 0, 2_000, 2_000)
    noise_x, noise_y = rng.uniform(0, 2_000, 1_500), rng.uniform(0, 2_000, 1_500)
    noise = hot_spots(noise_x, noise_y, station, HotSpotParameters(cell_size=100.0))
    assert np.sum(np.abs(noise.bins) >= 2) <= 4  # FDR keeps false hot spots rare
    cluster_x = np.r_[noise_x, rng.normal(1_500, 80, 300)]
    cluster_y = np.r_[noise_y, rng.normal(500, 80, 300)]
    found = hot_spots(cluster_x, cluster_y, station, HotSpotParameters(cell_size=100.0))
    assert found.bins[found.grid.cell_of([1_500], [500])[0]] == 3
    assert found.bins[found.grid.cell_of([300], [1_700])[0]] <= 0
    assert found.summary()["3"] >= 4


def test_hot_spots_refuse_degrees_and_explain_empty_stations() -> None:
    with pytest.raises(PortraitError, match="metres"):
        hot_spots([0.0], [0.0], shapely.box(-73.6, 45.5, -73.5, 45.6), crs="EPSG:4326")
    empty = hot_spots([], [], shapely.box(0, 0, 1_000, 1_000))
    assert empty.reason and np.isnan(empty.z_scores).all() and (empty.bins == 0).all()


def test_grid_rules_and_distance_band() -> None:
    assert choose_cell_size(15e6, 28_000) == 80.0
    assert choose_cell_size(1e6, 0) == 100.0  # at least 100 cells
    assert choose_cell_size(400e6, 10) == 500.0  # never coarser than 500 m
    two_pieces = shapely.MultiPolygon([shapely.box(0, 0, 300, 300),
                                       shapely.box(1_000, 0, 1_100, 100)])
    grid = build_grid(two_pieces, 100.0)
    band = choose_distance_band(grid.centres, grid.cell_size)
    w = distance_band_weights(grid.centres, band)
    assert (np.diff(w.indptr) >= 2).all()  # every cell: itself and at least one neighbour
    assert band == pytest.approx(800.0, abs=1e-3)


def test_gi_star_is_undefined_without_variation() -> None:
    w = distance_band_weights(np.array([[0.0, 0], [1, 0], [2, 0]]), 1.0)
    assert np.isnan(getis_ord_gi_star([2, 2, 2], w)).all()


def test_kernel_density_integrates_to_the_number_of_incidents() -> None:
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 200, 400), rng.normal(0, 200, 400)
    grid = build_grid(shapely.box(-2_000, -2_000, 2_000, 2_000), 40.0)
    result = kernel_density(x, y, grid, KdeParameters())
    assert result.bandwidth == pytest.approx(choose_bandwidth(x, y))
    assert 100.0 <= result.bandwidth <= 1_000.0
    assert result.density.sum() * 0.04 ** 2 == pytest.approx(400, rel=0.01)
    grouped = location_counts(np.round(x, -1), np.round(y, -1))
    same = kernel_density(grouped[0], grouped[1], grid, KdeParameters(result.bandwidth),
                          weights=grouped[2])
    plain = kernel_density(np.round(x, -1), np.round(y, -1), grid,
                           KdeParameters(result.bandwidth))
    assert same.density == pytest.approx(plain.density)


# --- concentration and location quotients ------------------------------------------------------
def test_concentration_golden_values() -> None:
    counts = [0] * 15 + [1, 1, 2, 6, 10]  # 20 places, 20 incidents
    result = concentration(counts)
    assert result.top_shares[0.05] == 0.5  # the top place (1 of 20) holds 10 of 20
    assert result.top_shares[0.10] == 0.8
    ranks = np.arange(1, 21)
    expected_gini = 2 * np.sum(ranks * np.sort(counts)) / (20 * 20) - 21 / 20
    assert result.gini == pytest.approx(expected_gini)
    assert result.lorenz[0] == (0.0, 0.0) and result.lorenz[-1] == (1.0, 1.0)
    repeats = repeat_locations(counts)
    assert (repeats.repeat_places, repeats.share_at_repeats) == (3, 0.9)


def test_location_quotients_on_a_hand_made_table() -> None:
    table = pd.DataFrame({"station": [30, 50, 20, 0], "city": [1_000, 6_000, 2_900, 100]},
                         index=["robbery", "theft", "mischief", "homicide"])
    lq = location_quotients(table.station, table.station.sum(), table.city, table.city.sum(),
                            against=WHOLE_CITY)
    assert lq.value == pytest.approx([3.0, 0.8333333, 0.6896552, 0.0])
    assert lq.low[0] < 3.0 < lq.high[0]
    assert np.isnan(lq.low[3]) and "no interval" in lq.notes[3]
    assert lq.notes[:3] == [None, None, None]


def test_location_quotients_compare_with_the_rest_of_the_city_by_default() -> None:
    # A station with half the city's incidents: against the whole city its own mix pulls
    # the reference towards it; against the rest of the city the contrast is the real one.
    station, city = np.array([40.0, 60.0]), np.array([50.0, 150.0])
    rest = location_quotients(station, 100, city, 200)
    whole = location_quotients(station, 100, city, 200, against=WHOLE_CITY)
    assert rest.value == pytest.approx([(40 / 100) / (10 / 100), (60 / 100) / (90 / 100)])
    assert whole.value == pytest.approx([(40 / 100) / (50 / 200), (60 / 100) / (150 / 200)])
    assert rest.against == "rest of the city" and whole.against == "whole city"
    assert rest.value[0] > whole.value[0] > 1 > whole.value[1] > rest.value[1]
    alone = location_quotients([5.0], 5, [5.0], 5)
    assert np.isnan(alone.value[0])
    assert alone.notes == ["no incidents of this category in the rest of the city"]


# --- apportionment ------------------------------------------------------------------------------
def _hand_made_areas() -> tuple[gpd.GeoDataFrame, pd.DataFrame, gpd.GeoDataFrame]:
    """Three 1 x 1 km areas in a row; station W holds A and half of B, station E the rest."""
    areas = gpd.GeoDataFrame({"area_id": ["A", "B", "C"]}, crs=CRS, geometry=[
        shapely.box(0, 0, 1_000, 1_000), shapely.box(1_000, 0, 2_000, 1_000),
        shapely.box(2_000, 0, 3_000, 1_000)])
    stations = gpd.GeoDataFrame({"station_id": ["W", "E"]}, crs=CRS, geometry=[
        shapely.box(0, 0, 1_500, 1_000), shapely.box(1_500, 0, 3_000, 1_000)])
    rows = {
        "A": {"population": 1_000, "low_income": 100, "low_income_base": 1_000,
              "households": 400, "median_household_income": 40_000},
        "B": {"population": 200, "low_income": 80, "low_income_base": 200,
              "households": 100, "median_household_income": 30_000},
        "C": {"population": 30, "low_income": 3, "low_income_base": 30, "households": 10,
              "median_household_income": 90_000},
    }
    long = pd.DataFrame([{"area_id": a, "indicator_id": k, "value": float(v)}
                         for a, values in rows.items() for k, v in values.items()])
    return areas, long, stations


def test_apportionment_on_hand_made_polygons() -> None:
    areas, long, stations = _hand_made_areas()
    shares = area_shares(areas, stations)
    assert shares.set_index(["target_id", "area_id"])["share"].to_dict() == pytest.approx(
        {("W", "A"): 1.0, ("W", "B"): 0.5, ("E", "B"): 0.5, ("E", "C"): 1.0})
    result = apportion(census_counts(long), shares)
    values = result.values
    assert values.loc["W", "population"] == 1_100 and values.loc["E", "population"] == 130
    # B has fewer than 250 residents: no income data; C fewer than 40: no characteristics.
    assert values.loc["W", "low_income"] == 100 and values.loc["W", "low_income_base"] == 1_000
    assert values.loc["W", "low_income_rate"] == pytest.approx(10.0)
    assert np.isnan(values.loc["E", "low_income_rate"])  # nothing left to compute it from
    assert values.loc["W", "households"] == 450 and values.loc["E", "households"] == 50
    assert values.loc["W", "median_household_income"] == 40_000
    assert "median_household_income" in result.approximate
    suppressed = result.suppressed.set_index("area_id")
    assert set(suppressed.index) == {"B", "C"}
    assert "income" in suppressed.loc["B", "rule"] and "40" in suppressed.loc["C", "rule"]
    assert result.value_coverage.loc["W", "low_income"] == pytest.approx(1_000 / 1_100)


def test_shares_are_recomputed_not_averaged() -> None:
    areas, long, stations = _hand_made_areas()
    parameters = ApportionParameters(min_population=0, min_population_income=0)
    result = apportion(census_counts(long), area_shares(areas, stations), parameters)
    # W: (100 + 40) / (1000 + 100), not the mean of 10% and 40%.
    assert result.values.loc["W", "low_income_rate"] == pytest.approx(100 * 140 / 1_100)
    assert result.suppressed.empty


def test_median_of_one_area_targets_and_of_several_areas() -> None:
    """A target of one area takes that area's median when it has households there; a target
    of several takes the household-weighted median of their medians."""
    medians = {"A": 50_000.0, "B": 30_000.0, "C": np.nan, "D": 70_000.0, "E": 20_000.0}
    households = {"A": 400.0, "B": 100.0, "C": 300.0, "D": 0.0, "E": np.nan}
    long = pd.DataFrame(
        [{"area_id": a, "indicator_id": k, "value": v} for a in medians
         for k, v in (("population", 1_000.0), ("households", households[a]),
                      ("median_household_income", medians[a]))])
    shares = pd.DataFrame(
        [("only A", "A", 1.0), ("part of B", "B", 0.3), ("only C", "C", 1.0),
         ("only D", "D", 1.0), ("only E", "E", 1.0), ("nothing of A", "A", 0.0),
         ("unknown area", "Z", 1.0), ("A and B", "A", 0.2), ("A and B", "B", 1.0),
         ("B, C and D", "B", 1.0), ("B, C and D", "C", 1.0), ("B, C and D", "D", 1.0)],
        columns=["target_id", "area_id", "share"])
    result = apportion(census_counts(long), shares,
                       ApportionParameters(min_population=0, min_population_income=0))
    median = result.values["median_household_income"].to_dict()
    assert median["only A"] == 50_000 and median["part of B"] == 30_000
    assert median["A and B"] == 30_000  # 0.2 x 400 = 80 households against 100
    assert median["B, C and D"] == 30_000  # C has no median, D no households
    for empty in ("only C", "only D", "only E", "nothing of A", "unknown area"):
        assert np.isnan(median[empty]), empty


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 9), min_size=1, max_size=6),
       cuts=st.lists(st.integers(1, 99), min_size=0, max_size=4, unique=True),
       populations=st.lists(st.integers(0, 5_000), min_size=6, max_size=6),
       bases=st.lists(st.integers(0, 3), min_size=6, max_size=6))
def test_apportioned_counts_over_a_partition_sum_to_the_totals(widths, cuts, populations,
                                                               bases) -> None:
    edges = np.cumsum([0, *widths]) * 100.0
    total_width = edges[-1]
    areas = gpd.GeoDataFrame({"area_id": [f"A{i}" for i in range(len(widths))]}, crs=CRS,
                             geometry=[shapely.box(a, 0, b, 500)
                                       for a, b in zip(edges[:-1], edges[1:], strict=True)])
    cut_x = sorted({total_width * c / 100 for c in cuts} - {0.0, total_width})
    bounds = [0.0, *cut_x, total_width]
    stations = gpd.GeoDataFrame(
        {"station_id": [f"S{i}" for i in range(len(bounds) - 1)]}, crs=CRS,
        geometry=[shapely.box(a, 0, b, 500) for a, b in zip(bounds[:-1], bounds[1:],
                                                              strict=True)])
    long = pd.DataFrame(
        [{"area_id": f"A{i}", "indicator_id": k, "value": float(v)}
         for i in range(len(widths))
         for k, v in (("population", populations[i]), ("households", populations[i] // 2),
                      ("low_income", populations[i] // 5),
                      ("low_income_base", populations[i] * bases[i] // 3))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a division by zero would warn
        result = apportion(census_counts(long), area_shares(areas, stations),
                           ApportionParameters(min_population=0, min_population_income=0))
    totals = census_counts(long).sum()
    for column in ("population", "households", "low_income", "low_income_base"):
        assert result.values[column].sum() == pytest.approx(totals[column], abs=1e-6)
    rates = result.values["low_income_rate"]
    zero_base = result.values["low_income_base"] <= 0
    assert rates[zero_base].isna().all()
    assert np.isfinite(rates[~zero_base]).all()


# --- map classes -------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "k"), [(12, 3), (60, 5), (150, 7)])
def test_class_breaks_equal_mapclassify(n: int, k: int) -> None:
    mapclassify = pytest.importorskip("mapclassify")

    values = np.round(np.random.default_rng(n).lognormal(3, 1, n), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jenks = mapclassify.FisherJenks(values, k=k).bins
        quantiles = mapclassify.Quantiles(values, k=k).bins
    assert natural_breaks(values, k) == pytest.approx(jenks.tolist())
    assert quantile_breaks(values, k) == pytest.approx(quantiles.tolist())


# --- raking -------------------------------------------------------------------------------------
def test_raking_matches_every_margin_and_keeps_the_total() -> None:
    rng = np.random.default_rng(9)
    sample = pd.DataFrame({"age": rng.choice(["18-34", "35-64", "65+"], 500, p=[.15, .45, .4]),
                           "sex": rng.choice(["F", "M", "X"], 500, p=[.6, .38, .02])})
    weights = rng.uniform(0.5, 2, 500)
    margins = {"age": {"18-34": 300, "35-64": 500, "65+": 200}, "sex": {"F": 51, "M": 49}}
    result = rake(sample, weights, margins)
    assert result.converged and result.iterations < 50
    assert result.weights.sum() == pytest.approx(weights.sum())
    age = pd.Series(result.weights).groupby(sample["age"]).sum()
    assert (age / age.sum()).to_dict() == pytest.approx({"18-34": .3, "35-64": .5, "65+": .2})
    matched = sample["sex"] != "X"
    sex = pd.Series(result.weights[matched]).groupby(sample["sex"][matched].to_numpy()).sum()
    assert sex["F"] / sex.sum() == pytest.approx(0.51, abs=1e-5)
    assert result.unmatched == {"age": 0, "sex": int((~matched).sum())}
