"""A message to the patient also nudges their phones by web push: neutral words only, after the
commit, and never at the cost of the message when the broker is down (the push waits in the
outbox for the sweep)."""

from typing import Any

import pytest

from rehab_clinic.messaging.models import Message
from rehab_clinic.messaging.services import send_message
from rehab_clinic.outbox.models import OutboxMessage
from rehab_clinic.push.tasks import PUSH_TASK
from tests.factories import PushSubscriptionFactory

pytestmark = pytest.mark.django_db

SECRET = "Your MRI shows a stress reaction of the left tibia"


def test_the_patients_phones_get_a_push_without_the_words(
    episode: Any, patient_user: Any, therapist: Any, vapid: Any, pushes: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body=SECRET)
    [(user_pk, title, body, url)] = pushes()
    assert user_pk == patient_user.pk
    assert url == "/portal/messages/"
    for text in (title, body):
        assert "tibia" not in text
        assert "MRI" not in text
        assert episode.label not in text


def test_no_push_when_push_is_off_the_patient_has_no_phone_or_the_patient_writes(
    episode: Any, patient_user: Any, therapist: Any, pushes: Any,
    django_capture_on_commit_callbacks: Any, settings: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body="Push is off")  # no VAPID keys
    assert pushes() == []


def test_a_broker_outage_keeps_the_push_for_the_sweep_and_the_message(
    episode: Any, patient_user: Any, therapist: Any, vapid: Any, pushes: Any,
    broker_down: None, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body="See you Tuesday")
    assert Message.objects.filter(body="See you Tuesday").exists()
    assert len(pushes()) == 1
    [message] = OutboxMessage.objects.filter(task=PUSH_TASK)
    assert message.last_error
    assert message.done_at is None
