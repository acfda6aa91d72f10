"""Flags for the therapist's caseload: active plans whose recent logs break one of their limits."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from programs.running.models import MorningCheckIn, ReturnToRunPlan, SessionLog
from programs.running.progression import Flag, detect_flags

__all__ = ["FLAG_WINDOW_DAYS", "FlaggedPlan", "flagged_patients"]

# Flags look at the last 7 days, and a run there is compared with the 30 days before it.
FLAG_WINDOW_DAYS = 7


@dataclass(frozen=True)
class FlaggedPlan:
    plan: ReturnToRunPlan
    patient: Any
    flags: list[Flag]


def flagged_patients(user: Any, *, today: dt.date | None = None) -> list[FlaggedPlan]:
    """Active plans of patients the user can see that raise a flag, in two queries."""
    if not getattr(user, "is_clinic_staff", False):
        return []
    if today is None:
        today = timezone.localdate()
    lookback = 45  # the 7-day window plus the longest run in the 30 days before it
    plans = ReturnToRunPlan.objects.visible_to(user).active()
    since = today - dt.timedelta(days=lookback + FLAG_WINDOW_DAYS)
    logs = SessionLog.objects.filter(plan__in=plans, date__gte=since, date__lte=today)
    checks = MorningCheckIn.objects.filter(plan__in=plans, date__gte=since, date__lte=today)
    by_plan: dict[int, ReturnToRunPlan] = {}
    reports: dict[int, list[Any]] = defaultdict(list)
    mornings: dict[int, list[Any]] = defaultdict(list)
    for log in logs.select_related("plan__episode__patient"):
        by_plan[log.plan_id] = log.plan
        reports[log.plan_id].append(log.as_report())
    for check in checks.select_related("plan__episode__patient"):
        by_plan.setdefault(check.plan_id, check.plan)
        mornings[check.plan_id].append(check.as_check())
    result = []
    for plan_id, plan in by_plan.items():
        flags = detect_flags(
            limits=plan.limits(),
            sessions=reports[plan_id],
            checks=mornings[plan_id],
            today=today,
            volume_kind=plan.volume_kind,
            window_days=FLAG_WINDOW_DAYS,
        )
        if flags:
            result.append(FlaggedPlan(plan=plan, patient=plan.episode.patient, flags=flags))
    result.sort(key=lambda f: (f.patient.last_name, f.patient.first_name, f.plan.pk))
    return result
