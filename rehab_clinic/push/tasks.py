"""Celery face of web push: the network calls to push services happen here, never in a request.

`push_later` commits a `PendingPush` and its outbox message with the caller's change, so a push
asked for while Redis is down is kept and sent by the outbox sweep once the broker is back
(docs/push.md, "Sending").
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rehab_clinic.accounts.models import User
from rehab_clinic.outbox.services import enqueue
from rehab_clinic.outbox.tasks import OutboxTask
from rehab_clinic.push import services
from rehab_clinic.push.models import PendingPush

__all__ = ["PUSH_TASK", "deliver_push", "push_later", "send_push_task"]

PUSH_TASK = "push.deliver"


def push_later(user: User, *, title: str, body: str, url: str) -> bool:
    """Push to `user`'s browsers once the transaction commits, as a nudge beside the email.

    The push and its outbox message are written in the caller's transaction: a rollback drops
    them, a commit hands the message to Celery, and a broker outage leaves both for the sweep
    (the change that asked is never failed by it). Nothing is queued when push is off or the
    user has no browser; True when a push will be sent. `title` and `body` are neutral text
    (services.send_push); `url` a path of this site.
    """
    services.check_path(url)
    if not services.push_enabled() or not user.push_subscriptions.exists():
        return False
    with transaction.atomic():
        pending = PendingPush.objects.create(
            user=user, title=title[: services.TITLE_MAX], body=body[: services.BODY_MAX], url=url
        )
        enqueue(PUSH_TASK, pending.pk)
    return True


def deliver_push(pending_pk: int) -> str:
    """Send one pending push. Returns what happened: "sent", "already sent" (another delivery
    claimed it: a message the sweep sent again pushes once), "expired" or "gone".

    Best effort, as before the outbox: a delivery claims the row before the network calls, so a
    worker killed mid-send loses that push rather than risk showing it twice. A push older than
    `PUSH_TTL_SECONDS` when a worker gets it is dropped: the push service would have dropped it
    by then too, and "Time for your exercises" hours late is noise.
    """
    now = timezone.now()
    claimed = PendingPush.objects.filter(pk=pending_pk, claimed_at=None).update(claimed_at=now)
    if not claimed:
        return "already sent" if PendingPush.objects.filter(pk=pending_pk).exists() else "gone"
    pending = PendingPush.objects.select_related("user").get(pk=pending_pk)
    ttl = settings.PUSH_TTL_SECONDS
    if ttl and pending.created_at < now - timedelta(seconds=ttl):
        PendingPush.objects.filter(pk=pending.pk).update(delivered=0)
        return "expired"
    delivered = services.send_push(
        pending.user, title=pending.title, body=pending.body, url=pending.url
    )
    PendingPush.objects.filter(pk=pending.pk).update(delivered=delivered)
    return "sent"


@shared_task(name=PUSH_TASK, base=OutboxTask, ignore_result=True)
def deliver_push_task(pending_pk: int) -> str:
    """Sent by the outbox only (`push_later`); the row's key is all that goes through Redis."""
    return deliver_push(pending_pk)


@shared_task(name="push.send", ignore_result=True)
def send_push_task(user_pk: int, title: str, body: str, url: str) -> int:
    """The task before the outbox, kept so messages already in Redis when this version starts
    are still delivered; nothing enqueues it any more. A user deleted since is nobody to notify."""
    user = User.objects.filter(pk=user_pk).first()
    if user is None:
        return 0
    return services.send_push(user, title=title, body=body, url=url)
