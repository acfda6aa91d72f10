"""CarePlans: the home program as last given (its latest published version) and each
return-to-run plan the runner was given, one activity per exercise, modality or stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from programs.home.dosage import describe_dosage, dosage_from_item
from programs.home.models import HomeProgram, ProgramVersion
from programs.running.models import ReturnToRunPlan
from programs.running.wording import stage_summary
from rehab_clinic.fhir.codes import reference, resource_id

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

PLAN_STATUS = {
    ReturnToRunPlan.Status.DRAFT: "draft",
    ReturnToRunPlan.Status.ACTIVE: "active",
    ReturnToRunPlan.Status.PAUSED: "on-hold",
    ReturnToRunPlan.Status.COMPLETED: "completed",
    ReturnToRunPlan.Status.STOPPED: "revoked",
}


def _activity(text: str, status: str, description: str) -> dict[str, Any]:
    return {"detail": {"code": {"text": text}, "status": status, "description": description}}


def home_program_plan(
    program: HomeProgram,
    version: ProgramVersion,
    *,
    clinic_id: int,
    patient: dict[str, Any],
    condition: dict[str, Any],
    episode_active: bool,
) -> dict[str, Any]:
    status = "in-progress" if episode_active else "completed"
    activities = []
    for item in version.items:
        name = str(item.get("name") or "Exercise")
        dose = describe_dosage(dosage_from_item(item))
        activities.append(_activity(name, status, f"{name}: {dose}" if dose else name))
    for modality in version.modalities:
        name = str(modality.get("name") or "Modality")
        said = modality.get("home_instructions") or modality.get("instructions") or ""
        activities.append(_activity(name, status, f"{name}: {said}" if said else name))
    snapshot = version.snapshot
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": resource_id(clinic_id, "CarePlan", f"home-{program.pk}"),
        "status": "active" if episode_active else "completed",
        "intent": "plan",
        "category": [{"text": "Home exercise program"}],
        "title": str(snapshot.get("title") or program.title),
        "subject": reference(patient),
        "period": {"start": version.published_at.date().isoformat()},
        "created": version.published_at.isoformat(),
        "addresses": [reference(condition)],
        "activity": activities,
    }
    if snapshot.get("note_to_patient"):
        resource["description"] = str(snapshot["note_to_patient"])
    return resource


def _stage_status(plan: ReturnToRunPlan, number: int) -> str:
    if plan.status == ReturnToRunPlan.Status.COMPLETED or number < plan.current_stage:
        return "completed"
    if number > plan.current_stage:
        return "cancelled" if plan.status == ReturnToRunPlan.Status.STOPPED else "not-started"
    return {
        ReturnToRunPlan.Status.ACTIVE: "in-progress",
        ReturnToRunPlan.Status.PAUSED: "on-hold",
        ReturnToRunPlan.Status.STOPPED: "stopped",
    }.get(ReturnToRunPlan.Status(plan.status), "not-started")


def run_plan(
    plan: ReturnToRunPlan,
    *,
    clinic: Clinic,
    patient: dict[str, Any],
    condition: dict[str, Any],
) -> dict[str, Any]:
    stages = sorted(plan.stages.all(), key=lambda stage: stage.number)
    return {
        "resourceType": "CarePlan",
        "id": resource_id(clinic.pk, "CarePlan", f"run-{plan.pk}"),
        "status": PLAN_STATUS[ReturnToRunPlan.Status(plan.status)],
        "intent": "plan",
        "category": [{"text": "Return-to-run plan"}],
        "title": plan.name,
        "subject": reference(patient),
        "period": {"start": plan.started_on.isoformat()},
        "created": plan.created_at.isoformat(),
        "addresses": [reference(condition)],
        "activity": [
            _activity(
                f"Stage {stage.number}",
                _stage_status(plan, stage.number),
                f"Stage {stage.number}: {stage_summary(stage, plan.kind, clinic)}",
            )
            for stage in stages
        ],
    }


def care_plans(
    programs: list[HomeProgram],
    versions: dict[int, ProgramVersion],
    plans: list[ReturnToRunPlan],
    *,
    clinic: Clinic,
    patient: dict[str, Any],
    conditions: dict[int, dict[str, Any]],
    active_episodes: set[int],
) -> list[dict[str, Any]]:
    found = []
    for program in programs:
        version = versions.get(program.pk)  # the version each program is at now
        if version is None:
            continue  # never given to the patient
        found.append(
            home_program_plan(
                program,
                version,
                clinic_id=clinic.pk,
                patient=patient,
                condition=conditions[program.episode_id],
                episode_active=program.episode_id in active_episodes,
            )
        )
    found += [
        run_plan(plan, clinic=clinic, patient=patient, condition=conditions[plan.episode_id])
        for plan in plans
    ]
    return found
