"""OpenStreetMap amenity extracts as a services inventory.

Two shapes are read: JSON lines (optionally gzipped), one object a line with ``lat``, ``lon``,
``amenity``, ``name`` and ``tags``, as in community extracts; and GeoJSON exports of Overpass
or osmtogeojson, whose properties hold the tags (flat, or under ``tags``), with ways and
relations placed at a point inside them.

An extract holds every amenity: benches, restaurants and parking far outnumber services. Each
point's type is looked up in the service-type mapping as ``social_facility=<value>``, then
``social_facility:for=<value>``, then ``amenity=<value>``; points none of them maps are not
community services and are dropped, counted by amenity. Note that in OpenStreetMap
``amenity=shelter`` is a weather shelter (gazebo, bus shelter); a homeless shelter is
``amenity=social_facility`` + ``social_facility=shelter``. Unnamed services are kept under a
generated name ("community_centre (sans nom)"). When the workspace has stations, points more
than 1 km beyond their extent are dropped: extracts often cover a whole region.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import shape as geojson_shape

from data_connectors.base import ImportReport, ImportResult, ReadContext, ReaderError, Timer
from data_connectors.column_mapping import Field
from data_connectors.service_inventory import (
    join_parts,
    outside_extent,
    points_from_lonlat,
    service_types,
    services_layer,
)
from portrait.crs import MAP_CRS, METRIC_CRS
from portrait.layers import SERVICES

LINE_SUFFIXES = (".jsonl", ".ndjson")
GEOJSON_SUFFIXES = (".geojson", ".json")
EXTENT_MARGIN_M = 1_000.0
_SAMPLE_BYTES = 64 * 1024


def _kind(path: Path) -> str | None:
    """"lines" or "geojson" from the file name (a ``.gz`` suffix is looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in LINE_SUFFIXES:
        return "lines"
    if last in GEOJSON_SUFFIXES:
        return "geojson"
    return None


def _open(path: Path):
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


class OsmAmenityReader:
    id = "osm-amenities"
    label = "Équipements OpenStreetMap (amenity; JSON lines, GeoJSON)"
    kind = "services"
    patterns = ("*.jsonl", "*.jsonl.gz", "*.ndjson", "*.geojson", "*.json", "*.geojson.gz")
    priority = 41
    #: A fixed layout: a column mapping is refused (``column_mapping.refuse_mapping``).
    fields: tuple[Field, ...] = ()

    def can_read(self, path: Path) -> bool:
        kind = _kind(path)
        if kind is None or not path.is_file():
            return False
        try:
            with _open(path) as handle:
                sample = handle.read(_SAMPLE_BYTES)
        except (OSError, UnicodeDecodeError, EOFError):
            return False
        if kind == "lines":
            first = next((line for line in sample.splitlines() if line.strip()), "")
            try:
                record = json.loads(first)
            except ValueError:
                return False
            return isinstance(record, dict) and "lat" in record and "lon" in record \
                and ("amenity" in record or "amenity" in (record.get("tags") or {}))
        return "FeatureCollection" in sample and '"amenity"' in sample

    def read(self, path: Path, context: ReadContext) -> ImportResult:
        report = ImportReport(self.id, str(path), SERVICES.name)
        with Timer() as timer:
            frame = self._read_frame(path, context, report)
        report.seconds = timer.seconds
        return ImportResult({SERVICES.name: frame}, report, ("source", f"osm:{path.name}"))

    def _read_frame(self, path: Path, context: ReadContext, report: ImportReport):
        context.report_progress(0.05, "reading OpenStreetMap points")
        records = _lines(path, report) if _kind(path) == "lines" else _features(path)
        table = pd.DataFrame(records, columns=["osm_id", "lon", "lat", "tags"])
        report.rows_read = len(table)
        if table.empty:
            raise ReaderError(path, "no OpenStreetMap objects found.",
                              expected="one JSON object a line with lat, lon, amenity, tags; "
                                       "or a GeoJSON FeatureCollection with amenity tags")
        context.report_progress(0.5, f"{len(table)} objects")

        def tag(name: str) -> pd.Series:
            values = table["tags"].map(lambda t: t.get(name)).astype("string").str.strip()
            return values.str.split(";").str[0].str.strip().mask(values == "")

        amenity = tag("amenity")
        candidates = [
            "social_facility=" + tag("social_facility"),
            "social_facility:for=" + tag("social_facility:for"),
            "amenity=" + amenity,
        ]
        source_types, types = service_types(candidates, context.service_type_mapping)
        not_service = types.isna()
        for value, count in amenity[not_service].fillna("(no amenity tag)") \
                .value_counts().items():
            report.drop(f"not a community service (amenity={value})", int(count))
        if (not_service & (amenity == "shelter")).any():
            report.warnings.append(
                "amenity=shelter points are weather shelters in OpenStreetMap and were left "
                "out; homeless shelters are tagged social_facility=shelter.")
        geometry = points_from_lonlat(table["lon"].to_numpy(dtype=float),
                                      table["lat"].to_numpy(dtype=float))
        outside = outside_extent(geometry, context.station_bounds, EXTENT_MARGIN_M) \
            & ~not_service.to_numpy()
        report.drop("outside the stations' extent (more than 1 km beyond)", int(outside.sum()))
        keep = ~not_service.to_numpy() & ~outside

        names = tag("name")
        for fallback in ("name:fr", "name:en", "official_name"):
            names = names.fillna(tag(fallback))
        unnamed = names.isna()
        names = names.fillna(amenity.fillna("service") + " (sans nom)")
        report.flag("no name in OpenStreetMap (name generated)", int((unnamed & keep).sum()))
        number = join_parts(tag("addr:unit"), tag("addr:housenumber"), sep="-")
        address = join_parts(join_parts(number, tag("addr:street"), sep=" "),
                             tag("addr:city"), tag("addr:postcode"))
        report.flag("not located: no usable coordinates (kept, not on maps)",
                    int(pd.isna(geometry[keep]).sum()))
        return services_layer({"service_id": table["osm_id"].astype("string"), "name": names,
                               "service_type": types, "source_type": source_types,
                               "address": address, "source": f"osm:{path.name}"},
                              geometry, report, context, keep)


def _lines(path: Path, report: ImportReport) -> list[tuple[str, float, float, dict]]:
    """(id, lon, lat, tags) per JSON line; a line that is not JSON is dropped and shown."""
    records = []
    try:
        with _open(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    report.drop("line is not JSON")
                    report.example(number, None, line[:80], "not a JSON object")
                    continue
                if not isinstance(record, dict):
                    report.drop("line is not a JSON object")
                    continue
                tags = dict(record.get("tags") or {})
                for name in ("amenity", "name"):
                    if record.get(name) is not None:
                        tags.setdefault(name, record[name])
                osm_id = record.get("id") or record.get("@id") or f"line {number}"
                records.append((str(osm_id), _float(record.get("lon")),
                                _float(record.get("lat")), tags))
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ReaderError(path, f"cannot be read to the end ({error}).") from error
    return records


def _features(path: Path) -> list[tuple[str, float, float, dict]]:
    """(id, lon, lat, tags) per GeoJSON feature; areas and lines at a point inside them."""
    try:
        with _open(path) as handle:
            data = json.load(handle)
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as error:
        raise ReaderError(path, f"is not a readable GeoJSON file ({error}).") from error
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ReaderError(path, "has no feature list.", expected="a GeoJSON FeatureCollection")
    records = []
    for number, feature in enumerate(features, start=1):
        properties: dict[str, Any] = feature.get("properties") or {}
        tags = properties.get("tags") if isinstance(properties.get("tags"), dict) \
            else properties
        osm_id = feature.get("id") or properties.get("@id") or properties.get("id") \
            or f"feature {number}"
        lon, lat = _lonlat(feature.get("geometry"))
        records.append((str(osm_id), lon, lat, {k: v for k, v in tags.items()
                                                if isinstance(v, str | int | float)}))
    return records


def _lonlat(geometry: dict | None) -> tuple[float, float]:
    if not geometry:
        return np.nan, np.nan
    if geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates") or [np.nan, np.nan]
        return _float(coordinates[0]), _float(coordinates[1])
    try:
        shape = geojson_shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
        return np.nan, np.nan
    if shape.is_empty:
        return np.nan, np.nan
    # A point inside the area, found in metres so that it falls inside even a thin one.
    to_metric = _transformer(MAP_CRS, METRIC_CRS)
    inside = shapely.transform(shape, lambda xy: np.column_stack(
        to_metric.transform(xy[:, 0], xy[:, 1]))).representative_point()
    lon, lat = _transformer(METRIC_CRS, MAP_CRS).transform(inside.x, inside.y)
    return float(lon), float(lat)


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _float(value: object) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan
