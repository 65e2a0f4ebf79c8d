"""What a partner's brief says: each section's own sentences (from tested results only, never
a hidden figure), problems and the action plan as cards, a page budget that holds with many
records, and no census area code in the disclosure appendix.

The default-size demo city's busiest station is the brief read here; ``many_records`` gives
it 15 problems, 5 priorities, 40 actions, 25 consultations and 12 partner organisations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
import shapely
from pypdf import PdfReader

from exports.brief_appendix import disclosure_text
from exports.brief_build import build_brief, workspace_records
from exports.brief_model import SUPPRESSED, BriefOptions, BriefSection, BriefTable, Column
from exports.brief_records import records_section
from exports.brief_sentences import WRITERS, section_sentences
from exports.briefs import write_station_briefs
from exports.disclosure import DisclosureLog
from portrait.engine import build_portrait, prepare
from portrait.records import Action, ActionPriority, PartnerOrganisation, record_progress
from portrait.records.priority import PriorityInputs, score_priority
from portrait.records.problems import Location, ProblemCard, ProblemTriangle, TriangleSide
from portrait.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
MAX_PARTNER_PAGES = 12
DA_CODE = re.compile(r"\b\d{8}\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, today):
    from demo_city.build import build_demo

    workspace = Workspace.open(build_demo(tmp_path_factory.mktemp("demo-content"),
                                          size="default", today=today))
    counts = workspace.layer("incidents")["station_id"].astype(str).value_counts()
    return workspace, str(counts.index[0])


@pytest.fixture(scope="module")
def busy(demo):
    workspace, station = demo
    data = prepare(workspace)
    return data, build_portrait(data, station)


@pytest.fixture(scope="module")
def many(demo, busy, tmp_path_factory, today):
    """The busiest station with many records: its partner PDF, workbook and HTML in both
    languages."""
    from many_records import add_many_records

    workspace, station = demo
    add_many_records(workspace, station, today)
    data, portrait = busy
    out = tmp_path_factory.mktemp("many-records")
    return {language: write_station_briefs(
        workspace, data, station, BriefOptions(audience="partner", language=language),
        ["pdf", "xlsx"], out, portrait=portrait,
        records=workspace_records(workspace, station)).paths for language in ("fr", "en")}


# --- each section's sentences ----------------------------------------------------------------
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_partner_section_has_two_or_three_sentences_in_the_pdf_and_workbook(
        demo, busy, tmp_path, language) -> None:
    data, portrait = busy
    options = BriefOptions(audience="partner", language=language)
    brief = build_brief(portrait, data, options)
    written = [s for s in brief.sections if s.id in WRITERS]
    assert {s.id for s in written} == set(WRITERS)  # the demo has every section
    for section in written:
        assert 2 <= len(section.sentences) <= 3, (section.id, section.sentences)
    paths = write_station_briefs(demo[0], data, portrait.station_id, options, ["pdf", "xlsx"],
                                 tmp_path, portrait=portrait, records=[]).paths
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(paths["pdf"]).pages))
    cells = {c.value for sheet in openpyxl.load_workbook(paths["xlsx"]).worksheets
             for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for section in written:
        for sentence in section.sentences:
            assert re.sub(r"\s+", " ", sentence)[:60] in pdf, sentence
            assert sentence in cells, sentence


def _trends(rows: list[tuple], audience: str = "internal", language: str = "en"):
    """A built "change over time" section and its portrait source, from (group, label,
    current, previous, p, p_adjusted) rows, the first being all incidents."""
    columns = [Column("group", "Category"), Column("current", "Recent", "int"),
               Column("previous", "Previous", "int"), Column("difference", "Difference", "int"),
               Column("p", "p", "p"), Column("p_adjusted", "adjusted p", "p")]
    out = BriefSection("crime_trends", "Change over time", tables=[BriefTable(
        "changes_last_12_months", "12 months", columns,
        [[label, current, previous,
          SUPPRESSED if current is SUPPRESSED else current - previous, p, p_adjusted]
         for _, label, current, previous, p, p_adjusted in rows])])
    source = SimpleNamespace(id="changes_last_12_months", records=[
        {"group": group, "label_en": label, "label_fr": label} for group, label, *_ in rows])
    section = SimpleNamespace(is_empty=False, tables=[source], indicators=[])
    portrait = SimpleNamespace(parameters={"options": {"fdr_q": 0.05}}, period=None)
    return out, section, portrait, BriefOptions(audience=audience, language=language)


def test_a_change_rises_or_falls_only_when_its_adjusted_test_says_so() -> None:
    sentences = section_sentences(*_trends([
        ("all", "All incidents", 900, 800, 0.2, None),
        ("theft", "Theft", 300, 150, 0.001, 0.01),        # significant after adjustment
        ("mischief", "Mischief", 100, 160, 0.01, 0.08),   # significant alone, not adjusted
    ]))
    assert sentences[0] == ("All incidents: stable over the last 12 months (900 vs 800); "
                            "the difference may be chance.")
    assert sentences[1].startswith("Theft: rose over the last 12 months (300 vs 150)")
    assert "unlikely to be chance" in sentences[1]
    assert not any("Mischief" in s for s in sentences)
    french = section_sentences(*_trends([
        ("all", "Tous les incidents", 900, 1200, 0.001, None),
        ("theft", "Vols", 300, 290, 0.7, 0.9)], language="fr"))
    assert french[0].startswith("Tous les incidents : en baisse sur les 12 derniers mois "
                                "(900 c. 1\u202f200)")
    assert "aucune catégorie" in french[1].lower()


def test_a_hidden_change_gets_no_sentence_and_no_claim_about_every_category() -> None:
    sentences = section_sentences(*_trends([
        ("all", "All incidents", 900, 800, 0.2, None),
        ("homicide", "Homicide", SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED),
        ("theft", "Theft", 300, 290, 0.7, 0.9),
    ]))
    text = " ".join(sentences)
    assert "Homicide" not in text
    # "no category changed" would speak of the hidden one too
    assert "None of the other published categories" in text
    assert "No category" not in text


def test_sections_never_state_a_hidden_figure(busy) -> None:
    """With the threshold above every count, the station's total and every category are
    hidden: no sentence gives them, nor any category's name with a count."""
    data, portrait = busy
    brief = build_brief(portrait, data, BriefOptions(audience="partner", language="en",
                                                     small_count_high=100_000))
    crime = next(s for s in portrait.sections if s.id == "crime")
    total = f"{int(crime.indicator('incidents_total').value):,}"
    categories = {r["label_en"] for r in crime.table("categories").records}
    for section in brief.sections:
        for sentence in section.sentences:
            assert total not in sentence, sentence
            if section.id in ("crime", "crime_trends", "issues"):
                assert not any(label in sentence for label in categories), sentence


# --- problem cards and the action plan for partners -----------------------------------------
def _plan(today: dt.date):
    partner = PartnerOrganisation(name="Maison d'Haïti", sector="community",
                                  notes="Appeler Jean le lundi.")
    problem = ProblemCard(
        title="Vols dans les véhicules", category="theft_from_vehicle", status="open",
        partner_summary="Des vols répétés la nuit près du parc.",
        partner_ids=(partner.record_id,),
        priority_inputs=PriorityInputs(incident_count=12, period_days=90, previous_count=6),
        triangle=ProblemTriangle(offender=TriangleSide(known="Jean Tremblay et son frère"),
                                 place=TriangleSide(controller="gérant du stationnement")),
        location=Location.point(shapely.Point(296_000, 5_041_000)))
    priority = ActionPriority(title="Sécurité des stationnements", rank=1,
                              problem_ids=(problem.record_id,))
    bikes = record_progress(Action(title="Patrouilles à vélo", owner="PDQ 20",
                                   priority_id=priority.record_id,
                                   end=dt.date(today.year, 12, 15),
                                   resources="Deux agents, appeler Jean Tremblay"),
                            f"{today.year}-Q4", "on_track", "Trois sorties faites.", by="ana")
    lights = Action(title="Éclairage du stationnement", owner="Ville")
    problem = dataclasses.replace(problem, action_ids=(lights.record_id,))
    return partner, problem, priority, bikes, lights


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partner_problem_card_says_what_is_known_without_naming_anyone(today,
                                                                          language) -> None:
    partner, problem, priority, bikes, lights = _plan(today)
    log = DisclosureLog()
    section = records_section([partner, problem, priority, bikes, lights],
                              BriefOptions(audience="partner", language=language), log)
    [table] = [t for t in section.tables if t.id == "problems"]
    [[title, details]] = table.rows
    fr = language == "fr"
    score = score_priority(problem.priority_inputs, category="theft_from_vehicle").out_of_100
    quarter = f"{'T' if fr else 'Q'}4 {today.year}"
    for expected in (
            "Des vols répétés la nuit près du parc.",
            "documenté : contrevenant, lieu" if fr else "documented: offender, place",
            f"score de {score} sur 100" if fr else f"score of {score} out of 100",
            "Ouvert (étape SARA : Repérage)" if fr else "Open (SARA stage: Scanning)",
            f"Patrouilles à vélo ({'en bonne voie' if fr else 'on track'}, "
            f"{'échéance' if fr else 'due'} {quarter}, PDQ 20)",
            "Éclairage du stationnement", "Maison d'Haïti"):
        assert expected in details, (expected, details)
    assert title == "Vols dans les véhicules"
    for secret in ("Jean", "gérant", "296000", "5041000", problem.record_id, "Trois sorties"):
        assert secret not in details, secret
    # the appendix says what was left out, and what is told only in a shareable form
    withheld = next(e.item for e in log.entries if e.item.startswith(
        "Problèmes prioritaires :" if fr else "Priority problems:"))
    assert ("Triangle du problème (en partie)" if fr else "Problem triangle (in part)") \
        in withheld and ("Priorité (en partie)" if fr else "Priority (in part)") in withheld
    internal = records_section([partner, problem, priority, bikes, lights],
                               BriefOptions(audience="internal", language=language),
                               DisclosureLog())
    kept = "\n".join(str(c) for t in internal.tables for row in t.rows for c in row)
    assert "Jean Tremblay et son frère" in kept and "Deux agents" in kept


def test_the_partner_action_plan_lists_each_action_under_its_priority(today) -> None:
    partner, problem, priority, bikes, lights = _plan(today)
    section = records_section([partner, problem, priority, bikes, lights],
                              BriefOptions(audience="partner", language="en"), DisclosureLog())
    tables = {t.id: t for t in section.tables}
    assert [t.id for t in section.tables] == ["problems", "priorities", "action_plan",
                                              "action_plan_progress", "partners"]
    assert tables["action_plan"].rows == [
        ["Sécurité des stationnements", "Patrouilles à vélo", "On track", f"Q4 {today.year}",
         "PDQ 20"],
        ["(no priority)", "Éclairage du stationnement", "Not started", "", "Ville"]]
    # the quarters' narratives go to the workbook, not the ten-minute PDF
    assert not tables["action_plan_progress"].in_pdf
    assert tables["partners"].rows == [["Maison d'Haïti", "Community organisation", ""]]


# --- the page budget ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["fr", "en"])
def test_many_records_fit_twelve_pages_and_the_workbook_has_them_all(many, language) -> None:
    pages = PdfReader(many[language]["pdf"]).pages
    assert len(pages) <= MAX_PARTNER_PAGES, len(pages)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    fr = language == "fr"
    assert ("Et 11 autres problèmes" if fr else "And 11 more problems") in text
    assert ("Et 32 autres actions" if fr else "And 32 more actions") in text
    assert ("Et 23 consultations plus anciennes" if fr else "And 23 earlier consultations") \
        in text
    assert "Jean-Marc Tremblay" not in text
    book = openpyxl.load_workbook(many[language]["xlsx"])
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row
              if isinstance(c.value, str)]
    for n in range(1, 16):
        assert any(v.startswith(f"Problème {n} :") for v in values), n
    for n in range(1, 41):
        assert f"Action {n} : patrouille et rencontre n° {n}" in values, n
    assert len({v for v in values if v.startswith("Rencontre de quartier n°")}) == 25
    assert not any("Jean-Marc Tremblay" in v for v in values)
    # the cards are a column per field in the workbook, never "label : value" lines
    summary = "Résumé pour les partenaires" if fr else "Summary for partners"
    assert summary in values and ("Analyse (triangle du problème)" if fr else
                                  "Analysis (problem triangle)") in values
    assert not any(re.match(r"(Lieu|Place|Priorité|Priority) ?: ", v) for v in values)


def test_a_card_field_typed_over_several_lines_stays_one_field() -> None:
    from exports.brief_cells import card_fields

    assert card_fields("Lieu : parc\nDescription : le soir\nsurtout : le vendredi\n"
                       "Priorité : score de 60 sur 100", "fr") == [
        ("Lieu", "parc"), ("Description", "le soir\nsurtout : le vendredi"),
        ("Priorité", "score de 60 sur 100")]


# --- the disclosure appendix ------------------------------------------------------------------
def test_the_partner_appendix_never_names_an_area_by_its_code(busy) -> None:
    data, portrait = busy
    suppressed = next(t for t in next(s for s in portrait.sections
                                      if s.id == "socio_economic").tables
                      if t.id == "suppressed_areas")
    assert suppressed.records, "the demo's busiest station has a suppressed area"
    code = str(suppressed.records[0]["area_id"])
    for language in ("fr", "en"):
        partner = build_brief(portrait, data, BriefOptions(audience="partner",
                                                           language=language))
        _, rows = disclosure_text(partner)
        assert not any(DA_CODE.search(" ".join(row)) for row in rows), rows
        counted = "1 aire de diffusion" if language == "fr" else "1 dissemination area"
        assert any(row[1] == counted for row in rows), rows
    internal = build_brief(portrait, data, BriefOptions(audience="internal"))
    assert any(row[1] == code for row in disclosure_text(internal)[1])


def test_the_exports_modules_are_checked_for_import_circles() -> None:
    """``lint-imports`` (run by ``test_architecture``) fails on any circle among them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert any(c["type"] == "acyclic_siblings" and c["ancestors"] == ["exports"]
               for c in contracts)
