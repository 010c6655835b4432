"""The assessment of a township's grid workers and grids for a month or a quarter.

``period_open`` → ``period_compute`` (as often as needed while open: the visits criteria from
the records, the entered ones from ``criterion_enter``) → ``period_confirm``: the township
locks the scores, and the next period's allocation of each contract follows from them by the
rule in policy (``rules.assessment.allocate``). A confirmed period's scores and entries never
change again: every write here refuses a locked period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenxing.core.audit.services import audit_create, audit_record, audit_update, snapshot
from zhenxing.core.errors import Conflict, DomainError
from zhenxing.core.policy.selectors import policy_int, policy_value, policy_values
from zhenxing.core.regions.models import Region, RegionKind
from zhenxing.core.scoping import ensure_can_add_under, get_for_user, subtree_q
from zhenxing.grid import policy
from zhenxing.grid.models import (
    AssessmentPeriod,
    ContractAllocation,
    Criterion,
    CriterionEntry,
    GridHousehold,
    GridScore,
    GridWorkerPost,
    PeriodStatus,
    ServiceContract,
    Visit,
    WorkerScore,
)
from zhenxing.grid.rules.assessment import (
    COMPUTED,
    allocate,
    check_score,
    coverage_score,
    next_period,
    period_dates,
    period_months,
    ranks,
    visits_score,
    weighted_total,
)
from zhenxing.grid.services.contracts import allocated_total

CENT = Decimal("0.01")


def weights(year: int) -> dict[str, Decimal]:
    values = policy_values(policy.WEIGHT_PREFIX, year)
    return {c: values[k] for c, k in policy.CRITERION_WEIGHT_KEYS.items()}


def _locked(period: AssessmentPeriod) -> Conflict:
    return Conflict(
        _("The scores of %(period)s were confirmed on %(on)s and are locked.")
        % {
            "period": period,
            "on": timezone.localtime(period.confirmed_at).date() if period.confirmed_at else "",
        },
        code="locked",
    )


def _open_period(actor: Any, period: AssessmentPeriod, action: str) -> AssessmentPeriod:
    """The period, locked for this transaction, that ``actor`` may ``action``; a confirmed
    one is refused (its scores never change again)."""
    period = get_for_user(
        AssessmentPeriod.objects.select_for_update().select_related("township"),
        actor,
        action,
        pk=period.pk,
    )
    if period.locked:
        raise _locked(period)
    return period


def period_open(
    *, actor: Any, township: Region, kind: str, year: int, number: int
) -> AssessmentPeriod:
    """Open a township's assessment for a month or a quarter (each only once), with its
    scores computed from the records so far."""
    with transaction.atomic():
        ensure_can_add_under(actor, AssessmentPeriod, township)
        if township.kind != RegionKind.TOWNSHIP:
            raise DomainError(_("A township assesses its grid workers."), field="township")
        if kind not in ("month", "quarter"):
            raise DomainError(_("A period is a month or a quarter."), field="kind")
        starts_on, ends_on = period_dates(kind, year, number)
        if AssessmentPeriod.objects.filter(
            township=township, kind=kind, year=year, number=number
        ).exists():
            raise DomainError(
                _("%(township)s already has an assessment for this period.")
                % {"township": township.name},
                field="number",
            )
        period = AssessmentPeriod.objects.create(
            township=township,
            kind=kind,
            year=year,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_create(actor=actor, obj=period)
        # The scores from the records so far, in the same transaction: a period is never open
        # without them.
        _compute(period)
        period.computed_at = timezone.now()
        period.save(update_fields=["computed_at"])
        return period


def _window(period: AssessmentPeriod) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(period.starts_on, dt.time.min))
    end = timezone.make_aware(
        dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time.min)
    )
    return start, end


def period_compute(*, actor: Any, period: AssessmentPeriod) -> int:
    """(Re)compute every worker's and grid's scores of an open period; returns the workers
    scored. Grouped queries over the township's posts, households and the period's visits."""
    with transaction.atomic():
        period = _open_period(actor, period, "change")
        count = _compute(period)
        period.computed_at = timezone.now()
        period.save(update_fields=["computed_at"])
        return count


def _compute(period: AssessmentPeriod) -> int:
    township = period.township
    in_township = subtree_q(township.code, "grid__village__code")
    posts = list(
        GridWorkerPost.objects.filter(in_township).values_list(
            "worker_id", "grid_id", "grid__village_id"
        )
    )
    grid_households = dict(
        GridHousehold.objects.filter(in_township)
        .values_list("grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    start, end = _window(period)
    visits = Visit.objects.filter(
        subtree_q(township.code, "village__code"), visited_at__gte=start, visited_at__lt=end
    )
    by_worker_grid = {
        (w, g): n
        for w, g, n in visits.values_list("worker_id", "grid_id").annotate(n=Count("pk")).order_by()
    }
    reached = {
        w: n
        for w, n in visits.values_list("worker_id")
        .annotate(n=Count("household", distinct=True))
        .order_by()
    }
    by_grid = {
        g: (n, hh)
        for g, n, hh in visits.values_list("grid_id")
        .annotate(n=Count("pk"), hh=Count("household", distinct=True))
        .order_by()
    }
    entered: dict[tuple[int, str], Decimal] = {
        (w, c): s
        for w, c, s in CriterionEntry.objects.filter(period=period).values_list(
            "worker_id", "criterion", "score"
        )
    }
    year = period.year
    w = weights(year)
    per_month = policy_int(policy.VISITS_PER_HOUSEHOLD, year)
    expected = per_month * period_months(period.kind)

    workers: dict[int, dict[str, Any]] = {}
    for worker_id, grid_id, village_id in posts:
        info = workers.setdefault(
            worker_id, {"village": village_id, "grids": [], "households": 0, "visits": 0}
        )
        info["grids"].append(grid_id)
        info["households"] += grid_households.get(grid_id, 0)
        info["visits"] += by_worker_grid.get((worker_id, grid_id), 0)
    scores: list[WorkerScore] = []
    for worker_id, info in workers.items():
        households = info["households"]
        visited = min(reached.get(worker_id, 0), households)
        criteria: dict[str, Decimal | None] = {
            Criterion.VISITS: visits_score(info["visits"], households, expected),
            Criterion.COVERAGE: coverage_score(visited, households),
        }
        for criterion in Criterion.values:
            if criterion not in COMPUTED:
                criteria[criterion] = entered.get((worker_id, criterion))
        scores.append(
            WorkerScore(
                period=period,
                worker_id=worker_id,
                village_id=info["village"],
                households=households,
                visits=info["visits"],
                households_visited=visited,
                scores={k: None if v is None else str(v) for k, v in criteria.items()},
                total=weighted_total(criteria, w),
                rank_in_village=0,
                rank_in_township=0,
            )
        )
    in_town = ranks((s.worker_id, s.total) for s in scores)
    by_village: dict[int, list[WorkerScore]] = defaultdict(list)
    for s in scores:
        by_village[s.village_id].append(s)
        s.rank_in_township = in_town[s.worker_id]
    for village_scores in by_village.values():
        in_village = ranks((s.worker_id, s.total) for s in village_scores)
        for s in village_scores:
            s.rank_in_village = in_village[s.worker_id]
    WorkerScore.objects.filter(period=period).delete()
    WorkerScore.objects.bulk_create(scores, batch_size=500)

    totals = {s.worker_id: s.total for s in scores}
    grid_workers: dict[int, list[int]] = defaultdict(list)
    for worker_id, grid_id, _village in posts:
        grid_workers[grid_id].append(worker_id)
    grids: list[GridScore] = []
    for grid_id in set(grid_households) | set(grid_workers) | set(by_grid):
        n, hh = by_grid.get(grid_id, (0, 0))
        mine = [totals[w_id] for w_id in grid_workers.get(grid_id, []) if w_id in totals]
        total = (sum(mine, Decimal(0)) / len(mine)).quantize(Decimal("0.1")) if mine else None
        grids.append(
            GridScore(
                period=period,
                grid_id=grid_id,
                households=grid_households.get(grid_id, 0),
                visits=n,
                households_visited=hh,
                total=total,
                rank_in_township=0,
            )
        )
    grid_ranks = ranks((g.grid_id, g.total or Decimal(-1)) for g in grids)
    for g in grids:
        g.rank_in_township = grid_ranks[g.grid_id]
    GridScore.objects.filter(period=period).delete()
    GridScore.objects.bulk_create(grids, batch_size=500)
    return len(scores)


def criterion_enter(
    *,
    actor: Any,
    period: AssessmentPeriod,
    worker: Any,
    criterion: str,
    score: Any,
    reason: str,
) -> CriterionEntry:
    """The township's score for a criterion no record computes yet, with why; the worker's
    total is recomputed at once."""
    with transaction.atomic():
        period = _open_period(actor, period, "change")
        if criterion not in Criterion.values:
            raise DomainError(_("Not a criterion."), field="criterion")
        if criterion in COMPUTED:
            raise DomainError(
                _("This criterion is computed from the visits, not entered."), field="criterion"
            )
        try:
            value = check_score(Decimal(str(score)))
        except ArithmeticError:
            raise DomainError(_("A score is a number."), field="score") from None
        if not reason.strip():
            raise DomainError(_("Say why (the source of the score)."), field="reason")
        post = (
            GridWorkerPost.objects.filter(
                subtree_q(period.township.code, "grid__village__code"), worker=worker
            )
            .select_related("grid")
            .first()
        )
        if post is None:
            raise DomainError(_("This worker works no grid of the township."), field="worker")
        entry = CriterionEntry.objects.filter(
            period=period, worker=worker, criterion=criterion
        ).first()
        if entry is None:
            entry = CriterionEntry.objects.create(
                period=period,
                worker=worker,
                village_id=post.grid.village_id,
                criterion=criterion,
                score=value,
                reason=reason.strip()[:200],
                entered_by=actor,
            )
            audit_create(actor=actor, obj=entry)
        else:
            before = snapshot(entry)
            entry.score, entry.reason, entry.entered_by = value, reason.strip()[:200], actor
            entry.save()
            audit_update(actor=actor, obj=entry, before=before)
        _compute(period)
        return entry


def period_confirm(*, actor: Any, period: AssessmentPeriod) -> list[ContractAllocation]:
    """Lock a period's scores (recomputed one last time) and allocate the next period's money
    of every contract of the township's villages that runs then. Refused while a criterion
    is missing for a worker. Returns the allocations made."""
    with transaction.atomic():
        period = _open_period(actor, period, "confirm")
        _compute(period)
        missing = [
            s for s in WorkerScore.objects.filter(period=period) if None in s.scores.values()
        ]
        if missing:
            raise DomainError(
                _(
                    "%(n)d workers still lack an entered criterion (errands, ratings, "
                    "inspection or complaints): enter them before confirming."
                )
                % {"n": len(missing)},
                code="incomplete",
            )
        before = snapshot(period)
        period.status = PeriodStatus.CONFIRMED
        period.confirmed_by = actor
        period.confirmed_at = timezone.now()
        period.save()
        audit_update(actor=actor, obj=period, before=before)
        allocations = _allocate_next(actor, period)
        audit_record(
            actor=actor,
            action="confirm",
            obj=period,
            changes={"allocations": [None, len(allocations)]},
        )
        return allocations


def _allocate_next(actor: Any, period: AssessmentPeriod) -> list[ContractAllocation]:
    year, number = next_period(period.kind, period.year, period.number)
    starts_on, ends_on = period_dates(period.kind, year, number)
    base = policy_value(policy.BASE_SHARE, year)
    floor = policy_value(policy.REVIEW_FLOOR, year)
    scores = list(
        WorkerScore.objects.filter(period=period).values_list("worker_id", "village_id", "total")
    )
    first_grid: dict[int, int] = {}
    for worker_id, grid_id in (
        GridWorkerPost.objects.filter(subtree_q(period.township.code, "grid__village__code"))
        .order_by("grid_id")
        .values_list("worker_id", "grid_id")
    ):
        first_grid.setdefault(worker_id, grid_id)
    by_village: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for worker_id, village_id, total in scores:
        by_village[village_id][worker_id] = total
    made: list[ContractAllocation] = []
    contracts = ServiceContract.objects.select_for_update().filter(
        subtree_q(period.township.code, "village__code"),
        starts_on__lte=starts_on,
        ends_on__gte=ends_on,
    )
    for contract in contracts.order_by("pk"):
        totals = by_village.get(contract.village_id)
        if not totals:
            continue
        months = max(
            1,
            (contract.ends_on.year - contract.starts_on.year) * 12
            + contract.ends_on.month
            - contract.starts_on.month
            + 1,
        )
        share = (contract.amount * period_months(period.kind) / months).quantize(CENT)
        pool = min(share, contract.amount - allocated_total(contract.pk))
        shares = allocate(pool, totals, base_percent=base, review_floor=floor)
        for s in shares:
            allocation = ContractAllocation.objects.create(
                contract=contract,
                grid_id=first_grid[int(s.key)],  # type: ignore[call-overload]
                worker_id=int(s.key),  # type: ignore[call-overload]
                starts_on=starts_on,
                ends_on=ends_on,
                amount=s.amount,
                basis=period,
                needs_review=s.needs_review,
                note=str(_("From the assessment of %(period)s") % {"period": period}),
            )
            audit_create(actor=actor, obj=allocation)
            made.append(allocation)
    return made
