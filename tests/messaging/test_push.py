"""A message to the patient also nudges their phones by web push: neutral words only, after the
commit, and never at the cost of the message when the broker is down."""

from typing import Any

import pytest
from kombu.exceptions import OperationalError

from rehab_clinic.messaging.models import Message
from rehab_clinic.messaging.services import send_message
from rehab_clinic.push import tasks
from tests.factories import PushSubscriptionFactory

pytestmark = pytest.mark.django_db

SECRET = "Your MRI shows a stress reaction of the left tibia"


@pytest.fixture
def pushed(monkeypatch: Any) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        tasks.send_push_task, "apply_async", lambda args, **_: calls.append(tuple(args))
    )
    return calls


def test_the_patients_phones_get_a_push_without_the_words(
    episode: Any, patient_user: Any, therapist: Any, vapid: Any, pushed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body=SECRET)
    assert len(pushed) == 1
    user_pk, title, body, url = pushed[0]
    assert user_pk == patient_user.pk
    assert url == "/portal/messages/"
    for text in (title, body):
        assert "tibia" not in text
        assert "MRI" not in text
        assert episode.label not in text


def test_no_push_when_push_is_off_the_patient_has_no_phone_or_the_patient_writes(
    episode: Any, patient_user: Any, therapist: Any, pushed: Any,
    django_capture_on_commit_callbacks: Any, settings: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body="Push is off")  # no VAPID keys
    assert pushed == []


def test_a_broker_outage_skips_the_push_and_keeps_the_message(
    episode: Any, patient_user: Any, therapist: Any, vapid: Any, monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_push_task, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(episode=episode, by=therapist, body="See you Tuesday")
    assert Message.objects.filter(body="See you Tuesday").exists()
