"""The progression rule and the flags, table-driven, without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from programs.running.flags import FlagKind, detect_flags
from programs.running.progression import (
    Decision,
    MorningCheck,
    PlanLimits,
    SessionReport,
    VolumeKind,
    recommend,
)

DAY0 = dt.date(2026, 3, 2)
LIMITS = PlanLimits(pain_during_max=5, pain_after_max=5, morning_pain_max=2)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def run(n: int, stage: int = 3, **kwargs) -> SessionReport:
    return SessionReport(date=day(n), stage_number=stage, **kwargs)


def morning(n: int, pain: int = 0, stiffness: int = 0) -> MorningCheck:
    return MorningCheck(date=day(n), pain=pain, stiffness=stiffness)


def decide(sessions, checks, *, today=None, stage=3, needed=2, stages=6, limits=LIMITS):
    return recommend(
        limits=limits,
        current_stage=stage,
        stage_count=stages,
        sessions_to_progress=needed,
        sessions=sessions,
        checks=checks,
        today=today or day(20),
    )


GOOD_EARLIER = [run(0)], [morning(1)]


def with_latest(latest: SessionReport, latest_check: MorningCheck | None):
    sessions = [run(0), latest]
    checks = [morning(1)] + ([latest_check] if latest_check else [])
    return sessions, checks


# (description, latest session, its next-morning check-in, decision, stage for next session)
# fmt: off
LATEST_SESSION_TABLE = [
    ("two good sessions progress", run(2), morning(3), Decision.PROGRESS, 4),
    ("pain during at the ceiling still progresses", run(2, pain_during=5), morning(3),
     Decision.PROGRESS, 4),
    ("pain during just below the ceiling progresses", run(2, pain_during=4), morning(3),
     Decision.PROGRESS, 4),
    ("pain during just above the ceiling steps back", run(2, pain_during=6), morning(3),
     Decision.STEP_BACK, 2),
    ("pain after at the ceiling still progresses", run(2, pain_after=5), morning(3),
     Decision.PROGRESS, 4),
    ("pain after just below the ceiling progresses", run(2, pain_after=4), morning(3),
     Decision.PROGRESS, 4),
    ("pain after just above the ceiling steps back", run(2, pain_after=6), morning(3),
     Decision.STEP_BACK, 2),
    ("pain building during the run steps back", run(2, pain_built_during_run=True), morning(3),
     Decision.STEP_BACK, 2),
    ("a limp steps back (DOMAIN 7.3, corrected)", run(2, limp=True), morning(3),
     Decision.STEP_BACK, 2),
    ("an unfinished session holds the stage", run(2, completed=False), morning(3),
     Decision.REPEAT, 3),
    ("morning pain at the settled level progresses", run(2), morning(3, pain=2),
     Decision.PROGRESS, 4),
    ("morning pain just below the settled level progresses", run(2), morning(3, pain=1),
     Decision.PROGRESS, 4),
    ("morning pain just above the settled level holds", run(2), morning(3, pain=3),
     Decision.REPEAT, 3),
    ("pain above the ceiling steps back even without a check-in", run(2, pain_during=7), None,
     Decision.STEP_BACK, 2),
    ("a missing check-in holds the stage", run(2), None, Decision.REPEAT, 3),
]
# fmt: on


@pytest.mark.parametrize(
    ("latest", "check", "decision", "next_stage"),
    [row[1:] for row in LATEST_SESSION_TABLE],
    ids=[row[0] for row in LATEST_SESSION_TABLE],
)
def test_latest_session_decides(latest, check, decision, next_stage):
    sessions, checks = with_latest(latest, check)
    result = decide(sessions, checks)
    assert result.decision == decision
    assert result.stage_number == next_stage
    assert result.rest_day is (decision == Decision.STEP_BACK)
    assert result.reason


def test_step_back_names_the_pain_and_the_limit():
    result = decide(*with_latest(run(2, pain_during=6), morning(3)))
    assert "6/10" in result.reason
    assert "limit of 5/10" in result.reason
    assert "rest a day" in result.reason
    assert result.headline == "Rest a day, then step back to stage 2"


def test_step_back_at_stage_one_stays_at_stage_one_with_rest():
    result = decide([run(0, stage=1, pain_during=8)], [], stage=1)
    assert result.decision == Decision.STEP_BACK
    assert result.stage_number == 1
    assert result.rest_day


def test_one_good_session_of_two_needed_repeats_and_counts():
    result = decide([run(0)], [morning(1)])
    assert result.decision == Decision.REPEAT
    assert result.successful_sessions == 1
    assert result.sessions_needed == 2
    assert "1 of 2" in result.reason


@pytest.mark.parametrize(
    ("needed", "decision"),
    [(1, Decision.PROGRESS), (2, Decision.PROGRESS), (3, Decision.REPEAT)],
)
def test_successes_needed_boundary(needed, decision):
    sessions, checks = with_latest(run(2), morning(3))
    assert decide(sessions, checks, needed=needed).decision == decision


def test_no_sessions_yet_means_start_the_stage():
    result = decide([], [])
    assert result.decision == Decision.REPEAT
    assert "No session logged at stage 3" in result.reason


def test_sessions_at_another_stage_do_not_count():
    result = decide([run(0, stage=2), run(2, stage=2)], [morning(1), morning(3)])
    assert result.decision == Decision.REPEAT
    assert result.stage_number == 3


def test_earlier_stage_sessions_break_the_run_of_successes():
    sessions = [run(0, stage=2), run(2, stage=3)]
    result = decide(sessions, [morning(1), morning(3)])
    assert result.decision == Decision.REPEAT
    assert result.successful_sessions == 1


def test_final_stage_progress_completes_the_plan():
    sessions, checks = with_latest(run(2, stage=6), morning(3))
    sessions = [run(0, stage=6), sessions[1]]
    result = decide(sessions, checks, stage=6, stages=6)
    assert result.decision == Decision.PROGRESS
    assert result.stage_number == 6
    assert "complete" in result.reason


# Missing check-ins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today_offset", "awaiting", "words"),
    [
        (2, True, "Waiting for the check-in"),  # the run day itself
        (3, True, "Waiting for the check-in"),  # the morning after, not yet checked in
        (4, False, "No check-in was made"),  # the morning has passed
    ],
)
def test_missing_check_in_holds_and_says_why(today_offset, awaiting, words):
    sessions, checks = with_latest(run(2), None)
    result = decide(sessions, checks, today=day(today_offset))
    assert result.decision == Decision.REPEAT
    assert result.awaiting_check_in is awaiting
    assert words in result.reason


def test_a_session_without_its_check_in_is_not_counted_as_successful():
    # The earlier session has no check-in, the latest one does: only one success counts.
    result = decide([run(0), run(2)], [morning(3)])
    assert result.decision == Decision.REPEAT
    assert result.successful_sessions == 1


def test_a_check_in_on_another_day_is_not_the_next_morning():
    result = decide([run(0), run(2)], [morning(1), morning(5)], today=day(6))
    assert result.decision == Decision.REPEAT
    assert "No check-in was made" in result.reason


# Morning pain that stays elevated ---------------------------------------------------------


@pytest.mark.parametrize(
    ("unsettled_in_a_row", "threshold", "decision"),
    [
        (1, 2, Decision.REPEAT),
        (2, 2, Decision.STEP_BACK),
        (2, 3, Decision.REPEAT),
        (3, 3, Decision.STEP_BACK),
    ],
)
def test_unsettled_mornings_in_a_row_step_back_at_the_threshold(
    unsettled_in_a_row, threshold, decision
):
    limits = PlanLimits(morning_pain_max=2, unsettled_mornings_to_step_back=threshold)
    sessions = [run(0), run(2), run(4), run(6)]
    checks = [morning(1), morning(3), morning(5), morning(7)]
    for i in range(unsettled_in_a_row):
        checks[-1 - i] = morning(7 - 2 * i, pain=4)
    result = decide(sessions, checks, limits=limits)
    assert result.decision == decision


# Weekly trend in morning pain or stiffness ---------------------------------------------------


@pytest.mark.parametrize(
    ("this_week", "last_week", "decision"),
    [
        ((1, 2), (1, 1), Decision.PROGRESS),  # +0.5: at the tolerance
        ((1, 1), (1, 1), Decision.PROGRESS),  # flat: below
        ((2, 2), (1, 1), Decision.REPEAT),  # +1.0: above
    ],
)
def test_weekly_morning_pain_trend_boundary(this_week, last_week, decision):
    # Runs on days 8 and 10 (this week when today is day 13), mornings on 9 and 11.
    sessions = [run(8), run(10)]
    checks = [
        morning(2, pain=last_week[0]),
        morning(4, pain=last_week[1]),
        morning(9, pain=this_week[0]),
        morning(11, pain=this_week[1]),
    ]
    result = decide(sessions, checks, today=day(13))
    assert result.decision == decision
    if decision == Decision.REPEAT:
        assert "creeping up" in result.reason


def test_weekly_morning_stiffness_trend_holds():
    sessions = [run(8), run(10)]
    checks = [
        morning(2, stiffness=1),
        morning(4, stiffness=1),
        morning(9, stiffness=3),
        morning(11, stiffness=3),
    ]
    result = decide(sessions, checks, today=day(13))
    assert result.decision == Decision.REPEAT
    assert "stiffness" in result.reason


# Flags (section 7.4) ---------------------------------------------------------------------------


def flags_for(sessions, checks=(), *, today=None, kind=VolumeKind.MINUTES, limits=LIMITS):
    return [
        f.kind
        for f in detect_flags(
            limits=limits,
            sessions=list(sessions),
            checks=list(checks),
            today=today or day(20),
            volume_kind=kind,
        )
    ]


@pytest.mark.parametrize(
    ("during", "after", "flagged"),
    [(5, 0, False), (4, 0, False), (6, 0, True), (0, 5, False), (0, 4, False), (0, 6, True)],
)
def test_pain_above_ceiling_flag_boundary(during, after, flagged):
    kinds = flags_for([run(18, pain_during=during, pain_after=after)])
    assert (FlagKind.PAIN_ABOVE_CEILING in kinds) is flagged


@pytest.mark.parametrize(("pain", "flagged"), [(2, False), (1, False), (3, True)])
def test_morning_not_settled_flag_boundary(pain, flagged):
    kinds = flags_for([], [morning(19, pain=pain)])
    assert (FlagKind.MORNING_NOT_SETTLED in kinds) is flagged


def test_morning_flag_uses_the_latest_check_in():
    assert FlagKind.MORNING_NOT_SETTLED not in flags_for([], [morning(17, pain=5), morning(19)])


@pytest.mark.parametrize(
    ("minutes", "flagged"),
    [("33", False), ("32.9", False), ("33.1", True)],  # longest earlier run 30 min, spike 10%
)
def test_long_run_spike_flag_boundary(minutes, flagged):
    sessions = [run(0, run_minutes=Decimal(30)), run(18, run_minutes=Decimal(minutes))]
    assert (FlagKind.LONG_RUN_SPIKE in flags_for(sessions)) is flagged


@pytest.mark.parametrize(("gap_days", "flagged"), [(30, True), (31, False)])
def test_long_run_spike_looks_back_thirty_days(gap_days, flagged):
    sessions = [
        run(18 - gap_days, run_minutes=Decimal(30)),
        run(18, run_minutes=Decimal(40)),
    ]
    assert (FlagKind.LONG_RUN_SPIKE in flags_for(sessions)) is flagged


def test_first_run_cannot_spike():
    assert flags_for([run(18, run_minutes=Decimal(40))]) == []


@pytest.mark.parametrize(("metres", "flagged"), [(2200, False), (2199, False), (2201, True)])
def test_long_run_spike_by_distance(metres, flagged):
    sessions = [run(10, distance_m=2000), run(18, distance_m=metres)]
    kinds = flags_for(sessions, kind=VolumeKind.DISTANCE)
    assert (FlagKind.LONG_RUN_SPIKE in kinds) is flagged


@pytest.mark.parametrize(("this_week", "flagged"), [(130, False), (129, False), (131, True)])
def test_weekly_volume_spike_flag_boundary(this_week, flagged):
    # Last week (days 7-13) 100 min over two runs; this week (days 14-20) one long run split in
    # two so that no single run spikes against the 30-day longest.
    half = Decimal(this_week) / 2
    sessions = [
        run(8, run_minutes=Decimal(50)),
        run(10, run_minutes=Decimal(50)),
        run(15, run_minutes=half),
        run(17, run_minutes=half),
    ]
    kinds = flags_for(sessions, limits=PlanLimits(single_run_spike_pct=100))
    assert (FlagKind.WEEKLY_VOLUME_SPIKE in kinds) is flagged


def test_no_weekly_spike_after_an_empty_week():
    kinds = flags_for([run(18, run_minutes=Decimal(30))])
    assert FlagKind.WEEKLY_VOLUME_SPIKE not in kinds


def test_flags_ignore_sessions_outside_the_window():
    assert flags_for([run(5, pain_during=9)]) == []


def test_thresholds_are_parameters():
    strict = PlanLimits(pain_during_max=2, pain_after_max=2)
    assert FlagKind.PAIN_ABOVE_CEILING in flags_for([run(18, pain_during=3)], limits=strict)
    result = decide(*with_latest(run(2, pain_during=3), morning(3)), limits=strict)
    assert result.decision == Decision.STEP_BACK
