"""Signing, locking, addenda and outcome storage against the database."""

import datetime as dt

import pytest
from django.db import InternalError, connection, transaction

from assessments.models import Addendum, Note, NoteLocked, OutcomeResponse
from assessments.services import (
    add_addendum,
    record_outcome,
    save_draft,
    save_note,
    sign_note,
    start_note,
)
from rehab_clinic.audit.models import AuditEvent
from tests.builders import LEFS_50, daily, intake

pytestmark = pytest.mark.django_db


def test_signing_stores_author_time_and_a_matching_hash(episode, therapist):
    note = intake(episode, therapist)
    sign_note(note=note, by=therapist)
    note.refresh_from_db()
    assert note.is_signed
    assert note.signed_by == therapist
    assert len(note.content_hash) == 64
    assert note.hash_matches()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN, object_id=str(note.pk)).exists()


def test_a_signed_note_refuses_every_service_that_changes_it(episode, therapist):
    note = intake(episode, therapist, signed=True)
    with pytest.raises(NoteLocked):
        save_note(
            note=note,
            content={"main": {}},
            visit_date=dt.date(2026, 1, 6),
            by=therapist,
            pain_now=1,
        )
    with pytest.raises(NoteLocked):
        save_draft(note=note, by=therapist, data={"nprs_now": ["1"]})
    with pytest.raises(NoteLocked):
        record_outcome(
            episode=episode, instrument_code="lefs", answers=LEFS_50, by=therapist, note=note
        )
    with pytest.raises(NoteLocked):
        sign_note(note=note, by=therapist)
    note.refresh_from_db()
    assert note.hash_matches()


def test_tampering_with_signed_content_is_detected_by_the_hash(episode, therapist):
    note = intake(episode, therapist, signed=True)
    note.content = {"main": {"nprs_now": 0}}  # as if rewritten behind the app's back
    assert not note.hash_matches()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL")
def test_the_database_refuses_to_change_or_delete_signed_content(episode, therapist):
    note = intake(episode, therapist, signed=True)
    addendum = add_addendum(note=note, by=therapist, kind="addendum", reason="r", text="t")
    attempts = [
        lambda: Note.objects.filter(pk=note.pk).update(content={}),
        lambda: connection.cursor().execute(
            "DELETE FROM assessments_note WHERE id = %s", [note.pk]
        ),
        lambda: OutcomeResponse.objects.filter(note=note).update(answers={}),
        lambda: OutcomeResponse.objects.create(
            episode=episode, note=note, instrument="nprs", version="1", entered_by=therapist
        ),
        lambda: Addendum.objects.filter(pk=addendum.pk).update(text="rewritten"),
    ]
    for attempt in attempts:
        with pytest.raises(InternalError), transaction.atomic():
            attempt()
    Note.objects.filter(pk=note.pk).update(withheld_reason="")  # release metadata stays editable
    note.refresh_from_db()
    assert note.hash_matches()


def test_addendum_leaves_the_original_and_its_hash_untouched(episode, therapist):
    note = intake(episode, therapist, signed=True)
    before = note.content
    addendum = add_addendum(
        note=note, by=therapist, kind=Addendum.Kind.LATE_ENTRY, reason="Forgot", text="Hop 12/20"
    )
    note.refresh_from_db()
    assert note.content == before
    assert note.hash_matches()
    assert addendum.author == therapist
    assert len(addendum.content_hash) == 64


def test_addendum_needs_a_signed_note(episode, therapist):
    note = intake(episode, therapist)
    with pytest.raises(ValueError, match="addenda are for signed notes"):
        add_addendum(note=note, by=therapist, kind="addendum", reason="x", text="y")


def test_saving_a_note_scores_nprs_and_keeps_raw_answers(episode, therapist):
    note = intake(episode, therapist)
    nprs = OutcomeResponse.objects.get(note=note, instrument="nprs")
    assert nprs.answers == {"pain": 6}
    assert nprs.score("pain") == 6
    lefs = OutcomeResponse.objects.get(note=note, instrument="lefs")
    assert lefs.answers == LEFS_50
    assert lefs.score("total") == 50


def test_copy_forward_starts_from_the_previous_daily_note_without_todays_pain(episode, therapist):
    daily(episode, therapist, pain=5, day=dt.date(2026, 1, 7))
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist, copy_forward=True)
    assert note.content["main"]["plan"] == "Continue"
    assert "pain_now" not in note.content["main"]
    assert note.copied_from is not None


def test_new_intake_is_prefilled_from_the_running_profile(episode, therapist):
    episode.patient.runs_per_week = 4
    episode.patient.weekly_distance_m = 40000
    episode.patient.save()
    note = start_note(episode=episode, kind=Note.Kind.INTAKE, by=therapist)
    assert note.content["main"]["runs_per_week"] == 4
    assert note.content["main"]["weekly_distance_m"] == 40000
    assert episode.icd10_code in note.content["main"]["diagnosis"]
