"""A note's PDF on the web: the "Print / send" panel of the note page, the state fragment htmx
polls, the download, retry, and a draft's copy printed on demand.

Staff only, and refused as not found: a patient (whatever the note) and staff of another clinic
get 404. Every lookup goes through `Note.objects.visible_to(user)` or
`NoteDocument.objects.visible_to(user)` (which holds nothing for a patient).
"""

import io
from typing import IO

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Note, NoteDocument
from assessments.printing import draft_download_name, printed_hash
from programs.documents.note_rendering import render_note_now
from programs.documents.note_services import (
    note_delivery,
    request_note_document,
    retry_note_document,
)
from rehab_clinic.accounts.decorators import any_role
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read


def _note(user: User, pk: int) -> Note:
    if not user.is_clinic_staff:
        raise Http404("No note here.")
    return get_object_or_404(
        Note.objects.visible_to(user).select_related("episode__patient"), pk=pk
    )


def _document(user: User, pk: int) -> NoteDocument:
    return get_object_or_404(
        NoteDocument.objects.visible_to(user).select_related("note__episode__patient"), pk=pk
    )


def _panel(request: HttpRequest, note: Note, document: NoteDocument | None) -> HttpResponse:
    context = {
        "note": note,
        "document": document,
        "delivery": note_delivery(document) if document else None,
        "outdated": bool(document and document.printed_hash != printed_hash(note)),
    }
    return render(request, "programs/documents/_note_state.html", context)


@any_role
@require_GET
def note_pdf_panel(request: AuthedRequest, note_pk: int) -> HttpResponse:
    """What the note page loads beside its signature: the button, or the PDF's state."""
    note = _note(request.user, note_pk)
    return _panel(request, note, NoteDocument.objects.filter(note=note).first())


@any_role
@require_POST
def note_pdf_request(request: AuthedRequest, note_pk: int) -> HttpResponse:
    note = _note(request.user, note_pk)
    if not note.is_signed:
        raise Http404("A draft prints on demand; it is not kept as a PDF.")
    return _panel(request, note, request_note_document(note=note, by=request.user))


@any_role
@require_GET
def note_document_state(request: AuthedRequest, pk: int) -> HttpResponse:
    """Polled every 2 s while the PDF is queued or rendering; not audited (state only)."""
    document = _document(request.user, pk)
    return _panel(request, document.note, document)


@any_role
@require_POST
def note_document_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    document = _document(request.user, pk)
    retry_note_document(document=document, by=request.user)
    document.refresh_from_db()
    return _panel(request, document.note, document)


def _attachment(stream: IO[bytes], name: str) -> FileResponse:
    """A PDF download as the handout's is: an attachment, never cached, never sniffed."""
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@any_role
@require_GET
def note_document_download(request: AuthedRequest, pk: int) -> FileResponse:
    document = _document(request.user, pk)
    if not document.is_ready or not document.file:
        raise Http404("This PDF is not ready.")
    note = document.note
    record_read(
        by=request.user, action=AuditEvent.Action.DOWNLOAD, patient=note.episode.patient, obj=note
    )
    return _attachment(document.file.open("rb"), document.download_name)


@any_role
@require_GET
def note_draft_pdf(request: AuthedRequest, note_pk: int) -> FileResponse:
    """A draft's copy with the DRAFT watermark, made now and never kept (a signed note's PDF is
    the queued, stored one)."""
    note = _note(request.user, note_pk)
    if note.is_signed:
        raise Http404("A signed note's PDF is made with Print / send.")
    record_read(
        by=request.user, action=AuditEvent.Action.DOWNLOAD, patient=note.episode.patient, obj=note
    )
    rendered = render_note_now(note)
    return _attachment(io.BytesIO(rendered.data), draft_download_name(note))
