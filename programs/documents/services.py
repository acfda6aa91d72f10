"""Workflows for program documents: request, retry, refresh, and the demo's ready PDF.

The only code that enqueues a render. The row is the source of truth; the Celery message only
carries its id, and `programs.documents.rendering` does the work the task asks for.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home.models import ProgramVersion
from programs.tasks import generate_program_pdf
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

__all__ = [
    "ensure_document_ready",
    "refresh_for_episode",
    "refresh_program_documents",
    "request_program_document",
    "retry_program_document",
]

if TYPE_CHECKING:
    from patients.models import Episode
    from rehab_clinic.accounts.models import User

logger = logging.getLogger(__name__)
State = ProgramDocument.State


def _enqueue(document_id: int) -> None:
    generate_program_pdf.delay_on_commit(document_id)


@transaction.atomic
def request_program_document(
    *, version: ProgramVersion, by: Any = None, kind: str = ProgramDocument.Kind.HOME_PROGRAM
) -> ProgramDocument:
    """The document for `version`, created and queued once; asking again changes nothing."""
    document, created = ProgramDocument.objects.get_or_create(
        version=version, kind=kind, defaults={"requested_by": by}
    )
    if created:
        _enqueue(document.pk)
    return document


@transaction.atomic
def retry_program_document(*, document: ProgramDocument, by: Any, request: Any = None) -> bool:
    """Queue a failed (or stalled) document again: the therapist's retry button."""
    retryable = Q(state=State.FAILED)
    if document.is_stalled:
        retryable |= Q(state=State.RENDERING, claimed_at=document.claimed_at)
    moved = ProgramDocument.objects.filter(retryable, pk=document.pk).update(
        state=State.QUEUED, error="", claimed_by="", claimed_at=None
    )
    if moved:
        record_event(
            request=request,
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=document.version.program.episode.patient,
            obj=document,
            detail="retry PDF rendering",
        )
        _enqueue(document.pk)
    return bool(moved)


def refresh_for_episode(*, episode: Episode, by: User | None) -> None:
    """What the episode's handout prints has changed: render its current PDFs again, once.

    Every service that changes printed content calls this at its end, inside its transaction
    (publishing a program, creating, starting, customising or closing a run plan, a gait
    prescription). The render is queued after commit. `by` is who made the change.
    """
    refresh_program_documents(episode_id=episode.pk, by=by)


def refresh_program_documents(*, episode_id: int, by: User | None = None) -> int:
    """Render again the PDFs of the episode's current versions.

    Documents already queued or rendering are left alone: they will read the new plan anyway.
    """
    latest = (
        ProgramVersion.objects.filter(program=OuterRef("program"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = ProgramVersion.objects.filter(
        program__episode_id=episode_id, number=Subquery(latest)
    )
    queued = 0
    for version in versions:
        document, created = ProgramDocument.objects.get_or_create(
            version=version, kind=ProgramDocument.Kind.HOME_PROGRAM, defaults={"requested_by": by}
        )
        moved = created or ProgramDocument.objects.filter(
            pk=document.pk, state__in=[State.READY, State.FAILED]
        ).update(state=State.QUEUED, error="", claimed_by="", claimed_at=None)
        if moved:
            _enqueue(document.pk)
            queued += 1
    return queued


def ensure_document_ready(*, version: ProgramVersion) -> ProgramDocument:
    """Render the version's PDF here and now unless it is ready (the demo seed, no worker needed).

    The task queued by `request_program_document` then finds the row ready and does nothing.
    """
    document = request_program_document(version=version)
    if document.state == State.FAILED:
        ProgramDocument.objects.filter(pk=document.pk, state=State.FAILED).update(
            state=State.QUEUED, error=""
        )
    if document.state != State.READY:
        generate_program_document(document.pk, token=f"inline-{document.pk}")
    document.refresh_from_db()
    return document
