"""Server-side SVG of a score over time with the MCID band around the baseline.

Pure: values in, markup out. The same markup serves the episode page and print. Each drawing
carries its own colours and sizes as presentation attributes: a page without
`css/assessments.css` (the episode's charts page) drew the MCID band as a black block and lost
the line, and a chart printed as an image never sees the page's stylesheet. The classes stay
as hooks; the stylesheet's rules for them give the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString

from rehab_clinic.svg import drawn

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 28, 34
INK = "#052c65"
# On the root: every label's size and colour (a shape without its own fill would take this
# colour too, so each shape below names its fill).
TEXT = 'font-size="11" fill="#212529"'
GRID = 'stroke="#dee2e6"'


def score_chart(
    *,
    title: str,
    points: Sequence[tuple[dt.date, float]],
    score_min: float,
    score_max: float,
    band: tuple[float, float] | None = None,
    higher_is_better: bool = True,
) -> SafeString:
    """A line chart of ``points`` (date, score) with an optional shaded ``band`` (low, high)."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = (score_max - score_min) or 1

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - score_min) / span * plot_h

    dates = [d for d, _ in points]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    days = (last - first).days if first and last else 0

    def x_of(day: dt.date) -> float:
        if not first or days == 0:
            return LEFT + plot_w / 2
        return LEFT + (day - first).days / days * plot_w

    direction = "higher is better" if higher_is_better else "lower is better"
    label = f"{title} ({direction})"
    parts = [
        f'<svg class="score-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" {TEXT}>',
        f"<title>{escape(label)}</title>",
        f'<text x="{LEFT}" y="16" class="score-chart-title" font-weight="600">'
        f"{escape(label)}</text>",
    ]
    if band is not None:
        low, high = band
        parts.append(
            f'<rect class="score-chart-band" fill="#cfe2ff" x="{LEFT}" y="{y_of(high):.1f}" '
            f'width="{plot_w}" '
            f'height="{max(y_of(low) - y_of(high), 0):.1f}">'
            f"<title>Within MCID of baseline: {low:g} to {high:g}</title></rect>"
        )
    for tick in _ticks(score_min, score_max):
        y = y_of(tick)
        parts.append(
            f'<line class="score-chart-grid" {GRID} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    if points:
        coords = [(x_of(d), y_of(v)) for d, v in sorted(points)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="score-chart-line" fill="none" stroke="{INK}" stroke-width="2" '
            f'points="{path}"/>'
        )
        for (day, value), (x, y) in zip(sorted(points), coords, strict=True):
            parts.append(
                f'<circle class="score-chart-point" fill="{INK}" cx="{x:.1f}" cy="{y:.1f}" r="4">'
                f"<title>{day.isoformat()}: {value:g}</title></circle>"
            )
        parts.append(
            f'<text x="{LEFT}" y="{HEIGHT - 10}">{sorted(dates)[0].isoformat()}</text>'
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" text-anchor="end">'
            f"{sorted(dates)[-1].isoformat()}</text>"
        )
    else:
        parts.append(f'<text x="{LEFT + 10}" y="{TOP + plot_h / 2}">No scores yet</text>')
    parts.append("</svg>")
    return drawn(parts)


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 4
    return [low + step * n for n in range(5)]


SPARK_W, SPARK_H, SPARK_PAD = 80, 22, 3


def sparkline(
    *, label: str, values: Sequence[float], score_min: float, score_max: float
) -> SafeString:
    """A small line of the last few scores (oldest first) for a table cell, the latest dotted.

    Same rules as ``score_chart``: values in, escaped markup out, a title for screen readers.
    """
    text = f"{label}: " + (", ".join(f"{v:g}" for v in values) if values else "no scores")
    span = (score_max - score_min) or 1
    step = (SPARK_W - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def y_of(value: float) -> float:
        return SPARK_H - SPARK_PAD - (value - score_min) / span * (SPARK_H - 2 * SPARK_PAD)

    coords = [(SPARK_PAD + i * step, y_of(v)) for i, v in enumerate(values)]
    parts = [
        f'<svg class="sparkline" viewBox="0 0 {SPARK_W} {SPARK_H}" width="{SPARK_W}" '
        f'height="{SPARK_H}" role="img" aria-label="{escape(text)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(text)}</title>",
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#495057" stroke-width="1.5"/>')
    if coords:
        x, y = coords[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#b02a37"/>')
    parts.append("</svg>")
    return drawn(parts)


BAR_W, BAR_H, BAR_LEFT, BAR_TOP, BAR_BOTTOM = 560, 220, 44, 28, 40


def bar_chart(
    *, title: str, bars: Sequence[tuple[str, float | None]], value_max: float
) -> SafeString:
    """Vertical bars, one per (label, value); a value of None is a group too small to show, drawn
    as an empty outline titled "fewer than 5" (the report's suppression, never a number)."""
    plot_w = BAR_W - BAR_LEFT - 16
    plot_h = BAR_H - BAR_TOP - BAR_BOTTOM
    top = value_max or 1
    slot = plot_w / max(len(bars), 1)
    parts = [
        f'<svg class="bar-chart" viewBox="0 0 {BAR_W} {BAR_H}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" {TEXT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="{BAR_LEFT}" y="16" class="score-chart-title" font-weight="600">'
        f"{escape(title)}</text>",
    ]
    for tick in _ticks(0, top):
        y = BAR_TOP + plot_h - tick / top * plot_h
        parts.append(
            f'<line class="score-chart-grid" {GRID} x1="{BAR_LEFT}" x2="{BAR_W - 16}" '
            f'y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text x="{BAR_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{tick:g}</text>"
        )
    for n, (label, value) in enumerate(bars):
        x = BAR_LEFT + n * slot + slot * 0.15
        width = slot * 0.7
        base = BAR_TOP + plot_h
        if value is None:
            parts.append(
                f'<rect class="bar-chart-suppressed" fill="none" stroke="#6c757d" '
                f'stroke-dasharray="3 2" x="{x:.1f}" y="{base - 12:.1f}" '
                f'width="{width:.1f}" height="12"><title>{escape(label)}: fewer than 5</title>'
                "</rect>"
            )
        else:
            height = max(value, 0) / top * plot_h
            parts.append(
                f'<rect class="bar-chart-bar" fill="{INK}" x="{x:.1f}" y="{base - height:.1f}" '
                f'width="{width:.1f}" height="{height:.1f}">'
                f"<title>{escape(label)}: {value:g}</title></rect>"
            )
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{BAR_H - 22}" text-anchor="middle" '
            f'class="bar-chart-label">{escape(label)}</text>'
        )
    if not bars:
        parts.append(f'<text x="{BAR_LEFT + 10}" y="{BAR_TOP + plot_h / 2}">Nothing yet</text>')
    parts.append("</svg>")
    return drawn(parts)
