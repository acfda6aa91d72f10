"""Readiness to start running: the plan's criteria against the latest evaluation's findings and
the therapist's ticks."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from assessments.content import latest_findings
from programs.running.models import ReturnToRunPlan
from programs.running.protocols import CriterionStatus, check_readiness, criteria_from_data

if TYPE_CHECKING:
    from patients.models import Episode

__all__ = ["evaluation_findings", "readiness_for"]


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
