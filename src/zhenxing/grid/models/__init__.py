"""Grid management's models: grids and their workers and households (``grids``), visits
(``visits``), purchased-services contracts (``contracts``), assessment (``assessment``) and the
dashboards' summary table (``figures``)."""

from zhenxing.grid.models.assessment import (
    AssessmentPeriod,
    Criterion,
    CriterionEntry,
    GridScore,
    PeriodKind,
    PeriodStatus,
    WorkerScore,
)
from zhenxing.grid.models.contracts import (
    ZERO,
    ContractAllocation,
    ContractSpending,
    ServiceContract,
)
from zhenxing.grid.models.figures import VillageGridFigures
from zhenxing.grid.models.grids import Grid, GridHousehold, GridWorkerPost, VillageArea
from zhenxing.grid.models.visits import Visit, VisitPhoto

__all__ = [
    "ZERO",
    "AssessmentPeriod",
    "ContractAllocation",
    "ContractSpending",
    "Criterion",
    "CriterionEntry",
    "Grid",
    "GridHousehold",
    "GridScore",
    "GridWorkerPost",
    "PeriodKind",
    "PeriodStatus",
    "ServiceContract",
    "VillageArea",
    "VillageGridFigures",
    "Visit",
    "VisitPhoto",
    "WorkerScore",
]
