"""Every word the desktop window shows, in French and English, in one place.

French is the working language of the SPVM; English is offered to officers who prefer it.
The language follows the system's until the officer chooses one in the preferences, and can
be switched while the window is open. Numbers and dates follow the language too (Canadian
French or English conventions): "1 234" and "3 mai 2026", or "1,234" and "3 May 2026".

Messages of ``PortraitError``s (file, row and column problems) come from the readers and are
shown as they are written.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    Qt,
    QTranslator,
)

from ui.string_tables import merged_into

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")

UI_STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "app_name": "Portrait de quartier",
        "window_title": "Portrait de quartier — {title}",
        "window_title_review": "Portrait de quartier — {title} (révision)",
        "menu_file": "&Fichier",
        "menu_help": "&Aide",
        "menu_recent": "Fichiers &récents",
        "recent_empty": "(aucun fichier récent)",
        "action_new": "&Nouvel espace de travail…",
        "action_open": "&Ouvrir…",
        "action_open_review": "Ouvrir pour ré&vision…",
        "action_import": "&Importer des données…",
        "action_save": "&Enregistrer",
        "action_review_panel": "&Commentaires de révision",
        "action_preferences": "&Préférences…",
        "action_quit": "&Quitter",
        "action_about": "À &propos",
        "station": "Poste de quartier :",
        "indicator": "Indicateur du recensement :",
        "open_title": "Ouvrir un espace de travail",
        "open_review_title": "Ouvrir un espace de travail pour révision",
        "new_title": "Créer un espace de travail",
        "workspace_filter": "Espaces de travail Portrait de quartier (*.gpkg)",
        "open_failed": "Impossible d'ouvrir l'espace de travail",
        "create_failed": "Impossible de créer l'espace de travail",
        "save_failed": "Impossible d'enregistrer l'espace de travail",
        "saved": "Enregistré : {path}",
        "no_workspace": "Aucun espace de travail ouvert. Utilisez Fichier › Ouvrir… (Ctrl+O).",
        "no_stations": "Cet espace de travail ne contient aucune limite de poste de quartier.",
        "map_preparing": "Préparation de la carte de {station}…",
        "map_ready": "Carte de {station} affichée.",
        "map_failed": "La carte n'a pas pu être préparée : {message}",
        "unexpected": "Erreur inattendue ({kind}) : {message}. Les détails sont dans le journal.",
        "unexpected_error": "Erreur inattendue ({kind}). Les détails ci-dessous peuvent être "
                            "copiés et transmis au soutien technique.",
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
        # buttons
        "button_ok": "OK",
        "button_cancel": "Annuler",
        "button_close": "Fermer",
        "button_back": "< Précédent",
        "button_next": "Suivant >",
        "button_import": "Importer",
        "button_browse": "Parcourir…",
        "button_details": "Détails",
        "button_copy": "Copier",
        "button_defaults": "Valeurs par défaut",
        "button_save": "Enregistrer",
        "button_discard": "Ne pas enregistrer",
        "button_recover": "Récupérer",
        "button_open_copy": "Ouvrir la copie",
        "button_delete_copy": "Supprimer la copie",
        "button_later": "Plus tard",
        "button_cancel_import": "Annuler l'importation",
        "button_save_mappings": "Enregistrer les correspondances",
        "button_reimport": "Réimporter le fichier",
        # status bar, banner, prompts
        "status_path_tip": "Fichier de l'espace de travail",
        "vintage_none": "Aucune donnée importée",
        "vintage_census": "Recensement {year}",
        "vintage_imports": "{count} couche(s) importée(s), la plus récente le {date}",
        "vintage_tip_title": "Millésime des données",
        "vintage_tip_layer": "{layer} : {source}, importé le {date}",
        "vintage_tip_census": "Valeurs du recensement : {year}",
        "review_banner": "Lecture seule — révision. Les données ne peuvent pas être "
                         "modifiées ; vos commentaires sont enregistrés dans l'espace de "
                         "travail dès que vous les ajoutez.",
        "review_read_only": "Espace de travail ouvert en lecture seule pour révision : "
                            "cette action n'est pas permise.",
        "unsaved_title": "Modifications non enregistrées",
        "unsaved_text": "L'espace de travail « {title} » contient des modifications non "
                        "enregistrées. Voulez-vous les enregistrer ?",
        "autosaved": "Copie de secours enregistrée à {time} ({name}). Votre fichier ne change "
                     "que lorsque vous enregistrez.",
        "autosave_failed": "La copie de secours n'a pas pu être enregistrée : {message}",
        "recover_title": "Copie de secours trouvée",
        "recover_text": "Une copie de secours plus récente que « {name} » a été trouvée "
                        "(enregistrée le {time}), sans doute après un arrêt imprévu. "
                        "Voulez-vous récupérer son contenu ? Il faudra ensuite l'enregistrer.",
        "recovered": "Contenu de la copie de secours récupéré : enregistrez pour le conserver.",
        "import_needs_workspace": "Ouvrez ou créez d'abord un espace de travail pour y "
                                  "importer des données.",
        "imported_status": "{name} importé : {kept} ligne(s) conservée(s).",
        # preferences
        "preferences_title": "Préférences",
        "language_fr": "Français",
        "language_en": "English",
        "pref_language": "Langue :",
        "pref_metric_crs": "Système proposé pour un nouvel espace :",
        "pref_coverage": "Distances de couverture des services :",
        "pref_incident_k": "Taille minimale d'une cellule d'incidents (k) :",
        "pref_survey_n": "Nombre minimal de répondants d'un sondage (n) :",
        "pref_small_count": "Petits effectifs masqués pour les partenaires (de 1 à) :",
        "pref_autosave": "Enregistrement automatique :",
        "pref_tiles": "Fond de carte en tuiles :",
        "pref_tiles_attribution": "Mention de la source des tuiles :",
        "pref_tiles_placeholder": "Aucun (hors ligne) — adresse XYZ ou fichier .mbtiles",
        "pref_tiles_choose": "Fichier…",
        "pref_tiles_note": "Facultatif : l'adresse du serveur de tuiles du fournisseur "
                           "(https://…/{{z}}/{{x}}/{{y}}.png) ou un fichier MBTiles sur cet "
                           "ordinateur. Sans fond, la carte montre les rues de l'espace de "
                           "travail, sans réseau.",
        "tiles_file_missing": "Ce fichier .mbtiles n'existe pas.",
        "tiles_not_mbtiles": "Ce fichier n'est pas un fichier MBTiles lisible.",
        "tiles_bad_url": "Indiquez une adresse http(s) contenant {{z}}, {{x}} et {{y}}, ou un "
                         "fichier .mbtiles.",
        "autosave_off": "Désactivé",
        "autosave_note": "Enregistrement automatique : toutes les N minutes, s'il y a des "
                         "modifications non enregistrées, une copie de secours "
                         "(.nom.autosave.gpkg) est écrite à côté de l'espace de travail. Votre "
                         "fichier ne change que lorsque vous enregistrez ; après un arrêt "
                         "imprévu, la copie vous est proposée à l'ouverture.",
        "crs_tooltip": "Code EPSG d'une projection en mètres, par exemple EPSG:32188 "
                       "(NAD83 / MTM zone 8, Montréal).",
        "crs_empty": "Indiquez un code EPSG, par exemple EPSG:32188.",
        "crs_unknown": "« {name} » n'est pas un système de coordonnées connu ; indiquez un "
                       "code EPSG, par exemple EPSG:32188.",
        "crs_not_metric": "{name} n'est pas une projection en mètres : les distances y "
                          "seraient fausses. Choisissez une projection, par exemple "
                          "EPSG:32188.",
        # import wizard
        "import_title": "Importer des données",
        "import_step_file": "1. Fichier et format",
        "import_step_preview": "2. Aperçu",
        "import_step_mapping": "3. Correspondance des colonnes",
        "import_step_progress": "Importation",
        "import_step_report": "Rapport d'importation",
        "import_file_intro": "Choisissez le fichier à importer (ou déposez-le sur la fenêtre "
                             "principale). L'application propose le format qui le reconnaît ; "
                             "vous pouvez en choisir un autre dans la liste.",
        "import_file": "Fichier :",
        "import_reader": "Format :",
        "import_path_placeholder": "Chemin du fichier à importer",
        "import_choose_title": "Choisir le fichier à importer",
        "import_filter": "Fichiers de données (*.csv *.tsv *.xlsx *.geojson *.json *.gpkg "
                         "*.shp);;Tous les fichiers (*)",
        "import_detecting": "Analyse du fichier…",
        "reader_proposed": "{label} (proposé)",
        "import_no_such_file": "Le fichier « {name} » n'existe pas.",
        "import_not_recognised": "Aucun format connu ne reconnaît « {name} ». Choisissez un "
                                 "format dans la liste si vous savez de quoi il s'agit.",
        "import_recognised": "Format reconnu d'après le contenu du fichier.",
        "import_destination": "Destination :",
        "kind_stations": "limites des postes de quartier (remplacées)",
        "kind_census-areas": "aires du recensement",
        "kind_census-values": "valeurs du recensement",
        "kind_incidents": "incidents (les lignes d'un même fichier importé auparavant sont "
                          "remplacées)",
        "kind_services": "services communautaires",
        "kind_survey": "sondage auprès des résidents",
        "kind_calls": "appels de service (les lignes d'un même fichier importé auparavant sont "
                      "remplacées)",
        "kind_call-pathways": "table des réponses aux appels (remplace la table en usage)",
        "kind_streets": "rues du fond de carte (celles d'un même fichier importé auparavant "
                        "sont remplacées)",
        "mapping_example": "ex. : {values}",
        "mapping_from_saved": "Correspondance reprise de la dernière importation d'un fichier "
                              "semblable (mêmes colonnes) : vérifiez-la.",
        "mapping_from_guess": "Correspondance devinée d'après les noms des colonnes.",
        "mapping_from_earlier": "Correspondance reprise de la dernière importation d'un "
                                "fichier du même nom : vérifiez-la.",
        "import_reader_forced": "Ce format n'a pas reconnu le fichier : l'importation "
                                "signalera ce qui ne correspond pas.",
        "preview_loading": "Lecture des premières lignes de « {name} »…",
        "preview_none": "Pas d'aperçu pour ce type de fichier ({name}).",
        "preview_rows": "Les {rows} premières lignes de « {name} » ({columns} colonnes), "
                        "telles qu'elles seront lues.",
        "preview_failed": "Aperçu impossible : {message}",
        "mapping_intro": "Indiquez quelle colonne du fichier contient chaque information. "
                         "Les choix proposés viennent des noms de colonnes : vérifiez-les. Les "
                         "champs marqués * sont obligatoires ; il faut aussi une position "
                         "(latitude et longitude, x et y avec leur système, ou la géométrie "
                         "du fichier) ou un poste de quartier.",
        "field_mapping_intro": "Indiquez quelle colonne du fichier contient chaque "
                               "information ; les choix proposés viennent des noms de "
                               "colonnes. Les champs marqués * sont obligatoires.",
        "field_required": "{field} * :",
        "field_optional": "{field} :",
        "field_category": "Catégorie (type d'incident)",
        "field_date": "Date",
        "field_time": "Heure",
        "field_shift": "Quart de travail",
        "field_station": "Poste de quartier",
        "field_lat": "Latitude",
        "field_lon": "Longitude",
        "field_x": "X (projeté)",
        "field_y": "Y (projeté)",
        "field_id": "Identifiant unique",
        "field_crs": "Système des colonnes X et Y",
        "field_date_format": "Forme des dates",
        "column_none": "(aucune)",
        "date_format_auto": "Reconnaître automatiquement",
        "date_format_excel": "Numéros de jour Excel",
        "map_use_geometry": "Utiliser la géométrie (points) du fichier",
        "map_crs_tooltip": "Code EPSG des colonnes X et Y : EPSG:32188 pour MTM zone 8 "
                           "(Montréal), EPSG:4326 pour des degrés.",
        "missing_field": "Choisissez la colonne « {field} » (obligatoire).",
        "missing_pair": "Choisissez aussi la colonne « {field} » : les coordonnées vont par "
                        "paires.",
        "missing_crs": "Indiquez le système des colonnes X et Y (par exemple EPSG:32188).",
        "missing_location": "Choisissez une position (latitude et longitude, X et Y, ou la "
                            "géométrie du fichier) ou la colonne du poste de quartier.",
        "import_running": "Importation de « {name} »",
        "import_starting": "Démarrage…",
        "import_cancelling": "Annulation en cours…",
        "import_done": "Importation terminée.",
        "import_cancelled": "Importation annulée : l'espace de travail n'a pas été modifié.",
        "import_failed_unchanged": "L'importation a échoué : l'espace de travail n'a pas été "
                                   "modifié. Revenez en arrière pour corriger le format ou la "
                                   "correspondance des colonnes.",
        "import_failed_title": "Importation impossible",
        "mappings_failed_title": "Correspondances non enregistrées",
        "report_summary": "<b>{name}</b> → {layer} : {kept} ligne(s) conservée(s) sur {read} "
                          "lue(s) ; {dropped} écartée(s) ; {flagged} conservée(s) mais "
                          "signalée(s).",
        "report_columns": "Colonnes lues : {columns}.",
        "report_column": "{field} ← « {column} »",
        "report_column_separator": " ; ",
        "report_col_outcome": "Résultat",
        "report_col_reason": "Motif",
        "report_col_rows": "Lignes",
        "report_dropped": "Écartées",
        "report_flagged": "Signalées",
        "report_warnings": "<b>Avertissements</b><br>{warnings}",
        "report_unmapped_title": "Catégories sans correspondance",
        "report_col_source_category": "Catégorie de la source",
        "report_col_category": "Catégorie commune",
        "category_leave_unmapped": "(laisser sans correspondance)",
        "report_unmapped_note": "Ces incidents sont conservés mais ne comptent dans aucune "
                                "catégorie commune. Choisissez une catégorie pour chacune : "
                                "elle sera enregistrée dans l'espace de travail et servira aux "
                                "prochaines importations.",
        "report_mappings_saved": "{count} correspondance(s) enregistrée(s) dans l'espace de "
                                 "travail. Réimportez le fichier pour les appliquer à ces "
                                 "incidents.",
        "report_nothing_chosen": "Choisissez d'abord une catégorie commune pour au moins une "
                                 "catégorie de la source.",
        # layers
        "layer_stations": "limites des postes de quartier",
        "layer_incidents": "incidents",
        "layer_census_areas": "aires du recensement",
        "layer_census_values": "valeurs du recensement",
        "layer_services": "services communautaires",
        "layer_survey_respondents": "répondants au sondage",
        "layer_survey_answers": "réponses au sondage",
        "layer_survey_questions": "questions du sondage",
        "layer_survey_scores": "résultats de sondage par secteur",
        "layer_streets": "rues",
        # review
        "review_dock_title": "Révision",
        "review_section_label": "{station} — {indicator}",
        "review_no_section": "Aucune section affichée.",
        "review_section": "Section : {section}",
        "review_marked": "✔ Révisée par {author} le {time}",
        "review_not_marked": "Pas encore marquée comme révisée.",
        "review_placeholder": "Votre commentaire sur cette section…",
        "review_add": "Ajouter le commentaire",
        "review_mark": "Marquer comme révisée",
        "review_list_caption": "Commentaires et révisions (les plus récents d'abord) :",
        "review_none": "Aucun commentaire pour l'instant.",
        "review_item_comment": "{author} — {time}\n{section}\n{comment}",
        "review_item_mark": "{author} — {time}\n{section}\n✔ Section marquée comme révisée",
        "review_saving": "Enregistrement…",
        "review_saved": "Enregistré dans l'espace de travail.",
        "review_save_failed": "Le commentaire n'a pas pu être enregistré",
        "review_approve": "Approuver le portrait de ce poste",
        "review_approved": "✔ Portrait approuvé par {name} le {time}",
        "review_not_approved": "Version de travail : le portrait de ce poste n'est pas "
                               "approuvé tel qu'il est.",
        "review_approve_needs_name": "Inscrivez votre nom et votre fonction dans Fichier › "
                                     "Préférences pour approuver.",
        "review_approve_failed": "L'approbation n'a pas pu être enregistrée",
        "action_export_quarterly": "Bilan &trimestriel du plan d'action…",
        "quarterly_title": "Bilan trimestriel du plan d'action",
        "quarterly_station": "Poste de quartier :",
        "quarterly_quarter": "Trimestre :",
        "quarterly_audience": "Destinataires :",
        "quarterly_audience_partner": "Partenaires et communauté",
        "quarterly_audience_internal": "Usage interne",
        "quarterly_formats": "Formats :",
        "quarterly_folder": "Dossier :",
        "quarterly_browse": "Parcourir…",
        "quarterly_export": "Produire le bilan",
        "quarterly_approve": "Approuver ce bilan",
        "quarterly_approved": "✔ Bilan approuvé par {name} le {time}",
        "quarterly_writing": "Production du bilan…",
        "quarterly_written": "Bilan enregistré :\n{files}",
        "quarterly_failed": "Le bilan n'a pas été produit : {message}",
        "quarterly_no_quarter": "Aucun incident dans l'espace de travail : aucun trimestre "
                                "à présenter.",
    },
    "en": {
        "app_name": "Portrait de quartier",
        "window_title": "Portrait de quartier — {title}",
        "window_title_review": "Portrait de quartier — {title} (review)",
        "menu_file": "&File",
        "menu_help": "&Help",
        "menu_recent": "&Recent files",
        "recent_empty": "(no recent files)",
        "action_new": "&New workspace…",
        "action_open": "&Open…",
        "action_open_review": "Open for re&view…",
        "action_import": "&Import data…",
        "action_save": "&Save",
        "action_review_panel": "Review &comments",
        "action_preferences": "&Preferences…",
        "action_quit": "&Quit",
        "action_about": "&About",
        "station": "Neighbourhood station:",
        "indicator": "Census indicator:",
        "open_title": "Open a workspace",
        "open_review_title": "Open a workspace for review",
        "new_title": "Create a workspace",
        "workspace_filter": "Portrait de quartier workspaces (*.gpkg)",
        "open_failed": "Cannot open the workspace",
        "create_failed": "Cannot create the workspace",
        "save_failed": "Cannot save the workspace",
        "saved": "Saved: {path}",
        "no_workspace": "No workspace is open. Use File › Open… (Ctrl+O).",
        "no_stations": "This workspace holds no neighbourhood-station boundaries.",
        "map_preparing": "Preparing the map of {station}…",
        "map_ready": "Map of {station} shown.",
        "map_failed": "The map could not be prepared: {message}",
        "unexpected": "Unexpected error ({kind}): {message}. Details are in the log.",
        "unexpected_error": "Unexpected error ({kind}). The details below can be copied and "
                            "sent to technical support.",
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
        # buttons
        "button_ok": "OK",
        "button_cancel": "Cancel",
        "button_close": "Close",
        "button_back": "< Back",
        "button_next": "Next >",
        "button_import": "Import",
        "button_browse": "Browse…",
        "button_details": "Details",
        "button_copy": "Copy",
        "button_defaults": "Restore defaults",
        "button_save": "Save",
        "button_discard": "Don't save",
        "button_recover": "Recover",
        "button_open_copy": "Open the copy",
        "button_delete_copy": "Delete the copy",
        "button_later": "Later",
        "button_cancel_import": "Cancel the import",
        "button_save_mappings": "Save the mappings",
        "button_reimport": "Import the file again",
        # status bar, banner, prompts
        "status_path_tip": "Workspace file",
        "vintage_none": "No data imported",
        "vintage_census": "Census {year}",
        "vintage_imports": "{count} layer(s) imported, latest on {date}",
        "vintage_tip_title": "Data vintages",
        "vintage_tip_layer": "{layer}: {source}, imported on {date}",
        "vintage_tip_census": "Census values: {year}",
        "review_banner": "Read-only — review. The data cannot be changed; your comments are "
                         "saved in the workspace as soon as you add them.",
        "review_read_only": "The workspace is open read-only for review: this action is not "
                            "allowed.",
        "unsaved_title": "Unsaved changes",
        "unsaved_text": "The workspace \u201c{title}\u201d has unsaved changes. Do you want to "
                        "save them?",
        "autosaved": "Recovery copy saved at {time} ({name}). Your file only changes when you "
                     "save.",
        "autosave_failed": "The recovery copy could not be saved: {message}",
        "recover_title": "Recovery copy found",
        "recover_text": "A recovery copy newer than \u201c{name}\u201d was found (saved on "
                        "{time}), probably after an unexpected stop. Do you want to recover "
                        "its content? You will then need to save it.",
        "recovered": "Content of the recovery copy recovered: save to keep it.",
        "import_needs_workspace": "Open or create a workspace first, to import data into it.",
        "imported_status": "{name} imported: {kept} row(s) kept.",
        # preferences
        "preferences_title": "Preferences",
        "language_fr": "Français",
        "language_en": "English",
        "pref_language": "Language:",
        "pref_metric_crs": "System proposed for a new workspace:",
        "pref_coverage": "Service coverage distances:",
        "pref_incident_k": "Minimum incident cell size (k):",
        "pref_survey_n": "Minimum survey respondents (n):",
        "pref_small_count": "Small counts hidden from partners (from 1 to):",
        "pref_autosave": "Autosave:",
        "pref_tiles": "Tile background:",
        "pref_tiles_attribution": "Tile source credit:",
        "pref_tiles_placeholder": "None (offline) — XYZ address or .mbtiles file",
        "pref_tiles_choose": "File…",
        "pref_tiles_note": "Optional: the address of the provider's own tile server "
                           "(https://…/{{z}}/{{x}}/{{y}}.png) or an MBTiles file on this computer. "
                           "Without one, the map shows the workspace's streets, with no "
                           "network.",
        "tiles_file_missing": "This .mbtiles file does not exist.",
        "tiles_not_mbtiles": "This file is not a readable MBTiles file.",
        "tiles_bad_url": "Enter an http(s) address containing {{z}}, {{x}} and {{y}}, or an "
                         ".mbtiles file.",
        "autosave_off": "Off",
        "autosave_note": "Autosave: every N minutes, when there are unsaved changes, a recovery "
                         "copy (.name.autosave.gpkg) is written next to the workspace. Your "
                         "file only changes when you save; after an unexpected stop, the copy "
                         "is offered when you open the file.",
        "crs_tooltip": "EPSG code of a projection in metres, e.g. EPSG:32188 "
                       "(NAD83 / MTM zone 8, Montréal).",
        "crs_empty": "Enter an EPSG code, e.g. EPSG:32188.",
        "crs_unknown": "\u201c{name}\u201d is not a known coordinate system; enter an EPSG "
                       "code, e.g. EPSG:32188.",
        "crs_not_metric": "{name} is not a projection in metres: distances would be wrong "
                          "in it. Choose a projection, e.g. EPSG:32188.",
        # import wizard
        "import_title": "Import data",
        "import_step_file": "1. File and format",
        "import_step_preview": "2. Preview",
        "import_step_mapping": "3. Column mapping",
        "import_step_progress": "Import",
        "import_step_report": "Import report",
        "import_file_intro": "Choose the file to import (or drop it on the main window). The "
                             "application proposes the format that recognises it; you can "
                             "choose another one from the list.",
        "import_file": "File:",
        "import_reader": "Format:",
        "import_path_placeholder": "Path of the file to import",
        "import_choose_title": "Choose the file to import",
        "import_filter": "Data files (*.csv *.tsv *.xlsx *.geojson *.json *.gpkg *.shp);;"
                         "All files (*)",
        "import_detecting": "Examining the file…",
        "reader_proposed": "{label} (proposed)",
        "import_no_such_file": "The file \u201c{name}\u201d does not exist.",
        "import_not_recognised": "No known format recognises \u201c{name}\u201d. Choose a "
                                 "format from the list if you know what it holds.",
        "import_recognised": "Format recognised from the file's content.",
        "import_destination": "Destination:",
        "kind_stations": "neighbourhood-station boundaries (replaced)",
        "kind_census-areas": "census areas",
        "kind_census-values": "census values",
        "kind_incidents": "incidents (rows of the same file imported earlier are replaced)",
        "kind_services": "community services",
        "kind_survey": "residents' survey",
        "kind_calls": "calls for service (rows of the same file imported earlier are replaced)",
        "kind_call-pathways": "response-pathway table for calls (replaces the one in use)",
        "kind_streets": "streets of the base map (those of the same file imported before are "
                        "replaced)",
        "mapping_example": "e.g. {values}",
        "mapping_from_saved": "Mapping taken from the last import of a similar file (same "
                              "columns): check it.",
        "mapping_from_guess": "Mapping guessed from the column names.",
        "mapping_from_earlier": "Mapping taken from the last import of a file of the same "
                                "name: check it.",
        "import_reader_forced": "This format did not recognise the file: the import will "
                                "report what does not match.",
        "preview_loading": "Reading the first rows of \u201c{name}\u201d…",
        "preview_none": "No preview for this kind of file ({name}).",
        "preview_rows": "The first {rows} rows of \u201c{name}\u201d ({columns} columns), as "
                        "they will be read.",
        "preview_failed": "No preview: {message}",
        "mapping_intro": "Say which column of the file holds each piece of information. The "
                         "proposed choices come from the column names: check them. Fields "
                         "marked * are required; a location is needed too (latitude and "
                         "longitude, x and y with their system, or the file's geometry) or a "
                         "neighbourhood station.",
        "field_mapping_intro": "Say which column of the file holds each piece of "
                               "information; the proposed choices come from the column "
                               "names. Fields marked * are required.",
        "field_required": "{field} *:",
        "field_optional": "{field}:",
        "field_category": "Category (kind of incident)",
        "field_date": "Date",
        "field_time": "Time",
        "field_shift": "Work shift",
        "field_station": "Neighbourhood station",
        "field_lat": "Latitude",
        "field_lon": "Longitude",
        "field_x": "X (projected)",
        "field_y": "Y (projected)",
        "field_id": "Unique identifier",
        "field_crs": "System of the X and Y columns",
        "field_date_format": "Date form",
        "column_none": "(none)",
        "date_format_auto": "Recognise automatically",
        "date_format_excel": "Excel day numbers",
        "map_use_geometry": "Use the file's geometry (points)",
        "map_crs_tooltip": "EPSG code of the X and Y columns: EPSG:32188 for MTM zone 8 "
                           "(Montréal), EPSG:4326 for degrees.",
        "missing_field": "Choose the \u201c{field}\u201d column (required).",
        "missing_pair": "Choose the \u201c{field}\u201d column too: coordinates come in "
                        "pairs.",
        "missing_crs": "Enter the system of the X and Y columns (e.g. EPSG:32188).",
        "missing_location": "Choose a location (latitude and longitude, X and Y, or the "
                            "file's geometry) or the neighbourhood-station column.",
        "import_running": "Importing \u201c{name}\u201d",
        "import_starting": "Starting…",
        "import_cancelling": "Cancelling…",
        "import_done": "Import finished.",
        "import_cancelled": "Import cancelled: the workspace was not changed.",
        "import_failed_unchanged": "The import failed: the workspace was not changed. Go back "
                                   "to correct the format or the column mapping.",
        "import_failed_title": "Cannot import",
        "mappings_failed_title": "Mappings not saved",
        "report_summary": "<b>{name}</b> → {layer}: {kept} row(s) kept of {read} read; "
                          "{dropped} dropped; {flagged} kept but flagged.",
        "report_columns": "Columns read: {columns}.",
        "report_column": "{field} ← \u201c{column}\u201d",
        "report_column_separator": "; ",
        "report_col_outcome": "Outcome",
        "report_col_reason": "Reason",
        "report_col_rows": "Rows",
        "report_dropped": "Dropped",
        "report_flagged": "Flagged",
        "report_warnings": "<b>Warnings</b><br>{warnings}",
        "report_unmapped_title": "Categories without a mapping",
        "report_col_source_category": "Source category",
        "report_col_category": "Common category",
        "category_leave_unmapped": "(leave without a mapping)",
        "report_unmapped_note": "These incidents are kept but count in no common category. "
                                "Choose a category for each one: it is saved in the workspace "
                                "and used by the next imports.",
        "report_mappings_saved": "{count} mapping(s) saved in the workspace. Import the file "
                                 "again to apply them to these incidents.",
        "report_nothing_chosen": "First choose a common category for at least one source "
                                 "category.",
        # layers
        "layer_stations": "neighbourhood-station boundaries",
        "layer_incidents": "incidents",
        "layer_census_areas": "census areas",
        "layer_census_values": "census values",
        "layer_services": "community services",
        "layer_survey_respondents": "survey respondents",
        "layer_survey_answers": "survey answers",
        "layer_survey_questions": "survey questions",
        "layer_survey_scores": "survey results by area",
        "layer_streets": "streets",
        # review
        "review_dock_title": "Review",
        "review_section_label": "{station} — {indicator}",
        "review_no_section": "No section shown.",
        "review_section": "Section: {section}",
        "review_marked": "✔ Reviewed by {author} on {time}",
        "review_not_marked": "Not marked as reviewed yet.",
        "review_placeholder": "Your comment on this section…",
        "review_add": "Add the comment",
        "review_mark": "Mark as reviewed",
        "review_list_caption": "Comments and reviews (newest first):",
        "review_none": "No comments yet.",
        "review_item_comment": "{author} — {time}\n{section}\n{comment}",
        "review_item_mark": "{author} — {time}\n{section}\n✔ Section marked as reviewed",
        "review_saving": "Saving…",
        "review_saved": "Saved in the workspace.",
        "review_save_failed": "The comment could not be saved",
        "review_approve": "Approve this station's brief",
        "review_approved": "✔ Brief approved by {name} on {time}",
        "review_not_approved": "Working draft: this station's brief is not approved as it "
                               "stands.",
        "review_approve_needs_name": "Enter your name and role in File › Preferences to "
                                     "approve.",
        "review_approve_failed": "The approval could not be saved",
        "action_export_quarterly": "Action plan &quarterly report…",
        "quarterly_title": "Action plan quarterly report",
        "quarterly_station": "Station:",
        "quarterly_quarter": "Quarter:",
        "quarterly_audience": "Audience:",
        "quarterly_audience_partner": "Partners and community",
        "quarterly_audience_internal": "Internal use",
        "quarterly_formats": "Formats:",
        "quarterly_folder": "Folder:",
        "quarterly_browse": "Browse…",
        "quarterly_export": "Write the report",
        "quarterly_approve": "Approve this report",
        "quarterly_approved": "✔ Report approved by {name} on {time}",
        "quarterly_writing": "Writing the report…",
        "quarterly_written": "Report written:\n{files}",
        "quarterly_failed": "The report was not written: {message}",
        "quarterly_no_quarter": "The workspace holds no incidents: there is no quarter to "
                                "report on.",
    },
}

UI_STRINGS = merged_into(UI_STRINGS)

_LOCALES = {"fr": (QLocale.Language.French, QLocale.Country.Canada),
            "en": (QLocale.Language.English, QLocale.Country.Canada)}
_DATE_FORMATS = {"fr": "d MMMM yyyy", "en": "MMMM d, yyyy"}
_qt_translator: QTranslator | None = None


def default_language() -> str:
    """English when the system is set to English, French otherwise."""
    return "en" if QLocale.system().language() == QLocale.Language.English else "fr"


class UiText:
    """The window's words in one language: ``text("saved", path=...)``; numbers and dates
    written the way that language writes them."""

    def __init__(self, language: str):
        self.language = language if language in LANGUAGES else "fr"

    def __call__(self, key: str, **values: object) -> str:
        return UI_STRINGS[self.language][key].format(**values)

    def locale(self) -> QLocale:
        return QLocale(*_LOCALES[self.language])

    def number(self, value: float) -> str:
        """``1234`` as "1 234" in French, "1,234" in English."""
        if float(value).is_integer():
            return self.locale().toString(int(value))
        return self.locale().toString(float(value), "f", 1)

    def date(self, iso: str) -> str:
        """An ISO date or time as "3 mai 2026", "1er mai 2026" / "May 3, 2026" (the text
        itself if unreadable)."""
        moment = _parse(iso)
        if moment is None:
            return iso
        day = moment.toLocalTime().date()
        written = self.locale().toString(day, _DATE_FORMATS[self.language])
        if self.language == "fr" and day.day() == 1:
            return "1er" + written[1:]  # French writes the first of the month as an ordinal
        return written

    def date_time(self, iso: str) -> str:
        """An ISO time as a short local date and time ("2026-05-03 14 h 32")."""
        moment = _parse(iso)
        if moment is None:
            return iso
        return self.locale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)

    def keys(self) -> set[str]:
        return set(UI_STRINGS[self.language])

    def layer_name(self, layer: str) -> str:
        key = f"layer_{layer}"
        return self(key) if key in UI_STRINGS[self.language] else layer


def _parse(iso: str) -> QDateTime | None:
    moment = QDateTime.fromString(str(iso), Qt.DateFormat.ISODate)
    if not moment.isValid():
        day = QDate.fromString(str(iso)[:10], Qt.DateFormat.ISODate)
        if not day.isValid():
            return None
        moment = day.startOfDay()
    return moment


def apply_language(language: str) -> None:
    """Make Qt follow ``language``: default locale (number and date widgets) and Qt's own
    words (context menus, file dialogs), from the translations shipped with Qt."""
    global _qt_translator
    QLocale.setDefault(UiText(language).locale())
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    else:
        log.info("No Qt translation for %s in %s", language, folder)
