"""The patient's reminder settings in the portal and the therapist's suggested times."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from rehab_clinic.reminders.models import ReminderSettings, ReminderSuggestion
from tests.builders import reminders_on

pytestmark = pytest.mark.django_db

URL = "/portal/reminders/"

VALID = {
    "exercise_on": "on",
    "exercise_at": "18:30",
    "check_in_at": "08:00",
    "next_run_at": "07:00",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "email_on": "on",
}


def test_the_route_is_the_portals(client: Any) -> None:
    assert reverse("reminders:portal_settings") == URL


def test_the_patient_saves_reminders_in_the_clinics_time(
    client: Any, patient_user: Any, patient: Any
) -> None:
    client.force_login(patient_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert patient.clinic.timezone.encode() in page.content
    response = client.post(URL, VALID)
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(patient=patient)
    assert saved.chosen() == {"exercise": dt.time(18, 30)}
    assert (saved.quiet_start, saved.quiet_end) == (dt.time(22, 0), dt.time(7, 0))
    assert saved.email_on


def test_bad_input_is_named_beside_the_field_and_nothing_is_saved_or_lost(
    client: Any, patient_user: Any, patient: Any
) -> None:
    client.force_login(patient_user)
    response = client.post(URL, {**VALID, "exercise_at": "25:99", "quiet_end": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"exercise_at", "quiet_end"}
    assert b"Give both the start and the end" in response.content
    assert b'value="22:00"' in response.content  # what was typed stays
    assert not ReminderSettings.objects.exists()


def test_another_patient_sees_only_their_own_reminders(
    client: Any, patient: Any, second_patient_user: Any
) -> None:
    reminders_on(patient, exercise_on=True, exercise_at=dt.time(5, 45))
    client.force_login(second_patient_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"05:45" not in page.content
    client.post(URL, {**VALID, "exercise_at": "09:15"})
    assert ReminderSettings.objects.get(patient=patient).exercise_at == dt.time(5, 45)
    assert ReminderSettings.objects.get(patient=second_patient_user.patient).exercise_at == (
        dt.time(9, 15)
    )


def test_the_therapists_suggested_times_fill_the_patients_form_until_they_save(
    client: Any, therapist: Any, patient_user: Any, patient: Any, episode: Any
) -> None:
    client.force_login(therapist)
    episode_page = client.get(reverse("patients:episode", args=[episode.pk]))
    assert b"Suggested reminder times" in episode_page.content
    response = client.post(
        reverse("reminders:suggest", args=[patient.pk]),
        {"exercise_at": "17:15", "check_in_at": "", "next_run_at": "06:40", "episode": episode.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:episode", args=[episode.pk])
    assert ReminderSuggestion.objects.get(patient=patient).exercise_at == dt.time(17, 15)

    client.force_login(patient_user)
    form = client.get(URL).context["form"]
    assert form["exercise_at"].value() == dt.time(17, 15)
    assert form["check_in_at"].value() == dt.time(8, 0)  # no suggestion: the default
    assert form["next_run_at"].value() == dt.time(6, 40)
    assert not form["exercise_on"].value()  # a suggestion switches nothing on


def test_a_therapist_of_another_clinic_cannot_suggest_times(
    client: Any, other_therapist: Any, patient: Any
) -> None:
    client.force_login(other_therapist)
    url = reverse("reminders:suggest", args=[patient.pk])
    assert client.post(url, {"exercise_at": "17:15"}).status_code == 404
    assert not ReminderSuggestion.objects.exists()


def test_a_bad_suggested_time_is_named_beside_the_field_and_saves_nothing(
    client: Any, therapist: Any, patient: Any, episode: Any
) -> None:
    client.force_login(therapist)
    response = client.post(
        reverse("reminders:suggest", args=[patient.pk]),
        {"exercise_at": "x", "next_run_at": "06:40", "episode": episode.pk},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["exercise_at"]
    assert b'value="06:40"' in response.content  # nothing typed is lost
    assert not ReminderSuggestion.objects.exists()
