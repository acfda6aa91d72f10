"""Patient and episode forms, and query counts that do not grow with the data."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.models import Episode, Patient
from tests.factories import EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db

VALID_PATIENT = {
    "first_name": "Ana",
    "last_name": "Runner",
    "date_of_birth": "1992-02-03",
    "sex": "female",
    "mrn": "A-77",
    "weekly_distance": "25",
    "longest_run": "10",
    "usual_pace": "9:00",
}


def test_a_therapist_creates_a_patient_with_distances_in_the_clinics_unit(
    client: Any, therapist: Any
) -> None:
    client.force_login(therapist)
    response = client.post(reverse("patients:create"), VALID_PATIENT)
    assert response.status_code == 302
    patient = Patient.objects.get(mrn="A-77")
    assert patient.clinic == therapist.clinic
    assert patient.weekly_distance_m == 40234  # 25 mi
    assert patient.usual_pace_s_per_km == 336  # 9:00 per mile
    page = client.get(reverse("patients:chart", args=[patient.pk])).content.decode()
    assert "25.0 mi" in page


def test_bad_patient_input_is_explained_beside_each_field_and_nothing_is_saved(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    bad = {
        **VALID_PATIENT,
        "date_of_birth": "2099-01-01",
        "mrn": patient.mrn.lower(),
        "usual_pace": "fast",
        "weekly_distance": "-4",
    }
    response = client.post(reverse("patients:create"), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The date of birth cannot be in the future." in html
    assert "Another patient at this clinic has this record number." in html
    assert "Write the pace as minutes:seconds" in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert 'value="Ana"' in html  # what was typed is kept
    assert not Patient.objects.filter(first_name="Ana").exists()


def test_the_same_record_number_is_fine_at_another_clinic(
    client: Any, other_therapist: Any, patient: Any
) -> None:
    client.force_login(other_therapist)
    response = client.post(reverse("patients:create"), {**VALID_PATIENT, "mrn": patient.mrn})
    assert response.status_code == 302


def test_injected_clinic_on_the_patient_form_is_ignored(
    client: Any, therapist: Any, other_clinic: Any
) -> None:
    client.force_login(therapist)
    client.post(
        reverse("patients:create"),
        {**VALID_PATIENT, "clinic": other_clinic.pk, "archived_at": "2020-01-01"},
    )
    patient = Patient.objects.get(mrn="A-77")
    assert patient.clinic == therapist.clinic
    assert patient.archived_at is None


def test_episode_form_requires_a_7th_character_for_stress_fractures(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    url = reverse("patients:episode_create", args=[patient.pk])
    html = client.post(
        url, {"label": "Tibial stress fracture", "icd10_code": "m84.361", "side": "right"}
    ).content.decode()
    assert "Stress fracture codes need a 7th character" in html
    assert 'value="Tibial stress fracture"' in html
    assert not Episode.objects.exists()
    bad_code = client.post(
        url, {"label": "x", "icd10_code": "banana", "side": "right"}
    ).content.decode()
    assert "Enter an ICD-10-CM code" in bad_code
    client.post(
        url,
        {
            "label": "Tibial stress fracture",
            "icd10_code": "m84.361",
            "side": "right",
            "seventh_character": "A",
        },
    )
    assert Episode.objects.get().billing_code == "M84.361A"


def test_discharge_needs_a_sensible_date_and_a_reason(
    client: Any, therapist: Any, episode: Any
) -> None:
    client.force_login(therapist)
    url = reverse("patients:episode_discharge", args=[episode.pk])
    html = client.post(url, {"discharged_on": "2099-01-01", "reason": ""}).content.decode()
    assert "The discharge date cannot be in the future." in html
    assert "This field is required." in html
    client.post(url, {"discharged_on": "2026-10-01", "reason": "Goals met; back to racing"})
    episode.refresh_from_db()
    assert episode.status == "discharged"


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_caseload_query_count_does_not_grow_with_patients(
    client: Any, therapist: Any, clinic: Any
) -> None:
    client.force_login(therapist)
    PatientFactory.create_batch(2, clinic=clinic, primary_therapist=therapist)
    small = _queries(client, reverse("patients:caseload"))
    for patient in PatientFactory.create_batch(48, clinic=clinic, primary_therapist=therapist):
        EpisodeFactory(patient=patient)
    assert _queries(client, reverse("patients:caseload")) == small


def test_chart_query_count_does_not_grow_with_episodes(
    client: Any, therapist: Any, patient: Any
) -> None:
    client.force_login(therapist)
    EpisodeFactory.create_batch(2, patient=patient)
    url = reverse("patients:chart", args=[patient.pk])
    small = _queries(client, url)
    EpisodeFactory.create_batch(48, patient=patient)
    assert _queries(client, url) == small


def test_the_chart_timeline_and_episode_page_lead_to_charting(
    client: Any, therapist: Any, episode: Any
) -> None:
    from assessments.models import Note

    Note.objects.create(episode=episode, kind=Note.Kind.INTAKE, author=therapist)
    client.force_login(therapist)
    chart = client.get(reverse("patients:chart", args=[episode.patient.pk])).content.decode()
    assert "(draft)" in chart
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert 'id="charting"' in page
    assert "1 not signed yet" in page


def test_chart_query_count_does_not_grow_with_notes(
    client: Any, therapist: Any, episode: Any
) -> None:
    from assessments.models import Note

    client.force_login(therapist)
    url = reverse("patients:chart", args=[episode.patient.pk])
    Note.objects.create(episode=episode, kind=Note.Kind.INTAKE, author=therapist)
    small = _queries(client, url)
    for _ in range(20):
        Note.objects.create(episode=episode, kind=Note.Kind.DAILY, author=therapist)
    assert _queries(client, url) == small
