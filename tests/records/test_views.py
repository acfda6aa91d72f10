"""The record export on the web: prepare (a double tap makes one export), the state fragment
htmx polls, the download (audited, private, never cached) on both sides, and the gate."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Patient
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.services import request_export
from tests.builders import intake
from tests.records.history import run_export

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def charted(patient: Patient, episode: Any, therapist: Any) -> Patient:
    intake(episode, therapist, signed=True)
    return patient


def test_a_double_tap_on_prepare_makes_one_export(charted: Patient, patient_user: Any) -> None:
    client = _client(patient_user)
    url = reverse("records:portal_prepare")

    first = client.post(url, headers={"HX-Request": "true"})
    second = client.post(url, headers={"HX-Request": "true"})

    assert first.status_code == second.status_code == 200
    assert RecordExport.objects.count() == 1
    export = RecordExport.objects.get()
    assert reverse("records:portal_status", args=[export.pk]) in second.content.decode()
    assert 'hx-trigger="every 2s"' in second.content.decode()


def test_the_status_fragment_shows_the_step_then_the_link(
    charted: Patient, patient_user: Any
) -> None:
    export = request_export(patient=charted, by=patient_user)
    RecordExport.objects.filter(pk=export.pk).update(
        state=RecordExport.State.RUNNING, step=3, steps=5, step_label="Making the PDF"
    )
    client = _client(patient_user)
    url = reverse("records:portal_status", args=[export.pk])

    assert "Step 3 of 5: Making the PDF" in client.get(url).content.decode()
    RecordExport.objects.filter(pk=export.pk).update(state=RecordExport.State.QUEUED)
    run_export(export)
    ready = client.get(url).content.decode()
    assert reverse("records:portal_download", args=[export.pk]) in ready
    assert "every 2s" not in ready


def test_the_patient_downloads_their_zip_and_the_download_is_audited(
    charted: Patient, patient_user: Any
) -> None:
    export = run_export(request_export(patient=charted, by=patient_user))

    response = _client(patient_user).get(reverse("records:portal_download", args=[export.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"].startswith("no-store")
    assert export.download_name in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == patient_user
    assert event.patient == charted


def test_a_therapist_exports_from_the_chart(
    charted: Patient, therapist: Any, clinic_admin: Any
) -> None:
    chart = reverse("patients:chart", args=[charted.pk])
    client = _client(therapist)
    assert "Prepare export" in client.get(chart).content.decode()

    response = client.post(reverse("records:prepare", args=[charted.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(chart)
    export = run_export(RecordExport.objects.get(kind=RecordExport.Kind.CLINIC))
    page = _client(clinic_admin).get(chart).content.decode()
    assert reverse("records:download", args=[export.pk]) in page
    download = _client(clinic_admin).get(reverse("records:download", args=[export.pk]))
    assert download.status_code == 200


def test_another_patient_and_another_clinic_get_404_everywhere(
    charted: Patient, patient_user: Any, therapist: Any,
    second_patient_user: Any, other_therapist: Any,
) -> None:  # fmt: skip
    mine = run_export(request_export(patient=charted, by=patient_user))
    clinics = run_export(request_export(patient=charted, by=therapist))
    other_patient, other_clinic = _client(second_patient_user), _client(other_therapist)

    for name in ("records:portal_status", "records:portal_download"):
        assert other_patient.get(reverse(name, args=[mine.pk])).status_code == 404
    for name in ("records:status", "records:download"):
        assert other_clinic.get(reverse(name, args=[clinics.pk])).status_code == 404
    assert other_clinic.post(reverse("records:prepare", args=[charted.pk])).status_code == 404
    # Nor does the patient reach the clinic's export, or the clinic the patient's.
    assert _client(therapist).get(reverse("records:download", args=[mine.pk])).status_code == 404
    own = _client(patient_user).get(reverse("records:portal_download", args=[clinics.pk]))
    assert own.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(charted: Patient, patient_user: Any) -> None:
    export = request_export(patient=charted, by=patient_user)
    for url in (
        reverse("records:portal_record"),
        reverse("records:portal_status", args=[export.pk]),
        reverse("records:portal_download", args=[export.pk]),
        reverse("records:status", args=[export.pk]),
        reverse("records:download", args=[export.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_file_is_not_under_a_public_address(charted: Patient, patient_user: Any) -> None:
    export = run_export(request_export(patient=charted, by=patient_user))

    assert export.file.name.startswith("record-exports/")
    # A random name, nothing of the patient's (a pk test failed whenever the hex held a "1").
    assert re.fullmatch(r"[0-9a-f]{32}\.zip", export.file.name.split("/")[1])
    assert Client().get(f"/media/{export.file.name}").status_code in (302, 404)


def test_a_ready_record_whose_file_is_gone_says_so_and_audits_nothing(
    charted: Patient, patient_user: Any
) -> None:
    export = run_export(request_export(patient=charted, by=patient_user))
    export.file.storage.delete(export.file.name)
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD)

    response = _client(patient_user).get(reverse("records:portal_download", args=[export.pk]))

    assert response.status_code == 410
    assert "could not be found" in response.content.decode()
    assert reverse("records:portal_record") in response.content.decode()
    assert not downloads.exists()
