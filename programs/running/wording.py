"""How return-to-run stages and logs are put into words, numbers and player segments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from programs.running.progression import PlanLimits
from rehab_clinic.accounts.units import HasDistanceUnit, format_distance

__all__ = [
    "Light",
    "contact_line",
    "pain_range",
    "player_segments",
    "stage_summary",
    "traffic_light",
]


def contact_line(name: str, phone: str) -> str:
    """What a runner with a stop sign reads, on the page and on paper."""
    return (
        f"Stop running and contact {name}: {phone}" if phone else f"Stop running and contact {name}"
    )


def pain_range(low: int, high: int) -> str:
    """'0 to 3 out of 10', or '3 out of 10' when the range is one value."""
    return f"{low} out of 10" if low >= high else f"{low} to {high} out of 10"


@dataclass(frozen=True)
class Light:
    """One light of the pain traffic light, with the values it covers (for checking it against
    the rule): pain during and after the run up to `run_max`, next-morning pain up to
    `morning_max`; None means "above the previous light"."""

    colour: str  # green / amber / red (also the CSS class)
    label: str
    pain: str
    advice: str
    run_max: int | None = None
    morning_max: int | None = None


def traffic_light(limits: PlanLimits, *, contact: str = "") -> list[Light]:
    """The runner's traffic light, worded from the same limits the progression rule uses, so the
    paper and the rule cannot disagree: green moves up, amber repeats, red steps back."""
    during, after = limits.pain_during_max, limits.pain_after_max
    settled, jump = limits.morning_pain_max, limits.morning_step_back_above
    if during == after:
        run_words = f"during and right after the run {pain_range(0, during)}"
        over = f"more than {during} out of 10 during or right after the run"
    else:
        run_words = f"during the run {pain_range(0, during)}, right after it {pain_range(0, after)}"
        over = f"more than {during} out of 10 during or more than {after} right after the run"
    amber_morning = (
        f"next morning {pain_range(settled + 1, jump)}, or stiffer than the morning before"
        if jump > settled
        else "next morning stiffer than the morning before"
    )
    stop = contact or "Stop running and contact the clinic"
    return [
        Light(
            "green",
            "Go",
            f"{run_words}, and next morning {pain_range(0, settled)}",
            "Carry on as planned: each run like this counts towards moving up a stage.",
            run_max=max(during, after),
            morning_max=settled,
        ),
        Light(
            "amber",
            "Caution",
            amber_morning,
            "Not settled yet: repeat this stage and do not move up. If it happens after "
            f"{limits.unsettled_mornings_to_step_back} runs in a row, go back a stage.",
            run_max=max(during, after),
            morning_max=jump,
        ),
        Light(
            "red",
            "Stop",
            f"{over}, more than {jump} out of 10 next morning, a limp, or swelling",
            f"Rest a day and go back a stage. {stop}.",
        ),
    ]


def _minutes(value: Decimal | int) -> str:
    value = Decimal(value)
    text = f"{value.normalize():f}"
    return f"{text} min"


def stage_summary(stage: Any, kind: str, clinic: HasDistanceUnit) -> str:
    """One line a runner can follow, e.g. 'Walk 5 min, then 5 x (run 1 min, walk 5 min)...'."""
    if stage is None:
        return ""
    if kind == "distance":
        parts = []
        if stage.run_m:
            parts.append(f"run {format_distance(stage.run_m, clinic, places=2)}")
        if stage.walk_m:
            parts.append(f"walk {format_distance(stage.walk_m, clinic, places=2)}")
        body = ", then ".join(parts) or "rest"
        return body[0].upper() + body[1:]
    pieces = []
    if stage.warm_up_minutes:
        pieces.append(f"Walk {stage.warm_up_minutes} min to warm up")
    if stage.walk_minutes and stage.run_minutes:
        interval = f"run {_minutes(stage.run_minutes)}, walk {_minutes(stage.walk_minutes)}"
        repeated = f"{stage.repeats} × ({interval})"  # noqa: RUF001 - the sign runners read
        pieces.append(repeated if stage.repeats > 1 else interval)
    elif stage.run_minutes:
        total = stage.run_minutes * stage.repeats
        pieces.append(f"run {_minutes(total)} continuously")
    if stage.cool_down_minutes:
        pieces.append(f"walk {stage.cool_down_minutes} min to cool down")
    text = ", then ".join(pieces)
    return text[0].upper() + text[1:] if text else ""


def player_segments(stage: Any) -> list[dict[str, Any]]:
    """The timed segments of a time-based stage, for the run-session player."""
    segments: list[dict[str, Any]] = []

    def add(kind: str, minutes: Decimal | int, label: str, spoken: str) -> None:
        seconds = int(Decimal(minutes) * 60)
        if seconds > 0:
            segments.append({"kind": kind, "seconds": seconds, "label": label, "spoken": spoken})

    add(
        "walk",
        stage.warm_up_minutes,
        "Warm-up walk",
        f"Warm up: walk for {stage.warm_up_minutes} minutes.",
    )
    run = _minutes(stage.run_minutes)
    walk = _minutes(stage.walk_minutes)
    for i in range(1, stage.repeats + 1):
        suffix = f" {i} of {stage.repeats}" if stage.repeats > 1 else ""
        add(
            "run",
            stage.run_minutes,
            f"Run{suffix}",
            f"Run now, for {run.replace('min', 'minutes')}.",
        )
        add(
            "walk",
            stage.walk_minutes,
            f"Walk{suffix}",
            f"Walk now, for {walk.replace('min', 'minutes')}.",
        )
    add(
        "walk",
        stage.cool_down_minutes,
        "Cool-down walk",
        f"Cool down: walk for {stage.cool_down_minutes} minutes.",
    )
    return segments
