"""Gait retraining arithmetic, as pure functions (DOMAIN.md section 6).

Heiderscheit et al. 2011 found +5% and +10% step rate reduced joint loading; Willy et al. 2016
used +7.5%. Faded feedback over 8-18 sessions did best in the Davis et al. 2020 review, and
Willy, Scholz & Davis 2012 removed feedback progressively over the last 4 of 8 sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "RECOMMENDED_INCREASE_PCT",
    "Feedback",
    "PlannedSession",
    "cadence_target",
    "fading_schedule",
    "increase_warning",
]

# The range the cadence studies tested; outside it we warn, we do not refuse.
RECOMMENDED_INCREASE_PCT = (Decimal(5), Decimal(10))


class Feedback(StrEnum):
    CONTINUOUS = "continuous"
    INTERMITTENT = "intermittent"
    NONE = "none"


def cadence_target(baseline_spm: int, increase_pct: Decimal | float | int) -> int:
    """Target step rate (steps/min) for a percentage increase over baseline, rounded half up."""
    if baseline_spm <= 0:
        raise ValueError("Baseline cadence must be positive.")
    pct = Decimal(str(increase_pct))
    target = Decimal(baseline_spm) * (Decimal(100) + pct) / Decimal(100)
    return int(target.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def increase_warning(increase_pct: Decimal | float | int) -> str | None:
    """A plain-words warning when the increase falls outside the studied 5-10% range."""
    pct = Decimal(str(increase_pct))
    low, high = RECOMMENDED_INCREASE_PCT
    if pct < low:
        return f"An increase below {low}% was not shown to change joint loading."
    if pct > high:
        return f"Increases above {high}% were not studied; runners may find them hard to hold."
    return None


@dataclass(frozen=True)
class PlannedSession:
    number: int
    feedback: Feedback
    minutes: int


def fading_schedule(
    *,
    sessions: int = 8,
    start_minutes: int = 15,
    end_minutes: int = 30,
    intermittent_share: Decimal = Decimal("0.25"),
    none_share: Decimal = Decimal("0.25"),
) -> list[PlannedSession]:
    """Sessions with feedback that fades from continuous to intermittent to none.

    By default the first half get continuous feedback, the next quarter intermittent and the last
    quarter none, while minutes build evenly from ``start_minutes`` to ``end_minutes``.
    """
    if sessions < 1:
        raise ValueError("A schedule needs at least one session.")
    none_count = int((Decimal(sessions) * none_share).quantize(Decimal(1), ROUND_HALF_UP))
    intermittent_count = int(
        (Decimal(sessions) * intermittent_share).quantize(Decimal(1), ROUND_HALF_UP)
    )
    continuous_count = max(1, sessions - none_count - intermittent_count)
    intermittent_count = max(0, sessions - continuous_count - none_count)
    none_count = sessions - continuous_count - intermittent_count

    plan = []
    for index in range(sessions):
        if index < continuous_count:
            feedback = Feedback.CONTINUOUS
        elif index < continuous_count + intermittent_count:
            feedback = Feedback.INTERMITTENT
        else:
            feedback = Feedback.NONE
        if sessions == 1:
            minutes = start_minutes
        else:
            step = Decimal(end_minutes - start_minutes) * index / (sessions - 1)
            minutes = int((Decimal(start_minutes) + step).quantize(Decimal(1), ROUND_HALF_UP))
        plan.append(PlannedSession(index + 1, feedback, minutes))
    return plan
