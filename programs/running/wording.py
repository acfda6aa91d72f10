"""How return-to-run stages and logs are put into words, numbers and player segments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rehab_clinic.accounts.units import format_distance

__all__ = ["player_segments", "stage_summary"]


def _minutes(value: Decimal | int) -> str:
    value = Decimal(value)
    text = f"{value.normalize():f}"
    return f"{text} min"


def stage_summary(stage: Any, kind: str, clinic: Any) -> str:
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
