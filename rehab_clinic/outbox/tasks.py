"""The outbox's Celery side: the base class that marks a message done, and the periodic sweep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from celery import shared_task, states
from celery.contrib.django.task import DjangoTask

from rehab_clinic.outbox import services

__all__ = ["OutboxTask", "sweep_outbox"]

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
