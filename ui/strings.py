"""Every word the desktop window shows, in French and English, in one place.

French is the working language of the SPVM; English is offered to officers who prefer it.
The language follows the system's unless the window is told otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

LANGUAGES = ("fr", "en")

UI_STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "app_name": "Portrait de quartier",
        "window_title": "Portrait de quartier — {title}",
        "menu_file": "&Fichier",
        "menu_help": "&Aide",
        "action_open": "&Ouvrir…",
        "action_save": "&Enregistrer",
        "action_quit": "&Quitter",
        "action_about": "À &propos",
        "station": "Poste de quartier :",
        "indicator": "Indicateur du recensement :",
        "open_title": "Ouvrir un espace de travail",
        "workspace_filter": "Espaces de travail Portrait de quartier (*.gpkg)",
        "open_failed": "Impossible d'ouvrir l'espace de travail",
        "save_failed": "Impossible d'enregistrer l'espace de travail",
        "saved": "Enregistré : {path}",
        "no_workspace": "Aucun espace de travail ouvert. Utilisez Fichier › Ouvrir… (Ctrl+O).",
        "no_stations": "Cet espace de travail ne contient aucune limite de poste de quartier.",
        "map_preparing": "Préparation de la carte de {station}…",
        "map_ready": "Carte de {station} affichée.",
        "map_failed": "La carte n'a pas pu être préparée : {message}",
        "unexpected": "Erreur inattendue ({kind}) : {message}. Les détails sont dans le journal.",
        "about_title": "À propos de Portrait de quartier",
        "about_text": (
            "<p><b>Portrait de quartier</b> {version}</p>"
            "<p>Portrait sociodémographique, criminalité et ressources communautaires du "
            "territoire d'un poste de quartier, pour les agents sociocommunautaires.</p>"
            "<p><b>Sources des données</b><br>"
            "Statistique Canada, Recensement de la population 2021 (profils et limites des "
            "aires de diffusion)<br>"
            "Ville de Montréal, portail de données ouvertes (limites des postes de quartier "
            "du SPVM, actes criminels)<br>"
            "Inventaires de ressources communautaires et sondages importés par le poste.</p>"
            "<p>La carte fonctionne hors ligne (Leaflet {leaflet}, sans fond de carte en "
            "ligne).</p>"
        ),
    },
    "en": {
        "app_name": "Portrait de quartier",
        "window_title": "Portrait de quartier — {title}",
        "menu_file": "&File",
        "menu_help": "&Help",
        "action_open": "&Open…",
        "action_save": "&Save",
        "action_quit": "&Quit",
        "action_about": "&About",
        "station": "Neighbourhood station:",
        "indicator": "Census indicator:",
        "open_title": "Open a workspace",
        "workspace_filter": "Portrait de quartier workspaces (*.gpkg)",
        "open_failed": "Cannot open the workspace",
        "save_failed": "Cannot save the workspace",
        "saved": "Saved: {path}",
        "no_workspace": "No workspace is open. Use File › Open… (Ctrl+O).",
        "no_stations": "This workspace holds no neighbourhood-station boundaries.",
        "map_preparing": "Preparing the map of {station}…",
        "map_ready": "Map of {station} shown.",
        "map_failed": "The map could not be prepared: {message}",
        "unexpected": "Unexpected error ({kind}): {message}. Details are in the log.",
        "about_title": "About Portrait de quartier",
        "about_text": (
            "<p><b>Portrait de quartier</b> {version}</p>"
            "<p>Socio-demographic profile, crime and community resources of a neighbourhood "
            "station's area, for community officers.</p>"
            "<p><b>Data sources</b><br>"
            "Statistics Canada, 2021 Census of Population (profiles and dissemination-area "
            "boundaries)<br>"
            "Ville de Montréal open data portal (SPVM neighbourhood-station boundaries, "
            "criminal acts)<br>"
            "Community-resource inventories and surveys imported by the station.</p>"
            "<p>The map works offline (Leaflet {leaflet}, no online background map).</p>"
        ),
    },
}


def default_language() -> str:
    """English when the system is set to English, French otherwise."""
    return "en" if QLocale.system().language() == QLocale.Language.English else "fr"


class UiText:
    """The window's words in one language: ``text("saved", path=...)``."""

    def __init__(self, language: str):
        self.language = language if language in LANGUAGES else "fr"

    def __call__(self, key: str, **values: object) -> str:
        return UI_STRINGS[self.language][key].format(**values)
