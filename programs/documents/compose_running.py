"""Optional sections of the printed program from the patient's return-to-run and gait plans.

Returns keyword arguments for `ProgramSheet` (`run_plan`, `pain_rules`, `gait`); an empty dict
when the episode has no active plan, so those sections are simply left out of the PDF.
"""

from typing import Any

from programs.documents.pdf import GaitCueCard, PainRules, RunPlanTable, RunStageRow
from programs.running.models import GaitRetrainingPrescription, ReturnToRunPlan
from programs.running.wording import stage_summary

__all__ = ["NEXT_STAGES", "rtr_sections"]

# The current stage and this many after it: enough to see where the plan goes, short on paper.
NEXT_STAGES = 3


def _effort(rpe: int) -> str:
    word = "easy" if rpe <= 3 else "moderate" if rpe <= 5 else "hard"
    return f"{word.capitalize()} (effort {rpe} of 10)"


def _per_week(stage: Any) -> str:
    rest = stage.rest_days_between
    rest_text = f", {rest} rest day{'s' if rest != 1 else ''} between" if rest else ""
    return f"{stage.sessions_per_week} a week{rest_text}"


def _run_plan(plan: ReturnToRunPlan, clinic: Any) -> RunPlanTable:
    stages = [s for s in plan.stages.all() if s.number >= plan.current_stage]
    rows = [
        RunStageRow(
            number=stage.number,
            session=stage_summary(stage, plan.kind, clinic),
            per_week=_per_week(stage),
            effort=_effort(stage.rpe),
            is_current=stage.number == plan.current_stage,
        )
        for stage in stages[: NEXT_STAGES + 1]
    ]
    return RunPlanTable(name=plan.name, stages=rows)


def _pain_rules(plan: ReturnToRunPlan) -> PainRules:
    amber = plan.pain_during_max
    green = min(plan.morning_pain_max, max(amber - 1, 0))
    return PainRules(green_max=green, amber_max=amber)


def rtr_sections(episode: Any) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    plan = (
        ReturnToRunPlan.objects.filter(episode=episode, status=ReturnToRunPlan.Status.ACTIVE)
        .prefetch_related("stages")
        .order_by("-created_at")
        .first()
    )
    if plan is not None:
        sections["run_plan"] = _run_plan(plan, episode.patient.clinic)
        sections["pain_rules"] = _pain_rules(plan)
    gait = (
        GaitRetrainingPrescription.objects.filter(episode=episode, is_active=True)
        .order_by("-created_at")
        .first()
    )
    if gait is not None:
        sections["gait"] = GaitCueCard(
            target_spm=gait.target_cadence,
            baseline_spm=gait.baseline_cadence,
            cues=gait.cue_lines,
            note=f"Feedback: {gait.get_cue_type_display()}.",
        )
    return sections
