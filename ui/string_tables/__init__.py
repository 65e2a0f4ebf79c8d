"""Word tables of the window's larger parts, one module per part, merged into ``UI_STRINGS``.

Each module holds a ``STRINGS = {"fr": {...}, "en": {...}}`` dictionary and nothing that
imports Qt, so a part's words live beside each other without one file growing past reading.
A key defined twice is an error at start-up, not a silent override.
"""

from __future__ import annotations

from ui.string_tables import (
    call_demand_strings,
    error_strings,
    export_strings,
    import_strings,
    map_pick_strings,
    map_strings,
    officer_strings,
    section_strings,
    workspace_strings,
)

TABLES = (section_strings.STRINGS, map_strings.STRINGS, import_strings.STRINGS,
          export_strings.STRINGS, error_strings.STRINGS, officer_strings.STRINGS,
          call_demand_strings.STRINGS, workspace_strings.STRINGS, map_pick_strings.STRINGS)


def merged_into(base: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """``base`` with every table's words added, refusing a key two tables define."""
    for table in TABLES:
        for language, words in table.items():
            clash = base[language].keys() & words.keys()
            if clash:
                raise KeyError(f"UI strings defined twice: {sorted(clash)}")
            base[language].update(words)
    return base
