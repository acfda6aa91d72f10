"""Rendering a program document, as the Celery task asks: claim, generate, release, mark failed.

Rendering is safe to repeat: a worker renders only after a conditional UPDATE moved the row from
`queued` to `rendering` under its own task id, so a duplicate message finds nothing to claim, while
a redelivery of the *same* message after a killed worker (same task id) may take its claim back.
Nothing here enqueues; `programs.documents.services` does.

The claim, release and failure steps serve both kinds of document row, the handout's
`ProgramDocument` and a note's `NoteDocument` (`programs.documents.note_rendering`): `model`
names the table, and both share the same states.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from assessments.models import NoteDocument
from programs.documents.models import ProgramDocument
from programs.documents.sheet import RenderedPdf
from programs.home.models import ProgramVersion

__all__ = [
    "Outcome",
    "claim_document",
    "gave_up_message",
    "generate_program_document",
    "mark_failed",
    "release_for_retry",
    "render_clinic_copy",
    "store_pdf",
]

logger = logging.getLogger(__name__)
State = ProgramDocument.State
DocumentModel = type[ProgramDocument] | type[NoteDocument]


@dataclass(frozen=True)
class Outcome:
    document_id: int
    rendered: bool
    state: str


def claim_document(document_id: int, *, token: str, model: DocumentModel = ProgramDocument) -> bool:
    """Move the row to `rendering` for this task; True only for the one caller that may render.

    A row still `rendering` under another token is left alone unless its claim is older than the
    hard time limit: by then that worker has been killed, so the claim is dead.

    A row already started `DOCUMENT_MAX_ATTEMPTS` times (each worker death counts: the message
    comes back with `reject_on_worker_lost`) is not rendered again but marked failed, so a
    document that kills its worker cannot take worker after worker down.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = (
        Q(state=State.QUEUED)
        | Q(state=State.RENDERING, claimed_by=token)
        | Q(state=State.RENDERING, claimed_at__lt=stale)
    )
    limit = settings.DOCUMENT_MAX_ATTEMPTS
    rows = model._default_manager
    claimed = rows.filter(claimable, pk=document_id, attempts__lt=limit).update(
        state=State.RENDERING,
        claimed_by=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        exhausted = rows.filter(claimable, pk=document_id, attempts__gte=limit)
        if exhausted.update(
            state=State.FAILED, error=gave_up_message(limit), claimed_by="", claimed_at=None
        ):
            logger.error("%s %s given up after %s attempts", model.__name__, document_id, limit)
    return bool(claimed)


def gave_up_message(attempts: int) -> str:
    return (
        f"Stopped after {attempts} attempts: the print service stopped each time while making "
        "this PDF. Try again, or check the program for an unusually large image or text."
    )


def generate_program_document(document_id: int, *, token: str) -> Outcome:
    """Render and store the PDF if this caller wins the claim. Errors propagate to the task."""
    if not claim_document(document_id, token=token):
        state = ProgramDocument.objects.filter(pk=document_id).values_list("state", flat=True)
        return Outcome(document_id, rendered=False, state=next(iter(state), "missing"))
    document = ProgramDocument.objects.select_related(
        "version__program__episode__patient__clinic", "version__published_by"
    ).get(pk=document_id)
    # local import: WeasyPrint adds ~40 MB to every process that loads it, and web processes
    # import this module (publishing calls it) but never render.
    from programs.documents import pdf
    from programs.documents.compose import sheet_from_version

    try:
        rendered = pdf.render_program(sheet_from_version(document.version))
    finally:
        pdf.release_memory()
    if not store_pdf(document_id, token=token, rendered=rendered):
        state = ProgramDocument.objects.filter(pk=document_id).values_list("state", flat=True)
        return Outcome(document_id, rendered=False, state=next(iter(state), "missing"))
    logger.info("Program document %s ready (%s pages)", document_id, rendered.page_count)
    return Outcome(document_id, rendered=True, state=State.READY)


def render_clinic_copy(version: ProgramVersion) -> RenderedPdf:
    """The clinic's copy of a published version, made here and now and never stored: the same
    pages as the patient's, each dose in the therapist's shorthand instead of the patient's words.
    `version` with `program__episode__patient__clinic` and `published_by` loaded."""
    # local import: WeasyPrint adds ~40 MB to every process that loads it; web processes import
    # this module (the clinic copy's view) but most never render.
    from programs.documents import pdf
    from programs.documents.compose import sheet_from_version

    try:
        return pdf.render_program(replace(sheet_from_version(version), therapist_copy=True))
    finally:
        pdf.release_memory()


def store_pdf(
    document_id: int,
    *,
    token: str,
    rendered: RenderedPdf,
    model: DocumentModel = ProgramDocument,
    printed_hash: str = "",
) -> bool:
    """Keep the rendered file on the row and mark it ready, if our claim still holds.

    False when the claim went stale and another worker took over: its result is kept, ours
    dropped. A refresh's earlier file is deleted once the new one is committed.
    """
    checksum = hashlib.sha256(rendered.data).hexdigest()
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=document_id)
        if locked.state != State.RENDERING or locked.claimed_by != token:
            return False
        previous = locked.file.name
        locked.file.save(f"{document_id}.pdf", ContentFile(rendered.data), save=False)
        locked.state = State.READY
        locked.size_bytes = len(rendered.data)
        locked.page_count = rendered.page_count
        locked.checksum = checksum
        locked.error = ""
        locked.rendered_at = timezone.now()
        fields = ["file", "state", "size_bytes", "page_count", "checksum", "error", "rendered_at"]
        if isinstance(locked, NoteDocument):
            locked.printed_hash = printed_hash
            fields.append("printed_hash")
        locked.save(update_fields=fields)
        if previous:
            storage, name = locked.file.storage, previous
            transaction.on_commit(lambda: storage.delete(name))
    return True


def release_for_retry(
    document_id: int, *, token: str, error: str, model: DocumentModel = ProgramDocument
) -> None:
    """A transient failure: put the row back in the queue so the retried task can claim it."""
    model._default_manager.filter(pk=document_id, claimed_by=token).exclude(
        state=State.READY
    ).update(state=State.QUEUED, error=f"Retrying after: {error}"[:500])


def mark_failed(document_id: int, *, error: str, model: DocumentModel = ProgramDocument) -> None:
    """The final failure, kept on the row and shown to the therapist with a retry button."""
    model._default_manager.filter(pk=document_id).exclude(state=State.READY).update(
        state=State.FAILED, error=error[:500], claimed_by="", claimed_at=None
    )
