"""Area-level survey results as published, for the Surveys section of one station.

Cities and police services often hand over a survey already aggregated: a score per area
(station, district, postal-code prefix, neighbourhood) and theme, sometimes with the number of
respondents. The station's rows are those of the station itself, of areas an area -> station
table placed in it at import, and of mapped areas mostly inside it. Each becomes a figure of
the section with its interval when the table gives n and the score is a percentage, and is
suppressed under the survey's minimum number of answers, as respondent-level results are.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from portrait.portrait_model import IndicatorValue, Interval
from portrait.sections.common import StationContext
from portrait.services import fold
from portrait.statistics.proportions import wilson_bounds
from portrait.surveys import ALL_RESPONDENTS

#: A theme whose published scores go above this is read as percentages (means of 1-5 or
#: 1-10 scales never do); below it, scores are shown as published, without an interval.
PERCENT_ABOVE = 10.0
ID_PREFIX = "survey_score_"


def published_scores(context: StationContext) -> list[IndicatorValue]:
    """The latest published score of each theme for each of the station's areas."""
    scores = context.data.survey_scores
    if scores is None or scores.empty:
        return []
    rows = _station_rows(scores, context)
    if rows.empty:
        return []
    percent = _percent_themes(scores)
    latest = rows.groupby("theme")["period"].transform(lambda p: p.max() if p.notna().any()
                                                         else np.nan)
    rows = rows[(rows["period"] == latest) | latest.isna()]
    names = _area_names(context)
    names.update({str(k): context.data.station_name(str(k))
                  for k in rows.loc[rows["area_level"] == "station", "area_id"].unique()})
    level = context.options.confidence_level
    min_n = context.options.survey_min_n
    return [_figure(row, names, row.theme in percent, level, min_n)
            for row in rows.sort_values(["theme", "area_id"]).itertuples(index=False)]


def _station_rows(scores: pd.DataFrame, context: StationContext) -> pd.DataFrame:
    """Whole-population rows of the station, of areas placed in it, or of areas inside it."""
    subgroup = scores["subgroup"].fillna("").astype(str).str.strip().str.lower()
    scores = scores[subgroup.isin(ALL_RESPONDENTS).to_numpy() & scores["score"].notna()]
    station = context.station_id
    placed = scores["station_id"].astype(str) == station if "station_id" in scores \
        else pd.Series(False, index=scores.index)
    own = (scores["area_level"].astype(str) == "station") & \
        (scores["area_id"].astype(str) == station)
    inside = scores["area_id"].astype(str).isin(_areas_inside(context))
    return scores[placed | own | inside]


def _areas_inside(context: StationContext) -> set[str]:
    """Mapped areas whose inner point lies in the station (most of them, for these areas)."""
    key = ("survey_score_areas", context.station_id)
    cache = context.data.cache
    if key not in cache:
        areas: gpd.GeoDataFrame = context.data.census.areas_frame
        if areas is None or areas.empty:
            cache[key] = set()
        else:
            polygon = context.data.polygon(context.station_id)
            points = areas.geometry.representative_point()
            cache[key] = set(areas.loc[points.within(polygon).to_numpy(), "area_id"]
                             .astype(str))
    return cache[key]


def _percent_themes(scores: pd.DataFrame) -> set[str]:
    top = scores.groupby("theme")["score"].max()
    return {str(theme) for theme, value in top.items() if PERCENT_ABOVE < value <= 100}


def _area_names(context: StationContext) -> dict[str, str]:
    areas = context.data.census.areas_frame
    if areas is None or areas.empty or "name" not in areas:
        return {}
    named = areas[areas["name"].notna()]
    return dict(zip(named["area_id"].astype(str), named["name"].astype(str), strict=True))


def _figure(row, names: dict[str, str], percent: bool, level: float,
            min_n: int) -> IndicatorValue:
    area = str(row.area_id)
    written = getattr(row, "area_name", None)
    name = names.get(area) or (str(written) if isinstance(written, str) and written else area)
    period = "" if pd.isna(row.period) else str(row.period)
    n = None if pd.isna(row.n) else int(row.n)
    score = float(row.score)
    reason = None
    if n is not None and n < min_n:
        reason = f"fewer than {min_n} substantive answers: suppressed"
    interval = None
    caveats = ["score as published by the source"]
    if n is None:
        caveats.append("n not published: no interval")
    elif percent and reason is None:
        low, high = wilson_bounds(score / 100, n, level)
        interval = Interval(100 * low, 100 * high, level,
                            "Wilson score interval on the published n")
    theme = str(row.theme)
    label = f"{theme} — {name}" + (f" ({period})" if period else "")
    return IndicatorValue(
        f"{ID_PREFIX}{_slug(theme)}_{_slug(area)}", label, label,
        None if reason else score, "%" if percent else "score", interval,
        definition=f"Published survey score for «{theme}» in {name}"
                   + (" (percentage of respondents)" if percent else " (as published)") + ".",
        definition_fr=f"Score de sondage publié pour « {theme} » dans {name}"
                      + (" (pourcentage des répondants)" if percent else " (tel que publié)")
                      + ".",
        source=str(row.source) if not pd.isna(row.source) else "",
        vintage=period, period=period, caveats=caveats,
        context={"n": n, "area": name, "area_level": str(row.area_level), "theme": theme,
                 "published": True},
        reason=reason)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", fold(text)).strip("_") or "x"
