"""Words of refused imports and of the Data sources dialog (see ``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "action_data_sources": "&Sources de données…",
        "action_save_recipe": "Enregistrer la &recette d'importation…",
        "recipe_title": "Enregistrer la recette des importations",
        "recipe_filter": "Recette d'importation (*.toml)",
        "recipe_saved": "Recette enregistrée : {names}. Pour tout réimporter : portrait "
                        "import ESPACE.gpkg --recipe {name} --data-dir DOSSIER",
        "recipe_empty": "Aucune importation à mettre dans une recette.",
        "recipe_failed": "Impossible d'enregistrer la recette",
        "import_refused_title": "Confirmer l'importation",
        "import_refused_no_rows": "Aucune des {read} lignes de « {name} » n'a pu être "
                                  "conservée.",
        "import_refused_would_delete": "L'importer supprimerait les {replaced} lignes de "
                                       "l'importation précédente de cette source.",
        "import_refused_fewer_rows": "Seules {kept} lignes de « {name} » ont été conservées ; "
                                     "elles remplaceraient les {replaced} lignes de "
                                     "l'importation précédente de cette source.",
        "import_refused_main_drop": "Motif de la plupart des rejets : {reason} ({count} "
                                    "lignes).",
        "import_refused_example": "Exemple : ligne {row}, colonne « {column} », valeur "
                                  "« {value} » : {problem}.",
        "import_refused_outside": "{outside} des {located} lignes localisées de « {name} » "
                                  "tombent à plus de {margin} km des postes de quartier. Le "
                                  "fichier "
                                  "couvre {file_extent} ; les postes couvrent "
                                  "{station_extent}. S'agit-il du fichier d'une autre ville, "
                                  "ou de coordonnées inversées, non projetées ou dans une "
                                  "autre unité ?",
        "import_refused_outside_area": "{outside} des {located} lignes de « {name} » qui ont "
                                       "des coordonnées tombent hors de la région attendue "
                                       "(x de {west} à {east}, y de {south} à {north}). Les "
                                       "coordonnées sont-elles inversées, non projetées ou dans "
                                       "une autre unité ? Importées quand même, ces lignes "
                                       "n'auront pas d'emplacement.",
        "import_refused_extent": "les longitudes {west} à {east} et les latitudes {south} à "
                                 "{north}",
        "import_refused_question": "L'espace de travail n'a pas été modifié. Importer quand "
                                   "même ?",
        "button_import_anyway": "Importer quand même",
        "sources_title": "Sources de données",
        "sources_intro": "Chaque importation de l'espace de travail : son rapport, son retrait "
                         "(ses lignes et son rapport, sans toucher aux autres) ou son "
                         "remplacement par un fichier plus récent de la même source.",
        "sources_col_file": "Fichier",
        "sources_col_data": "Données",
        "sources_col_when": "Importé le",
        "sources_col_kept": "Conservées",
        "sources_col_flagged": "Signalées",
        "sources_col_dropped": "Rejetées",
        "sources_col_state": "État",
        "sources_state_present": "{rows} lignes dans l'espace de travail",
        "sources_state_replaced": "remplacée par une importation ultérieure",
        "sources_state_legacy": "antérieure aux identifiants d'importation",
        "sources_empty": "Aucune importation dans cet espace de travail.",
        "button_report": "Rapport",
        "button_remove": "Retirer",
        "button_replace": "Remplacer…",
        "sources_remove_title": "Retirer une importation",
        "sources_remove_question": "Retirer l'importation de « {name} » ({rows} lignes) ? Ses "
                                   "lignes et son rapport seront supprimés de l'espace de "
                                   "travail.",
        "sources_remove_legacy": "Elle date d'avant les identifiants d'importation : les "
                                 "lignes sans identifiant de « {layer} » seront retirées "
                                 "ensemble.",
        "sources_working": "Travail en cours…",
        "sources_removed": "Importation de « {name} » retirée : {rows} lignes.",
        "sources_dependents": "Toujours dans l'espace de travail et liés aux données retirées "
                              ": {items}.",
        "sources_dependent_item": "{count} lignes de « {layer} »",
        "sources_dependent_records": "{count} fiches situées dans des postes retirés, qui "
                                     "n'apparaîtront dans le document d'aucun poste",
        "sources_replace_title": "Choisir le fichier plus récent de « {name} »",
        "sources_replaced": "« {old} » remplacé par « {new} » : {rows} lignes conservées.",
        "sources_failed_title": "Opération impossible",
        "sources_report_title": "Rapport d'importation de « {name} »",
        "import_catalogue": "Catalogue d'indicateurs :",
        "import_catalogue_placeholder": "Facultatif : fichier TOML ou CSV qui dit ce que "
                                        "chaque indicateur signifie",
        "import_catalogue_title": "Choisir un catalogue d'indicateurs",
        "import_catalogue_filter": "Catalogues d'indicateurs (*.toml *.csv);;Tous les "
                                   "fichiers (*)",
        "import_unknown_as_index": "Importer les indicateurs absents du catalogue comme "
                                   "indices de sens inconnu",
    },
    "en": {
        "action_data_sources": "&Data sources…",
        "action_save_recipe": "Save import &recipe…",
        "recipe_title": "Save the recipe of the imports",
        "recipe_filter": "Import recipe (*.toml)",
        "recipe_saved": "Recipe saved: {names}. To import everything again: portrait import "
                        "WORKSPACE.gpkg --recipe {name} --data-dir FOLDER",
        "recipe_empty": "No import to put in a recipe.",
        "recipe_failed": "Cannot save the recipe",
        "import_refused_title": "Confirm the import",
        "import_refused_no_rows": "None of the {read} rows of \u201c{name}\u201d could be kept.",
        "import_refused_would_delete": "Importing it would delete the {replaced} rows of the "
                                       "earlier import of this source.",
        "import_refused_fewer_rows": "Only {kept} rows of \u201c{name}\u201d were kept; they "
                                     "would replace the {replaced} rows of the earlier import "
                                     "of this source.",
        "import_refused_main_drop": "Reason for most drops: {reason} ({count} rows).",
        "import_refused_example": "For example row {row}, column \u201c{column}\u201d, value "
                                  "\u201c{value}\u201d: {problem}.",
        "import_refused_outside": "{outside} of the {located} located rows of \u201c{name}\u201d "
                                  "fall more than {margin} km from the stations. The file "
                                  "covers {file_extent}; "
                                  "the stations cover {station_extent}. Is it another city's "
                                  "file, or are its coordinates swapped, unprojected or in "
                                  "another unit?",
        "import_refused_outside_area": "{outside} of the {located} rows of \u201c{name}\u201d "
                                       "with coordinates fall outside the expected area (x "
                                       "{west} to {east}, y {south} to {north}). Are the "
                                       "coordinates swapped, unprojected or in another unit? "
                                       "Imported anyway, these rows have no location.",
        "import_refused_extent": "longitudes {west} to {east} and latitudes {south} to {north}",
        "import_refused_question": "The workspace was not changed. Import anyway?",
        "button_import_anyway": "Import anyway",
        "sources_title": "Data sources",
        "sources_intro": "Every import of the workspace: its report, its removal (its rows "
                         "and report, leaving the others alone) or its replacement by a newer "
                         "file of the same source.",
        "sources_col_file": "File",
        "sources_col_data": "Data",
        "sources_col_when": "Imported",
        "sources_col_kept": "Kept",
        "sources_col_flagged": "Flagged",
        "sources_col_dropped": "Dropped",
        "sources_col_state": "State",
        "sources_state_present": "{rows} rows in the workspace",
        "sources_state_replaced": "replaced by a later import",
        "sources_state_legacy": "made before import ids",
        "sources_empty": "This workspace holds no import.",
        "button_report": "Report",
        "button_remove": "Remove",
        "button_replace": "Replace…",
        "sources_remove_title": "Remove an import",
        "sources_remove_question": "Remove the import of \u201c{name}\u201d ({rows} rows)? Its "
                                   "rows and report will be deleted from the workspace.",
        "sources_remove_legacy": "It was made before import ids: the rows of "
                                 "\u201c{layer}\u201d without an id will be removed together.",
        "sources_working": "Working…",
        "sources_removed": "Import of \u201c{name}\u201d removed: {rows} rows.",
        "sources_dependents": "Still in the workspace and tied to the removed data: {items}.",
        "sources_dependent_item": "{count} rows of \u201c{layer}\u201d",
        "sources_dependent_records": "{count} records placed in removed stations, which will "
                                     "appear in no station's brief",
        "sources_replace_title": "Choose the newer file of \u201c{name}\u201d",
        "sources_replaced": "\u201c{old}\u201d replaced by \u201c{new}\u201d: {rows} rows kept.",
        "sources_failed_title": "Cannot do this",
        "sources_report_title": "Import report of \u201c{name}\u201d",
        "import_catalogue": "Indicator catalogue:",
        "import_catalogue_placeholder": "Optional: a TOML or CSV file saying what each "
                                        "indicator means",
        "import_catalogue_title": "Choose an indicator catalogue",
        "import_catalogue_filter": "Indicator catalogues (*.toml *.csv);;All files (*)",
        "import_unknown_as_index": "Import indicators the catalogue does not know as indices "
                                   "of unknown direction",
    },
}
