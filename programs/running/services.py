"""Workflows for return-to-running protocols and plans (gait retraining: `gait_services`).

Plain functions with keyword-only arguments that take the acting user explicitly. Each write
records an audit event with ``record_event(user=...)``; views record the reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

# The home part's "today in the clinic's time zone"; the running views call it through here.
from programs.documents.services import refresh_for_episode
from programs.home.services import clinic_today
from programs.running.models import (
    MorningCheckIn,
    PlanStage,
    Protocol,
    ProtocolStage,
    ReturnToRunPlan,
    SessionLog,
    StageChange,
)
from programs.running.progression import (
    Decision,
    Recommendation,
    recommend,
)
from programs.running.protocols import (
    PROTOCOLS,
    CriterionTemplate,
    ProtocolTemplate,
)
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

STAGE_FIELDS = [
    "number",
    "run_minutes",
    "walk_minutes",
    "repeats",
    "warm_up_minutes",
    "cool_down_minutes",
    "run_m",
    "walk_m",
    "rpe",
    "sessions_per_week",
    "rest_days_between",
    "sessions_to_progress",
    "note",
]
LIMIT_FIELDS = [
    "pain_during_max",
    "pain_after_max",
    "morning_pain_max",
    "unsettled_mornings_to_step_back",
    "weekly_morning_trend_tolerance",
    "single_run_spike_pct",
    "weekly_volume_spike_pct",
    "lookback_days",
]


# ---------------------------------------------------------------------------------------------
# Protocols


def _criteria_data(criteria: tuple[CriterionTemplate, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "text": c.text,
            "finding": c.finding,
            "at_least": str(c.at_least) if c.at_least is not None else None,
            "at_most": str(c.at_most) if c.at_most is not None else None,
        }
        for c in criteria
    ]


def criteria_from_data(data: list[dict[str, Any]]) -> list[CriterionTemplate]:
    result = []
    for row in data or []:
        at_least = row.get("at_least")
        at_most = row.get("at_most")
        result.append(
            CriterionTemplate(
                code=str(row.get("code", "")),
                text=str(row.get("text", "")),
                finding=str(row.get("finding") or ""),
                at_least=Decimal(str(at_least)) if at_least not in (None, "") else None,
                at_most=Decimal(str(at_most)) if at_most not in (None, "") else None,
            )
        )
    return result


@transaction.atomic
def seed_protocols(*, clinic: Any, templates: tuple[ProtocolTemplate, ...] = PROTOCOLS) -> None:
    """Give a clinic its editable copies of the published protocols (idempotent by key)."""
    for template in templates:
        if Protocol.objects.filter(clinic=clinic, key=template.key).exists():
            continue
        protocol = Protocol.objects.create(
            clinic=clinic,
            key=template.key,
            name=template.name,
            kind=template.kind,
            description=template.description,
            source=template.source,
            pain_during_max=template.pain_during_max,
            pain_after_max=template.pain_after_max,
            morning_pain_max=template.morning_pain_max,
            readiness_criteria=_criteria_data(template.criteria),
        )
        ProtocolStage.objects.bulk_create(
            ProtocolStage(protocol=protocol, number=i, **_stage_template_values(stage))
            for i, stage in enumerate(template.stages, start=1)
        )


def _stage_template_values(stage: Any) -> dict[str, Any]:
    return {name: getattr(stage, name) for name in STAGE_FIELDS if name != "number"}


@transaction.atomic
def update_protocol(
    *, protocol: Protocol, by: Any, values: dict[str, Any], stages: list[dict[str, Any]]
) -> Protocol:
    for name, value in values.items():
        setattr(protocol, name, value)
    protocol.save()
    if stages:
        _replace_stages(ProtocolStage, "protocol", protocol, stages)
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=protocol, clinic=protocol.clinic)
    return protocol


def _replace_stages(
    model: Any, parent_field: str, parent: Any, stages: list[dict[str, Any]]
) -> None:
    model.objects.filter(**{parent_field: parent}).delete()
    model.objects.bulk_create(
        model(
            **{parent_field: parent},
            **{k: v for k, v in stage.items() if k in STAGE_FIELDS and k != "number"},
            number=i,
        )
        for i, stage in enumerate(stages, start=1)
    )


# ---------------------------------------------------------------------------------------------
# Plans


@transaction.atomic
def create_plan(
    *,
    episode: Any,
    protocol: Protocol,
    by: Any,
    started_on: dt.date | None = None,
) -> ReturnToRunPlan:
    """A plan for one episode, copied from a protocol; the copy is the therapist's to change."""
    plan = ReturnToRunPlan.objects.create(
        episode=episode,
        protocol=protocol,
        name=protocol.name,
        kind=protocol.kind,
        pain_during_max=protocol.pain_during_max,
        pain_after_max=protocol.pain_after_max,
        morning_pain_max=protocol.morning_pain_max,
        readiness_criteria=protocol.readiness_criteria,
        started_on=started_on or clinic_today(episode.patient.clinic),
        created_by=by,
    )
    PlanStage.objects.bulk_create(
        PlanStage(plan=plan, **{name: getattr(stage, name) for name in STAGE_FIELDS})
        for stage in protocol.stages.all()
    )
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=episode.patient,
        obj=plan,
        detail=f"From protocol {protocol.name}",
    )
    refresh_for_episode(episode=episode, by=by)
    return plan


@transaction.atomic
def customise_plan(
    *,
    plan: ReturnToRunPlan,
    by: Any,
    limits: dict[str, Any],
    stages: list[dict[str, Any]],
) -> ReturnToRunPlan:
    """Replace a plan's limits and stages with the therapist's version."""
    for name in LIMIT_FIELDS:
        if name in limits:
            setattr(plan, name, limits[name])
    if stages:
        _replace_stages(PlanStage, "plan", plan, stages)
        plan.current_stage = min(plan.current_stage, len(stages))
    plan.save()
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=plan,
        detail="Limits and stages customised",
    )
    refresh_for_episode(episode=plan.episode, by=by)
    return plan


@transaction.atomic
def set_readiness(*, plan: ReturnToRunPlan, by: Any, ticked: list[str]) -> None:
    known = {c.code for c in criteria_from_data(plan.readiness_criteria)}
    plan.readiness_ticked = sorted(set(ticked) & known)
    plan.save(update_fields=["readiness_ticked"])
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=plan,
        detail="Readiness criteria ticked: " + (", ".join(plan.readiness_ticked) or "none"),
    )


def recommendation_for(plan: ReturnToRunPlan, *, today: dt.date | None = None) -> Recommendation:
    today = today or clinic_today(plan.episode.patient.clinic)
    stages = list(plan.stages.all())
    stage = next((s for s in stages if s.number == plan.current_stage), None)
    return recommend(
        limits=plan.limits(),
        current_stage=plan.current_stage,
        stage_count=len(stages),
        sessions_to_progress=stage.sessions_to_progress if stage else 2,
        sessions=[log.as_report() for log in plan.logs.all()],
        checks=[c.as_check() for c in plan.check_ins.all()],
        today=today,
    )


def apply_rule(
    *, plan: ReturnToRunPlan, by: Any, today: dt.date | None = None
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
        session_log=latest,
        created_by=by,
    )
    plan.current_stage = recommendation.stage_number
    plan.save(update_fields=["current_stage"])
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=change,
        detail=f"Rule: {recommendation.headline}",
    )
    refresh_for_episode(episode=plan.episode, by=by)
    return change


@transaction.atomic
def log_session(
    *, plan: ReturnToRunPlan, by: Any, values: dict[str, Any], today: dt.date | None = None
) -> SessionLog:
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    log = SessionLog.objects.create(plan=plan, logged_by=by, **values)
    record_event(user=by, action=AuditEvent.Action.CREATE, patient=plan.episode.patient, obj=log)
    apply_rule(plan=plan, by=by, today=today)
    return log


@transaction.atomic
def record_check_in(
    *, plan: ReturnToRunPlan, by: Any, values: dict[str, Any], today: dt.date | None = None
) -> MorningCheckIn:
    plan = ReturnToRunPlan.objects.select_for_update().get(pk=plan.pk)
    check_in = MorningCheckIn.objects.create(plan=plan, logged_by=by, **values)
    record_event(
        user=by, action=AuditEvent.Action.CREATE, patient=plan.episode.patient, obj=check_in
    )
    apply_rule(plan=plan, by=by, today=today)
    return check_in


@transaction.atomic
def confirm_change(*, change: StageChange, by: Any) -> None:
    change.mark_reviewed(by=by, review=StageChange.Review.CONFIRMED)
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=change.plan.episode.patient,
        obj=change,
        detail="Therapist confirmed the rule's stage change",
    )


@transaction.atomic
def override_stage(*, plan: ReturnToRunPlan, by: Any, to_stage: int, note: str) -> StageChange:
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
    plan.current_stage = to_stage
    plan.save(update_fields=["current_stage"])
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=change,
        detail=f"Therapist override to stage {to_stage}",
    )
    refresh_for_episode(episode=plan.episode, by=by)
    return change


@transaction.atomic
def close_plan(*, plan: ReturnToRunPlan, by: Any, status: str, note: str) -> None:
    """End a plan as completed or stopped; a new plan can then be started for the episode."""
    if status not in (ReturnToRunPlan.Status.COMPLETED, ReturnToRunPlan.Status.STOPPED):
        raise ValueError(f"A plan cannot be closed as {status!r}.")
    plan.status = status
    plan.save(update_fields=["status"])
    record_event(
        user=by,
        action=AuditEvent.Action.CHANGE,
        patient=plan.episode.patient,
        obj=plan,
        detail=f"Plan {status}: {note}"[:500],
    )
    refresh_for_episode(episode=plan.episode, by=by)
