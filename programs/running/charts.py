"""Server-side SVG for a return-to-run plan: weekly volume and pain on one time axis.

Plain SVG with no scripts, so the same markup serves the page and a PDF. Every text node goes
through ``escape``; numbers are formatted by us.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString

from rehab_clinic.accounts.units import from_metres
from rehab_clinic.svg import drawn

__all__ = ["WeekVolume", "plan_chart", "weekly_volumes"]

WIDTH = 560
LEFT = 40
RIGHT = 16
TOP_H = 110  # volume panel
GAP = 34
PAIN_H = 130
TOP = 24
HEIGHT = TOP + TOP_H + GAP + PAIN_H + 40


class WeekVolume:
    def __init__(self, start: dt.date, value: Decimal) -> None:
        self.start = start
        self.value = value


def weekly_volumes(logs: Iterable[Any], *, distance: bool, unit: str) -> list[WeekVolume]:
    """Run minutes (or distance in the clinic's unit) per Monday-starting week."""
    totals: dict[dt.date, Decimal] = defaultdict(Decimal)
    for log in logs:
        week = log.date - dt.timedelta(days=log.date.weekday())
        if distance:
            totals[week] += from_metres(log.distance_m or 0, unit)
        else:
            totals[week] += Decimal(log.run_minutes or 0)
    return [WeekVolume(week, totals[week]) for week in sorted(totals)]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def plan_chart(
    *,
    logs: list[Any],
    check_ins: list[Any],
    start: dt.date,
    end: dt.date,
    distance: bool,
    unit: str,
    pain_ceiling: int,
    pain_after: bool = False,
    visit_pain: list[tuple[dt.date, float]] | None = None,
) -> SafeString:
    """Weekly volume bars above pain-during and next-morning pain lines, sharing dates.

    The episode chart page also asks for pain right after each run (`pain_after`) and the pain
    scored at each visit (`visit_pain`, NPRS), on the same pain axis and ceiling line."""
    if end < start:
        start, end = end, start
    weeks = weekly_volumes(logs, distance=distance, unit=unit)
    first = min([start, *(w.start for w in weeks)])
    last = max([end, *(w.start + dt.timedelta(days=7) for w in weeks)])
    span = max(1, (last - first).days)
    plot_w = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span

    volume_label = f"Weekly distance ({unit})" if distance else "Weekly running (min)"
    top_max = max([Decimal(1), *(w.value for w in weeks)])
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="rtr-chart-title" class="rtr-chart" width="100%">',
        '<title id="rtr-chart-title">'
        + escape(f"{volume_label}, and pain during runs and next morning, by date")
        + "</title>",
        f'<text x="{LEFT}" y="16" font-size="14" fill="#212529">{escape(volume_label)}</text>',
    ]
    base = TOP + TOP_H
    parts.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#6c757d"/>'
    )
    for week in weeks:
        h = float(Decimal(TOP_H) * week.value / top_max)
        x0 = x(week.start) + 2
        w = max(4.0, x(week.start + dt.timedelta(days=7)) - x(week.start) - 4)
        label = f"{week.value.quantize(Decimal('0.1'))}"
        parts.append(
            f'<rect x="{_fmt(x0)}" y="{_fmt(base - h)}" width="{_fmt(w)}" height="{_fmt(h)}" '
            f'fill="#0d6efd"><title>{escape(f"Week of {week.start:%d %b}: {label}")}</title></rect>'
        )
        parts.append(
            f'<text x="{_fmt(x0 + w / 2)}" y="{_fmt(base - h - 3)}" font-size="12" '
            f'text-anchor="middle" fill="#212529">{escape(label)}</text>'
        )

    pain_top = base + GAP
    pain_base = pain_top + PAIN_H

    def y(pain: int) -> float:
        return pain_base - PAIN_H * pain / 10

    legend = '<tspan fill="#b02a37">● during the run</tspan>  '
    if pain_after:
        legend += '<tspan fill="#6f42c1">▲ after</tspan>  '
    legend += '<tspan fill="#146c43">■ next morning</tspan>'
    if visit_pain:
        legend += '  <tspan fill="#212529">◆ at visits</tspan>'
    parts.append(
        f'<text x="{LEFT}" y="{pain_top - 8}" font-size="14" fill="#212529">Pain (0-10): '
        f"{legend}</text>"
    )
    for level in (0, 5, 10):
        parts.append(
            f'<line x1="{LEFT}" y1="{_fmt(y(level))}" x2="{WIDTH - RIGHT}" y2="{_fmt(y(level))}" '
            'stroke="#dee2e6"/>'
            f'<text x="{LEFT - 6}" y="{_fmt(y(level) + 4)}" font-size="12" text-anchor="end" '
            f'fill="#495057">{level}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{_fmt(y(pain_ceiling))}" x2="{WIDTH - RIGHT}" '
        f'y2="{_fmt(y(pain_ceiling))}" stroke="#b02a37" stroke-dasharray="4 3"/>'
        f'<text x="{WIDTH - RIGHT}" y="{_fmt(y(pain_ceiling) - 3)}" font-size="12" '
        f'text-anchor="end" fill="#b02a37">ceiling {pain_ceiling}</text>'
    )
    during = [
        (x(log.date), y(log.pain_during), log) for log in sorted(logs, key=lambda lg: lg.date)
    ]
    if len(during) > 1:
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py, _ in during)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#b02a37" stroke-width="2"/>')
    for px, py, log in during:
        parts.append(
            f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="4" fill="#b02a37"><title>'
            + escape(f"{log.date:%d %b}: pain during {log.pain_during}/10")
            + "</title></circle>"
        )
    mornings = [(x(c.date), y(c.pain), c) for c in sorted(check_ins, key=lambda c: c.date)]
    if len(mornings) > 1:
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py, _ in mornings)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#146c43" stroke-width="2" '
            'stroke-dasharray="5 3"/>'
        )
    for px, py, check in mornings:
        parts.append(
            f'<rect x="{_fmt(px - 4)}" y="{_fmt(py - 4)}" width="8" height="8" fill="#146c43">'
            "<title>"
            + escape(f"{check.date:%d %b}: morning pain {check.pain}/10")
            + "</title></rect>"
        )
    if pain_after:
        for log in logs:
            px, py = x(log.date), y(log.pain_after)
            parts.append(
                f'<path d="M{_fmt(px)},{_fmt(py - 5)} l4,8 h-8 z" fill="#6f42c1"><title>'
                + escape(f"{log.date:%d %b}: pain after {log.pain_after}/10")
                + "</title></path>"
            )
    for day, score in visit_pain or []:
        if first <= day <= last:
            px, py = x(day), pain_base - PAIN_H * score / 10
            parts.append(
                f'<path d="M{_fmt(px)},{_fmt(py - 5)} l5,5 l-5,5 l-5,-5 z" fill="#212529">'
                "<title>"
                + escape(f"{day:%d %b}: pain at the visit {score:g}/10")
                + "</title></path>"
            )
    axis_y = pain_base + 16
    ticks = 5
    for i in range(ticks + 1):
        day = first + dt.timedelta(days=round(span * i / ticks))
        # The end dates lean inward: centred on the plot's edges, half of each was cut off.
        anchor = "start" if i == 0 else "end" if i == ticks else "middle"
        parts.append(
            f'<text x="{_fmt(x(day))}" y="{axis_y}" font-size="12" text-anchor="{anchor}" '
            f'fill="#495057">{escape(f"{day:%d %b}")}</text>'
        )
    parts.append("</svg>")
    return drawn(parts)
