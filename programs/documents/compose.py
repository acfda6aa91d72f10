"""Build the printed sheet (`programs.documents.sheet.ProgramSheet`) from a published version.

Everything about exercises and modalities comes from the version's frozen snapshot, so the PDF
shows exactly what was published even if the library changes later. The return-to-run table, the
pain rules and the gait card come from the patient's live plans (`rtr_sections`), and are left out
when the episode has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from programs.documents.fetcher import media_url
from programs.documents.sheet import (
    ClinicHeading,
    ExerciseCard,
    GaitCueCard,
    HomeModality,
    PainRules,
    ProgramSheet,
    RunPlanTable,
    RunStageRow,
)
from programs.home.dosage import dosage_from_item
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.models import ReturnToRunPlan
from programs.running.wording import contact_line, stage_summary

if TYPE_CHECKING:
    from patients.models import Episode
    from programs.home.models import ProgramVersion
    from rehab_clinic.accounts.models import Clinic

__all__ = [
    "NEXT_STAGES",
    "gait_feedback_words",
    "portal_url",
    "rtr_sections",
    "sheet_from_version",
]

# The current stage and this many after it: enough to see where the plan goes, short on paper.
NEXT_STAGES = 3


def _card(item: dict[str, Any]) -> ExerciseCard:
    return ExerciseCard(
        name=str(item.get("name", "")),
        category=str(item.get("category_label") or item.get("category") or ""),
        instructions=[str(step) for step in item.get("instructions") or []],
        cues=[str(cue) for cue in item.get("cues") or []],
        illustration_svg=str(item.get("illustration_svg") or ""),
        dosage=dosage_from_item(item),
        patient_note=str(item.get("note") or ""),
    )


def _modality(entry: dict[str, Any]) -> HomeModality:
    general = str(entry.get("home_instructions") or "")
    own = str(entry.get("instructions") or "")
    return HomeModality(
        name=str(entry.get("name", "")),
        instructions=general or own,
        patient_note=own if general else "",
        precautions=[str(p) for p in entry.get("precautions") or []],
    )


def _logo_url(clinic: Clinic) -> str:
    # Read through the storage API by the fetcher, so a logo in a bucket prints as one on disk.
    return media_url(str(clinic.logo.name)) if clinic.logo else ""


def portal_url() -> str:
    base = str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("programs:portal_program")


def sheet_from_version(version: ProgramVersion) -> ProgramSheet:
    """`version` with `program__episode__patient__clinic` and `published_by` loaded."""
    episode = version.program.episode
    patient = episode.patient
    clinic = patient.clinic
    snapshot = version.snapshot or {}
    zone = clinic.zone
    therapist = version.published_by
    return ProgramSheet(
        clinic=ClinicHeading(
            name=clinic.name,
            address=clinic.address,
            phone=clinic.phone,
            email=clinic.email,
            website=clinic.website,
            logo_url=_logo_url(clinic),
            paper_size=clinic.paper_size,
        ),
        patient_name=patient.full_name,
        therapist_name=therapist.full_name if therapist else "",
        therapist_contact=therapist.email if therapist else "",
        issued_on=version.published_at.astimezone(zone).date(),
        title=str(snapshot.get("title") or "Your home exercise program"),
        intro=str(snapshot.get("note_to_patient") or ""),
        condition=episode.label,
        version_label=f"version {version.number}",
        exercises=[_card(item) for item in snapshot.get("items", [])],
        modalities=[_modality(entry) for entry in snapshot.get("modalities", [])],
        portal_url=portal_url(),
        large_print=bool(version.program.large_print),
        **rtr_sections(episode),
    )


# --- Return-to-run and gait sections ---------------------------------------------------------


def _effort(rpe: int) -> str:
    word = "easy" if rpe <= 3 else "moderate" if rpe <= 5 else "hard"
    return f"{word.capitalize()} (effort {rpe} of 10)"


def _per_week(stage: Any) -> str:
    rest = stage.rest_days_between
    rest_text = f", {rest} rest day{'s' if rest != 1 else ''} between" if rest else ""
    return f"{stage.sessions_per_week} a week{rest_text}"


def _run_plan(plan: ReturnToRunPlan, clinic: Clinic) -> RunPlanTable:
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
    """The run plan's own limits: the handout's lights are worded from what the rule uses."""
    clinic = plan.episode.patient.clinic
    return PainRules(
        green_max=plan.pain_during_max,
        amber_max=plan.pain_during_max,
        run_limits=plan.limits(),
        contact=contact_line(clinic.name, clinic.phone),
    )


# How each kind of feedback is used on a run, in the runner's words (the model's labels, such as
# "Metronome (beats per minute)", are the therapist's).
_FEEDBACK: dict[str, str] = {
    GaitRetrainingPrescription.Cue.METRONOME: (
        "Run to a metronome app set to {spm} beats a minute: one step on each beat."
    ),
    GaitRetrainingPrescription.Cue.MIRROR: (
        "On a treadmill, watch yourself in a mirror and match the cues above."
    ),
    GaitRetrainingPrescription.Cue.WEARABLE: (
        "Set your watch or phone to show your steps per minute and keep near {spm}."
    ),
    GaitRetrainingPrescription.Cue.VERBAL: "Say the cues above to yourself as you run.",
}


def gait_feedback_words(cue_type: str, target_spm: int) -> str:
    return _FEEDBACK.get(str(cue_type), "").format(spm=target_spm)


def rtr_sections(episode: Episode) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    plan = (
        ReturnToRunPlan.objects.filter(episode=episode, status=ReturnToRunPlan.Status.ACTIVE)
        .select_related("episode__patient__clinic")
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
            note=gait_feedback_words(gait.cue_type, gait.target_cadence),
        )
    return sections
