"""Readiness to start running: the plan's criteria against the latest evaluation's findings and
the therapist's ticks."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assessments.content import latest_findings
from programs.running.models import ReturnToRunPlan
from programs.running.protocols import CriterionStatus, check_readiness, criteria_from_data

if TYPE_CHECKING:
    from patients.models import Episode

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


def evaluation_findings(episode: Episode) -> dict[str, Decimal]:
    """Findings of the episode's latest signed evaluation (heel raises, hop LSIs, ...), keyed as
    readiness criteria name them: assessments owns the note's shape, so it answers."""
    return latest_findings(episode)


def readiness_for(plan: ReturnToRunPlan) -> list[CriterionStatus]:
    return check_readiness(
        criteria_from_data(plan.readiness_criteria),
        findings=evaluation_findings(plan.episode),
        ticked=set(plan.readiness_ticked or []),
    )
