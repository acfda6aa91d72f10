"""What return to run tells the therapist (docs/notifications.md): the alerts a run log or
check-in raises as it is saved, and the daily check for runners who went quiet.

The signs come from the rule itself: `detect_flags` on the entry just saved (a limp or swelling,
pain above the plan's ceiling, a next-morning stop sign) and the stage change the progression
rule made for it (a step back, a stop sign). `rehab_clinic.notifications` does the rest: who is
told, once a clinic day, how they chose.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from patients.models import Episode
from programs.home.models import Completion
from programs.running.flag_rule import FLAG_WINDOW_DAYS, FlagKind, detect_flags
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import ReturnToRunPlan
from programs.running.progression import Decision
from rehab_clinic.notifications.models import Reason
from rehab_clinic.notifications.services import raise_alert

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["INACTIVE_DAYS", "alert_inactive_runners", "alert_therapist", "entry_reasons"]

# A runner with an active plan and nothing logged, checked in or ticked for this many days.
INACTIVE_DAYS = 7


def _log_kinds(plan: ReturnToRunPlan, log: SessionLog, stages: dict[int, Any]) -> set[str]:
    report = log.as_report(stages.get(log.stage_number))
    flags = detect_flags(
        limits=plan.limits(),
        sessions=[report],
        checks=[],
        today=log.date,
        volume_kind=plan.volume_kind,
        window_days=1,
    )
    return {flag.kind for flag in flags}


def _previous_log(plan: ReturnToRunPlan, log: SessionLog) -> SessionLog | None:
    earlier = plan.logs.exclude(pk=log.pk).filter(date__lte=log.date).order_by("-date", "-id")
    return next((other for other in earlier if (other.date, other.pk) < (log.date, log.pk)), None)


def entry_reasons(plan: ReturnToRunPlan, entry: SessionLog | MorningCheckIn) -> list[str]:
    """The alert reasons the entry just saved raises, in the order of the notification list."""
    reasons: set[str] = set()
    stages = {s.number: s for s in plan.stages.all()}
    if isinstance(entry, SessionLog):
        kinds = _log_kinds(plan, entry, stages)
        if kinds & {FlagKind.LIMP, FlagKind.SWELLING}:
            reasons.add(Reason.LIMP_OR_SWELLING)
        previous = _previous_log(plan, entry)
        if (
            FlagKind.PAIN_ABOVE_CEILING in kinds
            and previous is not None
            and FlagKind.PAIN_ABOVE_CEILING in _log_kinds(plan, previous, stages)
        ):
            reasons.add(Reason.PAIN_TWICE)
    else:
        flags = detect_flags(
            limits=plan.limits(), sessions=[], checks=[entry.as_check()], today=entry.date,
            window_days=1,
        )  # fmt: skip
        if any(flag.kind == FlagKind.STOP_SIGN for flag in flags):
            reasons.add(Reason.STOP_SIGN)
    # The rule's decision for this entry (made in the same transaction, after it was saved).
    for change in StageChange.objects.filter(
        plan=plan, source=StageChange.Source.RULE, created_at__gte=entry.created_at
    ):
        if change.decision == Decision.STEP_BACK:
            reasons.add(Reason.STEP_BACK)
        if change.stop_sign:
            reasons.add(Reason.STOP_SIGN)
    return [reason for reason in Reason.values if reason in reasons]


def _plan_link(plan: ReturnToRunPlan) -> str:
    return reverse("programs:rtr_plan_detail", args=[plan.pk])


def alert_therapist(*, plan: ReturnToRunPlan, by: User, entry: SessionLog | MorningCheckIn) -> None:
    """Called by `services.log_session` and `services.record_check_in` after the save, in their
    transaction: the notifications and their emails commit (or roll back) with the entry.

    An entry dated before the caseload's flag window (a run back-filled weeks later, the demo's
    history) is history for the chart, not news to interrupt the therapist with.
    """
    if (plan.episode.patient.clinic.today() - entry.date).days >= FLAG_WINDOW_DAYS:
        return
    reasons = entry_reasons(plan, entry)
    if reasons:
        raise_alert(
            patient=plan.episode.patient,
            episode=plan.episode,
            reason=reasons,
            link=_plan_link(plan),
            by=by,
        )


def alert_inactive_runners() -> int:
    """Beat's daily check: each active plan whose runner logged no run, made no check-in and
    ticked no exercise for `INACTIVE_DAYS` clinic days tells the therapist once for that quiet
    spell (again only after the runner was active and went quiet again)."""
    last_log = SessionLog.objects.filter(plan=OuterRef("pk")).values("plan")
    last_check = MorningCheckIn.objects.filter(plan=OuterRef("pk")).values("plan")
    last_tick = Completion.objects.filter(patient=OuterRef("episode__patient")).values("patient")
    plans = (
        ReturnToRunPlan.objects.active()
        .filter(episode__status=Episode.Status.ACTIVE, episode__patient__archived_at=None)
        .select_related(
            "episode__created_by",
            "episode__patient__clinic",
            "episode__patient__primary_therapist",
        )
        .annotate(
            last_log=Subquery(last_log.annotate(last=Max("date")).values("last")[:1]),
            last_check=Subquery(last_check.annotate(last=Max("date")).values("last")[:1]),
            last_tick=Subquery(last_tick.annotate(last=Max("day")).values("last")[:1]),
        )
    )
    raised = 0
    for plan in plans:
        patient = plan.episode.patient
        dates = [
            plan.started_on,
            *(getattr(plan, f) for f in ("last_log", "last_check", "last_tick")),
        ]
        last_active: dt.date = max(d for d in dates if d is not None)
        if (patient.clinic.today() - last_active).days < INACTIVE_DAYS:
            continue
        raised += len(
            raise_alert(
                patient=patient,
                episode=plan.episode,
                reason=Reason.NO_ACTIVITY,
                link=_plan_link(plan),
                unless_since=last_active,
            )
        )
    return raised
