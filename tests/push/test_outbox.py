"""Web push goes through the outbox (issue 13, item 1): `push_later` commits the push with the
change that asked for it, a Celery task sends it, and a push asked for while Redis is down is kept
and sent by the sweep once the broker is back. Still best effort: one delivery per push, a
subscription the push service calls gone is deleted, a push hours late is dropped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import OutboxMessage
from rehab_clinic.push.models import PendingPush, PushSubscription
from rehab_clinic.push.tasks import PUSH_TASK, deliver_push, push_later
from tests.factories import PushSubscriptionFactory
from tests.programs.documents.conftest import broker_back_up
from tests.push.conftest import PushService, browser

pytestmark = pytest.mark.django_db

NEUTRAL = {"title": "Riverside Test Clinic", "body": "Time for your exercises.", "url": "/portal/"}


def _sweep_after_the_broker_is_back(settings: Any, callbacks: Any) -> int:
    settings.OUTBOX_SEND_GRACE = 0
    broker_back_up()
    with callbacks(execute=True):
        return outbox.sweep()


def test_a_push_while_redis_is_down_is_kept_and_sent_once_by_the_sweep(
    patient_user: Any, push_service: PushService, vapid: Any, broker_down: None,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    browser(patient_user, push_service)
    with django_capture_on_commit_callbacks(execute=True):
        assert push_later(patient_user, **NEUTRAL) is True

    assert push_service.received == []  # nothing reached a push service
    [pending] = PendingPush.objects.all()
    assert (pending.user_id, pending.title, pending.body, pending.url) == (
        patient_user.pk, NEUTRAL["title"], NEUTRAL["body"], NEUTRAL["url"],
    )  # fmt: skip
    [message] = OutboxMessage.objects.filter(task=PUSH_TASK)
    assert message.args == [pending.pk]  # a key only: the text never sits in Redis
    assert message.last_error
    assert message.done_at is None

    assert _sweep_after_the_broker_is_back(settings, django_capture_on_commit_callbacks) == 1
    assert [r["path"] for r in push_service.received] == ["/wpush/abc"]
    pending.refresh_from_db()
    assert pending.delivered == 1
    message.refresh_from_db()
    assert message.done_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 0  # done: never sent again
    assert len(push_service.received) == 1


def test_a_message_delivered_twice_pushes_once(
    patient_user: Any, push_service: PushService, vapid: Any
) -> None:
    browser(patient_user, push_service)
    push_later(patient_user, **NEUTRAL)
    [pending] = PendingPush.objects.all()
    assert deliver_push(pending.pk) == "sent"
    assert deliver_push(pending.pk) == "already sent"  # the sweep's copy of the same message
    assert len(push_service.received) == 1
    assert deliver_push(10**9) == "gone"


def test_a_gone_subscription_is_still_deleted_when_the_sweep_delivers(
    patient_user: Any, push_service: PushService, vapid: Any, broker_down: None,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    subscription, _, _ = browser(patient_user, push_service)
    with django_capture_on_commit_callbacks(execute=True):
        push_later(patient_user, **NEUTRAL)
    push_service.answers = [410]
    _sweep_after_the_broker_is_back(settings, django_capture_on_commit_callbacks)
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    assert PendingPush.objects.get().delivered == 0


def test_a_push_is_sent_only_after_the_commit_and_a_rollback_drops_it(
    patient_user: Any, vapid: Any, pushes: Any, django_capture_on_commit_callbacks: Any,
    eager_celery: None,
) -> None:  # fmt: skip
    PushSubscriptionFactory(user=patient_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        push_later(patient_user, **NEUTRAL)
    assert PendingPush.objects.get().claimed_at is None  # not sent inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert PendingPush.objects.get().delivered == 1

    savepoint = transaction.savepoint()
    push_later(patient_user, **NEUTRAL)
    transaction.savepoint_rollback(savepoint)  # the change that asked was undone
    assert PendingPush.objects.count() == 1
    assert OutboxMessage.objects.filter(task=PUSH_TASK).count() == 1


def test_a_push_hours_late_is_dropped(
    patient_user: Any, push_service: PushService, vapid: Any, settings: Any
) -> None:
    browser(patient_user, push_service)
    push_later(patient_user, **NEUTRAL)
    late = timezone.now() - timedelta(seconds=settings.PUSH_TTL_SECONDS + 1)
    PendingPush.objects.update(created_at=late)
    assert deliver_push(PendingPush.objects.get().pk) == "expired"
    assert push_service.received == []


def test_nothing_is_queued_when_push_is_off_or_the_user_has_no_browser(
    patient_user: Any, settings: Any, pushes: Any
) -> None:
    PushSubscriptionFactory(user=patient_user)
    assert push_later(patient_user, **NEUTRAL) is False  # no VAPID keys in the tests
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "pub", "priv"
    PushSubscription.objects.all().delete()
    assert push_later(patient_user, **NEUTRAL) is False
    assert pushes() == []
    assert not OutboxMessage.objects.filter(task=PUSH_TASK).exists()


def test_a_push_that_would_open_another_site_is_refused_at_once(patient_user: Any) -> None:
    with pytest.raises(ValueError, match="path"):
        push_later(patient_user, title="t", body="b", url="https://evil.example/")
