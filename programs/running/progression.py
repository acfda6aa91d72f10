"""Pain-guided progression for return-to-running plans, as pure functions.

The rule follows the Silbernagel pain-monitoring model (Silbernagel et al. 2007) and the
"go back a step" rules of the MGH, Trials 2023 and UW Madison walk/run programs; see
docs/return_to_run.md. Every threshold is a field of ``PlanLimits`` so a therapist can change it
per plan: several of the published figures are unverified or disagree with one another.

Nothing here touches the database. Callers turn model rows into the dataclasses below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Decision",
    "MorningCheck",
    "PlanLimits",
    "Recommendation",
    "SessionReport",
    "VolumeKind",
    "recommend",
]


class Decision(StrEnum):
    PROGRESS = "progress"
    REPEAT = "repeat"
    STEP_BACK = "step_back"


class VolumeKind(StrEnum):
    """What a plan's volume is measured in: running minutes or metres run."""

    MINUTES = "minutes"
    DISTANCE = "distance"


@dataclass(frozen=True)
class PlanLimits:
    """A plan's editable thresholds. Pain values are on the 0-10 scale; a value equal to a
    ceiling is allowed, anything above it is not."""

    pain_during_max: int = 5
    pain_after_max: int = 5
    # Next-morning pain at or below this counts as "settled" (the patient's usual baseline).
    morning_pain_max: int = 2
    # Consecutive unsettled mornings that turn "repeat" into "step back" ("still elevated").
    unsettled_mornings_to_step_back: int = 2
    # Morning pain or stiffness averaged over the last 7 days may exceed the 7 days before by at
    # most this much before we call it an upward weekly trend (Silbernagel rule 3, unverified).
    weekly_morning_trend_tolerance: Decimal = Decimal("0.5")
    # Flags only (section 7.4): never a hard cap on progression.
    single_run_spike_pct: int = 10
    weekly_volume_spike_pct: int = 30
    lookback_days: int = 30


@dataclass(frozen=True)
class SessionReport:
    """One logged run session."""

    date: dt.date
    stage_number: int
    completed: bool = True
    pain_during: int = 0
    pain_after: int = 0
    limp: bool = False
    pain_built_during_run: bool = False
    run_minutes: Decimal | None = None
    distance_m: int | None = None

    def volume(self, kind: VolumeKind) -> Decimal:
        value = self.run_minutes if kind == VolumeKind.MINUTES else self.distance_m
        return Decimal(value or 0)


@dataclass(frozen=True)
class MorningCheck:
    """The next-morning check-in: pain and stiffness, 0-10."""

    date: dt.date
    pain: int
    stiffness: int = 0


@dataclass(frozen=True)
class Recommendation:
    decision: Decision
    stage_number: int  # the stage the next session should use
    rest_day: bool
    reasons: tuple[str, ...]
    successful_sessions: int = 0
    sessions_needed: int = 0
    awaiting_check_in: bool = False

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def headline(self) -> str:
        if self.decision == Decision.PROGRESS:
            return f"Move up to stage {self.stage_number}"
        if self.decision == Decision.STEP_BACK:
            return f"Rest a day, then step back to stage {self.stage_number}"
        return f"Repeat stage {self.stage_number}"


# ---------------------------------------------------------------------------------------------
# The progression rule


def _check_in_for(session: SessionReport, checks: list[MorningCheck]) -> MorningCheck | None:
    """The check-in made the morning after the session."""
    wanted = session.date + dt.timedelta(days=1)
    for check in checks:
        if check.date == wanted:
            return check
    return None


def _session_problems(session: SessionReport, limits: PlanLimits) -> list[str]:
    """Reasons, in plain words, that this session alone calls for a step back."""
    problems = []
    if session.pain_during > limits.pain_during_max:
        problems.append(
            f"Pain during the run was {session.pain_during}/10, above this plan's limit of "
            f"{limits.pain_during_max}/10."
        )
    if session.pain_after > limits.pain_after_max:
        problems.append(
            f"Pain right after the run was {session.pain_after}/10, above this plan's limit of "
            f"{limits.pain_after_max}/10."
        )
    if session.pain_built_during_run:
        problems.append("Pain kept building during the run.")
    return problems


def _settled(check: MorningCheck, limits: PlanLimits) -> bool:
    return check.pain <= limits.morning_pain_max


def _weekly_trend(checks: list[MorningCheck], limits: PlanLimits, as_of: dt.date) -> str | None:
    """A reason if morning pain or stiffness is rising week on week, else None."""
    this_week = [c for c in checks if as_of - dt.timedelta(days=6) <= c.date <= as_of]
    last_week = [
        c for c in checks if as_of - dt.timedelta(days=13) <= c.date <= as_of - dt.timedelta(days=7)
    ]
    if not this_week or not last_week:
        return None
    for label, attr in (("pain", "pain"), ("stiffness", "stiffness")):
        now = Decimal(sum(getattr(c, attr) for c in this_week)) / len(this_week)
        before = Decimal(sum(getattr(c, attr) for c in last_week)) / len(last_week)
        if now - before > limits.weekly_morning_trend_tolerance:
            return (
                f"Morning {label} is creeping up: it averaged {now:.1f}/10 this week against "
                f"{before:.1f}/10 the week before."
            )
    return None


def _is_successful(session: SessionReport, checks: list[MorningCheck], limits: PlanLimits) -> bool:
    check = _check_in_for(session, checks)
    return (
        session.completed
        and not session.limp
        and not _session_problems(session, limits)
        and check is not None
        and _settled(check, limits)
    )


def recommend(
    *,
    limits: PlanLimits,
    current_stage: int,
    stage_count: int,
    sessions_to_progress: int,
    sessions: list[SessionReport],
    checks: list[MorningCheck],
    today: dt.date,
) -> Recommendation:
    """Recommend what the next session should be.

    Only the latest session decides between step back and repeat; progress also needs
    ``sessions_to_progress`` consecutive successful sessions at the current stage (each with a
    settled next-morning check-in) and no upward weekly trend in morning pain or stiffness.
    """
    sessions = sorted(sessions, key=lambda s: s.date)
    checks = sorted(checks, key=lambda c: c.date)
    stay = current_stage
    back = max(1, current_stage - 1)
    needed = max(1, sessions_to_progress)

    at_stage = [s for s in sessions if s.stage_number == current_stage]
    if not sessions or not at_stage or sessions[-1].stage_number != current_stage:
        return Recommendation(
            Decision.REPEAT,
            stay,
            rest_day=False,
            reasons=(f"No session logged at stage {current_stage} yet: start with it.",),
            sessions_needed=needed,
        )

    latest = sessions[-1]
    problems = _session_problems(latest, limits)
    if problems:
        where = f"Step back to stage {back}" if back < current_stage else "Stay at stage 1"
        return Recommendation(
            Decision.STEP_BACK,
            back,
            rest_day=True,
            reasons=(*problems, f"{where} and rest a day before the next run."),
            sessions_needed=needed,
        )

    # Consecutive mornings that did not settle, latest first: "still elevated" means a step back.
    unsettled_run = 0
    for session in reversed(sessions):
        check = _check_in_for(session, checks)
        if check is None or _settled(check, limits):
            break
        unsettled_run += 1
    latest_check = _check_in_for(latest, checks)
    if latest_check is not None and unsettled_run >= limits.unsettled_mornings_to_step_back:
        return Recommendation(
            Decision.STEP_BACK,
            back,
            rest_day=True,
            reasons=(
                f"Morning pain has not settled after {unsettled_run} runs in a row "
                f"(latest {latest_check.pain}/10; settled means {limits.morning_pain_max}/10 "
                "or less).",
                f"Step back to stage {back} and rest a day before the next run."
                if back < current_stage
                else "Stay at stage 1 and rest a day before the next run.",
            ),
            sessions_needed=needed,
        )

    hold_reasons: list[str] = []
    awaiting = False
    if not latest.completed:
        hold_reasons.append(f"The stage {current_stage} session was not completed as prescribed.")
    if latest.limp:
        hold_reasons.append("You noticed a limp or a change in how you ran.")
    if latest_check is None:
        if today <= latest.date + dt.timedelta(days=1):
            awaiting = True
            hold_reasons.append(
                f"Waiting for the check-in on the morning after the {latest.date:%d %b} run: "
                "pain must settle by then before you move up."
            )
        else:
            hold_reasons.append(
                f"No check-in was made on the morning after the {latest.date:%d %b} run, so we "
                "cannot tell whether pain settled."
            )
    elif not _settled(latest_check, limits):
        hold_reasons.append(
            f"Next-morning pain was {latest_check.pain}/10, above the settled level of "
            f"{limits.morning_pain_max}/10."
        )
    trend = _weekly_trend(checks, limits, as_of=today)
    if trend:
        hold_reasons.append(trend)

    successes = 0
    for session in reversed(sessions):
        if session.stage_number != current_stage or not _is_successful(session, checks, limits):
            break
        successes += 1

    if hold_reasons:
        return Recommendation(
            Decision.REPEAT,
            stay,
            rest_day=False,
            reasons=(*hold_reasons, f"Repeat stage {current_stage}."),
            successful_sessions=successes,
            sessions_needed=needed,
            awaiting_check_in=awaiting,
        )

    if successes < needed:
        return Recommendation(
            Decision.REPEAT,
            stay,
            rest_day=False,
            reasons=(
                f"Pain stayed within limits and settled by the next morning: {successes} of "
                f"{needed} successful sessions at stage {current_stage}.",
                f"Repeat stage {current_stage} once more before moving up."
                if needed - successes == 1
                else f"Repeat stage {current_stage} {needed - successes} more times before "
                "moving up.",
            ),
            successful_sessions=successes,
            sessions_needed=needed,
        )

    if current_stage >= stage_count:
        return Recommendation(
            Decision.PROGRESS,
            current_stage,
            rest_day=False,
            reasons=(
                f"{successes} successful sessions at the final stage with pain within limits: "
                "the plan is complete. Your therapist will set the next running goals.",
            ),
            successful_sessions=successes,
            sessions_needed=needed,
        )
    return Recommendation(
        Decision.PROGRESS,
        current_stage + 1,
        rest_day=False,
        reasons=(
            f"{successes} successful sessions at stage {current_stage}: pain stayed within "
            "limits during and after each run and settled by the next morning.",
            f"Move up to stage {current_stage + 1}.",
        ),
        successful_sessions=successes,
        sessions_needed=needed,
    )
