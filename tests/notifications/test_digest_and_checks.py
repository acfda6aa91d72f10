"""The daily digest at each person's chosen hour in the clinic's zone (DST included), and the
beat check for runners with no activity for 7 days."""

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from programs.running.alerts import alert_inactive_runners
from rehab_clinic.celery import app as celery_app
from rehab_clinic.notifications.models import AlertPreference, Delivery, Notification, Reason
from rehab_clinic.notifications.services import raise_alert, send_digests
from rehab_clinic.notifications.tasks import run_daily_checks
from tests.builders import check_in, log_run
from tests.notifications.conftest import sent_alerts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def _digest_at(user: Any, hour: int) -> None:
    AlertPreference.objects.create(
        user=user, deliveries=dict.fromkeys(Reason.values, Delivery.DIGEST), digest_hour=hour
    )


def _digests(mailoutbox: Any) -> list[Any]:
    return [m for m in mailoutbox if m.subject == "Patients of yours need attention"]


def test_both_jobs_are_on_the_beat_schedule() -> None:
    celery_app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.daily_checks", "notifications.send_digests"} <= tasks
    assert tasks <= set(celery_app.tasks)


def test_the_digest_goes_once_at_the_chosen_local_hour_and_lists_no_detail(
    patient: Any, therapist: Any, clinic: Any, mailoutbox: Any, clock: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    clinic.timezone = "America/Denver"
    clinic.save()
    _digest_at(therapist, 7)
    zone = clinic.zone
    clock(dt.datetime(2026, 6, 10, 5, 30, tzinfo=zone))
    raise_alert(patient=patient, reason=[Reason.STEP_BACK, Reason.LIMP_OR_SWELLING], link="/p/")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0  # 05:30 in Denver: not yet
        assert send_digests(now=dt.datetime(2026, 6, 10, 6, 59, tzinfo=zone)) == 0
        assert send_digests(now=dt.datetime(2026, 6, 10, 7, 0, tzinfo=zone)) == 1
        assert send_digests(now=dt.datetime(2026, 6, 10, 7, 15, tzinfo=zone)) == 0
    [digest] = _digests(mailoutbox)
    assert digest.to == [therapist.email]
    assert "2 alerts" in digest.body
    assert patient.first_name not in digest.body
    assert "limp" not in digest.body.lower()
    assert sent_alerts(mailoutbox) == [digest]  # nothing was emailed at once

    # A new alert after today's digest waits for tomorrow's.
    clock(dt.datetime(2026, 6, 10, 12, 0, tzinfo=zone))
    raise_alert(patient=patient, reason=Reason.STOP_SIGN, link="/p/")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=dt.datetime(2026, 6, 10, 23, 0, tzinfo=zone)) == 0
        assert send_digests(now=dt.datetime(2026, 6, 11, 7, 0, tzinfo=zone)) == 1
    assert len(_digests(mailoutbox)) == 2


def test_nothing_waiting_sends_no_digest(therapist: Any, clinic: Any, mailoutbox: Any) -> None:
    _digest_at(therapist, 0)
    assert send_digests() == 0


@pytest.mark.parametrize(
    ("utc_hour", "sent"),
    [
        # 8 March 2026, US spring forward: 07:00 MDT is 13:00 UTC (it was 14:00 UTC the day
        # before, in MST).
        (12, 0),
        (13, 1),
    ],
)
def test_the_digest_hour_follows_the_clinic_clock_across_a_dst_change(
    patient: Any, therapist: Any, clinic: Any, mailoutbox: Any, clock: Any, utc_hour: int,
    sent: int,
) -> None:  # fmt: skip
    clinic.timezone = "America/Denver"
    clinic.save()
    _digest_at(therapist, 7)
    clock(dt.datetime(2026, 3, 8, 1, 0, tzinfo=dt.UTC))
    raise_alert(patient=patient, reason=Reason.STEP_BACK, link="/p/")
    # The same UTC hour a day earlier was still before 07:00 MST.
    assert send_digests(now=dt.datetime(2026, 3, 7, 13, 0, tzinfo=dt.UTC)) == 0
    clock(dt.datetime(2026, 3, 8, utc_hour, 0, tzinfo=dt.UTC))
    assert send_digests() == sent


def test_an_hour_the_dst_change_skips_sends_at_the_next_run_once(
    patient: Any, therapist: Any, clinic: Any, clock: Any
) -> None:
    clinic.timezone = "Europe/London"
    clinic.save()
    _digest_at(therapist, 1)  # 29 March 2026: 01:00 to 02:00 London does not exist
    clock(dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC))
    raise_alert(patient=patient, reason=Reason.STEP_BACK, link="/p/")
    assert send_digests(now=dt.datetime(2026, 3, 29, 0, 45, tzinfo=dt.UTC)) == 0  # 00:45 GMT
    assert send_digests(now=dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)) == 1  # 02:00 BST
    assert send_digests(now=dt.datetime(2026, 3, 29, 1, 15, tzinfo=dt.UTC)) == 0


def test_a_runner_quiet_for_7_days_raises_no_activity_once_for_that_spell(
    plan: Any, therapist: Any, patient_user: Any, clinic: Any, clock: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    zone = clinic.zone
    ran = dt.date(2026, 6, 1)
    plan.started_on = dt.date(2026, 5, 1)
    plan.save(update_fields=["started_on"])
    clock(dt.datetime(2026, 6, 1, 18, 0, tzinfo=zone))
    log_run(plan, patient_user, ran)
    check_in(plan, patient_user, ran + dt.timedelta(days=1))

    clock(dt.datetime(2026, 6, 8, 23, 0, tzinfo=zone))  # 6 days after the check-in
    assert alert_inactive_runners() == 0
    clock(dt.datetime(2026, 6, 9, 6, 0, tzinfo=zone))  # 7 days
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily_checks.apply().get() == 1
        assert run_daily_checks.apply().get() == 0  # the same day: once
    [notification] = Notification.objects.filter(reason=Reason.NO_ACTIVITY)
    assert notification.link == f"/programs/rtr/{plan.pk}/"
    assert len(sent_alerts(mailoutbox)) == 1

    clock(dt.datetime(2026, 6, 10, 6, 0, tzinfo=zone))  # still quiet: told already
    assert alert_inactive_runners() == 0

    clock(dt.datetime(2026, 6, 12, 9, 0, tzinfo=zone))
    log_run(plan, patient_user, dt.date(2026, 6, 12))
    clock(dt.datetime(2026, 6, 19, 9, 0, tzinfo=zone))  # quiet again for 7 days
    assert alert_inactive_runners() == 1
    assert Notification.objects.filter(reason=Reason.NO_ACTIVITY).count() == 2


def test_a_paused_plan_or_a_recent_start_is_not_inactive(
    plan: Any, therapist: Any, clinic: Any, clock: Any
) -> None:
    from programs.running import services

    today = clinic.today()
    plan.started_on = today - dt.timedelta(days=3)
    plan.save(update_fields=["started_on"])
    assert alert_inactive_runners() == 0
    plan.started_on = today - dt.timedelta(days=10)
    plan.save(update_fields=["started_on"])
    services.pause_plan(plan=plan, by=therapist, note="Holiday")
    assert alert_inactive_runners() == 0
