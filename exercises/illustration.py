"""Our own pose renderer: a consistent line-drawing figure as standalone SVG.

Poses and the figure's kinematics live in `exercises.figure`, props in `exercises.props`, the
body drawn in one panel in `exercises.body`; this module places and frames the panels. A pose
spec says which plane the exercise moves in and so which view draws it (a sideways movement is
drawn from the front, a forward one from the side), which joint moves (an arrow follows its
path from the start position, drawn faintly, to the end), which region the exercise targets
(highlighted), and optionally a close-up (`focus`) for small movements of the foot or pelvis.

The figure is grounded automatically: its lowest point rests on the floor line (or on top of a
support prop such as a step). In a side view the near limbs are dark and the far limbs light so
depth reads in print. Output is deterministic: same spec, same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from exercises.body import NEAR, figure_svg
from exercises.drawing import (
    HIGHLIGHT,
    MOTION,
    SPEC_KEYS,
    Drawing,
    Panel,
    drawing_labels,
    read_drawing,
)
from exercises.figure import (
    BASE_POSES,
    FRONT_POSES,
    HEAD_RADIUS,
    JOINTS,
    PROP_KINDS,
    SEGMENTS,
    Point,
    PoseError,
    joints_for,
    resolve_angles,
    resolve_depth,
)
from exercises.marks import motion
from exercises.props import (
    GROUND,
    GROUND_Y,
    LIMB_WIDTH,
    PANEL_H,
    PANEL_W,
    ROLLER_DIAMETER,
    contact,
    fmt,
)

__all__ = [
    "BASE_POSES", "FRONT_POSES", "HIGHLIGHT", "JOINTS", "MOTION", "SEGMENTS", "PoseError",
    "drawing_labels",
    "moving_distance", "place_pose", "read_drawing", "render_pose_spec", "render_svg",
    "resolve_angles", "validate_pose_spec",
]  # fmt: skip
GAP = 44.0
_STROKE = re.compile(r'stroke-width="([0-9.]+)"')


def _body_extent(joints: Mapping[str, Point]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for name, (x, y) in joints.items():
        if name.startswith("toetip"):
            continue  # curled toes press into the floor (or a towel); they do not lift the body
        reach = HEAD_RADIUS if name == "head" else LIMB_WIDTH / 2
        xs += [x - reach, x + reach]
        ys += [y - reach, y + reach]
    return min(xs), min(ys), max(xs), max(ys)


def _distance(spec: Mapping[str, Any], key: str) -> float:
    value = spec.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise PoseError(f"{key} must be a number from 0 to 100")
    return float(value)


def _raw(spec: Mapping[str, Any], view: str) -> tuple[dict[str, Point], dict[str, float]]:
    angles = resolve_angles(spec, view)
    return joints_for(angles, resolve_depth(spec, view), view), angles


def place_pose(spec: Mapping[str, Any], view: str = "side", centre_x: float | None = None) -> Panel:
    """Compute joints for one position, grounded and centred in a panel.

    `centre_x` (in the pose's own coordinates) lets two positions share one horizontal anchor,
    so a foot that steps out is seen to move rather than the figure to slide.
    """
    raw, angles = _raw(spec, view)
    raw_props = spec.get("props", ())
    if not isinstance(raw_props, list | tuple):
        raise PoseError("props must be a list")
    props = tuple(raw_props)
    for prop in props:
        if not isinstance(prop, Mapping) or prop.get("kind") not in PROP_KINDS:
            raise PoseError(f"unknown prop {prop!r}")
    eyes = spec.get("eyes", "")
    if eyes not in ("", "open", "closed"):
        raise PoseError("eyes must be open or closed")
    lift = _distance(spec, "lift") + _distance(spec, "air")
    x0, _y0, x1, y1 = _body_extent(raw)
    for prop in props:
        # A foam roller carries the body: its bottom counts as the figure's lowest point.
        if prop["kind"] == "foam_roller":
            point = contact(raw, prop)
            y1 = max(y1, point[1] + LIMB_WIDTH / 2 + ROLLER_DIAMETER)
    shift = spec.get("shift", 0)
    if isinstance(shift, bool) or not isinstance(shift, int | float) or not -100 <= shift <= 100:
        raise PoseError("shift must be a number from -100 to 100")
    dx = PANEL_W / 2 - (centre_x if centre_x is not None else (x0 + x1) / 2) + shift
    dy = GROUND_Y - lift - y1
    joints = {k: (x + dx, y + dy) for k, (x, y) in raw.items()}
    return Panel(
        joints=joints,
        props=props,
        lift=lift,
        air=_distance(spec, "air"),
        shape=angles,
        base=str(spec.get("base", "standing")),
        eyes=str(eyes),
    )


def _roller_x(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> float | None:
    props = spec.get("props", ())
    for prop in props if isinstance(props, list | tuple) else ():
        if isinstance(prop, Mapping) and prop.get("kind") == "foam_roller":
            return contact(joints, prop)[0]
    return None


def place_panels(spec: Mapping[str, Any], drawing: Drawing) -> list[Panel]:
    """Both positions on one horizontal anchor: the middle of their combined extent.

    On a foam roller the roller stays where it is and the body travels over it.
    """
    poses = [spec["start"]] + ([spec["end"]] if spec.get("end") is not None else [])
    raws = [_raw(p, drawing.view)[0] for p in poses]
    extents = [_body_extent(raw) for raw in raws]
    centre = (min(e[0] for e in extents) + max(e[2] for e in extents)) / 2
    centres = [centre] * len(poses)
    found = [_roller_x(p, raw) for p, raw in zip(poses, raws, strict=True)]
    rollers = [x for x in found if x is not None]
    if len(poses) == 2 and len(rollers) == 2:
        middle = (rollers[0] + rollers[1]) / 2
        centres = [centre + roller - middle for roller in rollers]
    return [place_pose(p, drawing.view, c) for p, c in zip(poses, centres, strict=True)]


def moving_distance(spec: Mapping[str, Any]) -> float:
    """How far the moving joint travels between the two positions, in drawn (zoomed) units."""
    drawing = read_drawing(spec)
    panels = place_panels(spec, drawing)
    if len(panels) < 2 or not drawing.moving:
        return 0.0
    start, end = (p.joints.get(drawing.moving) for p in panels)
    if start is None or end is None:
        raise PoseError(f"joint {drawing.moving!r} is not drawn in both positions")
    return math.dist(start, end) * drawing.scale


def _viewbox(panels: Sequence[Panel], drawing: Drawing) -> str:
    if not drawing.focus:
        return ""
    if drawing.focus not in panels[0].joints:
        raise PoseError(f"focus joint {drawing.focus!r} is not drawn")
    fx, fy = panels[0].joints[drawing.focus]
    size = PANEL_W / drawing.scale
    left = min(max(fx - size / 2, 0), PANEL_W - size)
    # Keep the floor in the picture when the joint is near it (feet, steps); otherwise the
    # joint sits high in the close-up.
    top = GROUND_Y + 14 - size
    if fy < top + size * 0.2:
        top = fy - size * 0.3
    return f"{fmt(left)} {fmt(top)} {fmt(size)} {fmt(size)}"


def _panel_svg(
    panel: Panel, label: str, offset_x: float, drawing: Drawing, viewbox: str, before: Panel | None
) -> str:
    parts = [f'<g transform="translate({fmt(offset_x)} 0)">']
    parts.append(
        f'<rect x="0.5" y="0.5" width="{fmt(PANEL_W - 1)}" height="{fmt(PANEL_H - 1)}" rx="8" '
        f'fill="#ffffff" stroke="#d5dbe3"/>'
    )
    inner = figure_svg(panel, drawing)
    if before is not None:
        inner += motion(before, panel, drawing)
    if viewbox:
        # Lines in a close-up are thinned, or a 3x foot would be drawn with 3x strokes.
        thin = drawing.scale**-0.6
        inner = [
            _STROKE.sub(lambda m: f'stroke-width="{fmt(float(m.group(1)) * thin)}"', part)
            for part in inner
        ]
        parts.append(
            f'<svg x="1" y="1" width="{fmt(PANEL_W - 2)}" height="{fmt(PANEL_H - 2)}" '
            f'viewBox="{viewbox}">' + "".join(inner) + "</svg>"
        )
    else:
        parts += inner
    font = 'font-family="DejaVu Sans, Arial, sans-serif"'
    parts.append(
        f'<text x="10" y="20" {font} font-size="13" fill="{GROUND}">{escape(label)}</text>'
    )
    if panel.eyes == "closed":
        parts.append(
            f'<text x="10" y="38" {font} font-size="13" font-weight="bold" fill="{NEAR}">'
            "Eyes closed</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _arrow(x: float) -> str:
    y = PANEL_H / 2
    return (
        f'<path d="M{fmt(x + 8)} {fmt(y)}H{fmt(x + GAP - 12)}" stroke="{GROUND}" stroke-width="3" '
        f'fill="none" stroke-linecap="round"/>'
        f'<path d="M{fmt(x + GAP - 18)} {fmt(y - 7)}L{fmt(x + GAP - 8)} {fmt(y)}'
        f'L{fmt(x + GAP - 18)} {fmt(y + 7)}Z" fill="{GROUND}"/>'
    )


def _description(drawing: Drawing, two: bool, given: str) -> str:
    if given:
        return given
    view = "Front view" if drawing.view == "front" else "Side view"
    close = ", close-up" if drawing.focus else ""
    what = "start and end positions" if two else "the position"
    return f"{view}{close}: line drawing of the exercise, {what}."


def render_svg(
    *,
    title: str,
    start: Mapping[str, Any],
    end: Mapping[str, Any] | None = None,
    description: str = "",
    panel_width: int = 180,
    drawing: Drawing | None = None,
    labels: Sequence[str] | None = None,
) -> str:
    """Draw a start (and optional end) position as complete standalone SVG markup.

    With no end position a single panel is drawn (labelled "Hold" unless told otherwise).
    """
    drawing = drawing or Drawing()
    panels = place_panels({"start": start, "end": end}, drawing)
    if labels is None:
        labels = ["Hold"] if end is None else ["1 Start", "2 End"]
    if len(labels) != len(panels):
        raise PoseError("one label per position")
    viewbox = _viewbox(panels, drawing)
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
        before = panels[0] if index else None
        body.append(_panel_svg(panel, label, offset, drawing, viewbox, before))
    desc = _description(drawing, end is not None, description)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {fmt(width)} {fmt(height)}" width="{display_width}" '
        f'height="{display_height}" shape-rendering="geometricPrecision">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def validate_pose_spec(spec: Any) -> None:
    """Raise PoseError unless spec is {"start": pose, "end": pose or None, ...} that draws.

    Specs arrive from imported files, so anything odd inside a prop (a list where a number
    belongs, a number too big to draw) must end as a PoseError, never as a crash or as NaN in
    the markup.
    """
    if not isinstance(spec, Mapping) or "start" not in spec:
        raise PoseError("a pose spec needs a 'start' position")
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise PoseError(f"unknown pose spec keys: {', '.join(sorted(map(str, unknown)))}")
    for key in ("start", "end"):
        pose = spec.get(key)
        if pose is not None and not isinstance(pose, Mapping):
            raise PoseError(f"'{key}' must be an object")
    if spec["start"] is None:
        raise PoseError("a pose spec needs a 'start' position")
    try:
        drawing = read_drawing(spec)
        markup = render_svg(
            title="check", start=spec["start"], end=spec.get("end"), drawing=drawing
        )
        moving_distance(spec)
    except PoseError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as exc:
        raise PoseError(f"cannot draw this pose ({type(exc).__name__})") from None
    if "nan" in markup or "inf" in markup:
        raise PoseError("a number in the pose is not finite")


def render_pose_spec(
    title: str,
    spec: Mapping[str, Any],
    *,
    hold_seconds: int | None = None,
    reps: int | None = None,
    dosed: bool = False,
) -> str:
    """Render a stored pose spec after validating it.

    With `dosed`, the panel labels follow the given dose (an exercise that borrows another's
    drawing gets its own labels); without it the labels are the drawing's defaults.
    """
    validate_pose_spec(spec)
    end = spec.get("end")
    labels = (
        drawing_labels(two_positions=end is not None, hold_seconds=hold_seconds, reps=reps)
        if dosed
        else None
    )
    return render_svg(
        title=title, start=spec["start"], end=end, drawing=read_drawing(spec), labels=labels
    )
