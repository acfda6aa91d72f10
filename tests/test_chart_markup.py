"""Every server-drawn chart is markup a template prints as it is (rehab_clinic.svg.drawn), with
any text in it escaped: a chart must never show up as its own source, and a label typed by a
person (an exercise's name, a report group) must never become markup."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from assessments.bodychart import render_body_chart
from assessments.charts import bar_chart, score_chart, sparkline
from programs.home.adherence import Tally
from programs.home.charts import adherence_bars, feel_trend
from programs.running.charts import plan_chart

HOSTILE = '<script>alert("x")</script>'
DAY = dt.date(2026, 11, 2)

CHARTS = {
    "score line": lambda: score_chart(
        title=HOSTILE, points=[(DAY, 6.0), (DAY + dt.timedelta(days=7), 4.0)], score_min=0,
        score_max=10, band=(5.0, 7.0),
    ),
    "sparkline": lambda: sparkline(label=HOSTILE, values=[6, 5, 3], score_min=0, score_max=10),
    "report bars": lambda: bar_chart(title=HOSTILE, bars=[(HOSTILE, 40.0), ("b", None)],
                                     value_max=100),
    "body chart": lambda: render_body_chart(frozenset(), title=HOSTILE),
    "adherence bars": lambda: adherence_bars(
        [Tally(label=HOSTILE, done=3, prescribed=4)], title=HOSTILE, chart_id="c"
    ),
    "how it felt": lambda: feel_trend([(DAY, 3, "hard")], title=HOSTILE, chart_id="f"),
    "run plan": lambda: plan_chart(
        logs=[], check_ins=[], start=DAY, end=DAY + dt.timedelta(days=14), distance=False,
        unit="km", pain_ceiling=3,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_prints_as_a_drawing_with_its_text_escaped(name: str) -> None:
    svg = CHARTS[name]()
    assert isinstance(svg, SafeString)
    printed = Template("{{ chart }}").render(Context({"chart": svg}))
    assert printed.startswith("<svg")
    assert "<script>" not in printed
