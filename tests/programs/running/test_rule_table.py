"""The progression rule against DOMAIN.md section 7.3, row by row, at every threshold's boundary
(docs/return_to_run.md states the same table). Pure: no database."""

import datetime as dt

import pytest

from programs.running.progression import (
    Decision,
    MorningCheck,
    PlanLimits,
    SessionReport,
    Swelling,
    recommend,
)

DAY0 = dt.date(2026, 3, 2)
# settled 2, a morning jump above 4 steps back, stiffness may rise by 1
LIMITS = PlanLimits(pain_during_max=5, pain_after_max=5, morning_pain_max=2, morning_jump_points=2)
P, H, B = Decision.PROGRESS, Decision.REPEAT, Decision.STEP_BACK


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def run(n: int, stage: int = 3, **kwargs) -> SessionReport:
    return SessionReport(date=day(n), stage_number=stage, **kwargs)


def morning(n: int, pain: int = 0, stiffness: int = 0) -> MorningCheck:
    return MorningCheck(date=day(n), pain=pain, stiffness=stiffness)


def decide(sessions, checks, *, stage=3, stages=6, needed=2, today=None, limits=LIMITS):
    return recommend(
        limits=limits,
        current_stage=stage,
        stage_count=stages,
        sessions_to_progress=needed,
        sessions=sessions,
        checks=checks,
        today=today or day(20),
    )


def after_one_good(latest: SessionReport, latest_morning: MorningCheck | None):
    """A good run on day 0 (settled on day 1), then `latest` on day 2."""
    checks = [morning(1)] + ([latest_morning] if latest_morning else [])
    return decide([run(0), latest], checks)


# (DOMAIN 7.3 row, latest run, its next morning, decision, stage next)
# fmt: off
TABLE = [
    # Row 1: within limits, settled, no trend, over the sessions the stage needs: progress
    ("progress: pain during at the ceiling", run(2, pain_during=5), morning(3), P, 4),
    ("progress: pain after at the ceiling", run(2, pain_after=5), morning(3), P, 4),
    ("progress: morning at the settled level", run(2), morning(3, pain=2), P, 4),
    ("progress: stiffness up by the tolerated 1", run(2), morning(3, stiffness=1), P, 4),
    # Row 2: not yet settled, or the check-in missing: hold
    ("hold: morning one above settled", run(2), morning(3, pain=3), H, 3),
    ("hold: morning at the jump limit (settled + 2)", run(2), morning(3, pain=4), H, 3),
    ("hold: stiffness rising by 2 is not settled", run(2), morning(3, stiffness=2), H, 3),
    ("hold: next-morning check-in missing", run(2), None, H, 3),
    ("hold: session not completed", run(2, completed=False), morning(3), H, 3),
    # Row 3: step back one stage and rest a day
    ("step back: pain during one above the ceiling", run(2, pain_during=6), morning(3), B, 2),
    ("step back: pain after one above the ceiling", run(2, pain_after=6), morning(3), B, 2),
    ("step back: one morning jump above settled + 2", run(2), morning(3, pain=5), B, 2),
    ("step back: one morning at 10/10", run(2), morning(3, pain=10), B, 2),
    ("step back: a limp with pain within limits", run(2, limp=True), morning(3), B, 2),
    ("step back: mild swelling", run(2, swelling=Swelling.MILD), morning(3), B, 2),
    ("step back: marked swelling", run(2, swelling=Swelling.MARKED), morning(3), B, 2),
    ("step back: pain building during the run", run(2, pain_built_during_run=True),
     morning(3), B, 2),
    ("step back: a limp without waiting for the morning", run(2, limp=True), None, B, 2),
]
# fmt: on


@pytest.mark.parametrize(
    ("latest", "latest_morning", "decision", "next_stage"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_decision_table(latest, latest_morning, decision, next_stage):
    result = after_one_good(latest, latest_morning)
    assert (result.decision, result.stage_number) == (decision, next_stage)
    assert result.rest_day is (decision == B)
    assert result.reason
    assert result.clinical_reason


@pytest.mark.parametrize(
    ("latest", "stop"),
    [
        (run(2, limp=True), True),
        (run(2, swelling=Swelling.MILD), True),
        (run(2, pain_during=6), True),
        (run(2, pain_built_during_run=True), False),
    ],
)
def test_stop_signs_tell_the_runner_to_contact_the_clinic(latest, stop):
    assert after_one_good(latest, morning(3)).stop_sign is stop


def test_one_high_morning_is_a_stop_sign_and_speaks_both_languages():
    result = after_one_good(run(2), morning(3, pain=7))
    assert result.stop_sign
    assert "well above your settled level of 2/10" in result.reason
    assert "Next-morning NRS 7/10 > settled 2/10 + 2" in result.clinical_reason


def test_the_morning_jump_limit_is_the_plans_own():
    strict = PlanLimits(morning_pain_max=2, morning_jump_points=0)
    result = decide([run(0), run(2)], [morning(1), morning(3, pain=3)], limits=strict)
    assert result.decision == B


def test_the_limp_reaches_the_runner_in_plain_words_and_the_therapist_in_clinical_ones():
    result = after_one_good(run(2, limp=True), morning(3))
    assert "You limped or your running changed." in result.reason
    assert "altered gait" in result.clinical_reason


def test_stiffness_rising_on_consecutive_mornings_steps_back():
    sessions = [run(0), run(2), run(4)]
    checks = [morning(1, stiffness=0), morning(3, stiffness=2), morning(5, stiffness=4)]
    result = decide(sessions, checks)
    assert result.decision == B
    assert "stiffness" in result.reason


def test_two_runs_on_one_day_count_as_one_success():
    sessions = [run(2), run(2)]
    result = decide(sessions, [morning(3)])
    assert result.decision == H
    assert result.successful_sessions == 1
    assert "1 of 2" in result.reason


def test_a_double_submitted_log_does_not_progress_after_one_day():
    once = decide([run(2)], [morning(3)], needed=2)
    twice = decide([run(2), run(2)], [morning(3)], needed=2)
    assert once.decision == twice.decision == H


def test_two_runs_on_one_day_where_the_second_hurts_step_back():
    result = decide([run(2), run(2, pain_during=8)], [morning(3)])
    assert result.decision == B


def test_a_painful_run_logged_at_another_stage_still_steps_back():
    result = decide([run(0), run(2, stage=4, pain_during=9)], [morning(1)])
    assert (result.decision, result.stage_number, result.rest_day) == (B, 2, True)
    assert "9/10" in result.reason


def test_a_limp_logged_at_an_earlier_stage_still_steps_back():
    result = decide([run(0), run(2, stage=1, limp=True)], [morning(1), morning(3)])
    assert result.decision == B


def test_a_good_run_at_another_stage_holds_and_says_so():
    result = decide([run(0), run(2, stage=4)], [morning(1), morning(3)])
    assert (result.decision, result.stage_number) == (H, 3)
    assert "logged at stage 4" in result.reason


def test_missing_check_in_holds_and_asks_for_it():
    result = decide([run(0), run(2)], [morning(1)], today=day(6))
    assert result.decision == H
    assert "Please check in after every run" in result.reason


def test_first_stage_step_back_stays_at_stage_one_with_a_rest_day():
    result = decide([run(0, stage=1, limp=True)], [], stage=1)
    assert (result.decision, result.stage_number, result.rest_day) == (B, 1, True)
    assert "Stay at stage 1" in result.reason


def test_last_stage_progress_completes_the_plan():
    result = decide([run(0, stage=6), run(2, stage=6)], [morning(1), morning(3)], stage=6)
    assert (result.decision, result.stage_number) == (P, 6)
    assert "the plan is complete" in result.reason


def test_last_stage_step_back_goes_to_the_one_before():
    result = decide([run(0, stage=6, swelling=Swelling.MILD)], [morning(1)], stage=6)
    assert (result.decision, result.stage_number) == (B, 5)


@pytest.mark.parametrize(("unsettled", "decision"), [(1, H), (2, B)])
def test_unsettled_mornings_in_a_row_boundary(unsettled, decision):
    sessions = [run(0), run(2), run(4)]
    checks = [morning(1), morning(3), morning(5)]
    for i in range(unsettled):
        checks[-1 - i] = morning(5 - 2 * i, pain=3)
    assert decide(sessions, checks).decision == decision
