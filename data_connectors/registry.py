"""Every reader, declared in one place so the UI and the command line list the same ones."""

from __future__ import annotations

from pathlib import Path

from data_connectors.area_boundaries import AreaBoundaryReader
from data_connectors.base import Connector, ReaderError
from data_connectors.cad_calls import CadCallReader
from data_connectors.hsds import HsdsReader
from data_connectors.indicator_table import IndicatorTableReader
from data_connectors.lieux_interet import LieuxInteretReader
from data_connectors.mapped_points import MappedPointReader
from data_connectors.osm_amenities import OsmAmenityReader
from data_connectors.pathway_tables import PathwayTableReader
from data_connectors.service_inventory import ServiceInventoryReader
from data_connectors.spvm_incidents import SpvmIncidentReader
from data_connectors.statcan_boundaries import StatCanBoundaryReader
from data_connectors.statcan_da_table import StatCanDaTableReader
from data_connectors.statcan_profile import StatCanProfileReader
from data_connectors.station_boundaries import StationBoundaryReader
from data_connectors.streets import StreetNetworkReader
from data_connectors.survey_export import SurveyExportReader
from data_connectors.survey_scores import SurveyScoreReader
from data_connectors.vpd_incidents import VpdIncidentReader
from data_connectors.wide_profiles import WideProfileReader

#: Ordered by priority, highest first: the first reader that can read a file is proposed.
READERS: tuple[Connector, ...] = tuple(sorted(
    (
        StationBoundaryReader(),
        StatCanBoundaryReader(),
        StatCanProfileReader(),
        StatCanDaTableReader(),
        SpvmIncidentReader(),
        ServiceInventoryReader(),
        SurveyExportReader(),
        VpdIncidentReader(),
        MappedPointReader(),
        AreaBoundaryReader(),
        WideProfileReader(),
        LieuxInteretReader(),
        OsmAmenityReader(),
        HsdsReader(),
        SurveyScoreReader(),
        CadCallReader(),
        PathwayTableReader(),
        StreetNetworkReader(),
        IndicatorTableReader(),
    ),
    key=lambda reader: -reader.priority,
))

#: The order in which kinds must be imported: areas are kept by the stations' extent, census
#: values by the areas already imported.
KIND_ORDER = ("stations", "census-areas", "census-values", "incidents", "services", "survey",
              "call-pathways", "calls", "streets")


def get_reader(reader_id: str) -> Connector:
    """The reader registered as ``reader_id``, or an error listing the registered ones."""
    for reader in READERS:
        if reader.id == reader_id:
            return reader
    known = ", ".join(r.id for r in READERS)
    raise ReaderError(reader_id, f"no reader is registered under this id; known: {known}.")


def candidates(path: Path) -> list[Connector]:
    """Readers that say they can read ``path``, the most specific first."""
    return [reader for reader in READERS if reader.can_read(path)]


def find_reader(path: Path) -> Connector:
    """The reader to propose for ``path``, or an error saying which formats are known."""
    if not path.exists():
        raise ReaderError(path, "the file does not exist.")
    found = candidates(path)
    if not found:
        labels = "; ".join(r.label for r in READERS)
        raise ReaderError(path, f"no reader recognises this file. Known formats: {labels}.")
    return found[0]
