"""One Encounter per visit (each signed note's date of service) and one DocumentReference per
signed note, as plain FHIR R4 JSON."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from assessments.models import Note
from rehab_clinic.fhir.codes import (
    ACT_CODE,
    coding,
    concept,
    local_system,
    reference,
    resource_id,
    site_url,
)


def note_attachment(note: Note) -> dict[str, str]:
    """Where a receiving system finds the signed note: its page behind the clinic's sign-in,
    which offers the printable PDF (a PDF is made on request, so it has no standing address)."""
    return {
        "contentType": "text/html",
        "url": f"{site_url()}{reverse('assessments:note_detail', args=[note.pk])}",
        "title": f"{note.get_kind_display()} {note.visit_date.isoformat()}",
        "creation": note.signed_at.isoformat() if note.signed_at else note.visit_date.isoformat(),
    }


def _kind(note: Note) -> dict[str, Any]:
    return concept(local_system("note-kind"), note.kind, note.get_kind_display())


def encounter_resource(
    note: Note, *, clinic_id: int, patient: dict[str, Any], condition: dict[str, Any]
) -> dict[str, Any]:
    day = note.visit_date.isoformat()
    return {
        "resourceType": "Encounter",
        "id": resource_id(clinic_id, "Encounter", note.pk),
        "status": "finished",
        "class": coding(ACT_CODE, "AMB", "ambulatory"),
        "type": [_kind(note)],
        "subject": reference(patient),
        "period": {"start": day, "end": day},
        "reasonReference": [reference(condition)],
    }


def document_resource(
    note: Note, *, clinic_id: int, patient: dict[str, Any], encounter: dict[str, Any]
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": resource_id(clinic_id, "DocumentReference", note.pk),
        "status": "current",
        "docStatus": "final",
        "type": _kind(note),
        "subject": reference(patient),
        "description": str(note),
        "content": [{"attachment": note_attachment(note)}],
        "context": {
            "encounter": [reference(encounter)],
            "period": {"start": note.visit_date.isoformat()},
        },
    }
    if note.signed_at is not None:
        resource["date"] = note.signed_at.isoformat()
    if note.signed_by is not None:
        # No Practitioner resources in the bundle: the signer by name only.
        resource["authenticator"] = {"display": note.signed_by.full_name}
    return resource


def visit_resources(
    notes: list[Note],
    *,
    clinic_id: int,
    patient: dict[str, Any],
    conditions: dict[int, dict[str, Any]],
) -> tuple[dict[int, dict[str, Any]], list[dict[str, Any]]]:
    """Note id -> its Encounter, and the DocumentReferences, for signed notes."""
    encounters: dict[int, dict[str, Any]] = {}
    documents = []
    for note in notes:
        encounter = encounter_resource(
            note, clinic_id=clinic_id, patient=patient, condition=conditions[note.episode_id]
        )
        encounters[note.pk] = encounter
        documents.append(
            document_resource(note, clinic_id=clinic_id, patient=patient, encounter=encounter)
        )
    return encounters, documents
