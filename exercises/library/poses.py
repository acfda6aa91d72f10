"""Reusable positions for the seed library, written as overrides of the renderer's base poses.

Angles are absolute directions (0 down, 90 forward, 180 up, 270 back); see
exercises/illustration.py. Small builders keep each exercise's pose to one readable line.
"""

from __future__ import annotations

from typing import Any

ARMS_FRONT = {"ua_n": 90, "fa_n": 90, "ua_f": 88, "fa_f": 88}
ARMS_UP = {"ua_n": 175, "fa_n": 178, "ua_f": 172, "fa_f": 176}
HANDS_HIPS = {"ua_n": 340, "fa_n": 60, "ua_f": 335, "fa_f": 55}
HANDS_CHEST = {"ua_n": 20, "fa_n": 150, "ua_f": 15, "fa_f": 145}

# Front-view positions (directions in the picture plane: 90 = toward the picture's right).
FRONT_HANDS_HIPS = {"ua_n": 28, "fa_n": 330, "ua_f": -28, "fa_f": 30}
# Side-lying clamshell seen from the front: hips and knees bent, thighs toward the viewer.
CLAM_CLOSED = {"th_n": 95, "sh_n": 85, "th_f": 95, "sh_f": 85,
               "depth": {"th_n": 0.7, "sh_n": 0.7, "th_f": 0.7, "sh_f": 0.7}}  # fmt: skip
CLAM_OPEN = {"th_n": 140, "sh_n": 57, "th_f": 95, "sh_f": 85,
             "depth": {"th_n": 0.75, "th_f": 0.7, "sh_f": 0.7}}  # fmt: skip
# Side-lying on a roller under the outer thigh, on the forearm, top foot planted in front.
SIDE_ROLL = {"torso": 268, "head": 262, "th_f": 89, "sh_f": 89, "ft_f": 179,
             "th_n": 70, "sh_n": 0, "ft_n": 90, "ua_n": 90, "fa_n": 60,
             "depth": {"sh_n": 0.7}}  # fmt: skip


def pose(base: str = "standing", *props: dict[str, Any], **angles: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"base": base, **angles}
    if props:
        spec["props"] = list(props)
    return spec


def spec(
    start: dict[str, Any], end: dict[str, Any] | None = None, **drawing: Any
) -> dict[str, Any]:
    """A drawing: start (and end) position plus drawing-wide keys such as focus or view."""
    return {"start": start, "end": end, **drawing}


def close_up(joint: str, scale: float = 2.0) -> dict[str, Any]:
    """A close-up around one joint, for small movements (foot, ankle, pelvis)."""
    return {"joint": joint, "scale": scale}


def hold(start: dict[str, Any], **drawing: Any) -> dict[str, Any]:
    return {"start": start, "end": None, **drawing}


def band(a: str | list[float], b: str | list[float], color: str = "red") -> dict[str, Any]:
    return {"kind": "band", "from": a, "to": b, "color": color}


def roller(under: str, toward: str | None = None, t: float = 0.5) -> dict[str, Any]:
    prop: dict[str, Any] = {"kind": "foam_roller", "under": under}
    if toward:
        prop.update(toward=toward, t=t)
    return prop


def prop(kind: str, **options: Any) -> dict[str, Any]:
    return {"kind": kind, **options}


def front(*items: Any, **angles: Any) -> dict[str, Any]:
    """A position for a front view: directions in the picture plane, 90 = picture right.

    The first item may name the base position (standing when left out); the rest are props.
    """
    if items and isinstance(items[0], str):
        return pose(items[0], *items[1:], **angles)
    return pose("standing", *items, **angles)


def rope(phase: str = "under") -> dict[str, Any]:
    return {"kind": "rope", "phase": phase}


def towel(gather: float = 0.0) -> dict[str, Any]:
    return {"kind": "towel", "under": "toe_n", "gather": gather}


def stand(*props: dict[str, Any], **angles: Any) -> dict[str, Any]:
    return pose("standing", *props, **angles)


def squat(depth: float = 75, *props: dict[str, Any], **angles: float) -> dict[str, Any]:
    """Two-legged squat; depth is the thigh direction (90 = thighs level)."""
    base = {
        "torso": 180 - depth * 0.4,
        "th_n": depth,
        "sh_n": -depth * 0.35,
        "th_f": depth - 2,
        "sh_f": -depth * 0.35 - 2,
    }
    return pose("standing", *props, **{**base, **angles})


def single_leg(*props: dict[str, Any], **angles: Any) -> dict[str, Any]:
    """Standing on the near leg, far knee lifted in front."""
    return pose("standing", *props, **{"th_f": 70, "sh_f": 0, "ft_f": 80, **angles})


def lunge(*props: dict[str, Any], **angles: float) -> dict[str, Any]:
    """Split stance lowered: near leg in front, far knee near the floor."""
    base = {"th_n": 80, "sh_n": 2, "th_f": 345, "sh_f": 280, "ft_f": 330, "torso": 182}
    return pose("standing", *props, **{**base, **angles})


def split_stance(*props: dict[str, Any], **angles: float) -> dict[str, Any]:
    base = {"th_n": 25, "sh_n": 5, "th_f": 340, "sh_f": 330, "ft_f": 60}
    return pose("standing", *props, **{**base, **angles})


def heel_raise(*props: dict[str, Any], **angles: float) -> dict[str, Any]:
    return pose("standing", *props, **{"ft_n": 40, "ft_f": 40, **angles})


def bridge(up: bool, *props: dict[str, Any], **angles: float) -> dict[str, Any]:
    base = {"th_n": 140, "sh_n": 10, "ft_n": 95, "th_f": 138, "sh_f": 8, "ft_f": 95}
    if up:
        base = {"torso": 300, "head": 280, "th_n": 105, "sh_n": 0, "ft_n": 95, "th_f": 103,
                "sh_f": 0, "ft_f": 95, "ua_n": 120, "fa_n": 95, "ua_f": 118,
                "fa_f": 95}  # fmt: skip
    return pose("supine", *props, **{**base, **angles})


def run_pose(phase: int, *props: dict[str, Any], **angles: float) -> dict[str, Any]:
    """Running figure: phase 0 = near leg driving forward, 1 = the opposite."""
    if phase == 0:
        base = {"torso": 175, "th_n": 70, "sh_n": 345, "ft_n": 80, "th_f": 330, "sh_f": 300,
                "ft_f": 10, "ua_n": 320, "fa_n": 60, "ua_f": 30, "fa_f": 120}  # fmt: skip
    else:
        base = {"torso": 175, "th_f": 70, "sh_f": 345, "ft_f": 80, "th_n": 330, "sh_n": 300,
                "ft_n": 10, "ua_f": 320, "fa_f": 60, "ua_n": 30, "fa_n": 120}  # fmt: skip
    return pose("standing", *props, **{**base, **angles})
