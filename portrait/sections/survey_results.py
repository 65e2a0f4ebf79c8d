"""Resident survey results for the station: every answer, favourable shares, comparisons.

For each question: the full distribution of answers ("don't know" included), and for scaled
questions the share of the two most favourable answers among substantive ones, with a Wilson
interval on the Kish effective sample size. Results on fewer than ``survey_min_n`` answers are
suppressed (too imprecise, and a risk for respondents' privacy). The station is compared with
the rest of the city in the same survey wave and with its previous wave, each with a test;
tests across questions are corrected with Benjamini-Hochberg.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from portrait.portrait_model import IndicatorValue, Section, Table, TestResult
from portrait.sections.common import StationContext, proportion_indicator
from portrait.sections.survey_scores import published_scores
from portrait.statistics.multiple_testing import benjamini_hochberg
from portrait.statistics.proportions import (
    Proportion,
    two_proportion_test,
    wilson_bounds,
)
from portrait.statistics.raking import rake
from portrait.surveys import answer_position, favourable_from, scale_length, scale_of

ID = "surveys"
TITLE_FR, TITLE_EN = "Sondage auprès des résidents", "Resident survey"
#: A question with no scale and more distinct answers than this is free text.
FREE_TEXT_DISTINCT = 15


def survey_answers(context: StationContext) -> pd.DataFrame:
    """Answers joined to respondents (station, wave, weight), cached on the data."""
    return joined_answers(context.data)


def joined_answers(data) -> pd.DataFrame:
    """Every answer with its respondent's station, wave and weight (computed once)."""
    if "survey" not in data.cache:
        data.cache["survey"] = _join(data)
    return data.cache["survey"]


def _totals(context: StationContext) -> pd.DataFrame:
    """Per wave and question, sums over every respondent's substantive answers (n, sum w,
    sum w^2, sum w * favourable): the rest of the city is the total minus the station."""
    cache = context.data.cache
    if "survey_totals" not in cache:
        answers = survey_answers(context)
        cache["survey_totals"] = _sums(answers, ["wave", "question_id"])
    return cache["survey_totals"]


def _sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    code = frame["code"].to_numpy(dtype=float)
    ok = ~np.isnan(code)
    w = frame["weight"].to_numpy(dtype=float)[ok]
    favourable = (code[ok] >= frame["top"].to_numpy(dtype=float)[ok]).astype(float)
    parts = pd.DataFrame({**{k: frame[k].to_numpy(dtype=object)[ok] for k in keys},
                          "n": 1.0, "sw": w, "sw2": w * w, "swy": w * favourable})
    return parts.groupby(keys).sum()


def _question_sums(rows: pd.DataFrame, weight: np.ndarray | None = None) -> pd.Series | None:
    """The sums of ``_sums`` for the answers of one question, in numpy: a pandas group-by
    per question was most of a station's survey section. None without a substantive answer."""
    code = rows["code"].to_numpy(dtype=float)
    ok = ~np.isnan(code)
    if not ok.any():
        return None
    w = (rows["weight"].to_numpy(dtype=float) if weight is None else weight)[ok]
    favourable = code[ok] >= rows["top"].to_numpy(dtype=float)[ok]
    return pd.Series({"n": float(ok.sum()), "sw": np.nansum(w), "sw2": np.nansum(w * w),
                      "swy": np.nansum(w[favourable])})


def _proportion_from_sums(sums: pd.Series | None, level: float) -> Proportion:
    if sums is None or sums["n"] <= 0 or sums["sw"] <= 0:
        return Proportion(None, None, None, 0, 0.0, level, reason="no answers")
    p = float(sums["swy"] / sums["sw"])
    effective = float(sums["sw"] ** 2 / sums["sw2"])
    low, high = wilson_bounds(min(max(p, 0.0), 1.0), effective, level)
    return Proportion(p, low, high, int(round(sums["n"])), effective, level,
                      "Wilson score interval on the Kish effective sample size")


def _join(data) -> pd.DataFrame:
    answers, respondents = data.answers, data.respondents
    if answers.empty or respondents.empty:
        return pd.DataFrame()
    # The ids' text arrays as they are: through numpy, pandas made 45,000 Python strings
    # and read them back into text arrays (12 ms of a report).
    left = pd.DataFrame({"respondent_id": answers["respondent_id"].astype(str).array,
                         "question_id": answers["question_id"].astype(str).array,
                         "answer": answers["answer"].astype(object).to_numpy(),
                         "code": answers["answer_code"].astype(float).to_numpy()})
    joined = left.merge(respondents, on="respondent_id", how="inner")
    missing = np.isnan(joined["code"].to_numpy())
    if missing.any():  # a code from the typed answer when the export gave none
        joined.loc[missing, "code"] = _answer_codes(joined["answer"].to_numpy()[missing])
    joined["top"] = _favourable_positions(joined, data.questions)
    return joined


def _answer_codes(answers: np.ndarray) -> np.ndarray:
    """Each typed answer's position on its scale (NaN for other answers), reading each
    distinct answer once: thousands of answers share a handful of spellings."""
    index, distinct = pd.factorize(answers)  # no answer: -1, the NaN appended below
    positions = [answer_position(a) if isinstance(a, str) else None for a in distinct]
    return np.array([p[1] if p else np.nan for p in positions] + [np.nan])[index]


def _favourable_positions(joined: pd.DataFrame, questions: pd.DataFrame) -> np.ndarray:
    """Each answer's first favourable position, from its question's scale (4 or 5 points
    and more); a question whose scale the questionnaire does not give takes its answers'."""
    given = dict(zip(questions["question_id"].astype(str), questions["scale"], strict=True)) \
        if not questions.empty else {}
    tops = {}
    for question_id, rows in joined.groupby("question_id")["answer"]:
        scale = given.get(question_id)
        if scale_length(scale) is None:
            scale = scale_of(rows.dropna().tolist())
        tops[question_id] = favourable_from(scale) or np.nan
    return joined["question_id"].map(tops).to_numpy(dtype=float)


def wave_order(answers: pd.DataFrame) -> pd.Series:
    """First answer date of each wave, oldest first; a wave without any date (a file with no
    dates) comes first, since nothing says it is the latest."""
    return answers.groupby("wave")["date"].min().sort_values(na_position="first",
                                                             kind="stable")


def waves_until(waves: pd.Series, end: pd.Timestamp | None) -> pd.Series:
    """The waves begun by ``end`` (undated waves kept: their time is unknown)."""
    if end is None:
        return waves
    return waves[(waves <= end) | waves.isna()]


def build(context: StationContext) -> Section:
    published = published_scores(context)
    answers = survey_answers(context)
    if answers.empty:
        return _published_only(published, "the workspace holds no survey answers")
    cache = context.data.cache
    if "survey_by_station" not in cache:
        cache["survey_by_station"] = {str(k): g for k, g in answers.groupby("station")}
        cache["survey_waves"] = wave_order(answers)
    mine = cache["survey_by_station"].get(context.station_id)
    waves = waves_until(cache["survey_waves"], context.end)
    station_waves = [] if mine is None else [w for w in waves.index
                                             if w in set(mine["wave"])]
    if not station_waves:
        return _published_only(
            published, "no survey respondent lives in the station (up to the period's end)")
    wave = station_waves[-1]
    previous_wave = station_waves[-2] if len(station_waves) > 1 else None
    station = mine[mine["wave"] == wave]
    before = mine[mine["wave"] == previous_wave] if previous_wave else mine.iloc[:0]
    weights = _station_weights(context, station)
    totals = _totals(context)
    questions = _question_table(context)
    indicators, distribution = [], []
    for question_id, rows in station.groupby("question_id"):
        text, theme, scale = _question(questions, question_id, rows["answer"])
        found, dist = _question_results(context, question_id, text, theme, scale, rows,
                                        weights, totals, wave, before, previous_wave)
        distribution.extend(dist)
        indicators.extend(found)
    _adjust(indicators, context.options.fdr_q)
    dates = station["date"]
    context.parameters["surveys"] = {
        "wave": wave, "previous_wave": previous_wave, "min_n": context.options.survey_min_n,
        "favourable": "the favourable half of the question's scale, its middle answer left out "
                      "(the two most favourable answers of 4 or 5), among substantive answers "
                      "(don't know / refused left out)",
        "weights": "survey weights" if station["weighted"].any() else "none (all 1)",
        **context.parameters.get("surveys", {})}
    tables = [Table("answers", "Réponses par question", "Answers by question",
                    ["question_id", "answer", "n", "weighted_share"], distribution,
                    f"weighted_share: % of all answers to the question. Questions with fewer "
                    f"than {context.options.survey_min_n} answers are suppressed.")]
    people = station.drop_duplicates("respondent_id")
    notes = [f"Wave {wave}: {len(people)} respondents in the station "
             f"({dates.min().date() if dates.notna().any() else '?'} to "
             f"{dates.max().date() if dates.notna().any() else '?'})."]
    undated = int((~people["dated"].astype(bool)).sum())
    if undated:
        notes.append(f"{undated} respondent(s) without a date counted in wave {wave}, the "
                     "wave of their file.")
    return Section(ID, TITLE_FR, TITLE_EN, indicators + published, tables, notes=notes)


def _published_only(published: list[IndicatorValue], reason: str) -> Section:
    """The section of a station whose survey results are only published area scores."""
    if not published:
        return Section(ID, TITLE_FR, TITLE_EN, reason=reason)
    return Section(ID, TITLE_FR, TITLE_EN, published,
                   notes=[f"Published area scores only: {reason}."])


def _question_table(context: StationContext) -> dict[str, tuple]:
    """(text, theme, scale) of each question by id, read once for every station."""
    cache = context.data.cache
    if "survey_questions" not in cache:
        questions = context.data.questions
        columns = [questions[c].astype(object).where(questions[c].notna(), None).tolist()
                   for c in ("text", "theme", "scale")]
        table: dict[str, tuple] = {}
        for question_id, *row in zip(questions["question_id"].astype(str), *columns, strict=True):
            table.setdefault(question_id, tuple(row))  # a repeated id keeps its first row
        cache["survey_questions"] = table
    return cache["survey_questions"]


def _question(questions: dict[str, tuple], question_id: str, answers: pd.Series):
    """The question's text, theme and answer scale (guessed from the answers when the
    questionnaire gives none it knows)."""
    text, theme, scale = questions.get(question_id, (None, None, None))
    text = str(text) if text is not None else question_id
    theme = str(theme) if theme is not None else ""
    if scale_length(scale) is None:
        scale = scale_of(answers.dropna().tolist())
    return text, theme, scale


def _question_results(context, question_id, text, theme, scale, rows, weights, totals,
                      wave, before, previous_wave):
    min_n = context.options.survey_min_n
    n = int(len(rows))
    w = weights.reindex(rows["respondent_id"]).to_numpy()
    free_text = scale is None and rows["answer"].nunique() > FREE_TEXT_DISTINCT
    distribution = _distribution(question_id, rows["answer"], w) \
        if n >= min_n and not free_text else []
    if scale is None:
        return [], distribution
    mine = _question_sums(rows, w)
    level = context.options.confidence_level
    proportion = _proportion_from_sums(mine, level)
    reason = f"fewer than {min_n} substantive answers: suppressed" \
        if proportion.n < min_n else None
    favourable = _favourable_words(scale)
    common = dict(definition=f"«{text}»: share of {favourable[1]} among substantive answers "
                             "(don't know and refusals left out).",
                  definition_fr=f"« {text} » : part {favourable[0]} (sans « je ne sais pas » "
                                "ni refus).",
                  source="resident survey (survey layers)", vintage=wave,
                  period=_dates(rows))
    label = question_id if text == question_id else f"{question_id} {text}"
    caveats = [f"theme: {theme}"] if theme else []
    raked = isinstance(context.parameters.get("surveys", {}).get("raking"), dict)
    if raked:
        caveats.append("weights raked to the station's census age groups; the rest of the "
                       "city keeps its survey weights")
    result = proportion_indicator(f"survey_{question_id}_favourable", label, label, proportion,
                                  caveats=caveats, reason=reason,
                                  context={"scale": scale}, **common)
    if reason is not None:
        return [result], distribution
    everyone = totals.loc[(wave, question_id)] if (wave, question_id) in totals.index else None
    rest = None
    if everyone is not None:
        own = _question_sums(rows)  # survey weights, as in the totals
        rest = everyone - own
    out = [replace(result, test=_against(proportion, rest, "rest of the city, same wave",
                                          context))]
    earlier = before[before["question_id"] == question_id]
    if previous_wave is not None and earlier["code"].notna().any():
        test = _against(proportion, _question_sums(earlier),
                        f"the station in wave {previous_wave}", context)
        if test is not None:
            out.append(replace(result, id=f"survey_{question_id}_change",
                               label_fr=f"{label} : écart avec la vague précédente",
                               label_en=f"{label}: change since the previous wave",
                               value=test.details["difference"], unit="percentage points",
                               interval=None, test=test))
    return out, distribution


def _favourable_words(scale: str) -> tuple[str, str]:
    """Which answers count as favourable, in French and English, for the definition."""
    length, top = scale_length(scale), favourable_from(scale)
    count = length - top + 1
    if count == 2:
        return ("des deux réponses les plus favorables", "the two most favourable answers")
    return (f"des {count} réponses les plus favorables sur {length}",
            f"the {count} most favourable answers of {length}")


def _distribution(question_id: str, answers: pd.Series, weight: np.ndarray) -> list[dict]:
    """Each answer given, most frequent first (ties in order of first appearance), with its
    count and its share of the question's weight."""
    labels = answers.astype(str).to_numpy()
    found, first, position, counts = np.unique(labels, return_index=True, return_inverse=True,
                                               return_counts=True)
    weighted = np.bincount(position, weights=np.nan_to_num(weight), minlength=len(found))
    total = weight.sum()
    order = np.lexsort((first, -counts))
    return [{"question_id": question_id, "answer": str(found[i]), "n": int(counts[i]),
             "weighted_share": round(100 * float(weighted[i]) / total, 2)} for i in order]


def _against(proportion: Proportion, other_sums, what: str, context) -> TestResult | None:
    theirs = _proportion_from_sums(other_sums, context.options.confidence_level)
    if theirs.value is None or theirs.n < context.options.survey_min_n:
        return None
    test = two_proportion_test(proportion.value, proportion.effective_n, theirs.value,
                               theirs.effective_n, context.options.confidence_level)
    return TestResult(test.statistic, test.p_value, test.method + " on effective sizes",
                      details={"compared_with": what, "other": 100 * theirs.value,
                               "other_n": theirs.n, "other_effective_n": theirs.effective_n,
                               "difference": 100 * test.difference,
                               "difference_low": 100 * test.low,
                               "difference_high": 100 * test.high})


def _adjust(indicators: list[IndicatorValue], q: float) -> None:
    """Benjamini-Hochberg over the station-vs-rest tests of all questions (in place)."""
    positions = [i for i, item in enumerate(indicators)
                 if item.test is not None and item.id.endswith("_favourable")]
    adjusted = benjamini_hochberg([indicators[i].test.p_value for i in positions], q).adjusted
    for i, p in zip(positions, adjusted, strict=True):
        indicators[i] = replace(indicators[i], test=replace(indicators[i].test,
                                                            p_adjusted=float(p)))


def _dates(rows: pd.DataFrame) -> str:
    dates = rows["date"].dropna()
    if dates.empty:
        return ""
    return f"{dates.min().date().isoformat()}/{dates.max().date().isoformat()}"


def _station_weights(context: StationContext, station: pd.DataFrame) -> pd.Series:
    people = station.drop_duplicates("respondent_id").set_index("respondent_id")
    weights = people["weight"].astype(float)
    if not context.options.rake_surveys:
        return weights
    margins = _age_margins(context)
    if context.options.sex_margins:
        margins["sex"] = dict(context.options.sex_margins)
    if not margins:
        context.parameters.setdefault("surveys", {})["raking"] = \
            "requested but no census age margins for the station"
        return weights
    sample = pd.DataFrame({"age_band": people["age_group"].map(_age_band),
                           "sex": people["sex"]}, index=people.index)
    result = rake(sample, weights.to_numpy(), margins)
    context.parameters.setdefault("surveys", {})["raking"] = {
        "margins": margins, "iterations": result.iterations, "converged": result.converged,
        "max_relative_error": result.max_relative_error, "unmatched": result.unmatched,
        "note": "margins only (no age x sex cross-tabulation); 18-24 matched to census 15-24"}
    return pd.Series(result.weights, index=people.index)


def _age_band(group) -> str | None:
    text = str(group)
    digits = "".join(c if c.isdigit() else " " for c in text).split()
    if not digits:
        return None
    low = int(digits[0])
    return "15-24" if low < 25 else ("65+" if low >= 65 else "25-64")


def _age_margins(context: StationContext) -> dict:
    values = context.data.census.stations.values
    needed = ["age_0_14", "age_15_24", "age_65_plus", "age_total"]
    if context.station_id not in values.index or not set(needed) <= set(values.columns):
        return {}
    row = values.loc[context.station_id, needed]
    if row.isna().any():
        return {}
    middle = row["age_total"] - row["age_0_14"] - row["age_15_24"] - row["age_65_plus"]
    return {"age_band": {"15-24": float(row["age_15_24"]), "25-64": float(max(middle, 0.0)),
                         "65+": float(row["age_65_plus"])}}
