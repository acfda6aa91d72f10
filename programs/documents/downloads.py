"""A ready program PDF as a download: audited, never cached. Both the therapist's and the
patient's download view answer with it."""

from typing import IO

from django.http import FileResponse, Http404

from programs.documents.models import ProgramDocument
from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read


def pdf_attachment(request: AuthedRequest, document: ProgramDocument) -> FileResponse:
    """The document's file as an attachment (404 while it is not ready), recorded as a download
    of the patient's data."""
    if not document.is_ready or not document.file:
        raise Http404("This PDF is not ready.")
    record_read(
        by=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        patient=document.version.program.episode.patient,
        obj=document,
    )
    return pdf_response(document.file.open("rb"), document.download_name)


def pdf_response(stream: IO[bytes], name: str) -> FileResponse:
    """A PDF as an attachment, never cached, never sniffed."""
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
