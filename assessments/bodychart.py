"""Body chart: pain regions as stable codes, and our own SVG drawing of them.

A region code reads ``<view>-<area>-<side>`` (e.g. ``back-achilles-r``). The SVG is drawn from
simple shapes; each shape carries ``data-region`` so static/js/assessments_bodychart.js can
toggle the matching checkbox. The checkboxes are the accessible control; the drawing is a
pointer shortcut and a picture of what was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString

from rehab_clinic.svg import drawn


@dataclass(frozen=True)
class Region:
    view: str  # "front" or "back"
    area: str
    label: str
    side: str  # "r" or "l"
    x: float
    y: float
    w: float
    h: float

    @property
    def code(self) -> str:
        return f"{self.view}-{self.area}-{self.side}"

    @property
    def full_label(self) -> str:
        side = "right" if self.side == "r" else "left"
        return f"{self.label}, {side} ({self.view})"


# (area, label, y, height, x offset from the midline, width), drawn for the right side and
# mirrored for the left. Coordinates are in a 120 x 300 box per view.
_FRONT = [
    ("hip", "Hip / groin", 118, 24, 4, 22),
    ("thigh", "Front of thigh", 144, 52, 4, 22),
    ("knee", "Front of knee", 198, 20, 5, 20),
    ("shin", "Shin", 220, 44, 6, 17),
    ("ankle", "Front of ankle", 266, 12, 6, 17),
    ("foot", "Top of foot", 280, 14, 4, 22),
]
_BACK = [
    ("lowback", "Low back", 100, 18, 0, 22),
    ("buttock", "Buttock", 120, 26, 2, 24),
    ("hamstring", "Back of thigh", 148, 48, 4, 22),
    ("knee", "Back of knee", 198, 20, 5, 20),
    ("calf", "Calf", 220, 34, 6, 18),
    ("achilles", "Achilles", 256, 18, 9, 11),
    ("heel", "Heel", 276, 16, 7, 15),
]
_LATERAL = [
    ("hip_lateral", "Outer hip", 116, 22, 26, 10),
    ("itb", "Outer thigh / ITB", 146, 50, 26, 8),
]

VIEW_WIDTH = 120
MIDLINE = VIEW_WIDTH / 2


def _build() -> tuple[Region, ...]:
    regions: list[Region] = []
    for view, rows in (("front", _FRONT + _LATERAL), ("back", _BACK)):
        for area, label, y, h, offset, w in rows:
            for side in ("r", "l"):
                # Front view faces us: the patient's right is on our left. Back view: on our right.
                on_viewer_left = (side == "r") == (view == "front")
                x = MIDLINE - offset - w if on_viewer_left else MIDLINE + offset
                regions.append(Region(view, area, label, side, x, y, w, h))
    return tuple(regions)


REGIONS: tuple[Region, ...] = _build()
REGION_CODES = frozenset(region.code for region in REGIONS)
REGION_CHOICES = [(region.code, region.full_label) for region in REGIONS]


def region_label(code: str) -> str:
    for region in REGIONS:
        if region.code == code:
            return region.full_label
    return code


SELECTED = 'fill="#b02a37" fill-opacity="0.8" stroke="#0a58ca"'
UNSELECTED = 'fill="#9ec5fe" fill-opacity="0.45" stroke="#0a58ca"'


def _outline(dx: float) -> str:
    # A plain standing figure: head, trunk, arms, legs.
    return (
        f'<g class="bodychart-outline" fill="#f1f3f5" stroke="#6c757d" '
        f'transform="translate({dx} 0)">'
        '<circle cx="60" cy="22" r="16"/>'
        '<rect x="36" y="40" width="48" height="80" rx="12"/>'
        '<rect x="16" y="44" width="16" height="74" rx="8"/>'
        '<rect x="88" y="44" width="16" height="74" rx="8"/>'
        '<rect x="34" y="116" width="25" height="180" rx="10"/>'
        '<rect x="61" y="116" width="25" height="180" rx="10"/>'
        "</g>"
    )


def render_body_chart(
    selected: frozenset[str] | set[str] = frozenset(), *, title: str
) -> SafeString:
    """SVG markup with front and back views; ``selected`` region codes are filled."""
    parts = [
        f'<svg class="bodychart" viewBox="0 0 {VIEW_WIDTH * 2 + 20} 320" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="11" '
        'fill="#212529">',
        f"<title>{escape(title)}</title>",
        _outline(0),
        _outline(VIEW_WIDTH + 20),
        '<text x="60" y="314" text-anchor="middle">Front</text>',
        f'<text x="{VIEW_WIDTH + 80}" y="314" text-anchor="middle">Back</text>',
        '<text x="4" y="12">R</text><text x="108" y="12">L</text>',
        f'<text x="{VIEW_WIDTH + 24}" y="12">L</text>',
        f'<text x="{VIEW_WIDTH * 2 + 8}" y="12">R</text>',
    ]
    for region in REGIONS:
        dx = 0 if region.view == "front" else VIEW_WIDTH + 20
        chosen = region.code in selected
        css = "bodychart-region is-selected" if chosen else "bodychart-region"
        # The colours of the stylesheet's rules, so the chart reads without it; a tap that
        # toggles `is-selected` still recolours it, as a rule outranks an attribute.
        paint = SELECTED if chosen else UNSELECTED
        parts.append(
            f'<rect class="{css}" data-region="{region.code}" {paint} x="{region.x + dx:g}" '
            f'y="{region.y:g}" width="{region.w:g}" height="{region.h:g}" rx="4">'
            f"<title>{escape(region.full_label)}</title></rect>"
        )
    parts.append("</svg>")
    return drawn(parts)
