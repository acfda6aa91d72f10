"""The hop battery: LSI per test (timed hop inverted), the return-to-sport threshold, retests,
and the findings readiness reads through ``assessments.content.latest_findings``."""

import datetime as dt
from decimal import Decimal

import pytest

from assessments.content import latest_findings, main_findings
from assessments.hops import RETURN_TO_SPORT_LSI, hop_battery, hop_lsi, hop_trend
from assessments.models import Note
from assessments.services import save_note, sign_note, start_note


@pytest.mark.parametrize(
    ("test", "involved", "uninvolved", "expected"),
    [
        ("single", "135", "150", Decimal("90.0")),  # distance: involved / uninvolved
        ("triple", "420", "500", Decimal("84.0")),
        ("crossover", "150", "150", Decimal("100.0")),
        # timed: a slower involved limb (2.5 s against 2.0 s) is worse: 2.0 / 2.5 = 80 %
        ("timed_6m", "2.5", "2.0", Decimal("80.0")),
        ("timed_6m", "2.0", "2.5", Decimal("125.0")),
        ("single", "0", "150", None),
        ("timed_6m", "2.0", "0", None),
    ],
)
def test_limb_symmetry_index_per_hop_test(test, involved, uninvolved, expected):
    assert hop_lsi(test=test, involved=Decimal(involved), uninvolved=Decimal(uninvolved)) == (
        expected
    )


def test_timed_hop_is_inverted_but_distance_is_not():
    slow_involved = {"involved": Decimal(3), "uninvolved": Decimal(2)}
    assert hop_lsi(test="single", **slow_involved) == Decimal("150.0")
    assert hop_lsi(test="timed_6m", **slow_involved) == Decimal("66.7")


def test_battery_uses_the_injured_side_and_shows_the_threshold():
    rows = [
        {"test": "single", "right": "120", "left": "150"},
        {"test": "timed_6m", "right": "2.2", "left": "2.0"},
        {"test": "triple", "right": "480", "left": ""},
    ]
    results = {r.test: r for r in hop_battery(rows, injured_side="right")}
    assert results["single"].lsi == Decimal("80.0")
    assert results["single"].meets_threshold is False
    assert results["timed_6m"].lsi == Decimal("90.9")
    assert results["timed_6m"].meets_threshold is True
    assert results["triple"].lsi is None  # one side missing
    assert results["triple"].meets_threshold is None
    assert RETURN_TO_SPORT_LSI == 90
    left = {r.test: r for r in hop_battery(rows, injured_side="left")}
    assert left["single"].lsi == Decimal("125.0")


def test_no_lsi_without_an_injured_side():
    rows = [{"test": "single", "right": "120", "left": "150"}]
    assert hop_battery(rows, injured_side="bilateral")[0].lsi is None


def test_retest_trend_is_oldest_first_per_test():
    trend = hop_trend(
        [
            (dt.date(2026, 3, 1), [{"test": "single", "right": "140", "left": "150"}]),
            (dt.date(2026, 1, 1), [{"test": "single", "right": "100", "left": "150"}]),
        ],
        injured_side="right",
    )
    assert trend["single"] == [
        (dt.date(2026, 1, 1), Decimal("66.7")),
        (dt.date(2026, 3, 1), Decimal("93.3")),
    ]


def test_findings_name_what_the_readiness_criteria_read():
    content = {
        "main": {"heel_raise_right": 18, "heel_raise_left": 25, "hops_right": 12, "nprs_now": 2},
        "hops": [{"test": "crossover", "right": "135", "left": "150"}],
    }
    findings = main_findings(content, side="right")
    assert findings["single_leg_heel_raise_reps"] == 18
    assert findings["pain_free_hops"] == 12
    assert findings["pain_now"] == 2
    assert findings["hop_lsi_crossover"] == Decimal("90.0")
    assert "hop_lsi_single" not in findings


@pytest.mark.django_db
def test_latest_findings_come_from_the_latest_signed_evaluation_only(episode, therapist):
    def evaluation(kind, day, heel, hops, *, signed):
        note = start_note(episode=episode, kind=kind, by=therapist)
        save_note(
            note=note,
            content={
                "main": {"heel_raise_right": heel},
                "hops": [{"test": "single", "right": hops, "left": "150"}],
            },
            visit_date=day,
            by=therapist,
            pain_now=None,
        )
        if signed:
            sign_note(note=note, by=therapist)

    assert latest_findings(episode) == {}
    evaluation(Note.Kind.INTAKE, dt.date(2026, 9, 10), 12, "90", signed=True)
    evaluation(Note.Kind.REEVAL, dt.date(2026, 10, 10), 20, "140", signed=True)
    evaluation(Note.Kind.REEVAL, dt.date(2026, 11, 10), 30, "150", signed=False)  # a draft
    findings = latest_findings(episode)
    assert findings["single_leg_heel_raise_reps"] == 20
    assert findings["hop_lsi_single"] == Decimal("93.3")


@pytest.mark.django_db
def test_the_episode_page_shows_each_hop_lsi_against_the_threshold_and_the_retests(
    client, episode, therapist
):
    from django.urls import reverse

    for day, involved in [(dt.date(2026, 9, 10), "105"), (dt.date(2026, 10, 20), "140")]:
        note = start_note(episode=episode, kind=Note.Kind.REEVAL, by=therapist)
        save_note(
            note=note,
            content={
                "main": {},
                "hops": [
                    {"test": "single", "right": involved, "left": "150"},
                    {"test": "timed_6m", "right": "2.4", "left": "2.0"},
                ],
            },
            visit_date=day,
            by=therapist,
            pain_now=None,
        )
        sign_note(note=note, by=therapist)
    client.force_login(therapist)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "Return-to-sport threshold (≥ 90 %)" in page
    assert "93.3 %" in page  # latest single hop, met
    assert "83.3 %" in page  # timed hop inverted: 2.0 / 2.4, not met
    assert "2026-09-10: 70.0 % → 2026-10-20: 93.3 %" in page
