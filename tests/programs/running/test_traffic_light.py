"""The handout's pain traffic light and the progression rule agree: the words are rendered
through the PDF's own template, the numbers read back from them, and the rule run on each
boundary value. Wording reads naturally at every ceiling (never "3 to 3 out of 10")."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from programs.documents.sheet import PainRules, pain_traffic_light
from programs.running.progression import (
    Decision,
    MorningCheck,
    PlanLimits,
    SessionReport,
    recommend,
)
from programs.running.wording import pain_range, traffic_light

DAY0 = dt.date(2026, 3, 2)


def _rendered_lights(limits: PlanLimits) -> dict[str, str]:
    rules = PainRules(run_limits=limits, contact="Stop running and contact Riverside: 555-0100")
    html = render_to_string("pdf/_pain_rules.html", {"lights": pain_traffic_light(rules)})
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return {
        colour: text[text.index(f"{label}:") :]
        for colour, label in (("green", "Go"), ("amber", "Caution"), ("red", "Stop"))
    }


def _upper(words: str, where: str) -> int:
    """The top of the range `where ... 0 to N out of 10` (or `N out of 10`)."""
    found = re.search(rf"{where} (?:(\d+) to )?(\d+) out of 10", words)
    assert found, (where, words)
    return int(found.group(2))


def _decide(limits: PlanLimits, *, during: int, morning: int) -> Decision:
    sessions = [
        SessionReport(date=DAY0, stage_number=3),
        SessionReport(date=DAY0 + dt.timedelta(days=2), stage_number=3, pain_during=during),
    ]
    checks = [
        MorningCheck(date=DAY0 + dt.timedelta(days=1), pain=0),
        MorningCheck(date=DAY0 + dt.timedelta(days=3), pain=morning),
    ]
    return recommend(
        limits=limits,
        current_stage=3,
        stage_count=6,
        sessions_to_progress=2,
        sessions=sessions,
        checks=checks,
        today=DAY0 + dt.timedelta(days=3),
    ).decision


@pytest.mark.parametrize("ceiling", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("settled", [0, 1, 2])
def test_the_printed_light_and_the_rule_agree_at_every_ceiling(ceiling: int, settled: int):
    limits = PlanLimits(pain_during_max=ceiling, pain_after_max=ceiling, morning_pain_max=settled)
    words = _rendered_lights(limits)

    run_top = _upper(words["green"], "during and right after the run")
    green_morning = _upper(words["green"], "next morning")
    amber_morning = _upper(words["amber"], "next morning")
    red_run = int(re.search(r"more than (\d+) out of 10 during", words["red"]).group(1))
    red_morning = int(re.search(r"more than (\d+) out of 10 next morning", words["red"]).group(1))
    assert (run_top, red_run) == (ceiling, ceiling)
    assert red_morning == amber_morning

    # Green progresses, amber repeats, red steps back: at and just past each printed boundary.
    assert _decide(limits, during=run_top, morning=green_morning) == Decision.PROGRESS
    assert _decide(limits, during=run_top + 1, morning=0) == Decision.STEP_BACK
    assert _decide(limits, during=0, morning=green_morning + 1) == Decision.REPEAT
    assert _decide(limits, during=0, morning=amber_morning) == Decision.REPEAT
    assert _decide(limits, during=0, morning=red_morning + 1) == Decision.STEP_BACK
    assert "Riverside: 555-0100" in words["red"]


@pytest.mark.parametrize("ceiling", range(11))
def test_no_light_reads_n_to_n(ceiling: int):
    for settled in range(ceiling + 1):
        limits = PlanLimits(
            pain_during_max=ceiling, pain_after_max=ceiling, morning_pain_max=settled
        )
        for light in traffic_light(limits):
            assert not re.search(r"\b(\d+) to \1 out of 10", light.pain), light.pain


def test_a_one_value_range_reads_as_that_value():
    assert (pain_range(3, 3), pain_range(0, 3)) == ("3 out of 10", "0 to 3 out of 10")


def test_the_home_program_light_without_a_run_plan_never_reads_n_to_n():
    lights = pain_traffic_light(PainRules(green_max=2, amber_max=3))
    assert lights[1].pain == "3 out of 10"
