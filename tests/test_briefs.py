"""Briefs for the station and for partners: PDF, Excel and the interactive map.

Adversarial fixtures are built in code: a category with 3 incidents in a station (suppressed
for partners, with a complementary cell), a note that is a spreadsheet formula, an
organisation named like a script, a French name with œ and guillemets, and records holding
contact details and confidential notes that must never reach a partner.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from exports.brief_build import build_brief
from exports.brief_model import SUPPRESSED, BriefOptions
from exports.briefs import parse_formats, write_station_briefs
from exports.disclosure import COMPLEMENTARY, PRIMARY
from exports.web_map import MapOptions, build_station_map
from portrait.crs import METRIC_CRS
from portrait.engine import build_portrait, prepare
from portrait.errors import PortraitError
from portrait.portrait_options import PortraitOptions
from portrait.workspace import Workspace

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
FRENCH = "Œuvre des Sœurs « Cœur du quartier »"
SECRET_NOTE = "NOTE-CONFIDENTIELLE-4471"
SECRET_EMAIL = "jeanne.tremblay@example.org"
SECRET_PHONE = "514-555-0199"
INTERNAL_CONSULTATION = "CONSULTATION-INTERNE-882"


def hostile_records() -> list[dict]:
    return [
        {"kind": "problem", "title": "Méfaits près du parc", "note": FORMULA,
         "status": "en cours", "partner_summary": f"Rencontre avec l'{FRENCH}"},
        {"kind": "problem", "title": FORMULA, "status": "nouveau", "partner_summary": FORMULA},
        {"kind": "partner", "name": SCRIPT, "organisation": FRENCH,
         "contact_email": SECRET_EMAIL, "phone": SECRET_PHONE,
         "confidential_notes": SECRET_NOTE, "confidential_fields": ["confidential_notes"],
         "role": "Table de quartier & café <b>"},
        {"kind": "consultation", "title": INTERNAL_CONSULTATION,
         "confidentiality": "internal", "summary": "Rencontre avec la direction"},
        {"kind": "consultation", "title": "Marche exploratoire", "confidentiality": "shareable",
         "summary": "Éclairage insuffisant rue de l'Église"},
        {"kind": "action", "title": "Patrouilles à vélo", "progress": [
            {"quarter": "2026-T1", "status": "commencé", "note": "4 sorties"},
            {"quarter": "2026-T2", "status": "terminé", "note": IMG}]},
    ]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    """The hand-made two-station workspace, with 3 robberies in station 38 and services
    named like an attack and in French."""
    from conftest import build_small_workspace

    workspace = build_small_workspace(tmp_path_factory.mktemp("briefs") / "small.gpkg")
    incidents = workspace.layer("incidents")
    robberies = gpd.GeoDataFrame(
        {"source_id": ["r1", "r2", "r3"], "source": "test",
         "source_category": ["Vols qualifiés"] * 3,
         "date": pd.to_datetime(["2024-03-01", "2024-06-01", "2024-09-01"]),
         "station_id": "38"},
        geometry=[shapely.Point(295_500, 5_040_500), shapely.Point(296_500, 5_041_500),
                  shapely.Point(297_500, 5_042_500)], crs=METRIC_CRS)
    workspace.set_layer("incidents", pd.concat([incidents, robberies], ignore_index=True))
    services = workspace.layer("services")
    extra = gpd.GeoDataFrame(
        {"service_id": ["X1", "X2"], "name": [SCRIPT, FRENCH],
         "service_type": ["Banque alimentaire", "Maison des jeunes"],
         "address": [IMG, "1 rue de l'Œuvre"], "source": "test", "located": True},
        geometry=[shapely.Point(296_000, 5_041_000), shapely.Point(296_200, 5_041_200)],
        crs=METRIC_CRS)
    workspace.set_layer("services", pd.concat([services, extra], ignore_index=True))
    workspace.save()
    return workspace


@pytest.fixture(scope="module")
def written(workspace: Workspace, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """PDF, workbook and map of station 38 for both audiences (French)."""
    data = prepare(workspace)
    portrait = build_portrait(data, "38")
    out = tmp_path_factory.mktemp("written")
    found = {}
    for audience in ("internal", "partner"):
        result = write_station_briefs(workspace, data, "38", BriefOptions(audience=audience),
                                      ["pdf", "xlsx", "html"], out, records=hostile_records(),
                                      portrait=portrait)
        found[audience] = result.paths
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def workbook_strings(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows()
                     for c in row if c.value is not None)


# --- the brief model ---------------------------------------------------------------------------
def test_partner_brief_suppresses_the_three_robberies_and_a_complement(workspace) -> None:
    data = prepare(workspace)
    brief = build_brief(build_portrait(data, "38"), data, BriefOptions(audience="partner"))
    table = next(t for t in brief.section("crime").tables if t.id == "categories")
    rows = {row[0]: row for row in table.rows}
    assert rows["Vol qualifié"][1] is SUPPRESSED  # 3 incidents
    assert all(v is SUPPRESSED for v in rows["Vol qualifié"][1:5])  # rate and CI too
    hidden = [name for name, row in rows.items() if row[1] is SUPPRESSED]
    assert len(hidden) >= 2 and rows["Total"][1] is not SUPPRESSED  # total shown: complement
    reasons = {(e.item, e.reason) for e in brief.disclosure.entries}
    assert ("Vol qualifié", PRIMARY) in reasons
    assert any(reason == COMPLEMENTARY for _, reason in reasons)
    assert all(t.id != "by_category_year" for t in brief.section("crime").tables)
    internal = build_brief(build_portrait(data, "38"), data, BriefOptions(audience="internal"))
    table = next(t for t in internal.section("crime").tables if t.id == "categories")
    assert {row[0]: row for row in table.rows}["Vol qualifié"][1] == 3


def test_warnings_are_in_the_brief_language(workspace) -> None:
    data = prepare(workspace)
    warning = "The station has no census population: rates per resident are not given."
    portrait = dataclasses.replace(build_portrait(data, "38"), warnings=[warning])
    for language, expected in (("fr", ["Le poste n'a pas de population au recensement : les "
                                       "taux par habitant ne sont pas donnés."]),
                               ("en", [warning])):
        options = BriefOptions(audience="partner", language=language)
        assert build_brief(portrait, data, options).warnings == expected


def test_station_comparison_columns_are_defined_in_the_brief_language(workspace) -> None:
    data = prepare(workspace)
    portrait = build_portrait(data, "38")
    for language, expected in (("fr", "Incidents de la période."),
                               ("en", "Incidents in the period.")):
        brief = build_brief(portrait, data, BriefOptions(language=language))
        table = next(t for t in brief.section("station_comparison").tables
                     if t.id == "columns")
        assert expected in [row[1] for row in table.rows]
        assert all(row[1] for row in table.rows)


def test_the_appendices_are_in_the_brief_language(workspace) -> None:
    """Partners read them: every reason and detail of the confidentiality appendix, and the
    rules of the parameters appendix, in the brief's language."""
    data = prepare(workspace)
    portrait = build_portrait(data, "38")
    english = ("fewer than", "current, previous", "cross-tabulation", "rates of other",
               "Statistics Canada rule", "location quotient and change", "answer counts")
    french = build_brief(portrait, data, BriefOptions(audience="partner", language="fr"))
    details = [entry.detail for entry in french.disclosure.entries]
    assert len([d for d in details if d]) >= 3
    assert not [d for d in details if any(words in d for words in english)]
    assert any("non dessiné" in d or "non diffusé" in d for d in details)
    sources = [f"{d.source} {d.vintage} {d.period}" for d in french.definitions]
    assert not [s for s in sources if any(words in s for words in (
        "data from", "services layer", "inventory", "resident survey"))]
    assert any("données du" in s for s in sources)
    values = dict(french.parameters)
    assert values["station_assignment"].startswith("le numéro de poste de la source")
    assert values["options.include_comparison"] == "oui"
    english_brief = build_brief(portrait, data, BriefOptions(audience="partner", language="en"))
    assert any(any(words in entry.detail for words in english)
               for entry in english_brief.disclosure.entries)


def test_partner_incident_map_has_only_cells_of_five_or_more(workspace) -> None:
    data = prepare(workspace)
    brief = build_brief(build_portrait(data, "38"), data, BriefOptions(audience="partner"))
    figure = next(f for f in brief.section("crime_places").figures if f.id == "incidents_map")
    assert figure.kind == "map_incident_cells" and "x" not in figure.data
    assert all(count >= 5 for count in figure.data["counts"])


def test_survey_results_under_the_minimum_are_suppressed(demo_workspace) -> None:
    data = prepare(demo_workspace)
    portrait = build_portrait(data, data.station_ids[0], options=PortraitOptions(
        survey_min_n=10_000))
    brief = build_brief(portrait, data, BriefOptions(audience="partner"))
    table = next(t for t in brief.section("surveys").tables if t.id == "survey_favourable")
    assert table.rows and all(row[1] is SUPPRESSED for row in table.rows)
    assert any(e.reason == "survey_min_n" for e in brief.disclosure.entries)
    # the workspace's own minimum applies even above the portrait's
    portrait = build_portrait(data, data.station_ids[0])
    brief = build_brief(portrait, data, BriefOptions(audience="partner", survey_min_n=10_000))
    answers = next(t for t in brief.section("surveys").tables if t.id == "answers")
    assert answers.rows and all(row[2] is SUPPRESSED for row in answers.rows)
    assert not any(e.detail.startswith("n = ") for e in brief.disclosure.entries)


# --- PDF ------------------------------------------------------------------------------------
def test_partner_pdf_has_sections_appendices_and_no_confidential_text(written) -> None:
    text = pdf_text(written["partner"]["pdf"])
    for expected in ("PDQ 38", "Faits saillants", "Chiffres clés", "Criminalité et sécurité",
                     "Méthodes en bref", "Annexe C : confidentialité", "effectifs de 1 à 4",
                     "Vol qualifié"):
        assert expected in text, expected
    # definitions and parameters stay in the workbook and the internal brief
    assert "Annexe B : paramètres" not in text
    for secret in (SECRET_NOTE, SECRET_EMAIL, SECRET_PHONE, INTERNAL_CONSULTATION):
        assert secret not in text
    assert "Marche exploratoire" in text  # the shareable consultation is summarised
    for character in ("é", "œ", "Œ", "«", "»"):
        assert character in text
    assert FORMULA in text and SCRIPT in text  # printed as text, not swallowed as markup
    assert re.search(r"\d,\d\s%", text)  # French percentages: 12,3 %


def test_internal_pdf_keeps_everything(written) -> None:
    text = pdf_text(written["internal"]["pdf"])
    for secret in (SECRET_NOTE, SECRET_EMAIL, INTERNAL_CONSULTATION, "Usage interne"):
        assert secret in text
    assert "Incidents localisés" in text  # points, not cells


def test_pdf_is_small_and_rendered_pages_look_right(written) -> None:
    path = written["partner"]["pdf"]
    assert path.stat().st_size < 5 * 1024 * 1024
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    for audience in ("partner", "internal"):
        prefix = ARTIFACTS / f"brief_{audience}"
        for old in ARTIFACTS.glob(f"{prefix.name}-*.png"):  # an earlier run's pages
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "8",
                        str(written[audience]["pdf"]), str(prefix)], check=True, timeout=60)
    pages = sorted(ARTIFACTS.glob("brief_partner-*.png"))
    assert len(pages) == 8 and all(p.stat().st_size > 5_000 for p in pages)


# --- Excel ----------------------------------------------------------------------------------
def test_workbook_sheets_numbers_tables_and_charts(written) -> None:
    book = openpyxl.load_workbook(written["partner"]["xlsx"])
    assert book.sheetnames[0] == "Sources"
    assert "Confidentialité" in book.sheetnames and "Méthodes en bref" in book.sheetnames
    assert "Paramètres" not in book.sheetnames  # the parameter list stays internal
    internal = openpyxl.load_workbook(written["internal"]["xlsx"], read_only=True)
    assert "Paramètres" in internal.sheetnames
    crime = book["Criminalité et sécurité"]
    assert crime.freeze_panes is not None and crime.tables
    assert crime._charts  # native bar chart of the categories
    rows = {r[0].value: r for r in crime.iter_rows() if r[0].value}
    counts = [rows[name][1] for name in ("Introduction par effraction", "Méfait",
                                         "Vol dans ou sur un véhicule", "Total")]
    shown = [c for c in counts if c.value != "x"]
    assert len(shown) >= 2
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in shown)
    assert rows["Total"][1].number_format == "#,##0"
    robbery = rows["Vol qualifié"]
    assert robbery[1].value == "x" and robbery[1].comment is not None
    assert all(c.value != 3 for c in robbery)
    trends = book["Évolution dans le temps"]
    assert trends._charts and any(t for t in trends.tables)
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None or not sheet.tables


def test_workbook_has_no_formula_and_no_confidential_text(written) -> None:
    path = written["partner"]["xlsx"]
    strings = workbook_strings(path)
    for secret in (SECRET_NOTE, SECRET_EMAIL, SECRET_PHONE, INTERNAL_CONSULTATION):
        assert secret not in strings
    book = openpyxl.load_workbook(path)
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row
             if c.value == FORMULA]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    notes = [c for s in book.worksheets for row in s.iter_rows() for c in row
             if isinstance(c.value, str) and "=HYPERLINK" in c.value]
    assert len(notes) >= 2 and all(c.data_type == "s" for c in notes)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode()
    assert SECRET_EMAIL in workbook_strings(written["internal"]["xlsx"])


# --- interactive map ------------------------------------------------------------------------
class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def test_html_map_is_standalone_and_escapes_names(written) -> None:
    for audience in ("partner", "internal"):
        page = written[audience]["html"].read_text(encoding="utf-8")
        parser = _Resources()
        parser.feed(page)
        assert not [u for u in parser.urls if u.lower().startswith(("http:", "https:", "//"))]
        assert "url(data:image/png;base64," in page  # Leaflet's images inlined
        assert SCRIPT not in page and IMG not in page
        escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
        assert escaped in page or escaped.replace("&", "\\u0026") in page
        assert "PDQ 38" in page


def test_partner_web_map_never_has_incident_points(workspace) -> None:
    partner = build_station_map(workspace, MapOptions("38", audience="partner",
                                                      cell_size_m=1000))
    internal = build_station_map(workspace, MapOptions("38", cell_size_m=1000))

    def incident_features(fmap):
        page = fmap.get_root().render()
        return page, [c for c in fmap._children.values()
                      if getattr(c, "layer_name", "").startswith("Incidents")]

    page, layers = incident_features(partner)
    features = layers[0].data["features"]
    counts = [int(re.match(r"(\d+)", f["properties"]["tip"]).group(1)) for f in features]
    assert counts and min(counts) >= 5
    assert "non affich" in page  # the legend says cells under 5 are not shown
    _, layers = incident_features(internal)
    assert len(layers[0].data["features"]) > len(features)  # points for the station


# --- command line ----------------------------------------------------------------------------
def test_cli_writes_each_format_and_fails_clearly(workspace, tmp_path, capsys) -> None:
    from cli.main import main

    out = tmp_path / "briefs"
    code = main(["brief", str(workspace.path), "--station", "38", "--audience", "partner",
                 "--format", "pdf,xlsx,html", "--lang", "en", "--out", str(out)])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["portrait-pdq-38-partner-en.html", "portrait-pdq-38-partner-en.pdf",
                     "portrait-pdq-38-partner-en.xlsx"]
    assert "Appendix C: disclosure control" in pdf_text(out / names[1])
    assert main(["brief", str(workspace.path), "--station", "99", "--out", str(out)]) == 1
    assert "not in this workspace" in capsys.readouterr().err
    assert main(["brief", str(workspace.path), "--station", "38", "--format", "docx",
                 "--out", str(out)]) == 1
    with pytest.raises(PortraitError):
        parse_formats("pdf,odt")


def test_cli_batch_writes_every_station(workspace, tmp_path, capsys) -> None:
    from cli.main import main

    code = main(["brief", str(workspace.path), "--all-stations", "--audience", "internal",
                 "--format", "xlsx", "--jobs", "2", "--out", str(tmp_path)])
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "portrait-pdq-38-internal-fr.xlsx", "portrait-pdq-4-internal-fr.xlsx"]
    assert "2/2" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory, today) -> Workspace:
    from demo_city.build import build_demo

    return Workspace.open(build_demo(tmp_path_factory.mktemp("demo"), size="small",
                                     today=today))


def test_english_partner_brief_on_the_demo_city(demo_workspace, tmp_path) -> None:
    data = prepare(demo_workspace)
    station = data.station_ids[0]
    result = write_station_briefs(demo_workspace, data, station,
                                  BriefOptions(audience="partner", language="en"),
                                  ["pdf", "xlsx"], tmp_path)
    text = pdf_text(result.paths["pdf"])
    assert "Key figures" in text and "Methods in brief" in text
    assert re.search(r"\d,\d{3}", text)  # English thousands


def test_real_records_keep_contacts_and_internal_consultations_home(workspace) -> None:
    """With ``portrait.records`` installed: its own records, through their shareable views."""
    partners = pytest.importorskip("portrait.records.partners")
    consultations = pytest.importorskip("portrait.records.consultations")
    import datetime as dt

    partner = partners.PartnerOrganisation(
        name="Maison d'Haïti", notes=SECRET_NOTE,
        contacts=(partners.ContactPerson(name="Jeanne Tremblay", role="coordonnatrice",
                                         email=SECRET_EMAIL, phone=SECRET_PHONE),))
    forms = consultations.FORMS
    internal = consultations.Consultation(date=dt.date(2026, 3, 1), form=forms[0],
                                          title=INTERNAL_CONSULTATION)
    shared = consultations.Consultation(date=dt.date(2026, 4, 1), form=forms[0],
                                        title="Marche exploratoire", confidentiality="shareable")
    data = prepare(workspace)
    portrait = build_portrait(data, "38")
    for audience, visible in (("partner", False), ("internal", True)):
        brief = build_brief(portrait, data, BriefOptions(audience=audience),
                            records=[partner, internal, shared])
        content = json.dumps([t.rows for t in brief.section("records").tables],
                             ensure_ascii=False)
        assert "Marche exploratoire" in content and "Maison d'Haïti" in content
        for secret in (SECRET_EMAIL, SECRET_PHONE, INTERNAL_CONSULTATION):
            assert (secret in content) is visible, (audience, secret)
