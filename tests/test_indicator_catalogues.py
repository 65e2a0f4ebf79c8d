"""The indicator catalogue format: built-in catalogues as data, user files, and their rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_connectors.statcan_characteristics import CHARACTERISTICS
from data_connectors.wide_profile_catalogues import SOURCES
from portrait.errors import PortraitError
from portrait.indicators import (
    BUILTIN,
    RATE,
    SCORE,
    SHARE,
    Catalogue,
    catalogue_source,
    load_catalogue,
    to_frame,
    workspace_catalogue,
)
from portrait.statistics.apportion import ApportionParameters, suppress_small_areas

RATE_FILE = """
[[indicator]]
id = "shelter_beds"
kind = "count"
label_fr = "Lits d'hébergement"
label_en = "Shelter beds"
unit = "beds"

[[indicator]]
label_fr = "Lits d'hébergement pour 10 000 résidents"
label_en = "Shelter beds per 10,000 residents"
id = "shelter_bed_rate"
denominator = "population"
numerator = "shelter_beds"
kind = "rate"
per = 10000
aliases = ["beds_rate", "Taux de lits"]
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_built_in_source_layout_feeds_indicators_of_the_built_in_catalogue() -> None:
    fed = {c.indicator_id for c in CHARACTERISTICS if c.indicator_id}
    fed |= {entry.indicator_id for source in SOURCES for entry in source.entries}
    assert fed and fed <= set(BUILTIN.by_id)
    BUILTIN.check()  # every share's numerator and denominator are counts
    assert {item.kind for item in BUILTIN} == {"count", SHARE, "median", SCORE}
    assert BUILTIN.get("low_income_rate").direction == "higher-is-worse"
    assert BUILTIN.income_ids() == ("low_income", "low_income_base",
                                    "median_household_income")


def test_a_user_file_adds_a_rate_and_csv_says_the_same_as_toml(tmp_path: Path) -> None:
    from_toml = load_catalogue(_write(tmp_path, "rates.toml", RATE_FILE))
    rate = from_toml.get("shelter_bed_rate")
    assert (rate.kind, rate.per, rate.unit, rate.origin) == (RATE, 10000.0, "per 10,000",
                                                             "rates.toml")
    assert rate.aggregation == "ratio of sums"
    assert from_toml.column_ids()["tauxdelits"] == "shelter_bed_rate"
    csv = _write(tmp_path, "rates.csv", to_frame([from_toml.get("shelter_beds"), rate])
                 .drop(columns="origin").to_csv(index=False))
    from_csv = load_catalogue(csv)
    assert from_csv.get("shelter_bed_rate") == replace(rate, origin="rates.csv")


def test_a_user_entry_replaces_the_built_in_one_in_place(tmp_path: Path) -> None:
    path = _write(tmp_path, "mine.toml", '[[indicator]]\nid = "population"\nkind = "count"\n'
                  'label_fr = "Habitants"\nlabel_en = "Residents"\naliases = ["TOT_POP"]\n')
    catalogue = load_catalogue(path)
    assert len(catalogue) == len(BUILTIN)
    assert [i.id for i in catalogue] == [i.id for i in BUILTIN]
    assert catalogue.get("population").label_fr == "Habitants"
    assert catalogue.column_ids()["totpop"] == "population"


def test_the_workspace_keeps_what_the_file_said(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, "rates.toml", RATE_FILE))
    stored = to_frame([catalogue.get("shelter_beds"), catalogue.get("shelter_bed_rate")])
    again = workspace_catalogue(stored)
    assert again.get("shelter_bed_rate") == catalogue.get("shelter_bed_rate")
    assert workspace_catalogue(stored.iloc[0:0]) is BUILTIN


@pytest.mark.parametrize(("text", "message"), [
    ('id = "a"\nkind = "ratio"\nlabel_fr = "A"\nlabel_en = "A"',
     r"bad\.toml, indicator 1 \('a'\), field 'kind': 'ratio' is not a kind\. Expected: count"),
    ('id = "poverty share"\nkind = "count"\nlabel_fr = "A"\nlabel_en = "A"',
     r"field 'id': 'poverty share' has characters other than letters, digits and '_'"),
    ('id = "a"\nkind = "count"\nlabel_fr = "A"',
     r"indicator 1 \('a'\), field 'label_en': is missing"),
    ('id = "a"\nkind = "count"\nlabel_fr = "A"\nlabel_en = "A"\ncolour = "red"',
     r"field 'colour': is not a field of the catalogue\. Expected: one of aliases"),
    ('id = "a"\nkind = "share"\nlabel_fr = "A"\nlabel_en = "A"\nnumerator = "population"',
     r"field 'denominator': is missing for a share"),
    ('id = "a"\nkind = "rate"\nlabel_fr = "A"\nlabel_en = "A"\nnumerator = "population"\n'
     'denominator = "households"', r"field 'per': is missing for a rate"),
    ('id = "a"\nkind = "count"\nlabel_fr = "A"\nlabel_en = "A"\ndirection = "up"',
     r"field 'direction': 'up' is not allowed\. Expected: higher-is-better"),
    ('id = "a"\nkind = "count"\nlabel_fr = "A"\nlabel_en = "A"\nsuppress_below = "ten"',
     r"field 'suppress_below': 'ten' is not a number"),
    ('id = "a"\nkind = "share"\nlabel_fr = "A"\nlabel_en = "A"\nnumerator = "poor"\n'
     'denominator = "population"',
     r"bad\.toml: indicator 'a' is a share whose numerator 'poor' is not a count"),
])
def test_a_wrong_catalogue_is_refused_naming_the_entry_and_field(
        tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PortraitError, match=message):
        load_catalogue(_write(tmp_path, "bad.toml", "[[indicator]]\n" + text + "\n"))


def test_a_file_that_is_not_toml_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(PortraitError, match=r"notes\.toml: not a valid catalogue file .*"
                       r"Expected: TOML as in docs/indicators\.md"):
        load_catalogue(_write(tmp_path, "notes.toml", "id: population\n"))


def test_small_number_rules_follow_each_indicator(tmp_path: Path) -> None:
    """An index the publisher protected stays in a small area; a count under its own
    threshold is hidden; the income rule reaches the catalogue's income indicators."""
    path = _write(tmp_path, "rules.toml", """
[[indicator]]
id = "adi"
kind = "index"
label_fr = "Indice"
label_en = "Index"
small_areas = "none"

[[indicator]]
id = "poor"
kind = "count"
label_fr = "Pauvres"
label_en = "Poor"
suppress_below = 10
small_areas = "income"
""")
    catalogue = load_catalogue(path)
    wide = pd.DataFrame({"population": [30.0, 200.0, 900.0], "adi": [1.5, 0.2, -0.3],
                         "poor": [5.0, 40.0, 8.0], "households": [12.0, 80.0, 400.0]},
                        index=pd.Index(["tiny", "small", "large"], name="area_id"))
    cleaned, hidden = suppress_small_areas(wide, ApportionParameters(), catalogue)
    assert cleaned.at["tiny", "adi"] == 1.5  # not hidden by the 40-resident rule
    assert np.isnan(cleaned.at["tiny", "households"])
    assert np.isnan(cleaned.at["small", "poor"])  # income rule (under 250 residents)
    assert np.isnan(cleaned.at["large", "poor"])  # 8 is under the indicator's own 10
    rules = set(zip(hidden["area_id"], hidden["indicators"], strict=True))
    assert ("large", "poor") in rules and ("tiny", "all characteristics") in rules
    assert cleaned.at["large", "population"] == 900.0


def test_the_built_in_catalogue_keeps_its_order_and_long_form_marks() -> None:
    assert isinstance(BUILTIN, Catalogue)
    assert [i.id for i in BUILTIN][:3] == ["population", "households", "age_0_14"]
    assert BUILTIN.estimate_of(BUILTIN.get("unemployment_rate")) == "long-form"
    assert BUILTIN.estimate_of(BUILTIN.get("share_65_plus")) == ""


def test_the_source_of_a_catalogue_gives_a_year_and_a_name(tmp_path: Path) -> None:
    source = catalogue_source(_write(tmp_path, "ok.toml", '[source]\nyear = 2022\n'
                                     'label = "US Census Bureau, ACS 5-year"\n'))
    assert (source.year, source.label) == (2022, "US Census Bureau, ACS 5-year")
    assert catalogue_source(_write(tmp_path, "none.toml", RATE_FILE)).year is None
    with pytest.raises(PortraitError, match=r"late\.toml, \[source\], field 'year': 'last "
                       r"year' is not a year"):
        catalogue_source(_write(tmp_path, "late.toml", '[source]\nyear = "last year"\n'))
