"""Where a return-to-run plan stands, in the words both the therapist's and the runner's plan
pages show: today's stage, the rule's recommendation, the next run day, flags and the chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from programs.running import services
from programs.running.charts import plan_chart
from programs.running.flag_services import plan_flags
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import PlanQuerySet, PlanStage, ReturnToRunPlan
from programs.running.progression import Decision, morning_signs, session_signs
from programs.running.wording import contact_line, stage_summary

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

__all__ = [
    "PlanState",
    "PlanStatus",
    "is_run_day",
    "plan_context",
    "plan_status",
    "today_status",
    "visible_plans",
]


class PlanState(StrEnum):
    DRAFT = "draft"
    NOT_STARTED = "not_started"
    RUN_TODAY = "run_today"
    REST_DAY = "rest_day"
    STOP = "stop"
    PAUSED = "paused"
    CLOSED = "closed"
    COMPLETE = "complete"


@dataclass(frozen=True)
class PlanStatus:
    """Where a plan stands today: the one answer the therapist's page and the phone show."""

    state: PlanState
    runner_text: str
    therapist_text: str
    next_run_on: dt.date | None = None
    stop_reason: str = ""
    call_phone: str = ""  # the clinic's number, for a tap-to-call link beside a stop sign

    @property
    def can_start_run(self) -> bool:
        """Only a run day gets the start and log buttons; a rest day gets "I ran anyway"."""
        return self.state == PlanState.RUN_TODAY

    @property
    def is_rest_day(self) -> bool:
        return self.state == PlanState.REST_DAY

    @property
    def is_stop(self) -> bool:
        return self.state == PlanState.STOP

    @property
    def is_live(self) -> bool:
        """A started plan the runner is following today (the rule's advice applies)."""
        return self.state in (PlanState.RUN_TODAY, PlanState.REST_DAY, PlanState.STOP)

    @property
    def asks_for_check_ins(self) -> bool:
        return self.is_live


def clinic_contact(clinic: Clinic) -> str:
    return contact_line(clinic.name, clinic.phone)


def _stop_reason(
    plan: ReturnToRunPlan,
    last_log: SessionLog | None,
    last_check: MorningCheckIn | None,
    changes: list[StageChange],
) -> str:
    """The runner's stop sign in the latest log or check-in, until a therapist has acted on it
    (confirmed or overridden the rule's change, or set a stage) since."""
    limits = plan.limits()
    entries = []
    if last_log is not None:
        entries.append((last_log.created_at, session_signs(last_log.as_report(), limits)))
    if last_check is not None:
        entries.append((last_check.created_at, morning_signs(last_check.as_check(), limits)))
    for when, signs in entries:
        stops = [s.runner for s in signs if s.stop]
        acted = any(
            (c.reviewed_at is not None and c.reviewed_at >= when)
            or (c.source == StageChange.Source.THERAPIST and c.created_at >= when)
            for c in changes
        )
        if stops and not acted:
            return " ".join(stops)
    return ""


def plan_status(
    plan: ReturnToRunPlan,
    *,
    today: dt.date,
    next_run_on: dt.date,
    last_log: SessionLog | None,
    last_check: MorningCheckIn | None,
    changes: list[StageChange],
) -> PlanStatus:
    clinic = plan.episode.patient.clinic
    latest = changes[0] if changes else None
    if plan.status == ReturnToRunPlan.Status.DRAFT:
        return PlanStatus(
            PlanState.DRAFT,
            "Your therapist is still preparing this plan.",
            "Draft: the runner does not see this plan until you start it.",
        )
    if plan.status == ReturnToRunPlan.Status.PAUSED:
        return PlanStatus(
            PlanState.PAUSED,
            "Your plan is paused. Do not run until your therapist restarts it.",
            "Paused: the runner is told not to run.",
        )
    final_done = (
        latest is not None
        and latest.source == StageChange.Source.RULE
        and latest.decision == Decision.PROGRESS
        and latest.to_stage == latest.from_stage
    )
    if plan.status == ReturnToRunPlan.Status.COMPLETED or (
        plan.status == ReturnToRunPlan.Status.ACTIVE and final_done
    ):
        return PlanStatus(
            PlanState.COMPLETE,
            "You have completed your return-to-running plan. Your therapist will set your "
            "next running goals.",
            "Complete: the final stage is done; close the plan and set the next goals.",
        )
    if plan.status == ReturnToRunPlan.Status.STOPPED:
        return PlanStatus(
            PlanState.CLOSED,
            "This plan has been closed. Do not follow it any more; ask your therapist what "
            "comes next.",
            "Closed (stopped).",
        )
    if plan.started_on > today:
        return PlanStatus(
            PlanState.NOT_STARTED,
            f"Your plan starts on {plan.started_on:%A} {plan.started_on.day} {plan.started_on:%B}.",
            f"Starts on {plan.started_on:%a %d %b %Y}; the runner sees the date, no run yet.",
            next_run_on=plan.started_on,
        )
    stop = _stop_reason(plan, last_log, last_check, changes)
    if stop:
        return PlanStatus(
            PlanState.STOP,
            f"{clinic_contact(clinic)}.",
            f"Stop sign reported: {stop} The runner is told to stop and contact the clinic.",
            stop_reason=stop,
            call_phone=clinic.phone,
        )
    if next_run_on > today:
        return PlanStatus(
            PlanState.REST_DAY,
            f"Rest today. Next run: {next_run_on:%A} {next_run_on.day} {next_run_on:%B}.",
            f"Rest day; next run {next_run_on:%a %d %b}.",
            next_run_on=next_run_on,
        )
    return PlanStatus(PlanState.RUN_TODAY, "Next run: today.", "Run day.", next_run_on=today)


def today_status(plan: ReturnToRunPlan, *, today: dt.date) -> tuple[PlanStatus, PlanStage | None]:
    """The plan's status and current stage: the same answer as `plan_context`, in four queries
    and without the chart (the reminders and the calendar feed ask it)."""
    stage = plan.stages.filter(number=plan.current_stage).first()
    last_log = plan.logs.last()
    changes = list(plan.changes.all()[:20])
    status = plan_status(
        plan,
        today=today,
        next_run_on=_next_run_on(stage, last_log, changes[0] if changes else None, today),
        last_log=last_log,
        last_check=plan.check_ins.last(),
        changes=changes,
    )
    return status, stage


def is_run_day(plan: ReturnToRunPlan, *, today: dt.date) -> bool:
    """Whether the runner's page says "Next run: today" (the reminders ask this on a beat run)."""
    return today_status(plan, today=today)[0].can_start_run


def visible_plans(user: User) -> PlanQuerySet:
    return ReturnToRunPlan.objects.visible_to(user).select_related(
        "episode__patient__clinic", "protocol"
    )


def plan_context(plan: ReturnToRunPlan) -> dict[str, Any]:
    """What both the therapist's and the runner's plan pages show."""
    clinic = plan.episode.patient.clinic
    today = clinic.today()
    stages = list(plan.stages.all())
    logs = list(plan.logs.all())
    check_ins = list(plan.check_ins.all())
    stage = next((s for s in stages if s.number == plan.current_stage), None)
    recommendation = services.recommendation_for(plan, today=today)
    changes = list(plan.changes.select_related("created_by", "reviewed_by", "session_log")[:20])
    latest_change = changes[0] if changes else None
    last_log = logs[-1] if logs else None
    next_run_on = _next_run_on(stage, last_log, latest_change, today)
    headline, reason, review_text, note = _status_words(recommendation, latest_change, last_log)
    flags = plan_flags(plan, logs=logs, check_ins=check_ins, changes=changes, today=today)
    status = plan_status(
        plan,
        today=today,
        next_run_on=next_run_on,
        last_log=last_log,
        last_check=check_ins[-1] if check_ins else None,
        changes=changes,
    )
    checks_by_date = {c.date: c for c in check_ins}
    rows = [(log, checks_by_date.get(log.date + _days(1))) for log in reversed(logs)]
    return {
        "plan": plan,
        "clinic": clinic,
        "unit": clinic.distance_unit,
        "today": today,
        "stages": [(s, stage_summary(s, plan.kind, clinic)) for s in stages],
        "stage": stage,
        "stage_text": stage_summary(stage, plan.kind, clinic),
        "recommendation": recommendation,
        "headline": headline,
        "reason": reason,
        "review_text": review_text,
        "therapist_note": note,
        "decision": Decision,
        "latest_change": latest_change,
        "changes": changes,
        "next_run_on": next_run_on,
        "status": status,
        "contact": clinic_contact(clinic),
        "log_rows": rows,
        "flags": flags,
        "check_ins": list(reversed(check_ins)),
        "chart": plan_chart(
            logs=logs,
            check_ins=check_ins,
            start=plan.started_on,
            end=today,
            distance=plan.is_distance,
            unit=clinic.distance_unit,
            pain_ceiling=plan.pain_during_max,
        ),
    }


def _next_run_on(stage: Any, last_log: Any, change: StageChange | None, today: dt.date) -> dt.date:
    """The stage's rest days after the last run, plus the extra day a step back asks for."""
    if last_log is None or stage is None:
        return today
    rest = stage.rest_days_between
    if change is not None and change.rest_day and change.session_log_id == last_log.pk:
        rest += 1
    next_run: dt.date = last_log.date + _days(rest + 1)
    return max(today, next_run)


def _status_words(
    recommendation: Any, change: StageChange | None, last_log: Any
) -> tuple[str, str, str, str]:
    """Headline, reason, review state and therapist note for the plan's current position.

    Right after the rule or a therapist moves the plan, the live rule only says "start the new
    stage", so the change itself (and why) is what the runner needs to read.
    """
    headline, reason = recommendation.headline, recommendation.reason
    if change is None:
        return headline, reason, "", ""
    if (
        change.source == StageChange.Source.RULE
        and last_log
        and change.session_log_id == last_log.pk
    ):
        if change.decision == Decision.PROGRESS:
            headline = f"Moved up to stage {change.to_stage}"
            if change.to_stage == change.from_stage:
                headline = "Final stage complete"
        elif change.to_stage == change.from_stage:
            headline = f"Rest a day, then repeat stage {change.to_stage}"
        else:
            headline = (
                f"Rest a day, then step back to stage {change.to_stage}"
                if change.rest_day
                else f"Stepped back to stage {change.to_stage}"
            )
        review = (
            "Your therapist will review this change."
            if change.is_pending
            else f"{change.get_review_display()} by your therapist."
        )
        return headline, change.reason, review, ""
    if change.source == StageChange.Source.THERAPIST and (
        last_log is None or change.created_at >= last_log.created_at
    ):
        return f"Your therapist set stage {change.to_stage}", reason, "", change.note
    return headline, reason, "", ""


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
