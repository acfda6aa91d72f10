"""Flags for the therapist (docs/return_to_run.md, sections 7.3 and 7.4): the rule lives in
`flag_rule` (`detect_flags`, pure), its stored output in `flag_models.PlanFlag` (written by
`flag_services`), and this module reads it: `flagged_patients`, the caseload's and the plan
list's read, by index and bounded. Flags never block progression by themselves."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from programs.running.flag_models import PlanFlag
from programs.running.flag_rule import FLAG_WINDOW_DAYS, Flag, FlagKind, StepBack, detect_flags
from programs.running.flag_services import plan_flags
from programs.running.models import ReturnToRunPlan

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import User

__all__ = [
    "FLAGGED_LIMIT",
    "FLAG_WINDOW_DAYS",
    "Flag",
    "FlagKind",
    "FlaggedPlan",
    "FlaggedPlans",
    "StepBack",
    "detect_flags",
    "flagged_patients",
    "flagged_plans",
    "plan_flags",
    "shown_on",
]

# How many flagged runners a panel lists; the rest are counted.
FLAGGED_LIMIT = 20


@dataclass(frozen=True)
class FlaggedPlan:
    plan: ReturnToRunPlan
    patient: Patient
    flags: list[Flag]


class FlaggedPlans(list[FlaggedPlan]):
    """The first flagged plans, in name order, and how many there are in all."""

    def __init__(self, items: Iterable[FlaggedPlan] = (), *, total: int = 0) -> None:
        super().__init__(items)
        self.total = max(total, len(self))

    @property
    def more(self) -> int:
        """Flagged plans beyond the ones listed."""
        return self.total - len(self)


def shown_on(user: User, today: dt.date) -> Any:
    """The stored flags of the user's clinic shown on `today` (the clinic-and-days index)."""
    return PlanFlag.objects.filter(
        clinic=user.home_clinic, shown_from__lte=today, shown_until__gte=today
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
    show a flag on `today`, read from the stored flags: the first `limit` by the runner's name
    with their flags, and the count. Three queries (two when all fit), whatever the clinic's
    size: the rows read grow with the flags shown, not with the clinic's history."""
    if not getattr(user, "is_clinic_staff", False) or user.clinic_id is None:
        return FlaggedPlans()
    if today is None:
        today = user.home_clinic.today()
    shown = shown_on(user, today)
    plans = flagged_plans(user, today=today, mine=mine, in_care=in_care, patients=patients)
    ordered = plans.select_related("episode__patient").order_by(
        "episode__patient__last_name", "episode__patient__first_name", "pk"
    )
    page = list(ordered if limit is None else ordered[:limit])
    if not page:
        return FlaggedPlans()
    total = len(page) if limit is None or len(page) < limit else plans.count()
    flags: dict[int, list[Flag]] = defaultdict(list)
    for row in shown.filter(plan__in=page).order_by("plan", "position"):
        flags[row.plan_id].append(Flag(FlagKind(row.kind), row.date, row.message, row.runner_wrote))
    return FlaggedPlans(
        [FlaggedPlan(plan=p, patient=p.episode.patient, flags=flags[p.pk]) for p in page],
        total=total,
    )
