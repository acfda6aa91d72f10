"""A run log or check-in that shows a stop sign, a step back, a limp or swelling, or pain above
the ceiling twice in a row tells the runner's therapist: a notification, and an email with no
clinical detail, at most once a clinic day per patient and reason."""

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection

from rehab_clinic.notifications.models import AlertPreference, Delivery, Notification, Reason
from rehab_clinic.notifications.services import raise_alert, recipients_for
from rehab_clinic.outbox.models import OutboxEmail, OutboxMessage
from tests.builders import check_in, log_run
from tests.factories import UserFactory
from tests.notifications.conftest import sent_alerts
from tests.races import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def _reasons(therapist: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=therapist).values_list("reason", flat=True))


def test_a_painful_run_with_a_limp_tells_the_therapist_once_with_no_clinical_detail(
    plan: Any, therapist: Any, patient_user: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    today = plan.episode.patient.clinic.today()
    with django_capture_on_commit_callbacks(execute=True):
        log_run(plan, patient_user, today, pain_during=7, limp=True, notes="had to walk home")

    # The rule stepped the runner back and told them to stop: three reasons, one email.
    assert _reasons(therapist) == sorted(
        [Reason.LIMP_OR_SWELLING, Reason.STEP_BACK, Reason.STOP_SIGN]
    )
    [mail] = sent_alerts(mailoutbox)
    assert mail.to == [therapist.email]
    patient = plan.episode.patient
    text = mail.subject + "\n" + mail.body
    assert "A patient of yours needs attention" in text
    for secret in (patient.first_name, patient.full_name, patient.mrn, plan.episode.label,
                   plan.episode.icd10_code, "walk home"):  # fmt: skip
        assert secret not in text, secret
    for word in ("limp", "pain", "stop", "step", "swelling", "gait", "diagnos", "injur"):
        assert word not in text.lower(), word
    assert not re.search(r"\d+\s*/\s*10", text)
    assert "http://testserver/notifications/\n" in mail.body  # the list: opening one is a POST


def test_the_same_reason_the_same_day_is_one_notification_and_the_next_day_another(
    plan: Any, therapist: Any, patient_user: Any, mailoutbox: Any, clock: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    zone = plan.episode.patient.clinic.zone
    clock(dt.datetime(2026, 6, 10, 9, 0, tzinfo=zone))
    day = dt.date(2026, 6, 10)
    with django_capture_on_commit_callbacks(execute=True):
        log_run(plan, patient_user, day, swelling="mild")
        log_run(plan, patient_user, day, swelling="mild", notes="again")
    assert _reasons(therapist).count(Reason.LIMP_OR_SWELLING) == 1
    first = len(sent_alerts(mailoutbox))

    clock(dt.datetime(2026, 6, 11, 9, 0, tzinfo=zone))
    with django_capture_on_commit_callbacks(execute=True):
        log_run(plan, patient_user, dt.date(2026, 6, 11), swelling="mild")
    assert _reasons(therapist).count(Reason.LIMP_OR_SWELLING) == 2
    assert len(sent_alerts(mailoutbox)) > first
    days = Notification.objects.filter(reason=Reason.LIMP_OR_SWELLING).values_list("day", flat=True)
    assert sorted(days) == [dt.date(2026, 6, 10), dt.date(2026, 6, 11)]


def test_pain_above_the_ceiling_twice_in_a_row_alerts_once_not_on_the_first(
    episode: Any, therapist: Any, patient_user: Any,
) -> None:  # fmt: skip
    from tests.builders import make_plan

    plan = make_plan(episode, therapist, pain_during_max=3, pain_after_max=3)
    today = episode.patient.clinic.today()
    log_run(plan, patient_user, today - dt.timedelta(days=3), pain_during=4)
    assert Reason.PAIN_TWICE not in _reasons(therapist)
    log_run(plan, patient_user, today - dt.timedelta(days=2), pain_during=1)
    log_run(plan, patient_user, today - dt.timedelta(days=1), pain_during=4)
    assert Reason.PAIN_TWICE not in _reasons(therapist)  # not in a row: a good run between
    log_run(plan, patient_user, today, pain_after=5)
    assert _reasons(therapist).count(Reason.PAIN_TWICE) == 1


def test_a_morning_jump_at_check_in_is_a_stop_sign(
    plan: Any, therapist: Any, patient_user: Any
) -> None:
    today = plan.episode.patient.clinic.today()
    log_run(plan, patient_user, today - dt.timedelta(days=1))
    assert _reasons(therapist) == []
    check_in(plan, patient_user, today, pain=8)
    assert Reason.STOP_SIGN in _reasons(therapist)


def test_a_run_back_filled_from_before_the_flag_window_tells_nobody(
    plan: Any, therapist: Any, patient_user: Any
) -> None:
    today = plan.episode.patient.clinic.today()
    log_run(plan, patient_user, today - dt.timedelta(days=7), limp=True)
    assert not Notification.objects.exists()
    log_run(plan, patient_user, today - dt.timedelta(days=6), limp=True)
    assert Reason.LIMP_OR_SWELLING in _reasons(therapist)


def test_an_easy_run_tells_nobody(plan: Any, therapist: Any, patient_user: Any) -> None:
    log_run(plan, patient_user, plan.episode.patient.clinic.today())
    assert not Notification.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_the_therapist_logging_for_the_runner_is_not_told_about_their_own_entry(
    plan: Any, therapist: Any
) -> None:
    log_run(plan, therapist, plan.episode.patient.clinic.today(), limp=True)
    assert not Notification.objects.exists()


def test_the_alert_email_waits_in_the_outbox_and_is_not_sent_in_the_request(
    plan: Any, therapist: Any, patient_user: Any, mailoutbox: Any, broker_down: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        log_run(plan, patient_user, plan.episode.patient.clinic.today(), limp=True)
    assert Notification.objects.filter(reason=Reason.LIMP_OR_SWELLING).exists()
    assert sent_alerts(mailoutbox) == []
    waiting = OutboxMessage.objects.filter(task="outbox.send_email", done_at=None)
    assert waiting.count() == OutboxEmail.objects.count() >= 1


@pytest.mark.parametrize(
    ("delivery", "notified", "emailed"),
    [
        (Delivery.OFF, False, False),
        (Delivery.APP, True, False),
        (Delivery.DIGEST, True, False),  # emailed later, in the digest
        (Delivery.IMMEDIATE, True, True),
    ],
)
def test_each_therapist_chooses_how_each_reason_reaches_them(
    plan: Any, therapist: Any, patient_user: Any, mailoutbox: Any, delivery: str,
    notified: bool, emailed: bool, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    AlertPreference.objects.create(
        user=therapist,
        deliveries={Reason.LIMP_OR_SWELLING: delivery, Reason.STEP_BACK: Delivery.OFF,
                    Reason.STOP_SIGN: Delivery.OFF},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        log_run(plan, patient_user, plan.episode.patient.clinic.today(), limp=True)
    assert _reasons(therapist) == ([Reason.LIMP_OR_SWELLING] if notified else [])
    assert len(sent_alerts(mailoutbox)) == (1 if emailed else 0)


def test_without_a_primary_therapist_the_episode_therapist_then_the_clinic_is_told(
    episode: Any, therapist: Any, clinic: Any
) -> None:
    patient = episode.patient
    second = UserFactory(clinic=clinic, full_name="Second Therapist")
    UserFactory(clinic=clinic, role="clinic_admin")
    assert recipients_for(patient, episode) == [therapist]
    patient.primary_therapist = None
    episode.created_by = second
    assert recipients_for(patient, episode) == [second]
    second.is_active = False
    second.save()
    assert set(recipients_for(patient, episode)) == {therapist}  # every active therapist
    second.is_active = True
    second.save()
    assert set(recipients_for(patient, None)) == {therapist, second}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once: SQLite locks the whole database, so the race cannot happen there",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_make_one_notification_and_one_email(
    patient: Any, therapist: Any, eager_celery: None
) -> None:
    results = at_once(
        lambda: raise_alert(patient=patient, reason=Reason.STEP_BACK, link="/patients/")
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Notification.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


def test_a_link_off_the_site_is_refused(patient: Any) -> None:
    with pytest.raises(ValueError, match="Not an alert"):
        raise_alert(patient=patient, reason=Reason.STEP_BACK, link="//evil.example/")
