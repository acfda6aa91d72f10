"""Celery face of web push: the network calls to push services happen here, never in a request."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from rehab_clinic.accounts.models import User
from rehab_clinic.push import services

__all__ = ["push_later", "send_push_task"]

logger = logging.getLogger(__name__)
_BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuError, RedisError, OSError)


@shared_task(name="push.send", ignore_result=True)
def send_push_task(user_pk: int, title: str, body: str, url: str) -> int:
    """`send_push_task.delay_on_commit(user.pk, title, body, url)`: neutral text only, as
    `services.send_push` says. A user deleted since is nobody to notify."""
    user = User.objects.filter(pk=user_pk).first()
    if user is None:
        return 0
    return services.send_push(user, title=title, body=body, url=url)


def push_later(user: User, *, title: str, body: str, url: str) -> bool:
    """Push to `user`'s browsers once the transaction commits, as a nudge beside the email.

    Best effort by design: the email goes through the outbox and arrives after an outage; a
    push queued while the broker is down is dropped (and logged) rather than failing the
    change that asked for it. Nothing is queued when push is off or the user has no browser;
    True when a push will be handed over.
    """
    if not services.push_enabled() or not user.push_subscriptions.exists():
        return False

    def enqueue() -> None:
        try:
            send_push_task.apply_async(args=(user.pk, title, body, url), retry=False)
        except _BROKER_ERRORS as exc:
            logger.warning("Push to user %s skipped: broker unavailable (%s)", user.pk, exc)

    transaction.on_commit(enqueue)
    return True
