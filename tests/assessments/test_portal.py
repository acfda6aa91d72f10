"""Patient portal: own signed summaries only (others 404), withheld notes hidden, assigned
questionnaires land in the chart."""

import pytest
from django.urls import reverse

from assessments.models import OutcomeAssignment, OutcomeResponse
from assessments.services import assign_outcome, set_portal_release
from patients.models import Episode
from rehab_clinic.audit.models import AuditEvent
from tests.builders import intake
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def test_patient_sees_their_signed_summary_without_delay(client, episode, therapist, patient_user):
    note = intake(episode, therapist, signed=True)
    client.force_login(patient_user)
    listing = client.get(reverse("assessments:portal_summaries")).content.decode()
    assert reverse("assessments:portal_summary", args=[note.pk]) in listing
    detail = client.get(reverse("assessments:portal_summary", args=[note.pk]))
    assert detail.status_code == 200
    assert "Achilles tendinopathy" in detail.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_id=str(note.pk), user=patient_user
    ).exists()


def test_unsigned_and_withheld_notes_are_not_in_the_portal(
    client, episode, therapist, patient_user
):
    draft = intake(episode, therapist)
    withheld = intake(episode, therapist, signed=True)
    set_portal_release(note=withheld, by=therapist, withhold=True, reason="Harm exception")
    client.force_login(patient_user)
    for note in (draft, withheld):
        assert client.get(reverse("assessments:portal_summary", args=[note.pk])).status_code == 404
    listing = client.get(reverse("assessments:portal_summaries")).content.decode()
    assert "No signed visit notes yet." in listing


@pytest.mark.parametrize("viewer", ["second_patient_user", "other_patient_user"])
def test_other_patients_get_404_for_someone_elses_summary(
    client, request, episode, therapist, viewer
):
    note = intake(episode, therapist, signed=True)
    assignment = assign_outcome(episode=episode, instrument_code="lefs", by=therapist, due_on=None)
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(reverse("assessments:portal_summary", args=[note.pk])).status_code == 404
    assert (
        client.get(reverse("assessments:portal_measure", args=[assignment.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("assessments:portal_measure", args=[assignment.pk]), {"q1": "4"}
        ).status_code
        == 404
    )
    listing = client.get(reverse("assessments:portal_summaries")).content.decode()
    assert reverse("assessments:portal_summary", args=[note.pk]) not in listing


def test_staff_cannot_use_portal_pages(client, episode, therapist):
    note = intake(episode, therapist, signed=True)
    client.force_login(therapist)
    assert client.get(reverse("assessments:portal_summary", args=[note.pk])).status_code == 403


def test_patient_fills_an_assigned_measure_and_it_lands_in_the_chart(
    client, episode, therapist, patient_user
):
    assignment = assign_outcome(episode=episode, instrument_code="faam", by=therapist, due_on=None)
    client.force_login(patient_user)
    listing = client.get(reverse("assessments:portal_summaries")).content.decode()
    assert "Foot and Ankle Ability Measure" in listing
    answers = {f"adl{n}": "3" for n in range(1, 22)}
    answers.update({f"sp{n}": "2" for n in range(1, 8)})
    answers["sp8"] = "na"
    url = reverse("assessments:portal_measure", args=[assignment.pk])
    assert client.post(url, answers).status_code == 302
    response = OutcomeResponse.objects.get(episode=episode, instrument="faam")
    assert response.source == OutcomeResponse.Source.PORTAL
    assert response.score("adl") == 75.0
    assert response.score("sports") == 50.0
    assert response.answers["sp8"] == "na"
    assignment.refresh_from_db()
    assert assignment.is_done
    assert client.get(url).status_code == 404  # done: cannot be refilled
    client.force_login(therapist)
    page = client.get(reverse("patients:episode", args=[episode.pk])).content.decode()
    assert "FAAM ADL %" in page


def test_patient_with_two_episodes_sees_both(client, patient, therapist, patient_user, episode):
    second = EpisodeFactory(patient=patient, label="Plantar heel pain", icd10_code="M72.2")
    intake(episode, therapist, signed=True)
    intake(second, therapist, signed=True)
    client.force_login(patient_user)
    listing = client.get(reverse("assessments:portal_summaries")).content.decode()
    assert listing.count("Initial evaluation") == 2
    assert Episode.objects.filter(patient=patient).count() == 2
    assert not OutcomeAssignment.objects.exists()


def test_portal_questionnaire_must_be_answered_in_full(client, episode, therapist, patient_user):
    assignment = assign_outcome(episode=episode, instrument_code="lefs", by=therapist, due_on=None)
    client.force_login(patient_user)
    url = reverse("assessments:portal_measure", args=[assignment.pk])
    answers = {f"q{n}": "3" for n in range(1, 20)}  # q20 left out
    response = client.post(url, answers)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not OutcomeResponse.objects.exists()
    assert client.post(url, {**answers, "q20": "4"}).status_code == 302
    assert OutcomeResponse.objects.get().score("total") == 61
