"""Words of the error reporting (see ``ui.string_tables`` and ``ui.error_log``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "error_unexpected_title": "Erreur inattendue",
    },
    "en": {
        "error_unexpected_title": "Unexpected error",
    },
}
