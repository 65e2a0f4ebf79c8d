"""How survey tools lay out respondent-level exports, recognised from their header.

LimeSurvey, KoBoToolbox, Microsoft Forms and SurveyMonkey all export one row per respondent,
but each names its system columns its own way, some head questions with codes and others with
the question text, and SurveyMonkey spreads its header over two rows. This module turns any of
them into one table whose columns have known roles (respondent id, date, area, profile,
weight, coordinates) plus a list of questions with stable ids, so that the reader does not
care which tool wrote the file. Themes of questions are guessed here too, from their wording.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from data_connectors.base import ReaderError
from data_connectors.column_mapping import LAT_LON_MEANINGS, Field, given_columns
from data_connectors.column_mapping import OPTION as MAPPING_OPTION
from data_connectors.column_mapping import header_key as key
from data_connectors.survey_scale import SETTINGS as SCALE_SETTINGS
from data_connectors.text_files import detect_encoding
from portrait.services import fold

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (".csv", ".txt", *SPREADSHEET_SUFFIXES)

LIMESURVEY, KOBO, MS_FORMS, SURVEYMONKEY, GENERIC = (
    "limesurvey", "kobotoolbox", "microsoft-forms", "surveymonkey", "generic")
#: Tools that head questions with their text (ids are generated: Q01, Q02...).
TEXT_HEADED = frozenset({MS_FORMS, SURVEYMONKEY})

#: System columns of each tool (folded): never questions.
_SYSTEM: dict[str, frozenset[str]] = {
    LIMESURVEY: frozenset({
        "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
        "ipaddr", "refurl", "token", "interviewtime", "optout", "emailstatus", "firstname",
        "lastname", "email"}),
    KOBO: frozenset({
        "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
        "username", "audit", "audit_url", "instanceid", "__version__"}),
    MS_FORMS: frozenset({
        "id", "start time", "completion time", "email", "name", "last modified time",
        "total points", "quiz feedback", "heure de debut", "heure de fin",
        "adresse de messagerie", "nom", "heure de la derniere modification",
        "total des points", "commentaires sur le questionnaire"}),
    SURVEYMONKEY: frozenset({
        "respondent id", "collector id", "start date", "end date", "ip address",
        "email address", "first name", "last name", "custom data", "id du repondant",
        "id du collecteur", "date de debut", "date de fin", "adresse ip", "adresse e-mail",
        "prenom", "nom"}),
    GENERIC: frozenset(),
}
_SYSTEM_PATTERNS: dict[str, re.Pattern[str]] = {
    LIMESURVEY: re.compile(r"^grouptime\d+$"),
    KOBO: re.compile(r"^(_.*|meta/.*|formhub/.*)$"),
    MS_FORMS: re.compile(r"^(points|feedback|commentaires) - .*$"),
    SURVEYMONKEY: re.compile(r"^(custom data \d+|donnees personnalisees \d+|custom variable.*)$"),
    GENERIC: re.compile(r"^$"),
}

#: Respondent fields -> header names (folded, underscores as spaces), most specific first.
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("respondent id", "id du repondant", "uuid", "response id", "responseid",
                      "id", "id repondant", "no repondant", "record id"),
    "date": ("end date", "date de fin", "completion time", "heure de fin", "submission time",
             "submitdate", "date de soumission", "date", "timestamp", "horodateur", "end",
             "datestamp"),
    "station_id": ("pdq", "station", "station id", "poste", "poste de quartier", "no pdq",
                   "numero pdq"),
    "sector": ("secteur", "sector", "secteur de patrouille"),
    "area_code": ("codepostal", "code postal", "postal code", "postalcode", "postcode", "fsa",
                  "rta", "cp"),
    "age_group": ("age", "age group", "groupe age", "groupe d'age", "tranche d'age",
                  "tranche age", "classe d'age", "groupe d age"),
    "sex": ("sexe", "sex", "genre", "gender", "identite de genre"),
    "weight": ("poids", "weight", "ponderation", "wt", "wgt", "final weight", "poids final"),
    "lat": ("latitude", "lat", "y lat", "gps latitude"),
    "lon": ("longitude", "lon", "long", "lng", "x long", "gps longitude"),
}
_MEANINGS: dict[str, tuple[str, str]] = {
    "respondent_id": ("Identifiant du répondant (une ligne par répondant)",
                      "Respondent id (one row per respondent)"),
    "date": ("Date de la réponse", "Date of the answer"),
    "station_id": ("Poste du répondant", "Respondent's station"),
    "sector": ("Secteur du répondant", "Respondent's sector"),
    "area_code": ("Code postal ou RTA du répondant", "Respondent's postal code or FSA"),
    "age_group": ("Groupe d'âge", "Age group"),
    "sex": ("Sexe ou genre", "Sex or gender"),
    "weight": ("Poids de sondage", "Survey weight"),
    **LAT_LON_MEANINGS,
}
#: The respondent fields a column mapping may name; the other columns are questions.
#: Settings beside the columns: the code scale (``survey_scale``) and an area -> station table.
SETTINGS = (*SCALE_SETTINGS,
            Field("area_stations", "Table secteur -> poste (CSV : code du secteur, poste)",
                  "Area -> station table (CSV: area code, station id)", setting=True),
            Field("not_questions",
                  "Colonnes qui ne sont pas des questions, noms ou motifs (« zip, city, state »)",
                  "Columns that are not questions, names or patterns ('zip, city, state')",
                  setting=True),
            Field("question_labels",
                  "Libellés des questions : CSV (question_id, text, theme) ou texte "
                  "(« q2_06_how_safe_you_feel » par ligne)",
                  "Question labels: CSV (question_id, text, theme) or text "
                  "('q2_06_how_safe_you_feel' a line)", setting=True))
FIELDS = (*(Field(role, *_MEANINGS[role], required=role == "respondent_id", guesses=aliases)
            for role, aliases in ROLE_ALIASES.items()), *SETTINGS)
#: Wordings that mark a profile question headed by its text (Microsoft Forms, SurveyMonkey).
_ROLE_WORDINGS: dict[str, tuple[str, ...]] = {
    "area_code": ("code postal", "postal code"),
    "age_group": ("groupe d'age", "age group", "tranche d'age", "quel age", "your age",
                  "votre age"),
    "sex": ("votre sexe", "your sex", "your gender", "identite de genre", "gender"),
}
_SUBANSWER_PLAIN = frozenset({"response", "open-ended response", "reponse", "reponse ouverte"})
_CODE = re.compile(r"^[A-Za-z_][\w.\-\[\]/]*$")
_CODE_AND_TEXT = re.compile(r"^([A-Za-z][\w\[\]]*)\s*[.:]\s+(\S.*)$")

#: Themes of survey questions, with the words (folded) that reveal them, most telling first.
#: The names are those of the demo survey's question file, shown as they are in the portrait.
SAFETY, TRUST, SATISFACTION, PRIORITIES, VICTIMISATION, PROBLEMS = (
    "sentiment de sécurité", "confiance", "satisfaction", "priorités", "victimisation",
    "problèmes perçus")
THEMES: dict[str, tuple[str, ...]] = {
    VICTIMISATION: ("victim", "cambriol", "agress", "robbed", "burglar", "attacked"),
    PRIORITIES: ("priorit",),
    TRUST: ("confiance", "trust", "confidence"),
    SATISFACTION: ("satisf",),
    SAFETY: ("securit", "safe", "peur", "afraid", "crain", "inquiet"),
    PROBLEMS: ("probleme", "problem", "incivilit", "nuisance"),
}
#: Answer scales that tell the theme when the wording does not.
_THEME_OF_SCALE = {"safety": SAFETY, "confidence": TRUST, "satisfaction": SATISFACTION,
                   "problem": PROBLEMS}


@dataclass(frozen=True)
class Question:
    column: str
    question_id: str
    text: str


@dataclass
class SurveyTable:
    """A respondent-level export once its layout is known."""

    tool: str
    table: pd.DataFrame  # data rows only; every cell a string or NA
    header_rows: int
    roles: dict[str, str]  # respondent field -> column of ``table``
    questions: list[Question]
    #: Whether slashed dates put the day first when the values themselves do not tell.
    dayfirst: bool = False
    ignored: list[str] = field(default_factory=list)
    #: The mapping's settings (see ``SETTINGS``), as text.
    settings: dict[str, str] = field(default_factory=dict)

    def file_row(self, index: int) -> int:
        """The line (or spreadsheet row) number of data row ``index``, for messages."""
        return int(index) + self.header_rows + 1


def read_cells(path: Path, nrows: int | None = None) -> pd.DataFrame:
    """Every cell of a CSV or XLSX table as a string (NA when empty), headers included."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _spreadsheet_cells(path, nrows)
    try:
        with open(path, "rb") as handle:
            sample = handle.read(64 * 1024)
    except OSError as error:
        raise ReaderError(path, f"cannot be read ({error.strerror}).") from error
    if not sample.strip():
        raise ReaderError(path, "the file is empty.")
    if b"\x00" in sample or sample.startswith(b"PK\x03\x04"):
        raise ReaderError(path, "this is a binary file, not a text (CSV) file.",
                          expected="a CSV file; for an Excel workbook use the .xlsx extension")
    encoding = detect_encoding(sample)
    delimiter = _delimiter(sample.decode(encoding, errors="replace"))
    try:
        cells = pd.read_csv(path, sep=delimiter, encoding=encoding, header=None, dtype=str,
                            keep_default_na=False, na_values=[""], nrows=nrows)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ReaderError(path, f"is not a readable CSV table ({error}).") from error
    return _trimmed(cells)


def first_rows(path: Path, count: int = 2) -> list[list[str]]:
    """The first ``count`` rows of a table (empty cells as ""); [] when it cannot be read.

    Readers decide whether a file is theirs from these, without reading it all.
    """
    if path.suffix.lower() not in TABLE_SUFFIXES or not path.is_file():
        return []
    try:
        cells = read_cells(path, nrows=count)
    except (ReaderError, ValueError, OSError, KeyError):
        return []
    return [["" if pd.isna(v) else str(v).strip() for v in row]
            for row in cells.itertuples(index=False)]


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most fields, quotes respected."""
    line = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader(io.StringIO(line), delimiter=d), []))
              for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get)


def _spreadsheet_cells(path: Path, nrows: int | None) -> pd.DataFrame:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReaderError(path, f"is not a readable Excel workbook ({error}).") from error
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row]
                for row in sheet.iter_rows(max_row=nrows, values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise ReaderError(path, "the first sheet is empty.")
    width = max(len(r) for r in rows)
    return _trimmed(pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object))


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _trimmed(cells: pd.DataFrame) -> pd.DataFrame:
    """Without the fully empty rows and the trailing fully empty columns spreadsheets add."""
    cells = cells.dropna(how="all").reset_index(drop=True)
    filled = [i for i in range(cells.shape[1]) if cells.iloc[:, i].notna().any()]
    if filled:
        cells = cells.iloc[:, : filled[-1] + 1]
    cells.columns = range(cells.shape[1])
    return cells


def detect_tool(header: list[str]) -> str:
    """The tool that wrote an export, from its (first) header row."""
    folded = {fold(h) for h in header if h}
    if folded & {"respondent id", "id du repondant"}:
        return SURVEYMONKEY
    if "id" in folded and folded & {"completion time", "heure de fin"} \
            and folded & {"start time", "heure de debut"}:
        return MS_FORMS
    if folded & {"_uuid", "_submission_time"}:
        return KOBO
    if "id" in folded and folded & {"submitdate", "lastpage", "startlanguage"}:
        return LIMESURVEY
    return GENERIC


def looks_like_export(path: Path) -> bool:
    """Whether a file is a respondent-level survey export this module understands.

    A known tool's system columns are enough; a file from no known tool needs a respondent
    id and at least one column named like a question code (Q1, Q01, Q1[SQ001]).
    """
    rows = first_rows(path, 2)
    if not rows:
        return False
    tool = detect_tool(rows[0])
    if tool != GENERIC:
        return True
    keys = {key(h) for h in rows[0]}
    has_id = any(alias in keys for alias in ROLE_ALIASES["respondent_id"])
    return has_id and any(re.match(r"^Q\d+", h.strip(), re.IGNORECASE) for h in rows[0])


def interpret(cells: pd.DataFrame, path: Path, options: dict[str, Any] | None = None
              ) -> SurveyTable:
    """The layout of an export read by ``read_cells``: roles, questions and data rows.

    ``options["mapping"]`` ({field: header}, see ``FIELDS``) overrides the roles found from
    header names.
    """
    options = options or {}
    if cells.empty:
        raise ReaderError(path, "the file has no rows.")
    first = ["" if pd.isna(v) else str(v).strip() for v in cells.iloc[0]]
    tool = detect_tool(first)
    second = ["" if pd.isna(v) else str(v).strip() for v in cells.iloc[1]] \
        if len(cells) > 1 else []
    two_rows = tool == SURVEYMONKEY and second and _is_subheader(first, second)
    headers, parents = (_surveymonkey_headers(first, second) if two_rows
                        else (first, [None] * len(first)))
    names = _unique([h or f"column {i + 1}" for i, h in enumerate(headers)])
    header_rows = 2 if two_rows else 1
    table = cells.iloc[header_rows:].reset_index(drop=True).astype("string")
    table.columns = names
    table = table.apply(lambda column: column.str.strip())
    table = table.mask(table == "")
    chosen = options.get(MAPPING_OPTION) or {}
    given = given_columns(path, FIELDS, names, chosen)
    roles = _roles(names, tool, dict(given.columns), chosen)
    others = _not_questions(names, chosen.get("not_questions"))
    skipped = _system_columns(names, tool) | set(roles.values()) | _dummies(names) | others
    candidates = [n for n, h in zip(names, headers, strict=True)
                  if n not in skipped and (h or table[n].notna().any())]
    questions = _questions(candidates, tool, dict(zip(names, parents, strict=True)))
    dayfirst = options.get("dayfirst")
    if dayfirst is None:
        dayfirst = tool in TEXT_HEADED and any(
            fold(h) in {"heure de fin", "date de fin", "id du repondant"} for h in first)
    ignored = sorted((_system_columns(names, tool) | others) - set(roles.values()))
    return SurveyTable(tool, table, header_rows, roles, questions, bool(dayfirst), ignored,
                       dict(given.settings))


def _not_questions(names: list[str], setting: object) -> set[str]:
    """The columns the mapping's ``not_questions`` names (names or ``*`` patterns): the
    respondent's ZIP code, city or survey mode, which are no question to report on."""
    patterns = [p.strip().lower() for p in str(setting or "").split(",") if p.strip()]
    return {n for n in names if any(fnmatch.fnmatch(n.lower(), p) for p in patterns)}


def _is_subheader(first: list[str], second: list[str]) -> bool:
    """SurveyMonkey's second header row: empty under the system columns, "Response" or
    option labels under the questions."""
    id_at = next(i for i, h in enumerate(first) if fold(h) in {"respondent id",
                                                                "id du repondant"})
    return id_at >= len(second) or not second[id_at]


def _surveymonkey_headers(first: list[str], second: list[str]
                          ) -> tuple[list[str], list[str | None]]:
    """One header per column ("question - option"), and each column's question text."""
    headers, parents, current = [], [], ""
    system = _SYSTEM[SURVEYMONKEY]
    for i, top in enumerate(first):
        sub = second[i] if i < len(second) else ""
        if top:
            current = top
        if fold(top) in system or _SYSTEM_PATTERNS[SURVEYMONKEY].match(fold(top)) \
                or not current:
            headers.append(top)
            parents.append(None)
            continue
        plain = not sub or fold(sub) in _SUBANSWER_PLAIN
        headers.append(current if plain else f"{current} - {sub}")
        parents.append(current)
    return headers, parents


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _system_columns(names: list[str], tool: str) -> set[str]:
    system, pattern = _SYSTEM[tool], _SYSTEM_PATTERNS[tool]
    found = {n for n in names if fold(n) in system or pattern.match(fold(n))}
    if tool == LIMESURVEY:  # timings: "Q01Time" next to question "Q01"
        lowered = {n.lower() for n in names}
        found |= {n for n in names
                  if n.lower().endswith("time") and n[:-4].lower() in lowered}
    return found


def _dummies(names: list[str]) -> set[str]:
    """KoBoToolbox's one-column-per-choice copies of a multiple-choice question ("q5/a")."""
    present = set(names)
    return {n for n in names if "/" in n and n.rsplit("/", 1)[0] in present}


def _roles(names: list[str], tool: str, roles: dict[str, str], chosen: dict[str, str]
           ) -> dict[str, str]:
    """``roles`` (the mapping's columns) completed by the names each role is known by."""
    keys = {n: key(n) for n in names}
    last = {n: key(n.rsplit("/", 1)[-1]) for n in names}  # KoBo group paths
    taken = set(roles.values())
    for role, aliases in ROLE_ALIASES.items():
        if role in roles or role in chosen:
            continue
        for alias in aliases:
            match = next((n for n in names if n not in taken
                          and (keys[n] == alias or last[n] == alias)), None)
            if match is None and role in ("lat", "lon"):
                suffix = " latitude" if role == "lat" else " longitude"
                match = next((n for n in names if n not in taken
                              and keys[n].endswith(suffix)), None)
            if match is not None:
                roles[role] = match
                taken.add(match)
                break
    if tool in TEXT_HEADED or tool == GENERIC:
        for role, wordings in _ROLE_WORDINGS.items():
            if role in roles or role in chosen:
                continue
            match = next((n for n in names if n not in taken and len(keys[n].split()) >= 2
                          and any(w in keys[n] for w in wordings)), None)
            if match is not None:
                roles[role] = match
                taken.add(match)
    return roles


def _questions(columns: list[str], tool: str, parents: dict[str, str | None]
               ) -> list[Question]:
    """Questions with ids: the tool's codes where it has them, else Q01, Q02... in order."""
    coded: dict[str, tuple[str, str]] = {}
    if tool not in TEXT_HEADED:
        last_counts: dict[str, int] = {}
        for column in columns:
            if _CODE.match(column):
                last_counts[column.rsplit("/", 1)[-1]] = \
                    last_counts.get(column.rsplit("/", 1)[-1], 0) + 1
        for column in columns:
            if _CODE.match(column):
                short = column.rsplit("/", 1)[-1]
                coded[column] = (short if last_counts[short] == 1 else column, column)
            elif match := _CODE_AND_TEXT.match(column):
                coded[column] = (match.group(1), match.group(2).strip())
    used = {question_id for question_id, _ in coded.values()}
    width = max(2, len(str(len(columns))))
    questions, number, numbered_parent = [], 0, {}
    for column in columns:
        if column in coded:
            question_id, text = coded[column]
            questions.append(Question(column, question_id, text))
            continue
        parent = parents.get(column)
        if parent is not None and parent in numbered_parent:
            base, count = numbered_parent[parent]
            numbered_parent[parent] = (base, count + 1)
            questions.append(Question(column, f"{base}_{count + 1}", column))
            continue
        number += 1
        base = f"Q{number:0{width}d}"
        while base in used:
            number += 1
            base = f"Q{number:0{width}d}"
        used.add(base)
        siblings = parent is not None and sum(p == parent for p in parents.values()) > 1
        if siblings:
            numbered_parent[parent] = (base, 1)
            questions.append(Question(column, f"{base}_1", column))
        else:
            questions.append(Question(column, base, column.rsplit("/", 1)[-1]
                                      if tool == KOBO else column))
    return questions


def guess_theme(text: str | None, scale: str | None = None) -> str | None:
    """The theme a question's wording (French or English) or answer scale points to.

    >>> guess_theme("Je me sens en sécurité dans mon quartier le soir")
    'sentiment de sécurité'
    >>> guess_theme("How much confidence do you have in your local police?")
    'confiance'
    """
    if scale in ("problem",):
        return _THEME_OF_SCALE[scale]
    folded = fold(text) if isinstance(text, str) else ""
    for theme, words in THEMES.items():
        if any(w in folded for w in words):
            return theme
    return _THEME_OF_SCALE.get(scale) if scale else None


def canonical_theme(label: str | None) -> str | None:
    """A theme label from a file ("Sécurité", "Trust in police") as the theme it names, so
    that surveys and score tables share one list; any other label as it is."""
    if not isinstance(label, str) or not label.strip():
        return None
    if label.strip() in THEMES:
        return label.strip()
    return guess_theme(label) or label.strip()


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_dates(values: pd.Series, dayfirst: bool = False) -> pd.Series:
    """Days (datetime64 at midnight) from ISO or slashed dates, with or without a time.

    Slashed dates are read day-first when a value's first number is above 12, month-first
    when a second number is, and as ``dayfirst`` says otherwise. Unreadable values are NaT.
    """
    text = values.astype("string").str.strip()
    iso = text.str.extract(_ISO)
    slashed = text.str.extract(_SLASHED)
    first = pd.to_numeric(slashed[0], errors="coerce")
    second = pd.to_numeric(slashed[1], errors="coerce")
    if (first > 12).any():
        dayfirst = True
    elif (second > 12).any():
        dayfirst = False
    day, month = (first, second) if dayfirst else (second, first)
    year = pd.to_numeric(iso[0], errors="coerce").fillna(
        pd.to_numeric(slashed[2], errors="coerce"))
    month = pd.to_numeric(iso[1], errors="coerce").fillna(month)
    day = pd.to_numeric(iso[2], errors="coerce").fillna(day)

    def digits(part: pd.Series, width: int) -> pd.Series:
        return part.astype("Int64").astype("string").str.zfill(width)

    text = digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
