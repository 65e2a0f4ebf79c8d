"""French as officers write it: "1er décembre", "le moment de la journée" (not "le quart"
or "le shift")."""

from __future__ import annotations

from ui.strings import UiText


def test_the_first_of_the_month_is_an_ordinal_in_french_only() -> None:
    assert UiText("fr").date("2025-12-01") == "1er décembre 2025"
    assert UiText("fr").date("2025-12-11") == "11 décembre 2025"
    assert UiText("en").date("2025-12-01") == "December 1, 2025"


def test_the_weekday_profile_varies_with_the_time_of_day() -> None:
    french = UiText("fr")("test_grid_sig", p="p = 0,01")
    assert french == "Le profil de la semaine varie selon le moment de la journée (p = 0,01)"
    assert "quart" not in UiText("fr")("test_grid_not_sig", p="p = 0,4")
    assert "shift" not in UiText("en")("test_grid_sig", p="p = 0.01")
