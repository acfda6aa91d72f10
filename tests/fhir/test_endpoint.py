"""`GET /fhir/Patient/<id>/$everything` and `manage.py export_fhir`: the same bundle, the same
gate as the chart (another clinic 404, a patient refused by role), audited as an export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from patients.models import Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from tests.factories import EpisodeFactory
from tests.fhir.checks import unresolved, validate_each

pytestmark = pytest.mark.django_db


def _url(patient: Patient) -> str:
    return reverse("fhir:patient_everything", args=[patient.pk])


def _get(user: User, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_the_url_has_the_operation_name_with_its_dollar_sign(patient: Patient) -> None:
    assert _url(patient) == f"/fhir/Patient/{patient.pk}/$everything"


@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_staff_of_the_clinic_get_the_bundle_as_fhir_json_and_the_read_is_audited(
    role: str, request: pytest.FixtureRequest, patient: Patient
) -> None:
    EpisodeFactory(patient=patient)
    user = request.getfixturevalue(role)
    response = _get(user, _url(patient))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    validate_each(bundle)
    assert not unresolved(bundle)
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Patient", "Condition"}
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).get()
    assert (event.user, event.patient) == (user, patient)


def test_another_clinics_therapist_gets_404_and_nothing_is_exported(
    other_therapist: User, patient: Patient
) -> None:
    assert _get(other_therapist, _url(patient)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    # The refusal itself is on the trail, as on every patient-scoped route.
    denied = AuditEvent.objects.filter(
        user=other_therapist, outcome=AuditEvent.Outcome.DENIED
    ).get()
    assert denied.object_repr == _url(patient)


def test_a_patient_is_refused_their_own_and_anothers_bundle_by_role(
    patient_user: User, second_patient_user: User, patient: Patient
) -> None:
    assert _get(patient_user, _url(patient)).status_code == 403
    assert _get(second_patient_user, _url(patient)).status_code == 403


def test_an_archived_patient_is_not_found(therapist: User, patient: Patient) -> None:
    patient.archive(by=therapist, reason="Moved away")
    assert _get(therapist, _url(patient)).status_code == 404


def test_the_endpoint_refuses_a_write(therapist: User, patient: Patient) -> None:
    client = Client()
    client.force_login(therapist)
    assert client.post(_url(patient)).status_code == 405


def test_the_command_writes_the_same_bundle_by_record_number_and_audits_it(
    therapist: User, patient: Patient, tmp_path: Path
) -> None:
    EpisodeFactory(patient=patient)
    out = tmp_path / "bundle.json"
    call_command("export_fhir", "--patient", patient.mrn.lower(), "--output", str(out))
    written = json.loads(out.read_text())
    served = json.loads(_get(therapist, _url(patient)).content)
    assert [e["fullUrl"] for e in written["entry"]] == [e["fullUrl"] for e in served["entry"]]
    validate_each(written)
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, patient=patient)
    assert exports.filter(user__isnull=True, clinic=patient.clinic).count() == 1


def test_the_command_finds_a_patient_by_id_and_refuses_an_unknown_or_shared_record_number(
    patient: Patient, other_patient_user: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_fhir", "--patient", str(patient.pk))
    assert json.loads(capsys.readouterr().out)["type"] == "collection"
    with pytest.raises(CommandError, match="No patient"):
        call_command("export_fhir", "--patient", "NOPE-0")
    other = other_patient_user.patient
    Patient.objects.filter(pk=other.pk).update(mrn=patient.mrn)
    with pytest.raises(CommandError, match="--clinic"):
        call_command("export_fhir", "--patient", patient.mrn)
    call_command("export_fhir", "--patient", patient.mrn, "--clinic", other.clinic.slug)
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == patient.mrn
    assert other.clinic.slug in bundle["entry"][0]["resource"]["identifier"][0]["system"]
