"""The figure behind our drawings: segment lengths, base poses and forward kinematics.

A pose is a set of absolute segment directions in degrees, seen from the figure's right side
with the figure facing right: 0 points straight down, 90 points forward (to the right), 180
points up and 270 points backward. Working in absolute directions (not joint-relative angles)
makes poses easy to write by looking at a photo: "the shin points back along the floor" is 270.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

SEGMENTS: dict[str, float] = {
    "torso": 52.0,
    "neck": 8.0,
    "upper_arm": 29.0,
    "forearm": 27.0,
    "thigh": 46.0,
    "shin": 44.0,
    "foot": 15.0,
}
HEAD_RADIUS = 10.0

ANGLE_KEYS = (
    "torso",
    "head",
    "ua_n",
    "fa_n",
    "ua_f",
    "fa_f",
    "th_n",
    "sh_n",
    "ft_n",
    "th_f",
    "sh_f",
    "ft_f",
)

_STAND: dict[str, float] = {
    "torso": 180, "head": 180,
    "ua_n": 8, "fa_n": 20, "ua_f": -8, "fa_f": 4,
    "th_n": 2, "sh_n": 0, "ft_n": 90,
    "th_f": -2, "sh_f": 0, "ft_f": 90,
}  # fmt: skip

# Base poses. Every exercise pose names one of these and overrides a few angles.
BASE_POSES: dict[str, dict[str, float]] = {
    "standing": _STAND,
    "supine": {
        "torso": 270, "head": 270,
        "ua_n": 92, "fa_n": 92, "ua_f": 90, "fa_f": 90,
        "th_n": 90, "sh_n": 90, "ft_n": 170, "th_f": 90, "sh_f": 90, "ft_f": 175,
    },
    "prone": {
        "torso": 270, "head": 262,
        "ua_n": 275, "fa_n": 0, "ua_f": 272, "fa_f": 0,
        "th_n": 90, "sh_n": 90, "ft_n": 10, "th_f": 90, "sh_f": 90, "ft_f": 5,
    },
    "side_lying": {
        "torso": 270, "head": 262,
        "ua_n": 100, "fa_n": 110, "ua_f": 270, "fa_f": 320,
        "th_n": 120, "sh_n": 60, "ft_n": 150, "th_f": 120, "sh_f": 60, "ft_f": 150,
    },
    "kneeling": {
        "torso": 180, "head": 180,
        "ua_n": 8, "fa_n": 20, "ua_f": -8, "fa_f": 4,
        "th_n": 0, "sh_n": 270, "ft_n": 265, "th_f": 0, "sh_f": 270, "ft_f": 265,
    },
    "half_kneeling": {
        "torso": 180, "head": 180,
        "ua_n": 8, "fa_n": 20, "ua_f": -8, "fa_f": 4,
        "th_n": 90, "sh_n": 0, "ft_n": 90, "th_f": 0, "sh_f": 270, "ft_f": 265,
    },
    "quadruped": {
        "torso": 90, "head": 100,
        "ua_n": 0, "fa_n": 0, "ua_f": 2, "fa_f": 2,
        "th_n": 0, "sh_n": 270, "ft_n": 265, "th_f": 2, "sh_f": 270, "ft_f": 265,
    },
    "plank": {
        "torso": 95, "head": 100,
        "ua_n": 0, "fa_n": 90, "ua_f": 2, "fa_f": 90,
        "th_n": 275, "sh_n": 275, "ft_n": 20, "th_f": 275, "sh_f": 275, "ft_f": 20,
    },
    "sitting_floor": {
        "torso": 170, "head": 175,
        "ua_n": 330, "fa_n": 340, "ua_f": 325, "fa_f": 335,
        "th_n": 90, "sh_n": 90, "ft_n": 175, "th_f": 90, "sh_f": 90, "ft_f": 175,
    },
    "sitting_chair": {
        "torso": 180, "head": 180,
        "ua_n": 20, "fa_n": 80, "ua_f": 15, "fa_f": 75,
        "th_n": 90, "sh_n": 0, "ft_n": 90, "th_f": 88, "sh_f": 0, "ft_f": 90,
    },
}  # fmt: skip

PROP_KINDS = (
    "band",
    "foam_roller",
    "step",
    "box",
    "wall",
    "chair",
    "ball",
    "weights",
    "cone",
)

JOINTS = (
    "hip",
    "shoulder",
    "neck",
    "head",
    "elbow_n",
    "wrist_n",
    "elbow_f",
    "wrist_f",
    "knee_n",
    "ankle_n",
    "toe_n",
    "heel_n",
    "knee_f",
    "ankle_f",
    "toe_f",
    "heel_f",
)


class PoseError(ValueError):
    """A pose or prop spec that the renderer cannot draw."""


def _vec(angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return (math.sin(rad) * length, math.cos(rad) * length)


def resolve_angles(spec: Mapping[str, Any]) -> dict[str, float]:
    """Merge a pose spec ({"base": ..., angle overrides}) over its base pose."""
    base_name = spec.get("base", "standing")
    if not isinstance(base_name, str) or base_name not in BASE_POSES:
        raise PoseError(f"unknown base pose {base_name!r}")
    angles = dict(BASE_POSES[base_name])
    for key, value in spec.items():
        if key in ("base", "props", "lift", "air", "label"):
            continue
        if key not in ANGLE_KEYS:
            raise PoseError(f"unknown pose key {key!r}")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise PoseError(f"angle {key!r} must be a number")
        angles[key] = float(value)
    return angles


def joints_for(angles: Mapping[str, float]) -> dict[str, tuple[float, float]]:
    def add(p: tuple[float, float], angle: float, seg: str) -> tuple[float, float]:
        dx, dy = _vec(angle, SEGMENTS[seg])
        return (p[0] + dx, p[1] + dy)

    hip = (0.0, 0.0)
    shoulder = add(hip, angles["torso"], "torso")
    neck = add(shoulder, angles["head"], "neck")
    hx, hy = _vec(angles["head"], HEAD_RADIUS)
    head = (neck[0] + hx, neck[1] + hy)
    joints = {"hip": hip, "shoulder": shoulder, "neck": neck, "head": head}
    for side in ("n", "f"):
        elbow = add(shoulder, angles[f"ua_{side}"], "upper_arm")
        joints[f"elbow_{side}"] = elbow
        joints[f"wrist_{side}"] = add(elbow, angles[f"fa_{side}"], "forearm")
        knee = add(hip, angles[f"th_{side}"], "thigh")
        ankle = add(knee, angles[f"sh_{side}"], "shin")
        joints[f"knee_{side}"] = knee
        joints[f"ankle_{side}"] = ankle
        joints[f"toe_{side}"] = add(ankle, angles[f"ft_{side}"], "foot")
        bx, by = _vec(angles[f"ft_{side}"], -4.0)
        joints[f"heel_{side}"] = (ankle[0] + bx, ankle[1] + by)
    return joints
