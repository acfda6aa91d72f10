"""The clinic's side of record exports, from the patient chart: prepare, the state fragment
htmx polls, and the download. Staff only; every lookup goes through `visible_to`, so another
clinic's patient or export answers 404."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from patients.models import Patient
from rehab_clinic.accounts.decorators import (
    recent_auth_required,
    recent_auth_required_download,
    staff_required,
)
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.records.downloads import export_download
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import request_export, waiting_for_broker


def _export(request: AuthedRequest, pk: int) -> RecordExport:
    return get_object_or_404(
        RecordExport.objects.visible_to(request.user).select_related("patient"), pk=pk
    )


def _state(request: AuthedRequest, export: RecordExport) -> HttpResponse:
    context = {"export": export, "patient": export.patient, "waiting": waiting_for_broker(export)}
    return render(request, "records/_chart_panel.html", {"panel": context})


@staff_required
@require_POST
def prepare(request: StaffRequest, pk: int) -> HttpResponse:
    """ "Prepare export" on the chart; a second tap finds the export already on its way."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    # Another clinic's patient is a 404 before anything else; a whole record leaving the
    # clinic then asks for the password again, as the other exports do.
    return _prepare_checked(request, patient)


@recent_auth_required
def _prepare_checked(request: StaffRequest, patient: Patient) -> HttpResponse:
    export = request_export(patient=patient, by=request.user)
    if request.htmx:
        return _state(request, export)
    return redirect(reverse("patients:chart", args=[patient.pk]) + "#record-export")


@staff_required
@require_GET
def status(request: StaffRequest, pk: int) -> HttpResponse:
    """Polled every 2 s while the export is made; shows progress only, so not audited."""
    return _state(request, _export(request, pk))


@staff_required
@require_GET
def download(request: StaffRequest, pk: int) -> HttpResponse | FileResponse:
    """The ZIP leaves the clinic here, not when it is prepared: another clinic's export is a
    404 first, then a stale check asks for the password again (the link lives for days)."""
    return _download_checked(request, _export(request, pk))


@recent_auth_required_download
def _download_checked(request: StaffRequest, export: RecordExport) -> HttpResponse | FileResponse:
    return export_download(request, export)
