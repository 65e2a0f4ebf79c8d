"""Words of the map part of the window (see ``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "map_filter_categories": "Catégories : {shown}",
        "map_filter_tags": "Enjeux : {shown}",
        "map_filter_all": "toutes",
        "map_filter_any": "tous",
        "map_filter_none": "aucune",
        "map_filter_some": "{count} sur {total}",
        "map_filter_categories_tip": "Catégories d'incidents dessinées sur la carte",
        "map_filter_tags_tip": "Ne dessiner que les incidents liés à ces enjeux",
        "map_filter_reset": "Tout afficher",
        "map_side_title": "Détails de la carte",
        "map_side_hint": "Cliquez sur une aire de recensement ou un point chaud de la carte "
                         "pour voir ses chiffres ici.",
        "map_side_loading": "Les chiffres de cet élément seront disponibles quand le portrait "
                            "du poste sera prêt.",
        "map_side_unknown": "Aucun chiffre du portrait pour cet élément.",
        "map_side_point": "Point choisi sur la carte",
        "map_side_point_text": "Latitude {lat}, longitude {lon}",
        "map_side_new_problem": "Nouvelle fiche problème ici",
        "map_side_new_problem_point": "Nouvelle fiche problème à ce point précis",
        "map_side_problem_failed": "Impossible de créer la fiche problème ici",
    },
    "en": {
        "map_filter_categories": "Categories: {shown}",
        "map_filter_tags": "Issues: {shown}",
        "map_filter_all": "all",
        "map_filter_any": "any",
        "map_filter_none": "none",
        "map_filter_some": "{count} of {total}",
        "map_filter_categories_tip": "Incident categories drawn on the map",
        "map_filter_tags_tip": "Only draw incidents linked to these issues",
        "map_filter_reset": "Show everything",
        "map_side_title": "Map details",
        "map_side_hint": "Click a census area or a hot spot on the map to see its figures "
                         "here.",
        "map_side_loading": "This feature's figures will be available when the station's "
                            "portrait is ready.",
        "map_side_unknown": "The portrait has no figures for this feature.",
        "map_side_point": "Point chosen on the map",
        "map_side_point_text": "Latitude {lat}, longitude {lon}",
        "map_side_new_problem": "New problem card here",
        "map_side_new_problem_point": "New problem card at this exact point",
        "map_side_problem_failed": "Could not start a problem card here",
    },
}
