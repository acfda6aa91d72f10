"""Reminders sent by the beat job with a frozen clock: once a clinic day, at the chosen local
time across DST changes (New York and London), never in quiet hours, never after unsubscribing,
and with no clinical detail in the text."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from programs.home.models import ProgramItem
from programs.home.queries import current_versions
from programs.home.services import record_completion
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxEmail
from rehab_clinic.push.models import PendingPush
from rehab_clinic.reminders.models import ReminderKind, SentReminder
from rehab_clinic.reminders.services import send_reminders
from rehab_clinic.reminders.tasks import send_due_reminders
from rehab_clinic.reminders.tokens import unsubscribe_token
from tests.builders import check_in, log_run, make_plan, make_program, reminders_on
from tests.factories import PushSubscriptionFactory
from tests.programs.documents.conftest import broker_back_up
from tests.races import at_once
from tests.reminders.conftest import reminder_emails

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

T = dt.time
UTC = dt.UTC


@pytest.fixture
def beat(clock: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Run the beat job at a UTC instant, with the emails it queues sent after commit."""

    def run(*when: int) -> int:
        clock(dt.datetime(*when, tzinfo=UTC))
        with django_capture_on_commit_callbacks(execute=True):
            return int(send_due_reminders.apply().get())

    return run


def _zone(clinic: Any, name: str) -> None:
    clinic.timezone = name
    clinic.save(update_fields=["timezone"])


def test_the_exercise_reminder_keeps_its_local_time_across_the_spring_change_in_new_york(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any
) -> None:
    _zone(clinic, "America/New_York")
    beat(2026, 3, 6, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0))

    # 7 March, EST (UTC-5): 18:00 is 23:00 UTC.
    assert beat(2026, 3, 7, 22, 55) == 0
    assert beat(2026, 3, 7, 23, 0) == 1
    assert beat(2026, 3, 7, 23, 5) == 0  # beat again: already sent today
    # 8 March, EDT (UTC-4) since 02:00: 18:00 is 22:00 UTC, an hour earlier in UTC.
    assert beat(2026, 3, 8, 21, 55) == 0
    assert beat(2026, 3, 8, 22, 0) == 1
    assert beat(2026, 3, 8, 23, 0) == 0  # the old UTC hour does not send a second one
    assert len(reminder_emails(mailoutbox)) == 2
    days = SentReminder.objects.filter(patient=patient).values_list("day", flat=True)
    assert sorted(days) == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]


def test_a_time_the_autumn_change_repeats_is_sent_once_the_first_time(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any
) -> None:
    _zone(clinic, "America/New_York")
    beat(2026, 10, 30, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(1, 30))

    # 1 November: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    assert beat(2026, 11, 1, 5, 25) == 0
    assert beat(2026, 11, 1, 5, 30) == 1
    assert beat(2026, 11, 1, 6, 30) == 0
    # 2 November, EST: 01:30 is 06:30 UTC.
    assert beat(2026, 11, 2, 5, 30) == 0
    assert beat(2026, 11, 2, 6, 30) == 1
    assert len(reminder_emails(mailoutbox)) == 2


def test_a_time_the_spring_change_skips_in_london_is_sent_an_hour_later_on_the_clock(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any
) -> None:
    _zone(clinic, "Europe/London")
    beat(2026, 3, 27, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(1, 30))

    assert beat(2026, 3, 28, 1, 30) == 1  # GMT: 01:30 is 01:30 UTC
    # 29 March: the clocks go from 01:00 GMT to 02:00 BST; 01:30 never shows.
    assert beat(2026, 3, 29, 0, 55) == 0
    assert beat(2026, 3, 29, 1, 25) == 0  # 02:25 BST
    assert beat(2026, 3, 29, 1, 30) == 1  # 02:30 BST
    assert beat(2026, 3, 29, 1, 35) == 0
    assert beat(2026, 3, 30, 0, 30) == 1  # BST: 01:30 is 00:30 UTC
    assert len(reminder_emails(mailoutbox)) == 3


def test_a_reminder_inside_the_quiet_hours_waits_for_their_end_across_the_autumn_change(
    patient: Any, patient_user: Any, episode: Any, therapist: Any, clinic: Any, beat: Any,
    mailoutbox: Any,
) -> None:  # fmt: skip
    _zone(clinic, "America/New_York")
    beat(2026, 10, 1, 12, 0)
    plan = make_plan(episode, therapist)
    reminders_on(
        patient, check_in_on=True, check_in_at=T(6, 30), quiet_start=T(22, 0), quiet_end=T(7, 0)
    )
    beat(2026, 10, 31, 16, 0)
    log_run(plan, patient_user, dt.date(2026, 10, 31))

    # 1 November, EST: 06:30 is quiet; 07:00 EST is 12:00 UTC.
    assert beat(2026, 11, 1, 11, 30) == 0
    assert beat(2026, 11, 1, 11, 55) == 0
    assert beat(2026, 11, 1, 12, 0) == 1
    assert beat(2026, 11, 1, 12, 5) == 0
    [email] = reminder_emails(mailoutbox)
    assert email.subject == "Your morning check-in"


def test_no_exercise_reminder_once_every_session_of_the_day_is_ticked(
    patient: Any, patient_user: Any, episode: Any, therapist: Any, clinic: Any, beat: Any
) -> None:
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    make_program(episode, therapist, items=1)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0))
    beat(2026, 6, 2, 9, 0)
    [version] = current_versions(patient)
    record_completion(
        version=version,
        item_key=version.items[0]["key"],
        day=dt.date(2026, 6, 2),
        session=1,
        by=patient_user,
    )
    assert beat(2026, 6, 2, 17, 0) == 0
    assert beat(2026, 6, 3, 17, 0) == 1


def test_a_late_beat_still_sends_that_day_but_not_hours_later(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any
) -> None:
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(8, 0))

    assert beat(2026, 6, 2, 8, 40) == 1  # 09:40 BST: beat was down, the reminder still goes
    assert beat(2026, 6, 3, 9, 0) == 0  # 10:00 BST: two hours late is too late


def test_the_check_in_reminder_comes_only_after_a_run_and_until_it_is_logged(
    patient: Any, patient_user: Any, episode: Any, therapist: Any, clinic: Any, beat: Any,
    mailoutbox: Any,
) -> None:  # fmt: skip
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    plan = make_plan(episode, therapist)
    reminders_on(patient, check_in_on=True, check_in_at=T(8, 0))
    assert beat(2026, 6, 2, 7, 0) == 0  # no run yesterday
    log_run(plan, patient_user, dt.date(2026, 6, 2))
    beat(2026, 6, 3, 6, 0)
    check_in(plan, patient_user, dt.date(2026, 6, 3))
    assert beat(2026, 6, 3, 7, 0) == 0  # already checked in
    log_run(plan, patient_user, dt.date(2026, 6, 5))
    assert beat(2026, 6, 6, 7, 0) == 1
    assert not SentReminder.objects.exclude(kind=ReminderKind.CHECK_IN).exists()


def test_the_run_day_reminder_skips_the_rest_day_after_a_run(
    patient: Any, patient_user: Any, episode: Any, therapist: Any, clinic: Any, beat: Any,
    mailoutbox: Any,
) -> None:  # fmt: skip
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    plan = make_plan(episode, therapist)
    reminders_on(patient, next_run_on=True, next_run_at=T(7, 0))
    assert beat(2026, 6, 2, 6, 0) == 1  # 07:00 BST: a run day
    log_run(plan, patient_user, dt.date(2026, 6, 2))
    assert beat(2026, 6, 3, 6, 0) == 0  # the rest day
    assert beat(2026, 6, 4, 6, 0) == 1
    assert [m.subject for m in reminder_emails(mailoutbox)] == ["Today is a run day"] * 2


def test_no_reminder_after_the_one_click_unsubscribe(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any,
    client: Any,
) -> None:  # fmt: skip
    _zone(clinic, "America/New_York")
    beat(2026, 3, 1, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0))
    assert beat(2026, 3, 7, 23, 0) == 1
    [email] = reminder_emails(mailoutbox)
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    assert beat(2026, 3, 8, 22, 0) == 0
    assert beat(2026, 3, 9, 22, 0) == 0
    assert len(reminder_emails(mailoutbox)) == 1
    assert SentReminder.objects.count() == 1  # nothing was sent, so nothing is recorded


def test_the_email_reveals_no_clinical_detail_and_carries_the_one_click_headers(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any
) -> None:
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    program = make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0), next_run_on=True)
    make_plan(episode, therapist)
    assert beat(2026, 6, 2, 6, 0) == 1  # the run day at 07:00 BST
    assert beat(2026, 6, 2, 17, 0) == 1  # the exercises at 18:00 BST
    emails = reminder_emails(mailoutbox)
    assert {m.subject for m in emails} == {"Time for today's exercises", "Today is a run day"}
    names = [item.exercise.name for item in ProgramItem.objects.filter(program=program)]
    for email in emails:
        text = email.subject + email.body
        for secret in [*names, episode.label, patient.first_name, patient.last_name, "pain"]:
            assert secret.lower() not in text.lower()
        assert email.to == [patient.email or patient.user.email]
        token = unsubscribe_token(patient.pk)
        link = "http://testserver" + reverse("reminders:unsubscribe", args=[token])
        assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in email.body
    exercise = next(m for m in emails if "exercises" in m.subject)
    assert "http://testserver" + reverse("programs:portal_today") in exercise.body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once: SQLite locks the whole database, so the race cannot happen there",
)
@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_racing_send_one_reminder(
    patient: Any, episode: Any, therapist: Any, clinic: Any, eager_celery: None
) -> None:
    _zone(clinic, "Europe/London")
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0))
    now = dt.datetime(2026, 6, 2, 17, 0, tzinfo=UTC)
    results = at_once(lambda: send_reminders(now=now))
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 1
    assert SentReminder.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


def test_a_phone_with_notifications_on_gets_the_reminder_too_in_the_same_neutral_words(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any,
    vapid: Any, pushes: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient.user)
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    program = make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0))
    assert beat(2026, 6, 2, 17, 0) == 1
    assert len(reminder_emails(mailoutbox)) == 1
    [(user_pk, title, body, url)] = pushes()
    assert (user_pk, url) == (patient.user.pk, reverse("programs:portal_today"))
    names = [item.exercise.name for item in ProgramItem.objects.filter(program=program)]
    for secret in [*names, episode.label, patient.first_name, "pain"]:
        assert secret.lower() not in (title + body).lower()


def test_push_alone_still_reminds_a_patient_who_stopped_the_emails(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, mailoutbox: Any,
    vapid: Any, pushes: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient.user)
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0), email_on=False)
    assert beat(2026, 6, 2, 17, 0) == 1
    assert reminder_emails(mailoutbox) == []
    assert len(pushes()) == 1


def test_a_push_only_reminder_while_redis_is_down_is_sent_by_the_sweep_once_it_is_back(
    patient: Any, episode: Any, therapist: Any, clinic: Any, beat: Any, clock: Any,
    mailoutbox: Any, vapid: Any, pushes: Any, broker_down: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient.user)
    _zone(clinic, "Europe/London")
    beat(2026, 6, 1, 12, 0)
    make_program(episode, therapist)
    reminders_on(patient, exercise_on=True, exercise_at=T(18, 0), email_on=False)
    assert beat(2026, 6, 2, 17, 0) == 1
    [pending] = PendingPush.objects.all()
    assert pending.delivered is None  # kept: the broker refused the message

    # The outbox rows were stamped by the real clock (a default, not the frozen `now`).
    clock(dt.datetime.now(UTC) + dt.timedelta(minutes=1))
    settings.OUTBOX_SEND_GRACE = 0
    broker_back_up()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.sweep()  # the push, and the program's PDF also kept while Redis was down
    pending.refresh_from_db()
    assert pending.delivered == 1
    assert reminder_emails(mailoutbox) == []
