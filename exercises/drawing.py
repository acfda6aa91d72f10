"""What a pose spec says about a drawing as a whole: plane, view, moving joint, target, close-up.

The plane decides the view (`VIEW_FOR_PLANE`): a movement is only seen across its own plane, so
frontal and transverse movements are drawn from the front and sagittal ones from the side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from exercises.figure import (
    JOINTS,
    OPTIONAL_JOINTS,
    PLANES,
    VIEW_FOR_PLANE,
    VIEWS,
    Point,
    PoseError,
)

HIGHLIGHT = "#f5a623"
MOTION = "#d35400"
SPEC_KEYS = {"start", "end", "view", "plane", "moving", "target", "focus"}
# Parts a target can highlight, as the joints they run between (side view, front view).
PARTS: dict[str, tuple[str, str, str, str]] = {
    "torso": ("hip", "shoulder", "hip", "shoulder"),
    "head": ("neck", "head", "neck", "head"),
    **{
        f"{part}_{s}": pair
        for s in ("n", "f")
        for part, pair in (
            ("thigh", ("hip", f"knee_{s}", f"hip_{s}", f"knee_{s}")),
            ("shin", (f"knee_{s}", f"ankle_{s}", f"knee_{s}", f"ankle_{s}")),
            ("foot", (f"heel_{s}", f"toe_{s}", f"heel_{s}", f"toe_{s}")),
            ("upper_arm", ("shoulder", f"elbow_{s}", f"shoulder_{s}", f"elbow_{s}")),
            ("forearm", (f"elbow_{s}", f"wrist_{s}", f"elbow_{s}", f"wrist_{s}")),
        )
    },
}
FOCUS_MAX = 4.0


@dataclass(frozen=True)
class Target:
    part: str
    start: float = 0.0
    stop: float = 1.0


@dataclass(frozen=True)
class Drawing:
    """What a pose spec says about the drawing as a whole (not one position)."""

    view: str = "side"
    plane: str = "sagittal"
    moving: str = ""
    targets: tuple[Target, ...] = ()
    focus: str = ""
    scale: float = 1.0


@dataclass(frozen=True)
class Panel:
    """One drawn position: joints in panel coordinates plus the props placed around them."""

    joints: dict[str, Point]
    props: tuple[Mapping[str, Any], ...]
    lift: float
    air: float = 0.0
    shape: Mapping[str, float] | None = None
    base: str = "standing"
    eyes: str = ""


def _text(value: Any, name: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise PoseError(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


def _targets(value: Any) -> tuple[Target, ...]:
    if not isinstance(value, list | tuple):
        raise PoseError("target must be a list of body parts")
    out = []
    for item in value:
        entry = {"part": item} if isinstance(item, str) else item
        if not isinstance(entry, Mapping) or entry.get("part") not in PARTS:
            raise PoseError(f"unknown target {item!r}; choose from {', '.join(PARTS)}")
        start, stop = entry.get("from", 0.0), entry.get("to", 1.0)
        for bound in (start, stop):
            if isinstance(bound, bool) or not isinstance(bound, int | float) or not 0 <= bound <= 1:
                raise PoseError("a target's from and to must be numbers from 0 to 1")
        if start >= stop:
            raise PoseError("a target's from must be less than its to")
        out.append(Target(str(entry["part"]), float(start), float(stop)))
    return tuple(out)


def read_drawing(spec: Mapping[str, Any]) -> Drawing:
    """Check the spec-wide keys; a frontal or transverse movement must be drawn from the front."""
    plane = _text(spec.get("plane", "sagittal"), "plane", PLANES)
    view = _text(spec.get("view", VIEW_FOR_PLANE[plane]), "view", VIEWS)
    if view != VIEW_FOR_PLANE[plane]:
        raise PoseError(
            f"a {plane}-plane movement is drawn in a {VIEW_FOR_PLANE[plane]} view, not {view}"
        )
    moving = spec.get("moving", "")
    if moving and moving not in (*JOINTS, *OPTIONAL_JOINTS):
        raise PoseError(f"unknown moving joint {moving!r}")
    if moving and spec.get("end") is None:
        raise PoseError("a moving joint needs an end position")
    focus, scale = "", 1.0
    if "focus" in spec:
        raw = spec["focus"]
        if not isinstance(raw, Mapping) or raw.get("joint") not in (*JOINTS, *OPTIONAL_JOINTS):
            raise PoseError('focus must be {"joint": a joint, "scale": 1 to 4}')
        value = raw.get("scale", 2)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PoseError("focus scale must be a number")
        if not 1 <= value <= FOCUS_MAX:
            raise PoseError("focus scale must be from 1 to 4")
        focus, scale = str(raw["joint"]), float(value)
    return Drawing(
        view=view,
        plane=plane,
        moving=str(moving),
        targets=_targets(spec.get("target", [])),
        focus=focus,
        scale=scale,
    )


def drawing_labels(
    *, two_positions: bool, hold_seconds: int | None, reps: int | None
) -> tuple[str, ...]:
    """Panel labels that agree with the exercise's own dose, not the drawing's first owner."""
    held = bool(hold_seconds)
    if two_positions:
        return ("1 Start", "2 Hold" if held and reps else "2 End")
    return ("Hold",) if held else ("Position",)
