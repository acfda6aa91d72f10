"""The patient's side of record exports (right of access): the "My record" page, prepare, the
state fragment htmx polls and the download. Behind the portal gate; every lookup goes through
`RecordExport.objects.visible_to(user)`, so another patient's export answers 404."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from patients.portal import portal_patient
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.audit.services import record_read
from rehab_clinic.records.downloads import export_download
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import request_export, waiting_for_broker


def _own(request: PatientRequest, pk: int) -> RecordExport:
    return get_object_or_404(
        RecordExport.objects.visible_to(request.user).select_related("patient"), pk=pk
    )


def _page(request: PatientRequest, export: RecordExport | None) -> HttpResponse:
    context = {
        "export": export,
        "days": settings.RECORD_EXPORT_DAYS,
        "waiting": waiting_for_broker(export),
    }
    if request.htmx:
        return render(request, "records/_export_state.html", context)
    return render(request, "records/portal_record.html", context)


@patient_required
@require_GET
def portal_record(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    record_read(by=request.user, patient=patient, obj=patient, detail="record export page")
    return _page(request, RecordExport.objects.visible_to(request.user).first())


@patient_required
@require_POST
def portal_prepare(request: PatientRequest) -> HttpResponse:
    """ "Prepare my record": answers with the page (or, from htmx, its state fragment); a second
    tap finds the export already on its way."""
    export = request_export(patient=portal_patient(request), by=request.user)
    return _page(request, export)


@patient_required
@require_GET
def portal_status(request: PatientRequest, pk: int) -> HttpResponse:
    """Polled every 2 s while the export is made; shows progress only, so not audited."""
    export = _own(request, pk)
    return render(
        request,
        "records/_export_state.html",
        {"export": export, "waiting": waiting_for_broker(export)},
    )


@patient_required
@require_GET
def portal_download(request: PatientRequest, pk: int) -> HttpResponse | FileResponse:
    return export_download(request, _own(request, pk))
