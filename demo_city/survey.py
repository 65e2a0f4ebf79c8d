"""A resident survey on safety and police services, exported respondent by respondent.

The export mimics LimeSurvey's "complete answers as text" CSV: system columns (``id``,
``submitdate``, ``lastpage``, ``startlanguage``), hidden and profile fields (PDQ, postal-code
prefix, age group, sex, weight) and one column per question holding the answer's text.
Incomplete responses have no ``submitdate`` and blanks after their last page.

Answers are driven by where respondents live and who they are: feeling of safety is lower in
stations with more crime and more deprivation, and at night lower still for older people and
women; trust in the police rises with age; perceived drug problems follow deprivation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from numpy.random import Generator

AGREEMENT = ("Tout à fait en désaccord", "Plutôt en désaccord", "Plutôt d'accord",
             "Tout à fait d'accord")
SATISFACTION = ("Très insatisfait", "Plutôt insatisfait", "Plutôt satisfait", "Très satisfait")
PROBLEM = ("Un gros problème", "Un problème", "Un petit problème", "Pas un problème")
DONT_KNOW, REFUSED = "Je ne sais pas", "Je préfère ne pas répondre"
YES_NO = ("Oui", "Non")
AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
#: Adult population by age group, and who actually answers online surveys (older people more).
AGE_POPULATION = np.array([0.11, 0.19, 0.17, 0.15, 0.16, 0.22])
AGE_RESPONSE = np.array([0.06, 0.13, 0.17, 0.17, 0.20, 0.27])
SEXES = ("Femme", "Homme", "Autre / préfère ne pas répondre")
SEX_RESPONSE = np.array([0.57, 0.41, 0.02])
SEX_POPULATION = np.array([0.515, 0.475, 0.01])
PRIORITIES = ("Vols et introductions par effraction", "Sécurité routière",
              "Drogues et trafic", "Incivilités et méfaits", "Violence conjugale et familiale",
              "Sécurité dans les parcs", "Sécurité des aînés")
COMMENTS = {
    0: ("Plusieurs vols de vélos dans ma ruelle cet été.", "On s'est fait cambrioler en mars.",
        "Il faudrait plus de patrouilles le soir."),
    1: ("Les voitures roulent trop vite près de l'école.", "Il manque un brigadier au coin.",
        "Trop de camions dans les rues résidentielles."),
    2: ("Il y a du trafic près de la station de métro.", "Seringues trouvées dans le parc.",
        "Je ne me sens pas à l'aise le soir près du dépanneur."),
    3: ("Beaucoup de graffitis sur les commerces.", "Du bruit tard la nuit les fins de semaine.",
        "Les poubelles renversées tous les jeudis."),
    4: ("Plus de ressources pour les femmes victimes, svp.",
        "Merci aux organismes du quartier."),
    5: ("Le parc est mal éclairé.", "Des jeunes se rassemblent le soir, ça inquiète."),
    6: ("Les aînés sont ciblés par des fraudes téléphoniques.",
        "Ma mère n'ose plus sortir le soir."),
}
QUESTIONS = (
    ("Q01", "Je me sens en sécurité dans mon quartier le jour", "sentiment de sécurité",
     "accord"),
    ("Q02", "Je me sens en sécurité dans mon quartier le soir", "sentiment de sécurité",
     "accord"),
    ("Q03", "J'ai confiance en la police de mon quartier", "confiance", "accord"),
    ("Q04", "Êtes-vous satisfait des services du poste de quartier?", "satisfaction",
     "satisfaction"),
    ("Q05", "Dans votre quartier, les incivilités (graffitis, bruit, méfaits) sont...",
     "problèmes perçus", "problème"),
    ("Q06", "Dans votre quartier, la consommation et le trafic de drogues sont...",
     "problèmes perçus", "problème"),
    ("Q07", "Dans votre quartier, la sécurité routière (vitesse, circulation) est...",
     "problèmes perçus", "problème"),
    ("Q08", "Avez-vous été victime d'un crime dans votre quartier au cours des 12 derniers mois?",
     "victimisation", "oui / non"),
    ("Q09", "Quelle devrait être la priorité du poste de quartier?", "priorités", "choix unique"),
    ("Q10", "Avez-vous d'autres commentaires?", "priorités", "texte libre"),
)
#: Page of each question (page 1 holds the profile questions).
PAGE = {"Q01": 2, "Q02": 2, "Q03": 2, "Q04": 2, "Q05": 3, "Q06": 3, "Q07": 3, "Q08": 3,
        "Q09": 4, "Q10": 4}
LAST_PAGE = 4


@dataclass(frozen=True)
class StationProfile:
    """What respondents of each station react to (arrays indexed by station)."""

    pdq: np.ndarray
    population: np.ndarray
    crime: np.ndarray  # standardised incidents per resident (z-score)
    deprivation: np.ndarray
    fsas: list[tuple[str, ...]]


def _scale(rng: Generator, latent: np.ndarray, labels: tuple[str, ...], dont_know: float,
           refused: float = 0.015) -> np.ndarray:
    """Cut a latent score into four ordered answers; some say don't know or decline."""
    position = np.digitize(latent + rng.normal(0, 0.6, len(latent)), [-0.9, 0.0, 0.9])
    answers = np.array(labels, dtype=object)[position]
    roll = rng.random(len(latent))
    answers[roll < dont_know] = DONT_KNOW
    answers[(roll >= dont_know) & (roll < dont_know + refused)] = REFUSED
    return answers


def questions_table() -> pd.DataFrame:
    """The companion file describing each question."""
    return pd.DataFrame(QUESTIONS, columns=["question_id", "texte", "theme", "echelle"])


def make_survey(rng: Generator, count: int, stations: StationProfile, last_day: date
                ) -> pd.DataFrame:
    """``count`` respondents over six weeks ending 45 days before ``last_day``."""
    p = stations.population / stations.population.sum()
    s = rng.choice(len(p), size=count, p=p)
    age = rng.choice(len(AGE_GROUPS), size=count, p=AGE_RESPONSE)
    sex = rng.choice(len(SEXES), size=count, p=SEX_RESPONSE)
    weight = (AGE_POPULATION / AGE_RESPONSE)[age] * (SEX_POPULATION / SEX_RESPONSE)[sex]
    weight *= rng.lognormal(0, 0.12, count)
    weight = np.round(weight / weight.mean(), 4)
    crime, dep = stations.crime[s], stations.deprivation[s]
    older, woman = (age >= 5).astype(float), (sex == 0).astype(float)
    day_safety = 1.2 - 0.55 * crime - 1.4 * dep + rng.normal(0, 0.7, count)
    night_safety = day_safety - 0.9 - 0.45 * older - 0.35 * woman + rng.normal(0, 0.4, count)
    trust = 0.6 + 0.18 * age - 0.8 * dep - 0.2 * crime + rng.normal(0, 0.8, count)
    answers = {
        "Q01": _scale(rng, day_safety, AGREEMENT, 0.02),
        "Q02": _scale(rng, night_safety, AGREEMENT, 0.03),
        "Q03": _scale(rng, trust, AGREEMENT, 0.05),
        "Q04": _scale(rng, 0.7 * trust + rng.normal(0, 0.5, count), SATISFACTION, 0.09),
        "Q05": _scale(rng, 0.6 - 0.6 * crime - 0.6 * dep, PROBLEM, 0.04),
        "Q06": _scale(rng, 0.9 - 0.3 * crime - 1.6 * dep, PROBLEM, 0.08),
        "Q07": _scale(rng, -0.2 + rng.normal(0, 0.5, len(p))[s], PROBLEM, 0.03),
    }
    victim = rng.random(count) < np.clip(0.07 + 0.05 * crime + 0.08 * dep, 0.02, 0.4)
    q08 = np.where(victim, YES_NO[0], YES_NO[1]).astype(object)
    q08[rng.random(count) < 0.02] = REFUSED
    answers["Q08"] = q08
    scores = np.column_stack([0.8 + 0.6 * victim, np.full(count, 0.9), 0.4 + 2.2 * dep,
                              0.5 + 0.3 * crime, np.full(count, 0.35), np.full(count, 0.45),
                              0.2 + 0.9 * older])
    scores = np.clip(scores, 0.05, None) * rng.gamma(2.0, 1.0, scores.shape)
    priority = scores.argmax(axis=1)
    answers["Q09"] = np.array(PRIORITIES, dtype=object)[priority]
    comment = np.array([COMMENTS[k][int(rng.integers(len(COMMENTS[k])))] for k in priority],
                       dtype=object)
    comment[rng.random(count) < 0.6] = ""
    answers["Q10"] = comment
    complete = rng.random(count) >= 0.05
    lastpage = np.where(complete, LAST_PAGE, rng.integers(1, LAST_PAGE, count))
    for question, values in answers.items():
        values[lastpage < PAGE[question]] = ""
    window_end = datetime.combine(last_day - timedelta(days=45), datetime.min.time())
    seconds = rng.integers(0, 42 * 86400, count)
    submitted = [(window_end - timedelta(seconds=int(t))).strftime("%Y-%m-%d %H:%M:%S")
                 for t in seconds]
    order = np.argsort(-seconds, kind="stable")  # ids follow the time of the response
    fsa = [stations.fsas[i][int(rng.integers(len(stations.fsas[i])))] for i in s]
    frame = pd.DataFrame({
        "submitdate": np.where(complete, submitted, ""),
        "lastpage": lastpage,
        "startlanguage": np.where(rng.random(count) < 0.82, "fr", "en"),
        "PDQ": stations.pdq[s],
        "codepostal": fsa,
        "age": np.array(AGE_GROUPS)[age],
        "sexe": np.array(SEXES)[sex],
        "poids": np.char.mod("%.4f", weight),
        **answers,
    }).iloc[order].reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, count + 1))
    return frame
