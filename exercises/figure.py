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
# Optional angles: the toes bend at the ball of the foot only where a pose says so (toe work).
TOE_KEYS = ("tt_n", "tt_f")
# Pose keys that are not angles: shape of the spine and arch, pelvis tilt in a front view,
# eyes, foreshortening of segments that point toward the viewer.
SHAPE_KEYS = ("spine", "arch_n", "arch_f", "pelvis")
VIEWS = ("side", "front")
PLANES = ("sagittal", "frontal", "transverse")
# The view each plane of movement is drawn in: a movement is seen only across its own plane.
VIEW_FOR_PLANE = {"sagittal": "side", "frontal": "front", "transverse": "front"}
HIP_HALF = 10.0
SHOULDER_HALF = 15.0
FRONT_FOOT = 9.0
TOE_LENGTH = 6.0

_STAND: dict[str, float] = {
    "torso": 180, "head": 180,
    "ua_n": 8, "fa_n": 20, "ua_f": -8, "fa_f": 4,
    "th_n": 2, "sh_n": 0, "ft_n": 90,
    "th_f": -2, "sh_f": 0, "ft_f": 90,
}  # fmt: skip

# Base poses. Every exercise pose names one of these and overrides a few angles.
# In a side view directions are seen from the figure's right side, facing right.
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

_FRONT_STAND: dict[str, float] = {
    "torso": 180, "head": 180,
    "ua_n": 12, "fa_n": 6, "ua_f": -12, "fa_f": -6,
    "th_n": 4, "sh_n": 0, "ft_n": 90,
    "th_f": -4, "sh_f": 0, "ft_f": 270,
}  # fmt: skip

# In a front view directions are in the picture plane, the figure facing the viewer: 0 down,
# 90 toward the picture's right (the figure's left side, "n"), 180 up, 270 toward the left.
# Side-lying, side plank and quadruped are seen from the front (the viewer faces the chest, or
# the back of a figure on all fours), so sideways movements read across the page.
FRONT_POSES: dict[str, dict[str, float]] = {
    "standing": _FRONT_STAND,
    "side_lying": {
        "torso": 270, "head": 270,
        "ua_n": 95, "fa_n": 95, "ua_f": 260, "fa_f": 200,
        "th_n": 90, "sh_n": 90, "ft_n": 180, "th_f": 90, "sh_f": 90, "ft_f": 180,
    },
    "side_plank": {
        "torso": 252, "head": 252,
        "ua_n": 80, "fa_n": 80, "ua_f": 0, "fa_f": 270,
        "th_n": 72, "sh_n": 72, "ft_n": 162, "th_f": 72, "sh_f": 72, "ft_f": 162,
    },
    "quadruped": {
        "torso": 180, "head": 180,
        "ua_n": 2, "fa_n": 0, "ua_f": -2, "fa_f": 0,
        "th_n": 0, "sh_n": 0, "ft_n": 90, "th_f": 0, "sh_f": 0, "ft_f": 270,
    },
    "sitting_chair": {
        "torso": 180, "head": 180,
        "ua_n": 20, "fa_n": 5, "ua_f": -20, "fa_f": -5,
        "th_n": 0, "sh_n": 0, "ft_n": 90, "th_f": 0, "sh_f": 0, "ft_f": 270,
    },
}  # fmt: skip
# Segments that point toward the viewer in a front base pose are drawn shorter.
FRONT_DEPTH: dict[str, dict[str, float]] = {
    "quadruped": {"torso": 0.12, "sh_n": 0.15, "sh_f": 0.15},
    "sitting_chair": {"th_n": 0.2, "th_f": 0.2},
}

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
    "rope",
    "towel",
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
    "spine_mid",
    "arch_n",
    "arch_f",
)
# Joints that exist only in some drawings: the toe tips (with a toe angle) and the two hips and
# shoulders of a front view.
OPTIONAL_JOINTS = ("toetip_n", "toetip_f", "hip_n", "hip_f", "shoulder_n", "shoulder_f")
# What each joint turns about, for the motion arrow's arc.
PIVOT = {
    "knee_n": "hip", "knee_f": "hip", "ankle_n": "knee_n", "ankle_f": "knee_f",
    "toe_n": "ankle_n", "toe_f": "ankle_f", "heel_n": "ankle_n", "heel_f": "ankle_f",
    "toetip_n": "toe_n", "toetip_f": "toe_f", "elbow_n": "shoulder", "elbow_f": "shoulder",
    "wrist_n": "elbow_n", "wrist_f": "elbow_f", "head": "neck", "neck": "shoulder",
    "shoulder": "hip",
}  # fmt: skip


class PoseError(ValueError):
    """A pose or prop spec that the renderer cannot draw."""


def _vec(angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return (math.sin(rad) * length, math.cos(rad) * length)


def _number(key: str, value: Any, low: float, high: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise PoseError(f"{key!r} must be a number from {low:g} to {high:g}")
    return float(value)


def resolve_angles(spec: Mapping[str, Any], view: str = "side") -> dict[str, float]:
    """Merge a pose spec ({"base": ..., angle overrides}) over its base pose.

    The result also carries the shape keys (spine bend, arch height, pelvis tilt) as numbers.
    """
    base_name = spec.get("base", "standing")
    poses = FRONT_POSES if view == "front" else BASE_POSES
    if not isinstance(base_name, str) or base_name not in poses:
        raise PoseError(f"unknown base pose {base_name!r} for a {view} view")
    angles = dict(poses[base_name])
    for key, value in spec.items():
        if key in ("base", "props", "lift", "air", "label", "eyes", "depth", "shift"):
            continue
        if key in SHAPE_KEYS:
            angles[key] = _number(key, value, -30, 30)
            continue
        if key not in ANGLE_KEYS and key not in TOE_KEYS:
            raise PoseError(f"unknown pose key {key!r}")
        angles[key] = _number(key, value, -720, 720)
    return angles


def resolve_depth(spec: Mapping[str, Any], view: str = "side") -> dict[str, float]:
    """Length factors for segments seen end-on (pointing toward the viewer)."""
    depth = dict(FRONT_DEPTH.get(str(spec.get("base", "standing")), {})) if view == "front" else {}
    given = spec.get("depth", {})
    if not isinstance(given, Mapping):
        raise PoseError("depth must be an object of segment: factor")
    for key, value in given.items():
        if key not in ANGLE_KEYS:
            raise PoseError(f"unknown depth key {key!r}")
        depth[key] = _number(f"depth {key}", value, 0.05, 1)
    return depth


Point = tuple[float, float]

_SEGMENT_OF = {
    "torso": "torso", "ua": "upper_arm", "fa": "forearm", "th": "thigh", "sh": "shin",
    "ft": "foot",
}  # fmt: skip


def _move(p: Point, angle: float, length: float) -> Point:
    dx, dy = _vec(angle, length)
    return (p[0] + dx, p[1] + dy)


def joints_for(
    angles: Mapping[str, float],
    depth: Mapping[str, float] | None = None,
    view: str = "side",
) -> dict[str, Point]:
    """Joint positions (hip at the origin) for a side or a front view."""
    depth = depth or {}

    def length(key: str) -> float:
        return SEGMENTS[_SEGMENT_OF[key.split("_")[0]]] * depth.get(key, 1.0)

    front = view == "front"
    hip = (0.0, 0.0)
    shoulder = _move(hip, angles["torso"], length("torso"))
    neck = _move(shoulder, angles["head"], SEGMENTS["neck"])
    head = _move(neck, angles["head"], HEAD_RADIUS)
    joints = {"hip": hip, "shoulder": shoulder, "neck": neck, "head": head}
    across = angles["torso"] - 90  # toward the "n" side in a front view
    bend = angles.get("spine", 0.0)
    middle = ((hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2)
    joints["spine_mid"] = _move(middle, angles["torso"] + (-90 if front else 90), bend)
    for side, sign in (("n", 1.0), ("f", -1.0)):
        root, top = hip, shoulder
        if front:
            # Pelvis tilt turns the line through both hips: positive raises the "f" hip.
            tilt = angles.get("pelvis", 0.0)
            root = _move(hip, across - tilt if sign > 0 else across + 180 - tilt, HIP_HALF)
            top = _move(shoulder, across if sign > 0 else across + 180, SHOULDER_HALF)
            joints[f"hip_{side}"] = root
            joints[f"shoulder_{side}"] = top
        elbow = _move(top, angles[f"ua_{side}"], length(f"ua_{side}"))
        joints[f"elbow_{side}"] = elbow
        joints[f"wrist_{side}"] = _move(elbow, angles[f"fa_{side}"], length(f"fa_{side}"))
        knee = _move(root, angles[f"th_{side}"], length(f"th_{side}"))
        ankle = _move(knee, angles[f"sh_{side}"], length(f"sh_{side}"))
        joints[f"knee_{side}"] = knee
        joints[f"ankle_{side}"] = ankle
        foot = angles[f"ft_{side}"]
        toe_toe = f"tt_{side}" in angles
        foot_length = FRONT_FOOT if front else SEGMENTS["foot"] - (TOE_LENGTH if toe_toe else 0)
        toe = _move(ankle, foot, foot_length * depth.get(f"ft_{side}", 1.0))
        joints[f"toe_{side}"] = toe
        if toe_toe:
            joints[f"toetip_{side}"] = _move(toe, angles[f"tt_{side}"], TOE_LENGTH)
        joints[f"heel_{side}"] = _move(ankle, foot, -6.0 if front else -4.0)
        sole_mid = _move(joints[f"heel_{side}"], foot, 0.45 * (foot_length + 4))
        joints[f"arch_{side}"] = _move(sole_mid, foot + 90, angles.get(f"arch_{side}", 0.0))
    return joints
