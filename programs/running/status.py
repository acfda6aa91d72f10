"""Where a return-to-run plan stands, in the words both the therapist's and the runner's plan
pages show: today's stage, the rule's recommendation, the next run day, flags and the chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from programs.running import services
from programs.running.charts import plan_chart
from programs.running.flags import FLAG_WINDOW_DAYS, detect_flags
from programs.running.models import ReturnToRunPlan, StageChange
from programs.running.progression import Decision
from programs.running.wording import stage_summary

__all__ = ["plan_context", "visible_plans"]


def visible_plans(user: Any) -> Any:
    return ReturnToRunPlan.objects.visible_to(user).select_related(
        "episode__patient__clinic", "protocol"
    )


def plan_context(plan: ReturnToRunPlan) -> dict[str, Any]:
    """What both the therapist's and the runner's plan pages show."""
    clinic = plan.episode.patient.clinic
    today = services.clinic_today(clinic)
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
    flags = detect_flags(
        limits=plan.limits(),
        sessions=[log.as_report() for log in logs],
        checks=[c.as_check() for c in check_ins],
        today=today,
        volume_kind=plan.volume_kind,
        window_days=FLAG_WINDOW_DAYS,
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
        "rest_today": next_run_on > today,
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
    return max(today, last_log.date + _days(rest + 1))


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
