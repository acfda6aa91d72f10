"""What a runner reports (a run, a morning check-in), a plan's limits, and the signs in them that
the progression rule acts on: pure values, no database (docs/return_to_run.md).

Each sign carries plain words for the runner, clinical words for the therapist, and whether it
is a stop sign (stop running and contact the clinic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "MorningCheck",
    "PlanLimits",
    "SessionReport",
    "Sign",
    "Swelling",
    "VolumeKind",
    "morning_signs",
    "not_settled_words",
    "session_signs",
    "settled",
    "weekly_trend",
]


class VolumeKind(StrEnum):
    """What a plan's volume is measured in: running minutes or metres run."""

    MINUTES = "minutes"
    DISTANCE = "distance"


class Swelling(StrEnum):
    NONE = "none"
    MILD = "mild"
    MARKED = "marked"


@dataclass(frozen=True)
class PlanLimits:
    """A plan's editable thresholds. Pain values are on the 0-10 scale; a value equal to a
    limit is allowed, anything above it is not."""

    pain_during_max: int = 5
    pain_after_max: int = 5
    # Next-morning pain at or below this counts as "settled" (the patient's usual baseline).
    morning_pain_max: int = 2
    # A morning this many points or fewer above the settled level only holds the stage; more
    # is a jump "well above baseline" and steps back at once, even once (DOMAIN 7.3).
    morning_jump_points: int = 2
    # Morning stiffness up by more than this on the previous check-in is "not settled".
    stiffness_rise_max: int = 1
    # Consecutive unsettled mornings that turn "repeat" into "step back" ("still elevated").
    unsettled_mornings_to_step_back: int = 2
    # Morning pain or stiffness averaged over the last 7 days may exceed the 7 days before by at
    # most this much before we call it an upward weekly trend (Silbernagel rule 3, unverified).
    weekly_morning_trend_tolerance: Decimal = Decimal("0.5")
    # Flags only (section 7.4): never a hard cap on progression.
    single_run_spike_pct: int = 10
    weekly_volume_spike_pct: int = 30
    lookback_days: int = 30

    @property
    def morning_step_back_above(self) -> int:
        """Next-morning pain above this steps back at once."""
        return self.morning_pain_max + self.morning_jump_points


@dataclass(frozen=True)
class SessionReport:
    """One logged run session, with what its stage prescribed (for the load flags)."""

    date: dt.date
    stage_number: int
    completed: bool = True
    pain_during: int = 0
    pain_after: int = 0
    limp: bool = False
    pain_built_during_run: bool = False
    swelling: str = Swelling.NONE
    run_minutes: Decimal | None = None
    distance_m: int | None = None
    prescribed_minutes: Decimal | None = None
    prescribed_m: int | None = None
    notes: str = ""

    def logged_volume(self, kind: VolumeKind) -> Decimal | None:
        value = self.run_minutes if kind == VolumeKind.MINUTES else self.distance_m
        return None if value is None else Decimal(value)

    def prescribed_volume(self, kind: VolumeKind) -> Decimal | None:
        value = self.prescribed_minutes if kind == VolumeKind.MINUTES else self.prescribed_m
        return None if value is None else Decimal(value)

    def volume(self, kind: VolumeKind) -> Decimal:
        """What was run; a session completed as prescribed without a volume counts as the
        prescription (nobody types minutes they were told to run)."""
        logged = self.logged_volume(kind)
        if logged is not None:
            return logged
        if self.completed:
            return self.prescribed_volume(kind) or Decimal(0)
        return Decimal(0)


@dataclass(frozen=True)
class MorningCheck:
    """The next-morning check-in: pain and stiffness, 0-10."""

    date: dt.date
    pain: int
    stiffness: int = 0
    notes: str = ""


@dataclass(frozen=True)
class Sign:
    """One reason the rule acts: plain words for the runner, clinical words for the therapist.
    A stop sign also tells the runner to stop running and contact the clinic."""

    runner: str
    clinical: str
    stop: bool = False


def session_signs(session: SessionReport, limits: PlanLimits) -> list[Sign]:
    """What in this run alone calls for a step back, whatever stage it was logged at."""
    signs = []
    if session.pain_during > limits.pain_during_max:
        signs.append(
            Sign(
                f"Pain during the run was {session.pain_during}/10, above this plan's limit of "
                f"{limits.pain_during_max}/10.",
                f"NRS during run {session.pain_during}/10 > ceiling {limits.pain_during_max}/10.",
                stop=True,
            )
        )
    if session.pain_after > limits.pain_after_max:
        signs.append(
            Sign(
                f"Pain right after the run was {session.pain_after}/10, above this plan's limit "
                f"of {limits.pain_after_max}/10.",
                f"NRS post-run {session.pain_after}/10 > ceiling {limits.pain_after_max}/10.",
                stop=True,
            )
        )
    if session.limp:
        signs.append(
            Sign(
                "You limped or your running changed.",
                "Antalgic or altered gait reported (MGH: regress on limp).",
                stop=True,
            )
        )
    if session.swelling != Swelling.NONE:
        signs.append(
            Sign(
                f"You noticed {session.swelling} swelling.",
                f"{str(session.swelling).capitalize()} swelling reported (MGH, Trials 2023: "
                "regress on swelling).",
                stop=True,
            )
        )
    if session.pain_built_during_run:
        signs.append(
            Sign(
                "Pain kept building during the run.",
                "Pain escalated during the session (UW Madison: regress if pain builds).",
            )
        )
    return signs


def morning_signs(check: MorningCheck, limits: PlanLimits) -> list[Sign]:
    """A next-morning jump well above the settled level: a step back even once."""
    if check.pain > limits.morning_step_back_above:
        return [
            Sign(
                f"Pain the next morning was {check.pain}/10, well above your settled level of "
                f"{limits.morning_pain_max}/10.",
                f"Next-morning NRS {check.pain}/10 > settled {limits.morning_pain_max}/10 + "
                f"{limits.morning_jump_points} (jump limit).",
                stop=True,
            )
        ]
    return []


def settled(check: MorningCheck, previous: MorningCheck | None, limits: PlanLimits) -> bool:
    if check.pain > limits.morning_pain_max:
        return False
    return previous is None or check.stiffness - previous.stiffness <= limits.stiffness_rise_max


def not_settled_words(
    check: MorningCheck, previous: MorningCheck | None, limits: PlanLimits
) -> Sign:
    if check.pain > limits.morning_pain_max:
        return Sign(
            f"Next-morning pain was {check.pain}/10, above the settled level of "
            f"{limits.morning_pain_max}/10.",
            f"Next-morning NRS {check.pain}/10 > settled {limits.morning_pain_max}/10.",
        )
    before = previous.stiffness if previous else 0
    return Sign(
        f"Morning stiffness rose from {before}/10 to {check.stiffness}/10.",
        f"Morning stiffness {before} -> {check.stiffness}/10, rise > "
        f"{limits.stiffness_rise_max} (not settled).",
    )


def weekly_trend(checks: list[MorningCheck], limits: PlanLimits, as_of: dt.date) -> Sign | None:
    this_week = [c for c in checks if as_of - dt.timedelta(days=6) <= c.date <= as_of]
    last_week = [
        c for c in checks if as_of - dt.timedelta(days=13) <= c.date <= as_of - dt.timedelta(days=7)
    ]
    if not this_week or not last_week:
        return None
    for label in ("pain", "stiffness"):
        now = Decimal(sum(getattr(c, label) for c in this_week)) / len(this_week)
        before = Decimal(sum(getattr(c, label) for c in last_week)) / len(last_week)
        if now - before > limits.weekly_morning_trend_tolerance:
            return Sign(
                f"Morning {label} is creeping up: it averaged {now:.1f}/10 this week against "
                f"{before:.1f}/10 the week before.",
                f"Weekly mean morning {label} {before:.1f} -> {now:.1f}/10 (tolerance "
                f"{limits.weekly_morning_trend_tolerance}).",
            )
    return None
