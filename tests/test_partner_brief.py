"""The brief a partner reads in ten minutes, on the default-size demo city's busiest station.

Every text a reader can see — each PDF page (pypdf's text), each workbook cell and the
HTML page's visible text — is walked in French and English, for partners and for the
station, looking for what a reader cannot read: snake_case ids, hexadecimal record ids and
English keys ("category:"). The partner PDF stays within 12 pages and opens on the
highlights, whose sentences come from tested results only.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from exports.brief_build import build_brief
from exports.brief_highlights import date_in_words, highlights
from exports.brief_model import SUPPRESSED, BriefOptions
from exports.brief_plain import plain
from exports.brief_protection import Protection
from exports.briefs import write_station_briefs
from exports.disclosure import DisclosureLog
from portrait.engine import build_portrait, prepare
from portrait.workspace import Workspace

SNAKE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: A record or import id: 8 or more hexadecimal characters mixing letters and digits.
HEX_ID = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b")
ENGLISH_KEY = re.compile(r"\b(?:category|partner ids?|status|priority|kind)\s*:", re.I)
#: An import's source key ("statcan-profile:98-401-X2021006_English_CSV_data.csv").
SOURCE_KEY = re.compile(r"\b[a-z]+(?:-[a-z]+)*:[\w .-]+\.(?:csv|CSV|xlsx|gpkg|geojson|shp)\b")
MAX_PARTNER_PAGES = 12


@pytest.fixture(scope="module")
def demo(tmp_path_factory, today):
    from demo_city.build import build_demo

    workspace = Workspace.open(build_demo(tmp_path_factory.mktemp("demo-partner"),
                                          size="default", today=today))
    data = prepare(workspace)
    counts = workspace.layer("incidents")["station_id"].astype(str).value_counts()
    return workspace, data, str(counts.index[0])


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory) -> dict[tuple[str, str], dict[str, Path]]:
    """PDF, workbook and HTML of the busiest station, both audiences, both languages."""
    workspace, data, station = demo
    portrait = build_portrait(data, station)
    out = tmp_path_factory.mktemp("partner-briefs")
    return {(audience, language): write_station_briefs(
                workspace, data, station, BriefOptions(audience=audience, language=language),
                ["pdf", "xlsx", "html"], out, portrait=portrait).paths
            for audience in ("partner", "internal") for language in ("fr", "en")}


class _VisibleText(HTMLParser):
    """The text a browser shows: everything outside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data)


def texts(paths: dict[str, Path], audience: str) -> list[tuple[str, str]]:
    """(where, text) of every visible text of the three files.

    The internal brief keeps the engine's full parameter list under its recorded keys (its
    appendix B and parameters sheet), for whoever checks how a number was made."""
    found = []
    internal_parameters = False
    for number, page in enumerate(PdfReader(paths["pdf"]).pages, start=1):
        content = page.extract_text()
        if audience == "internal":
            if re.search(r"Annexe B|Appendix B", content) and number > 3:
                internal_parameters = True
            if re.search(r"Annexe C|Appendix C", content) and number > 3:
                internal_parameters = False
                content = re.split(r"Annexe C|Appendix C", content)[-1]
        if not internal_parameters:
            found.append((f"{paths['pdf'].name} page {number}", content))
    book = openpyxl.load_workbook(paths["xlsx"])
    for sheet in book.worksheets:
        if audience == "internal" and sheet.title in ("Paramètres", "Parameters"):
            continue
        found.append((f"{paths['xlsx'].name} sheet title", sheet.title))
        for row in sheet.iter_rows():
            found += [(f"{paths['xlsx'].name} {sheet.title}!{c.coordinate}", c.value)
                      for c in row if isinstance(c.value, str)]
    parser = _VisibleText()
    parser.feed(paths["html"].read_text(encoding="utf-8"))
    found += [(paths["html"].name, part) for part in parser.parts]
    return found


@pytest.mark.parametrize("audience", ["partner", "internal"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_internal_code_reaches_a_reader(written, demo, audience, language) -> None:
    workspace = demo[0]
    # the name the officer gave the survey at import is the survey's name in the brief
    survey_names = set(workspace.layer("survey_respondents")["survey_id"].astype(str))
    leaks = []
    for where, content in texts(written[(audience, language)], audience):
        for pattern in (SNAKE_ID, HEX_ID, ENGLISH_KEY, SOURCE_KEY):
            leaks += [(where, m.group(0)) for m in pattern.finditer(content)
                      if m.group(0) not in survey_names]
    assert not leaks, leaks[:20]


def test_the_walk_finds_what_it_looks_for() -> None:
    """The patterns catch the leaks partners reported."""
    for seen in ("community_centre", "category: theft_from_vehicle", "partner ids: 6ca6f0e2b1",
                 "p_adjusted", "within_buffer", "spvm:actes-criminels.csv",
                 "statcan-profile:98-401-X2021006_English_CSV_data.csv"):
        assert any(p.search(seen) for p in (SNAKE_ID, HEX_ID, ENGLISH_KEY, SOURCE_KEY)), seen
    for fine in ("Centre communautaire", "PDQ 20", "2 104", "24660255", "Gi*",
                 "SPVM, actes criminels (actes-criminels.csv)"):
        assert not any(p.search(fine) for p in (SNAKE_ID, HEX_ID, ENGLISH_KEY, SOURCE_KEY)), fine


def test_notes_name_columns_and_indicators_as_the_reader_sees_them() -> None:
    assert plain("p_adjusted: Benjamini-Hochberg over the categories (q = 0.05).", "fr") == \
        "«\u00a0p ajusté (BH)\u00a0» : Benjamini-Hochberg sur l'ensemble des catégories " \
        "(q = 0,05)."
    assert plain("Not in the workspace's census data: cimd_economic_dependency.", "en") == \
        "Not in the workspace's census data: Economic dependency."
    # one-word ids are named as list items, and left alone as words of a sentence
    assert plain("Not in the workspace's census data: households, unemployed.", "fr") == \
        "Absent des données de recensement de l'espace de travail : Ménages privés, Chômeurs."
    assert plain("no location quotient: the population is unknown", "en") == \
        "no location quotient: the population is unknown"


def test_partner_pdf_fits_twelve_pages_and_opens_on_the_highlights(written) -> None:
    for language, heading in (("fr", "Faits saillants"), ("en", "Highlights")):
        pages = PdfReader(written[("partner", language)]["pdf"]).pages
        assert len(pages) <= MAX_PARTNER_PAGES, (language, len(pages))
        first = pages[0].extract_text()
        assert heading in first
        assert pages[0].images, "the station's map is on page 1"
        assert "Annexe B" not in first and "Appendix B" not in first
        methods = "Méthodes en bref" if language == "fr" else "Methods in brief"
        assert any(methods in p.extract_text() for p in pages)


def test_internal_pdf_keeps_the_full_parameter_list(written) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(written[("internal", "en")]["pdf"])
                     .pages)
    assert "Appendix B" in text and "options.fdr_q" in text


def test_highlights_read_rose_or_fell_only_for_tested_changes(demo) -> None:
    workspace, data, station = demo
    portrait = build_portrait(data, station)
    options = BriefOptions(audience="partner", language="en")
    protection = Protection.build(portrait, options, DisclosureLog())
    sentences = highlights(portrait, options, protection)
    assert 5 <= len(sentences) <= 8, sentences
    assert sentences[0].startswith("This portrait covers ")
    trends = next(s for s in portrait.sections if s.id == "crime_trends")
    table = next(t for t in trends.tables if t.id == "changes_last_12_months")
    hidden = protection.changes.get("last_12_months", {})
    for row in table.records:
        said = [s for s in sentences if s.startswith(f"{row['label_en']}:")]
        if row["group"] in hidden:
            assert not said, row  # a hidden change gets no sentence
            continue
        p = row["p_value"] if row["group"] == "all" else row["p_adjusted"]
        significant = p is not None and p < 0.05
        for sentence in said:
            assert ("unlikely to be chance" in sentence) is significant, (row, sentence)
            if not significant:
                assert "stable" in sentence


def test_a_hidden_change_never_appears_in_a_sentence(demo) -> None:
    """With every small count suppressed (threshold raised), the categories whose counts
    are hidden get no sentence and their numbers appear nowhere in the highlights."""
    workspace, data, station = demo
    portrait = build_portrait(data, station)
    options = BriefOptions(audience="partner", language="fr", small_count_high=400)
    brief = build_brief(portrait, data, options)
    rows = next(t for t in brief.section("crime_trends").tables
                if t.id == "changes_last_12_months").rows
    hidden = [row[0] for row in rows if row[3] is SUPPRESSED]
    assert hidden, "the raised threshold hides some changes"
    for label in hidden:
        assert not any(s.startswith(f"{label} :") for s in brief.highlights), label


def test_period_in_words() -> None:
    assert date_in_words("2025-12-01", "fr") == "1er décembre 2025"
    assert date_in_words("2026-11-30", "en") == "30 November 2026"


def test_workbook_intervals_are_numeric_low_and_high_columns(written) -> None:
    book = openpyxl.load_workbook(written[("partner", "fr")]["xlsx"])
    sheet = book["Criminalité et sécurité"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    low = cells["Incidents, IC 95\u00a0% (borne inf.)"]
    high = cells["Incidents, IC 95\u00a0% (borne sup.)"]
    assert low.row == high.row and high.column == low.column + 1
    bounds = [(sheet.cell(r, low.column).value, sheet.cell(r, high.column).value)
              for r in range(low.row + 1, low.row + 4)]
    for bound_low, bound_high in bounds:
        assert isinstance(bound_low, (int, float)) and isinstance(bound_high, (int, float))
        assert bound_low <= bound_high
    assert not any(isinstance(c.value, str) and re.fullmatch(r"\[.+ ; .+\]", c.value)
                   for row in sheet.iter_rows() for c in row), "no interval left as text"


def test_html_brief_has_hot_spots_and_key_figures_beside_the_map(written) -> None:
    for audience in ("partner", "internal"):
        page = written[(audience, "en")]["html"].read_text(encoding="utf-8")
        panel = page.split('class="pq-brief-figures"', 1)[1]
        assert "Highlights" in panel and "Key figures" in panel and "Population" in panel
        tips = re.findall(r'"kind": "hot_spot", "style": \{[^}]*\}, "tip": "([^"]*)"', page)
        assert tips, audience
        # a partner's hot-spot cell names its bin only: a count under the minimum is hidden
        assert any("incident" in tip for tip in tips) is (audience == "internal"), tips[:3]


def test_workbook_lists_services_by_name_type_and_address(written, demo) -> None:
    """Partners look for their own organisation: each service in the station is listed."""
    workspace, data, station = demo
    services = workspace.layer("services")
    inside = services[services.within(data.polygon(station))]
    book = openpyxl.load_workbook(written[("partner", "en")]["xlsx"])
    sheet = book["Community services"]
    rows = {tuple(c.value for c in row[:3]) for row in sheet.iter_rows()}
    assert ("Name", "Type", "Address") in rows
    for name, address in zip(inside["name"], inside["address"], strict=True):
        assert any(r[0] == name and r[2] == address and r[1] for r in rows), name


def test_records_name_partners_and_actions_and_say_what_is_known() -> None:
    """The station's brief names a problem's partners and actions (never their ids) and
    gives the triangle as what is known of each side, not a dump of its fields."""
    import shapely

    from exports.brief_records import records_section
    from portrait.records import action_plan, partners, problems
    from portrait.records.priority import PriorityInputs, score_priority

    partner = partners.PartnerOrganisation(name="Maison d'Haïti")
    action = action_plan.Action(title="Patrouilles à vélo", partner_ids=(partner.record_id,))
    problem = problems.ProblemCard(
        title="Vols dans les véhicules", category="theft_from_vehicle", status="open",
        partner_ids=(partner.record_id,), action_ids=(action.record_id,),
        priority_inputs=PriorityInputs(incident_count=12, period_days=90, previous_count=6),
        triangle=problems.ProblemTriangle(
            place=problems.TriangleSide(known="stationnement mal éclairé")),
        location=problems.Location(kind="point", geometry=shapely.Point(296_000, 5_041_000)))
    for language in ("fr", "en"):
        section = records_section([partner, action, problem],
                                  BriefOptions(audience="internal", language=language),
                                  DisclosureLog())
        details = "\n".join(str(cell) for table in section.tables for row in table.rows
                            for cell in row)
        assert "Maison d'Haïti" in details and "Patrouilles à vélo" in details
        assert "stationnement mal éclairé" in details
        score = score_priority(problem.priority_inputs, category="theft_from_vehicle")
        assert (f"score de {score.out_of_100} sur 100" if language == "fr" else
                f"score of {score.out_of_100} out of 100") in details
        for code in (partner.record_id, action.record_id, "theft_from_vehicle",
                     "controller_level", "known:"):
            assert code not in details, (language, code)


def test_pdf_lays_records_out_as_cards(demo, tmp_path) -> None:
    """Each record is a card (its name, then each field beside its label), never a
    "label : value" dump."""
    from portrait.records import partners, problems

    workspace, data, station = demo
    partner = partners.PartnerOrganisation(name="Maison d'Haïti")
    problem = problems.ProblemCard(title="Vols dans les véhicules",
                                   category="theft_from_vehicle", status="open",
                                   partner_ids=(partner.record_id,))
    paths = write_station_briefs(workspace, data, station, BriefOptions(audience="internal"),
                                 ["pdf"], tmp_path, records=[partner, problem]).paths
    text = "\n".join(p.extract_text() for p in PdfReader(paths["pdf"]).pages)
    card = text.split("Problèmes prioritaires", 1)[1]
    assert "Vols dans les véhicules" in card and "Maison d'Haïti" in card
    assert re.search(r"Catégorie\s+Vol dans ou sur un véhicule", card)
    assert "Catégorie :" not in card and partner.record_id not in card


def test_areas_are_named_by_the_neighbourhood_they_lie_in() -> None:
    import geopandas as gpd
    import shapely

    from exports.brief_places import area_names

    areas = gpd.GeoDataFrame(
        {"area_id": ["24660001", "24660002", "Q1", "B1"],
         "name": ["24660001", "24660002", "Petite-Patrie", "Rosemont"],
         "level": ["DA", "DA", "neighbourhood", "borough"]},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(200, 0, 210, 10),
                  shapely.box(0, 0, 100, 100), shapely.box(0, 0, 1000, 1000)])
    assert area_names(areas, ["24660001", "24660002"]) == {
        "24660001": "Petite-Patrie", "24660002": "Rosemont"}
    assert area_names(areas[areas["level"] == "DA"], ["24660001"]) == {}
