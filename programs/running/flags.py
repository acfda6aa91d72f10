"""Flags for the therapist (docs/return_to_run.md, sections 7.3 and 7.4): the rule `detect_flags`, a
pure function of a plan's limits, logs, check-ins and step backs, and `flagged_patients`, the
caseload's read. Flags never block progression by themselves."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import ReturnToRunPlan
from programs.running.progression import (
    Decision,
    MorningCheck,
    PlanLimits,
    SessionReport,
    VolumeKind,
    morning_signs,
)

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import User

__all__ = [
    "FLAG_WINDOW_DAYS",
    "Flag",
    "FlagKind",
    "FlaggedPlan",
    "StepBack",
    "detect_flags",
    "flagged_patients",
]

# Flags show what happened in the last 7 days; a run there is compared with the plan's own
# lookback (`lookback_days`, 30 by default) before it.
FLAG_WINDOW_DAYS = 7


class FlagKind(StrEnum):
    PAIN_ABOVE_CEILING = "pain_above_ceiling"
    LIMP = "limp"
    SWELLING = "swelling"
    STOP_SIGN = "stop_sign"
    STEP_BACK = "step_back"
    MORNING_NOT_SETTLED = "morning_not_settled"
    LONG_RUN_SPIKE = "long_run_spike"
    WEEKLY_VOLUME_SPIKE = "weekly_volume_spike"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    date: dt.date
    message: str
    runner_wrote: str = ""  # the runner's own note with the log or check-in


@dataclass(frozen=True)
class StepBack:
    """A step back the rule or the therapist made, for the flags."""

    date: dt.date
    reason: str
    runner_wrote: str = ""


def _exceeds_by_pct(value: Decimal, reference: Decimal, pct: int) -> bool:
    """True if value is more than pct percent above reference (exact decimal arithmetic)."""
    return value * 100 > reference * (100 + pct)


def _describe(volume: Decimal, kind: VolumeKind) -> str:
    unit = "min" if kind == VolumeKind.MINUTES else "m"
    return f"{volume.normalize():f} {unit}"


def _session_flags(session: SessionReport, limits: PlanLimits) -> list[Flag]:
    flags = []
    wrote = session.notes
    if session.pain_during > limits.pain_during_max or session.pain_after > limits.pain_after_max:
        worst = max(session.pain_during, session.pain_after)
        flags.append(
            Flag(
                FlagKind.PAIN_ABOVE_CEILING,
                session.date,
                f"Pain {worst}/10 on {session.date:%d %b}, above the plan's ceiling.",
                wrote,
            )
        )
    if session.limp:
        flags.append(
            Flag(
                FlagKind.LIMP,
                session.date,
                f"Limp or changed gait on {session.date:%d %b}.",
                wrote,
            )
        )
    if session.swelling != "none":
        flags.append(
            Flag(
                FlagKind.SWELLING,
                session.date,
                f"{str(session.swelling).capitalize()} swelling on {session.date:%d %b}.",
                wrote,
            )
        )
    return flags


def _spike(
    session: SessionReport, earlier: list[SessionReport], limits: PlanLimits, kind: VolumeKind
) -> Flag | None:
    """A run longer than its stage prescribed and more than the plan's percentage over the
    longest run of the lookback (Frandsen 2025). A run within its prescription is the plan
    itself, never a spike."""
    this = session.volume(kind)
    prescribed = session.prescribed_volume(kind)
    if prescribed is not None and this <= prescribed:
        return None
    longest = max((s.volume(kind) for s in earlier), default=Decimal(0))
    if longest <= 0 or not _exceeds_by_pct(this, longest, limits.single_run_spike_pct):
        return None
    beyond = f", beyond the {_describe(prescribed, kind)} prescribed" if prescribed else ""
    return Flag(
        FlagKind.LONG_RUN_SPIKE,
        session.date,
        f"Run on {session.date:%d %b} ({_describe(this, kind)}{beyond}) was more than "
        f"{limits.single_run_spike_pct}% longer than the longest in the previous "
        f"{limits.lookback_days} days ({_describe(longest, kind)}).",
        session.notes,
    )


def detect_flags(
    *,
    limits: PlanLimits,
    sessions: list[SessionReport],
    checks: list[MorningCheck],
    today: dt.date,
    volume_kind: VolumeKind = VolumeKind.MINUTES,
    window_days: int = FLAG_WINDOW_DAYS,
    step_backs: list[StepBack] | tuple[StepBack, ...] = (),
) -> list[Flag]:
    """Flags raised by sessions, check-ins and step backs within the last ``window_days`` days."""
    sessions = sorted(sessions, key=lambda s: s.date)
    checks = sorted(checks, key=lambda c: c.date)
    since = today - dt.timedelta(days=window_days - 1)
    flags: list[Flag] = []

    for session in sessions:
        if session.date < since or session.date > today:
            continue
        flags += _session_flags(session, limits)
        start = session.date - dt.timedelta(days=limits.lookback_days)
        earlier = [s for s in sessions if start <= s.date < session.date]
        spike = _spike(session, earlier, limits, volume_kind)
        if spike:
            flags.append(spike)

    recent_checks = [c for c in checks if since <= c.date <= today]
    for check in recent_checks:
        for sign in morning_signs(check, limits):
            flags.append(Flag(FlagKind.STOP_SIGN, check.date, sign.clinical, check.notes))
    if recent_checks and recent_checks[-1].pain > limits.morning_pain_max:
        last = recent_checks[-1]
        flags.append(
            Flag(
                FlagKind.MORNING_NOT_SETTLED,
                last.date,
                f"Morning pain {last.pain}/10 on {last.date:%d %b} has not settled "
                f"(settled is {limits.morning_pain_max}/10 or less).",
                last.notes,
            )
        )
    for step in step_backs:
        if since <= step.date <= today:
            flags.append(
                Flag(
                    FlagKind.STEP_BACK,
                    step.date,
                    f"Stepped back on {step.date:%d %b}: {step.reason}",
                    step.runner_wrote,
                )
            )

    def week_volume(first: int, last: int) -> Decimal:
        return sum(
            (
                s.volume(volume_kind)
                for s in sessions
                if today - dt.timedelta(days=last) <= s.date <= today - dt.timedelta(days=first)
            ),
            Decimal(0),
        )

    this_week, last_week = week_volume(0, 6), week_volume(7, 13)
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
                change.session_log.date if change.session_log else change.created_at.date(),
                change.clinical_reason or change.reason,
                change.session_log.notes if change.session_log else "",
            )
            for change in changes
            if change.decision == Decision.STEP_BACK
        ],
    )


@dataclass(frozen=True)
class FlaggedPlan:
    plan: ReturnToRunPlan
    patient: Patient
    flags: list[Flag]


def flagged_patients(user: User, *, today: dt.date | None = None) -> list[FlaggedPlan]:
    """Active plans of patients the user can see that raise a flag, in five queries whatever
    the caseload: plans, their stages, logs, check-ins and stage changes. Each plan looks back
    over its own `lookback_days`."""
    if not getattr(user, "is_clinic_staff", False):
        return []
    if today is None:
        today = user.home_clinic.today()
    plans = list(
        ReturnToRunPlan.objects.visible_to(user)
        .active()
        .select_related("episode__patient")
        .prefetch_related("stages")
    )
    if not plans:
        return []
    since = today - dt.timedelta(days=max(p.lookback_days for p in plans) + FLAG_WINDOW_DAYS)
    window = today - dt.timedelta(days=FLAG_WINDOW_DAYS)
    logs: dict[int, list[SessionLog]] = defaultdict(list)
    mornings: dict[int, list[MorningCheckIn]] = defaultdict(list)
    changes: dict[int, list[StageChange]] = defaultdict(list)
    for log in SessionLog.objects.filter(plan__in=plans, date__gte=since, date__lte=today):
        logs[log.plan_id].append(log)
    for check in MorningCheckIn.objects.filter(plan__in=plans, date__gte=since, date__lte=today):
        mornings[check.plan_id].append(check)
    recent_changes = StageChange.objects.filter(
        plan__in=plans, decision=Decision.STEP_BACK, created_at__date__gte=window
    ).select_related("session_log")
    for change in recent_changes:
        changes[change.plan_id].append(change)
    result = []
    for plan in plans:
        start = today - dt.timedelta(days=plan.lookback_days + FLAG_WINDOW_DAYS)
        flags = plan_flags(
            plan,
            logs=[log for log in logs[plan.pk] if log.date >= start],
            check_ins=mornings[plan.pk],
            changes=changes[plan.pk],
            today=today,
        )
        if flags:
            result.append(FlaggedPlan(plan=plan, patient=plan.episode.patient, flags=flags))
    result.sort(key=lambda f: (f.patient.last_name, f.patient.first_name, f.plan.pk))
    return result
