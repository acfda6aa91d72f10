"""Write to the outbox, hand pending messages to Celery, mark them done, sweep.

`enqueue` is what a service calls inside its transaction. Sending never raises for a broker
outage: the row keeps the error and the sweep tries again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from rehab_clinic.outbox.models import OutboxMessage, message_key

__all__ = [
    "BROKER_ERRORS",
    "broker_recently_down",
    "enqueue",
    "enqueue_many",
    "mark_done",
    "message_id",
    "pending_for",
    "send",
    "send_soon",
    "supersede",
    "sweep",
]

logger = logging.getLogger(__name__)

# What publishing raises when the broker is down or unreachable.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuError, RedisError, OSError)
_PREFIX = "outbox"


def message_id(message: OutboxMessage) -> str:
    """The Celery task id of the message's next delivery: names the row it came from."""
    return f"{_PREFIX}-{message.pk}-{message.send_count + 1}"


def _row_of(task_id: str | None) -> int | None:
    parts = (task_id or "").split("-")
    if len(parts) == 3 and parts[0] == _PREFIX and parts[1].isdigit():
        return int(parts[1])
    return None


def enqueue(task: str, *args: int) -> OutboxMessage:
    """Record the intent to run `task(*args)` in the caller's transaction; send after commit."""
    if task not in current_app.tasks:
        raise ValueError(f"No Celery task named {task!r}.")
    message = OutboxMessage.objects.create(
        task=task, args=list(args), key=message_key(task, list(args))
    )
    transaction.on_commit(lambda: send_soon(message.pk))
    return message


def enqueue_many(task: str, args_list: list[list[int]], *, send_now: bool) -> int:
    """`enqueue` for many objects in one INSERT. With `send_now` each is sent after commit;
    without, they wait for the sweep (OUTBOX_SWEEP_BATCH a run), for a burst too large to send
    from the request that caused it."""
    if task not in current_app.tasks:
        raise ValueError(f"No Celery task named {task!r}.")
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(task=task, args=list(args), key=message_key(task, list(args)))
        for args in args_list
    )
    if send_now:
        for message in messages:
            transaction.on_commit(partial(send_soon, message.pk))
    return len(messages)


def broker_recently_down() -> bool:
    """A send failed in the last OUTBOX_BROKER_BACKOFF seconds and nothing got through since."""
    since = timezone.now() - timedelta(seconds=settings.OUTBOX_BROKER_BACKOFF)
    pending = OutboxMessage.objects.filter(done_at=None, sent_at=None, tried_at__gte=since)
    return pending.exclude(last_error="").exists()


def send_soon(message_pk: int) -> bool:
    """Right after commit: send, unless the broker was just found down. Then the row waits for
    the sweep, and the person publishing is not kept waiting for a connection that will fail
    (redis-py retries a refused connection for about 6 s)."""
    if broker_recently_down():
        OutboxMessage.objects.filter(pk=message_pk, send_count=0).update(
            last_error="Not sent: the broker was unreachable moments ago.", tried_at=timezone.now()
        )
        return False
    return send(message_pk)


def supersede(task: str, *args: int) -> int:
    """Close the pending messages of `task(*args)`, before a fresh one replaces them."""
    return OutboxMessage.objects.filter(key=message_key(task, list(args)), done_at=None).update(
        done_at=timezone.now(), last_error="superseded"
    )


def pending_for(task: str, args_list: list[list[int]]) -> dict[str, OutboxMessage]:
    """The latest pending message per key, for several objects in one query."""
    keys = [message_key(task, args) for args in args_list]
    latest: dict[str, OutboxMessage] = {}
    for message in OutboxMessage.objects.filter(key__in=keys, done_at=None).order_by("id"):
        latest[message.key] = message
    return latest


def _lease(message_id_: int, *, due: Q) -> OutboxMessage | None:
    """Take the row for one send (a conditional UPDATE, so two sweepers never both send it)."""
    now = timezone.now()
    leased = OutboxMessage.objects.filter(due, pk=message_id_, done_at=None).update(
        sent_at=now, tried_at=now
    )
    return OutboxMessage.objects.filter(pk=message_id_).first() if leased else None


def send(message_pk: int, *, due: Q | None = None) -> bool:
    """Hand one pending message to the broker; False (and the error kept) when it is down."""
    message = _lease(message_pk, due=due if due is not None else Q(sent_at=None, send_count=0))
    if message is None:
        return False
    task_id = message_id(message)
    try:
        # retry=False: an outage fails fast here and the sweep owns the retrying.
        current_app.tasks[message.task].apply_async(args=message.args, task_id=task_id, retry=False)
    except BROKER_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        logger.warning("Outbox message %s not sent (%s); the sweep will retry", message.pk, error)
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None, last_error=error[:300])
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        send_count=F("send_count") + 1, last_error=""
    )
    return True


def mark_done(task_id: str | None) -> None:
    """The task behind `task_id` finished (succeeded or failed for good): nothing more to send."""
    row = _row_of(task_id)
    if row is not None:
        OutboxMessage.objects.filter(pk=row, done_at=None).update(done_at=timezone.now())


def sweep() -> int:
    """Send what never reached the broker, and again what was sent but never finished.

    A message is sent again only after `OUTBOX_RESEND_AFTER` seconds, longer than the broker's
    visibility timeout, so a message Redis still holds for a dead worker is not doubled early.
    Returns how many messages were handed to the broker.
    """
    moment = timezone.now()
    grace = moment - timedelta(seconds=settings.OUTBOX_SEND_GRACE)
    stale = moment - timedelta(seconds=settings.OUTBOX_RESEND_AFTER)
    due = Q(sent_at=None, created_at__lt=grace) | Q(sent_at__lt=stale)
    candidates = list(
        OutboxMessage.objects.filter(due, done_at=None)
        .order_by("id")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    )
    sent = 0
    for pk in candidates:
        if send(pk, due=due):
            sent += 1
        elif OutboxMessage.objects.filter(pk=pk, done_at=None, sent_at=None).exists():
            break  # the broker is down: the next sweep tries again
    if candidates:
        logger.info("Outbox sweep: %s of %s pending messages sent", sent, len(candidates))
    return sent
