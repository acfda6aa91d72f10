"""Our own pose renderer: a consistent line-drawing figure as standalone SVG.

Poses and the figure's kinematics live in `exercises.figure`. The figure is grounded
automatically: its lowest point rests on the floor line (or on top of a support prop such as a
step). The near limbs are drawn dark and the far limbs light so depth reads clearly in print.
Output is deterministic: same spec, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from exercises.figure import (
    BASE_POSES,
    HEAD_RADIUS,
    JOINTS,
    PROP_KINDS,
    SEGMENTS,
    PoseError,
    joints_for,
    resolve_angles,
)

__all__ = [
    "BASE_POSES", "JOINTS", "SEGMENTS", "PoseError", "place_pose", "render_pose_spec",
    "render_svg", "resolve_angles", "validate_pose_spec",
]  # fmt: skip

LIMB_WIDTH = 7.0
TORSO_WIDTH = 9.0
PANEL_W = 240.0
PANEL_H = 240.0
GROUND_Y = 222.0
GAP = 44.0
ROLLER_DIAMETER = 24.0
PAD = 8.0

NEAR = "#1d2b3a"
FAR = "#9aa6b4"
PROP = "#4a6fa5"
PROP_FILL = "#e6edf6"
GROUND = "#6b7480"


@dataclass(frozen=True)
class Panel:
    """One drawn position: joints in panel coordinates plus the props placed around them."""

    joints: dict[str, tuple[float, float]]
    props: tuple[Mapping[str, Any], ...]
    lift: float
    air: float = 0.0


def _body_extent(
    joints: Mapping[str, tuple[float, float]],
) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for name, (x, y) in joints.items():
        reach = HEAD_RADIUS if name == "head" else LIMB_WIDTH / 2
        xs += [x - reach, x + reach]
        ys += [y - reach, y + reach]
    return min(xs), min(ys), max(xs), max(ys)


def _joint(joints: Mapping[str, tuple[float, float]], name: Any) -> tuple[float, float]:
    if name not in joints:
        raise PoseError(f"unknown joint {name!r}")
    return joints[name]


def _contact(
    joints: Mapping[str, tuple[float, float]], prop: Mapping[str, Any]
) -> tuple[float, float]:
    """The point a prop sits under: a joint, or part way ("t") from it toward another joint."""
    x, y = _joint(joints, prop.get("under", "hip"))
    if "toward" not in prop:
        return (x, y)
    tx, ty = _joint(joints, prop["toward"])
    t = float(prop.get("t", 0.5))
    return (x + (tx - x) * t, y + (ty - y) * t)


def _distance(spec: Mapping[str, Any], key: str) -> float:
    value = spec.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise PoseError(f"{key} must be a number from 0 to 100")
    return float(value)


def place_pose(spec: Mapping[str, Any]) -> Panel:
    """Compute joints for one position, grounded and centred in a panel."""
    angles = resolve_angles(spec)
    raw = joints_for(angles)
    raw_props = spec.get("props", ())
    if not isinstance(raw_props, list | tuple):
        raise PoseError("props must be a list")
    props = tuple(raw_props)
    for prop in props:
        if not isinstance(prop, Mapping) or prop.get("kind") not in PROP_KINDS:
            raise PoseError(f"unknown prop {prop!r}")
    lift = _distance(spec, "lift") + _distance(spec, "air")
    x0, _y0, x1, y1 = _body_extent(raw)
    for prop in props:
        # A foam roller carries the body: its bottom counts as the figure's lowest point.
        if prop["kind"] == "foam_roller":
            contact = _contact(raw, prop)
            y1 = max(y1, contact[1] + LIMB_WIDTH / 2 + ROLLER_DIAMETER)
    dx = PANEL_W / 2 - (x0 + x1) / 2
    dy = GROUND_Y - lift - y1
    joints = {k: (x + dx, y + dy) for k, (x, y) in raw.items()}
    return Panel(joints=joints, props=props, lift=lift, air=_distance(spec, "air"))


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _line(a: tuple[float, float], b: tuple[float, float], color: str, width: float) -> str:
    return (
        f'<line x1="{_f(a[0])}" y1="{_f(a[1])}" x2="{_f(b[0])}" y2="{_f(b[1])}" '
        f'stroke="{color}" stroke-width="{_f(width)}"/>'
    )


def _limbs(j: Mapping[str, tuple[float, float]], side: str, color: str) -> list[str]:
    chain_arm = [j["shoulder"], j[f"elbow_{side}"], j[f"wrist_{side}"]]
    chain_leg = [j["hip"], j[f"knee_{side}"], j[f"ankle_{side}"]]
    out = []
    for chain in (chain_leg, chain_arm):
        points = " ".join(f"{_f(x)},{_f(y)}" for x, y in chain)
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{color}" '
            f'stroke-width="{_f(LIMB_WIDTH)}"/>'
        )
    out.append(_line(j[f"heel_{side}"], j[f"toe_{side}"], color, LIMB_WIDTH - 1))
    return out


def _band_color(prop: Mapping[str, Any]) -> str:
    colors = {
        "yellow": "#d9b310",
        "red": "#c0392b",
        "green": "#2e8b57",
        "blue": "#2c5aa0",
        "black": "#222222",
    }
    return colors.get(str(prop.get("color", "red")), "#c0392b")


def _anchor(prop: Mapping[str, Any], key: str) -> tuple[float, float] | None:
    value = prop.get(key)
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return (PANEL_W / 2 + float(value[0]), GROUND_Y - float(value[1]))
    return None


def _prop_svg(prop: Mapping[str, Any], panel: Panel, behind: bool) -> list[str]:
    kind = prop["kind"]
    j = panel.joints
    is_behind = kind in ("wall", "chair", "step", "box", "foam_roller")
    if is_behind != behind:
        return []
    out: list[str] = []
    if kind == "wall":
        x = _joint(j, prop.get("at", "wrist_n"))[0] + float(prop.get("offset", 4))
        toward = 1 if prop.get("side", "front") == "front" else -1
        left = x if toward == 1 else x - 10
        out.append(
            f'<rect x="{_f(left)}" y="{_f(PAD)}" width="10" height="{_f(GROUND_Y - PAD)}" '
            f'fill="{PROP_FILL}" stroke="{PROP}" stroke-width="2"/>'
        )
    elif kind in ("step", "box"):
        x, y = _joint(j, prop.get("under", "toe_n"))
        top = y + LIMB_WIDTH / 2
        width = 46.0 if kind == "step" else 60.0
        left = x - float(prop.get("back", 10 if kind == "step" else 30))
        out.append(
            f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(width)}" '
            f'height="{_f(max(GROUND_Y - top, 4))}" fill="{PROP_FILL}" stroke="{PROP}" '
            f'stroke-width="2"/>'
        )
    elif kind == "foam_roller":
        x, _y = _contact(j, prop)
        r = ROLLER_DIAMETER / 2
        out.append(
            f'<circle cx="{_f(x)}" cy="{_f(GROUND_Y - r)}" r="{_f(r)}" fill="{PROP_FILL}" '
            f'stroke="{PROP}" stroke-width="2.5"/>'
        )
        out.append(
            f'<circle cx="{_f(x)}" cy="{_f(GROUND_Y - r)}" r="{_f(r / 3)}" fill="none" '
            f'stroke="{PROP}" stroke-width="1.5"/>'
        )
    elif kind == "chair":
        hx, hy = _joint(j, prop.get("under", "hip"))
        seat = hy + TORSO_WIDTH / 2 + 1
        back_x = hx - 18
        out.append(_line((back_x, seat), (hx + 22, seat), PROP, 4))
        out.append(_line((back_x, seat), (back_x, seat - 50), PROP, 4))
        out.append(_line((back_x + 2, seat), (back_x + 2, GROUND_Y), PROP, 3))
        out.append(_line((hx + 20, seat), (hx + 20, GROUND_Y), PROP, 3))
    elif kind == "ball":
        anchor = _anchor(prop, "point")
        x, y = anchor if anchor else _joint(j, prop.get("at", "wrist_n"))
        r = float(prop.get("r", 11))
        out.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{PROP_FILL}" '
            f'stroke="{PROP}" stroke-width="2.5"/>'
        )
    elif kind == "weights":
        for name in prop.get("at", ("wrist_n",)):
            x, y = _joint(j, name)
            out.append(_line((x - 7, y), (x + 7, y), PROP, 3))
            out.append(_line((x - 7, y - 6), (x - 7, y + 6), PROP, 5))
            out.append(_line((x + 7, y - 6), (x + 7, y + 6), PROP, 5))
    elif kind == "cone":
        x = PANEL_W / 2 + float(prop.get("x", 90))
        out.append(
            f'<polygon points="{_f(x - 8)},{_f(GROUND_Y)} {_f(x + 8)},{_f(GROUND_Y)} '
            f'{_f(x)},{_f(GROUND_Y - 20)}" fill="#f0a030" stroke="#9c5a00" stroke-width="1.5"/>'
        )
    elif kind == "band":
        color = _band_color(prop)
        a = _anchor(prop, "from") or _joint(j, prop.get("from", "wrist_n"))
        b = _anchor(prop, "to") or _joint(j, prop.get("to", "wrist_f"))
        if math.dist(a, b) < 8:
            out.append(
                f'<ellipse cx="{_f((a[0] + b[0]) / 2)}" cy="{_f((a[1] + b[1]) / 2)}" rx="6" '
                f'ry="9" fill="none" stroke="{color}" stroke-width="3"/>'
            )
        else:
            out.append(_line(a, b, color, 3))
        for key in ("from", "to"):
            point = _anchor(prop, key)
            if point:
                out.append(_line((point[0], point[1] - 8), (point[0], point[1] + 8), PROP, 5))
    return out


def _panel_svg(panel: Panel, label: str, offset_x: float) -> str:
    j = panel.joints
    parts = [f'<g transform="translate({_f(offset_x)} 0)">']
    parts.append(
        f'<rect x="0.5" y="0.5" width="{_f(PANEL_W - 1)}" height="{_f(PANEL_H - 1)}" rx="8" '
        f'fill="#ffffff" stroke="#d5dbe3"/>'
    )
    parts.append(
        f'<text x="10" y="20" font-family="DejaVu Sans, Arial, sans-serif" font-size="13" '
        f'fill="{GROUND}">{escape(label)}</text>'
    )
    parts.append(_line((PAD, GROUND_Y), (PANEL_W - PAD, GROUND_Y), GROUND, 2))
    if panel.air > 0:
        # Short marks between the feet and the floor show the figure is in the air.
        x = min(j["toe_n"][0], j["toe_f"][0]) - 4
        for n in range(3):
            y = GROUND_Y - 3 - n * 4
            parts.append(_line((x + n * 3, y), (x + 16 + n * 3, y), FAR, 1.5))
    for prop in panel.props:
        parts += _prop_svg(prop, panel, behind=True)
    parts.append('<g stroke-linecap="round" stroke-linejoin="round" fill="none">')
    parts += _limbs(j, "f", FAR)
    parts.append(_line(j["hip"], j["shoulder"], NEAR, TORSO_WIDTH))
    parts.append(_line(j["shoulder"], j["neck"], NEAR, LIMB_WIDTH - 1))
    parts.append("</g>")
    hx, hy = j["head"]
    parts.append(f'<circle cx="{_f(hx)}" cy="{_f(hy)}" r="{_f(HEAD_RADIUS)}" fill="{NEAR}"/>')
    parts.append('<g stroke-linecap="round" stroke-linejoin="round" fill="none">')
    parts += _limbs(j, "n", NEAR)
    parts.append("</g>")
    for prop in panel.props:
        parts += _prop_svg(prop, panel, behind=False)
    parts.append("</g>")
    return "".join(parts)


def _arrow(x: float) -> str:
    y = PANEL_H / 2
    return (
        f'<path d="M{_f(x + 8)} {_f(y)}H{_f(x + GAP - 12)}" stroke="{GROUND}" stroke-width="3" '
        f'fill="none" stroke-linecap="round"/>'
        f'<path d="M{_f(x + GAP - 18)} {_f(y - 7)}L{_f(x + GAP - 8)} {_f(y)}'
        f'L{_f(x + GAP - 18)} {_f(y + 7)}Z" fill="{GROUND}"/>'
    )


def render_svg(
    *,
    title: str,
    start: Mapping[str, Any],
    end: Mapping[str, Any] | None = None,
    description: str = "",
    panel_width: int = 180,
) -> str:
    """Draw a start (and optional end) position as complete standalone SVG markup.

    With no end position a single panel labelled "Hold" is drawn (stretches, planks).
    """
    panels = [place_pose(start)]
    labels = ["Hold"] if end is None else ["1 Start", "2 End"]
    if end is not None:
        panels.append(place_pose(end))
    width = PANEL_W * len(panels) + GAP * (len(panels) - 1)
    height = PANEL_H
    display_width = panel_width * len(panels) + round(panel_width * GAP / PANEL_W) * (
        len(panels) - 1
    )
    display_height = round(display_width * height / width)
    body = []
    for index, (panel, label) in enumerate(zip(panels, labels, strict=True)):
        offset = index * (PANEL_W + GAP)
        if index:
            body.append(_arrow(offset - GAP))
        body.append(_panel_svg(panel, label, offset))
    desc = description or (
        "Line drawing of the exercise, start and end positions."
        if end is not None
        else "Line drawing of the exercise position."
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="{display_width}" '
        f'height="{display_height}" shape-rendering="geometricPrecision">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def validate_pose_spec(spec: Any) -> None:
    """Raise PoseError unless spec is {"start": pose, "end": pose or None} that draws cleanly.

    Specs arrive from imported files, so anything odd inside a prop (a list where a number
    belongs, a number too big to draw) must end as a PoseError, never as a crash or as NaN in
    the markup.
    """
    if not isinstance(spec, Mapping) or "start" not in spec:
        raise PoseError("a pose spec needs a 'start' position")
    unknown = set(spec) - {"start", "end"}
    if unknown:
        raise PoseError(f"unknown pose spec keys: {', '.join(sorted(map(str, unknown)))}")
    for key in ("start", "end"):
        pose = spec.get(key)
        if pose is not None and not isinstance(pose, Mapping):
            raise PoseError(f"'{key}' must be an object")
    if spec["start"] is None:
        raise PoseError("a pose spec needs a 'start' position")
    try:
        markup = render_svg(title="check", start=spec["start"], end=spec.get("end"))
    except PoseError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        raise PoseError(f"cannot draw this pose ({type(exc).__name__})") from None
    if "nan" in markup or "inf" in markup:
        raise PoseError("a number in the pose is not finite")


def render_pose_spec(title: str, spec: Mapping[str, Any]) -> str:
    """Render a stored pose spec ({"start": ..., "end": ...}) after validating it."""
    validate_pose_spec(spec)
    return render_svg(title=title, start=spec["start"], end=spec.get("end"))
