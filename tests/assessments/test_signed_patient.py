"""A signed note names its patient: the hash covers the patient, and the episode cannot move."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from assessments.models import Note, NoteLocked
from patients.models import Episode
from tests.builders import intake

pytestmark = pytest.mark.django_db


def _move_behind_the_apps_back(episode: Episode, patient_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE patients_episode SET patient_id = %s WHERE id = %s", [patient_id, episode.pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_moving_a_signed_notes_episode_to_another_patient_breaks_its_hash(
    episode, therapist, second_patient_user
):
    note = intake(episode, therapist, signed=True)
    assert note.hash_version == 2
    _move_behind_the_apps_back(episode, second_patient_user.patient.pk)
    note = Note.objects.get(pk=note.pk)
    assert note.episode.patient_id == second_patient_user.patient.pk
    assert not note.hash_matches()


def test_the_app_refuses_to_move_an_episode_with_signed_notes(
    episode, therapist, second_patient_user
):
    intake(episode, therapist, signed=True)
    episode.patient = second_patient_user.patient
    with pytest.raises(NoteLocked, match="cannot be moved to another patient"):
        episode.save()
    assert Episode.objects.get(pk=episode.pk).patient_id != second_patient_user.patient.pk


def test_an_episode_without_signed_notes_can_still_change_patient(
    episode, therapist, second_patient_user
):
    intake(episode, therapist)
    episode.patient = second_patient_user.patient
    episode.save()
    assert Episode.objects.get(pk=episode.pk).patient == second_patient_user.patient


def test_postgresql_refuses_to_move_an_episode_with_signed_notes(
    episode, therapist, second_patient_user
):
    if connection.vendor != "postgresql":
        return  # SQLite relies on the app-level guard tested above
    intake(episode, therapist, signed=True)
    with (
        pytest.raises((InternalError, IntegrityError), match="cannot be moved"),
        transaction.atomic(),
    ):
        Episode.objects.filter(pk=episode.pk).update(patient=second_patient_user.patient)


def test_notes_signed_under_the_first_rule_keep_verifying(episode, therapist):
    note = intake(episode, therapist, signed=True)
    # As a note signed before the patient was covered: version 1, hashed without the patient.
    payload = note.hash_payload()
    del payload["patient"]
    from assessments.models import content_hash

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE assessments_note SET hash_version = 1, content_hash = %s WHERE id = %s",
            [content_hash(payload), note.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    note = Note.objects.get(pk=note.pk)
    assert note.hash_version == 1
    assert note.hash_matches()
