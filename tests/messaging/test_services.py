"""Sending a message: one thread per episode, audited, the other side told without the words,
refused once the episode is discharged; marking read moves one side's marker, never back."""

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError

from patients.services import discharge_episode
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.messaging.models import Message, Side, Thread
from rehab_clinic.messaging.services import (
    CLOSED,
    PATIENT_SUBJECT,
    THERAPIST_SUBJECT,
    MessageRefused,
    mark_thread_read,
    send_message,
)
from rehab_clinic.outbox.models import OutboxEmail
from tests.builders import message_with_photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

SECRET = "My left Achilles is swollen again after the 10 km, pain 7/10"


def _all_mail_text(mailoutbox: Any) -> str:
    parts = []
    for mail in mailoutbox:
        parts += [mail.subject, mail.body]
        parts += [content for content, _ in getattr(mail, "alternatives", [])]
    return "\n".join(parts)


def test_the_first_message_opens_the_episodes_one_thread_and_the_next_joins_it(
    episode: Any, patient_user: Any, therapist: Any
) -> None:
    first = send_message(episode=episode, by=patient_user, body="  Is it fine to run?  ")
    second = send_message(episode=episode, by=therapist, body="Yes, easy 20 minutes.")

    thread = Thread.objects.get(episode=episode)
    assert [first.thread_id, second.thread_id] == [thread.pk, thread.pk]
    assert (first.side, first.body) == (Side.PATIENT, "Is it fine to run?")
    assert second.side == Side.CLINIC
    assert thread.last_patient_message_at == first.created_at
    assert thread.last_clinic_message_at == second.created_at
    # Each writer has read up to their own message; the patient has not read the reply yet.
    assert thread.unread_for(Side.PATIENT)
    assert not thread.unread_for(Side.CLINIC)
    with pytest.raises(IntegrityError):
        Thread.objects.create(episode=episode)


def test_sending_is_audited_without_the_words(episode: Any, patient_user: Any) -> None:
    message = send_message(episode=episode, by=patient_user, body=SECRET)

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(message.pk))
    assert event.patient_id == episode.patient_id
    assert event.user_id == patient_user.pk
    assert "message sent by the patient" in event.detail
    assert SECRET not in f"{event.detail} {event.object_repr} {event.changes}"


def test_no_email_ever_carries_the_message_or_clinical_detail(
    episode: Any, patient_user: Any, therapist: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=patient_user, body=SECRET)
        send_message(episode=episode, by=therapist, body="Rest 3 days, ice the left heel")
        message_with_photo(episode, therapist, body="Compare with this photo of the calf")

    subjects = sorted(mail.subject for mail in mailoutbox)
    assert subjects == sorted([THERAPIST_SUBJECT, PATIENT_SUBJECT, PATIENT_SUBJECT])
    to_patient = [m for m in mailoutbox if m.subject == PATIENT_SUBJECT]
    assert {m.to[0] for m in to_patient} == {patient_user.email}
    assert "http://testserver/portal/messages/" in to_patient[0].body
    text = _all_mail_text(mailoutbox)
    patient = episode.patient
    for secret in (SECRET, "Rest 3 days", "heel", "calf", "photo of", "Achilles",
                   episode.label, episode.icd10_code, patient.last_name, patient.mrn):  # fmt: skip
        assert secret not in text, secret
    # Nothing left in the outbox rows either (a body is wiped once sent; none held the words).
    assert not OutboxEmail.objects.filter(body__contains="Achilles").exists()


def test_the_therapist_who_writes_is_not_emailed_about_their_own_message(
    episode: Any, therapist: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body="How did the run go?")

    assert [m.to for m in mailoutbox] == [[episode.patient.user.email]]


def test_a_discharged_episodes_thread_is_kept_and_read_only(
    episode: Any, patient_user: Any, therapist: Any
) -> None:
    send_message(episode=episode, by=patient_user, body="Thanks for everything")
    discharge_episode(episode=episode, on=dt.date(2026, 3, 1), reason="Goals met", by=therapist)

    for who in (patient_user, therapist):
        with pytest.raises(MessageRefused, match="closed"):
            send_message(episode=episode, by=who, body="One more thing")
    assert Message.objects.filter(thread__episode=episode).count() == 1
    assert "no new messages" in CLOSED


def test_only_a_party_to_the_thread_can_write(
    episode: Any, second_patient_user: Any, other_therapist: Any, clinic_admin: Any
) -> None:
    for outsider in (second_patient_user, other_therapist):
        with pytest.raises(MessageRefused, match="Only the patient and their clinic"):
            send_message(episode=episode, by=outsider, body="Hello")
    assert not Thread.objects.exists()


def test_an_empty_or_overlong_message_is_refused_and_nothing_is_kept(
    episode: Any, patient_user: Any
) -> None:
    with pytest.raises(MessageRefused, match="Write a message"):
        send_message(episode=episode, by=patient_user, body="   ")
    with pytest.raises(MessageRefused, match="2,000 characters"):
        send_message(episode=episode, by=patient_user, body="x" * 2001)
    assert not Message.objects.exists()


def test_marking_read_moves_the_readers_side_up_to_what_was_shown_never_back(
    episode: Any, patient_user: Any, therapist: Any
) -> None:
    first = send_message(episode=episode, by=patient_user, body="One")
    second = send_message(episode=episode, by=patient_user, body="Two")
    thread = Thread.objects.get(episode=episode)
    assert thread.unread_for(Side.CLINIC)

    assert mark_thread_read(thread=thread, by=therapist, seen_until=first.created_at)
    thread.refresh_from_db()
    assert thread.unread_for(Side.CLINIC)  # the second arrived after what the page showed
    assert mark_thread_read(thread=thread, by=therapist, seen_until=second.created_at)
    assert not mark_thread_read(thread=thread, by=therapist, seen_until=first.created_at)
    thread.refresh_from_db()
    assert thread.clinic_read_at == second.created_at
    assert not thread.unread_for(Side.CLINIC)
    assert thread.patient_read_at == second.created_at  # the patient's side is untouched


def test_a_photo_is_reencoded_as_a_jpeg_in_private_storage(episode: Any, patient_user: Any) -> None:
    message = message_with_photo(episode, patient_user)

    assert message.photo.name.startswith(f"message-photos/{message.thread_id}/")
    assert message.photo.name.endswith(".jpg")
    with message.photo.open("rb") as stored:
        assert stored.read(3) == b"\xff\xd8\xff"
