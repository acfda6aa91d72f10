"""Props around the figure: band, roller, step, rope, towel and the rest, as SVG fragments.

Each prop names the joints it touches, so it follows the figure from one position to the next.
Colours carry meaning (the band's colour is its resistance level), so they are fixed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from exercises.figure import PoseError

Point = tuple[float, float]

PANEL_W = 240.0
PANEL_H = 240.0
GROUND_Y = 222.0
PAD = 8.0
LIMB_WIDTH = 7.0
TORSO_WIDTH = 9.0
ROLLER_DIAMETER = 24.0

PROP = "#4a6fa5"
PROP_FILL = "#e6edf6"
GROUND = "#6b7480"
FAR = "#9aa6b4"
ROPE = "#7a4b1e"
TOWEL = "#3d8b8b"

# TheraBand's order, light to heavy (DOMAIN §4); the colour is the level a patient reads.
BAND_COLORS = {
    "tan": "#c8a77a",
    "yellow": "#d9b310",
    "red": "#c0392b",
    "green": "#2e8b57",
    "blue": "#2c5aa0",
    "black": "#222222",
    "silver": "#a7adb5",
    "gold": "#c9a227",
}
BEHIND_KINDS = ("wall", "chair", "step", "box", "foam_roller", "towel")


def line(a: Point, b: Point, color: str, width: float, extra: str = "") -> str:
    return (
        f'<line x1="{fmt(a[0])}" y1="{fmt(a[1])}" x2="{fmt(b[0])}" y2="{fmt(b[1])}" '
        f'stroke="{color}" stroke-width="{fmt(width)}"{extra}/>'
    )


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def joint(joints: Mapping[str, Point], name: Any) -> Point:
    if not isinstance(name, str) or name not in joints:
        raise PoseError(f"unknown joint {name!r}")
    return joints[name]


def contact(joints: Mapping[str, Point], prop: Mapping[str, Any]) -> Point:
    """The point a prop sits under: a joint, or part way ("t") from it toward another joint."""
    x, y = joint(joints, prop.get("under", "hip"))
    if "toward" not in prop:
        return (x, y)
    tx, ty = joint(joints, prop["toward"])
    t = float(prop.get("t", 0.5))
    if not 0 <= t <= 1:
        raise PoseError("t must be from 0 to 1")
    return (x + (tx - x) * t, y + (ty - y) * t)


def band_color(prop: Mapping[str, Any]) -> str:
    color = prop.get("color", "red")
    if color not in BAND_COLORS:
        raise PoseError(f"unknown band colour {color!r}")
    return BAND_COLORS[str(color)]


def _anchor(prop: Mapping[str, Any], key: str) -> Point | None:
    value = prop.get(key)
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return (PANEL_W / 2 + float(value[0]), GROUND_Y - float(value[1]))
    return None


def prop_svg(
    prop: Mapping[str, Any], j: Mapping[str, Point], *, behind: bool, view: str
) -> list[str]:
    kind = prop["kind"]
    if (kind in BEHIND_KINDS) != behind:
        return []
    return _DRAW[kind]({**prop, "view": view}, j)


def _wall(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    x = joint(j, prop.get("at", "wrist_n"))[0] + float(prop.get("offset", 4))
    left = x if prop.get("side", "front") == "front" else x - 10
    return [
        f'<rect x="{fmt(left)}" y="{fmt(PAD)}" width="10" height="{fmt(GROUND_Y - PAD)}" '
        f'fill="{PROP_FILL}" stroke="{PROP}" stroke-width="2"/>'
    ]


def _step(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    kind = prop["kind"]
    x, y = joint(j, prop.get("under", "toe_n"))
    top = y + LIMB_WIDTH / 2
    width = 46.0 if kind == "step" else 60.0
    left = x - float(prop.get("back", 10 if kind == "step" else 30))
    return [
        f'<rect x="{fmt(left)}" y="{fmt(top)}" width="{fmt(width)}" '
        f'height="{fmt(max(GROUND_Y - top, 4))}" fill="{PROP_FILL}" stroke="{PROP}" '
        f'stroke-width="2"/>'
    ]


def _roller(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    x, _y = contact(j, prop)
    r = ROLLER_DIAMETER / 2
    return [
        f'<circle cx="{fmt(x)}" cy="{fmt(GROUND_Y - r)}" r="{fmt(r)}" fill="{PROP_FILL}" '
        f'stroke="{PROP}" stroke-width="2.5"/>',
        f'<circle cx="{fmt(x)}" cy="{fmt(GROUND_Y - r)}" r="{fmt(r / 3)}" fill="none" '
        f'stroke="{PROP}" stroke-width="1.5"/>',
    ]


def _chair(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    hx, hy = joint(j, prop.get("under", "hip"))
    seat = hy + TORSO_WIDTH / 2 + 1
    if prop.get("view") == "front":
        return [
            line((hx - 26, seat), (hx + 26, seat), PROP, 4),
            line((hx - 24, seat), (hx - 24, GROUND_Y), PROP, 3),
            line((hx + 24, seat), (hx + 24, GROUND_Y), PROP, 3),
        ]
    back_x = hx - 18
    return [
        line((back_x, seat), (hx + 22, seat), PROP, 4),
        line((back_x, seat), (back_x, seat - 50), PROP, 4),
        line((back_x + 2, seat), (back_x + 2, GROUND_Y), PROP, 3),
        line((hx + 20, seat), (hx + 20, GROUND_Y), PROP, 3),
    ]


def _ball(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    anchor = _anchor(prop, "point")
    x, y = anchor if anchor else joint(j, prop.get("at", "wrist_n"))
    r = float(prop.get("r", 11))
    if not 1 <= r <= 60:
        raise PoseError("a ball's r must be from 1 to 60")
    return [
        f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" fill="{PROP_FILL}" '
        f'stroke="{PROP}" stroke-width="2.5"/>'
    ]


def _weights(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    out = []
    for name in prop.get("at", ("wrist_n",)):
        x, y = joint(j, name)
        out.append(line((x - 7, y), (x + 7, y), PROP, 3))
        out.append(line((x - 7, y - 6), (x - 7, y + 6), PROP, 5))
        out.append(line((x + 7, y - 6), (x + 7, y + 6), PROP, 5))
    return out


def _cone(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    x = PANEL_W / 2 + float(prop.get("x", 90))
    return [
        f'<polygon points="{fmt(x - 8)},{fmt(GROUND_Y)} {fmt(x + 8)},{fmt(GROUND_Y)} '
        f'{fmt(x)},{fmt(GROUND_Y - 20)}" fill="#f0a030" stroke="#9c5a00" stroke-width="1.5"/>'
    ]


def _band(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    color = band_color(prop)
    a = _anchor(prop, "from") or joint(j, prop.get("from", "wrist_n"))
    b = _anchor(prop, "to") or joint(j, prop.get("to", "wrist_f"))
    out = []
    if math.dist(a, b) < 8:
        out.append(
            f'<ellipse cx="{fmt((a[0] + b[0]) / 2)}" cy="{fmt((a[1] + b[1]) / 2)}" rx="6" '
            f'ry="9" fill="none" stroke="{color}" stroke-width="3.5"/>'
        )
    else:
        out.append(line(a, b, color, 4))
    for key in ("from", "to"):
        point = _anchor(prop, key)
        if point:
            out.append(line((point[0], point[1] - 8), (point[0], point[1] + 8), PROP, 5))
    return out


def _rope(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    """A skipping rope from hand to hand, passing under the feet or over the head."""
    a, b = joint(j, "wrist_n"), joint(j, "wrist_f")
    if prop.get("phase", "under") == "over":
        top = min(joint(j, "head")[1] - 22, PAD + 4)
        mid = ((a[0] + b[0]) / 2, top)
    else:
        feet = max(joint(j, "heel_n")[1], joint(j, "toe_n")[1]) + 8
        mid = ((a[0] + b[0]) / 2, min(feet, GROUND_Y - 1))
    spread = max(abs(a[0] - b[0]), 40.0)
    left, right = (a, b) if a[0] <= b[0] else (b, a)
    return [
        f'<path d="M{fmt(left[0])} {fmt(left[1])}C{fmt(left[0] - spread / 2)} '
        f"{fmt(mid[1])} {fmt(right[0] + spread / 2)} {fmt(mid[1])} {fmt(right[0])} "
        f'{fmt(right[1])}" fill="none" stroke="{ROPE}" stroke-width="2.5"/>'
    ]


def _towel(prop: Mapping[str, Any], j: Mapping[str, Point]) -> list[str]:
    """A towel on the floor: flat in front of the toes, or gathered into folds under them."""
    x, _y = joint(j, prop.get("under", "toe_n"))
    gather = float(prop.get("gather", 0))
    if not 0 <= gather <= 1:
        raise PoseError("a towel's gather must be from 0 to 1")
    length = 60 - 36 * gather
    folds = 1 + round(gather * 4)
    step = length / (folds * 2)
    y = GROUND_Y - 1.5
    d = f"M{fmt(x - 20)} {fmt(y)}H{fmt(x - 2)}"
    cursor = x - 2
    for _ in range(folds):
        d += f"q{fmt(step)} {fmt(-8 * gather - 1)} {fmt(step * 2)} 0"
        cursor += step * 2
    d += f"H{fmt(cursor + 6)}"
    return [f'<path d="{d}" fill="none" stroke="{TOWEL}" stroke-width="3"/>']


_DRAW = {
    "wall": _wall,
    "step": _step,
    "box": _step,
    "foam_roller": _roller,
    "chair": _chair,
    "ball": _ball,
    "weights": _weights,
    "cone": _cone,
    "band": _band,
    "rope": _rope,
    "towel": _towel,
}
