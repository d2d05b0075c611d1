"""The KPI engine: turns stored observations into progress, status, trajectory and projection, explained."""

from .disparity import disparity
from .engine import STATUS_COLUMNS, indicator_detail, status_table
from .inputs import KpiInputs, inputs_from_catalog, load_inputs, make_inputs
from .methods import FLAG_CODES, FLAG_LABELS, METHODS, STATUS_CODES, STATUS_LABELS
from .milestones import milestones_table
from .rollup import pillar_rollup

__all__ = [
    "FLAG_CODES",
    "FLAG_LABELS",
    "METHODS",
    "STATUS_CODES",
    "STATUS_COLUMNS",
    "STATUS_LABELS",
    "KpiInputs",
    "disparity",
    "indicator_detail",
    "inputs_from_catalog",
    "load_inputs",
    "make_inputs",
    "milestones_table",
    "pillar_rollup",
    "status_table",
]
