"""Words of the bar above the map while the officer picks a problem's location."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "map_pick_point": "Cliquez sur la carte à l'endroit du problème.",
        "map_pick_census_area": "Cliquez dans l'aire de recensement du problème.",
        "map_pick_named_area": "Cliquez dans le quartier (secteur nommé) du problème.",
        "map_pick_hot_spot": "Cliquez sur la cellule de point chaud du problème (carrés de la "
                             "couche « Points chauds »).",
        "map_pick_polygon": "Cliquez les sommets du secteur, puis double-cliquez ou « Terminer "
                            "le secteur ». Échap annule.",
        "map_pick_corners": "{count} sommet(s)",
        "map_pick_finish": "Terminer le secteur",
        "map_pick_undo": "Retirer le dernier sommet",
        "map_pick_cancel": "Annuler",
        "map_pick_failed_point": "Ce point ne peut pas servir de lieu ; cliquez ailleurs.",
        "map_pick_failed_census_area": "Aucune aire de recensement à cet endroit ; cliquez "
                                       "dans une aire du poste.",
        "map_pick_failed_named_area": "Aucun secteur nommé à cet endroit ; cliquez dans un "
                                      "quartier du poste.",
        "map_pick_failed_hot_spot": "Aucune cellule de point chaud à cet endroit (ou le "
                                    "portrait du poste n'est pas encore prêt) ; cliquez sur "
                                    "un carré de la couche « Points chauds ».",
        "map_pick_failed_polygon": "Un secteur demande au moins 3 sommets distincts ; "
                                   "continuez à cliquer sur la carte.",
        "map_pick_no_map": "La carte du poste n'est pas affichée : choisissez un poste, puis "
                           "recommencez.",
    },
    "en": {
        "map_pick_point": "Click the problem's place on the map.",
        "map_pick_census_area": "Click inside the problem's census area.",
        "map_pick_named_area": "Click inside the problem's neighbourhood (named area).",
        "map_pick_hot_spot": "Click the problem's hot spot cell (a square of the \"Hot "
                             "spots\" layer).",
        "map_pick_polygon": "Click the corners of the area, then double-click or \"Finish "
                            "the area\". Escape cancels.",
        "map_pick_corners": "{count} corner(s)",
        "map_pick_finish": "Finish the area",
        "map_pick_undo": "Remove the last corner",
        "map_pick_cancel": "Cancel",
        "map_pick_failed_point": "This point cannot be a location; click elsewhere.",
        "map_pick_failed_census_area": "No census area here; click inside one of the "
                                       "station's areas.",
        "map_pick_failed_named_area": "No named area here; click inside one of the station's "
                                      "neighbourhoods.",
        "map_pick_failed_hot_spot": "No hot spot cell here (or the station's portrait is not "
                                    "ready yet); click a square of the \"Hot spots\" layer.",
        "map_pick_failed_polygon": "An area needs at least 3 distinct corners; keep clicking "
                                   "on the map.",
        "map_pick_no_map": "The station's map is not shown: choose a station, then try again.",
    },
}
