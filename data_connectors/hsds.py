"""Open Referral HSDS packages (Human Services Data Specification) as a services inventory.

211 services and community directories publish HSDS: a folder (or a .zip) of CSV tables
linked by ids: ``organizations.csv``, ``services.csv``, ``locations.csv``,
``service_at_location.csv`` and ``physical_addresses.csv`` (HSDS 2) or ``addresses.csv``
(HSDS 3). The services layer wants one row per service and place, so each service appears
once per location it is offered at; a service offered nowhere in particular is kept once,
not located.

The service type comes from, in order: a taxonomy column of ``services.csv`` (taxonomy,
category, type); HSDS taxonomy terms (``service_taxonomy.csv`` + ``taxonomy.csv`` in HSDS 2,
``attributes.csv`` + ``taxonomy_terms.csv`` in HSDS 3); otherwise words of the service's name,
then description, that the service-type mapping knows ("food bank", "banque alimentaire").
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field
from data_connectors.service_inventory import (
    join_parts,
    points_from_lonlat,
    service_types,
    services_layer,
)
from data_connectors.text_files import decimal_numbers, detect_encoding
from portrait.layers import SERVICES
from portrait.services import fold

REQUIRED = ("organizations.csv", "services.csv")
TABLES = ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv",
          "physical_addresses.csv", "addresses.csv", "service_taxonomy.csv", "taxonomy.csv",
          "attributes.csv", "taxonomy_terms.csv")
#: Columns of services.csv that some publishers fill with a category instead of HSDS terms.
TAXONOMY_COLUMNS = ("taxonomy", "taxonomy_term", "category", "categories", "type",
                    "service_type", "categorie")
NO_TYPE = "(no taxonomy term, and no known word in the name or description)"


class HsdsReader:
    id = "hsds"
    label = "Répertoire Open Referral HSDS (dossier ou .zip de fichiers CSV)"
    kind = "services"
    patterns = ("*.zip", "services.csv", "datapackage.json")
    priority = 55
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        try:
            names = _member_names(_package(path))
        except (OSError, zipfile.BadZipFile, ReaderError):
            return False
        return all(name in names for name in REQUIRED)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        package = _package(path)
        report = ImportReport(self.id, str(package), SERVICES.name)
        with Timer() as timer:
            frame = self._read_frame(package, context, report)
        report.seconds = timer.seconds
        return ImportResult({SERVICES.name: frame}, report, ("source", f"hsds:{package.name}"))

    def _read_frame(self, package: Path, context: ReadContext, report: ImportReport):
        context.report_progress(0.05, "reading the HSDS tables")
        tables = _read_tables(package)
        for name in REQUIRED:
            if name not in tables:
                raise ReaderError(package, f"the package has no {name}.",
                                  expected=f"HSDS tables {', '.join(REQUIRED)} and "
                                           "locations.csv, service_at_location.csv")
        services = _require(package, tables, "services.csv", ("id", "name"))
        organizations = _require(package, tables, "organizations.csv", ("id", "name"))
        rows = self._service_locations(package, tables, services, report)
        report.rows_read = len(rows)
        context.report_progress(0.5, f"{len(rows)} services at locations")

        org_names = rows["organization_id"].map(
            organizations.drop_duplicates("id").set_index("id")["name"])
        names = rows["name"].fillna(org_names)
        unnamed = names.isna()
        report.drop("no name (service or organization)", int(unnamed.sum()))
        with_org = org_names.notna() & names.notna() & ~_contains(names, org_names)
        names = names.where(~with_org, names + " (" + org_names + ")")

        terms = _terms(tables, services)
        term = rows["service_id"].map(terms)
        mapping = context.service_type_mapping
        source_types, types = service_types([term], mapping)
        for text in (term, rows["name"], rows.get("description")):
            if text is None:
                continue
            words = _known_words(text, mapping)
            missing = types.isna() & words.notna()
            types = types.mask(missing, words.map(lambda w: mapping.get(fold(w)),
                                                  na_action="ignore").astype("string"))
            source_types = source_types.mask(missing & source_types.isna(), words)
        unmapped = source_types.fillna(NO_TYPE)[types.isna() & ~unnamed].value_counts()
        report.unmapped_categories = {str(k): int(v) for k, v in unmapped.items()}

        geometry = points_from_lonlat(decimal_numbers(rows["longitude"]),
                                      decimal_numbers(rows["latitude"]))
        service_id = rows["service_id"].where(
            rows["location_id"].isna(), rows["service_id"] + "@" + rows["location_id"])
        keep = ~unnamed.to_numpy()
        report.flag("not located: the location has no coordinates (kept, not on maps)",
                    int((pd.isna(geometry) & rows["location_id"].notna().to_numpy())[keep].sum()))
        return services_layer({"service_id": service_id, "name": names, "service_type": types,
                               "source_type": source_types, "address": rows["address"],
                               "source": f"hsds:{package.name}"},
                              geometry, report, context, keep)

    @staticmethod
    def _service_locations(package: Path, tables: dict[str, pd.DataFrame],
                           services: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
        """One row per service and location, with the location's coordinates and address."""
        services = services.rename(columns={"id": "service_id"})
        if "organization_id" not in services:
            services["organization_id"] = pd.NA
        links = tables.get("service_at_location.csv")
        if links is not None:
            links = _require(package, tables, "service_at_location.csv",
                             ("service_id", "location_id"))[["service_id", "location_id"]]
            unknown = ~links["service_id"].isin(services["service_id"])
            report.drop("service_at_location row for an unknown service", int(unknown.sum()))
            links = links.loc[~unknown].drop_duplicates()
        else:
            links = pd.DataFrame({"service_id": pd.Series(dtype="string"),
                                  "location_id": pd.Series(dtype="string")})
        rows = services.merge(links, on="service_id", how="left")
        nowhere = int(rows["location_id"].isna().sum())
        report.flag("not located: the service has no location (kept once, not on maps)",
                    nowhere)
        locations = tables.get("locations.csv")
        if locations is None:
            locations = pd.DataFrame({"id": pd.Series(dtype="string")})
        locations = locations.rename(columns={"id": "location_id"}).drop_duplicates(
            "location_id")
        for column in ("latitude", "longitude"):
            if column not in locations:
                locations[column] = pd.NA
        addresses = _addresses(tables)
        locations = locations[["location_id", "latitude", "longitude"]].merge(
            addresses, on="location_id", how="left")
        unknown = rows["location_id"].notna() & ~rows["location_id"].isin(
            locations["location_id"])
        report.drop("service_at_location row for an unknown location", int(unknown.sum()))
        rows = rows.loc[~unknown].merge(locations, on="location_id", how="left")
        return rows.reset_index(drop=True)


def _package(path: Path) -> Path:
    """The folder or .zip of the package, also when given one of its files."""
    if path.is_file() and path.suffix.lower() != ".zip" and (
            path.name.lower() in ("services.csv", "datapackage.json")):
        return path.parent
    return path


def _member_names(package: Path) -> dict[str, str]:
    """Table file name (lower case) -> its name in the folder or the archive."""
    if package.is_dir():
        return {p.name.lower(): p.name for p in package.iterdir() if p.is_file()}
    if package.is_file() and package.suffix.lower() == ".zip":
        with zipfile.ZipFile(package) as archive:
            members = [n for n in archive.namelist() if not n.endswith("/")
                       and "__MACOSX" not in n]
        found: dict[str, str] = {}
        for member in sorted(members, key=lambda n: n.count("/")):  # shallowest first
            found.setdefault(member.rsplit("/", 1)[-1].lower(), member)
        return found
    raise ReaderError(package, "is neither a folder nor a .zip archive.")


def _read_tables(package: Path) -> dict[str, pd.DataFrame]:
    members = _member_names(package)
    tables = {}
    for name in TABLES:
        if name not in members:
            continue
        if package.is_dir():
            data = (package / members[name]).read_bytes()
        else:
            with zipfile.ZipFile(package) as archive:
                data = archive.read(members[name])
        tables[name] = _csv(package, name, data)
    return tables


def _csv(package: Path, name: str, data: bytes) -> pd.DataFrame:
    if not data.strip():
        return pd.DataFrame()
    encoding = detect_encoding(data[:64 * 1024])
    try:
        table = pd.read_csv(io.BytesIO(data), encoding=encoding, dtype=str,
                            keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ReaderError(package / name, f"is not a readable CSV table ({error}).") from error
    table.columns = [str(c).strip().lower() for c in table.columns]
    table = table.astype("string").apply(lambda column: column.str.strip())
    return table.mask(table == "")


def _require(package: Path, tables: dict[str, pd.DataFrame], name: str,
             columns: tuple[str, ...]) -> pd.DataFrame:
    table = tables[name]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ReaderError(package / name, f"missing column(s) {', '.join(missing)}.",
                          expected=f"HSDS columns {', '.join(columns)}; found "
                                   f"{', '.join(table.columns) or 'none'}")
    return table


def _addresses(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """location_id -> one written address, the physical one when several are given."""
    table = tables.get("physical_addresses.csv")
    if table is None:
        table = tables.get("addresses.csv")
    if table is None or "location_id" not in table:
        return pd.DataFrame({"location_id": pd.Series(dtype="string"),
                             "address": pd.Series(dtype="string")})
    if "address_type" in table:  # HSDS 3: physical, postal or virtual
        rank = table["address_type"].str.lower().map({"physical": 0, "postal": 1}).fillna(2)
        table = table.assign(rank=rank).sort_values("rank", kind="stable")

    def part(column: str) -> pd.Series | None:
        return table[column] if column in table else None

    address = join_parts(part("address_1"), part("address_2"), part("city"),
                         part("state_province"), part("postal_code"))
    return pd.DataFrame({"location_id": table["location_id"], "address": address}) \
        .dropna(subset=["location_id"]).drop_duplicates("location_id")


def _terms(tables: dict[str, pd.DataFrame], services: pd.DataFrame) -> pd.Series:
    """service id -> taxonomy term (name), from a column of services.csv or HSDS tables."""
    terms = pd.Series(dtype="string")
    column = next((c for c in TAXONOMY_COLUMNS if c in services), None)
    if column is not None:
        terms = services.dropna(subset=[column]).drop_duplicates("id").set_index("id")[column]
        terms = terms.str.split(r"[;|]").str[0].str.strip()
    links, vocabulary, key = None, None, None
    if "service_taxonomy.csv" in tables and "taxonomy.csv" in tables:
        links, vocabulary, key = (tables["service_taxonomy.csv"], tables["taxonomy.csv"],
                                  ("service_id", "taxonomy_id"))
    elif "attributes.csv" in tables and "taxonomy_terms.csv" in tables:
        links, vocabulary, key = (tables["attributes.csv"], tables["taxonomy_terms.csv"],
                                  ("link_id", "taxonomy_term_id"))
        if "link_entity" in links:
            links = links.loc[links["link_entity"].str.lower().fillna("service") == "service"]
    if links is not None and {*key} <= set(links) and {"id", "name"} <= set(vocabulary):
        names = vocabulary.drop_duplicates("id").set_index("id")["name"]
        linked = links.assign(term=links[key[1]].map(names)).dropna(subset=["term"])
        from_tables = linked.drop_duplicates(key[0]).set_index(key[0])["term"]
        terms = terms.combine_first(from_tables) if len(terms) else from_tables
    return terms.astype("string")


def _contains(names: pd.Series, parts: pd.Series) -> pd.Series:
    return pd.Series([isinstance(n, str) and isinstance(p, str) and fold(p) in fold(n)
                      for n, p in zip(names, parts, strict=True)], index=names.index)


def _known_words(text: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """The longest source type of the mapping found as whole words in each text, if any
    ("Family Food Bank" -> "food bank", not "family")."""
    keys = sorted((k for k in mapping if "=" not in k and len(k) >= 4), key=len, reverse=True)
    if not keys:
        return pd.Series(pd.NA, index=text.index, dtype="string")
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")

    def longest(value: str) -> str | None:
        found = _overlapping(pattern, fold(value))
        return max(found, key=len) if found else None

    return text.astype("string").map(longest, na_action="ignore").astype("string")


def _overlapping(pattern: re.Pattern[str], text: str) -> list[str]:
    """Every key found, including those that start inside an earlier match."""
    found, start = [], 0
    while (match := pattern.search(text, start)) is not None:
        found.append(match.group(1))
        start = match.start() + 1
    return found
