"""How a dose is worded, the one wording the portal and the printed PDF share: `describe_dosage`,
of a `Dosage` (`dosage_from_item` reads one from a published snapshot item). Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Dosage", "describe_dosage", "dosage_from_item"]


@dataclass(frozen=True)
class Dosage:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None
    load: str = ""
    tempo: str = ""
    side: str = ""  # each / left / right / both
    times_per_day: int | None = None
    days_per_week: int | None = None


def _whole(value: Any) -> int | None:
    return (
        int(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and value
        else None
    )


def dosage_from_item(item: dict[str, Any]) -> Dosage:
    """The dose of one item of a published snapshot (what the portal and the PDF both read)."""
    return Dosage(
        sets=_whole(item.get("sets")),
        reps=_whole(item.get("reps")),
        hold_seconds=_whole(item.get("hold_seconds")),
        rest_seconds=_whole(item.get("rest_seconds")),
        load=str(item.get("load") or ""),
        tempo=str(item.get("tempo") or ""),
        side=str(item.get("side") or ""),
        times_per_day=_whole(item.get("times_per_day")),
        days_per_week=_whole(item.get("days_per_week")),
    )


_TIMES = {1: "once", 2: "twice"}
_SIDES = {"each": "each side", "left": "left side", "right": "right side"}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _count(seconds // 60, "minute", "minutes")
    return _count(seconds, "second", "seconds")


def _frequency(times_per_day: int | None, days_per_week: int | None) -> list[str]:
    parts = []
    if times_per_day:
        parts.append(f"{_TIMES.get(times_per_day, f'{times_per_day} times')} a day")
    if days_per_week:
        if days_per_week >= 7:
            parts.append("every day")
        elif days_per_week == 1:
            parts.append("once a week")
        else:
            parts.append(f"{days_per_week} days a week")
    return parts


def describe_dosage(dosage: Dosage) -> str:
    """The dose as a patient would say it: "3 sets of 15, twice a day, every day"."""
    sets, reps, hold = dosage.sets, dosage.reps, dosage.hold_seconds
    if reps and sets:
        core = f"{_count(sets, 'set', 'sets')} of {reps}"
    elif reps:
        core = _count(reps, "repetition", "repetitions")
    elif hold and sets and sets > 1:
        core = f"{sets} holds of {_duration(hold)}"
    elif hold:
        core = f"Hold for {_duration(hold)}"
    elif sets:
        core = _count(sets, "set", "sets")
    else:
        core = ""
    if core and reps and hold:
        core += f", holding each for {_duration(hold)}"
    if core and dosage.side in _SIDES:
        core += f" ({_SIDES[dosage.side]})"
    if core and dosage.load.strip():
        core += f" with {dosage.load.strip()}"
    parts = [core] if core else []
    parts += _frequency(dosage.times_per_day, dosage.days_per_week)
    text = ", ".join(parts)
    extras = []
    if dosage.rest_seconds:
        extras.append(f"rest {_duration(dosage.rest_seconds)} between sets")
    if dosage.tempo.strip():
        extras.append(f"tempo {dosage.tempo.strip()}")
    if extras:
        text = f"{text}; {'; '.join(extras)}" if text else "; ".join(extras).capitalize()
    return text[:1].upper() + text[1:] if text else "As shown by your therapist"
