"""Body chart and score chart markup (no database)."""

import datetime as dt

from assessments.bodychart import REGION_CODES, REGIONS, region_label, render_body_chart
from assessments.charts import score_chart


def test_every_region_has_a_left_and_right_code_on_its_view():
    assert len(REGION_CODES) == len(REGIONS)
    for region in REGIONS:
        twin = region.code[:-1] + ("l" if region.side == "r" else "r")
        assert twin in REGION_CODES
    assert region_label("back-achilles-r") == "Achilles, right (back)"


def test_body_chart_marks_selected_regions_and_escapes_the_title():
    svg = render_body_chart({"back-achilles-r"}, title="<b>Pain</b>")
    assert 'class="bodychart-region is-selected" data-region="back-achilles-r"' in svg
    assert svg.count("is-selected") == 1
    assert "<b>" not in svg
    assert "<script" not in svg


def test_score_chart_draws_points_and_the_mcid_band():
    svg = score_chart(
        title="LEFS",
        points=[(dt.date(2026, 1, 1), 40), (dt.date(2026, 2, 1), 55)],
        score_min=0,
        score_max=80,
        band=(31, 49),
    )
    assert svg.count('class="score-chart-point"') == 2
    assert "Within MCID of baseline: 31 to 49" in svg
    assert "2026-01-01: 40" in svg


def test_score_chart_without_points_says_so():
    svg = score_chart(title="NPRS", points=[], score_min=0, score_max=10, higher_is_better=False)
    assert "No scores yet" in svg
    assert "lower is better" in svg
