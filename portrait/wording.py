"""The engine's explanations in French: reasons, caveats, notes, warnings and the names of
statistical methods written by the analyses.

The analyses write their explanations once, in English, next to the code that knows why a
value is missing or how to read it (like gettext message ids); officers and their partners read
French. ``in_language`` turns those sentences into French when they are shown, in the window
and in the briefs, so the engine keeps one wording and no French screen shows English.

Sentences with numbers or names in them are matched by pattern; parts that are themselves
explanations (a reason inside a note) are translated in turn. A sentence the catalogue does not
know is shown as written, and ``is_known`` lets a test find it.
"""

from __future__ import annotations

import re

from portrait import source_names
from portrait.service_words import in_use

#: Sentences without variable parts.
_FIXED: dict[str, str] = {
    # reasons a section or a figure is empty
    "the workspace holds no incidents": "l'espace de travail ne contient aucun incident",
    "the workspace holds no census data":
        "l'espace de travail ne contient aucune donnée de recensement",
    "the workspace holds no services": "l'espace de travail ne contient aucun service",
    "score as published by the source": "score tel que publié par la source",
    "n not published: no interval": "n non publié : pas d'intervalle",
    "the workspace holds no survey answers":
        "l'espace de travail ne contient aucune réponse de sondage",
    "no incident recorded in the station": "aucun incident enregistré dans le poste",
    "no incident recorded in the station during the period":
        "aucun incident enregistré dans le poste pendant la période",
    "no incident carries an issue tag (check the category mapping)":
        "aucun incident ne porte d'enjeu (vérifiez la correspondance des catégories)",
    "no survey respondent lives in the station (up to the period's end)":
        "aucun répondant au sondage n'habite dans le poste (jusqu'à la fin de la période)",
    "no census area overlaps the station's boundary":
        "aucune aire de recensement ne recoupe la limite du poste",
    "none of the station's incidents has a location": "aucun incident du poste n'est localisé",
    "no located incidents in the station": "aucun incident localisé dans le poste",
    "empty period": "période vide",
    "no low-income rate in the census data of the station's areas or the city":
        "aucun taux de faible revenu dans les données de recensement des aires du poste ou de "
        "la ville",
    "suppressed or not published": "valeur supprimée ou non publiée",
    "the station has no census population": "le poste n'a aucune population recensée",
    "no census population in the station": "aucune population recensée dans le poste",
    "denominator is zero or unknown": "dénominateur nul ou inconnu",
    "no answers": "aucune réponse",
    "needs a period of at least a year and 12 incidents":
        "demande une période d'au moins un an et 12 incidents",
    "not available: suppressed or not published for the station's areas":
        "non disponible : valeur supprimée ou non publiée pour les aires du poste",
    "fewer than 3 grid cells: the station is too small for this cell size":
        "moins de 3 cellules : le poste est trop petit pour cette taille de cellule",
    "every cell has the same count: there is no pattern to test":
        "toutes les cellules ont le même nombre d'incidents : aucune structure à tester",
    "no incidents in the station": "aucun incident dans le poste",
    "no incidents of this category in the city": "aucun incident de cette catégorie dans la ville",
    "no incidents of this category in the rest of the city":
        "aucun incident de cette catégorie dans le reste de la ville",
    "no incidents of this category in the station: no interval":
        "aucun incident de cette catégorie dans le poste : pas d'intervalle",
    # caveats
    "SPVM points are snapped to the nearest intersection: a location is an intersection, "
    "not an address": "les points du SPVM sont ramenés à l'intersection la plus proche : un lieu "
                      "est une intersection, pas une adresse",
    "a count of places, not a sample estimate: no interval":
        "un décompte de lieux, pas une estimation par échantillon : pas d'intervalle",
    "a share of all recorded incidents, not a sample estimate: no interval":
        "une part de tous les incidents enregistrés, pas une estimation par échantillon : "
        "pas d'intervalle",
    "the source's city row": "la ligne de la ville dans la source",
    "dasymetric (population of the finest areas)":
        "dasymétrique (population des aires les plus fines)",
    "population-weighted mean of the census areas' scores":
        "moyenne des scores des aires de recensement, pondérée par la population",
    "approximate: household-weighted median of the census areas' medians":
        "approximatif : médiane des médianes des aires de recensement, pondérée par les ménages",
    "survey estimate from a sample: the interval is not computed here":
        "estimation d'enquête par échantillon : l'intervalle n'est pas calculé ici",
    "no census area of the workspace has a value for it":
        "aucune aire de recensement de l'espace de travail n'a de valeur pour cet indicateur",
    "census estimate (long-form sample, randomly rounded counts): Statistics Canada publishes "
    "no interval for it": "estimation du recensement (questionnaire détaillé, comptes arrondis "
                          "au hasard) : Statistique Canada ne publie pas d'intervalle",
    "lower bound of the concentration among all places: places without incidents are unknown":
        "borne inférieure de la concentration parmi tous les lieux : les lieux sans incident "
        "sont inconnus",
    "residents counted by the census; incidents also involve workers and visitors, so rates "
    "run high where few people live": "résidents comptés par le recensement ; les incidents "
                                      "touchent aussi des travailleurs et des visiteurs, d'où "
                                      "des taux élevés là où peu de gens habitent",
    "straight-line distances, shorter than walking distances":
        "distances à vol d'oiseau, plus courtes que les distances à pied",
    "weights raked to the station's census age groups; the rest of the city keeps its survey "
    "weights": "poids calés sur les groupes d'âge du recensement du poste ; le reste de la ville "
               "garde ses poids de sondage",
    "residents placed at one point of each census area's part inside the station "
    "(apportioned population)": "résidents placés en un point de la partie de chaque aire de "
                                "recensement située dans le poste (population répartie)",
    "grid cells of the station, empty cells included":
        "cellules de la grille du poste, cellules vides comprises",
    "distinct incident locations (intersections), places with incidents only":
        "lieux d'incidents distincts (intersections), lieux avec incidents seulement",
    # notes of tables
    "An incident can carry several tags; location quotients use all incidents as the total.":
        "Un incident peut porter plusieurs enjeux ; les quotients de localisation ont pour total "
        "l'ensemble des incidents.",
    "Every month of the period, zeros included; first and last months may be partial.":
        "Chaque mois de la période, zéros compris ; le premier et le dernier mois peuvent être "
        "partiels.",
    "Rates per 1,000 residents per year with exact Poisson intervals; location quotient "
    "against the rest of the city with a log-normal interval.":
        "Taux pour 1 000 résidents par an avec intervalles de Poisson exacts ; quotient de "
        "localisation par rapport au reste de la ville avec un intervalle log-normal.",
    "Same definitions as the station's own sections; columns described in the 'columns' table.":
        "Mêmes définitions que dans les sections du poste ; colonnes décrites dans la table "
        "« columns ».",
    "Statistics Canada rules applied to every source.":
        "Règles de Statistique Canada appliquées à toutes les sources.",
    "Bin: +3/+2/+1 hot spot at FDR q at most 0.01/0.05/0.10 (Benjamini-Hochberg adjusted "
    "p-values), negative for cold spots. Incidents: in the cell, beyond the boundary "
    "included; covered share: of the cell inside the stations. x, y: cell centre in the "
    "workspace CRS.":
        "Classe : +3/+2/+1 point chaud à un taux de fausses découvertes q d'au plus "
        "0,01/0,05/0,10 (valeurs p ajustées de Benjamini-Hochberg), négatif pour un point "
        "froid. Incidents : de la cellule, y compris au-delà de la limite ; part couverte : "
        "de la cellule située dans les postes. x, y : centre de la cellule dans le SCR de "
        "l'espace de travail.",
    "expected: count if incidents were spread evenly over the days of the period; index = "
    "count / expected (1 = no seasonal effect).":
        "Attendu : nombre attendu si les incidents étaient répartis également sur les jours de "
        "la période ; indice = nombre / attendu (1 = aucun effet saisonnier).",
    "partial_year: the period covers only part of that year.":
        "partial_year : la période ne couvre qu'une partie de l'année.",
    "share_in_station: share of the area's surface inside the station.":
        "share_in_station : part de la superficie de l'aire située dans le poste.",
    "Shifts of the SPVM file: jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h (time of the "
    "report).": "Quarts du fichier du SPVM : jour 8 h-16 h, soir 16 h-24 h, nuit 0 h-8 h "
                "(heure du signalement).",
    "Hour of the clock time recorded.": "Heure de l'horaire enregistré.",
    # rules recorded in a portrait's parameters
    "the source's station id; incidents, services and respondents without one are placed in "
    "the station whose boundary holds them":
        "le numéro de poste de la source ; incidents, services et répondants sans numéro sont "
        "placés dans le poste dont la limite les contient",
    "share of area": "part de superficie",
    "cell side = sqrt(station area / k), k = the smaller of located incidents / 5 and distinct "
    "incident locations / 3, bounded to [100, 2500] cells; rounded up to 10 m and bounded to "
    "[50, 500] m":
        "côté de cellule = racine(superficie du poste / k), k = le plus petit de incidents "
        "localisés / 5 et lieux d'incidents distincts / 3, borné à [100, 2500] cellules ; "
        "arrondi aux 10 m supérieurs et borné à [50, 500] m",
    "distance band = 1.5 x cell side (the cell and its 8 neighbours), widened if needed to the "
    "smallest band giving every cell at least one neighbour; binary weights, the cell itself "
    "included (Gi*)":
        "bande de distance = 1,5 x côté de cellule (la cellule et ses 8 voisines), élargie au "
        "besoin à la plus petite bande donnant au moins une voisine à chaque cellule ; poids "
        "binaires, la cellule elle-même comprise (Gi*)",
    "binary, self included": "binaires, cellule elle-même comprise",
    "analytical (normal) z-scores": "scores z analytiques (loi normale)",
    "Benjamini-Hochberg on all tested cells":
        "Benjamini-Hochberg sur toutes les cellules testées",
    "q (FDR-adjusted p) at most 0.01 / 0.05 / 0.10":
        "q (p ajustée, FDR) d'au plus 0,01 / 0,05 / 0,10",
    "edge cells count incidents beyond the station's boundary where the workspace has them; "
    "cells less than 50% covered are not tested, the others are scaled to a full cell "
    "(count / covered share)":
        "les cellules du bord comptent les incidents au-delà de la limite du poste là où "
        "l'espace de travail en a ; les cellules couvertes à moins de 50 % ne sont pas testées, "
        "les autres sont ramenées à une cellule entière (nombre / part couverte)",
    "hot, q <= 0.01": "chaud, q ≤ 0,01", "hot, q <= 0.05": "chaud, q ≤ 0,05",
    "hot, q <= 0.10": "chaud, q ≤ 0,10", "cold, q <= 0.10": "froid, q ≤ 0,10",
    "cold, q <= 0.05": "froid, q ≤ 0,05", "cold, q <= 0.01": "froid, q ≤ 0,01",
    "quartic (biweight)": "quartique (biweight)",
    "spatial Silverman rule: h = 0.9 x min(SD, sqrt(1/ln 2) x Dm) x n^-0.2, SD the standard "
    "distance and Dm the median distance of incidents to their mean centre, bounded to "
    "[100, 1000] m; 300 m when there are fewer than 2 located incidents":
        "règle de Silverman spatiale : h = 0,9 x min(DS, racine(1/ln 2) x Dm) x n^-0,2, DS la "
        "distance standard et Dm la distance médiane des incidents à leur centre moyen, bornée "
        "à [100, 1000] m ; 300 m sous 2 incidents localisés",
    "incidents per km2 per period": "incidents par km2 par période",
    "straight line": "à vol d'oiseau",
    "the favourable half of the question's scale, its middle answer left out (the two most "
    "favourable answers of 4 or 5), among substantive answers (don't know / refused left out)":
        "la moitié favorable de l'échelle de la question, sans sa réponse du milieu (les deux "
        "réponses les plus favorables sur 4 ou 5), parmi les réponses valables (ne sait pas / "
        "refus exclus)",
    "survey weights": "poids de sondage",
    "not used (Gi* by portrait.statistics.hotspots, checked against esda in tests)":
        "non utilisé (Gi* par portrait.statistics.hotspots, vérifié avec esda dans les tests)",
    "not installed": "non installé",
    # sources and vintages of figures
    "services layer": "couche des services",
    "resident survey (survey layers)": "sondage des résidents (couches du sondage)",
    "inventory as imported": "inventaire tel qu'importé",
    "current inventory": "inventaire actuel",
    # warnings of a portrait
    "The station has no census population: rates per resident are not given.":
        "Le poste n'a pas de population au recensement : les taux par habitant ne sont pas "
        "donnés.",
    # statistical methods (intervals and tests)
    "exact Poisson (Garwood)": "Poisson exact (Garwood)",
    "exact Poisson (Garwood), per year": "Poisson exact (Garwood), par année",
    "exact Poisson (Garwood) interval on the count, divided by the denominator":
        "intervalle de Poisson exact (Garwood) sur le nombre, divisé par le dénominateur",
    "exact Poisson (Garwood) interval on the count, divided by the denominator (person-years)":
        "intervalle de Poisson exact (Garwood) sur le nombre, divisé par le dénominateur "
        "(personnes-années)",
    "exact conditional binomial test of equal Poisson rates":
        "test binomial conditionnel exact d'égalité de taux de Poisson",
    "Wilson score interval": "intervalle de Wilson",
    "Wilson score interval on the Kish effective sample size":
        "intervalle de Wilson sur la taille d'échantillon effective de Kish",
    "two-sample z test (pooled), Newcombe hybrid Wilson interval":
        "test z à deux échantillons (variance commune), intervalle hybride de Wilson (Newcombe)",
    "two-sample z test (pooled), Newcombe hybrid Wilson interval on effective sizes":
        "test z à deux échantillons (variance commune), intervalle hybride de Wilson (Newcombe) "
        "sur les tailles effectives",
    "log-normal (Moineddin 2003)": "log-normale (Moineddin 2003)",
    "log-normal interval, Var(ln LQ) = 1/c_s - 1/t_s + 1/c_c - 1/t_c (Moineddin 2003)":
        "intervalle log-normal, Var(ln QL) = 1/c_s - 1/t_s + 1/c_c - 1/t_c (Moineddin 2003)",
    # call demand (portrait.sections.call_demand)
    "the workspace holds no calls for service":
        "l'espace de travail ne contient aucun appel de service",
    "no call for service in the station during the period":
        "aucun appel de service pour le poste pendant la période",
    "the export has no dispatch or clear times: calls are counted, time is not":
        "l'extraction n'a pas d'heures d'affectation ni de fin : les appels sont comptés, pas "
        "le temps",
    "the range sets each uncertain rule of the pathway table (e.g. welfare checks: crisis team "
    "or police) to one assumption or the other":
        "la fourchette fixe chaque règle incertaine de la table des réponses (p. ex. "
        "vérifications de bien-être : équipe de crise ou police) à l'une ou l'autre hypothèse",
    "Hour of the time the call was received.": "Heure de réception de l'appel.",
    "Priorities as the dispatch system writes them (often 0 or 1 = most urgent).":
        "Priorités telles que le système de répartition les écrit (souvent 0 ou 1 = la plus "
        "urgente).",
    "Left out of every share until the table gives them a pathway.":
        "Exclus de toutes les parts tant que la table ne leur attribue pas de réponse.",
    "Calls from the public each practice could take; add an action citing it to the "
    "station's action plan.":
        "Appels du public que chaque pratique pourrait prendre ; ajoutez au plan d'action du "
        "poste une action qui la cite.",
}



def _number(text: str) -> str:
    return text.replace(".", ",")


#: Sentences with variable parts: (pattern, French template). In a template, ``{name}`` is the
#: part as written, ``{name:n}`` a decimal number in French, ``{name:t}`` the part translated,
#: ``{name:c}`` a whole number with thousands commas.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), template) for
                                                pattern, template in (
    (r"(?P<share>[\d.]+)% of the station's residents live in areas without this value "
     r"\(suppressed or not published\); it is computed from the other areas",
     "{share:n} % des résidents du poste habitent des aires sans cette valeur (supprimée ou "
     "non publiée) ; elle est calculée à partir des autres aires"),
    (r"apportioned by share of area from (?P<n>\d+) census areas \((?P<partly>\d+) partly "
     r"inside the station\), assuming residents are spread evenly within each area",
     "réparti selon la part de superficie de {n} aires de recensement ({partly} en partie "
     "dans le poste), en supposant les résidents répartis également dans chaque aire"),
    (r"apportioned from (?P<n>\d+) census areas; (?P<share>[\d.]+)% of the station's "
     r"residents live in the (?P<partly>\d+) areas cut by its boundary, split by share of "
     r"surface assuming residents are spread evenly within each",
     "réparti à partir de {n} aires de recensement ; {share:n} % des résidents du poste "
     "habitent les {partly} aires coupées par sa limite, partagées selon la part de superficie "
     "en supposant les résidents répartis également dans chacune"),
    (r"apportioned from (?P<n>\d+) census areas, none cut by the station's boundary",
     "réparti à partir de {n} aires de recensement, aucune coupée par la limite du poste"),
    (r"apportioned from (?P<n>\d+) larger census areas, each split by the population of its "
     r"smaller areas inside the station \(dasymetric\), assuming the figure is spread evenly "
     r"over each larger area's residents",
     "réparti à partir de {n} grandes aires de recensement, chacune partagée selon la "
     "population de ses petites aires dans le poste (méthode dasymétrique), en supposant la "
     "valeur répartie également entre les résidents de chaque grande aire"),
    (r"the sum of (?P<n>\d+) census areas", "la somme de {n} aires de recensement"),
    (r"theme: (?P<theme>.+)", "thème : {theme}"),
    (r"the data start on (?P<day>\S+): no full previous period to compare with",
     "les données commencent le {day} : pas de période précédente complète à comparer"),
    (r"fewer than (?P<n>\d+) substantive answers: suppressed",
     "moins de {n} réponses valables : supprimé"),
    (r"Published area scores only: (?P<reason>.+)\.",
     "Scores publiés par secteur seulement : {reason:t}."),
    (r"no location quotient: (?P<why>.+)", "pas de quotient de localisation : {why:t}"),
    (r"Not in the workspace's census data: (?P<names>.+)\.",
     "Absent des données de recensement de l'espace de travail : {names}."),
    (r"Source: (?P<source>.+) \(Census (?P<year>\d{4})\)\.",
     "Source : {source} (Recensement {year})."),
    (r"Source: (?P<source>.+)\.", "Source : {source}."),
    (r"Wave (?P<wave>.+): (?P<n>\d+) respondents in the station \((?P<first>\S+) to "
     r"(?P<last>\S+)\)\.",
     "Vague {wave} : {n} répondants dans le poste (du {first} au {last})."),
    (r"(?P<n>\d+) respondent\(s\) without a date counted in wave (?P<wave>.+), the wave of "
     r"their file\.",
     "{n} répondant(s) sans date compté(s) dans la vague {wave}, celle de leur fichier."),
    (r"Out of reach: nearest service of the type beyond (?P<d>[\d.]+) m\.",
     "Hors d'atteinte : service du type le plus proche à plus de {d:n} m."),
    (r"Places: (?P<places>.+)\.", "Lieux : {places:t}."),
    (r"(?P<first>Bin: .+\.) (?P<n>\d+) edge cell\(s\) less than 50% covered not tested\.",
     "{first:t} {n} cellule(s) du bord couverte(s) à moins de 50 % non testée(s)."),
    (r"Shifts: (?P<shifts>.+) \(time of the report\)\.",
     "Quarts : {shifts:s} (heure du signalement)."),
    (r"(?P<first>.+\.) (?P<n>\d+) incident\(s\) without shift left out\.",
     "{first:t} {n} incident(s) sans quart exclu(s)."),
    (r"(?P<first>.+\.) (?P<n>\d+) incident\(s\) without hour left out\.",
     "{first:t} {n} incident(s) sans heure exclu(s)."),
    (r"(?P<first>.+\.) Incidents without shift left out\.",
     "{first:t} Incidents sans quart exclus."),
    (r"(?P<first>.+\.) Incidents without hour left out\.",
     "{first:t} Incidents sans heure exclus."),
    (r"(?P<n>\d+) incident\(s\) without a known time left out",
     "{n} incident(s) sans heure connue exclu(s)"),
    (r"(?P<n>\d+) incident\(s\) without a known shift left out",
     "{n} incident(s) sans quart connu exclu(s)"),
    (r"(?P<first>.+\.) (?P<n>\d+) incident\(s\) without a known time left out\.",
     "{first:t} {n} incident(s) sans heure connue exclu(s)."),
    (r"p_adjusted: Benjamini-Hochberg over the categories \(q = (?P<q>[\d.]+)\)\. Not "
     r"computed: (?P<why>.+)\.",
     "p_adjusted : Benjamini-Hochberg sur l'ensemble des catégories (q = {q:n}). Non calculé : "
     "{why:t}."),
    (r"p_adjusted: Benjamini-Hochberg over the categories \(q = (?P<q>[\d.]+)\)\.",
     "p_adjusted : Benjamini-Hochberg sur l'ensemble des catégories (q = {q:n})."),
    (r"weighted_share: % of all answers to the question\. Questions with fewer than "
     r"(?P<n>\d+) answers are suppressed\.",
     "weighted_share : % de toutes les réponses à la question. Les questions de moins de {n} "
     "réponses sont supprimées."),
    (r"within_buffer: inside or within (?P<d>[\d.]+) m of the boundary; coverage in % of "
     r"residents \((?P<how>.+)\)\.",
     "within_buffer : dans le poste ou à moins de {d:n} m de sa limite ; couverture en % des "
     "résidents ({how:t})."),
    # warnings of a portrait
    (r"(?P<n>\d+) incident\(s\) have no station and no location inside a station: they count "
     r"in no station\.",
     "{n} incident(s) sans poste ni localisation dans un poste : ils ne comptent dans aucun "
     "poste."),
    # Statistics Canada's small-area rules (suppressed census values)
    (r"fewer than (?P<n>[\d.]+) residents: no characteristics \(Statistics Canada rule\)",
     "moins de {n:n} résidents : aucune caractéristique (règle de Statistique Canada)"),
    (r"fewer than (?P<n>[\d.]+) residents: no income data \(Statistics Canada rule\)",
     "moins de {n:n} résidents : aucune donnée de revenu (règle de Statistique Canada)"),
    # rules and caveats of the indicator catalogue (docs/indicators.md)
    (r"values under (?P<n>[\d.]+) suppressed \(the indicator's small-number rule\)",
     "valeurs inférieures à {n:n} supprimées (règle de l'indicateur pour les petits nombres)"),
    (r"counts randomly rounded to a multiple of (?P<n>\d+) by the source",
     "comptes arrondis au hasard à un multiple de {n} par la source"),
    (r"the medians of the station's census areas range from (?P<low>[\d,]+) to "
     r"(?P<high>[\d,]+)",
     "les médianes des aires de recensement du poste vont de {low:c} à {high:c}"),
    (r"Census (?P<year>\d{4})", "Recensement {year}"),
    (r"data from (?P<first>\d{4}-\d{2}-\d{2}) to (?P<last>\d{4}-\d{2}-\d{2})",
     "données du {first} au {last}"),
    # call demand (portrait.sections.call_demand)
    (r"the calls start on (?P<day>\S+): no full previous period to compare with",
     "les appels commencent le {day} : pas de période précédente complète à comparer"),
    (r"built-in (?P<version>\S+)", "intégrée {version}"),
    (r"Shares of demand \(calls from the public\) with Wilson intervals; "
     r"other_assumption_adds: calls an uncertain rule would move to this pathway\. Pathway "
     r"table: (?P<version>.+)\.",
     "Parts de la demande (appels du public) avec intervalles de Wilson ; "
     "other_assumption_adds : appels qu'une règle incertaine ferait passer à cette réponse. "
     "Table des réponses : {version:t}."),
    (r"p_adjusted: Benjamini-Hochberg over the pathways \(q = (?P<q>[\d.]+)\)\. Not "
     r"computed: (?P<why>.+)\.",
     "p_adjusted : Benjamini-Hochberg sur l'ensemble des réponses (q = {q:n}). Non calculé : "
     "{why:t}."),
    (r"p_adjusted: Benjamini-Hochberg over the pathways \(q = (?P<q>[\d.]+)\)\.",
     "p_adjusted : Benjamini-Hochberg sur l'ensemble des réponses (q = {q:n})."),
    (r"Not computed: (?P<why>.+)\.", "Non calculé : {why:t}."),
    (r"(?P<n>\d+) call\(s\) from the public without a usable clear time left out\.",
     "{n} appel(s) du public sans heure de fin utilisable exclu(s)."),
    (r"Addresses \(or (?P<m>[\d.]+) m cells for located calls without an address\) with at "
     r"least (?P<n>\d+) calls from the public in the period; x, y in the workspace's metric "
     r"CRS, to pin a problem card\. For the station's own use\.",
     "Adresses (ou cellules de {m:n} m pour les appels localisés sans adresse) comptant au "
     "moins {n} appels du public pendant la période ; x, y dans le SCR métrique de l'espace de "
     "travail, pour épingler une fiche de problème. Pour l'usage du poste seulement."),
    (r"calls from (?P<first>\d{4}-\d{2}-\d{2}) to (?P<last>\d{4}-\d{2}-\d{2})",
     "appels du {first} au {last}"),
    # statistical methods with numbers
    (r"Poisson square-root Z test \(previous = mean of (?P<n>\d+) period\(s\)\)",
     "test Z de Poisson sur la racine carrée (précédent = moyenne de {n} période(s))"),
    (r"chi-square goodness of fit, (?P<df>\d+) df", "test d'ajustement du khi-deux, {df} ddl"),
    (r"chi-square test of independence, (?P<df>\d+) df",
     "test d'indépendance du khi-deux, {df} ddl"),
    # problems the window shows in place of a map or a portrait
    (r"Station '(?P<station>[^']+)' has no boundary in this workspace; import the station "
     r"boundaries \(PDQ\) first\.",
     "Le poste {station} n'a pas de limites dans cet espace de travail : importez d'abord les "
     "limites des PDQ."),
)]

_FIELD = re.compile(r"\{(?P<name>\w+)(?::(?P<how>[ntsc]))?\}")


def in_language(text: str, language: str) -> str:
    """``text`` (an engine explanation) as it reads in ``language`` ("fr" or "en"), the
    sources it names in words (``portrait.source_names``)."""
    if language != "fr" or not text:
        return source_names.in_words(text, language)
    return source_names.in_words(_french(text) or text, language)


def is_known(text: str) -> bool:
    """Whether the catalogue has a French wording of ``text``."""
    return _french(text) is not None


def _french(text: str) -> str | None:
    if text in _FIXED:
        return _FIXED[text]
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        inner = [_french(parts[m["name"]]) for m in _FIELD.finditer(template) if m["how"] == "t"]
        if any(part is None for part in inner):
            continue  # an explanation inside that the catalogue does not know
        return _fill_template(template, parts)
    return None


def _fill_template(template: str, parts: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: _fill(parts[m["name"]], m["how"]), template)


def _fill(part: str, how: str | None) -> str:
    if how == "n":
        return _number(part)
    if how == "t":
        return _french(part) or part
    if how == "s":  # the service's own shift names (``portrait.service_words``)
        for shift in in_use().shifts:
            part = part.replace(f"{shift.name_en} {shift.hours()}",
                                f"{shift.name_fr} {shift.hours()}")
    if how == "c":  # a whole number with thousands commas: narrow spaces in French
        return part.replace(",", "\u202f")
    return part
