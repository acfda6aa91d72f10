"""Flags for the therapist (docs/return_to_run.md, sections 7.3 and 7.4): the rule lives in
`flag_rule` (`detect_flags`, pure), its stored output in `flag_models.PlanFlag` (written by
`flag_services`), and this module reads it: `flagged_patients`, the caseload's and the plan
list's read, by index and bounded. Flags never block progression by themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from patients.models import Patient
from programs.running.flag_models import PlanFlag
from programs.running.flag_rule import FLAG_WINDOW_DAYS, Flag, FlagKind, StepBack, detect_flags
from programs.running.flag_services import plan_flags
from programs.running.models import ReturnToRunPlan

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = [
    "COUNT_ROWS",
    "FLAGGED_LIMIT",
    "FLAG_WINDOW_DAYS",
    "WALK_ROWS",
    "Flag",
    "FlagKind",
    "FlaggedPlan",
    "FlaggedPlans",
    "StepBack",
    "detect_flags",
    "flagged_patients",
    "flagged_plans",
    "newest_shown",
    "plan_flags",
    "shown_on",
]

# How many flagged runners a panel lists; the rest are counted.
FLAGGED_LIMIT = 20
# The clinic-wide panel reads the newest flag rows, `limit` of them and then this many at a
# time, until it has `limit` plans (a plan shows a few rows), and counts the plans among at
# most COUNT_ROWS rows: beyond that it says "more than", so neither grows with the number of
# runners flagged at once.
WALK_ROWS = 100
COUNT_ROWS = 500


@dataclass(frozen=True)
class FlaggedPlan:
    plan: ReturnToRunPlan
    patient: Patient
    flags: list[Flag]


class FlaggedPlans(list[FlaggedPlan]):
    """The first flagged plans, newest flag first, and how many there are in all (`capped`: at
    least `total`, the count stopped)."""

    def __init__(
        self, items: Iterable[FlaggedPlan] = (), *, total: int = 0, capped: bool = False
    ) -> None:
        super().__init__(items)
        self.total = max(total, len(self))
        self.capped = capped

    @property
    def more(self) -> int:
        """Flagged plans beyond the ones listed (at least this many when `capped`)."""
        return self.total - len(self)


def shown_on(user: User, today: dt.date) -> Any:
    """The stored flags of the user's clinic shown on `today` (the clinic-and-days index)."""
    return PlanFlag.objects.filter(
        clinic=user.home_clinic, shown_from__lte=today, shown_until__gte=today
    )


def newest_shown(user: User, today: dt.date) -> Any:
    """The clinic's flags shown on `today` of active plans the user can see, newest first.

    A flag shown on `today` is dated within the window before it, so the read runs along the
    clinic-and-date index (`rtr_flag_clinic_newest`) from today backwards and a LIMIT stops it:
    the first rows cost the same whether 20 or 10,000 runners are flagged."""
    since = today - dt.timedelta(days=FLAG_WINDOW_DAYS - 1)
    return (
        shown_on(user, today)
        .filter(
            date__range=(since, today),
            plan__status=ReturnToRunPlan.Status.ACTIVE,
            plan__episode__patient__in=Patient.objects.visible_to(user),
        )
        .order_by("-date", "-plan_id")
    )


def flagged_plans(
    user: User,
    *,
    today: dt.date,
    mine: bool = False,
    in_care: bool = False,
    patients: Iterable[Patient] | None = None,
) -> Any:
    """Active plans the user can see with a flag shown on `today` (a queryset, unordered).

    `mine`: the user's own patients; `in_care`: theirs and the unassigned (what lands on their
    Today page); `patients`: only these (a page of the caseload)."""
    plans = (
        ReturnToRunPlan.objects.visible_to(user)
        .active()
        .filter(Exists(shown_on(user, today).filter(plan=OuterRef("pk"))))
    )
    if mine:
        plans = plans.filter(episode__patient__primary_therapist=user)
    if in_care:
        plans = plans.filter(
            Q(episode__patient__primary_therapist=user)
            | Q(episode__patient__primary_therapist__isnull=True)
        )
    if patients is not None:
        plans = plans.filter(episode__patient__in=patients)
    return plans


def _clinic_newest(user: User, today: dt.date, limit: int) -> tuple[list[int], int, bool]:
    """The first `limit` plan ids of the clinic by their newest flag shown on `today`, the
    number of flagged plans and whether that count stopped at COUNT_ROWS rows."""
    walk = newest_shown(user, today)
    seen: dict[int, None] = {}  # plan ids in walk order, each once
    offset = 0
    size = limit  # one row a plan is the common case; then a walk's worth at a time
    while len(seen) < limit:
        rows = list(walk.values_list("plan_id", flat=True)[offset : offset + size])
        seen.update(dict.fromkeys(rows))
        if len(rows) < size:
            return list(seen)[:limit], len(seen), False  # every flag shown today was read
        offset += size
        size = WALK_ROWS
    counted = walk.values("pk", "plan_id")[:COUNT_ROWS].aggregate(
        rows=Count("pk"), plans=Count("plan_id", distinct=True)
    )
    return list(seen)[:limit], counted["plans"], counted["rows"] >= COUNT_ROWS


def flagged_patients(
    user: User,
    *,
    today: dt.date | None = None,
    mine: bool = False,
    in_care: bool = False,
    patients: Iterable[Patient] | None = None,
    limit: int | None = FLAGGED_LIMIT,
) -> FlaggedPlans:
    """Active plans of patients the user can see (with `mine`, the user's own patients) that
    show a flag on `today`, read from the stored flags: the first `limit`, newest flag first
    (the runner who needs looking at soonest), with their flags, and the count.

    The clinic's list walks its newest flags by index and stops (see `_clinic_newest`); the
    therapist's own (`mine`, `in_care`) or a page's (`patients`) start from those patients.
    Three or four queries whatever the clinic's size: the rows read grow with what is shown,
    not with the clinic's history nor with how many runners are flagged."""
    if not getattr(user, "is_clinic_staff", False) or user.clinic_id is None:
        return FlaggedPlans()
    if today is None:
        today = user.home_clinic.today()
    shown = shown_on(user, today)
    capped = False
    if mine or in_care or patients is not None or limit is None:
        plans = flagged_plans(user, today=today, mine=mine, in_care=in_care, patients=patients)
        newest = shown.filter(plan=OuterRef("pk")).order_by("-date").values("date")[:1]
        ordered = plans.annotate(newest=Subquery(newest)).order_by("-newest", "-pk")
        page = list((ordered if limit is None else ordered[:limit]).values_list("pk", flat=True))
        total = len(page) if limit is None or len(page) < limit else plans.count()
    else:
        page, total, capped = _clinic_newest(user, today, limit)
    if not page:
        return FlaggedPlans()
    # The page's flags with their plans and runners in one query: every plan on the page
    # shows at least one flag, or it would not be on it.
    found: dict[int, FlaggedPlan] = {}
    rows = shown.filter(plan__in=page).select_related("plan__episode__patient")
    for row in rows.order_by("plan_id", "position"):
        item = found.setdefault(
            row.plan_id, FlaggedPlan(plan=row.plan, patient=row.plan.episode.patient, flags=[])
        )
        item.flags.append(Flag(FlagKind(row.kind), row.date, row.message, row.runner_wrote))
    return FlaggedPlans([found[pk] for pk in page if pk in found], total=total, capped=capped)
