"""The outbox's Celery side: the base class that marks a message done, and the periodic sweep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from celery import shared_task, states
from celery.contrib.django.task import DjangoTask

from rehab_clinic.outbox import mail, services

__all__ = ["OutboxTask", "send_email", "sweep_outbox"]

if TYPE_CHECKING:  # Celery's Task is generic only in its stubs
    _Task = DjangoTask[Any, Any]
else:
    _Task = DjangoTask


class OutboxTask(_Task):
    """A task sent through the outbox: once it has finished, its message needs no resending.

    Celery calls `after_return` when the task succeeded or failed for good, not on a retry
    (the retried message keeps the same id and the row stays pending until it finishes). A task
    that ran but could not do its work yet (another worker holds it) says so in `settled`, and
    its row stays pending for the sweep to send again later.
    """

    def settled(self, retval: Any) -> bool:
        return True

    def after_return(
        self, status: str, retval: Any, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if status == states.FAILURE or (status == states.SUCCESS and self.settled(retval)):
            services.mark_done(task_id)


@shared_task(name="outbox.sweep", acks_late=False, ignore_result=True)
def sweep_outbox() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["outbox-sweep"]`)."""
    return services.sweep()


class EmailTask(OutboxTask):
    def settled(self, retval: Any) -> bool:
        # "busy": another delivery holds the email and may still fail; "retry": the mail server
        # refused. Either way the message stays pending and the sweep sends it again later.
        return retval not in ("busy", "retry")


@shared_task(name=mail.EMAIL_TASK, base=EmailTask, ignore_result=True)
def send_email(email_pk: int) -> str:
    """Sends one `OutboxEmail`; a second delivery of the same message sends nothing."""
    return mail.deliver_email(email_pk)
