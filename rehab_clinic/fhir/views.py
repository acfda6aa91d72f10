"""The read-only FHIR endpoint for staff: one patient's record as a Bundle.

Staff open it in their signed-in browser session, so it is an export like the others: past the
re-authentication window it asks for the password or a code first, then comes back to the same
address (a GET, so the redirect carries the full path). Another clinic's id is 404 first."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from patients.models import Patient
from rehab_clinic.accounts.decorators import recent_auth_required, staff_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read
from rehab_clinic.fhir.bundle import patient_bundle

FHIR_JSON = "application/fhir+json"


@staff_required
@require_GET
def patient_everything(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related("clinic"), pk=pk
    )
    # Another clinic's patient is a 404 before anything else, as for the record export; the
    # whole record leaving the clinic then asks for the password again.
    return _everything_checked(request, patient)


@recent_auth_required
def _everything_checked(request: StaffRequest, patient: Patient) -> JsonResponse:
    bundle = patient_bundle(patient)
    record_read(
        by=request.user,
        action=AuditEvent.Action.EXPORT,
        patient=patient,
        obj=patient,
        detail="FHIR Patient/$everything",
    )
    return JsonResponse(bundle, content_type=FHIR_JSON)
