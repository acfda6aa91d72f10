"""The patient's program PDFs on the portal: the state fragment htmx polls and the download.

Behind the portal gate (`patient_required`), and every lookup goes through
`ProgramDocument.objects.visible_to(user)`, so another patient's document answers 404. The
therapist's side of the same documents is in views.py, under `/programs/documents/`.
"""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from programs.documents.downloads import pdf_attachment
from programs.documents.models import ProgramDocument
from programs.documents.services import delivery_of
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest


def _own_document(request: PatientRequest, pk: int) -> ProgramDocument:
    return get_object_or_404(
        ProgramDocument.objects.visible_to(request.user).select_related(
            "version__program__episode"
        ),
        pk=pk,
    )


@patient_required
@require_GET
def portal_document_state(request: PatientRequest, pk: int) -> HttpResponse:
    """Polled every 2 s while the PDF is on its way; like the staff poll, not audited."""
    document = _own_document(request, pk)
    context = {"document": document, "delivery": delivery_of(document), "portal": True}
    return render(request, "programs/documents/_state.html", context)


@patient_required
@require_GET
def portal_document_download(request: PatientRequest, pk: int) -> FileResponse:
    return pdf_attachment(request, _own_document(request, pk))
