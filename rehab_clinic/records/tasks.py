"""Celery tasks for record exports. Thin: the export id in, `export_services.make_export`, the
outcome on the export row; and the beat job that deletes the files whose links expired.

Sent through the outbox (`ExportTask` is an `OutboxTask`); acks_late with reject_on_worker_lost
puts a message back when its worker dies, and the claim makes the second delivery harmless.
"""

from __future__ import annotations

import logging
from typing import Any

from billiard.exceptions import TimeLimitExceeded
from celery import shared_task
from django.conf import settings

from rehab_clinic.outbox.tasks import OutboxTask
from rehab_clinic.records import export_services
from rehab_clinic.records.models import RecordExport

__all__ = ["ExportTask", "build_record_export", "delete_expired_record_exports"]

logger = logging.getLogger(__name__)


class ExportTask(OutboxTask):
    def settled(self, retval: Any) -> bool:
        # Not while another delivery holds the claim: if that worker died, a later send does it.
        state = retval.get("state") if isinstance(retval, dict) else None
        return state not in RecordExport.PENDING

    def on_failure(self, exc: Any, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # The hard time limit kills the child before our code can record anything.
        if isinstance(exc, TimeLimitExceeded) and args:
            export_services.mark_failed(int(args[0]), error="The export took too long.")


@shared_task(
    name="records.build_export",
    base=ExportTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    serializer="json",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def build_record_export(self: Any, export_id: int) -> dict[str, Any]:
    token = self.request.id or f"inline-{export_id}"
    try:
        state = export_services.make_export(export_id, token=token)
    except Exception as exc:  # a bug, bad data or the soft limit: say so on the row
        logger.exception("Record export %s failed", export_id)
        export_services.mark_failed(
            export_id, error=f"The record could not be prepared ({type(exc).__name__})."
        )
        return {"export": export_id, "state": "failed"}
    return {"export": export_id, "state": state}


@shared_task(name="records.delete_expired", acks_late=False, ignore_result=True)
def delete_expired_record_exports() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["delete-expired-record-exports"]`)."""
    return export_services.delete_expired_exports()
