"""Adherence drawn as server-side SVG: no scripts, the same markup for a page and a PDF."""

from datetime import date
from html import escape

from django.utils.safestring import SafeString

from programs.home.adherence import Tally
from rehab_clinic.svg import drawn

# Each row: the exercise's name on a line of its own, then the bar and the share beside it.
# With the name to the left of the bar it had 22 characters, and on a phone "Eccentric heel
# drop, straight knee" and "..., bent knee" both read "Eccentric heel drop, …" in 9-pixel
# text. The drawing is as wide as a phone's column (CHART_WIDTH, drawn at that size and
# narrower where the column is: `.adherence-chart` in app.css), so its text stays near 13 pixels.
ROW_HEIGHT = 42
BAR_WIDTH = 250
VALUE_WIDTH = 100
CHART_WIDTH = BAR_WIDTH + VALUE_WIDTH + 10
LABEL_CHARACTERS = 48


def _row(index: int, tally: Tally) -> str:
    y = index * ROW_HEIGHT
    share = tally.percent
    width = 0 if share is None else round(BAR_WIDTH * min(share, 100) / 100)
    value = "nothing due" if share is None else f"{share}% ({tally.done}/{tally.prescribed})"
    label = (
        tally.label
        if len(tally.label) <= LABEL_CHARACTERS
        else tally.label[: LABEL_CHARACTERS - 1] + "…"
    )
    return (
        f"<g><title>{escape(tally.label)}: {escape(value)}</title>"
        f'<text x="0" y="{y + 14}" class="l">{escape(label)}</text>'
        f'<rect x="0" y="{y + 20}" width="{BAR_WIDTH}" height="14" class="track"/>'
        f'<rect x="0" y="{y + 20}" width="{width}" height="14" class="bar"/>'
        f'<text x="{BAR_WIDTH + 6}" y="{y + 32}" class="v">{escape(value)}</text></g>'
    )


def adherence_bars(tallies: list[Tally], *, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per tally, showing done as a share of prescribed."""
    height = max(1, len(tallies)) * ROW_HEIGHT + 4
    summary = "; ".join(
        f"{t.label}: {'nothing due' if t.percent is None else f'{t.percent}%'}" for t in tallies
    )
    rows = "".join(_row(i, t) for i, t in enumerate(tallies))
    cid = escape(chart_id)
    return drawn(
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
            f'width="{CHART_WIDTH}" height="{height}" class="adherence-chart" role="img" '
            f'aria-labelledby="{cid}-t {cid}-d" font-family="sans-serif" font-size="13">',
            f'<title id="{cid}-t">{escape(title)}</title>',
            f'<desc id="{cid}-d">{escape(summary)}</desc>',
            "<style>.l,.v{fill:#212529}.track{fill:#e9ecef}.bar{fill:#0b5ed7}</style>",
            rows,
            "</svg>",
        )
    )


TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_TOP, TREND_BOTTOM = 360, 120, 28, 10, 22
_DIFFICULTY_WORDS = {"easy": "easy", "right": "about right", "hard": "hard"}


def feel_trend(
    points: list[tuple[date, int | None, str]], *, title: str, chart_id: str
) -> SafeString:
    """Pain (0-10) the patient gave with each tick of one exercise, oldest first, as a line;
    difficulty in each point's title and in the description."""
    rated = [(day, pain) for day, pain, _ in points if pain is not None]
    plot_w = TREND_WIDTH - TREND_LEFT - 8
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    first = points[0][0] if points else None
    span = max(1, (points[-1][0] - first).days) if first else 1

    def xy(day: date, pain: int) -> tuple[float, float]:
        x = TREND_LEFT + (day - first).days / span * plot_w if first else TREND_LEFT
        return x, TREND_TOP + plot_h - pain / 10 * plot_h

    said = [
        f"{day:%d %b}: pain {'not said' if pain is None else pain}"
        + (f", {_DIFFICULTY_WORDS.get(feel, feel)}" if feel else "")
        for day, pain, feel in points
    ]
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" '
        f'role="img" aria-labelledby="{cid}-t {cid}-d" font-family="sans-serif" font-size="11">'
        f'<title id="{cid}-t">{escape(title)}</title>'
        f'<desc id="{cid}-d">{escape("; ".join(said) or "Nothing said yet")}</desc>'
        "<style>.g{stroke:#dee2e6}.p{fill:none;stroke:#b02a37;stroke-width:2}"
        ".d{fill:#b02a37}text{fill:#212529}</style>"
    ]
    for level in (0, 5, 10):
        y = TREND_TOP + plot_h - level / 10 * plot_h
        parts.append(
            f'<line class="g" x1="{TREND_LEFT}" x2="{TREND_WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{TREND_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{level}</text>'
        )
    coords = [xy(day, pain) for day, pain in rated]
    if coords:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline class="p" points="{line}"/>')
        parts.extend(f'<circle class="d" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in coords)
    if first:
        parts.append(
            f'<text x="{TREND_LEFT}" y="{TREND_HEIGHT - 6}">{first:%d %b}</text>'
            f'<text x="{TREND_WIDTH - 8}" y="{TREND_HEIGHT - 6}" text-anchor="end">'
            f"{points[-1][0]:%d %b}</text>"
        )
    parts.append("</svg>")
    return drawn(parts)
