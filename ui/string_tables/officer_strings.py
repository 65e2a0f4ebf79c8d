"""Words about the officer working in the app (see ``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "pref_officer_name": "Votre nom :",
        "pref_officer_name_placeholder": "Prénom et nom, tels qu'ils signent vos commentaires",
        "pref_officer_role": "Votre fonction :",
        "pref_officer_role_placeholder": "p. ex. agente sociocommunautaire, commandant",
    },
    "en": {
        "pref_officer_name": "Your name:",
        "pref_officer_name_placeholder": "First and last name, as they sign your comments",
        "pref_officer_role": "Your role:",
        "pref_officer_role_placeholder": "e.g. community officer, commander",
    },
}
