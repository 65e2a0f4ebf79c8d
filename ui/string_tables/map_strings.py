"""Words of the map part of the window (see ``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {},
    "en": {},
}
