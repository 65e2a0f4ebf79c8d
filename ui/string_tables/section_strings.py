"""Words of the section part of the window (see ``ui.string_tables``)."""

STRINGS: dict[str, dict[str, str]] = {
    "fr": {},
    "en": {},
}
