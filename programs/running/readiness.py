"""Readiness to start running: the plan's criteria against the latest evaluation's findings and
the therapist's ticks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps

from programs.running.models import ReturnToRunPlan
from programs.running.protocols import CriterionStatus, check_readiness, criteria_from_data

__all__ = ["evaluation_findings", "findings_from_content", "readiness_for"]


def findings_from_content(content: Any, *, side: str) -> dict[str, Decimal]:
    """Numeric findings in an evaluation's content, plus the injured side's heel raises under
    the name the readiness criteria use."""
    main = content.get("main", content) if isinstance(content, dict) else {}
    if not isinstance(main, dict):
        return {}
    findings: dict[str, Decimal] = {}
    for key, value in main.items():
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            findings[str(key)] = Decimal(str(value))
    if f"heel_raise_{side}" in findings:
        findings["single_leg_heel_raise_reps"] = findings[f"heel_raise_{side}"]
    return findings


def evaluation_findings(episode: Any) -> dict[str, Decimal]:
    """Findings from the episode's latest evaluation, keyed as readiness criteria name them.

    The assessments app may be absent or shaped differently; anything unexpected means "no
    findings", and the therapist ticks the criteria instead.
    """
    try:
        app_label, model_name = "assessments", "Note"  # optional: the app may not exist
        note_model: Any = apps.get_model(app_label, model_name)
        note = (
            note_model.objects.filter(episode=episode, kind__in=["intake", "reeval", "progress"])
            .order_by("-visit_date", "-id")
            .first()
        )
        return findings_from_content(getattr(note, "content", None), side=episode.side)
    except Exception:
        return {}


def readiness_for(plan: ReturnToRunPlan) -> list[CriterionStatus]:
    return check_readiness(
        criteria_from_data(plan.readiness_criteria),
        findings=evaluation_findings(plan.episode),
        ticked=set(plan.readiness_ticked or []),
    )
