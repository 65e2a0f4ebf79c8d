"""Import reports in the officer's language.

Readers write why they dropped or flagged rows, and what they warn about, once and in English,
next to the code that knows why (like gettext message ids, and like the engine's explanations
in ``portrait.wording``). Reports keep those sentences, so a report stored in an older
workspace reads the same way as a new one; ``in_language`` gives the French wording when the
import wizard, the Data sources panel or the import confirmation shows it.

An entry is the sentence exactly as a reader's code writes it, with ``{}`` where the code puts
a value (a column, a count, a list); its French keeps one ``{}`` per value, in the same order.
A value that is itself a sentence of the catalogue is translated in turn; whole numbers written
with thousands commas take French spacing, and "(1,234 rows)" in a list reads "(1 234 lignes)".
``tests/test_report_messages.py`` reads every reader's source, so a new sentence without its
French fails there.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from data_connectors.error_messages import ERRORS

if TYPE_CHECKING:
    from data_connectors.base import ImportReport, ReaderError

#: English sentence (``{}`` for each value) -> French sentence.
REPORTS: dict[str, str] = {
    # rows dropped
    "no date": "aucune date",
    "unreadable date": "date illisible",
    "duplicate id (column {})": "identifiant en double (colonne {})",
    "duplicate call id (column {})": "numéro d'appel en double (colonne {})",
    "the same id as an earlier row": "le même identifiant qu'une ligne précédente",
    "no time received (column {})": "aucune heure de réception (colonne {})",
    "unreadable time received (column {})": "heure de réception illisible (colonne {})",
    "no name": "aucun nom",
    "no name (service or organization)": "aucun nom (ni service ni organisme)",
    "no name or no geometry": "aucun nom ou aucune géométrie",
    "no station number or no geometry": "aucun numéro de poste ou aucune géométrie",
    "no geometry": "aucune géométrie",
    "no area": "aucun secteur",
    "no theme": "aucun thème",
    "no respondent id": "aucun identifiant de répondant",
    "duplicated respondent id": "identifiant de répondant en double",
    "same respondent id as an earlier row (the first one is kept)":
        "même identifiant de répondant qu'une ligne précédente (la première est gardée)",
    "no score (empty or suppressed)": "aucun score (vide ou supprimé)",
    "score is not a number": "le score n'est pas un nombre",
    "not a number (72.5, 72,5 % or 3.4)": "pas un nombre (72,5, 72,5 % ou 3,4)",
    "not a number": "pas un nombre",
    "same area, period, theme and subgroup as an earlier row":
        "même secteur, période, thème et sous-groupe qu'une ligne précédente",
    "no dissemination-area code": "aucun code d'aire de diffusion",
    "not a dissemination-area code (DAUID: 8 digits; DGUID: 2021S0512 and 8 digits)":
        "pas un code d'aire de diffusion (IDAD : 8 chiffres ; IDUGD : 2021S0512 et 8 chiffres)",
    "dissemination area not among the workspace's census areas":
        "aire de diffusion absente des aires de recensement de l'espace de travail",
    "other geography": "autre géographie",
    "other geography (skipped with the geography index)":
        "autre géographie (sautée grâce à l'index géographique)",
    "characteristic not used by any indicator": "caractéristique utilisée par aucun indicateur",
    "characteristic row not used by any indicator":
        "ligne de caractéristique utilisée par aucun indicateur",
    "malformed line (wrong number of fields)": "ligne mal formée (mauvais nombre de champs)",
    "broken line (extra fields)": "ligne brisée (champs en trop)",
    "line is not JSON": "la ligne n'est pas du JSON",
    "line is not a JSON object": "la ligne n'est pas un objet JSON",
    "not a JSON object": "pas un objet JSON",
    "not a community service ({})": "pas un service communautaire ({})",
    "not a community service (amenity={})": "pas un service communautaire (amenity={})",
    "(no category)": "(aucune catégorie)",
    "outside the stations' extent": "hors de l'étendue des postes",
    "outside the stations' extent (more than 1 km beyond)":
        "hors de l'étendue des postes (à plus de 1 km)",
    "service_at_location row for an unknown service":
        "ligne service_at_location d'un service inconnu",
    "service_at_location row for an unknown location":
        "ligne service_at_location d'un lieu inconnu",
    "no NEIGHBOURHOOD in the file": "aucun quartier (NEIGHBOURHOOD) dans le fichier",
    "not a date in the form YYYY-MM-DD": "pas une date de la forme AAAA-MM-JJ",
    "not a calendar date": "pas une date du calendrier",
    "not a clock time HH:MM": "pas une heure HH:MM",
    "a date before 1900 or after tomorrow": "une date avant 1900 ou après demain",
    "not a date (YYYY-MM-DD, or DD/MM/YYYY or MM/DD/YYYY)":
        "pas une date (AAAA-MM-JJ, JJ/MM/AAAA ou MM/JJ/AAAA)",
    "not a Canadian postal code or prefix (letter digit letter)":
        "pas un code postal canadien ni son préfixe (lettre chiffre lettre)",
    "not {}": "pas {}",
    "a date and time in the form {}": "une date et une heure de la forme {}",
    "{} fields, expected {}": "{} champs, {} attendus",
    # rows kept but flagged
    "no category in the file (kept, unmapped)":
        "aucune catégorie dans le fichier (gardé, non associé)",
    "no call type (kept, unmapped)": "aucun type d'appel (gardé, non associé)",
    "no station (kept at city level)": "aucun poste (gardé au niveau de la ville)",
    "no coordinates (kept, placed by area code or at city level)":
        "aucune coordonnée (gardé, placé par le code de secteur ou au niveau de la ville)",
    "date implausible (before 1900 or after tomorrow): left undated, out of the portrait":
        "date invraisemblable (avant 1900 ou après demain) : laissé sans date, hors du portrait",
    "no location: coordinates missing or outside the Montréal area":
        "sans lieu : coordonnées absentes ou hors de la région de Montréal",
    "no location: placeholder coordinates (X = Y = 1 or 0)":
        "sans lieu : coordonnées de remplacement (X = Y = 1 ou 0)",
    "no location: coordinates missing or placeholder (0 or 1)":
        "sans lieu : coordonnées absentes ou de remplacement (0 ou 1)",
    "no location: the column mapping has no coordinates":
        "sans lieu : la correspondance des colonnes ne nomme aucune coordonnée",
    "no location: offset to protect privacy (HUNDRED_BLOCK)":
        "sans lieu : décalé pour protéger la vie privée (HUNDRED_BLOCK)",
    "no location: coordinates missing, zero or outside Vancouver":
        "sans lieu : coordonnées absentes, nulles ou hors de Vancouver",
    "no location: {} look swapped": "sans lieu : {} semblent inversées",
    "latitude and longitude": "latitude et longitude",
    "x and y": "x et y",
    "no location: projected values (metres) in the latitude/longitude columns":
        "sans lieu : valeurs projetées (mètres) dans les colonnes latitude/longitude",
    "no location: longitude/latitude degrees in the x/y columns":
        "sans lieu : degrés de longitude/latitude dans les colonnes x/y",
    "no location: {} (CRS {})": "sans lieu : {} (SCR {})",
    "more than {} km outside the stations": "à plus de {} km des postes",
    "outside the region where this CRS is used": "hors de la région où ce SCR s'emploie",
    "no usable location (kept, not on maps)": "aucun lieu utilisable (gardé, hors des cartes)",
    "not located: no usable coordinates (kept, not on maps)":
        "non localisé : aucune coordonnée utilisable (gardé, hors des cartes)",
    "not located: the inventory has no coordinates":
        "non localisé : l'inventaire n'a pas de coordonnées",
    "not located: the location has no coordinates (kept, not on maps)":
        "non localisé : le lieu n'a pas de coordonnées (gardé, hors des cartes)",
    "not located: the service has no location (kept once, not on maps)":
        "non localisé : le service n'a pas de lieu (gardé une fois, hors des cartes)",
    "no usable time (HOUR/MINUTE)": "aucune heure utilisable (HOUR/MINUTE)",
    "station inferred from NEIGHBOURHOOD (no location)":
        "poste déduit du quartier (NEIGHBOURHOOD, sans lieu)",
    "unreadable time in column {} (kept without a time)":
        "heure illisible dans la colonne {} (gardé sans heure)",
    "unreadable time in column {} (left empty)":
        "heure illisible dans la colonne {} (laissée vide)",
    "self-initiated flag not yes/no in column {} (left empty)":
        "indicateur d'appel d'initiative policière autre que oui/non dans la colonne {} "
        "(laissé vide)",
    "no name in OpenStreetMap (name generated)": "aucun nom dans OpenStreetMap (nom créé)",
    "no street name (drawn, not labelled)": "aucun nom de rue (tracée, sans étiquette)",
    "file in Latin-1 rather than UTF-8 (decoded)": "fichier en Latin-1 plutôt qu'en UTF-8 (décodé)",
    "line(s) in Windows-1252/Latin-1 rather than UTF-8":
        "ligne(s) en Windows-1252/Latin-1 plutôt qu'en UTF-8",
    "broken line repaired (extra empty or placeholder fields)":
        "ligne brisée réparée (champs vides ou de remplacement en trop)",
    "short line (missing values left empty)": "ligne courte (valeurs manquantes laissées vides)",
    "value that is not a number (left empty)": "valeur qui n'est pas un nombre (laissée vide)",
    "value that is not a number in {} (left empty)":
        "valeur qui n'est pas un nombre dans {} (laissée vide)",
    "value {} (symbol {})": "valeur {} (symbole {})",
    "suppressed (confidentiality)": "supprimée (confidentialité)",
    "not available": "non disponible",
    "not applicable": "sans objet",
    "too unreliable to be published": "trop peu fiable pour être publiée",
    "whole-city aggregates kept apart from the areas (the city's own row gives the city's "
    "figures): {}": "agrégats de toute la ville tenus à part des secteurs (la ligne de la ville "
                    "donne ses chiffres) : {}",
    "answers 'don't know' or 'prefer not to answer' (kept apart)":
        "réponses « ne sait pas » ou « préfère ne pas répondre » (tenues à part)",
    "postal code not readable (kept, no area code)":
        "code postal illisible (gardé, sans code de secteur)",
    "coordinates not usable (kept, no point)": "coordonnées inutilisables (gardé, sans point)",
    "coordinates outside every station (kept, no station)":
        "coordonnées hors de tous les postes (gardé, sans poste)",
    "station found from the respondent's area code (area -> station table)":
        "poste trouvé d'après le code de secteur du répondant (table secteur -> poste)",
    "area code missing from the area -> station table (kept, no station)":
        "code de secteur absent de la table secteur -> poste (gardé, sans poste)",
    "no question's answers are on the scale {}-{}: check the mapping's scale and "
    "scale_questions.": "aucune question n'a ses réponses sur l'échelle {}-{} : vérifiez les "
                        "réglages scale et scale_questions de la correspondance.",
    "station found from the respondent's coordinates":
        "poste trouvé d'après les coordonnées du répondant",
    "unreadable submission date (kept, no date)": "date de réponse illisible (gardé, sans date)",
    "row without an area": "ligne sans aire",
    "area not among the workspace's census areas":
        "aire absente des aires de recensement de l'espace de travail",
    "value suppressed by the source in {}": "valeur supprimée par la source dans {}",
    "text columns not read as indicators: {}": "colonnes de texte non lues comme indicateurs : {}",
    "{} repeated area value(s): the first row of each area is kept.":
        "{} valeur(s) d'aire répétées : la première ligne de chaque aire est gardée.",
    "area {} is not among the workspace's census areas; closest: {}.":
        "l'aire {} n'est pas parmi les aires de recensement de l'espace de travail ; la plus "
        "proche : {}.",
    "area {} is not among the workspace's census areas.":
        "l'aire {} n'est pas parmi les aires de recensement de l'espace de travail.",
    # warnings
    "Dates in column {} come in {} forms: {}; check that day and month are not swapped.":
        "Les dates de la colonne {} ont {} formes : {} ; vérifiez que le jour et le mois ne "
        "sont pas inversés.",
    "amenity=shelter points are weather shelters in OpenStreetMap and were left out; homeless "
    "shelters are tagged social_facility=shelter.":
        "Les points amenity=shelter sont des abris contre les intempéries dans OpenStreetMap "
        "et ont été laissés de côté ; les refuges pour personnes itinérantes portent "
        "social_facility=shelter.",
    "answer codes read with the code book {}.": "codes de réponse lus avec le livre de codes {}.",
    "area {} ({}) is not among the workspace's census areas.":
        "le secteur {} ({}) n'est pas parmi les aires de recensement de l'espace de travail.",
    "area {} ({}) is not among the workspace's census areas; closest: {}.":
        "le secteur {} ({}) n'est pas parmi les aires de recensement de l'espace de travail ; "
        "le plus proche : {}.",
    "codes {} of {} are not in the code book: kept as numbers, with no scale position.":
        "les codes {} de {} ne sont pas dans le livre de codes : gardés comme nombres, sans "
        "position sur l'échelle.",
    "columns not used by any indicator: {}": "colonnes utilisées par aucun indicateur : {}",
    "columns without scores, not imported: {}": "colonnes sans scores, non importées : {}",
    "columns {} and {} name the same area ({}); the first column's values are kept.":
        "les colonnes {} et {} nomment le même secteur ({}) ; les valeurs de la première sont "
        "gardées.",
    "line {}: {} fields where the header has {}; the extra field(s) {} at the end were "
    "ignored.": "ligne {} : {} champs alors que l'en-tête en a {} ; le ou les champs en trop "
                "{} à la fin ont été ignorés.",
    "line {}: {} fields where the header has {}; the values cannot be assigned to areas, the "
    "line was skipped.": "ligne {} : {} champs alors que l'en-tête en a {} ; les valeurs ne "
                         "peuvent être attribuées aux secteurs, la ligne a été sautée.",
    "line {}: {} repeats line {}; the first is used.":
        "ligne {} : {} répète la ligne {} ; la première est utilisée.",
    "no CRS declared: WGS84 assumed (GeoJSON default)":
        "aucun SCR déclaré : WGS84 supposé (valeur par défaut du GeoJSON)",
    "none of the {} areas of this profile is among the workspace's census areas: import the "
    "matching boundary file (boroughs, local areas) to map them.":
        "aucun des {} secteurs de ce profil n'est parmi les aires de recensement de l'espace de "
        "travail : importez le fichier de limites correspondant (arrondissements, quartiers) "
        "pour les cartographier.",
    "none of this file's characteristics feeds an indicator of the portrait; {}":
        "aucune caractéristique de ce fichier n'alimente un indicateur du portrait ; {}",
    "not an OpenStreetMap file: the maps credit the file's name; give the network's licence "
    "credit with the option 'attribution'.":
        "pas un fichier OpenStreetMap : les cartes citent le nom du fichier ; donnez la mention "
        "de licence du réseau avec l'option « attribution ».",
    "not imported (identifying information): {}":
        "non importé (renseignements identificatoires) : {}",
    "numeric answers with no code book in {}: kept as numbers, with no scale position (give a "
    "code book to read them).": "réponses numériques sans livre de codes dans {} : gardées "
                                "comme nombres, sans position sur l'échelle (donnez un livre "
                                "de codes pour les lire).",
    "the geography index {} does not match this file ({}); the whole file was read instead.":
        "l'index géographique {} ne correspond pas à ce fichier ({}) ; tout le fichier a été "
        "lu à la place.",
    "weights in column {} ignored, as asked.": "pondérations de la colonne {} ignorées, comme "
                                               "demandé.",
    "{} call(s) have an area code missing from the area -> station table: {}.":
        "{} appel(s) ont un code de secteur absent de la table secteur -> poste : {}.",
    "{} incident(s) ({}) have the time 00:00, which {} when the time is unknown; {}.":
        "{} incident(s) ({}) ont l'heure 00:00, {} quand l'heure est inconnue ; {}.",
    "many sources write": "que beaucoup de sources inscrivent",
    "the VPD writes": "que le VPD inscrit",
    "marked as an unknown time, left out of hour-of-day counts":
        "marqués comme heure inconnue, hors des comptes par heure",
    "kept as 00:00, so read hour-of-day counts at midnight with care":
        "gardés à 00:00 : lisez avec prudence les comptes de minuit",
    "{} n value(s) are not numbers; left empty.":
        "{} valeur(s) de n ne sont pas des nombres ; laissées vides.",
    "{} non-positive weight(s) set to empty.": "{} pondération(s) nulles ou négatives vidées.",
    "{} polygon(s) shared a name with another; they were merged into one area each.":
        "{} polygone(s) partageaient un nom avec un autre ; ils ont été fusionnés en un secteur "
        "chacun.",
    "{} repeated DA value(s): the first row of each DA is kept.":
        "{} valeur(s) d'AD répétées : la première ligne de chaque AD est gardée.",
    "{} respondent(s) without a date (unfinished or not dated): counted in the wave of this "
    "file, the year most of its respondents answered in.":
        "{} répondant(s) sans date (inachevé ou non daté) : comptés dans la vague de ce "
        "fichier, l'année où la plupart de ses répondants ont répondu.",
    "{} row(s) had no station in column {}; their point placed them in one.":
        "{} ligne(s) n'avaient pas de poste dans la colonne {} ; leur point les a placées dans "
        "un poste.",
    "{} row(s) repeat an earlier row exactly; they were kept, since two incidents of the same "
    "kind on the same day at the same place are plausible.":
        "{} ligne(s) répètent exactement une ligne précédente ; elles ont été gardées, car deux "
        "incidents du même genre le même jour au même endroit sont plausibles.",
    "{} rule(s) differ from the built-in table; portraits record them in their parameters.":
        "{} règle(s) diffèrent de la table intégrée ; les portraits les notent dans leurs "
        "paramètres.",
    "{} segments merged into {} streets (one line per street name and class).":
        "{} tronçons fusionnés en {} rues (une ligne par nom et classe de rue).",
    "{} station(s) had several polygons; they were merged.":
        "{} poste(s) avaient plusieurs polygones ; ils ont été fusionnés.",
    "{} suppressed score(s) (x, F, ..) left out.": "{} score(s) supprimés (x, F, ..) laissés "
                                                   "de côté.",
    "{} value(s) of column {} are not a shift ({}) and were left empty: {}.":
        "{} valeur(s) de la colonne {} ne sont pas un quart ({}) et ont été laissées vides : "
        "{}.",
}

#: Every sentence of an import, the reports' and the readers' errors (``error_messages``).
CATALOGUE: dict[str, str] = {**REPORTS, **ERRORS}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+")
_ROWS = re.compile(r"\(([\d,]+) rows\)")
_PERCENT = re.compile(r"(\d)%")
#: The thousands separator of French numbers in the window (Qt's French locale).
_FRENCH_THOUSANDS = "\u202f"


def in_language(message: str, language: str) -> str:
    """``message`` (an import report's reason, warning or problem) as read in ``language``."""
    if language != "fr" or not message:
        return message
    return _french(message) or message


def is_known(message: str) -> bool:
    """Whether the catalogue has a French wording of ``message``."""
    return _french(message) is not None


def report_in_language(report: ImportReport, language: str) -> ImportReport:
    """A copy of ``report`` whose reasons, warnings and examples read in ``language``."""
    if language != "fr":
        return report
    return dataclasses.replace(
        report, dropped=_counts(report.dropped, language),
        flagged=_counts(report.flagged, language),
        warnings=[in_language(w, language) for w in report.warnings],
        examples=[{**e, "problem": in_language(str(e.get("problem", "")), language)}
                  for e in report.examples])


def _counts(by_reason: dict[str, int], language: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason, count in by_reason.items():
        shown = in_language(reason, language)
        counts[shown] = counts.get(shown, 0) + count
    return counts


def _french(message: str) -> str | None:
    if message in CATALOGUE:
        return CATALOGUE[message]
    for pattern, french in _patterns():
        match = pattern.fullmatch(message)
        if match is not None:
            return _fill(french, [_value(part) for part in match.groups()])
    return None


def _fill(french: str, values: list[str]) -> str:
    """``french`` with its ``{}`` replaced by ``values`` in order (other braces, as in a JSON
    example, are text)."""
    pieces = french.split("{}")
    return pieces[0] + "".join(value + piece for value, piece in zip(values, pieces[1:],
                                                                     strict=True))


def reader_error_text(error: ReaderError, language: str) -> str:
    """A reader's error as read in ``language``: "file, ligne 3, colonne « DATE » : problem
    Attendu : what was expected." (in English, the error's own message)."""
    if language != "fr":
        return str(error)
    where = [error.path.name]
    if error.row is not None:
        where.append(f"ligne {error.row}")
    if error.column is not None:
        where.append(f"colonne « {error.column} »")
    text = f"{', '.join(where)} : {in_language(error.problem, language)}"
    if error.expected:
        text += f" Attendu : {in_language(error.expected, language)}."
    return text


def _value(part: str) -> str:
    known = _french(part)
    if known is not None:
        return known
    pieces = part.split("; ")
    if len(pieces) > 1:  # a list of sentences ("category (…); date")
        return "; ".join(_value(piece) for piece in pieces)
    field = _field_words().get(part)
    if field is not None:
        return field
    part = _PERCENT.sub("\\1\u00a0%", _ROWS.sub(r"(\1 lignes)", part))
    return _NUMBER.sub(lambda m: m.group().replace(",", _FRENCH_THOUSANDS), part)


@lru_cache(maxsize=1)
def _field_words() -> dict[str, str]:
    """"name (meaning)" of every reader's declared fields, in French, as the errors about a
    missing column name them."""
    from data_connectors.registry import READERS

    words = {}
    for reader in READERS:
        for field in getattr(reader, "fields", ()) or ():
            if hasattr(field, "meaning_en"):
                words[f"{field.name} ({field.meaning_en})"] = f"{field.name} ({field.meaning_fr})"
    return words


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The sentences with values as patterns, the most specific (longest fixed text) first,
    so a sentence is never read by a shorter pattern that also fits it."""
    variable = [(english, french) for english, french in CATALOGUE.items() if "{}" in english]
    variable.sort(key=lambda item: -len(item[0].replace("{}", "")))
    return tuple((re.compile("(.*?)".join(map(re.escape, english.split("{}"))), re.DOTALL),
                  french) for english, french in variable)
