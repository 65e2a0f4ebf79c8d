"""Statistics Canada Census Profile, 2021, long format (catalogue 98-401-X2021006).

One row per geography and characteristic, in Windows-1252. The regional files weigh several
gigabytes, so the file is streamed in chunks and only two things are kept: the rows of
geographies already in the workspace (or whose code starts with a given prefix), and the
characteristics our indicators use. Values Statistics Canada suppressed (``x``, ``..``,
``...``, ``F``) stay missing with their symbol; ``E`` (use with caution) values are kept.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.statcan_characteristics import BY_ID, mapped_ids
from data_connectors.text_files import header_has, mean_line_bytes, require_columns, sniff
from portrait.layers import CENSUS_VALUES, conform

REQUIRED = ("ALT_GEO_CODE", "CHARACTERISTIC_ID", "C1_COUNT_TOTAL")
SUPPRESSION_SYMBOLS = {"x": "suppressed (confidentiality)", "..": "not available",
                       "...": "not applicable", "F": "too unreliable to be published"}
_CHUNK_ROWS = 500_000


class StatCanProfileReader:
    id = "statcan-profile"
    label = "Statistique Canada — Profil du recensement 2021 (98-401-X2021006, CSV)"
    kind = "census-values"
    patterns = ("*.csv", "*.CSV")
    priority = 60

    def can_read(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and header_has(path, *REQUIRED)

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), CENSUS_VALUES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({CENSUS_VALUES.name: frame}, report, ("source", _source(path)))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        text_format = sniff(path)
        header = list(text_format.header)
        require_columns(path, text_format.header, REQUIRED)
        wanted_areas = context.known_area_ids
        prefix = context.options.get("area_prefix")
        if not wanted_areas and not prefix:
            raise ReaderError(
                path, "no census areas to keep: import the dissemination-area boundaries first, "
                "or give an area code prefix (for example 2466 for Montréal).")
        positions = _positions(header)
        characteristics = mapped_ids()
        total_bytes = max(path.stat().st_size, 1)
        kept: list[pd.DataFrame] = []
        rows = 0
        reader = pd.read_csv(
            path, sep=text_format.delimiter, encoding=text_format.encoding, header=0,
            usecols=list(positions.values()), names=[f"c{i}" for i in range(len(header))],
            dtype=str, chunksize=_CHUNK_ROWS, keep_default_na=False, na_values=[""],
            quoting=csv.QUOTE_MINIMAL, low_memory=True,
        )
        line_bytes = mean_line_bytes(path)
        with reader:
            for chunk in reader:
                rows += len(chunk)
                chunk = chunk.rename(columns={f"c{i}": name for name, i in positions.items()})
                codes = chunk["ALT_GEO_CODE"].str.strip()
                keep = codes.isin(wanted_areas) if wanted_areas else codes.str.startswith(prefix)
                ids = pd.to_numeric(chunk["CHARACTERISTIC_ID"], errors="coerce")
                keep &= ids.isin(characteristics)
                if keep.any():
                    kept.append(chunk.loc[keep].assign(ALT_GEO_CODE=codes[keep],
                                                       CHARACTERISTIC_ID=ids[keep]))
                context.report_progress(0.95 * min(rows * line_bytes / total_bytes, 1.0),
                                        f"{rows:,} rows scanned")
        report.rows_read = rows
        if not kept:
            raise ReaderError(path, "no row of this profile matches the workspace's census areas.",
                              expected="dissemination areas whose codes are in the workspace")
        frame = self._values(pd.concat(kept, ignore_index=True), path, report)
        report.rows_kept = len(frame)
        context.report_progress(1.0, f"{frame['area_id'].nunique():,} areas")
        return frame

    @staticmethod
    def _values(rows: pd.DataFrame, path: Path, report: ImportReport) -> pd.DataFrame:
        values = pd.to_numeric(rows["C1_COUNT_TOTAL"].str.replace(",", ""), errors="coerce")
        symbols = rows["SYMBOL"].str.strip() if "SYMBOL" in rows else pd.Series(pd.NA,
                                                                                index=rows.index)
        for symbol, meaning in SUPPRESSION_SYMBOLS.items():
            report.flag(f"value {meaning} (symbol {symbol!r})", int((symbols == symbol).sum()))
        unreadable = values.isna() & rows["C1_COUNT_TOTAL"].notna()
        for row in rows.index[unreadable][:5]:
            report.example(int(row), "C1_COUNT_TOTAL", rows.at[row, "C1_COUNT_TOTAL"],
                           "not a number")
        frame = pd.DataFrame({
            "area_id": rows["ALT_GEO_CODE"],
            "indicator_id": rows["CHARACTERISTIC_ID"].map(lambda i: BY_ID[int(i)].indicator_id),
            "value": values,
            "symbol": symbols,
            "census_year": pd.to_numeric(rows.get("CENSUS_YEAR"), errors="coerce"),
            "source": _source(path),
        })
        # Several characteristics can feed one indicator (15-19 + 20-24 years): sum them,
        # keeping a value missing when any part is suppressed.
        grouped = frame.groupby(["area_id", "indicator_id"], sort=False)
        complete = grouped["value"].count() == grouped["value"].size()
        summed = grouped["value"].sum(min_count=1).where(complete)
        first = grouped[["symbol", "census_year", "source"]].first()
        result = first.assign(value=summed).reset_index()
        return conform(result, CENSUS_VALUES)


def _positions(header: list[str]) -> dict[str, int]:
    """Column positions; the file repeats the name SYMBOL, the one we want follows C1."""
    upper = [h.upper() for h in header]
    positions = {name: upper.index(name) for name in REQUIRED}
    for optional in ("CENSUS_YEAR", "GEO_LEVEL"):
        if optional in upper:
            positions[optional] = upper.index(optional)
    symbol = positions["C1_COUNT_TOTAL"] + 1
    if symbol < len(upper) and upper[symbol] == "SYMBOL":
        positions["SYMBOL"] = symbol
    return positions


def _source(path: Path) -> str:
    return f"statcan-profile:{path.name}"
