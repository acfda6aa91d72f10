"""Access to patient and episode URLs beyond the table of tests/test_access.py (which checks
every patient-scoped URL for anonymous, owner, another patient and another clinic's staff).

anonymous → login; the patient's own clinic → 200; another clinic, or a patient who is not this
one → 404 (forbidden looks like not-found). Role checks (a patient on a therapist page) → 403.
"""

from typing import Any

import pytest
from django.urls import reverse

from patients.models import Patient
from rehab_clinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

THERAPIST_PATIENT_URLS = ["patients:chart", "patients:edit", "patients:episode_create"]
THERAPIST_EPISODE_URLS = ["patients:episode", "patients:episode_edit", "patients:episode_discharge"]


def _urls(patient: Any, episode: Any) -> list[str]:
    return [reverse(name, args=[patient.pk]) for name in THERAPIST_PATIENT_URLS] + [
        reverse(name, args=[episode.pk]) for name in THERAPIST_EPISODE_URLS
    ]


def _read_only(patient: Any, episode: Any) -> set[str]:
    return {
        reverse("patients:chart", args=[patient.pk]),
        reverse("patients:episode", args=[episode.pk]),
    }


def test_other_clinic_therapist_gets_404_everywhere(
    client: Any, other_therapist: Any, patient: Any, episode: Any
) -> None:
    client.force_login(other_therapist)
    for url in _urls(patient, episode):
        assert client.get(url).status_code == 404, url
        # A page that only reads (the chart, the episode page) refuses a POST before looking
        # anything up: 405, the same for a record that does not exist, so nothing leaks.
        posted = client.post(url, {"label": "x", "first_name": "x"}).status_code
        assert posted == (405 if url in _read_only(patient, episode) else 404), url
    archive = reverse("patients:archive", args=[patient.pk])
    assert client.post(archive, {"reason": "gone"}).status_code == 404
    invite = reverse("patients:invite", args=[patient.pk])
    assert client.post(invite).status_code == 404
    patient.refresh_from_db()
    assert patient.archived_at is None


def test_other_clinic_admin_cannot_see_the_patient_in_any_list(
    client: Any, other_admin: Any, patient: Any
) -> None:
    assert not Patient.objects.visible_to(other_admin).filter(pk=patient.pk).exists()
    client.force_login(other_admin)
    response = client.get(reverse("audit:report"), {"patient": patient.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_patients_cannot_use_therapist_pages(
    client: Any, patient_user: Any, patient: Any, episode: Any
) -> None:
    client.force_login(patient_user)
    for url in [*_urls(patient, episode), reverse("patients:caseload"), reverse("patients:create")]:
        assert client.get(url).status_code == 403, url


def test_a_patient_sees_only_their_own_record(
    patient_user: Any, second_patient_user: Any, other_patient_user: Any
) -> None:
    visible = list(Patient.objects.visible_to(patient_user))
    assert visible == [patient_user.patient]


def test_portal_shows_the_patients_own_home_and_details(
    client: Any, patient_user: Any, second_patient_user: Any
) -> None:
    client.force_login(patient_user)
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert patient_user.patient.first_name in home.content.decode()
    assert second_patient_user.patient.first_name not in home.content.decode()
    details = client.get(reverse("portal:contact"))
    assert details.status_code == 200


def test_patient_contact_form_ignores_injected_fields(
    client: Any, patient_user: Any, other_clinic: Any
) -> None:
    client.force_login(patient_user)
    patient = patient_user.patient
    response = client.post(
        reverse("portal:contact"),
        {
            "email": "new@example.test",
            "phone": "555",
            "first_name": "Hacked",
            "clinic": other_clinic.pk,
            "mrn": "X",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.email == "new@example.test"
    assert patient.first_name == "Paula"
    assert patient.clinic_id != other_clinic.pk


def test_archived_patients_are_hidden_but_kept(client: Any, therapist: Any, patient: Any) -> None:
    client.force_login(therapist)
    response = client.post(reverse("patients:archive", args=[patient.pk]), {"reason": "Moved away"})
    assert response.status_code == 302
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 404
    assert Patient.objects.filter(pk=patient.pk, archived_at__isnull=False).exists()
    assert AuditEvent.objects.filter(patient=patient, action="archive").exists()
