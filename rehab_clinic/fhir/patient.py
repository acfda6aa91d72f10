"""The Patient and one Condition per episode of care, as plain FHIR R4 JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patients.models import Episode, Patient
from rehab_clinic.fhir.codes import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    ICD10CM,
    IDENTIFIER_TYPE,
    concept,
    laterality,
    record_number_system,
    reference,
    resource_id,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

# Administrative gender (female | male | other | unknown); "prefer not to say" is not a gender
# we know, so it is left out rather than sent as "unknown".
GENDER = {
    Patient.Sex.FEMALE: "female",
    Patient.Sex.MALE: "male",
    Patient.Sex.INTERSEX: "other",
}

CLINICAL_STATUS = {Episode.Status.ACTIVE: "active", Episode.Status.DISCHARGED: "resolved"}


def patient_resource(patient: Patient) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id(patient.clinic_id, "Patient", patient.pk),
        "identifier": [
            {
                "use": "usual",
                "type": concept(IDENTIFIER_TYPE, "MR", "Medical record number"),
                "system": record_number_system(patient.clinic),
                "value": patient.mrn,
            }
        ],
        "active": not patient.is_archived,
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": {"display": patient.clinic.name},
    }
    if patient.sex in GENDER:
        resource["gender"] = GENDER[Patient.Sex(patient.sex)]
    telecom = [
        {"system": system, "value": value, "use": "home"}
        for system, value in (("phone", patient.phone), ("email", patient.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    return resource


def condition_resource(episode: Episode, patient: dict[str, Any]) -> dict[str, Any]:
    clinic_id = episode.patient.clinic_id
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": resource_id(clinic_id, "Condition", episode.pk),
        "clinicalStatus": concept(
            CONDITION_CLINICAL, CLINICAL_STATUS[Episode.Status(episode.status)]
        ),
        "verificationStatus": concept(CONDITION_VERIFICATION, "confirmed"),
        "category": [concept(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")],
        "code": concept(ICD10CM, episode.billing_code, text=episode.label),
        "subject": reference(patient),
        "recordedDate": episode.created_at.date().isoformat(),
    }
    site = laterality(episode.side)
    if site is not None:
        resource["bodySite"] = [site]
    if episode.onset_date is not None:
        resource["onsetDateTime"] = episode.onset_date.isoformat()
    if episode.discharged_on is not None:
        resource["abatementDateTime"] = episode.discharged_on.isoformat()
    if episode.mechanism:
        resource["note"] = [{"text": episode.mechanism}]
    return resource


def condition_resources(
    episodes: Iterable[Episode], patient: dict[str, Any]
) -> dict[int, dict[str, Any]]:
    """Episode id -> its Condition."""
    return {episode.pk: condition_resource(episode, patient) for episode in episodes}
