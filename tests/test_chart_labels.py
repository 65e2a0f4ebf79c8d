"""Survey questions that differ only at their end keep their ending on the chart."""

from __future__ import annotations

from portrait.portrait_model import IndicatorValue, Section
from ui.chart_labels import short_labels
from ui.chart_widget import ChartWidget
from ui.figure_text import FigureText
from ui.section_page import SectionPageWidget
from ui.strings import UiText

DAY = "Q01 Do you feel safe walking alone in your neighbourhood during the day"
EVENING = "Q01 Do you feel safe walking alone in your neighbourhood during the evening"


def test_labels_differing_at_the_end_stay_distinct_and_short() -> None:
    day, evening = short_labels([DAY, EVENING])
    assert day != evening
    assert len(day) <= 48 and len(evening) <= 48
    assert day.startswith("Q01 ") and day.endswith("the day")
    assert evening.startswith("Q01 ") and evening.endswith("the evening")
    assert "…" in day


def test_questions_numbered_apart_still_show_where_their_text_differs() -> None:
    # the demo's Q01 and Q02: their numbers differ, their text only at its last word
    day, evening = short_labels(["Q01 Je me sens en sécurité dans mon quartier le jour",
                                 "Q02 Je me sens en sécurité dans mon quartier le soir"])
    assert day.startswith("Q01 ") and day.endswith("le jour") and len(day) <= 48
    assert evening.startswith("Q02 ") and evening.endswith("le soir") and len(evening) <= 48


def test_labels_differing_early_are_cut_at_the_end_and_short_ones_kept() -> None:
    first, second, short = short_labels(
        ["Q02 Trust in the police " + "a" * 60, "Q03 Trust in the city " + "a" * 60, "Q04"])
    assert first == ("Q02 Trust in the police " + "a" * 60)[:47] + "…"
    assert second.startswith("Q03 Trust in the city") and len(second) == 48
    assert short == "Q04"


def test_labels_differing_in_the_middle_show_the_difference() -> None:
    left, right = short_labels(["Q05 " + "x " * 30 + "LEFT side " + "y " * 30,
                                "Q05 " + "x " * 30 + "RIGHT side " + "y " * 30])
    assert "LEFT" in left and "RIGHT" in right
    assert len(left) <= 48 and len(right) <= 48


def test_the_survey_chart_draws_one_bar_per_question(qtbot) -> None:
    items = [IndicatorValue(f"survey_q01_{n}", label, label, value, "%")
             for n, (label, value) in enumerate(((DAY, 71.0), (EVENING, 48.0)))]
    page = SectionPageWidget([Section("surveys", "Sondages", "Surveys", items)],
                             FigureText(UiText("en")))
    qtbot.addWidget(page)
    page.finish()
    texts = [text for chart in page.findChildren(ChartWidget)
             for text in chart.figure_text()]
    shown = sorted({text for text in texts if text.startswith("Q01")})
    assert len(shown) == 2  # before: both cut to the same 48 characters, drawn as one bar
    assert {text.rsplit(" ", 1)[1] for text in shown} == {"day", "evening"}
