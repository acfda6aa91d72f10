"""Adherence drawn as server-side SVG: no scripts, the same markup for a page and a PDF."""

from html import escape

from programs.home.adherence import Tally

ROW_HEIGHT = 28
LABEL_WIDTH = 150
BAR_WIDTH = 190
VALUE_WIDTH = 80


def _row(index: int, tally: Tally) -> str:
    y = index * ROW_HEIGHT
    share = tally.percent
    width = 0 if share is None else round(BAR_WIDTH * share / 100)
    value = "nothing due" if share is None else f"{share}% ({tally.done}/{tally.prescribed})"
    label = tally.label if len(tally.label) <= 22 else tally.label[:21] + "…"
    bar_x = LABEL_WIDTH
    return (
        f"<g><title>{escape(tally.label)}: {escape(value)}</title>"
        f'<text x="{LABEL_WIDTH - 6}" y="{y + 18}" text-anchor="end" class="l">'
        f"{escape(label)}</text>"
        f'<rect x="{bar_x}" y="{y + 6}" width="{BAR_WIDTH}" height="16" class="track"/>'
        f'<rect x="{bar_x}" y="{y + 6}" width="{width}" height="16" class="bar"/>'
        f'<text x="{bar_x + BAR_WIDTH + 6}" y="{y + 18}" class="v">{escape(value)}</text></g>'
    )


def adherence_bars(tallies: list[Tally], *, title: str, chart_id: str) -> str:
    """Horizontal bars, one per tally, showing done as a share of prescribed."""
    height = max(1, len(tallies)) * ROW_HEIGHT + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH + 20
    summary = "; ".join(
        f"{t.label}: {'nothing due' if t.percent is None else f'{t.percent}%'}" for t in tallies
    )
    rows = "".join(_row(i, t) for i, t in enumerate(tallies))
    cid = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-t {cid}-d" font-family="sans-serif" font-size="12">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(summary)}</desc>'
        "<style>.l,.v{fill:#212529}.track{fill:#e9ecef}.bar{fill:#0b5ed7}</style>"
        f"{rows}</svg>"
    )
