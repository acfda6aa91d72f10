"""Workflows for return-to-running plans (protocols: `protocol_services`; gait retraining:
`gait_services`).

Plain functions with keyword-only arguments that take the acting user explicitly. Each write
records an audit event with ``record_event(user=...)``; views record the reads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from programs.documents.services import refresh_for_episode
from programs.running.alerts import alert_therapist
from programs.running.flag_services import refresh_plan_flags
from programs.running.log_models import MorningCheckIn, SessionLog, StageChange
from programs.running.models import (
    PROTOCOL_LIMITS,
    PlanStage,
    Protocol,
    ReturnToRunPlan,
)
from programs.running.progression import (
    Decision,
    Recommendation,
    recommend,
)
from programs.running.protocol_services import STAGE_FIELDS, replace_stages
from programs.running.protocols import (
    criteria_from_data,
)
from programs.running.readiness import readiness_for
from programs.running.runfile_models import PendingRunFile, RunFileAlreadySaved
from rehab_clinic.audit.changes import Snapshot, field_changes, snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from patients.models import Episode
    from rehab_clinic.accounts.models import User

# A plan's limits: the protocol's, and the plan's own flag thresholds. Every number field of the
# plan is one or is named in tests/programs/test_field_lists.py as not a limit, so a new
# threshold cannot be left out of create_plan and update_plan_limits.
LIMIT_FIELDS = [
    *PROTOCOL_LIMITS,
    "morning_jump_points",
    "stiffness_rise_max",
    "unsettled_mornings_to_step_back",
    "weekly_morning_trend_tolerance",
    "single_run_spike_pct",
    "weekly_volume_spike_pct",
    "lookback_days",
]


# ---------------------------------------------------------------------------------------------
# Plans


class ReadinessNotMet(ValueError):
    """Starting a plan whose readiness criteria are not all met needs a reason."""

    def __init__(self, unmet: list[str]) -> None:
        super().__init__("Readiness criteria not met: " + "; ".join(unmet))
        self.unmet = unmet


def _audit_plan(
    plan: ReturnToRunPlan,
    by: User,
    detail: str = "",
    action: str = "",
    obj: Any = None,
    before: Snapshot | None = None,  # snapshot(plan) ahead of the change: old → new recorded
) -> None:
    record_event(
        user=by,
        action=action or AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=obj or plan,
        detail=detail[:500],
        changes=None if before is None else field_changes(before, snapshot(plan)),
    )


@transaction.atomic
def create_plan(
    *,
    episode: Episode,
    protocol: Protocol,
    by: User,
    started_on: dt.date | None = None,
    limits: dict[str, Any] | None = None,
) -> ReturnToRunPlan:
    """A draft plan for one episode, copied from a protocol; the copy is the therapist's to
    change. The runner sees it once the therapist starts it (`start_plan`)."""
    plan = ReturnToRunPlan(
        episode=episode,
        protocol=protocol,
        name=protocol.name,
        kind=protocol.kind,
        **{name: getattr(protocol, name) for name in PROTOCOL_LIMITS},
        readiness_criteria=protocol.readiness_criteria,
        started_on=started_on or episode.patient.clinic.today(),
        status=ReturnToRunPlan.Status.DRAFT,
        created_by=by,
    )
    for name, value in (limits or {}).items():
        if name in LIMIT_FIELDS:
            setattr(plan, name, value)
    plan.save()
    PlanStage.objects.bulk_create(
        PlanStage(plan=plan, **{name: getattr(stage, name) for name in STAGE_FIELDS})
        for stage in protocol.stages.all()
    )
    _audit_plan(plan, by, f"Draft from protocol {protocol.name}", AuditEvent.Action.CREATE)
    refresh_for_episode(episode=episode, by=by)
    return plan


@transaction.atomic
def start_plan(*, plan: ReturnToRunPlan, by: User, override_reason: str = "") -> ReturnToRunPlan:
    """Put a draft in front of the runner. Unmet readiness criteria (a conflict counts as unmet)
    need the therapist's reason, which goes on the plan and into the audit trail."""
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != ReturnToRunPlan.Status.DRAFT:
        raise ValueError("Only a draft plan can be started.")
    unmet = [c.text for c in readiness_for(plan) if not c.met]
    reason = override_reason.strip()
    if unmet and not reason:
        raise ReadinessNotMet(unmet)
    before = snapshot(plan)
    plan.status = ReturnToRunPlan.Status.ACTIVE
    plan.started_at = timezone.now()
    plan.started_by = by
    plan.readiness_override_reason = reason if unmet else ""
    plan.save(update_fields=["status", "started_at", "started_by", "readiness_override_reason"])
    detail = f"Plan started (runs from {plan.started_on:%Y-%m-%d})"
    if unmet:
        detail += f". Readiness override: {reason}. Not met: " + "; ".join(unmet)
    _audit_plan(plan, by, detail, before=before)
    refresh_for_episode(episode=plan.episode, by=by)
    return plan


@transaction.atomic
def pause_plan(*, plan: ReturnToRunPlan, by: User, note: str) -> ReturnToRunPlan:
    """Stop the runner's sessions for now (an illness, a flare-up); `resume_plan` undoes it."""
    if plan.status != ReturnToRunPlan.Status.ACTIVE:
        raise ValueError("Only an active plan can be paused.")
    before = snapshot(plan)
    plan.status = ReturnToRunPlan.Status.PAUSED
    plan.save(update_fields=["status"])
    _audit_plan(plan, by, f"Plan paused: {note}", before=before)
    refresh_for_episode(episode=plan.episode, by=by)
    return plan


@transaction.atomic
def resume_plan(*, plan: ReturnToRunPlan, by: User) -> ReturnToRunPlan:
    if plan.status != ReturnToRunPlan.Status.PAUSED:
        raise ValueError("Only a paused plan can be resumed.")
    before = snapshot(plan)
    plan.status = ReturnToRunPlan.Status.ACTIVE
    plan.save(update_fields=["status"])
    _audit_plan(plan, by, "Plan resumed", before=before)
    refresh_for_episode(episode=plan.episode, by=by)
    return plan


@transaction.atomic
def customise_plan(
    *,
    plan: ReturnToRunPlan,
    by: User,
    limits: dict[str, Any],
    stages: list[dict[str, Any]],
) -> ReturnToRunPlan:
    """Replace a plan's limits and stages with the therapist's version."""
    before = snapshot(plan)
    for name in LIMIT_FIELDS:
        if name in limits:
            setattr(plan, name, limits[name])
    if stages:
        replace_stages(PlanStage, "plan", plan, stages)
        plan.current_stage = min(plan.current_stage, len(stages))
    plan.save()
    _audit_plan(plan, by, "Limits and stages customised", before=before)
    refresh_plan_flags(plan=plan)
    refresh_for_episode(episode=plan.episode, by=by)
    return plan


@transaction.atomic
def set_readiness(*, plan: ReturnToRunPlan, by: User, ticked: list[str]) -> None:
    known, before = {c.code for c in criteria_from_data(plan.readiness_criteria)}, snapshot(plan)
    plan.readiness_ticked = sorted(set(ticked) & known)
    plan.save(update_fields=["readiness_ticked"])
    ticked_text = ", ".join(plan.readiness_ticked) or "none"
    _audit_plan(plan, by, f"Readiness criteria ticked: {ticked_text}", before=before)


def recommendation_for(plan: ReturnToRunPlan, *, today: dt.date | None = None) -> Recommendation:
    today = today or plan.episode.patient.clinic.today()
    stages = {s.number: s for s in plan.stages.all()}
    stage = stages.get(plan.current_stage)
    return recommend(
        limits=plan.limits(),
        current_stage=plan.current_stage,
        stage_count=len(stages),
        sessions_to_progress=stage.sessions_to_progress if stage else 2,
        sessions=[log.as_report(stages.get(log.stage_number)) for log in plan.logs.all()],
        checks=[c.as_check() for c in plan.check_ins.all()],
        today=today,
    )


def apply_rule(
    *, plan: ReturnToRunPlan, by: User, today: dt.date | None = None
) -> StageChange | None:
    """Move the plan as the rule says after a new log or check-in, once per logged session.

    Steps back and progressions take effect at once (the runner should not run a stage the rule
    has just ruled out) and wait for the therapist to confirm or override them.
    """
    recommendation = recommendation_for(plan, today=today)
    latest = plan.logs.order_by("-date", "-id").first()
    if recommendation.decision == Decision.REPEAT or latest is None:
        return None
    if StageChange.objects.filter(session_log=latest, source=StageChange.Source.RULE).exists():
        return None
    change = StageChange.objects.create(
        plan=plan,
        source=StageChange.Source.RULE,
        decision=recommendation.decision,
        from_stage=plan.current_stage,
        to_stage=recommendation.stage_number,
        rest_day=recommendation.rest_day,
        reason=recommendation.reason,
        clinical_reason=recommendation.clinical_reason,
        stop_sign=recommendation.stop_sign,
        session_log=latest,
        created_by=by,
    )
    plan.current_stage = recommendation.stage_number
    plan.save(update_fields=["current_stage"])
    _audit_plan(plan, by, f"Rule: {recommendation.headline}", obj=change)
    refresh_for_episode(episode=plan.episode, by=by)
    return change


@transaction.atomic
def log_session(
    *,
    plan: ReturnToRunPlan,
    by: User,
    values: dict[str, Any],
    today: dt.date | None = None,
    source: PendingRunFile | None = None,
) -> SessionLog:
    """Save a run; `source` is the run file it was filled from, which moves onto the log."""
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_active:
        raise ValueError("Runs can only be logged on an active plan.")
    if source is not None and not PendingRunFile.objects.filter(pk=source.pk).exists():
        raise RunFileAlreadySaved  # saved by a request the plan lock made us wait for
    if source is not None:
        values = {
            **values,
            "source_file": source.file.name,
            "source_file_name": source.original_name,
        }
    log = SessionLog.objects.create(plan=plan, logged_by=by, **values)
    if source is not None:
        source.delete()  # the row only: the stored file now belongs to the log
    # A check-in made before the run was logged (the runner logged late) belongs to it.
    MorningCheckIn.objects.filter(
        plan=plan, date=log.date + dt.timedelta(days=1), session_log__isnull=True
    ).update(session_log=log)
    _audit_plan(plan, by, action=AuditEvent.Action.CREATE, obj=log)
    apply_rule(plan=plan, by=by, today=today)
    refresh_plan_flags(plan=plan)
    alert_therapist(plan=plan, by=by, entry=log)
    return log


def run_before(plan: ReturnToRunPlan, morning: dt.date) -> SessionLog | None:
    """The run a check-in on `morning` is the morning after, if one was logged."""
    return (
        plan.logs.filter(date=morning - dt.timedelta(days=1)).order_by("-created_at", "-id").first()
    )


@transaction.atomic
def record_check_in(
    *, plan: ReturnToRunPlan, by: User, values: dict[str, Any], today: dt.date | None = None
) -> MorningCheckIn:
    """Save the morning check-in, attached to the run the day before (None if there is none:
    the caller tells the runner)."""
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_active:
        raise ValueError("Check-ins can only be recorded on an active plan.")
    # A twin that waited on the lock finds the first one's row: one check-in a morning.
    existing = MorningCheckIn.objects.filter(plan=plan, date=values["date"]).first()
    if existing is not None:
        return existing
    check_in = MorningCheckIn.objects.create(
        plan=plan, logged_by=by, session_log=run_before(plan, values["date"]), **values
    )
    _audit_plan(plan, by, action=AuditEvent.Action.CREATE, obj=check_in)
    apply_rule(plan=plan, by=by, today=today)
    refresh_plan_flags(plan=plan)
    alert_therapist(plan=plan, by=by, entry=check_in)
    return check_in


@transaction.atomic
def confirm_change(*, change: StageChange, by: User) -> None:
    change.mark_reviewed(by=by, review=StageChange.Review.CONFIRMED)
    _audit_plan(change.plan, by, "Therapist confirmed the rule's stage change", obj=change)


@transaction.atomic
def override_stage(*, plan: ReturnToRunPlan, by: User, to_stage: int, note: str) -> StageChange:
    """The therapist sets the stage, with a note; any pending rule change is marked overridden."""
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    for pending in plan.changes.filter(review=StageChange.Review.PENDING):
        pending.mark_reviewed(by=by, review=StageChange.Review.OVERRIDDEN)
    if to_stage > plan.current_stage:
        decision = Decision.PROGRESS
    elif to_stage < plan.current_stage:
        decision = Decision.STEP_BACK
    else:
        decision = Decision.REPEAT
    change = StageChange.objects.create(
        plan=plan,
        source=StageChange.Source.THERAPIST,
        decision=decision,
        from_stage=plan.current_stage,
        to_stage=to_stage,
        reason=f"Your therapist set stage {to_stage}.",
        note=note,
        created_by=by,
        review=StageChange.Review.NOT_NEEDED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    before, plan.current_stage = snapshot(plan), to_stage
    plan.save(update_fields=["current_stage"])
    _audit_plan(plan, by, f"Therapist override to stage {to_stage}", obj=change, before=before)
    refresh_plan_flags(plan=plan)
    refresh_for_episode(episode=plan.episode, by=by)
    return change


@transaction.atomic
def close_plan(*, plan: ReturnToRunPlan, by: User, status: str, note: str) -> None:
    """End a plan as completed or stopped; a new plan can then be started for the episode."""
    if status not in (ReturnToRunPlan.Status.COMPLETED, ReturnToRunPlan.Status.STOPPED):
        raise ValueError(f"A plan cannot be closed as {status!r}.")
    before = snapshot(plan)
    plan.status = status
    plan.save(update_fields=["status"])
    _audit_plan(plan, by, f"Plan {status}: {note}", before=before)
    refresh_for_episode(episode=plan.episode, by=by)
