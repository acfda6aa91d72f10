"""Workflows for program documents: request, retry, refresh, and the demo's ready PDF.

The only code that enqueues a render, always through the outbox (`rehab_clinic.outbox`): the
intent to render is a row committed with the change, sent to Celery after commit and again by
the sweep if the broker was down or lost the message. The document row is the source of truth;
the message carries only its id, and `programs.documents.rendering` does the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from assessments.models import NoteDocument
from programs.documents.models import ProgramDocument
from programs.documents.rendering import generate_program_document
from programs.home.models import ProgramVersion
from programs.tasks import generate_program_pdf
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import message_key

__all__ = [
    "Delivery",
    "deliveries",
    "delivery_of",
    "ensure_document_ready",
    "refresh_for_clinic",
    "refresh_for_episode",
    "refresh_for_patient",
    "refresh_program_documents",
    "request_document_by_hand",
    "request_program_document",
    "retry_program_document",
]

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import Clinic, User

logger = logging.getLogger(__name__)
State = ProgramDocument.State


TASK: str = generate_program_pdf.name


def _enqueue(document_id: int) -> None:
    outbox.enqueue(TASK, document_id)


def _enqueue_again(document_id: int) -> None:
    """A fresh message for a document whose earlier one never reached a worker."""
    outbox.supersede(TASK, document_id)
    outbox.enqueue(TASK, document_id)


@dataclass(frozen=True)
class Delivery:
    """Where a queued document's message is, as its page tells it."""

    # The message never reached the broker: "PDF will be ready when the print service is back".
    waiting_for_broker: bool = False
    # Queued for longer than DOCUMENT_QUEUED_LIMIT with no worker taking it: offer "Try again".
    stuck: bool = False


def deliveries(
    documents: Iterable[ProgramDocument | NoteDocument], *, task: str = TASK
) -> dict[int, Delivery]:
    """The delivery of each queued document (others get none), in one query. `task` renders
    them: the handout's, or the note's (`programs.documents.note_services`)."""
    queued = [document for document in documents if document.state == State.QUEUED]
    pending = outbox.pending_for(task, [[document.pk] for document in queued])
    limit = timezone.now() - timedelta(seconds=settings.DOCUMENT_QUEUED_LIMIT)
    found = {}
    for document in queued:
        message = pending.get(message_key(task, [document.pk]))
        since = message.created_at if message else document.requested_at
        found[document.pk] = Delivery(
            waiting_for_broker=bool(message and message.is_waiting_for_broker),
            stuck=message is None or since < limit,
        )
    return found


def delivery_of(document: ProgramDocument | NoteDocument, *, task: str = TASK) -> Delivery:
    return deliveries([document], task=task).get(document.pk, Delivery())


@transaction.atomic
def request_program_document(
    *,
    version: ProgramVersion,
    by: User | None = None,
    kind: str = ProgramDocument.Kind.HOME_PROGRAM,
) -> ProgramDocument:
    """The document for `version`, created and queued once; asking again changes nothing."""
    document, created = ProgramDocument.objects.get_or_create(
        version=version, kind=kind, defaults={"requested_by": by}
    )
    if created:
        _enqueue(document.pk)
    elif document.state == State.QUEUED:
        delivery = delivery_of(document)
        if delivery.stuck or delivery.waiting_for_broker:
            _enqueue_again(document.pk)
    return document


@transaction.atomic
def request_document_by_hand(*, version: ProgramVersion, by: User) -> ProgramDocument:
    """The therapist asks for the PDF of a version published before PDFs existed (or seeded)."""
    document = request_program_document(version=version, by=by)
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=version.program.episode.patient,
        obj=document,
        detail="requested PDF",
    )
    return document


@transaction.atomic
def retry_program_document(*, document: ProgramDocument, by: User) -> bool:
    """Queue a failed, stalled or stuck document again: the therapist's retry button.

    Attempts start again from zero, so a document given up after repeated worker deaths
    (`DOCUMENT_MAX_ATTEMPTS`) gets its full number of tries.
    """
    retryable = Q(state=State.FAILED)
    if document.is_stalled:
        retryable |= Q(state=State.RENDERING, claimed_at=document.claimed_at)
    if document.state == State.QUEUED and delivery_of(document).stuck:
        retryable |= Q(state=State.QUEUED)
    moved = ProgramDocument.objects.filter(retryable, pk=document.pk).update(
        state=State.QUEUED, error="", claimed_by="", claimed_at=None, attempts=0
    )
    if moved:
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=document.version.program.episode.patient,
            obj=document,
            detail="retry PDF rendering",
        )
        _enqueue_again(document.pk)
    return bool(moved)


def refresh_for_episode(*, episode: Episode, by: User | None) -> None:
    """What the episode's handout prints has changed: render its current PDFs again, once.

    Every service that changes printed content calls this at its end, inside its transaction
    (publishing a program, creating, starting, customising or closing a run plan, a gait
    prescription). The render is queued after commit. `by` is who made the change.
    """
    refresh_program_documents(episode_id=episode.pk, by=by)


def _current_versions(**scope: object) -> QuerySet[ProgramVersion]:
    """The latest version of each program in `scope` (lookups on ProgramVersion)."""
    latest = (
        ProgramVersion.objects.filter(program=OuterRef("program"))
        .order_by("-number")
        .values("number")[:1]
    )
    return ProgramVersion.objects.filter(number=Subquery(latest), **scope)


def refresh_program_documents(*, episode_id: int, by: User | None = None) -> int:
    """Render again the PDFs of the episode's current versions."""
    return _refresh_versions(_current_versions(program__episode_id=episode_id), by=by)


def refresh_for_patient(*, patient: Patient, by: User | None) -> int:
    """The patient's printed details changed (the name): render the current PDF of each of
    their episodes again, once each."""
    return _refresh_versions(_current_versions(program__episode__patient=patient), by=by)


def _refresh_versions(versions: QuerySet[ProgramVersion], *, by: User | None) -> int:
    """Queue each version's PDF again, creating the row for a version that had none.

    Documents already queued or rendering are left alone: they will read the new plan anyway.
    """
    queued = 0
    for version in versions:
        document, created = ProgramDocument.objects.get_or_create(
            version=version, kind=ProgramDocument.Kind.HOME_PROGRAM, defaults={"requested_by": by}
        )
        moved = created or ProgramDocument.objects.filter(
            pk=document.pk, state__in=[State.READY, State.FAILED]
        ).update(state=State.QUEUED, error="", claimed_by="", claimed_at=None, attempts=0)
        if moved:
            _enqueue(document.pk)
            queued += 1
    return queued


# Up to this many documents are sent to the worker right after the change commits; a larger
# refresh (a clinic renamed with hundreds of handouts) leaves its messages to the outbox sweep,
# which sends OUTBOX_SWEEP_BATCH of them at a time, so saving the clinic never waits on
# hundreds of broker round trips.
SEND_AT_ONCE = 25


def refresh_for_clinic(*, clinic: Clinic, by: User | None) -> int:
    """The clinic's letterhead changed: render again every current handout it has a PDF of.

    In bulk: one query takes the ready or failed documents of current versions (locked), one
    UPDATE queues them all and one INSERT writes their outbox messages. Versions that never had
    a PDF get none (a therapist requests it by hand); queued or rendering ones read the new
    letterhead anyway. Returns how many documents were queued.
    """
    current = _current_versions(program__episode__patient__clinic=clinic)
    ids = list(
        ProgramDocument.objects.select_for_update()
        .filter(
            version__in=current,
            kind=ProgramDocument.Kind.HOME_PROGRAM,
            state__in=[State.READY, State.FAILED],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    ProgramDocument.objects.filter(pk__in=ids).update(
        state=State.QUEUED, error="", claimed_by="", claimed_at=None, attempts=0
    )
    outbox.enqueue_many(TASK, [[pk] for pk in ids], send_now=len(ids) <= SEND_AT_ONCE)
    logger.info("Clinic %s letterhead changed: %s handouts queued again", clinic.pk, len(ids))
    return len(ids)


def ensure_document_ready(*, version: ProgramVersion) -> ProgramDocument:
    """Render the version's PDF here and now unless it is ready (the demo seed, no worker needed).

    The task queued by `request_program_document` then finds the row ready and does nothing.
    """
    document = request_program_document(version=version)
    if document.state == State.FAILED:
        ProgramDocument.objects.filter(pk=document.pk, state=State.FAILED).update(
            state=State.QUEUED, error="", attempts=0
        )
    if document.state != State.READY:
        generate_program_document(document.pk, token=f"inline-{document.pk}")
    document.refresh_from_db()
    return document
