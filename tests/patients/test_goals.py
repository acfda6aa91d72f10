"""Plan-of-care goals: the status rule, what a progress report shows, the snapshot a signed
report keeps, and the goal forms' messages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Note
from assessments.services import record_outcome, save_note, sign_note, start_note
from patients.goals import GoalStatus, goal_progress, goal_status
from patients.models import CareGoal
from tests.builders import LEFS_72, intake
from tests.factories import CareGoalFactory

LEFS = {"measure": CareGoal.Measure.OUTCOME, "measure_code": "lefs.total"}


def _status(**overrides: Any) -> GoalStatus:
    values: dict[str, Any] = {
        "baseline": Decimal(50),
        "latest": Decimal(60),
        "target": Decimal(70),
        "at_least": True,
        "target_date": dt.date(2026, 3, 1),
        "as_of": dt.date(2026, 2, 1),
    } | overrides
    return goal_status(**values)


def test_a_goal_whose_measure_reached_the_target_is_met() -> None:
    assert _status(latest=Decimal(70)) == GoalStatus.MET
    assert _status(latest=Decimal(71), as_of=dt.date(2026, 4, 1)) == GoalStatus.MET


def test_a_goal_moving_towards_its_target_before_the_date_is_progressing() -> None:
    assert _status() == GoalStatus.PROGRESSING


def test_a_goal_not_reached_by_its_target_date_is_not_met() -> None:
    assert _status(as_of=dt.date(2026, 3, 2)) == GoalStatus.NOT_MET


def test_no_change_or_a_change_the_wrong_way_is_not_met() -> None:
    assert _status(latest=Decimal(50)) == GoalStatus.NOT_MET
    assert _status(latest=Decimal(45)) == GoalStatus.NOT_MET


def test_a_lower_is_better_goal_counts_downwards() -> None:
    pain = {"baseline": Decimal(6), "target": Decimal(2), "at_least": False}
    assert _status(**pain, latest=Decimal(2)) == GoalStatus.MET
    assert _status(**pain, latest=Decimal(4)) == GoalStatus.PROGRESSING
    assert _status(**pain, latest=Decimal(7)) == GoalStatus.NOT_MET


def test_a_goal_without_a_value_yet_is_not_measured() -> None:
    assert _status(latest=None, baseline=None) == GoalStatus.NOT_MEASURED


# What a progress report shows ----------------------------------------------------------------


def _goal(episode: Any, therapist: Any, text: str, **fields: Any) -> CareGoal:
    return CareGoalFactory(episode=episode, created_by=therapist, text=text, **fields)


def _progress_report(episode: Any, therapist: Any, day: dt.date) -> Note:
    note = start_note(episode=episode, kind=Note.Kind.PROGRESS, by=therapist)
    note = save_note(note=note, content={"main": {}}, visit_date=day, by=therapist, pain_now=3)
    record_outcome(
        episode=episode, instrument_code="lefs", answers=LEFS_72, by=therapist, note=note
    )
    return note


def _row_statuses(html: str) -> dict[str, str]:
    """Goal text -> the status cell's words, for every row of the goal table."""
    rows = re.findall(r'<tr data-goal="\d+">(.*?)</tr>', html, flags=re.S)
    found = {}
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        status = re.sub(r"<[^>]+>", "", cells[7]).strip()
        found[cells[1].strip()] = status
    return found


@pytest.fixture
def report_with_goals(db: Any, clinic: Any, therapist: Any, episode: Any) -> Note:
    today = clinic.today()
    intake(episode, therapist, signed=True, day=today - dt.timedelta(days=40))  # LEFS 50
    later = today + dt.timedelta(days=30)
    _goal(episode, therapist, "LEFS at least 70", target_value=70, target_date=later, **LEFS)
    _goal(episode, therapist, "LEFS at least 78", target_value=78, target_date=later, **LEFS)
    _goal(
        episode,
        therapist,
        "LEFS at least 75 by last week",
        target_value=75,
        target_date=today - dt.timedelta(days=7),
        **LEFS,
    )
    _goal(episode, therapist, "Jog to the shop", target_date=later)
    return _progress_report(episode, therapist, today)  # LEFS 72


def test_a_progress_report_shows_each_goals_status_from_the_linked_measure(
    client: Any, therapist: Any, report_with_goals: Note
) -> None:
    client.force_login(therapist)
    response = client.get(reverse("assessments:note_detail", args=[report_with_goals.pk]))
    assert response.status_code == 200
    assert _row_statuses(response.content.decode()) == {
        "LEFS at least 70": "Met",
        "LEFS at least 78": "Progressing",
        "LEFS at least 75 by last week": "Not met",
        "Jog to the shop": "not linked",
    }
    assert "72" in response.content.decode()  # the measured value


def test_a_signed_report_keeps_the_statuses_it_was_signed_with(
    client: Any, clinic: Any, therapist: Any, episode: Any, report_with_goals: Note
) -> None:
    sign_note(note=report_with_goals, by=therapist)
    report_with_goals.refresh_from_db()
    assert report_with_goals.hash_matches()
    # Later the goal is made harder: the live plan changes, the signed report does not.
    CareGoal.objects.filter(text="LEFS at least 70").update(target_value=80)
    live = {g.text: g.status for g in goal_progress(episode, as_of=clinic.today())}
    assert live["LEFS at least 70"] == GoalStatus.PROGRESSING
    client.force_login(therapist)
    html = client.get(reverse("assessments:note_detail", args=[report_with_goals.pk])).content
    assert _row_statuses(html.decode())["LEFS at least 70"] == "Met"
    assert "as at signing" in html.decode()


def test_a_discharge_summary_shows_the_goals_too(
    client: Any, clinic: Any, therapist: Any, episode: Any
) -> None:
    intake(episode, therapist, signed=True, day=clinic.today() - dt.timedelta(days=40))
    _goal(episode, therapist, "LEFS at least 45", target_value=45, **LEFS)
    note = start_note(episode=episode, kind=Note.Kind.DISCHARGE, by=therapist)
    save_note(
        note=note, content={"main": {}}, visit_date=clinic.today(), by=therapist, pain_now=None
    )
    client.force_login(therapist)
    html = client.get(reverse("assessments:note_detail", args=[note.pk])).content.decode()
    assert _row_statuses(html) == {"LEFS at least 45": "Met"}


def test_a_hop_goal_reads_the_limb_symmetry_of_the_latest_retest(
    clinic: Any, therapist: Any, episode: Any
) -> None:
    today = clinic.today()
    goal = _goal(
        episode,
        therapist,
        "Single hop LSI 90%",
        measure=CareGoal.Measure.HOP_LSI,
        measure_code="single",
        target_value=90,
        target_date=today + dt.timedelta(days=20),
    )
    for day, right in ((today - dt.timedelta(days=10), 60), (today, 85)):
        note = start_note(episode=episode, kind=Note.Kind.REEVAL, by=therapist)
        hops = [{"test": "single", "right": right, "left": 100}]  # right is the injured side
        save_note(
            note=note,
            content={"main": {}, "hops": hops},
            visit_date=day,
            by=therapist,
            pain_now=None,
        )
    [row] = goal_progress(episode, as_of=today)
    assert (row.goal, row.baseline, row.value, row.status) == (goal.pk, "60", "85", "progressing")


def test_a_run_stage_goal_reads_the_plan_and_an_unmeasured_one_says_so(
    clinic: Any, therapist: Any, episode: Any
) -> None:
    _goal(
        episode,
        therapist,
        "Reach stage 4",
        measure=CareGoal.Measure.RUN_STAGE,
        target_value=4,
        target_date=clinic.today() + dt.timedelta(days=20),
    )
    [row] = goal_progress(episode, as_of=clinic.today())
    assert row.status == GoalStatus.NOT_MEASURED  # no plan started yet


# The plan-of-care page and its forms ---------------------------------------------------------


def test_a_therapist_adds_edits_and_removes_a_goal(
    client: Any, clinic: Any, therapist: Any, episode: Any
) -> None:
    client.force_login(therapist)
    target = (clinic.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("patients:goal_add", args=[episode.pk]),
        {
            "term": "long",
            "text": "NPRS at most 2",
            "target_date": target,
            "link": "outcome:nprs.pain",
            "target_value": "2",
        },
    )
    assert response.status_code == 302
    goal = CareGoal.objects.get(episode=episode)
    # Direction left empty: the measure's own (lower pain is better).
    assert (goal.measure, goal.measure_code, goal.direction) == ("outcome", "nprs.pain", "at_most")
    page = client.get(reverse("patients:plan_of_care", args=[episode.pk])).content.decode()
    assert "NPRS at most 2" in page
    edit = reverse("patients:goal_edit", args=[goal.pk])
    assert 'value="outcome:nprs.pain" selected' in client.get(edit).content.decode()
    response = client.post(
        edit, {"term": "long", "text": "Pain free runs", "target_date": target, "link": ""}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.measure, goal.target_value) == ("Pain free runs", "", None)
    assert client.post(reverse("patients:goal_remove", args=[goal.pk])).status_code == 302
    goal.refresh_from_db()
    assert goal.removed_at is not None
    page = client.get(reverse("patients:plan_of_care", args=[episode.pk])).content.decode()
    assert "Pain free runs" not in page
    assert client.get(edit).status_code == 404


def test_bad_goal_input_is_explained_beside_the_field_and_nothing_is_saved(
    client: Any, clinic: Any, therapist: Any, episode: Any
) -> None:
    client.force_login(therapist)
    url = reverse("patients:goal_add", args=[episode.pk])
    base = {"term": "short", "text": "Hop 10 times", "target_date": clinic.today().isoformat()}
    html = client.post(url, base | {"target_value": "10"}).content.decode()
    assert "Choose the measure this target is for, or clear it." in html
    assert 'value="Hop 10 times"' not in html  # a textarea: the text is its content
    assert "Hop 10 times</textarea>" in html
    html = client.post(url, base | {"link": "outcome:lefs.total"}).content.decode()
    assert "Give the value the measure should reach." in html
    html = client.post(url, base | {"target_date": "2099-01-01"}).content.decode()
    assert "more than 5 years ahead" in html
    html = client.post(url, base | {"link": "outcome:lefs.total", "target_value": "-3"}).content
    assert "greater than or equal to 0" in html.decode()
    assert not CareGoal.objects.exists()


def test_the_certification_period_and_physician_are_saved_and_checked(
    client: Any, clinic: Any, therapist: Any, episode: Any
) -> None:
    client.force_login(therapist)
    url = reverse("patients:certification_save", args=[episode.pk])
    start = clinic.today()
    bad = {
        "referring_physician": "Dr. Rivera",
        "certification_start": start.isoformat(),
        "certification_end": (start - dt.timedelta(days=1)).isoformat(),
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "The period cannot end before it starts." in response.content.decode()
    assert 'value="Dr. Rivera"' in response.content.decode()
    good = bad | {"certification_end": (start + dt.timedelta(days=60)).isoformat()}
    assert client.post(url, good).status_code == 302
    episode.refresh_from_db()
    assert episode.referring_physician == "Dr. Rivera"
    assert episode.certification_end == start + dt.timedelta(days=60)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "Dr. Rivera" in page


def test_a_clinic_admin_reads_the_plan_but_cannot_change_it(
    client: Any, clinic_admin: Any, therapist: Any, episode: Any
) -> None:
    goal = _goal(episode, therapist, "Walk 5 km")
    client.force_login(clinic_admin)
    page = client.get(reverse("patients:plan_of_care", args=[episode.pk]))
    assert page.status_code == 200
    assert "Walk 5 km" in page.content.decode()
    assert "Add a goal" not in page.content.decode()
    assert client.post(reverse("patients:goal_remove", args=[goal.pk])).status_code == 403


def test_signing_shows_the_goals_it_will_lock(
    client: Any, therapist: Any, report_with_goals: Note
) -> None:
    client.force_login(therapist)
    response = client.get(reverse("assessments:note_sign", args=[report_with_goals.pk]))
    assert response.status_code == 200
    assert _row_statuses(response.content.decode())["LEFS at least 70"] == "Met"
