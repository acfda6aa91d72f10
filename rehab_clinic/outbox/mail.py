"""Email through the outbox: `queue_email` in the caller's transaction, `deliver_email` in the task.

Delivery is at most once per row whatever the number of messages: a delivery first claims the row
with a conditional UPDATE (only one of several racing workers gets it), sends, then marks it sent
and wipes the body. A mail server error gives the claim back for the sweep's next delivery; after
`MAX_ATTEMPTS` the email is given up and its error kept for the admin.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from rehab_clinic.outbox.models import OutboxEmail
from rehab_clinic.outbox.services import enqueue

__all__ = ["EMAIL_TASK", "MAX_ATTEMPTS", "deliver_email", "queue_email"]

logger = logging.getLogger(__name__)

EMAIL_TASK = "outbox.send_email"
MAX_ATTEMPTS = 5


@transaction.atomic
def queue_email(
    *, to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> OutboxEmail:
    """The email and its outbox message, committed with the caller's change; sent after commit.
    `headers` are extra message headers (a reminder's List-Unsubscribe, RFC 8058); a line break
    in a name or value is refused, so no header can be smuggled in."""
    headers = dict(headers or {})
    if any("\n" in k + v or "\r" in k + v for k, v in headers.items()):
        raise ValueError("An email header may not hold a line break.")
    email = OutboxEmail.objects.create(to=to, subject=subject[:300], body=body, headers=headers)
    enqueue(EMAIL_TASK, email.pk)
    return email


def deliver_email(email_pk: int) -> str:
    """Send one queued email. Returns what happened: "sent", "already sent", "busy" (another
    delivery holds it), "retry" (the mail server refused; the sweep sends it again), "gave up"
    or "gone"."""
    now = timezone.now()
    # A claim older than the outbox's resend delay belongs to a worker that died mid-send.
    stale = now - timedelta(seconds=settings.OUTBOX_RESEND_AFTER)
    claimed = (
        OutboxEmail.objects.filter(pk=email_pk, sent_at=None, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        email = OutboxEmail.objects.filter(pk=email_pk).first()
        if email is None:
            return "gone"
        if email.sent_at is not None:
            return "already sent"
        return "gave up" if email.attempts >= MAX_ATTEMPTS else "busy"
    email = OutboxEmail.objects.get(pk=email_pk)
    try:
        EmailMessage(
            subject=email.subject, body=email.body, to=[email.to], headers=email.headers or None
        ).send()
    except Exception as exc:  # any mail server or connection error: keep the email, retry later
        error = f"{type(exc).__name__}: {exc}"[:300]
        logger.warning("Email %s not sent (%s); the outbox sweep will retry", email.pk, error)
        OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=None, last_error=error)
        return "gave up" if email.attempts >= MAX_ATTEMPTS else "retry"
    OutboxEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), body="", headers={}, last_error=""
    )
    return "sent"
