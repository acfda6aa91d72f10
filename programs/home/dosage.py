"""How a dose is worded: the one patient wording the portal and the printed PDF share
(`describe_dosage`), and the therapist's shorthand for the clinic's own copy
(`shorthand_dosage`). `dosage_from_item` reads a `Dosage` from a published snapshot item, with
the side the exercise's own steps name ("lower the painful side"). Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Dosage",
    "DoseWords",
    "HoldTimer",
    "describe_dosage",
    "dosage_from_item",
    "dose_words",
    "hold_timer",
    "named_side",
    "shorthand_dosage",
    "tempo_words",
]


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
    # The side the exercise's steps work, in their words ("painful leg"), or empty.
    named_side: str = ""


def _whole(value: Any) -> int | None:
    return (
        int(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and value
        else None
    )


_NAMED_SIDE = re.compile(
    r"\b(painful|injured|affected|sore|weaker|operated)(?: side)?\s+"
    r"(side|leg|foot|knee|hip|ankle|heel)\b",
    re.IGNORECASE,
)


def named_side(instructions: Iterable[str]) -> str:
    """ "painful leg" when a step says "shift onto the painful leg": the dose must not then say
    "each side" beside it."""
    for step in instructions:
        found = _NAMED_SIDE.search(str(step))
        if found:
            noun = found.group(2).lower()
            return f"{found.group(1).lower()} {'side' if noun == 'heel' else noun}"
    return ""


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
        named_side=named_side(item.get("instructions") or []),
    )


_TIMES = {1: "once", 2: "twice"}
_SIDES = {"each": "each side", "left": "left side", "right": "right side"}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _count(seconds // 60, "minute", "minutes")
    return _count(seconds, "second", "seconds")


def _times(times_per_day: int | None) -> str:
    return f"{_TIMES.get(times_per_day, f'{times_per_day} times')} a day" if times_per_day else ""


def _days(days_per_week: int | None) -> str:
    if not days_per_week:
        return ""
    if days_per_week >= 7:
        return "every day"
    if days_per_week == 1:
        return "once a week"
    return f"{days_per_week} days a week"


# Lowering, pause at the bottom, lifting, pause at the top; "x" is as fast as you can.
_TEMPO = re.compile(r"^\s*(\d{1,2}|x)(?:\s*[-:/.]\s*(\d{1,2}|x)){2,3}\s*$", re.IGNORECASE)


def tempo_words(tempo: str) -> str:
    """ "2-0-2" as "slowly: 2 seconds down, 2 seconds up"; free text is kept as the pace."""
    text = tempo.strip()
    if not text:
        return ""
    if not _TEMPO.match(text):
        return f"at this pace: {text}"
    phases = [p.lower() for p in re.split(r"\s*[-:/.]\s*", text)]
    down, bottom, up = phases[:3]
    top = phases[3] if len(phases) > 3 else "0"
    words = []
    words.append("down fast" if down == "x" else f"{_count(int(down), 'second', 'seconds')} down")
    if bottom not in ("0", "x"):
        words.append(f"pause {_count(int(bottom), 'second', 'seconds')}")
    words.append("up fast" if up == "x" else f"{_count(int(up), 'second', 'seconds')} up")
    if top not in ("0", "x"):
        words.append(f"pause {_count(int(top), 'second', 'seconds')} at the top")
    slow = any(phase.isdigit() and int(phase) >= 2 for phase in (down, up))
    return f"{'slowly' if slow else 'steadily'}: {', '.join(words)}"


def _side(dosage: Dosage) -> str:
    if dosage.named_side and dosage.side in ("each", "both", ""):
        return dosage.named_side
    return _SIDES.get(dosage.side, "")


@dataclass(frozen=True)
class DoseWords:
    """The parts of one patient wording; `describe_dosage` joins them, the printed summary sheet
    shows `amount_and_times` and `days` in their own columns."""

    amount: str  # "3 sets of 15 (each side) with a red band"
    times: str  # "twice a day"
    days: str  # "every day"
    extras: tuple[str, ...]  # "rest 1 minute between sets", "slowly: 2 seconds down, ..."

    @property
    def amount_and_times(self) -> str:
        text = ", ".join(part for part in (self.amount, self.times) if part)
        return text[:1].upper() + text[1:]


def dose_words(dosage: Dosage) -> DoseWords:
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
    side = _side(dosage)
    if core and side:
        core += f" ({side})"
    if core and dosage.load.strip():
        core += f" with {dosage.load.strip()}"
    extras = []
    if dosage.rest_seconds:
        extras.append(f"rest {_duration(dosage.rest_seconds)} between sets")
    if dosage.tempo.strip():
        extras.append(tempo_words(dosage.tempo))
    return DoseWords(core, _times(dosage.times_per_day), _days(dosage.days_per_week), tuple(extras))


def describe_dosage(dosage: Dosage) -> str:
    """The dose as a patient would say it: "3 sets of 15, twice a day, every day"."""
    words = dose_words(dosage)
    text = ", ".join(part for part in (words.amount, words.times, words.days) if part)
    if words.extras:
        text = f"{text}; {'; '.join(words.extras)}" if text else "; ".join(words.extras)
    return text[:1].upper() + text[1:] if text else "As shown by your therapist"


_SHORT_SIDES = {"each": "ea", "left": "L", "right": "R"}


def shorthand_dosage(dosage: Dosage) -> str:
    """The therapist's shorthand of the same dose, for the clinic's copy: "3x15 ea, 2x/d, 7/wk,
    tempo 2-0-2, rest 60 s, red band". Never shown to the patient."""
    sets, reps, hold = dosage.sets, dosage.reps, dosage.hold_seconds
    core = ""
    if sets and reps:
        core = f"{sets}x{reps}"
    elif reps:
        core = f"{reps} reps"
    elif sets and hold:
        core = f"{sets}x{hold} s"
    elif hold:
        core = f"{hold} s hold"
    elif sets:
        core = f"{sets} sets"
    if core and reps and hold:
        core += f" ({hold} s hold)"
    if core and dosage.side in _SHORT_SIDES:
        core += f" {_SHORT_SIDES[dosage.side]}"
    parts = [core] if core else []
    if dosage.times_per_day:
        parts.append(f"{dosage.times_per_day}x/d")
    if dosage.days_per_week:
        parts.append(f"{dosage.days_per_week}/wk")
    if dosage.tempo.strip():
        parts.append(f"tempo {dosage.tempo.strip()}")
    if dosage.rest_seconds:
        parts.append(f"rest {dosage.rest_seconds} s")
    if dosage.load.strip():
        parts.append(dosage.load.strip())
    return ", ".join(parts) or "as shown"


# The hold timer's pauses where the prescription names none (a therapist's 0 rest is kept): long
# enough to let go and breathe, short enough that the next hold follows while the tissue is warm.
DEFAULT_REST_SECONDS = 30
SWITCH_SIDE_SECONDS = 5
RELAX_BETWEEN_HOLDS_SECONDS = 3
GET_READY_SECONDS = 5


@dataclass(frozen=True)
class HoldTimer:
    """What the portal's hold timer runs for one item: `sets` sets of `holds` holds of
    `hold_seconds`, each side in `sides` in turn (empty: one side, or both together)."""

    sets: int
    holds: int
    hold_seconds: int
    rest_seconds: int
    sides: tuple[str, ...]
    switch_seconds: int = SWITCH_SIDE_SECONDS
    relax_seconds: int = RELAX_BETWEEN_HOLDS_SECONDS
    ready_seconds: int = GET_READY_SECONDS


def hold_timer(item: dict[str, Any]) -> HoldTimer | None:
    """The timer for a published snapshot item with a hold time, else None. "Each side" runs the
    left then the right; a side the steps name ("painful leg") is one side, as the dose says."""
    dosage = dosage_from_item(item)
    if not dosage.hold_seconds:
        return None
    rest = item.get("rest_seconds")
    if not isinstance(rest, int) or isinstance(rest, bool) or rest < 0:
        rest = DEFAULT_REST_SECONDS
    if dosage.side == "each" and not dosage.named_side:
        sides: tuple[str, ...] = ("left", "right")
    elif dosage.side in ("left", "right"):
        sides = (dosage.side,)
    else:
        sides = ()
    return HoldTimer(
        sets=dosage.sets or 1,
        holds=dosage.reps or 1,
        hold_seconds=dosage.hold_seconds,
        rest_seconds=rest,
        sides=sides,
    )
