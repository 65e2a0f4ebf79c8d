"""Words of the Call demand page's places, practices and plan links (see
``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "table_repeat_places": "Lieux d'appels répétés (usage interne du poste)",
        "col_place": "Lieu",
        "col_main_pathway": "Réponse principale",
        "repeat_places_hint": "Choisissez un lieu dans la liste, puis la fiche où l'épingler.",
        "repeat_places_none": "Aucun lieu n'a reçu {threshold} appels du public ou plus "
                              "pendant la période.",
        "pin_to_problem": "Épingler à une fiche problème",
        "pin_to_problem_tip": "Ouvre la fiche choisie avec les appels de ce lieu épinglés "
                              "comme élément de preuve ; enregistrez la fiche pour les garder.",
        "pin_new_card": "Nouvelle fiche problème à ce lieu",
        "pin_add_to_card": "Ajouter à la fiche « {title} »",
        "table_call_practices": "Pratiques reconnues pour ces appels",
        "call_practice": "{name} — {calls}",
        "call_practice_tip": "Ouvrir cette pratique dans Meilleures pratiques",
        "call_plan_title": "Dans le plan d'action du poste",
        "call_plan_none": "Aucune priorité ni action du plan d'action ne porte encore sur "
                          "ces pratiques ou sur la demande d'appels.",
        "call_plan_priority": "Priorité : {title} ({why})",
        "call_plan_action": "Action : {title} ({why})",
        "call_plan_why_calls": "demande d'appels",
    },
    "en": {
        "table_repeat_places": "Repeat-call places (for the station's own use)",
        "col_place": "Place",
        "col_main_pathway": "Main response",
        "repeat_places_hint": "Choose a place in the list, then the card to pin it to.",
        "repeat_places_none": "No place received {threshold} or more calls from the public "
                              "during the period.",
        "pin_to_problem": "Pin to a problem card",
        "pin_to_problem_tip": "Opens the chosen card with this place's calls pinned as "
                              "evidence; save the card to keep them.",
        "pin_new_card": "New problem card at this place",
        "pin_add_to_card": "Add to the card \"{title}\"",
        "table_call_practices": "Best practices for these calls",
        "call_practice": "{name} — {calls}",
        "call_practice_tip": "Open this practice in Best practices",
        "call_plan_title": "In the station's action plan",
        "call_plan_none": "No priority or action of the action plan is about these practices "
                          "or call demand yet.",
        "call_plan_priority": "Priority: {title} ({why})",
        "call_plan_action": "Action: {title} ({why})",
        "call_plan_why_calls": "call demand",
    },
}
