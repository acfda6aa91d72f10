"""The export of a patient's FHIR bundle outside a request (``manage.py export_fhir``): the
bundle, and the export on the clinic's audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.fhir.bundle import patient_bundle

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import User


def export_patient_bundle(*, patient: Patient, by: User | None) -> dict[str, Any]:
    bundle = patient_bundle(patient)
    record_event(
        action=AuditEvent.Action.EXPORT,
        user=by,
        patient=patient,
        obj=patient,
        detail=f"FHIR bundle ({len(bundle['entry'])} resources)",
    )
    return bundle
