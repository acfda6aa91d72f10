"""The code systems and stable ids of the FHIR export, in one place (docs/fhir.md says where
each published code was checked).

Ids are UUID5 of a fixed namespace and ``clinic-<id>/<resource type>/<key>``: the same row gives
the same id on every export, and two clinics never share one. Codes that no published system
has (our instruments' totals, the hop symmetry index, ROM by motion) live in code systems of our
own under the site's URL, one per clinic for record numbers.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

# Fixed for ever: changing it changes every id ever exported.
NAMESPACE = uuid.UUID("5d0f3c8e-6b1a-4f57-9a43-2f1e8c7b9d10")

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"

NPRS_LOINC = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported

# SNOMED CT laterality qualifiers (the FHIR bodystructure-laterality value set).
LATERALITY = {
    "right": ("24028007", "Right"),
    "left": ("7771000", "Left"),
    "bilateral": ("51440002", "Bilateral"),
}


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def local_system(name: str) -> str:
    """A code system of ours (instrument scores, exam findings, note kinds)."""
    return f"{site_url()}/fhir/CodeSystem/{name}"


def record_number_system(clinic: Clinic) -> str:
    """The identifier system of a clinic's record numbers: one per clinic, as MRNs are."""
    return f"{site_url()}/fhir/clinics/{clinic.slug}/record-number"


def resource_id(clinic_id: int, resource_type: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"clinic-{clinic_id}/{resource_type}/{key}"))


def full_url(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def reference(resource: dict[str, Any]) -> dict[str, str]:
    """A reference to a resource of the same bundle, by its fullUrl."""
    return {"reference": full_url(str(resource["id"]))}


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    return {"system": system, "code": code} | ({"display": display} if display else {})


def concept(system: str, code: str, display: str = "", text: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {"coding": [coding(system, code, display)]}
    return found | ({"text": text} if text else {})


def laterality(side: str) -> dict[str, Any] | None:
    """A body site naming only the side (SNOMED qualifier), or None when there is no side."""
    if side not in LATERALITY:
        return None
    code, display = LATERALITY[side]
    return concept(SNOMED, code, display, text=display)
