"""The figure's body in one panel: floor, props, highlighted region, limbs, torso, head, eyes.

Drawn back to front so depth reads in print: props behind the body, the far limbs (light), the
torso and head, the near limbs (dark), then props in front. In a front view the far side is only a
little lighter, and the arms of a figure on all fours are drawn behind its legs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from exercises.drawing import Drawing, Panel
from exercises.figure import HEAD_RADIUS, Point
from exercises.marks import highlights, polyline
from exercises.props import (
    FAR,
    GROUND,
    GROUND_Y,
    LIMB_WIDTH,
    PAD,
    PANEL_W,
    TORSO_WIDTH,
    fmt,
    line,
    prop_svg,
)

NEAR = "#1d2b3a"
FRONT_FAR = "#4f6377"
# Arms of a figure on all fours seen from behind are farther than its legs.
FRONT_ARMS_BEHIND = {"quadruped"}


def _foot(j: Mapping[str, Point], side: str, color: str, panel: Panel) -> list[str]:
    heel, toe = j[f"heel_{side}"], j[f"toe_{side}"]
    arch = (panel.shape or {}).get(f"arch_{side}", 0.0)
    if arch:
        mid = j[f"arch_{side}"]
        control = (2 * mid[0] - (heel[0] + toe[0]) / 2, 2 * mid[1] - (heel[1] + toe[1]) / 2)
        out = [
            f'<path d="M{fmt(heel[0])} {fmt(heel[1])}Q{fmt(control[0])} {fmt(control[1])} '
            f'{fmt(toe[0])} {fmt(toe[1])}" fill="none" stroke="{color}" '
            f'stroke-width="{fmt(LIMB_WIDTH - 1)}"/>'
        ]
    else:
        out = [line(heel, toe, color, LIMB_WIDTH - 1)]
    if f"toetip_{side}" in j:
        out.append(line(toe, j[f"toetip_{side}"], color, LIMB_WIDTH - 2))
    return out


def _limbs(j: Mapping[str, Point], side: str, color: str, panel: Panel, view: str) -> list[str]:
    root = j[f"hip_{side}"] if view == "front" else j["hip"]
    top = j[f"shoulder_{side}"] if view == "front" else j["shoulder"]
    arm_color = FAR if view == "front" and panel.base in FRONT_ARMS_BEHIND else color
    return [
        polyline([root, j[f"knee_{side}"], j[f"ankle_{side}"]], color, LIMB_WIDTH),
        *_foot(j, side, color, panel),
        polyline([top, j[f"elbow_{side}"], j[f"wrist_{side}"]], arm_color, LIMB_WIDTH),
    ]


def _torso(j: Mapping[str, Point], panel: Panel, view: str) -> list[str]:
    if view == "front":
        corners = [j["hip_f"], j["hip_n"], j["shoulder_n"], j["shoulder_f"]]
        points = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in corners)
        return [
            f'<polygon points="{points}" fill="{NEAR}" stroke="{NEAR}" stroke-width="5"/>',
            line(j["shoulder"], j["neck"], NEAR, LIMB_WIDTH - 1),
        ]
    hip, shoulder, mid = j["hip"], j["shoulder"], j["spine_mid"]
    out = []
    if (panel.shape or {}).get("spine", 0.0):
        control = (2 * mid[0] - (hip[0] + shoulder[0]) / 2, 2 * mid[1] - (hip[1] + shoulder[1]) / 2)
        out.append(
            f'<path d="M{fmt(hip[0])} {fmt(hip[1])}Q{fmt(control[0])} {fmt(control[1])} '
            f'{fmt(shoulder[0])} {fmt(shoulder[1])}" fill="none" stroke="{NEAR}" '
            f'stroke-width="{fmt(TORSO_WIDTH)}"/>'
        )
    else:
        out.append(line(hip, shoulder, NEAR, TORSO_WIDTH))
    out.append(line(shoulder, j["neck"], NEAR, LIMB_WIDTH - 1))
    return out


def _eyes(j: Mapping[str, Point], panel: Panel, view: str) -> list[str]:
    if not panel.eyes:
        return []
    hx, hy = j["head"]
    nx, ny = j["neck"]
    up = math.atan2(hy - ny, hx - nx)
    if view == "front":
        across = up + math.pi / 2
        spots = [
            (hx + math.cos(across) * s * 4 + math.cos(up) * 1, hy + math.sin(across) * s * 4 + 1)
            for s in (-1, 1)
        ]
    else:
        face = up + math.pi / 2
        spots = [(hx + math.cos(face) * 5 + math.cos(up) * 1.5, hy + math.sin(face) * 5)]
    out = []
    for x, y in spots:
        if panel.eyes == "closed":
            out.append(
                f'<path d="M{fmt(x - 2.6)} {fmt(y)}q2.6 2.4 5.2 0" fill="none" '
                f'stroke="#ffffff" stroke-width="1.6" stroke-linecap="round"/>'
            )
        else:
            out.append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="1.8" fill="#ffffff"/>')
    return out


def figure_svg(panel: Panel, drawing: Drawing) -> list[str]:
    j, view = panel.joints, drawing.view
    parts = [line((PAD - 60, GROUND_Y), (PANEL_W - PAD + 60, GROUND_Y), GROUND, 2)]
    if panel.air > 0:
        # Short marks between the feet and the floor show the figure is in the air.
        x = min(j["toe_n"][0], j["toe_f"][0]) - 4
        for n in range(3):
            y = GROUND_Y - 3 - n * 4
            parts.append(line((x + n * 3, y), (x + 16 + n * 3, y), FAR, 1.5))
    for prop in panel.props:
        parts += prop_svg(prop, j, behind=True, view=view)
    parts += highlights(j, drawing)
    far = FRONT_FAR if view == "front" else FAR
    parts.append('<g stroke-linecap="round" stroke-linejoin="round" fill="none">')
    parts += _limbs(j, "f", far, panel, view)
    parts += _torso(j, panel, view)
    parts.append("</g>")
    hx, hy = j["head"]
    parts.append(f'<circle cx="{fmt(hx)}" cy="{fmt(hy)}" r="{fmt(HEAD_RADIUS)}" fill="{NEAR}"/>')
    parts += _eyes(j, panel, view)
    parts.append('<g stroke-linecap="round" stroke-linejoin="round" fill="none">')
    parts += _limbs(j, "n", NEAR, panel, view)
    parts.append("</g>")
    for prop in panel.props:
        parts += prop_svg(prop, j, behind=False, view=view)
    return parts
