"""Celery tasks for programs. Thin: ids in, a `programs.documents.rendering` call, the outcome on
the status row.

Reliability (shared/SECURITY.md): messages are sent through the outbox (`DocumentTask` is an
`OutboxTask`, which marks its outbox row done when it finishes) and carry only the document id;
acks_late with reject_on_worker_lost puts a message back when its worker dies mid-render, and the
claim in `claim_document` makes the second delivery harmless (and gives up after
DOCUMENT_MAX_ATTEMPTS starts). Soft and hard time limits come from settings, which refuse to
start unless soft < hard < the Redis visibility timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError

from assessments.models import NoteDocument
from programs.documents import note_rendering, rendering
from programs.documents.models import ProgramDocument
from programs.running.runfile_models import drop_unsaved_run_files
from rehab_clinic.outbox.tasks import OutboxTask

__all__ = [
    "MAX_RETRIES",
    "TRANSIENT_ERRORS",
    "DocumentTask",
    "NoteDocumentTask",
    "drop_unsaved_run_files_task",
    "generate_note_pdf",
    "generate_program_pdf",
    "retry_delay",
]

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
# Worth another try: the database or disk hiccuped, or the machine was too busy to finish in time.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    OSError,
    SoftTimeLimitExceeded,
)


def retry_delay(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 10, 30, 90... capped at 5 minutes."""
    return int(min(10 * 3**retries, 300))


class DocumentTask(OutboxTask):
    # The table of the rows this task renders (the handout's; a note's in NoteDocumentTask).
    model: rendering.DocumentModel = ProgramDocument

    def settled(self, retval: Any) -> bool:
        # Not while the row is still claimed by another delivery: if that worker died and its
        # message was lost with Redis, only a later send (after the claim goes stale) renders it.
        state = retval.get("state") if isinstance(retval, dict) else None
        return state not in (rendering.State.QUEUED, rendering.State.RENDERING)

    def on_failure(self, exc: Any, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # The hard time limit kills the child before our code can record anything; the worker's
        # main process calls this instead, so the row does not stay "rendering" for ever.
        if isinstance(exc, TimeLimitExceeded) and args:
            rendering.mark_failed(
                int(args[0]), error="Rendering took too long and was stopped.", model=self.model
            )


@shared_task(
    base=DocumentTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    serializer="json",
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_program_pdf(self: Any, document_id: int) -> dict[str, Any]:
    return _render(self, document_id, rendering.generate_program_document)


class NoteDocumentTask(DocumentTask):
    model: rendering.DocumentModel = NoteDocument


@shared_task(
    base=NoteDocumentTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    serializer="json",
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_note_pdf(self: Any, document_id: int) -> dict[str, Any]:
    """A signed note's PDF (`NoteDocument`): the same claim, retries and limits as the handout."""
    return _render(self, document_id, note_rendering.generate_note_document)


def _render(
    task: Any, document_id: int, generate: Callable[..., rendering.Outcome]
) -> dict[str, Any]:
    token = task.request.id or f"inline-{document_id}"
    model = task.model
    try:
        outcome = generate(document_id, token=token)
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
        if task.request.retries >= task.max_retries:
            logger.error("%s %s failed for good: %s", model.__name__, document_id, error)
            rendering.mark_failed(document_id, error=f"Gave up after retries. {error}", model=model)
            return {"document": document_id, "state": "failed"}
        logger.warning("%s %s will be retried: %s", model.__name__, document_id, error)
        _release_quietly(document_id, token, error, model)
        raise task.retry(exc=exc, countdown=retry_delay(task.request.retries)) from exc
    except Exception as exc:  # a bug or bad data: a retry would fail the same way
        return _fail(document_id, exc, model)
    return {"document": document_id, "state": outcome.state, "rendered": outcome.rendered}


def _release_quietly(
    document_id: int, token: str, error: str, model: rendering.DocumentModel
) -> None:
    try:
        rendering.release_for_retry(document_id, token=token, error=error, model=model)
    except DatabaseError:
        logger.warning("Could not release document %s; its claim will go stale", document_id)


def _fail(document_id: int, exc: BaseException, model: rendering.DocumentModel) -> dict[str, Any]:
    logger.exception("%s %s could not be rendered", model.__name__, document_id)
    rendering.mark_failed(
        document_id, error=f"The PDF could not be made ({type(exc).__name__}). {exc}", model=model
    )
    return {"document": document_id, "state": "failed"}


@shared_task(name="programs.drop_unsaved_run_files")
def drop_unsaved_run_files_task() -> int:
    """Run by Celery beat (`CELERY_BEAT_SCHEDULE["drop-unsaved-run-files"]`); idempotent."""
    return drop_unsaved_run_files()
