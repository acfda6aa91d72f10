"""Keeping the flag rule's output per plan (docs/return_to_run.md, "Stored flags").

`detect_flags` stays the only rule: `refresh_plan_flags` runs it for every day from yesterday
to the last day the plan's current logs can still raise a flag, and stores each distinct flag
once with the days it is shown on. The running services call it, explicitly, whenever what the
rule reads changes (a log, a check-in, a stage change, new limits or stages);
`rebuild_plan_flags` (``manage.py rebuild_rtr_flags``) runs the same code over every plan.
The 7-day window rolling forward needs no job: a row stops being read after `shown_until`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from programs.running.flag_models import PlanFlag
from programs.running.flag_rule import FLAG_WINDOW_DAYS, Flag, StepBack, detect_flags
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import ReturnToRunPlan
from programs.running.progression import Decision

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

__all__ = ["RebuildCounts", "plan_flags", "rebuild_plan_flags", "refresh_plan_flags"]

_DAY = dt.timedelta(days=1)
_WINDOW = dt.timedelta(days=FLAG_WINDOW_DAYS - 1)  # a flag dated d is shown to d + 6
# The weekly volume compares the last 7 days with the 7 before.
_WEEKS = dt.timedelta(days=2 * FLAG_WINDOW_DAYS - 1)
_BATCH = 200


def plan_flags(
    plan: ReturnToRunPlan,
    *,
    logs: list[SessionLog],
    check_ins: list[MorningCheckIn],
    changes: list[StageChange],
    today: dt.date,
) -> list[Flag]:
    """`detect_flags` for one plan from its rows (stages prefetched)."""
    stages = {s.number: s for s in plan.stages.all()}
    return detect_flags(
        limits=plan.limits(),
        sessions=[log.as_report(stages.get(log.stage_number)) for log in logs],
        checks=[c.as_check() for c in check_ins],
        today=today,
        volume_kind=plan.volume_kind,
        step_backs=[
            StepBack(
                _step_date(change),
                change.clinical_reason or change.reason,
                change.session_log.notes if change.session_log else "",
            )
            for change in changes
            if change.decision == Decision.STEP_BACK
        ],
    )


def _step_date(change: StageChange) -> dt.date:
    """The day a step back counts from: its run's, or the day the therapist made it."""
    return change.session_log.date if change.session_log else change.created_at.date()


def first_stored_day(clinic: Clinic) -> dt.date:
    """Rows start a day before the clinic's today, so a caller whose "today" is a timezone
    behind (the server's date) still reads them."""
    return clinic.today() - _DAY


def _rows(plan: ReturnToRunPlan, first: dt.date, history: dict[str, list[Any]]) -> list[PlanFlag]:
    """The rule's output for each day from `first` on, one row per distinct flag."""
    latest = max(
        [first]
        + [log.date for log in history["logs"]]
        + [check.date for check in history["checks"]]
        + [_step_date(change) for change in history["changes"]]
    )
    spans: dict[tuple[str, dt.date, str, str], list[dt.date]] = {}
    day = first
    while day <= latest + _WINDOW:
        for flag in plan_flags(
            plan,
            logs=[log for log in history["logs"] if log.date <= day],
            check_ins=history["checks"],
            changes=history["changes"],
            today=day,
        ):
            key = (str(flag.kind), flag.date, flag.message[:500], flag.runner_wrote)
            spans.setdefault(key, [day, day])[1] = day
        day += _DAY
    return [
        PlanFlag(
            plan=plan,
            clinic_id=plan.episode.patient.clinic_id,
            kind=kind,
            date=date,
            message=message,
            runner_wrote=wrote,
            shown_from=shown[0],
            shown_until=shown[1],
            position=position,
        )
        for position, ((kind, date, message, wrote), shown) in enumerate(spans.items())
    ]


def _histories(plans: list[ReturnToRunPlan], first: dt.date) -> dict[int, dict[str, list[Any]]]:
    """What the rule reads for days from `first` on, for a batch of plans, in three queries."""
    longest = max(p.lookback_days for p in plans)
    since = first - max(_WINDOW + dt.timedelta(days=longest), _WEEKS)
    history: dict[int, dict[str, list[Any]]] = defaultdict(
        lambda: {"logs": [], "checks": [], "changes": []}
    )
    # Older logs than a plan needs change nothing: the rule compares each run only with the
    # plan's own lookback before it, and weeks by their dates.
    for log in SessionLog.objects.filter(plan__in=plans, date__gte=since).order_by("date", "id"):
        history[log.plan_id]["logs"].append(log)
    for check in MorningCheckIn.objects.filter(plan__in=plans, date__gte=first - _WINDOW).order_by(
        "date", "id"
    ):
        history[check.plan_id]["checks"].append(check)
    for change in (
        StageChange.objects.filter(
            plan__in=plans, decision=Decision.STEP_BACK, created_at__date__gte=first - _WINDOW
        )
        .select_related("session_log")
        .order_by("-created_at", "-id")
    ):
        history[change.plan_id]["changes"].append(change)
    return history


def _store(plans: list[ReturnToRunPlan], first: dt.date) -> tuple[int, int, int]:
    """Replace the batch's rows where they changed: (plans flagged, rows, plans changed)."""
    history = _histories(plans, first)
    stored: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in PlanFlag.objects.filter(plan__in=plans).order_by("plan", "position"):
        stored[row.plan_id].append(_identity(row))
    new_rows, changed = [], []
    flagged = total = 0
    for plan in plans:
        rows = _rows(plan, first, history[plan.pk]) if plan.pk in history else []
        flagged += bool(rows)
        total += len(rows)
        if [_identity(r) for r in rows] != stored.get(plan.pk, []):
            changed.append(plan.pk)
            new_rows += rows
    if changed:
        PlanFlag.objects.filter(plan_id__in=changed).delete()
        PlanFlag.objects.bulk_create(new_rows)
    return flagged, total, len(changed)


def _identity(row: PlanFlag) -> tuple[Any, ...]:
    return (
        row.kind,
        row.date,
        row.message,
        row.runner_wrote,
        row.shown_from,
        row.shown_until,
        row.position,
    )


def _plans(query: Any) -> Any:
    return query.select_related("episode__patient__clinic").prefetch_related("stages")


def refresh_plan_flags(*, plan: ReturnToRunPlan) -> None:
    """Store what the rule says about `plan` now; called by every service that changes what it
    reads, inside that service's transaction."""
    fresh = _plans(ReturnToRunPlan.objects.filter(pk=plan.pk)).get()
    _store([fresh], first_stored_day(fresh.episode.patient.clinic))


@dataclass(frozen=True)
class RebuildCounts:
    plans: int  # plans with a log, check-in or step back recent enough to raise a flag
    flagged: int  # of those, plans with a flag
    rows: int  # flag rows written
    changed: int  # plans whose rows differed from the stored ones (0 on a second run)
    cleared: int  # plans with nothing recent whose old rows were removed


def rebuild_plan_flags(*, clinics: Iterable[Clinic]) -> RebuildCounts:
    """Recompute every stored flag of the clinics' plans with the save path's own code."""
    totals = [0, 0, 0, 0, 0]
    for clinic in clinics:
        first = first_stored_day(clinic)
        mine = {"plan__episode__patient__clinic": clinic}
        since = first - _WINDOW
        ids = sorted(
            set(SessionLog.objects.filter(**mine, date__gte=since).values_list("plan", flat=True))
            | set(
                MorningCheckIn.objects.filter(**mine, date__gte=since).values_list(
                    "plan", flat=True
                )
            )
            | set(
                StageChange.objects.filter(
                    **mine, decision=Decision.STEP_BACK, created_at__date__gte=since
                ).values_list("plan", flat=True)
            )
        )
        in_clinic = ReturnToRunPlan.objects.filter(episode__patient__clinic=clinic)
        for start in range(0, len(ids), _BATCH):
            with transaction.atomic():
                batch = list(_plans(in_clinic.filter(pk__in=ids[start : start + _BATCH])))
                flagged, rows, changed = _store(batch, first)
            totals[0] += len(batch)
            totals[1] += flagged
            totals[2] += rows
            totals[3] += changed
        stale = PlanFlag.objects.filter(clinic=clinic).exclude(plan_id__in=ids)
        totals[4] += len(set(stale.values_list("plan_id", flat=True)))
        stale.delete()
    return RebuildCounts(*totals)
