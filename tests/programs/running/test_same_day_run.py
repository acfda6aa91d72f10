"""A second run on a day that already has one is logged only when the runner says it is another
run: Back after saving and saving again logged the same run twice (twice the week's volume, and
a volume-spike flag for the therapist)."""

import datetime as dt
from typing import Any

from django.urls import reverse

from programs.running.log_models import SessionLog
from tests.builders import log_run, make_plan

LOG = {
    "stage_number": "1",
    "completed": "on",
    "duration_minutes": "35",
    "run_minutes": "15",
    "pain_during": "2",
    "pain_after": "2",
    "notes": "Second loop of the park",
}


def _plan_with_a_run(
    client: Any, episode: Any, therapist: Any, patient_user: Any
) -> tuple[Any, dt.date, str]:
    """A plan with one run logged, the runner signed in, and the URL of the log form."""
    plan = make_plan(episode, therapist)
    day = plan.started_on + dt.timedelta(days=1)
    log_run(plan, patient_user, day, run_minutes="15", pain_during=2)
    client.force_login(patient_user)
    return plan, day, reverse("programs:rtr_portal_log", args=[plan.pk])


def test_the_same_day_again_is_refused_beside_the_date_with_the_run_already_logged(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    plan, day, url = _plan_with_a_run(client, episode, therapist, patient_user)
    response = client.post(url, {**LOG, "date": day.isoformat()})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["date"]
    assert f"You already logged a run on {day:%A} {day.day} {day:%B}" in errors["date"][0]
    assert "15 min running, pain 2/10 during" in errors["date"][0]
    page = response.content.decode()
    assert "This is another run on the same day" in page
    assert "Second loop of the park" in page  # nothing typed is lost
    assert SessionLog.objects.filter(plan=plan).count() == 1


def test_another_run_that_day_is_logged_once_the_runner_says_so(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    plan, day, url = _plan_with_a_run(client, episode, therapist, patient_user)
    response = client.post(url, {**LOG, "date": day.isoformat(), "another_run": "on"})
    assert response.status_code == 302
    assert SessionLog.objects.filter(plan=plan, date=day).count() == 2


def test_a_day_without_a_run_asks_nothing(
    client: Any, patient_user: Any, episode: Any, therapist: Any
) -> None:
    plan, day, url = _plan_with_a_run(client, episode, therapist, patient_user)
    response = client.get(url)
    assert "This is another run on the same day" not in response.content.decode()
    next_day = (day + dt.timedelta(days=1)).isoformat()
    assert client.post(url, {**LOG, "date": next_day}).status_code == 302
    assert SessionLog.objects.filter(plan=plan).count() == 2
