"""Period presets resolved against the data's span, and the period selector widget."""

from __future__ import annotations

import datetime as dt

import pytest

from ui.period import (
    CUSTOM,
    LAST_12_MONTHS,
    LAST_FULL_YEAR,
    InvertedPeriodError,
    PeriodChoice,
    PeriodSelectorWidget,
    resolve_period,
)
from ui.strings import UiText

D = dt.date


@pytest.mark.parametrize(("choice", "first", "last", "expected"), [
    # the 12 months ending with the month of the last incident
    (PeriodChoice(), D(2022, 11, 1), D(2026, 10, 14), (D(2025, 11, 1), D(2026, 10, 31))),
    (PeriodChoice(), D(2020, 1, 5), D(2024, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    # never before the first incident's month
    (PeriodChoice(), D(2026, 3, 17), D(2026, 10, 14), (D(2026, 3, 1), D(2026, 10, 31))),
    # the last calendar year entirely in the data...
    (PeriodChoice(LAST_FULL_YEAR), D(2022, 11, 1), D(2026, 10, 14),
     (D(2025, 1, 1), D(2025, 12, 31))),
    (PeriodChoice(LAST_FULL_YEAR), D(2022, 1, 1), D(2024, 12, 3),
     (D(2024, 1, 1), D(2024, 12, 31))),
    # ... or the whole span when the data hold no full year
    (PeriodChoice(LAST_FULL_YEAR), D(2026, 2, 10), D(2026, 10, 14),
     (D(2026, 2, 1), D(2026, 10, 31))),
    (PeriodChoice(CUSTOM, D(2025, 3, 1), D(2025, 5, 31)), D(2022, 1, 1), D(2026, 1, 1),
     (D(2025, 3, 1), D(2025, 5, 31))),
    # one-day custom period
    (PeriodChoice(CUSTOM, D(2025, 3, 1), D(2025, 3, 1)), None, None,
     (D(2025, 3, 1), D(2025, 3, 1))),
])
def test_presets_resolve_against_the_data(choice, first, last, expected) -> None:
    assert resolve_period(choice, first, last) == expected


@pytest.mark.parametrize("preset", [LAST_12_MONTHS, LAST_FULL_YEAR])
def test_without_incidents_a_preset_means_all_the_data(preset) -> None:
    assert resolve_period(PeriodChoice(preset), None, None) is None


def test_an_inverted_custom_range_is_refused_with_its_dates() -> None:
    with pytest.raises(InvertedPeriodError) as caught:
        resolve_period(PeriodChoice(CUSTOM, D(2025, 6, 1), D(2025, 5, 1)), D(2024, 1, 1),
                       D(2025, 12, 31))
    assert (caught.value.start, caught.value.end) == (D(2025, 6, 1), D(2025, 5, 1))
    assert "2025-06-01" in str(caught.value) and "2025-05-01" in str(caught.value)


def test_selector_offers_the_presets_and_edits_dates_only_when_custom(qtbot) -> None:
    widget = PeriodSelectorWidget(UiText("fr"))
    qtbot.addWidget(widget)
    combo = widget.preset_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "12 derniers mois", "Dernière année complète", "Personnalisée"]
    assert widget.choice() == PeriodChoice(LAST_12_MONTHS)
    assert not widget.start_edit.isEnabled()
    widget.show_period((D(2025, 11, 1), D(2026, 10, 31)), (D(2022, 11, 1), D(2026, 10, 14)))
    assert widget.start_edit.date().toPython() == D(2025, 11, 1)
    with qtbot.waitSignal(widget.periodChanged, timeout=1_000):
        widget.set_preset(LAST_FULL_YEAR)
    assert widget.choice() == PeriodChoice(LAST_FULL_YEAR)
    with qtbot.assertNotEmitted(widget.periodChanged):
        widget.set_preset(CUSTOM)  # the dates shown stay the period in use until edited
    assert widget.start_edit.isEnabled()
    with qtbot.waitSignal(widget.periodChanged, timeout=2_000):
        widget.end_edit.setDate(D(2026, 3, 31))
    assert widget.choice() == PeriodChoice(CUSTOM, D(2025, 11, 1), D(2026, 3, 31))
    widget.start_edit.setDate(D(2026, 5, 1))  # after the end: the end follows
    assert widget.end_edit.date().toPython() == D(2026, 5, 1)
    widget.retranslate(UiText("en"))
    assert combo.currentText() == "Custom" and widget.caption.text() == "Period:"
