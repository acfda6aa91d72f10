"""Every server-drawn chart, as Chromium lays it out: its labels lie inside the drawing, and it
looks the same without the page's stylesheets as with them.

A label past the viewBox is cut off where the chart is shown: the run plan chart's last date
("07 Dec") was centred on the plot's right edge, half of it outside, and read "07 De" on a
phone. Measured with the text's real box, not guessed from character counts.

A chart that takes its colours from a stylesheet is drawn black wherever that stylesheet is
missing: the episode's charts page showed the NPRS and LEFS charts' MCID band as a black block
over the line, and a chart printed as an image never sees the page's stylesheet at all."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.utils.safestring import SafeString

from assessments.bodychart import render_body_chart
from assessments.charts import bar_chart, score_chart, sparkline
from programs.home.adherence import Tally
from programs.home.charts import adherence_bars, feel_trend
from programs.running.charts import plan_chart

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 11, 2)


def _run(day: dt.date) -> SimpleNamespace:
    return SimpleNamespace(
        date=day, pain_during=3, pain_after=2, run_minutes=Decimal(20),
        distance_m=5633,
    )  # fmt: skip


def _plan(*, distance: bool, weeks: int) -> SafeString:
    runs = [_run(DAY + dt.timedelta(days=2 * i)) for i in range(weeks * 3)]
    mornings = [SimpleNamespace(date=r.date + dt.timedelta(days=1), pain=1) for r in runs]
    return plan_chart(
        logs=runs, check_ins=mornings, start=DAY, end=DAY + dt.timedelta(days=7 * weeks),
        distance=distance, unit="mi" if distance else "km", pain_ceiling=5, pain_after=True,
        visit_pain=[(DAY + dt.timedelta(days=10), 4.0)],
    )  # fmt: skip


CHARTS = {
    "run plan, five weeks": lambda: _plan(distance=False, weeks=5),
    "run plan, in miles, twelve weeks": lambda: _plan(distance=True, weeks=12),
    "run plan, no runs": lambda: plan_chart(
        logs=[], check_ins=[], start=DAY, end=DAY + dt.timedelta(days=14), distance=False,
        unit="km", pain_ceiling=3,
    ),
    "score line": lambda: score_chart(
        title="LEFS", points=[(DAY, 40.0), (DAY + dt.timedelta(days=60), 70.0)], score_min=0,
        score_max=80, band=(31.0, 49.0),
    ),
    "sparkline": lambda: sparkline(label="NPRS", values=[6, 5, 3], score_min=0, score_max=10),
    "report bars": lambda: bar_chart(
        title="Adherence by therapist", bars=[("Dana Whitfield", 40.0), ("Sam Reyes", 100.0)],
        value_max=100,
    ),
    "adherence bars": lambda: adherence_bars(
        [
            Tally(label="Eccentric heel drop, straight knee", done=30, prescribed=28),
            Tally(label="Single-leg Romanian deadlift with a kettlebell", done=100, prescribed=100),
            Tally(
                label="Resisted hip abduction lying on the side with a long band, held at the top",
                done=0, prescribed=0,
            ),
        ],
        title="Last 14 days", chart_id="c",
    ),
    "body chart": lambda: render_body_chart({"front-knee-r"}, title="Where it hurts"),
    "how it felt": lambda: feel_trend(
        [(DAY, 3, "hard"), (DAY + dt.timedelta(days=30), 1, "easy")], title="How it felt",
        chart_id="f",
    ),
}  # fmt: skip

OUTSIDE = """() => {
  const svg = document.querySelector('svg');
  const box = svg.viewBox.baseVal;
  const out = [];
  for (const text of svg.querySelectorAll('text')) {
    const b = text.getBBox();
    if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5 ||
        b.y < box.y - 0.5 || b.y + b.height > box.y + box.height + 0.5) {
      out.push(text.textContent);
    }
  }
  return out;
}"""


PAINT = """() => Array.from(document.querySelectorAll('svg *')).map((element) => {
  const style = getComputedStyle(element);
  return [element.tagName, style.fill, style.fillOpacity, style.stroke, style.strokeWidth,
          style.strokeDasharray, style.fontSize, style.fontWeight].join(' ');
})"""


def _show(page: Any, chart: SafeString, *, styled: bool) -> None:
    sheets = ""
    if styled:
        folder = Path(settings.BASE_DIR) / "static" / "css"
        sheets = "".join((folder / name).read_text() for name in ("app.css", "assessments.css"))
    page.set_content(
        f"<html><head><style>{sheets}</style></head>"
        f"<body><div style='width: 560px'>{chart}</div></body></html>"
    )


@pytest.mark.parametrize("name", CHARTS)
def test_every_label_of_a_chart_lies_inside_the_drawing(name: str, page: Any) -> None:
    _show(page, CHARTS[name](), styled=True)
    assert page.evaluate(OUTSIDE) == []


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_looks_the_same_without_the_pages_stylesheets(name: str, page: Any) -> None:
    chart = CHARTS[name]()
    _show(page, chart, styled=True)
    styled = page.evaluate(PAINT)
    _show(page, chart, styled=False)
    assert page.evaluate(PAINT) == styled
