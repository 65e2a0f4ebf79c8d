"""Words and number formats of the briefs, in French and English.

Exports cannot use the UI's string table (they never import ``ui``), and every label a brief
prints comes either from the portrait's ``_fr``/``_en`` fields or from this small table.
Numbers follow each language's conventions because officers paste figures into reports
written in that language: French "1 234,5" and "12,3 %" (narrow no-break space between
thousands, no-break space before the sign), English "1,234.5" and "12.3%".

>>> format_number(1234.5, "fr", 1)
'1\\u202f234,5'
>>> format_percent(12.34, "fr")
'12,3\\xa0%'
>>> format_percent(12.34, "en")
'12.3%'
>>> format_p(0.0004, "fr")
'p < 0,001'
"""

from __future__ import annotations

import math

THIN = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "brief_title": "Portrait de quartier",
        "audience_internal": "Usage interne (commandant du poste)",
        "audience_partner": "Partenaires (diffusion restreinte aux données agrégées)",
        "cover_station": "Poste de quartier",
        "cover_area": "Superficie",
        "cover_period": "Période",
        "cover_audience": "Destinataires",
        "cover_date": "Produit le",
        "cover_language": "Langue",
        "language_name": "français",
        "contents": "Table des matières",
        "key_figures": "Chiffres clés",
        "key_figures_intro": "Intervalles de confiance à {level} ; les écarts sont testés "
                             "(jamais un pourcentage de variation seul).",
        "whole_period": "toutes les données",
        "figure": "Figure",
        "table": "Tableau",
        "indicator": "Indicateur",
        "value": "Valeur",
        "interval": "Intervalle",
        "city": "Ville",
        "test": "Test",
        "rank": "Rang",
        "ci": "IC {level}",
        "of": "sur",
        "not_given": "non disponible",
        "suppressed_marker": "x",
        "suppressed_note": "x : valeur masquée (petit effectif ou protection d'un petit "
                           "effectif, voir l'annexe de confidentialité).",
        "cell_cut": " […] (texte coupé : {total} caractères en tout, plus qu'une cellule "
                    "Excel n'en contient ; le texte complet est dans le PDF)",
        "records": "Problèmes, plan d'action et consultations",
        "problems": "Problèmes prioritaires",
        "action_plan": "Plan d'action",
        "progress": "Avancement trimestriel",
        "consultations": "Consultations",
        "partners": "Partenaires",
        "no_records": "Aucune fiche n'a été saisie pour ce poste.",
        "draft_mark": "Version de travail",
        "draft_note": "Version de travail : ce document n'a pas été approuvé par le "
                      "commandant du poste dans sa forme actuelle.",
        "approved_by": "Approuvé par {name} le {date} à {time}",
        "cover_approval": "Approbation",
        "review_comments": "Commentaires de révision",
        "review_author": "Auteur",
        "review_date": "Date",
        "review_about": "Sujet",
        "review_comment": "Commentaire",
        "quarterly_title": "Bilan trimestriel du plan d'action",
        "quarterly_cover_quarter": "Trimestre",
        "quarterly_priorities": "Priorités du plan d'action",
        "quarterly_priorities_intro": "Le plan d'action du poste retient les priorités "
                                      "suivantes, établies avec la communauté.",
        "quarterly_initiatives": "Où en sont les initiatives ce trimestre",
        "quarterly_indicators": "Indicateurs calculés à partir des données",
        "quarterly_indicators_note": "Incidents enregistrés dans le poste pendant le "
                                     "trimestre, comparés au même trimestre un an plus tôt "
                                     "(les saisons diffèrent d'un trimestre à l'autre), avec "
                                     "un test d'égalité des taux ; jamais une valeur saisie.",
        "quarterly_partial": "Les données couvrent du {first} au {last} : les nombres du "
                             "trimestre n'en couvrent pas tous les jours.",
        "quarterly_no_indicator": "Aucune initiative ne vise une catégorie d'incidents ou un "
                                  "enjeu : aucun indicateur ne peut être calculé.",
        "quarterly_next": "Prochaines étapes ({quarter})",
        "quarterly_next_none": "Aucune initiative n'est prévue au trimestre suivant.",
        "quarterly_priority": "Priorité",
        "quarterly_no_priority": "Sans priorité",
        "quarterly_initiative": "Initiative",
        "quarterly_about": "Priorité ou initiative",
        "quarterly_methods": "Méthodes : {methods}.",
        "quarterly_lead": "Responsable",
        "quarterly_status": "État",
        "quarterly_note": "Note",
        "quarterly_start": "Début",
        "quarterly_end": "Fin",
        "quarterly_difference": "Écart",
        "quarterly_method": "Méthode",
        "quarterly_not_reported": "Aucun suivi ce trimestre",
        "quarterly_no_year_before": "pas de données pour le même trimestre un an plus tôt",
        "quarterly_masked": "nombres du trimestre et de l'an dernier, écart et test",
        "appendix_definitions": "Annexe A : définitions, sources et millésimes",
        "appendix_parameters": "Annexe B : paramètres utilisés",
        "appendix_disclosure": "Annexe C : confidentialité",
        "disclosure_intro_partner": "Ce document est destiné aux partenaires. Les règles "
                                    "suivantes ont été appliquées : effectifs de {low} à "
                                    "{high} masqués avec masquage complémentaire, aucun point "
                                    "d'incident (cellules d'au moins {k} incidents), règles de "
                                    "Statistique Canada pour les petites aires, résultats de "
                                    "sondage sur "
                                    "moins de {min_n} réponses masqués, aucune note "
                                    "confidentielle ni coordonnée.",
        "disclosure_intro_internal": "Document interne : toutes les données, notes "
                                     "confidentielles et points d'incidents compris. Ne pas "
                                     "diffuser hors du poste.",
        "disclosure_none": "Aucune valeur n'a eu à être masquée.",
        "withheld_crosstab": "tableau croisé non diffusé : il permettrait de retrouver des "
                             "valeurs masquées",
        "masked_comparison": "taux d'autres postes masqués : petits effectifs et leurs "
                             "compléments",
        "masked_change": "effectifs actuel et précédent, écart et test",
        "masked_tag_change": "écart sur 12 mois et son test",
        "masked_season": "effectif, effectif attendu et indice",
        "masked_grid": "avec leurs compléments",
        "withheld_hot_spots": "points chauds non diffusés : le total du poste est masqué",
        "withheld_lorenz": "courbe non diffusée : elle donnerait le compte de chaque carré",
        "internal_record": "fiche interne non diffusée",
        "withheld_answer_counts": "nombre de réponses : seules les parts pondérées sont "
                                  "diffusées",
        "masked_tag": "effectif, taux, quotient de localisation et variation",
        "masked_hot_cells": "nombre d'incidents des cellules de moins de {k}",
        "cells_not_drawn": "carrés de moins de {k} incidents non dessinés",
        "where": "Où",
        "what": "Quoi",
        "why": "Pourquoi",
        "definition": "Définition",
        "source": "Source",
        "vintage": "Millésime",
        "period": "Période",
        "parameter": "Paramètre",
        "warnings": "Avertissements",
        "page": "Page {page}",
        "map_station": "Limites du poste et postes voisins",
        "map_census": "Recensement : {indicator}",
        "map_incidents_points": "Incidents localisés ({count})",
        "map_incident_cells": "Incidents par carré de {size} m (carrés d'au moins {k} "
                              "incidents)",
        "map_hot_spots": "Points chauds (Gi*, cellules de {size} m)",
        "map_services": "Services à la communauté",
        "no_data": "Donnée non disponible",
        "chart_monthly": "Incidents par mois",
        "chart_seasonality": "Saisonnalité (indice mensuel)",
        "chart_grid": "Incidents selon le moment et le jour",
        "chart_survey": "Réponses au sondage",
        "chart_categories": "Incidents par catégorie",
        "count": "Nombre",
        "month": "Mois",
        "total": "Total",
        "hot": "Point chaud",
        "cold": "Point froid",
        "scale": "{metres} m",
        "scale_km": "{km} km",
        "sources_sheet": "Sources",
        "sheet_intro": "Chaque feuille reprend une section du portrait avec les nombres "
                       "réels. « x » : valeur masquée (voir la feuille Confidentialité).",
        "disclosure_sheet": "Confidentialité",
        "parameters_sheet": "Paramètres",
        "reason_small_count": "effectif de {low} à {high}",
        "reason_suppressed": "petit effectif, ou masqué pour qu'un petit effectif ne puisse "
                             "être retrouvé",
        "reason_complementary": "masquage complémentaire (protège un petit effectif)",
        "reason_small_area": "petite aire (règles de Statistique Canada)",
        "reason_survey_min_n": "moins de {min_n} réponses au sondage",
        "reason_aggregated": "points agrégés en carrés d'au moins {k} incidents",
        "reason_withheld": "non diffusé aux partenaires",
        "reason_confidential": "renseignement confidentiel retiré",
        "reason_derived": "permettrait de retrouver une valeur masquée",
        "change_vs": "{current} c. {previous}",
        "yes": "oui",
        "no": "non",
        "highlights": "Faits saillants",
        "highlights_period": "Ce portrait couvre la période du {first} au {last}.",
        "highlights_rose": "{what} : en hausse sur les 12 derniers mois ({current} c. "
                           "{previous}), un changement peu probable dû au hasard.",
        "highlights_fell": "{what} : en baisse sur les 12 derniers mois ({current} c. "
                           "{previous}), un changement peu probable dû au hasard.",
        "highlights_stable": "{what} : stable sur les 12 derniers mois ({current} c. "
                             "{previous}) ; l'écart peut s'expliquer par le hasard.",
        "highlights_all_stable": "Aucune catégorie d'incidents ne montre de changement qu'on "
                                 "ne puisse attribuer au hasard : la situation est stable.",
        "highlights_figure": "{what} : {value}.",
        "methods": "Méthodes en bref",
        "interval_low": "(borne inf.)",
        "priority_score": "score de {score} sur 100",
        "services_list": "Services dans le poste et à proximité",
        "interval_high": "(borne sup.)",
        "methods_sources": "Les chiffres viennent {sources}. Les sources exactes et leurs "
                           "dates sont dans le classeur Excel (feuille « Sources »).",
        "methods_source_crime": "des incidents déclarés au poste",
        "methods_source_socio_economic": "du recensement{year}",
        "methods_source_census_year": " de {year}",
        "methods_source_services": "de l'inventaire des services communautaires",
        "methods_source_surveys": "du sondage auprès des résidents",
        "methods_source_call_demand": "des appels de service reçus par la répartition",
        "methods_source_none": "des données importées dans l'espace de travail",
        "list_and": " et ",
        "methods_rates": "Les taux sont calculés pour 1 000 résidents par année. Chaque "
                         "chiffre est donné avec une marge d'incertitude (intervalle de "
                         "confiance à {level}) : la vraie valeur se trouve très probablement "
                         "entre ses deux bornes.",
        "methods_changes": "Une hausse ou une baisse n'est annoncée que si un test "
                           "statistique montre qu'elle a peu de chances d'être due au hasard. "
                           "Comme on compare plusieurs catégories à la fois, ce test est rendu "
                           "plus exigeant (correction de Benjamini-Hochberg, {q} de fausses "
                           "découvertes au plus) ; sinon la situation est dite stable.",
        "methods_places": "Les lieux ne sont jamais montrés incident par incident : les "
                          "cartes comptent les incidents dans des carrés de {cell} m de côté "
                          "et ne montrent que les carrés d'au moins {k} incidents. Un point "
                          "chaud est un secteur où les incidents sont nettement plus "
                          "nombreux qu'autour.",
        "methods_privacy": "Pour protéger la vie privée, les petits nombres (de {low} à "
                           "{high}) sont remplacés par « x », ainsi que les chiffres qui "
                           "permettraient de les retrouver. La liste complète des paramètres "
                           "de calcul est conservée dans la version interne du portrait.",
    },
    "en": {
        "brief_title": "Neighbourhood portrait",
        "audience_internal": "Internal use (station commander)",
        "audience_partner": "Partners (aggregated data only)",
        "cover_station": "Neighbourhood station",
        "cover_area": "Area",
        "cover_period": "Period",
        "cover_audience": "Audience",
        "cover_date": "Produced on",
        "cover_language": "Language",
        "language_name": "English",
        "contents": "Contents",
        "key_figures": "Key figures",
        "key_figures_intro": "Confidence intervals at {level}; changes come with their "
                             "test (never a bare percent change).",
        "whole_period": "all the data",
        "figure": "Figure",
        "table": "Table",
        "indicator": "Indicator",
        "value": "Value",
        "interval": "Interval",
        "city": "City",
        "test": "Test",
        "rank": "Rank",
        "ci": "{level} CI",
        "of": "of",
        "not_given": "not available",
        "suppressed_marker": "x",
        "suppressed_note": "x: value suppressed (small count or protecting a small count, "
                           "see the disclosure appendix).",
        "cell_cut": " […] (text cut: {total} characters in all, more than an Excel cell "
                    "holds; the whole text is in the PDF)",
        "records": "Problems, action plan and consultations",
        "problems": "Priority problems",
        "action_plan": "Action plan",
        "progress": "Quarterly progress",
        "consultations": "Consultations",
        "partners": "Partners",
        "no_records": "No record has been entered for this station.",
        "draft_mark": "Working draft",
        "draft_note": "Working draft: the station commander has not approved this document "
                      "as it stands.",
        "approved_by": "Approved by {name} on {date} at {time}",
        "cover_approval": "Approval",
        "review_comments": "Review comments",
        "review_author": "Author",
        "review_date": "Date",
        "review_about": "About",
        "review_comment": "Comment",
        "quarterly_title": "Action plan quarterly report",
        "quarterly_cover_quarter": "Quarter",
        "quarterly_priorities": "Action plan priorities",
        "quarterly_priorities_intro": "The station's action plan holds the following "
                                      "priorities, set with the community.",
        "quarterly_initiatives": "Where the initiatives stand this quarter",
        "quarterly_indicators": "Indicators computed from the data",
        "quarterly_indicators_note": "Incidents recorded in the station during the quarter, "
                                     "compared with the same quarter a year earlier (seasons "
                                     "differ from one quarter to the next), with a test of "
                                     "equal rates; never a typed value.",
        "quarterly_partial": "The data run from {first} to {last}: the quarter's counts do "
                             "not cover all its days.",
        "quarterly_no_indicator": "No initiative targets an incident category or issue: no "
                                  "indicator can be computed.",
        "quarterly_next": "What comes next ({quarter})",
        "quarterly_next_none": "No initiative is planned for the next quarter.",
        "quarterly_priority": "Priority",
        "quarterly_no_priority": "No priority",
        "quarterly_initiative": "Initiative",
        "quarterly_about": "Priority or initiative",
        "quarterly_methods": "Methods: {methods}.",
        "quarterly_lead": "Lead",
        "quarterly_status": "Status",
        "quarterly_note": "Note",
        "quarterly_start": "Start",
        "quarterly_end": "End",
        "quarterly_difference": "Difference",
        "quarterly_method": "Method",
        "quarterly_not_reported": "No report this quarter",
        "quarterly_no_year_before": "no data for the same quarter a year earlier",
        "quarterly_masked": "quarter and last year counts, difference and test",
        "appendix_definitions": "Appendix A: definitions, sources and vintages",
        "appendix_parameters": "Appendix B: parameters used",
        "appendix_disclosure": "Appendix C: disclosure control",
        "disclosure_intro_partner": "This brief is for partners. Rules applied: counts of {low} "
                                    "to {high} suppressed with complementary suppression, no "
                                    "incident points (cells of at least {k} incidents), "
                                    "Statistics Canada small-area rules, survey results on "
                                    "fewer than {min_n} answers suppressed, no confidential "
                                    "notes or contact details.",
        "disclosure_intro_internal": "Internal brief: all data, confidential notes and "
                                     "incident points included. Do not share outside the "
                                     "station.",
        "disclosure_none": "No value had to be suppressed.",
        "withheld_crosstab": "cross-tabulation withheld: it could reveal suppressed counts",
        "masked_comparison": "rates of other stations hidden: small counts and their "
                             "complements",
        "masked_change": "current, previous, difference and test",
        "masked_tag_change": "12-month change and its test",
        "masked_season": "count, expected count and index",
        "masked_grid": "with their complements",
        "withheld_hot_spots": "hot spots withheld: the station's total is hidden",
        "withheld_lorenz": "curve withheld: it would give every square's count",
        "internal_record": "internal record not shared",
        "withheld_answer_counts": "answer counts: only weighted shares are shared",
        "masked_tag": "count, rate, location quotient and change",
        "masked_hot_cells": "incident count of cells with fewer than {k}",
        "cells_not_drawn": "squares with fewer than {k} incidents not drawn",
        "where": "Where",
        "what": "What",
        "why": "Why",
        "definition": "Definition",
        "source": "Source",
        "vintage": "Vintage",
        "period": "Period",
        "parameter": "Parameter",
        "warnings": "Warnings",
        "page": "Page {page}",
        "map_station": "Station boundary and neighbouring stations",
        "map_census": "Census: {indicator}",
        "map_incidents_points": "Located incidents ({count})",
        "map_incident_cells": "Incidents per {size} m square (squares with at least {k})",
        "map_hot_spots": "Hot spots (Gi*, {size} m cells)",
        "map_services": "Community services",
        "no_data": "No data",
        "chart_monthly": "Incidents by month",
        "chart_seasonality": "Seasonality (monthly index)",
        "chart_grid": "Incidents by time and weekday",
        "chart_survey": "Survey answers",
        "chart_categories": "Incidents by category",
        "count": "Count",
        "month": "Month",
        "total": "Total",
        "hot": "Hot spot",
        "cold": "Cold spot",
        "scale": "{metres} m",
        "scale_km": "{km} km",
        "sources_sheet": "Sources",
        "sheet_intro": "Each sheet holds one section of the portrait with the actual "
                       "numbers. \"x\": value suppressed (see the Disclosure sheet).",
        "disclosure_sheet": "Disclosure",
        "parameters_sheet": "Parameters",
        "reason_small_count": "count of {low} to {high}",
        "reason_suppressed": "a small count, or hidden so that a small count cannot be "
                             "worked back",
        "reason_complementary": "complementary suppression (protects a small count)",
        "reason_small_area": "small area (Statistics Canada rules)",
        "reason_survey_min_n": "fewer than {min_n} survey answers",
        "reason_aggregated": "points aggregated to squares of at least {k} incidents",
        "reason_withheld": "not shared with partners",
        "reason_confidential": "confidential information removed",
        "reason_derived": "would reveal a suppressed value",
        "change_vs": "{current} vs {previous}",
        "yes": "yes",
        "no": "no",
        "highlights": "Highlights",
        "highlights_period": "This portrait covers {first} to {last}.",
        "highlights_rose": "{what}: rose over the last 12 months ({current} vs {previous}), "
                           "a change unlikely to be chance.",
        "highlights_fell": "{what}: fell over the last 12 months ({current} vs {previous}), "
                           "a change unlikely to be chance.",
        "highlights_stable": "{what}: stable over the last 12 months ({current} vs "
                             "{previous}); the difference may be chance.",
        "highlights_all_stable": "No category of incidents shows a change that cannot be put "
                                 "down to chance: the situation is stable.",
        "highlights_figure": "{what}: {value}.",
        "methods": "Methods in brief",
        "interval_low": "(low)",
        "priority_score": "score of {score} out of 100",
        "services_list": "Services in and near the station",
        "interval_high": "(high)",
        "methods_sources": "The figures come from {sources}. The exact sources and their "
                           "dates are in the Excel workbook (the \u201cSources\u201d sheet).",
        "methods_source_crime": "the incidents reported to the station",
        "methods_source_socio_economic": "the{year} census",
        "methods_source_census_year": " {year}",
        "methods_source_services": "the inventory of community services",
        "methods_source_surveys": "the resident survey",
        "methods_source_call_demand": "the calls for service from dispatch",
        "methods_source_none": "the data imported into the workspace",
        "list_and": " and ",
        "methods_rates": "Rates are per 1,000 residents per year. Each figure comes with a "
                         "margin of uncertainty (a {level} confidence interval): the true value "
                         "very probably lies between its two bounds.",
        "methods_changes": "A rise or a fall is reported only when a statistical test shows "
                           "it is unlikely to be chance. Because several categories are "
                           "compared at once, the test is made stricter (Benjamini-Hochberg "
                           "correction, at most {q} false discoveries); otherwise the "
                           "situation is called stable.",
        "methods_places": "Places are never shown incident by incident: the maps count "
                          "incidents in squares of {cell} m and show only squares with at "
                          "least {k} incidents. A hot spot is an area where incidents are "
                          "clearly more frequent than around it.",
        "methods_privacy": "To protect privacy, small numbers (from {low} to {high}) are "
                           "replaced by \u201cx\u201d, as are the figures that would give "
                           "them back. The full list of calculation parameters is kept in "
                           "the internal version of the portrait.",
    },
}


def text(key: str, language: str, **values: object) -> str:
    """The brief wording ``key`` in ``language`` (French when unknown)."""
    table = STRINGS.get(language, STRINGS["fr"])
    return table[key].format(**values) if values else table[key]


def label(item: object, language: str, stem: str = "label") -> str:
    """The ``<stem>_fr`` or ``<stem>_en`` attribute (or key) of a portrait object."""
    name = f"{stem}_{'fr' if language == 'fr' else 'en'}"
    if isinstance(item, dict):
        return str(item.get(name) or item.get(f"{stem}_en") or "")
    return str(getattr(item, name, "") or getattr(item, f"{stem}_en", ""))


def definition(item: object, language: str) -> str:
    """The French definition (``definition_fr``) of an indicator or a column in French
    when it has one, else its ``definition``."""
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name, "")
    french = get("definition_fr") if language == "fr" else ""
    return str(french or get("definition") or "")


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_number(value: float | None, language: str, decimals: int = 0) -> str:
    """``value`` with the language's separators; "–" when missing."""
    if is_missing(value):
        return "–"
    body = f"{float(value):,.{decimals}f}"
    if language == "fr":
        body = body.replace(",", THIN).replace(".", ",")
    return body.replace("-", "−")  # a real minus sign


def format_percent(value: float | None, language: str, decimals: int = 1) -> str:
    """A share already in percent: "12,3 %" / "12.3%"."""
    if is_missing(value):
        return "–"
    number = format_number(value, language, decimals)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


def format_level(level: float, language: str) -> str:
    return format_percent(100 * level, language, 0)


def format_p(p: float | None, language: str) -> str:
    """A p-value as readers expect it: "p = 0,034", "p < 0,001"."""
    if is_missing(p):
        return "p –"
    if p < 0.001:
        return f"p < {format_number(0.001, language, 3)}"
    return f"p = {format_number(p, language, 3)}"


def decimals_for(value: float | None, unit: str = "") -> int:
    """Decimals that keep the meaning without false precision."""
    if is_missing(value):
        return 0
    if unit in ("incidents", "places", "services", "areas", "cells", "persons") \
            or unit.startswith("incidents") and float(value).is_integer():
        return 0
    magnitude = abs(float(value))
    if magnitude >= 1000 or float(value).is_integer():
        return 0
    if magnitude >= 10:
        return 1
    return 2


def format_value(value: float | None, unit: str, language: str) -> str:
    """An indicator value with its unit: a percentage, dollars, or a number."""
    if is_missing(value):
        return "–"
    if unit == "%":
        return format_percent(value, language)
    if unit == "$":
        amount = format_number(value, language, 0)
        return f"{amount}{NBSP}$" if language == "fr" else f"${amount}"
    return format_number(value, language, decimals_for(value, unit))


def format_interval(low: float | None, high: float | None, unit: str, language: str) -> str:
    """"[1,2 ; 3,4]" / "[1.2, 3.4]" in the value's own format."""
    if is_missing(low) or is_missing(high):
        return ""
    separator = " ; " if language == "fr" else ", "
    return f"[{format_value(low, unit, language)}{separator}{format_value(high, unit, language)}]"


def quoted(words: str, language: str) -> str:
    """French guillemets with no-break spaces; English double quotes."""
    return f"«{NBSP}{words}{NBSP}»" if language == "fr" else f"“{words}”"
