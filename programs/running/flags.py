"""Flags for the therapist (docs/return_to_run.md, sections 7.3 and 7.4): the rule `detect_flags`, a
pure function of a plan's limits, logs and check-ins, and `flagged_patients`, the caseload's read.
Flags never block progression by themselves."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone

from programs.running.models import MorningCheckIn, ReturnToRunPlan, SessionLog
from programs.running.progression import MorningCheck, PlanLimits, SessionReport, VolumeKind

__all__ = [
    "FLAG_WINDOW_DAYS",
    "Flag",
    "FlagKind",
    "FlaggedPlan",
    "detect_flags",
    "flagged_patients",
]

# Flags look at the last 7 days, and a run there is compared with the 30 days before it.
FLAG_WINDOW_DAYS = 7


class FlagKind(StrEnum):
    PAIN_ABOVE_CEILING = "pain_above_ceiling"
    MORNING_NOT_SETTLED = "morning_not_settled"
    LONG_RUN_SPIKE = "long_run_spike"
    WEEKLY_VOLUME_SPIKE = "weekly_volume_spike"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    date: dt.date
    message: str
    details: dict[str, str] = field(default_factory=dict)


def _exceeds_by_pct(value: Decimal, reference: Decimal, pct: int) -> bool:
    """True if value is more than pct percent above reference (exact decimal arithmetic)."""
    return value * 100 > reference * (100 + pct)


def _describe(volume: Decimal, kind: VolumeKind) -> str:
    if kind == VolumeKind.MINUTES:
        return f"{volume.normalize():f} min"
    return f"{volume.normalize():f} m"


def detect_flags(
    *,
    limits: PlanLimits,
    sessions: list[SessionReport],
    checks: list[MorningCheck],
    today: dt.date,
    volume_kind: VolumeKind = VolumeKind.MINUTES,
    window_days: int = 7,
) -> list[Flag]:
    """Flags raised by sessions and check-ins within the last ``window_days`` days."""
    sessions = sorted(sessions, key=lambda s: s.date)
    checks = sorted(checks, key=lambda c: c.date)
    since = today - dt.timedelta(days=window_days - 1)
    flags: list[Flag] = []

    for session in sessions:
        if session.date < since or session.date > today:
            continue
        if (
            session.pain_during > limits.pain_during_max
            or session.pain_after > limits.pain_after_max
        ):
            worst = max(session.pain_during, session.pain_after)
            flags.append(
                Flag(
                    FlagKind.PAIN_ABOVE_CEILING,
                    session.date,
                    f"Pain {worst}/10 on {session.date:%d %b}, above the plan's ceiling.",
                )
            )
        earlier = [
            s.volume(volume_kind)
            for s in sessions
            if session.date - dt.timedelta(days=limits.lookback_days) <= s.date < session.date
        ]
        longest = max(earlier, default=Decimal(0))
        this = session.volume(volume_kind)
        if longest > 0 and _exceeds_by_pct(this, longest, limits.single_run_spike_pct):
            flags.append(
                Flag(
                    FlagKind.LONG_RUN_SPIKE,
                    session.date,
                    f"Run on {session.date:%d %b} ({_describe(this, volume_kind)}) was more than "
                    f"{limits.single_run_spike_pct}% longer than the longest in the previous "
                    f"{limits.lookback_days} days ({_describe(longest, volume_kind)}).",
                )
            )

    recent_checks = [c for c in checks if since <= c.date <= today]
    if recent_checks and recent_checks[-1].pain > limits.morning_pain_max:
        last = recent_checks[-1]
        flags.append(
            Flag(
                FlagKind.MORNING_NOT_SETTLED,
                last.date,
                f"Morning pain {last.pain}/10 on {last.date:%d %b} has not settled "
                f"(settled is {limits.morning_pain_max}/10 or less).",
            )
        )

    this_week = sum(
        (
            s.volume(volume_kind)
            for s in sessions
            if today - dt.timedelta(days=6) <= s.date <= today
        ),
        Decimal(0),
    )
    last_week = sum(
        (
            s.volume(volume_kind)
            for s in sessions
            if today - dt.timedelta(days=13) <= s.date <= today - dt.timedelta(days=7)
        ),
        Decimal(0),
    )
    if last_week > 0 and _exceeds_by_pct(this_week, last_week, limits.weekly_volume_spike_pct):
        flags.append(
            Flag(
                FlagKind.WEEKLY_VOLUME_SPIKE,
                today,
                f"Weekly volume rose from {_describe(last_week, volume_kind)} to "
                f"{_describe(this_week, volume_kind)}, more than "
                f"{limits.weekly_volume_spike_pct}% up on the week before.",
            )
        )
    return flags


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
