"""Calls for service: response pathways and call demand (no file formats, no Qt)."""

from portrait.calls.demand import CallDemand, call_demand, classify_calls
from portrait.calls.pathways import LABELS, PATHWAYS, PathwayTable

__all__ = ["LABELS", "PATHWAYS", "CallDemand", "PathwayTable", "call_demand", "classify_calls"]
