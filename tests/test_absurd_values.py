"""Absurd values are refused with a message beside the field, and nothing is saved: 100 KB of
text in an address or precautions, a 5 MB note draft, 99,999 a week, 99,999 N, a gait
retraining course whose last session is shorter than its first."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.forms import IntakeForm
from assessments.forms.tables import StrengthRowForm
from assessments.models import NoteDraft
from patients.forms import PatientForm
from programs.running.gait_forms import GaitPrescriptionForm
from rehab_clinic.accounts.models import User
from tests.builders import intake

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_100_kb_clinic_address_is_refused_beside_the_field(clinic_admin: User) -> None:
    clinic = clinic_admin.home_clinic
    data = {
        "name": clinic.name,
        "timezone": clinic.timezone,
        "distance_unit": clinic.distance_unit,
        "paper_size": clinic.paper_size,
        "address": HUGE,
    }
    response = _client(clinic_admin).post(reverse("accounts:admin_home"), data)
    assert response.status_code == 200
    assert "at most 300 characters" in str(response.context["form"].errors["address"])
    clinic.refresh_from_db()
    assert clinic.address != HUGE


def test_a_100_kb_patient_address_is_refused(clinic: Any) -> None:
    form = PatientForm(data={"address": HUGE}, clinic=clinic)
    assert not form.is_valid()
    assert "at most 300 characters" in str(form.errors["address"])


def test_100_kb_of_precautions_on_an_exercise_are_refused(clinic_admin: User) -> None:
    response = _client(clinic_admin).post(
        reverse("exercises:create"), {"name": "Calf raise", "precautions": HUGE}
    )
    assert response.status_code == 200
    assert "at most 5000 characters" in str(response.context["form"].errors["precautions"])


def test_a_5_mb_note_draft_is_refused_and_not_kept(episode: Any, therapist: User) -> None:
    note = intake(episode, therapist)
    response = _client(therapist).post(
        reverse("assessments:note_draft", kwargs={"pk": note.pk}),
        {"gait_notes": "y" * 5_000_000},
    )
    assert response.status_code == 413
    assert not NoteDraft.objects.filter(note=note).exists()


def test_weekly_distance_of_99999_is_refused_on_the_intake() -> None:
    form = IntakeForm(data={"weekly_distance": "99999", "longest_run": "99999"})
    assert not form.is_valid()
    assert "less than or equal to 250" in str(form.errors["weekly_distance"])
    assert "less than or equal to 160" in str(form.errors["longest_run"])


def test_a_dynamometer_reading_of_99999_newtons_is_refused() -> None:
    form = StrengthRowForm(data={"dynamometer_right": "99999", "dynamometer_left": "250"})
    assert not form.is_valid()
    assert "dynamometer_right" in form.errors
    assert "dynamometer_left" not in form.errors


def test_a_gait_course_cannot_end_shorter_than_it_starts(episode: Any) -> None:
    data = {
        "episode": episode.pk,
        "baseline_cadence": 160,
        "increase_pct": "7.5",
        "cue_type": "metronome",
        "sessions": 8,
        "start_minutes": 30,
        "end_minutes": 10,
    }
    form = GaitPrescriptionForm(data=data, episodes=type(episode).objects.all())
    assert not form.is_valid()
    assert "shorter than the first" in str(form.errors["end_minutes"])


def test_a_nul_byte_in_a_note_draft_is_dropped_not_a_server_error(
    episode: Any, therapist: User
) -> None:
    note = intake(episode, therapist)
    response = _client(therapist).post(
        reverse("assessments:note_draft", kwargs={"pk": note.pk}), {"gait_notes": "ab\x00cd"}
    )
    assert response.status_code == 204
    assert NoteDraft.objects.get(note=note).data["gait_notes"] == ["abcd"]
