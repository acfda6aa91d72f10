"""Program PDFs on the web: the state fragment htmx polls, the download, retry and request, and
the clinic's copy of a version (the therapist's shorthand, made on demand).

Every lookup goes through `ProgramDocument.objects.visible_to(user)` (the patient scoping gate),
so another patient's or another clinic's document answers 404.
"""

import io

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from programs.documents.downloads import pdf_attachment, pdf_response
from programs.documents.models import ProgramDocument
from programs.documents.rendering import render_clinic_copy
from programs.documents.services import (
    delivery_of,
    request_document_by_hand,
    retry_program_document,
)
from programs.home.models import ProgramVersion
from rehab_clinic.accounts.decorators import any_role, staff_required
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read


def _document(user: User, pk: int) -> ProgramDocument:
    return get_object_or_404(
        ProgramDocument.objects.visible_to(user).select_related("version__program__episode"),
        pk=pk,
    )


def _state(request: HttpRequest, document: ProgramDocument) -> HttpResponse:
    context = {"document": document, "delivery": delivery_of(document)}
    return render(request, "programs/documents/_state.html", context)


@any_role
@require_GET
def document_state(request: AuthedRequest, pk: int) -> HttpResponse:
    """Polled every 2 s while the PDF is queued or rendering. Shows only the document's state,
    so, unlike the pages around it, a poll is not written to the audit trail."""
    document = _document(request.user, pk)
    # A patient polling from a page served before the portal had its own route.
    if request.user.is_authenticated and request.user.is_patient:
        return redirect("programs:portal_document_state", pk=pk, permanent=True)
    return _state(request, document)


@any_role
@require_GET
def document_download(request: AuthedRequest, pk: int) -> FileResponse:
    document = _document(request.user, pk)
    # A patient following a link from before the portal had its own route.
    if request.user.is_authenticated and request.user.is_patient:
        moved = redirect("programs:portal_document_download", pk=pk, permanent=True)
        return moved  # type: ignore[return-value]
    return pdf_attachment(request, document)


@staff_required
@require_POST
def document_retry(request: StaffRequest, pk: int) -> HttpResponse:
    document = _document(request.user, pk)
    retry_program_document(document=document, by=request.user)
    document.refresh_from_db()
    return _state(request, document)


@staff_required
@require_POST
def document_request(request: StaffRequest, version_pk: int) -> HttpResponse:
    """Make the PDF of a version published before PDFs existed (or by the seed)."""
    version = get_object_or_404(ProgramVersion.objects.visible_to(request.user), pk=version_pk)
    document = request_document_by_hand(version=version, by=request.user)
    document.refresh_from_db()
    return _state(request, document)


@any_role
@require_GET
def clinic_copy(request: AuthedRequest, version_pk: int) -> FileResponse:
    """The clinic's copy of a published version: each dose in the therapist's shorthand
    ("3x15 ea, 2x/d"). Rendered now and never kept (docs/pdf.md); for staff only, so a patient,
    even the version's own, is answered 404 like another clinic's staff."""
    if not request.user.is_clinic_staff:
        raise Http404("No clinic copy here.")
    version = get_object_or_404(
        ProgramVersion.objects.visible_to(request.user).select_related(
            "program__episode__patient__clinic", "published_by"
        ),
        pk=version_pk,
    )
    record_read(
        by=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        patient=version.program.episode.patient,
        obj=version,
        detail="clinic copy",
    )
    rendered = render_clinic_copy(version)
    return pdf_response(io.BytesIO(rendered.data), clinic_copy_name(version))


def clinic_copy_name(version: ProgramVersion) -> str:
    title = str(version.snapshot.get("title") or "home-program")
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    return f"{slug or 'home-program'}-v{version.number}-clinic-copy.pdf"
