"""Gait arithmetic and the protocol templates, without a database."""

from decimal import Decimal

import pytest

from programs.running.gait import Feedback, cadence_target, fading_schedule, increase_warning
from programs.running.protocols import PROTOCOLS, MetBy, check_readiness


@pytest.mark.parametrize(
    ("baseline", "pct", "target"),
    [(158, Decimal("7.5"), 170), (160, 5, 168), (170, 10, 187), (150, 5, 158), (158, 0, 158)],
)
def test_cadence_target(baseline, pct, target):
    assert cadence_target(baseline, pct) == target


def test_cadence_target_refuses_a_zero_baseline():
    with pytest.raises(ValueError, match="positive"):
        cadence_target(0, 5)


@pytest.mark.parametrize(
    ("pct", "warned"),
    [("4.9", True), ("5", False), ("10", False), ("10.1", True)],
)
def test_increase_warning_outside_the_studied_range(pct, warned):
    assert (increase_warning(Decimal(pct)) is not None) is warned


def test_eight_session_schedule_fades_over_the_last_four():
    plan = fading_schedule(sessions=8, start_minutes=15, end_minutes=29)
    assert [s.feedback for s in plan] == [Feedback.CONTINUOUS] * 4 + [Feedback.INTERMITTENT] * 2 + [
        Feedback.NONE
    ] * 2
    assert [s.minutes for s in plan] == [15, 17, 19, 21, 23, 25, 27, 29]


def test_single_session_schedule_keeps_feedback():
    plan = fading_schedule(sessions=1)
    assert plan[0].feedback == Feedback.CONTINUOUS


def test_three_protocols_of_the_required_kinds_each_cite_a_source():
    kinds = {p.key: p.kind for p in PROTOCOLS}
    assert kinds["time-walk-run-ladder"] == "time"
    assert kinds["distance-mgh"] == "distance"
    assert "bsi-conservative" in kinds
    for protocol in PROTOCOLS:
        assert protocol.source
        assert protocol.criteria
        assert protocol.stages
    bsi = next(p for p in PROTOCOLS if p.key == "bsi-conservative")
    ladder = next(p for p in PROTOCOLS if p.key == "time-walk-run-ladder")
    assert bsi.pain_during_max < ladder.pain_during_max


def test_distance_protocol_is_stored_in_metres():
    mgh = next(p for p in PROTOCOLS if p.key == "distance-mgh")
    assert mgh.stages[0].run_m == 402
    assert mgh.stages[3].run_m == 1609


def test_readiness_from_findings_ticks_and_neither():
    ladder = PROTOCOLS[0]
    status = {
        s.code: s.met_by
        for s in check_readiness(
            ladder.criteria,
            findings={"pain_free_walk_minutes": Decimal(30), "single_leg_heel_raise_reps": 12},
            ticked={"hops_pain_free"},
        )
    }
    assert status == {
        "walk_30": MetBy.EVALUATION,  # exactly at the threshold
        "heel_raises_20": MetBy.NOT_MET,  # finding below the threshold, not ticked
        "hops_pain_free": MetBy.THERAPIST,
        "pain_2": MetBy.NOT_MET,
    }
