"""Marks drawn over the figure: the highlighted target and the motion arrow.

The arrow follows the moving joint from where it started (drawn faintly) to where it ends: an
arc about the first joint up the chain that keeps its place, or a straight arrow when the whole
body travels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from exercises.drawing import HIGHLIGHT, MOTION, PARTS, Drawing, Panel
from exercises.figure import PIVOT, Point
from exercises.props import FAR, LIMB_WIDTH, fmt, line


def polyline(points: list[Point], color: str, width: float) -> str:
    text = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)
    return f'<polyline points="{text}" fill="none" stroke="{color}" stroke-width="{fmt(width)}"/>'


def highlights(j: Mapping[str, Point], drawing: Drawing) -> list[str]:
    out = []
    for target in drawing.targets:
        names = PARTS[target.part]
        a_name, b_name = names[2:] if drawing.view == "front" else names[:2]
        a, b = j[a_name], j[b_name]
        p = (a[0] + (b[0] - a[0]) * target.start, a[1] + (b[1] - a[1]) * target.start)
        q = (a[0] + (b[0] - a[0]) * target.stop, a[1] + (b[1] - a[1]) * target.stop)
        width = 26 if target.part == "torso" else 17
        out.append(line(p, q, HIGHLIGHT, width, ' stroke-opacity="0.55" stroke-linecap="round"'))
    return out


def _arrowhead(tip: Point, before: Point, width: float) -> str:
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    size = 3.0 * width
    left = (
        tip[0] - size * math.cos(angle - 0.45),
        tip[1] - size * math.sin(angle - 0.45),
    )
    right = (
        tip[0] - size * math.cos(angle + 0.45),
        tip[1] - size * math.sin(angle + 0.45),
    )
    return (
        f'<path d="M{fmt(tip[0])} {fmt(tip[1])}L{fmt(left[0])} {fmt(left[1])}'
        f'L{fmt(right[0])} {fmt(right[1])}Z" fill="{MOTION}"/>'
    )


def _pivot(name: str, view: str) -> str:
    if view == "front":
        if name in ("hip_n", "hip_f"):
            return "hip_f" if name == "hip_n" else "hip_n"
        pivot = PIVOT.get(name, "")
        if pivot in ("hip", "shoulder") and name[-2:] in ("_n", "_f"):
            return f"{pivot}{name[-2:]}"
        return pivot
    return PIVOT.get(name, "")


def _chain(name: str, start: Panel, end: Panel, view: str) -> tuple[list[str], Point | None]:
    """The moving joint and the joints above it that move too, up to the first one that stays.

    A whole leg swinging from the hip turns about the hip, not the knee: the arc is drawn about
    the first joint up the chain that keeps its place (None: the part travels, drawn straight).
    """
    chain = [name]
    pivot = _pivot(name, view)
    while pivot and pivot not in chain and pivot in start.joints and pivot in end.joints:
        chain.append(pivot)
        if math.dist(start.joints[pivot], end.joints[pivot]) < 4:
            return chain, end.joints[pivot]
        pivot = _pivot(pivot, view)
    return chain, None


def motion(start: Panel, end: Panel, drawing: Drawing) -> list[str]:
    """The start position of the moving part, drawn faintly, and an arrow along its path."""
    name = drawing.moving
    if not name or name not in start.joints or name not in end.joints:
        return []
    s, e = start.joints[name], end.joints[name]
    if math.dist(s, e) < 4:
        return []
    width = 3.4 / max(1.0, drawing.scale * 0.7)
    dash = f' stroke-dasharray="{fmt(4 * width)} {fmt(3 * width)}" stroke-linecap="round"'
    chain, pivot_e = _chain(name, start, end, drawing.view)
    if pivot_e is None:
        chain = chain[:2]  # the whole body travels: the ghost is just the moving part
    ghost = [start.joints[n] for n in reversed(chain)]
    out = []
    if len(ghost) > 1:
        out.append(polyline(ghost, FAR, LIMB_WIDTH - 2).replace("/>", f"{dash}/>"))
    out.append(
        f'<circle cx="{fmt(s[0])}" cy="{fmt(s[1])}" r="{fmt(LIMB_WIDTH / 2 + 1)}" fill="none" '
        f'stroke="{FAR}" stroke-width="{fmt(width * 0.7)}"/>'
    )
    if pivot_e is not None:
        # Turning about a joint that stays put: follow the arc, a little outside the limb.
        a0 = math.atan2(s[1] - pivot_e[1], s[0] - pivot_e[0])
        a1 = math.atan2(e[1] - pivot_e[1], e[0] - pivot_e[0])
        sweep = (a1 - a0 + math.pi) % (2 * math.pi) - math.pi
        radius = max(math.dist(pivot_e, e), 8.0) + 9 / drawing.scale
        trim = min(0.25, 6 / radius)
        a0 += math.copysign(trim, sweep) * 0.5
        a1 -= math.copysign(trim, sweep)
        p0 = (pivot_e[0] + radius * math.cos(a0), pivot_e[1] + radius * math.sin(a0))
        p1 = (pivot_e[0] + radius * math.cos(a1), pivot_e[1] + radius * math.sin(a1))
        before_a = a1 - math.copysign(0.05, sweep)
        before = (
            pivot_e[0] + radius * math.cos(before_a),
            pivot_e[1] + radius * math.sin(before_a),
        )
        flag = 1 if sweep > 0 else 0
        out.append(
            f'<path d="M{fmt(p0[0])} {fmt(p0[1])}A{fmt(radius)} {fmt(radius)} 0 0 {flag} '
            f'{fmt(p1[0])} {fmt(p1[1])}" fill="none" stroke="{MOTION}" '
            f'stroke-width="{fmt(width)}" stroke-linecap="round"/>'
        )
        out.append(_arrowhead(p1, before, width))
        return out
    length = math.dist(s, e)
    ux, uy = (e[0] - s[0]) / length, (e[1] - s[1]) / length
    # Beside the path, not on top of the limb.
    off = 9 / drawing.scale
    p0 = (s[0] + ux * 3 - uy * off, s[1] + uy * 3 + ux * off)
    p1 = (e[0] - ux * 5 - uy * off, e[1] - uy * 5 + ux * off)
    out.append(line(p0, p1, MOTION, width, ' stroke-linecap="round"'))
    out.append(_arrowhead(p1, p0, width))
    return out
