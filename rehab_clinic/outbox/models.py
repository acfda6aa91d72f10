"""The transactional outbox: the intent to run a task, committed with the change that needs it.

A service writes an `OutboxMessage` in its own transaction instead of publishing to the broker.
Right after commit the message is handed to Celery; if the broker is down the row simply waits,
and the periodic sweep hands it over again when the broker is back. The task marks the row done
when it finishes, so a row sent long ago and still not done means its message was lost (Redis
restarted empty, a worker vanished) and the sweep sends it again. Tasks are idempotent, so a
message sent twice does its work once.
"""

from django.db import models
from django.utils import timezone

__all__ = ["OutboxMessage"]


class OutboxMessage(models.Model):
    # A registered Celery task name and its positional arguments: primary keys only, never
    # patient data (Redis keeps messages in plain text).
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    # task + args, for finding the pending messages of one object without a JSON lookup.
    key = models.CharField(max_length=250, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("last handed to the broker", null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    tried_at = models.DateTimeField("last send attempt", null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["sent_at"], condition=models.Q(done_at=None), name="outbox_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} ({'done' if self.done_at else 'pending'})"

    @property
    def is_waiting_for_broker(self) -> bool:
        """Never reached the broker, and the last try failed: the print service is down."""
        return self.done_at is None and self.send_count == 0 and bool(self.last_error)


def message_key(task: str, args: list[int]) -> str:
    return f"{task}:{','.join(str(arg) for arg in args)}"[:250]


class OutboxEmail(models.Model):
    """An email to send, committed with the change that needs it and sent by a Celery task.

    The outbox message that carries it names only this row's key, so no address or link goes
    through Redis. The body (which may hold a single-use link) is wiped once the email is sent.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # Extra headers (e.g. List-Unsubscribe); wiped with the body, as they may hold a link.
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Taken by one delivery at a time (a conditional UPDATE), so a message the sweep sent again
    # while the first was still running never sends the email twice.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.subject} ({'sent' if self.sent_at else 'waiting'})"
