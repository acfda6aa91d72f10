"""Workflows for a note's PDF: request it (the "Print / send" button) and retry it.

The handout's pipeline (`programs.documents.services`): the intent to render is an outbox row
committed with the document row, sent to Celery after commit and again by the sweep if the broker
was down, so a requested PDF is never lost. Only signed notes are stored as documents; a draft is
printed on demand (`programs.documents.note_rendering.render_note_now`) and never kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from assessments.models import Note, NoteDocument
from assessments.printing import printed_hash
from programs.documents.services import Delivery, delivery_of
from programs.tasks import generate_note_pdf
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.outbox import services as outbox

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = [
    "NOTE_TASK",
    "NoteNotSigned",
    "note_delivery",
    "request_note_document",
    "retry_note_document",
]

NOTE_TASK: str = generate_note_pdf.name
State = NoteDocument.State


class NoteNotSigned(ValueError):
    """Only a signed note is kept as a PDF; a draft prints on demand."""


def note_delivery(document: NoteDocument) -> Delivery:
    return delivery_of(document, task=NOTE_TASK)


def _enqueue(document_id: int) -> None:
    outbox.enqueue(NOTE_TASK, document_id)


def _enqueue_again(document_id: int) -> None:
    """A fresh message for a document whose earlier one never reached a worker."""
    outbox.supersede(NOTE_TASK, document_id)
    _enqueue(document_id)


@transaction.atomic
def request_note_document(*, note: Note, by: User) -> NoteDocument:
    """The signed note's PDF, queued once; asked again, it is rendered again only when an
    addendum was added since, or re-sent when its message never reached a worker."""
    if not note.is_signed:
        raise NoteNotSigned(f"{note} is a draft; sign it to keep a PDF.")
    document, created = NoteDocument.objects.get_or_create(note=note, defaults={"requested_by": by})
    if created:
        _enqueue(document.pk)
    elif document.printed_hash != printed_hash(note) and document.state in (
        State.READY,
        State.FAILED,
    ):
        moved = NoteDocument.objects.filter(
            pk=document.pk, state__in=[State.READY, State.FAILED]
        ).update(state=State.QUEUED, error="", claimed_by="", claimed_at=None, attempts=0)
        if moved:
            _enqueue_again(document.pk)
    elif document.state == State.QUEUED:
        delivery = delivery_of(document, task=NOTE_TASK)
        if delivery.stuck or delivery.waiting_for_broker:
            _enqueue_again(document.pk)
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
        patient=note.episode.patient,
        obj=document,
        detail="requested note PDF",
    )
    document.refresh_from_db()
    return document


@transaction.atomic
def retry_note_document(*, document: NoteDocument, by: User) -> bool:
    """Queue a failed, stalled or stuck note PDF again, with its full number of tries."""
    retryable = Q(state=State.FAILED)
    if document.is_stalled:
        retryable |= Q(state=State.RENDERING, claimed_at=document.claimed_at)
    if document.state == State.QUEUED and delivery_of(document, task=NOTE_TASK).stuck:
        retryable |= Q(state=State.QUEUED)
    moved = NoteDocument.objects.filter(retryable, pk=document.pk).update(
        state=State.QUEUED, error="", claimed_by="", claimed_at=None, attempts=0
    )
    if moved:
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=document.note.episode.patient,
            obj=document,
            detail="retry note PDF rendering",
        )
        _enqueue_again(document.pk)
    return bool(moved)
