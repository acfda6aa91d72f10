"""Pain-guided progression for return-to-running plans, as pure functions.

The rule is DOMAIN.md section 7.3: the Silbernagel pain-monitoring model (Silbernagel et al. 2007)
and the "go back a step" rules of the MGH, Trials 2023 and UW Madison walk/run programs; the table
is in docs/return_to_run.md. Every threshold is a field of ``PlanLimits`` so a therapist can change
it per plan: several of the published figures are unverified or disagree with one another.

The rule judges the runner, not the stage label: pain, limp and swelling count whatever stage a
log names, while only runs at the current stage count towards moving up, once per calendar day.

Nothing here touches the database. Callers turn model rows into the dataclasses below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby

from programs.running.signs import (
    MorningCheck,
    PlanLimits,
    SessionReport,
    Sign,
    Swelling,
    VolumeKind,
    morning_signs,
    not_settled_words,
    session_signs,
    settled,
    weekly_trend,
)

__all__ = [
    "Decision",
    "MorningCheck",
    "PlanLimits",
    "Recommendation",
    "SessionReport",
    "Swelling",
    "VolumeKind",
    "morning_signs",
    "recommend",
    "session_signs",
]


class Decision(StrEnum):
    PROGRESS = "progress"
    REPEAT = "repeat"
    STEP_BACK = "step_back"


@dataclass(frozen=True)
class Recommendation:
    decision: Decision
    stage_number: int  # the stage the next session should use
    rest_day: bool
    reasons: tuple[str, ...]  # for the runner
    successful_sessions: int = 0
    sessions_needed: int = 0
    awaiting_check_in: bool = False
    clinical: tuple[str, ...] = ()  # for the therapist
    stop_sign: bool = False

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def clinical_reason(self) -> str:
        return " ".join(self.clinical or self.reasons)

    @property
    def headline(self) -> str:
        if self.decision == Decision.PROGRESS:
            return f"Move up to stage {self.stage_number}"
        if self.decision == Decision.STEP_BACK:
            return f"Rest a day, then step back to stage {self.stage_number}"
        return f"Repeat stage {self.stage_number}"


# ---------------------------------------------------------------------------------------------
# The progression rule


@dataclass(frozen=True)
class _Day:
    """The runs of one calendar day and the check-in the morning after."""

    date: dt.date
    sessions: tuple[SessionReport, ...]
    check: MorningCheck | None
    previous_check: MorningCheck | None


def _days(sessions: list[SessionReport], checks: list[MorningCheck]) -> list[_Day]:
    by_date = {c.date: c for c in checks}
    days = []
    for date, group in groupby(sessions, key=lambda s: s.date):
        check = by_date.get(date + dt.timedelta(days=1))
        previous = None
        if check is not None:
            previous = next((c for c in reversed(checks) if c.date < check.date), None)
        days.append(_Day(date, tuple(group), check, previous))
    return days


def _step_back(signs: list[Sign], *, current: int, needed: int, stop: bool) -> Recommendation:
    back = max(1, current - 1)
    where = f"Step back to stage {back}" if back < current else "Stay at stage 1"
    return Recommendation(
        Decision.STEP_BACK,
        back,
        rest_day=True,
        reasons=(*(s.runner for s in signs), f"{where} and rest a day before the next run."),
        sessions_needed=needed,
        clinical=(*(s.clinical for s in signs), f"Regress to stage {back}; rest 24 h."),
        stop_sign=stop,
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
    """Recommend what the next session should be (the table in docs/return_to_run.md).

    The latest day's runs and the morning after them decide between step back and hold; moving
    up also needs ``sessions_to_progress`` successful days in a row at the current stage.
    """
    sessions = sorted(sessions, key=lambda s: s.date)
    checks = sorted(checks, key=lambda c: c.date)
    needed = max(1, sessions_to_progress)
    if not sessions:
        return Recommendation(
            Decision.REPEAT,
            current_stage,
            rest_day=False,
            reasons=(f"No session logged at stage {current_stage} yet: start with it.",),
            sessions_needed=needed,
            clinical=(f"No session logged yet; start at stage {current_stage}.",),
        )
    days = _days(sessions, checks)
    latest = days[-1]

    # Step back: any sign in the latest day's runs or the morning after, whatever the stage.
    signs = [sign for s in latest.sessions for sign in session_signs(s, limits)]
    if latest.check is not None:
        signs += morning_signs(latest.check, limits)
    if signs:
        return _step_back(
            signs, current=current_stage, needed=needed, stop=any(s.stop for s in signs)
        )

    unsettled = 0
    for day in reversed(days):
        if day.check is None or settled(day.check, day.previous_check, limits):
            break
        unsettled += 1
    if latest.check is not None and unsettled >= limits.unsettled_mornings_to_step_back:
        morning = not_settled_words(latest.check, latest.previous_check, limits)
        return _step_back(
            [
                Sign(
                    f"Your mornings have not settled after {unsettled} runs in a row. "
                    + morning.runner,
                    f"{unsettled} consecutive unsettled mornings (limit "
                    f"{limits.unsettled_mornings_to_step_back}). " + morning.clinical,
                )
            ],
            current=current_stage,
            needed=needed,
            stop=False,
        )

    holds: list[Sign] = []
    awaiting = False
    off_stage = sorted({s.stage_number for s in latest.sessions if s.stage_number != current_stage})
    if off_stage:
        holds.append(
            Sign(
                f"Your last run was logged at stage {off_stage[0]}; the plan is at stage "
                f"{current_stage}.",
                f"Latest session logged at stage {off_stage[0]}, plan at stage {current_stage}: "
                "not counted towards progression.",
            )
        )
    if not all(s.completed for s in latest.sessions):
        holds.append(
            Sign(
                f"The stage {current_stage} session was not completed as prescribed.",
                "Session not completed as prescribed.",
            )
        )
    if latest.check is None:
        if today <= latest.date + dt.timedelta(days=1):
            awaiting = True
            holds.append(
                Sign(
                    f"Waiting for the check-in on the morning after the {latest.date:%d %b} "
                    "run: pain must settle by then before you move up.",
                    f"Awaiting next-morning check-in for {latest.date:%d %b}.",
                )
            )
        else:
            holds.append(
                Sign(
                    f"No check-in was made on the morning after the {latest.date:%d %b} run, so "
                    "we cannot tell whether pain settled. Please check in after every run.",
                    f"Next-morning check-in missing for {latest.date:%d %b}: response unknown.",
                )
            )
    elif not settled(latest.check, latest.previous_check, limits):
        holds.append(not_settled_words(latest.check, latest.previous_check, limits))
    trend = weekly_trend(checks, limits, as_of=today)
    if trend:
        holds.append(trend)

    successes = 0
    for day in reversed(days):
        good = (
            day.check is not None
            and settled(day.check, day.previous_check, limits)
            and all(
                s.stage_number == current_stage and s.completed and not session_signs(s, limits)
                for s in day.sessions
            )
        )
        if not good:
            break
        successes += 1

    def hold(runner: str, clinical: str) -> Recommendation:
        return Recommendation(
            Decision.REPEAT,
            current_stage,
            rest_day=False,
            reasons=(*(h.runner for h in holds), runner),
            successful_sessions=successes,
            sessions_needed=needed,
            awaiting_check_in=awaiting,
            clinical=(*(h.clinical for h in holds), clinical),
        )

    if holds:
        return hold(f"Repeat stage {current_stage}.", f"Hold at stage {current_stage}.")
    if successes < needed:
        more = needed - successes
        return hold(
            f"Pain stayed within limits and settled by the next morning: {successes} of "
            f"{needed} successful sessions at stage {current_stage}. "
            + (
                f"Repeat stage {current_stage} once more before moving up."
                if more == 1
                else f"Repeat stage {current_stage} {more} more times before moving up."
            ),
            f"{successes}/{needed} criterion sessions at stage {current_stage} (one per day); "
            "hold.",
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
            clinical=(
                f"{successes}/{needed} criterion sessions at the final stage: plan complete.",
            ),
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
        clinical=(
            f"{successes}/{needed} criterion sessions at stage {current_stage} (pain within "
            "ceilings, settled next morning, no gait change or swelling): progress to stage "
            f"{current_stage + 1}.",
        ),
    )
